/*
 * The harness and faultdns, tested against a real knotd: every rule action
 * gives the answer it promises, the query log counts right, and stopping
 * leaves nothing behind.  Queries go over raw sockets so that flags such
 * as TC stay visible (c-ares would hide them by retrying over TCP).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ares.h>
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suite.h"

#define ZONES "fixtures/zones"
#define RULES "fixtures/faults.conf"
#define WAIT_MS 3000

static harness H;

struct reply {
	unsigned char *p;
	size_t len;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
reply_free(struct reply *r)
{
	free(r->p);
	r->p = NULL;
	r->len = 0;
}

static int
rcode(const struct reply *r)
{
	return r->p[3] & 0x0f;
}

static int
flag(const struct reply *r, int f)
{
	return (r->p[2] & f) != 0;
}

static int
ancount(const struct reply *r)
{
	return r->p[6] << 8 | r->p[7];
}

static int
reply_id(const struct reply *r)
{
	return r->p[0] << 8 | r->p[1];
}

#define F_QR 0x80
#define F_AA 0x04
#define F_TC 0x02

/* Client sockets -------------------------------------------------------- */

static int
client_socket(int type, int port)
{
	struct sockaddr_in sin;
	int fd;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	ck_assert_int_ne(fd, -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static void
build(const char *name, int type, int id, unsigned char **q, int *qlen)
{
	ck_assert_int_eq(ares_create_query(name, ns_c_in, type, (unsigned short)id, 1, q, qlen, 0),
	                 ARES_SUCCESS);
}

static void
udp_send(int fd, const char *name, int type, int id)
{
	unsigned char *q;
	int qlen;

	build(name, type, id, &q, &qlen);
	ck_assert_int_eq(send(fd, q, (size_t)qlen, 0), qlen);
	ares_free_string(q);
}

/* 0 with the reply, -1 when nothing came within ms. */
static int
udp_wait(int fd, int ms, struct reply *r)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;

	memset(r, 0, sizeof(*r));
	if (poll(&pfd, 1, ms) != 1)
		return -1;
	r->p = malloc(65535);
	ck_assert_ptr_nonnull(r->p);
	n = recv(fd, r->p, 65535, 0);
	ck_assert_int_ge(n, 12);
	r->len = (size_t)n;
	return 0;
}

static int
udp_query_at(int port, const char *name, int type, int ms, struct reply *r)
{
	int fd = client_socket(SOCK_DGRAM, port), rc;

	udp_send(fd, name, type, 0x4242);
	rc = udp_wait(fd, ms, r);
	close(fd);
	if (rc == 0)
		ck_assert_int_eq(reply_id(r), 0x4242);
	return rc;
}

/* Send in two pieces so faultdns has to put a message back together. */
static void
tcp_send(int fd, const char *name, int type, int id)
{
	unsigned char *q, *m;
	int qlen;

	build(name, type, id, &q, &qlen);
	m = malloc((size_t)qlen + 2);
	ck_assert_ptr_nonnull(m);
	m[0] = (unsigned char)(qlen >> 8);
	m[1] = (unsigned char)qlen;
	memcpy(m + 2, q, (size_t)qlen);
	ck_assert_int_eq(send(fd, m, 5, MSG_NOSIGNAL), 5);
	usleep(20000);
	ck_assert_int_eq(send(fd, m + 5, (size_t)qlen - 3, MSG_NOSIGNAL), qlen - 3);
	free(m);
	ares_free_string(q);
}

static int
recv_all(int fd, unsigned char *p, size_t n, long long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t r;

	while (n > 0) {
		if (deadline <= now_ms() || poll(&pfd, 1, (int)(deadline - now_ms())) != 1)
			return -1;
		if ((r = recv(fd, p, n, 0)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
tcp_wait(int fd, int ms, struct reply *r)
{
	long long deadline = now_ms() + ms;
	unsigned char lenb[2];

	memset(r, 0, sizeof(*r));
	if (recv_all(fd, lenb, 2, deadline) == -1)
		return -1;
	r->len = (size_t)lenb[0] << 8 | lenb[1];
	ck_assert_uint_ge(r->len, 12);
	r->p = malloc(r->len);
	ck_assert_ptr_nonnull(r->p);
	if (recv_all(fd, r->p, r->len, deadline) == -1) {
		reply_free(r);
		return -1;
	}
	return 0;
}

static int
tcp_query_at(int port, const char *name, int type, int ms, struct reply *r)
{
	int fd = client_socket(SOCK_STREAM, port), rc;

	tcp_send(fd, name, type, 0x2424);
	rc = tcp_wait(fd, ms, r);
	close(fd);
	if (rc == 0)
		ck_assert_int_eq(reply_id(r), 0x2424);
	return rc;
}

static int
udp_query(const char *name, int type, int ms, struct reply *r)
{
	return udp_query_at(H.fault_port, name, type, ms, r);
}

static int
tcp_query(const char *name, int type, int ms, struct reply *r)
{
	return tcp_query_at(H.fault_port, name, type, ms, r);
}

/* The TXT strings of an answer, concatenated. */
static char *
txt_of(const struct reply *r)
{
	struct ares_txt_ext *txt = NULL, *t;
	size_t len = 0;
	char *s;

	ck_assert_int_eq(ares_parse_txt_reply_ext(r->p, (int)r->len, &txt), ARES_SUCCESS);
	for (t = txt; t != NULL; t = t->next)
		len += t->length;
	s = calloc(1, len + 1);
	ck_assert_ptr_nonnull(s);
	for (t = txt, len = 0; t != NULL; t = t->next) {
		memcpy(s + len, t->txt, t->length);
		len += t->length;
	}
	ares_free_data(txt);
	return s;
}

static void
assert_txt(const struct reply *r, const char *want)
{
	char *got = txt_of(r);

	ck_assert_str_eq(got, want);
	free(got);
}

/* Expect an answer with this RCODE and no records. */
static void
assert_empty_answer(const char *name, int type, int want_rcode)
{
	struct reply r;

	ck_assert_int_eq(udp_query(name, type, WAIT_MS, &r), 0);
	ck_assert(flag(&r, F_QR));
	ck_assert_int_eq(rcode(&r), want_rcode);
	ck_assert_int_eq(ancount(&r), 0);
	reply_free(&r);
	ck_assert_int_eq(tcp_query(name, type, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), want_rcode);
	ck_assert_int_eq(ancount(&r), 0);
	reply_free(&r);
}

/* Fixture --------------------------------------------------------------- */

/* Forwarding ------------------------------------------------------------ */

START_TEST(forwarded_answer_arrives_over_udp_and_tcp)
{
	struct reply r;

	ck_assert_int_eq(udp_query("harness.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_noerror);
	ck_assert(flag(&r, F_AA));
	assert_txt(&r, "harness-ok");
	reply_free(&r);

	ck_assert_int_eq(tcp_query("fwd.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_noerror);
	assert_txt(&r, "forwarded-ok");
	reply_free(&r);
}
END_TEST

START_TEST(resolver_string_names_the_faultdns_port)
{
	char want[64];

	snprintf(want, sizeof(want), "127.0.0.1:%d", H.fault_port);
	ck_assert_str_eq(H.resolver, want);
	ck_assert_int_ne(H.fault_port, H.knot_port);
}
END_TEST

/* Actions --------------------------------------------------------------- */

START_TEST(servfail_rule_answers_servfail)
{
	assert_empty_answer("servfail.fault.test", T_TXT, ns_r_servfail);
}
END_TEST

START_TEST(refused_rule_answers_refused)
{
	assert_empty_answer("refused.fault.test", T_A, ns_r_refused);
}
END_TEST

START_TEST(nxdomain_rule_answers_authoritative_nxdomain)
{
	struct reply r;

	assert_empty_answer("nxdomain.fault.test", T_TXT, ns_r_nxdomain);
	ck_assert_int_eq(udp_query("nxdomain.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert(flag(&r, F_AA));
	reply_free(&r);
}
END_TEST

START_TEST(nodata_rule_answers_noerror_without_records)
{
	assert_empty_answer("nodata.fault.test", T_TXT, ns_r_noerror);
}
END_TEST

START_TEST(timeout_rule_never_answers)
{
	struct reply r;

	ck_assert_int_eq(udp_query("x.timeout.fault.test", T_TXT, 800, &r), -1);
	ck_assert_int_eq(tcp_query("a.b.timeout.fault.test", T_A, 800, &r), -1);
}
END_TEST

START_TEST(wildcard_rule_spares_its_own_suffix)
{
	struct reply r;

	ck_assert_int_eq(udp_query("timeout.fault.test", T_TXT, WAIT_MS, &r), 0);
	assert_txt(&r, "not-below");
	reply_free(&r);
}
END_TEST

START_TEST(malformed_rule_sends_an_unparseable_answer)
{
	struct hostent *he = NULL;
	struct reply r;

	ck_assert_int_eq(udp_query("malformed.fault.test", T_A, WAIT_MS, &r), 0);
	ck_assert(flag(&r, F_QR));
	ck_assert_int_eq(ancount(&r), 1);
	ck_assert_int_eq(ares_parse_a_reply(r.p, (int)r.len, &he, NULL, NULL), ARES_EBADRESP);
	reply_free(&r);
}
END_TEST

START_TEST(truncate_rule_sets_tc_over_udp)
{
	struct reply r;

	ck_assert_int_eq(udp_query("tc.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert(flag(&r, F_TC));
	ck_assert_int_eq(rcode(&r), ns_r_noerror);
	ck_assert_int_eq(ancount(&r), 0);
	reply_free(&r);
}
END_TEST

START_TEST(truncate_rule_gives_the_full_answer_over_tcp)
{
	struct reply r;
	char *txt;

	ck_assert_int_eq(tcp_query("tc.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert(!flag(&r, F_TC));
	ck_assert_int_eq(ancount(&r), 1);
	txt = txt_of(&r);
	ck_assert_uint_eq(strlen(txt), 700);
	ck_assert(strncmp(txt, "part1-", 6) == 0);
	ck_assert(strstr(txt, "part4-") != NULL);
	free(txt);
	reply_free(&r);
}
END_TEST

START_TEST(rule_type_limits_the_match)
{
	struct reply r;

	ck_assert_int_eq(udp_query("typed.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_servfail);
	reply_free(&r);
	ck_assert_int_eq(udp_query("typed.fault.test", T_A, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_noerror);
	ck_assert_int_eq(ancount(&r), 1);
	reply_free(&r);
}
END_TEST

START_TEST(first_matching_rule_wins)
{
	struct reply r;

	ck_assert_int_eq(udp_query("first.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_refused);
	reply_free(&r);
	ck_assert_int_eq(udp_query("first.fault.test", T_A, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_servfail);
	reply_free(&r);
}
END_TEST

START_TEST(rule_names_ignore_case)
{
	assert_empty_answer("SERVFAIL.Fault.TEST", T_TXT, ns_r_servfail);
}
END_TEST

/* Slow ------------------------------------------------------------------ */

START_TEST(slow_rule_answers_late)
{
	struct reply r;
	long long t0 = now_ms();

	ck_assert_int_eq(udp_query("slow.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_ge(now_ms() - t0, 1400);
	assert_txt(&r, "slow-ok");
	reply_free(&r);
}
END_TEST

START_TEST(slow_rule_does_not_delay_a_concurrent_query)
{
	struct reply r;
	long long t0 = now_ms();
	int slow = client_socket(SOCK_DGRAM, H.fault_port);
	int fast = client_socket(SOCK_DGRAM, H.fault_port);

	udp_send(slow, "slow.fault.test", T_TXT, 1);
	udp_send(fast, "harness.test", T_TXT, 2);
	ck_assert_int_eq(udp_wait(fast, WAIT_MS, &r), 0);
	ck_assert_int_lt(now_ms() - t0, 500);
	assert_txt(&r, "harness-ok");
	reply_free(&r);
	ck_assert_int_eq(udp_wait(slow, WAIT_MS, &r), 0);
	ck_assert_int_ge(now_ms() - t0, 1400);
	assert_txt(&r, "slow-ok");
	reply_free(&r);
	close(slow);
	close(fast);
}
END_TEST

START_TEST(slow_answer_on_tcp_lets_later_answers_pass)
{
	struct reply r;
	long long t0 = now_ms();
	int fd = client_socket(SOCK_STREAM, H.fault_port);

	tcp_send(fd, "slow.fault.test", T_TXT, 1);
	tcp_send(fd, "harness.test", T_TXT, 2);
	ck_assert_int_eq(tcp_wait(fd, WAIT_MS, &r), 0);
	ck_assert_int_eq(reply_id(&r), 2);
	ck_assert_int_lt(now_ms() - t0, 500);
	reply_free(&r);
	ck_assert_int_eq(tcp_wait(fd, WAIT_MS, &r), 0);
	ck_assert_int_eq(reply_id(&r), 1);
	ck_assert_int_ge(now_ms() - t0, 1400);
	assert_txt(&r, "slow-ok");
	reply_free(&r);
	close(fd);
}
END_TEST

/* TCP ------------------------------------------------------------------- */

START_TEST(tcp_connection_carries_several_queries)
{
	struct reply r;
	int fd = client_socket(SOCK_STREAM, H.fault_port), i;

	for (i = 1; i <= 3; i++)
		tcp_send(fd, "www.harness.test", T_A, i);
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(tcp_wait(fd, WAIT_MS, &r), 0);
		ck_assert_int_eq(reply_id(&r), i);
		ck_assert_int_eq(ancount(&r), 1);
		reply_free(&r);
	}
	close(fd);
}
END_TEST

START_TEST(concurrent_tcp_connections_are_all_served)
{
	struct reply r;
	int fd[4], i;

	for (i = 0; i < 4; i++)
		fd[i] = client_socket(SOCK_STREAM, H.fault_port);
	for (i = 3; i >= 0; i--)
		tcp_send(fd[i], "fwd.fault.test", T_TXT, 100 + i);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(tcp_wait(fd[i], WAIT_MS, &r), 0);
		ck_assert_int_eq(reply_id(&r), 100 + i);
		assert_txt(&r, "forwarded-ok");
		reply_free(&r);
		close(fd[i]);
	}
}
END_TEST

/* Query log ------------------------------------------------------------- */

START_TEST(query_log_counts_each_query)
{
	struct reply r;
	int i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(udp_query("Count.Harness.Test", T_TXT, WAIT_MS, &r), 0);
		reply_free(&r);
	}
	ck_assert_int_eq(tcp_query("count.harness.test.", T_TXT, WAIT_MS, &r), 0);
	reply_free(&r);
	ck_assert_int_eq(udp_query("count.harness.test", T_A, WAIT_MS, &r), 0);
	reply_free(&r);

	ck_assert_int_eq(harness_query_count(&H, "count.harness.test", "TXT"), 4);
	ck_assert_int_eq(harness_query_count(&H, "COUNT.harness.test.", "txt"), 4);
	ck_assert_int_eq(harness_query_count(&H, "count.harness.test", "A"), 1);
	ck_assert_int_eq(harness_query_count(&H, "count.harness.test", NULL), 5);
	ck_assert_int_eq(harness_query_count(&H, "count.harness.test", "MX"), 0);
	ck_assert_int_eq(harness_query_count(&H, "harness.test", "TXT") >= 0, 1);
}
END_TEST

START_TEST(query_log_counts_unanswered_queries)
{
	struct reply r;
	int i, n = 0;

	ck_assert_int_eq(udp_query("y.timeout.fault.test", T_TXT, 200, &r), -1);
	/* Logged on arrival, but no answer tells us when: poll briefly. */
	for (i = 0; i < 50 && n == 0; i++) {
		n = harness_query_count(&H, "y.timeout.fault.test", "TXT");
		usleep(10000);
	}
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(reset_log_forgets_earlier_queries)
{
	struct reply r;

	ck_assert_int_eq(udp_query("reset.harness.test", T_TXT, WAIT_MS, &r), 0);
	reply_free(&r);
	ck_assert_int_eq(harness_query_count(&H, "reset.harness.test", "TXT"), 1);
	harness_reset_log(&H);
	ck_assert_int_eq(harness_query_count(&H, "reset.harness.test", "TXT"), 0);
	ck_assert_int_eq(udp_query("reset.harness.test", T_TXT, WAIT_MS, &r), 0);
	reply_free(&r);
	ck_assert_int_eq(harness_query_count(&H, "reset.harness.test", "TXT"), 1);
}
END_TEST

/* Lifecycle ------------------------------------------------------------- */

static int
process_gone(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

START_TEST(harness_stop_leaves_no_process_behind)
{
	harness h;
	struct stat sb;
	pid_t knot, fault;
	char dir[sizeof(h.dir)];

	ck_assert_int_eq(harness_start(&h, ZONES, RULES), 0);
	knot = h.knot_pid;
	fault = h.fault_pid;
	memcpy(dir, h.dir, sizeof(dir));
	ck_assert(!process_gone(knot));
	ck_assert(!process_gone(fault));
	harness_stop(&h);
	ck_assert(process_gone(knot));
	ck_assert(process_gone(fault));
	ck_assert_int_eq(stat(dir, &sb), -1);
	harness_stop(&h); /* twice is harmless */
}
END_TEST

START_TEST(two_harnesses_run_side_by_side)
{
	harness a, b;
	struct reply r;

	ck_assert_int_eq(harness_start(&a, ZONES, NULL), 0);
	ck_assert_int_eq(harness_start(&b, ZONES, RULES), 0);
	ck_assert_int_ne(a.knot_port, b.knot_port);
	ck_assert_int_ne(a.fault_port, b.fault_port);
	ck_assert_str_ne(a.dir, b.dir);
	/* Without rules a fault name is just forwarded to knotd. */
	ck_assert_int_eq(udp_query_at(a.fault_port, "servfail.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_nxdomain);
	reply_free(&r);
	ck_assert_int_eq(udp_query_at(b.fault_port, "servfail.fault.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_servfail);
	reply_free(&r);
	harness_stop(&a);
	harness_stop(&b);
}
END_TEST

START_TEST(silent_upstream_gives_servfail)
{
	harness h;
	struct reply r;
	int status;

	ck_assert_int_eq(harness_start(&h, ZONES, NULL), 0);
	kill(h.knot_pid, SIGTERM);
	waitpid(h.knot_pid, &status, 0);
	h.knot_pid = 0;
	ck_assert_int_eq(udp_query_at(h.fault_port, "harness.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_servfail);
	reply_free(&r);
	ck_assert_int_eq(tcp_query_at(h.fault_port, "harness.test", T_TXT, WAIT_MS, &r), 0);
	ck_assert_int_eq(rcode(&r), ns_r_servfail);
	reply_free(&r);
	harness_stop(&h);
}
END_TEST

/* A temp zones dir holding one broken zone file. */
static char *
broken_zones_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *path;
	FILE *f;

	ck_assert_int_ne(asprintf(&dir, "%s/aa-zones-XXXXXX", tmp && *tmp ? tmp : "/tmp"), -1);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ne(asprintf(&path, "%s/broken.test.zone", dir), -1);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("$TTL 300\n@ IN SOA ns1.broken.test. h.broken.test. "
	      "1 3600 600 86400 300\n@ IN NS ns1.broken.test.\n"
	      "@ IN MX not-a-number\n",
	      f);
	fclose(f);
	free(path);
	return dir;
}

START_TEST(broken_zone_makes_start_fail)
{
	harness h;
	char *dir = broken_zones_dir(), *path;
	long long t0 = now_ms();

	ck_assert_int_eq(harness_start(&h, dir, NULL), -1);
	ck_assert_int_lt(now_ms() - t0, 5000);
	ck_assert_int_eq(h.knot_pid, 0);
	ck_assert_int_eq(h.fault_pid, 0);
	harness_stop(&h);
	ck_assert_int_ne(asprintf(&path, "%s/broken.test.zone", dir), -1);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}
END_TEST

START_TEST(missing_knotd_makes_start_fail)
{
	harness h;

	setenv("AA_KNOTD", "/nonexistent/knotd", 1);
	ck_assert_int_eq(harness_start(&h, ZONES, NULL), -1);
	harness_stop(&h);
	unsetenv("AA_KNOTD");
}
END_TEST

START_TEST(zeroed_harness_stops_harmlessly)
{
	harness h;

	memset(&h, 0, sizeof(h));
	harness_stop(&h);
	harness_stop(&h);
}
END_TEST

static Suite *
harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *tc;

	tc = tcase_create("faults");
	suite_fixture(tc, &H, 0);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, forwarded_answer_arrives_over_udp_and_tcp);
	tcase_add_test(tc, resolver_string_names_the_faultdns_port);
	tcase_add_test(tc, servfail_rule_answers_servfail);
	tcase_add_test(tc, refused_rule_answers_refused);
	tcase_add_test(tc, nxdomain_rule_answers_authoritative_nxdomain);
	tcase_add_test(tc, nodata_rule_answers_noerror_without_records);
	tcase_add_test(tc, timeout_rule_never_answers);
	tcase_add_test(tc, wildcard_rule_spares_its_own_suffix);
	tcase_add_test(tc, malformed_rule_sends_an_unparseable_answer);
	tcase_add_test(tc, truncate_rule_sets_tc_over_udp);
	tcase_add_test(tc, truncate_rule_gives_the_full_answer_over_tcp);
	tcase_add_test(tc, rule_type_limits_the_match);
	tcase_add_test(tc, first_matching_rule_wins);
	tcase_add_test(tc, rule_names_ignore_case);
	tcase_add_test(tc, slow_rule_answers_late);
	tcase_add_test(tc, slow_rule_does_not_delay_a_concurrent_query);
	tcase_add_test(tc, slow_answer_on_tcp_lets_later_answers_pass);
	tcase_add_test(tc, tcp_connection_carries_several_queries);
	tcase_add_test(tc, concurrent_tcp_connections_are_all_served);
	tcase_add_test(tc, query_log_counts_each_query);
	tcase_add_test(tc, query_log_counts_unanswered_queries);
	tcase_add_test(tc, reset_log_forgets_earlier_queries);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, harness_stop_leaves_no_process_behind);
	tcase_add_test(tc, two_harnesses_run_side_by_side);
	tcase_add_test(tc, silent_upstream_gives_servfail);
	tcase_add_test(tc, broken_zone_makes_start_fail);
	tcase_add_test(tc, missing_knotd_makes_start_fail);
	tcase_add_test(tc, zeroed_harness_stops_harmlessly);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(harness_suite());
}
