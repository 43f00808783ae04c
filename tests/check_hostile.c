/*
 * Hostile zones (fixtures/zones/hostile.test.zone): records an attacker
 * controlling a zone could publish to make an audit ask, spin or read
 * without bound.  Each audit must end within a bound of time and of queries
 * (counted at the server), without a crash, and say what it could not
 * follow instead of guessing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authaudit.h"
#include "harness.h"
#include "report/facts.h"
#include "report/report.h"
#include "suite.h"

static harness H;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct hostile {
	const char *domain;
	const char *what;
	int max_queries;    /* asked of the server, all names and types */
	const char *expect; /* a finding the audit must give, or NULL */
} cases[] = {
    {"fan.hostile.test", "40 includes of 20 includes each", 120, "SPF_LOOKUP_LIMIT"},
    {"deep.hostile.test", "a chain of 30 includes", 120, "SPF_LOOKUP_LIMIT"},
    {"redir.hostile.test", "a redirect loop", 60, "SPF_LOOP"},
    {"rep.hostile.test", "the same include 20 times down a chain of 10", 80, "SPF_LOOKUP_LIMIT"},
    {"cname.hostile.test", "_dmarc behind a 50-deep CNAME chain", 60, "DNS_INCOMPLETE"},
    /* 100 hosts x (A + AAAA) + the base plan: within the audit's budget */
    {"manymx.hostile.test", "100 MX hosts of 100 addresses each", 400, NULL},
    {"macro.hostile.test", "SPF macros and exists: with an IP", 80, NULL},
    {"longname.hostile.test", "an MX host of 253 octets", 60, NULL},
};

START_TEST(test_hostile_zone_is_audited_within_bounds)
{
	static const char *const ips[] = {"192.0.2.1"};
	const struct hostile *c = &cases[_i];
	aa_report *r;
	aa_options opt;
	long long t0, took;
	int asked;

	aa_options_init(&opt);
	opt.ips = ips;
	opt.n_ips = 1;
	harness_reset_log(&H);
	t0 = now_ms();
	r = suite_audit(&H, c->domain, &opt);
	took = now_ms() - t0;
	asked = harness_query_count(&H, NULL, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(took < 10000, "%s (%s): %lld ms", c->domain, c->what, took);
	ck_assert_msg(asked > 0 && asked <= c->max_queries, "%s (%s): %d queries", c->domain, c->what, asked);
	if (c->expect != NULL)
		ck_assert_msg(suite_find(r, c->expect) != NULL, "%s (%s): no %s", c->domain, c->what,
		              c->expect);
	if (strcmp(c->domain, "manymx.hostile.test") == 0) {
		const aa_mx_facts *mx = aa_report_facts(r, AA_AREA_MX);
		ck_assert_ptr_nonnull(mx);
		ck_assert_uint_eq(mx->nhosts, 100);
		ck_assert_uint_eq(mx->hosts[99].naddrs, 100); /* none dropped */
	}
	fprintf(stderr, "hostile: %s (%s): %d queries, %lld ms\n", c->domain, c->what, asked, took);
	aa_report_free(r);
}
END_TEST

START_TEST(test_a_60_kb_txt_rrset_arrives_whole_over_tcp)
{
	aa_report *r = suite_audit(&H, "bigtxt.hostile.test", NULL);
	const aa_rrset *rs;

	rs = aa_recordset_get(r->records, "bigtxt.hostile.test", AA_T_TXT);
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->nrr, 240);
	ck_assert_uint_gt(rs->wire_len, 60000);
	aa_report_free(r);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("zones");

	suite_fixture(tc, &H, 0);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hostile_zone_is_audited_within_bounds, 0,
	                    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_a_60_kb_txt_rrset_arrives_whole_over_tcp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(hostile_suite());
}
