/*
 * suite.h — what every Check suite of authaudit shares: whole audits
 * through the public API against the harness' servers, finding look-ups,
 * and running a suite.
 */
#ifndef AUTHAUDIT_TESTS_SUITE_H
#define AUTHAUDIT_TESTS_SUITE_H

#include <check.h>

#include "harness.h"
#include "report/report.h"

/* Audits `domain` through h's resolver and returns the report (the caller
 * frees it).  opt: NULL for defaults with a 1 s timeout and one try; its
 * resolvers, when NULL, become h's. */
aa_report *suite_audit(const harness *h, const char *domain, const aa_options *opt);
/* How many findings with this code the report has. */
int suite_count(const aa_report *r, const char *code);
/* The first finding named `code` (a catalogue name, checked), or NULL. */
const aa_finding *suite_find(const aa_report *r, const char *code);
/* Non-zero when some evidence line of f (may be NULL) contains needle. */
int suite_has_evidence(const aa_finding *f, const char *needle);
/* The fixture most suites share: h serves fixtures/zones with the faults
 * of fixtures/faults.conf (knotd and the fault responder), started before
 * the test case (per_test: before each test, in its own process) and
 * stopped after it; a harness that does not start fails the test case. */
void suite_fixture(TCase *tc, harness *h, int per_test);
/* The file's text in buf (at most size - 1 bytes, NUL-terminated); empty
 * when it cannot be read. */
void suite_slurp(const char *path, char *buf, size_t size);
/* Runs `sh -c cmd`; its standard output in out (at most cap - 1 bytes,
 * NUL-terminated; the rest is read and dropped); its exit status, or -1
 * when it did not exit normally. */
int suite_shell(const char *cmd, char *out, size_t cap);
/* Runs the suite; the process exit status. */
int suite_main(Suite *s);

#endif
