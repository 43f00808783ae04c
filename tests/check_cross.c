/*
 * The cross-area step (lib/check/cross.c) on facts built in memory: it must
 * decide from the SPF, DKIM, DMARC and MX facts alone, never from another
 * area's findings.  Each table row is one situation a user would recognise.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "check/check.h"
#include "check/spf_walk.h"
#include "report/facts.h"
#include "report/report.h"
#include "suite.h"
#include "util/util.h"

#define D "ex.test"

/* A report holding the facts of the given areas, as the area checks would
 * leave them. */
static aa_report *
report_with(aa_spf_facts *spf, aa_dkim_facts *dkim, aa_dmarc_facts *dmarc, aa_mx_facts *mx)
{
	aa_report *r = aa_report_new(D);

	ck_assert_ptr_nonnull(r);
	if (spf != NULL)
		aa_report_set_facts(r, AA_AREA_SPF, spf, aa_spf_facts_free);
	if (dkim != NULL)
		aa_report_set_facts(r, AA_AREA_DKIM, dkim, aa_dkim_facts_free);
	if (dmarc != NULL)
		aa_report_set_facts(r, AA_AREA_DMARC, dmarc, aa_dmarc_facts_free);
	if (mx != NULL)
		aa_report_set_facts(r, AA_AREA_MX, mx, aa_mx_facts_free);
	return r;
}

static void
run_cross(aa_report *r)
{
	aa_recordset *rs = aa_recordset_new();
	aa_options opt;
	aa_check_in in;

	aa_options_init(&opt);
	in.domain = D;
	in.rs = rs;
	in.opt = &opt;
	aa_check_cross(&in, r);
	aa_recordset_free(rs);
}

/* SPF facts of a domain whose own record is `record` (NULL: none), as the
 * SPF check derives them from an answer in memory; `all` and `cannot_pass`
 * then stand for what the case is about. */
static aa_spf_facts *
spf_facts(const char *record, char all, aa_code cannot_pass)
{
	aa_recordset *set = aa_recordset_new();
	aa_rrset *rs = aa_rrset_new(D, AA_T_TXT);
	aa_spf_facts *f;
	aa_options opt;
	aa_check_in in = {D, set, &opt};

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(rs);
	aa_options_init(&opt);
	rs->outcome = record != NULL ? AA_OUT_ANSWER : AA_OUT_NODATA;
	if (record != NULL)
		ck_assert_int_eq(aa_rrset_add(rs, record, strlen(record)), AA_OK);
	ck_assert_int_eq(aa_recordset_put(set, rs), AA_OK);
	aa_rrset_unref(rs);
	f = aa_spf_derive(&in);
	ck_assert_ptr_nonnull(f);
	aa_recordset_free(set);
	f->all = all;
	f->cannot_pass = cannot_pass;
	f->eop = AA_TRI_NO;
	return f;
}

static aa_dkim_facts *
dkim_facts(size_t usable, size_t dns_errors)
{
	aa_dkim_facts *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->usable = usable;
	f->dns_errors = dns_errors;
	return f;
}

static aa_dmarc_facts *
dmarc_facts(aa_dmarc_policy effective)
{
	aa_dmarc_facts *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->state = AA_DMARC_FOUND;
	f->policy_domain = strdup(D);
	f->record = strdup(effective == AA_DMARC_P_REJECT ? "v=DMARC1; p=reject" : "v=DMARC1; p=none");
	f->p = f->effective = effective;
	f->pct = 100;
	return f;
}

/* ---- DMARC that neither SPF nor DKIM can pass ---------------------------- */

static const struct unalignable_case {
	const char *what;
	aa_dmarc_policy policy;
	size_t dkim_usable, dkim_dns_errors;
	aa_code spf_cannot_pass;
	int expected;
} unalignable_cases[] = {
    {"reject, SPF over the lookup limit, no DKIM key", AA_DMARC_P_REJECT, 0, 0, AA_F_SPF_LOOKUP_LIMIT, 1},
    {"quarantine, no SPF record, no DKIM key", AA_DMARC_P_QUARANTINE, 0, 0, AA_F_SPF_NONE, 1},
    {"a DKIM key makes an enforcing policy alignable", AA_DMARC_P_REJECT, 1, 0, AA_F_SPF_NONE, 0},
    {"SPF that can pass makes it alignable", AA_DMARC_P_REJECT, 0, 0, AA_F_COUNT, 0},
    {"p=none is never unalignable", AA_DMARC_P_NONE, 0, 0, AA_F_SPF_NONE, 0},
    {"DKIM lookups that failed are unknown, not missing", AA_DMARC_P_REJECT, 0, 2, AA_F_SPF_NONE, 0},
};

START_TEST(test_enforcing_dmarc_is_unalignable_only_when_spf_and_dkim_cannot_pass)
{
	const struct unalignable_case *t = &unalignable_cases[_i];
	aa_report *r =
	    report_with(spf_facts(t->spf_cannot_pass == AA_F_SPF_NONE ? NULL : "v=spf1 -all", '-',
	                          t->spf_cannot_pass),
	                dkim_facts(t->dkim_usable, t->dkim_dns_errors), dmarc_facts(t->policy), NULL);
	const aa_finding *f;

	run_cross(r);
	f = aa_report_find(r, AA_F_DMARC_ENFORCED_UNALIGNABLE);
	ck_assert_msg((f != NULL) == t->expected, "%s: DMARC_ENFORCED_UNALIGNABLE %s", t->what,
	              f != NULL ? "reported" : "missing");
	if (f != NULL)
		ck_assert_msg(suite_has_evidence(f, aa_finding_def_of(t->spf_cannot_pass)->code),
		              "%s: the SPF cause is not named", t->what);
	aa_report_free(r);
}
END_TEST

/* ---- -all and DKIM ------------------------------------------------------- */

static const struct hardfail_case {
	const char *what;
	size_t dkim_usable, dkim_dns_errors;
	aa_severity expected;
} hardfail_cases[] = {
    {"-all with a DKIM key is a fact", 1, 0, AA_SEV_INFO},
    {"-all without any DKIM key is medium", 0, 0, AA_SEV_MEDIUM},
    {"-all when the DKIM lookups failed stays info (unknown)", 0, 3, AA_SEV_INFO},
};

START_TEST(test_hardfail_severity_follows_the_dkim_facts)
{
	const struct hardfail_case *t = &hardfail_cases[_i];
	aa_report *r = report_with(spf_facts("v=spf1 ip4:192.0.2.1 -all", '-', AA_F_COUNT),
	                           dkim_facts(t->dkim_usable, t->dkim_dns_errors), NULL, NULL);
	const aa_finding *f;

	run_cross(r);
	f = aa_report_find(r, AA_F_SPF_ALL_HARDFAIL);
	ck_assert_msg(f != NULL, "%s: no SPF_ALL_HARDFAIL", t->what);
	ck_assert_msg(f->severity == t->expected, "%s: severity %s", t->what, aa_severity_name(f->severity));
	ck_assert(suite_has_evidence(f, "v=spf1 ip4:192.0.2.1 -all"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_no_hardfail_when_the_effective_all_is_unknown)
{
	aa_spf_facts *spf = spf_facts("v=spf1 include:broken.example -all", 0, AA_F_COUNT);
	aa_report *r;

	spf->result = AA_SPF_CLASS_TEMPERROR; /* all stays 0: not known */
	r = report_with(spf, dkim_facts(0, 0), NULL, NULL);
	run_cross(r);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	aa_report_free(r);
}
END_TEST

/* ---- no MX, and a domain that sends mail --------------------------------- */

static const struct no_mx_case {
	const char *what;
	const char *spf;
	size_t dkim_usable;
	aa_severity expected;
} no_mx_cases[] = {
    {"no MX and no sending is medium", NULL, 0, AA_SEV_MEDIUM},
    {"no MX with SPF that authorises senders is high", "v=spf1 ip4:192.0.2.1 -all", 0, AA_SEV_HIGH},
    {"no MX with SPF that authorises nobody stays medium", "v=spf1 -all", 0, AA_SEV_MEDIUM},
    {"no MX with a DKIM key is high", NULL, 1, AA_SEV_HIGH},
};

START_TEST(test_no_mx_is_high_only_for_a_domain_that_sends)
{
	const struct no_mx_case *t = &no_mx_cases[_i];
	aa_mx_facts *mx = calloc(1, sizeof(*mx));
	aa_report *r;
	const aa_finding *f;

	ck_assert_ptr_nonnull(mx);
	mx->mx_outcome = AA_OUT_NODATA;
	r = report_with(spf_facts(t->spf, t->spf ? '-' : 0, t->spf ? AA_F_COUNT : AA_F_SPF_NONE),
	                dkim_facts(t->dkim_usable, 0), NULL, mx);
	run_cross(r);
	f = aa_report_find(r, AA_F_MX_NONE);
	ck_assert_msg(f != NULL, "%s: no MX_NONE", t->what);
	ck_assert_msg(f->severity == t->expected, "%s: severity %s", t->what, aa_severity_name(f->severity));
	aa_report_free(r);
}
END_TEST

/* ---- the Microsoft 365 selector pair -------------------------------------- */

/* What one of selector1/selector2 holds. */
typedef enum sel_state { SEL_ABSENT, SEL_CNAME, SEL_ERROR, SEL_PLAIN_KEY } sel_state;

static void
set_selector(aa_dkim_key *k, const char *sel, sel_state st)
{
	k->selector = strdup(sel);
	k->name = aa_printf("%s._domainkey." D, sel);
	ck_assert_ptr_nonnull(k->name);
	switch (st) {
	case SEL_ABSENT:
		k->outcome = AA_DKIM_ABSENT;
		break;
	case SEL_ERROR:
		k->outcome = AA_DKIM_DNS_ERROR;
		break;
	case SEL_CNAME:
		k->cname = aa_printf("%s-ex-test._domainkey.tenant.n-v1.dkim.mail.microsoft", sel);
		/* fall through */
	case SEL_PLAIN_KEY:
		k->outcome = AA_DKIM_KEY;
		k->alg = AA_DKIM_ALG_RSA;
		k->bits = 2048;
		k->flags = AA_DKIM_F_USABLE;
		k->record = strdup("v=DKIM1; k=rsa; p=MIIB...");
		break;
	}
}

static aa_dkim_facts *
dkim_m365(sel_state s1, sel_state s2)
{
	aa_dkim_facts *f = dkim_facts(0, 0);

	f->keys = calloc(2, sizeof(*f->keys));
	ck_assert_ptr_nonnull(f->keys);
	f->nkeys = 2;
	set_selector(&f->keys[0], "selector1", s1);
	set_selector(&f->keys[1], "selector2", s2);
	f->usable = (s1 == SEL_CNAME || s1 == SEL_PLAIN_KEY) + (s2 == SEL_CNAME || s2 == SEL_PLAIN_KEY);
	f->dns_errors = (s1 == SEL_ERROR) + (s2 == SEL_ERROR);
	f->m365_cnames = (s1 == SEL_CNAME) + (s2 == SEL_CNAME);
	f->m365_published = f->m365_cnames;
	return f;
}

static const struct pair_case {
	const char *what;
	sel_state s1, s2;
	const char *missing; /* the finding's subject, NULL: no finding */
} pair_cases[] = {
    {"selector1 only: selector2 is missing", SEL_CNAME, SEL_ABSENT, "selector2._domainkey." D},
    {"selector2 only: selector1 is missing", SEL_ABSENT, SEL_CNAME, "selector1._domainkey." D},
    {"both published: nothing to say", SEL_CNAME, SEL_CNAME, NULL},
    {"a failed lookup is unknown, not missing", SEL_CNAME, SEL_ERROR, NULL},
    {"no tenant evidence: selector1 is just some key", SEL_PLAIN_KEY, SEL_ABSENT, NULL},
};

START_TEST(test_m365_tenant_with_one_selector_of_the_pair_is_a_finding)
{
	const struct pair_case *t = &pair_cases[_i];
	aa_report *r = report_with(NULL, dkim_m365(t->s1, t->s2), NULL, NULL);
	const aa_finding *f;

	run_cross(r);
	f = aa_report_find(r, AA_F_DKIM_M365_SELECTOR_PAIR);
	ck_assert_msg((f != NULL) == (t->missing != NULL), "%s: DKIM_M365_SELECTOR_PAIR %s", t->what,
	              f != NULL ? "reported" : "missing");
	if (f != NULL) {
		ck_assert_str_eq(f->subject, t->missing);
		ck_assert_int_eq(f->severity, AA_SEV_MEDIUM);
	}
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_M365_NOT_ENABLED));
	aa_report_free(r);
}
END_TEST

START_TEST(test_cross_step_reads_no_findings)
{
	/* A finding another step left must not change the verdict: only facts
	 * count.  SPF_NONE as a finding, but facts that say SPF can pass. */
	aa_report *r = report_with(spf_facts("v=spf1 ip4:192.0.2.1 -all", '-', AA_F_COUNT), dkim_facts(0, 0),
	                           dmarc_facts(AA_DMARC_P_REJECT), NULL);

	ck_assert_ptr_nonnull(aa_report_add(r, AA_F_SPF_NONE, "%s", D));
	run_cross(r);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DMARC_ENFORCED_UNALIGNABLE));
	aa_report_free(r);
}
END_TEST

static Suite *
cross_suite(void)
{
	Suite *s = suite_create("cross");
	TCase *tc = tcase_create("facts");

	tcase_add_loop_test(tc, test_enforcing_dmarc_is_unalignable_only_when_spf_and_dkim_cannot_pass, 0,
	                    sizeof(unalignable_cases) / sizeof(unalignable_cases[0]));
	tcase_add_loop_test(tc, test_hardfail_severity_follows_the_dkim_facts, 0,
	                    sizeof(hardfail_cases) / sizeof(hardfail_cases[0]));
	tcase_add_test(tc, test_no_hardfail_when_the_effective_all_is_unknown);
	tcase_add_loop_test(tc, test_no_mx_is_high_only_for_a_domain_that_sends, 0,
	                    sizeof(no_mx_cases) / sizeof(no_mx_cases[0]));
	tcase_add_loop_test(tc, test_m365_tenant_with_one_selector_of_the_pair_is_a_finding, 0,
	                    sizeof(pair_cases) / sizeof(pair_cases[0]));
	tcase_add_test(tc, test_cross_step_reads_no_findings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(cross_suite());
}
