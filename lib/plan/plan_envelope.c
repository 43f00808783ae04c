/* plan_envelope.c — the Return-Path domain (--envelope-from): can it
 * receive bounces (MX, else A/AAAA)? */
#include "plan/plan.h"
#include "records/mailaddr.h"

#include <stdlib.h>

void
aa_plan_envelope(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	const char *why;
	char *d;

	if (opt->envelope_from == NULL || (d = aa_envelope_domain(opt->envelope_from)) == NULL)
		return;
	if (d[0] != '\0' && !aa_envelope_local_looking(d, &why)) {
		aa_audit_want(a, d, AA_T_MX, NULL, NULL);
		aa_audit_want(a, d, AA_T_A, NULL, NULL);
		aa_audit_want(a, d, AA_T_AAAA, NULL, NULL);
	}
	free(d);
}
