/* dns.c — DOMAIN_NXDOMAIN, DNS_NAME_UNASKABLE, DNS_INCOMPLETE and
 * DNS_UNREACHABLE.
 *
 * Whose failure a failed lookup is decides the words: when every lookup
 * failed, the resolver path failed (DNS_UNREACHABLE, the report is not
 * graded); when some names answered and the domain's did not, the domain's
 * servers failed (DNS_INCOMPLETE).  A failed DNSBL lookup is neither: it is
 * the list's or the resolver's business (IP_DNSBL_NOT_CHECKED, ip.c).  A
 * name that could not be asked at all is DNS_NAME_UNASKABLE. */
#include "check/check.h"
#include "records/recordset.h"
#include "tables/dnsbl.h"

#include <stdlib.h>
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

/* Non-zero when rs is the DNSBL lookup of a --ip on a --dnsbl zone. */
static int
is_dnsbl_lookup(const aa_check_in *in, const aa_rrset *rs)
{
	const char *const *zones;
	size_t i, z, nzones;
	int hit = 0;

	if (in->opt == NULL || in->opt->n_ips == 0)
		return 0;
	zones = aa_dnsbl_zones(in->opt, &nzones);
	for (i = 0; i < in->opt->n_ips && !hit; i++)
		for (z = 0; z < nzones && !hit; z++) {
			char *name = aa_dnsbl_name(in->opt->ips[i], zones[z]);
			hit = name != NULL && strcmp(name, rs->name) == 0;
			free(name);
		}
	return hit;
}

/* Every lookup failed: one finding that blames the resolver path and
 * counts the outcomes. */
static void
unreachable(const aa_check_in *in, aa_report *r, size_t n)
{
	size_t count[AA_OUT_BUDGET + 1] = {0}, i;
	aa_finding *f = aa_report_add(r, AA_F_DNS_UNREACHABLE, "%s", in->domain);

	for (i = 0; i < n; i++)
		count[aa_recordset_at(in->rs, i)->outcome]++;
	aa_finding_evidence(r, f, "all %zu lookups failed; none answered", n);
	for (i = 0; i <= AA_OUT_BUDGET; i++)
		if (count[i] > 0)
			aa_finding_evidence(r, f, "%zu %s", count[i], aa_outcome_name((aa_outcome)i));
	if (in->opt != NULL && in->opt->resolvers != NULL)
		aa_finding_evidence(r, f, "resolver asked: %s", in->opt->resolvers);
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
	/* an audit its own --deadline stopped is incomplete, not unreachable */
	if (aa_report_unreachable(r) && !r->deadline_hit) {
		unreachable(in, r, n);
		return;
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
		if (!aa_outcome_is_error(rs->outcome) || is_dnsbl_lookup(in, rs))
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
