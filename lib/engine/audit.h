/*
 * audit.h — the engine's modules: per area, the plan that asks its queries
 * and the check that judges the answers.  One domain's audit in flight asks
 * through the shared resolver (plan/want.h); when nothing is pending (or its
 * deadline passes) the checks turn its view into findings (check/check.h).
 */
#ifndef AA_AUDIT_H
#define AA_AUDIT_H

#include "check/check.h"
#include "plan/want.h"

typedef struct aa_module {
	const char *name;
	void (*plan)(aa_audit *a);                          /* optional */
	void (*check)(const aa_check_in *in, aa_report *r); /* optional */
} aa_module;

/* modules.c: the modules of an audit. */
extern const aa_module aa_modules[];
extern const size_t aa_nmodules;

#endif
