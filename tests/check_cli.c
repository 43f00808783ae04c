/*
 * The authaudit program as users run it: exit statuses, error messages for
 * every kind of bad input (and no query sent for them), output formats and
 * colour.  Runs $AA_PROG against the harness' knotd + faultdns.
 */
#include <check.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "suite.h"

static harness H;

struct run {
	int status;
	char out[65536];
	char err[8192];
};

static void
setup(void)
{
	if (harness_start(&H, "fixtures/zones", "fixtures/faults.conf") != 0)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	harness_stop(&H);
}

/* Text for the next runv()'s standard input (a pipe), or NULL. */
static const char *run_stdin;

/* Runs $AA_PROG with the NULL-terminated args; "@RESOLVER@" stands for the
 * harness' resolver.  env: "NAME=VALUE" or NULL. */
static void
runv(struct run *r, const char *env, const char *const *args)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	char outp[] = "/tmp/aa-cli-outXXXXXX", errp[] = "/tmp/aa-cli-errXXXXXX";
	const char *argv[64];
	int fo = mkstemp(outp), fe = mkstemp(errp), n = 1;
	pid_t pid;

	argv[0] = prog;
	for (; n < 63 && args[n - 1] != NULL; n++)
		argv[n] = strcmp(args[n - 1], "@RESOLVER@") == 0 ? H.resolver : args[n - 1];
	int in[2] = {-1, -1};

	argv[n] = NULL;
	if (run_stdin != NULL)
		ck_assert_int_eq(pipe(in), 0);
	pid = fork();
	if (pid == 0) {
		if (in[0] >= 0) {
			dup2(in[0], 0);
			close(in[0]);
			close(in[1]);
		}
		dup2(fo, 1);
		dup2(fe, 2);
		unsetenv("NO_COLOR");
		if (env != NULL)
			putenv((char *)env);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	if (in[0] >= 0) { /* small: fits the pipe */
		close(in[0]);
		ck_assert_int_eq(write(in[1], run_stdin, strlen(run_stdin)), (ssize_t)strlen(run_stdin));
		close(in[1]);
		run_stdin = NULL;
	}
	waitpid(pid, &r->status, 0);
	r->status = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	close(fo);
	close(fe);
	suite_slurp(outp, r->out, sizeof(r->out));
	suite_slurp(errp, r->err, sizeof(r->err));
	unlink(outp);
	unlink(errp);
}

/* runv() with the arguments listed, NULL-terminated. */
static void
run(struct run *r, const char *env, ...)
{
	const char *args[64];
	int n = 0;
	va_list ap;

	va_start(ap, env);
	while (n < 63 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	runv(r, env, args);
}

static const struct {
	const char *args[4]; /* NULL-terminated */
	const char *says;    /* part of the error message */
} bad_input[] = {
    {{"bad..name"}, "empty label"},
    {{"exa mple.com"}, "character"},
    {{"--timeout", "soon", "example.com"}, "--timeout wants a whole number"},
    {{"--tries", "0", "example.com"}, "--tries wants a whole number"},
    {{"--format", "yaml", "example.com"}, "--format 'yaml' is unknown"},
    {{"--color", "pink", "example.com"}, "--color 'pink' is unknown"},
    {{"--colour", "pink", "example.com"}, "--color 'pink' is unknown"},
    {{"--profile", "yahoo", "example.com"}, "--profile 'yahoo' is unknown"},
    {{"--deadline", "-5", "example.com"}, "--deadline wants a whole number"},
    {{"example.com", "--timeout"}, "requires an argument"},
    {{"--fail-on", "bad", "example.com"}, "--fail-on 'bad' is unknown"},
    {{"--ip", "999.1.1.1", "example.com"}, "not an IPv4 or IPv6 address"},
    {{"--envelope-from", "nobody", "example.com"}, "not a mail address"},
    {{"--helo", "bad..helo", "example.com"}, "not a host name"},
    {{"--selector", "bad sel", "example.com"}, "not a DKIM selector"},
    {{"--shard", "4/3", "example.com"}, "is not K/N"},
    {{"--shard", "0/3", "example.com"}, "is not K/N"},
    {{"--dnsbl", "nodot", "example.com"}, "not a DNS zone name"},
    {{"--resolver", "not-an-address", "example.com"}, "invalid resolver address"},
    {{"192.0.2.1"}, "it is an IP address"},
    {{"10.0.0.1."}, "it is an IP address"},
    {{"--resolver", "127.0.0.1:0", "example.com"}, "invalid resolver address"},
    {{"--resolver", "127.0.0.1:65536", "example.com"}, "invalid resolver address"},
    {{"--resolver", "[::1]:0", "example.com"}, "invalid resolver address"},
    {{"--dnsbl", "zen.spamhaus.org", "example.com"}, "--dnsbl needs --ip"},
    {{"--no-such-option", "example.com"}, "Try 'authaudit --help'"},
    {{NULL}, "no domain given"},
};

START_TEST(test_bad_input_exits_2_names_the_problem_and_asks_nothing)
{
	struct run *r = calloc(1, sizeof(*r));
	const char *const *a = bad_input[_i].args;

	harness_reset_log(&H);
	runv(r, NULL, a);
	ck_assert_msg(r->status == 2, "exit %d for %s", r->status, a[0] ? a[0] : "(none)");
	ck_assert_msg(strstr(r->err, bad_input[_i].says) != NULL, "stderr: %s", r->err);
	ck_assert_str_eq(r->out, "");
	ck_assert_int_eq(harness_query_count(&H, "example.com", NULL), 0);
	free(r);
}
END_TEST

/* Whole runs: the exit status and what stdout and stderr must contain. */
static const struct {
	const char *args[12]; /* NULL-terminated; "@RESOLVER@": the harness' server */
	int status;
	const char *out[7];     /* fragments of stdout, NULL-terminated */
	const char *err[2];     /* fragments of stderr, NULL-terminated */
	const char *not_out[4]; /* what stdout must not contain, NULL-terminated */
} runs[] = {
    /* past the lookup limit, branches not expanded are counted as such:
     * the total is a lower bound, in the tree and in JSON */
    {{"-r", "@RESOLVER@", "--fail-on", "never", "spf-wide.test"},
     0,
     {"SPF include tree (permerror): at least 18 of 10 lookups (3 not expanded)",
      "i6.spf-wide.test  (not expanded)"},
     {NULL},
     {NULL}},
    {{"-r", "@RESOLVER@", "--fail-on", "never", "--format", "json", "spf-wide.test"},
     0,
     {"\"lookups_not_expanded\": 3"},
     {NULL},
     {NULL}},
    /* a parked domain done right (null MX, SPF permitting nobody, p=reject, a
     * revoked wildcard key): nothing above info, so even --fail-on low passes */
    {{"-r", "@RESOLVER@", "--fail-on", "low", "parked-right.test"},
     0,
     {"parked-right.test  grade A", "INFO MX_NULL", "INFO SPF_ALL_HARDFAIL", "INFO DMARC_NO_RUA"},
     {NULL},
     {"MEDIUM ", "LOW ", "HIGH "}},
    /* every lookup failing: 3, no grade, and the resolver path is blamed,
     * not the domain's servers */
    {{"-r", "@RESOLVER@", "--timeout", "200", "--tries", "1", "x.timeout.resolver.test"},
     3,
     {"x.timeout.resolver.test  not graded: no DNS answers\n", "DNS_UNREACHABLE", "resolver path",
      "30 timeout"},
     {"every lookup failed"},
     {"grade ", "authoritative servers", "SPF_DNS_ERROR"}},
    /* the resolver itself unreachable (nothing listens there): the same */
    {{"-r", "127.0.0.1:1", "--timeout", "200", "--tries", "1", "example.com"},
     3,
     {"example.com  not graded: no DNS answers\n", "DNS_UNREACHABLE", "resolver asked: 127.0.0.1:1"},
     {"every lookup failed"},
     {"grade ", "authoritative servers"}},
    {{"-r", "@RESOLVER@", "--timeout", "200", "--tries", "1", "--format", "json", "x.timeout.resolver.test"},
     3,
     {"\"score\": null", "\"grade\": null", "\"not_graded\": \"no DNS answers\""},
     {"every lookup failed"},
     {NULL}},
    /* some names answer, the domain's do not: the domain's servers */
    {{"-r", "@RESOLVER@", "--fail-on", "never", "spf-servfail.test"},
     0,
     {"DNS_INCOMPLETE", "authoritative servers", "broken.spf-servfail.test TXT: servfail"},
     {NULL},
     {"DNS_UNREACHABLE", "not graded"}},
    /* a domain that does not exist: one finding, grade F */
    {{"-r", "@RESOLVER@", "nonexist.resolver.test"},
     1,
     {"nonexist.resolver.test  grade F  score 0/100\n", "1 finding: 1 critical\n", "DOMAIN_NXDOMAIN  -100"},
     {NULL},
     {NULL}},
    /* a failed DNSBL lookup is "blocklist not checked", not the domain's DNS */
    {{"-r", "@RESOLVER@", "--ip", "192.0.2.10", "--dnsbl", "bl.unserved.example", "--fail-on", "never",
      "mail.resolver.test"},
     0,
     {"IP_DNSBL_NOT_CHECKED", "10.2.0.192.bl.unserved.example A: refused: blocklist not checked"},
     {NULL},
     {"DNS_INCOMPLETE", "INCOMPLETE", NULL}},
    /* the PTR of 192.0.2.1 is refused by the server: DNS_INCOMPLETE, a
	 * high finding, fails the run at the default --fail-on ... */
    {{"-r", "@RESOLVER@", "--ip", "192.0.2.1", "mail.resolver.test"},
     1,
     {"DNS_INCOMPLETE", "1.2.0.192.in-addr.arpa PTR: refused"},
     {NULL},
     {NULL}},
    /* ... and not with --fail-on never */
    {{"-r", "@RESOLVER@", "--ip", "192.0.2.1", "--fail-on", "never", "mail.resolver.test"},
     0,
     {"DNS_INCOMPLETE"},
     {NULL},
     {NULL}},
    /* --format records: outcome classes and chains */
    {{"-r", "@RESOLVER@", "--format", "records", "--fail-on", "never", "mail.resolver.test"},
     0,
     {"mail.resolver.test MX answer ttl=300\n", "    10 mx1.resolver.test\n", "mx1.resolver.test AAAA answer",
      "    2001:db8::41\n", "_dmarc.mail.resolver.test TXT nxdomain", "mx2.resolver.test AAAA nodata"},
     {NULL},
     {NULL}},
    /* info findings that are facts fail nothing, even at --fail-on info;
     * -q then prints nothing */
    {{"-r", "@RESOLVER@", "--fail-on", "info", "clean-facts.test"},
     0,
     {"INFO SPF_ALL_HARDFAIL"},
     {NULL},
     {NULL}},
    {{"-r", "@RESOLVER@", "-q", "--fail-on", "info", "clean-facts.test"}, 0, {NULL}, {NULL}, {"clean-facts"}},
    /* an incomplete audit says so on stderr whatever -q and --fail-on hide */
    {{"-r", "@RESOLVER@", "-q", "--fail-on", "critical", "--ip", "192.0.2.1", "mail.resolver.test"},
     0,
     {NULL},
     {"mail.resolver.test: audit incomplete"},
     {"mail.resolver.test"}},
    /* -q over several domains: a blank line between those it prints */
    {{"-r", "@RESOLVER@", "-q", "spf-servfail.test", "nonexist.resolver.test"},
     1,
     {"\n\nnonexist.resolver.test  grade F"},
     {NULL},
     {NULL}},
    /* checklist: what was not checked is not ticked; placeholders are
     * filled; MTA-STS is mentioned when absent */
    {{"-r", "@RESOLVER@", "--fail-on", "never", "--format", "checklist", "--profile", "m365",
      "mail.resolver.test"},
     0,
     {"- [ ] Not checked: Sending IPs", "- [ ] Not checked: Return-Path", "MTA-STS is published",
      "mail-resolver-test.mail.protection.outlook.com", "rua=mailto:dmarc@mail.resolver.test"},
     {NULL},
     {"<domain-with-dashes>", "<domain>", "Return-Path, sending IPs and transport records raise no problem"}},
    {{"-r", "@RESOLVER@", "--fail-on", "never", "--format", "checklist", "--ip", "192.0.2.10",
      "--envelope-from", "bounce@mail.resolver.test", "mail.resolver.test"},
     0,
     {"## Transport"},
     {NULL},
     {"Not checked: Sending IPs", "Not checked: Return-Path"}},
    /* --profile expectations in text and JSON too */
    {{"-r", "@RESOLVER@", "--fail-on", "never", "--profile", "m365", "mail.resolver.test"},
     0,
     {"Profile m365: expected records\n", "  [ ] SPF includes Exchange Online"},
     {NULL},
     {NULL}},
    {{"-r", "@RESOLVER@", "--fail-on", "never", "--format", "json", "--profile", "m365",
      "mail.resolver.test"},
     0,
     {"\"profile\": {", "\"name\": \"m365\"", "\"state\": \"missing\""},
     {NULL},
     {NULL}},
    {{"--help"}, 0, {"usage: authaudit", "--resolver"}, {NULL}, {NULL}},
    {{"-h"}, 0, {"usage: authaudit", "--color, --colour"}, {NULL}, {NULL}},
    {{"-V"}, 0, {"authaudit 0."}, {NULL}, {NULL}},
    {{"--version"}, 0, {"authaudit 0."}, {NULL}, {NULL}},
};

START_TEST(test_run_exits_with_its_status_and_says_what_it_should)
{
	struct run *r = calloc(1, sizeof(*r));
	size_t k;

	runv(r, NULL, runs[_i].args);
	ck_assert_msg(r->status == runs[_i].status, "exit %d, not %d; stderr: %s", r->status, runs[_i].status,
	              r->err);
	for (k = 0; runs[_i].out[k] != NULL; k++)
		ck_assert_msg(strstr(r->out, runs[_i].out[k]) != NULL, "stdout lacks '%s':\n%.2000s",
		              runs[_i].out[k], r->out);
	for (k = 0; runs[_i].err[k] != NULL; k++)
		ck_assert_msg(strstr(r->err, runs[_i].err[k]) != NULL, "stderr lacks '%s':\n%s",
		              runs[_i].err[k], r->err);
	for (k = 0; runs[_i].not_out[k] != NULL; k++)
		ck_assert_msg(strstr(r->out, runs[_i].not_out[k]) == NULL, "stdout has '%s':\n%.2000s",
		              runs[_i].not_out[k], r->out);
	free(r);
}
END_TEST

START_TEST(test_colour_only_when_asked_or_on_a_terminal)
{
	struct run *r = calloc(1, sizeof(*r));

	run(r, NULL, "-r", H.resolver, "--color", "always", "--ip", "192.0.2.1", "mail.resolver.test", NULL);
	ck_assert_ptr_nonnull(strchr(r->out, '\033'));
	run(r, NULL, "-r", H.resolver, "--color", "never", "--ip", "192.0.2.1", "mail.resolver.test", NULL);
	ck_assert_ptr_null(strchr(r->out, '\033'));
	/* auto: stdout is a file here, so no colour, NO_COLOR or not */
	run(r, "NO_COLOR=1", "-r", H.resolver, "--ip", "192.0.2.1", "mail.resolver.test", NULL);
	ck_assert_ptr_null(strchr(r->out, '\033'));
	free(r);
}
END_TEST

/* Runs $AA_PROG on mail.resolver.test with stdout on a terminal (a pty) and
 * the environment given (NULL-terminated "NAME=VALUE"; TERM, NO_COLOR and
 * the locale are cleared first); the terminal's output into r->out. */
static void
tty_run(struct run *r, const char *const *env)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	size_t n = 0;
	ssize_t got;
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		unsetenv("TERM");
		unsetenv("NO_COLOR");
		unsetenv("LC_ALL");
		unsetenv("LC_CTYPE");
		unsetenv("LANG");
		unsetenv("COLUMNS");
		for (; *env != NULL; env++)
			putenv((char *)*env);
		execl(prog, prog, "-r", H.resolver, "--fail-on", "never", "--ip", "192.0.2.1",
		      "mail.resolver.test", (char *)NULL);
		_exit(127);
	}
	/* read until the child closes the terminal (EIO on Linux) */
	while (n < sizeof(r->out) - 1 && (got = read(master, r->out + n, sizeof(r->out) - 1 - n)) > 0)
		n += (size_t)got;
	r->out[n] = '\0';
	close(master);
	waitpid(pid, &r->status, 0);
}

START_TEST(test_terminal_colour_and_unicode_follow_term_no_color_and_locale)
{
	static const struct {
		const char *env[4];
		int colour, unicode;
	} cases[] = {
	    {{"TERM=xterm", "LC_ALL=C.UTF-8", NULL}, 1, 1},
	    {{"TERM=dumb", "LC_ALL=C.UTF-8", NULL}, 0, 1},               /* dumb: no colour, still UTF-8 */
	    {{"TERM=xterm", "NO_COLOR=", "LC_ALL=C.UTF-8", NULL}, 1, 1}, /* empty NO_COLOR: colour */
	    {{"TERM=xterm", "NO_COLOR=1", "LC_ALL=C.UTF-8", NULL}, 0, 1},
	    {{"TERM=xterm", "LC_ALL=C", NULL}, 1, 0}, /* C locale: ASCII, colour or not */
	};
	struct run *r = calloc(1, sizeof(*r));
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		tty_run(r, cases[k].env);
		ck_assert_msg((strchr(r->out, '\033') != NULL) == cases[k].colour,
		              "case %zu: colour wrong:\n%.300s", k, r->out);
		ck_assert_msg((strstr(r->out, "\xe2\x80\xa2 ") != NULL) == cases[k].unicode,
		              "case %zu: Unicode wrong:\n%.300s", k, r->out);
	}
	free(r);
}
END_TEST

START_TEST(test_several_domains_are_reported_in_the_order_given)
{
	struct run *r = calloc(1, sizeof(*r));
	char *a, *b;

	run(r, NULL, "-r", H.resolver, "--fail-on", "never", "nullmx.resolver.test", "mail.resolver.test",
	    NULL);
	ck_assert_int_eq(r->status, 0);
	a = strstr(r->out, "nullmx.resolver.test  grade ");
	b = strstr(r->out, "\nmail.resolver.test  grade ");
	ck_assert(a != NULL && b != NULL && a < b);
	free(r);
}
END_TEST

/* How standard output is set up for out_run(). */
enum out_mode { OUT_FULL, OUT_CLOSED, OUT_BROKEN_PIPE };

/* Runs $AA_PROG with stdout on /dev/full, closed, or a pipe nobody reads
 * (SIGPIPE ignored, as some shells and daemons leave it); stderr captured. */
static void
out_run(struct run *r, enum out_mode mode, const char *domain)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	char errp[] = "/tmp/aa-cli-errXXXXXX";
	int fe = mkstemp(errp), p[2] = {-1, -1};
	pid_t pid;

	if (mode == OUT_BROKEN_PIPE) {
		ck_assert_int_eq(pipe(p), 0);
		close(p[0]);
	}
	pid = fork();
	if (pid == 0) {
		dup2(fe, 2);
		if (mode == OUT_FULL)
			dup2(open("/dev/full", O_WRONLY), 1);
		else if (mode == OUT_CLOSED)
			close(1);
		else {
			dup2(p[1], 1);
			signal(SIGPIPE, SIG_IGN);
		}
		execl(prog, prog, "-r", H.resolver, "--fail-on", "never", domain, (char *)NULL);
		_exit(127);
	}
	if (p[1] >= 0)
		close(p[1]);
	waitpid(pid, &r->status, 0);
	r->status = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	close(fe);
	suite_slurp(errp, r->err, sizeof(r->err));
	unlink(errp);
}

/* Bytes from DNS never reach the terminal raw: text, checklist and records
 * print ESC and BEL as \027 and \007, JSON as \u001b. */
START_TEST(test_terminal_escapes_from_dns_are_escaped)
{
	static const char *const formats[] = {"text", "checklist", "records", "json"};
	struct run *r = calloc(1, sizeof(*r));
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const char *args[] = {"-r",       "@RESOLVER@", "--fail-on", "never",
		                      "--format", formats[i],   "esc.test",  NULL};
		runv(r, NULL, args);
		ck_assert_msg(r->status == 0, "%s: exit %d: %s", formats[i], r->status, r->err);
		ck_assert_msg(strchr(r->out, '\033') == NULL, "%s: a raw ESC reached stdout", formats[i]);
		ck_assert_msg(strchr(r->out, '\007') == NULL, "%s: a raw BEL reached stdout", formats[i]);
		ck_assert_msg(strcasestr(r->out, i == 3 ? "\\u001b" : "\\027") != NULL,
		              "%s: escape not shown:\n%.3000s", formats[i], r->out);
	}
	free(r);
}
END_TEST

/* ---- --batch -------------------------------------------------------------- */

static const char batch_input[] = "clean-facts.test\n"
                                  "\n"
                                  "# a comment, then a line that is no domain\n"
                                  "bad..name\n"
                                  "  mail.resolver.test  \n";

static char *
batch_file(void)
{
	static char path[] = "/tmp/aa-batch-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, batch_input, sizeof(batch_input) - 1), (ssize_t)(sizeof(batch_input) - 1));
	close(fd);
	return path;
}

START_TEST(test_batch_goes_on_past_a_bad_line_and_says_which)
{
	struct run *r = calloc(1, sizeof(*r));
	char *path = batch_file();
	const char *json[] = {"-r",     "@RESOLVER@", "--fail-on", "never", "--format",
	                      "ndjson", "--batch",    path,        NULL};
	const char *text[] = {"-r", "@RESOLVER@", "--fail-on", "never", "--concurrency",
	                      "1",  "--batch",    path,        NULL};

	runv(r, NULL, json);
	ck_assert_msg(r->status == 2, "exit %d: %s", r->status, r->err);
	ck_assert_msg(strstr(r->out, "{\"domain\": \"bad..name\", \"error\": ") != NULL, "%s", r->out);
	ck_assert(strstr(r->out, "\"line\": 4}") != NULL);
	ck_assert(strstr(r->out, "\"domain\":\"clean-facts.test\"") != NULL);
	ck_assert(strstr(r->out, "\"domain\":\"mail.resolver.test\"") != NULL);
	ck_assert_msg(strstr(r->err, "2 domains in") != NULL, "%s", r->err);
	ck_assert(strstr(r->err, "1 bad line") != NULL);
	runv(r, NULL, text);
	ck_assert_int_eq(r->status, 2);
	ck_assert_msg(strstr(r->err, "batch line 4: not a valid domain name") != NULL, "%s", r->err);
	ck_assert(strstr(r->out, "clean-facts.test  grade") != NULL);
	ck_assert(strstr(r->out, "mail.resolver.test  grade") != NULL);
	unlink(path);
	free(r);
}
END_TEST

START_TEST(test_dash_reads_domains_from_standard_input)
{
	char *path = batch_file(), cmd[512];
	char out[65536];

	snprintf(cmd, sizeof(cmd), "%s -r %s --fail-on never --format ndjson - <%s 2>/dev/null",
	         getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit", H.resolver, path);
	ck_assert_int_eq(suite_shell(cmd, out, sizeof(out)), 2);
	ck_assert(strstr(out, "\"domain\":\"clean-facts.test\"") != NULL);
	ck_assert(strstr(out, "\"domain\":\"mail.resolver.test\"") != NULL);
	unlink(path);
}
END_TEST

/* --shard K/N: N runs of the same input cover every domain exactly once. */
START_TEST(test_shards_cover_the_input_exactly_once)
{
	static char path[] = "/tmp/aa-shard-XXXXXX";
	struct run *r = calloc(1, sizeof(*r));
	char shard[16], name[64];
	int fd = mkstemp(path), i, k, seen[12] = {0};

	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 12; i++) {
		int n = snprintf(name, sizeof(name), "s%d.mail.resolver.test\n", i);
		ck_assert_int_eq(write(fd, name, (size_t)n), n);
	}
	close(fd);
	for (k = 1; k <= 3; k++) {
		const char *args[] = {"-r",      "@RESOLVER@", "--fail-on", "never", "--format", "ndjson",
		                      "--shard", shard,        "--batch",   path,    NULL};
		snprintf(shard, sizeof(shard), "%d/3", k);
		runv(r, NULL, args);
		ck_assert_msg(r->status == 0, "shard %d: exit %d: %s", k, r->status, r->err);
		for (i = 0; i < 12; i++) {
			snprintf(name, sizeof(name), "\"domain\":\"s%d.mail.resolver.test\"", i);
			seen[i] += strstr(r->out, name) != NULL;
		}
	}
	for (i = 0; i < 12; i++)
		ck_assert_msg(seen[i] == 1, "s%d.mail.resolver.test audited by %d shards", i, seen[i]);
	unlink(path);
	free(r);
}
END_TEST

/* --ordered: the reports come out in input order although the first domain
 * (its TXT answer slowed) finishes last; without it, in completion order. */
START_TEST(test_ordered_batch_keeps_input_order)
{
	static char path[] = "/tmp/aa-order-XXXXXX";
	static const char input[] =
	    "chase-b.test\nmail.resolver.test\nclean-facts.test\nq1.mail.resolver.test\n";
	struct run *r = calloc(1, sizeof(*r));
	int fd = mkstemp(path);
	const char *ordered[] =
	    {"-r", "@RESOLVER@", "--fail-on", "never", "--format", "ndjson", "--concurrency",
	     "2",  "--ordered",  "--batch",   path,    NULL};
	const char *plain[] = {"-r",     "@RESOLVER@", "--fail-on", "never", "--format",
	                       "ndjson", "--batch",    path,        NULL};
	const char *a, *b, *c, *d;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, input, sizeof(input) - 1), (ssize_t)(sizeof(input) - 1));
	close(fd);
	runv(r, NULL, ordered);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	a = strstr(r->out, "\"domain\":\"chase-b.test\"");
	b = strstr(r->out, "\"domain\":\"mail.resolver.test\"");
	c = strstr(r->out, "\"domain\":\"clean-facts.test\"");
	d = strstr(r->out, "\"domain\":\"q1.mail.resolver.test\"");
	ck_assert(a != NULL && b != NULL && c != NULL && d != NULL);
	ck_assert_msg(a < b && b < c && c < d, "not in input order:\n%.2000s", r->out);
	runv(r, NULL, plain);
	ck_assert_int_eq(r->status, 0);
	ck_assert_msg(strstr(r->out, "\"domain\":\"chase-b.test\"") >
	                  strstr(r->out, "\"domain\":\"mail.resolver.test\""),
	              "the slow domain was not last without --ordered");
	unlink(path);
	free(r);
}
END_TEST

/* Reading a file, the progress line gives an ETA (the file's length is
 * known); reading a stream it cannot, and says none. */
START_TEST(test_batch_progress_has_an_eta_only_for_a_file)
{
	static char path[] = "/tmp/aa-eta-XXXXXX";
	static const char input[] = "mail.resolver.test\nslow.fault.test\n";
	struct run *r = calloc(1, sizeof(*r));
	int fd = mkstemp(path);
	const char *file[] = {"-r", "@RESOLVER@", "--fail-on", "never", "--progress", "--batch", path, NULL};
	const char *stream[] = {"-r", "@RESOLVER@", "--fail-on", "never", "--progress", "--batch", "-", NULL};

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, input, sizeof(input) - 1), (ssize_t)(sizeof(input) - 1));
	close(fd);
	/* slow.fault.test answers after 1.5 s: its report comes after the
	 * line's half-second pause, so a line other than the last is written */
	runv(r, NULL, file);
	ck_assert_msg(strstr(r->err, "2 domains done, ") != NULL && strstr(r->err, ", ETA 0m00s") != NULL,
	              "stderr: %s", r->err);
	run_stdin = input;
	runv(r, NULL, stream);
	ck_assert_msg(strstr(r->err, "2 domains done, ") != NULL && strstr(r->err, "ETA") == NULL,
	              "stderr: %s", r->err);
	unlink(path);
	free(r);
}
END_TEST

/* JSON "queries" is what the domain cost the server: one audit on a fresh
 * cache sends exactly that many queries. */
START_TEST(test_json_queries_is_the_number_the_server_saw)
{
	struct run *r = calloc(1, sizeof(*r));
	const char *q;
	int seen;

	harness_reset_log(&H);
	run(r, NULL, "-r", H.resolver, "--fail-on", "never", "--format", "ndjson", "mail.resolver.test",
	    NULL);
	ck_assert_int_eq(r->status, 0);
	seen = harness_query_count(&H, NULL, NULL);
	ck_assert_int_gt(seen, 10);
	ck_assert_ptr_nonnull(q = strstr(r->out, "\"queries\":"));
	ck_assert_int_eq(atoi(q + 10), seen);
	free(r);
}
END_TEST

/* A progress line on stderr when asked (or on a terminal), none otherwise. */
START_TEST(test_batch_progress_only_when_asked_or_on_a_terminal)
{
	struct run *r = calloc(1, sizeof(*r));
	char *path = batch_file();
	const char *on[] = {"-r", "@RESOLVER@", "--fail-on", "never", "--progress", "--batch", path, NULL};
	const char *off[] = {"-r", "@RESOLVER@", "--fail-on", "never", "--batch", path, NULL};

	runv(r, NULL, on);
	ck_assert_msg(strstr(r->err, "\rauthaudit: 2 domains done, ") != NULL, "stderr: %s", r->err);
	runv(r, NULL, off); /* stderr is a file here */
	ck_assert_msg(strstr(r->err, "domains done") == NULL, "stderr: %s", r->err);
	ck_assert(strstr(r->err, "2 domains in") != NULL);
	unlink(path);
	free(r);
}
END_TEST

START_TEST(test_write_errors_are_named_and_never_blamed_on_dns)
{
	struct run *r = calloc(1, sizeof(*r));

	out_run(r, OUT_FULL, "clean-facts.test");
	ck_assert_int_eq(r->status, 3);
	ck_assert_msg(strstr(r->err, "cannot write the report: No space left on device\n") != NULL,
	              "stderr: %s", r->err);
	ck_assert_msg(strstr(r->err, "DNS") == NULL, "stderr: %s", r->err);
	out_run(r, OUT_CLOSED, "clean-facts.test");
	ck_assert_int_eq(r->status, 3);
	ck_assert_msg(strstr(r->err, "cannot write the report: Bad file descriptor\n") != NULL, "stderr: %s",
	              r->err);
	/* a reader that went away (| head -1): quiet */
	out_run(r, OUT_BROKEN_PIPE, "clean-facts.test");
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->err, "");
	free(r);
}
END_TEST

/* README's Usage examples run as written once `make` has linked
 * ./authaudit: each names ./authaudit and parses (no usage error).  Run
 * here with the harness' resolver put first, so nothing leaves the host. */
START_TEST(test_readme_usage_examples_run_as_written)
{
	FILE *f = fopen("README.md", "r");
	char line[512];
	int in_usage = 0, in_block = 0, n = 0;
	struct run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *args[32];
		char *hash, *tok, *save = NULL;
		int k = 0;

		if (strncmp(line, "## ", 3) == 0)
			in_usage = strncmp(line, "## Usage", 8) == 0;
		if (!in_usage)
			continue;
		if (strncmp(line, "```", 3) == 0) { /* only ```sh blocks are commands */
			in_block = !in_block && strncmp(line, "```sh", 5) == 0;
			continue;
		}
		if (!in_block || line[0] == ' ' || line[0] == '\n')
			continue; /* a continued comment */
		ck_assert_msg(strncmp(line, "./authaudit ", 12) == 0, "not runnable as written: %s", line);
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		args[k++] = "-r";
		args[k++] = "@RESOLVER@";
		args[k++] = "--timeout";
		args[k++] = "100";
		args[k++] = "--tries";
		args[k++] = "1";
		for (tok = strtok_r(line + 12, " \t\n", &save); tok != NULL && k < 31;
		     tok = strtok_r(NULL, " \t\n", &save))
			args[k++] = tok;
		args[k] = NULL;
		runv(r, NULL, args);
		ck_assert_msg(r->status != 2 && r->status != 127, "'%s' exits %d: %s", line, r->status,
		              r->err);
		n++;
	}
	fclose(f);
	ck_assert_int_ge(n, 5);
	free(r);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_bad_input_exits_2_names_the_problem_and_asks_nothing, 0,
	                    (int)(sizeof(bad_input) / sizeof(bad_input[0])));
	tcase_add_loop_test(tc, test_run_exits_with_its_status_and_says_what_it_should, 0,
	                    (int)(sizeof(runs) / sizeof(runs[0])));
	tcase_add_test(tc, test_colour_only_when_asked_or_on_a_terminal);
	tcase_add_test(tc, test_several_domains_are_reported_in_the_order_given);
	tcase_add_test(tc, test_write_errors_are_named_and_never_blamed_on_dns);
	tcase_add_test(tc, test_readme_usage_examples_run_as_written);
	tcase_add_test(tc, test_terminal_escapes_from_dns_are_escaped);
	tcase_add_test(tc, test_batch_goes_on_past_a_bad_line_and_says_which);
	tcase_add_test(tc, test_dash_reads_domains_from_standard_input);
	tcase_add_test(tc, test_shards_cover_the_input_exactly_once);
	tcase_add_test(tc, test_ordered_batch_keeps_input_order);
	tcase_add_test(tc, test_batch_progress_only_when_asked_or_on_a_terminal);
	tcase_add_test(tc, test_batch_progress_has_an_eta_only_for_a_file);
	tcase_add_test(tc, test_json_queries_is_the_number_the_server_saw);
	tcase_add_test(tc, test_terminal_colour_and_unicode_follow_term_no_color_and_locale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(cli_suite());
}
