/* plan_mx.c — MX hosts and Microsoft 365 tenant evidence: every MX host's
 * A and AAAA as soon as the MX answer is in, MS= TXT, autodiscover, the
 * tenant's DKIM selectors. */
#include "plan/plan.h"
#include "records/addr.h"
#include "tables/m365.h"
#include "util/util.h"

#include <stdlib.h>

/* Every MX host's A and AAAA, asked at once. */
static void
mx_hosts(aa_audit *a, const aa_rrset *rs, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < rs->nrr; i++) {
		const char *host = rs->rr[i].data;
		if (aa_mx_null_target(host) || aa_is_ip_literal(host))
			continue; /* nothing to look up: a finding, not a query */
		aa_audit_want(a, host, AA_T_A, NULL, NULL);
		aa_audit_want(a, host, AA_T_AAAA, NULL, NULL);
	}
}

void
aa_plan_mx(aa_audit *a)
{
	const char *d = aa_audit_domain(a);
	char *name;
	size_t i;

	aa_audit_want(a, d, AA_T_MX, mx_hosts, NULL);
	aa_audit_want(a, d, AA_T_TXT, NULL, NULL); /* MS= and SPF */
	if ((name = aa_printf("autodiscover.%s", d)) != NULL) {
		aa_audit_want(a, name, AA_T_CNAME, NULL, NULL);
		free(name);
	}
	/* Also probed by the DKIM module; asked once either way. */
	for (i = 0; i < aa_n_m365_selectors; i++) {
		if ((name = aa_concat(aa_m365_selectors[i], "._domainkey.", d, (char *)NULL)) != NULL) {
			aa_audit_want(a, name, AA_T_TXT, NULL, NULL);
			free(name);
		}
	}
}
