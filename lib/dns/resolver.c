/* resolver.c — c-ares driven by poll(), the record cache, CNAME chasing. */
#include "dns/resolver.h"
#include "records/hostname.h"
#include "util/util.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 16 /* CNAME hops before we call it a loop */
#define EDNS_SIZE 1232

struct aa_resolver {
	ares_channel ch;
	int channel_ok;
	aa_recordset *cache;
	struct pollfd *fds;
	size_t nfds, capfds;
	aa_rrset *queue_head, *queue_tail; /* wanted, not yet on the wire */
	aa_waiter *ready_head, *ready_tail; /* completed, callback not yet run */
	size_t in_flight, max_in_flight;
	aa_stats stats;
};

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen);
/* the c-ares callback argument of one query on the wire */
struct inflight {
	aa_resolver *res;
	aa_rrset *rs;
};

/* What reading a DNS message gave. */
typedef enum wire_status {
	WIRE_OK = 0,
	WIRE_MALFORMED, /* the message does not parse */
	WIRE_NOMEM
} wire_status;

/* ---- sockets ---------------------------------------------------------- */

static void
sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	aa_resolver *res = data;
	size_t i;

	for (i = 0; i < res->nfds; i++)
		if (res->fds[i].fd == fd)
			break;
	if (!readable && !writable) {
		if (i < res->nfds)
			res->fds[i] = res->fds[--res->nfds];
		return;
	}
	if (i == res->nfds) {
		/* c-ares offers no way to fail here; on OOM the query times out */
		if (aa_grow(&res->fds, &res->capfds, res->nfds + 1, sizeof(*res->fds)) != 0)
			return;
		res->nfds++;
		res->fds[i].fd = fd;
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

	memset(&ao, 0, sizeof(ao));
	ao.sock_state_cb = sock_state;
	ao.sock_state_cb_data = res;
	ao.timeout = opt->timeout_ms > 0 ? opt->timeout_ms : 2000;
	ao.tries = opt->tries > 0 ? opt->tries : 2;
	/* NOCHECKRESP: without it c-ares reports SERVFAIL and REFUSED as
	 * ECONNREFUSED, and the outcome class is what the audit is about */
	ao.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
	ao.ednspsz = EDNS_SIZE;
	/* thousands of answers can arrive between two polls on the one UDP
	 * socket c-ares 1.18 uses per server: the default buffer (~200 KiB,
	 * about 270 datagrams) drops them; the kernel caps this at rmem_max */
	ao.socket_receive_buffer_size = 4 << 20;
	mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
	       ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_RCVBUF;
	if (ares_init_options(&res->ch, &ao, mask) != ARES_SUCCESS) {
		aa_resolver_free(res);
		return AA_ERESOLVER;
	}
	res->channel_ok = 1;
	if (opt->resolvers != NULL &&
	    (opt->resolvers[0] == '\0' ||
	     ares_set_servers_ports_csv(res->ch, opt->resolvers) != ARES_SUCCESS)) {
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
	for (w = res->ready_head; w != NULL; w = next) {
		next = w->next;
		free(w);
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
	}
	aa_recordset_free(res->cache);
	free(res->fds);
	free(res);
	ares_library_cleanup();
}

/* ---- names ------------------------------------------------------------ */

aa_status
aa_name_askable(const char *name)
{
	return aa_host_check(name, strlen(name), AA_HOST_QUERY) == AA_HOST_OK ? AA_OK : AA_EDOMAIN;
}

/* ---- completion ------------------------------------------------------- */

static void
make_ready(aa_resolver *res, aa_rrset *rs)
{
	aa_waiter *w = rs->waiters;

	if (w == NULL)
		return;
	while (w->next != NULL)
		w = w->next;
	if (res->ready_tail != NULL)
		res->ready_tail->next = rs->waiters;
	else
		res->ready_head = rs->waiters;
	res->ready_tail = w;
	rs->waiters = NULL;
}

static void
send_query(aa_resolver *res, aa_rrset *rs)
{
	struct inflight *q = malloc(sizeof(*q));

	if (q == NULL) {
		rs->outcome = AA_OUT_NETERR;
		make_ready(res, rs);
		return;
	}
	q->res = res;
	q->rs = rs;
	res->in_flight++;
	res->stats.queries_sent++;
	if (res->in_flight > res->stats.max_in_flight)
		res->stats.max_in_flight = res->in_flight;
	ares_query(res->ch, rs->name, 1 /* IN */, (int)rs->type, on_answer, q);
}

static void
pump_queue(aa_resolver *res)
{
	while (res->queue_head != NULL && res->in_flight < res->max_in_flight) {
		aa_rrset *rs = res->queue_head;
		res->queue_head = rs->queue_next;
		if (res->queue_head == NULL)
			res->queue_tail = NULL;
		rs->queue_next = NULL;
		send_query(res, rs);
	}
}

static aa_status
add_waiter(aa_rrset *rs, void *owner, aa_want_fn fn, void *arg)
{
	aa_waiter *w = calloc(1, sizeof(*w));
	aa_waiter **tail;

	if (w == NULL)
		return AA_ENOMEM;
	w->owner = owner;
	w->fn = fn;
	w->arg = arg;
	w->rs = rs;
	for (tail = &rs->waiters; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = w;
	return AA_OK;
}

static aa_status
want_entry(aa_resolver *res, const char *name, aa_rrtype type, aa_rrset **out)
{
	aa_rrset *rs = aa_recordset_get(res->cache, name, type);

	if (rs != NULL) {
		res->stats.cache_hits++;
		*out = rs;
		return AA_OK;
	}
	if ((rs = aa_rrset_new(name, type)) == NULL)
		return AA_ENOMEM;
	if (aa_recordset_put(res->cache, rs) != 0) {
		aa_rrset_unref(rs);
		return AA_ENOMEM;
	}
	aa_rrset_unref(rs); /* the cache holds it now */
	if (res->queue_tail != NULL)
		res->queue_tail->queue_next = rs;
	else
		res->queue_head = rs;
	res->queue_tail = rs;
	*out = rs;
	return AA_OK;
}

aa_status
aa_resolver_want(aa_resolver *res, const char *name, aa_rrtype type, void *owner,
                 aa_want_fn fn, void *arg, aa_rrset **rs_out)
{
	aa_rrset *rs;
	aa_status st;

	if (aa_name_askable(name) != AA_OK)
		return AA_EDOMAIN;
	if ((st = want_entry(res, name, type, &rs)) != AA_OK)
		return st;
	if (add_waiter(rs, owner, fn, arg) != AA_OK)
		return AA_ENOMEM;
	if (rs->outcome != AA_OUT_PENDING)
		make_ready(res, rs);
	else
		pump_queue(res);
	if (rs_out != NULL)
		*rs_out = rs;
	return AA_OK;
}

size_t
aa_resolver_cancel(aa_resolver *res, void *owner, void (*free_arg)(void *))
{
	aa_waiter **pp, *w, *prev = NULL;
	size_t i, n = 0;

	for (i = 0; i < aa_recordset_count(res->cache); i++) {
		aa_rrset *rs = aa_recordset_at(res->cache, i);
		for (pp = &rs->waiters; (w = *pp) != NULL;) {
			if (w->owner == owner) {
				*pp = w->next;
				if (free_arg != NULL)
					free_arg(w->arg);
				free(w);
				n++;
			} else {
				pp = &w->next;
			}
		}
	}
	for (pp = &res->ready_head; (w = *pp) != NULL;) {
		if (w->owner == owner) {
			*pp = w->next;
			if (free_arg != NULL)
				free_arg(w->arg);
			free(w);
			n++;
		} else {
			prev = w;
			pp = &w->next;
		}
	}
	res->ready_tail = prev;
	return n;
}

size_t
aa_resolver_dispatch(aa_resolver *res)
{
	size_t n = 0;
	aa_waiter *w;

	while ((w = res->ready_head) != NULL) {
		res->ready_head = w->next;
		if (res->ready_head == NULL)
			res->ready_tail = NULL;
		w->fn(w->owner, w->rs, w->arg);
		free(w);
		n++;
	}
	pump_queue(res);
	return n;
}

int
aa_resolver_busy(const aa_resolver *res)
{
	return res->in_flight > 0 || res->queue_head != NULL || res->ready_head != NULL;
}

const aa_recordset *
aa_resolver_cache(const aa_resolver *res)
{
	return res->cache;
}

void
aa_resolver_stats(const aa_resolver *res, aa_stats *st)
{
	*st = res->stats;
}

/* ---- answers ---------------------------------------------------------- */

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
chain_has(const aa_rrset *rs, const char *name)
{
	size_t i;

	if (strcasecmp(rs->name, name) == 0)
		return 1;
	for (i = 0; i < rs->nchain; i++)
		if (strcasecmp(rs->chain[i], name) == 0)
			return 1;
	return 0;
}

static wire_status
add_addr(aa_rrset *rs, int af, const void *addr, size_t alen)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(af, addr, text, sizeof(text)) == NULL)
		return WIRE_MALFORMED;
	if (aa_rrset_add(rs, text, strlen(text)) != 0)
		return WIRE_NOMEM;
	memcpy(rs->rr[rs->nrr - 1].addr, addr, alen);
	return WIRE_OK;
}

/*
 * Walks the answer section: c-ares' typed parsers do not expose CNAMEs or
 * TTLs, have no parser for name-valued types other than via hostent, and
 * their A/AAAA parsers fill a caller-sized array (answers beyond it are
 * dropped).  Records the CNAME chain, the minimum TTL, name-valued rdata and
 * every A/AAAA address owned by the name or its aliases.
 */
static wire_status
walk_answer(aa_rrset *rs, const unsigned char *abuf, int alen, int *loop)
{
	const unsigned char *p;
	unsigned qd, an, i;
	long len;
	char *name;
	int first_ttl = 1;

	if (alen < 12)
		return WIRE_MALFORMED;
	qd = get16(abuf + 4);
	an = get16(abuf + 6);
	p = abuf + 12;
	for (i = 0; i < qd; i++) {
		if (ares_expand_name(p, abuf, alen, &name, &len) != ARES_SUCCESS)
			return WIRE_MALFORMED;
		ares_free_string(name);
		p += len + 4;
		if (p > abuf + alen)
			return WIRE_MALFORMED;
	}
	for (i = 0; i < an; i++) {
		uint16_t type, rdlen;
		uint32_t ttl;
		const unsigned char *rd;
		char *owner;
		wire_status ws;

		if (ares_expand_name(p, abuf, alen, &owner, &len) != ARES_SUCCESS)
			return WIRE_MALFORMED;
		p += len;
		if (p + 10 > abuf + alen) {
			ares_free_string(owner);
			return WIRE_MALFORMED;
		}
		type = get16(p);
		ttl = get32(p + 4);
		rdlen = get16(p + 8);
		rd = p + 10;
		p = rd + rdlen;
		if (p > abuf + alen) {
			ares_free_string(owner);
			return WIRE_MALFORMED;
		}
		if (type == rs->type && (type == AA_T_A || type == AA_T_AAAA)) {
			int mine = chain_has(rs, owner);
			ares_free_string(owner);
			if (!mine)
				continue; /* not the name asked nor one of its aliases */
			if (rdlen != (type == AA_T_A ? 4 : 16))
				return WIRE_MALFORMED;
			if ((ws = add_addr(rs, type == AA_T_A ? AF_INET : AF_INET6, rd, rdlen)) != WIRE_OK)
				return ws;
			if (first_ttl || ttl < rs->ttl)
				rs->ttl = ttl;
			first_ttl = 0;
			continue;
		}
		ares_free_string(owner);
		if (type == rs->type) {
			if (first_ttl || ttl < rs->ttl)
				rs->ttl = ttl;
			first_ttl = 0;
		}
		if (type == AA_T_CNAME && rs->type != AA_T_CNAME) {
			if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
				return WIRE_MALFORMED;
			if (chain_has(rs, name) || rs->nchain >= MAX_CHAIN)
				*loop = 1;
			else if (aa_rrset_add_chain(rs, name) != 0) {
				ares_free_string(name);
				return WIRE_NOMEM;
			}
			ares_free_string(name);
			continue;
		}
		if (type == rs->type &&
		    (type == AA_T_CNAME || type == AA_T_PTR || type == AA_T_NS)) {
			if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
				return WIRE_MALFORMED;
			if (aa_rrset_add(rs, name, strlen(name)) != 0) {
				ares_free_string(name);
				return WIRE_NOMEM;
			}
			ares_free_string(name);
		}
	}
	return WIRE_OK;
}

/* A copy of the message with its type 99 (SPF) answers retyped as TXT:
 * c-ares only parses TXT, and the RDATA of both is the same. */
static unsigned char *
spf_as_txt(const unsigned char *abuf, int alen)
{
	unsigned char *m = malloc((size_t)alen), *p;
	unsigned qd, an, i;
	long len;
	char *name;

	if (m == NULL || alen < 12) {
		free(m);
		return NULL;
	}
	memcpy(m, abuf, (size_t)alen);
	qd = get16(m + 4);
	an = get16(m + 6);
	p = m + 12;
	for (i = 0; i < qd + an; i++) {
		if (ares_expand_name(p, m, alen, &name, &len) != ARES_SUCCESS)
			break;
		ares_free_string(name);
		p += len;
		if (p + (i < qd ? 4 : 10) > m + alen)
			break;
		if (get16(p) == AA_T_SPF)
			p[1] = AA_T_TXT; /* high byte is 0 for both */
		p += i < qd ? 4 : 10 + get16(p + 8);
		if (p > m + alen)
			break;
	}
	return m;
}

static wire_status
parse_txt(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	struct ares_txt_ext *txt = NULL, *t;
	unsigned char *copy = NULL;
	aa_buf b = {0};
	unsigned nstr = 0;
	int st;
	wire_status rc = WIRE_OK;

	if (rs->type == AA_T_SPF) {
		if ((copy = spf_as_txt(abuf, alen)) == NULL)
			return WIRE_NOMEM;
		abuf = copy;
	}
	st = ares_parse_txt_reply_ext(abuf, alen, &txt);
	free(copy);
	if (st == ARES_ENODATA)
		return WIRE_OK;
	if (st != ARES_SUCCESS)
		return st == ARES_ENOMEM ? WIRE_NOMEM : WIRE_MALFORMED;
	/* one node per character-string; record_start marks a new record */
	for (t = txt; t != NULL; t = t->next) {
		if (t->record_start && nstr > 0) {
			if (aa_rrset_add(rs, b.p ? b.p : "", b.len) != 0)
				rc = WIRE_NOMEM;
			else
				rs->rr[rs->nrr - 1].nstrings = nstr;
			b.len = 0;
			nstr = 0;
		}
		aa_buf_add(&b, (const char *)t->txt, t->length);
		if (b.p == NULL && !b.oom)
			aa_buf_add(&b, "", 0);
		nstr++;
	}
	if (nstr > 0) {
		if (b.oom || aa_rrset_add(rs, b.p ? b.p : "", b.len) != 0)
			rc = WIRE_NOMEM;
		else
			rs->rr[rs->nrr - 1].nstrings = nstr;
	}
	aa_buf_free(&b);
	ares_free_data(txt);
	return rc;
}

static wire_status
parse_mx(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	struct ares_mx_reply *mx = NULL, *m;
	int st;

	st = ares_parse_mx_reply(abuf, alen, &mx);
	if (st == ARES_ENODATA)
		return WIRE_OK;
	if (st != ARES_SUCCESS)
		return st == ARES_ENOMEM ? WIRE_NOMEM : WIRE_MALFORMED;
	for (m = mx; m != NULL; m = m->next) {
		if (aa_rrset_add(rs, m->host, strlen(m->host)) != 0) {
			ares_free_data(mx);
			return WIRE_NOMEM;
		}
		rs->rr[rs->nrr - 1].pref = m->priority;
	}
	ares_free_data(mx);
	return WIRE_OK;
}

static aa_outcome
status_outcome(int status)
{
	switch (status) {
	case ARES_SUCCESS:
		return AA_OUT_ANSWER;
	case ARES_ENODATA:
		return AA_OUT_NODATA;
	case ARES_ENOTFOUND:
		return AA_OUT_NXDOMAIN;
	case ARES_ESERVFAIL:
	case ARES_EFORMERR:
	case ARES_ENOTIMP:
		return AA_OUT_SERVFAIL;
	case ARES_EREFUSED:
		return AA_OUT_REFUSED;
	case ARES_ETIMEOUT:
		return AA_OUT_TIMEOUT;
	case ARES_EBADRESP:
		return AA_OUT_MALFORMED;
	default:
		return AA_OUT_NETERR;
	}
}

/* Fills rs from a DNS message; returns the outcome. */
static aa_outcome
parse_message(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	wire_status rc;
	int loop = 0;

	rs->wire_len = (size_t)alen;
	rc = walk_answer(rs, abuf, alen, &loop);
	if (rc == WIRE_OK) {
		switch (rs->type) {
		case AA_T_TXT:
		case AA_T_SPF:
			rc = parse_txt(rs, abuf, alen);
			break;
		case AA_T_MX:
			rc = parse_mx(rs, abuf, alen);
			break;
		default:
			break;
		}
	}
	if (rc == WIRE_MALFORMED)
		return AA_OUT_MALFORMED;
	if (rc == WIRE_NOMEM)
		return AA_OUT_NETERR; /* out of memory: we learnt nothing */
	if (loop)
		return AA_OUT_CNAME_LOOP;
	return rs->nrr > 0 ? AA_OUT_ANSWER : AA_OUT_NODATA;
}

static void finish(aa_resolver *res, aa_rrset *rs);

/* A chased CNAME target completed: its result becomes the result of the
 * name that pointed at it. */
static void
chase_done(void *owner, aa_rrset *target, void *arg)
{
	aa_rrset *rs = arg;
	aa_resolver *res = owner;
	size_t i;

	rs->outcome = target->outcome;
	rs->ttl = target->ttl;
	rs->wire_len = target->wire_len;
	for (i = 0; i < target->nchain && rs->outcome != AA_OUT_CNAME_LOOP; i++) {
		if (chain_has(rs, target->chain[i]) || rs->nchain >= MAX_CHAIN)
			rs->outcome = AA_OUT_CNAME_LOOP;
		else if (aa_rrset_add_chain(rs, target->chain[i]) != 0)
			rs->outcome = AA_OUT_NETERR;
	}
	for (i = 0; i < target->nrr && rs->outcome == AA_OUT_ANSWER; i++) {
		if (aa_rrset_add(rs, target->rr[i].data, target->rr[i].len) != 0) {
			rs->outcome = AA_OUT_NETERR;
			break;
		}
		rs->rr[rs->nrr - 1].nstrings = target->rr[i].nstrings;
		rs->rr[rs->nrr - 1].pref = target->rr[i].pref;
		memcpy(rs->rr[rs->nrr - 1].addr, target->rr[i].addr, 16);
	}
	finish(res, rs);
}

/*
 * The answer ended in a CNAME whose target it did not answer for (a server
 * authoritative for the alias but not the target): ask for the target.
 * Returns 1 when a chase was started.
 */
static int
chase(aa_resolver *res, aa_rrset *rs)
{
	const char *target;
	aa_rrset *t;

	if (rs->nchain == 0 || rs->nrr > 0 || rs->outcome != AA_OUT_NODATA || rs->type == AA_T_CNAME)
		return 0;
	target = rs->chain[rs->nchain - 1];
	if (aa_name_askable(target) != AA_OK)
		return 0;
	if (want_entry(res, target, rs->type, &t) != AA_OK)
		return 0;
	if (t == rs) /* a CNAME to itself: the walker already flagged it */
		return 0;
	if (add_waiter(t, res, chase_done, rs) != AA_OK)
		return 0;
	if (t->outcome != AA_OUT_PENDING)
		make_ready(res, t);
	return 1;
}

static void
finish(aa_resolver *res, aa_rrset *rs)
{
	if (rs->outcome == AA_OUT_PENDING)
		rs->outcome = AA_OUT_NETERR;
	make_ready(res, rs);
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct inflight *q = arg;
	aa_resolver *res = q->res;
	aa_rrset *rs = q->rs;

	(void)timeouts;
	free(q);
	if (status == ARES_EDESTRUCTION)
		return;
	res->in_flight--;
	rs->outcome = status_outcome(status);
	if (abuf != NULL && alen > 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND)) {
		aa_outcome o = parse_message(rs, abuf, alen);
		/* NXDOMAIN keeps its class even when a CNAME led there */
		if (status == ARES_SUCCESS || o == AA_OUT_MALFORMED || o == AA_OUT_CNAME_LOOP)
			rs->outcome = o;
	}
	if (chase(res, rs))
		return;
	finish(res, rs);
}

/* ---- the loop --------------------------------------------------------- */

aa_status
aa_resolver_wait(aa_resolver *res, int max_ms)
{
	struct timeval tv, *tvp;
	size_t i, n;
	int ms, rc;

	tvp = ares_timeout(res->ch, NULL, &tv);
	ms = tvp == NULL ? -1 : (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
	if (max_ms >= 0 && (ms < 0 || max_ms < ms))
		ms = max_ms;
	if (res->nfds == 0 && ms < 0)
		return AA_OK; /* nothing to wait for */
	rc = poll(res->fds, res->nfds, ms);
	if (rc < 0 && errno != EINTR)
		return AA_EIO;
	if (rc > 0) {
		/* c-ares may change fds (sock_state) while we walk: copy first */
		struct pollfd *ready = malloc(res->nfds * sizeof(*ready));
		if (ready == NULL)
			return AA_ENOMEM;
		n = res->nfds;
		memcpy(ready, res->fds, n * sizeof(*ready));
		for (i = 0; i < n; i++) {
			short ev = ready[i].revents;
			if (ev == 0)
				continue;
			ares_process_fd(res->ch,
			                ev & (POLLIN | POLLERR | POLLHUP) ? ready[i].fd : ARES_SOCKET_BAD,
			                ev & (POLLOUT | POLLERR) ? ready[i].fd : ARES_SOCKET_BAD);
		}
		free(ready);
	}
	/* retries and timeouts */
	ares_process_fd(res->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	pump_queue(res);
	return AA_OK;
}
