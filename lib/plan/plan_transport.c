/* plan_transport.c — the transport records: _mta-sts and _smtp._tls TXT. */
#include "plan/plan.h"
#include "util/util.h"

#include <stdlib.h>

static void
want(aa_audit *a, const char *label)
{
	char *name = aa_concat(label, ".", aa_audit_domain(a), (char *)NULL);

	if (name == NULL) {
		aa_audit_report(a)->oom = 1;
		return;
	}
	aa_audit_want(a, name, AA_T_TXT, NULL, NULL);
	free(name);
}

void
aa_plan_transport(aa_audit *a)
{
	want(a, "_mta-sts");
	want(a, "_smtp._tls");
}
