/*
 * plan.c — the base plan: the queries every audit needs.  Area modules add
 * their own queries and follow-ups (MX host addresses, SPF closure, DKIM
 * CNAME targets, ...).
 */
#include "plan/plan.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

void
aa_plan_base(aa_audit *a)
{
	const char *d = aa_audit_domain(a);

	/* MX host addresses (plan_mx.c) and --ip PTR/DNSBL names
	 * (plan_ip.c) are asked by their modules' plans. */
	aa_audit_want(a, d, AA_T_MX, NULL, NULL);
	aa_audit_want(a, d, AA_T_TXT, NULL, NULL);
	/* DKIM selectors (plan_dkim.c) and _dmarc (plan_dmarc.c) are asked
	 * by their modules' plans. */
}
