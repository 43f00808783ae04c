/*
 * MTA-STS and TLS-RPT records (MTA_STS_SYNTAX, TLSRPT_NONE, TLSRPT_SYNTAX)
 * against knotd serving fixtures/zones/transport-*.test.zone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "report/report.h"
#include "suite.h"

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

static aa_report *
audit(const char *domain)
{
	return suite_audit(&H, domain, NULL);
}

START_TEST(test_valid_mta_sts_and_tls_rpt_raise_nothing)
{
	aa_report *r = audit("transport-good.test");

	ck_assert_ptr_null(aa_report_find(r, AA_F_MTA_STS_SYNTAX));
	ck_assert_ptr_null(aa_report_find(r, AA_F_TLSRPT_NONE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_TLSRPT_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(test_missing_tls_rpt_is_info_and_costs_nothing)
{
	aa_report *r = audit("transport-none.test");
	const aa_finding *f = aa_report_find(r, AA_F_TLSRPT_NONE);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_INFO);
	ck_assert_int_eq(f->cost, 0);
	ck_assert(suite_has_evidence(f, "_smtp._tls.transport-none.test TXT: nxdomain"));
	ck_assert_ptr_nonnull(strstr(f->fix, "v=TLSRPTv1; rua=mailto:tls-reports@transport-none.test"));
	/* no MTA-STS record is not a finding: the policy is optional */
	ck_assert_ptr_null(aa_report_find(r, AA_F_MTA_STS_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(test_mta_sts_without_id_and_rua_without_scheme_are_invalid)
{
	aa_report *r = audit("transport-noid.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_MTA_STS_SYNTAX), "has no id="));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_TLSRPT_SYNTAX), "(\"tls@transport-noid.test\")"));
	ck_assert_int_eq(aa_report_find(r, AA_F_TLSRPT_SYNTAX)->severity, AA_SEV_LOW);
	aa_report_free(r);
}
END_TEST

START_TEST(test_bad_id_characters_and_missing_rua_are_invalid)
{
	aa_report *r = audit("transport-badid.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_MTA_STS_SYNTAX), "1 to 32 letters and digits"));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_TLSRPT_SYNTAX), "has no rua="));
	aa_report_free(r);
}
END_TEST

START_TEST(test_two_sts_records_and_version_not_first_are_invalid)
{
	aa_report *r = audit("transport-twice.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_MTA_STS_SYNTAX), "more than one v=STSv1"));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_TLSRPT_SYNTAX), "must begin with v=TLSRPTv1"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_failed_tls_rpt_lookup_is_not_reported_missing)
{
	aa_report *r = audit("transport-fail.test");

	ck_assert_ptr_null(aa_report_find(r, AA_F_TLSRPT_NONE));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DNS_INCOMPLETE), "_smtp._tls.transport-fail.test TXT: servfail"));
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
	return suite_main(transport_suite());
}
