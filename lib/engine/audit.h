/*
 * audit.h — one domain's audit in flight: its plan asks queries through the
 * shared resolver, its record view collects the answers, and when nothing is
 * pending (or its deadline passes) the checks turn the view into findings.
 */
#ifndef AA_AUDIT_H
#define AA_AUDIT_H

#include "authaudit.h"
#include "records/recordset.h"
#include "report/report.h"

typedef struct aa_audit aa_audit;

/* Called when a wanted record set is complete. */
typedef void (*aa_audit_fn)(aa_audit *a, const aa_rrset *rs, void *arg);

/*
 * Asks (name, type) for audit `a`; fn (optional) runs once the answer is
 * in, and may ask more.  Each distinct (name, type) counts once against the
 * audit's query budget; past it the view gets an AA_OUT_BUDGET entry and
 * AA_ELIMIT is returned.  AA_EDOMAIN: `name` cannot be asked (the caller
 * decides whether that is a finding).
 */
aa_status aa_audit_want(aa_audit *a, const char *name, aa_rrtype type, aa_audit_fn fn, void *arg);
const char *aa_audit_domain(const aa_audit *a);
const aa_options *aa_audit_options(const aa_audit *a);
/* The audit's view so far (answers that are in). */
const aa_recordset *aa_audit_view(const aa_audit *a);
/* The report being built (plans record what they probed, e.g. selectors). */
aa_report *aa_audit_report(aa_audit *a);

/* Input of a check: everything it may read.  Checks are pure: no DNS, no
 * I/O, no globals; they add findings to the report. */
typedef struct aa_check_in {
	const char *domain;
	const aa_recordset *rs;
	const aa_options *opt;
} aa_check_in;

typedef struct aa_module {
	const char *name;
	void (*plan)(aa_audit *a);                          /* optional */
	void (*check)(const aa_check_in *in, aa_report *r); /* optional */
} aa_module;

/* modules.c: the modules in the order their checks run (later checks may
 * read earlier findings from the report). */
extern const aa_module aa_modules[];
extern const size_t aa_nmodules;

/* Runs every module's check over a record set: what an audit does when its
 * answers are in, and what tests call on an in-memory record set. */
void aa_run_checks(const aa_check_in *in, aa_report *r);

#endif
