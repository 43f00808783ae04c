/*
 * Envelope (--envelope-from) and sending-IP (--ip, --dnsbl) checks: the
 * pure helpers (generic PTR names, DNSBL return codes) and whole audits
 * against knotd serving the fixture reverse zones and DNSBL zones.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "check/check.h"
#include "check/dmarc_walk.h"
#include "check/ip.h"
#include "harness.h"
#include "report/report.h"
#include "suite.h"
#include "tables/dnsbl.h"

static harness H;

static void
setup(void)
{
	if (harness_start(&H, "fixtures/zones", "fixtures/faults.conf") == -1)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	harness_stop(&H);
}

static aa_report *
audit_with(const char *domain, const char *envelope, const char *const *ips, size_t nips,
           const char *const *dnsbls, size_t ndnsbls)
{
	aa_options opt;

	aa_options_init(&opt);
	opt.timeout_ms = 1000;
	opt.tries = 1;
	opt.envelope_from = envelope;
	opt.ips = ips;
	opt.n_ips = nips;
	opt.dnsbls = dnsbls;
	opt.n_dnsbls = ndnsbls;
	return suite_audit(&H, domain, &opt);
}

static const char *const fixture_dnsbls[] = {"dnsbl.test", "zen.spamhaus.org"};

static aa_report *
audit_ip(const char *ip)
{
	const char *ips[1];

	ips[0] = ip;
	return audit_with("ip-good.test", NULL, ips, 1, fixture_dnsbls, 2);
}

static const aa_finding *
must_find(const aa_report *r, const char *code)
{
	const aa_finding *f = suite_find(r, code);

	ck_assert_msg(f != NULL, "%s: no %s", r->domain, code);
	return f;
}

static int
area_count(const aa_report *r, aa_area area)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i]->def->area == area;
	return n;
}

/* ---- pure ------------------------------------------------------------------ */

/* aa_ptr_generic on a name given as a C string. */
static int
generic(const char *name, const char *ip, const char **why)
{
	return aa_ptr_generic(name, strlen(name), ip, why);
}

START_TEST(test_generic_ptr_names_are_recognised)
{
	const char *why;

	ck_assert(generic("192-0-2-13.dynamic.example.net", "192.0.2.13", &why));
	ck_assert(generic("13.2.0.192.in.example.net", "192.0.2.13", &why));
	ck_assert(generic("host-0-2-13.example.net", "192.0.2.13", &why));
	ck_assert(generic("c000020d.cust.example.net", "192.0.2.13", &why));
	ck_assert(generic("abc.dsl.example.net", "192.0.2.13", &why));
	ck_assert(generic("pool-7.example.net", "198.51.100.1", &why));
	ck_assert(generic("ppp123.example.net", "198.51.100.1", &why));
	ck_assert(!generic("mail.example.com", "192.0.2.13", &why));
	ck_assert(!generic("mx2.example.com", "192.0.2.13", &why));
	/* the provider's own domain does not count */
	ck_assert(!generic("mail.dynamic.com", "192.0.2.13", &why));
}
END_TEST

START_TEST(test_dnsbl_return_codes_are_decoded)
{
	static const unsigned char sbl[4] = {127, 0, 0, 2}, xbl[4] = {127, 0, 0, 4}, pbl[4] = {127, 0, 0, 11},
	                           open[4] = {127, 255, 255, 254}, odd[4] = {192, 0, 2, 1};
	aa_dnsbl_meaning m;
	char *name;

	aa_dnsbl_decode("zen.spamhaus.org", sbl, &m);
	ck_assert_int_eq(m.verdict, AA_DNSBL_LISTED);
	ck_assert_str_eq(m.list, "Spamhaus SBL");
	aa_dnsbl_decode("zen.spamhaus.org", xbl, &m);
	ck_assert_str_eq(m.list, "Spamhaus XBL");
	aa_dnsbl_decode("zen.spamhaus.org", pbl, &m);
	ck_assert_str_eq(m.list, "Spamhaus PBL");
	aa_dnsbl_decode("zen.spamhaus.org", open, &m);
	ck_assert_int_eq(m.verdict, AA_DNSBL_REFUSED);
	ck_assert(strstr(m.meaning, "public") != NULL);
	aa_dnsbl_decode("bl.spamcop.net", sbl, &m);
	ck_assert_str_eq(m.list, "SpamCop");
	aa_dnsbl_decode("bl.example.org", odd, &m);
	ck_assert_int_eq(m.verdict, AA_DNSBL_UNEXPECTED);
	name = aa_dnsbl_name("192.0.2.14", "zen.spamhaus.org");
	ck_assert_str_eq(name, "14.2.0.192.zen.spamhaus.org");
	free(name);
	name = aa_dnsbl_name("2001:db8::1", "x.test");
	ck_assert_str_eq(name, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.x.test");
	free(name);
}
END_TEST

/* Alignment by organizational domain (RFC 9989 4.10.2, the DNS tree walk;
 * a two-label public suffix).  The _dmarc records of an alignment case: NAME and its TXT, or NAME and
 * NULL for a SERVFAIL; every other name of the tree walks is NXDOMAIN. */
struct align_case {
	const char *domain, *envelope;
	const char *records[6]; /* name, txt, name, txt, ...; NULL ends */
	int misaligned;
};

/* Answers the tree walk of d over set as a server would: each name it asks
 * that the case does not list is NXDOMAIN. */
static void
answer_walk(aa_recordset *set, const char *d)
{
	aa_dmarc_walk w;

	for (;;) {
		aa_rrset *rs;
		ck_assert_int_eq(aa_dmarc_walk_read(set, d, &w), AA_OK);
		if (w.state != AA_DMARC_WALK_ASK)
			break;
		rs = aa_rrset_new(w.step[w.nread].qname, AA_T_TXT);
		rs->outcome = AA_OUT_NXDOMAIN;
		ck_assert_int_eq(aa_recordset_put(set, rs), 0);
		aa_rrset_unref(rs);
		aa_dmarc_walk_free(&w);
	}
	aa_dmarc_walk_free(&w);
}

static int
misaligned(const struct align_case *c)
{
	aa_recordset *set = aa_recordset_new();
	aa_report *r = aa_report_new(c->domain);
	aa_check_in in = {c->domain, set, NULL};
	aa_options opt;
	size_t i;
	int n;

	for (i = 0; c->records[i] != NULL; i += 2) {
		aa_rrset *rs = aa_rrset_new(c->records[i], AA_T_TXT);
		rs->outcome = c->records[i + 1] != NULL ? AA_OUT_ANSWER : AA_OUT_SERVFAIL;
		if (c->records[i + 1] != NULL)
			ck_assert_int_eq(aa_rrset_add(rs, c->records[i + 1], strlen(c->records[i + 1])), 0);
		ck_assert_int_eq(aa_recordset_put(set, rs), 0);
		aa_rrset_unref(rs);
	}
	answer_walk(set, c->domain);
	answer_walk(set, strchr(c->envelope, '@') + 1);
	aa_options_init(&opt);
	opt.envelope_from = c->envelope;
	in.opt = &opt;
	aa_check_envelope(&in, r);
	n = suite_count(r, "ENVELOPE_MISALIGNED");
	/* nothing was asked: routability is "not verified", not a finding */
	ck_assert_int_eq(suite_count(r, "ENVELOPE_UNROUTABLE"), 0);
	aa_report_free(r);
	aa_recordset_free(set);
	return n;
}

#define REJECT "v=DMARC1; p=reject"
static const struct align_case align_cases[] = {
    {"shop.example.co.uk", "bounce@mail.example.co.uk", {"_dmarc.example.co.uk", REJECT, NULL}, 0},
    {"example.co.uk", "b@em123.example.co.uk", {"_dmarc.example.co.uk", REJECT, NULL}, 0},
    {"example.co.uk", "b@other.co.uk", {"_dmarc.example.co.uk", REJECT, NULL}, 1},
    {"example.com", "bounces+123@sendgrid.net", {"_dmarc.example.com", REJECT, NULL}, 1},
    /* RFC 9989 4.10.2: psd=n makes dept.ex.test an organizational domain
     * of its own, so ex.test no longer aligns (the public suffix list says
     * ex.test for both) */
    {"mail.dept.ex.test",
     "b@bounces.ex.test",
     {"_dmarc.dept.ex.test", REJECT "; psd=n", "_dmarc.ex.test", REJECT, NULL},
     1},
    /* psd=y: giant and mega are two organizations under bank.test */
    {"giant.bank.test",
     "b@mail.mega.bank.test",
     {"_dmarc.giant.bank.test", REJECT, "_dmarc.bank.test", REJECT "; psd=y", NULL},
     1},
    {"giant.bank.test",
     "b@mail.giant.bank.test",
     {"_dmarc.giant.bank.test", REJECT, "_dmarc.bank.test", REJECT "; psd=y", NULL},
     0},
    /* a failed lookup of the Return-Path's walk: not verified, no finding */
    {"example.com", "b@sendgrid.net", {"_dmarc.example.com", REJECT, "_dmarc.sendgrid.net", NULL, NULL}, 0},
    /* no DMARC record applies to the From domain: the public suffix list */
    {"example.co.uk", "b@em123.example.co.uk", {NULL}, 0},
    {"example.co.uk", "b@other.co.uk", {NULL}, 1},
};

START_TEST(test_alignment_uses_the_organizational_domain)
{
	const struct align_case *c = &align_cases[_i];

	ck_assert_msg(misaligned(c) == c->misaligned, "%s / %s: misaligned %d", c->domain, c->envelope,
	              !c->misaligned);
}
END_TEST

/* ---- end to end: envelope ------------------------------------------------ */

START_TEST(test_return_path_in_a_bounce_subdomain_is_fine)
{
	aa_report *r = audit_with("env-aligned.test", "b@bounces.env-aligned.test", NULL, 0, NULL, 0);

	ck_assert_int_eq(area_count(r, AA_AREA_ENVELOPE), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_return_path_in_a_local_domain_loses_bounces)
{
	aa_report *r = audit_with("env-aligned.test", "phpuser@webhost.local", NULL, 0, NULL, 0);
	const aa_finding *f = must_find(r, "ENVELOPE_UNROUTABLE");
	const aa_envelope_facts *ef = aa_report_facts(r, AA_AREA_ENVELOPE);

	ck_assert(suite_has_evidence(f, "webhost.local"));
	ck_assert(strstr(f->detail, "5.7.606") != NULL);
	ck_assert(strstr(f->fix, "bounces@env-aligned.test") != NULL);
	must_find(r, "ENVELOPE_MISALIGNED");
	ck_assert_ptr_nonnull(ef);
	ck_assert(ef->local_looking);
	aa_report_free(r);
}
END_TEST

START_TEST(test_return_path_domain_without_mx_or_address_loses_bounces)
{
	aa_report *r = audit_with("env-dead.test", "app@env-dead.test", NULL, 0, NULL, 0);

	ck_assert(suite_has_evidence(must_find(r, "ENVELOPE_UNROUTABLE"), "no MX (nodata)"));
	ck_assert_int_eq(suite_count(r, "ENVELOPE_MISALIGNED"), 0);
	aa_report_free(r);
}
END_TEST

/* dept.dmarc-psdn.test publishes psd=n: mail under it and a Return-Path at
 * the apex are two organizations (the public suffix list says one). */
START_TEST(test_psd_n_organizational_domain_decides_return_path_alignment)
{
	aa_report *r = audit_with("mail.dept.dmarc-psdn.test", "b@mx.dmarc-psdn.test", NULL, 0, NULL, 0);
	const aa_finding *f = must_find(r, "ENVELOPE_MISALIGNED");

	ck_assert(suite_has_evidence(f, "From domain mail.dept.dmarc-psdn.test (organizational domain "
	                                "dept.dmarc-psdn.test)"));
	ck_assert(suite_has_evidence(f, "DNS tree walk (RFC 9989 4.10.2)"));
	ck_assert_int_ge(harness_query_count(&H, "_dmarc.mx.dmarc-psdn.test", "TXT"), 1);
	aa_report_free(r);
}
END_TEST

START_TEST(test_return_path_of_another_organisation_is_misaligned)
{
	aa_report *r = audit_with("env-aligned.test", "bounce-123@env-other.test", NULL, 0, NULL, 0);
	const aa_finding *f = must_find(r, "ENVELOPE_MISALIGNED");

	ck_assert(suite_has_evidence(f, "env-other.test"));
	ck_assert_int_eq(suite_count(r, "ENVELOPE_UNROUTABLE"), 0);
	aa_report_free(r);
}
END_TEST

/* ---- end to end: sending IP ------------------------------------------------ */

START_TEST(test_ip_with_confirmed_ptr_and_no_listing_is_clean)
{
	aa_report *r = audit_ip("192.0.2.10");
	const aa_ip_facts *f = aa_report_facts(r, AA_AREA_IP);

	ck_assert_int_eq(area_count(r, AA_AREA_IP), 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->nips, 1);
	ck_assert_int_eq(f->ips[0].fcrdns, AA_TRI_YES);
	ck_assert_str_eq(f->ips[0].ptr[0], "mail.ip-good.test");
	ck_assert_uint_eq(f->ips[0].ndnsbl, 2);
	aa_report_free(r);
}
END_TEST

START_TEST(test_ipv6_with_confirmed_ptr_is_clean)
{
	aa_report *r = audit_ip("2001:db8::25");

	ck_assert_int_eq(area_count(r, AA_AREA_IP), 0);
	ck_assert_int_eq(((const aa_ip_facts *)aa_report_facts(r, AA_AREA_IP))->ips[0].fcrdns, AA_TRI_YES);
	aa_report_free(r);
}
END_TEST

START_TEST(test_ip_without_ptr_is_flagged)
{
	aa_report *r = audit_ip("192.0.2.11");

	ck_assert(suite_has_evidence(must_find(r, "IP_NO_PTR"), "11.2.0.192.in-addr.arpa PTR: nxdomain"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_ptr_that_does_not_resolve_back_is_flagged)
{
	aa_report *r = audit_ip("192.0.2.12");

	ck_assert(suite_has_evidence(must_find(r, "IP_FCRDNS_MISMATCH"), "192.0.2.99"));
	ck_assert_int_eq(suite_count(r, "IP_NO_PTR"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_generic_ptr_is_flagged)
{
	aa_report *r = audit_ip("192.0.2.13");

	ck_assert(suite_has_evidence(must_find(r, "IP_PTR_GENERIC"), "192-0-2-13.dynamic.ip-good.test"));
	ck_assert_int_eq(suite_count(r, "IP_FCRDNS_MISMATCH"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_ip_listed_on_a_dnsbl_is_flagged_with_its_meaning)
{
	aa_report *r = audit_ip("192.0.2.14");
	size_t i;
	int zen = 0, fixture = 0;

	ck_assert_int_eq(suite_count(r, "IP_DNSBL_LISTED"), 2);
	for (i = 0; i < r->nfindings; i++) {
		const aa_finding *f = r->findings[i];
		if (strcmp(f->def->code, "IP_DNSBL_LISTED") != 0)
			continue;
		ck_assert(strstr(f->fix, "sender.office.com") != NULL);
		if (suite_has_evidence(f, "Spamhaus XBL")) {
			zen++;
			ck_assert(suite_has_evidence(f, "check.spamhaus.org"));
		}
		if (suite_has_evidence(f, "14.2.0.192.dnsbl.test A 127.0.0.2"))
			fixture++;
	}
	ck_assert_int_eq(zen, 1);
	ck_assert_int_eq(fixture, 1);
	aa_report_free(r);
}
END_TEST

START_TEST(test_dnsbl_refusal_is_not_a_listing)
{
	aa_report *r = audit_ip("192.0.2.15");

	ck_assert_int_eq(suite_count(r, "IP_DNSBL_LISTED"), 0);
	ck_assert(suite_has_evidence(must_find(r, "IP_DNSBL_UNUSABLE"), "public"));
	aa_report_free(r);
}
END_TEST

START_TEST(long_ptr_names_are_read_whole)
{
	char name[256];
	const char *why = NULL;
	size_t i, n = 0;

	/* 140 tokens before the word: past the old 64-token array */
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(name + n, sizeof(name) - n, "a%zu-", i % 10);
	snprintf(name + n, sizeof(name) - n, "dynamic.example.net");
	ck_assert_uint_gt(strlen(name), 200);
	ck_assert(generic(name, "198.51.100.1", &why));
	ck_assert_str_eq(why, "the name contains a word used for dynamic or residential ranges");

	/* a 70-letter token is one token, not a truncated 63-letter one */
	memset(name, 'x', 70);
	snprintf(name + 70, sizeof(name) - 70, "-192-0-2-13.example.net");
	ck_assert(generic(name, "192.0.2.13", &why));
	/* the length bounds the read: the digits after it do not count */
	ck_assert(!aa_ptr_generic("mail.example.net.13.2.0.192", 16, "192.0.2.13", &why));
}
END_TEST

static Suite *
ip_suite(void)
{
	Suite *s = suite_create("ip");
	TCase *tc;

	tc = tcase_create("pure");
	tcase_add_test(tc, test_generic_ptr_names_are_recognised);
	tcase_add_test(tc, long_ptr_names_are_read_whole);
	tcase_add_test(tc, test_dnsbl_return_codes_are_decoded);
	tcase_add_loop_test(tc, test_alignment_uses_the_organizational_domain, 0,
	                    (int)(sizeof(align_cases) / sizeof(align_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("audit");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_return_path_in_a_bounce_subdomain_is_fine);
	tcase_add_test(tc, test_return_path_in_a_local_domain_loses_bounces);
	tcase_add_test(tc, test_return_path_domain_without_mx_or_address_loses_bounces);
	tcase_add_test(tc, test_return_path_of_another_organisation_is_misaligned);
	tcase_add_test(tc, test_psd_n_organizational_domain_decides_return_path_alignment);
	tcase_add_test(tc, test_ip_with_confirmed_ptr_and_no_listing_is_clean);
	tcase_add_test(tc, test_ipv6_with_confirmed_ptr_is_clean);
	tcase_add_test(tc, test_ip_without_ptr_is_flagged);
	tcase_add_test(tc, test_ptr_that_does_not_resolve_back_is_flagged);
	tcase_add_test(tc, test_generic_ptr_is_flagged);
	tcase_add_test(tc, test_ip_listed_on_a_dnsbl_is_flagged_with_its_meaning);
	tcase_add_test(tc, test_dnsbl_refusal_is_not_a_listing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(ip_suite());
}
