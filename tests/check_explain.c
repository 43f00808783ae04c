/*
 * authaudit explain: the code catalogue (every entry sourced, every related
 * finding a real one), each fixture of fixtures/explain/ explained, bad
 * input (binary, 50 MB, folded and encoded headers, mixed line endings,
 * several recipients, escape bytes), and `explain --audit` against knotd
 * serving fixtures/zones/explain-*.zone.
 */
#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explain/explain_int.h"
#include "harness.h"
#include "report/findings.h"
#include "suite.h"

static harness H;

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

static char *
slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static aa_explain *
explain_mem(const char *p, size_t n)
{
	aa_explain *x = NULL;

	ck_assert_int_eq(aa_explain_new(p, n, &x), AA_OK);
	ck_assert_ptr_nonnull(x);
	return x;
}

static aa_explain *
explain_str(const char *s)
{
	return explain_mem(s, strlen(s));
}

static aa_explain *
explain_fixture(const char *name)
{
	char path[256];
	size_t n;
	char *buf;
	aa_explain *x;

	(void)snprintf(path, sizeof(path), "fixtures/explain/%s", name);
	buf = slurp_file(path, &n);
	x = explain_mem(buf, n);
	free(buf);
	return x;
}

/* The text output of x, in a malloc'd string. */
static char *
render(const aa_explain *x, aa_format fmt)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	aa_render_opts o;

	aa_render_opts_init(&o);
	o.format = fmt;
	o.width = 100;
	ck_assert_int_eq(aa_explain_write(x, &o, f), AA_OK);
	fclose(f);
	return out;
}

static const aa_x_code *
code_of(const aa_explain *x, const char *enhanced)
{
	size_t i;

	for (i = 0; i < x->ncodes; i++)
		if (strcmp(x->codes[i].enhanced, enhanced) == 0)
			return &x->codes[i];
	return NULL;
}

static int
has_symptom(const aa_explain *x, const char *key)
{
	size_t i;

	for (i = 0; i < x->nsymptoms; i++)
		if (strcmp(x->symptoms[i].entry->code, key) == 0)
			return 1;
	return 0;
}

/* ---- the catalogue ----------------------------------------------------------- */

START_TEST(test_every_catalogue_entry_is_sourced_and_names_real_findings)
{
	size_t i;

	ck_assert_uint_gt(aa_x_entry_count(), 40);
	for (i = 0; i < aa_x_entry_count(); i++) {
		const aa_x_entry *e = aa_x_entry_at(i);
		const char *p = e->related;

		ck_assert_msg(e->source != NULL && strlen(e->source) > 8, "%s has no source", e->code);
		ck_assert_msg(e->meaning && e->fix && e->causes[0], "%s lacks meaning, fix or a cause",
		              e->code);
		while (*p != '\0') {
			size_t n = strcspn(p, " ");
			char code[64];
			(void)snprintf(code, sizeof(code), "%.*s", (int)n, p);
			ck_assert_msg(aa_finding_lookup(code) != NULL, "%s names unknown finding %s", e->code,
			              code);
			p += n;
			while (*p == ' ')
				p++;
		}
	}
}
END_TEST

/* The codes the issue names, each found with the right sender. */
static const struct {
	const char *input, *enhanced;
	aa_x_system system;
	const char *meaning; /* part of the entry's meaning */
} known[] = {
    {"5.7.606", "5.7.606", AA_XS_MICROSOFT, "banned sending IP"},
    {"550 5.7.608 Access denied, banned sending IP [198.51.100.9]", "5.7.608", AA_XS_MICROSOFT, "banned"},
    {"550 5.7.23 The message was rejected because of Sender Policy Framework violation "
     "[BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
     "5.7.23", AA_XS_MICROSOFT, "SPF violation"},
    {"550 5.7.509 Access denied, sending domain x.example does not pass DMARC verification", "5.7.509",
     AA_XS_MICROSOFT, "DMARC"},
    {"550 5.7.515 Access denied, x.example doesn't meet the required authentication level", "5.7.515",
     AA_XS_MICROSOFT, "high-volume"},
    {"550 5.7.708 Access denied, traffic not accepted from this IP", "5.7.708", AA_XS_MICROSOFT,
     "reputation"},
    {"550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains", "5.7.750",
     AA_XS_MICROSOFT, "unregistered"},
    {"451 4.4.62 Mail sent to the wrong Office 365 region", "4.4.62", AA_XS_MICROSOFT,
     "wrong Office 365 region"},
    {"550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "5.4.1", AA_XS_MICROSOFT,
     "Relay access denied"},
    {"451 4.7.650 The mail server [198.51.100.9] has been temporarily rate limited", "4.7.650",
     AA_XS_MICROSOFT, "Throttled"},
    {"550 5.7.1 Unable to relay (protection.outlook.com)", "5.7.1", AA_XS_MICROSOFT, "Unable to relay"},
    {"550 5.7.1 Service unavailable, Client host [198.51.100.9] blocked using Spamhaus", "5.7.1",
     AA_XS_MICROSOFT, "Spamhaus"},
    {"550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires", "5.7.26",
     AA_XS_GOOGLE, "unauthenticated"},
    {"550 5.7.27 ... gsmtp", "5.7.27", AA_XS_GOOGLE, "SPF did not pass"},
    {"421-4.7.27 SPF authentication didn't pass - gsmtp", "4.7.27", AA_XS_GOOGLE, "SPF did not pass"},
    {"421-4.7.23 The sending IP does not have a PTR record - gsmtp", "4.7.23", AA_XS_GOOGLE, "no PTR"},
    {"421-4.7.28 Our system has detected an unusual rate of unsolicited mail - gsmtp", "4.7.28", AA_XS_GOOGLE,
     "Rate limited"},
    {"550 4.7.32 From: header isn't aligned - gsmtp", "4.7.32", AA_XS_GOOGLE, "not aligned"},
    {"550-5.7.1 Our system has detected that this message is likely unsolicited mail - gsmtp", "5.7.1",
     AA_XS_GOOGLE, "unsolicited"},
    {"421 4.7.0 [TSS04] Messages from 198.51.100.9 temporarily deferred due to user complaints", "4.7.0",
     AA_XS_YAHOO, "complaints"},
    {"554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com", "5.7.9",
     AA_XS_YAHOO, "policy reasons"},
    {"450 4.7.1 <u@x.example>: Recipient address rejected: Greylisted, try again later", "4.7.1",
     AA_XS_GREYLIST, "Greylisted"},
    {"550 5.1.1 User unknown", "5.1.1", AA_XS_ANY, "recipient does not exist"},
    {"553 5.1.8 Domain of sender address phpuser@www.local does not exist", "5.1.8", AA_XS_ANY,
     "sender's system"},
};

START_TEST(test_known_code_is_found_with_its_sender_and_meaning)
{
	aa_explain *x = explain_str(known[_i].input);
	const aa_x_code *c = code_of(x, known[_i].enhanced);

	ck_assert_msg(c != NULL, "%s: no code %s", known[_i].input, known[_i].enhanced);
	ck_assert_msg(c->entry != NULL, "%s: not in the catalogue", known[_i].input);
	ck_assert_int_eq(c->entry->system, known[_i].system);
	ck_assert_msg(strstr(c->entry->meaning, known[_i].meaning) != NULL, "%s: meaning '%s'",
	              known[_i].input, c->entry->meaning);
	aa_explain_free(x);
}
END_TEST

START_TEST(test_unknown_code_gets_its_rfc3463_class_and_says_so)
{
	aa_explain *x = explain_str("550 5.7.999 Something new");
	const aa_x_code *c = code_of(x, "5.7.999");
	char *text, *json;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->entry);
	ck_assert_ptr_nonnull(c->fallback);
	ck_assert_str_eq(c->fallback->code, "X.7.0");
	text = render(x, AA_FORMAT_TEXT);
	ck_assert_ptr_nonnull(strstr(text, "not in the catalogue"));
	ck_assert_ptr_nonnull(strstr(text, "permanent failure"));
	json = render(x, AA_FORMAT_JSON);
	ck_assert_ptr_nonnull(strstr(json, "\"in_catalogue\": false"));
	free(text);
	free(json);
	aa_explain_free(x);
}
END_TEST

START_TEST(test_ip_address_is_not_read_as_a_status_code)
{
	aa_explain *x = explain_str("connect to 203.0.113.7 port 25 at 5.4.3.2: Connection timed out");

	ck_assert_uint_eq(x->ncodes, 0);
	ck_assert(!aa_explain_found(x));
	aa_explain_free(x);
}
END_TEST

/* ---- the fixtures ------------------------------------------------------------ */

START_TEST(test_qmail_bounce_606_names_the_banned_ip_and_sender_office)
{
	aa_explain *x = explain_fixture("qmail-5.7.606.eml");
	const aa_x_code *c = code_of(x, "5.7.606");
	char *text;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->reply, 550);
	ck_assert_str_eq(c->recipient, "orders@customer.example");
	ck_assert_str_eq(x->reporter, "qmail");
	ck_assert_int_eq(x->system, AA_XS_MICROSOFT);
	ck_assert_uint_eq(aa_explain_ip_count(x), 1);
	ck_assert_str_eq(aa_explain_ip(x, 0), "192.0.2.14"); /* not the remote MX 52.101.68.12 */
	ck_assert_str_eq(aa_explain_domain(x), "explain-banned.test");
	text = render(x, AA_FORMAT_TEXT);
	ck_assert_ptr_nonnull(strstr(text, "https://sender.office.com"));
	ck_assert_ptr_nonnull(strstr(text, "IP_DNSBL_LISTED"));
	ck_assert_ptr_nonnull(strstr(text,
	                             "authaudit --ip 192.0.2.14 --envelope-from shop@explain-banned.test "
	                             "explain-banned.test"));
	free(text);
	aa_explain_free(x);
}
END_TEST

START_TEST(test_postfix_dsn_with_two_recipients_keeps_each_code)
{
	aa_explain *x = explain_fixture("postfix-gmail-5.7.26.eml");
	const aa_x_code *gmail = code_of(x, "5.7.26"), *unknown = code_of(x, "5.1.1");

	ck_assert(x->dsn);
	ck_assert_uint_eq(x->ncodes, 2);
	ck_assert_ptr_nonnull(gmail);
	ck_assert_ptr_nonnull(unknown);
	ck_assert_str_eq(gmail->recipient, "reader@gmail.com");
	ck_assert_str_eq(gmail->remote_mta, "gmail-smtp-in.l.google.com");
	ck_assert_int_eq(gmail->reply, 550);
	ck_assert_int_eq(gmail->entry->system, AA_XS_GOOGLE);
	ck_assert_ptr_null(strstr(gmail->text, "550-5.7.26")); /* continuation prefixes dropped */
	ck_assert_str_eq(unknown->recipient, "old.reader@example.org");
	ck_assert_str_eq(unknown->entry->code, "X.1.1");
	ck_assert_str_eq(x->reporter, "Postfix");
	ck_assert_str_eq(aa_explain_envelope_from(x), "news@explain-dsn.test");
	ck_assert_str_eq(aa_explain_domain(x), "explain-dsn.test");
	aa_explain_free(x);
}
END_TEST

START_TEST(test_exchange_ndr_509_is_dmarc_reject_with_encoded_subject)
{
	aa_explain *x = explain_fixture("exchange-ndr-5.7.509.eml");
	const aa_x_code *c = code_of(x, "5.7.509");

	ck_assert(x->dsn);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(c->entry);
	ck_assert_int_eq(c->entry->system, AA_XS_MICROSOFT);
	ck_assert_str_eq(c->recipient, "accounts@partner.example");
	ck_assert_ptr_nonnull(strstr(c->entry->related, "DMARC_ENFORCED_UNALIGNABLE"));
	ck_assert_str_eq(aa_explain_domain(x), "explain-eop.test");
	aa_explain_free(x);
}
END_TEST

START_TEST(test_eop_quarantine_headers_show_scl5_spoof_and_compauth_001)
{
	aa_explain *x = explain_fixture("eop-quarantine-scl5.headers");
	char *text;

	ck_assert(x->message);
	ck_assert(has_symptom(x, "compauth:001"));
	ck_assert(has_symptom(x, "scl:spam"));
	ck_assert(has_symptom(x, "auth:spf"));
	ck_assert_str_eq(aa_explain_ip(x, 0), "192.0.2.25");
	ck_assert_str_eq(aa_explain_envelope_from(x), "noreply@explain-eop.test");
	text = render(x, AA_FORMAT_TEXT);
	ck_assert_ptr_nonnull(strstr(text, "CAT:SPOOF - spoofing"));
	ck_assert_ptr_nonnull(strstr(text, "SFV:SPM - marked as spam"));
	ck_assert_ptr_nonnull(strstr(text, "KB3089691"));
	ck_assert_ptr_nonnull(strstr(text, "X-MS-Exchange-Organization-SCL: 5"));
	ck_assert_ptr_nonnull(strstr(text, "compauth=fail reason=001")); /* folded across lines */
	free(text);
	aa_explain_free(x);
}
END_TEST

START_TEST(test_greylisting_delay_of_40_minutes_with_mixed_line_endings)
{
	aa_explain *x = explain_fixture("greylist-40min.headers");

	ck_assert_uint_eq(x->nhops, 3);
	ck_assert_int_eq(x->hops[0].delay, 40 * 60 + 8);
	ck_assert_str_eq(x->hops[0].by, "mx.receiver.example");
	ck_assert(has_symptom(x, "hop:delay"));
	ck_assert(has_symptom(x, "return-path:local"));
	ck_assert_str_eq(aa_explain_envelope_from(x), "phpuser@www.local");
	ck_assert_str_eq(aa_explain_domain(x), "explain-php.test");
	aa_explain_free(x);
}
END_TEST

START_TEST(test_json_output_is_one_valid_document)
{
	aa_explain *x = explain_fixture("postfix-gmail-5.7.26.eml");
	char *json = render(x, AA_FORMAT_JSON);
	json_error_t err;
	json_t *doc = json_loads(json, 0, &err);

	ck_assert_msg(doc != NULL, "%s", err.text);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "schema")), "authaudit-explain/1");
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "codes")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "system")), "google");
	json_decref(doc);
	free(json);
	aa_explain_free(x);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------ */

START_TEST(test_binary_garbage_finds_nothing_and_does_not_crash)
{
	size_t n = 1 << 20, i;
	char *buf = malloc(n);
	unsigned int seed = 12345;
	aa_explain *x;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
	x = explain_mem(buf, n);
	free(render(x, AA_FORMAT_TEXT));
	free(render(x, AA_FORMAT_JSON));
	aa_explain_free(x);
	/* the same bytes behind a header line: read as a message */
	memcpy(buf, "Subject: x\n", 11);
	x = explain_mem(buf, n);
	free(render(x, AA_FORMAT_JSON));
	aa_explain_free(x);
	free(buf);
}
END_TEST

START_TEST(test_50_mb_input_is_read_up_to_the_bound_quickly)
{
	size_t n = 50u << 20, i;
	char *buf = malloc(n), *text;
	struct timespec t0, t1;
	aa_explain *x;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < n; i++)
		buf[i] = (i % 64 == 63) ? '\n' : 'a';
	memcpy(buf, "550 5.7.606 Access denied, banned sending IP [192.0.2.14]\n", 58);
	memcpy(buf + n - 40, "\n550 5.7.23 never read past the bound\n", 38);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	x = explain_mem(buf, n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert(x->truncated);
	ck_assert_ptr_nonnull(code_of(x, "5.7.606"));
	ck_assert_ptr_null(code_of(x, "5.7.23"));
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 10, "took %lld s", (long long)(t1.tv_sec - t0.tv_sec));
	text = render(x, AA_FORMAT_TEXT);
	ck_assert_ptr_nonnull(strstr(text, "only the first 4 MiB were read"));
	free(text);
	aa_explain_free(x);
	free(buf);
}
END_TEST

START_TEST(test_escape_bytes_from_the_input_never_reach_the_output)
{
	const char *in = "X-MS-Exchange-Organization-Note: =?UTF-8?B?G1szMW1yZWQbWzBt?=\n"
	                 "Authentication-Results: mx.example; spf=fail\x1b[2J smtp.mailfrom=a.example\n"
	                 "\n";
	aa_explain *x = explain_str(in), *y = explain_str("550 5.7.1 \x1b]0;title\x07 \xc2\x9b"
	                                                  "31m bad \xff\n");
	char *t1 = render(x, AA_FORMAT_TEXT), *t2 = render(y, AA_FORMAT_TEXT),
	     *j2 = render(y, AA_FORMAT_JSON);
	json_t *doc;

	ck_assert_ptr_null(strchr(t1, '\x1b'));
	ck_assert_ptr_null(strchr(t2, '\x1b'));
	ck_assert_ptr_null(strchr(t2, '\x07'));
	ck_assert_ptr_null(strstr(t2, "\xc2\x9b"));
	ck_assert_ptr_nonnull(strstr(t1, "\\x1b[31mred"));
	ck_assert_ptr_nonnull(strstr(t2, "\\x1b]0;title\\x07"));
	ck_assert_ptr_nonnull(strstr(t2, "\\xff"));
	doc = json_loads(j2, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	json_decref(doc);
	free(t1);
	free(t2);
	free(j2);
	aa_explain_free(x);
	aa_explain_free(y);
}
END_TEST

START_TEST(test_folded_header_and_encoded_words_are_unfolded_and_decoded)
{
	const char *in =
	    "From: =?UTF-8?B?QsO8cm8=?= <info@folded.example>\r\n"
	    "Return-Path:\r\n <bounce@folded.example>\r\n"
	    "Authentication-Results: mx.example;\r\n\tspf=pass\r\n smtp.mailfrom=folded.example;\r\n"
	    " dkim=fail\r\n  (bad signature) header.d=folded.example\r\n"
	    "\r\n";
	aa_explain *x = explain_str(in);

	ck_assert_uint_eq(x->nauths, 2);
	ck_assert_str_eq(x->auths[1].method, "dkim");
	ck_assert_str_eq(x->auths[1].result, "fail");
	ck_assert_str_eq(aa_explain_envelope_from(x), "bounce@folded.example");
	ck_assert_str_eq(aa_explain_domain(x), "folded.example");
	ck_assert(has_symptom(x, "auth:dkim"));
	aa_explain_free(x);
}
END_TEST

/* ---- the program ------------------------------------------------------------------- */

struct run {
	int status;
	char out[131072];
	char err[8192];
};

/* Runs `$AA_PROG explain ARGS...` with stdin from `in` (NULL: /dev/null);
 * "@RESOLVER@" stands for the harness' resolver. */
static void
run_explain(struct run *r, const char *in, ...)
{
	const char *prog = getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
	char outp[] = "/tmp/aa-x-outXXXXXX", errp[] = "/tmp/aa-x-errXXXXXX";
	const char *argv[32];
	int fo = mkstemp(outp), fe = mkstemp(errp), n = 2;
	va_list ap;
	pid_t pid;

	argv[0] = prog;
	argv[1] = "explain";
	va_start(ap, in);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL) {
		if (strcmp(argv[n], "@RESOLVER@") == 0)
			argv[n] = H.resolver;
		n++;
	}
	va_end(ap);
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int fi = open(in ? in : "/dev/null", O_RDONLY);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(prog, (char *const *)argv);
		_exit(127);
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

START_TEST(test_nothing_recognisable_exits_2_with_a_clear_message)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, NULL, "hello", "world", NULL);
	ck_assert_int_eq(r->status, 2);
	ck_assert_ptr_nonnull(strstr(r->err, "nothing recognisable in the input"));
	ck_assert_str_eq(r->out, "");
	run_explain(r, "/dev/null", NULL);
	ck_assert_int_eq(r->status, 2);
	ck_assert_ptr_nonnull(strstr(r->err, "nothing recognisable"));
	free(r);
}
END_TEST

START_TEST(test_binary_garbage_on_standard_input_exits_2_without_raw_escapes)
{
	struct run *r = calloc(1, sizeof(*r));
	char path[] = "/tmp/aa-x-binXXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	unsigned int seed = 99;
	size_t i;

	fputs("\x1b[2J\x1b]0;owned\x07", f);
	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		fputc((int)((seed >> 16) & 0xff), f);
	}
	fclose(f);
	run_explain(r, path, NULL);
	unlink(path);
	ck_assert_int_eq(r->status, 2);
	ck_assert_ptr_nonnull(strstr(r->err, "nothing recognisable"));
	ck_assert_ptr_null(strchr(r->err, '\x1b'));
	ck_assert_ptr_null(strchr(r->out, '\x1b'));
	free(r);
}
END_TEST

START_TEST(test_bare_code_on_the_command_line_is_explained)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, NULL, "550", "5.7.26", NULL);
	ck_assert_int_eq(r->status, 0);
	ck_assert_ptr_nonnull(strstr(r->out, "550 5.7.26"));
	ck_assert_ptr_nonnull(strstr(r->out, "Multiple authentication checks failed"));
	run_explain(r, NULL, "--format", "yaml", "5.7.1", NULL);
	ck_assert_int_eq(r->status, 2);
	ck_assert_ptr_nonnull(strstr(r->err, "--format 'yaml' is unknown"));
	free(r);
}
END_TEST

START_TEST(test_50_mb_on_standard_input_is_bounded)
{
	struct run *r = calloc(1, sizeof(*r));
	char path[] = "/tmp/aa-x-bigXXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	size_t i;

	fputs("421 4.7.0 [TSS04] Messages from 192.0.2.14 temporarily deferred due to user complaints\n", f);
	for (i = 0; i < (50u << 20) / 64; i++)
		fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", f);
	fclose(f);
	run_explain(r, path, "-", NULL);
	unlink(path);
	ck_assert_int_eq(r->status, 0);
	ck_assert_ptr_nonnull(strstr(r->out, "Yahoo / AOL"));
	ck_assert_ptr_nonnull(strstr(r->out, "only the first 4 MiB were read"));
	free(r);
}
END_TEST

START_TEST(test_audit_of_606_bounce_finds_the_listed_ip)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, "fixtures/explain/qmail-5.7.606.eml", "--audit", "-r", "@RESOLVER@", "--timeout",
	            "1000", "--dnsbl", "dnsbl.test", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_ptr_nonnull(strstr(r->out, "Audit of explain-banned.test"));
	ck_assert_ptr_nonnull(strstr(r->out, "IP_DNSBL_LISTED"));
	ck_assert_ptr_nonnull(strstr(r->out, "sender.office.com"));
	ck_assert_int_ge(harness_query_count(&H, "14.2.0.192.dnsbl.test", "A"), 1);
	free(r);
}
END_TEST

START_TEST(test_audit_of_php_headers_finds_the_unroutable_return_path)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, "fixtures/explain/greylist-40min.headers", "--audit", "-r", "@RESOLVER@", "--timeout",
	            "1000", "--format", "json", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_ptr_nonnull(strstr(r->out, "\"domain\": \"explain-php.test\""));
	ck_assert_ptr_nonnull(strstr(r->out, "\"code\": \"ENVELOPE_UNROUTABLE\""));
	ck_assert_ptr_nonnull(strstr(r->out, "sendmail_path"));
	free(r);
}
END_TEST

START_TEST(test_audit_of_compauth_001_finds_eop_not_primary)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, "fixtures/explain/eop-quarantine-scl5.headers", "--audit", "-r", "@RESOLVER@",
	            "--timeout", "1000", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_ptr_nonnull(strstr(r->out, "Audit of explain-eop.test"));
	ck_assert_ptr_nonnull(strstr(r->out, "MX_EOP_NOT_PRIMARY"));
	ck_assert_ptr_nonnull(strstr(r->out, "KB3089691"));
	free(r);
}
END_TEST

START_TEST(test_audit_without_a_sender_domain_asks_for_one)
{
	struct run *r = calloc(1, sizeof(*r));

	run_explain(r, NULL, "--audit", "-r", "@RESOLVER@", "550 5.7.606 banned sending IP [192.0.2.14]",
	            NULL);
	ck_assert_int_eq(r->status, 2);
	ck_assert_ptr_nonnull(strstr(r->err, "--domain"));
	run_explain(r, NULL, "--audit", "-r", "@RESOLVER@", "--timeout", "1000", "--domain",
	            "explain-banned.test", "550 5.7.606 banned sending IP [192.0.2.11]", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_ptr_nonnull(strstr(r->out, "IP_NO_PTR"));
	free(r);
}
END_TEST

static Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *lib = tcase_create("library"), *prog = tcase_create("program");

	tcase_set_timeout(lib, 60);
	tcase_add_test(lib, test_every_catalogue_entry_is_sourced_and_names_real_findings);
	tcase_add_loop_test(lib, test_known_code_is_found_with_its_sender_and_meaning, 0,
	                    (int)(sizeof(known) / sizeof(known[0])));
	tcase_add_test(lib, test_unknown_code_gets_its_rfc3463_class_and_says_so);
	tcase_add_test(lib, test_ip_address_is_not_read_as_a_status_code);
	tcase_add_test(lib, test_qmail_bounce_606_names_the_banned_ip_and_sender_office);
	tcase_add_test(lib, test_postfix_dsn_with_two_recipients_keeps_each_code);
	tcase_add_test(lib, test_exchange_ndr_509_is_dmarc_reject_with_encoded_subject);
	tcase_add_test(lib, test_eop_quarantine_headers_show_scl5_spoof_and_compauth_001);
	tcase_add_test(lib, test_greylisting_delay_of_40_minutes_with_mixed_line_endings);
	tcase_add_test(lib, test_json_output_is_one_valid_document);
	tcase_add_test(lib, test_binary_garbage_finds_nothing_and_does_not_crash);
	tcase_add_test(lib, test_50_mb_input_is_read_up_to_the_bound_quickly);
	tcase_add_test(lib, test_escape_bytes_from_the_input_never_reach_the_output);
	tcase_add_test(lib, test_folded_header_and_encoded_words_are_unfolded_and_decoded);
	suite_add_tcase(s, lib);

	tcase_add_unchecked_fixture(prog, setup, teardown);
	tcase_set_timeout(prog, 120);
	tcase_add_test(prog, test_nothing_recognisable_exits_2_with_a_clear_message);
	tcase_add_test(prog, test_binary_garbage_on_standard_input_exits_2_without_raw_escapes);
	tcase_add_test(prog, test_bare_code_on_the_command_line_is_explained);
	tcase_add_test(prog, test_50_mb_on_standard_input_is_bounded);
	tcase_add_test(prog, test_audit_of_606_bounce_finds_the_listed_ip);
	tcase_add_test(prog, test_audit_of_php_headers_finds_the_unroutable_return_path);
	tcase_add_test(prog, test_audit_of_compauth_001_finds_eop_not_primary);
	tcase_add_test(prog, test_audit_without_a_sender_domain_asks_for_one);
	suite_add_tcase(s, prog);
	return s;
}

int
main(void)
{
	return suite_main(explain_suite());
}
