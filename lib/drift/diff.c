/*
 * diff.c — a domain's snapshot from its report, and what changed since the
 * last one.
 *
 * The rule that keeps cron quiet: only an answer proves a change.  A record
 * is "removed" only when this run got NXDOMAIN or NODATA for it; a lookup
 * that failed (or was not asked) keeps the last known value, marked stale.
 * Findings and grade are compared only between complete runs: an
 * incomplete audit says "not verified" where a complete one would judge,
 * so its findings are no evidence of change.  A domain whose audits stay
 * incomplete is reported as "could not be verified" after stale_after runs
 * in a row, never as a removal.
 */
#include "drift/drift.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

char *
aa_drift_canon(const char *p, size_t len)
{
	aa_buf b = {0};
	size_t i;

	b.max = (size_t)1 << 22;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\\')
			aa_buf_puts(&b, "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			aa_buf_add(&b, (const char *)&c, 1);
		else
			aa_buf_printf(&b, "\\%03u", c);
	}
	if (b.p == NULL && !b.oom)
		return calloc(1, 1);
	return aa_buf_take(&b);
}

json_t *
aa_drift_time(time_t t)
{
	char buf[40];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

/* ---- this run's records ------------------------------------------------- */

typedef enum rec_state { REC_PRESENT, REC_ABSENT, REC_UNKNOWN } rec_state;

static rec_state
rrset_state(const aa_rrset *rs)
{
	switch (rs->outcome) {
	case AA_OUT_ANSWER:
		return REC_PRESENT;
	case AA_OUT_NODATA:
	case AA_OUT_NXDOMAIN:
		/* a CNAME whose target has nothing is itself a record (dangling) */
		return rs->nchain > 0 ? REC_PRESENT : REC_ABSENT;
	default:
		return REC_UNKNOWN;
	}
}

static json_t *
jcanon(const char *p, size_t len)
{
	char *c = aa_drift_canon(p, len);
	json_t *j = c != NULL ? json_string(c) : NULL;

	free(c);
	return j;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* {"name", "type", "cname_chain": [...], "records": [...]} with records in
 * canonical form, sorted: answers arrive in any order. */
static json_t *
rrset_json(const aa_rrset *rs)
{
	json_t *chain = json_array(), *recs = json_array();
	char **v = calloc(rs->nrr + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < rs->nchain; i++)
		json_array_append_new(chain, jcanon(rs->chain[i], strlen(rs->chain[i])));
	for (i = 0; v != NULL && i < rs->nrr; i++) {
		const aa_record *rec = &rs->rr[i];
		if (rs->type == AA_T_MX) {
			char *h = aa_drift_canon(rec->data, strlen(rec->data));
			v[i] = h != NULL ? aa_printf("%u %s", rec->pref, h) : NULL;
			free(h);
		} else if (rs->type == AA_T_TXT || rs->type == AA_T_SPF) {
			v[i] = aa_drift_canon(rec->data, rec->len);
		} else {
			v[i] = aa_drift_canon(rec->data, strlen(rec->data));
		}
	}
	if (v != NULL) {
		size_t n = 0;
		for (i = 0; i < rs->nrr; i++)
			if (v[i] != NULL)
				v[n++] = v[i];
		qsort(v, n, sizeof(*v), cmp_str);
		for (i = 0; i < n; i++) {
			json_array_append_new(recs, json_string(v[i]));
			free(v[i]);
		}
		free(v);
	}
	return json_pack("{s:o, s:s, s:o, s:o}", "name", jcanon(rs->name, strlen(rs->name)), "type",
	                 aa_rrtype_name(rs->type), "cname_chain", chain, "records", recs);
}

static char *
key_of(const char *name, const char *type)
{
	return aa_printf("%s %s", name, type);
}

static char *
entry_key(const json_t *e)
{
	return key_of(json_string_value(json_object_get(e, "name")),
	              json_string_value(json_object_get(e, "type")));
}

/* ---- words for people --------------------------------------------------- */

static int
has_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

/* "SPF record", "DMARC record", "DKIM key selector1", "MX", or "TYPE name". */
static char *
label_of(const char *name, const char *type, const char *domain)
{
	size_t nl = strlen(name), dl = strlen(domain);
	const char *dk = strstr(name, "._domainkey.");

	if (strcmp(name, domain) == 0 && strcmp(type, "MX") == 0)
		return aa_printf("MX of %s", domain);
	if (strcmp(name, domain) == 0 && strcmp(type, "TXT") == 0)
		return aa_printf("TXT of %s (SPF and verification records)", domain);
	if (nl == dl + 7 && strncmp(name, "_dmarc.", 7) == 0 && strcmp(type, "TXT") == 0)
		return aa_printf("DMARC record");
	if (dk != NULL && strcmp(dk + 12, domain) == 0)
		return aa_printf("DKIM key %.*s (%s)", (int)(dk - name), name, type);
	if (nl == dl + 9 && strncmp(name, "_mta-sts.", 9) == 0)
		return aa_printf("MTA-STS record");
	if (nl == dl + 11 && strncmp(name, "_smtp._tls.", 11) == 0)
		return aa_printf("TLS-RPT record");
	return aa_printf("%s %s", type, name);
}

/* The v=spf1 record among TXT values, or NULL. */
static const char *
spf_of(const json_t *recs)
{
	size_t i;
	json_t *v;

	for (i = 0; i < json_array_size(recs) && (v = json_array_get(recs, i)) != NULL; i++) {
		const char *s = json_string_value(v);
		if (s != NULL && has_prefix(s, "v=spf1") && (s[6] == ' ' || s[6] == '\0'))
			return s;
	}
	return NULL;
}

/* Terms of `a` that are not in `b`, space-separated, appended to buf. */
static void
terms_missing(aa_buf *buf, const char *a, const char *b, const char *verb)
{
	const char *p = a;
	int any = 0;

	while (*p) {
		size_t n;
		const char *q;
		int found = 0;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0)
			break;
		for (q = b; *q && !found;) {
			size_t m;
			while (*q == ' ')
				q++;
			m = strcspn(q, " ");
			found = m == n && strncasecmp(p, q, n) == 0;
			q += m;
		}
		if (!found) {
			aa_buf_printf(buf, "%s%s%.*s", buf->len > 0 && !any ? "; " : "", any ? " " : "",
			              (int)n, p);
			any = 1;
		}
		p += n;
	}
	if (any)
		aa_buf_printf(buf, " %s", verb);
}

/* The DMARC p= (or sp=) value of a record: 0 none, 1 quarantine, 2 reject,
 * -1 absent or unknown. */
static int
dmarc_policy(const char *rec, const char *tag, char *word, size_t wlen)
{
	const char *p = rec;
	size_t tl = strlen(tag);

	while (p != NULL && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncasecmp(p, tag, tl) == 0) {
			const char *v = p + tl;
			size_t n;
			while (*v == ' ')
				v++;
			n = strcspn(v, "; ");
			snprintf(word, wlen, "%.*s", (int)n, v);
			if (strcasecmp(word, "none") == 0)
				return 0;
			if (strcasecmp(word, "quarantine") == 0)
				return 1;
			if (strcasecmp(word, "reject") == 0)
				return 2;
			return -1;
		}
		p = strchr(p, ';');
	}
	return -1;
}

/* What a change of record means, in words (NULL when nothing particular),
 * and its weight for the Subject. */
static char *
record_note(const char *label, const json_t *before, const json_t *after, int *weight)
{
	const json_t *rb = json_object_get(before, "records"), *ra = json_object_get(after, "records");
	aa_buf b = {0};

	if (strncmp(label, "TXT of ", 7) == 0) {
		const char *sb = spf_of(rb), *sa = spf_of(ra);
		if (sb != NULL && sa != NULL && strcmp(sb, sa) != 0) {
			terms_missing(&b, sb, sa, "removed from SPF");
			terms_missing(&b, sa, sb, "added to SPF");
		} else if (sb != NULL && sa == NULL) {
			aa_buf_puts(&b, "SPF record removed");
			*weight = 70;
		} else if (sb == NULL && sa != NULL) {
			aa_buf_puts(&b, "SPF record published");
		}
	} else if (strcmp(label, "DMARC record") == 0 && json_array_size(rb) == 1 &&
	           json_array_size(ra) == 1) {
		char wb[32], wa[32];
		int pb = dmarc_policy(json_string_value(json_array_get(rb, 0)), "p=", wb, sizeof(wb));
		int pa = dmarc_policy(json_string_value(json_array_get(ra, 0)), "p=", wa, sizeof(wa));
		if (pb >= 0 && pa >= 0 && pa < pb) {
			aa_buf_printf(&b, "DMARC weakened (p=%s -> p=%s)", wb, wa);
			*weight = 80; /* the cause of the grade drop it brings */
		} else if (pb >= 0 && pa >= 0 && pa > pb) {
			aa_buf_printf(&b, "DMARC strengthened (p=%s -> p=%s)", wb, wa);
		}
	} else if (strncmp(label, "DKIM key ", 9) == 0) {
		if (json_array_size(json_object_get(after, "cname_chain")) > 0 && json_array_size(ra) == 0)
			aa_buf_puts(&b, "selector CNAME now dangling: its target has no key");
		else if (json_array_size(rb) > 0 && json_array_size(ra) > 0)
			aa_buf_puts(&b, "key rotated");
		if (json_array_size(ra) == 0)
			*weight = 70;
	}
	return b.len > 0 ? aa_buf_take(&b) : (aa_buf_free(&b), NULL);
}

/* ---- the comparison ------------------------------------------------------- */

struct cmp {
	const aa_report *r;
	json_t *records, *findings, *stale;
	int worst;
	char *worst_text;
	int changes;
};

static void
note_worst(struct cmp *c, int weight, char *text)
{
	if (text != NULL && weight > c->worst) {
		free(c->worst_text);
		c->worst_text = text;
		c->worst = weight;
	} else {
		free(text);
	}
}

static json_t *
value_of(const json_t *e)
{
	return json_pack("{s:O, s:O}", "cname_chain", json_object_get(e, "cname_chain"), "records",
	                 json_object_get(e, "records"));
}

static void
record_change(struct cmp *c, const char *change, const json_t *before, const json_t *after)
{
	const json_t *e = after != NULL ? after : before;
	const char *name = json_string_value(json_object_get(e, "name"));
	const char *type = json_string_value(json_object_get(e, "type"));
	char *label = label_of(name, type, c->r->domain), *note = NULL;
	int weight = strcmp(change, "removed") == 0 ? 65 : strcmp(change, "changed") == 0 ? 60 : 30;
	json_t *o;

	if (label == NULL)
		return;
	if (before != NULL && after != NULL)
		note = record_note(label, before, after, &weight);
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "change", change, "name", name, "type", type, "label",
	              label, "before", before ? value_of(before) : json_null(), "after",
	              after ? value_of(after) : json_null());
	if (o != NULL && note != NULL)
		json_object_set_new(o, "note", json_string(note));
	json_array_append_new(c->records, o);
	c->changes++;
	note_worst(c, weight,
	           note != NULL ? aa_printf("%s: %s", c->r->domain, note)
	                        : aa_printf("%s: %s %s", c->r->domain, label, change));
	free(note);
	free(label);
}

/* Whether a name above `name` answered NXDOMAIN this run: then nothing
 * exists below it (RFC 8020), which is why the audit did not ask `name`
 * (plan_dkim skips the selectors below a missing _domainkey). */
static int
below_nxdomain(const json_t *nx, const char *name)
{
	const char *p = name;

	while (p != NULL && (p = strchr(p, '.')) != NULL) {
		p++;
		if (json_object_get(nx, p) != NULL)
			return 1;
	}
	return 0;
}

/* This run's records and findings against the last snapshot's. */
static aa_status
compare_records(struct cmp *c, const json_t *prev, json_t *next_records, json_t *unknown, time_t now)
{
	const aa_report *r = c->r;
	json_t *cur = json_object(), *seen = json_object(), *nx = json_object(), *pe;
	size_t i;

	if (cur == NULL || seen == NULL || nx == NULL)
		goto oom;
	/* this run: present entries by key; absent and unknown noted */
	for (i = 0; i < aa_recordset_count(r->records); i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		char *key;
		rec_state s;
		if (!aa_name_at_or_below(rs->name, r->domain))
			continue; /* provider records (includes, MX hosts elsewhere) are theirs */
		s = rrset_state(rs);
		if ((key = key_of(rs->name, aa_rrtype_name(rs->type))) == NULL)
			goto oom;
		if (s == REC_PRESENT)
			json_object_set_new(cur, key, rrset_json(rs));
		else
			json_object_set_new(seen, key, json_integer(s));
		if (s == REC_ABSENT && rs->outcome == AA_OUT_NXDOMAIN)
			json_object_set_new(nx, rs->name, json_true());
		free(key);
	}
	/* the last snapshot's records: changed, removed (proven), or stale */
	for (i = 0; i < json_array_size(json_object_get(prev, "records")) &&
	            (pe = json_array_get(json_object_get(prev, "records"), i)) != NULL;
	     i++) {
		char *key = entry_key(pe);
		json_t *now_e = key ? json_object_get(cur, key) : NULL;
		json_t *st = key ? json_object_get(seen, key) : NULL;
		if (key == NULL)
			goto oom;
		if (now_e != NULL) {
			if (!json_equal(json_object_get(pe, "records"), json_object_get(now_e, "records")) ||
			    !json_equal(json_object_get(pe, "cname_chain"),
			                json_object_get(now_e, "cname_chain")))
				record_change(c, "changed", pe, now_e);
			json_array_append(next_records, now_e);
			json_object_del(cur, key);
		} else if ((st != NULL && json_integer_value(st) == REC_ABSENT) ||
		           (st == NULL &&
		            below_nxdomain(nx, json_string_value(json_object_get(pe, "name"))))) {
			record_change(c, "removed", pe, NULL);
		} else {
			/* failed or not asked: keep the last known value, stale */
			json_t *kept = json_deep_copy(pe);
			json_t *since = json_object_get(pe, "stale_since");
			if (kept == NULL)
				goto oom;
			if (!json_is_string(since))
				json_object_set_new(kept, "stale_since", aa_drift_time(now));
			json_array_append(next_records, kept);
			json_array_append_new(c->stale, json_pack("{s:O, s:O, s:O}", "name",
			                                          json_object_get(kept, "name"), "type",
			                                          json_object_get(kept, "type"), "since",
			                                          json_object_get(kept, "stale_since")));
			json_decref(kept);
		}
		free(key);
	}
	/* what is left of this run's records is new, unless its lookup had
	 * failed last time (then it was never known, so nothing changed) */
	{
		const char *key;
		json_t *e;
		json_t *was_unknown = json_object();
		for (i = 0; i < json_array_size(json_object_get(prev, "unknown")) &&
		            (pe = json_array_get(json_object_get(prev, "unknown"), i)) != NULL;
		     i++) {
			const char *k = json_string_value(pe);
			if (k != NULL)
				json_object_set_new(was_unknown, k, json_true());
		}
		json_object_foreach(cur, key, e)
		{
			if (prev != NULL && json_object_get(was_unknown, key) == NULL)
				record_change(c, "added", NULL, e);
			json_array_append(next_records, e);
		}
		json_decref(was_unknown);
		json_object_foreach(seen, key, e)
		{
			if (json_integer_value(e) == REC_UNKNOWN)
				json_array_append_new(unknown, json_string(key));
		}
	}
	json_decref(cur);
	json_decref(seen);
	json_decref(nx);
	return AA_OK;
oom:
	json_decref(cur);
	json_decref(seen);
	json_decref(nx);
	return AA_ENOMEM;
}

static json_t *
findings_json(const aa_report *r)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const aa_finding *f = r->findings[i];
		const char *subj = f->subject != NULL ? f->subject : "";
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "code", f->def->code, "severity",
		                                     aa_severity_name(f->severity), "subject",
		                                     jcanon(subj, strlen(subj))));
	}
	return arr;
}

static int
sev_rank(const char *s)
{
	aa_severity v;

	return s != NULL && aa_severity_parse(s, &v) == AA_OK ? (int)v : 0;
}

static void
finding_change(struct cmp *c, const char *change, const json_t *f, const char *before, const char *after)
{
	const char *code = json_string_value(json_object_get(f, "code"));
	int weight;
	char *text;

	json_array_append_new(c->findings, json_pack("{s:s, s:s, s:O, s:o, s:o}", "change", change, "code",
	                                             code, "subject", json_object_get(f, "subject"), "before",
	                                             before ? json_string(before) : json_null(), "after",
	                                             after ? json_string(after) : json_null()));
	c->changes++;
	if (strcmp(change, "new") == 0) {
		weight = 40 + 10 * sev_rank(after);
		text = aa_printf("%s: new %s finding %s", c->r->domain, after, code);
	} else if (strcmp(change, "resolved") == 0) {
		weight = 10;
		text = aa_printf("%s: %s resolved", c->r->domain, code);
	} else {
		int up = sev_rank(after) > sev_rank(before);
		weight = up ? 35 + 10 * sev_rank(after) : 8;
		text = aa_printf("%s: %s %s -> %s", c->r->domain, code, before, after);
	}
	note_worst(c, weight, text);
}

static void
compare_findings(struct cmp *c, const json_t *before, const json_t *after)
{
	size_t n = json_array_size(before), i, j;
	char *used = calloc(n + 1, 1);
	json_t *f;

	if (used == NULL)
		return;
	for (i = 0; i < json_array_size(after) && (f = json_array_get(after, i)) != NULL; i++) {
		const char *code = json_string_value(json_object_get(f, "code"));
		const char *subj = json_string_value(json_object_get(f, "subject"));
		const char *sev = json_string_value(json_object_get(f, "severity"));
		int found = 0;
		for (j = 0; j < n && !found; j++) {
			json_t *p = json_array_get(before, j);
			if (used[j] || strcmp(code, json_string_value(json_object_get(p, "code"))) != 0 ||
			    strcmp(subj, json_string_value(json_object_get(p, "subject"))) != 0)
				continue;
			used[j] = found = 1;
			const char *psev = json_string_value(json_object_get(p, "severity"));
			if (strcmp(psev, sev) != 0)
				finding_change(c, "severity", f, psev, sev);
		}
		if (!found)
			finding_change(c, "new", f, NULL, sev);
	}
	for (j = 0; j < n; j++)
		if (!used[j]) {
			json_t *p = json_array_get(before, j);
			finding_change(c, "resolved", p, json_string_value(json_object_get(p, "severity")),
			               NULL);
		}
	free(used);
}

/* Checks the parts of a snapshot the comparison reads (a snapshot edited
 * by hand or by another tool must not crash us). */
static int
snapshot_usable(const json_t *prev)
{
	size_t i;
	json_t *e, *v;
	size_t k;

	for (i = 0; i < json_array_size(json_object_get(prev, "records")) &&
	            (e = json_array_get(json_object_get(prev, "records"), i)) != NULL;
	     i++) {
		if (!json_is_string(json_object_get(e, "name")) ||
		    !json_is_string(json_object_get(e, "type")) ||
		    !json_is_array(json_object_get(e, "records")) ||
		    !json_is_array(json_object_get(e, "cname_chain")))
			return 0;
		for (k = 0; k < json_array_size(json_object_get(e, "records")) &&
		            (v = json_array_get(json_object_get(e, "records"), k)) != NULL;
		     k++)
			if (!json_is_string(v))
				return 0;
	}
	for (i = 0; i < json_array_size(json_object_get(prev, "findings")) &&
	            (e = json_array_get(json_object_get(prev, "findings"), i)) != NULL;
	     i++) {
		if (!json_is_string(json_object_get(e, "code")) ||
		    !json_is_string(json_object_get(e, "subject")) ||
		    !json_is_string(json_object_get(e, "severity")))
			return 0;
	}
	return 1;
}

static json_t *
watching(const json_t *records, const char *domain)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; i < json_array_size(records) && (e = json_array_get(records, i)) != NULL; i++) {
		char *label = label_of(json_string_value(json_object_get(e, "name")),
		                       json_string_value(json_object_get(e, "type")), domain);
		if (label != NULL)
			json_array_append_new(arr, json_string(label));
		free(label);
	}
	return arr;
}

aa_status
aa_drift_compare(const aa_report *r, const json_t *prev, int stale_after, json_t **next, json_t **entry,
                 aa_drift_kind *kind, int *worst, char **worst_text)
{
	struct cmp c;
	time_t now = r->finished.tv_sec;
	json_t *next_records, *unknown, *snap, *recs;
	char grade[2] = {r->grade, 0};
	int complete = r->complete && r->not_graded == NULL;
	json_int_t failed = prev ? json_integer_value(json_object_get(prev, "failed_runs")) : 0;
	int was_reported = prev != NULL && failed >= stale_after;
	aa_status st;

	*next = *entry = NULL;
	*kind = AA_DRIFT_NONE;
	*worst = 0;
	*worst_text = NULL;
	if (prev != NULL && !snapshot_usable(prev))
		return AA_EINVAL;
	next_records = json_array();
	unknown = json_array();
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.records = json_array();
	c.findings = json_array();
	c.stale = json_array();
	if ((st = compare_records(&c, prev, next_records, unknown, now)) != AA_OK)
		goto out;

	snap = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "schema", AA_STATE_SCHEMA, "domain", r->domain,
	                 "checked", aa_drift_time(now), "resolver",
	                 r->resolver ? json_string(r->resolver) : json_null(), "records", next_records,
	                 "unknown", unknown);
	recs = next_records;
	next_records = unknown = NULL; /* owned by snap (stolen even when json_pack fails) */
	if (snap == NULL) {
		st = AA_ENOMEM;
		goto out;
	}
	if (complete) {
		json_t *cur = findings_json(r);
		const json_t *pf = json_object_get(prev, "findings");
		const char *pg = json_string_value(json_object_get(prev, "grade"));
		if (json_is_array(pf))
			compare_findings(&c, pf, cur);
		if (pg != NULL && pg[0] != grade[0]) {
			c.changes++;
			note_worst(&c, pg[0] < grade[0] ? 75 : 12,
			           aa_printf("%s: grade %s -> %s", r->domain, pg, grade));
		}
		json_object_set_new(snap, "findings", cur);
		json_object_set_new(snap, "score", json_integer(r->score));
		json_object_set_new(snap, "grade", json_string(grade));
		json_object_set_new(snap, "verified", aa_drift_time(now));
		json_object_set_new(snap, "failed_runs", json_integer(0));
		json_object_set_new(snap, "failing_since", json_null());
		failed = 0;
	} else {
		/* the last complete run's judgement stands */
		static const char *const carried[] = {"findings", "score", "grade", "verified"};
		size_t k;
		for (k = 0; k < sizeof(carried) / sizeof(carried[0]); k++) {
			json_t *v = json_object_get(prev, carried[k]);
			json_object_set(snap, carried[k], v != NULL ? v : json_null());
		}
		failed++;
		json_object_set_new(snap, "failed_runs", json_integer(failed));
		json_object_set(snap, "failing_since",
		                json_is_string(json_object_get(prev, "failing_since"))
		                    ? json_object_get(prev, "failing_since")
		                    : json_object_get(snap, "checked"));
	}

	*entry = json_pack("{s:s, s:O, s:O, s:O}", "domain", r->domain, "this_run",
	                   json_object_get(snap, "checked"), "last_run",
	                   prev && json_object_get(prev, "checked") ? json_object_get(prev, "checked")
	                                                            : json_null(),
	                   "resolver", json_object_get(snap, "resolver"));
	if (*entry == NULL) {
		json_decref(snap);
		st = AA_ENOMEM;
		goto out;
	}
	{
		const char *pg = json_string_value(json_object_get(prev, "grade"));
		json_t *ps = json_object_get(prev, "score");
		if (complete && pg != NULL && pg[0] != grade[0])
			json_object_set_new(*entry, "grade",
			                    json_pack("{s:s, s:s}", "before", pg, "after", grade));
		if (complete && json_is_integer(ps))
			json_object_set_new(*entry, "score",
			                    json_pack("{s:O, s:i}", "before", ps, "after", r->score));
	}
	json_object_set(*entry, "records", c.records);
	json_object_set(*entry, "findings", c.findings);
	json_object_set(*entry, "stale", c.stale);
	json_object_set_new(*entry, "failed_runs", json_integer(failed));
	json_object_set(*entry, "failing_since", json_object_get(snap, "failing_since"));
	if (prev == NULL) {
		*kind = AA_DRIFT_BASELINE;
		json_object_set_new(*entry, "status", json_string("baseline"));
		json_object_set_new(*entry, "watching", watching(recs, r->domain));
		json_object_set_new(*entry, "grade", complete ? json_string(grade) : json_null());
		json_object_set_new(*entry, "complete", json_boolean(complete));
		json_object_del(*entry, "score");
		c.worst = 1;
		c.worst_text = aa_printf("%s: baseline", r->domain);
	} else if (c.changes > 0 || (was_reported && failed == 0)) {
		*kind = AA_DRIFT_CHANGED;
		json_object_set_new(*entry, "status", json_string("drifted"));
		if (was_reported && failed == 0) {
			json_object_set_new(*entry, "verified_again", json_true());
			note_worst(&c, 5, aa_printf("%s: verified again", r->domain));
		}
	} else if (failed >= stale_after) {
		*kind = AA_DRIFT_UNVERIFIED;
		json_object_set_new(*entry, "status", json_string("unverified"));
		note_worst(&c, 50, aa_printf("%s: could not be verified", r->domain));
	}
	if (*kind == AA_DRIFT_NONE) {
		json_decref(*entry);
		*entry = NULL;
	}
	*next = snap;
	*worst = c.worst;
	*worst_text = c.worst_text;
	c.worst_text = NULL;
	st = AA_OK;
out:
	json_decref(next_records);
	json_decref(unknown);
	json_decref(c.records);
	json_decref(c.findings);
	json_decref(c.stale);
	free(c.worst_text);
	return st;
}
