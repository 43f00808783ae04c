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
#include <stdint.h>
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

/* Our own text (the catalogue, names of enums): known UTF-8, not checked
 * again byte by byte. */
static json_t *
jconst(const char *s)
{
	return s == NULL ? json_null() : json_string_nocheck(s);
}

/* Set when a value could not be made or added (out of memory): the
 * document is then not written rather than written with holes.  Per
 * thread: --jobs threads render at once. */
static _Thread_local int build_failed;

/* Sets key (a literal: known UTF-8) to v, taking v's reference. */
static void
set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new_nocheck(o, key, v) != 0)
		build_failed = 1;
}

/* Appends v to arr, taking v's reference. */
static void
add(json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) != 0)
		build_failed = 1;
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
	{
		json_t *o = json_object();
		set(o, "preference", json_integer(rec->pref));
		set(o, "host", jstr(rec->data));
		return o;
	}
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

	/* built key by key (not json_pack): a report holds a few dozen of
	 * these, and the format string's parse and the keys' UTF-8 checks were
	 * a good part of a batch's JSON time */
	for (i = 0; i < aa_recordset_count(r->records); i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		json_t *o = json_object(), *chain = json_array(), *recs = json_array();
		for (j = 0; j < rs->nchain; j++)
			add(chain, jstr(rs->chain[j]));
		for (j = 0; j < rs->nrr; j++)
			add(recs, record_json(rs, &rs->rr[j]));
		set(o, "name", jstr(rs->name));
		set(o, "type", jconst(aa_rrtype_name(rs->type)));
		set(o, "outcome", jconst(aa_outcome_name(rs->outcome)));
		set(o, "ttl", json_integer((json_int_t)(int)rs->ttl));
		set(o, "cname_chain", chain);
		set(o, "records", recs);
		add(arr, o);
	}
	return arr;
}

static json_t *
strings_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		add(arr, jstr(v[i]));
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
			add(arr, jstrn(s, (size_t)(e - s)));
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
	json_t *o = json_object();

	set(o, "code", jconst(d->code));
	set(o, "severity", jconst(aa_severity_name(f->severity)));
	set(o, "area", jconst(aa_area_name(d->area)));
	set(o, "title", jconst(d->title));
	set(o, "subject", jstr(f->subject));
	set(o, "evidence", strings_json(f->evidence, f->nevidence));
	set(o, "explanation", jconst(d->why));
	/* a fix of the finding's own is built from DNS data: checked */
	set(o, "fix", f->fix ? jstr(f->fix) : jconst(d->fix));
	set(o, "refs", refs_json(d->refs));
	set(o, "cost", json_integer(f->cost));
	if (f->detail != NULL)
		set(o, "detail", jstr(f->detail));
	return o;
}

static json_t *
spf_node_json(const aa_spf_node *n)
{
	json_t *kids = json_array(), *issues = json_array(), *o = json_object();
	char all[2] = {n->all, 0};
	size_t i;

	for (i = 0; i < n->nkids; i++)
		add(kids, spf_node_json(n->kids[i]));
	for (i = 0; i < n->nissues; i++) {
		json_t *issue = json_object();
		set(issue, "term", jstr(n->issues[i].term));
		set(issue, "detail", jstr(n->issues[i].detail));
		add(issues, issue);
	}
	set(o, "name", jstr(n->name));
	set(o, "term", jstr(n->term));
	set(o, "record", jstr(n->record));
	set(o, "state", jconst(aa_spf_state_token(n->state)));
	set(o, "lookups", json_integer((json_int_t)(int)n->own));
	set(o, "cost", json_integer((json_int_t)(int)n->cost));
	set(o, "voids", json_integer((json_int_t)(int)n->voids));
	set(o, "all", n->all ? jstrn(all, 1) : json_null());
	set(o, "issues", issues);
	set(o, "includes", kids);
	if (n->state_detail != NULL)
		set(o, "state_detail", jstr(n->state_detail));
	return o;
}

static json_t *
spf_json(const aa_spf_facts *f)
{
	json_t *ips = json_array(), *o = json_object();
	char all[2] = {f->all, 0};
	size_t i;

	for (i = 0; i < f->nips; i++) {
		json_t *ip = json_object();
		set(ip, "ip", jstr(f->ips[i].ip));
		set(ip, "result", jstr(f->ips[i].result));
		set(ip, "term", jstr(f->ips[i].term));
		set(ip, "comment", jstr(f->ips[i].comment));
		add(ips, ip);
	}
	set(o, "published", json_boolean(f->has_record));
	set(o, "result", jconst(aa_spf_class_name(f->result)));
	set(o, "all", f->all ? jstrn(all, 1) : json_null());
	set(o, "lookups", json_integer((json_int_t)(int)f->lookups));
	set(o, "lookups_not_expanded", json_integer((json_int_t)(int)f->unexpanded));
	set(o, "voids", json_integer((json_int_t)(int)f->voids));
	set(o, "tree", f->tree ? spf_node_json(f->tree) : json_null());
	set(o, "ip_results", ips);
	return o;
}

static json_t *
dkim_json(const aa_dkim_facts *f)
{
	json_t *keys = json_array(), *o = json_object();
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		const aa_dkim_key *k = &f->keys[i];
		json_t *flags, *key;
		if (k->outcome == AA_DKIM_ABSENT)
			continue; /* the probed list says where nothing was found */
		flags = json_array();
		if (k->flags & AA_DKIM_F_TESTING)
			add(flags, jconst("testing"));
		if (k->flags & AA_DKIM_F_STRICT)
			add(flags, jconst("strict"));
		if (k->flags & AA_DKIM_F_SHA1_ONLY)
			add(flags, jconst("sha1-only"));
		key = json_object();
		set(key, "selector", jstr(k->selector));
		set(key, "cname", jstr(k->cname));
		set(key, "outcome", jconst(aa_dkim_outcome_name(k->outcome)));
		set(key, "algorithm", jconst(aa_dkim_alg_name(k->alg)));
		set(key, "bits", json_integer((json_int_t)(int)k->bits));
		set(key, "flags", flags);
		set(key, "usable", json_boolean((k->flags & AA_DKIM_F_USABLE) != 0));
		set(key, "record", jstr(k->record));
		set(key, "error", jstr(k->error));
		add(keys, key);
	}
	set(o, "usable_keys", json_integer((json_int_t)(int)f->usable));
	set(o, "keys", keys);
	return o;
}

static json_t *
mx_json(const aa_mx_facts *f, const aa_tenant_facts *t)
{
	json_t *hosts = json_array(), *m365 = json_array(), *o = json_object();
	size_t i;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		json_t *host = json_object();
		set(host, "host", jstr(h->name));
		set(host, "preference", json_integer(h->pref));
		set(host, "null", json_boolean(h->is_null));
		set(host, "cname", jstr(h->cname));
		set(host, "addresses", strings_json(h->addrs, h->naddrs));
		set(host, "unreachable", strings_json(h->private_addrs, h->nprivate));
		set(host, "provider", h->provider ? jstr(h->provider->name) : json_null());
		add(hosts, host);
	}
	for (i = 0; t != NULL && i < t->nm365; i++) {
		json_t *ev = json_object();
		set(ev, "kind", jconst(aa_m365_kind_name(t->m365[i].kind)));
		set(ev, "evidence", jstr(t->m365[i].text));
		add(m365, ev);
	}
	set(o, "hosts", hosts);
	set(o, "eop_mx", json_boolean(f->eop_mx));
	set(o, "eop_primary", json_boolean(f->eop_primary));
	set(o, "m365_evidence", m365);
	return o;
}

/* The DMARC discovery: the record that applies, the organizational domain
 * by the DNS tree walk (RFC 9989 4.10) and by the public suffix list, and
 * the walk's lookups. */
static json_t *
dmarc_json(const aa_dmarc_facts *f)
{
	json_t *walk = json_array(), *o = json_object();
	const char *rule = aa_dmarc_org_rule_name(f->org_rule);
	size_t i;

	for (i = 0; i < f->nwalk; i++) {
		char psd[2] = {f->walk[i].psd, 0};
		json_t *step = json_object();
		set(step, "name", jstr(f->walk[i].name));
		set(step, "outcome", jconst(aa_outcome_name(f->walk[i].outcome)));
		set(step, "records", json_integer((json_int_t)(int)f->walk[i].nrecords));
		set(step, "psd", f->walk[i].psd ? jstrn(psd, 1) : json_null());
		add(walk, step);
	}
	set(o, "state", jconst(aa_dmarc_state_name(f->state)));
	set(o, "policy_domain", jstr(f->policy_domain));
	set(o, "record", jstr(f->record));
	set(o, "psd_policy", json_boolean(f->psd_policy));
	set(o, "org_domain", jstr(f->org_domain));
	set(o, "org_domain_rule", jconst(rule));
	set(o, "org_domain_psl", jstr(f->psl_org_domain));
	set(o, "tree_walk", walk);
	return o;
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
	json_t *items = json_array(), *o = json_object();
	size_t i;

	for (i = 0; i < r->nprofile; i++) {
		const aa_profile_item *p = &r->profile[i];
		json_t *item;
		if (!p->from_profile)
			continue;
		item = json_object();
		set(item, "group",
		    jconst(aa_name_of(group_names, AA_NAMES_N(group_names), (int)p->group, "unknown")));
		set(item, "state",
		    jconst(p->ok == AA_ITEM_OK        ? "ok"
		           : p->ok == AA_ITEM_MISSING ? "missing"
		                                      : "not checked"));
		set(item, "text", jstr(p->text));
		set(item, "fix", jstr(p->fix));
		add(items, item);
	}
	set(o, "name", jstr(r->profile_name));
	set(o, "items", items);
	return o;
}

static json_t *
report_json(const aa_report *r)
{
	aa_finding **sorted = aa_report_sorted(r);
	json_t *doc, *findings;
	const void *facts;
	char grade[2] = {r->grade, 0};
	size_t i;

	if (sorted == NULL)
		return NULL;
	build_failed = 0;
	doc = json_object();
	findings = json_array();
	for (i = 0; sorted[i] != NULL; i++)
		add(findings, finding_json(sorted[i]));
	free(sorted);
	set(doc, "schema", jconst("authaudit/1"));
	set(doc, "domain", jstr(r->domain));
	set(doc, "started", jtime(&r->started));
	set(doc, "finished", jtime(&r->finished));
	set(doc, "resolver", jstr(r->resolver));
	set(doc, "complete", json_boolean(r->complete));
	set(doc, "score", r->not_graded != NULL ? json_null() : json_integer(r->score));
	set(doc, "grade", r->not_graded != NULL ? json_null() : jstrn(grade, 1));
	set(doc, "deadline_hit", json_boolean(r->deadline_hit));
	set(doc, "budget_hit", json_boolean(r->budget_hit));
	if (r->not_graded != NULL)
		set(doc, "not_graded", jstr(r->not_graded));
	set(doc, "queries", json_integer((json_int_t)r->queries));
	set(doc, "findings", findings);
	set(doc, "dkim_selectors_probed", strings_json(r->selectors, r->nselectors));
	if ((facts = aa_report_facts(r, AA_AREA_MX)) != NULL)
		set(doc, "mx", mx_json(facts, r->tenant));
	if ((facts = aa_report_facts(r, AA_AREA_SPF)) != NULL)
		set(doc, "spf", spf_json(facts));
	if ((facts = aa_report_facts(r, AA_AREA_DKIM)) != NULL)
		set(doc, "dkim", dkim_json(facts));
	if ((facts = aa_report_facts(r, AA_AREA_DMARC)) != NULL)
		set(doc, "dmarc", dmarc_json(facts));
	if (r->profile_name != NULL)
		set(doc, "profile", profile_json(r));
	set(doc, "records", records_json(r));
	if (build_failed) { /* out of memory somewhere: no half document */
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* jansson's dump callback: called once per token, thousands of times a
 * report, so the common case (room left) is a bare copy. */
static int
to_buf(const char *text, size_t len, void *data)
{
	aa_buf *b = data;

	if (!b->oom && b->p != NULL && len < b->cap - b->len) {
		memcpy(b->p + b->len, text, len);
		b->len += len;
		b->p[b->len] = '\0';
		return 0;
	}
	aa_buf_add(b, text, len);
	return b->oom ? -1 : 0;
}

aa_status
aa_render_json_buf(const aa_report *r, int one_line, aa_buf *out)
{
	json_t *doc = report_json(r);
	int rc;

	if (doc == NULL)
		return AA_ENOMEM;
	/* straight into the caller's buffer: json_dumps() would grow a buffer
	 * of its own and then copy it, a few percent of a batch's CPU */
	rc = json_dump_callback(doc, to_buf, out, one_line ? JSON_COMPACT : JSON_INDENT(2));
	json_decref(doc);
	aa_buf_add(out, "\n", 1);
	return rc != 0 || out->oom ? AA_ENOMEM : AA_OK;
}

aa_status
aa_render_json(const aa_report *r, int one_line, FILE *out)
{
	/* a report is text from DNS answers the wire parser bounded; no cap
	 * of aa_buf's own (that is for single values) */
	aa_buf b = {.max = SIZE_MAX / 2};
	aa_status st;

	/* one write per document: json_dumpf() writes token by token, and
	 * each of those small locked writes cost more than building the text */
	if ((st = aa_render_json_buf(r, one_line, &b)) == AA_OK &&
	    (fwrite(b.p, 1, b.len, out) != b.len || ferror(out)))
		st = AA_EIO;
	aa_buf_free(&b);
	return st;
}
