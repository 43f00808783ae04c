/*
 * The SPF area: the pure check on in-memory record sets, and whole audits
 * against a real knotd (fixtures/zones/spf-*.test.zone) with faultdns
 * (fixtures/faults.conf) in front: every SPF_* code, the include tree and
 * its costs, libspf2's check_host() from the cache, and how many queries
 * and round trips the closure costs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/spf_walk.h"
#include "engine/audit.h"
#include "harness.h"
#include "report/report.h"
#include "suite.h"
#include "util/util.h"

static harness H;

static void
keep_report(aa_report *r, void *arg)
{
	*(aa_report **)arg = r;
}

static aa_stats last_stats;
static long long last_ms;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A whole audit of `domain` through the harness, with optional --ip list. */
static aa_report *
audit_ips(const char *domain, const char *const *ips, size_t nips)
{
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;
	long long t0;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.timeout_ms = 1000;
	opt.tries = 1;
	opt.ips = ips;
	opt.n_ips = nips;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, domain, keep_report, &r), AA_OK);
	t0 = now_ms();
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	last_ms = now_ms() - t0;
	aa_ctx_stats(ctx, &last_stats);
	aa_ctx_free(ctx);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* A whole audit with --envelope-from (and an optional --ip). */
static aa_report *
audit_env(const char *domain, const char *envelope, const char *ip)
{
	const char *ips[1] = {ip};
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.timeout_ms = 1000;
	opt.tries = 1;
	opt.envelope_from = envelope;
	opt.ips = ips;
	opt.n_ips = ip != NULL ? 1 : 0;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, domain, keep_report, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_free(ctx);
	ck_assert_ptr_nonnull(r);
	return r;
}

static aa_report *
audit(const char *domain)
{
	return audit_ips(domain, NULL, 0);
}

static const aa_spf_facts *
facts(const aa_report *r)
{
	const aa_spf_facts *f = aa_report_facts(r, AA_AREA_SPF);

	ck_assert_ptr_nonnull(f);
	return f;
}

static void
assert_no_spf_permerror(const aa_report *r)
{
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_NONE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_INCLUDE_NO_RECORD));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_SYNTAX));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_LOOKUP_LIMIT));
}

/* ---- pure check on in-memory record sets ---- */

static aa_recordset *mem;

static void
put_txt(const char *name, aa_outcome out, const char *text)
{
	aa_rrset *rs = aa_rrset_new(name, AA_T_TXT);

	rs->outcome = out;
	if (text != NULL)
		ck_assert_int_eq(aa_rrset_add(rs, text, strlen(text)), 0);
	ck_assert_int_eq(aa_recordset_put(mem, rs), 0);
	aa_rrset_unref(rs);
}

static aa_report *
check_mem(const char *domain)
{
	aa_check_in in;
	aa_options opt;
	aa_report *r = aa_report_new(domain);

	aa_options_init(&opt);
	in.domain = domain;
	in.rs = mem;
	in.opt = &opt;
	aa_check_spf(&in, r);
	return r;
}

/* A record set holding an entry with an empty name (no resolver asks one,
 * but the check must not trust that): libspf2 crashed on it (fuzzing). */
START_TEST(test_an_entry_with_an_empty_name_is_not_handed_to_libspf2)
{
	static const char *const ips[] = {"192.0.2.1"};
	aa_check_in in;
	aa_options opt;
	aa_report *r = aa_report_new("mem.test");

	mem = aa_recordset_new();
	put_txt("", AA_OUT_ANSWER, "v=spf1 include:a.mem.test -all");
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 -all");
	put_txt("a.mem.test", AA_OUT_NXDOMAIN, NULL);
	aa_options_init(&opt);
	opt.ips = ips;
	opt.n_ips = 1;
	in.domain = "mem.test";
	in.rs = mem;
	in.opt = &opt;
	aa_check_spf(&in, r);
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

START_TEST(test_check_reads_only_the_record_set)
{
	aa_report *r;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 include:a.mem.test ~all");
	put_txt("a.mem.test", AA_OUT_ANSWER, "v=spf1 ip4:192.0.2.0/24 -all");
	r = check_mem("mem.test");
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	ck_assert_int_eq(facts(r)->all, '~');
	ck_assert_uint_eq(facts(r)->lookups, 1);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_ALL_SOFTFAIL));
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

START_TEST(test_timeout_in_memory_is_temperror_not_missing)
{
	aa_report *r;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 include:a.mem.test -all");
	put_txt("a.mem.test", AA_OUT_TIMEOUT, NULL);
	r = check_mem("mem.test");
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_TEMPERROR);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_DNS_ERROR));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_INCLUDE_NO_RECORD));
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

START_TEST(test_apex_servfail_is_dns_error_not_spf_none)
{
	aa_report *r;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_SERVFAIL, NULL);
	r = check_mem("mem.test");
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_DNS_ERROR));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_NONE));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_TEMPERROR);
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

START_TEST(test_macros_need_an_ip_to_expand)
{
	char *s;

	ck_assert_ptr_null(aa_spf_expand("%{i}._spf.%{d}", "example.test", NULL, NULL, NULL));
	s = aa_spf_expand("%{i}._spf.%{d}", "example.test", "192.0.2.77", NULL, NULL);
	ck_assert_str_eq(s, "192.0.2.77._spf.example.test");
	free(s);
	s = aa_spf_expand("%{ir}.%{v}._spf.%{d2}", "a.b.example.test", "192.0.2.77", NULL, NULL);
	ck_assert_str_eq(s, "77.2.0.192.in-addr._spf.example.test");
	free(s);
	s = aa_spf_expand("%{l}.%{o}", "example.test", NULL, "Jo.Doe@mail.example.test", NULL);
	ck_assert_str_eq(s, "Jo.Doe.mail.example.test");
	free(s);
	ck_assert_ptr_null(aa_spf_expand("%{x}.example.test", "example.test", "192.0.2.1", NULL, NULL));
	ck_assert_ptr_null(aa_spf_expand("%{d", "example.test", "192.0.2.1", NULL, NULL));
}
END_TEST

/* A hostile world: every TXT name answers with 20 includes of fresh names
 * and an a: term; the walk runs after each round of answers, as the plan
 * does.  Without the limits this asks 20^depth names. */
static char *needs[4096];
static aa_rrtype need_types[4096];
static size_t nneeds;

static void
collect_need(void *arg, const char *name, aa_rrtype type)
{
	(void)arg;
	if (nneeds < 4096) {
		need_types[nneeds] = type;
		needs[nneeds++] = strdup(name);
	}
}

START_TEST(test_hostile_include_fanout_is_asked_within_the_limits)
{
	aa_spf_walk_in in;
	aa_spf_node *root;
	unsigned lookups = 0, voids = 0, round, fresh = 0, k;
	size_t i, total = 0;
	char rec[2048];
	int len;

	mem = aa_recordset_new();
	memset(&in, 0, sizeof(in));
	in.rs = mem;
	in.domain = "evil.test";
	in.need = collect_need;
	for (round = 0; round < 100; round++) {
		nneeds = 0;
		root = aa_spf_walk(&in, &lookups, &voids);
		ck_assert_ptr_nonnull(root);
		aa_spf_node_free(root);
		if (nneeds == 0)
			break;
		for (i = 0; i < nneeds; i++) {
			if (aa_recordset_get(mem, needs[i], need_types[i]) == NULL) {
				total++;
				if (need_types[i] == AA_T_TXT) {
					len = snprintf(rec, sizeof(rec), "v=spf1 a:x%u.evil.test", fresh++);
					for (k = 0; k < 20; k++)
						len += snprintf(rec + len, sizeof(rec) - (size_t)len,
						                " include:n%u.evil.test", fresh++);
					snprintf(rec + len, sizeof(rec) - (size_t)len, " -all");
					put_txt(needs[i], AA_OUT_ANSWER, rec);
				} else {
					aa_rrset *rs = aa_rrset_new(needs[i], need_types[i]);
					rs->outcome = AA_OUT_NXDOMAIN;
					aa_recordset_put(mem, rs);
					aa_rrset_unref(rs);
				}
			}
			free(needs[i]);
		}
	}
	ck_assert_uint_lt(round, 100); /* the expansion ends */
	ck_assert_uint_gt(lookups, AA_SPF_MAX_LOOKUPS);
	/* at most limit + margin new terms per tree level */
	ck_assert_uint_le(total, 2 * (AA_SPF_MAX_LOOKUPS + AA_SPF_MARGIN) * (AA_SPF_MAX_DEPTH + 1));
	fprintf(stderr, "hostile fan-out: %zu names asked in %u rounds\n", total, round);
	aa_recordset_free(mem);
}
END_TEST

/* -all is the cross-area step's finding (its severity depends on DKIM):
 * the SPF check only states the facts it needs. */
START_TEST(test_spf_check_leaves_hardfail_to_the_cross_step)
{
	aa_report *r;
	const aa_spf_facts *f;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 ip4:192.0.2.1 -all");
	r = check_mem("mem.test");
	f = facts(r);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	ck_assert_int_eq(f->all, '-');
	ck_assert_ptr_eq(f->effective, f->tree);
	ck_assert_str_eq(f->effective->record, "v=spf1 ip4:192.0.2.1 -all");
	ck_assert_int_eq(f->cannot_pass, AA_F_COUNT);
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

/* Microsoft 365's include is found in one pass over the tree, past a
 * branch that failed; without it, a failed branch leaves it unknown. */
START_TEST(test_m365_include_is_found_past_a_failed_branch)
{
	aa_report *r;
	const aa_spf_facts *f;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 include:broken.mem.test include:_spf.mem.test -all");
	put_txt("broken.mem.test", AA_OUT_SERVFAIL, NULL);
	put_txt("_spf.mem.test", AA_OUT_ANSWER, "v=spf1 include:SPF.Protection.Outlook.com -all");
	put_txt("spf.protection.outlook.com", AA_OUT_ANSWER, "v=spf1 ip4:40.92.0.0/15 -all");
	r = check_mem("mem.test");
	f = facts(r);
	ck_assert_int_eq(f->eop, AA_TRI_YES);
	ck_assert_str_eq(f->eop_path, "include:_spf.mem.test > include:SPF.Protection.Outlook.com");
	aa_report_free(r);
	aa_recordset_free(mem);

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 include:broken.mem.test ip4:192.0.2.1 -all");
	put_txt("broken.mem.test", AA_OUT_TIMEOUT, NULL);
	r = check_mem("mem.test");
	ck_assert_int_eq(facts(r)->eop, AA_TRI_UNKNOWN);
	ck_assert_ptr_null(facts(r)->eop_path);
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

/* Each level includes the next twice: the tree stays within the lookup
 * limits and one pass over it answers the Microsoft 365 question. */
START_TEST(test_repeated_includes_are_read_once_per_node)
{
	aa_report *r;
	char name[64], rec[256];
	unsigned i;

	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, "v=spf1 include:l0.mem.test include:l0.mem.test -all");
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "l%u.mem.test", i);
		snprintf(rec, sizeof(rec), "v=spf1 include:l%u.mem.test include:l%u.mem.test -all", i + 1,
		         i + 1);
		put_txt(name, AA_OUT_ANSWER, rec);
	}
	r = check_mem("mem.test");
	ck_assert_int_eq(facts(r)->eop, AA_TRI_NO);
	ck_assert_int_eq(facts(r)->cannot_pass, AA_F_SPF_LOOKUP_LIMIT);
	aa_report_free(r);
	aa_recordset_free(mem);
}
END_TEST

/* A record of any length is read whole: nothing past term 128 is lost. */
START_TEST(test_record_with_three_hundred_terms_is_read_whole)
{
	aa_spf_walk_in in;
	aa_spf_node *root;
	aa_buf rec = {0};
	unsigned lookups = 0, voids = 0, i;
	char *s, local[1200];
	int len = 0;

	aa_buf_puts(&rec, "v=spf1");
	for (i = 0; i < 299; i++)
		aa_buf_printf(&rec, " ip4:198.51.%u.%u", i / 256, i % 256);
	aa_buf_puts(&rec, " ~all");
	mem = aa_recordset_new();
	put_txt("mem.test", AA_OUT_ANSWER, rec.p);
	memset(&in, 0, sizeof(in));
	in.rs = mem;
	in.domain = "mem.test";
	root = aa_spf_walk(&in, &lookups, &voids);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(root->nterms, 300);
	ck_assert_int_eq(root->terms[298].cidr4, -1);
	ck_assert_int_eq(root->all, '~');
	aa_spf_node_free(root);
	aa_recordset_free(mem);
	aa_buf_free(&rec);

	/* a macro value of 200 parts keeps its rightmost one */
	for (i = 0; i < 200; i++)
		len += snprintf(local + len, sizeof(local) - (size_t)len, "%sp%u", i ? "." : "", i);
	snprintf(local + len, sizeof(local) - (size_t)len, "@example.test");
	s = aa_spf_expand("%{l1}.example.test", "example.test", NULL, local, NULL);
	ck_assert_str_eq(s, "p199.example.test");
	free(s);
}
END_TEST

/* ---- whole audits against knotd ---- */

START_TEST(test_good_record_gives_tree_and_no_error)
{
	aa_report *r = audit("spf-ok.test");
	const aa_spf_facts *f = facts(r);

	ck_assert_int_eq(f->has_record, 1);
	ck_assert_int_eq(f->result, AA_SPF_CLASS_OK);
	ck_assert_uint_eq(f->lookups, 1);
	ck_assert_uint_eq(f->tree->nkids, 1);
	ck_assert_str_eq(f->tree->kids[0]->name, "inc.spf-ok.test");
	ck_assert_str_eq(f->tree->kids[0]->record, "v=spf1 ip6:2001:db8:1::/48 -all");
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_ALL_SOFTFAIL));
	assert_no_spf_permerror(r);
	aa_report_free(r);
}
END_TEST

START_TEST(test_missing_record_is_spf_none)
{
	aa_report *r = audit("spf-none.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_NONE));
	ck_assert_int_eq(facts(r)->has_record, 0);
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_NONE);
	aa_report_free(r);
}
END_TEST

START_TEST(test_two_records_are_spf_multiple)
{
	aa_report *r = audit("spf-multiple.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_MULTIPLE);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "192.0.2.1") && suite_has_evidence(f, "192.0.2.2"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	aa_report_free(r);
}
END_TEST

START_TEST(test_unknown_mechanism_is_syntax_error_saying_where)
{
	aa_report *r = audit("spf-syntax.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_SYNTAX);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "foo:bar"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	aa_report_free(r);
}
END_TEST

START_TEST(test_eleven_lookups_across_nested_includes_is_lookup_limit)
{
	aa_report *r = audit("spf-eleven.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_LOOKUP_LIMIT);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(facts(r)->lookups, 11);
	ck_assert(suite_has_evidence(f, "include:a.spf-eleven.test costs 7 of your 10"));
	ck_assert(suite_has_evidence(f, "include:b.spf-eleven.test costs 4 of your 10"));
	ck_assert_ptr_nonnull(strstr(f->fix, "include:a.spf-eleven.test"));
	/* the fix's arithmetic: flattening a (7) takes 11 to 4 */
	ck_assert_msg(strstr(f->fix, "from 11 to 4") != NULL, "fix: %s", f->fix);
	ck_assert_ptr_null(strstr(f->fix, "include:b.spf-eleven.test"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_LOOKUP_NEAR_LIMIT));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	/* eight a:h terms, one query; each include asked once */
	ck_assert_int_eq(harness_query_count(&H, "h.spf-eleven.test", "A"), 1);
	ck_assert_int_eq(harness_query_count(&H, "a.spf-eleven.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "c.spf-eleven.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "spf-eleven.test", "TXT"), 1);
	aa_report_free(r);
}
END_TEST

START_TEST(test_includes_past_the_limit_are_not_expanded_and_the_fix_adds_up)
{
	aa_report *r = audit("spf-wide.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_LOOKUP_LIMIT);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(facts(r)->lookups, 18); /* counted: 5 x 3 + 3 not expanded */
	ck_assert_uint_eq(facts(r)->unexpanded, 3);
	ck_assert(suite_has_evidence(f, "at least 18 DNS-querying terms"));
	ck_assert(suite_has_evidence(f, "include:i1.spf-wide.test costs 3 of your 10"));
	ck_assert(suite_has_evidence(f, "include:i6.spf-wide.test: not expanded"));
	ck_assert(!suite_has_evidence(f, "include:i6.spf-wide.test costs 1"));
	/* i6..i8 (unknown cost) and i1, i2 go: 15 known - 6 = 9 */
	ck_assert_msg(strstr(f->fix, "from at least 18 to 9") != NULL, "fix: %s", f->fix);
	ck_assert_ptr_nonnull(strstr(f->fix, "include:i8.spf-wide.test"));
	ck_assert_ptr_null(strstr(f->fix, "include:i3.spf-wide.test"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_unmatched_ip_over_the_lookup_limit_is_permerror)
{
	const char *ips[] = {"198.51.100.1"};
	aa_report *r = audit_ips("spf-eleven.test", ips, 1);

	/* libspf2 alone says fail: it counts lookups per record */
	ck_assert_str_eq(facts(r)->ips[0].result, "permerror");
	ck_assert_ptr_nonnull(strstr(facts(r)->ips[0].comment, "libspf2 gave fail"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_IP_NOT_PERMITTED));
	aa_report_free(r);
}
END_TEST

START_TEST(test_exactly_ten_lookups_is_near_limit_not_over)
{
	aa_report *r = audit("spf-ten.test");

	ck_assert_uint_eq(facts(r)->lookups, 10);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_LOOKUP_NEAR_LIMIT));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_LOOKUP_LIMIT));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	aa_report_free(r);
}
END_TEST

START_TEST(test_three_void_lookups_are_void_limit)
{
	aa_report *r = audit("spf-void.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_VOID_LIMIT);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(facts(r)->voids, 3);
	ck_assert(suite_has_evidence(f, "nx1.spf-void.test A: NXDOMAIN"));
	ck_assert(suite_has_evidence(f, "nx3.spf-void.test"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_VOID_LOOKUP));
	aa_report_free(r);
}
END_TEST

START_TEST(test_one_void_lookup_is_a_warning)
{
	aa_report *r = audit("spf-onevoid.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_VOID_LOOKUP));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_VOID_LIMIT));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	aa_report_free(r);
}
END_TEST

START_TEST(test_include_of_name_without_spf_is_include_no_record)
{
	aa_report *r = audit("spf-include-norecord.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_INCLUDE_NO_RECORD);

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->subject, "nospf.spf-include-norecord.test");
	ck_assert_ptr_nonnull(strstr(f->fix, "include:nospf.spf-include-norecord.test"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	aa_report_free(r);
}
END_TEST

START_TEST(test_include_loop_is_reported_and_asked_once)
{
	aa_report *r = audit("spf-loop.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_LOOP));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	ck_assert_int_eq(harness_query_count(&H, "spf-loop.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "l1.spf-loop.test", "TXT"), 1);
	aa_report_free(r);
}
END_TEST

START_TEST(test_redirect_chain_gives_the_effective_all)
{
	aa_report *r = audit("spf-redirect.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_ALL_SOFTFAIL);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "r2.spf-redirect.test"));
	ck_assert_int_eq(facts(r)->all, '~');
	ck_assert_uint_eq(facts(r)->lookups, 2);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_NEUTRAL));
	aa_report_free(r);
}
END_TEST

static const struct {
	const char *domain, *code;
	char all;
} alls[] = {
    {"spf-allpass.test", "SPF_ALL_PASS", '+'},
    {"spf-neutral.test", "SPF_ALL_NEUTRAL", '?'},
    {"spf-noall.test", "SPF_ALL_NEUTRAL", 0},
    {"spf-ok.test", "SPF_ALL_SOFTFAIL", '~'},
    /* SPF_ALL_HARDFAIL is reported by the cross-area step (cross.c) */
    {"spf-deprecated.test", "SPF_ALL_HARDFAIL", '-'},
};

START_TEST(test_all_qualifier_gives_its_finding)
{
	aa_report *r = audit(alls[_i].domain);

	ck_assert_msg(suite_find(r, alls[_i].code) != NULL, "%s: no %s", alls[_i].domain, alls[_i].code);
	ck_assert_int_eq(facts(r)->all, alls[_i].all);
	aa_report_free(r);
}
END_TEST

/* SPF_ALL_HARDFAIL and its raise without DKIM belong to the cross-area step,
 * which reads aa_spf_facts.effective and the DKIM facts: a whole audit */
START_TEST(test_mx_too_many_feeds_dmarc_cannot_pass)
{
	aa_report *r = audit("spf-mxmany-reject.test");
	const aa_finding *f = aa_report_find(r, AA_F_DMARC_ENFORCED_UNALIGNABLE);

	ck_assert_int_eq(facts(r)->cannot_pass, AA_F_SPF_MX_TOO_MANY);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "SPF_MX_TOO_MANY"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_include_that_passes_everything_is_all_pass_naming_the_branch)
{
	aa_report *r = audit("spf-include-allpass.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_ALL_PASS);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_CRITICAL);
	ck_assert(suite_has_evidence(f, "include:open.spf-include-allpass.test > "
	                                "include:wide.spf-include-allpass.test"));
	ck_assert(suite_has_evidence(f, "v=spf1 +all"));
	ck_assert(facts(r)->passes_all);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	aa_report_free(r);
	r = audit("spf-include-guarded.test");
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_PASS));
	ck_assert(!facts(r)->passes_all);
	aa_report_free(r);
	r = audit("spf-allpass.test");
	ck_assert(facts(r)->passes_all);
	aa_report_free(r);
}
END_TEST

START_TEST(test_return_path_host_below_the_domain_gets_its_own_spf_result)
{
	aa_report *r = audit_env("env-host.test", "apache@web01.env-host.test", "192.0.2.80");
	const aa_envelope_facts *e = aa_report_facts(r, AA_AREA_ENVELOPE);
	const aa_finding *f = aa_report_find(r, AA_F_ENVELOPE_SPF);

	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->spf_result, "none");
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "receivers evaluate SPF for web01.env-host.test"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_ENVELOPE_UNROUTABLE));
	aa_report_free(r);

	/* no such host: SPF none, and bounces cannot arrive */
	r = audit_env("env-host.test", "apache@web02.env-host.test", NULL);
	f = aa_report_find(r, AA_F_ENVELOPE_SPF);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "bounces cannot arrive"));
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_ENVELOPE_UNROUTABLE));
	aa_report_free(r);

	/* the host's own record decides: pass for its address, fail elsewhere */
	r = audit_env("env-host.test", "apache@web03.env-host.test", "192.0.2.80");
	e = aa_report_facts(r, AA_AREA_ENVELOPE);
	ck_assert_str_eq(e->spf_result, "pass");
	ck_assert_ptr_null(aa_report_find(r, AA_F_ENVELOPE_SPF));
	aa_report_free(r);
	r = audit_env("env-host.test", "apache@web03.env-host.test", "192.0.2.81");
	f = aa_report_find(r, AA_F_ENVELOPE_SPF);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_HIGH);
	ck_assert(suite_has_evidence(f, "check_host(192.0.2.81, web03.env-host.test"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_hardfail_is_medium_without_dkim_and_info_with_a_key)
{
	aa_report *r = audit("spf-deprecated.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	ck_assert_int_eq(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL)->severity, AA_SEV_MEDIUM);
	aa_report_free(r);
	r = audit("spf-hardfail-dkim.test");
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	ck_assert_int_eq(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL)->severity, AA_SEV_INFO);
	aa_report_free(r);
}
END_TEST

START_TEST(test_ptr_mechanism_is_reported)
{
	aa_report *r = audit("spf-ptr.test");

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_SPF_PTR), "ptr"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_slash_eight_is_a_broad_range)
{
	aa_report *r = audit("spf-broad.test");

	ck_assert_uint_eq(suite_count(r, "SPF_BROAD_RANGE"), 2);
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_SPF_BROAD_RANGE), "ip4:10.0.0.0/8"));
	aa_report_free(r);
}
END_TEST

START_TEST(test_broad_range_of_a_provider_include_is_not_the_domains_finding)
{
	aa_report *r = audit("spf-provider-broad.test");

	ck_assert_uint_eq(suite_count(r, "SPF_BROAD_RANGE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_large_record_arrives_over_tcp_and_is_reported)
{
	aa_report *r = audit("spf-large.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_RECORD_LARGE);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "542 bytes"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_DNS_ERROR));
	aa_report_free(r);
}
END_TEST

START_TEST(test_mx_term_with_eleven_hosts_is_too_many)
{
	aa_report *r = audit("spf-mxmany.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_MX_TOO_MANY);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "11 MX hosts"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	aa_report_free(r);
}
END_TEST

START_TEST(test_servfail_include_is_dns_error_not_permerror)
{
	aa_report *r = audit("spf-servfail.test");
	const aa_finding *f = aa_report_find(r, AA_F_SPF_DNS_ERROR);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "broken.spf-servfail.test"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_TEMPERROR);
	assert_no_spf_permerror(r);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_HARDFAIL));
	aa_report_free(r);
}
END_TEST

START_TEST(test_servfail_include_with_ip_is_temperror)
{
	const char *ips[] = {"192.0.2.10"};
	aa_report *r = audit_ips("spf-servfail.test", ips, 1);

	ck_assert_uint_eq(facts(r)->nips, 1);
	ck_assert_str_eq(facts(r)->ips[0].result, "temperror");
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_IP_NOT_PERMITTED));
	aa_report_free(r);
}
END_TEST

START_TEST(test_type_99_record_is_deprecated_rr)
{
	aa_report *r = audit("spf-deprecated.test");

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_DEPRECATED_RR));
	aa_report_free(r);
}
END_TEST

static const struct {
	const char *ip, *result, *term;
} ipcases[] = {
    {"192.0.2.10", "pass", "ip4:192.0.2.0/24 at l2.spf-ipcheck.test"},
    {"2001:db8:1::5", "pass", "ip6:2001:db8:1::/48 at l2.spf-ipcheck.test"},
    {"203.0.113.5", "softfail", "~ip4:203.0.113.0/24 at spf-ipcheck.test"},
    {"2001:db8:bad::1", "softfail", "~ip6:2001:db8:bad::/48 at spf-ipcheck.test"},
    {"198.51.100.1", "fail", "-all at spf-ipcheck.test"},
    {"2001:db8:ffff::1", "fail", "-all at spf-ipcheck.test"},
};

START_TEST(test_ip_result_through_include_chain)
{
	const char *ips[] = {ipcases[_i].ip};
	aa_report *r = audit_ips("spf-ipcheck.test", ips, 1);
	const aa_spf_facts *f = facts(r);
	const aa_finding *nf = aa_report_find(r, AA_F_SPF_IP_NOT_PERMITTED);

	ck_assert_uint_eq(f->nips, 1);
	ck_assert_str_eq(f->ips[0].result, ipcases[_i].result);
	ck_assert_ptr_nonnull(f->ips[0].term);
	ck_assert_str_eq(f->ips[0].term, ipcases[_i].term);
	if (strcmp(ipcases[_i].result, "pass") == 0) {
		ck_assert_ptr_null(nf);
	} else {
		ck_assert_ptr_nonnull(nf);
		ck_assert(suite_has_evidence(nf, ipcases[_i].result));
		ck_assert(suite_has_evidence(nf, ipcases[_i].term));
	}
	aa_report_free(r);
}
END_TEST

START_TEST(test_exists_macro_is_expanded_with_the_ip)
{
	const char *good[] = {"192.0.2.77"}, *bad[] = {"192.0.2.78"};
	aa_report *r;

	harness_reset_log(&H);
	r = audit("spf-macro.test");
	ck_assert_uint_eq(facts(r)->lookups, 1);
	ck_assert_int_eq(harness_query_count(&H, "192.0.2.77._spf.spf-macro.test", "A"), 0);
	aa_report_free(r);

	r = audit_ips("spf-macro.test", good, 1);
	ck_assert_str_eq(facts(r)->ips[0].result, "pass");
	ck_assert_int_eq(harness_query_count(&H, "192.0.2.77._spf.spf-macro.test", "A"), 1);
	aa_report_free(r);

	r = audit_ips("spf-macro.test", bad, 1);
	ck_assert_str_eq(facts(r)->ips[0].result, "fail");
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_IP_NOT_PERMITTED));
	aa_report_free(r);
}
END_TEST

START_TEST(test_four_level_tree_costs_its_depth_in_round_trips)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("spf-deep.test");
	/* every TXT answer of this tree is delayed 200 ms by faultdns: five
	 * levels (apex + 4) take about 1 s; one query per term would take 1.8 s */
	fprintf(stderr, "spf-deep.test: %lld ms, %lu queries sent, %lu max in flight\n", last_ms,
	        last_stats.queries_sent, last_stats.max_in_flight);
	ck_assert_int_ge(last_ms, 5 * 200);
	ck_assert_int_lt(last_ms, 7 * 200);
	ck_assert_uint_eq(facts(r)->lookups, 8);
	ck_assert_int_eq(harness_query_count(&H, "x4.spf-deep.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "y4.spf-deep.test", "TXT"), 1);
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_OK);
	aa_report_free(r);
}
END_TEST

/* RFC 7208 6.1: redirect= is ignored when the record has an all mechanism
 * anywhere; the tree and the --ip result (libspf2 would follow it) agree. */
START_TEST(test_redirect_is_ignored_when_the_record_has_an_all)
{
	const char *ips[] = {"198.51.100.1"};
	aa_report *r;
	const aa_spf_facts *f;

	harness_reset_log(&H);
	r = audit_ips("spf-redirect-all.test", ips, 1);
	f = facts(r);
	ck_assert_int_eq(f->all, '-');
	ck_assert_int_eq(f->tree->has_redirect, 0);
	ck_assert_uint_eq(f->tree->nkids, 0);
	ck_assert_uint_eq(f->lookups, 0);
	ck_assert_int_eq(harness_query_count(&H, "open.spf-redirect-all.test", "TXT"), 0);
	ck_assert_str_eq(f->ips[0].result, "fail");
	ck_assert_str_eq(f->ips[0].term, "-all at spf-redirect-all.test");
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_SPF_IP_NOT_PERMITTED));
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_PASS));
	aa_report_free(r);
}
END_TEST

/* RFC 7208 6: redirect= or exp= given twice makes the record a permerror,
 * for every IP, wherever evaluation reaches it. */
static const struct {
	const char *domain, *twice_at;
} twice[] = {
    {"spf-redirect-twice.test", "spf-redirect-twice.test"},
    {"spf-exp-twice.test", "spf-exp-twice.test"},
    {"spf-include-exp-twice.test", "inner.spf-include-exp-twice.test"},
};

START_TEST(test_modifier_given_twice_is_a_syntax_permerror)
{
	const char *ips[] = {"192.0.2.1"};
	aa_report *r = audit_ips(twice[_i].domain, ips, 1);
	const aa_finding *f = aa_report_find(r, AA_F_SPF_SYNTAX);

	ck_assert_msg(f != NULL, "%s: no SPF_SYNTAX", twice[_i].domain);
	ck_assert_str_eq(f->subject, twice[_i].twice_at);
	ck_assert(suite_has_evidence(f, "given twice"));
	ck_assert_int_eq(facts(r)->result, AA_SPF_CLASS_PERMERROR);
	ck_assert_msg(strcmp(facts(r)->ips[0].result, "permerror") == 0, "%s: --ip gave %s", twice[_i].domain,
	              facts(r)->ips[0].result);
	ck_assert_ptr_null(aa_report_find(r, AA_F_SPF_ALL_NEUTRAL));
	aa_report_free(r);
}
END_TEST

/* cannot_pass names the first of the none/permerror codes that the judge
 * reports, in the priority order of facts.h, and AA_F_COUNT when SPF can
 * pass or a lookup failed. */
static const aa_code cannot_pass_order[] = {
    AA_F_SPF_NONE,         AA_F_SPF_SYNTAX,      AA_F_SPF_MULTIPLE,
    AA_F_SPF_LOOKUP_LIMIT, AA_F_SPF_VOID_LIMIT,  AA_F_SPF_INCLUDE_NO_RECORD,
    AA_F_SPF_LOOP,         AA_F_SPF_MX_TOO_MANY,
};

static aa_code
first_cannot_pass_reported(const aa_report *r)
{
	size_t i;

	if (aa_report_find(r, AA_F_SPF_DNS_ERROR) != NULL)
		return AA_F_COUNT;
	for (i = 0; i < sizeof(cannot_pass_order) / sizeof(cannot_pass_order[0]); i++)
		if (aa_report_find(r, cannot_pass_order[i]) != NULL)
			return cannot_pass_order[i];
	return AA_F_COUNT;
}

static const struct {
	const char *domain;
	aa_code cannot_pass;
} passing[] = {
    {"spf-none.test", AA_F_SPF_NONE},
    {"spf-syntax.test", AA_F_SPF_SYNTAX},
    {"spf-redirect-twice.test", AA_F_SPF_SYNTAX},
    {"spf-multiple.test", AA_F_SPF_MULTIPLE},
    {"spf-eleven.test", AA_F_SPF_LOOKUP_LIMIT},
    {"spf-void.test", AA_F_SPF_VOID_LIMIT},
    {"spf-include-norecord.test", AA_F_SPF_INCLUDE_NO_RECORD},
    {"spf-loop.test", AA_F_SPF_LOOP},
    {"spf-ok.test", AA_F_COUNT},
    {"spf-redirect.test", AA_F_COUNT},
    {"spf-servfail.test", AA_F_COUNT},         /* unknown, not "cannot" */
    {"spf-mxmany.test", AA_F_SPF_MX_TOO_MANY}, /* RFC 7208 4.6.4: permerror */
    {"nowhere.spf-none.test", AA_F_COUNT},     /* DOMAIN_NXDOMAIN says it */
};

START_TEST(test_cannot_pass_is_the_first_such_code_the_judge_reports)
{
	aa_report *r = audit(passing[_i].domain);

	ck_assert_msg(facts(r)->cannot_pass == passing[_i].cannot_pass, "%s: cannot_pass %d, want %d",
	              passing[_i].domain, facts(r)->cannot_pass, passing[_i].cannot_pass);
	ck_assert_msg(facts(r)->cannot_pass == first_cannot_pass_reported(r),
	              "%s: cannot_pass %d, judge reports %d first", passing[_i].domain, facts(r)->cannot_pass,
	              first_cannot_pass_reported(r));
	aa_report_free(r);
}
END_TEST

static const struct {
	const char *domain;
	aa_tri eop;
	const char *path;
} eops[] = {
    {"spf-eop-nested.test", AA_TRI_YES,
     "include:_spf.spf-eop-nested.test > include:spf.protection.outlook.com"},
    {"spf-ok.test", AA_TRI_NO, NULL},
    {"spf-servfail.test", AA_TRI_UNKNOWN, NULL},
};

START_TEST(test_m365_include_is_found_through_nested_includes)
{
	aa_report *r = audit(eops[_i].domain);
	const aa_spf_facts *f = facts(r);

	ck_assert_int_eq(f->eop, eops[_i].eop);
	if (eops[_i].path == NULL)
		ck_assert_ptr_null(f->eop_path);
	else
		ck_assert_str_eq(f->eop_path, eops[_i].path);
	aa_report_free(r);
}
END_TEST

START_TEST(test_effective_node_is_the_end_of_the_redirect_chain)
{
	aa_report *r = audit("spf-redirect.test");
	const aa_spf_facts *f = facts(r);

	ck_assert_ptr_nonnull(f->effective);
	ck_assert_ptr_ne(f->effective, f->tree);
	ck_assert_str_eq(f->effective->name, "r2.spf-redirect.test");
	ck_assert_int_eq(f->effective->all, '~');
	aa_report_free(r);
	r = audit("spf-none.test");
	ck_assert_ptr_null(facts(r)->effective);
	aa_report_free(r);
}
END_TEST

/* The text report of the CLI draws the tree in ASCII when not on a terminal. */
START_TEST(test_cli_text_report_draws_the_include_tree_with_costs)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	char cmd[512], buf[4096];
	aa_buf out = {0};
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "COLUMNS=80 %s -r %s --fail-on never spf-eleven.test", prog, H.resolver);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		aa_buf_add(&out, buf, n);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_ptr_nonnull(out.p);
	ck_assert_ptr_nonnull(strstr(out.p, "SPF include tree (permerror): 11 of 10 lookups\n"));
	ck_assert_ptr_nonnull(strstr(out.p, "  spf-eleven.test\n"
	                                    "    \"v=spf1 include:a.spf-eleven.test "
	                                    "include:b.spf-eleven.test -all\"\n"
	                                    "  |- a.spf-eleven.test  (7)\n"
	                                    "  |  `- c.spf-eleven.test  (3)\n"
	                                    "  `- b.spf-eleven.test  (4)\n"));
	ck_assert_ptr_null(strstr(out.p, "\342\224")); /* no box drawing in a pipe */
	aa_buf_free(&out);
}
END_TEST

static Suite *
spf_suite(void)
{
	Suite *s = suite_create("spf");
	TCase *pure = tcase_create("pure");
	TCase *dns = tcase_create("dns");

	tcase_add_test(pure, test_check_reads_only_the_record_set);
	tcase_add_test(pure, test_an_entry_with_an_empty_name_is_not_handed_to_libspf2);
	tcase_add_test(pure, test_timeout_in_memory_is_temperror_not_missing);
	tcase_add_test(pure, test_apex_servfail_is_dns_error_not_spf_none);
	tcase_add_test(pure, test_macros_need_an_ip_to_expand);
	tcase_add_test(pure, test_spf_check_leaves_hardfail_to_the_cross_step);
	tcase_add_test(pure, test_hostile_include_fanout_is_asked_within_the_limits);
	tcase_add_test(pure, test_m365_include_is_found_past_a_failed_branch);
	tcase_add_test(pure, test_repeated_includes_are_read_once_per_node);
	tcase_add_test(pure, test_record_with_three_hundred_terms_is_read_whole);
	suite_add_tcase(s, pure);

	suite_fixture(dns, &H, 0);
	tcase_set_timeout(dns, 60);
	tcase_add_test(dns, test_good_record_gives_tree_and_no_error);
	tcase_add_test(dns, test_missing_record_is_spf_none);
	tcase_add_test(dns, test_two_records_are_spf_multiple);
	tcase_add_test(dns, test_unknown_mechanism_is_syntax_error_saying_where);
	tcase_add_test(dns, test_eleven_lookups_across_nested_includes_is_lookup_limit);
	tcase_add_test(dns, test_includes_past_the_limit_are_not_expanded_and_the_fix_adds_up);
	tcase_add_test(dns, test_unmatched_ip_over_the_lookup_limit_is_permerror);
	tcase_add_test(dns, test_exactly_ten_lookups_is_near_limit_not_over);
	tcase_add_test(dns, test_three_void_lookups_are_void_limit);
	tcase_add_test(dns, test_one_void_lookup_is_a_warning);
	tcase_add_test(dns, test_include_of_name_without_spf_is_include_no_record);
	tcase_add_test(dns, test_include_loop_is_reported_and_asked_once);
	tcase_add_test(dns, test_redirect_chain_gives_the_effective_all);
	tcase_add_test(dns, test_mx_too_many_feeds_dmarc_cannot_pass);
	tcase_add_test(dns, test_return_path_host_below_the_domain_gets_its_own_spf_result);
	tcase_add_test(dns, test_include_that_passes_everything_is_all_pass_naming_the_branch);
	tcase_add_loop_test(dns, test_all_qualifier_gives_its_finding, 0,
	                    (int)(sizeof(alls) / sizeof(alls[0])));
	tcase_add_test(dns, test_hardfail_is_medium_without_dkim_and_info_with_a_key);
	tcase_add_test(dns, test_ptr_mechanism_is_reported);
	tcase_add_test(dns, test_slash_eight_is_a_broad_range);
	tcase_add_test(dns, test_broad_range_of_a_provider_include_is_not_the_domains_finding);
	tcase_add_test(dns, test_large_record_arrives_over_tcp_and_is_reported);
	tcase_add_test(dns, test_mx_term_with_eleven_hosts_is_too_many);
	tcase_add_test(dns, test_servfail_include_is_dns_error_not_permerror);
	tcase_add_test(dns, test_servfail_include_with_ip_is_temperror);
	tcase_add_test(dns, test_type_99_record_is_deprecated_rr);
	tcase_add_loop_test(dns, test_ip_result_through_include_chain, 0,
	                    (int)(sizeof(ipcases) / sizeof(ipcases[0])));
	tcase_add_test(dns, test_exists_macro_is_expanded_with_the_ip);
	tcase_add_test(dns, test_four_level_tree_costs_its_depth_in_round_trips);
	tcase_add_test(dns, test_cli_text_report_draws_the_include_tree_with_costs);
	tcase_add_test(dns, test_redirect_is_ignored_when_the_record_has_an_all);
	tcase_add_loop_test(dns, test_cannot_pass_is_the_first_such_code_the_judge_reports, 0,
	                    (int)(sizeof(passing) / sizeof(passing[0])));
	tcase_add_loop_test(dns, test_m365_include_is_found_through_nested_includes, 0,
	                    (int)(sizeof(eops) / sizeof(eops[0])));
	tcase_add_test(dns, test_effective_node_is_the_end_of_the_redirect_chain);
	tcase_add_loop_test(dns, test_modifier_given_twice_is_a_syntax_permerror, 0,
	                    (int)(sizeof(twice) / sizeof(twice[0])));
	suite_add_tcase(s, dns);
	return s;
}

int
main(void)
{
	return suite_main(spf_suite());
}
