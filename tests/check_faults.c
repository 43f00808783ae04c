/*
 * The fault matrix: for each lookup an audit makes (MX, the apex TXT, _dmarc,
 * a DKIM selector, an SPF include, an MX host's address) and each way a
 * server can fail it (timeout, SERVFAIL, REFUSED, truncated with the TCP
 * retry hung up, a malformed answer, an answer under the wrong message ID or
 * to the wrong question, an answer slower than the deadline), the audit
 * ends, says it is incomplete, gives the faulted lookup its outcome class
 * and never reports the faulted record as missing.  fixtures/zones/fm.test
 * has one domain per case (TARGET-FAULT.fm.test), fixtures/faults.conf the
 * one fault of each; the cases run at once in one context (the slow ones
 * in a second, whose tries outlast the deadline).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "harness.h"
#include "report/report.h"
#include "suite.h"

#define ZONES "fixtures/zones"
#define RULES "fixtures/faults.conf"

static const struct target {
	const char *id;
	const char *prefix; /* of the faulted name, before the case's domain */
	aa_rrtype type;
	const char *never[3]; /* findings that would call it missing */
} targets[] = {
    {"mx", "", AA_T_MX, {"MX_NONE", "MX_NULL", NULL}},
    {"txt", "", AA_T_TXT, {"SPF_NONE", NULL, NULL}},
    {"dmarc", "_dmarc.", AA_T_TXT, {"DMARC_NONE", NULL, NULL}},
    {"selector", "selector1._domainkey.", AA_T_TXT, {"DKIM_NONE_FOUND", "DKIM_CNAME_DANGLING", NULL}},
    {"include", "inc.", AA_T_TXT, {"SPF_INCLUDE_NO_RECORD", "SPF_NONE", NULL}},
    {"mxhost", "mx.", AA_T_A, {"MX_TARGET_UNRESOLVABLE", NULL, NULL}},
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static const struct fault {
	const char *id;
	aa_outcome expected; /* AA_OUT_PENDING: any failure class */
} faults[] = {
    {"timeout", AA_OUT_TIMEOUT}, {"servfail", AA_OUT_SERVFAIL}, {"refused", AA_OUT_REFUSED},
    {"tcclose", AA_OUT_PENDING}, {"malformed", AA_OUT_PENDING}, {"wrongid", AA_OUT_TIMEOUT},
    {"wrongq", AA_OUT_TIMEOUT},  {"slow", AA_OUT_DEADLINE},
};
#define NFAULTS (sizeof(faults) / sizeof(faults[0]))

static harness H;
static aa_report *reports[NTARGETS * NFAULTS];

static void
keep(aa_report *r, void *arg)
{
	*(aa_report **)arg = r;
}

/* Every case at once: the matrix also shows that faults stay with the
 * domain they belong to. */
static void
run_cases(int slow, int timeout_ms, int deadline_ms)
{
	aa_options opt;
	aa_ctx *ctx;
	char domain[64];
	size_t t, f;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.timeout_ms = timeout_ms;
	opt.tries = 1;
	opt.deadline_ms = deadline_ms;
	opt.max_inflight = 64;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	for (t = 0; t < NTARGETS; t++)
		for (f = 0; f < NFAULTS; f++) {
			if ((faults[f].expected == AA_OUT_DEADLINE) != slow)
				continue;
			snprintf(domain, sizeof(domain), "%s-%s.fm.test", targets[t].id, faults[f].id);
			ck_assert_int_eq(aa_ctx_add(ctx, domain, keep, &reports[t * NFAULTS + f]), AA_OK);
		}
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_free(ctx);
}

static void
setup(void)
{
	if (harness_start(&H, ZONES, RULES) != 0)
		ck_abort_msg("harness_start failed (see stderr)");
	/* short tries: the failures come quickly */
	run_cases(0, 300, 5000);
	/* an answer slower than the deadline, with tries that would wait */
	run_cases(1, 5000, 1000);
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < NTARGETS * NFAULTS; i++)
		aa_report_free(reports[i]);
	harness_stop(&H);
}

START_TEST(test_a_faulted_lookup_is_incomplete_never_missing)
{
	const struct target *t = &targets[_i / NFAULTS];
	const struct fault *f = &faults[_i % NFAULTS];
	const aa_report *r = reports[_i];
	const aa_rrset *rs;
	char name[128];
	size_t k;

	ck_assert_ptr_nonnull(r);
	snprintf(name, sizeof(name), "%s%s", t->prefix, r->domain);
	rs = aa_recordset_get(r->records, name, t->type);
	ck_assert_msg(rs != NULL, "%s: %s %s was not asked", r->domain, name, aa_rrtype_name(t->type));
	if (f->expected != AA_OUT_PENDING)
		ck_assert_msg(rs->outcome == f->expected, "%s: %s is %s, not %s", r->domain, name,
		              aa_outcome_name(rs->outcome), aa_outcome_name(f->expected));
	else
		ck_assert_msg(aa_outcome_is_error(rs->outcome), "%s: %s is %s", r->domain, name,
		              aa_outcome_name(rs->outcome));
	ck_assert_msg(aa_report_incomplete(r), "%s: not marked incomplete", r->domain);
	ck_assert_msg(suite_find(r, "DNS_INCOMPLETE") != NULL, "%s: no DNS_INCOMPLETE", r->domain);
	ck_assert_msg(!aa_report_unreachable(r), "%s: called unreachable", r->domain);
	for (k = 0; k < 3 && t->never[k] != NULL; k++)
		ck_assert_msg(suite_find(r, t->never[k]) == NULL, "%s: %s for a lookup that failed",
		              r->domain, t->never[k]);
}
END_TEST

START_TEST(test_the_other_lookups_of_a_faulted_domain_are_answered)
{
	const aa_report *r = reports[_i];
	size_t i, failed = 0;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < aa_recordset_count(r->records); i++)
		failed += aa_outcome_is_error(aa_recordset_at(r->records, i)->outcome);
	/* the faulted name; and behind a faulted MX, SPF include or apex TXT
	 * nothing else fails either */
	ck_assert_msg(failed == 1, "%s: %zu lookups failed, not 1", r->domain, failed);
}
END_TEST

static Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("matrix");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_a_faulted_lookup_is_incomplete_never_missing, 0,
	                    (int)(NTARGETS * NFAULTS));
	tcase_add_loop_test(tc, test_the_other_lookups_of_a_faulted_domain_are_answered, 0,
	                    (int)(NTARGETS * NFAULTS));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(faults_suite());
}
