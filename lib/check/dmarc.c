/*
 * check_dmarc.c — DMARC: discovery of the applicable record (the domain,
 * else its organizational domain via the public suffix list), tag-by-tag
 * validation (libopendmarc as the receiver's judge plus util/taglist.h
 * for what it lets through), external report authorisation, and whether an
 * enforcing policy can be met at all (DKIM and SPF facts).
 */
#include "report/facts.h"
#include "check/check.h"
#include "check/dmarc_read.h"
#include "records/hostname.h"
#include "records/orgdomain.h"
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
		if (well_formed(t) && aa_tag_name_is(t, "v") && value_is(t, "DMARC1"))
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

/* ---- check ------------------------------------------------------------- */

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

struct check_ctx {
	const aa_check_in *in;
	aa_report *r;
	aa_dmarc_facts *f;
	aa_finding *syntax;
	const char *where; /* _dmarc.X */
};

static void syntax_problem(struct check_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
syntax_problem(struct check_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	if (c->syntax == NULL) {
		c->syntax = aa_report_add(c->r, AA_F_DMARC_SYNTAX, "%s", c->where);
		aa_finding_evidence(c->r, c->syntax, "%s TXT \"%s\"", c->where, c->f->record);
		c->f->syntax_errors = 1;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		c->r->oom = 1;
	else
		aa_finding_evidence(c->r, c->syntax, "%s", msg);
	free(msg);
}

/* Validates every tag (RFC 7489 6.3, DMARCbis np=) and fills the facts. */
static void
validate_tags(struct check_ctx *c, const char *rec, size_t len)
{
	static const char *const fo_ok[] = {"0", "1", "d", "s", NULL};
	static const char *const rf_ok[] = {"afrf", "iodef", NULL};
	aa_taglist tl;
	size_t i;
	unsigned long v;
	int seen_p = 0;

	c->f->pct = 100;
	c->f->adkim = c->f->aspf = 'r';
	if (aa_taglist_parse(rec, len, &tl) != AA_OK) {
		c->r->oom = 1;
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
				syntax_problem(c, "%.*s: v=DMARC1 must be the first tag (RFC 7489 6.3); "
				                  "receivers ignore this record", (int)g->rawlen, g->raw);
			else if (!value_is(g, "DMARC1"))
				syntax_problem(c, "%.*s: the version must be DMARC1", (int)g->rawlen, g->raw);
		} else if (aa_tag_name_is(g, "p") || aa_tag_name_is(g, "sp") || aa_tag_name_is(g, "np")) {
			aa_dmarc_policy p = parse_policy(g);
			if (p == AA_DMARC_P_UNSET)
				syntax_problem(c, "%.*s: must be none, quarantine or reject", (int)g->rawlen, g->raw);
			if (aa_tag_name_is(g, "p"))
				c->f->p = p, seen_p = 1;
			else if (aa_tag_name_is(g, "sp"))
				c->f->sp = p;
			else
				c->f->np = p;
		} else if (aa_tag_name_is(g, "pct")) {
			if (!all_digits(g->value, g->vlen, &v) || v > 100)
				syntax_problem(c, "%.*s: must be an integer 0-100", (int)g->rawlen, g->raw);
			else
				c->f->pct = (unsigned)v;
		} else if (aa_tag_name_is(g, "adkim") || aa_tag_name_is(g, "aspf")) {
			if (!value_is(g, "r") && !value_is(g, "s"))
				syntax_problem(c, "%.*s: must be r (relaxed) or s (strict)", (int)g->rawlen, g->raw);
			else if (aa_tag_name_is(g, "adkim"))
				c->f->adkim = (char)tolower((unsigned char)g->value[0]);
			else
				c->f->aspf = (char)tolower((unsigned char)g->value[0]);
		} else if (aa_tag_name_is(g, "fo")) {
			if (!list_within(g->value, g->vlen, fo_ok))
				syntax_problem(c, "%.*s: must be a colon list of 0, 1, d, s", (int)g->rawlen, g->raw);
		} else if (aa_tag_name_is(g, "rf")) {
			if (!list_within(g->value, g->vlen, rf_ok))
				syntax_problem(c, "%.*s: must be afrf", (int)g->rawlen, g->raw);
		} else if (aa_tag_name_is(g, "ri")) {
			if (!all_digits(g->value, g->vlen, &v))
				syntax_problem(c, "%.*s: must be a number of seconds", (int)g->rawlen, g->raw);
		}
		/* Unknown tags are ignored by receivers (RFC 7489 6.3, and
		 * DMARCbis adds t= and psd=): not a syntax error. */
	}
	if (!seen_p)
		syntax_problem(c, "the required p= tag is missing");
	aa_taglist_free(&tl);
}

/* libopendmarc's verdict on the record, as a receiver would parse it. */
static void
libopendmarc_judge(struct check_ctx *c, const char *domain, const char *rec)
{
	DMARC_POLICY_T *pctx = opendmarc_policy_connect_init((u_char *)"127.0.0.1", AF_INET);
	int st;

	if (pctx == NULL)
		return;
	st = opendmarc_policy_parse_dmarc(pctx, (u_char *)domain, (u_char *)rec);
	if (st != DMARC_PARSE_OKAY && c->syntax == NULL) {
		const char *msg = opendmarc_policy_status_to_str(st);
		syntax_problem(c, "libopendmarc: %s", msg);
	}
	opendmarc_policy_connect_shutdown(pctx);
}

struct uri_check {
	struct check_ctx *c;
	const char *policy_domain;
	size_t nrua, nruf;
};

static void
check_uri(const char *tagname, const char *uri, size_t len, void *arg)
{
	struct uri_check *u = arg;
	struct check_ctx *c = u->c;
	char *dest = mailto_domain(uri, len), *name;
	const aa_rrset *rs;
	const aa_record *rec;
	aa_finding *f;

	if (tagname[2] == 'a')
		u->nrua++;
	else
		u->nruf++;
	if (dest == NULL) {
		f = aa_report_add(c->r, AA_F_DMARC_RUA_INVALID, "%s", c->where);
		aa_finding_evidence(c->r, f, "%s=%.*s is not a mailto: URI with an address", tagname, (int)len, uri);
		aa_finding_set_fix(c->r, f, "Write %s=mailto:dmarc-reports@%s (several URIs separated by commas).",
		                   tagname, u->policy_domain);
		return;
	}
	if (!other_org(u->policy_domain, dest) || (name = auth_name(u->policy_domain, dest)) == NULL) {
		free(dest);
		return;
	}
	rs = aa_recordset_get(c->in->rs, name, AA_T_TXT);
	/* Not asked (budget) or failed: not verified, say nothing. */
	if (rs != NULL && !aa_outcome_is_error(rs->outcome) && rs->outcome != AA_OUT_PENDING &&
	    count_records(rs, &rec) == 0) {
		f = aa_report_add(c->r, AA_F_DMARC_RUA_UNAUTHORIZED, "%s", c->where);
		aa_finding_evidence(c->r, f, "%s=%.*s: %s is another organizational domain", tagname, (int)len,
		                    uri, dest);
		aa_finding_evidence(c->r, f, "%s TXT: %s", name,
		                    rs->outcome == AA_OUT_ANSWER ? "no v=DMARC1 record"
		                                                 : aa_outcome_name(rs->outcome));
		aa_finding_set_fix(c->r, f,
		                   "Ask the owner of %s to publish \"%s TXT v=DMARC1\" (or \"*._report._dmarc.%s "
		                   "TXT v=DMARC1\"), or send reports to an address in %s.",
		                   dest, name, dest, u->policy_domain);
	}
	free(name);
	free(dest);
}

static int
policy_weaker(aa_dmarc_policy a, aa_dmarc_policy b)
{
	return a != AA_DMARC_P_UNSET && b != AA_DMARC_P_UNSET && a < b;
}

static void
check_policy(struct check_ctx *c)
{
	aa_dmarc_facts *f = c->f;
	aa_finding *g;
	struct uri_check u = {c, f->policy_domain, 0, 0};
	size_t len = strlen(f->record);

	validate_tags(c, f->record, len);
	libopendmarc_judge(c, f->policy_domain, f->record);
	f->effective = f->p;
	if (f->state == AA_DMARC_INHERITED && f->sp != AA_DMARC_P_UNSET)
		f->effective = f->sp;
	if (f->state == AA_DMARC_INHERITED) {
		g = aa_report_add(c->r, AA_F_DMARC_INHERITED, "%s", c->in->domain);
		aa_finding_evidence(c->r, g, "_dmarc.%s: no DMARC record", c->in->domain);
		aa_finding_evidence(c->r, g, "organizational domain %s: %s TXT \"%s\"", f->policy_domain, c->where,
		                    f->record);
		aa_finding_evidence(c->r, g, "policy applied to %s: %s (%s)", c->in->domain,
		                    aa_dmarc_policy_name(f->effective), f->sp != AA_DMARC_P_UNSET ? "sp=" : "p=");
	}
	if (f->effective == AA_DMARC_P_NONE) {
		g = aa_report_add(c->r, AA_F_DMARC_POLICY_NONE, "%s", c->where);
		aa_finding_evidence(c->r, g, "%s TXT \"%s\"", c->where, f->record);
		aa_finding_set_fix(c->r, g,
		                   "Once the aggregate reports show every legitimate sender passing, set p=quarantine, "
		                   "then p=reject, at %s.",
		                   c->where);
	}
	if (f->pct < 100) {
		g = aa_report_add(c->r, AA_F_DMARC_PCT_PARTIAL, "%s", c->where);
		aa_finding_evidence(c->r, g, "pct=%u: the policy applies to %u%% of failing mail", f->pct, f->pct);
		aa_finding_set_fix(c->r, g, "Remove pct= (or set pct=100) at %s.", c->where);
	}
	if (f->sp != AA_DMARC_P_UNSET && policy_weaker(f->sp, f->p)) {
		g = aa_report_add(c->r, AA_F_DMARC_SP_WEAKER, "%s", c->where);
		aa_finding_evidence(c->r, g, "p=%s but sp=%s", aa_dmarc_policy_name(f->p), aa_dmarc_policy_name(f->sp));
		aa_finding_set_fix(c->r, g,
		                   "Set sp=%s (or remove sp=) at %s unless a subdomain really needs the weaker policy.",
		                   aa_dmarc_policy_name(f->p), c->where);
	}
	each_uri(f->record, len, check_uri, &u);
	f->nrua = u.nrua;
	f->nruf = u.nruf;
	if (u.nrua == 0) {
		g = aa_report_add(c->r, AA_F_DMARC_NO_RUA, "%s", c->where);
		aa_finding_evidence(c->r, g, "%s TXT \"%s\"", c->where, f->record);
		aa_finding_set_fix(c->r, g, "Add rua=mailto:dmarc-reports@%s to %s.", f->policy_domain, c->where);
	}
}

/* Multiple records, or records that mention v=DMARC1 but do not begin with
 * it; returns 1 when a finding was added. */
static int
check_record_set(struct check_ctx *c, const aa_rrset *rs, size_t nstart)
{
	size_t i;
	aa_finding *g;

	if (nstart > 1) {
		g = aa_report_add(c->r, AA_F_DMARC_MULTIPLE, "%s", rs->name);
		for (i = 0; i < rs->nrr; i++)
			if (starts_with_version(rs->rr[i].data, rs->rr[i].len))
				aa_finding_evidence(c->r, g, "%s TXT \"%s\"", rs->name, rs->rr[i].data);
		aa_finding_set_fix(c->r, g, "Delete all but one DMARC record at %s.", rs->name);
		c->f->state = AA_DMARC_MULTIPLE;
		return 1;
	}
	if (nstart == 0) {
		for (i = 0; rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++)
			if (mentions_version(rs->rr[i].data, rs->rr[i].len)) {
				free(c->f->record);
				/* all len bytes: a NUL inside is data, and the tags
				 * after it are read too */
				c->f->record = aa_memdup0(rs->rr[i].data, rs->rr[i].len);
				c->where = rs->name;
				if (c->f->record != NULL)
					validate_tags(c, c->f->record, rs->rr[i].len);
				free(c->f->record);
				c->f->record = NULL;
				return 1;
			}
	}
	return 0;
}

static void
found(struct check_ctx *c, const aa_rrset *rs, const aa_record *rec, aa_dmarc_state state)
{
	c->f->state = state;
	c->f->policy_domain = strdup(policy_domain_of(rs));
	c->f->record = strdup(rec->data);
	c->where = rs->name;
	if (c->f->policy_domain == NULL || c->f->record == NULL) {
		c->r->oom = 1;
		return;
	}
	check_policy(c);
}

void
aa_check_dmarc(const aa_check_in *in, aa_report *r)
{
	struct check_ctx c = {in, r, NULL, NULL, NULL};
	const aa_rrset *rs, *ors = NULL;
	const aa_record *rec;
	char *name = aa_printf("_dmarc.%s", in->domain), *org = NULL, *oname = NULL;
	size_t n;
	aa_finding *g;

	if (name == NULL || (c.f = calloc(1, sizeof(*c.f))) == NULL) {
		free(name);
		r->oom = 1;
		return;
	}
	c.where = name;
	rs = aa_recordset_get(in->rs, name, AA_T_TXT);
	if (rs == NULL || aa_outcome_is_error(rs->outcome) || rs->outcome == AA_OUT_PENDING) {
		/* Not asked, or the lookup failed: DNS_INCOMPLETE says so; never
		 * report a record as missing on a DNS failure. */
		c.f->state = AA_DMARC_NOT_VERIFIED;
		goto done;
	}
	n = count_records(rs, &rec);
	if (check_record_set(&c, rs, n) && n > 1)
		goto done;
	if (n == 1) {
		found(&c, rs, rec, AA_DMARC_FOUND);
		goto done;
	}
	/* No record at the domain: the organizational domain's applies. */
	if ((org = aa_org_domain(in->domain)) != NULL && strcasecmp(org, in->domain) != 0 &&
	    (oname = aa_printf("_dmarc.%s", org)) != NULL) {
		ors = aa_recordset_get(in->rs, oname, AA_T_TXT);
		if (ors == NULL || aa_outcome_is_error(ors->outcome) || ors->outcome == AA_OUT_PENDING) {
			c.f->state = AA_DMARC_NOT_VERIFIED;
			goto done;
		}
		n = count_records(ors, &rec);
		if (check_record_set(&c, ors, n) && n > 1)
			goto done;
		if (n == 1) {
			c.syntax = NULL; /* the domain's own broken record has its finding */
			found(&c, ors, rec, AA_DMARC_INHERITED);
			goto done;
		}
	}
	c.f->state = AA_DMARC_ABSENT;
	if (c.syntax != NULL)
		goto done; /* DMARC_SYNTAX already says receivers ignore the record */
	if (aa_domain_nxdomain(in) != NULL)
		goto done; /* DOMAIN_NXDOMAIN says it all */
	g = aa_report_add(r, AA_F_DMARC_NONE, "%s", in->domain);
	aa_finding_evidence(r, g, "%s TXT: %s", name,
	                    rs->outcome == AA_OUT_ANSWER ? "no record beginning with v=DMARC1"
	                                                 : aa_outcome_name(rs->outcome));
	if (ors != NULL)
		aa_finding_evidence(r, g, "%s TXT (organizational domain): %s", oname,
		                    ors->outcome == AA_OUT_ANSWER ? "no record beginning with v=DMARC1"
		                                                  : aa_outcome_name(ors->outcome));
	aa_finding_set_fix(r, g, "Publish %s TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\" and move to "
	                         "p=quarantine / p=reject once the reports show every sender passing.",
	                   name, org != NULL ? org : in->domain);
done:
	aa_report_set_facts(r, AA_AREA_DMARC, c.f, aa_dmarc_facts_free);
	free(oname);
	free(org);
	free(name);
}
