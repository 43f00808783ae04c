/*
 * The reports people and scripts read: golden files for text (no colour),
 * json and checklist on the demo world (fixtures/expected/), compared after
 * masking what changes between runs (timestamps, the resolver's port); JSON
 * parsed back with jansson and checked against the documented schema; the
 * scorer; quiet mode; colour; narrow terminals.
 *
 * AA_GOLDEN_UPDATE=1 rewrites the golden files instead of comparing
 * (`make golden`): review the diff before committing it.
 */
#include <check.h>
#include <jansson.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "report/findings.h"
#include "report/report.h"
#include "report/score.h"
#include "suite.h"

static harness H;

static void
setup(void)
{
	if (harness_start(&H, "fixtures/demo", NULL) != 0)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	harness_stop(&H);
}

/* Runs the CLI; returns its stdout (caller frees) and exit status. */
static char *
run(int *status, const char *env, ...)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	char path[] = "/tmp/aa-render-XXXXXX";
	const char *argv[32];
	int fd = mkstemp(path), n = 1;
	va_list ap;
	char *buf;
	long len;
	FILE *f;
	pid_t pid;

	argv[0] = prog;
	va_start(ap, env);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		dup2(fd, 1);
		unsetenv("NO_COLOR");
		unsetenv("COLUMNS");
		if (env != NULL)
			putenv((char *)env);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, status, 0);
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
	f = fdopen(fd, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		ck_abort_msg("short read");
	fclose(f);
	unlink(path);
	return buf;
}

/* Replaces every match of `re` in s by `with`. */
static char *
mask(char *s, const char *re, const char *with)
{
	regex_t rx;
	regmatch_t m;
	size_t cap = strlen(s) * 2 + 64, len = 0;
	char *out = malloc(cap), *p = s;

	ck_assert_int_eq(regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE), 0);
	while (regexec(&rx, p, 1, &m, p == s ? 0 : REG_NOTBOL) == 0 && m.rm_eo > 0) {
		memcpy(out + len, p, (size_t)m.rm_so);
		len += (size_t)m.rm_so;
		memcpy(out + len, with, strlen(with));
		len += strlen(with);
		p += m.rm_eo;
	}
	strcpy(out + len, p);
	regfree(&rx);
	free(s);
	return out;
}

static char *
normalise(char *s)
{
	s = mask(s, "127\\.0\\.0\\.1:[0-9]+", "RESOLVER");
	s = mask(s, "\"started\": \"[0-9T:Z-]+\"", "\"started\": \"TIME\"");
	s = mask(s, "\"finished\": \"[0-9T:Z-]+\"", "\"finished\": \"TIME\"");
	return s;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		ck_abort_msg("short read of %s", path);
	fclose(f);
	return buf;
}

static const char *const demo[] = {"clean.example", "contoso-filter.example", "fabrikam-spf.example",
                                   "weak-dkim.example"};
static const struct {
	const char *format, *ext, *profile;
} formats[] = {{"text", "txt", NULL}, {"json", "json", NULL}, {"checklist", "md", "m365"}};

START_TEST(test_demo_reports_match_the_golden_files)
{
	const char *domain = demo[_i / 3], *fmt = formats[_i % 3].format;
	char path[256], *got, *want;
	int status;

	snprintf(path, sizeof(path), "fixtures/expected/%s.%s", domain, formats[_i % 3].ext);
	if (formats[_i % 3].profile != NULL)
		got = run(&status, NULL, "-r", H.resolver, "--color", "never", "--fail-on", "never",
		          "--format", fmt, "--profile", formats[_i % 3].profile, domain, NULL);
	else
		got = run(&status, NULL, "-r", H.resolver, "--color", "never", "--fail-on", "never",
		          "--format", fmt, domain, NULL);
	ck_assert_int_eq(status, 0);
	got = normalise(got);
	if (getenv("AA_GOLDEN_UPDATE") != NULL) {
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path);
	ck_assert_msg(want != NULL, "%s missing: run make golden", path);
	if (strcmp(got, want) != 0) {
		/* Check's messages are short: name the first differing line */
		const char *g = got, *w = want;
		int line = 1;
		while (*g && *g == *w) {
			if (*g == '\n')
				line++;
			g++;
			w++;
		}
		ck_abort_msg("%s differs at line %d: got \"%.60s\", want \"%.60s\"", path, line, g, w);
	}
	free(got);
	free(want);
}
END_TEST

static void
check_finding_schema(json_t *f)
{
	const char *keys[] = {"code", "severity", "area", "title", "explanation", "fix"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(json_is_string(json_object_get(f, keys[i])), "finding.%s", keys[i]);
	ck_assert_ptr_nonnull(aa_finding_lookup(json_string_value(json_object_get(f, "code"))));
	ck_assert(json_is_array(json_object_get(f, "evidence")));
	ck_assert(json_is_array(json_object_get(f, "refs")));
	ck_assert(json_is_integer(json_object_get(f, "cost")));
}

START_TEST(test_json_parses_back_and_follows_the_schema)
{
	json_error_t err;
	json_t *doc, *findings, *records, *f;
	int status, cost = 0;
	size_t i;
	char *out =
	    run(&status, NULL, "-r", H.resolver, "--format", "json", "--fail-on", "never", demo[_i], NULL);

	doc = json_loads(out, 0, &err);
	ck_assert_msg(doc != NULL, "not JSON: %s (line %d)", err.text, err.line);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "schema")), "authaudit/1");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "domain")), demo[_i]);
	ck_assert(json_is_string(json_object_get(doc, "started")));
	ck_assert(json_is_string(json_object_get(doc, "resolver")));
	ck_assert(json_is_boolean(json_object_get(doc, "complete")));
	ck_assert(json_is_array(json_object_get(doc, "dkim_selectors_probed")));
	ck_assert_int_ge(json_array_size(json_object_get(doc, "dkim_selectors_probed")), 20);
	findings = json_object_get(doc, "findings");
	records = json_object_get(doc, "records");
	ck_assert(json_is_array(findings) && json_is_array(records));
	json_array_foreach(findings, i, f)
	{
		check_finding_schema(f);
		cost += (int)json_integer_value(json_object_get(f, "cost"));
	}
	/* the score is 100 minus what the findings cost */
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "score")), cost > 100 ? 0 : 100 - cost);
	json_array_foreach(records, i, f)
	{
		ck_assert(json_is_string(json_object_get(f, "name")));
		ck_assert(json_is_string(json_object_get(f, "outcome")));
		ck_assert(json_is_array(json_object_get(f, "records")));
	}
	ck_assert(json_is_object(json_object_get(doc, "spf")));
	ck_assert(json_is_object(json_object_get(json_object_get(doc, "spf"), "tree")));
	json_decref(doc);
	free(out);
}
END_TEST

/* The JSON is laid out exactly as jansson lays out the same document:
 * parsed back and dumped by jansson with the same flags, it is the same
 * text, in both formats (json: JSON_INDENT(2); ndjson: JSON_COMPACT). */
START_TEST(test_json_is_laid_out_as_jansson_lays_it_out)
{
	static const struct {
		const char *format;
		size_t flags;
	} modes[] = {{"json", JSON_INDENT(2)}, {"ndjson", JSON_COMPACT}};
	size_t m;

	for (m = 0; m < 2; m++) {
		int status;
		char *out = run(&status, NULL, "-r", H.resolver, "--format", modes[m].format, "--fail-on",
		                "never", demo[_i], NULL);
		json_error_t err;
		json_t *doc = json_loads(out, 0, &err);
		char *again;
		ck_assert_msg(doc != NULL, "%s: not JSON: %s", modes[m].format, err.text);
		again = json_dumps(doc, modes[m].flags);
		ck_assert_ptr_nonnull(again);
		ck_assert_uint_eq(strlen(out), strlen(again) + 1);
		ck_assert_msg(strncmp(out, again, strlen(again)) == 0 && out[strlen(again)] == '\n',
		              "%s differs from jansson's layout", modes[m].format);
		free(again);
		json_decref(doc);
		free(out);
	}
}
END_TEST

START_TEST(test_ndjson_is_one_document_per_line)
{
	int status, lines = 0;
	char *out = run(&status, NULL, "-r", H.resolver, "--format", "ndjson", "--fail-on", "never", demo[0],
	                demo[1], demo[2], NULL);
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_error_t err;
		json_t *doc = json_loads(line, 0, &err);
		ck_assert_msg(doc != NULL, "line %d: %s", lines + 1, err.text);
		ck_assert_str_eq(json_string_value(json_object_get(doc, "domain")), demo[lines]);
		json_decref(doc);
		lines++;
	}
	ck_assert_int_eq(lines, 3);
	free(out);
}
END_TEST

START_TEST(test_colour_always_and_never)
{
	int status;
	char *on = run(&status, NULL, "-r", H.resolver, "--color", "always", demo[3], NULL);
	char *off = run(&status, NULL, "-r", H.resolver, "--color", "never", demo[3], NULL);
	char *nocolor = run(&status, "NO_COLOR=1", "-r", H.resolver, demo[3], NULL);

	ck_assert_ptr_nonnull(strstr(on, "\033["));
	ck_assert_ptr_null(strchr(off, '\033'));
	ck_assert_ptr_null(strchr(nocolor, '\033'));
	/* no Unicode marks when not on a terminal, even with colour */
	ck_assert_ptr_null(strstr(on, "\xe2\x94"));
	free(on);
	free(off);
	free(nocolor);
}
END_TEST

START_TEST(test_text_fits_80_columns_except_long_tokens)
{
	int status;
	char *out = run(&status, NULL, "-r", H.resolver, "--color", "never", demo[_i], NULL);
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);
		/* a line may only be longer when it is one unbreakable token
		 * (a record quoted whole, a long host name) after its indent */
		if (len > 80) {
			const char *p = line;
			while (*p == ' ')
				p++;
			ck_assert_msg(strchr(p, ' ') == NULL || strstr(line, "v=spf1") != NULL ||
			                  strstr(line, " -> ") != NULL,
			              "line over 80 columns: %s", line);
		}
	}
	free(out);
}
END_TEST

START_TEST(test_60_column_terminal_keeps_the_tree_whole)
{
	int status, in_tree = 0, branches = 0;
	char *out =
	    run(&status, "COLUMNS=60", "-r", H.resolver, "--fail-on", "never", "fabrikam-spf.example", NULL);
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "SPF include tree", 16) == 0)
			in_tree = 1;
		else if (strncmp(line, "Records (", 9) == 0)
			in_tree = 0;
		if (!in_tree)
			continue;
		ck_assert_msg(strlen(line) <= 60, "tree line over 60 columns: %s", line);
		if (strncmp(line, "  |- ", 5) == 0 || strncmp(line, "  `- ", 5) == 0)
			branches++;
	}
	ck_assert_int_eq(branches, 5); /* every include on its own intact line */
	free(out);
}
END_TEST

START_TEST(test_quiet_prints_only_failing_findings_and_nothing_when_clean)
{
	int status;
	char *bad = run(&status, NULL, "-r", H.resolver, "-q", "weak-dkim.example", NULL);
	char *clean =
	    run(&status, NULL, "-r", H.resolver, "-q", "--fail-on", "critical", "clean.example", NULL);

	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(clean, "");
	ck_assert_ptr_nonnull(strstr(bad, "DKIM_KEY_WEAK"));
	ck_assert_ptr_null(strstr(bad, "DMARC_POLICY_NONE")); /* medium: below high */
	ck_assert_ptr_null(strstr(bad, "Records ("));
	free(bad);
	free(clean);
}
END_TEST

START_TEST(test_fail_on_sets_the_exit_status)
{
	int status;

	free(run(&status, NULL, "-r", H.resolver, "weak-dkim.example", NULL));
	ck_assert_int_eq(status, 1);
	free(run(&status, NULL, "-r", H.resolver, "--fail-on", "never", "weak-dkim.example", NULL));
	ck_assert_int_eq(status, 0);
}
END_TEST

/* ---- the scorer on in-memory reports ---- */

START_TEST(test_score_costs_each_code_once_and_grades)
{
	aa_report *r = aa_report_new("example.com");

	aa_score(r);
	ck_assert_int_eq(r->score, 100);
	ck_assert_int_eq(r->grade, 'A');
	aa_report_add(r, AA_F_SPF_VOID_LOOKUP, "a");
	aa_report_add(r, AA_F_SPF_VOID_LOOKUP, "b");
	aa_report_add(r, AA_F_MX_SINGLE, "mx");
	aa_score(r);
	ck_assert_int_eq(r->score, 100 - aa_severity_cost[AA_SEV_MEDIUM] - aa_severity_cost[AA_SEV_LOW]);
	ck_assert_int_eq(r->findings[1]->cost, 0);
	ck_assert_int_eq(r->grade, 'B');
	aa_report_add(r, AA_F_SPF_ALL_PASS, "x");
	aa_report_add(r, AA_F_SPF_LOOP, "x");
	aa_report_add(r, AA_F_DKIM_KEY_WEAK, "x");
	aa_score(r);
	ck_assert_int_eq(r->score, 0);
	ck_assert_int_eq(r->grade, 'F');
	aa_report_free(r);
}
END_TEST

/* Bytes from DNS that are not UTF-8 become U+FFFD, and quotes, back-
 * slashes and control bytes are escaped: the document always parses, and
 * gives back the text (with the replacement) in both layouts. */
START_TEST(test_json_escapes_and_replaces_what_dns_may_hold)
{
	aa_report *r = aa_report_new("odd.example");
	aa_finding *f = aa_report_add(r, AA_F_DMARC_NONE, "odd.example");
	char *buf = NULL;
	size_t cap = 0, len;
	int one;

	aa_finding_evidence(r, f, "TXT \"v=spf1 \xff\xfe a\\b\x01\ttab\"");
	aa_finding_set_detail(r, f, "caf\xc3\xa9 \xc3");
	aa_score(r);
	for (one = 0; one < 2; one++) {
		aa_render_opts o;
		json_error_t err;
		json_t *doc, *fj;
		aa_render_opts_init(&o);
		o.format = one ? AA_FORMAT_NDJSON : AA_FORMAT_JSON;
		ck_assert_int_eq(aa_report_render(r, &o, &buf, &cap, &len), AA_OK);
		ck_assert_uint_eq(strlen(buf), len);
		doc = json_loads(buf, 0, &err);
		ck_assert_msg(doc != NULL, "not JSON: %s\n%s", err.text, buf);
		fj = json_array_get(json_object_get(doc, "findings"), 0);
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(fj, "evidence"), 0)),
		                 "TXT \"v=spf1 \xef\xbf\xbd\xef\xbf\xbd a\\b\x01\ttab\"");
		ck_assert_str_eq(json_string_value(json_object_get(fj, "detail")),
		                 "caf\xc3\xa9 \xef\xbf\xbd");
		ck_assert(json_is_null(json_object_get(doc, "resolver")));
		ck_assert_ptr_null(strchr(buf, '\x01')); /* escaped, never raw */
		json_decref(doc);
	}
	free(buf);
	aa_report_free(r);
}
END_TEST

/* aa_report_render() gives, in a buffer the caller reuses, exactly what
 * aa_report_write() writes, in every format; the buffer grows when a
 * longer report follows a shorter one, and a shorter one after it is
 * not followed by the longer one's tail. */
START_TEST(test_render_in_memory_matches_write_and_reuses_the_buffer)
{
	static const aa_format kinds[] = {AA_FORMAT_TEXT, AA_FORMAT_RECORDS, AA_FORMAT_JSON, AA_FORMAT_NDJSON,
	                                  AA_FORMAT_CHECKLIST};
	aa_report *small = aa_report_new("a.example"), *big = aa_report_new("b.example");
	char *buf = NULL;
	size_t cap = 0, len, i, k;

	aa_finding_set_detail(big, aa_report_add(big, AA_F_MX_MIXED_PROVIDERS, "b.example"),
	                      "Mail for b.example lands at two providers.");
	aa_report_add(big, AA_F_DMARC_NONE, "b.example");
	aa_score(small);
	aa_score(big);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		aa_report *order[3] = {small, big, small};
		aa_render_opts o;
		aa_render_opts_init(&o);
		o.format = kinds[i];
		for (k = 0; k < 3; k++) {
			char *want = NULL;
			size_t wlen = 0;
			FILE *mem = open_memstream(&want, &wlen);
			ck_assert_int_eq(aa_report_write(order[k], &o, mem), AA_OK);
			fclose(mem);
			ck_assert_int_eq(aa_report_render(order[k], &o, &buf, &cap, &len), AA_OK);
			ck_assert_uint_eq(len, wlen);
			ck_assert_uint_ge(cap, len + 1);
			ck_assert_msg(memcmp(buf, want, len) == 0 && buf[len] == '\0',
			              "format %d, report %zu:\n%s", (int)kinds[i], k, buf);
			free(want);
		}
	}
	free(buf);
	aa_report_free(small);
	aa_report_free(big);
}
END_TEST

/* A finding with a domain-specific explanation prints it once, in place of
 * the catalogue's general one (JSON keeps both: detail, explanation). */
START_TEST(test_why_is_printed_once)
{
	aa_report *r = aa_report_new("example.com");
	aa_finding *f = aa_report_add(r, AA_F_MX_MIXED_PROVIDERS, "example.com");
	aa_render_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	const char *why;

	aa_finding_set_detail(r, f, "Mail for example.com lands at two providers.");
	aa_score(r);
	aa_render_opts_init(&o);
	o.width = 1000; /* no wrapping */
	ck_assert_int_eq(aa_report_write(r, &o, mem), AA_OK);
	fclose(mem);
	ck_assert_ptr_nonnull(strstr(buf, "Why:  Mail for example.com lands at two providers.\n"));
	why = strstr(buf, "Why:");
	ck_assert_ptr_null(strstr(why + 1, "Why:"));
	ck_assert_msg(strstr(buf, f->def->why) == NULL, "general why printed too:\n%s", buf);
	free(buf);
	aa_report_free(r);
}
END_TEST

START_TEST(test_incomplete_audit_is_never_graded_clean)
{
	aa_report *r = aa_report_new("example.com");
	aa_rrset *rs = aa_rrset_new("example.com", AA_T_MX);

	rs->outcome = AA_OUT_SERVFAIL;
	aa_recordset_put(r->records, rs);
	aa_rrset_unref(rs);
	aa_score(r);
	ck_assert_int_eq(r->complete, 0);
	ck_assert_int_ge(r->grade, 'C');
	aa_report_free(r);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *cli = tcase_create("cli");
	TCase *score = tcase_create("score");
	int n = (int)(sizeof(demo) / sizeof(demo[0]));

	tcase_add_unchecked_fixture(cli, setup, teardown);
	tcase_set_timeout(cli, 60);
	tcase_add_loop_test(cli, test_demo_reports_match_the_golden_files, 0, n * 3);
	tcase_add_loop_test(cli, test_json_parses_back_and_follows_the_schema, 0, n);
	tcase_add_loop_test(cli, test_json_is_laid_out_as_jansson_lays_it_out, 0, n);
	tcase_add_test(cli, test_ndjson_is_one_document_per_line);
	tcase_add_test(cli, test_colour_always_and_never);
	tcase_add_loop_test(cli, test_text_fits_80_columns_except_long_tokens, 0, n);
	tcase_add_test(cli, test_60_column_terminal_keeps_the_tree_whole);
	tcase_add_test(cli, test_quiet_prints_only_failing_findings_and_nothing_when_clean);
	tcase_add_test(cli, test_fail_on_sets_the_exit_status);
	suite_add_tcase(s, cli);
	tcase_add_test(score, test_score_costs_each_code_once_and_grades);
	tcase_add_test(score, test_incomplete_audit_is_never_graded_clean);
	tcase_add_test(score, test_why_is_printed_once);
	tcase_add_test(score, test_render_in_memory_matches_write_and_reuses_the_buffer);
	tcase_add_test(score, test_json_escapes_and_replaces_what_dns_may_hold);
	suite_add_tcase(s, score);
	return s;
}

int
main(void)
{
	return suite_main(render_suite());
}
