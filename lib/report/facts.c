/* facts.c — the per-area facts a report carries: names and freeing. */
#include "report/facts.h"
#include "util/names.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const aa_name_entry dkim_outcomes[] = {
    {AA_DKIM_ABSENT, "absent"},       {AA_DKIM_KEY, "key"},           {AA_DKIM_REVOKED, "revoked"},
    {AA_DKIM_SYNTAX, "syntax-error"}, {AA_DKIM_DANGLING, "dangling"}, {AA_DKIM_DNS_ERROR, "dns-error"},
};

const char *
aa_dkim_outcome_name(aa_dkim_outcome o)
{
	return aa_name_of(dkim_outcomes, AA_NAMES_N(dkim_outcomes), (int)o, "?");
}

static const aa_name_entry dkim_algs[] = {
    {AA_DKIM_ALG_NONE, "none"},
    {AA_DKIM_ALG_RSA, "rsa"},
    {AA_DKIM_ALG_ED25519, "ed25519"},
};

const char *
aa_dkim_alg_name(aa_dkim_alg a)
{
	return aa_name_of(dkim_algs, AA_NAMES_N(dkim_algs), (int)a, "none");
}

const aa_dkim_key *
aa_dkim_find(const aa_dkim_facts *f, const char *selector)
{
	size_t i;

	for (i = 0; f != NULL && i < f->nkeys; i++)
		if (strcasecmp(f->keys[i].selector, selector) == 0)
			return &f->keys[i];
	return NULL;
}

void
aa_dkim_facts_free(void *facts)
{
	aa_dkim_facts *f = facts;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nkeys; i++) {
		free(f->keys[i].selector);
		free(f->keys[i].name);
		free(f->keys[i].cname);
		free(f->keys[i].record);
		free(f->keys[i].error);
		aa_strv_free(f->keys[i].keyrecords, f->keys[i].nkeyrecords);
		free(f->keys[i].v_not_first);
	}
	free(f->keys);
	free(f->probe_note);
	free(f);
}

/* p=, sp= and np= values (RFC 7489 6.3); "unset" is what the facts say
 * when the tag is absent. */
static const aa_name_entry dmarc_policies[] = {
    {AA_DMARC_P_UNSET, "unset"},
    {AA_DMARC_P_NONE, "none"},
    {AA_DMARC_P_QUARANTINE, "quarantine"},
    {AA_DMARC_P_REJECT, "reject"},
};

const char *
aa_dmarc_policy_name(aa_dmarc_policy p)
{
	return aa_name_of(dmarc_policies, AA_NAMES_N(dmarc_policies), (int)p, "unset");
}

static const aa_name_entry dmarc_states[] = {
    {AA_DMARC_ABSENT, "absent"},
    {AA_DMARC_FOUND, "found"},
    {AA_DMARC_INHERITED, "inherited"},
    {AA_DMARC_MULTIPLE, "multiple"},
    {AA_DMARC_NOT_VERIFIED, "not-verified"},
};

const char *
aa_dmarc_state_name(aa_dmarc_state s)
{
	return aa_name_of(dmarc_states, AA_NAMES_N(dmarc_states), (int)s, "not-verified");
}

static const aa_name_entry dmarc_org_rules[] = {
    {AA_DMARC_ORG_PSD_N, "psd=n"},
    {AA_DMARC_ORG_BELOW_PSD_Y, "below-psd=y"},
    {AA_DMARC_ORG_FEWEST_LABELS, "fewest-labels"},
    {AA_DMARC_ORG_NO_RECORD, "no-record"},
};

const char *
aa_dmarc_org_rule_name(aa_dmarc_org_rule r)
{
	return aa_name_of(dmarc_org_rules, AA_NAMES_N(dmarc_org_rules), (int)r, NULL);
}

aa_dmarc_policy
aa_dmarc_policy_parse(const char *v, size_t len)
{
	int id;

	if (aa_id_of_ci(dmarc_policies, AA_NAMES_N(dmarc_policies), v, len, &id) != AA_OK)
		return AA_DMARC_P_UNSET;
	return (aa_dmarc_policy)id;
}

void
aa_dmarc_facts_free(void *facts)
{
	aa_dmarc_facts *f = facts;
	size_t i;

	if (f == NULL)
		return;
	free(f->policy_domain);
	free(f->where);
	free(f->record);
	for (i = 0; i < f->nuris; i++) {
		free(f->uris[i].uri);
		free(f->uris[i].dest);
		free(f->uris[i].auth_name);
	}
	free(f->uris);
	aa_strv_free(f->multiple, f->nmultiple);
	free(f->multiple_where);
	for (i = 0; i < f->nsyntax; i++) {
		free(f->syntax[i].where);
		free(f->syntax[i].record);
		aa_strv_free(f->syntax[i].problems, f->syntax[i].nproblems);
	}
	free(f->syntax);
	free(f->org_domain);
	aa_strv_free(f->lookalikes, f->nlookalikes);
	for (i = 0; i < f->nwalk; i++)
		free(f->walk[i].name);
	free(f->walk);
	free(f->psl_org_domain);
	free(f->psl_policy_domain);
	free(f);
}

void
aa_envelope_facts_free(void *p)
{
	aa_envelope_facts *f = p;

	if (f == NULL)
		return;
	free(f->address);
	free(f->domain);
	free(f->org_domain);
	free(f->from_org_domain);
	free(f->unroutable_why);
	free(f->spf_record);
	free(f->spf_result);
	free(f->spf_ip);
	free(f->spf_why);
	free(f);
}

static void
dnsbl_result_free(aa_dnsbl_result *d)
{
	size_t i;

	free(d->zone);
	free(d->name);
	free(d->code);
	free(d->meaning);
	for (i = 0; i < d->nanswers; i++)
		free(d->answers[i].code);
	free(d->answers);
	free(d->txt);
}

static void
ip_info_free(aa_ip_info *ip)
{
	size_t j;

	free(ip->ip);
	free(ip->reverse);
	for (j = 0; j < ip->nptr; j++)
		free(ip->ptr[j]);
	free(ip->ptr);
	for (j = 0; j < ip->nforward; j++) {
		free(ip->forward[j].name);
		free(ip->forward[j].addrs);
	}
	free(ip->forward);
	for (j = 0; j < ip->ndnsbl; j++)
		dnsbl_result_free(&ip->dnsbl[j]);
	free(ip->dnsbl);
}

void
aa_ip_facts_free(void *p)
{
	aa_ip_facts *f = p;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nips; i++)
		ip_info_free(&f->ips[i]);
	free(f->ips);
	free(f);
}

void
aa_mx_facts_free(void *p)
{
	aa_mx_facts *f = p;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nhosts; i++) {
		aa_mx_host *h = &f->hosts[i];
		free(h->name);
		free(h->cname);
		aa_strv_free(h->addrs, h->naddrs);
		aa_strv_free(h->private_addrs, h->nprivate);
	}
	free(f->hosts);
	aa_strv_free(f->ms_txt, f->nms_txt);
	free(f->autodiscover);
	free(f);
}

void
aa_tenant_facts_free(aa_tenant_facts *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nm365; i++)
		free(t->m365[i].text);
	free(t->m365);
	free(t);
}

void
aa_spf_facts_free(void *p)
{
	aa_spf_facts *f = p;
	size_t i;

	if (f == NULL)
		return;
	aa_spf_node_free(f->tree);
	free(f->eop_path);
	free(f->pass_all_path);
	for (i = 0; i < f->ntype99; i++)
		free(f->type99[i]);
	free(f->type99);
	for (i = 0; i < f->nips; i++) {
		free(f->ips[i].ip);
		free(f->ips[i].result);
		free(f->ips[i].term);
		free(f->ips[i].comment);
	}
	free(f->ips);
	free(f);
}

static const aa_name_entry spf_states[] = {
    {AA_SPF_NODE_OK, "ok"},
    {AA_SPF_NODE_NO_RECORD, "no SPF record"},
    {AA_SPF_NODE_MULTIPLE, "several SPF records"},
    {AA_SPF_NODE_DNS_ERROR, "DNS error"},
    {AA_SPF_NODE_LOOP, "loop"},
    {AA_SPF_NODE_LIMIT, "not expanded (limit)"},
    {AA_SPF_NODE_MACRO, "macro not expanded"},
    {AA_SPF_NODE_PENDING, "pending"},
};

const char *
aa_spf_state_name(aa_spf_state s)
{
	return aa_name_of(spf_states, AA_NAMES_N(spf_states), (int)s, "?");
}

/* Stable tokens for JSON (the text report uses aa_spf_state_name's words). */
static const aa_name_entry spf_state_tokens[] = {
    {AA_SPF_NODE_OK, "ok"},
    {AA_SPF_NODE_NO_RECORD, "no-record"},
    {AA_SPF_NODE_MULTIPLE, "multiple"},
    {AA_SPF_NODE_DNS_ERROR, "dns-error"},
    {AA_SPF_NODE_LOOP, "loop"},
    {AA_SPF_NODE_LIMIT, "limit"},
    {AA_SPF_NODE_MACRO, "macro"},
    {AA_SPF_NODE_PENDING, "pending"},
};

const char *
aa_spf_state_token(aa_spf_state s)
{
	return aa_name_of(spf_state_tokens, AA_NAMES_N(spf_state_tokens), (int)s, "unknown");
}

static const aa_name_entry spf_classes[] = {
    {AA_SPF_CLASS_NONE, "none"},
    {AA_SPF_CLASS_OK, "ok"},
    {AA_SPF_CLASS_PERMERROR, "permerror"},
    {AA_SPF_CLASS_TEMPERROR, "temperror"},
};

const char *
aa_spf_class_name(aa_spf_class c)
{
	return aa_name_of(spf_classes, AA_NAMES_N(spf_classes), (int)c, "?");
}

void
aa_spf_node_free(aa_spf_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		aa_spf_node_free(n->kids[i]);
	for (i = 0; i < n->nissues; i++) {
		free(n->issues[i].term);
		free(n->issues[i].detail);
	}
	free(n->issues);
	free(n->terms);
	free(n->syntax_error);
	free(n->kids);
	free(n->name);
	free(n->term);
	free(n->record);
	free(n->second);
	free(n->state_detail);
	free(n);
}

const char *
aa_m365_kind_name(aa_m365_kind k)
{
	static const aa_name_entry names[] = {
	    {AA_M365_MX_EOP, "mx-eop"},
	    {AA_M365_MS_TXT, "ms-txt"},
	    {AA_M365_DKIM_CNAME, "dkim-cname"},
	    {AA_M365_SPF_INCLUDE, "spf-include"},
	    {AA_M365_AUTODISCOVER, "autodiscover"},
	};

	return aa_name_of(names, AA_NAMES_N(names), (int)k, "other");
}

static void
transport_name_free(aa_transport_name *n)
{
	size_t i;

	free(n->name);
	for (i = 0; i < n->nrecords; i++) {
		aa_transport_record *t = &n->records[i];
		free(t->text);
		free(t->version);
		free(t->id);
		aa_strv_free(t->rua, t->nrua);
		free(t->bad);
	}
	free(n->records);
}

void
aa_transport_facts_free(void *p)
{
	aa_transport_facts *f = p;

	if (f == NULL)
		return;
	transport_name_free(&f->mta_sts);
	transport_name_free(&f->tlsrpt);
	free(f);
}
