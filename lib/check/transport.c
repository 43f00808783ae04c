/*
 * check_transport.c — the other transport signals: MTA-STS's DNS record
 * (RFC 8461 3.1) and TLS reporting (RFC 8460 3).  MTA_STS_SYNTAX,
 * TLSRPT_NONE, TLSRPT_SYNTAX.  The MTA-STS policy file itself is fetched
 * over HTTPS, which this DNS auditor does not do.
 */
#include "check/check.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Splits "k=v; k=v" and calls fn on each pair; returns the first non-zero
 * result of fn, or -1 for text that is not tag=value. */
typedef int (*tag_fn)(const char *k, size_t kl, const char *v, size_t vl, size_t idx, void *arg);

static int
each_tag(const char *rec, tag_fn fn, void *arg)
{
	const char *p = rec;
	size_t idx = 0;

	while (*p) {
		const char *end = strchr(p, ';'), *eq, *k, *v, *ke, *ve;
		int rc;
		if (end == NULL)
			end = p + strlen(p);
		k = p;
		while (k < end && isspace((unsigned char)*k))
			k++;
		if (k == end) { /* empty part: allowed after the last ';' only */
			if (*end == '\0')
				break;
			return -1;
		}
		eq = memchr(k, '=', (size_t)(end - k));
		if (eq == NULL)
			return -1;
		for (ke = eq; ke > k && isspace((unsigned char)ke[-1]); ke--)
			;
		for (v = eq + 1; v < end && isspace((unsigned char)*v); v++)
			;
		for (ve = end; ve > v && isspace((unsigned char)ve[-1]); ve--)
			;
		if ((rc = fn(k, (size_t)(ke - k), v, (size_t)(ve - v), idx++, arg)) != 0)
			return rc;
		p = *end ? end + 1 : end;
	}
	return 0;
}

static int
is(const char *k, size_t kl, const char *name)
{
	return kl == strlen(name) && strncmp(k, name, kl) == 0;
}

/* ---- MTA-STS ---- */

struct sts {
	int has_id;
	const char *why;
};

static int
sts_tag(const char *k, size_t kl, const char *v, size_t vl, size_t idx, void *arg)
{
	struct sts *s = arg;
	size_t i;

	if (idx == 0) {
		if (!is(k, kl, "v") || vl != 5 || strncmp(v, "STSv1", 5) != 0) {
			s->why = "the record must begin with v=STSv1";
			return 1;
		}
		return 0;
	}
	if (is(k, kl, "id")) {
		if (vl == 0 || vl > 32) {
			s->why = "id= must be 1 to 32 letters and digits";
			return 1;
		}
		for (i = 0; i < vl; i++)
			if (!isalnum((unsigned char)v[i])) {
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
		if (strncmp(rs->rr[i].data, "v=STSv1", 7) == 0)
			n++;
	for (i = 0; i < rs->nrr; i++) {
		const char *rec = rs->rr[i].data;
		struct sts s = {0, NULL};
		if (strcasestr(rec, "v=sts") == NULL)
			continue; /* not an MTA-STS record */
		if (each_tag(rec, sts_tag, &s) < 0)
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
rpt_tag(const char *k, size_t kl, const char *v, size_t vl, size_t idx, void *arg)
{
	struct rpt *s = arg;
	const char *p = v, *end = v + vl;

	if (idx == 0) {
		if (!is(k, kl, "v") || vl != 8 || strncmp(v, "TLSRPTv1", 8) != 0) {
			s->why = "the record must begin with v=TLSRPTv1";
			return 1;
		}
		return 0;
	}
	if (!is(k, kl, "rua"))
		return 0;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *e = comma ? comma : end, *b = p;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (!rua_ok(b, (size_t)(e - b))) {
			s->why = "a rua= address is not a mailto: or https: URI";
			s->bad = b;
			s->badlen = (size_t)(e - b);
			return 1;
		}
		p = comma ? comma + 1 : end;
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
		if (strcasestr(rs->rr[i].data, "v=tlsrpt") != NULL)
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
		if (strcasestr(rec, "v=tlsrpt") == NULL)
			continue;
		if (each_tag(rec, rpt_tag, &s) < 0)
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
