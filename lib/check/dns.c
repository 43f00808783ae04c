/* dns.c — DOMAIN_NXDOMAIN, DNS_NAME_UNASKABLE and DNS_INCOMPLETE. */
#include "check/check.h"

#include <string.h>

static const aa_rrtype apex_types[] = {AA_T_MX, AA_T_TXT};

const aa_rrset *
aa_domain_nxdomain(const aa_check_in *in)
{
	size_t i;

	for (i = 0; i < sizeof(apex_types) / sizeof(apex_types[0]); i++) {
		const aa_rrset *rs = aa_recordset_get(in->rs, in->domain, apex_types[i]);
		if (rs != NULL && rs->outcome == AA_OUT_NXDOMAIN && rs->nchain == 0)
			return rs;
	}
	return NULL;
}

void
aa_check_dns(const aa_check_in *in, aa_report *r)
{
	const aa_rrset *nx = aa_domain_nxdomain(in);
	aa_finding *f = NULL;
	size_t i, n = aa_recordset_count(in->rs);

	if (nx != NULL) {
		f = aa_report_add(r, AA_F_DOMAIN_NXDOMAIN, "%s", in->domain);
		aa_finding_evidence(r, f, "%s %s: NXDOMAIN (the name does not exist)", in->domain,
		                    aa_rrtype_name(nx->type));
	}
	f = NULL;
	for (i = 0; i < n; i++) {
		const aa_rrset *rs = aa_recordset_at(in->rs, i);
		if (rs->outcome != AA_OUT_BADNAME)
			continue;
		if (f == NULL)
			f = aa_report_add(r, AA_F_DNS_NAME_UNASKABLE, "%s", in->domain);
		if (rs->nchain > 0)
			aa_finding_evidence(r, f, "%s %s: a CNAME to %s, which cannot be looked up", rs->name,
			                    aa_rrtype_name(rs->type), rs->chain[rs->nchain - 1]);
		else
			aa_finding_evidence(r, f, "%s %s: the name cannot be looked up", rs->name,
			                    aa_rrtype_name(rs->type));
	}
	f = NULL;
	for (i = 0; i < n; i++) {
		const aa_rrset *rs = aa_recordset_at(in->rs, i);
		if (!aa_outcome_is_error(rs->outcome))
			continue;
		if (f == NULL)
			f = aa_report_add(r, AA_F_DNS_INCOMPLETE, "%s", in->domain);
		aa_finding_evidence(r, f, "%s %s: %s", rs->name, aa_rrtype_name(rs->type),
		                    aa_outcome_name(rs->outcome));
	}
	if (f != NULL) { /* what the MX module could not judge (mx.c) */
		const aa_rrset *mx = aa_recordset_get(in->rs, in->domain, AA_T_MX);
		if (mx != NULL && aa_outcome_is_error(mx->outcome))
			aa_finding_evidence(r, f,
			                    "not verified: MX (no MX, null MX, MX hosts, "
			                    "providers, Microsoft 365 mail routing)");
	}
	if (f == NULL && r->deadline_hit) {
		f = aa_report_add(r, AA_F_DNS_INCOMPLETE, "%s", in->domain);
		aa_finding_evidence(r, f, "the audit's deadline passed before every answer was in");
	}
}
