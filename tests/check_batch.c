/*
 * check_batch.c — batches under load, through the CLI: a burst of domains
 * against knotd with no report left incomplete, and --shard run under GNU
 * parallel covering the input exactly once.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus.h"
#include "harness.h"
#include "suite.h"

#define BURST 2000
#define SHARD_DOMAINS 300

static harness H;
static char dir[] = "/tmp/aa-batch-XXXXXX";

static void
setup(void)
{
	char path[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bench.zone", dir);
	ck_assert_int_eq(corpus_write_zone(path, BURST), 0);
	if (harness_start(&H, dir, NULL) != 0)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	char cmd[300];

	harness_stop(&H);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "check_batch: could not remove %s\n", dir);
}

static const char *
prog(void)
{
	return getenv("AA_PROG") != NULL ? getenv("AA_PROG") : "build/authaudit";
}

static long
count(const char *hay, const char *needle)
{
	long n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* 2,000 domains at once, straight at knotd (no fault responder between):
 * the pace adapts to what the server takes, and no report ends incomplete
 * from a timeout a slower pace would have avoided. */
START_TEST(test_a_burst_of_2000_domains_against_knotd_leaves_no_report_incomplete)
{
	char cmd[1024], *out = malloc(1 << 16);

	snprintf(cmd, sizeof(cmd),
	         "i=0; while [ $i -lt %d ]; do echo d$i.bench; i=$((i+1)); done | "
	         "%s --batch - --format ndjson --fail-on never --no-progress -r 127.0.0.1:%d "
	         "2>%s/err | grep -c '\"complete\":true'; tail -n 1 %s/err",
	         BURST, prog(), H.knot_port, dir, dir);
	ck_assert_int_eq(suite_shell(cmd, out, 1 << 16), 0);
	ck_assert_msg(atol(out) == BURST, "complete reports: %s", out);
	ck_assert_msg(strstr(out, " 0 incomplete, 0 bad lines") != NULL, "summary: %s", out);
	free(out);
}
END_TEST

/* The man page's GNU parallel form, run locally: three shards in parallel
 * jobs report every domain exactly once, the same set as one unsharded
 * run. */
START_TEST(test_gnu_parallel_shards_cover_the_input_exactly_once)
{
	char cmd[2048], *all = malloc(1 << 16), *sharded = malloc(1 << 16);

	if (system("command -v parallel >/dev/null 2>&1") != 0)
		ck_abort_msg(
		    "GNU parallel is not installed (Debian package parallel; make deps installs it)");
	snprintf(cmd, sizeof(cmd),
	         "i=0; while [ $i -lt %d ]; do echo d$i.bench; i=$((i+1)); done >%s/list; "
	         "%s --batch %s/list --format ndjson --fail-on never --no-progress -r 127.0.0.1:%d "
	         "2>/dev/null | grep -o '\"domain\":\"[^\"]*\"' | sort",
	         SHARD_DOMAINS, dir, prog(), dir, H.knot_port);
	ck_assert_int_eq(suite_shell(cmd, all, 1 << 16), 0);
	ck_assert_int_eq(count(all, "\"domain\""), SHARD_DOMAINS);
	snprintf(cmd, sizeof(cmd),
	         "parallel --will-cite -j 3 '%s --shard {}/3 --batch %s/list --format ndjson "
	         "--fail-on never --no-progress -r 127.0.0.1:%d 2>/dev/null' ::: 1 2 3 | "
	         "grep -o '\"domain\":\"[^\"]*\"' | sort",
	         prog(), dir, H.knot_port);
	ck_assert_int_eq(suite_shell(cmd, sharded, 1 << 16), 0);
	/* sorted: equal text means each domain once, and the same domains */
	ck_assert_msg(strcmp(all, sharded) == 0, "sharded run differs:\n%.400s\n--\n%.400s", all, sharded);
	free(all);
	free(sharded);
}
END_TEST

/* --jobs 2: two threads audit the batch; every domain is reported once,
 * with the grade and findings one thread gives. */
START_TEST(test_two_jobs_report_each_domain_once_as_one_job_does)
{
	char cmd[2048], *one = malloc(1 << 17), *two = malloc(1 << 17);
	/* per report: the domain, its grade and its finding codes, sorted */
	const char *digest = "sed -E 's/\"(started|finished)\":\"[^\"]*\"//g; s/\"resolver\":\"[^\"]*\"//' | "
	                     "grep -o '\"domain\":\"[^\"]*\"\\|\"grade\":\"[A-F-]*\"\\|\"code\":\"[A-Z_]*\"' "
	                     "| tr '\\n' ' ' | sed 's/\"domain\"/\\n&/g' | sort";

	snprintf(cmd, sizeof(cmd),
	         "i=0; while [ $i -lt %d ]; do echo d$i.bench; i=$((i+1)); done >%s/list2; "
	         "%s --batch %s/list2 --format ndjson --fail-on never --no-progress -r 127.0.0.1:%d "
	         "2>/dev/null | %s",
	         SHARD_DOMAINS, dir, prog(), dir, H.knot_port, digest);
	ck_assert_int_eq(suite_shell(cmd, one, 1 << 17), 0);
	ck_assert_int_eq(count(one, "\"domain\""), SHARD_DOMAINS);
	snprintf(cmd, sizeof(cmd),
	         "%s --jobs 2 --batch %s/list2 --format ndjson --fail-on never --no-progress -r 127.0.0.1:%d "
	         "2>%s/err2 | %s; tail -n 1 %s/err2",
	         prog(), dir, H.knot_port, dir, digest, dir);
	ck_assert_int_eq(suite_shell(cmd, two, 1 << 17), 0);
	ck_assert_msg(strncmp(one, two, strlen(one)) == 0, "--jobs 2 differs:\n%.300s\n--\n%.300s", one, two);
	ck_assert_msg(strstr(two + strlen(one), "300 domains in ") != NULL, "summary: %s", two + strlen(one));
	free(one);
	free(two);
}
END_TEST

/* --jobs with --ordered, or without a batch: a usage error, nothing asked. */
START_TEST(test_jobs_with_ordered_or_without_a_batch_is_a_usage_error)
{
	char cmd[512], out[1024];

	snprintf(cmd, sizeof(cmd), "%s --jobs 2 --ordered --batch %s/list 2>&1; echo \"exit $?\"", prog(),
	         dir);
	ck_assert_int_eq(suite_shell(cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "--ordered") != NULL && strstr(out, "exit 2") != NULL, "%s", out);
	snprintf(cmd, sizeof(cmd), "%s --jobs 2 d1.bench 2>&1; echo \"exit $?\"", prog());
	ck_assert_int_eq(suite_shell(cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "--jobs works with --batch") != NULL && strstr(out, "exit 2") != NULL, "%s",
	              out);
	snprintf(cmd, sizeof(cmd), "%s --jobs 0 --batch - </dev/null 2>&1; echo \"exit $?\"", prog());
	ck_assert_int_eq(suite_shell(cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "--jobs") != NULL && strstr(out, "exit 2") != NULL, "%s", out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("load");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_a_burst_of_2000_domains_against_knotd_leaves_no_report_incomplete);
	tcase_add_test(tc, test_gnu_parallel_shards_cover_the_input_exactly_once);
	tcase_add_test(tc, test_two_jobs_report_each_domain_once_as_one_job_does);
	tcase_add_test(tc, test_jobs_with_ordered_or_without_a_batch_is_a_usage_error);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
