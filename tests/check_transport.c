/*
 * MTA-STS and TLS-RPT records (MTA_STS_SYNTAX, TLSRPT_NONE, TLSRPT_SYNTAX)
 * against knotd serving fixtures/zones/transport-*.test.zone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "report.h"

static harness H;

static void
setup(void)
{
	if (harness_start(&H, "fixtures/zones", "fixtures/faults.conf") != 0)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	harness_stop(&H);
}

static void
keep(aa_report *r, void *arg)
{
	*(aa_report **)arg = r;
}

static aa_report *
audit(const char *domain)
{
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.timeout_ms = 1000;
	opt.tries = 1;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, domain, keep, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_free(ctx);
	ck_assert_ptr_nonnull(r);
	return r;
}

static int
evidence_has(const aa_finding *f, const char *needle)
{
	size_t i;

	for (i = 0; f != NULL && i < f->nevidence; i++)
		if (strstr(f->evidence[i], needle) != NULL)
			return 1;
	return 0;
}

START_TEST(test_valid_mta_sts_and_tls_rpt_raise_nothing)
{
	aa_report *r = audit("transport-good.test");

	ck_assert_ptr_null(aa_report_find(r, "MTA_STS_SYNTAX"));
	ck_assert_ptr_null(aa_report_find(r, "TLSRPT_NONE"));
	ck_assert_ptr_null(aa_report_find(r, "TLSRPT_SYNTAX"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_missing_tls_rpt_is_info_and_costs_nothing)
{
	aa_report *r = audit("transport-none.test");
	const aa_finding *f = aa_report_find(r, "TLSRPT_NONE");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_INFO);
	ck_assert_int_eq(f->cost, 0);
	ck_assert(evidence_has(f, "_smtp._tls.transport-none.test TXT: nxdomain"));
	ck_assert_ptr_nonnull(strstr(f->fix, "v=TLSRPTv1; rua=mailto:tls-reports@transport-none.test"));
	/* no MTA-STS record is not a finding: the policy is optional */
	ck_assert_ptr_null(aa_report_find(r, "MTA_STS_SYNTAX"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_mta_sts_without_id_and_rua_without_scheme_are_invalid)
{
	aa_report *r = audit("transport-noid.test");

	ck_assert(evidence_has(aa_report_find(r, "MTA_STS_SYNTAX"), "has no id="));
	ck_assert(evidence_has(aa_report_find(r, "TLSRPT_SYNTAX"), "(\"tls@transport-noid.test\")"));
	ck_assert_int_eq(aa_report_find(r, "TLSRPT_SYNTAX")->severity, AA_SEV_LOW);
	aa_report_free(r);
}
END_TEST

START_TEST(test_bad_id_characters_and_missing_rua_are_invalid)
{
	aa_report *r = audit("transport-badid.test");

	ck_assert(evidence_has(aa_report_find(r, "MTA_STS_SYNTAX"), "1 to 32 letters and digits"));
	ck_assert(evidence_has(aa_report_find(r, "TLSRPT_SYNTAX"), "has no rua="));
	aa_report_free(r);
}
END_TEST

START_TEST(test_two_sts_records_and_version_not_first_are_invalid)
{
	aa_report *r = audit("transport-twice.test");

	ck_assert(evidence_has(aa_report_find(r, "MTA_STS_SYNTAX"), "more than one v=STSv1"));
	ck_assert(evidence_has(aa_report_find(r, "TLSRPT_SYNTAX"), "must begin with v=TLSRPTv1"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_failed_tls_rpt_lookup_is_not_reported_missing)
{
	aa_report *r = audit("transport-fail.test");

	ck_assert_ptr_null(aa_report_find(r, "TLSRPT_NONE"));
	ck_assert(evidence_has(aa_report_find(r, "DNS_INCOMPLETE"), "_smtp._tls.transport-fail.test TXT: servfail"));
	aa_report_free(r);
}
END_TEST

static Suite *
transport_suite(void)
{
	Suite *s = suite_create("transport");
	TCase *tc = tcase_create("dns");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_valid_mta_sts_and_tls_rpt_raise_nothing);
	tcase_add_test(tc, test_missing_tls_rpt_is_info_and_costs_nothing);
	tcase_add_test(tc, test_mta_sts_without_id_and_rua_without_scheme_are_invalid);
	tcase_add_test(tc, test_bad_id_characters_and_missing_rua_are_invalid);
	tcase_add_test(tc, test_two_sts_records_and_version_not_first_are_invalid);
	tcase_add_test(tc, test_failed_tls_rpt_lookup_is_not_reported_missing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(transport_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
