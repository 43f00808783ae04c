/*
 * MTA-STS and TLS-RPT records (MTA_STS_SYNTAX, TLSRPT_NONE, TLSRPT_SYNTAX)
 * against knotd serving fixtures/zones/transport-*.test.zone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "harness.h"
#include "report/facts.h"
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
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DNS_INCOMPLETE),
	                             "_smtp._tls.transport-fail.test TXT: servfail"));
	aa_report_free(r);
}
END_TEST

/* ---- facts, from an in-memory record set ---------------------------------- */

static void
put_txt(aa_recordset *s, const char *name, const char *txt)
{
	aa_rrset *rs = aa_rrset_new(name, AA_T_TXT);

	ck_assert_ptr_nonnull(rs);
	rs->outcome = AA_OUT_ANSWER;
	ck_assert_int_eq(aa_rrset_add(rs, txt, strlen(txt)), 0);
	ck_assert_int_eq(aa_recordset_put(s, rs), 0);
	aa_rrset_unref(rs);
}

static aa_report *
run_transport(const char *sts, const char *rpt)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r = aa_report_new("ex.test");
	aa_options opt;
	aa_check_in in;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(r);
	put_txt(s, "_mta-sts.ex.test", sts);
	put_txt(s, "_smtp._tls.ex.test", rpt);
	aa_options_init(&opt);
	in.domain = "ex.test";
	in.rs = s;
	in.opt = &opt;
	aa_check_transport(&in, r);
	aa_recordset_free(s);
	return r;
}

START_TEST(test_facts_carry_version_id_and_rua)
{
	aa_report *r =
	    run_transport("v=STSv1; id=abc123", "v=TLSRPTv1; rua=mailto:a@b.example,https://r.example/x");
	const aa_transport_facts *f = aa_report_facts(r, AA_AREA_TRANSPORT);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->mta_sts.nrecords, 1);
	ck_assert_str_eq(f->mta_sts.records[0].version, "STSv1");
	ck_assert_str_eq(f->mta_sts.records[0].id, "abc123");
	ck_assert_ptr_null(f->mta_sts.records[0].problem);
	ck_assert_uint_eq(f->tlsrpt.nrecords, 1);
	ck_assert_uint_eq(f->tlsrpt.records[0].nrua, 2);
	ck_assert_str_eq(f->tlsrpt.records[0].rua[1], "https://r.example/x");
	ck_assert_uint_eq(r->nfindings, 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_facts_name_the_problem_the_judge_reports)
{
	aa_report *r = run_transport("v=STSv1", "v=TLSRPTv1; rua=tls@ex.test");
	const aa_transport_facts *f = aa_report_facts(r, AA_AREA_TRANSPORT);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->mta_sts.records[0].problem, "no id="));
	ck_assert_str_eq(f->tlsrpt.records[0].bad, "tls@ex.test");
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_MTA_STS_SYNTAX), "has no id="));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_TLSRPT_SYNTAX), "(\"tls@ex.test\")"));
	aa_report_free(r);
}
END_TEST

/* An answer that has not arrived is not an answer: no "missing" for it. */
static const aa_outcome unfinished[] = {AA_OUT_PENDING, AA_OUT_DEADLINE, AA_OUT_TIMEOUT, AA_OUT_BUDGET};

START_TEST(test_unfinished_tls_rpt_lookup_is_never_reported_missing)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r = aa_report_new("ex.test");
	aa_rrset *rs = aa_rrset_new("_smtp._tls.ex.test", AA_T_TXT);
	aa_options opt;
	aa_check_in in;

	ck_assert_ptr_nonnull(rs);
	rs->outcome = unfinished[_i];
	ck_assert_int_eq(aa_recordset_put(s, rs), AA_OK);
	aa_rrset_unref(rs);
	aa_options_init(&opt);
	in.domain = "ex.test";
	in.rs = s;
	in.opt = &opt;
	aa_check_transport(&in, r);
	ck_assert_msg(aa_report_find(r, AA_F_TLSRPT_NONE) == NULL, "TLSRPT_NONE for a lookup that is %s",
	              aa_outcome_name(unfinished[_i]));
	aa_report_free(r);
	aa_recordset_free(s);
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
	tc = tcase_create("facts");
	tcase_add_test(tc, test_facts_carry_version_id_and_rua);
	tcase_add_test(tc, test_facts_name_the_problem_the_judge_reports);
	tcase_add_loop_test(tc, test_unfinished_tls_rpt_lookup_is_never_reported_missing, 0,
	                    sizeof(unfinished) / sizeof(unfinished[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(transport_suite());
}
