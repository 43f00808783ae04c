/*
 * Test harness: start a knotd on fixture zones and a faultdns in front of
 * it, each on a free loopback port in its own temp dir, so that suites can
 * run in parallel.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, prctl, nftw */
#endif

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define START_TRIES 5
#define KNOT_WAIT_MS 10000 /* first answer and every zone loaded; $AA_KNOT_WAIT_MS for huge zones */
#define FAULT_WAIT_MS 5000
#define STOP_WAIT_MS 5000
#define PROBE_MS 100
#define DNS_MAXMSG 65535
#define SUN_PATH_MAX 107 /* sizeof(sockaddr_un.sun_path) - 1 */

struct zones {
	char **name; /* zone apex, from the file name */
	char **file; /* absolute path */
	size_t n;
};

static void
hwarn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("harness: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

static int
join(char *dst, size_t sz, const char *a, const char *b)
{
	int n = snprintf(dst, sz, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= sz) {
		hwarn("path too long: %s/%s", a, b);
		return -1;
	}
	return 0;
}

static void
dump_file(const char *label, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	if ((f = fopen(path, "r")) == NULL)
		return;
	fprintf(stderr, "---- %s (%s) ----\n", label, path);
	while (getline(&line, &cap, f) != -1)
		fputs(line, stderr);
	fprintf(stderr, "---- end of %s ----\n", label);
	free(line);
	fclose(f);
}

/* Zones ----------------------------------------------------------------- */

static void
zones_free(struct zones *z)
{
	size_t i;

	for (i = 0; i < z->n; i++) {
		free(z->name[i]);
		free(z->file[i]);
	}
	free(z->name);
	free(z->file);
	memset(z, 0, sizeof(*z));
}

static int
is_zone_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".zone") == 0;
}

/* Names go into knot.conf and DNS queries unescaped: keep them plain. */
static int
plain_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr(".-_", *s) == NULL)
			return 0;
	return 1;
}

static int
zones_add(struct zones *z, const char *dir, const char *fname)
{
	size_t n = strlen(fname) - 5;
	char **nn, **nf;

	if ((nn = reallocarray(z->name, z->n + 1, sizeof(*nn))) == NULL)
		return -1;
	z->name = nn;
	if ((nf = reallocarray(z->file, z->n + 1, sizeof(*nf))) == NULL)
		return -1;
	z->file = nf;
	z->name[z->n] = strndup(fname, n);
	if (asprintf(&z->file[z->n], "%s/%s", dir, fname) == -1)
		z->file[z->n] = NULL;
	z->n++;
	return z->name[z->n - 1] && z->file[z->n - 1] ? 0 : -1;
}

static int
zones_load(struct zones *z, const char *dir)
{
	struct dirent **ents = NULL;
	int i, n, rc = 0;

	if ((n = scandir(dir, &ents, is_zone_file, alphasort)) == -1) {
		hwarn("%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && !plain_name(ents[i]->d_name)) {
			hwarn("%s/%s: zone file name must be <apex>.zone with "
			      "plain characters",
			      dir, ents[i]->d_name);
			rc = -1;
		}
		if (rc == 0 && zones_add(z, dir, ents[i]->d_name) == -1)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* Ports ----------------------------------------------------------------- */

static int
loopback_socket(int type, int port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A port free for both UDP and TCP right now.  Someone may take it before
 * knotd binds; the caller retries when knotd dies. */
static int
pick_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl;
	int u, t, tries, port;

	for (tries = 0; tries < 50; tries++) {
		if ((u = loopback_socket(SOCK_DGRAM, 0)) == -1)
			return -1;
		sl = sizeof(sin);
		port = -1;
		if (getsockname(u, (struct sockaddr *)&sin, &sl) == 0 &&
		    (t = loopback_socket(SOCK_STREAM, ntohs(sin.sin_port))) != -1) {
			port = ntohs(sin.sin_port);
			close(t);
		}
		close(u);
		if (port != -1)
			return port;
	}
	return -1;
}

/* DNS probes ------------------------------------------------------------ */

static int
build_query(unsigned char *q, size_t cap, const char *name, int type, uint16_t id)
{
	size_t len = 12, l;
	const char *p = name, *dot;

	if (cap < 12 + strlen(name) + 2 + 4)
		return -1;
	memset(q, 0, 12);
	q[0] = (unsigned char)(id >> 8);
	q[1] = (unsigned char)id;
	q[5] = 1; /* QDCOUNT; RD clear: knot is authoritative */
	while (*p != '\0') {
		dot = strchr(p, '.');
		l = dot ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63)
			return -1;
		q[len++] = (unsigned char)l;
		memcpy(q + len, p, l);
		len += l;
		p += l + (dot ? 1 : 0);
	}
	q[len++] = 0;
	q[len++] = (unsigned char)(type >> 8);
	q[len++] = (unsigned char)type;
	q[len++] = 0;
	q[len++] = 1; /* IN */
	return (int)len;
}

/*
 * One UDP query to 127.0.0.1:port.  Returns the RCODE and sets *ancount,
 * or -1 when nothing answered within PROBE_MS.
 */
static int
probe(int port, const char *name, int type, int *ancount)
{
	static uint16_t seq;
	unsigned char q[300], *a;
	struct sockaddr_in sin;
	struct pollfd pfd;
	uint16_t id = (uint16_t)(getpid() ^ ++seq);
	int fd, qlen, rc = -1;
	ssize_t r;

	if ((qlen = build_query(q, sizeof(q), name, type, id)) == -1)
		return -1;
	if ((a = malloc(DNS_MAXMSG)) == NULL)
		return -1;
	if ((fd = loopback_socket(SOCK_DGRAM, 0)) == -1) {
		free(a);
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 && send(fd, q, (size_t)qlen, 0) == qlen &&
	    poll(&pfd, 1, PROBE_MS) == 1 && (r = recv(fd, a, DNS_MAXMSG, 0)) >= 12 && a[0] == q[0] &&
	    a[1] == q[1] && (a[2] & 0x80)) {
		rc = a[3] & 0x0f;
		*ancount = a[6] << 8 | a[7];
	}
	close(fd);
	free(a);
	return rc;
}

static const char *
rcode_name(int rc)
{
	static const char *names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

	if (rc < 0)
		return "no answer";
	return rc < 6 ? names[rc] : "RCODE>5";
}

/* Processes ------------------------------------------------------------- */

/*
 * fork+exec with stdin from /dev/null, stdout to outfd (or the log) and
 * stderr to the log.  The child dies with its parent, so a crashed suite
 * leaves no server behind.
 */
static pid_t
spawn(char *const argv[], const char *logpath, int outfd)
{
	pid_t parent = getpid(), pid;
	int logfd, nullfd;

	logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd == -1) {
		hwarn("%s: %s", logpath, strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		hwarn("fork: %s", strerror(errno));
		close(logfd);
		return -1;
	}
	if (pid > 0) {
		close(logfd);
		return pid;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		_exit(127);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd == -1 || dup2(nullfd, 0) == -1 || dup2(outfd != -1 ? outfd : logfd, 1) == -1 ||
	    dup2(logfd, 2) == -1)
		_exit(127);
	/* Not even fds the test runner leaked without O_CLOEXEC. */
	(void)close_range(3, ~0U, 0);
	execv(argv[0], argv);
	dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* 1 if pid is still running, 0 if it exited (and is reaped). */
static int
alive(pid_t pid)
{
	int status;

	return waitpid(pid, &status, WNOHANG) == 0;
}

/* A server that fails on SIGTERM (say, a sanitizer report) should show. */
static void
report_exit(const char *what, pid_t pid, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		hwarn("%s (pid %ld) exited with status %d", what, (long)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM)
		hwarn("%s (pid %ld) died of signal %d", what, (long)pid, WTERMSIG(status));
}

static void
stop_child(pid_t *pidp, const char *what)
{
	pid_t pid = *pidp, r;
	long long deadline;
	int status;

	*pidp = 0;
	/* 0 and -1 would signal whole process groups. */
	if (pid <= 0)
		return;
	if (kill(pid, SIGTERM) == -1)
		return;
	deadline = now_ms() + STOP_WAIT_MS;
	while (now_ms() < deadline) {
		/* -1 means not our child (a forked test): nothing to reap. */
		if ((r = waitpid(pid, &status, WNOHANG)) == -1)
			return;
		if (r == pid) {
			report_exit(what, pid, status);
			return;
		}
		sleep_ms(10);
	}
	hwarn("%s (pid %ld) ignored SIGTERM, killing it", what, (long)pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1)
		hwarn("remove %s: %s", path, strerror(errno));
	return 0;
}

/* knotd --------------------------------------------------------------- */

static int
write_knot_conf(const harness *h, const char *zdir, const struct zones *z)
{
	char path[PATH_MAX];
	FILE *f;
	size_t i;

	if (join(path, sizeof(path), h->dir, "knot.conf") == -1)
		return -1;
	if ((f = fopen(path, "w")) == NULL) {
		hwarn("%s: %s", path, strerror(errno));
		return -1;
	}
	/* Few workers: parallel suites share two cores.  Knot logs to
	 * syslog by default, which nobody reads here. */
	fprintf(f,
	        "server:\n    rundir: \"%s/run\"\n"
	        "    listen: 127.0.0.1@%d\n"
	        "    udp-workers: 1\n    tcp-workers: 1\n"
	        "    background-workers: 1\n",
	        h->dir, h->knot_port);
	fprintf(f, "log:\n  - target: stderr\n    any: info\n");
	fprintf(f, "database:\n    storage: \"%s/storage\"\n", h->dir);
	/* Never write back into the fixture directory. */
	fprintf(f,
	        "template:\n  - id: default\n    storage: \"%s\"\n"
	        "    zonefile-sync: -1\n    zonefile-load: whole\n"
	        "    journal-content: none\n",
	        zdir);
	if (z->n > 0)
		fprintf(f, "zone:\n");
	for (i = 0; i < z->n; i++)
		fprintf(f, "  - domain: \"%s\"\n    file: \"%s\"\n", z->name[i], z->file[i]);
	if (fclose(f) == EOF) {
		hwarn("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static pid_t
spawn_knot(const harness *h)
{
	char conf[PATH_MAX], logp[PATH_MAX];
	char *argv[4];

	if (join(conf, sizeof(conf), h->dir, "knot.conf") == -1 ||
	    join(logp, sizeof(logp), h->dir, "knotd.log") == -1)
		return -1;
	argv[0] = (char *)(uintptr_t)env_or("AA_KNOTD", "/usr/sbin/knotd");
	argv[1] = "-c";
	argv[2] = conf;
	argv[3] = NULL;
	return spawn(argv, logp, -1);
}

/*
 * knotd answers SERVFAIL both while a zone loads and after it failed to;
 * its log tells them apart, so a broken fixture fails at once.
 */
static int
zone_failed(const harness *h, const char *zone)
{
	char logp[PATH_MAX], *tag, *line = NULL;
	size_t cap = 0;
	FILE *f;
	int failed = 0;

	if (join(logp, sizeof(logp), h->dir, "knotd.log") == -1 || asprintf(&tag, "[%s.]", zone) == -1)
		return 0;
	if ((f = fopen(logp, "r")) != NULL) {
		while (!failed && getline(&line, &cap, f) != -1)
			failed = strcasestr(line, tag) != NULL && strstr(line, "load") != NULL &&
			         strstr(line, "failed") != NULL;
		fclose(f);
	}
	free(line);
	free(tag);
	return failed;
}

/*
 * Wait until knotd answers SOA with NOERROR for every zone.  Returns 0 when
 * ready, 1 when knotd died or never answered (worth another port), -1 when
 * a zone did not load (no point retrying).
 */
static int
wait_knot(harness *h, const struct zones *z)
{
	const char *wait = getenv("AA_KNOT_WAIT_MS");
	long long deadline = now_ms() + (wait != NULL && atoll(wait) > 0 ? atoll(wait) : KNOT_WAIT_MS);
	size_t i = 0;
	int rc, an = 0, answered = 0;

	for (;;) {
		if (!alive(h->knot_pid)) {
			h->knot_pid = 0;
			hwarn("knotd exited during startup");
			return 1;
		}
		/* No zones: any answer for the root will do. */
		rc = probe(h->knot_port, z->n ? z->name[i] : "", 6, &an);
		answered |= rc >= 0;
		if (z->n == 0 && rc >= 0)
			return 0;
		if (rc == 0 && an > 0) {
			if (++i == z->n)
				return 0;
			continue;
		}
		if (now_ms() >= deadline || (rc >= 0 && zone_failed(h, z->name[i])))
			break;
		/* An answer means still loading; none means not bound. */
		sleep_ms(rc >= 0 ? PROBE_MS / 2 : 10);
	}
	if (!answered) {
		hwarn("knotd did not answer on port %d", h->knot_port);
		return 1;
	}
	hwarn("zone %s (file %s) did not load: SOA query gave %s", z->name[i], z->file[i], rcode_name(rc));
	return -1;
}

static int
executable(const char *path, const char *var, const char *hint)
{
	if (access(path, X_OK) == 0)
		return 1;
	hwarn("%s: %s (set %s; %s)", path, strerror(errno), var, hint);
	return 0;
}

static int
start_knot(harness *h, const char *zdir, const struct zones *z)
{
	char logp[PATH_MAX];
	int tries, rc = 1;

	if (join(logp, sizeof(logp), h->dir, "knotd.log") == -1 ||
	    !executable(env_or("AA_KNOTD", "/usr/sbin/knotd"), "AA_KNOTD", "apt-get install knot"))
		return -1;
	for (tries = 0; tries < START_TRIES && rc == 1; tries++) {
		stop_child(&h->knot_pid, "knotd");
		if ((h->knot_port = pick_port()) == -1) {
			hwarn("no free port: %s", strerror(errno));
			return -1;
		}
		if (write_knot_conf(h, zdir, z) == -1 || (h->knot_pid = spawn_knot(h)) == -1) {
			h->knot_pid = 0;
			return -1;
		}
		rc = wait_knot(h, z);
	}
	if (rc != 0)
		dump_file("knotd log", logp);
	return rc == 0 ? 0 : -1;
}

/* faultdns -------------------------------------------------------------- */

/* Read "PORT n\n" from faultdns.  The line is ours, not DNS data. */
static int
read_port_line(int fd)
{
	char line[64];
	size_t len = 0;
	long long deadline = now_ms() + FAULT_WAIT_MS;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	long long left;
	ssize_t r;
	int port;

	while (len < sizeof(line) - 1) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((r = read(fd, line + len, sizeof(line) - 1 - len)) <= 0)
			return -1;
		len += (size_t)r;
		line[len] = '\0';
		if (strchr(line, '\n') != NULL)
			break;
	}
	line[len] = '\0';
	if (sscanf(line, "PORT %d", &port) != 1 || port <= 0 || port > 65535)
		return -1;
	return port;
}

/* faultdns printed its port after binding; a TCP connect proves it. */
static int
tcp_reachable(int port)
{
	struct sockaddr_in sin;
	int fd, ok;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

static int
start_faultdns(harness *h, const char *rules)
{
	char up[32], logp[PATH_MAX];
	char *argv[11];
	int p[2], n = 0;

	argv[n++] = (char *)(uintptr_t)env_or("AA_FAULTDNS", "build/tests/faultdns");
	if (join(logp, sizeof(logp), h->dir, "faultdns.log") == -1 ||
	    !executable(argv[0], "AA_FAULTDNS", "build it with make") || pipe2(p, O_CLOEXEC) == -1)
		return -1;
	snprintf(up, sizeof(up), "127.0.0.1:%d", h->knot_port);
	argv[n++] = "-u";
	argv[n++] = up;
	argv[n++] = "-p";
	argv[n++] = "0";
	argv[n++] = "-l";
	argv[n++] = h->log_path;
	if (rules != NULL) {
		argv[n++] = "-r";
		argv[n++] = (char *)(uintptr_t)rules;
	}
	argv[n] = NULL;
	if ((h->fault_pid = spawn(argv, logp, p[1])) == -1)
		h->fault_pid = 0;
	close(p[1]);
	if (h->fault_pid > 0)
		h->fault_port = read_port_line(p[0]);
	close(p[0]);
	if (h->fault_pid <= 0 || h->fault_port == -1 || !tcp_reachable(h->fault_port)) {
		hwarn("faultdns (%s) did not start", argv[0]);
		dump_file("faultdns log", logp);
		return -1;
	}
	snprintf(h->resolver, sizeof(h->resolver), "127.0.0.1:%d", h->fault_port);
	return 0;
}

/* API ------------------------------------------------------------------- */

static int
make_absolute(harness *h)
{
	char *abs;
	int n;

	if ((abs = realpath(h->dir, NULL)) == NULL) {
		hwarn("%s: %s", h->dir, strerror(errno));
		return -1;
	}
	/* Keep h->dir naming the dir on failure, for harness_stop. */
	if ((n = (int)strlen(abs)) >= (int)sizeof(h->dir)) {
		hwarn("temp dir path too long: %s", abs);
		free(abs);
		return -1;
	}
	memcpy(h->dir, abs, (size_t)n + 1);
	free(abs);
	return 0;
}

static int
make_dirs(harness *h)
{
	const char *tmp = env_or("TMPDIR", "/tmp");
	char sub[PATH_MAX];
	int n;

	n = snprintf(h->dir, sizeof(h->dir), "%s/authaudit-XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(h->dir)) {
		hwarn("TMPDIR too long: %s", tmp);
		h->dir[0] = '\0';
		return -1;
	}
	if (mkdtemp(h->dir) == NULL) {
		hwarn("mkdtemp %s: %s", h->dir, strerror(errno));
		h->dir[0] = '\0';
		return -1;
	}
	/* knot.conf paths must not depend on knotd's working directory. */
	if (h->dir[0] != '/' && make_absolute(h) == -1)
		return -1;
	/* knotd puts its control socket in the rundir. */
	if (strlen(h->dir) + strlen("/run/knot.sock") > SUN_PATH_MAX) {
		hwarn("TMPDIR too long for a unix socket: %s", tmp);
		return -1;
	}
	if (join(sub, sizeof(sub), h->dir, "run") == -1 || mkdir(sub, 0755) == -1 ||
	    join(sub, sizeof(sub), h->dir, "storage") == -1 || mkdir(sub, 0755) == -1 ||
	    join(h->log_path, sizeof(h->log_path), h->dir, "queries.log") == -1)
		return -1;
	return 0;
}

static int
start_both(harness *h, const char *zdir, const char *rules)
{
	struct zones z = {0};
	int rc = -1;

	if (zones_load(&z, zdir) == 0 && start_knot(h, zdir, &z) == 0 && start_faultdns(h, rules) == 0)
		rc = 0;
	zones_free(&z);
	return rc;
}

int
harness_start(harness *h, const char *zones_dir, const char *rules)
{
	char *zdir = NULL, *rpath = NULL;
	int rc = -1;

	memset(h, 0, sizeof(*h));
	if ((zdir = realpath(zones_dir, NULL)) == NULL)
		hwarn("zones dir %s: %s", zones_dir, strerror(errno));
	else if (rules != NULL && (rpath = realpath(rules, NULL)) == NULL)
		hwarn("rules %s: %s", rules, strerror(errno));
	else if (strpbrk(zdir, "\"\\\n") != NULL)
		hwarn("zones dir %s: unusable characters", zdir);
	else if (make_dirs(h) == 0)
		rc = start_both(h, zdir, rpath);
	free(zdir);
	free(rpath);
	if (rc == -1)
		harness_stop(h);
	return rc;
}

void
harness_stop(harness *h)
{
	stop_child(&h->fault_pid, "faultdns");
	stop_child(&h->knot_pid, "knotd");
	if (h->dir[0] != '\0')
		nftw(h->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	h->dir[0] = h->resolver[0] = h->log_path[0] = '\0';
	h->knot_port = h->fault_port = 0;
}

/* Compare DNS names ignoring case and one trailing dot. */
static int
same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int
line_matches(char *line, const char *name, const char *type)
{
	char *save = NULL, *proto, *n, *t;

	if ((proto = strtok_r(line, " \n", &save)) == NULL || (n = strtok_r(NULL, " \n", &save)) == NULL ||
	    (t = strtok_r(NULL, " \n", &save)) == NULL)
		return 0;
	if (name != NULL && strcmp(name, "*") != 0 && !same_name(n, name))
		return 0;
	return type == NULL || strcmp(type, "*") == 0 || strcasecmp(type, t) == 0;
}

int
harness_query_count(const harness *h, const char *name, const char *type)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int count = 0;

	if ((f = fopen(h->log_path, "r")) == NULL) {
		hwarn("%s: %s", h->log_path, strerror(errno));
		return -1;
	}
	/* A line without its newline is still being written. */
	while ((len = getline(&line, &cap, f)) != -1)
		if (len > 0 && line[len - 1] == '\n' && line_matches(line, name, type))
			count++;
	free(line);
	fclose(f);
	return count;
}

void
harness_reset_log(harness *h)
{
	/* faultdns appends with O_APPEND, so it follows the new end. */
	if (h->log_path[0] != '\0' && truncate(h->log_path, 0) == -1)
		hwarn("truncate %s: %s", h->log_path, strerror(errno));
}
