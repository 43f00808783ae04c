/*
 * faultdns: a fault-injecting DNS responder for the authaudit test suite.
 *
 * It listens on 127.0.0.1 over UDP and TCP, forwards queries to an upstream
 * server (a local knotd) and, when a rule matches the question, answers with
 * a fault instead: no answer, an error RCODE, a truncated or broken packet,
 * a truncated answer whose TCP retry is hung up on, a late answer, or
 * (lose:N) the first N queries of each name dropped as a full socket
 * buffer drops them.  One process, one poll loop, no threads.
 *
 * usage: faultdns -u IP:PORT [-r RULES] [-l QUERYLOG] [-p PORT]
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* ppoll, accept4, reallocarray */
#endif

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <ares.h>
#include <ctype.h>
#include <errno.h>
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

#define DNS_HDRLEN 12
#define DNS_MAXMSG 65535
#define UPSTREAM_MS 2000
#define MAX_SLOW_MS 600000L
#define UDP_BURST 64

#define F_QR 0x80 /* byte 2 */
#define F_OPC 0x78
#define F_AA 0x04
#define F_TC 0x02
#define F_RD 0x01
#define R_NOERROR 0
#define R_SERVFAIL 2
#define R_NXDOMAIN 3
#define R_REFUSED 5

enum action {
	ACT_FORWARD,
	ACT_TIMEOUT,
	ACT_SERVFAIL,
	ACT_REFUSED,
	ACT_NXDOMAIN,
	ACT_NODATA,
	ACT_TRUNCATE,
	ACT_TCCLOSE, /* TC over UDP, and the TCP connection closed unanswered */
	ACT_WRONGID, /* the real answer under another message ID */
	ACT_WRONGQ,  /* the real answer to another question (name changed) */
	ACT_MALFORMED,
	ACT_SLOW,
	ACT_LOSE, /* lose:N — the first N queries of each (name, type) dropped, then forwarded */
};

struct seen { /* lose:N's count per (name, type) */
	char *name;
	int type;
	long count;
	struct seen *next;
};

struct rule {
	char *name;   /* lowercase, no trailing dot */
	int wildcard; /* match strictly below name */
	int type;     /* -1 matches any type */
	enum action act;
	long delay_ms;     /* slow:MS; lose:N's N */
	struct seen *seen; /* lose:N */
};

struct buf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

struct conn {
	struct conn *next;
	int fd;
	unsigned long id; /* for delayed replies; fds recycle */
	struct buf in;
	struct buf out;
	size_t outoff;
	int rdeof;
	int dead;
	int pending; /* delayed replies still owed */
};

/* Where a reply goes. */
struct dest {
	int tcp;
	struct sockaddr_in peer; /* UDP */
	unsigned long connid;    /* TCP */
};

struct delayed {
	struct delayed *next;
	long long due;
	struct dest to;
	struct buf msg;
};

struct query {
	const unsigned char *msg;
	size_t len;
	char *name; /* from ares_expand_name, lowercased */
	int type;
	size_t qend; /* offset past the first question */
};

struct server {
	int udp;
	int tcp;
	struct sockaddr_in upstream;
	struct rule *rules;
	size_t nrules;
	FILE *log;
	struct conn *conns;
	unsigned long nextid;
	struct delayed *delayed;
	unsigned char *udpbuf;
	struct pollfd *pfd;
	struct conn **pconn;
	size_t pcap;
};

static const struct {
	const char *name;
	int type;
} types[] = {
    {"A", 1},     {"NS", 2},    {"CNAME", 5},  {"SOA", 6},    {"PTR", 12},  {"HINFO", 13}, {"MX", 15},
    {"TXT", 16},  {"AAAA", 28}, {"SRV", 33},   {"NAPTR", 35}, {"DS", 43},   {"RRSIG", 46}, {"DNSKEY", 48},
    {"TLSA", 52}, {"SVCB", 64}, {"HTTPS", 65}, {"SPF", 99},   {"ANY", 255}, {"CAA", 257},
};

static const struct {
	const char *name;
	enum action act;
} actions[] = {
    {"forward", ACT_FORWARD},   {"timeout", ACT_TIMEOUT},   {"servfail", ACT_SERVFAIL},
    {"refused", ACT_REFUSED},   {"nxdomain", ACT_NXDOMAIN}, {"nodata", ACT_NODATA},
    {"truncate", ACT_TRUNCATE}, {"tcclose", ACT_TCCLOSE},   {"malformed", ACT_MALFORMED},
    {"wrongid", ACT_WRONGID},   {"wrongq", ACT_WRONGQ},
};

static volatile sig_atomic_t quit;

static void
warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("faultdns: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
buf_reserve(struct buf *b, size_t more)
{
	size_t ncap;
	unsigned char *np;

	if (b->cap - b->len >= more)
		return 0;
	ncap = b->cap ? b->cap : 512;
	while (ncap - b->len < more)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL)
		return -1;
	b->p = np;
	b->cap = ncap;
	return 0;
}

static int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

static void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static void
lowercase(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int
type_from_name(const char *s)
{
	size_t i;
	char *end;
	long v;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(s, types[i].name) == 0)
			return types[i].type;
	if (strncasecmp(s, "TYPE", 4) != 0 || !isdigit((unsigned char)s[4]))
		return -1;
	errno = 0;
	v = strtol(s + 4, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

static void
log_type(FILE *f, int type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].type == type) {
			fputs(types[i].name, f);
			return;
		}
	}
	fprintf(f, "TYPE%d", type);
}

/* Rules file ------------------------------------------------------------ */

static int
parse_action(const char *s, struct rule *r)
{
	size_t i;
	char *end;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcasecmp(s, actions[i].name) == 0) {
			r->act = actions[i].act;
			return 0;
		}
	}
	if ((strncasecmp(s, "slow:", 5) != 0 && strncasecmp(s, "lose:", 5) != 0) ||
	    !isdigit((unsigned char)s[5]))
		return -1;
	errno = 0;
	r->delay_ms = strtol(s + 5, &end, 10);
	if (errno != 0 || *end != '\0' || r->delay_ms > MAX_SLOW_MS)
		return -1;
	r->act = tolower((unsigned char)s[0]) == 's' ? ACT_SLOW : ACT_LOSE;
	return 0;
}

/* "*" is every name below the root, "*.x" every name strictly below x. */
static int
parse_rule_name(const char *s, struct rule *r)
{
	size_t n;

	if (strcmp(s, "*") == 0)
		s = "*.";
	r->wildcard = strncmp(s, "*.", 2) == 0;
	if (r->wildcard)
		s += 2;
	if ((r->name = strdup(s)) == NULL)
		return -1;
	lowercase(r->name);
	n = strlen(r->name);
	if (n > 0 && r->name[n - 1] == '.')
		r->name[n - 1] = '\0';
	return 0;
}

static int
add_rule(struct server *s, const struct rule *r)
{
	struct rule *nr;

	nr = reallocarray(s->rules, s->nrules + 1, sizeof(*nr));
	if (nr == NULL)
		return -1;
	s->rules = nr;
	s->rules[s->nrules++] = *r;
	return 0;
}

/* Returns 1 for a rule, 0 for a blank line, -1 on a syntax error. */
static int
parse_rule_line(char *line, struct rule *r)
{
	char *tok[4], *save = NULL, *p;
	int n = 0;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	for (p = strtok_r(line, " \t\r\n", &save); p != NULL && n < 4; p = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = p;
	if (n == 0)
		return 0;
	if (n != 3)
		return -1;
	memset(r, 0, sizeof(*r));
	if (strcmp(tok[1], "*") == 0)
		r->type = -1;
	else if ((r->type = type_from_name(tok[1])) == -1)
		return -1;
	if (parse_action(tok[2], r) == -1)
		return -1;
	if (parse_rule_name(tok[0], r) == -1)
		return -1;
	return 1;
}

static int
load_rules(struct server *s, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	struct rule r;
	int rc, ret = 0;

	if ((f = fopen(path, "r")) == NULL) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && getline(&line, &cap, f) != -1) {
		lineno++;
		if ((rc = parse_rule_line(line, &r)) == 0)
			continue;
		if (rc == -1) {
			warnx("%s:%lu: bad rule (want NAME TYPE ACTION)", path, lineno);
			free(r.name);
			ret = -1;
		} else if (add_rule(s, &r) == -1) {
			free(r.name);
			ret = -1;
		}
	}
	free(line);
	fclose(f);
	return ret;
}

static int
rule_matches(const struct rule *r, const struct query *q)
{
	size_t nl, sl;

	if (r->type != -1 && r->type != q->type)
		return 0;
	if (!r->wildcard)
		return strcmp(r->name, q->name) == 0;
	nl = strlen(q->name);
	sl = strlen(r->name);
	if (sl == 0)
		return nl > 0;
	if (nl < sl + 2 || q->name[nl - sl - 1] != '.')
		return 0;
	return strcmp(q->name + nl - sl, r->name) == 0;
}

static struct rule *
find_rule(const struct server *s, const struct query *q)
{
	size_t i;

	for (i = 0; i < s->nrules; i++)
		if (rule_matches(&s->rules[i], q))
			return &s->rules[i];
	return NULL;
}

/* Messages -------------------------------------------------------------- */

static int
parse_query(const unsigned char *msg, size_t len, struct query *q)
{
	long enclen;
	size_t n;

	memset(q, 0, sizeof(*q));
	if (len < DNS_HDRLEN || len > DNS_MAXMSG)
		return -1;
	if ((msg[2] & F_QR) || (msg[4] == 0 && msg[5] == 0))
		return -1;
	if (ares_expand_name(msg + DNS_HDRLEN, msg, (int)len, &q->name, &enclen) != ARES_SUCCESS)
		return -1;
	q->qend = DNS_HDRLEN + (size_t)enclen + 4;
	if (q->qend > len) {
		ares_free_string(q->name);
		q->name = NULL;
		return -1;
	}
	lowercase(q->name);
	/* Some c-ares versions keep a trailing dot; rules never have one. */
	n = strlen(q->name);
	if (n > 0 && q->name[n - 1] == '.')
		q->name[n - 1] = '\0';
	q->type = msg[q->qend - 4] << 8 | msg[q->qend - 3];
	q->msg = msg;
	q->len = len;
	return 0;
}

static void
log_query(struct server *s, int tcp, const struct query *q)
{
	if (s->log == NULL)
		return;
	fprintf(s->log, "%s %s ", tcp ? "tcp" : "udp", q->name[0] != '\0' ? q->name : ".");
	log_type(s->log, q->type);
	fputc('\n', s->log);
	/* Flushed before any answer leaves, so a client that got its
	 * answer can count the line. */
	fflush(s->log);
}

/*
 * A locally made answer: the header and first question of the query,
 * with QR set and the given flags, RCODE and answer count.  With an
 * answer count but no answer bytes the packet is deliberately broken.
 */
static int
make_reply(const struct query *q, int flags, int rcode, int ancount, struct buf *out)
{
	unsigned char *p;

	out->len = 0;
	if (buf_add(out, q->msg, q->qend) == -1)
		return -1;
	p = out->p;
	p[2] = (unsigned char)(F_QR | (p[2] & (F_OPC | F_RD)) | flags);
	p[3] = (unsigned char)(rcode & 0x0f);
	p[4] = 0;
	p[5] = 1;
	p[6] = 0;
	p[7] = (unsigned char)ancount;
	memset(p + 8, 0, 4);
	return 0;
}

/* Upstream -------------------------------------------------------------- */

static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int rc;

	pfd.fd = fd;
	pfd.events = ev;
	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		rc = poll(&pfd, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc == -1 && errno != EINTR)
			return -1;
	}
}

static int
send_full(int fd, const unsigned char *p, size_t n, long long deadline)
{
	ssize_t r;

	while (n > 0) {
		if (wait_fd(fd, POLLOUT, deadline) == -1)
			return -1;
		r = send(fd, p, n, MSG_NOSIGNAL);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
recv_full(int fd, unsigned char *p, size_t n, long long deadline)
{
	ssize_t r;

	while (n > 0) {
		if (wait_fd(fd, POLLIN, deadline) == -1)
			return -1;
		r = recv(fd, p, n, 0);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
upstream_socket(const struct server *s, int type)
{
	int fd;

	fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&s->upstream, sizeof(s->upstream)) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
exchange_udp(const struct server *s, const struct query *q, struct buf *ans)
{
	long long deadline = now_ms() + UPSTREAM_MS;
	ssize_t r;
	int fd;

	if ((fd = upstream_socket(s, SOCK_DGRAM)) == -1)
		return -1;
	if (send(fd, q->msg, q->len, 0) != (ssize_t)q->len || buf_reserve(ans, DNS_MAXMSG) == -1) {
		close(fd);
		return -1;
	}
	for (;;) {
		if (wait_fd(fd, POLLIN, deadline) == -1)
			break;
		r = recv(fd, ans->p, DNS_MAXMSG, 0);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r == -1)
			break;
		/* Stray datagrams with another ID are not our answer. */
		if (r >= DNS_HDRLEN && memcmp(ans->p, q->msg, 2) == 0) {
			ans->len = (size_t)r;
			close(fd);
			return 0;
		}
	}
	close(fd);
	return -1;
}

static int
exchange_tcp(const struct server *s, const struct query *q, struct buf *ans)
{
	long long deadline = now_ms() + UPSTREAM_MS;
	unsigned char lenb[2];
	size_t n;
	int fd, ok;

	if ((fd = upstream_socket(s, SOCK_STREAM)) == -1)
		return -1;
	lenb[0] = (unsigned char)(q->len >> 8);
	lenb[1] = (unsigned char)q->len;
	ok = send_full(fd, lenb, 2, deadline) == 0 && send_full(fd, q->msg, q->len, deadline) == 0 &&
	     recv_full(fd, lenb, 2, deadline) == 0;
	n = (size_t)lenb[0] << 8 | lenb[1];
	ok = ok && n >= DNS_HDRLEN && buf_reserve(ans, n) == 0 && recv_full(fd, ans->p, n, deadline) == 0;
	close(fd);
	if (!ok)
		return -1;
	ans->len = n;
	return 0;
}

/* The upstream answer, or SERVFAIL when upstream is silent. */
static int
forward(const struct server *s, const struct query *q, int tcp, struct buf *ans)
{
	int rc;

	ans->len = 0;
	rc = tcp ? exchange_tcp(s, q, ans) : exchange_udp(s, q, ans);
	if (rc == -1) {
		warnx("upstream did not answer %s, sending SERVFAIL", q->name);
		return make_reply(q, 0, R_SERVFAIL, 0, ans);
	}
	memcpy(ans->p, q->msg, 2);
	return 0;
}

/* Replies --------------------------------------------------------------- */

static struct conn *
find_conn(const struct server *s, unsigned long id)
{
	struct conn *c;

	for (c = s->conns; c != NULL; c = c->next)
		if (c->id == id && !c->dead)
			return c;
	return NULL;
}

static void
conn_flush(struct conn *c)
{
	ssize_t r;

	while (c->outoff < c->out.len) {
		r = send(c->fd, c->out.p + c->outoff, c->out.len - c->outoff, MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		if (r <= 0) {
			c->dead = 1;
			return;
		}
		c->outoff += (size_t)r;
	}
	c->out.len = c->outoff = 0;
}

static void
send_reply(struct server *s, const struct dest *to, const struct buf *m)
{
	unsigned char lenb[2];
	struct conn *c;

	if (!to->tcp) {
		if (sendto(s->udp, m->p, m->len, 0, (const struct sockaddr *)&to->peer, sizeof(to->peer)) ==
		    -1)
			warnx("sendto: %s", strerror(errno));
		return;
	}
	if ((c = find_conn(s, to->connid)) == NULL)
		return;
	lenb[0] = (unsigned char)(m->len >> 8);
	lenb[1] = (unsigned char)m->len;
	if (buf_add(&c->out, lenb, 2) == -1 || buf_add(&c->out, m->p, m->len) == -1) {
		c->dead = 1;
		return;
	}
	conn_flush(c);
}

static void
queue_reply(struct server *s, const struct dest *to, struct buf *m, long delay_ms)
{
	struct delayed *d;
	struct conn *c;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		warnx("out of memory, dropping a slow reply");
		return;
	}
	d->due = now_ms() + delay_ms;
	d->to = *to;
	d->msg = *m; /* takes the buffer */
	memset(m, 0, sizeof(*m));
	d->next = s->delayed;
	s->delayed = d;
	if (to->tcp && (c = find_conn(s, to->connid)) != NULL)
		c->pending++;
}

static void
run_due(struct server *s)
{
	struct delayed **dp = &s->delayed, *d;
	struct conn *c;
	long long now = now_ms();

	while ((d = *dp) != NULL) {
		if (d->due > now) {
			dp = &d->next;
			continue;
		}
		*dp = d->next;
		send_reply(s, &d->to, &d->msg);
		if (d->to.tcp && (c = find_conn(s, d->to.connid)) != NULL)
			c->pending--;
		buf_free(&d->msg);
		free(d);
	}
}

static int
next_timeout(const struct server *s)
{
	const struct delayed *d;
	long long first = -1, left;

	for (d = s->delayed; d != NULL; d = d->next)
		if (first == -1 || d->due < first)
			first = d->due;
	if (first == -1)
		return -1;
	left = first - now_ms();
	return left < 0 ? 0 : (int)left;
}

/* Queries --------------------------------------------------------------- */

static int
answer(struct server *s, const struct query *q, const struct dest *to, enum action act, long delay_ms)
{
	struct buf m = {0};
	int rc = 0;

	switch (act) {
	case ACT_TIMEOUT:
		return 0;
	case ACT_SERVFAIL:
		rc = make_reply(q, 0, R_SERVFAIL, 0, &m);
		break;
	case ACT_REFUSED:
		rc = make_reply(q, 0, R_REFUSED, 0, &m);
		break;
	case ACT_NXDOMAIN:
		rc = make_reply(q, F_AA, R_NXDOMAIN, 0, &m);
		break;
	case ACT_NODATA:
		rc = make_reply(q, F_AA, R_NOERROR, 0, &m);
		break;
	case ACT_MALFORMED:
		rc = make_reply(q, F_AA, R_NOERROR, 1, &m);
		break;
	case ACT_TRUNCATE:
		/* Over TCP the client did what TC asked: give it all. */
		if (to->tcp)
			rc = forward(s, q, 1, &m);
		else
			rc = make_reply(q, F_AA | F_TC, R_NOERROR, 0, &m);
		break;
	case ACT_TCCLOSE: {
		struct conn *c;
		if (!to->tcp) {
			rc = make_reply(q, F_AA | F_TC, R_NOERROR, 0, &m);
			break;
		}
		/* the client came back over TCP as TC asked: hang up on it */
		if ((c = find_conn(s, to->connid)) != NULL)
			c->dead = 1;
		return 0;
	}
	case ACT_WRONGID:
		/* what a spoofer or a confused middlebox sends: a client must drop it */
		if ((rc = forward(s, q, to->tcp, &m)) == 0 && m.len >= 2)
			m.p[0] ^= 0x5a;
		break;
	case ACT_WRONGQ:
		/* the answer with the first letter of the question name changed */
		if ((rc = forward(s, q, to->tcp, &m)) == 0 && m.len > 13)
			m.p[13] = m.p[13] == 'z' ? 'y' : 'z';
		break;
	case ACT_SLOW:
		/* The upstream exchange is quick; only delivery waits. */
		if ((rc = forward(s, q, to->tcp, &m)) == 0)
			queue_reply(s, to, &m, delay_ms);
		buf_free(&m);
		return rc;
	case ACT_LOSE: /* decided in handle_query: this one goes through */
	case ACT_FORWARD:
		rc = forward(s, q, to->tcp, &m);
		break;
	}
	if (rc == 0)
		send_reply(s, to, &m);
	buf_free(&m);
	return rc;
}

/* lose:N: whether this query of (name, type) is one of its first N. */
static int
lose_this(struct rule *r, const struct query *q)
{
	struct seen *e;

	for (e = r->seen; e != NULL; e = e->next)
		if (e->type == q->type && strcasecmp(e->name, q->name) == 0)
			break;
	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL || (e->name = strdup(q->name)) == NULL) {
			free(e);
			return 0;
		}
		e->type = q->type;
		e->next = r->seen;
		r->seen = e;
	}
	return e->count++ < r->delay_ms;
}

static void
handle_query(struct server *s, const unsigned char *msg, size_t len, const struct dest *to)
{
	struct query q;
	struct rule *r;

	if (parse_query(msg, len, &q) == -1) {
		warnx("ignoring an unparseable %zu-byte %s message", len, to->tcp ? "tcp" : "udp");
		return;
	}
	log_query(s, to->tcp, &q);
	r = find_rule(s, &q);
	if (r != NULL && r->act == ACT_LOSE && lose_this(r, &q)) {
		ares_free_string(q.name);
		return;
	}
	if (answer(s, &q, to, r ? r->act : ACT_FORWARD, r ? r->delay_ms : 0) == -1)
		warnx("out of memory answering %s", q.name);
	ares_free_string(q.name);
}

/* UDP and TCP ----------------------------------------------------------- */

static void
udp_readable(struct server *s)
{
	struct dest to;
	socklen_t sl;
	ssize_t r;
	int i;

	for (i = 0; i < UDP_BURST; i++) {
		memset(&to, 0, sizeof(to));
		sl = sizeof(to.peer);
		r = recvfrom(s->udp, s->udpbuf, DNS_MAXMSG, 0, (struct sockaddr *)&to.peer, &sl);
		if (r == -1)
			return;
		handle_query(s, s->udpbuf, (size_t)r, &to);
	}
}

static void
tcp_accept(struct server *s)
{
	struct conn *c;
	int fd;

	while ((fd = accept4(s->tcp, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			return;
		}
		c->fd = fd;
		c->id = ++s->nextid;
		c->next = s->conns;
		s->conns = c;
	}
}

/* Answer every complete length-prefixed message in the input. */
static void
conn_process(struct server *s, struct conn *c)
{
	struct dest to;
	size_t off = 0, n;

	memset(&to, 0, sizeof(to));
	to.tcp = 1;
	to.connid = c->id;
	while (c->in.len - off >= 2) {
		n = (size_t)c->in.p[off] << 8 | c->in.p[off + 1];
		if (c->in.len - off - 2 < n)
			break;
		handle_query(s, c->in.p + off + 2, n, &to);
		off += 2 + n;
	}
	memmove(c->in.p, c->in.p + off, c->in.len - off);
	c->in.len -= off;
}

static void
conn_readable(struct server *s, struct conn *c)
{
	ssize_t r;

	for (;;) {
		if (buf_reserve(&c->in, 4096) == -1) {
			c->dead = 1;
			return;
		}
		r = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			break;
		if (r == -1) {
			c->dead = 1;
			return;
		}
		if (r == 0) {
			c->rdeof = 1;
			break;
		}
		c->in.len += (size_t)r;
	}
	conn_process(s, c);
}

static void
conn_free(struct conn *c)
{
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

/* A half-closed client still gets the answers it is owed. */
static void
reap_conns(struct server *s)
{
	struct conn **cp = &s->conns, *c;

	while ((c = *cp) != NULL) {
		if (c->dead || (c->rdeof && c->out.len == 0 && c->pending == 0)) {
			*cp = c->next;
			conn_free(c);
		} else
			cp = &c->next;
	}
}

static void
conn_event(struct server *s, struct conn *c, short revents)
{
	if (revents & POLLOUT)
		conn_flush(c);
	if (c->dead)
		return;
	/* Input all read and the peer gone: nobody to answer. */
	if (c->rdeof && (revents & (POLLHUP | POLLERR))) {
		c->dead = 1;
		return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR))
		conn_readable(s, c);
}

static int
build_pollfds(struct server *s)
{
	struct conn *c;
	size_t n = 2, i;
	void *p;

	for (c = s->conns; c != NULL; c = c->next)
		n++;
	if (n > s->pcap) {
		if ((p = reallocarray(s->pfd, n, sizeof(*s->pfd))) == NULL)
			return -1;
		s->pfd = p;
		if ((p = reallocarray(s->pconn, n, sizeof(*s->pconn))) == NULL)
			return -1;
		s->pconn = p;
		s->pcap = n;
	}
	s->pfd[0] = (struct pollfd){.fd = s->udp, .events = POLLIN};
	s->pfd[1] = (struct pollfd){.fd = s->tcp, .events = POLLIN};
	for (i = 2, c = s->conns; c != NULL; c = c->next, i++) {
		s->pconn[i] = c;
		s->pfd[i].fd = c->fd;
		s->pfd[i].events = c->rdeof ? 0 : POLLIN;
		if (c->out.len > 0)
			s->pfd[i].events |= POLLOUT;
		s->pfd[i].revents = 0;
	}
	return (int)n;
}

static int
serve(struct server *s, const sigset_t *waitmask)
{
	struct timespec ts, *tsp;
	int n, i, ms;

	while (!quit) {
		if ((n = build_pollfds(s)) == -1)
			return -1;
		ms = next_timeout(s);
		tsp = NULL;
		if (ms >= 0) {
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (long)(ms % 1000) * 1000000;
			tsp = &ts;
		}
		/* ppoll so a signal cannot slip in before we sleep. */
		if (ppoll(s->pfd, (nfds_t)n, tsp, waitmask) == -1) {
			if (errno == EINTR)
				continue;
			warnx("ppoll: %s", strerror(errno));
			return -1;
		}
		if (s->pfd[0].revents)
			udp_readable(s);
		if (s->pfd[1].revents)
			tcp_accept(s);
		for (i = 2; i < n; i++)
			conn_event(s, s->pconn[i], s->pfd[i].revents);
		run_due(s);
		reap_conns(s);
	}
	return 0;
}

/* Setup ----------------------------------------------------------------- */

static int
listen_socket(int type, int port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (type == SOCK_STREAM)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &sl) == -1)
		return -1;
	return ntohs(sin.sin_port);
}

/* Port 0: let the kernel pick a UDP port, then try TCP on the same one. */
static int
bind_both(struct server *s, int port)
{
	int tries, p;

	for (tries = 0; tries < 100; tries++) {
		if ((s->udp = listen_socket(SOCK_DGRAM, port)) == -1)
			return -1;
		if ((p = bound_port(s->udp)) == -1)
			break;
		if ((s->tcp = listen_socket(SOCK_STREAM, p)) != -1)
			return p;
		close(s->udp);
		s->udp = -1;
		if (port != 0)
			return -1;
	}
	if (s->udp != -1)
		close(s->udp);
	s->udp = -1;
	return -1;
}

static int
parse_upstream(const char *arg, struct sockaddr_in *sin)
{
	char *copy, *colon, *end;
	long port;
	int ok;

	if ((copy = strdup(arg)) == NULL)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	colon = strrchr(copy, ':');
	ok = colon != NULL;
	if (ok) {
		*colon = '\0';
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		ok = errno == 0 && *end == '\0' && port > 0 && port < 65536 &&
		     inet_pton(AF_INET, copy, &sin->sin_addr) == 1;
		sin->sin_port = htons((uint16_t)(ok ? port : 0));
	}
	free(copy);
	return ok ? 0 : -1;
}

static void
server_free(struct server *s)
{
	struct conn *c;
	struct delayed *d;
	size_t i;

	while ((c = s->conns) != NULL) {
		s->conns = c->next;
		conn_free(c);
	}
	while ((d = s->delayed) != NULL) {
		s->delayed = d->next;
		buf_free(&d->msg);
		free(d);
	}
	for (i = 0; i < s->nrules; i++)
		free(s->rules[i].name);
	free(s->rules);
	free(s->udpbuf);
	free(s->pfd);
	free(s->pconn);
	if (s->log != NULL)
		fclose(s->log);
	if (s->udp != -1)
		close(s->udp);
	if (s->tcp != -1)
		close(s->tcp);
}

static void
usage(void)
{
	fprintf(stderr, "usage: faultdns -u IP:PORT [-r rules] [-l querylog] "
	                "[-p port]\n");
	exit(2);
}

static int
parse_args(int argc, char *argv[], struct server *s, const char **rules, const char **logp, int *port)
{
	char *end;
	long v;
	int ch, have_up = 0;

	while ((ch = getopt(argc, argv, "u:r:l:p:")) != -1) {
		switch (ch) {
		case 'u':
			if (parse_upstream(optarg, &s->upstream) == -1) {
				warnx("bad upstream %s (want IP:PORT)", optarg);
				return -1;
			}
			have_up = 1;
			break;
		case 'r':
			*rules = optarg;
			break;
		case 'l':
			*logp = optarg;
			break;
		case 'p':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 0 || v > 65535)
				usage();
			*port = (int)v;
			break;
		default:
			usage();
		}
	}
	if (!have_up || optind != argc)
		usage();
	return 0;
}

static int
setup(struct server *s, const char *rules, const char *logp, int port)
{
	if (rules != NULL && load_rules(s, rules) == -1)
		return -1;
	if (logp != NULL && (s->log = fopen(logp, "a")) == NULL) {
		warnx("%s: %s", logp, strerror(errno));
		return -1;
	}
	if ((s->udpbuf = malloc(DNS_MAXMSG)) == NULL)
		return -1;
	if ((port = bind_both(s, port)) == -1) {
		warnx("cannot bind 127.0.0.1 UDP+TCP: %s", strerror(errno));
		return -1;
	}
	printf("PORT %d\n", port);
	fflush(stdout);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct server s;
	struct sigaction sa;
	sigset_t block, waitmask;
	const char *rules = NULL, *logp = NULL;
	int port = 0, rc = 1;

	memset(&s, 0, sizeof(s));
	s.udp = s.tcp = -1;
	/* Signals are only delivered inside ppoll(), where we can act. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (parse_args(argc, argv, &s, &rules, &logp, &port) == 0 && setup(&s, rules, logp, port) == 0 &&
	    serve(&s, &waitmask) == 0)
		rc = 0;
	server_free(&s);
	return rc;
}
