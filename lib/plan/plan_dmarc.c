/*
 * plan_dmarc.c — DMARC discovery: _dmarc at the domain, then (only when the
 * domain answered without a record) at its organizational domain; and the
 * authorisation records of external report destinations.
 */
#include "check/dmarc_read.h"
#include "plan/plan.h"
#include "records/orgdomain.h"
#include "util/util.h"

#include <stdlib.h>
#include <strings.h>

static void
want_txt(const char *name, void *arg)
{
	aa_audit_want(arg, name, AA_T_TXT, NULL, NULL);
}

static void
dmarc_at_org(aa_audit *a, const aa_rrset *rs, void *arg)
{
	(void)arg;
	aa_dmarc_authorisation_names(rs, want_txt, a);
}

static void
dmarc_at_domain(aa_audit *a, const aa_rrset *rs, void *arg)
{
	const char *d = aa_audit_domain(a);
	char *org, *name;

	(void)arg;
	if (aa_dmarc_records(rs, NULL) > 0) {
		aa_dmarc_authorisation_names(rs, want_txt, a);
		return;
	}
	if (aa_outcome_is_error(rs->outcome) || rs->outcome == AA_OUT_PENDING)
		return; /* not verified: do not guess at the org domain's */
	if ((org = aa_org_domain(d)) != NULL && strcasecmp(org, d) != 0 &&
	    (name = aa_printf("_dmarc.%s", org)) != NULL) {
		aa_audit_want(a, name, AA_T_TXT, dmarc_at_org, NULL);
		free(name);
	}
	free(org);
}

void
aa_plan_dmarc(aa_audit *a)
{
	char *name = aa_printf("_dmarc.%s", aa_audit_domain(a));

	if (name == NULL) {
		aa_audit_report(a)->oom = 1;
		return;
	}
	aa_audit_want(a, name, AA_T_TXT, dmarc_at_domain, NULL);
	free(name);
}
