/*
 * DMARC: the pure check on in-memory record sets, and whole audits against
 * knotd serving fixtures/zones/dmarc-*.test.zone and example.co.uk.zone.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "engine/audit.h"
#include "harness.h"
#include "records/orgdomain.h"
#include "render/render.h"
#include "report/facts.h"
#include "report/report.h"
#include "suite.h"

static harness H;

/* ---- in-memory helpers ----------------------------------------------- */

static void
put(aa_recordset *s, const char *name, aa_outcome out, const char *txt1, const char *txt2)
{
	aa_rrset *rs = aa_rrset_new(name, AA_T_TXT);

	ck_assert_ptr_nonnull(rs);
	rs->outcome = out;
	if (txt1 != NULL)
		ck_assert_int_eq(aa_rrset_add(rs, txt1, strlen(txt1)), 0);
	if (txt2 != NULL)
		ck_assert_int_eq(aa_rrset_add(rs, txt2, strlen(txt2)), 0);
	ck_assert_int_eq(aa_recordset_put(s, rs), 0);
	aa_rrset_unref(rs);
}

/* The DMARC check of `s` (DMARC_ENFORCED_UNALIGNABLE, which also needs the
 * SPF and DKIM facts, is the cross-area step's: tests/check_cross.c). */
static aa_report *
run_dmarc(aa_recordset *s, const char *domain)
{
	aa_options opt;
	aa_check_in in;
	aa_report *r = aa_report_new(domain);

	ck_assert_ptr_nonnull(r);
	aa_options_init(&opt);
	in.domain = domain;
	in.rs = s;
	in.opt = &opt;
	aa_check_dmarc(&in, r);
	return r;
}

static aa_report *
check_record(const char *record)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r;

	put(s, "_dmarc.ex.test", AA_OUT_ANSWER, record, NULL);
	r = run_dmarc(s, "ex.test");
	aa_recordset_free(s);
	return r;
}

static const aa_dmarc_facts *
facts(const aa_report *r)
{
	const aa_dmarc_facts *f = aa_report_facts(r, AA_AREA_DMARC);
	ck_assert_ptr_nonnull(f);
	return f;
}

/* ---- unit tests -------------------------------------------------------- */

START_TEST(valid_reject_record_raises_nothing)
{
	aa_report *r =
	    check_record("v=DMARC1; p=reject; rua=mailto:d@ex.test; adkim=s; fo=1:d; ri=86400; rf=afrf");

	ck_assert_uint_eq(r->nfindings, 0);
	ck_assert_int_eq(facts(r)->state, AA_DMARC_FOUND);
	ck_assert_int_eq(facts(r)->effective, AA_DMARC_P_REJECT);
	ck_assert_int_eq(facts(r)->adkim, 's');
	aa_report_free(r);
}
END_TEST

START_TEST(every_bad_tag_value_is_named)
{
	aa_report *r = check_record("v=DMARC1; p=reject; pct=150; aspf=x; fo=9; rf=xml; ri=soon; np=deny; "
	                            "rua=mailto:d@ex.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_SYNTAX);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "pct=150"));
	ck_assert(suite_has_evidence(f, "aspf=x"));
	ck_assert(suite_has_evidence(f, "fo=9"));
	ck_assert(suite_has_evidence(f, "rf=xml"));
	ck_assert(suite_has_evidence(f, "ri=soon"));
	ck_assert(suite_has_evidence(f, "np=deny"));
	aa_report_free(r);
}
END_TEST

START_TEST(unknown_tags_are_ignored_as_receivers_do)
{
	aa_report *r = check_record("v=DMARC1; p=reject; t=y; psd=n; foo=bar; rua=mailto:d@ex.test");

	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(missing_p_is_a_syntax_error_even_though_v_is_first)
{
	aa_report *r = check_record("v=DMARC1; rua=mailto:d@ex.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_SYNTAX), "p= tag is missing"));
	aa_report_free(r);
}
END_TEST

START_TEST(garbage_without_equals_is_a_syntax_error)
{
	aa_report *r = check_record("v=DMARC1; p=none; hello world; rua=mailto:d@ex.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_SYNTAX), "hello world"));
	aa_report_free(r);
}
END_TEST

START_TEST(mailto_with_size_limit_is_valid_and_bare_address_is_not)
{
	aa_report *r = check_record("v=DMARC1; p=reject; rua=mailto:d@ex.test!10m,d@ex.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_RUA_INVALID);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "rua=d@ex.test"));
	ck_assert(!suite_has_evidence(f, "10m"));
	aa_report_free(r);
}
END_TEST

START_TEST(timeout_on_dmarc_is_not_verified_rather_than_none)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r;

	put(s, "_dmarc.ex.test", AA_OUT_TIMEOUT, NULL, NULL);
	r = run_dmarc(s, "ex.test");
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_NOT_VERIFIED);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(failed_org_domain_lookup_is_not_verified_rather_than_none)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r;

	put(s, "_dmarc.a.example.co.uk", AA_OUT_NXDOMAIN, NULL, NULL);
	put(s, "_dmarc.example.co.uk", AA_OUT_SERVFAIL, NULL, NULL);
	r = run_dmarc(s, "a.example.co.uk");
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_NOT_VERIFIED);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(org_domain_respects_multi_label_public_suffixes)
{
	char *o = aa_org_domain("a.b.example.co.uk");

	ck_assert_str_eq(o, "example.co.uk");
	free(o);
	o = aa_org_domain("Mail.Example.COM.");
	ck_assert_str_eq(o, "example.com");
	free(o);
	ck_assert_ptr_null(aa_org_domain("co.uk"));
}
END_TEST

START_TEST(same_org_report_address_needs_no_authorisation)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r;

	put(s, "_dmarc.mail.ex.test", AA_OUT_ANSWER, "v=DMARC1; p=reject; rua=mailto:d@reports.ex.test",
	    NULL);
	r = run_dmarc(s, "mail.ex.test");
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_RUA_UNAUTHORIZED));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(facts_carry_uris_and_syntax_problems_the_judge_reports)
{
	aa_report *r = check_record("v=DMARC1; p=none; rua=mailto:a@ex.test,https://x.test, "
	                            "mailto:d@other.test; pct=abc");
	const aa_dmarc_facts *f = facts(r);

	ck_assert_str_eq(f->where, "_dmarc.ex.test");
	ck_assert_uint_eq(f->nuris, 3);
	ck_assert_int_eq(f->uris[0].state, AA_DMARC_URI_OK);
	ck_assert_int_eq(f->uris[1].state, AA_DMARC_URI_INVALID);
	/* another organization whose authorisation was not asked: not verified */
	ck_assert_int_eq(f->uris[2].state, AA_DMARC_URI_UNVERIFIED);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_RUA_UNAUTHORIZED));
	ck_assert_uint_eq(f->nsyntax, 1);
	ck_assert_str_eq(f->syntax[0].where, "_dmarc.ex.test");
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_SYNTAX), f->syntax[0].problems[0]));
	aa_report_free(r);
}
END_TEST

START_TEST(absent_record_facts_keep_the_lookup_outcomes)
{
	aa_recordset *s = aa_recordset_new();
	aa_report *r;

	put(s, "_dmarc.mail.ex.test", AA_OUT_NXDOMAIN, NULL, NULL);
	put(s, "_dmarc.ex.test", AA_OUT_NODATA, NULL, NULL);
	put(s, "_dmarc.test", AA_OUT_NXDOMAIN, NULL, NULL);
	r = run_dmarc(s, "mail.ex.test");
	ck_assert_int_eq(facts(r)->state, AA_DMARC_ABSENT);
	ck_assert_int_eq(facts(r)->outcome, AA_OUT_NXDOMAIN);
	/* no record anywhere: the tree walk makes the domain its own
	 * organizational domain; the public suffix list says ex.test */
	ck_assert_str_eq(facts(r)->org_domain, "mail.ex.test");
	ck_assert_int_eq(facts(r)->org_rule, AA_DMARC_ORG_NO_RECORD);
	ck_assert_str_eq(facts(r)->psl_org_domain, "ex.test");
	ck_assert_uint_eq(facts(r)->nwalk, 3);
	ck_assert_int_eq(facts(r)->walk[1].outcome, AA_OUT_NODATA);
	ck_assert_int_eq(facts(r)->walk[2].outcome, AA_OUT_NXDOMAIN);
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_NONE),
	                             "_dmarc.ex.test TXT (DNS tree walk, RFC 9989 4.10): nodata"));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_NONE),
	                             "_dmarc.test TXT (DNS tree walk, RFC 9989 4.10): nxdomain"));
	/* no policy anywhere: the two organizational domains align nothing */
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_TREE_WALK));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

/* ---- end to end -------------------------------------------------------- */

static aa_report *
audit(const char *domain)
{
	return suite_audit(&H, domain, NULL);
}

static size_t
count_area(const aa_report *r, aa_area area)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i]->def->area == area)
			n++;
	return n;
}

START_TEST(healthy_record_raises_no_dmarc_finding)
{
	aa_report *r = audit("dmarc-good.test");

	ck_assert_uint_eq(count_area(r, AA_AREA_DMARC), 0);
	ck_assert_int_eq(facts(r)->effective, AA_DMARC_P_REJECT);
	aa_report_free(r);
}
END_TEST

START_TEST(p_none_is_reported_as_monitoring_only)
{
	aa_report *r = audit("dmarc-policy-none.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_POLICY_NONE));
	aa_report_free(r);
}
END_TEST

START_TEST(pct_50_is_partial)
{
	aa_report *r = audit("dmarc-pct.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_PCT_PARTIAL), "pct=50"));
	aa_report_free(r);
}
END_TEST

START_TEST(sp_none_under_p_reject_is_weaker)
{
	aa_report *r = audit("dmarc-sp-weaker.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_SP_WEAKER), "p=reject but sp=none"));
	aa_report_free(r);
}
END_TEST

START_TEST(record_without_rua_is_reported)
{
	aa_report *r = audit("dmarc-no-rua.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_NO_RUA));
	aa_report_free(r);
}
END_TEST

START_TEST(external_rua_with_authorisation_is_accepted)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("dmarc-rua-authorized.test");
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_RUA_UNAUTHORIZED));
	ck_assert_int_eq(harness_query_count(&H, "dmarc-rua-authorized.test._report._dmarc.reports.test",
	                                     "TXT"),
	                 1);
	aa_report_free(r);
}
END_TEST

START_TEST(external_rua_and_ruf_without_authorisation_are_reported)
{
	aa_report *r = audit("dmarc-rua-unauthorized.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_RUA_UNAUTHORIZED);
	size_t i, n = 0;

	ck_assert(suite_has_evidence(f, "dmarc-rua-unauthorized.test._report._dmarc.reports.test"));
	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i]->def->code, "DMARC_RUA_UNAUTHORIZED") == 0)
			n++;
	ck_assert_uint_eq(n, 2); /* rua and ruf */
	aa_report_free(r);
}
END_TEST

START_TEST(https_rua_is_invalid)
{
	aa_report *r = audit("dmarc-rua-invalid.test");

	ck_assert(
	    suite_has_evidence(aa_report_find(r, AA_F_DMARC_RUA_INVALID), "https://reports.test/dmarc"));
	aa_report_free(r);
}
END_TEST

START_TEST(two_records_are_multiple_and_no_policy_applies)
{
	aa_report *r = audit("dmarc-multiple.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_MULTIPLE));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_MULTIPLE);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_POLICY_NONE));
	aa_report_free(r);
}
END_TEST

START_TEST(v_not_first_is_a_syntax_error_libopendmarc_would_miss)
{
	aa_report *r = audit("dmarc-v-not-first.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_SYNTAX);

	ck_assert(suite_has_evidence(f, "must be the first tag"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	aa_report_free(r);
}
END_TEST

START_TEST(lowercase_version_is_no_record_with_the_lookalike_shown)
{
	aa_report *r = audit("dmarc-lowercase-version.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_NONE);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "v=dmarc1; p=reject"));
	ck_assert(suite_has_evidence(f, "exactly"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_SYNTAX));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_ABSENT);
	ck_assert_int_eq(facts(r)->effective, AA_DMARC_P_UNSET);
	aa_report_free(r);
}
END_TEST

START_TEST(test_mode_t_y_is_a_finding_and_lowers_the_policy)
{
	aa_report *r = audit("dmarc-test-mode.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_TEST_MODE);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(f->severity, AA_SEV_MEDIUM);
	ck_assert(suite_has_evidence(f, "t=y"));
	ck_assert(facts(r)->testing);
	aa_report_free(r);
	r = audit("dmarc-good.test");
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_TEST_MODE));
	aa_report_free(r);
}
END_TEST

START_TEST(pct_zero_is_as_serious_as_p_none)
{
	aa_report *r = audit("dmarc-pct-zero.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_PCT_PARTIAL);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(f->severity, AA_SEV_MEDIUM);
	ck_assert(suite_has_evidence(f, "RFC 9989"));
	aa_report_free(r);
}
END_TEST

START_TEST(np_gives_the_policy_of_non_existent_subdomains)
{
	aa_report *r = audit("dmarc-np.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_SP_WEAKER);

	ck_assert_int_eq(facts(r)->nonexistent, AA_DMARC_P_NONE);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "np=none"));
	aa_report_free(r);
	r = audit("gone.dmarc-np.test");
	ck_assert_int_eq(facts(r)->state, AA_DMARC_INHERITED);
	ck_assert_int_eq(facts(r)->effective, AA_DMARC_P_NONE);
	aa_report_free(r);
	r = audit("dmarc-good.test");
	ck_assert_int_eq(facts(r)->nonexistent, AA_DMARC_P_REJECT);
	aa_report_free(r);
}
END_TEST

START_TEST(ignored_record_does_not_leak_its_tags_into_the_policy)
{
	aa_report *r = audit("mail.dmarc-mention-leak.test");
	const aa_dmarc_facts *f = facts(r);

	ck_assert_int_eq(f->state, AA_DMARC_INHERITED);
	ck_assert_int_eq(f->sp, AA_DMARC_P_UNSET);
	ck_assert_int_eq(f->np, AA_DMARC_P_UNSET);
	ck_assert_uint_eq(f->pct, 100);
	ck_assert_int_eq(f->effective, AA_DMARC_P_REJECT);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_POLICY_NONE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_PCT_PARTIAL));
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(ignored_records_at_domain_and_org_domain_are_two_findings)
{
	aa_report *r = audit("mail.dmarc-mention-both.test");
	const aa_dmarc_facts *f = facts(r);
	size_t i, n = 0;

	ck_assert_uint_eq(f->nsyntax, 2);
	ck_assert_str_eq(f->syntax[0].where, "_dmarc.mail.dmarc-mention-both.test");
	ck_assert_str_eq(f->syntax[1].where, "_dmarc.dmarc-mention-both.test");
	ck_assert_str_eq(f->syntax[1].record, "p=quarantine; v=DMARC1");
	ck_assert_uint_eq(f->syntax[0].nproblems, 1);
	ck_assert_uint_eq(f->syntax[1].nproblems, 1);
	for (i = 0; i < r->nfindings; i++)
		n += r->findings[i]->def->id == AA_F_DMARC_SYNTAX;
	ck_assert_uint_eq(n, 2);
	aa_report_free(r);
}
END_TEST

START_TEST(bad_p_value_is_a_syntax_error_naming_the_tag)
{
	aa_report *r = audit("dmarc-bad-tag.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_SYNTAX);

	ck_assert(suite_has_evidence(f, "p=bogus"));
	ck_assert(suite_has_evidence(f, "adkim=x"));
	aa_report_free(r);
}
END_TEST

START_TEST(missing_record_is_dmarc_none)
{
	aa_report *r = audit("dmarc-none.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_ABSENT);
	aa_report_free(r);
}
END_TEST

START_TEST(subdomain_inherits_sp_from_its_co_uk_organizational_domain)
{
	aa_report *r = audit("sub.example.co.uk");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_INHERITED);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "_dmarc.example.co.uk"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_INHERITED);
	ck_assert_str_eq(facts(r)->policy_domain, "example.co.uk");
	ck_assert_int_eq(facts(r)->effective, AA_DMARC_P_QUARANTINE);
	aa_report_free(r);
}
END_TEST

START_TEST(servfail_on_dmarc_is_not_reported_as_missing)
{
	aa_report *r = audit("dmarc-servfail.test");
	const aa_finding *f = aa_report_find(r, AA_F_DNS_INCOMPLETE);

	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert(suite_has_evidence(f, "_dmarc.dmarc-servfail.test"));
	ck_assert_int_eq(facts(r)->state, AA_DMARC_NOT_VERIFIED);
	aa_report_free(r);
}
END_TEST

START_TEST(reject_with_no_spf_and_no_dkim_is_unalignable)
{
	aa_report *r = audit("dmarc-unalignable.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_ENFORCED_UNALIGNABLE));
	aa_report_free(r);
}
END_TEST

/* ---- the DNS tree walk (RFC 9989 4.10) -------------------------------- */

/* One audit and what the walk must decide: the record that applies, the
 * organizational domain and why, and whether the report says that the
 * public suffix list (RFC 7489) decides otherwise (DMARC_TREE_WALK). */
static const struct walk_case {
	const char *domain;
	aa_dmarc_state state;
	const char *policy_domain;
	const char *org_domain;
	aa_dmarc_org_rule rule;
	aa_dmarc_policy effective;
	int psd_policy;
	const char *walk_evidence; /* in DMARC_TREE_WALK; NULL: no such finding */
} walk_cases[] = {
    /* a record at an intermediate name, none at the apex libpsl names */
    {"a.b.dmarc-walk.test", AA_DMARC_INHERITED, "b.dmarc-walk.test", "b.dmarc-walk.test",
     AA_DMARC_ORG_FEWEST_LABELS, AA_DMARC_P_QUARANTINE, 0,
     "organizational domain by the public suffix list (RFC 7489 3.2): dmarc-walk.test"},
    /* psd=y at the parent: the PSD policy (its sp=) applies below it */
    {"bank.dmarc-psd.test", AA_DMARC_INHERITED, "dmarc-psd.test", "bank.dmarc-psd.test",
     AA_DMARC_ORG_BELOW_PSD_Y, AA_DMARC_P_QUARANTINE, 1,
     "tree walk: _dmarc.dmarc-psd.test TXT: a DMARC record with psd=y (the walk stops)"},
    /* RFC 9989 B.4.3: giant has its own record and is the organizational
     * domain of itself and of mail.giant */
    {"giant.dmarc-psd.test", AA_DMARC_FOUND, "giant.dmarc-psd.test", "giant.dmarc-psd.test",
     AA_DMARC_ORG_BELOW_PSD_Y, AA_DMARC_P_REJECT, 0,
     "organizational domain by the DNS tree walk (RFC 9989 4.10.2): giant.dmarc-psd.test"},
    {"mail.giant.dmarc-psd.test", AA_DMARC_INHERITED, "giant.dmarc-psd.test", "giant.dmarc-psd.test",
     AA_DMARC_ORG_BELOW_PSD_Y, AA_DMARC_P_REJECT, 0,
     "record that applies (RFC 9989 4.10.1): _dmarc.giant.dmarc-psd.test"},
    /* psd=n stops the walk: dept's p=none, not the apex's p=reject */
    {"mail.dept.dmarc-psdn.test", AA_DMARC_INHERITED, "dept.dmarc-psdn.test", "dept.dmarc-psdn.test",
     AA_DMARC_ORG_PSD_N, AA_DMARC_P_NONE, 0,
     "tree walk: _dmarc.dept.dmarc-psdn.test TXT: a DMARC record with psd=n"},
    /* where the walk and libpsl agree, nothing extra is said */
    {"dmarc-good.test", AA_DMARC_FOUND, "dmarc-good.test", "dmarc-good.test", AA_DMARC_ORG_FEWEST_LABELS,
     AA_DMARC_P_REJECT, 0, NULL},
    {"sub.example.co.uk", AA_DMARC_INHERITED, "example.co.uk", "example.co.uk", AA_DMARC_ORG_FEWEST_LABELS,
     AA_DMARC_P_QUARANTINE, 0, NULL},
    /* more than eight labels: the psd=n record nine labels deep is never
     * asked (RFC 9989 5.1.8); the apex's record applies */
    {"a.b.c.d.e.f.g.h.i.dmarc-deep.test", AA_DMARC_INHERITED, "dmarc-deep.test", "dmarc-deep.test",
     AA_DMARC_ORG_FEWEST_LABELS, AA_DMARC_P_QUARANTINE, 0, NULL},
};

START_TEST(tree_walk_finds_the_record_and_organizational_domain_rfc_9989_gives)
{
	const struct walk_case *c = &walk_cases[_i];
	aa_report *r = audit(c->domain);
	const aa_dmarc_facts *f = facts(r);
	const aa_finding *g = aa_report_find(r, AA_F_DMARC_TREE_WALK);

	ck_assert_msg(f->state == c->state, "%s: state %d", c->domain, (int)f->state);
	ck_assert_str_eq(f->policy_domain, c->policy_domain);
	ck_assert_str_eq(f->org_domain, c->org_domain);
	ck_assert_msg(f->org_rule == c->rule, "%s: rule %d", c->domain, (int)f->org_rule);
	ck_assert_msg(f->effective == c->effective, "%s: effective %d", c->domain, (int)f->effective);
	ck_assert_int_eq(f->psd_policy, c->psd_policy);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DNS_INCOMPLETE));
	if (c->walk_evidence == NULL) {
		ck_assert_ptr_null(g);
	} else {
		ck_assert_msg(suite_has_evidence(g, c->walk_evidence), "%s: no \"%s\"", c->domain,
		              c->walk_evidence);
	}
	if (c->state == AA_DMARC_INHERITED)
		ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DMARC_INHERITED), c->policy_domain));
	aa_report_free(r);
}
END_TEST

START_TEST(psd_n_stops_the_walk_below_the_apex)
{
	aa_report *r = audit("mail.dept.dmarc-psdn.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DMARC_POLICY_NONE));
	ck_assert_int_ge(harness_query_count(&H, "_dmarc.dept.dmarc-psdn.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "_dmarc.dmarc-psdn.test", "TXT"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(failed_upper_walk_lookup_leaves_dmarc_undecided_never_none)
{
	aa_report *r = audit("sub.dmarc-walk-fail.test");
	const aa_dmarc_facts *f = facts(r);

	ck_assert_int_eq(f->state, AA_DMARC_NOT_VERIFIED);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_TREE_WALK));
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DNS_INCOMPLETE), "_dmarc.dmarc-walk-fail.test"));
	ck_assert_ptr_null(f->org_domain);
	ck_assert_uint_eq(f->nwalk, 2);
	ck_assert_int_eq(f->walk[1].outcome, AA_OUT_SERVFAIL);
	aa_report_free(r);
	/* the domain's own record still applies; only the organizational
	 * domain is not decided */
	r = audit("own.dmarc-walk-fail.test");
	f = facts(r);
	ck_assert_int_eq(f->state, AA_DMARC_FOUND);
	ck_assert_int_eq(f->effective, AA_DMARC_P_REJECT);
	ck_assert_ptr_null(f->org_domain);
	ck_assert_int_eq(f->org_rule, AA_DMARC_ORG_UNKNOWN);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_TREE_WALK));
	aa_report_free(r);
}
END_TEST

/* The eight names RFC 9989 4.10 lists for a name of more than eight labels. */
static const char *const deep_walk[] = {
    "_dmarc.a.b.c.d.e.f.g.h.i.dmarc-deep.test",
    "_dmarc.e.f.g.h.i.dmarc-deep.test",
    "_dmarc.f.g.h.i.dmarc-deep.test",
    "_dmarc.g.h.i.dmarc-deep.test",
    "_dmarc.h.i.dmarc-deep.test",
    "_dmarc.i.dmarc-deep.test",
    "_dmarc.dmarc-deep.test",
    "_dmarc.test",
};

START_TEST(deep_name_walk_asks_at_most_eight_names)
{
	aa_report *r = audit("a.b.c.d.e.f.g.h.i.dmarc-deep.test");
	const aa_dmarc_facts *f = facts(r);
	size_t i, ndmarc = 0;

	for (i = 0; i < aa_recordset_count(r->records); i++)
		ndmarc += strncmp(aa_recordset_at(r->records, i)->name, "_dmarc.", 7) == 0;
	ck_assert_uint_eq(ndmarc, 8);
	ck_assert_uint_eq(f->nwalk, 8);
	for (i = 0; i < 8; i++) {
		ck_assert_str_eq(f->walk[i].name, deep_walk[i]);
		ck_assert_int_ge(harness_query_count(&H, deep_walk[i], "TXT"), 1);
	}
	/* the shortcut skips the names between */
	ck_assert_int_eq(harness_query_count(&H, "_dmarc.b.c.d.e.f.g.h.i.dmarc-deep.test", "TXT"), 0);
	ck_assert_int_eq(harness_query_count(&H, "_dmarc.c.d.e.f.g.h.i.dmarc-deep.test", "TXT"), 0);
	ck_assert_int_eq(harness_query_count(&H, "_dmarc.d.e.f.g.h.i.dmarc-deep.test", "TXT"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(json_names_the_policy_domain_and_both_organizational_domains)
{
	aa_report *r = audit("a.b.dmarc-walk.test");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	json_t *doc, *d;

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(aa_render_json(r, 1, out), AA_OK);
	fclose(out);
	doc = json_loads(buf, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	d = json_object_get(doc, "dmarc");
	ck_assert_str_eq(json_string_value(json_object_get(d, "state")), "inherited");
	ck_assert_str_eq(json_string_value(json_object_get(d, "policy_domain")), "b.dmarc-walk.test");
	ck_assert_str_eq(json_string_value(json_object_get(d, "org_domain")), "b.dmarc-walk.test");
	ck_assert_str_eq(json_string_value(json_object_get(d, "org_domain_rule")), "fewest-labels");
	ck_assert_str_eq(json_string_value(json_object_get(d, "org_domain_psl")), "dmarc-walk.test");
	ck_assert_uint_eq(json_array_size(json_object_get(d, "tree_walk")), 4);
	ck_assert(
	    suite_has_evidence(aa_report_find(r, AA_F_DMARC_TREE_WALK),
	                       "a receiver that follows RFC 7489 looks only at _dmarc.a.b.dmarc-walk.test "
	                       "and _dmarc.dmarc-walk.test, and applies no policy"));
	json_decref(doc);
	free(buf);
	aa_report_free(r);
}
END_TEST

/* ---- NUL bytes: the record is (pointer, length), never a C string ------- */

START_TEST(nul_byte_before_a_late_version_tag_is_read_within_bounds)
{
	static const char rec[] = "p=reject\0; v=DMARC1; rua=mailto:d@ex.test";
	aa_recordset *s = aa_recordset_new();
	aa_rrset *rs = aa_rrset_new("_dmarc.ex.test", AA_T_TXT);
	const aa_finding *f;
	aa_report *r;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(rs);
	rs->outcome = AA_OUT_ANSWER;
	ck_assert_int_eq(aa_rrset_add(rs, rec, sizeof(rec) - 1), 0);
	ck_assert_int_eq(aa_recordset_put(s, rs), 0);
	aa_rrset_unref(rs);
	r = run_dmarc(s, "ex.test");
	f = aa_report_find(r, AA_F_DMARC_SYNTAX);
	ck_assert(suite_has_evidence(f, "must be the first tag"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(dmarc_txt_with_a_nul_byte_is_a_syntax_error_not_a_crash)
{
	aa_report *r = audit("dmarc-nul.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_SYNTAX);

	ck_assert(suite_has_evidence(f, "must be the first tag"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_NONE));
	aa_report_free(r);
}
END_TEST

static Suite *
dmarc_suite(void)
{
	Suite *s = suite_create("dmarc");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, valid_reject_record_raises_nothing);
	tcase_add_test(tc, every_bad_tag_value_is_named);
	tcase_add_test(tc, unknown_tags_are_ignored_as_receivers_do);
	tcase_add_test(tc, missing_p_is_a_syntax_error_even_though_v_is_first);
	tcase_add_test(tc, garbage_without_equals_is_a_syntax_error);
	tcase_add_test(tc, mailto_with_size_limit_is_valid_and_bare_address_is_not);
	tcase_add_test(tc, timeout_on_dmarc_is_not_verified_rather_than_none);
	tcase_add_test(tc, failed_org_domain_lookup_is_not_verified_rather_than_none);
	tcase_add_test(tc, org_domain_respects_multi_label_public_suffixes);
	tcase_add_test(tc, same_org_report_address_needs_no_authorisation);
	tcase_add_test(tc, nul_byte_before_a_late_version_tag_is_read_within_bounds);
	tcase_add_test(tc, facts_carry_uris_and_syntax_problems_the_judge_reports);
	tcase_add_test(tc, absent_record_facts_keep_the_lookup_outcomes);
	suite_add_tcase(s, tc);

	tc = tcase_create("audit");
	suite_fixture(tc, &H, 0);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, healthy_record_raises_no_dmarc_finding);
	tcase_add_test(tc, p_none_is_reported_as_monitoring_only);
	tcase_add_test(tc, pct_50_is_partial);
	tcase_add_test(tc, sp_none_under_p_reject_is_weaker);
	tcase_add_test(tc, record_without_rua_is_reported);
	tcase_add_test(tc, external_rua_with_authorisation_is_accepted);
	tcase_add_test(tc, external_rua_and_ruf_without_authorisation_are_reported);
	tcase_add_test(tc, https_rua_is_invalid);
	tcase_add_test(tc, two_records_are_multiple_and_no_policy_applies);
	tcase_add_test(tc, v_not_first_is_a_syntax_error_libopendmarc_would_miss);
	tcase_add_test(tc, bad_p_value_is_a_syntax_error_naming_the_tag);
	tcase_add_test(tc, lowercase_version_is_no_record_with_the_lookalike_shown);
	tcase_add_test(tc, test_mode_t_y_is_a_finding_and_lowers_the_policy);
	tcase_add_test(tc, pct_zero_is_as_serious_as_p_none);
	tcase_add_test(tc, np_gives_the_policy_of_non_existent_subdomains);
	tcase_add_test(tc, ignored_record_does_not_leak_its_tags_into_the_policy);
	tcase_add_test(tc, ignored_records_at_domain_and_org_domain_are_two_findings);
	tcase_add_test(tc, missing_record_is_dmarc_none);
	tcase_add_test(tc, subdomain_inherits_sp_from_its_co_uk_organizational_domain);
	tcase_add_test(tc, servfail_on_dmarc_is_not_reported_as_missing);
	tcase_add_test(tc, reject_with_no_spf_and_no_dkim_is_unalignable);
	tcase_add_test(tc, dmarc_txt_with_a_nul_byte_is_a_syntax_error_not_a_crash);
	tcase_add_loop_test(tc, tree_walk_finds_the_record_and_organizational_domain_rfc_9989_gives, 0,
	                    (int)(sizeof(walk_cases) / sizeof(walk_cases[0])));
	tcase_add_test(tc, psd_n_stops_the_walk_below_the_apex);
	tcase_add_test(tc, failed_upper_walk_lookup_leaves_dmarc_undecided_never_none);
	tcase_add_test(tc, deep_name_walk_asks_at_most_eight_names);
	tcase_add_test(tc, json_names_the_policy_domain_and_both_organizational_domains);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(dmarc_suite());
}
