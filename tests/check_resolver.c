/*
 * The resolver layer against a real knotd (fixtures/zones/resolver.test.zone)
 * and faultdns (fixtures/faults.conf): every outcome class, TXT joining, TCP
 * fallback, CNAME chains and loops, concurrency, no duplicate queries,
 * deadlines and budgets, and bad input.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns/resolver.h"
#include "engine/audit.h"
#include "harness.h"
#include "report/report.h"
#include "suite.h"

static harness H;

static aa_resolver *
new_resolver_at(const char *server, int timeout_ms, int tries)
{
	aa_options opt;
	aa_resolver *res;

	aa_options_init(&opt);
	opt.resolvers = server;
	opt.timeout_ms = timeout_ms;
	opt.tries = tries;
	ck_assert_int_eq(aa_resolver_new(&opt, &res), AA_OK);
	return res;
}

static aa_resolver *
new_resolver(int timeout_ms)
{
	return new_resolver_at(H.resolver, timeout_ms, 1);
}

static void
count_cb(void *owner, aa_rrset *rs, void *arg)
{
	(void)rs;
	(void)arg;
	(*(int *)owner)++;
}

static void
run_until_idle(aa_resolver *res)
{
	while (aa_resolver_busy(res)) {
		aa_resolver_dispatch(res);
		ck_assert_int_eq(aa_resolver_wait(res, 100), AA_OK);
	}
}

/* Asks one (name, type) and returns a copy of the completed record set. */
static aa_rrset *
ask(const char *name, aa_rrtype type)
{
	aa_resolver *res = new_resolver(1000);
	aa_rrset *rs, *copy;
	int done = 0;

	ck_assert_int_eq(aa_resolver_want(res, name, type, &done, count_cb, NULL, &rs), AA_OK);
	run_until_idle(res);
	ck_assert_int_eq(done, 1);
	copy = aa_rrset_copy(rs);
	aa_resolver_free(res);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

START_TEST(test_txt_strings_of_one_record_are_joined_without_separator)
{
	aa_rrset *rs = ask("split.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->nrr, 1);
	ck_assert_str_eq(rs->rr[0].data, "v=spf1 ip4:192.0.2.0/24 include:_spf.resolver.test -all");
	ck_assert_uint_eq(rs->rr[0].nstrings, 3);
	ck_assert_uint_eq(rs->ttl, 300);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_several_txt_records_at_one_name_stay_apart)
{
	aa_rrset *rs = ask("MULTI.resolver.test.", AA_T_TXT);
	int seen[3] = {0};
	size_t i;

	ck_assert_str_eq(rs->name, "multi.resolver.test");
	ck_assert_uint_eq(rs->nrr, 3);
	for (i = 0; i < rs->nrr; i++) {
		if (strcmp(rs->rr[i].data, "first record") == 0)
			seen[0]++;
		if (strcmp(rs->rr[i].data, "second record") == 0 && rs->rr[i].nstrings == 2)
			seen[1]++;
		if (strcmp(rs->rr[i].data, "third") == 0)
			seen[2]++;
	}
	ck_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_txt_over_512_bytes_arrives_whole)
{
	aa_rrset *rs = ask("big.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->nrr, 1);
	ck_assert_uint_eq(rs->rr[0].len, 704);
	ck_assert(strncmp(rs->rr[0].data, "v=spf1 ip4:198.51.100.1 ", 24) == 0);
	ck_assert(strcmp(rs->rr[0].data + 704 - 5, " -all") == 0);
	ck_assert_uint_gt(rs->wire_len, 512);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_truncated_udp_answer_is_retried_over_tcp)
{
	aa_rrset *rs;

	harness_reset_log(&H);
	rs = ask("bigtc.resolver.test", AA_T_TXT);
	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->rr[0].len, 704);
	/* one UDP try (truncated) and one TCP try, both logged */
	ck_assert_int_eq(harness_query_count(&H, "bigtc.resolver.test", "TXT"), 2);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_nxdomain_and_nodata_are_told_apart)
{
	aa_rrset *nx = ask("absent.resolver.test", AA_T_TXT);
	aa_rrset *nd = ask("nodata.resolver.test", AA_T_TXT);

	ck_assert_int_eq(nx->outcome, AA_OUT_NXDOMAIN);
	ck_assert_int_eq(nd->outcome, AA_OUT_NODATA);
	ck_assert_uint_eq(nx->nrr + nd->nrr, 0);
	ck_assert(!aa_outcome_is_error(nx->outcome) && !aa_outcome_is_error(nd->outcome));
	aa_rrset_unref(nx);
	aa_rrset_unref(nd);
}
END_TEST

START_TEST(test_cname_chain_is_followed_and_recorded)
{
	aa_rrset *rs = ask("alias1.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->nchain, 2);
	ck_assert_str_eq(rs->chain[0], "alias2.resolver.test");
	ck_assert_str_eq(rs->chain[1], "target.resolver.test");
	ck_assert_str_eq(rs->rr[0].data, "at the end of the chain");
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_cname_into_another_zone_is_chased)
{
	aa_rrset *rs = ask("out.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(rs->nchain, 1);
	ck_assert_str_eq(rs->chain[0], "far.resolver-other.test");
	ck_assert_str_eq(rs->rr[0].data, "reached across zones");
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_cname_loop_is_its_own_outcome)
{
	aa_rrset *rs = ask("loop1.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_CNAME_LOOP);
	ck_assert_uint_eq(rs->nrr, 0);
	ck_assert(aa_outcome_is_error(rs->outcome));
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_dangling_cname_is_nxdomain_with_its_chain)
{
	aa_rrset *rs = ask("dangling.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_NXDOMAIN);
	ck_assert_uint_eq(rs->nchain, 1);
	ck_assert_str_eq(rs->chain[0], "nowhere.resolver.test");
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_mx_preferences_hosts_and_null_mx)
{
	aa_rrset *mx = ask("mail.resolver.test", AA_T_MX);
	aa_rrset *null = ask("nullmx.resolver.test", AA_T_MX);
	aa_rrset *aaaa = ask("mx1.resolver.test", AA_T_AAAA);
	size_t i;

	ck_assert_uint_eq(mx->nrr, 2);
	for (i = 0; i < 2; i++) {
		if (mx->rr[i].pref == 10)
			ck_assert_str_eq(mx->rr[i].data, "mx1.resolver.test");
		else
			ck_assert(mx->rr[i].pref == 20 && strcmp(mx->rr[i].data, "mx2.resolver.test") == 0);
	}
	ck_assert_uint_eq(null->nrr, 1);
	ck_assert_uint_eq(null->rr[0].pref, 0);
	ck_assert_str_eq(null->rr[0].data, "");
	ck_assert_str_eq(aaaa->rr[0].data, "2001:db8::41");
	ck_assert_int_eq(aaaa->rr[0].addr[15], 0x41);
	aa_rrset_unref(mx);
	aa_rrset_unref(null);
	aa_rrset_unref(aaaa);
}
END_TEST

START_TEST(test_mx_target_cname_shows_in_the_address_lookup)
{
	aa_rrset *a = ask("alias1.resolver.test", AA_T_A);

	ck_assert_int_eq(a->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(a->nchain, 2);
	ck_assert_str_eq(a->rr[0].data, "192.0.2.33");
	aa_rrset_unref(a);
}
END_TEST

static const struct {
	const char *name;
	aa_outcome outcome;
} faults[] = {
    {"x.servfail.resolver.test", AA_OUT_SERVFAIL},
    {"x.refused.resolver.test", AA_OUT_REFUSED},
    {"x.timeout.resolver.test", AA_OUT_TIMEOUT},
    {"x.malformed.resolver.test", AA_OUT_MALFORMED},
};

START_TEST(test_fault_gives_its_outcome_class)
{
	aa_rrset *rs = ask(faults[_i].name, AA_T_TXT);

	ck_assert_msg(rs->outcome == faults[_i].outcome, "%s: got %s, want %s", faults[_i].name,
	              aa_outcome_name(rs->outcome), aa_outcome_name(faults[_i].outcome));
	ck_assert(aa_outcome_is_error(rs->outcome));
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_nothing_listening_is_a_failure_not_a_missing_record)
{
	aa_options opt;
	aa_resolver *res;
	aa_rrset *rs;
	int done = 0;

	aa_options_init(&opt);
	opt.resolvers = "127.0.0.1:1";
	opt.timeout_ms = 300;
	opt.tries = 1;
	ck_assert_int_eq(aa_resolver_new(&opt, &res), AA_OK);
	ck_assert_int_eq(aa_resolver_want(res, "x.resolver.test", AA_T_TXT, &done, count_cb, NULL, &rs),
	                 AA_OK);
	run_until_idle(res);
	ck_assert_int_eq(done, 1);
	ck_assert(aa_outcome_is_error(rs->outcome));
	aa_resolver_free(res);
}
END_TEST

/* Milliseconds on the monotonic clock. */
static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define REFUSED_MANY 300

START_TEST(test_a_burst_to_nothing_listening_fails_fast_not_by_timeout)
{
	/* Queries leave in batches (one sendmmsg() per round, udpio.c).
	 * Linux reports the ICMP port unreachable of one datagram on the
	 * next send, and sendmmsg() swallows it after a partial send: the
	 * error must still reach c-ares (on its next recv), so that a dead
	 * server fails every query at once, as with one send() each, instead
	 * of after the timeout.  300 names: the first window fills, the rest
	 * go out in rounds of many datagrams. */
	aa_resolver *res = new_resolver_at("127.0.0.1:1", 3000, 2);
	aa_rrset **rs = calloc(REFUSED_MANY, sizeof(*rs));
	char name[64];
	int done = 0, i;
	long long t0 = mono_ms();

	ck_assert_ptr_nonnull(rs);
	for (i = 0; i < REFUSED_MANY; i++) {
		snprintf(name, sizeof(name), "q%d.many.resolver.test", i);
		ck_assert_int_eq(aa_resolver_want(res, name, AA_T_TXT, &done, count_cb, NULL, &rs[i]), AA_OK);
	}
	run_until_idle(res);
	ck_assert_int_eq(done, REFUSED_MANY);
	for (i = 0; i < REFUSED_MANY; i++)
		ck_assert_msg(rs[i]->outcome == AA_OUT_NETERR, "%s: %s", rs[i]->name,
		              aa_outcome_name(rs[i]->outcome));
	/* well under one timeout (3 s), even under valgrind */
	ck_assert_int_lt(mono_ms() - t0, 2000);
	aa_resolver_free(res);
	free(rs);
}
END_TEST

#define BATCH 400

START_TEST(test_rounds_of_batched_queries_are_each_asked_once_and_answered)
{
	/* Through faultdns, which logs every query: with the pacing window
	 * growing from 64, most of these leave in rounds of many datagrams
	 * per sendmmsg() and their answers arrive many per recvmmsg()
	 * (udpio.c).  Each name reaches the server exactly once and every
	 * answer is matched to its own query. */
	aa_resolver *res = new_resolver_at(H.resolver, 2000, 2);
	aa_rrset **rs = calloc(BATCH, sizeof(*rs));
	char name[64];
	int done = 0, i;
	aa_stats st;

	ck_assert_ptr_nonnull(rs);
	harness_reset_log(&H);
	for (i = 0; i < BATCH; i++) {
		snprintf(name, sizeof(name), "b%d.many.resolver.test", i);
		ck_assert_int_eq(aa_resolver_want(res, name, i % 2 ? AA_T_A : AA_T_TXT, &done, count_cb, NULL,
		                                  &rs[i]),
		                 AA_OK);
	}
	run_until_idle(res);
	ck_assert_int_eq(done, BATCH);
	for (i = 0; i < BATCH; i++) {
		snprintf(name, sizeof(name), "b%d.many.resolver.test", i);
		ck_assert_str_eq(rs[i]->name, name);
		ck_assert_msg(rs[i]->outcome == AA_OUT_ANSWER, "%s: %s", name,
		              aa_outcome_name(rs[i]->outcome));
		ck_assert_str_eq(rs[i]->rr[0].data, i % 2 ? "192.0.2.50" : "many");
	}
	aa_resolver_stats(res, &st);
	ck_assert_uint_eq(st.queries_sent, BATCH);
	if (st.loss_retries == 0 && st.hedges == 0)
		ck_assert_int_eq(harness_query_count(&H, "*", "*"), BATCH);
	aa_resolver_free(res);
	free(rs);
}
END_TEST

#define MANY 1500

START_TEST(test_many_queries_in_flight_all_complete_correctly)
{
	/* straight to knotd: faultdns is a single-threaded test proxy */
	char knot[64];
	aa_resolver *res;
	aa_rrset **rs = calloc(MANY, sizeof(*rs));
	aa_stats st;
	char name[64];
	int done = 0, i;

	snprintf(knot, sizeof(knot), "127.0.0.1:%d", H.knot_port);
	/* a burst of 1500 datagrams can overflow a socket buffer on the way;
	 * c-ares' retries recover, as they would against a real resolver */
	res = new_resolver_at(knot, 1000, 4);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "q%d.many.resolver.test", i);
		ck_assert_int_eq(aa_resolver_want(res, name, AA_T_TXT, &done, count_cb, NULL, &rs[i]), AA_OK);
	}
	run_until_idle(res);
	ck_assert_int_eq(done, MANY);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "q%d.many.resolver.test", i);
		ck_assert_str_eq(rs[i]->name, name);
		ck_assert_int_eq(rs[i]->outcome, AA_OUT_ANSWER);
		ck_assert_str_eq(rs[i]->rr[0].data, "many");
	}
	aa_resolver_stats(res, &st);
	/* paced: a window of at least 128 on the wire (it starts there and
	 * grows while no answer is lost), never more than the cap */
	ck_assert_uint_ge(st.max_in_flight, 128);
	ck_assert_uint_le(st.max_in_flight, 1000);
	ck_assert_uint_eq(st.queries_sent, MANY);
	aa_resolver_free(res);
	free(rs);
}
END_TEST

#define HOLD 80
#define LOSSY 200

START_TEST(test_queries_lost_under_load_are_asked_again_and_answered)
{
	/* 80 slow answers keep the wire busy; then 200 names whose first two
	 * queries are dropped, as a server's full receive buffer drops a
	 * burst.  With two tries each, every one of them would time out;
	 * sent under load, they are taken for loss to our pace: asked again
	 * (the window halved) and answered. */
	aa_resolver *res = new_resolver_at(H.resolver, 700, 2);
	aa_rrset **rs = calloc(HOLD + LOSSY, sizeof(*rs));
	char name[64];
	int done = 0, i;
	aa_stats st;

	for (i = 0; i < HOLD + LOSSY; i++) {
		snprintf(name, sizeof(name), "q%d.%s.resolver.test", i, i < HOLD ? "hold" : "lossy");
		ck_assert_int_eq(aa_resolver_want(res, name, AA_T_TXT, &done, count_cb, NULL, &rs[i]), AA_OK);
	}
	run_until_idle(res);
	ck_assert_int_eq(done, HOLD + LOSSY);
	for (i = 0; i < HOLD + LOSSY; i++) {
		ck_assert_msg(rs[i]->outcome == AA_OUT_ANSWER, "%s: %s", rs[i]->name,
		              aa_outcome_name(rs[i]->outcome));
		ck_assert_str_eq(rs[i]->rr[0].data, i < HOLD ? "hold" : "lossy");
	}
	aa_resolver_stats(res, &st);
	/* asked again: early (a twin past the round-trip estimate) or after
	 * a timeout */
	ck_assert_uint_ge(st.loss_retries + st.hedges, LOSSY);
	ck_assert_uint_gt(st.hedges, 0);
	ck_assert_uint_eq(st.queries_sent, HOLD + LOSSY);
	/* each lossy name was asked at least three times at the server (two
	 * lost, then answered), and never more than its tries (2) and the
	 * three more that loss under load allows; a twin sent while a slow
	 * answer was on its way is one of those */
	ck_assert_int_ge(harness_query_count(&H, "q100.lossy.resolver.test", "TXT"), 3);
	ck_assert_int_le(harness_query_count(&H, "q100.lossy.resolver.test", "TXT"), 5);
	aa_resolver_free(res);
	free(rs);
}
END_TEST

START_TEST(test_a_query_lost_under_load_is_answered_long_before_its_timeout)
{
	/* 80 slow answers keep the wire busy; 200 names lose their first
	 * query.  Each gets a twin once its round-trip estimate (some 400 ms
	 * here, from the slow answers) has passed, so all are answered
	 * before the 3 s timeout of the first try could have passed. */
	aa_resolver *res = new_resolver_at(H.resolver, 3000, 2);
	aa_rrset **rs = calloc(HOLD + LOSSY, sizeof(*rs));
	struct timespec t0, t1;
	char name[64];
	int done = 0, i;
	long ms;
	aa_stats st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < HOLD + LOSSY; i++) {
		snprintf(name, sizeof(name), "q%d.%s.resolver.test", i, i < HOLD ? "hold" : "lost1");
		ck_assert_int_eq(aa_resolver_want(res, name, AA_T_TXT, &done, count_cb, NULL, &rs[i]), AA_OK);
	}
	/* until every answer is in (the lost queries themselves stay with
	 * c-ares until their timeout, uncounted) */
	while (done < HOLD + LOSSY && aa_resolver_wait(res, 100) == AA_OK)
		aa_resolver_dispatch(res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	run_until_idle(res);
	ck_assert_int_eq(done, HOLD + LOSSY);
	for (i = HOLD; i < HOLD + LOSSY; i++) {
		ck_assert_int_eq(rs[i]->outcome, AA_OUT_ANSWER);
		ck_assert_str_eq(rs[i]->rr[0].data, "lost1");
	}
	aa_resolver_stats(res, &st);
	ck_assert_uint_ge(st.hedges, LOSSY);
	ck_assert_uint_eq(st.loss_retries, 0); /* none waited for its timeout */
	ck_assert_msg(ms < 3000, "took %ld ms: a lost query waited for its timeout", ms);
	aa_resolver_free(res);
	free(rs);
}
END_TEST

START_TEST(test_a_timeout_with_few_queries_on_the_wire_keeps_the_configured_tries)
{
	/* one name that never answers, alone on the wire: a dead server,
	 * not loss — asked exactly `tries` times, no more */
	aa_resolver *res = new_resolver_at(H.resolver, 200, 2);
	aa_rrset *rs = NULL;
	int done = 0;
	aa_stats st;

	harness_reset_log(&H);
	ck_assert_int_eq(aa_resolver_want(res, "alone.timeout.resolver.test", AA_T_TXT, &done, count_cb, NULL,
	                                  &rs),
	                 AA_OK);
	run_until_idle(res);
	ck_assert_int_eq(done, 1);
	ck_assert_int_eq(rs->outcome, AA_OUT_TIMEOUT);
	ck_assert_int_eq(harness_query_count(&H, "alone.timeout.resolver.test", "TXT"), 2);
	aa_resolver_stats(res, &st);
	ck_assert_uint_eq(st.loss_retries, 0);
	ck_assert_uint_eq(st.hedges, 0);
	aa_resolver_free(res);
}
END_TEST

static void
keep_report(aa_report *r, void *arg)
{
	aa_report **slot = arg;

	*slot = r;
}

START_TEST(test_same_name_and_type_is_asked_once_per_run)
{
	aa_options opt;
	aa_report *r1 = NULL, *r2 = NULL;
	aa_ctx *ctx;
	aa_stats st;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	harness_reset_log(&H);
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	/* two audits of one domain, and the domain itself as a CNAME target */
	ck_assert_int_eq(aa_ctx_add(ctx, "mail.resolver.test", keep_report, &r1), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "Mail.Resolver.Test.", keep_report, &r2), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	ck_assert_ptr_nonnull(r1);
	ck_assert_ptr_nonnull(r2);
	ck_assert_int_eq(harness_query_count(&H, "mail.resolver.test", "MX"), 1);
	ck_assert_int_eq(harness_query_count(&H, "mail.resolver.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "_dmarc.mail.resolver.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "mx1.resolver.test", "A"), 1);
	aa_ctx_stats(ctx, &st);
	ck_assert_uint_eq(st.audits_done, 2);
	ck_assert_uint_gt(st.cache_hits, 0);
	/* the follow-ups of the MX answer are in both views */
	ck_assert_ptr_nonnull(aa_recordset_get(r2->records, "mx2.resolver.test", AA_T_A));
	ck_assert_int_eq(aa_recordset_get(r2->records, "mx1.resolver.test", AA_T_AAAA)->outcome,
	                 AA_OUT_ANSWER);
	aa_report_free(r1);
	aa_report_free(r2);
	aa_ctx_free(ctx);
}
END_TEST

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

START_TEST(test_audit_deadline_is_respected_and_reported)
{
	aa_options opt;
	aa_report *r = NULL, *fast = NULL;
	aa_ctx *ctx;
	long long t0, took;
	const aa_rrset *rs;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.deadline_ms = 400;
	opt.timeout_ms = 5000;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	t0 = now_ms();
	ck_assert_int_eq(aa_ctx_add(ctx, "x.slow.resolver.test", keep_report, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "mail.resolver.test", keep_report, &fast), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	took = now_ms() - t0;
	/* slow answers take 3 s; the audit stops at its 400 ms deadline */
	ck_assert_msg(took < 2000, "audit took %lld ms", took);
	ck_assert_int_eq(r->deadline_hit, 1);
	ck_assert(aa_report_incomplete(r));
	rs = aa_recordset_get(r->records, "x.slow.resolver.test", AA_T_MX);
	ck_assert_int_eq(rs->outcome, AA_OUT_DEADLINE);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DNS_INCOMPLETE));
	/* the other audit in flight is unaffected */
	ck_assert_int_eq(fast->deadline_hit, 0);
	ck_assert_int_eq(aa_recordset_get(fast->records, "mail.resolver.test", AA_T_MX)->outcome,
	                 AA_OUT_ANSWER);
	aa_report_free(r);
	aa_report_free(fast);
	aa_ctx_free(ctx);
}
END_TEST

/* Records the outcome and first record of the answer a waiter got. */
struct seen {
	int calls;
	aa_outcome outcome;
	char text[64];
};

static void
seen_cb(void *owner, aa_rrset *rs, void *arg)
{
	struct seen *s = owner;

	(void)arg;
	s->calls++;
	s->outcome = rs->outcome;
	snprintf(s->text, sizeof(s->text), "%s", rs->nrr > 0 ? rs->rr[0].data : "");
}

START_TEST(test_want_of_a_name_being_chased_waits_for_the_chase)
{
	aa_resolver *res = new_resolver(3000);
	struct seen first = {0}, second = {0};
	long long t0 = now_ms();

	ck_assert_int_eq(aa_resolver_want(res, "tofar.resolver.test", AA_T_TXT, &first, seen_cb, NULL, NULL),
	                 AA_OK);
	/* the alias answers at once; its target's zone takes 800 ms */
	while (now_ms() - t0 < 300) {
		aa_resolver_dispatch(res);
		ck_assert_int_eq(aa_resolver_wait(res, 50), AA_OK);
	}
	ck_assert_int_eq(first.calls, 0);
	ck_assert_int_eq(aa_resolver_want(res, "tofar.resolver.test", AA_T_TXT, &second, seen_cb, NULL, NULL),
	                 AA_OK);
	aa_resolver_dispatch(res);
	/* a waiter on a name whose chase is in flight waits: no NODATA now */
	ck_assert_int_eq(second.calls, 0);
	run_until_idle(res);
	ck_assert_int_eq(first.calls, 1);
	ck_assert_int_eq(second.calls, 1);
	ck_assert_int_eq(first.outcome, AA_OUT_ANSWER);
	ck_assert_int_eq(second.outcome, AA_OUT_ANSWER);
	ck_assert_str_eq(second.text, "slow far");
	aa_resolver_free(res);
}
END_TEST

START_TEST(test_cname_loop_across_two_zones_is_a_loop_not_a_hang)
{
	aa_rrset *rs = ask("xloop.resolver.test", AA_T_TXT);

	ck_assert_int_eq(rs->outcome, AA_OUT_CNAME_LOOP);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_alternating_cname_chain_stops_asking_at_the_hop_limit)
{
	aa_rrset *rs;
	int i, asked = 0;
	char name[64];

	harness_reset_log(&H);
	rs = ask("alt0.resolver.test", AA_T_TXT);
	ck_assert_int_eq(rs->outcome, AA_OUT_CNAME_LOOP);
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "alt%d.%s", i, i % 2 ? "resolver-other.test" : "resolver.test");
		asked += harness_query_count(&H, name, "TXT");
	}
	/* one query per hop up to the limit, none beyond it */
	ck_assert_msg(asked <= 17, "%d queries for a 40-hop chain", asked);
	ck_assert_int_eq(harness_query_count(&H, "alt40.resolver-other.test", "TXT"), 0);
	aa_rrset_unref(rs);
}
END_TEST

START_TEST(test_chases_in_flight_at_the_deadline_are_never_missing_records)
{
	const char *never[] = {"DMARC_NONE", "DKIM_NONE_FOUND", "DKIM_CNAME_DANGLING",
	                       "SPF_INCLUDE_NO_RECORD"};
	aa_options opt;
	aa_report *r;
	size_t i;

	aa_options_init(&opt);
	opt.deadline_ms = 400;
	opt.timeout_ms = 5000;
	r = suite_audit(&H, "chase-deadline.test", &opt);
	ck_assert_int_eq(r->deadline_hit, 1);
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_msg(suite_find(r, never[i]) == NULL, "%s for a lookup still in flight", never[i]);
	ck_assert_int_eq(aa_recordset_get(r->records, "_dmarc.chase-deadline.test", AA_T_TXT)->outcome,
	                 AA_OUT_DEADLINE);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DNS_INCOMPLETE));
	aa_report_free(r);
}
END_TEST

START_TEST(test_two_audits_sharing_a_chased_include_both_get_its_answer)
{
	aa_options opt;
	aa_report *a = NULL, *b = NULL;
	aa_ctx *ctx;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.timeout_ms = 3000;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	/* both include shared.resolver.test, a CNAME into a slow zone; b's own
	 * TXT is slowed so that it asks for the include while a's chase of it
	 * is in flight */
	ck_assert_int_eq(aa_ctx_add(ctx, "chase-a.test", keep_report, &a), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "chase-b.test", keep_report, &b), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	ck_assert_int_eq(aa_recordset_get(a->records, "shared.resolver.test", AA_T_TXT)->outcome,
	                 AA_OUT_ANSWER);
	ck_assert_int_eq(aa_recordset_get(b->records, "shared.resolver.test", AA_T_TXT)->outcome,
	                 AA_OUT_ANSWER);
	ck_assert_ptr_null(aa_report_find(a, AA_F_SPF_INCLUDE_NO_RECORD));
	ck_assert_ptr_null(aa_report_find(b, AA_F_SPF_INCLUDE_NO_RECORD));
	ck_assert_int_eq(aa_report_incomplete(b), 0);
	aa_report_free(a);
	aa_report_free(b);
	aa_ctx_free(ctx);
}
END_TEST

/* One lookup whose TCP retry is hung up on fails alone: the other
 * lookups in flight on the same server are answered (a failing connection
 * affects only the queries sent on it). */
START_TEST(test_a_hung_up_tcp_connection_fails_only_its_own_query)
{
	aa_resolver *res = new_resolver_at(H.resolver, 1000, 2);
	struct seen hung = {0}, others[60];
	char name[64];
	int i;

	memset(others, 0, sizeof(others));
	ck_assert_int_eq(aa_resolver_want(res, "hangup.resolver.test", AA_T_TXT, &hung, seen_cb, NULL, NULL),
	                 AA_OK);
	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "n%d.resolver.test", i);
		ck_assert_int_eq(aa_resolver_want(res, name, AA_T_TXT, &others[i], seen_cb, NULL, NULL),
		                 AA_OK);
	}
	run_until_idle(res);
	ck_assert_int_eq(hung.calls, 1);
	ck_assert_msg(aa_outcome_is_error(hung.outcome), "hung-up lookup: %s", aa_outcome_name(hung.outcome));
	for (i = 0; i < 60; i++) {
		ck_assert_int_eq(others[i].calls, 1);
		ck_assert_msg(!aa_outcome_is_error(others[i].outcome), "n%d.resolver.test: %s", i,
		              aa_outcome_name(others[i].outcome));
	}
	aa_resolver_free(res);
}
END_TEST

/* The same through audits: one domain's hung-up lookup leaves every other
 * audit of the run complete. */
START_TEST(test_a_hung_up_lookup_does_not_touch_other_audits)
{
	aa_report *r[40] = {0}, *bad = NULL;
	aa_options opt;
	aa_ctx *ctx;
	char name[64];
	size_t i, j;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	/* a pace the single-threaded fault responder keeps up with: burst loss
	 * is another matter (the batch engine's) */
	opt.max_inflight = 48;
	/* one try: a query disturbed by another's failing connection fails */
	opt.tries = 1;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "hangup.resolver.test", keep_report, &bad), AA_OK);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "%s", i % 2 ? "mail.resolver.test" : "chase-a.test");
		if (i >= 2)
			snprintf(name, sizeof(name), "d%zu.mail.resolver.test", i);
		ck_assert_int_eq(aa_ctx_add(ctx, name, keep_report, &r[i]), AA_OK);
	}
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	for (i = 0; i < 40; i++) {
		ck_assert_ptr_nonnull(r[i]);
		for (j = 0; j < aa_recordset_count(r[i]->records); j++) {
			const aa_rrset *rs = aa_recordset_at(r[i]->records, j);
			ck_assert_msg(!aa_outcome_is_error(rs->outcome), "%s: %s %s: %s", r[i]->domain,
			              rs->name, aa_rrtype_name(rs->type), aa_outcome_name(rs->outcome));
		}
		aa_report_free(r[i]);
	}
	ck_assert_ptr_nonnull(bad);
	ck_assert(
	    aa_outcome_is_error(aa_recordset_get(bad->records, "hangup.resolver.test", AA_T_TXT)->outcome));
	ck_assert(aa_report_incomplete(bad));
	aa_report_free(bad);
	aa_ctx_free(ctx);
}
END_TEST

/* Records pointing at names that cannot be asked: reported as such, never
 * as missing, and the report is incomplete (what depends on them was not
 * checked). */
START_TEST(test_names_that_cannot_be_asked_are_findings_not_missing_records)
{
	const char *never[] = {"MX_TARGET_UNRESOLVABLE", "SPF_INCLUDE_NO_RECORD", "DKIM_CNAME_DANGLING",
	                       "DKIM_NONE_FOUND"};
	aa_report *r = suite_audit(&H, "badname.test", NULL);
	const aa_finding *f;
	size_t i;

	f = aa_report_find(r, AA_F_DNS_NAME_UNASKABLE);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "a\\.b.badname.test"));
	ck_assert(suite_has_evidence(f, "selector1._domainkey.badname.test"));
	ck_assert(aa_report_incomplete(r));
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_msg(suite_find(r, never[i]) == NULL, "%s for a name that was not asked", never[i]);
	aa_report_free(r);
}
END_TEST

/* The hops of a chased CNAME chain count against the audit's budget as
 * queries of their own. */
START_TEST(test_chase_hops_count_against_the_audit_budget)
{
	aa_report *r = suite_audit(&H, "alt0.resolver.test", NULL);
	size_t entries = aa_recordset_count(r->records);
	/* the apex MX and TXT each follow the alternating chain to the limit */
	ck_assert_msg(r->queries >= entries + 2 * 14, "%lu queries for %zu lookups", r->queries, entries);
	aa_report_free(r);
}
END_TEST

/* Domains on demand: the feed is asked only while fewer than max_audits
 * run, every domain's report arrives, and no more than max_audits ran at
 * once. */
struct feed {
	int next, total, done;
};

static void
count_report(aa_report *r, void *arg)
{
	struct feed *f = arg;

	ck_assert_ptr_nonnull(r);
	f->done++;
	aa_report_free(r);
}

static int
feed_one(aa_ctx *ctx, void *arg)
{
	struct feed *f = arg;
	char name[64];

	if (f->next == f->total)
		return 0;
	snprintf(name, sizeof(name), "d%d.mail.resolver.test", f->next++);
	ck_assert_int_eq(aa_ctx_add(ctx, name, count_report, f), AA_OK);
	return 1;
}

START_TEST(test_a_feed_keeps_at_most_max_audits_in_flight)
{
	struct feed f = {0, 30, 0};
	aa_options opt;
	aa_ctx *ctx;
	aa_stats st;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.max_audits = 4;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	aa_ctx_set_feed(ctx, feed_one, &f);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_stats(ctx, &st);
	ck_assert_int_eq(f.done, 30);
	ck_assert_uint_eq(st.audits_done, 30);
	ck_assert_uint_le(st.max_audits_in_flight, 4);
	ck_assert_uint_eq(st.max_audits_in_flight, 4);
	aa_ctx_free(ctx);
}
END_TEST

START_TEST(test_added_beyond_max_audits_wait_their_turn)
{
	struct feed f = {0, 0, 0};
	aa_options opt;
	aa_ctx *ctx;
	aa_stats st;
	char name[64];
	int i;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.max_audits = 3;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "q%d.mail.resolver.test", i);
		ck_assert_int_eq(aa_ctx_add(ctx, name, count_report, &f), AA_OK);
	}
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_stats(ctx, &st);
	ck_assert_int_eq(f.done, 12);
	ck_assert_uint_eq(st.max_audits_in_flight, 3);
	aa_ctx_free(ctx);
}
END_TEST

START_TEST(test_domain_that_does_not_exist_is_one_critical_finding)
{
	const char *missing[] = {"MX_NONE",         "SPF_NONE",    "DMARC_NONE",
	                         "DKIM_NONE_FOUND", "TLSRPT_NONE", "DNS_INCOMPLETE"};
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;
	const aa_finding *f;
	size_t i;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "no-such-domain.resolver.test", keep_report, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	f = aa_report_find(r, AA_F_DOMAIN_NXDOMAIN);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_CRITICAL);
	ck_assert_str_eq(f->subject, "no-such-domain.resolver.test");
	/* a domain that does not exist is not also "missing" each record */
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		ck_assert_msg(suite_find(r, missing[i]) == NULL, "%s reported too", missing[i]);
	aa_report_free(r);
	aa_ctx_free(ctx);
}
END_TEST

START_TEST(test_query_budget_bounds_what_an_audit_asks)
{
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;
	aa_stats st;
	size_t i, budget = 0, asked = 0;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	opt.query_budget = 5;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "mail.resolver.test", keep_report, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_stats(ctx, &st);
	ck_assert_uint_eq(st.queries_sent, 5);
	for (i = 0; i < aa_recordset_count(r->records); i++) {
		if (aa_recordset_at(r->records, i)->outcome == AA_OUT_BUDGET)
			budget++;
		else
			asked++;
	}
	ck_assert_uint_eq(asked, 5);
	ck_assert_uint_gt(budget, 0);
	ck_assert_int_eq(r->budget_hit, 1);
	ck_assert(aa_report_incomplete(r));
	aa_report_free(r);
	aa_ctx_free(ctx);
}
END_TEST

static const struct {
	const char *in;
	const char *why_part;
} bad_names[] = {
    {"", "empty"},
    {"a..example", "empty label"},
    {".example.com", "empty label"},
    {"exa mple.com", "character"},
    {"exa_mple.com", "character"},
    {"localhost", "two labels"},
    {"-bad.example", "starts with a hyphen"},
    {"bad-.example", "ends with a hyphen"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", "63"},
};

START_TEST(test_invalid_domain_is_rejected_with_a_reason)
{
	const char *why = NULL;
	char *out = (char *)1;

	ck_assert_int_eq(aa_domain_normalize(bad_names[_i].in, &out, &why), AA_EDOMAIN);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad_names[_i].why_part) != NULL, "'%s': %s", bad_names[_i].in, why);
}
END_TEST

START_TEST(test_name_over_253_characters_is_rejected)
{
	char name[300];
	const char *why;
	char *out;
	int i;

	for (i = 0; i < 260; i++)
		name[i] = (i % 10 == 9) ? '.' : 'a';
	strcpy(name + 260, "com");
	ck_assert_int_eq(aa_domain_normalize(name, &out, &why), AA_EDOMAIN);
	ck_assert_ptr_nonnull(strstr(why, "253"));
}
END_TEST

START_TEST(test_idn_is_converted_and_case_folded)
{
	const char *why;
	char *out;

	ck_assert_int_eq(aa_domain_normalize("Bücher.Example.", &out, &why), AA_OK);
	ck_assert_str_eq(out, "xn--bcher-kva.example");
	free(out);
	ck_assert_int_eq(aa_domain_normalize("EXAMPLE.com", &out, &why), AA_OK);
	ck_assert_str_eq(out, "example.com");
	free(out);
}
END_TEST

START_TEST(test_invalid_domain_sends_no_query)
{
	aa_options opt;
	aa_ctx *ctx;
	aa_stats st;
	int dummy = 0;

	aa_options_init(&opt);
	opt.resolvers = H.resolver;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, "bad..name", (aa_done_fn)keep_report, &dummy), AA_EDOMAIN);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_stats(ctx, &st);
	ck_assert_uint_eq(st.queries_sent, 0);
	aa_ctx_free(ctx);
}
END_TEST

START_TEST(test_bad_resolver_address_is_refused)
{
	const char *bad[] = {"bogus", "", "127.0.0.1:notaport", "300.1.1.1"};
	aa_options opt;
	aa_ctx *ctx;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aa_options_init(&opt);
		opt.resolvers = bad[i];
		ck_assert_msg(aa_ctx_new(&opt, &ctx) == AA_ERESOLVER, "'%s' accepted", bad[i]);
		ck_assert_ptr_null(ctx);
	}
	aa_options_init(&opt);
	opt.resolvers = "127.0.0.1:5300,[::1]:5300";
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	aa_ctx_free(ctx);
}
END_TEST

START_TEST(test_unaskable_follow_up_name_is_refused)
{
	aa_resolver *res = new_resolver(1000);
	int done = 0;

	ck_assert_int_eq(aa_resolver_want(res, "has space.example", AA_T_TXT, &done, count_cb, NULL, NULL),
	                 AA_EDOMAIN);
	ck_assert_int_eq(aa_resolver_want(res, "a..b", AA_T_TXT, &done, count_cb, NULL, NULL), AA_EDOMAIN);
	ck_assert_int_eq(done, 0);
	ck_assert(!aa_resolver_busy(res));
	aa_resolver_free(res);
}
END_TEST

START_TEST(test_recordset_lookup_ignores_case_and_trailing_dot)
{
	aa_recordset *set = aa_recordset_new();
	aa_rrset *rs = aa_rrset_new("Example.COM.", AA_T_TXT);
	int i;

	ck_assert_int_eq(aa_recordset_put(set, rs), 0);
	ck_assert_ptr_eq(aa_recordset_get(set, "example.com", AA_T_TXT), rs);
	ck_assert_ptr_eq(aa_recordset_get(set, "EXAMPLE.com.", AA_T_TXT), rs);
	ck_assert_ptr_null(aa_recordset_get(set, "example.com", AA_T_MX));
	aa_rrset_unref(rs);
	for (i = 0; i < 1000; i++) { /* growth keeps every entry */
		char n[32];
		snprintf(n, sizeof(n), "n%d.example", i);
		rs = aa_rrset_new(n, AA_T_A);
		aa_recordset_put(set, rs);
		aa_rrset_unref(rs);
	}
	ck_assert_uint_eq(aa_recordset_count(set), 1001);
	ck_assert_ptr_nonnull(aa_recordset_get(set, "n999.example", AA_T_A));
	ck_assert_str_eq(aa_recordset_at(set, 0)->name, "example.com");
	aa_recordset_free(set);
}
END_TEST

/* ---- more addresses than a fixed array holds -------------------------- */

START_TEST(test_a_and_aaaa_answers_beyond_64_records_are_all_kept)
{
	aa_rrset *a = ask("wide.resolver-wide.test", AA_T_A);
	aa_rrset *aaaa = ask("wide.resolver-wide.test", AA_T_AAAA);
	aa_rrset *alias = ask("alias.resolver-wide.test", AA_T_A);
	const unsigned char last[4] = {10, 0, 1, 50};
	size_t i;
	int seen = 0;

	ck_assert_int_eq(a->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(a->nrr, 100);
	for (i = 0; i < a->nrr; i++)
		if (memcmp(a->rr[i].addr, last, 4) == 0 && strcmp(a->rr[i].data, "10.0.1.50") == 0)
			seen = 1;
	ck_assert(seen);
	ck_assert_uint_eq(a->ttl, 300);
	ck_assert_int_eq(aaaa->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(aaaa->nrr, 80);
	ck_assert_int_eq(alias->outcome, AA_OUT_ANSWER);
	ck_assert_uint_eq(alias->nchain, 1);
	ck_assert_uint_eq(alias->nrr, 100);
	aa_rrset_unref(a);
	aa_rrset_unref(aaaa);
	aa_rrset_unref(alias);
}
END_TEST

static Suite *
resolver_suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *dns = tcase_create("dns");
	TCase *input = tcase_create("input");

	suite_fixture(dns, &H, 0);
	tcase_set_timeout(dns, 60);
	tcase_add_test(dns, test_txt_strings_of_one_record_are_joined_without_separator);
	tcase_add_test(dns, test_several_txt_records_at_one_name_stay_apart);
	tcase_add_test(dns, test_txt_over_512_bytes_arrives_whole);
	tcase_add_test(dns, test_truncated_udp_answer_is_retried_over_tcp);
	tcase_add_test(dns, test_nxdomain_and_nodata_are_told_apart);
	tcase_add_test(dns, test_cname_chain_is_followed_and_recorded);
	tcase_add_test(dns, test_cname_into_another_zone_is_chased);
	tcase_add_test(dns, test_cname_loop_is_its_own_outcome);
	tcase_add_test(dns, test_dangling_cname_is_nxdomain_with_its_chain);
	tcase_add_test(dns, test_mx_preferences_hosts_and_null_mx);
	tcase_add_test(dns, test_mx_target_cname_shows_in_the_address_lookup);
	tcase_add_loop_test(dns, test_fault_gives_its_outcome_class, 0,
	                    (int)(sizeof(faults) / sizeof(faults[0])));
	tcase_add_test(dns, test_nothing_listening_is_a_failure_not_a_missing_record);
	tcase_add_test(dns, test_a_burst_to_nothing_listening_fails_fast_not_by_timeout);
	tcase_add_test(dns, test_rounds_of_batched_queries_are_each_asked_once_and_answered);
	tcase_add_test(dns, test_many_queries_in_flight_all_complete_correctly);
	tcase_add_test(dns, test_queries_lost_under_load_are_asked_again_and_answered);
	tcase_add_test(dns, test_a_query_lost_under_load_is_answered_long_before_its_timeout);
	tcase_add_test(dns, test_a_timeout_with_few_queries_on_the_wire_keeps_the_configured_tries);
	tcase_add_test(dns, test_a_and_aaaa_answers_beyond_64_records_are_all_kept);
	tcase_add_test(dns, test_same_name_and_type_is_asked_once_per_run);
	tcase_add_test(dns, test_audit_deadline_is_respected_and_reported);
	tcase_add_test(dns, test_want_of_a_name_being_chased_waits_for_the_chase);
	tcase_add_test(dns, test_cname_loop_across_two_zones_is_a_loop_not_a_hang);
	tcase_add_test(dns, test_alternating_cname_chain_stops_asking_at_the_hop_limit);
	tcase_add_test(dns, test_chases_in_flight_at_the_deadline_are_never_missing_records);
	tcase_add_test(dns, test_two_audits_sharing_a_chased_include_both_get_its_answer);
	tcase_add_test(dns, test_a_hung_up_tcp_connection_fails_only_its_own_query);
	tcase_add_test(dns, test_a_hung_up_lookup_does_not_touch_other_audits);
	tcase_add_test(dns, test_names_that_cannot_be_asked_are_findings_not_missing_records);
	tcase_add_test(dns, test_chase_hops_count_against_the_audit_budget);
	tcase_add_test(dns, test_a_feed_keeps_at_most_max_audits_in_flight);
	tcase_add_test(dns, test_added_beyond_max_audits_wait_their_turn);
	tcase_add_test(dns, test_query_budget_bounds_what_an_audit_asks);
	tcase_add_test(dns, test_domain_that_does_not_exist_is_one_critical_finding);
	tcase_add_test(dns, test_invalid_domain_sends_no_query);
	tcase_add_test(dns, test_unaskable_follow_up_name_is_refused);
	suite_add_tcase(s, dns);

	tcase_add_loop_test(input, test_invalid_domain_is_rejected_with_a_reason, 0,
	                    (int)(sizeof(bad_names) / sizeof(bad_names[0])));
	tcase_add_test(input, test_name_over_253_characters_is_rejected);
	tcase_add_test(input, test_idn_is_converted_and_case_folded);
	tcase_add_test(input, test_bad_resolver_address_is_refused);
	tcase_add_test(input, test_recordset_lookup_ignores_case_and_trailing_dot);
	suite_add_tcase(s, input);
	return s;
}

int
main(void)
{
	return suite_main(resolver_suite());
}
