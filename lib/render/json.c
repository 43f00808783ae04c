/*
 * json.c — the report as JSON (schema "authaudit/1", documented in
 * authaudit-json(5)).  One document per report; NDJSON is the same
 * document on one line.
 *
 * jansson encodes every value (strings are checked as UTF-8 and escaped
 * by it, numbers and literals written by it); this file only writes them
 * in order, with the brackets, keys and separators between them, exactly
 * as jansson lays out a document (JSON_COMPACT, or JSON_INDENT(2)).  Why
 * not build a jansson document and dump it: every object is a hash table,
 * and dumping checks each container for loops with an snprintf("%p") and
 * a hash insert, then frees it all — 55% of a 10,000-domain batch's CPU.
 * Written in order, a report costs a fifth of that.
 */
#include "render/render.h"
#include "report/facts.h"
#include "util/names.h"
#include "util/util.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Containers nest at most this deep (the SPF tree is bounded by RFC
 * 7208's ten lookups; a report nests some six levels besides). */
#define JW_MAX_DEPTH 64

/* The writer: where the text goes, and where it is in the document. */
typedef struct jw {
	aa_buf *out;
	int indent;                        /* spaces per level; 0: one line */
	int depth;                         /* open containers */
	unsigned char empty[JW_MAX_DEPTH]; /* per open container: nothing in it yet */
	int failed;                        /* out of memory, or nested too deep */
} jw;

/* jansson's dump callback: called once per token, so the common case
 * (room left) is a bare copy. */
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

static void
put(jw *w, const char *s, size_t n)
{
	to_buf(s, n, w->out);
}

/* A new line and the indent of the current depth (nothing on one line). */
static void
newline(jw *w)
{
	static const char spaces[] = "                                ";
	size_t n;

	if (w->indent == 0)
		return;
	put(w, "\n", 1);
	for (n = (size_t)w->indent * (size_t)w->depth; n > 0;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(w, spaces, k);
		n -= k;
	}
}

/* Before a value (with key, a member of an object): the separator from
 * the one before, the line break, and the key. */
static void
member(jw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->empty[w->depth - 1])
			put(w, ",", 1);
		w->empty[w->depth - 1] = 0;
		newline(w);
	}
	if (key != NULL) {
		/* keys are this file's literals: plain ASCII, nothing to escape */
		put(w, "\"", 1);
		put(w, key, strlen(key));
		put(w, w->indent ? "\": " : "\":", w->indent ? 3 : 2);
	}
}

/* A value made by jansson, written by it and released (NULL: out of
 * memory). */
static void
value(jw *w, const char *key, json_t *v)
{
	member(w, key);
	if (v == NULL || json_dump_callback(v, to_buf, w->out, JSON_ENCODE_ANY | JSON_COMPACT) != 0)
		w->failed = 1;
	json_decref(v);
}

static void
open_c(jw *w, const char *key, const char *bracket)
{
	member(w, key);
	put(w, bracket, 1);
	if (w->depth == JW_MAX_DEPTH) {
		w->failed = 1;
		return;
	}
	w->empty[w->depth++] = 1;
}

static void
close_c(jw *w, const char *bracket)
{
	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	w->depth--;
	if (!w->empty[w->depth])
		newline(w);
	put(w, bracket, 1);
}

#define obj_open(w, key) open_c((w), (key), "{")
#define obj_close(w) close_c((w), "}")
#define arr_open(w, key) open_c((w), (key), "[")
#define arr_close(w) close_c((w), "]")

/* The length of the UTF-8 sequence a lead byte starts (RFC 3629 4), 0
 * for a byte that starts none. */
static size_t
utf8_seq_len(unsigned char c)
{
	return c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* DNS data is bytes; JSON strings are UTF-8.  Bytes that are not part of
 * a valid UTF-8 sequence are written as U+FFFD each, so the document
 * always parses and valid text around them is kept (jansson judges each
 * sequence). */
static json_t *
jstrn(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	aa_buf b = {.max = SIZE_MAX / 2};
	size_t i = 0;

	if (j != NULL)
		return j;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = utf8_seq_len(c);
		json_t *seq;
		if (c < 0x80) {
			aa_buf_add(&b, s + i, 1);
			i++;
		} else if (n > 0 && n <= len - i && (seq = json_stringn(s + i, n)) != NULL) {
			json_decref(seq);
			aa_buf_add(&b, s + i, n);
			i += n;
		} else {
			aa_buf_puts(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = b.oom ? NULL : json_stringn(b.p ? b.p : "", b.len);
	aa_buf_free(&b);
	return j;
}

/* Text from DNS (or built from it): checked. */
static void
str_n(jw *w, const char *key, const char *s, size_t len)
{
	value(w, key, jstrn(s, len));
}

static void
str(jw *w, const char *key, const char *s)
{
	value(w, key, s == NULL ? json_null() : jstrn(s, strlen(s)));
}

/*
 * Our own text in static storage (the finding catalogue, names of enums)
 * is the same in every report: jansson encodes each string once per
 * thread and the encoded form is kept, keyed by the string's address
 * (the catalogue's title, explanation and fix are a third of a report's
 * bytes; encoding them again for each report was a sixth of a batch's
 * CPU).  The table grows to the number of such strings, a few hundred.
 */
struct enc {
	const char *s; /* the string (static storage), NULL: a free slot */
	char *json;    /* its encoded form, with the quotes */
	size_t len;
};

struct enc_table {
	struct enc *slot;
	size_t n, cap; /* cap: a power of two, or 0 */
};

static pthread_key_t enc_key;
static int enc_key_ok;
static pthread_once_t enc_once = PTHREAD_ONCE_INIT;

static void
enc_table_free(void *p)
{
	struct enc_table *t = p;
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i].json);
	free(t->slot);
	free(t);
}

static void
enc_key_make(void)
{
	enc_key_ok = pthread_key_create(&enc_key, enc_table_free) == 0;
}

static struct enc_table *
enc_table(void)
{
	struct enc_table *t;

	(void)pthread_once(&enc_once, enc_key_make);
	if (!enc_key_ok)
		return NULL;
	if ((t = pthread_getspecific(enc_key)) == NULL && (t = calloc(1, sizeof(*t))) != NULL &&
	    pthread_setspecific(enc_key, t) != 0) {
		free(t);
		t = NULL;
	}
	return t;
}

static size_t
enc_home(const struct enc_table *t, const char *s)
{
	return (size_t)(((uintptr_t)s >> 3) * 0x9e3779b97f4a7c15ULL) & (t->cap - 1);
}

/* The slot of s (its entry, or the free slot where it goes). */
static struct enc *
enc_find(const struct enc_table *t, const char *s)
{
	size_t i = enc_home(t, s);

	while (t->slot[i].s != NULL && t->slot[i].s != s)
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static int
enc_grow(struct enc_table *t)
{
	struct enc *old = t->slot;
	size_t oldcap = t->cap, i, cap = oldcap ? oldcap * 2 : 256;

	if ((t->slot = calloc(cap, sizeof(*t->slot))) == NULL) {
		t->slot = old;
		return -1;
	}
	t->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].s != NULL)
			*enc_find(t, old[i].s) = old[i];
	free(old);
	return 0;
}

/* Writes static text s, from the table when encoded before. */
static void
cstr(jw *w, const char *key, const char *s)
{
	struct enc_table *t;
	struct enc *e;
	aa_buf b = {.max = SIZE_MAX / 2};

	if (s == NULL || (t = enc_table()) == NULL || ((t->n + 1) * 2 > t->cap && enc_grow(t) != 0)) {
		value(w, key, s == NULL ? json_null() : json_string_nocheck(s));
		return;
	}
	e = enc_find(t, s);
	if (e->s == NULL) {
		json_t *v = json_string_nocheck(s);
		if (v == NULL || json_dump_callback(v, to_buf, &b, JSON_ENCODE_ANY | JSON_COMPACT) != 0 ||
		    b.oom) {
			json_decref(v);
			aa_buf_free(&b);
			w->failed = 1;
			return;
		}
		json_decref(v);
		e->s = s;
		e->len = b.len;
		e->json = aa_buf_take(&b);
		t->n++;
	}
	member(w, key);
	put(w, e->json, e->len);
}

static void
num(jw *w, const char *key, json_int_t n)
{
	value(w, key, json_integer(n));
}

static void
boolean(jw *w, const char *key, int b)
{
	value(w, key, json_boolean(b));
}

static void
null(jw *w, const char *key)
{
	value(w, key, json_null());
}

static void
time_value(jw *w, const char *key, const struct timespec *ts)
{
	char buf[40];
	struct tm tm;

	if (gmtime_r(&ts->tv_sec, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		null(w, key);
	else /* not cstr(): buf is gone after this call */
		value(w, key, json_string_nocheck(buf));
}

/* One character ('~', 'y', ...) as a string, or null for none. */
static void
char_or_null(jw *w, const char *key, char c)
{
	if (c == 0)
		null(w, key);
	else
		str_n(w, key, &c, 1);
}

static void
strings(jw *w, const char *key, char *const *v, size_t n)
{
	size_t i;

	arr_open(w, key);
	for (i = 0; i < n; i++)
		str(w, NULL, v[i]);
	arr_close(w);
}

static void
record(jw *w, const aa_rrset *rs, const aa_record *rec)
{
	switch (rs->type) {
	case AA_T_MX:
		obj_open(w, NULL);
		num(w, "preference", rec->pref);
		str(w, "host", rec->data);
		obj_close(w);
		break;
	case AA_T_TXT:
	case AA_T_SPF:
		str_n(w, NULL, rec->data, rec->len);
		break;
	default:
		str(w, NULL, rec->data);
	}
}

static void
records(jw *w, const aa_report *r)
{
	size_t i, j;

	arr_open(w, "records");
	for (i = 0; i < aa_recordset_count(r->records); i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		obj_open(w, NULL);
		str(w, "name", rs->name);
		cstr(w, "type", aa_rrtype_name(rs->type));
		cstr(w, "outcome", aa_outcome_name(rs->outcome));
		num(w, "ttl", (json_int_t)(int)rs->ttl);
		strings(w, "cname_chain", rs->chain, rs->nchain);
		arr_open(w, "records");
		for (j = 0; j < rs->nrr; j++)
			record(w, rs, &rs->rr[j]);
		arr_close(w);
		obj_close(w);
	}
	arr_close(w);
}

static void
refs(jw *w, const char *key, const char *list)
{
	const char *p = list;

	arr_open(w, key);
	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ";");
		const char *s = p, *e = p + n;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s)
			str_n(w, NULL, s, (size_t)(e - s));
		p += n;
		if (*p == ';')
			p++;
	}
	arr_close(w);
}

static void
finding(jw *w, const aa_finding *f)
{
	const aa_finding_def *d = f->def;

	obj_open(w, NULL);
	cstr(w, "code", d->code);
	cstr(w, "severity", aa_severity_name(f->severity));
	cstr(w, "area", aa_area_name(d->area));
	cstr(w, "title", d->title);
	str(w, "subject", f->subject);
	strings(w, "evidence", f->evidence, f->nevidence);
	cstr(w, "explanation", d->why);
	/* a fix of the finding's own is built from DNS data: checked */
	if (f->fix != NULL)
		str(w, "fix", f->fix);
	else
		cstr(w, "fix", d->fix);
	refs(w, "refs", d->refs);
	num(w, "cost", f->cost);
	if (f->detail != NULL)
		str(w, "detail", f->detail);
	obj_close(w);
}

static void
spf_node(jw *w, const char *key, const aa_spf_node *n)
{
	size_t i;

	obj_open(w, key);
	str(w, "name", n->name);
	str(w, "term", n->term);
	str(w, "record", n->record);
	cstr(w, "state", aa_spf_state_token(n->state));
	num(w, "lookups", (json_int_t)(int)n->own);
	num(w, "cost", (json_int_t)(int)n->cost);
	num(w, "voids", (json_int_t)(int)n->voids);
	char_or_null(w, "all", n->all);
	arr_open(w, "issues");
	for (i = 0; i < n->nissues; i++) {
		obj_open(w, NULL);
		str(w, "term", n->issues[i].term);
		str(w, "detail", n->issues[i].detail);
		obj_close(w);
	}
	arr_close(w);
	arr_open(w, "includes");
	for (i = 0; i < n->nkids; i++)
		spf_node(w, NULL, n->kids[i]);
	arr_close(w);
	if (n->state_detail != NULL)
		str(w, "state_detail", n->state_detail);
	obj_close(w);
}

static void
spf(jw *w, const aa_spf_facts *f)
{
	size_t i;

	obj_open(w, "spf");
	boolean(w, "published", f->has_record);
	cstr(w, "result", aa_spf_class_name(f->result));
	char_or_null(w, "all", f->all);
	num(w, "lookups", (json_int_t)(int)f->lookups);
	num(w, "lookups_not_expanded", (json_int_t)(int)f->unexpanded);
	num(w, "voids", (json_int_t)(int)f->voids);
	if (f->tree != NULL)
		spf_node(w, "tree", f->tree);
	else
		null(w, "tree");
	arr_open(w, "ip_results");
	for (i = 0; i < f->nips; i++) {
		obj_open(w, NULL);
		str(w, "ip", f->ips[i].ip);
		str(w, "result", f->ips[i].result);
		str(w, "term", f->ips[i].term);
		str(w, "comment", f->ips[i].comment);
		obj_close(w);
	}
	arr_close(w);
	obj_close(w);
}

static void
dkim(jw *w, const aa_dkim_facts *f)
{
	size_t i;

	obj_open(w, "dkim");
	num(w, "usable_keys", (json_int_t)(int)f->usable);
	arr_open(w, "keys");
	for (i = 0; i < f->nkeys; i++) {
		const aa_dkim_key *k = &f->keys[i];
		if (k->outcome == AA_DKIM_ABSENT)
			continue; /* the probed list says where nothing was found */
		obj_open(w, NULL);
		str(w, "selector", k->selector);
		str(w, "cname", k->cname);
		cstr(w, "outcome", aa_dkim_outcome_name(k->outcome));
		cstr(w, "algorithm", aa_dkim_alg_name(k->alg));
		num(w, "bits", (json_int_t)(int)k->bits);
		arr_open(w, "flags");
		if (k->flags & AA_DKIM_F_TESTING)
			cstr(w, NULL, "testing");
		if (k->flags & AA_DKIM_F_STRICT)
			cstr(w, NULL, "strict");
		if (k->flags & AA_DKIM_F_SHA1_ONLY)
			cstr(w, NULL, "sha1-only");
		arr_close(w);
		boolean(w, "usable", (k->flags & AA_DKIM_F_USABLE) != 0);
		str(w, "record", k->record);
		str(w, "error", k->error);
		obj_close(w);
	}
	arr_close(w);
	obj_close(w);
}

static void
mx(jw *w, const aa_mx_facts *f, const aa_tenant_facts *t)
{
	size_t i;

	obj_open(w, "mx");
	arr_open(w, "hosts");
	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		obj_open(w, NULL);
		str(w, "host", h->name);
		num(w, "preference", h->pref);
		boolean(w, "null", h->is_null);
		str(w, "cname", h->cname);
		strings(w, "addresses", h->addrs, h->naddrs);
		strings(w, "unreachable", h->private_addrs, h->nprivate);
		if (h->provider != NULL)
			str(w, "provider", h->provider->name);
		else
			null(w, "provider");
		obj_close(w);
	}
	arr_close(w);
	boolean(w, "eop_mx", f->eop_mx);
	boolean(w, "eop_primary", f->eop_primary);
	arr_open(w, "m365_evidence");
	for (i = 0; t != NULL && i < t->nm365; i++) {
		obj_open(w, NULL);
		cstr(w, "kind", aa_m365_kind_name(t->m365[i].kind));
		str(w, "evidence", t->m365[i].text);
		obj_close(w);
	}
	arr_close(w);
	obj_close(w);
}

/* The DMARC discovery: the record that applies, the organizational domain
 * by the DNS tree walk (RFC 9989 4.10) and by the public suffix list, and
 * the walk's lookups. */
static void
dmarc(jw *w, const aa_dmarc_facts *f)
{
	size_t i;

	obj_open(w, "dmarc");
	cstr(w, "state", aa_dmarc_state_name(f->state));
	str(w, "policy_domain", f->policy_domain);
	str(w, "record", f->record);
	boolean(w, "psd_policy", f->psd_policy);
	str(w, "org_domain", f->org_domain);
	cstr(w, "org_domain_rule", aa_dmarc_org_rule_name(f->org_rule));
	str(w, "org_domain_psl", f->psl_org_domain);
	arr_open(w, "tree_walk");
	for (i = 0; i < f->nwalk; i++) {
		obj_open(w, NULL);
		str(w, "name", f->walk[i].name);
		cstr(w, "outcome", aa_outcome_name(f->walk[i].outcome));
		num(w, "records", (json_int_t)(int)f->walk[i].nrecords);
		char_or_null(w, "psd", f->walk[i].psd);
		obj_close(w);
	}
	arr_close(w);
	obj_close(w);
}

static const aa_name_entry group_names[] = {
    {AA_GROUP_MX, "mx"},       {AA_GROUP_SPF, "spf"},   {AA_GROUP_DKIM, "dkim"},
    {AA_GROUP_DMARC, "dmarc"}, {AA_GROUP_M365, "m365"}, {AA_GROUP_TRANSPORT, "transport"},
    {AA_GROUP_DNS, "dns"},
};

/* The --profile's expected records: {"name", "items": [{group, state,
 * text, fix}]}; state "ok", "missing" or "not checked". */
static void
profile(jw *w, const aa_report *r)
{
	size_t i;

	obj_open(w, "profile");
	str(w, "name", r->profile_name);
	arr_open(w, "items");
	for (i = 0; i < r->nprofile; i++) {
		const aa_profile_item *p = &r->profile[i];
		if (!p->from_profile)
			continue;
		obj_open(w, NULL);
		cstr(w, "group", aa_name_of(group_names, AA_NAMES_N(group_names), (int)p->group, "unknown"));
		cstr(w, "state",
		     p->ok == AA_ITEM_OK        ? "ok"
		     : p->ok == AA_ITEM_MISSING ? "missing"
		                                : "not checked");
		str(w, "text", p->text);
		str(w, "fix", p->fix);
		obj_close(w);
	}
	arr_close(w);
	obj_close(w);
}

static aa_status
report(jw *w, const aa_report *r)
{
	aa_finding **sorted = aa_report_sorted(r);
	const void *facts;
	char grade[2] = {r->grade, 0};
	size_t i;

	if (sorted == NULL)
		return AA_ENOMEM;
	obj_open(w, NULL);
	cstr(w, "schema", "authaudit/1");
	str(w, "domain", r->domain);
	time_value(w, "started", &r->started);
	time_value(w, "finished", &r->finished);
	str(w, "resolver", r->resolver);
	boolean(w, "complete", r->complete);
	if (r->not_graded != NULL) {
		null(w, "score");
		null(w, "grade");
	} else {
		num(w, "score", r->score);
		str(w, "grade", grade);
	}
	boolean(w, "deadline_hit", r->deadline_hit);
	boolean(w, "budget_hit", r->budget_hit);
	if (r->not_graded != NULL)
		str(w, "not_graded", r->not_graded);
	num(w, "queries", (json_int_t)r->queries);
	arr_open(w, "findings");
	for (i = 0; sorted[i] != NULL; i++)
		finding(w, sorted[i]);
	arr_close(w);
	free(sorted);
	strings(w, "dkim_selectors_probed", r->selectors, r->nselectors);
	if ((facts = aa_report_facts(r, AA_AREA_MX)) != NULL)
		mx(w, facts, r->tenant);
	if ((facts = aa_report_facts(r, AA_AREA_SPF)) != NULL)
		spf(w, facts);
	if ((facts = aa_report_facts(r, AA_AREA_DKIM)) != NULL)
		dkim(w, facts);
	if ((facts = aa_report_facts(r, AA_AREA_DMARC)) != NULL)
		dmarc(w, facts);
	if (r->profile_name != NULL)
		profile(w, r);
	records(w, r);
	obj_close(w);
	return w->failed || w->depth != 0 || w->out->oom ? AA_ENOMEM : AA_OK;
}

aa_status
aa_render_json_buf(const aa_report *r, int one_line, aa_buf *out)
{
	jw w;
	size_t start = out->len;
	aa_status st;

	memset(&w, 0, sizeof(w));
	w.out = out;
	w.indent = one_line ? 0 : 2;
	st = report(&w, r);
	put(&w, "\n", 1);
	if (st == AA_OK && out->oom)
		st = AA_ENOMEM;
	if (st != AA_OK && !out->oom && out->p != NULL) {
		out->len = start; /* no half document */
		out->p[start] = '\0';
	}
	return st;
}

aa_status
aa_render_json(const aa_report *r, int one_line, FILE *out)
{
	/* a report is text from DNS answers the wire parser bounded; no cap
	 * of aa_buf's own (that is for single values) */
	aa_buf b = {.max = SIZE_MAX / 2};
	aa_status st;

	/* one write per document: many small writes cost more than
	 * building the text */
	if ((st = aa_render_json_buf(r, one_line, &b)) == AA_OK &&
	    (fwrite(b.p, 1, b.len, out) != b.len || ferror(out)))
		st = AA_EIO;
	aa_buf_free(&b);
	return st;
}
