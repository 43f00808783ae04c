/*
 * json.c — the report as JSON (schema "authaudit/1", documented in
 * authaudit-json(5)), written with jansson.  One document per report;
 * NDJSON is the same document on one line.
 */
#include "render/render.h"
#include "report/facts.h"
#include "util/names.h"
#include "util/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* DNS data is bytes; JSON strings are UTF-8.  Bytes that do not form valid
 * UTF-8 are written as U+FFFD so the document always parses. */
static json_t *
jstrn(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	aa_buf b = {0};
	size_t i;

	if (j != NULL)
		return j;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			aa_buf_add(&b, (const char *)&c, 1);
		else
			aa_buf_puts(&b, "\xef\xbf\xbd");
	}
	j = json_stringn(b.p ? b.p : "", b.len);
	aa_buf_free(&b);
	return j;
}

static json_t *
jstr(const char *s)
{
	return s == NULL ? json_null() : jstrn(s, strlen(s));
}

static json_t *
jtime(const struct timespec *ts)
{
	char buf[40];
	struct tm tm;

	if (gmtime_r(&ts->tv_sec, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static json_t *
record_json(const aa_rrset *rs, const aa_record *rec)
{
	switch (rs->type) {
	case AA_T_MX:
		return json_pack("{s:i, s:o}", "preference", rec->pref, "host", jstr(rec->data));
	case AA_T_TXT:
	case AA_T_SPF:
		return jstrn(rec->data, rec->len);
	default:
		return jstr(rec->data);
	}
}

static json_t *
records_json(const aa_report *r)
{
	json_t *arr = json_array();
	size_t i, j;

	for (i = 0; i < aa_recordset_count(r->records); i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		json_t *chain = json_array(), *recs = json_array();
		for (j = 0; j < rs->nchain; j++)
			json_array_append_new(chain, jstr(rs->chain[j]));
		for (j = 0; j < rs->nrr; j++)
			json_array_append_new(recs, record_json(rs, &rs->rr[j]));
		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:i, s:o, s:o}", "name", jstr(rs->name),
		                                     "type", aa_rrtype_name(rs->type), "outcome",
		                                     aa_outcome_name(rs->outcome), "ttl", (int)rs->ttl,
		                                     "cname_chain", chain, "records", recs));
	}
	return arr;
}

static json_t *
strings_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, jstr(v[i]));
	return arr;
}

static json_t *
refs_json(const char *refs)
{
	json_t *arr = json_array();
	const char *p = refs;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ";");
		const char *s = p, *e = p + n;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s)
			json_array_append_new(arr, jstrn(s, (size_t)(e - s)));
		p += n;
		if (*p == ';')
			p++;
	}
	return arr;
}

static json_t *
finding_json(const aa_finding *f)
{
	const aa_finding_def *d = f->def;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "code", d->code,
	                      "severity", aa_severity_name(f->severity), "area", aa_area_name(d->area),
	                      "title", d->title, "subject", jstr(f->subject), "evidence",
	                      strings_json(f->evidence, f->nevidence), "explanation", jstr(d->why), "fix",
	                      jstr(f->fix ? f->fix : d->fix), "refs", refs_json(d->refs), "cost", f->cost);

	if (o != NULL && f->detail != NULL)
		json_object_set_new(o, "detail", jstr(f->detail));
	return o;
}

static json_t *
spf_node_json(const aa_spf_node *n)
{
	json_t *kids = json_array(), *issues = json_array(), *o;
	char all[2] = {n->all, 0};
	size_t i;

	for (i = 0; i < n->nkids; i++)
		json_array_append_new(kids, spf_node_json(n->kids[i]));
	for (i = 0; i < n->nissues; i++)
		json_array_append_new(issues, json_pack("{s:o, s:o}", "term", jstr(n->issues[i].term),
		                                        "detail", jstr(n->issues[i].detail)));
	o = json_pack("{s:o, s:o, s:o, s:s, s:i, s:i, s:i, s:o, s:o, s:o}", "name", jstr(n->name), "term",
	              jstr(n->term), "record", jstr(n->record), "state", aa_spf_state_token(n->state),
	              "lookups", (int)n->own, "cost", (int)n->cost, "voids", (int)n->voids, "all",
	              n->all ? json_string(all) : json_null(), "issues", issues, "includes", kids);
	if (o != NULL && n->state_detail != NULL)
		json_object_set_new(o, "state_detail", jstr(n->state_detail));
	return o;
}

static json_t *
spf_json(const aa_spf_facts *f)
{
	json_t *ips = json_array();
	char all[2] = {f->all, 0};
	size_t i;

	for (i = 0; i < f->nips; i++)
		json_array_append_new(ips,
		                      json_pack("{s:o, s:o, s:o, s:o}", "ip", jstr(f->ips[i].ip), "result",
		                                jstr(f->ips[i].result), "term", jstr(f->ips[i].term),
		                                "comment", jstr(f->ips[i].comment)));
	return json_pack("{s:b, s:s, s:o, s:i, s:i, s:i, s:o, s:o}", "published", f->has_record, "result",
	                 aa_spf_class_name(f->result), "all", f->all ? json_string(all) : json_null(),
	                 "lookups", (int)f->lookups, "lookups_not_expanded", (int)f->unexpanded, "voids",
	                 (int)f->voids, "tree", f->tree ? spf_node_json(f->tree) : json_null(), "ip_results",
	                 ips);
}

static json_t *
dkim_json(const aa_dkim_facts *f)
{
	json_t *keys = json_array();
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		const aa_dkim_key *k = &f->keys[i];
		json_t *flags;
		if (k->outcome == AA_DKIM_ABSENT)
			continue; /* the probed list says where nothing was found */
		flags = json_array();
		if (k->flags & AA_DKIM_F_TESTING)
			json_array_append_new(flags, json_string("testing"));
		if (k->flags & AA_DKIM_F_STRICT)
			json_array_append_new(flags, json_string("strict"));
		if (k->flags & AA_DKIM_F_SHA1_ONLY)
			json_array_append_new(flags, json_string("sha1-only"));
		json_array_append_new(keys,
		                      json_pack("{s:o, s:o, s:s, s:s, s:i, s:o, s:b, s:o, s:o}", "selector",
		                                jstr(k->selector), "cname", jstr(k->cname), "outcome",
		                                aa_dkim_outcome_name(k->outcome), "algorithm",
		                                aa_dkim_alg_name(k->alg), "bits", (int)k->bits, "flags",
		                                flags, "usable", (k->flags & AA_DKIM_F_USABLE) != 0, "record",
		                                jstr(k->record), "error", jstr(k->error)));
	}
	return json_pack("{s:i, s:o}", "usable_keys", (int)f->usable, "keys", keys);
}

static json_t *
mx_json(const aa_mx_facts *f, const aa_tenant_facts *t)
{
	json_t *hosts = json_array(), *m365 = json_array();
	size_t i;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		json_array_append_new(hosts,
		                      json_pack("{s:o, s:i, s:b, s:o, s:o, s:o, s:o}", "host", jstr(h->name),
		                                "preference", h->pref, "null", h->is_null, "cname",
		                                jstr(h->cname), "addresses",
		                                strings_json(h->addrs, h->naddrs), "unreachable",
		                                strings_json(h->private_addrs, h->nprivate), "provider",
		                                h->provider ? jstr(h->provider->name) : json_null()));
	}
	for (i = 0; t != NULL && i < t->nm365; i++)
		json_array_append_new(m365,
		                      json_pack("{s:s, s:o}", "kind", aa_m365_kind_name(t->m365[i].kind),
		                                "evidence", jstr(t->m365[i].text)));
	return json_pack("{s:o, s:b, s:b, s:o}", "hosts", hosts, "eop_mx", f->eop_mx, "eop_primary",
	                 f->eop_primary, "m365_evidence", m365);
}

/* The DMARC discovery: the record that applies, the organizational domain
 * by the DNS tree walk (RFC 9989 4.10) and by the public suffix list, and
 * the walk's lookups. */
static json_t *
dmarc_json(const aa_dmarc_facts *f)
{
	json_t *walk = json_array();
	const char *rule = aa_dmarc_org_rule_name(f->org_rule);
	size_t i;

	for (i = 0; i < f->nwalk; i++) {
		char psd[2] = {f->walk[i].psd, 0};
		json_array_append_new(walk, json_pack("{s:o, s:s, s:i, s:o}", "name", jstr(f->walk[i].name),
		                                      "outcome", aa_outcome_name(f->walk[i].outcome),
		                                      "records", (int)f->walk[i].nrecords, "psd",
		                                      f->walk[i].psd ? json_string(psd) : json_null()));
	}
	return json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "state", aa_dmarc_state_name(f->state),
	                 "policy_domain", jstr(f->policy_domain), "record", jstr(f->record), "psd_policy",
	                 f->psd_policy, "org_domain", jstr(f->org_domain), "org_domain_rule",
	                 rule != NULL ? json_string(rule) : json_null(), "org_domain_psl",
	                 jstr(f->psl_org_domain), "tree_walk", walk);
}

static const aa_name_entry group_names[] = {
    {AA_GROUP_MX, "mx"},       {AA_GROUP_SPF, "spf"},   {AA_GROUP_DKIM, "dkim"},
    {AA_GROUP_DMARC, "dmarc"}, {AA_GROUP_M365, "m365"}, {AA_GROUP_TRANSPORT, "transport"},
    {AA_GROUP_DNS, "dns"},
};

/* The --profile's expected records: {"name", "items": [{group, state,
 * text, fix}]}; state "ok", "missing" or "not checked". */
static json_t *
profile_json(const aa_report *r)
{
	json_t *items = json_array();
	size_t i;

	for (i = 0; i < r->nprofile; i++) {
		const aa_profile_item *p = &r->profile[i];
		if (!p->from_profile)
			continue;
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:o}", "group",
		                                       aa_name_of(group_names, AA_NAMES_N(group_names),
		                                                  (int)p->group, "unknown"),
		                                       "state",
		                                       p->ok == AA_ITEM_OK        ? "ok"
		                                       : p->ok == AA_ITEM_MISSING ? "missing"
		                                                                  : "not checked",
		                                       "text", jstr(p->text), "fix", jstr(p->fix)));
	}
	return json_pack("{s:s, s:o}", "name", r->profile_name, "items", items);
}

static json_t *
report_json(const aa_report *r)
{
	aa_finding **sorted = aa_report_sorted(r);
	json_t *doc, *findings = json_array();
	const void *facts;
	char grade[2] = {r->grade, 0};
	size_t i;

	if (sorted == NULL)
		return NULL;
	for (i = 0; sorted[i] != NULL; i++)
		json_array_append_new(findings, finding_json(sorted[i]));
	free(sorted);
	doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:b, s:b}", "schema", "authaudit/1",
	                "domain", jstr(r->domain), "started", jtime(&r->started), "finished",
	                jtime(&r->finished), "resolver", jstr(r->resolver), "complete", r->complete, "score",
	                r->not_graded != NULL ? json_null() : json_integer(r->score), "grade",
	                r->not_graded != NULL ? json_null() : json_string(grade), "deadline_hit",
	                r->deadline_hit, "budget_hit", r->budget_hit);
	if (doc == NULL)
		return NULL;
	if (r->not_graded != NULL)
		json_object_set_new(doc, "not_graded", json_string(r->not_graded));
	json_object_set_new(doc, "queries", json_integer((json_int_t)r->queries));
	json_object_set_new(doc, "findings", findings);
	json_object_set_new(doc, "dkim_selectors_probed", strings_json(r->selectors, r->nselectors));
	if ((facts = aa_report_facts(r, AA_AREA_MX)) != NULL)
		json_object_set_new(doc, "mx", mx_json(facts, r->tenant));
	if ((facts = aa_report_facts(r, AA_AREA_SPF)) != NULL)
		json_object_set_new(doc, "spf", spf_json(facts));
	if ((facts = aa_report_facts(r, AA_AREA_DKIM)) != NULL)
		json_object_set_new(doc, "dkim", dkim_json(facts));
	if ((facts = aa_report_facts(r, AA_AREA_DMARC)) != NULL)
		json_object_set_new(doc, "dmarc", dmarc_json(facts));
	if (r->profile_name != NULL)
		json_object_set_new(doc, "profile", profile_json(r));
	json_object_set_new(doc, "records", records_json(r));
	return doc;
}

aa_status
aa_render_json(const aa_report *r, int one_line, FILE *out)
{
	json_t *doc = report_json(r);
	char *text;
	size_t len;
	int rc;

	if (doc == NULL)
		return AA_ENOMEM;
	/* one write per document: json_dumpf() writes token by token, and
	 * each of those small locked writes cost more than building the text */
	text = json_dumps(doc, one_line ? JSON_COMPACT : JSON_INDENT(2));
	json_decref(doc);
	if (text == NULL)
		return AA_ENOMEM;
	len = strlen(text);
	text[len] = '\n'; /* jansson's NUL becomes the line end */
	rc = fwrite(text, 1, len + 1, out) == len + 1 ? 0 : -1;
	free(text);
	return rc != 0 || ferror(out) ? AA_EIO : AA_OK;
}
