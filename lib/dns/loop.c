/*
 * loop.c — the event loop: one c-ares channel driven by poll().
 *
 * Owns the channel and the sockets c-ares asks us to watch, sends the
 * queries the cache queued (at most max_in_flight on the wire at once, so a
 * large run does not flood the one UDP socket), and hands each answer to the
 * wire parser and then to the cache (aa_dns_answered).  The resolver's
 * lifetime (aa_resolver_new/free) and its counters live here too.
 */
#include "dns/resolver_int.h"
#include "dns/wire.h"
#include "util/util.h"

#include <ares.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EDNS_SIZE 1232

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen);
/* the c-ares callback argument of one query on the wire */
struct inflight {
	aa_resolver *res;
	aa_rrset *rs;
	int tcp;                        /* on the TCP channel (the UDP answer was truncated) */
	int busy;                       /* sent while at least AA_DNS_BUSY queries were on the wire */
	int attempts;                   /* times asked so far (each a full c-ares query) */
	unsigned long seq;              /* sent as the seq-th query */
	struct inflight *next;          /* on the resend list */
	long long sent_ms;              /* when it went on the wire */
	struct inflight *wprev, *wnext; /* the wire list, oldest first (hedging) */
	struct inflight *twin;          /* the other query of a hedged pair, while both are out */
	int is_twin;                    /* sent as the twin of another (twin: that one) */
	int hedged;                     /* of a hedged pair: no round-trip sample from it */
	int superseded;                 /* its twin's answer was taken: drop whatever comes */
};

/*
 * Pacing.  A burst of queries larger than the server's receive buffer is
 * lost, and a lost query costs a whole timeout.  The number of queries on
 * the wire is therefore a window, as in TCP's congestion control: from 64
 * it grows by one per answer (doubling per round trip) up to 256 or the
 * first loss, then by one per window's worth of answers, up to
 * max_in_flight; it halves (not below AA_DNS_MIN_WINDOW, once per round of
 * sends) when a query sent under load times out.  (A local knotd's default
 * receive buffer holds about 200 queries: measured with make bench, 64/256
 * lost a ninth of what 128 and no slow-start limit did, at 1.4 times the
 * domains per second.)  Such a query is loss caused by our own pace, not
 * the name's servers failing: it is asked again, up to AA_DNS_LOSS_RETRIES
 * more times, before it counts as a timeout.  A query that times out while
 * few are on the wire keeps the plain behaviour (the configured tries), so
 * a dead server is not asked more.
 *
 * Hedging.  A lost query costs a whole --timeout (2 s) before it is asked
 * again, and its audit waits that long.  So a query sent under load (or in
 * a loss episode) that is not answered within a few round trips (the RTO,
 * from a smoothed round-trip time as in RFC 6298) is sent once more while
 * the first stays out; the first answer of the two is taken and the other
 * dropped.  The twin counts as one of the query's tries.  Twins are sent
 * right after the socket was read (an answer waiting unread is no loss),
 * may go past the window (each stands in for a query most likely lost),
 * and count as a loss event for the window, as a timeout does: without
 * that the window grew while twins hid the loss, and a 10,000-domain
 * batch sent 7,000-12,000 twins.  A query whose twin's answer was taken
 * stops counting as on the wire at once (c-ares keeps it until its
 * timeout; it cannot cancel one query).  A twin that is late in its turn
 * is replaced by a new one (the original stays out: a slow answer to it is
 * still taken), up to the query's tries; a twin lost too no longer costs
 * a whole timeout.
 */
#define AA_DNS_BUSY 64
#define AA_DNS_MIN_WINDOW 16
#define AA_DNS_START_WINDOW 64
#define AA_DNS_SSTHRESH 256 /* slow start ends here at the latest */
#define AA_DNS_LOSS_RETRIES 3
#define AA_DNS_EPISODE_MS 10000
#define AA_DNS_RTO_MIN_MS 20
#define AA_DNS_RTO_START_MS 250
/* the UDP socket's receive buffer (below, aa_resolver_new) */
#define AA_DNS_RCVBUF (4 << 20)

/* ---- the resolver list ------------------------------------------------ */

/* Every ":PORT" in "ADDR[:PORT][,...]" is 1-65535.  c-ares reads the port
 * with no range check (":0" and ":65536" become some other port, and the
 * run then fails every query as if the resolver were down), so an
 * out-of-range port is refused here, before anything is asked. */
static int
resolver_ports_ok(const char *csv)
{
	const char *p = csv;

	while (*p != '\0') {
		const char *end = strchr(p, ','), *port = NULL;
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len > 0 && p[0] == '[') { /* [IPv6]:PORT */
			const char *rb = memchr(p, ']', len);
			if (rb != NULL && (size_t)(rb - p) + 1 < len && rb[1] == ':')
				port = rb + 2;
		} else {
			const char *c1 = memchr(p, ':', len);
			/* one colon: IPv4:PORT; more: a bare IPv6 address */
			if (c1 != NULL && memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p)) == NULL)
				port = c1 + 1;
		}
		if (port != NULL) {
			size_t plen = len - (size_t)(port - p), i;
			unsigned long v = 0;
			if (plen == 0 || plen > 5)
				return 0;
			for (i = 0; i < plen; i++) {
				if (port[i] < '0' || port[i] > '9')
					return 0;
				v = v * 10 + (unsigned long)(port[i] - '0');
			}
			if (v < 1 || v > 65535)
				return 0;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 1;
}

/* ---- sockets ---------------------------------------------------------- */

static void
sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct aa_chan_ref *ref = data;
	aa_resolver *res = ref->res;
	size_t i;

	for (i = 0; i < res->nfds; i++)
		if (res->fds[i].fd == fd && res->fdchan[i] == ref->which)
			break;
	if (!readable && !writable) {
		if (i < res->nfds) {
			res->fds[i] = res->fds[--res->nfds];
			res->fdchan[i] = res->fdchan[res->nfds];
		}
		return;
	}
	if (i == res->nfds) {
		/* c-ares offers no way to fail here; on OOM the query times out */
		if (aa_grow(&res->fds, &res->capfds, res->nfds + 1, sizeof(*res->fds)) != AA_OK ||
		    aa_grow(&res->fdchan, &res->capfdchan, res->nfds + 1, sizeof(*res->fdchan)) != AA_OK)
			return;
		res->nfds++;
		res->fds[i].fd = fd;
		res->fdchan[i] = ref->which;
	}
	res->fds[i].events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
	res->fds[i].revents = 0;
}

aa_status
aa_resolver_new(const aa_options *opt, aa_resolver **out)
{
	struct ares_options ao;
	aa_resolver *res;
	int mask;

	*out = NULL;
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
		return AA_ENOMEM;
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return AA_ENOMEM;
	if ((res->cache = aa_recordset_new()) == NULL)
		goto nomem;
	res->max_in_flight = opt->max_inflight > 0 ? (size_t)opt->max_inflight : 4096;
	res->window = res->max_in_flight < AA_DNS_START_WINDOW ? res->max_in_flight : AA_DNS_START_WINDOW;
	res->ssthresh = res->max_in_flight < AA_DNS_SSTHRESH ? res->max_in_flight : AA_DNS_SSTHRESH;
	aa_dns_cache_init(res, opt->cache_bytes);

	memset(&ao, 0, sizeof(ao));
	res->refs[AA_CH_UDP].res = res->refs[AA_CH_TCP].res = res;
	res->refs[AA_CH_UDP].which = AA_CH_UDP;
	res->refs[AA_CH_TCP].which = AA_CH_TCP;
	ao.sock_state_cb = sock_state;
	ao.sock_state_cb_data = &res->refs[AA_CH_UDP];
	ao.timeout = opt->timeout_ms > 0 ? opt->timeout_ms : 2000;
	/* one try per c-ares query: retries are ours (pacing, above) */
	res->tries = opt->tries > 0 ? opt->tries : 2;
	res->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 2000;
	ao.tries = 1;
	/* NOCHECKRESP: without it c-ares reports SERVFAIL and REFUSED as
	 * ECONNREFUSED, and the outcome class is what the audit is about */
	ao.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP |
	           ARES_FLAG_IGNTC;
	ao.ednspsz = EDNS_SIZE;
	/* thousands of answers can arrive between two polls on the one UDP
	 * socket c-ares 1.18 uses per server: the default buffer (~200 KiB,
	 * about 270 datagrams) drops them; the kernel caps this at rmem_max */
	ao.socket_receive_buffer_size = AA_DNS_RCVBUF;
	mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
	       ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_RCVBUF;
	if (ares_init_options(&res->ch, &ao, mask) != ARES_SUCCESS) {
		aa_resolver_free(res);
		return AA_ERESOLVER;
	}
	res->channel_ok = 1;
	/* UDP queries and answers in batches (udpio.c); without the memory
	 * for it, c-ares does its own I/O, one system call per datagram */
	if ((res->udpio = aa_udpio_new(AA_DNS_RCVBUF)) != NULL)
		aa_udpio_install(res->udpio, res->ch);
	ao.flags = (ao.flags & ~ARES_FLAG_IGNTC) | ARES_FLAG_USEVC;
	ao.sock_state_cb_data = &res->refs[AA_CH_TCP];
	if (ares_init_options(&res->tcp, &ao, mask) != ARES_SUCCESS) {
		aa_resolver_free(res);
		return AA_ERESOLVER;
	}
	res->tcp_ok = 1;
	if (opt->resolvers != NULL &&
	    (opt->resolvers[0] == '\0' || !resolver_ports_ok(opt->resolvers) ||
	     ares_set_servers_ports_csv(res->ch, opt->resolvers) != ARES_SUCCESS ||
	     ares_set_servers_ports_csv(res->tcp, opt->resolvers) != ARES_SUCCESS)) {
		aa_resolver_free(res);
		return AA_ERESOLVER;
	}
	*out = res;
	return AA_OK;
nomem:
	aa_resolver_free(res);
	return AA_ENOMEM;
}

void
aa_resolver_free(aa_resolver *res)
{
	aa_waiter *w, *next;
	size_t i;

	if (res == NULL)
		return;
	/* Destroying the channel runs every pending callback with
	 * ARES_EDESTRUCTION while the cache is still alive. */
	if (res->channel_ok)
		ares_destroy(res->ch);
	if (res->tcp_ok)
		ares_destroy(res->tcp);
	aa_udpio_free(res->udpio); /* after ch: it closes its sockets through it */
	for (w = res->ready_head; w != NULL; w = next) {
		next = w->next;
		free(w);
	}
	while (res->resend_head != NULL) {
		struct inflight *q = res->resend_head;
		res->resend_head = q->next;
		aa_rrset_unref(q->rs);
		free(q);
	}
	if (res->cache != NULL) {
		for (i = 0; i < aa_recordset_count(res->cache); i++) {
			aa_rrset *rs = aa_recordset_at(res->cache, i);
			for (w = rs->waiters; w != NULL; w = next) {
				next = w->next;
				free(w);
			}
			rs->waiters = NULL;
		}
		aa_dns_cache_detach(res);
	}
	aa_recordset_free(res->cache);
	free(res->fds);
	free(res->fdchan);
	free(res->ready_fds);
	free(res->ready_chan);
	free(res);
	ares_library_cleanup();
}

/* ---- sending ---------------------------------------------------------- */

/* The wire list: every UDP query out, oldest first. */
static void
wire_link(aa_resolver *res, struct inflight *q)
{
	q->wnext = NULL;
	q->wprev = res->wire_tail;
	if (res->wire_tail != NULL)
		res->wire_tail->wnext = q;
	else
		res->wire_head = q;
	res->wire_tail = q;
}

static void
wire_unlink(aa_resolver *res, struct inflight *q)
{
	if (q->wprev != NULL)
		q->wprev->wnext = q->wnext;
	else if (res->wire_head == q)
		res->wire_head = q->wnext;
	else
		return; /* not on it */
	if (q->wnext != NULL)
		q->wnext->wprev = q->wprev;
	else
		res->wire_tail = q->wprev;
	q->wprev = q->wnext = NULL;
}

static struct inflight *
send_query(aa_resolver *res, aa_rrset *rs, int attempts, int tcp, int busy)
{
	struct inflight *q = calloc(1, sizeof(*q));

	if (q == NULL) {
		if (attempts == 0) { /* a twin or a retry just does not happen */
			rs->outcome = AA_OUT_NETERR;
			aa_dns_make_ready(res, rs);
		}
		return NULL;
	}
	q->res = res;
	q->rs = aa_rrset_ref(rs); /* kept until its answer (or its twin's) is in */
	q->tcp = tcp;
	/* once lost under load, its retries count as such too */
	q->busy = busy || res->in_flight >= AA_DNS_BUSY;
	q->attempts = attempts + 1;
	q->seq = ++res->sent_seq;
	res->in_flight++;
	if (attempts == 0)
		res->stats.queries_sent++;
	if (res->in_flight > res->stats.max_in_flight)
		res->stats.max_in_flight = res->in_flight;
	q->sent_ms = aa_dns_now_ms();
	if (!tcp)
		wire_link(res, q);
	ares_query(tcp ? res->tcp : res->ch, rs->name, 1 /* IN */, (int)rs->type, on_answer, q);
	return q;
}

void
aa_dns_pump_queue(aa_resolver *res)
{
	/* queries lost to our pace go first, at the pace the loss left */
	while (res->resend_head != NULL && res->in_flight < res->window) {
		struct inflight *q = res->resend_head;
		res->resend_head = q->next;
		if (res->resend_head == NULL)
			res->resend_tail = NULL;
		(void)send_query(res, q->rs, q->attempts, q->tcp, q->busy);
		aa_rrset_unref(q->rs);
		free(q);
	}
	while (res->queue_head != NULL && res->in_flight < res->window) {
		aa_rrset *rs = res->queue_head;
		res->queue_head = rs->queue_next;
		if (res->queue_head == NULL)
			res->queue_tail = NULL;
		rs->queue_next = NULL;
		(void)send_query(res, rs, 0, 0, 0);
	}
	/* what this round sent leaves now, in one system call */
	aa_udpio_flush(res->udpio);
}

long long
aa_dns_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* q was lost to our pace (it timed out, or got a twin): the window halves,
 * once per loss event — queries sent before the last cut were lost to the
 * pace that cut already answered — and a loss episode starts. */
static void
loss_event(aa_resolver *res, const struct inflight *q, long long now)
{
	if (q->seq > res->cut_seq) {
		res->window /= 2;
		if (res->window < AA_DNS_MIN_WINDOW)
			res->window = AA_DNS_MIN_WINDOW;
		res->ssthresh = res->window;
		res->cut_seq = res->sent_seq;
	}
	if (q->busy)
		res->loss_until = now + AA_DNS_EPISODE_MS;
}

/* q timed out: ask again (1), or 0 when its tries are used up.  Sent under
 * load, or during a loss episode (AA_DNS_EPISODE_MS after the last such
 * loss: what is sent while the window recovers is at the same risk), it
 * was probably lost to our pace: the window halves and it gets
 * AA_DNS_LOSS_RETRIES more tries. */
static int
retry(aa_resolver *res, struct inflight *q)
{
	long long now = aa_dns_now_ms();
	int lost = q->busy || now < res->loss_until;
	int limit = res->tries + (lost ? AA_DNS_LOSS_RETRIES : 0);

	if (q->attempts >= limit)
		return 0;
	if (lost) {
		loss_event(res, q, now);
		q->busy = 1;
		res->stats.loss_retries++;
	}
	q->next = NULL;
	if (res->resend_tail != NULL)
		res->resend_tail->next = q;
	else
		res->resend_head = q;
	res->resend_tail = q;
	return 1;
}

void
aa_resolver_stats(const aa_resolver *res, aa_stats *st)
{
	*st = res->stats;
	st->cache_entries = aa_recordset_count(res->cache);
	st->cache_bytes = res->cache_total;
}

/* ---- answers ---------------------------------------------------------- */

/* A round-trip sample (RFC 6298 2.2-2.3, in ms). */
static void
rtt_sample(aa_resolver *res, double r)
{
	if (res->srtt_ms <= 0) {
		res->srtt_ms = r;
		res->rttvar_ms = r / 2;
		return;
	}
	res->rttvar_ms =
	    0.75 * res->rttvar_ms + 0.25 * (r > res->srtt_ms ? r - res->srtt_ms : res->srtt_ms - r);
	res->srtt_ms = 0.875 * res->srtt_ms + 0.125 * r;
}

/* The time after which an unanswered query under load gets a twin. */
static long long
rto_ms(const aa_resolver *res)
{
	long long rto =
	    res->srtt_ms > 0 ? (long long)(res->srtt_ms + 4 * res->rttvar_ms) : AA_DNS_RTO_START_MS;

	if (rto < AA_DNS_RTO_MIN_MS)
		rto = AA_DNS_RTO_MIN_MS;
	if (rto > res->timeout_ms / 2)
		rto = res->timeout_ms / 2;
	return rto;
}

/* q's own answer came (or its twin timed out): the pair is undone.  With
 * supersede, q's answer is taken and the twin is done with: c-ares cannot
 * cancel one query, so the twin stays with c-ares until its answer or
 * timeout, but it leaves the wire list and the count of queries on the
 * wire now — most likely it was lost, and held there it would shrink the
 * window for a whole --timeout. */
static void
untwin(aa_resolver *res, struct inflight *q, int supersede)
{
	struct inflight *t = q->twin;

	if (t == NULL)
		return;
	t->twin = NULL;
	q->twin = NULL;
	if (supersede) {
		t->superseded = 1;
		wire_unlink(res, t);
		res->in_flight--;
	}
}

/* A superseded query's answer or timeout: nothing is left to do. */
static void
drop(struct inflight *q)
{
	aa_rrset_unref(q->rs);
	free(q);
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct inflight *q = arg;
	aa_resolver *res = q->res;
	aa_rrset *rs = q->rs;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION) {
		aa_rrset_unref(rs);
		free(q);
		return;
	}
	wire_unlink(res, q);
	if (q->superseded) { /* its twin's answer was taken: no longer counted */
		drop(q);
		return;
	}
	/* truncated over UDP: ask again over TCP, on the TCP channel */
	if (!q->tcp && (status == ARES_SUCCESS || status == ARES_ENODATA) && abuf != NULL && alen >= 3 &&
	    (abuf[2] & 0x02) != 0) {
		untwin(res, q, 1); /* the server answered: this one goes on */
		q->tcp = 1;
		ares_query(res->tcp, rs->name, 1 /* IN */, (int)rs->type, on_answer, q);
		return;
	}
	if (status == ARES_ETIMEOUT) {
		if (q->twin != NULL) { /* the twin is still out: it carries on */
			untwin(res, q, 0);
			res->in_flight--;
			drop(q);
			return;
		}
		res->in_flight--;
		if (retry(res, q))
			return;
	} else {
		untwin(res, q, 1);
		res->in_flight--;
		if (!q->tcp && !q->hedged && q->attempts == 1)
			rtt_sample(res, (double)(aa_dns_now_ms() - q->sent_ms));
	}
	free(q);
	/* slow start until the first loss, then one more per window */
	if (status != ARES_ETIMEOUT && res->window < res->max_in_flight &&
	    (res->window < res->ssthresh || ++res->acked >= res->window)) {
		res->window++;
		res->acked = 0;
	}
	rs->outcome = aa_dns_status_outcome(status);
	if (abuf != NULL && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND)) {
		aa_outcome o = aa_dns_parse_message(rs, abuf, alen);
		/* NXDOMAIN keeps its class even when a CNAME led there */
		if (status == ARES_SUCCESS || o == AA_OUT_MALFORMED || o == AA_OUT_CNAME_LOOP)
			rs->outcome = o;
	}
	aa_dns_answered(res, rs);
	aa_rrset_unref(rs);
}

/* Twins for the queries under load that are past the RTO; the time until
 * the next one is due (ms), or -1.  With send 0 it only says when.  Run
 * right after the socket was read: an answer already in its buffer but
 * not yet read (while the audits' own work ran) is not taken for a loss.
 * A twin may go past the window: it stands in for a query that is, by
 * then, most likely lost, and still holds its place on the wire. */
static int
hedge(aa_resolver *res, int send)
{
	long long now = aa_dns_now_ms(), rto = rto_ms(res);
	int limit = res->tries + AA_DNS_LOSS_RETRIES;
	struct inflight *q, *next;

	for (q = res->wire_head; q != NULL; q = next) {
		struct inflight *orig, *twin;

		next = q->wnext;
		/* an original whose twin is out waits on its twin: the twin is
		 * the one to hedge, once it is late too */
		if (q->superseded || (q->twin != NULL && !q->is_twin))
			continue;
		orig = q->twin != NULL ? q->twin : q;
		if (orig->attempts >= limit || !(q->busy || now < res->loss_until))
			continue;
		if (now - q->sent_ms < rto) /* the rest are younger */
			return (int)(q->sent_ms + rto - now);
		if (!send)
			return 0;
		/* a twin is sent for a query most likely lost: the pace
		 * answers it as it answers a timeout */
		loss_event(res, q, now);
		if ((twin = send_query(res, orig->rs, orig->attempts, 0, 1)) == NULL)
			return -1;
		if (q != orig) /* a late twin: the new one takes its place */
			untwin(res, orig, 1);
		orig->attempts = twin->attempts;
		orig->hedged = twin->hedged = 1;
		twin->is_twin = 1;
		orig->twin = twin;
		twin->twin = orig;
		res->stats.hedges++;
	}
	return -1;
}

/* Answers read ahead on a UDP socket (udpio.c) are marked readable, as
 * poll() would mark them had they stayed in the kernel; the number marked. */
static int
mark_read_ahead(aa_resolver *res)
{
	size_t i;
	int n = 0;

	for (i = 0; i < res->nfds; i++)
		if (res->fdchan[i] == AA_CH_UDP && aa_udpio_buffered(res->udpio, res->fds[i].fd)) {
			res->fds[i].revents |= POLLIN;
			n++;
		}
	return n;
}

/* ---- the loop --------------------------------------------------------- */

aa_status
aa_resolver_wait(aa_resolver *res, int max_ms)
{
	struct timeval tv, *tvp;
	size_t i, n;
	int ms, rc;

	int due = hedge(res, 0);

	tvp = ares_timeout(res->ch, NULL, &tv);
	tvp = ares_timeout(res->tcp, tvp, &tv);
	ms = tvp == NULL ? -1 : (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
	if (due >= 0 && (ms < 0 || due < ms))
		ms = due;
	if (max_ms >= 0 && (ms < 0 || max_ms < ms))
		ms = max_ms;
	/* answers read ahead but not yet processed: poll() cannot see them */
	if (aa_udpio_any_buffered(res->udpio))
		ms = 0;
	/* no query may sit in a send queue while we sleep: this sends
	 * whatever c-ares itself queued since the last pump's flush */
	aa_udpio_flush(res->udpio);
	if (res->nfds == 0 && ms < 0)
		return AA_OK; /* nothing to wait for */
	rc = poll(res->fds, res->nfds, ms);
	if (rc < 0 && errno != EINTR)
		return AA_EIO;
	if (rc >= 0)
		rc += mark_read_ahead(res);
	if (rc > 0) {
		/* c-ares may change fds (sock_state) while we walk: copy first,
		 * into arrays kept from one wait to the next */
		struct pollfd *ready;
		int *chan;
		if (aa_grow(&res->ready_fds, &res->cap_ready_fds, res->nfds, sizeof(*ready)) != AA_OK ||
		    aa_grow(&res->ready_chan, &res->cap_ready_chan, res->nfds, sizeof(*chan)) != AA_OK)
			return AA_ENOMEM;
		ready = res->ready_fds;
		chan = res->ready_chan;
		n = res->nfds;
		memcpy(ready, res->fds, n * sizeof(*ready));
		memcpy(chan, res->fdchan, n * sizeof(*chan));
		for (i = 0; i < n; i++) {
			short ev = ready[i].revents;
			if (ev == 0)
				continue;
			ares_process_fd(chan[i] == AA_CH_TCP ? res->tcp : res->ch,
			                ev & (POLLIN | POLLERR | POLLHUP) ? ready[i].fd : ARES_SOCKET_BAD,
			                ev & (POLLOUT | POLLERR) ? ready[i].fd : ARES_SOCKET_BAD);
		}
	}
	/* retries and timeouts */
	ares_process_fd(res->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	ares_process_fd(res->tcp, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	(void)hedge(res, 1);
	aa_dns_pump_queue(res);
	return AA_OK;
}
