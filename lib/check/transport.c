/*
 * check_transport.c — the other transport signals: MTA-STS's DNS record
 * (RFC 8461 3.1) and TLS reporting (RFC 8460 3).  MTA_STS_SYNTAX,
 * TLSRPT_NONE, TLSRPT_SYNTAX.  The MTA-STS policy file itself is fetched
 * over HTTPS, which this DNS auditor does not do.
 */
#include "check/check.h"
#include "util/taglist.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Calls fn on each tag of rec (util/taglist.h) in order until fn asks to
 * stop (returns non-zero).  Tag names are not judged here: MTA-STS and
 * TLS-RPT extension names (RFC 8461 3.1, RFC 8460 3) allow more than
 * DKIM's. */
typedef int (*tag_fn)(const aa_tag *t, void *arg);

typedef enum tags_result {
	TAGS_DONE = 0,   /* every tag seen, or fn stopped the walk */
	TAGS_NOT_A_LIST, /* a piece without '=', or an empty piece before the last ';' */
	TAGS_NOMEM
} tags_result;

static tags_result
each_tag(const char *rec, size_t len, tag_fn fn, void *arg)
{
	aa_taglist tl;
	tags_result res = TAGS_DONE;
	size_t i;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return TAGS_NOMEM;
	for (i = 0; i < tl.n; i++) {
		if (tl.tags[i].problems & (AA_TAG_EMPTY | AA_TAG_NO_EQUALS)) {
			res = TAGS_NOT_A_LIST;
			break;
		}
		if (fn(&tl.tags[i], arg) != 0)
			break;
	}
	aa_taglist_free(&tl);
	return res;
}

/* Is the value exactly v (case matters: "STSv1", "TLSRPTv1")? */
static int
value_eq(const aa_tag *t, const char *v)
{
	size_t n = strlen(v);

	return t->vlen == n && memcmp(t->value, v, n) == 0;
}

static int
starts_with(const aa_record *rr, const char *prefix)
{
	size_t n = strlen(prefix);

	return rr->len >= n && memcmp(rr->data, prefix, n) == 0;
}

static int
mentions(const aa_record *rr, const char *needle)
{
	return aa_memcasemem(rr->data, rr->len, needle) != NULL;
}

/* ---- MTA-STS ---- */

struct sts {
	int has_id;
	const char *why;
};

static int
sts_tag(const aa_tag *t, void *arg)
{
	struct sts *s = arg;
	size_t i;

	if (t->pos == 0) {
		if (!aa_tag_name_eq(t, "v") || !value_eq(t, "STSv1")) {
			s->why = "the record must begin with v=STSv1";
			return 1;
		}
		return 0;
	}
	if (aa_tag_name_eq(t, "id")) {
		if (t->vlen == 0 || t->vlen > 32) {
			s->why = "id= must be 1 to 32 letters and digits";
			return 1;
		}
		for (i = 0; i < t->vlen; i++)
			if (!isalnum((unsigned char)t->value[i])) {
				s->why = "id= must be 1 to 32 letters and digits";
				return 1;
			}
		s->has_id = 1;
	}
	return 0; /* extensions are allowed */
}

static void
check_mta_sts(const aa_check_in *in, aa_report *r, const aa_rrset *rs)
{
	size_t i, n = 0;
	aa_finding *f;

	for (i = 0; i < rs->nrr; i++)
		if (starts_with(&rs->rr[i], "v=STSv1"))
			n++;
	for (i = 0; i < rs->nrr; i++) {
		const char *rec = rs->rr[i].data;
		struct sts s = {0, NULL};
		tags_result tr;
		if (!mentions(&rs->rr[i], "v=sts"))
			continue; /* not an MTA-STS record */
		if ((tr = each_tag(rec, rs->rr[i].len, sts_tag, &s)) == TAGS_NOMEM) {
			r->oom = 1;
			return;
		}
		if (tr == TAGS_NOT_A_LIST)
			s.why = "the record is not a list of tag=value pairs";
		else if (s.why == NULL && !s.has_id)
			s.why = "the record has no id= (the policy version senders compare)";
		else if (s.why == NULL && n > 1)
			s.why = "more than one v=STSv1 record: senders then ignore MTA-STS";
		if (s.why == NULL)
			continue;
		f = aa_report_add(r, AA_F_MTA_STS_SYNTAX, "%s", rs->name);
		aa_finding_evidence(r, f, "%s TXT \"%s\": %s", rs->name, rec, s.why);
		aa_finding_set_fix(r, f, "Publish one record: _mta-sts.%s TXT \"v=STSv1; id=20261124T000000\" "
		                   "(change id= whenever the policy at https://mta-sts.%s/.well-known/"
		                   "mta-sts.txt changes).", in->domain, in->domain);
		return;
	}
}

/* ---- TLS-RPT ---- */

struct rpt {
	int has_rua;
	const char *why;
	const char *bad; /* the offending URI */
	size_t badlen;
};

static int
rua_ok(const char *u, size_t n)
{
	const char *at;

	if (n > 7 && strncasecmp(u, "mailto:", 7) == 0) {
		at = memchr(u + 7, '@', n - 7);
		return at != NULL && at > u + 7 && at < u + n - 1 && memchr(at, '.', (size_t)(u + n - at)) != NULL;
	}
	return n > 8 && strncasecmp(u, "https://", 8) == 0;
}

static int
rpt_tag(const aa_tag *t, void *arg)
{
	struct rpt *s = arg;
	aa_tag_items it;
	const char *u;
	size_t n;
	int last;

	if (t->pos == 0) {
		if (!aa_tag_name_eq(t, "v") || !value_eq(t, "TLSRPTv1")) {
			s->why = "the record must begin with v=TLSRPTv1";
			return 1;
		}
		return 0;
	}
	if (!aa_tag_name_eq(t, "rua"))
		return 0;
	aa_tag_items_init(&it, t->value, t->vlen, ',');
	while (aa_tag_items_next(&it, &u, &n, &last)) {
		if (n == 0 && last)
			break; /* "rua=mailto:a@b.example," ends with a comma */
		if (!rua_ok(u, n)) {
			s->why = "a rua= address is not a mailto: or https: URI";
			s->bad = u;
			s->badlen = n;
			return 1;
		}
	}
	s->has_rua = 1;
	return 0;
}

static void
check_tlsrpt(const aa_check_in *in, aa_report *r, const aa_rrset *rs)
{
	size_t i, n = 0;
	aa_finding *f;

	/* a record that names v=TLSRPTv1 anywhere was meant as one: judge it
	 * (receivers discard it if v= is not first) rather than call it missing */
	for (i = 0; i < rs->nrr; i++)
		if (mentions(&rs->rr[i], "v=tlsrpt"))
			n++;
	if (n == 0) {
		f = aa_report_add(r, AA_F_TLSRPT_NONE, "%s", rs->name);
		aa_finding_evidence(r, f, "%s TXT: %s", rs->name,
		                    rs->nrr ? "no v=TLSRPTv1 record" : aa_outcome_name(rs->outcome));
		aa_finding_set_fix(r, f, "Publish _smtp._tls.%s TXT \"v=TLSRPTv1; "
		                   "rua=mailto:tls-reports@%s\".", in->domain, in->domain);
		return;
	}
	for (i = 0; i < rs->nrr; i++) {
		const char *rec = rs->rr[i].data;
		struct rpt s = {0, NULL, NULL, 0};
		tags_result tr;
		if (!mentions(&rs->rr[i], "v=tlsrpt"))
			continue;
		if ((tr = each_tag(rec, rs->rr[i].len, rpt_tag, &s)) == TAGS_NOMEM) {
			r->oom = 1;
			return;
		}
		if (tr == TAGS_NOT_A_LIST)
			s.why = "the record is not a list of tag=value pairs";
		else if (s.why == NULL && !s.has_rua)
			s.why = "the record has no rua= (where reports go)";
		else if (s.why == NULL && n > 1)
			s.why = "more than one v=TLSRPTv1 record: senders then send no reports";
		if (s.why == NULL)
			continue;
		f = aa_report_add(r, AA_F_TLSRPT_SYNTAX, "%s", rs->name);
		if (s.bad != NULL)
			aa_finding_evidence(r, f, "%s TXT \"%s\": %s (\"%.*s\")", rs->name, rec, s.why,
			                    (int)s.badlen, s.bad);
		else
			aa_finding_evidence(r, f, "%s TXT \"%s\": %s", rs->name, rec, s.why);
		aa_finding_set_fix(r, f, "Publish one record: _smtp._tls.%s TXT \"v=TLSRPTv1; "
		                   "rua=mailto:tls-reports@%s\".", in->domain, in->domain);
		return;
	}
}

static const aa_rrset *
get(const aa_check_in *in, const char *label)
{
	char *name = aa_printf("%s.%s", label, in->domain);
	const aa_rrset *rs;

	if (name == NULL)
		return NULL;
	rs = aa_recordset_get(in->rs, name, AA_T_TXT);
	free(name);
	return rs;
}

void
aa_check_transport(const aa_check_in *in, aa_report *r)
{
	const aa_rrset *sts = get(in, "_mta-sts"), *rpt = get(in, "_smtp._tls");

	/* a domain that does not exist gets DOMAIN_NXDOMAIN, not these */
	if (aa_domain_nxdomain(in) != NULL)
		return;
	/* failed lookups are DNS_INCOMPLETE, never "missing" */
	if (sts != NULL && sts->outcome == AA_OUT_ANSWER)
		check_mta_sts(in, r, sts);
	if (rpt != NULL && !aa_outcome_is_error(rpt->outcome))
		check_tlsrpt(in, r, rpt);
}
