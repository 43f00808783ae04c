/* main.c — the authaudit program: options, domains, output, exit status.
 * No audit logic here: everything goes through lib/authaudit.h. */
#include "authaudit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
};

static const char *prog = "authaudit";

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: %s [options] DOMAIN...\n"
	        "Audits the DNS sender authentication of each DOMAIN (MX, SPF, DKIM, DMARC).\n"
	        "\n"
	        "  -r, --resolver ADDR[:PORT][,...]  DNS servers to ask (default: /etc/resolv.conf);\n"
	        "                                    IPv6 with a port as [ADDR]:PORT\n"
	        "      --timeout MS                  time per try (default 2000)\n"
	        "      --tries N                     tries per server (default 2)\n"
	        "      --deadline MS                 wall-time bound of one domain's audit (default 20000)\n"
	        "      --selector NAME               also probe this DKIM selector (repeatable)\n"
	        "      --ip ADDR                     a sending IP: SPF result, reverse DNS, DNSBLs (repeatable)\n"
	        "      --envelope-from ADDR          the Return-Path the mail is sent with\n"
	        "      --helo NAME                   the HELO/EHLO name, for SPF evaluation\n"
	        "      --dnsbl ZONE                  a DNS blocklist to check --ip against (repeatable)\n"
	        "      --format FORMAT               text (default), json, ndjson, checklist or records\n"
	        "      --profile m365|google         checklist: add the provider's expected records\n"
	        "  -q, --quiet                       text: only findings at or above --fail-on;\n"
	        "                                    nothing at all when there are none\n"
	        "      --color auto|always|never     colour (default auto: when stdout is a terminal)\n"
	        "      --fail-on SEVERITY            exit 1 on findings at or above critical, high\n"
	        "                                    (default), medium, low, info, or never\n"
	        "  -h, --help                        this help\n"
	        "  -V, --version                     the version\n"
	        "\n"
	        "Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
	        "2 usage or input error, 3 the audit could not complete (every lookup failed).\n"
	        "See authaudit(1).\n",
	        prog);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
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

/* A selector is one or more DNS labels of letters, digits, hyphens, underscores. */
static int
selector_ok(const char *s)
{
	size_t label = 0;

	if (*s == '\0' || strlen(s) > 200)
		return 0;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

/* local@domain with a non-empty local part; the domain is judged by the
 * audit (a local-looking one is the finding ENVELOPE_UNROUTABLE). */
static int
envelope_ok(const char *s)
{
	const char *at = strrchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' && strlen(s) <= 320 &&
	       strpbrk(s, " \t\r\n<>") == NULL;
}

/* COLUMNS when set, else the terminal's width, else 80; never under 40. */
static int
terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	int w = 0;

	if (env != NULL)
		w = atoi(env);
	else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0)
		w = 80;
	return w < 40 ? 40 : w;
}

static void
parse_args(struct cli *c, int argc, char **argv)
{
	enum { O_TIMEOUT = 256, O_TRIES, O_DEADLINE, O_SELECTOR, O_IP, O_FORMAT, O_COLOR, O_FAILON,
	       O_ENVFROM, O_HELO, O_DNSBL, O_PROFILE };
	static const struct option longopts[] = {
		{"resolver", required_argument, NULL, 'r'},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"tries", required_argument, NULL, O_TRIES},
		{"deadline", required_argument, NULL, O_DEADLINE},
		{"selector", required_argument, NULL, O_SELECTOR},
		{"ip", required_argument, NULL, O_IP},
		{"envelope-from", required_argument, NULL, O_ENVFROM},
		{"helo", required_argument, NULL, O_HELO},
		{"dnsbl", required_argument, NULL, O_DNSBL},
		{"format", required_argument, NULL, O_FORMAT},
		{"profile", required_argument, NULL, O_PROFILE},
		{"quiet", no_argument, NULL, 'q'},
		{"color", required_argument, NULL, O_COLOR},
		{"colour", required_argument, NULL, O_COLOR},
		{"fail-on", required_argument, NULL, O_FAILON},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *color = "auto";
	unsigned char addr[16];
	int ch;

	while ((ch = getopt_long(argc, argv, "r:qhV", longopts, NULL)) != -1) {
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
		case O_DEADLINE:
			c->opt.deadline_ms = parse_int("--deadline", optarg, 1, 3600000);
			break;
		case O_SELECTOR:
			if (!selector_ok(optarg))
				usage_error("--selector '%s' is not a DKIM selector (letters, digits, "
				            "hyphens, underscores, dots)", optarg);
			list_add(&c->selectors, optarg);
			break;
		case O_IP:
			if (inet_pton(AF_INET, optarg, addr) != 1 && inet_pton(AF_INET6, optarg, addr) != 1)
				usage_error("--ip '%s' is not an IPv4 or IPv6 address", optarg);
			list_add(&c->ips, optarg);
			break;
		case O_ENVFROM:
			if (!envelope_ok(optarg))
				usage_error("--envelope-from '%s' is not a mail address (local@domain)", optarg);
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
		case O_DNSBL:
			if (!selector_ok(optarg) || strchr(optarg, '.') == NULL)
				usage_error("--dnsbl '%s' is not a DNS zone name (like zen.spamhaus.org)", optarg);
			list_add(&c->dnsbls, optarg);
			break;
		case O_FORMAT:
			if (aa_format_parse(optarg, &c->render.format) != 0)
				usage_error("--format '%s' is unknown: use text, json, ndjson, checklist or "
				            "records", optarg);
			break;
		case O_PROFILE:
			if (strcmp(optarg, "m365") != 0 && strcmp(optarg, "google") != 0)
				usage_error("--profile '%s' is unknown: use m365 or google", optarg);
			c->opt.profile = optarg;
			break;
		case 'q':
			c->render.quiet = 1;
			break;
		case O_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				usage_error("--color '%s' is unknown: use auto, always or never", optarg);
			color = optarg;
			break;
		case O_FAILON:
			if (strcmp(optarg, "never") == 0)
				c->fail_never = 1;
			else if (aa_severity_parse(optarg, &c->fail_on) != 0)
				usage_error("--fail-on '%s' is unknown: use critical, high, medium, low, "
				            "info or never", optarg);
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
	if (strcmp(color, "always") == 0)
		c->render.color = 1;
	else if (strcmp(color, "auto") == 0)
		c->render.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	/* Unicode marks and tree lines only on a terminal: cron mail and
	 * pipes get plain ASCII */
	c->render.unicode = c->render.color && isatty(STDOUT_FILENO);
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

static void
on_done(aa_report *r, void *arg)
{
	aa_report **slot = arg;

	*slot = r;
}

int
main(int argc, char **argv)
{
	struct cli c;
	aa_ctx *ctx = NULL;
	aa_status st;
	int status = 0, i;
	size_t k;

	memset(&c, 0, sizeof(c));
	aa_options_init(&c.opt);
	aa_render_opts_init(&c.render);
	c.fail_on = AA_SEV_HIGH;
	parse_args(&c, argc, argv);
	if (optind >= argc)
		usage_error("no domain given");

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
		if ((st = aa_ctx_add(ctx, c.domains[k], on_done, &c.reports[k])) != AA_OK) {
			fprintf(stderr, "%s: %s: %s\n", prog, c.domains[k], aa_strstatus(st));
			status = EXIT_INCOMPLETE;
		}
	if ((st = aa_ctx_run(ctx)) != AA_OK) {
		fprintf(stderr, "%s: %s\n", prog, aa_strstatus(st));
		status = EXIT_INCOMPLETE;
	}
	for (k = 0; k < c.ndomains; k++) {
		aa_report *r = c.reports[k];
		if (r == NULL)
			continue;
		if (k > 0 && (c.render.format == AA_FORMAT_TEXT || c.render.format == AA_FORMAT_RECORDS ||
		              c.render.format == AA_FORMAT_CHECKLIST) &&
		    !c.render.quiet)
			fputc('\n', stdout);
		if ((st = aa_report_write(r, &c.render, stdout)) != AA_OK) {
			fprintf(stderr, "%s: %s: cannot write the report: %s\n", prog, c.domains[k],
			        aa_strstatus(st));
			status = EXIT_INCOMPLETE;
		}
		if (aa_report_unreachable(r)) {
			fprintf(stderr, "%s: %s: no DNS answer at all (every lookup failed); check "
			        "--resolver and the network\n", prog, c.domains[k]);
			status = EXIT_INCOMPLETE;
		} else if (status == 0 && !c.fail_never && aa_report_worst(r) >= (int)c.fail_on) {
			status = EXIT_FINDINGS;
		}
		aa_report_free(r);
	}
	aa_ctx_free(ctx);
	for (k = 0; k < c.ndomains; k++)
		free(c.domains[k]);
	free(c.domains);
	free(c.reports);
	free(c.selectors.v);
	free(c.ips.v);
	free(c.dnsbls.v);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to standard output: %s\n", prog, strerror(errno));
		return EXIT_INCOMPLETE;
	}
	return status;
}
