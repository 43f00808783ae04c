/*
 * Drift between runs (--state-dir) as cron sees it: a baseline, silence
 * while nothing changes, each kind of change reported with before and
 * after, DNS failures never reported as changes, a batch summarised, the
 * state safe from overlapping runs, kill -9, a full disk and bad files,
 * and the e-mail form parsed by a real MIME parser.
 *
 * Each run serves a temp zone dir through its own harness (knotd +
 * faultdns), so zones can be edited between runs.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suite.h"

struct run {
	int status;
	char out[65536];
	char err[8192];
};

/* The world of one test: zones, rules, state dir. */
struct world {
	char dir[64];   /* temp root */
	char zones[96]; /* zone files */
	char state[96]; /* --state-dir */
	char rules[96]; /* faultdns rules ("" none) */
};

/* What drift.test publishes (and keys.test, the target of its selector1
 * CNAME, as a Microsoft 365 tenant's would be). */
struct zone {
	const char *mx;    /* MX target */
	const char *spf;   /* apex TXT */
	const char *dmarc; /* _dmarc TXT */
	int key;           /* 0: the CNAME target has no key (dangling), 1 or 2: which key, -1: no
	                    * selector at all */
};

static const struct zone BASE = {"mx-eop-primary-test.mail.protection.outlook.com.",
                                 "v=spf1 include:spf.protection.outlook.com -all",
                                 "v=DMARC1; p=reject; rua=mailto:d@drift.test", 1};

static char *
key_text(int which)
{
	const char *file =
	    which == 1 ? "fixtures/zones/dkim-rsa2048.test.zone" : "fixtures/zones/dkim-rsa1024.test.zone";
	static char buf[8192];
	char *line, *q, *nl;

	suite_slurp(file, buf, sizeof(buf));
	line = strstr(buf, "_domainkey");
	ck_assert_ptr_nonnull(line);
	q = strchr(line, '"');
	nl = strchr(q, '\n');
	if (nl != NULL)
		*nl = '\0';
	return q;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
copy_fixture(const struct world *w, const char *apex)
{
	char from[256], to[256], *buf = malloc(1 << 16);

	snprintf(from, sizeof(from), "fixtures/zones/%s.zone", apex);
	snprintf(to, sizeof(to), "%s/%s.zone", w->zones, apex);
	suite_slurp(from, buf, 1 << 16);
	write_file(to, buf);
	free(buf);
}

static void
put_zone(const struct world *w, const char *apex, const struct zone *z)
{
	char path[256], text[16384];

	snprintf(path, sizeof(path), "%s/%s.zone", w->zones, apex);
	snprintf(text, sizeof(text),
	         "$ORIGIN %s.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
	         "ns1 IN A 127.0.0.1\n@ IN MX 10 %s\nmx IN A 192.0.2.25\n@ IN TXT \"%s\"\n"
	         "_dmarc IN TXT \"%s\"\n%s",
	         apex, z->mx, z->spf, z->dmarc,
	         z->key >= 0 ? "selector1._domainkey IN CNAME selector1._domainkey.keys.test.\n" : "");
	write_file(path, text);
	snprintf(path, sizeof(path), "%s/keys.test.zone", w->zones);
	snprintf(text, sizeof(text),
	         "$ORIGIN keys.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
	         "ns1 IN A 127.0.0.1\n%s%s\n",
	         z->key > 0 ? "selector1._domainkey IN TXT " : "", z->key > 0 ? key_text(z->key) : "");
	write_file(path, text);
}

static void
world_new(struct world *w)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->dir, sizeof(w->dir), "/tmp/aa-drift-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(w->dir));
	snprintf(w->zones, sizeof(w->zones), "%s/zones", w->dir);
	snprintf(w->state, sizeof(w->state), "%s/state", w->dir);
	ck_assert_int_eq(mkdir(w->zones, 0755), 0);
	copy_fixture(w, "mail.protection.outlook.com");
	copy_fixture(w, "spf.protection.outlook.com");
	/* the TLD: the DMARC tree walk asks _dmarc.test */
	copy_fixture(w, "test");
	put_zone(w, "drift.test", &BASE);
}

static void
world_free(struct world *w)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "umount -q %s/state 2>/dev/null; rm -rf %s", w->dir, w->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* faultdns rules for the next runs ("" for none). */
static void
world_faults(struct world *w, const char *rules)
{
	if (rules == NULL || rules[0] == '\0') {
		w->rules[0] = '\0';
		return;
	}
	snprintf(w->rules, sizeof(w->rules), "%s/faults.conf", w->dir);
	write_file(w->rules, rules);
}

static const char *
prog(void)
{
	return getenv("AA_PROG") ? getenv("AA_PROG") : "build/authaudit";
}

/* Starts the authaudit program with the world's resolver and state dir
 * and the NULL-terminated args; stdout/stderr to files.  env: "N=V" or NULL. */
static pid_t
spawn(const harness *h, const struct world *w, const char *env, const char *const *args, const char *outp,
      const char *errp)
{
	const char *argv[64];
	int n = 0, i;
	pid_t pid;

	argv[n++] = prog();
	argv[n++] = "-r";
	argv[n++] = h->resolver;
	argv[n++] = "--timeout";
	argv[n++] = "300";
	argv[n++] = "--tries";
	argv[n++] = "1";
	argv[n++] = "--state-dir";
	argv[n++] = w->state;
	for (i = 0; args[i] != NULL && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600),
		    fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fo, 1);
		dup2(fe, 2);
		if (env != NULL)
			putenv((char *)env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static void
collect(struct run *r, pid_t pid, const char *outp, const char *errp)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	suite_slurp(outp, r->out, sizeof(r->out));
	suite_slurp(errp, r->err, sizeof(r->err));
}

/* One cron run: a harness on the world's zones for the run's length. */
static void
runv(struct run *r, struct world *w, const char *env, const char *const *args)
{
	harness h;
	char outp[128], errp[128];

	snprintf(outp, sizeof(outp), "%s/out", w->dir);
	snprintf(errp, sizeof(errp), "%s/err", w->dir);
	memset(&h, 0, sizeof(h));
	ck_assert_msg(harness_start(&h, w->zones, w->rules[0] ? w->rules : NULL) == 0, "harness_start");
	collect(r, spawn(&h, w, env, args, outp, errp), outp, errp);
	harness_stop(&h);
}

static void
run(struct run *r, struct world *w, ...)
{
	const char *args[32];
	int n = 0;
	va_list ap;

	va_start(ap, w);
	while (n < 31 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	runv(r, w, NULL, args);
}

static void
state_text(const struct world *w, const char *domain, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.json", w->state, domain);
	suite_slurp(path, buf, size);
}

#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "no '%s' in:\n%s", (needle), (hay))
#define STARTS(hay, s) \
	ck_assert_msg(strncmp((hay), (s), strlen(s)) == 0, "does not start '%s':\n%s", (s), (hay))
#define HASNT(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, "'%s' in:\n%s", (needle), (hay))

START_TEST(test_first_run_is_a_baseline_then_an_unchanged_world_is_silent)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s%s", r->status, r->out, r->err);
	HAS(r->out, "0 of 1 domain drifted since the last run; 1 new baseline");
	HAS(r->out, "drift.test: baseline saved (grade ");
	HAS(r->out, "now watching: MX of drift.test");
	HAS(r->out, "DMARC record");
	HAS(r->out, "DKIM key selector1");
	run(r, &w, "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->out, "");
	ck_assert_str_eq(r->err, "");
	world_free(&w);
	free(r);
}
END_TEST

/* Each kind of change, zone edited between two runs. */
static const struct change {
	const char *what;
	struct zone after;
	const char *says[3];
} changes[] = {
    {"an SPF include removed",
     {NULL, "v=spf1 ip4:192.0.2.25 -all", NULL, 1},
     {"include:spf.protection.outlook.com removed from SPF",
      "before: v=spf1 include:spf.protection.outlook.com -all", "after:  v=spf1 ip4:192.0.2.25 -all"}},
    {"DMARC weakened",
     {NULL, NULL, "v=DMARC1; p=none; rua=mailto:d@drift.test", 1},
     {"DMARC weakened (p=reject -> p=none)", "new finding DMARC_POLICY_NONE (medium)",
      "DMARC record changed"}},
    {"a DKIM key rotated",
     {NULL, NULL, NULL, 2},
     {"DKIM key selector1 (TXT) changed: key rotated", "new finding DKIM_KEY_1024 (low)", NULL}},
    {"a selector CNAME left dangling",
     {NULL, NULL, NULL, 0},
     {"selector CNAME now dangling", "new finding DKIM_CNAME_DANGLING (high)", "grade "}},
    {"the DKIM selector removed (_domainkey NXDOMAIN: the selector is not asked)",
     {NULL, NULL, NULL, -1},
     {"DKIM key selector1 (TXT) removed", "before: CNAME selector1._domainkey.keys.test",
      "new finding DKIM_NONE_FOUND (high)"}},
    {"the MX moved off Exchange Online Protection",
     {"mx.drift.test.", NULL, NULL, 1},
     {"MX of drift.test changed", "before: 10 mx-eop-primary-test.mail.protection.outlook.com",
      "after:  10 mx.drift.test"}},
    {"+all: a new critical finding and a grade drop",
     {NULL, "v=spf1 include:spf.protection.outlook.com +all", NULL, 1},
     {"new finding SPF_ALL_PASS (critical)", "grade A -> ", "resolved SPF_ALL_HARDFAIL"}},
};

START_TEST(test_each_kind_of_change_is_reported_with_before_and_after)
{
	const struct change *c = &changes[_i];
	struct zone z = BASE;
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	int k;

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
	if (c->after.mx)
		z.mx = c->after.mx;
	if (c->after.spf)
		z.spf = c->after.spf;
	if (c->after.dmarc)
		z.dmarc = c->after.dmarc;
	z.key = c->after.key;
	put_zone(&w, "drift.test", &z);
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 1, "%s: exit %d: %s%s", c->what, r->status, r->out, r->err);
	STARTS(r->out, "authaudit: 1 of 1 domain drifted since the last run\n");
	for (k = 0; k < 3 && c->says[k] != NULL; k++)
		HAS(r->out, c->says[k]);
	HASNT(r->out, "baseline");
	/* reported once: the next run is silent again */
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 0 && r->out[0] == '\0', "%s: again: exit %d: %s", c->what, r->status,
	              r->out);
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_servfail_is_no_drift_until_stale_after_runs_then_could_not_be_verified)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	char *state = malloc(65536);
	int k;

	world_new(&w);
	run(r, &w, "--stale-after", "3", "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
	world_faults(&w, "drift.test * servfail\n*.drift.test * servfail\n");
	for (k = 1; k <= 2; k++) {
		run(r, &w, "--stale-after", "3", "drift.test", NULL);
		ck_assert_msg(r->status == 0, "failed run %d: exit %d: %s%s", k, r->status, r->out, r->err);
		ck_assert_str_eq(r->out, "");
		ck_assert_str_eq(r->err, "");
	}
	state_text(&w, "drift.test", state, 65536);
	HAS(state, "\"stale_since\"");
	HAS(state, "\"failed_runs\": 2");
	HAS(state, "v=DMARC1; p=reject"); /* the last known value is kept */
	run(r, &w, "--stale-after", "3", "drift.test", NULL);
	ck_assert_msg(r->status == 1, "exit %d: %s", r->status, r->out);
	HAS(r->out, "0 of 1 domain drifted since the last run; 1 could not be verified");
	HAS(r->out, "could not be verified: lookups failed on 3 runs in a row");
	HASNT(r->out, "removed");
	/* the world answers again: said once, then silence */
	world_faults(&w, NULL);
	run(r, &w, "--stale-after", "3", "drift.test", NULL);
	ck_assert_msg(r->status == 1, "exit %d: %s", r->status, r->out);
	HAS(r->out, "verified again");
	HASNT(r->out, "removed");
	run(r, &w, "--stale-after", "3", "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->out, "");
	free(state);
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_a_failed_selector_lookup_keeps_the_key_and_reports_nothing)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	char *state = malloc(65536);

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	world_faults(&w, "selector1._domainkey.keys.test TXT servfail\n");
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 0 && r->out[0] == '\0' && r->err[0] == '\0', "exit %d: %s%s", r->status,
	              r->out, r->err);
	state_text(&w, "drift.test", state, 65536);
	HAS(state, "\"stale_since\"");
	HAS(state, "p=MIIBIjAN"); /* the key is still the last known value */
	free(state);
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_a_batch_reports_only_the_domains_that_drifted)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	struct zone z = BASE;
	char list[256];

	world_new(&w);
	put_zone(&w, "calm.test", &BASE);
	put_zone(&w, "drift.test", &BASE);
	snprintf(list, sizeof(list), "%s/domains", w.dir);
	write_file(list, "# fleet\ncalm.test\ndrift.test\n");
	run(r, &w, "--batch", list, NULL);
	ck_assert_int_eq(r->status, 0);
	HAS(r->out, "authaudit: 0 of 2 domains drifted since the last run; 2 new baselines\n");
	z.dmarc = "v=DMARC1; p=quarantine; rua=mailto:d@drift.test";
	put_zone(&w, "drift.test", &z);
	run(r, &w, "--batch", list, NULL);
	ck_assert_msg(r->status == 1, "exit %d: %s%s", r->status, r->out, r->err);
	STARTS(r->out, "authaudit: 1 of 2 domains drifted since the last run\n");
	HAS(r->out, "DMARC weakened (p=reject -> p=quarantine)");
	HASNT(r->out, "calm.test");
	ck_assert_str_eq(r->err, ""); /* no batch summary on stderr: cron would mail it */
	run(r, &w, "--batch", list, "--format", "json", NULL);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->out, "");
	world_free(&w);
	free(r);
}
END_TEST

/* The JSON drift document of a change. */
START_TEST(test_json_drift_document)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	struct zone z = BASE;

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	z.mx = "mx.drift.test.";
	put_zone(&w, "drift.test", &z);
	run(r, &w, "--format", "json", "drift.test", NULL);
	ck_assert_int_eq(r->status, 1);
	HAS(r->out, "\"schema\": \"authaudit-drift/1\"");
	HAS(r->out, "\"domains_drifted\": 1");
	HAS(r->out, "\"change\": \"changed\"");
	HAS(r->out, "\"status\": \"drifted\"");
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_two_concurrent_runs_take_turns)
{
	struct world w;
	struct run *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	const char *args[] = {"drift.test", NULL};
	char oa[128], ea[128], ob[128], eb[128], lock[128], pid[32], want[64];
	harness h;
	pid_t pa, pb;
	int k;

	world_new(&w);
	/* the first run is slow: its DMARC answer takes 1.5 s */
	world_faults(&w, "_dmarc.drift.test TXT slow:1500\n");
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(harness_start(&h, w.zones, w.rules), 0);
	snprintf(oa, sizeof(oa), "%s/oa", w.dir);
	snprintf(ea, sizeof(ea), "%s/ea", w.dir);
	snprintf(ob, sizeof(ob), "%s/ob", w.dir);
	snprintf(eb, sizeof(eb), "%s/eb", w.dir);
	snprintf(lock, sizeof(lock), "%s/.lock", w.state);
	pa = spawn(&h, &w, NULL, args, oa, ea);
	snprintf(want, sizeof(want), "%ld", (long)pa);
	for (k = 0; k < 200; k++) { /* until the first holds the lock */
		suite_slurp(lock, pid, sizeof(pid));
		if (strncmp(pid, want, strlen(want)) == 0)
			break;
		usleep(10000);
	}
	pb = spawn(&h, &w, NULL, args, ob, eb);
	collect(a, pa, oa, ea);
	collect(b, pb, ob, eb);
	harness_stop(&h);
	ck_assert_msg(a->status == 0, "first: exit %d: %s", a->status, a->err);
	HAS(a->out, "baseline saved");
	/* the second said who holds the state, waited, then found the
	 * baseline the first saved: nothing changed */
	HAS(b->err, "another authaudit run (pid ");
	HAS(b->err, want);
	HAS(b->err, "waiting for it to finish");
	ck_assert_msg(b->status == 0, "second: exit %d: %s", b->status, b->err);
	ck_assert_str_eq(b->out, "");
	world_free(&w);
	free(a);
	free(b);
}
END_TEST

/* --lock-wait: with the lock held by someone else, a run gives up after
 * the bound (exit 3, saying who holds the state), asks nothing and saves
 * nothing; with the lock free it runs as usual.  Without --state-dir, or
 * with a bound that is not a number of seconds, it is a usage error. */
START_TEST(test_lock_wait_gives_up_when_the_state_stays_held)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	char lock[128], snap[8192], again[8192], mine[32], cmd[512];
	struct timespec t0, t1;
	long ms;
	int fd;

	world_new(&w);
	run(r, &w, "drift.test", NULL); /* the baseline; makes the lock file */
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	state_text(&w, "drift.test", snap, sizeof(snap));
	snprintf(lock, sizeof(lock), "%s/.lock", w.state);
	ck_assert_int_ge(fd = open(lock, O_RDWR | O_CLOEXEC), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	snprintf(mine, sizeof(mine), "%ld\n", (long)getpid());
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(pwrite(fd, mine, strlen(mine), 0), (ssize_t)strlen(mine));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	run(r, &w, "--lock-wait", "1", "drift.test", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_msg(r->status == 3, "exit %d: %s", r->status, r->err);
	mine[strlen(mine) - 1] = '\0';
	HAS(r->err, "another authaudit run (pid ");
	HAS(r->err, mine);
	HAS(r->err, "at most 1 s (--lock-wait)");
	HAS(r->err, "gave up after 1 s (--lock-wait)");
	ck_assert_str_eq(r->out, "");
	ck_assert_msg(ms >= 1000 && ms < 10000, "gave up after %ld ms", ms);
	/* 0: no wait at all */
	run(r, &w, "--lock-wait", "0", "drift.test", NULL);
	ck_assert_int_eq(r->status, 3);
	HAS(r->err, "gave up after 0 s");
	/* nothing saved: the snapshot is the baseline's, to the byte */
	state_text(&w, "drift.test", again, sizeof(again));
	ck_assert_str_eq(again, snap);

	/* freed: the run goes on, finds the baseline, and is silent */
	ck_assert_int_eq(flock(fd, LOCK_UN), 0);
	close(fd);
	run(r, &w, "--lock-wait", "1", "drift.test", NULL);
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_str_eq(r->out, "");
	HASNT(r->err, "waiting");

	/* usage errors */
	snprintf(cmd, sizeof(cmd), "%s --lock-wait 5 drift.test 2>&1", prog());
	ck_assert_int_eq(suite_shell(cmd, r->err, sizeof(r->err)), 2);
	HAS(r->err, "--lock-wait is how long to wait for --state-dir's lock");
	run(r, &w, "--lock-wait", "soon", "drift.test", NULL);
	ck_assert_int_eq(r->status, 2);
	HAS(r->err, "--lock-wait wants a whole number from 0 to 604800, not 'soon'");
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_kill_9_in_the_middle_of_a_write_keeps_the_previous_snapshot)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	const char *args[] = {"drift.test", NULL};
	char *before = malloc(65536), *after = malloc(65536), outp[128], errp[128];
	struct zone z = BASE;
	harness h;
	pid_t pid;
	int st;

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	state_text(&w, "drift.test", before, 65536);
	ck_assert_ptr_nonnull(strstr(before, "p=reject"));
	z.dmarc = "v=DMARC1; p=none";
	put_zone(&w, "drift.test", &z);
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(harness_start(&h, w.zones, NULL), 0);
	snprintf(outp, sizeof(outp), "%s/out", w.dir);
	snprintf(errp, sizeof(errp), "%s/err", w.dir);
	/* the run stops itself half-way through writing the new snapshot */
	pid = spawn(&h, &w, "AA_TEST_STOP_IN_STATE_WRITE=1", args, outp, errp);
	ck_assert_int_eq(waitpid(pid, &st, WUNTRACED), pid);
	ck_assert_msg(WIFSTOPPED(st), "the run did not reach the write");
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
	harness_stop(&h);
	state_text(&w, "drift.test", after, 65536);
	ck_assert_str_eq(after, before);
	/* nothing lost: the next run reports the change */
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 1, "exit %d: %s%s", r->status, r->out, r->err);
	HAS(r->out, "DMARC weakened (p=reject -> p=none)");
	free(before);
	free(after);
	world_free(&w);
	free(r);
}
END_TEST

static const struct {
	const char *what, *text, *says;
} bad_states[] = {
    {"corrupt", "{\"schema\": \"authaudit-state/1\", \"domain\": \"drift.test\", garbage",
     "is corrupt or truncated"},
    {"truncated", "{\"schema\": \"authaudit-state/1\", \"domain\": \"drift.test\", \"records\": [",
     "is corrupt or truncated"},
    {"future",
     "{\"schema\": \"authaudit-state/2\", \"domain\": \"drift.test\", \"records\": [], \"failed_runs\": 0}",
     "written by a newer authaudit"},
    {"another domain",
     "{\"schema\": \"authaudit-state/1\", \"domain\": \"other.test\", \"records\": [], \"failed_runs\": 0}",
     "is not the snapshot of drift.test"},
    {"wrong shape",
     "{\"schema\": \"authaudit-state/1\", \"domain\": \"drift.test\", \"records\": [{\"name\": 5}], "
     "\"failed_runs\": 0}",
     "is corrupt"},
};

START_TEST(test_a_bad_snapshot_is_an_error_naming_the_file_and_is_kept)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	char path[256], *after = malloc(65536);

	world_new(&w);
	ck_assert_int_eq(mkdir(w.state, 0755), 0);
	snprintf(path, sizeof(path), "%s/drift.test.json", w.state);
	write_file(path, bad_states[_i].text);
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 2, "%s: exit %d: %s", bad_states[_i].what, r->status, r->err);
	HAS(r->err, path);
	HAS(r->err, bad_states[_i].says);
	HAS(r->err, "kept");
	ck_assert_str_eq(r->out, "");
	suite_slurp(path, after, 65536);
	ck_assert_str_eq(after, bad_states[_i].text);
	free(after);
	world_free(&w);
	free(r);
}
END_TEST

START_TEST(test_an_unusable_state_dir_fails_before_any_dns_is_asked)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	const char *args[] = {"drift.test", NULL};
	char outp[128], errp[128];
	harness h;

	world_new(&w);
	write_file(w.state, "a file, not a directory\n");
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(harness_start(&h, w.zones, NULL), 0);
	snprintf(outp, sizeof(outp), "%s/out", w.dir);
	snprintf(errp, sizeof(errp), "%s/err", w.dir);
	collect(r, spawn(&h, &w, NULL, args, outp, errp), outp, errp);
	ck_assert_int_eq(r->status, 2);
	HAS(r->err, "--state-dir");
	HAS(r->err, "not a directory");
	/* a parent that does not exist */
	snprintf(w.state, sizeof(w.state), "%.60s/no/such/dir", w.dir);
	collect(r, spawn(&h, &w, NULL, args, outp, errp), outp, errp);
	ck_assert_int_eq(r->status, 2);
	HAS(r->err, "cannot create it");
	/* a read-only file system (refused even to root) */
	snprintf(w.state, sizeof(w.state), "%.60s/ro", w.dir);
	ck_assert_int_eq(mkdir(w.state, 0755), 0);
	if (geteuid() == 0 && mount("tmpfs", w.state, "tmpfs", MS_RDONLY, "size=64k") == 0) {
		collect(r, spawn(&h, &w, NULL, args, outp, errp), outp, errp);
		umount(w.state);
		ck_assert_int_eq(r->status, 2);
		HAS(r->err, "cannot write to it: Read-only file system");
	} else {
		fprintf(stderr,
		        "check_drift: read-only state dir case skipped: cannot mount a tmpfs (needs root)\n");
	}
	ck_assert_int_eq(harness_query_count(&h, "drift.test", NULL), 0);
	harness_stop(&h);
	world_free(&w);
	free(r);
}
END_TEST

/* A full disk: the state dir on a tiny tmpfs (root only), filled up. */
START_TEST(test_a_full_disk_loses_nothing)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r));
	char *before = malloc(65536), *after = malloc(65536), filler[160], block[4096];
	struct zone z = BASE;
	FILE *f;

	world_new(&w);
	ck_assert_int_eq(mkdir(w.state, 0755), 0);
	if (geteuid() != 0 || mount("tmpfs", w.state, "tmpfs", 0, "size=64k") != 0) {
		fprintf(stderr, "check_drift: full-disk test skipped: cannot mount a tmpfs (needs root)\n");
		goto out;
	}
	run(r, &w, "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
	state_text(&w, "drift.test", before, 65536);
	snprintf(filler, sizeof(filler), "%s/filler", w.state);
	f = fopen(filler, "w");
	memset(block, 'x', sizeof(block));
	while (fwrite(block, 1, sizeof(block), f) == sizeof(block) && fflush(f) == 0)
		;
	fclose(f);
	z.dmarc = "v=DMARC1; p=none";
	put_zone(&w, "drift.test", &z);
	run(r, &w, "drift.test", NULL);
	ck_assert_msg(r->status == 3, "exit %d: %s", r->status, r->err);
	HAS(r->err, "No space left on device");
	HAS(r->err, "the previous snapshot is kept");
	HAS(r->out, "DMARC weakened"); /* the drift is still reported */
	state_text(&w, "drift.test", after, 65536);
	ck_assert_str_eq(after, before);
	unlink(filler);
	run(r, &w, "drift.test", NULL); /* room again: reported again, then saved */
	ck_assert_int_eq(r->status, 1);
	HAS(r->out, "DMARC weakened");
	run(r, &w, "drift.test", NULL);
	ck_assert_int_eq(r->status, 0);
out:
	free(before);
	free(after);
	world_free(&w);
	free(r);
}
END_TEST

/* The message parsed by Python's email package, the way a mail client
 * reads it. */
static const char parse_py[] =
    "import email, email.policy, email.utils, json, sys\n"
    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
    "assert m['To'] == 'ops@example.com', m['To']\n"
    "assert m['From'] == 'drift@example.com', m['From']\n"
    "s = str(m['Subject'])\n"
    "assert s.isascii() and 'drift.test' in s and 'DMARC weakened' in s, s\n"
    "d = email.utils.parsedate_to_datetime(m['Date'])\n"
    "import datetime\n"
    "assert abs((datetime.datetime.now(datetime.timezone.utc) - d).total_seconds()) < 600, m['Date']\n"
    "assert m['Message-ID'].startswith('<') and '@' in m['Message-ID'], m['Message-ID']\n"
    "assert m.get_content_type() == 'multipart/mixed'\n"
    "parts = list(m.iter_parts())\n"
    "assert len(parts) == 2, len(parts)\n"
    "assert parts[0].get_content_type() == 'text/plain' and parts[0].get_content_charset() == 'utf-8'\n"
    "t = parts[0].get_content()\n"
    "assert t.startswith('authaudit: 1 of 1 domain drifted'), t\n"
    "assert 'DMARC weakened (p=reject -> p=none)' in t, t\n"
    "assert parts[1].get_filename() == 'authaudit-drift.json'\n"
    "doc = json.loads(parts[1].get_payload(decode=True))\n"
    "assert doc['schema'] == 'authaudit-drift/1' and doc['domains'][0]['domain'] == 'drift.test'\n"
    "print('parsed ok:', m['Message-ID'])\n";

START_TEST(test_the_email_is_a_message_a_mime_parser_reads)
{
	struct world w;
	struct run *r = calloc(1, sizeof(*r)), *r2 = calloc(1, sizeof(*r2));
	struct zone z = BASE;
	char msg[128], py[128], cmd[512], out[4096];

	world_new(&w);
	run(r, &w, "drift.test", NULL);
	z.dmarc = "v=DMARC1; p=none; rua=mailto:d@drift.test";
	put_zone(&w, "drift.test", &z);
	run(r, &w, "--format", "email", "--mail-to", "ops@example.com", "--mail-from", "drift@example.com",
	    "drift.test", NULL);
	ck_assert_msg(r->status == 1, "exit %d: %s", r->status, r->err);
	snprintf(msg, sizeof(msg), "%s/msg.eml", w.dir);
	snprintf(py, sizeof(py), "%s/parse.py", w.dir);
	write_file(msg, r->out);
	write_file(py, parse_py);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s 2>&1", py, msg);
	ck_assert_msg(suite_shell(cmd, out, sizeof(out)) == 0, "python3 email: %s\n%s", out, r->out);
	HAS(out, "parsed ok");
	run(r2, &w, "--format", "email", "--mail-to", "ops@example.com", "--mail-from", "drift@example.com",
	    "drift.test", NULL);
	ck_assert_int_eq(r2->status, 0); /* reported once: no message now */
	ck_assert_str_eq(r2->out, "");
	/* delivery through a local MTA, when there is one */
	if (access("/usr/sbin/sendmail", X_OK) != 0 || getenv("AA_TEST_MTA") == NULL)
		fprintf(stderr, "check_drift: delivery step skipped: no local MTA (/usr/sbin/sendmail not "
		                "installed, or AA_TEST_MTA unset)\n");
	else {
		snprintf(cmd, sizeof(cmd), "/usr/sbin/sendmail -t -oi < %s", msg);
		ck_assert_int_eq(system(cmd), 0);
	}
	world_free(&w);
	free(r);
	free(r2);
}
END_TEST

/* README's cron lines, run as cron runs them: sh -c with cron's PATH
 * (/usr/bin:/bin) and nothing else, the installed path replaced by the
 * program under test, the state dir, list and sendmail by temp ones.  They
 * print nothing (so cron mails nothing) until something drifts. */
static void
cron_run(const harness *h, const struct world *w, const char *line, int n, char *out, size_t size)
{
	char cmd[8192], prog_abs[PATH_MAX + 128], *p;
	const char *subst[][2] = {{"/usr/local/bin/authaudit", prog_abs},
	                          {"/var/lib/authaudit", NULL},
	                          {"/etc/authaudit/domains", NULL},
	                          {"/usr/sbin/sendmail", NULL}};
	char state[160], list[160], mta[160], outp[160];
	size_t k, o = 0;
	int st;

	ck_assert_ptr_nonnull(realpath(prog(), prog_abs));
	snprintf(prog_abs + strlen(prog_abs), sizeof(prog_abs) - strlen(prog_abs),
	         " -r %s --timeout 300 --tries 1", h->resolver);
	snprintf(state, sizeof(state), "%s/cron%d", w->dir, n);
	snprintf(list, sizeof(list), "%s/domains", w->dir);
	snprintf(mta, sizeof(mta), "%s/sendmail", w->dir);
	snprintf(outp, sizeof(outp), "%s/cron.out", w->dir);
	subst[1][1] = state;
	subst[2][1] = list;
	subst[3][1] = mta;
	for (p = (char *)line; *p && o + 1 < sizeof(cmd);) {
		for (k = 0; k < 4; k++)
			if (strncmp(p, subst[k][0], strlen(subst[k][0])) == 0)
				break;
		if (k < 4) {
			o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, "%s", subst[k][1]);
			p += strlen(subst[k][0]);
		} else {
			cmd[o++] = *p++;
		}
	}
	cmd[o] = '\0';
	o = strlen(cmd);
	snprintf(cmd + o, sizeof(cmd) - o, " >%s 2>&1", outp);
	{
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			char *const env[] = {"PATH=/usr/bin:/bin", "SHELL=/bin/sh", "HOME=/", "LOGNAME=root",
			                     NULL};
			execle("/bin/sh", "sh", "-c", cmd, (char *)NULL, env);
			_exit(127);
		}
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	}
	suite_slurp(outp, out, size);
}

START_TEST(test_readme_cron_lines_work_under_crons_path)
{
	struct world w;
	struct zone z = BASE;
	char line[1024], *out = malloc(65536), *mail = malloc(65536), path[256], prefix[256] = "";
	const char *cron[8];
	int n = 0, k, phase;
	FILE *f;
	harness h;

	/* the path in the README is where `make install` puts the program */
	f = fopen("config.mk", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "prefix = %255s", prefix) == 1)
			break;
	fclose(f);
	ck_assert_str_eq(prefix, "/usr/local");
	f = fopen("README.md", "r");
	ck_assert_ptr_nonnull(f);
	while (n < 8 && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "15 6 * * *  ", 12) == 0 && strstr(line, "--state-dir") != NULL) {
			line[strcspn(line, "\n")] = '\0';
			ck_assert_msg(strncmp(line + 12, "/usr/local/bin/authaudit ", 25) == 0, "%s", line);
			cron[n++] = strdup(line + 12);
		}
	fclose(f);
	ck_assert_int_ge(n, 2);

	world_new(&w);
	snprintf(path, sizeof(path), "%s/domains", w.dir);
	write_file(path, "drift.test\n");
	snprintf(path, sizeof(path), "%s/sendmail", w.dir);
	snprintf(line, sizeof(line), "#!/bin/sh\n[ \"$1\" = -t ] || exit 64\ncat >%s/delivered.eml\n", w.dir);
	write_file(path, line);
	ck_assert_int_eq(chmod(path, 0755), 0);
	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "%s/cron%d", w.dir, k);
		ck_assert_int_eq(mkdir(path, 0755), 0); /* the admin creates it once */
	}
	snprintf(path, sizeof(path), "%s/delivered.eml", w.dir);
	for (phase = 0; phase < 3; phase++) {
		if (phase == 2) {
			z.dmarc = "v=DMARC1; p=none; rua=mailto:d@drift.test";
			put_zone(&w, "drift.test", &z);
		}
		memset(&h, 0, sizeof(h));
		ck_assert_int_eq(harness_start(&h, w.zones, NULL), 0);
		for (k = 0; k < n; k++) {
			int email = strstr(cron[k], "--format email") != NULL;
			unlink(path);
			cron_run(&h, &w, cron[k], k, out, 65536);
			suite_slurp(path, mail, 65536);
			if (email) {
				/* all output goes to the message; cron mails nothing */
				ck_assert_msg(out[0] == '\0', "%s: %s", cron[k], out);
				if (phase == 1)
					ck_assert_msg(mail[0] == '\0', "mailed with nothing to say: %s",
					              mail);
				else
					HAS(mail, phase == 0
					              ? "Subject: authaudit: now watching 1 domain"
					              : "Subject: authaudit drift: 1 domain: drift.test");
			} else if (phase == 0) {
				HAS(out, "baseline saved");
			} else if (phase == 1) {
				ck_assert_msg(out[0] == '\0', "%s: %s", cron[k], out);
			} else {
				HAS(out, "DMARC weakened (p=reject -> p=none)");
			}
		}
		harness_stop(&h);
	}
	for (k = 0; k < n; k++)
		free((void *)cron[k]);
	free(out);
	free(mail);
	world_free(&w);
}
END_TEST

static Suite *
drift_suite(void)
{
	Suite *s = suite_create("drift");
	TCase *tc = tcase_create("drift");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_first_run_is_a_baseline_then_an_unchanged_world_is_silent);
	tcase_add_loop_test(tc, test_each_kind_of_change_is_reported_with_before_and_after, 0,
	                    (int)(sizeof(changes) / sizeof(changes[0])));
	tcase_add_test(tc, test_servfail_is_no_drift_until_stale_after_runs_then_could_not_be_verified);
	tcase_add_test(tc, test_a_failed_selector_lookup_keeps_the_key_and_reports_nothing);
	tcase_add_test(tc, test_a_batch_reports_only_the_domains_that_drifted);
	tcase_add_test(tc, test_json_drift_document);
	tcase_add_test(tc, test_two_concurrent_runs_take_turns);
	tcase_add_test(tc, test_lock_wait_gives_up_when_the_state_stays_held);
	tcase_add_test(tc, test_kill_9_in_the_middle_of_a_write_keeps_the_previous_snapshot);
	tcase_add_loop_test(tc, test_a_bad_snapshot_is_an_error_naming_the_file_and_is_kept, 0,
	                    (int)(sizeof(bad_states) / sizeof(bad_states[0])));
	tcase_add_test(tc, test_an_unusable_state_dir_fails_before_any_dns_is_asked);
	tcase_add_test(tc, test_a_full_disk_loses_nothing);
	tcase_add_test(tc, test_the_email_is_a_message_a_mime_parser_reads);
	tcase_add_test(tc, test_readme_cron_lines_work_under_crons_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(drift_suite());
}
