/*
 * envelope.c — the Return-Path module (--envelope-from): can the
 * envelope sender's domain receive bounces, and is it aligned with the
 * From domain (the audited domain) for DMARC?  envelope_derive reads the
 * record set into aa_envelope_facts; envelope_judge turns them into findings.
 */
#include "check/check.h"
#include "check/dmarc_walk.h"
#include "check/ip.h"
#include "check/spf_walk.h"
#include "records/mailaddr.h"
#include "records/orgdomain.h"
#include "report/facts.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
failed(const aa_rrset *rs)
{
	return rs == NULL || rs->outcome == AA_OUT_PENDING || aa_outcome_is_error(rs->outcome);
}

/* Can d receive mail?  AA_TRI_NO adds the evidence to *ev. */
static aa_tri
routable(const aa_check_in *in, const char *d, aa_buf *ev)
{
	const aa_rrset *mx = aa_recordset_get(in->rs, d, AA_T_MX);
	const aa_rrset *a4 = aa_recordset_get(in->rs, d, AA_T_A);
	const aa_rrset *a6 = aa_recordset_get(in->rs, d, AA_T_AAAA);
	size_t i;

	if (failed(mx))
		return AA_TRI_UNKNOWN;
	if (mx->outcome == AA_OUT_NXDOMAIN) {
		aa_buf_printf(ev, "%s MX: nxdomain (the domain does not exist)", d);
		return AA_TRI_NO;
	}
	if (mx->outcome == AA_OUT_ANSWER) {
		for (i = 0; i < mx->nrr; i++)
			if (mx->rr[i].data[0] != '\0' && strcmp(mx->rr[i].data, ".") != 0)
				return AA_TRI_YES;
		aa_buf_printf(ev, "%s MX 0 . (null MX: the domain refuses all mail)", d);
		return AA_TRI_NO;
	}
	if ((a4 != NULL && a4->outcome == AA_OUT_ANSWER) || (a6 != NULL && a6->outcome == AA_OUT_ANSWER))
		return AA_TRI_YES; /* no MX: mail goes to the address record (RFC 5321 5.1) */
	if (failed(a4) || failed(a6))
		return AA_TRI_UNKNOWN;
	aa_buf_printf(ev, "%s: no MX (%s), no A (%s), no AAAA (%s)", d, aa_outcome_name(mx->outcome),
	              aa_outcome_name(a4->outcome), aa_outcome_name(a6->outcome));
	return AA_TRI_NO;
}

/* The organizational domain by the public suffix list (orgdomain.c,
 * libpsl); the name itself when it has none (a public suffix, a single
 * label). */
static char *
psl_org_domain(const char *d)
{
	char *org = aa_org_domain(d);

	return org != NULL ? org : strdup(d);
}

/* The organizational domain by the DNS tree walk (RFC 9989 4.10.2) over
 * the record set; *decided 0 (and NULL) when a lookup of the walk failed or
 * was not made.  *applies: a DMARC record applies to d (4.10.1). */
static aa_status
walk_org_domain(const aa_check_in *in, const char *d, char **org, int *decided, int *applies)
{
	aa_dmarc_walk w;
	aa_status st = aa_dmarc_walk_read(in->rs, d, &w);

	*org = NULL;
	*decided = st == AA_OK && w.state == AA_DMARC_WALK_DONE;
	if (applies != NULL)
		*applies = *decided && w.policy >= 0;
	if (*decided && (*org = strdup(w.org_domain)) == NULL)
		st = AA_ENOMEM;
	aa_dmarc_walk_free(&w);
	return st;
}

/* Relaxed alignment of the Return-Path with the From domain (RFC 9989
 * 4.10.2: the same organizational domain by the DNS tree walk).  When no
 * DMARC record applies to the From domain the walk decides nothing
 * (DMARC does not apply): the public suffix list answers, as in RFC 7489,
 * and the facts say so. */
static aa_status
derive_alignment(const aa_check_in *in, aa_envelope_facts *f)
{
	int from_ok = 0, rp_ok = 0, applies = 0;
	aa_status st;

	if (f->local_looking) {
		/* a name for one network only is in nobody's organization */
		f->aligned = AA_TRI_NO;
		f->org_by_psl = 1;
		if ((f->org_domain = strdup(f->domain)) == NULL ||
		    (f->from_org_domain = psl_org_domain(in->domain)) == NULL)
			return AA_ENOMEM;
		return AA_OK;
	}
	if ((st = walk_org_domain(in, in->domain, &f->from_org_domain, &from_ok, &applies)) != AA_OK)
		return st;
	if (from_ok && !applies) {
		free(f->from_org_domain);
		f->org_by_psl = 1;
		if ((f->from_org_domain = psl_org_domain(in->domain)) == NULL ||
		    (f->org_domain = psl_org_domain(f->domain)) == NULL)
			return AA_ENOMEM;
		f->aligned = strcasecmp(f->org_domain, f->from_org_domain) == 0 ? AA_TRI_YES : AA_TRI_NO;
		return AA_OK;
	}
	if (strcasecmp(f->domain, in->domain) == 0) {
		f->aligned = AA_TRI_YES;
		return f->from_org_domain == NULL || (f->org_domain = strdup(f->from_org_domain)) != NULL
		           ? AA_OK
		           : AA_ENOMEM;
	}
	if ((st = walk_org_domain(in, f->domain, &f->org_domain, &rp_ok, NULL)) != AA_OK)
		return st;
	if (!from_ok || !rp_ok)
		f->aligned = AA_TRI_UNKNOWN; /* not verified: never misaligned on a DNS failure */
	else
		f->aligned = strcasecmp(f->org_domain, f->from_org_domain) == 0 ? AA_TRI_YES : AA_TRI_NO;
	return AA_OK;
}

/* Can the Return-Path domain receive bounces?  The evidence when it
 * cannot goes to f->unroutable_why. */
static aa_status
derive_routable(const aa_check_in *in, aa_envelope_facts *f)
{
	const char *why = NULL;
	aa_buf ev = {0};

	f->local_looking = f->domain[0] == '\0' || aa_envelope_local_looking(f->domain, &why);
	if (f->local_looking) {
		f->routable = AA_TRI_NO;
		aa_buf_printf(&ev, "%s is %s", f->domain[0] != '\0' ? f->domain : "(empty domain)",
		              why != NULL ? why : "empty");
	} else {
		f->routable = routable(in, f->domain, &ev);
	}
	if (ev.p == NULL && !ev.oom)
		return AA_OK; /* nothing to say: routable or not verified */
	f->unroutable_why = aa_buf_take(&ev);
	return f->unroutable_why != NULL ? AA_OK : AA_ENOMEM;
}

/* The envelope facts; NULL on OOM. */
static aa_envelope_facts *
envelope_derive(const aa_check_in *in)
{
	aa_envelope_facts *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->address = strdup(in->opt->envelope_from)) == NULL ||
	    (f->domain = aa_envelope_domain(in->opt->envelope_from)) == NULL ||
	    derive_routable(in, f) != AA_OK || derive_alignment(in, f) != AA_OK) {
		aa_envelope_facts_free(f);
		return NULL;
	}
	/* receivers evaluate SPF for the MAIL FROM domain (RFC 7208 2.4): for
	 * a host below the domain that is the host's own record, not the
	 * domain's */
	if (!f->local_looking && strcasecmp(f->domain, in->domain) != 0) {
		const char *ip = in->opt->n_ips > 0 ? in->opt->ips[0] : NULL;
		if (aa_spf_host_check(in, f->domain, f->address, ip, &f->spf_record, &f->spf_result,
		                      &f->spf_why) != AA_OK ||
		    (ip != NULL && f->spf_result != NULL && (f->spf_ip = strdup(ip)) == NULL)) {
			aa_envelope_facts_free(f);
			return NULL;
		}
	}
	return f;
}

static void
unroutable(const aa_check_in *in, const aa_envelope_facts *f, aa_report *r)
{
	aa_finding *fd = aa_report_add(r, AA_F_ENVELOPE_UNROUTABLE, "%s", f->address);

	aa_finding_evidence(r, fd, "Return-Path <%s>", f->address);
	if (f->unroutable_why != NULL)
		aa_finding_evidence(r, fd, "%s", f->unroutable_why);
	aa_finding_set_detail(r, fd,
	                      "Every bounce for mail sent as <%s> goes to %s, where nobody "
	                      "receives it: rejections such as 550 5.7.606 (banned sending "
	                      "IP) or 5.1.1 (unknown recipient) go unnoticed.",
	                      f->address, f->domain);
	aa_finding_set_fix(r, fd,
	                   "Configure the application or MTA to send with a Return-Path in a "
	                   "domain that receives mail, e.g. bounces@%s (PHP: sendmail_path "
	                   "= \"/usr/sbin/sendmail -t -i -f bounces@%s\"; Postfix: "
	                   "sender_canonical_maps or myorigin).",
	                   in->domain, in->domain);
}

static void
misaligned(const aa_check_in *in, const aa_envelope_facts *f, aa_report *r)
{
	aa_finding *fd = aa_report_add(r, AA_F_ENVELOPE_MISALIGNED, "%s", f->address);

	aa_finding_evidence(r, fd, "Return-Path domain %s (organizational domain %s)", f->domain,
	                    f->org_domain);
	aa_finding_evidence(r, fd, "From domain %s (organizational domain %s)", in->domain,
	                    f->from_org_domain);
	if (!f->local_looking && f->org_by_psl)
		aa_finding_evidence(r, fd,
		                    "no DMARC record applies to %s: organizational domains by the public "
		                    "suffix list (RFC 7489 3.2)",
		                    in->domain);
	else if (!f->local_looking)
		aa_finding_evidence(r, fd, "organizational domains by the DNS tree walk (RFC 9989 4.10.2)");
	aa_finding_set_detail(r, fd,
	                      "SPF checks the Return-Path domain %s; DMARC counts an SPF pass "
	                      "only when that domain has the same organizational domain as "
	                      "the From domain %s (relaxed alignment), so this mail relies on "
	                      "an aligned DKIM signature alone.",
	                      f->domain, in->domain);
	aa_finding_set_fix(r, fd,
	                   "Send with a Return-Path in %s or a subdomain of it (e.g. "
	                   "bounces@%s, with SPF published there), or sign with an aligned "
	                   "DKIM key (d=%s).",
	                   f->from_org_domain, in->domain, in->domain);
}

/* The Return-Path domain's own SPF result, when it is not pass. */
static void
spf_result(const aa_check_in *in, const aa_envelope_facts *f, aa_report *r)
{
	aa_finding *fd;
	const char *res = f->spf_result;

	if (res == NULL || strcmp(res, "pass") == 0)
		return;
	fd = aa_report_add(r, AA_F_ENVELOPE_SPF, "%s", f->domain);
	if (fd != NULL && (strcmp(res, "fail") == 0 || strcmp(res, "permerror") == 0))
		fd->severity = AA_SEV_HIGH;
	aa_finding_evidence(r, fd, "Return-Path <%s>: receivers evaluate SPF for %s, not for %s", f->address,
	                    f->domain, in->domain);
	if (f->spf_ip != NULL)
		aa_finding_evidence(r, fd, "check_host(%s, %s, %s) = %s", f->spf_ip, f->domain, f->address,
		                    res);
	else
		aa_finding_evidence(r, fd, "SPF for %s: %s", f->domain, res);
	aa_finding_evidence(r, fd, "%s TXT: %s%s%s", f->domain, f->spf_record ? "\"" : "",
	                    f->spf_record ? f->spf_record : "no v=spf1 record", f->spf_record ? "\"" : "");
	if (f->spf_why != NULL && f->spf_why[0] != '\0')
		aa_finding_evidence(r, fd, "%s", f->spf_why);
	if (f->routable == AA_TRI_NO)
		aa_finding_evidence(r, fd, "%s has no MX and no address: bounces cannot arrive either",
		                    f->domain);
	if (f->spf_record == NULL)
		aa_finding_set_fix(r, fd,
		                   "Publish %s TXT \"v=spf1 ip4:<the host's address> -all\", or send with a "
		                   "Return-Path at %s (e.g. bounces@%s), whose SPF record covers the host.",
		                   f->domain, in->domain, in->domain);
	else
		aa_finding_set_fix(r, fd,
		                   "Authorise the sending IP in the record at %s (ip4:/ip6:), or send with a "
		                   "Return-Path at %s.",
		                   f->domain, in->domain);
}

static void
envelope_judge(const aa_check_in *in, const aa_envelope_facts *f, aa_report *r)
{
	if (f->routable == AA_TRI_NO)
		unroutable(in, f, r);
	spf_result(in, f, r);
	if (f->aligned == AA_TRI_NO)
		misaligned(in, f, r);
}

void
aa_check_envelope(const aa_check_in *in, aa_report *r)
{
	aa_envelope_facts *f;

	if (in->opt == NULL || in->opt->envelope_from == NULL)
		return;
	if ((f = envelope_derive(in)) == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_ENVELOPE, f, aa_envelope_facts_free);
	envelope_judge(in, f, r);
}
