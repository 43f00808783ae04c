/* modules.c — the area modules of an audit: each plan asks its queries
 * when the audit starts; each check judges the answers.  The order of the
 * rows does not matter: checks read only the record set and their own
 * facts, and the cross-area step runs after all of them (aa_run_checks). */
#include "engine/audit.h"
#include "plan/plan.h"

const aa_module aa_modules[] = {
    {"base", aa_plan_base, NULL},       {"dkim", aa_plan_dkim, aa_check_dkim},
    {"spf", aa_plan_spf, aa_check_spf}, {"dmarc", aa_plan_dmarc, aa_check_dmarc},
    {"mx", aa_plan_mx, aa_check_mx},    {"envelope", aa_plan_envelope, aa_check_envelope},
    {"ip", aa_plan_ip, aa_check_ip},    {"transport", aa_plan_transport, aa_check_transport},
    {"dns", NULL, aa_check_dns},
};

const size_t aa_nmodules = sizeof(aa_modules) / sizeof(aa_modules[0]);
