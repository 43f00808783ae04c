/* suite.c — helpers shared by the Check suites (see suite.h). */
#include "suite.h"

#include <stdlib.h>
#include <string.h>

static void
keep_report(aa_report *r, void *arg)
{
	*(aa_report **)arg = r;
}

aa_report *
suite_audit(const harness *h, const char *domain, const aa_options *given)
{
	aa_options opt;
	aa_report *r = NULL;
	aa_ctx *ctx;

	if (given != NULL) {
		opt = *given;
	} else {
		aa_options_init(&opt);
		opt.timeout_ms = 1000;
		opt.tries = 1;
	}
	if (opt.resolvers == NULL)
		opt.resolvers = h->resolver;
	ck_assert_int_eq(aa_ctx_new(&opt, &ctx), AA_OK);
	ck_assert_int_eq(aa_ctx_add(ctx, domain, keep_report, &r), AA_OK);
	ck_assert_int_eq(aa_ctx_run(ctx), AA_OK);
	aa_ctx_free(ctx);
	ck_assert_ptr_nonnull(r);
	return r;
}

int
suite_count(const aa_report *r, const char *code)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += strcmp(r->findings[i]->def->code, code) == 0;
	return n;
}

const aa_finding *
suite_find(const aa_report *r, const char *code)
{
	const aa_finding_def *def = aa_finding_lookup(code);

	ck_assert_msg(def != NULL, "%s is not a finding code", code);
	return aa_report_find(r, def->id);
}

int
suite_has_evidence(const aa_finding *f, const char *needle)
{
	size_t i;

	for (i = 0; f != NULL && i < f->nevidence; i++)
		if (strstr(f->evidence[i], needle) != NULL)
			return 1;
	return 0;
}

int
suite_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
suite_shell(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	char sink[4096];
	size_t n = 0, got;
	int status;

	ck_assert_msg(p != NULL, "popen %s", cmd);
	while ((got = fread(n + 1 < cap ? out + n : sink, 1, n + 1 < cap ? cap - 1 - n : sizeof(sink), p)) >
	       0)
		if (n + 1 < cap)
			n += got;
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void
suite_slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* The harness suite_fixture() starts and stops (set before the runner
 * forks, so a per-test fixture's child sees it too). */
static harness *fixture_h;

static void
fixture_setup(void)
{
	if (harness_start(fixture_h, "fixtures/zones", "fixtures/faults.conf") != 0)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
fixture_teardown(void)
{
	harness_stop(fixture_h);
}

void
suite_fixture(TCase *tc, harness *h, int per_test)
{
	fixture_h = h;
	if (per_test)
		tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	else
		tcase_add_unchecked_fixture(tc, fixture_setup, fixture_teardown);
}
