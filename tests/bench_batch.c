/*
 * bench_batch — a whole batch audit against a local knotd, beside the
 * ceiling dnsperf measures on the same server for the same query mix.
 *
 *   bench_batch [N [DNSPERF_SECONDS]]        (default 10000 10)
 *
 * Generates N synthetic domains under the zone "bench." (MX and host
 * addresses, an SPF record including a shared two-level provider include,
 * DMARC on nine in ten, a DKIM key at selector1 on half, nothing below
 * _domainkey on the rest), serves them with knotd on loopback and runs
 * `authaudit --batch - --format ndjson` with the names streamed to its
 * standard input, generated on the fly, so N may be 1,000,000 without a
 * list file.  Prints domains/s, queries/s, the share of the dnsperf
 * ceiling, queries per domain, CPU per domain, peak RSS and the number of
 * incomplete reports, and exits 1 if any report was incomplete.
 *
 * The query mix for dnsperf is what authaudit asked for the first 500
 * domains (taken from the fault responder's query log), so the ceiling is
 * measured on the same names and types.  Without dnsperf installed the
 * ceiling is left out, with a message.  authaudit runs with --jobs 2 (both
 * cores of the reference machine; AA_BENCH_JOBS sets another number).  With AA_BENCH_ZONE=FILE it only
 * writes the corpus zone to FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "harness.h"

#define MIX_DOMAINS 500

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes "d0.bench\n" .. "d<n-1>.bench\n" to fd, then closes it. */
static void
feed_names(int fd, long n)
{
	FILE *f = fdopen(fd, "w");
	long i;

	if (f == NULL)
		_exit(1);
	for (i = 0; i < n; i++)
		if (fprintf(f, "d%ld.bench\n", i) < 0)
			_exit(1);
	_exit(fclose(f) == EOF ? 1 : 0);
}

struct run {
	long lines;        /* NDJSON reports on stdout */
	long incomplete;   /* from the summary line */
	long queries;      /* sent, from the summary line (0: not given) */
	char summary[512]; /* the summary line authaudit printed on stderr */
	struct rusage ru;
	int status;
	double secs;
};

/* authaudit --batch - over n generated names, against resolver. */
static int
run_audit(const char *prog, const char *resolver, long n, const char *errpath, struct run *out)
{
	const char *jobs = getenv("AA_BENCH_JOBS") != NULL ? getenv("AA_BENCH_JOBS") : "2";
	int in[2], outp[2];
	pid_t feeder, pid;
	double t0 = now();
	char buf[65536];
	ssize_t got;
	FILE *ef;

	memset(out, 0, sizeof(*out));
	if (pipe(in) == -1 || pipe(outp) == -1)
		return -1;
	if ((feeder = fork()) == 0) {
		close(in[0]);
		close(outp[0]);
		close(outp[1]);
		feed_names(in[1], n);
	}
	if ((pid = fork()) == 0) {
		int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(in[0], 0);
		dup2(outp[1], 1);
		if (efd >= 0)
			dup2(efd, 2);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execl(prog, prog, "--batch", "-", "--format", "ndjson", "--no-progress", "--fail-on", "never",
		      "--jobs", jobs, "-r", resolver, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(in[1]);
	close(outp[1]);
	while ((got = read(outp[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			out->lines += buf[i] == '\n';
	close(outp[0]);
	if (wait4(pid, &out->status, 0, &out->ru) == -1)
		return -1;
	waitpid(feeder, NULL, 0);
	out->secs = now() - t0;
	if ((ef = fopen(errpath, "r")) != NULL) {
		char line[512];

		while (fgets(line, sizeof(line), ef) != NULL) {
			char *p = strstr(line, " incomplete");

			if (strstr(line, " domains in ") != NULL && p != NULL) {
				while (p > line && p[-1] >= '0' && p[-1] <= '9')
					p--;
				out->incomplete = atol(p);
				if ((p = strstr(line, "; ")) != NULL)
					out->queries = atol(p + 2);
				snprintf(out->summary, sizeof(out->summary), "%s", line);
			}
		}
		fclose(ef);
	}
	return 0;
}

/* The fault responder's log ("udp NAME TYPE") as dnsperf input
 * ("NAME TYPE"); the number of queries. */
static long
log_to_mix(const char *logpath, const char *mixpath)
{
	FILE *in = fopen(logpath, "r"), *out = fopen(mixpath, "w");
	char line[1100], name[1025], type[32];
	long n = 0;

	if (in == NULL || out == NULL) {
		if (in != NULL)
			fclose(in);
		if (out != NULL)
			fclose(out);
		return -1;
	}
	while (fgets(line, sizeof(line), in) != NULL)
		if (sscanf(line, "%*s %1024s %31s", name, type) == 2 && strcmp(type, "TYPE99") != 0) {
			fprintf(out, "%s %s\n", name, type);
			n++;
		}
	fclose(in);
	return fclose(out) == EOF ? -1 : n;
}

/* dnsperf's "Queries per second:" against port, or -1. */
static double
dnsperf_ceiling(const char *mixpath, int port, int seconds, const char *outpath)
{
	char cmd[16384], line[512];
	double qps = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "dnsperf -q 2000 -c 2 -T 1 -s 127.0.0.1 -p %d -d %s -l %d -t 2 > %s 2>&1",
	         port, mixpath, seconds, outpath);
	if (system(cmd) != 0)
		return -1;
	if ((f = fopen(outpath, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " Queries per second: %lf", &qps) == 1)
			break;
	fclose(f);
	return qps;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, mixq;
	int perf_secs = argc > 2 ? atoi(argv[2]) : 10;
	const char *prog = getenv("AA_PROG") != NULL ? getenv("AA_PROG") : "./authaudit";
	char dir[] = "/tmp/aa-bench-XXXXXX", path[4096], direct[64], logpath[4200];
	double ceiling = -1, qps, cpu;
	long queries;
	struct run mix, r;
	harness h;

	if (n <= 0 || perf_secs <= 0) {
		fprintf(stderr, "usage: bench_batch [N [DNSPERF_SECONDS]]\n");
		return 2;
	}
	if (getenv("AA_BENCH_ZONE") != NULL) /* only write the corpus zone there */
		return corpus_write_zone(getenv("AA_BENCH_ZONE"), n) == 0 ? 0 : 1;
	if (mkdtemp(dir) == NULL) {
		perror("bench_batch: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/bench.zone", dir);
	printf("bench_batch: generating %ld domains ...\n", n);
	fflush(stdout);
	memset(&h, 0, sizeof(h));
	/* knotd loads about 10,000 domains a second here: give it time */
	snprintf(logpath, sizeof(logpath), "%ld", 15000 + n / 5);
	setenv("AA_KNOT_WAIT_MS", logpath, 0);
	if (corpus_write_zone(path, n) != 0 || harness_start(&h, dir, NULL) != 0)
		return 1;
	snprintf(direct, sizeof(direct), "127.0.0.1:%d", h.knot_port);
	snprintf(path, sizeof(path), "%s/stderr", dir);

	/* the query mix: the first domains through the logging responder */
	harness_reset_log(&h);
	if (run_audit(prog, h.resolver, n < MIX_DOMAINS ? n : MIX_DOMAINS, path, &mix) != 0)
		return 1;
	snprintf(logpath, sizeof(logpath), "%s/mix", dir);
	if ((mixq = log_to_mix(h.log_path, logpath)) <= 0) {
		fprintf(stderr, "bench_batch: no query mix from %s\n", h.log_path);
		return 1;
	}
	/* the run itself, straight at knotd */
	if (run_audit(prog, direct, n, path, &r) != 0)
		return 1;
	/* then the ceiling, so the flood cannot slow the run down */
	if (system("command -v dnsperf >/dev/null 2>&1") == 0) {
		char perfout[4300];

		snprintf(perfout, sizeof(perfout), "%s/dnsperf.out", dir);
		ceiling = dnsperf_ceiling(logpath, h.knot_port, perf_secs, perfout);
	} else {
		printf("bench_batch: dnsperf is not installed (Debian package dnsperf): no ceiling\n");
	}

	/* the summary's count, or else the mix's rate times n */
	queries = r.queries > 0 ? r.queries : mixq * n / (n < MIX_DOMAINS ? n : MIX_DOMAINS);
	qps = (double)queries / r.secs;
	cpu = (double)(r.ru.ru_utime.tv_sec + r.ru.ru_stime.tv_sec) +
	      (double)(r.ru.ru_utime.tv_usec + r.ru.ru_stime.tv_usec) / 1e6;
	printf("%s", r.summary);
	printf("bench_batch: %ld domains, %ld reports in %.2f s\n", n, r.lines, r.secs);
	printf("  domains/s            %10.0f\n", (double)n / r.secs);
	printf("  queries per domain   %10.1f   (%ld queries sent)\n", (double)queries / (double)n, queries);
	printf("  queries/s            %10.0f\n", qps);
	if (ceiling > 0)
		printf("  dnsperf ceiling      %10.0f queries/s   share %.0f %%\n", ceiling,
		       100.0 * qps / ceiling);
	printf("  CPU per domain       %10.3f ms   (%.2f s user+sys)\n", cpu * 1000.0 / (double)n, cpu);
	printf("  peak RSS             %10.1f MB\n", (double)r.ru.ru_maxrss / 1024.0);
	printf("  incomplete reports   %10ld\n", r.incomplete);
	harness_stop(&h);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		fprintf(stderr, "bench_batch: could not remove %s\n", dir);
	if (!WIFEXITED(r.status) || r.lines != n)
		fprintf(stderr, "bench_batch: authaudit ended with status %d and %ld of %ld reports\n",
		        r.status, r.lines, n);
	return r.incomplete == 0 && r.lines == n ? 0 : 1;
}
