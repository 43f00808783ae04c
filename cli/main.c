/* main.c — the authaudit program: options, domains, output, exit status.
 * No audit logic here: everything goes through lib/authaudit.h. */
#include "authaudit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FINDINGS 1
#define EXIT_USAGE 2
#define EXIT_INCOMPLETE 3

struct list {
	const char **v;
	size_t n;
};

struct cli {
	aa_options opt;
	struct list selectors, ips, dnsbls;
	aa_render_opts render;
	aa_severity fail_on;
	int fail_never;
	aa_report **reports;
	char **domains;
	size_t ndomains;
	const char *batch;            /* --batch FILE, "-" for standard input */
	int ordered;                  /* --ordered: reports in input order */
	int jobs;                     /* --jobs: threads auditing a batch */
	int progress;                 /* --progress 1, --no-progress 0, -1: when stderr is a terminal */
	unsigned long shard, nshards; /* --shard K/N: this run takes slice K (1..N) */
	const char *state_dir;        /* --state-dir DIR: drift since the last run */
	int stale_after;              /* --stale-after N */
	int lock_wait;                /* --lock-wait SECONDS; -1: wait for the lock as long as it takes */
	const char *mail_to, *mail_from;
	aa_drift *drift;
};

/* What the reports of a run add up to, as they are written. */
struct tally {
	const struct cli *c;
	int status, printed, write_failed;
	int state_status;      /* --state-dir: 2 a snapshot unreadable, 3 one unwritable */
	int progress;          /* write a progress line */
	int tty;               /* stderr is a terminal */
	double started, shown; /* when the run started, and the line was last written */
	unsigned long domains, grades[6], not_graded, incomplete, bad_lines;
	/* the ETA: the input's size when it is a regular file (else 0), and
	 * how far reading it has come */
	FILE *in;
	long long in_size;
	unsigned long lines_read;
	aa_stats jobs_stats; /* --jobs: the other threads' contexts, summed */
	char *scratch;       /* the rendering buffer of reports written on this thread */
	size_t scratch_cap;
};

static const char *prog = "authaudit";

/* The options: one table drives getopt_long() and --help, and
 * tests/check-man holds man/authaudit.1's OPTIONS section to it. */
enum {
	O_TIMEOUT = 256,
	O_TRIES,
	O_DEADLINE,
	O_SELECTOR,
	O_IP,
	O_ENVFROM,
	O_HELO,
	O_DNSBL,
	O_FORMAT,
	O_PROFILE,
	O_COLOR,
	O_FAILON,
	O_BATCH,
	O_CONCURRENCY,
	O_SHARD,
	O_ORDERED,
	O_JOBS,
	O_PROGRESS,
	O_NO_PROGRESS,
	O_STATE_DIR,
	O_STALE_AFTER,
	O_LOCK_WAIT,
	O_MAIL_TO,
	O_MAIL_FROM,
	O_CACHE_MB
};

struct cli_option {
	const char *name; /* long name */
	int id;           /* getopt_long()'s value: the short letter, or O_* */
	const char *arg;  /* the argument's name; NULL: takes none */
	const char *help; /* lines separated by '\n'; NULL: another name of the option above */
};

static const struct cli_option options[] = {
    {"resolver", 'r', "ADDR[:PORT][,...]",
     "DNS servers to ask (default: /etc/resolv.conf);\nIPv6 with a port as [ADDR]:PORT"},
    {"timeout", O_TIMEOUT, "MS", "time per try (default 2000)"},
    {"tries", O_TRIES, "N", "tries per server (default 2)"},
    {"deadline", O_DEADLINE, "MS", "wall-time bound of one domain's audit (default 20000)"},
    {"batch", O_BATCH, "FILE",
     "domains from FILE (- for standard input), one a line; blank lines\nand # comments skipped; "
     "each report is written as it completes"},
    {"concurrency", O_CONCURRENCY, "N", "audits in flight at once (default 256)"},
    {"cache-mb", O_CACHE_MB, "N",
     "record cache size in MiB beyond what running audits hold\n(default 16; 0: none)"},
    {"progress", O_PROGRESS, NULL,
     "--batch: a progress line on standard error (default: when it is a terminal)"},
    {"no-progress", O_NO_PROGRESS, NULL, "--batch: no progress line"},
    {"ordered", O_ORDERED, NULL,
     "--batch: write the reports in input order (reports that finish early\nwait, at most --concurrency of "
     "them)"},
    {"jobs", O_JOBS, "N",
     "--batch: N threads audit in parallel, each with its own resolver and\ncache and --concurrency/N "
     "audits (default 1)"},
    {"shard", O_SHARD, "K/N",
     "audit only slice K of N (1 <= K <= N), by a stable hash of each domain:\nN runs cover the input "
     "exactly once"},
    {"selector", O_SELECTOR, "NAME", "also probe this DKIM selector (repeatable)"},
    {"ip", O_IP, "ADDR", "a sending IP: SPF result, reverse DNS, DNSBLs (repeatable)"},
    {"envelope-from", O_ENVFROM, "ADDR", "the Return-Path the mail is sent with"},
    {"helo", O_HELO, "NAME", "the HELO/EHLO name, for SPF evaluation"},
    {"dnsbl", O_DNSBL, "ZONE", "a DNS blocklist to check --ip against (repeatable)"},
    {"format", O_FORMAT, "FORMAT",
     "text (default), json, ndjson, checklist or records;\nemail (with --state-dir): a message for sendmail "
     "-t"},
    {"profile", O_PROFILE, "m365|google", "checklist: add the provider's expected records"},
    {"quiet", 'q', NULL, "text: only findings at or above --fail-on;\nnothing at all when there are none"},
    {"color", O_COLOR, "auto|always|never", "colour (default auto: when stdout is a terminal)"},
    {"colour", O_COLOR, "auto|always|never", NULL},
    {"fail-on", O_FAILON, "SEVERITY",
     "exit 1 on findings at or above critical, high\n(default), medium, low, info, or never"},
    {"state-dir", O_STATE_DIR, "DIR",
     "drift: compare each domain with its snapshot in DIR and print only\nwhat changed (nothing when "
     "nothing did; exit 1 when something did)"},
    {"stale-after", O_STALE_AFTER, "N",
     "--state-dir: a domain whose lookups fail is reported, as could not\nbe verified, after N runs in a "
     "row (default 3)"},
    {"lock-wait", O_LOCK_WAIT, "SECONDS",
     "--state-dir: give up (exit 3) when another run still holds the state\nafter SECONDS (default: wait "
     "for it)"},
    {"mail-to", O_MAIL_TO, "ADDR", "--format email: the recipient"},
    {"mail-from", O_MAIL_FROM, "ADDR", "--format email: the sender (default authaudit@HOSTNAME)"},
    {"help", 'h', NULL, "this help"},
    {"version", 'V', NULL, "the version"},
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))
#define HELP_COLUMN 36

/* getopt_long()'s tables, from options[]: short is "r:qhV" and the like. */
static void
getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++) {
		const struct cli_option *o = &options[i];

		longopts[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->id};
		if (o->id < 256 && o->help != NULL) {
			*shortopts++ = (char)o->id;
			if (o->arg != NULL)
				*shortopts++ = ':';
		}
	}
	longopts[N_OPTIONS] = (struct option){NULL, 0, NULL, 0};
	*shortopts = '\0';
}

/* The --help lines of an options table: names, argument, help text in a
 * column; a row without help is another name of the row above. */
static void
print_options(FILE *out, const struct cli_option *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct cli_option *o = &t[i];
		const char *h = o->help, *nl;
		int col;

		if (h == NULL)
			continue; /* printed with the option it names */
		col = o->id < 256 ? fprintf(out, "  -%c, --%s", o->id, o->name)
		                  : fprintf(out, "      --%s", o->name);
		if (i + 1 < n && t[i + 1].help == NULL)
			col += fprintf(out, ", --%s", t[i + 1].name);
		if (o->arg != NULL)
			col += fprintf(out, " %s", o->arg);
		if (col > HELP_COLUMN - 2) {
			fputc('\n', out);
			col = 0;
		}
		for (; (nl = strchr(h, '\n')) != NULL; h = nl + 1, col = 0)
			fprintf(out, "%*s%.*s\n", HELP_COLUMN - col, "", (int)(nl - h), h);
		fprintf(out, "%*s%s\n", HELP_COLUMN - col, "", h);
	}
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: %s [options] DOMAIN...\n"
	        "       %s explain [options] [TEXT...|-]   (see %s explain --help)\n"
	        "Audits the DNS sender authentication of each DOMAIN (MX, SPF, DKIM, DMARC);\n"
	        "explain turns a bounce, an SMTP reply or a message's headers into its cause.\n"
	        "\n",
	        prog, prog, prog);
	print_options(out, options, N_OPTIONS);
	fprintf(out, "\n"
	             "Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
	             "2 usage or input error, 3 the audit could not complete (every lookup failed).\n"
	             "See authaudit(1).\n");
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

static int
parse_int(const char *opt, const char *s, int min, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		usage_error("%s wants a whole number from %d to %d, not '%s'", opt, min, max, s);
	return (int)v;
}

static void
list_add(struct list *l, const char *s)
{
	const char **n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (n == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_INCOMPLETE);
	}
	l->v = n;
	l->v[l->n++] = s;
}

/* local@domain with a non-empty local part; the domain is judged by the
 * audit (a local-looking one is the finding ENVELOPE_UNROUTABLE). */
static int
envelope_ok(const char *s)
{
	const char *at = strrchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' && strlen(s) <= 320 && strpbrk(s, " \t\r\n<>") == NULL;
}

/* COLUMNS when set, else the terminal's width, else 80; never under 40. */
static int
terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	int w = 0;

	if (env != NULL) {
		long v = strtol(env, NULL, 10);
		w = v > 0 && v < 10000 ? (int)v : 0;
	} else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0)
		w = 80;
	return w < 40 ? 40 : w;
}

/* --color auto: a terminal that is not TERM=dumb, and NO_COLOR unset or
 * empty (no-color.org: only a non-empty value disables colour). */
static int
colour_wanted(void)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (!isatty(STDOUT_FILENO) || (no != NULL && no[0] != '\0'))
		return 0;
	return term == NULL || strcmp(term, "dumb") != 0;
}

/* Whether the user's locale (LC_ALL, LC_CTYPE, LANG) has the charset UTF-8.
 * The program itself keeps running in the C locale. */
static int
locale_is_utf8(void)
{
	int utf8 = 0;

	if (setlocale(LC_CTYPE, "") != NULL)
		utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	(void)setlocale(LC_CTYPE, "C");
	return utf8;
}

static void
parse_args(struct cli *c, int argc, char **argv)
{
	struct option longopts[N_OPTIONS + 1];
	char shortopts[2 * N_OPTIONS + 1];
	const char *color = "auto";
	unsigned char addr[16];
	int ch;

	getopt_tables(longopts, shortopts);
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			c->opt.resolvers = optarg;
			break;
		case O_TIMEOUT:
			c->opt.timeout_ms = parse_int("--timeout", optarg, 1, 600000);
			break;
		case O_TRIES:
			c->opt.tries = parse_int("--tries", optarg, 1, 20);
			break;
		case O_BATCH:
			c->batch = optarg;
			break;
		case O_SHARD: {
			char *end;
			errno = 0;
			c->shard = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '/' || c->shard < 1 ||
			    (c->nshards = strtoul(end + 1, &end, 10)) < c->shard || *end != '\0' ||
			    c->nshards > 1000000)
				usage_error("--shard '%s' is not K/N with 1 <= K <= N (like 2/8)", optarg);
			break;
		}
		case O_PROGRESS:
			c->progress = 1;
			break;
		case O_NO_PROGRESS:
			c->progress = 0;
			break;
		case O_ORDERED:
			c->ordered = 1;
			break;
		case O_JOBS:
			c->jobs = parse_int("--jobs", optarg, 1, 64);
			break;
		case O_CONCURRENCY:
			c->opt.max_audits = parse_int("--concurrency", optarg, 1, 100000);
			break;
		case O_CACHE_MB:
			c->opt.cache_bytes = (size_t)parse_int("--cache-mb", optarg, 0, 1048576) << 20;
			break;
		case O_DEADLINE:
			c->opt.deadline_ms = parse_int("--deadline", optarg, 1, 3600000);
			break;
		case O_SELECTOR: {
			const char *why = "";
			if (aa_selector_check(optarg, &why) != AA_OK)
				usage_error("--selector '%s' is not a DKIM selector: %s; use letters, "
				            "digits, hyphens, underscores, dots",
				            optarg, why);
			list_add(&c->selectors, optarg);
			break;
		}
		case O_IP:
			if (inet_pton(AF_INET, optarg, addr) != 1 && inet_pton(AF_INET6, optarg, addr) != 1)
				usage_error("--ip '%s' is not an IPv4 or IPv6 address", optarg);
			list_add(&c->ips, optarg);
			break;
		case O_ENVFROM:
			if (!envelope_ok(optarg))
				usage_error("--envelope-from '%s' is not a mail address (local@domain)",
				            optarg);
			c->opt.envelope_from = optarg;
			break;
		case O_HELO: {
			char *n;
			const char *why;
			if (aa_domain_normalize(optarg, &n, &why) != AA_OK)
				usage_error("--helo '%s' is not a host name: %s", optarg, why ? why : "");
			free(n);
			c->opt.helo = optarg;
			break;
		}
		case O_DNSBL: {
			const char *why = "";
			/* a zone name has a selector's syntax, and at least one dot */
			if (aa_selector_check(optarg, &why) != AA_OK || strchr(optarg, '.') == NULL)
				usage_error("--dnsbl '%s' is not a DNS zone name (like zen.spamhaus.org)",
				            optarg);
			list_add(&c->dnsbls, optarg);
			break;
		}
		case O_FORMAT:
			if (aa_format_parse(optarg, &c->render.format) != AA_OK)
				usage_error("--format '%s' is unknown: use text, json, ndjson, checklist, "
				            "records or email",
				            optarg);
			break;
		case O_PROFILE:
			if (strcmp(optarg, "m365") != 0 && strcmp(optarg, "google") != 0)
				usage_error("--profile '%s' is unknown: use m365 or google", optarg);
			c->opt.profile = optarg;
			break;
		case 'q':
			c->render.quiet = 1;
			break;
		case O_STATE_DIR:
			c->state_dir = optarg;
			break;
		case O_STALE_AFTER:
			c->stale_after = parse_int("--stale-after", optarg, 1, 100000);
			break;
		case O_LOCK_WAIT:
			c->lock_wait = parse_int("--lock-wait", optarg, 0, 604800);
			break;
		case O_MAIL_TO:
		case O_MAIL_FROM:
			if (!envelope_ok(optarg))
				usage_error("--%s '%s' is not a mail address (local@domain)",
				            ch == O_MAIL_TO ? "mail-to" : "mail-from", optarg);
			*(ch == O_MAIL_TO ? &c->mail_to : &c->mail_from) = optarg;
			break;
		case O_COLOR:
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0)
				usage_error("--color '%s' is unknown: use auto, always or never", optarg);
			color = optarg;
			break;
		case O_FAILON:
			if (strcmp(optarg, "never") == 0)
				c->fail_never = 1;
			else if (aa_severity_parse(optarg, &c->fail_on) != AA_OK)
				usage_error("--fail-on '%s' is unknown: use critical, high, medium, low, "
				            "info or never",
				            optarg);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("authaudit 0.1.0\n");
			exit(0);
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			exit(EXIT_USAGE);
		}
	}
	if (c->dnsbls.n > 0 && c->ips.n == 0)
		usage_error("--dnsbl needs --ip: a blocklist is checked for a sending IP address");
	if (c->render.format == AA_FORMAT_EMAIL && c->state_dir == NULL)
		usage_error("--format email is the drift report: it needs --state-dir DIR");
	if (c->lock_wait >= 0 && c->state_dir == NULL)
		usage_error(
		    "--lock-wait is how long to wait for --state-dir's lock: it needs --state-dir DIR");
	if (c->render.format == AA_FORMAT_EMAIL && c->mail_to == NULL)
		usage_error("--format email needs --mail-to ADDR (the recipient)");
	if (c->state_dir != NULL &&
	    (c->render.format == AA_FORMAT_CHECKLIST || c->render.format == AA_FORMAT_RECORDS))
		usage_error("--state-dir reports drift as text, json, ndjson or email, not %s",
		            c->render.format == AA_FORMAT_CHECKLIST ? "checklist" : "records");
	if (strcmp(color, "always") == 0)
		c->render.color = 1;
	else if (strcmp(color, "auto") == 0)
		c->render.color = colour_wanted();
	/* Unicode marks and tree lines on a terminal whose locale speaks UTF-8,
	 * colour or not: cron mail, pipes and LC_ALL=C get plain ASCII */
	c->render.unicode = isatty(STDOUT_FILENO) && locale_is_utf8();
	c->render.width = terminal_width();
	c->render.quiet_min = c->fail_on;
	if (c->fail_never)
		c->render.quiet_min = AA_SEV_CRITICAL + 1;
	c->opt.selectors = c->selectors.v;
	c->opt.n_selectors = c->selectors.n;
	c->opt.ips = c->ips.v;
	c->opt.n_ips = c->ips.n;
	c->opt.dnsbls = c->dnsbls.v;
	c->opt.n_dnsbls = c->dnsbls.n;
}

/* Writes one report and flushes it, so that a full disk or a closed pipe is
 * found here and named for what it is (never as a DNS failure): "cannot
 * write the report: No space left on device".  Returns non-zero on failure. */
/* A report rendered in memory. */
/* A report rendered in memory: buf is a rendering buffer the thread
 * reuses (kept, not freed, after each report: a batch renders thousands a
 * second, and a fresh buffer grown each time was a few percent of it). */
struct rendered {
	char *buf;
	size_t len;
	aa_status st;
};

static void
render_report(const aa_report *r, const aa_render_opts *o, char **scratch, size_t *cap, struct rendered *out)
{
	out->st = aa_report_render(r, o, scratch, cap, &out->len);
	out->buf = *scratch;
}

static int
report_write(const struct rendered *pre)
{
	int bad = 0;

	/* rendered in memory first (by a --jobs thread, before it took the
	 * output lock): the error of the real write is then the one errno
	 * holds */
	if (pre->st != AA_OK) {
		fprintf(stderr, "%s: cannot write the report: %s\n", prog,
		        pre->st == AA_ENOMEM ? "out of memory" : aa_strstatus(pre->st));
		bad = 1;
	} else if ((pre->len > 0 && fwrite(pre->buf, 1, pre->len, stdout) != pre->len) ||
	           fflush(stdout) != 0) {
		/* a reader that has had enough (| head -1) is no error to report */
		if (errno != EPIPE)
			fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
		bad = errno == EPIPE ? -1 : 1;
	}
	return bad;
}

/* With standard output closed, the resolver's first socket would become
 * descriptor 1 and the report would go to it: refuse before asking. */
static void
require_stdout(void)
{
	if (fcntl(STDOUT_FILENO, F_GETFD) == -1) {
		fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
		exit(EXIT_INCOMPLETE);
	}
}

static void
on_done(aa_report *r, void *arg)
{
	aa_report **slot = arg;

	*slot = r;
}

/* ---- authaudit explain ------------------------------------------------------ */

enum { X_AUDIT = 256, X_DOMAIN, X_DNSBL, X_FORMAT, X_TIMEOUT };

static const struct cli_option explain_options[] = {
    {"audit", X_AUDIT, NULL,
     "also audit the sender domain and sending IP in DNS\nand show the findings that explain it"},
    {"resolver", 'r', "ADDR[:PORT][,...]", "--audit: DNS servers to ask (default: /etc/resolv.conf)"},
    {"domain", X_DOMAIN, "DOMAIN", "--audit: audit this domain (default: the sender's)"},
    {"dnsbl", X_DNSBL, "ZONE", "--audit: a DNS blocklist to check the IP against\n(repeatable)"},
    {"timeout", X_TIMEOUT, "MS", "--audit: time per try (default 2000)"},
    {"format", X_FORMAT, "FORMAT", "text (default), json or ndjson"},
    {"help", 'h', NULL, "this help"},
};
#define N_EXPLAIN_OPTIONS (sizeof(explain_options) / sizeof(explain_options[0]))

static void
explain_usage(FILE *out)
{
	fprintf(out,
	        "usage: %s explain [options] [TEXT...|-]\n"
	        "Explains a bounce, an SMTP reply or status code (5.7.606, \"550 5.7.26 ...\") or\n"
	        "a message's headers: meaning, sending system, likely causes, fix.  Reads\n"
	        "standard input when no TEXT is given or TEXT is -.\n\n",
	        prog);
	print_options(out, explain_options, N_EXPLAIN_OPTIONS);
	fprintf(out, "\nExit status: 0 explained, 2 usage error or nothing recognisable in the input,\n"
	             "3 the audit could not complete.  See authaudit(1), EXPLAIN.\n");
}

/* Standard input, at most AA_EXPLAIN_MAX_INPUT + 1 bytes (the library notes
 * the truncation); NULL with errno on a read error. */
static char *
read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0, want = AA_EXPLAIN_MAX_INPUT + 1;
	char *buf = malloc(cap);

	while (buf != NULL && n < want) {
		size_t got;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 < want ? cap * 2 : want);
			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap = cap * 2 < want ? cap * 2 : want;
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0) {
			if (ferror(stdin)) {
				free(buf);
				return NULL;
			}
			break;
		}
	}
	*len = n;
	return buf;
}

/* The arguments joined with spaces. */
static char *
join_args(int argc, char **argv, size_t *len)
{
	size_t n = 0;
	int i;
	char *s;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	for (n = 0, i = 0; i < argc; i++) {
		size_t k = strlen(argv[i]);
		memcpy(s + n, argv[i], k);
		n += k;
		s[n++] = i + 1 < argc ? ' ' : '\n';
	}
	s[n] = '\0';
	*len = n;
	return s;
}

struct explain_cli {
	int audit;
	const char *domain;
	aa_options opt;
	struct list dnsbls;
	aa_render_opts render;
};

static int
explain_audit(struct explain_cli *c, aa_explain *x)
{
	const char *domain = c->domain ? c->domain : aa_explain_domain(x);
	const char *ips[64];
	aa_report *report = NULL;
	aa_ctx *ctx = NULL;
	aa_status st;
	char *norm = NULL;
	const char *why = NULL;
	size_t i, nips = aa_explain_ip_count(x);
	int status = 0;

	if (domain == NULL) {
		fprintf(stderr,
		        "%s explain: --audit: the input names no sender domain; give one with --domain\n",
		        prog);
		return EXIT_USAGE;
	}
	if (aa_domain_normalize(domain, &norm, &why) != AA_OK) {
		fprintf(stderr, "%s explain: --audit: the sender domain is not a valid domain name: %s\n",
		        prog, why ? why : "");
		return EXIT_USAGE;
	}
	for (i = 0; i < nips && i < 64; i++)
		ips[i] = aa_explain_ip(x, i);
	c->opt.ips = ips;
	c->opt.n_ips = i;
	c->opt.envelope_from = aa_explain_envelope_from(x);
	c->opt.dnsbls = c->dnsbls.v;
	c->opt.n_dnsbls = c->dnsbls.n;
	if ((st = aa_ctx_new(&c->opt, &ctx)) != AA_OK) {
		fprintf(stderr, "%s explain: cannot start the resolver: %s\n", prog, aa_strstatus(st));
		free(norm);
		return st == AA_ERESOLVER ? EXIT_USAGE : EXIT_INCOMPLETE;
	}
	if ((st = aa_ctx_add(ctx, norm, on_done, &report)) != AA_OK || (st = aa_ctx_run(ctx)) != AA_OK) {
		fprintf(stderr, "%s explain: %s: %s\n", prog, norm, aa_strstatus(st));
		status = EXIT_INCOMPLETE;
	}
	if (report != NULL) {
		if (aa_report_unreachable(report)) {
			fprintf(stderr,
			        "%s explain: %s: no DNS answer at all (every lookup failed); check "
			        "--resolver\n",
			        prog, norm);
			status = EXIT_INCOMPLETE;
		}
		if (aa_explain_relate(x, report) != AA_OK)
			status = EXIT_INCOMPLETE;
		aa_report_free(report);
	}
	aa_ctx_free(ctx);
	free(norm);
	return status;
}

static int
explain_main(int argc, char **argv)
{
	struct option longopts[N_EXPLAIN_OPTIONS + 1];
	struct explain_cli c;
	aa_explain *x = NULL;
	aa_status st;
	char *input;
	size_t len = 0, i;
	int ch, status;

	memset(&c, 0, sizeof(c));
	aa_options_init(&c.opt);
	aa_render_opts_init(&c.render);
	c.render.width = terminal_width();
	for (i = 0; i < N_EXPLAIN_OPTIONS; i++)
		longopts[i] = (struct option){explain_options[i].name,
		                              explain_options[i].arg ? required_argument : no_argument, NULL,
		                              explain_options[i].id};
	longopts[N_EXPLAIN_OPTIONS] = (struct option){NULL, 0, NULL, 0};
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case X_AUDIT:
			c.audit = 1;
			break;
		case 'r':
			c.opt.resolvers = optarg;
			break;
		case X_DOMAIN:
			c.domain = optarg;
			break;
		case X_DNSBL: {
			const char *why = "";
			if (aa_selector_check(optarg, &why) != AA_OK || strchr(optarg, '.') == NULL)
				usage_error("--dnsbl '%s' is not a DNS zone name (like zen.spamhaus.org)",
				            optarg);
			list_add(&c.dnsbls, optarg);
			break;
		}
		case X_TIMEOUT:
			c.opt.timeout_ms = parse_int("--timeout", optarg, 1, 600000);
			break;
		case X_FORMAT:
			if (aa_format_parse(optarg, &c.render.format) != AA_OK ||
			    (c.render.format != AA_FORMAT_TEXT && c.render.format != AA_FORMAT_JSON &&
			     c.render.format != AA_FORMAT_NDJSON))
				usage_error("explain --format '%s' is unknown: use text, json or ndjson",
				            optarg);
			break;
		case 'h':
			explain_usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s explain --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || (optind + 1 == argc && strcmp(argv[optind], "-") == 0))
		input = read_stdin(&len);
	else
		input = join_args(argc - optind, argv + optind, &len);
	if (input == NULL) {
		fprintf(stderr, "%s explain: cannot read the input: %s\n", prog, strerror(errno));
		free(c.dnsbls.v);
		return EXIT_INCOMPLETE;
	}
	st = aa_explain_new(input, len, &x);
	free(input);
	if (st != AA_OK) {
		fprintf(stderr, "%s explain: %s\n", prog, aa_strstatus(st));
		free(c.dnsbls.v);
		return EXIT_INCOMPLETE;
	}
	if (!aa_explain_found(x)) {
		fprintf(stderr,
		        "%s explain: nothing recognisable in the input: no SMTP status code (like "
		        "550 5.7.606), no delivery status notification and no Authentication-Results, "
		        "Received or anti-spam headers.\nGive the whole bounce or the message's headers "
		        "(authaudit explain < bounce.eml), or a code: authaudit explain 5.7.26\n",
		        prog);
		aa_explain_free(x);
		free(c.dnsbls.v);
		return EXIT_USAGE;
	}
	status = c.audit ? explain_audit(&c, x) : 0;
	if (status != EXIT_USAGE && (st = aa_explain_write(x, &c.render, stdout)) != AA_OK) {
		fprintf(stderr, "%s explain: cannot write: %s\n", prog, aa_strstatus(st));
		status = EXIT_INCOMPLETE;
	}
	aa_explain_free(x);
	free(c.dnsbls.v);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to standard output: %s\n", prog, strerror(errno));
		return EXIT_INCOMPLETE;
	}
	return status;
}

/* Escapes s for a JSON string (every byte outside printable ASCII as
 * \u00XX, so the line is valid JSON whatever the input held). */
static void
json_string_out(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static double now_s(void);

/* The progress line of a batch on stderr, at most twice a second (and once
 * more, final, at the end). */
/* ", ETA 1m05s" on the progress line: the lines still to do (the file's
 * size over the bytes read per line so far) at the rate so far.  Only for
 * a regular file: the length of a stream is not known. */
static void
show_eta(const struct tally *t, double secs)
{
	long long pos;
	double lines, left, rate;

	if (t->in == NULL || t->in_size <= 0 || t->lines_read == 0 || secs <= 0 || t->domains == 0 ||
	    (pos = ftello(t->in)) <= 0)
		return;
	lines = (double)t->lines_read * (double)t->in_size / (double)pos;
	rate = (double)(t->domains + t->bad_lines) / secs;
	left = (lines - (double)(t->domains + t->bad_lines)) / rate;
	if (left < 0)
		left = 0;
	if (left >= 3600)
		fprintf(stderr, ", ETA %dh%02dm", (int)(left / 3600), (int)(left / 60) % 60);
	else
		fprintf(stderr, ", ETA %dm%02ds", (int)(left / 60), (int)left % 60);
}

static void
show_progress(struct tally *t, int final)
{
	double now = now_s(), secs = now - t->started;

	if (!final && now - t->shown < 0.5)
		return;
	t->shown = now;
	fprintf(stderr, "\r%s: %lu domains done, %.0f/s, %lu incomplete, %lu bad lines", prog, t->domains,
	        secs > 0 ? (double)t->domains / secs : 0.0, t->incomplete, t->bad_lines);
	if (!final)
		show_eta(t, secs);
	/* on a terminal, clear what a longer line before left */
	fputs(final ? "\n" : t->tty ? "\033[K" : "", stderr);
}

static void show_progress(struct tally *t, int final);

/* --state-dir: the report goes to its domain's snapshot; the drift report
 * is written at the end.  Nothing on stderr for a failed lookup: it is no
 * drift (cron would mail it), and the snapshot counts the failed runs. */
static void
drift_add(struct tally *t, aa_report *r)
{
	char *why = NULL;
	aa_status st = aa_drift_add(t->c->drift, r, &why);

	if (st != AA_OK) {
		fprintf(stderr, "%s: %s: %s\n", prog, aa_report_domain(r), why ? why : aa_strstatus(st));
		if (st != AA_EINVAL)
			t->state_status = EXIT_INCOMPLETE;
		else if (t->state_status == 0)
			t->state_status = EXIT_USAGE;
	}
	free(why);
	t->domains++;
	aa_report_free(r);
	if (t->progress)
		show_progress(t, 0);
}

/* --state-dir: the drift report of the run, and its exit status: 0 nothing
 * changed, 1 drift, 2 a snapshot could not be read, 3 one not written. */
static int
drift_finish(const struct cli *c, const struct tally *t, int status)
{
	aa_status st = aa_drift_write(c->drift, c->render.format, c->mail_from, c->mail_to, stdout);

	if (st != AA_OK || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the drift report: %s\n", prog,
		        st != AA_OK ? aa_strstatus(st) : strerror(errno));
		return EXIT_INCOMPLETE;
	}
	if (status == EXIT_INCOMPLETE || t->state_status == EXIT_INCOMPLETE)
		return EXIT_INCOMPLETE;
	if (status == EXIT_USAGE || t->state_status == EXIT_USAGE)
		return EXIT_USAGE;
	return aa_drift_found(c->drift) > 0 ? EXIT_FINDINGS : 0;
}

static double now_s(void);

/* --state-dir: open it and take its lock before any DNS is asked; a run
 * that finds the lock held says so and waits for it: as long as it takes,
 * or --lock-wait seconds (asking again every tenth of a second), then
 * gives up, so that cron runs behind a hung one do not pile up. */
static void
drift_start(struct cli *c)
{
	char *why = NULL;
	aa_status st = aa_drift_open(c->state_dir, c->stale_after > 0 ? c->stale_after : 3, &c->drift, &why);
	int held;

	if (st != AA_OK) {
		fprintf(stderr, "%s: %s\n", prog, why ? why : aa_strstatus(st));
		exit(EXIT_USAGE);
	}
	if ((held = aa_drift_lock(c->drift, 0, &why)) == 1) {
		double until = now_s() + c->lock_wait;
		if (c->lock_wait < 0)
			fprintf(stderr, "%s: %s; waiting for it to finish\n", prog, why);
		else
			fprintf(stderr, "%s: %s; waiting for it to finish, at most %d s (--lock-wait)\n",
			        prog, why, c->lock_wait);
		free(why);
		if (c->lock_wait < 0)
			held = aa_drift_lock(c->drift, 1, &why);
		else
			while ((held = aa_drift_lock(c->drift, 0, &why)) == 1 && now_s() < until) {
				struct timespec tenth = {0, 100000000};
				free(why);
				why = NULL;
				nanosleep(&tenth, NULL);
			}
		if (held == 1) {
			fprintf(stderr,
			        "%s: gave up after %d s (--lock-wait): %s; nothing was asked or saved\n",
			        prog, c->lock_wait, why);
			free(why);
			exit(EXIT_INCOMPLETE);
		}
	}
	if (held != 0) {
		fprintf(stderr, "%s: %s\n", prog, why ? why : "cannot lock the state directory");
		exit(EXIT_INCOMPLETE);
	}
	free(why);
}

/* Writes one finished report, says on stderr what -q and --fail-on may
 * hide, and counts it; then frees it. */
static void
emit_rendered(struct tally *t, aa_report *r, struct rendered *pre)
{
	const struct cli *c = t->c;
	int prints;
	char grade;

	struct rendered own;

	if (c->drift != NULL) {
		drift_add(t, r);
		return;
	}
	/* text-like formats: a blank line between domains; with -q only
	 * between those that print something */
	prints = !c->render.quiet || aa_report_fails(r, c->render.quiet_min);
	if (t->printed && prints &&
	    (c->render.format == AA_FORMAT_TEXT || c->render.format == AA_FORMAT_RECORDS ||
	     c->render.format == AA_FORMAT_CHECKLIST))
		fputc('\n', stdout);
	t->printed |= prints;
	if (pre == NULL && !t->write_failed) {
		render_report(r, &c->render, &t->scratch, &t->scratch_cap, &own);
		pre = &own;
	}
	if (!t->write_failed && (t->write_failed = report_write(pre)) > 0)
		t->status = EXIT_INCOMPLETE; /* said once; the audits still count */
	t->domains++;
	grade = aa_report_grade(r);
	if (grade >= 'A' && grade <= 'F')
		t->grades[grade - 'A']++;
	else
		t->not_graded++;
	if (aa_report_unreachable(r)) {
		fprintf(stderr,
		        "%s: %s: no DNS answer at all (every lookup failed); check "
		        "--resolver and the network\n",
		        prog, aa_report_domain(r));
		t->status = EXIT_INCOMPLETE;
	} else {
		/* whatever -q and --fail-on hide, an incomplete audit says so */
		if (aa_report_incomplete(r)) {
			t->incomplete++;
			fprintf(stderr,
			        "%s: %s: audit incomplete: some lookups failed; what depends on "
			        "them is not verified\n",
			        prog, aa_report_domain(r));
		}
		if (t->status == 0 && !c->fail_never && aa_report_fails(r, c->fail_on))
			t->status = EXIT_FINDINGS;
	}
	if (fflush(stdout) != 0 && !t->write_failed) {
		fprintf(stderr, "%s: cannot write the report: %s\n", prog, strerror(errno));
		t->write_failed = 1;
		t->status = EXIT_INCOMPLETE;
	}
	aa_report_free(r);
	if (t->progress)
		show_progress(t, 0);
}

static void
emit(struct tally *t, aa_report *r)
{
	emit_rendered(t, r, NULL);
}

static void
emit_now(aa_report *r, void *arg)
{
	emit(arg, r);
}

/* Is `name` (normalised) in this run's --shard slice?  FNV-1a of the name:
 * the same on every machine and every run. */
static int
in_shard(const struct cli *c, const char *name)
{
	uint64_t h = 14695981039346656037ULL;

	if (c->nshards == 0)
		return 1;
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ULL;
	return h % c->nshards == c->shard - 1;
}

/* ---- --batch: domains read as the run has room for them ------------------ */

struct batch {
	struct tally *t;
	FILE *in;
	unsigned long line;
	char *buf;
	size_t cap;
	/* --ordered: reports that finished before those added earlier wait in
	 * a window of `window` slots, by sequence number */
	aa_report **held;
	size_t window;
	unsigned long added, next; /* sequence numbers: next added, next to write */
	int shared;                /* --jobs: fed to several threads */
};

/* One ordered audit: its batch and sequence number. */
struct ordered_slot {
	struct batch *b;
	unsigned long seq;
};

/* An ordered report is in: keep it, then write every report that is next. */
static void
emit_in_order(aa_report *r, void *arg)
{
	struct ordered_slot *slot = arg;
	struct batch *b = slot->b;

	b->held[slot->seq % b->window] = r;
	free(slot);
	while (b->held[b->next % b->window] != NULL) {
		aa_report *next = b->held[b->next % b->window];
		b->held[b->next % b->window] = NULL;
		b->next++;
		emit(b->t, next);
	}
}

/* A line of the input that is no domain: an error record in the output
 * (JSON formats) or a line on stderr; the run goes on. */
static void
bad_line(struct batch *b, const char *text, const char *why)
{
	const aa_render_opts *o = &b->t->c->render;

	b->t->bad_lines++;
	if (o->format == AA_FORMAT_JSON || o->format == AA_FORMAT_NDJSON) {
		fputs("{\"domain\": ", stdout);
		json_string_out(stdout, text);
		fputs(", \"error\": ", stdout);
		json_string_out(stdout, why);
		fprintf(stdout, ", \"line\": %lu}\n", b->line);
		return;
	}
	fprintf(stderr, "%s: batch line %lu: not a valid domain name: %s (", prog, b->line, why);
	for (; *text; text++) /* bytes from a file may be anything */
		if ((unsigned char)*text < 0x20 || (unsigned char)*text >= 0x7f)
			fprintf(stderr, "\\%03u", (unsigned char)*text);
		else
			fputc(*text, stderr);
	fputs(")\n", stderr);
}

static void emit_shared(aa_report *r, void *arg);

/* The feed: the next domain of the input, or 0 at its end. */
static int
batch_feed(aa_ctx *ctx, void *arg)
{
	struct batch *b = arg;
	ssize_t n;

	/* --ordered: no more than the window holds while the oldest runs */
	if (b->held != NULL && b->added - b->next >= b->window)
		return -1;
	while ((n = getline(&b->buf, &b->cap, b->in)) != -1) {
		char *p = b->buf, *end = b->buf + n, *norm;
		const char *why = "";
		aa_status st;

		b->t->lines_read = ++b->line;
		if (memchr(b->buf, '\0', (size_t)n) != NULL) {
			bad_line(b, "", "the line holds a NUL byte");
			continue;
		}
		while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (aa_domain_normalize(p, &norm, &why) != AA_OK) {
			if (b->t->c->nshards <= 1 || b->line % b->t->c->nshards == b->t->c->shard - 1)
				bad_line(b, p,
				         why != NULL ? why : "not a domain name"); /* said by one shard */
			continue;
		}
		if (!in_shard(b->t->c, norm)) {
			free(norm);
			continue;
		}
		if (b->held != NULL) {
			struct ordered_slot *slot = malloc(sizeof(*slot));
			if (slot == NULL) {
				free(norm);
				bad_line(b, p, aa_strstatus(AA_ENOMEM));
				continue;
			}
			slot->b = b;
			slot->seq = b->added;
			if ((st = aa_ctx_add(ctx, norm, emit_in_order, slot)) != AA_OK)
				free(slot);
			else
				b->added++;
		} else {
			st = aa_ctx_add(ctx, norm, b->shared ? emit_shared : emit_now, b->t);
		}
		free(norm);
		if (st != AA_OK) {
			bad_line(b, p, aa_strstatus(st));
			continue;
		}
		return 1;
	}
	return 0;
}

/* --jobs: the threads share the input, the output and the tally under one
 * lock; each renders its reports before taking it. */
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;

static int
batch_feed_shared(aa_ctx *ctx, void *arg)
{
	int n;

	pthread_mutex_lock(&batch_lock);
	n = batch_feed(ctx, arg);
	pthread_mutex_unlock(&batch_lock);
	return n;
}

/* A --jobs thread's rendering buffer (see struct rendered), freed when
 * its run ends. */
static _Thread_local char *job_scratch;
static _Thread_local size_t job_scratch_cap;

static void
emit_shared(aa_report *r, void *arg)
{
	struct tally *t = arg;
	struct rendered pre = {NULL, 0, AA_OK};

	if (t->c->drift == NULL) /* the drift report is written at the end */
		render_report(r, &t->c->render, &job_scratch, &job_scratch_cap, &pre);
	pthread_mutex_lock(&batch_lock);
	emit_rendered(t, r, t->c->drift == NULL ? &pre : NULL);
	pthread_mutex_unlock(&batch_lock);
}

struct job {
	aa_ctx *ctx;
	aa_status st;
	pthread_t thread;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;

	j->st = aa_ctx_run(j->ctx);
	free(job_scratch);
	job_scratch = NULL;
	job_scratch_cap = 0;
	return NULL;
}

/* Runs the batch on c->jobs threads: ctx and c->jobs - 1 more contexts
 * made here (all made and freed on this thread: c-ares' library setup is
 * not thread safe).  AA_OK, or the first failure. */
static aa_status
run_jobs(struct cli *c, aa_ctx *ctx, struct batch *b)
{
	aa_stats *sum = &b->t->jobs_stats, st1;
	struct job *jobs = calloc((size_t)c->jobs, sizeof(*jobs));
	aa_status st = AA_OK;
	int i, started = 0;

	if (jobs == NULL)
		return AA_ENOMEM;
	jobs[0].ctx = ctx;
	for (i = 1; i < c->jobs && st == AA_OK; i++)
		st = aa_ctx_new(&c->opt, &jobs[i].ctx);
	for (i = 0; i < c->jobs && st == AA_OK; i++) {
		aa_ctx_set_feed(jobs[i].ctx, batch_feed_shared, b);
		if (pthread_create(&jobs[i].thread, NULL, job_run, &jobs[i]) != 0)
			st = AA_ENOMEM;
		else
			started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(jobs[i].thread, NULL);
		if (st == AA_OK)
			st = jobs[i].st;
	}
	for (i = 1; i < c->jobs; i++) {
		if (jobs[i].ctx != NULL) {
			aa_ctx_stats(jobs[i].ctx, &st1);
			sum->queries_sent += st1.queries_sent;
			sum->cache_peak_bytes += st1.cache_peak_bytes;
			sum->cache_evictions += st1.cache_evictions;
			sum->loss_retries += st1.loss_retries;
			sum->hedges += st1.hedges;
		}
		aa_ctx_free(jobs[i].ctx);
	}
	free(jobs);
	return st;
}

/* The summary of a batch, on stderr. */
static void
summary(const struct tally *t, double secs, const aa_ctx *ctx)
{
	aa_stats st;
	int g;

	fprintf(stderr, "%s: %lu domain%s in %.1f s:", prog, t->domains, t->domains == 1 ? "" : "s", secs);
	for (g = 0; g < 6; g++)
		if (t->grades[g] > 0)
			fprintf(stderr, " %lu %c,", t->grades[g], 'A' + g);
	if (t->not_graded > 0)
		fprintf(stderr, " %lu not graded,", t->not_graded);
	fprintf(stderr, " %lu incomplete, %lu bad line%s", t->incomplete, t->bad_lines,
	        t->bad_lines == 1 ? "" : "s");
	aa_ctx_stats(ctx, &st);
	/* --jobs: the other threads' contexts, added up (the peak is then
	 * an upper bound: their peaks need not coincide) */
	st.queries_sent += t->jobs_stats.queries_sent;
	st.cache_peak_bytes += t->jobs_stats.cache_peak_bytes;
	st.cache_evictions += t->jobs_stats.cache_evictions;
	st.loss_retries += t->jobs_stats.loss_retries;
	st.hedges += t->jobs_stats.hedges;
	fprintf(stderr, "; %lu queries (%.1f per domain), cache peak %.1f MB, %lu evictions", st.queries_sent,
	        t->domains > 0 ? (double)st.queries_sent / (double)t->domains : 0.0,
	        (double)st.cache_peak_bytes / (1 << 20), st.cache_evictions);
	if (st.loss_retries + st.hedges > 0)
		fprintf(stderr, ", %lu asked again after loss (%lu early, before their timeout)",
		        st.loss_retries + st.hedges, st.hedges);
	fputc('\n', stderr);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
run_batch(struct cli *c, aa_ctx *ctx, struct tally *t)
{
	struct batch b = {t, NULL, 0, NULL, 0, NULL, 0, 0, 0, 0};
	double t0 = now_s();
	aa_status st;

	if (c->ordered) {
		b.window = c->opt.max_audits > 0 ? (size_t)c->opt.max_audits : 256;
		if ((b.held = calloc(b.window, sizeof(*b.held))) == NULL) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return EXIT_INCOMPLETE;
		}
	}
	if (strcmp(c->batch, "-") == 0)
		b.in = stdin;
	else if ((b.in = fopen(c->batch, "r")) == NULL) {
		fprintf(stderr, "%s: --batch %s: %s\n", prog, c->batch, strerror(errno));
		return EXIT_USAGE;
	}
	t->started = t->shown = t0;
	t->tty = isatty(2);
	t->progress = c->progress > 0 || (c->progress < 0 && t->tty);
	{
		struct stat sb;

		if (fstat(fileno(b.in), &sb) == 0 && S_ISREG(sb.st_mode)) {
			t->in = b.in;
			t->in_size = (long long)sb.st_size;
		}
	}
	if (c->jobs > 1) {
		b.shared = 1;
		st = run_jobs(c, ctx, &b);
	} else {
		aa_ctx_set_feed(ctx, batch_feed, &b);
		st = aa_ctx_run(ctx);
	}
	if (st != AA_OK) {
		fprintf(stderr, "%s: %s\n", prog, aa_strstatus(st));
		t->status = EXIT_INCOMPLETE;
	}
	if (ferror(b.in)) {
		fprintf(stderr, "%s: --batch %s: cannot read: %s\n", prog, c->batch, strerror(errno));
		t->status = EXIT_INCOMPLETE;
	}
	if (b.in != stdin)
		(void)fclose(b.in); /* read only: nothing to lose */
	free(b.buf);
	free(b.held);
	if (t->progress)
		show_progress(t, 1);
	if (c->drift == NULL) /* the drift report has its own summary */
		summary(t, now_s() - t0, ctx);
	/* a bad line is an input error, reported once every domain is done */
	if (t->bad_lines > 0 && t->status < EXIT_USAGE)
		t->status = EXIT_USAGE;
	return t->status;
}

int
main(int argc, char **argv)
{
	struct cli c;
	aa_ctx *ctx = NULL;
	aa_status st;
	int status = 0, i;
	size_t k;

	if (argc > 1 && strcmp(argv[1], "explain") == 0)
		return explain_main(argc - 1, argv + 1);
	memset(&c, 0, sizeof(c));
	aa_options_init(&c.opt);
	aa_render_opts_init(&c.render);
	c.fail_on = AA_SEV_HIGH;
	c.progress = -1;
	c.lock_wait = -1;
	parse_args(&c, argc, argv);
	if (c.batch == NULL && optind + 1 == argc && strcmp(argv[optind], "-") == 0)
		c.batch = "-"; /* `authaudit -`: domains on standard input */
	else if (c.batch != NULL && optind < argc)
		usage_error("give domains either with --batch or as arguments, not both");
	if (c.batch == NULL && optind >= argc)
		usage_error("no domain given (give DOMAIN..., --batch FILE, or - for standard input)");
	require_stdout();
	if (c.jobs > 1 && c.batch == NULL)
		usage_error("--jobs works with --batch (or - for standard input)");
	if (c.jobs > 1 && c.ordered)
		usage_error("--ordered keeps input order on one thread: drop --jobs, or --ordered");
	if (c.state_dir != NULL)
		drift_start(&c);
	if (c.batch != NULL) {
		struct tally t;
		memset(&t, 0, sizeof(t));
		t.c = &c;
		/* --concurrency and --cache-mb are the whole run's: each
		 * thread takes its share */
		if (c.jobs > 1) {
			int all = c.opt.max_audits > 0 ? c.opt.max_audits : 256;
			c.opt.max_audits = all / c.jobs > 0 ? all / c.jobs : 1;
			c.opt.cache_bytes /= (size_t)c.jobs;
		}
		if ((st = aa_ctx_new(&c.opt, &ctx)) != AA_OK) {
			if (st == AA_ERESOLVER && c.opt.resolvers != NULL)
				usage_error("--resolver '%s': %s", c.opt.resolvers, aa_strstatus(st));
			fprintf(stderr, "%s: cannot start the resolver: %s\n", prog, aa_strstatus(st));
			return EXIT_INCOMPLETE;
		}
		status = run_batch(&c, ctx, &t);
		free(t.scratch);
		t.scratch = NULL;
		if (c.drift != NULL)
			status = drift_finish(&c, &t, status);
		aa_drift_free(c.drift);
		aa_ctx_free(ctx);
		free(c.selectors.v);
		free(c.ips.v);
		free(c.dnsbls.v);
		return status;
	}

	c.ndomains = (size_t)(argc - optind);
	c.domains = calloc(c.ndomains, sizeof(*c.domains));
	c.reports = calloc(c.ndomains, sizeof(*c.reports));
	if (c.domains == NULL || c.reports == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_INCOMPLETE;
	}
	for (i = optind, k = 0; i < argc; i++, k++) {
		const char *why;
		if (aa_domain_normalize(argv[i], &c.domains[k], &why) != AA_OK)
			usage_error("'%s' is not a valid domain name: %s", argv[i], why ? why : "");
	}
	if ((st = aa_ctx_new(&c.opt, &ctx)) != AA_OK) {
		if (st == AA_ERESOLVER && c.opt.resolvers != NULL)
			usage_error("--resolver '%s': %s", c.opt.resolvers, aa_strstatus(st));
		fprintf(stderr, "%s: cannot start the resolver: %s\n", prog, aa_strstatus(st));
		return EXIT_INCOMPLETE;
	}
	for (k = 0; k < c.ndomains; k++)
		if (in_shard(&c, c.domains[k]) &&
		    (st = aa_ctx_add(ctx, c.domains[k], on_done, &c.reports[k])) != AA_OK) {
			fprintf(stderr, "%s: %s: %s\n", prog, c.domains[k], aa_strstatus(st));
			status = EXIT_INCOMPLETE;
		}
	if ((st = aa_ctx_run(ctx)) != AA_OK) {
		fprintf(stderr, "%s: %s\n", prog, aa_strstatus(st));
		status = EXIT_INCOMPLETE;
	}
	{
		/* arguments: reports in the order given */
		struct tally t;
		memset(&t, 0, sizeof(t));
		t.c = &c;
		t.status = status;
		for (k = 0; k < c.ndomains; k++)
			if (c.reports[k] != NULL)
				emit(&t, c.reports[k]);
		free(t.scratch);
		t.scratch = NULL;
		status = t.status;
		if (c.drift != NULL)
			status = drift_finish(&c, &t, status);
		aa_drift_free(c.drift);
	}
	aa_ctx_free(ctx);
	for (k = 0; k < c.ndomains; k++)
		free(c.domains[k]);
	free(c.domains);
	free(c.reports);
	free(c.selectors.v);
	free(c.ips.v);
	free(c.dnsbls.v);
	return status;
}
