/*
 * cross.c — the cross-area step: the rules that span areas.  It runs after
 * every area's check and reads their facts only (report/facts.h), never
 * their findings, so no area depends on another's and the order of the
 * areas does not matter.
 *
 *   - Microsoft 365 tenant evidence (MX, MS= TXT, DKIM selector CNAMEs, SPF
 *     include, autodiscover) and the tenant rules: MX_PROVIDER,
 *     MX_EOP_BEHIND_RELAY, SPF_M365_INCLUDE_MISSING, DKIM_M365_NOT_ENABLED,
 *     DKIM_M365_SELECTOR_PAIR;
 *   - severity that depends on another area: MX_NONE and MX_NULL (high when
 *     the domain sends mail), SPF_ALL_HARDFAIL (medium without DKIM);
 *   - DMARC_ENFORCED_UNALIGNABLE (DMARC enforces, neither SPF nor DKIM can
 *     pass).
 */
#include "check/check.h"
#include "report/facts.h"
#include "tables/m365.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cross {
	const aa_check_in *in;
	aa_report *r;
	const aa_spf_facts *spf;
	const aa_dkim_facts *dkim;
	const aa_dmarc_facts *dmarc;
	const aa_mx_facts *mx;
	aa_tenant_facts *tenant;
} cross;

/* ---- SPF facts, read ----------------------------------------------------- */

/* The root record's text when the domain publishes one. */
static const char *
spf_root_record(const aa_spf_facts *spf)
{
	return spf != NULL && spf->has_record && spf->tree != NULL ? spf->tree->record : NULL;
}

/* "SPF of D reaches include:spf.protection.outlook.com", and the path
 * when the include is not the domain's own term. */
static char *
spf_include_evidence(const cross *c)
{
	const char *path = c->spf->eop_path;

	if (path == NULL || strchr(path, '>') == NULL)
		return aa_printf("SPF of %s reaches include:%s", c->in->domain, AA_M365_SPF_DOMAIN);
	return aa_printf("SPF of %s reaches include:%s through %s", c->in->domain, AA_M365_SPF_DOMAIN, path);
}

/* ---- DKIM facts, read ---------------------------------------------------- */

/* 1 no usable key was found, 0 a key was found, -1 unknown (lookups failed). */
static int
dkim_none_found(const aa_dkim_facts *d)
{
	if (d == NULL || d->dns_errors > 0)
		return d != NULL && d->usable > 0 ? 0 : -1;
	return d->usable == 0;
}

/* A key record at some probed selector (usable or not: it says the domain
 * signs mail). */
static int
dkim_any_key(const aa_dkim_facts *d)
{
	size_t i;

	for (i = 0; d != NULL && i < d->nkeys; i++)
		if (d->keys[i].outcome == AA_DKIM_KEY)
			return 1;
	return d != NULL && d->usable > 0;
}

/* ---- tenant evidence ----------------------------------------------------- */

static aa_status
add_evidence(aa_tenant_facts *t, aa_m365_kind kind, char *text)
{
	aa_m365_evidence *n;

	if (text == NULL || (n = realloc(t->m365, (t->nm365 + 1) * sizeof(*n))) == NULL) {
		free(text);
		return AA_ENOMEM;
	}
	t->m365 = n;
	t->m365[t->nm365].kind = kind;
	t->m365[t->nm365].text = text;
	t->nm365++;
	return AA_OK;
}

static int
has_evidence(const aa_tenant_facts *t, aa_m365_kind kind)
{
	size_t i;

	for (i = 0; i < t->nm365; i++)
		if (t->m365[i].kind == kind)
			return 1;
	return 0;
}

static aa_status
gather_tenant(cross *c)
{
	const aa_mx_facts *mx = c->mx;
	aa_tenant_facts *t = c->tenant;
	size_t i;

	for (i = 0; mx != NULL && i < mx->nhosts; i++)
		if (mx->hosts[i].provider != NULL && mx->hosts[i].provider->id == AA_PROV_EOP &&
		    add_evidence(t, AA_M365_MX_EOP,
		                 aa_printf("MX %u %s (Exchange Online Protection)", mx->hosts[i].pref,
		                           mx->hosts[i].name)) != AA_OK)
			return AA_ENOMEM;
	for (i = 0; mx != NULL && i < mx->nms_txt; i++)
		if (add_evidence(t, AA_M365_MS_TXT,
		                 aa_printf("%s TXT \"%s\" (Microsoft 365 domain verification)", c->in->domain,
		                           mx->ms_txt[i])) != AA_OK)
			return AA_ENOMEM;
	for (i = 0; i < aa_n_m365_selectors; i++) {
		const aa_dkim_key *k = c->dkim != NULL ? aa_dkim_find(c->dkim, aa_m365_selectors[i]) : NULL;
		if (k != NULL && aa_m365_dkim_target(k->cname) &&
		    add_evidence(t, AA_M365_DKIM_CNAME, aa_printf("%s CNAME %s", k->name, k->cname)) != AA_OK)
			return AA_ENOMEM;
	}
	if (c->spf != NULL && c->spf->eop == AA_TRI_YES &&
	    add_evidence(t, AA_M365_SPF_INCLUDE, spf_include_evidence(c)) != AA_OK)
		return AA_ENOMEM;
	if (mx != NULL && mx->autodiscover != NULL &&
	    add_evidence(t, AA_M365_AUTODISCOVER,
	                 aa_printf("autodiscover.%s CNAME %s", c->in->domain, mx->autodiscover)) != AA_OK)
		return AA_ENOMEM;
	return AA_OK;
}

static void
tenant_evidence(cross *c, aa_finding *fd)
{
	size_t i;

	for (i = 0; i < c->tenant->nm365; i++)
		aa_finding_evidence(c->r, fd, "Microsoft 365 tenant evidence: %s", c->tenant->m365[i].text);
}

/* ---- MX rules that need other areas ------------------------------------ */

/* The domain sends mail: an SPF record that authorises someone, or a DKIM
 * key at a probed selector. */
static int
sends_mail(const cross *c, const char **how)
{
	const aa_spf_node *root = spf_root_record(c->spf) != NULL ? c->spf->tree : NULL;

	/* any record but "v=spf1" and "v=spf1 -all" names someone */
	if (root != NULL && root->nterms > 0 &&
	    !(root->nterms == 1 && root->terms[0].mech == AA_SPF_M_ALL && root->terms[0].qual == '-')) {
		*how = "it publishes an SPF record that authorises senders";
		return 1;
	}
	if (dkim_any_key(c->dkim)) {
		*how = "it publishes a DKIM key";
		return 1;
	}
	return 0;
}

/* MX_NONE or MX_NULL is high instead of its default when the domain sends
 * mail: then bounces and replies to it are lost. */
static void
raise_if_sending(cross *c, aa_finding *fd)
{
	const char *how = NULL, *d = c->in->domain;

	if (fd == NULL || !sends_mail(c, &how))
		return;
	fd->severity = AA_SEV_HIGH;
	if (fd->def->id == AA_F_MX_NULL)
		aa_finding_set_detail(c->r, fd,
		                      "%s refuses all mail, yet %s: bounces (NDRs) and replies to its "
		                      "mail are lost.",
		                      d, how);
	else
		aa_finding_set_detail(c->r, fd,
		                      "%s sends mail (%s), but bounces and replies to it have no MX to "
		                      "go to.",
		                      d, how);
}

static void
mx_none_or_null(cross *c)
{
	const aa_mx_facts *mx = c->mx;
	const char *d = c->in->domain;
	aa_finding *fd;

	if (mx->mx_outcome == AA_OUT_NODATA || (mx->mx_outcome == AA_OUT_ANSWER && mx->nhosts == 0)) {
		fd = aa_report_add(c->r, AA_F_MX_NONE, "%s", d);
		aa_finding_evidence(c->r, fd, "%s MX: NODATA (the name exists, no MX records)", d);
		raise_if_sending(c, fd);
	} else if (mx->null_mx && mx->real == 0) {
		fd = aa_report_add(c->r, AA_F_MX_NULL, "%s", d);
		aa_finding_evidence(c->r, fd, "%s MX 0 .", d);
		raise_if_sending(c, fd);
	}
}

static void
mx_provider(cross *c)
{
	const aa_mx_facts *mx = c->mx;
	int seen[AA_PROV_COUNT] = {0};
	size_t i, distinct = 0;
	aa_buf names = {0};
	aa_finding *fd;
	char *list;

	for (i = 0; i < mx->nhosts; i++) {
		const aa_provider *p = mx->hosts[i].provider;
		if (p == NULL || seen[p->id]++)
			continue;
		aa_buf_printf(&names, "%s%s", distinct > 0 ? ", " : "", p->name);
		distinct++;
	}
	if (distinct == 0) {
		aa_buf_free(&names);
		return;
	}
	list = aa_buf_take(&names);
	fd = aa_report_add(c->r, AA_F_MX_PROVIDER, "%s", list != NULL ? list : "?");
	for (i = 0; i < mx->nhosts; i++)
		if (!mx->hosts[i].is_null)
			aa_finding_evidence(c->r, fd, "MX %u %s: %s", mx->hosts[i].pref, mx->hosts[i].name,
			                    mx->hosts[i].provider != NULL ? mx->hosts[i].provider->name
			                                                  : "not a known provider");
	for (i = 0; i < c->tenant->nm365; i++)
		if (c->tenant->m365[i].kind != AA_M365_MX_EOP)
			aa_finding_evidence(c->r, fd, "Microsoft 365 tenant evidence: %s",
			                    c->tenant->m365[i].text);
	free(list);
}

/* No EOP MX, yet the domain is a Microsoft 365 tenant: mail reaches EOP
 * through a relay. */
static void
eop_behind_relay(cross *c)
{
	const aa_mx_facts *mx = c->mx;
	const aa_mx_host *relay = NULL;
	aa_finding *fd;
	char *dashes;
	size_t i;

	if (mx->mx_outcome != AA_OUT_ANSWER || mx->null_mx || mx->eop != NULL || mx->real == 0 ||
	    c->tenant->nm365 == 0)
		return;
	fd = aa_report_add(c->r, AA_F_MX_EOP_BEHIND_RELAY, "%s", c->in->domain);
	tenant_evidence(c, fd);
	for (i = 0; i < mx->nhosts; i++)
		if (!mx->hosts[i].is_null)
			aa_finding_evidence(c->r, fd, "%s MX %u %s (%s)", c->in->domain, mx->hosts[i].pref,
			                    mx->hosts[i].name,
			                    mx->hosts[i].provider != NULL ? mx->hosts[i].provider->name
			                                                  : "not EOP");
	for (i = 0; i < mx->nhosts && relay == NULL; i++)
		if (!mx->hosts[i].is_null)
			relay = &mx->hosts[i];
	if (relay == NULL)
		return; /* not reached: mx->real > 0 */
	aa_finding_set_detail(c->r, fd,
	                      "Inbound mail for %s goes to %s (%s) first and reaches Exchange "
	                      "Online Protection only through it (a connector or forwarding), so "
	                      "EOP takes %s's IP for the sender's (Microsoft KB3089691): SPF and a "
	                      "DMARC result that rests on it are evaluated against the relay unless "
	                      "Enhanced Filtering for Connectors is set. DKIM still verifies unless "
	                      "the relay alters the message.",
	                      c->in->domain, relay->name,
	                      relay->provider != NULL ? relay->provider->name
	                                              : "an on-premises server or a filter not in the "
	                                                "provider table",
	                      relay->name);
	/* Which of the two MX formats the tenant was given is not in DNS: name
	 * both and where the right one is shown. */
	if ((dashes = aa_m365_domain_dashes(c->in->domain)) == NULL) {
		c->r->oom = 1;
		return;
	}
	aa_finding_set_fix(c->r, fd,
	                   "Configure Enhanced Filtering for Connectors (skip listing) on the inbound "
	                   "connector from %s (" AA_M365_EFC_PORTAL "), listing the filter's IP "
	                   "addresses, so EOP evaluates the original sender; or point the MX at EOP: "
	                   "\"%s. MX 0 <value>.\" with the value (%s.mail.protection.outlook.com, or "
	                   "%s.<x>-v1.mx.microsoft for domains added since May 2025) shown "
	                   "in " AA_M365_ADMIN_MX ".",
	                   relay->name, c->in->domain, dashes, dashes);
	free(dashes);
}

/* ---- the tenant's SPF and DKIM ------------------------------------------- */

static void
m365_components(cross *c)
{
	const char *spf = spf_root_record(c->spf);
	const aa_dkim_facts *dk = c->dkim;
	unsigned known = 0, have = 0;
	aa_finding *fd;
	size_t s;

	if (c->tenant->nm365 == 0)
		return;
	/* SPF: only when a record exists (SPF_NONE covers its absence) and the
	 * whole include chain was seen. */
	if (spf != NULL && !has_evidence(c->tenant, AA_M365_SPF_INCLUDE) && c->spf->eop == AA_TRI_NO) {
		fd = aa_report_add(c->r, AA_F_SPF_M365_INCLUDE_MISSING, "%s", c->in->domain);
		aa_finding_evidence(c->r, fd, "%s TXT \"%s\"", c->in->domain, spf);
		tenant_evidence(c, fd);
		aa_finding_set_fix(c->r, fd, "Add include:%s to the SPF record of %s, before its all term.",
		                   AA_M365_SPF_DOMAIN, c->in->domain);
	}
	/* DKIM: both selectors answered, neither has a key or the CNAME. */
	if (dk == NULL)
		return;
	for (s = 0; s < aa_n_m365_selectors; s++) {
		const aa_dkim_key *k = aa_dkim_find(dk, aa_m365_selectors[s]);
		known += k != NULL && k->outcome != AA_DKIM_DNS_ERROR;
	}
	have = dk->m365_cnames + dk->m365_published;
	if (known == aa_n_m365_selectors && have == 0) {
		fd = aa_report_add(c->r, AA_F_DKIM_M365_NOT_ENABLED, "%s", c->in->domain);
		aa_finding_evidence(c->r, fd, "selector1._domainkey.%s and selector2._domainkey.%s: no key",
		                    c->in->domain, c->in->domain);
		tenant_evidence(c, fd);
		/* The targets depend on the tenant and on when the domain was
		 * added: say where they are shown, and both shapes, not a guess. */
		aa_finding_set_fix(
		    c->r, fd,
		    "In " AA_M365_DKIM_PORTAL ", select %s, or run \"Get-DkimSigningConfig "
		    "-Identity %s | Format-List Selector1CNAME,Selector2CNAME\"; publish the "
		    "two CNAMEs shown (selector1._domainkey.%s and selector2._domainkey.%s, to "
		    "selector1-...._domainkey.<tenant>.onmicrosoft.com or, for domains added "
		    "since May 2025, selector1-...._domainkey.<tenant>.<x>-v1.dkim.mail.microsoft, "
		    "and the same for selector2), then enable signing.",
		    c->in->domain, c->in->domain, c->in->domain, c->in->domain);
	}
}

/* A Microsoft 365 selector is published: a CNAME (to the tenant or not,
 * dangling or not: DKIM_CNAME_DANGLING says the rest) or a key record. */
static int
m365_selector_published(const aa_dkim_key *k)
{
	return k != NULL &&
	       (k->cname != NULL || (k->outcome != AA_DKIM_ABSENT && k->outcome != AA_DKIM_DNS_ERROR));
}

/* One of selector1/selector2 published and the other answered with nothing:
 * Microsoft 365 rotates between the two, so the next rotation signs with a
 * selector receivers cannot find.  A failed lookup is not "missing". */
static void
m365_selector_pair(cross *c)
{
	const aa_dkim_key *k1, *k2, *have, *missing;
	aa_finding *fd;

	if (c->tenant->nm365 == 0 || c->dkim == NULL || aa_n_m365_selectors != 2)
		return;
	k1 = aa_dkim_find(c->dkim, aa_m365_selectors[0]);
	k2 = aa_dkim_find(c->dkim, aa_m365_selectors[1]);
	if (k1 == NULL || k2 == NULL || k1->outcome == AA_DKIM_DNS_ERROR ||
	    k2->outcome == AA_DKIM_DNS_ERROR || m365_selector_published(k1) == m365_selector_published(k2))
		return;
	have = m365_selector_published(k1) ? k1 : k2;
	missing = have == k1 ? k2 : k1;
	fd = aa_report_add(c->r, AA_F_DKIM_M365_SELECTOR_PAIR, "%s", missing->name);
	if (have->cname != NULL)
		aa_finding_evidence(c->r, fd, "%s CNAME %s", have->name, have->cname);
	else
		aa_finding_evidence(c->r, fd, "%s: %s", have->name, aa_dkim_outcome_name(have->outcome));
	aa_finding_evidence(c->r, fd, "%s: no record", missing->name);
	tenant_evidence(c, fd);
	/* The target depends on the tenant and on when the domain was added:
	 * say where it is shown, not a guess. */
	aa_finding_set_fix(c->r, fd,
	                   "Publish %s as a CNAME to the %s value shown by \"Get-DkimSigningConfig -Identity "
	                   "%s | Format-List Selector1CNAME,Selector2CNAME\" or in " AA_M365_DKIM_PORTAL ".",
	                   missing->name, missing == k1 ? "Selector1CNAME" : "Selector2CNAME", c->in->domain);
}

/* ---- SPF -all and DKIM --------------------------------------------------- */

static void
spf_hardfail(cross *c)
{
	const aa_spf_node *e = c->spf != NULL ? c->spf->effective : NULL;
	aa_finding *f;

	/* facts->all is 0 when a temperror leaves the effective all unknown;
	 * an include that passes everyone first makes -all decide nothing
	 * (SPF_ALL_PASS says so) */
	if (e == NULL || c->spf->all != '-' || c->spf->passes_all)
		return;
	f = aa_report_add(c->r, AA_F_SPF_ALL_HARDFAIL, "%s", c->spf->tree->name);
	aa_finding_evidence(c->r, f, "%s: \"%s\"%s", e->name, e->record,
	                    e == c->spf->tree ? "" : " (through redirect)");
	/* a domain that sends nothing (a parked domain: SPF that permits nobody,
	 * no key) loses nothing to -all: no raise */
	if (f != NULL && dkim_none_found(c->dkim) == 1 && sends_mail(c, &(const char *){NULL})) {
		f->severity = AA_SEV_MEDIUM;
		aa_finding_evidence(c->r, f, "no usable DKIM key was found at any probed selector");
		aa_finding_set_detail(c->r, f,
		                      "With -all and no DKIM key, any forwarded or relayed mail (a "
		                      "mailing list, a forwarder, or a filter in front of Exchange "
		                      "Online, KB3089691) fails SPF outright and nothing else "
		                      "authenticates it.");
		aa_finding_set_fix(c->r, f, "Publish DKIM keys and sign all mail; until then consider ~all.");
	}
}

/* ---- DMARC reports ------------------------------------------------------- */

/* No rua=: nobody learns who sends as the domain.  For a domain that sends
 * nothing (a parked domain done right) reports only show spoofing: worth
 * having, not a problem (info). */
static void
dmarc_no_rua(cross *c)
{
	const aa_dmarc_facts *dm = c->dmarc;
	const char *how = NULL;
	aa_finding *g;

	if (dm == NULL || dm->record == NULL || dm->nrua > 0 || dm->where == NULL ||
	    (dm->state != AA_DMARC_FOUND && dm->state != AA_DMARC_INHERITED))
		return;
	g = aa_report_add(c->r, AA_F_DMARC_NO_RUA, "%s", dm->where);
	aa_finding_evidence(c->r, g, "%s TXT \"%s\"", dm->where, dm->record);
	aa_finding_set_fix(c->r, g, "Add rua=mailto:dmarc-reports@%s to %s.", dm->policy_domain, dm->where);
	if (g != NULL && !sends_mail(c, &how)) {
		g->severity = AA_SEV_INFO;
		aa_finding_set_detail(c->r, g,
		                      "%s sends no mail (its SPF permits nobody and it publishes no DKIM "
		                      "key): aggregate reports would only show who spoofs it.",
		                      c->in->domain);
	}
}

/* ---- DMARC that nothing can pass ----------------------------------------- */

static void __attribute__((unused)) dmarc_unalignable(cross *c)
{
	const aa_dmarc_facts *dm = c->dmarc;
	const aa_dkim_facts *dk = c->dkim;
	const aa_finding_def *why;
	aa_finding *f;

	if (dm == NULL || dm->effective < AA_DMARC_P_QUARANTINE || dm->record == NULL || dk == NULL ||
	    dk->usable > 0 || dk->dns_errors > 0 || c->spf == NULL || c->spf->cannot_pass == AA_F_COUNT)
		return;
	why = aa_finding_def_of(c->spf->cannot_pass);
	f = aa_report_add(c->r, AA_F_DMARC_ENFORCED_UNALIGNABLE, "%s", c->in->domain);
	aa_finding_evidence(c->r, f, "DMARC policy %s (_dmarc.%s TXT \"%s\")",
	                    aa_dmarc_policy_name(dm->effective), dm->policy_domain, dm->record);
	aa_finding_evidence(c->r, f, "SPF cannot pass: %s (%s)", why->code, why->title);
	aa_finding_evidence(c->r, f, "DKIM: no usable key at %zu probed selectors", dk->nkeys);
	aa_finding_set_fix(c->r, f,
	                   "Publish a valid SPF record or a DKIM key for every sending service first; until "
	                   "then set _dmarc.%s TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\".",
	                   dm->policy_domain, dm->policy_domain);
}

void
aa_check_cross(const aa_check_in *in, aa_report *r)
{
	cross c = {in,
	           r,
	           aa_report_facts(r, AA_AREA_SPF),
	           aa_report_facts(r, AA_AREA_DKIM),
	           aa_report_facts(r, AA_AREA_DMARC),
	           aa_report_facts(r, AA_AREA_MX),
	           NULL};

	if ((c.tenant = calloc(1, sizeof(*c.tenant))) == NULL || gather_tenant(&c) != AA_OK) {
		aa_tenant_facts_free(c.tenant);
		r->oom = 1;
		return;
	}
	aa_tenant_facts_free(r->tenant);
	r->tenant = c.tenant;
	if (c.mx != NULL) {
		mx_none_or_null(&c);
		mx_provider(&c);
		eop_behind_relay(&c);
	}
	m365_components(&c);
	m365_selector_pair(&c);
	spf_hardfail(&c);
	dmarc_unalignable(&c);
	dmarc_no_rua(&c);
	aa_check_profile(in, r);
}
