/* modules.c — the area modules of an audit, in check order. */
#include "engine/audit.h"
#include "check/checks.h"
#include "check/dkim.h"
#include "check/dmarc.h"
#include "check/mx.h"
#include "plan/plan.h"
#include "check/spf.h"

const aa_module aa_modules[] = {
	{"base", aa_plan_base, NULL},
	{"dkim", aa_plan_dkim, aa_check_dkim},
	{"spf", aa_spf_plan, aa_check_spf},
	{"dmarc", aa_plan_dmarc, aa_check_dmarc},
	{"mx", aa_plan_mx, aa_check_mx},
	{"envelope", aa_plan_envelope, aa_check_envelope},
	{"ip", aa_plan_ip, aa_check_ip},
	{"transport", aa_plan_transport, aa_check_transport},
	{"dns", NULL, aa_check_dns},
	{"profile", NULL, aa_check_profile},
};

const size_t aa_nmodules = sizeof(aa_modules) / sizeof(aa_modules[0]);
