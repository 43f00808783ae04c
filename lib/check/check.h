/*
 * check.h — the checks: pure functions of a record set.  No DNS, no I/O, no
 * globals.  Each area derives its facts (report/facts.h), then judges them
 * into findings; the cross-area step (cross.c) reads facts only and owns the
 * rules that span areas.
 */
#ifndef AA_CHECK_H
#define AA_CHECK_H

#include "authaudit.h"
#include "records/recordset.h"
#include "report/report.h"

/* Input of a check: everything it may read.  Checks are pure: no DNS, no
 * I/O, no globals; they add findings to the report. */
typedef struct aa_check_in {
	const char *domain;
	const aa_recordset *rs;
	const aa_options *opt;
} aa_check_in;

/* Runs every check over a record set (the areas, then the cross-area step)
 * and scores the report: what an audit does when its answers are in, and
 * what tests call on an in-memory record set. */
void aa_run_checks(const aa_check_in *in, aa_report *r);

/* The apex answer that says the audited domain does not exist, or NULL.
 * Checks then leave the report to DOMAIN_NXDOMAIN instead of calling each
 * record missing. */
const aa_rrset *aa_domain_nxdomain(const aa_check_in *in);

void aa_check_dns(const aa_check_in *in, aa_report *r);
void aa_check_spf(const aa_check_in *in, aa_report *r);
void aa_check_dkim(const aa_check_in *in, aa_report *r);
void aa_check_dmarc(const aa_check_in *in, aa_report *r);
void aa_check_mx(const aa_check_in *in, aa_report *r);
void aa_check_envelope(const aa_check_in *in, aa_report *r);
void aa_check_ip(const aa_check_in *in, aa_report *r);
void aa_check_transport(const aa_check_in *in, aa_report *r);
/* The cross-area step: tenant evidence and the rules that span areas; reads
 * the facts the area checks left in the report, never their findings. */
void aa_check_cross(const aa_check_in *in, aa_report *r);
/* --profile checklist items, from the facts (called by aa_check_cross). */
void aa_check_profile(const aa_check_in *in, aa_report *r);

#endif
