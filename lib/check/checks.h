/* checks.h — the check functions (pure: record set in, findings out). */
#ifndef AA_CHECKS_H
#define AA_CHECKS_H

#include "engine/audit.h"

void aa_check_dns(const aa_check_in *in, aa_report *r);
/* The apex answer that says the audited domain does not exist, or NULL.
 * Checks then leave the report to DOMAIN_NXDOMAIN instead of calling each
 * record missing. */
const aa_rrset *aa_domain_nxdomain(const aa_check_in *in);
void aa_check_profile(const aa_check_in *in, aa_report *r);
void aa_check_mx(const aa_check_in *in, aa_report *r);
void aa_check_envelope(const aa_check_in *in, aa_report *r);
void aa_check_ip(const aa_check_in *in, aa_report *r);
void aa_plan_transport(aa_audit *a);
void aa_check_transport(const aa_check_in *in, aa_report *r);

#endif
