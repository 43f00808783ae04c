/*
 * dmarc.c — DMARC: discovery of the applicable record (the domain,
 * else its organizational domain via the public suffix list), tag-by-tag
 * validation (libopendmarc as the receiver's judge plus util/taglist.h
 * for what it lets through), external report authorisation, and whether an
 * enforcing policy can be met at all (DKIM and SPF facts).
 */
#include "check/check.h"
#include "check/dmarc_read.h"
#include "check/dmarc_walk.h"
#include "records/hostname.h"
#include "records/orgdomain.h"
#include "report/facts.h"
#include "util/taglist.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <opendmarc/dmarc.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef AA_PSL_FILE
#define AA_PSL_FILE "/usr/share/publicsuffix/public_suffix_list.dat"
#endif

/* ---- tokenising: util/taglist.h reads the tag list ----------------------- */

static int
is_ws(char c)
{
	return aa_tag_is_fws(c);
}

static int
value_is(const aa_tag *t, const char *v)
{
	return aa_tag_value_is(t, v);
}

/* A tag DMARC reads: tag=value with a valid name (duplicates included). */
static int
well_formed(const aa_tag *t)
{
	return !(t->problems & (AA_TAG_EMPTY | AA_TAG_NO_EQUALS | AA_TAG_BAD_NAME));
}

/* Is t's value exactly DMARC1?  RFC 7489 6.4 (and RFC 9989): the value
 * "MUST match precisely", in its ABNF %x44 %x4d %x41 %x52 %x43 %x31, so
 * "v=dmarc1" is not a DMARC record (the tag name v itself is
 * case-insensitive).  libopendmarc 1.4.2 compares without case; the RFC
 * wins. */
static int
version_exact(const aa_tag *t)
{
	return t->value != NULL && t->vlen == 6 && memcmp(t->value, "DMARC1", 6) == 0;
}

/* Does the record begin with v=DMARC1 in another case ("v=dmarc1")? */
static int
version_lookalike(const char *rec, size_t len)
{
	aa_taglist tl;
	size_t i;
	int look = 0;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return 0;
	for (i = 0; i < tl.n; i++) {
		const aa_tag *t = &tl.tags[i];
		if (t->problems & AA_TAG_EMPTY)
			continue;
		look = well_formed(t) && aa_tag_name_is(t, "v") && value_is(t, "DMARC1") && !version_exact(t);
		break;
	}
	aa_taglist_free(&tl);
	return look;
}

/* Is some well-formed tag of tl v=DMARC1?  first: only the first piece. */
static int
has_version(const char *rec, size_t len, int first)
{
	aa_taglist tl;
	size_t i;
	int ok = 0;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return 0;
	for (i = 0; i < tl.n && !ok; i++) {
		const aa_tag *t = &tl.tags[i];
		if (t->problems & AA_TAG_EMPTY)
			continue;
		if (well_formed(t) && aa_tag_name_is(t, "v") && version_exact(t))
			ok = 1;
		if (first)
			break;
	}
	aa_taglist_free(&tl);
	return ok;
}

/* Does the record begin with v=DMARC1 (RFC 7489 6.4)? */
static int
starts_with_version(const char *rec, size_t len)
{
	return has_version(rec, len, 1);
}

/* Does some tag say v=DMARC1 (a DMARC record, maybe malformed)? */
static int
mentions_version(const char *rec, size_t len)
{
	return has_version(rec, len, 0);
}

/* The records of an answer that begin with v=DMARC1; the first in *first. */
static size_t
count_records(const aa_rrset *rs, const aa_record **first)
{
	size_t i, n = 0;

	if (first != NULL)
		*first = NULL;
	for (i = 0; rs != NULL && rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++)
		if (starts_with_version(rs->rr[i].data, rs->rr[i].len)) {
			if (n++ == 0 && first != NULL)
				*first = &rs->rr[i];
		}
	return n;
}

static int
host_ok(const char *h, size_t n)
{
	return aa_host_check(h, n, AA_HOST_REPORT_DEST) == AA_HOST_OK;
}

/*
 * Validates one rua/ruf URI (RFC 7489 6.2: mailto:addr[!size[kmgt]]) and
 * returns its destination domain (caller frees), or NULL if invalid.
 */
static char *
mailto_domain(const char *u, size_t n)
{
	const char *at, *end = u + n, *bang;
	size_t i;

	while (n > 0 && is_ws(*u))
		u++, n--;
	end = u + n;
	while (end > u && is_ws(end[-1]))
		end--;
	if ((size_t)(end - u) < 8 || strncasecmp(u, "mailto:", 7) != 0)
		return NULL;
	u += 7;
	bang = memchr(u, '!', (size_t)(end - u));
	if (bang != NULL) {
		const char *s = bang + 1;
		if (s == end)
			return NULL;
		for (i = 0; s + i < end && isdigit((unsigned char)s[i]); i++)
			;
		if (i == 0 || (s + i < end && (s + i + 1 != end || strchr("kmgtKMGT", s[i]) == NULL)))
			return NULL;
		end = bang;
	}
	at = memrchr(u, '@', (size_t)(end - u));
	if (at == NULL || at == u)
		return NULL;
	for (i = 0; u + i < at; i++)
		if (is_ws(u[i]) || u[i] == ',' || u[i] == ';')
			return NULL;
	if (!host_ok(at + 1, (size_t)(end - at - 1)))
		return NULL;
	return aa_strndup_lower(at + 1, (size_t)(end - at - 1));
}

/* Calls fn for each comma-separated URI of rua= and ruf=. */
typedef void (*uri_fn)(const char *tagname, const char *uri, size_t len, void *arg);

static void
each_uri(const char *rec, size_t len, uri_fn fn, void *arg)
{
	aa_taglist tl;
	size_t i;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return;
	for (i = 0; i < tl.n; i++) {
		const aa_tag *t = &tl.tags[i];
		const char *tagname, *uri;
		aa_tag_items it;
		size_t n;
		if (!well_formed(t))
			continue;
		if (aa_tag_name_is(t, "rua"))
			tagname = "rua";
		else if (aa_tag_name_is(t, "ruf"))
			tagname = "ruf";
		else
			continue;
		aa_tag_items_init(&it, t->value, t->vlen, ',');
		while (aa_tag_items_next(&it, &uri, &n, NULL))
			fn(tagname, uri, n, arg);
	}
	aa_taglist_free(&tl);
}

/* "_dmarc.example.com" -> "example.com" */
static const char *
policy_domain_of(const aa_rrset *rs)
{
	return strncasecmp(rs->name, "_dmarc.", 7) == 0 ? rs->name + 7 : rs->name;
}

/* Is `dest` in another organizational domain than `domain`? */
static int
other_org(const char *domain, const char *dest)
{
	char *a = aa_org_domain(domain), *b = aa_org_domain(dest);
	int other = a == NULL || b == NULL || strcasecmp(a, b) != 0;

	free(a);
	free(b);
	return other;
}

static char *
auth_name(const char *domain, const char *dest)
{
	return aa_printf("%s._report._dmarc.%s", domain, dest);
}

/* ---- what the plan reads ------------------------------------------------ */

size_t
aa_dmarc_records(const aa_rrset *rs, const aa_record **first)
{
	return count_records(rs, first);
}

struct auth_names {
	const char *domain;
	aa_dmarc_name_fn fn;
	void *arg;
};

static void
auth_name_of(const char *tagname, const char *uri, size_t len, void *arg)
{
	struct auth_names *an = arg;
	char *dest = mailto_domain(uri, len), *name;

	(void)tagname;
	if (dest != NULL && other_org(an->domain, dest) && (name = auth_name(an->domain, dest)) != NULL) {
		an->fn(name, an->arg);
		free(name);
	}
	free(dest);
}

void
aa_dmarc_authorisation_names(const aa_rrset *rs, aa_dmarc_name_fn fn, void *arg)
{
	const aa_record *rec;
	struct auth_names an = {policy_domain_of(rs), fn, arg};

	if (count_records(rs, &rec) == 1)
		each_uri(rec->data, rec->len, auth_name_of, &an);
}

/* ---- derive: the facts --------------------------------------------------- */

static aa_dmarc_policy
parse_policy(const aa_tag *t)
{
	return aa_dmarc_policy_parse(t->value, t->vlen);
}

static int
all_digits(const char *s, size_t n, unsigned long *out)
{
	size_t i;
	unsigned long v = 0;

	if (n == 0 || n > 9)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 1;
}

/* Every item of a colon-separated list is one of `allowed`. */
static int
list_within(const char *v, size_t n, const char *const *allowed)
{
	aa_tag_items it;
	const char *s;
	size_t len, i;

	if (n == 0)
		return 0;
	aa_tag_items_init(&it, v, n, ':');
	while (aa_tag_items_next(&it, &s, &len, NULL)) {
		int ok = 0;
		for (i = 0; allowed[i] != NULL; i++)
			if (len == strlen(allowed[i]) && strncasecmp(s, allowed[i], len) == 0)
				ok = 1;
		if (!ok)
			return 0;
	}
	return 1;
}

/* The policy a record's tags say.  Read into this, not into the facts, so
 * that a record receivers ignore (it only mentions v=DMARC1) never leaks
 * p=, sp= or np= into the policy that applies. */
struct policy_tags {
	aa_dmarc_policy p, sp, np;
	unsigned pct;
	char adkim, aspf;
	int testing;
	char psd;
};

/* The derive step's state: the facts being built, and the syntax entry the
 * record being read adds its problems to. */
struct derive_ctx {
	const aa_check_in *in;
	aa_dmarc_facts *f;
	int has_syntax; /* f->syntax[cur] is open */
	size_t cur;
	const char *where; /* _dmarc.X of the record being read */
	int oom;
};

/* The syntax entry of the record being read, opened on its first problem. */
static aa_dmarc_syntax *
open_syntax(struct derive_ctx *c)
{
	aa_dmarc_syntax *v, *e;

	if (c->has_syntax)
		return &c->f->syntax[c->cur];
	if ((v = realloc(c->f->syntax, (c->f->nsyntax + 1) * sizeof(*v))) == NULL)
		return NULL;
	c->f->syntax = v;
	e = &v[c->f->nsyntax];
	memset(e, 0, sizeof(*e));
	c->cur = c->f->nsyntax++;
	c->has_syntax = 1;
	if ((e->where = strdup(c->where)) == NULL || (e->record = strdup(c->f->record)) == NULL)
		return NULL;
	return e;
}

static void syntax_problem(struct derive_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
syntax_problem(struct derive_ctx *c, const char *fmt, ...)
{
	aa_dmarc_syntax *e = open_syntax(c);
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (e == NULL || aa_strv_take(&e->problems, &e->nproblems, msg) != AA_OK)
		c->oom = 1;
}

/* Validates every tag (RFC 7489 6.3; RFC 9989 np=, t=, psd=) into *pt. */
static void
validate_tags(struct derive_ctx *c, const char *rec, size_t len, struct policy_tags *pt)
{
	static const char *const fo_ok[] = {"0", "1", "d", "s", NULL};
	static const char *const rf_ok[] = {"afrf", "iodef", NULL};
	aa_taglist tl;
	size_t i;
	unsigned long v;
	int seen_p = 0;

	memset(pt, 0, sizeof(*pt));
	pt->pct = 100;
	pt->adkim = pt->aspf = 'r';
	if (aa_taglist_parse(rec, len, &tl) != AA_OK) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < tl.n; i++) {
		const aa_tag *g = &tl.tags[i];
		if (g->problems & AA_TAG_EMPTY)
			continue; /* receivers skip an empty tag-spec */
		if (!well_formed(g)) {
			syntax_problem(c, "\"%.*s\" is not a tag=value pair", (int)g->rawlen, g->raw);
			continue;
		}
		if (g->problems & AA_TAG_DUPLICATE) {
			char *name = aa_strndup_lower(g->name, g->nlen);
			syntax_problem(c, "tag %s appears twice", name != NULL ? name : "?");
			free(name);
			continue;
		}
		if (aa_tag_name_is(g, "v")) {
			if (g->pos != 0)
				syntax_problem(c,
				               "%.*s: v=DMARC1 must be the first tag (RFC 7489 6.3); "
				               "receivers ignore this record",
				               (int)g->rawlen, g->raw);
			else if (!version_exact(g))
				syntax_problem(c, "%.*s: the version must be DMARC1", (int)g->rawlen, g->raw);
		} else if (aa_tag_name_is(g, "p") || aa_tag_name_is(g, "sp") || aa_tag_name_is(g, "np")) {
			aa_dmarc_policy p = parse_policy(g);
			if (p == AA_DMARC_P_UNSET)
				syntax_problem(c, "%.*s: must be none, quarantine or reject", (int)g->rawlen,
				               g->raw);
			if (aa_tag_name_is(g, "p"))
				pt->p = p, seen_p = 1;
			else if (aa_tag_name_is(g, "sp"))
				pt->sp = p;
			else
				pt->np = p;
		} else if (aa_tag_name_is(g, "pct")) {
			if (!all_digits(g->value, g->vlen, &v) || v > 100)
				syntax_problem(c, "%.*s: must be an integer 0-100", (int)g->rawlen, g->raw);
			else
				pt->pct = (unsigned)v;
		} else if (aa_tag_name_is(g, "adkim") || aa_tag_name_is(g, "aspf")) {
			if (!value_is(g, "r") && !value_is(g, "s"))
				syntax_problem(c, "%.*s: must be r (relaxed) or s (strict)", (int)g->rawlen,
				               g->raw);
			else if (aa_tag_name_is(g, "adkim"))
				pt->adkim = (char)tolower((unsigned char)g->value[0]);
			else
				pt->aspf = (char)tolower((unsigned char)g->value[0]);
		} else if (aa_tag_name_is(g, "fo")) {
			if (!list_within(g->value, g->vlen, fo_ok))
				syntax_problem(c, "%.*s: must be a colon list of 0, 1, d, s", (int)g->rawlen,
				               g->raw);
		} else if (aa_tag_name_is(g, "rf")) {
			if (!list_within(g->value, g->vlen, rf_ok))
				syntax_problem(c, "%.*s: must be afrf", (int)g->rawlen, g->raw);
		} else if (aa_tag_name_is(g, "t")) {
			/* RFC 9989: t=y asks receivers to apply the policy one level
			 * lower (test mode); t=n is the default */
			if (!value_is(g, "y") && !value_is(g, "n"))
				syntax_problem(c, "%.*s: must be y or n", (int)g->rawlen, g->raw);
			else
				pt->testing = value_is(g, "y");
		} else if (aa_tag_name_is(g, "psd")) {
			/* RFC 9989: y (a public suffix domain), n (an organizational
			 * domain), u (unspecified, the default) */
			if (!value_is(g, "y") && !value_is(g, "n") && !value_is(g, "u"))
				syntax_problem(c, "%.*s: must be y, n or u", (int)g->rawlen, g->raw);
			else
				pt->psd = (char)tolower((unsigned char)g->value[0]);
		} else if (aa_tag_name_is(g, "ri")) {
			if (!all_digits(g->value, g->vlen, &v))
				syntax_problem(c, "%.*s: must be a number of seconds", (int)g->rawlen,
				               g->raw);
		}
		/* Unknown tags are ignored by receivers (RFC 7489 6.3, RFC
		 * 9989): not a syntax error. */
	}
	if (!seen_p)
		syntax_problem(c, "the required p= tag is missing");
	aa_taglist_free(&tl);
}

/* libopendmarc's verdict on the record, as a receiver would parse it; a
 * problem of its own only when ours found none. */
static void
libopendmarc_verdict(struct derive_ctx *c, const char *domain, const char *rec)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"127.0.0.1", AF_INET);
	int st;

	if (pctx == NULL)
		return;
	st = opendmarc_policy_parse_dmarc(pctx, (u_char *)domain, (u_char *)rec);
	if (st != DMARC_PARSE_OKAY && !c->has_syntax) {
		const char *msg = opendmarc_policy_status_to_str(st);
		syntax_problem(c, "libopendmarc: %s", msg);
	}
	opendmarc_policy_connect_shutdown(pctx);
}

static aa_outcome
outcome_of(const aa_rrset *rs)
{
	return rs != NULL ? rs->outcome : AA_OUT_PENDING;
}

static int
answered(const aa_rrset *rs)
{
	return rs != NULL && !aa_outcome_is_error(rs->outcome) && rs->outcome != AA_OUT_PENDING;
}

/* Where reports to another organization may go: its authorisation record
 * (RFC 7489 7.1).  Not asked (budget) or failed: not verified. */
static aa_status
authorisation(struct derive_ctx *c, aa_dmarc_uri *u)
{
	const aa_rrset *rs;

	if ((u->auth_name = auth_name(c->f->policy_domain, u->dest)) == NULL)
		return AA_ENOMEM;
	rs = aa_recordset_get(c->in->rs, u->auth_name, AA_T_TXT);
	u->auth_outcome = outcome_of(rs);
	if (!answered(rs))
		u->state = AA_DMARC_URI_UNVERIFIED;
	else
		u->state = count_records(rs, NULL) == 0 ? AA_DMARC_URI_UNAUTHORIZED : AA_DMARC_URI_AUTHORIZED;
	return AA_OK;
}

static void
derive_uri(const char *tagname, const char *uri, size_t len, void *arg)
{
	struct derive_ctx *c = arg;
	aa_dmarc_facts *f = c->f;
	aa_dmarc_uri *v, *u;

	if (tagname[2] == 'a')
		f->nrua++;
	else
		f->nruf++;
	if ((v = realloc(f->uris, (f->nuris + 1) * sizeof(*v))) == NULL) {
		c->oom = 1;
		return;
	}
	f->uris = v;
	u = &v[f->nuris++];
	memset(u, 0, sizeof(*u));
	u->tag = tagname;
	u->auth_outcome = AA_OUT_PENDING;
	if ((u->uri = strndup(uri, len)) == NULL) {
		c->oom = 1;
		return;
	}
	if ((u->dest = mailto_domain(uri, len)) == NULL)
		u->state = AA_DMARC_URI_INVALID;
	else if (!other_org(f->policy_domain, u->dest))
		u->state = AA_DMARC_URI_OK;
	else if (authorisation(c, u) != AA_OK)
		c->oom = 1;
}

/* The applicable record: its tags, the policy that applies, its URIs. */
static void
derive_policy(struct derive_ctx *c)
{
	aa_dmarc_facts *f = c->f;
	struct policy_tags pt;

	validate_tags(c, f->record, strlen(f->record), &pt);
	f->p = pt.p;
	f->sp = pt.sp;
	f->np = pt.np;
	f->pct = pt.pct;
	f->adkim = pt.adkim;
	f->aspf = pt.aspf;
	f->testing = pt.testing;
	f->psd = pt.psd;
	libopendmarc_verdict(c, f->policy_domain, f->record);
	/* RFC 9989: a subdomain gets sp= (else p=); one that does not exist
	 * gets np= (else sp=, else p=).  libopendmarc 1.4.2 ignores np=. */
	f->nonexistent = f->np != AA_DMARC_P_UNSET ? f->np : f->sp != AA_DMARC_P_UNSET ? f->sp : f->p;
	f->effective = f->p;
	if (f->state == AA_DMARC_INHERITED)
		f->effective = f->domain_nxdomain ? f->nonexistent : f->sp != AA_DMARC_P_UNSET ? f->sp : f->p;
	each_uri(f->record, strlen(f->record), derive_uri, c);
}

/* Several records (kept for DMARC_MULTIPLE: the walk discards them, RFC
 * 9989 4.10 step 2), or a record that mentions v=DMARC1 without beginning
 * with it (its problems; receivers ignore it); 1 when either. */
static int
derive_record_set(struct derive_ctx *c, const aa_rrset *rs, size_t nstart)
{
	size_t i;

	if (nstart > 1) {
		if (c->f->multiple_where != NULL)
			return 1; /* the longest name's set is the one shown */
		if ((c->f->multiple_where = strdup(rs->name)) == NULL)
			c->oom = 1;
		for (i = 0; i < rs->nrr; i++)
			if (starts_with_version(rs->rr[i].data, rs->rr[i].len) &&
			    aa_strv_take(&c->f->multiple, &c->f->nmultiple, strdup(rs->rr[i].data)) != AA_OK)
				c->oom = 1;
		return 1;
	}
	for (i = 0; nstart == 0 && rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++)
		if (mentions_version(rs->rr[i].data, rs->rr[i].len)) {
			struct policy_tags ignored; /* receivers ignore the record */
			/* all len bytes: a NUL inside is data, and the tags after
			 * it are read too */
			c->f->record = aa_memdup0(rs->rr[i].data, rs->rr[i].len);
			c->where = rs->name;
			c->has_syntax = 0; /* this record's problems get their own entry */
			if (c->f->record == NULL)
				c->oom = 1;
			else
				validate_tags(c, c->f->record, rs->rr[i].len, &ignored);
			free(c->f->record);
			c->f->record = NULL;
			return 1;
		}
	return 0;
}

/* Keeps the records of rs that begin with v=DMARC1 in another case: not
 * DMARC records, but what the owner meant as one (DMARC_NONE shows them). */
static void
lookalikes(struct derive_ctx *c, const aa_rrset *rs)
{
	size_t i;

	for (i = 0; rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++)
		if (version_lookalike(rs->rr[i].data, rs->rr[i].len) &&
		    aa_strv_take(&c->f->lookalikes, &c->f->nlookalikes,
		                 aa_printf("%s TXT \"%.*s\"", rs->name, (int)rs->rr[i].len,
		                           rs->rr[i].data)) != AA_OK)
			c->oom = 1;
}

static void
found(struct derive_ctx *c, const aa_rrset *rs, const aa_record *rec, aa_dmarc_state state)
{
	c->f->state = state;
	c->f->policy_domain = strdup(policy_domain_of(rs));
	c->f->where = strdup(rs->name);
	c->f->record = strdup(rec->data);
	c->where = rs->name;
	c->has_syntax = 0; /* the records read before have their own entries */
	if (c->f->policy_domain == NULL || c->f->where == NULL || c->f->record == NULL) {
		c->oom = 1;
		return;
	}
	derive_policy(c);
}

/* The walk's lookups as made (and the one it stopped at, failed or not
 * asked), for the report. */
static void
copy_walk(struct derive_ctx *c, const aa_dmarc_walk *w)
{
	size_t i, n = w->nread + (w->state != AA_DMARC_WALK_DONE);

	if ((c->f->walk = calloc(n, sizeof(*c->f->walk))) == NULL) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		aa_dmarc_walk_step *d = &c->f->walk[i];
		const aa_dmarc_step *s = &w->step[i];
		if ((d->name = strdup(s->qname)) == NULL)
			c->oom = 1;
		d->outcome = outcome_of(s->rs);
		d->nrecords = s->nrecords;
		d->psd = s->psd;
		c->f->nwalk = i + 1;
	}
}

/* Where RFC 7489 discovery (the public suffix list) finds the record: the
 * domain's own, else its registrable domain's; not known when that lookup
 * failed or was not made (the walk skipped the name). */
static void
psl_policy(struct derive_ctx *c, const aa_dmarc_walk *w)
{
	const char *psl = c->f->psl_org_domain;
	const aa_rrset *rs;
	char *name;

	if (w->nread == 0)
		return;
	c->f->psl_policy_known = 1;
	if (w->step[0].record != NULL) {
		if ((c->f->psl_policy_domain = strdup(w->step[0].domain)) == NULL)
			c->oom = 1;
		return;
	}
	if (psl == NULL || strcasecmp(psl, c->in->domain) == 0)
		return;
	if ((name = aa_printf("_dmarc.%s", psl)) == NULL) {
		c->oom = 1;
		return;
	}
	rs = aa_recordset_get(c->in->rs, name, AA_T_TXT);
	free(name);
	if (!answered(rs))
		c->f->psl_policy_known = 0;
	else if (count_records(rs, NULL) == 1 && (c->f->psl_policy_domain = strdup(psl)) == NULL)
		c->oom = 1;
}

/* The organizational domain the walk chose (RFC 9989 4.10.2) and what the
 * public suffix list says (RFC 7489 3.2), to show where they differ. */
static void
derive_org(struct derive_ctx *c, const aa_dmarc_walk *w)
{
	size_t i;

	c->f->psl_org_domain = aa_org_domain(c->in->domain);
	psl_policy(c, w);
	if (w->state != AA_DMARC_WALK_DONE)
		return;
	c->f->org_rule = w->org_rule;
	if ((c->f->org_domain = strdup(w->org_domain)) == NULL)
		c->oom = 1;
	for (i = 1; i < w->nread; i++)
		if (strcmp(w->step[i].domain, w->org_domain) == 0)
			c->f->org_outcome = w->step[i].rs->outcome;
}

/* Which record applies: the domain's; else, once the walk is done, the
 * organizational domain's or the public suffix domain's (RFC 9989
 * 4.10.1).  A walk that did not finish leaves it not verified, never
 * absent. */
static void
derive_walk(struct derive_ctx *c, const aa_dmarc_walk *w)
{
	aa_dmarc_facts *f = c->f;
	size_t i, nlook;

	f->state = AA_DMARC_ABSENT;
	copy_walk(c, w);
	derive_org(c, w);
	if (w->nread == 0) {
		/* Not asked, or the lookup failed: DNS_INCOMPLETE says so; never
		 * report a record as missing on a DNS failure. */
		f->state = AA_DMARC_NOT_VERIFIED;
		return;
	}
	f->outcome = w->step[0].rs->outcome;
	/* what receivers ignore, where they look for the record that applies */
	nlook = w->step[0].record != NULL ? 1 : w->nread;
	for (i = 0; i < nlook; i++) {
		if (w->step[i].nrecords == 0)
			lookalikes(c, w->step[i].rs);
		derive_record_set(c, w->step[i].rs, w->step[i].nrecords);
	}
	if (w->step[0].record != NULL) {
		found(c, w->step[0].rs, w->step[0].record, AA_DMARC_FOUND);
		return;
	}
	if (w->state != AA_DMARC_WALK_DONE) {
		f->state = AA_DMARC_NOT_VERIFIED;
		return;
	}
	if (w->policy >= 0) {
		f->psd_policy = w->psd_policy;
		found(c, w->step[w->policy].rs, w->step[w->policy].record, AA_DMARC_INHERITED);
		return;
	}
	if (f->nmultiple > 0) {
		f->state = AA_DMARC_MULTIPLE;
		if ((f->where = strdup(f->multiple_where)) == NULL)
			c->oom = 1;
	}
}

/* The DMARC facts: which record applies and what it says, the records
 * receivers ignore and why, and where each report URI can go. */
static aa_dmarc_facts *
dmarc_derive(const aa_check_in *in)
{
	struct derive_ctx c = {in, calloc(1, sizeof(*c.f)), 0, 0, NULL, 0};
	aa_dmarc_walk w;
	aa_status st = aa_dmarc_walk_read(in->rs, in->domain, &w);

	if (st == AA_OK && c.f != NULL) {
		c.f->org_outcome = AA_OUT_PENDING;
		c.f->domain_nxdomain = aa_domain_nxdomain(in) != NULL;
		derive_walk(&c, &w);
	}
	aa_dmarc_walk_free(&w);
	if (st != AA_OK || c.oom) {
		aa_dmarc_facts_free(c.f);
		return NULL;
	}
	return c.f;
}

/* ---- judge: the findings -------------------------------------------------- */

static void
syntax_findings(aa_report *r, const aa_dmarc_facts *f)
{
	aa_finding *g;
	size_t i, j;

	for (i = 0; i < f->nsyntax; i++) {
		const aa_dmarc_syntax *e = &f->syntax[i];
		g = aa_report_add(r, AA_F_DMARC_SYNTAX, "%s", e->where);
		aa_finding_evidence(r, g, "%s TXT \"%s\"", e->where, e->record);
		for (j = 0; j < e->nproblems; j++)
			aa_finding_evidence(r, g, "%s", e->problems[j]);
	}
}

static void
multiple(aa_report *r, const aa_dmarc_facts *f)
{
	const char *where = f->multiple_where;
	aa_finding *g = aa_report_add(r, AA_F_DMARC_MULTIPLE, "%s", where);
	size_t i;

	for (i = 0; i < f->nmultiple; i++)
		aa_finding_evidence(r, g, "%s TXT \"%s\"", where, f->multiple[i]);
	if (f->state == AA_DMARC_INHERITED)
		aa_finding_evidence(r, g,
		                    "receivers discard them and walk up the tree (RFC 9989 4.10): %s "
		                    "applies instead",
		                    f->where);
	aa_finding_set_fix(r, g, "Delete all but one DMARC record at %s.", where);
}

/* Why the walk chose the organizational domain, for evidence. */
static const char *
org_rule_text(aa_dmarc_org_rule rule)
{
	switch (rule) {
	case AA_DMARC_ORG_PSD_N:
		return "its record says psd=n";
	case AA_DMARC_ORG_BELOW_PSD_Y:
		return "one label below the record with psd=y";
	case AA_DMARC_ORG_FEWEST_LABELS:
		return "the record found at the name with the fewest labels";
	case AA_DMARC_ORG_NO_RECORD:
		return "no record found: the domain itself";
	case AA_DMARC_ORG_UNKNOWN:
		break;
	}
	return "not decided: a lookup failed";
}

static void
inherited(const aa_check_in *in, aa_report *r, const aa_dmarc_facts *f)
{
	aa_finding *g = aa_report_add(r, AA_F_DMARC_INHERITED, "%s", in->domain);

	aa_finding_evidence(r, g, "_dmarc.%s: no DMARC record", in->domain);
	if (f->psd_policy) {
		aa_finding_evidence(r, g,
		                    "organizational domain %s (DNS tree walk, RFC 9989 4.10.2: %s): no "
		                    "DMARC record",
		                    f->org_domain, org_rule_text(f->org_rule));
		aa_finding_evidence(r, g, "public suffix domain %s (psd=y, RFC 9989 4.10.1): %s TXT \"%s\"",
		                    f->policy_domain, f->where, f->record);
	} else {
		aa_finding_evidence(r, g,
		                    "organizational domain %s (DNS tree walk, RFC 9989 4.10.2: %s): %s "
		                    "TXT \"%s\"",
		                    f->policy_domain, org_rule_text(f->org_rule), f->where, f->record);
	}
	aa_finding_evidence(r, g, "policy applied to %s: %s (%s)", in->domain,
	                    aa_dmarc_policy_name(f->effective),
	                    f->domain_nxdomain && f->np != AA_DMARC_P_UNSET ? "np="
	                    : f->sp != AA_DMARC_P_UNSET                     ? "sp="
	                                                                    : "p=");
}

/* One line per lookup of the DNS tree walk. */
static void
walk_evidence(aa_report *r, aa_finding *g, const aa_dmarc_facts *f)
{
	size_t i;

	for (i = 0; i < f->nwalk; i++) {
		const aa_dmarc_walk_step *s = &f->walk[i];
		if (s->outcome != AA_OUT_ANSWER || s->nrecords == 0)
			aa_finding_evidence(r, g, "tree walk: %s TXT: %s", s->name,
			                    s->outcome == AA_OUT_ANSWER ? "no DMARC record"
			                                                : aa_outcome_name(s->outcome));
		else if (s->nrecords > 1)
			aa_finding_evidence(r, g, "tree walk: %s TXT: %zu DMARC records, all discarded",
			                    s->name, s->nrecords);
		else
			aa_finding_evidence(r, g, "tree walk: %s TXT: a DMARC record%s", s->name,
			                    s->psd == 'y'   ? " with psd=y (the walk stops)"
			                    : s->psd == 'n' ? " with psd=n (the walk stops)"
			                                    : "");
	}
}

/* The DNS tree walk (RFC 9989) and the public suffix list (RFC 7489, what
 * receivers that have not moved to RFC 9989 use) disagree about the
 * organizational domain or about the record that applies. */
static int
same_or_both_null(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcasecmp(a, b) == 0;
}

static void
tree_walk(const aa_check_in *in, aa_report *r, const aa_dmarc_facts *f)
{
	const char *psl = f->psl_org_domain != NULL ? f->psl_org_domain : in->domain;
	int applies = f->state == AA_DMARC_FOUND || f->state == AA_DMARC_INHERITED;
	int org_differs, policy_differs;
	aa_finding *g;

	if (f->org_rule == AA_DMARC_ORG_UNKNOWN || f->org_domain == NULL)
		return;
	/* without a policy the organizational domain aligns nothing */
	org_differs = applies && strcasecmp(f->org_domain, psl) != 0;
	policy_differs = f->psl_policy_known &&
	                 !same_or_both_null(applies ? f->policy_domain : NULL, f->psl_policy_domain);
	if (!org_differs && !policy_differs)
		return;
	g = aa_report_add(r, AA_F_DMARC_TREE_WALK, "%s", in->domain);
	walk_evidence(r, g, f);
	aa_finding_evidence(r, g, "organizational domain by the DNS tree walk (RFC 9989 4.10.2): %s (%s)",
	                    f->org_domain, org_rule_text(f->org_rule));
	aa_finding_evidence(r, g, "organizational domain by the public suffix list (RFC 7489 3.2): %s%s", psl,
	                    f->psl_org_domain == NULL ? " (it lists no registrable domain)" : "");
	if (applies)
		aa_finding_evidence(r, g, "record that applies (RFC 9989 4.10.1): %s TXT \"%s\"%s", f->where,
		                    f->record,
		                    f->psd_policy ? " (a public suffix domain's policy, psd=y)" : "");
	else
		aa_finding_evidence(r, g, "record that applies (RFC 9989 4.10.1): none");
	if (policy_differs && f->psl_policy_domain != NULL)
		aa_finding_evidence(r, g,
		                    "a receiver that follows RFC 7489 applies the record at _dmarc.%s "
		                    "instead",
		                    f->psl_policy_domain);
	else if (policy_differs)
		aa_finding_evidence(r, g,
		                    "a receiver that follows RFC 7489 looks only at _dmarc.%s and "
		                    "_dmarc.%s, and applies no policy",
		                    in->domain, psl);
	if (org_differs)
		aa_finding_evidence(r, g,
		                    "relaxed alignment follows the organizational domain: the two answers "
		                    "align different names with %s",
		                    in->domain);
	aa_finding_set_fix(r, g,
	                   "Nothing, if the tree walk's answer is what you meant.  So that every "
	                   "receiver decides alike, publish _dmarc.%s itself and use strict alignment "
	                   "(adkim=s; aspf=s) where the difference matters (RFC 9989 C.3).",
	                   in->domain);
}

static void
uri_finding(aa_report *r, const aa_dmarc_facts *f, const aa_dmarc_uri *u)
{
	aa_finding *g;

	if (u->state == AA_DMARC_URI_INVALID) {
		g = aa_report_add(r, AA_F_DMARC_RUA_INVALID, "%s", f->where);
		aa_finding_evidence(r, g, "%s=%s is not a mailto: URI with an address", u->tag, u->uri);
		aa_finding_set_fix(r, g,
		                   "Write %s=mailto:dmarc-reports@%s (several URIs separated by commas).",
		                   u->tag, f->policy_domain);
		return;
	}
	if (u->state != AA_DMARC_URI_UNAUTHORIZED)
		return;
	g = aa_report_add(r, AA_F_DMARC_RUA_UNAUTHORIZED, "%s", f->where);
	aa_finding_evidence(r, g, "%s=%s: %s is another organizational domain", u->tag, u->uri, u->dest);
	aa_finding_evidence(r, g, "%s TXT: %s", u->auth_name,
	                    u->auth_outcome == AA_OUT_ANSWER ? "no v=DMARC1 record"
	                                                     : aa_outcome_name(u->auth_outcome));
	aa_finding_set_fix(r, g,
	                   "Ask the owner of %s to publish \"%s TXT v=DMARC1\" (or \"*._report._dmarc.%s "
	                   "TXT v=DMARC1\"), or send reports to an address in %s.",
	                   u->dest, u->auth_name, u->dest, f->policy_domain);
}

static int
policy_weaker(aa_dmarc_policy a, aa_dmarc_policy b)
{
	return a != AA_DMARC_P_UNSET && b != AA_DMARC_P_UNSET && a < b;
}

/* The findings of the record that applies (FOUND or INHERITED). */
static void
policy_findings(const aa_check_in *in, aa_report *r, const aa_dmarc_facts *f)
{
	const char *where = f->where;
	aa_finding *g;
	size_t i;

	if (f->state == AA_DMARC_INHERITED)
		inherited(in, r, f);
	if (f->effective == AA_DMARC_P_NONE) {
		g = aa_report_add(r, AA_F_DMARC_POLICY_NONE, "%s", where);
		aa_finding_evidence(r, g, "%s TXT \"%s\"", where, f->record);
		aa_finding_set_fix(r, g,
		                   "Once the aggregate reports show every legitimate sender passing, set "
		                   "p=quarantine, "
		                   "then p=reject, at %s.",
		                   where);
	}
	if (f->pct < 100) {
		g = aa_report_add(r, AA_F_DMARC_PCT_PARTIAL, "%s", where);
		aa_finding_evidence(r, g, "pct=%u: the policy applies to %u%% of failing mail", f->pct,
		                    f->pct);
		aa_finding_evidence(r, g,
		                    "pct is historic in RFC 9989, which replaced RFC 7489: receivers "
		                    "that follow it read t= instead");
		if (f->pct == 0) {
			/* no failing mail gets the policy: monitoring only, like p=none */
			if (g != NULL && g->severity < AA_SEV_MEDIUM)
				g->severity = AA_SEV_MEDIUM;
			aa_finding_evidence(r, g, "pct=0: no failing mail gets p=%s, as with p=none",
			                    aa_dmarc_policy_name(f->p));
		}
		aa_finding_set_fix(r, g, "Remove pct= (or set pct=100) at %s.", where);
	}
	if (f->testing) {
		g = aa_report_add(r, AA_F_DMARC_TEST_MODE, "%s", where);
		aa_finding_evidence(r, g, "%s TXT \"%s\"", where, f->record);
		aa_finding_evidence(r, g,
		                    "t=y: receivers apply p=%s one level lower (reject as quarantine, "
		                    "quarantine as none; RFC 9989)",
		                    aa_dmarc_policy_name(f->p));
		aa_finding_set_fix(r, g,
		                   "Remove t=y from the record at %s once the reports show every "
		                   "legitimate sender passing.",
		                   where);
	}
	if (f->sp != AA_DMARC_P_UNSET && policy_weaker(f->sp, f->p)) {
		g = aa_report_add(r, AA_F_DMARC_SP_WEAKER, "%s", where);
		aa_finding_evidence(r, g, "p=%s but sp=%s", aa_dmarc_policy_name(f->p),
		                    aa_dmarc_policy_name(f->sp));
		aa_finding_set_fix(r, g,
		                   "Set sp=%s (or remove sp=) at %s unless a subdomain really needs the "
		                   "weaker policy.",
		                   aa_dmarc_policy_name(f->p), where);
	}
	if (f->np != AA_DMARC_P_UNSET && policy_weaker(f->np, f->p)) {
		g = aa_report_add(r, AA_F_DMARC_SP_WEAKER, "%s", where);
		aa_finding_evidence(r, g,
		                    "p=%s but np=%s: subdomains that do not exist (the ones spoofers make "
		                    "up) get %s (RFC 9989)",
		                    aa_dmarc_policy_name(f->p), aa_dmarc_policy_name(f->np),
		                    aa_dmarc_policy_name(f->np));
		aa_finding_set_fix(r, g, "Set np=reject (or remove np=) at %s.", where);
	}
	for (i = 0; i < f->nuris; i++)
		uri_finding(r, f, &f->uris[i]);
	/* DMARC_NO_RUA: cross.c (how much it matters depends on whether the
	 * domain sends mail at all) */
}

/* No record applies.  Not when a record receivers ignore has DMARC_SYNTAX
 * saying so, nor when DOMAIN_NXDOMAIN says it all. */
static void
none(const aa_check_in *in, aa_report *r, const aa_dmarc_facts *f)
{
	const char *org = f->psl_org_domain;
	aa_finding *g;
	size_t i;

	if (f->nsyntax > 0 || f->domain_nxdomain)
		return;
	g = aa_report_add(r, AA_F_DMARC_NONE, "%s", in->domain);
	aa_finding_evidence(r, g, "_dmarc.%s TXT: %s", in->domain,
	                    f->outcome == AA_OUT_ANSWER ? "no record beginning with v=DMARC1"
	                                                : aa_outcome_name(f->outcome));
	for (i = 1; i < f->nwalk; i++)
		aa_finding_evidence(r, g, "%s TXT (DNS tree walk, RFC 9989 4.10): %s", f->walk[i].name,
		                    f->walk[i].outcome == AA_OUT_ANSWER
		                        ? "no record beginning with v=DMARC1"
		                        : aa_outcome_name(f->walk[i].outcome));
	for (i = 0; i < f->nlookalikes; i++)
		aa_finding_evidence(r, g,
		                    "%s: not a DMARC record, the version must be exactly v=DMARC1 "
		                    "(RFC 7489 6.4: upper case; receivers ignore the record)",
		                    f->lookalikes[i]);
	if (f->nlookalikes > 0) {
		aa_finding_set_fix(r, g,
		                   "Write the version in upper case, exactly \"v=DMARC1\", at the start of "
		                   "the record shown.");
		return;
	}
	aa_finding_set_fix(r, g,
	                   "Publish _dmarc.%s TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\" and move "
	                   "to p=quarantine / p=reject once the reports show every sender passing.",
	                   in->domain, org != NULL ? org : in->domain);
}

static void
dmarc_judge(const aa_check_in *in, const aa_dmarc_facts *f, aa_report *r)
{
	syntax_findings(r, f);
	if (f->nmultiple > 0)
		multiple(r, f);
	tree_walk(in, r, f);
	switch (f->state) {
	case AA_DMARC_MULTIPLE:
		break;
	case AA_DMARC_FOUND:
	case AA_DMARC_INHERITED:
		policy_findings(in, r, f);
		break;
	case AA_DMARC_ABSENT:
		none(in, r, f);
		break;
	case AA_DMARC_NOT_VERIFIED:
		break;
	}
}

void
aa_check_dmarc(const aa_check_in *in, aa_report *r)
{
	aa_dmarc_facts *f = dmarc_derive(in);

	if (f == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_DMARC, f, aa_dmarc_facts_free);
	dmarc_judge(in, f, r);
}
