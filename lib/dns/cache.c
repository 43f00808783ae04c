/*
 * cache.c — the record cache and its waiters.
 *
 * Every (name, type) gets one cache entry, asked on the wire at most once;
 * a want adds a waiter to the entry and queues the entry for the loop when it
 * is new.  Completed entries move their waiters to the ready list, whose
 * callbacks run only from aa_resolver_dispatch(), never from inside c-ares,
 * so a callback may want more.  A CNAME the server did not follow is chased
 * here by wanting its target and copying the target's result back.
 *
 * The cache is bounded and TTL-aware.  Each entry counts an estimate of its
 * bytes; entries that only the cache holds (no audit view, no waiter) and
 * that are complete sit on a least-recently-used list, dropped from its
 * head while the total is over the cap (--cache-mb).  Entries an audit
 * holds are never dropped: the bound is the cap plus what running audits
 * hold.  A new want of an entry past its expiry asks again; whoever holds
 * the old entry keeps it.  Expiry: an answer's smallest TTL (CNAMEs
 * included), a negative answer's SOA negative TTL (else NEG_TTL_DEFAULT),
 * and for a failure (timeout, SERVFAIL, ...) at once: the audits waiting
 * for it get the failure, the next one to want the name asks again.  An
 * audit never asks one (name, type) twice: its later wants wait on the
 * entry it holds (aa_resolver_want_held).
 */
#include "dns/resolver_int.h"
#include "dns/wire.h"
#include "records/hostname.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NEG_TTL_DEFAULT 60 /* seconds: a negative answer that came without an SOA */
#define ALLOC_OVERHEAD 16  /* malloc's own bookkeeping per allocation, roughly */

/* ---- names ------------------------------------------------------------ */

aa_status
aa_name_askable(const char *name)
{
	return aa_host_check(name, strlen(name), AA_HOST_QUERY) == AA_HOST_OK ? AA_OK : AA_EDOMAIN;
}

/* ---- the cache's bound ------------------------------------------------ */

/* What an entry costs, estimated: the struct and its name, its records and
 * chain (each allocation with malloc's overhead), and its share of the hash
 * table (two slots, at most half full) and of the order array. */
static size_t
entry_bytes(const aa_rrset *rs)
{
	size_t b = sizeof(*rs) + strlen(rs->name) + 1 + 2 * ALLOC_OVERHEAD + 3 * sizeof(size_t), i;

	if (rs->nrr > 0)
		b += rs->nrr * sizeof(*rs->rr) + ALLOC_OVERHEAD;
	for (i = 0; i < rs->nrr; i++)
		b += rs->rr[i].len + 1 + ALLOC_OVERHEAD;
	if (rs->nchain > 0)
		b += rs->nchain * sizeof(*rs->chain) + ALLOC_OVERHEAD;
	for (i = 0; i < rs->nchain; i++)
		b += strlen(rs->chain[i]) + 1 + ALLOC_OVERHEAD;
	return b;
}

static void
lru_unlink(aa_resolver *res, aa_rrset *rs)
{
	if (rs->lru_prev != NULL)
		rs->lru_prev->lru_next = rs->lru_next;
	else
		res->lru_head = rs->lru_next;
	if (rs->lru_next != NULL)
		rs->lru_next->lru_prev = rs->lru_prev;
	else
		res->lru_tail = rs->lru_prev;
	rs->lru_prev = rs->lru_next = NULL;
	rs->on_lru = 0;
}

static void
lru_append(aa_resolver *res, aa_rrset *rs)
{
	rs->lru_next = NULL;
	rs->lru_prev = res->lru_tail;
	if (res->lru_tail != NULL)
		res->lru_tail->lru_next = rs;
	else
		res->lru_head = rs;
	res->lru_tail = rs;
	rs->on_lru = 1;
}

/* Takes rs out of the cache (rs is freed unless someone else holds it). */
static void
drop(aa_resolver *res, aa_rrset *rs)
{
	if (rs->on_lru)
		lru_unlink(res, rs);
	res->cache_total -= rs->bytes;
	rs->bytes = 0;
	rs->keeper = NULL;
	(void)aa_recordset_remove(res->cache, rs);
}

static void
evict(aa_resolver *res)
{
	while (res->cache_total > res->cache_cap && res->lru_head != NULL) {
		drop(res, res->lru_head);
		res->stats.cache_evictions++;
	}
}

/* Counts rs's bytes (again: its records may have come in) in the total. */
static void
account(aa_resolver *res, aa_rrset *rs)
{
	size_t b = entry_bytes(rs);

	res->cache_total = res->cache_total - rs->bytes + b;
	rs->bytes = b;
	if (res->cache_total > res->stats.cache_peak_bytes)
		res->stats.cache_peak_bytes = res->cache_total;
}

/* Only the cache holds it, it is complete, and nobody waits on it (nor,
 * as a chased CNAME target, for it): dropping it loses nothing but a
 * query. */
static int
evictable(const aa_rrset *rs)
{
	return rs->refs == 1 && rs->nwaiters == 0 && rs->outcome != AA_OUT_PENDING && rs->chasing == NULL;
}

/* rs's state changed (a waiter left, its answer came in, a view let it
 * go): on or off the eviction list, then back under the cap.  rs may be
 * freed here. */
static void
settle(aa_resolver *res, aa_rrset *rs)
{
	if (rs->keeper != &res->keeper)
		return; /* not (or no longer) a cache entry */
	if (evictable(rs)) {
		if (!rs->on_lru)
			lru_append(res, rs);
	} else if (rs->on_lru)
		lru_unlink(res, rs);
	evict(res);
}

static void
released(aa_rrset_keeper *k, aa_rrset *rs)
{
	settle((aa_resolver *)(void *)((char *)k - offsetof(aa_resolver, keeper)), rs);
}

/* Past its expiry, complete (expires is set when it is) and nobody
 * waiting: a new want asks again.  (Waiters not yet dispatched still get
 * it: it is the answer just in.) */
static int
stale(const aa_rrset *rs)
{
	return rs->expires != 0 && rs->outcome != AA_OUT_PENDING && rs->chasing == NULL &&
	       rs->nwaiters == 0 && aa_dns_now_ms() >= rs->expires;
}

/* How long rs's outcome may be reused: its TTL, a short default for a
 * negative answer whose TTL is unknown, not at all for a failure. */
static void
set_expiry(aa_rrset *rs)
{
	long long ttl;

	if (aa_outcome_is_error(rs->outcome))
		ttl = 0;
	else if (rs->cache_ttl_set)
		ttl = rs->cache_ttl;
	else if (rs->outcome == AA_OUT_ANSWER)
		ttl = rs->ttl;
	else
		ttl = NEG_TTL_DEFAULT;
	rs->expires = aa_dns_now_ms() + ttl * 1000;
}

void
aa_dns_cache_init(aa_resolver *res, size_t cap)
{
	res->keeper.released = released;
	res->cache_cap = cap;
}

void
aa_dns_cache_detach(aa_resolver *res)
{
	size_t i;

	for (i = 0; i < aa_recordset_count(res->cache); i++) {
		aa_rrset *rs = aa_recordset_at(res->cache, i);
		rs->keeper = NULL;
		rs->on_lru = 0;
		rs->lru_prev = rs->lru_next = NULL;
	}
	res->lru_head = res->lru_tail = NULL;
}

/* ---- waiters ---------------------------------------------------------- */

/* Moves rs's waiters, in order, to the end of the ready list (marking each:
 * the same work their dispatch does). */
void
aa_dns_make_ready(aa_resolver *res, aa_rrset *rs)
{
	aa_waiter *w;

	if (rs->waiters == NULL)
		return;
	for (w = rs->waiters; w != NULL; w = w->next)
		w->ready = 1;
	rs->waiters->prev = res->ready_tail;
	if (res->ready_tail != NULL)
		res->ready_tail->next = rs->waiters;
	else
		res->ready_head = rs->waiters;
	res->ready_tail = rs->waiters_tail;
	rs->waiters = rs->waiters_tail = NULL;
}

static aa_waiter *
add_waiter(aa_resolver *res, aa_rrset *rs, void *owner, aa_want_fn fn, void *arg)
{
	aa_waiter *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->owner = owner;
	w->fn = fn;
	w->arg = arg;
	w->rs = rs;
	if (rs->nwaiters++ == 0 && rs->on_lru)
		lru_unlink(res, rs);
	w->prev = rs->waiters_tail;
	if (rs->waiters_tail != NULL)
		rs->waiters_tail->next = w;
	else
		rs->waiters = w;
	rs->waiters_tail = w;
	return w;
}

/* The cache entry of (name, type), created and queued when there is none
 * or it is stale (*fresh then 1: a query will go out for it). */
static aa_status
want_entry(aa_resolver *res, const char *name, aa_rrtype type, aa_rrset **out, int *fresh)
{
	aa_rrset *rs = aa_recordset_get(res->cache, name, type);

	*fresh = 0;
	if (rs != NULL && stale(rs)) {
		drop(res, rs); /* a view holding it keeps its copy */
		res->stats.cache_expired++;
		rs = NULL;
	}
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
	rs->keeper = &res->keeper;
	account(res, rs);
	if (res->queue_tail != NULL)
		res->queue_tail->queue_next = rs;
	else
		res->queue_head = rs;
	res->queue_tail = rs;
	*out = rs;
	*fresh = 1;
	evict(res); /* room for it: pending, it is not evictable itself */
	return AA_OK;
}

aa_status
aa_resolver_want(aa_resolver *res, const char *name, aa_rrtype type, void *owner, aa_want_fn fn, void *arg,
                 aa_rrset **rs_out)
{
	return aa_resolver_want_waiter(res, name, type, owner, fn, arg, rs_out, NULL);
}

aa_status
aa_resolver_want_waiter(aa_resolver *res, const char *name, aa_rrtype type, void *owner, aa_want_fn fn,
                        void *arg, aa_rrset **rs_out, aa_waiter **w_out)
{
	aa_waiter *w;
	aa_rrset *rs;
	aa_status st;
	int fresh;

	if (aa_name_askable(name) != AA_OK)
		return AA_EDOMAIN;
	if ((st = want_entry(res, name, type, &rs, &fresh)) != AA_OK)
		return st;
	if ((w = add_waiter(res, rs, owner, fn, arg)) == NULL) {
		settle(res, rs);
		return AA_ENOMEM;
	}
	if (w_out != NULL)
		*w_out = w;
	if (rs->outcome != AA_OUT_PENDING)
		aa_dns_make_ready(res, rs);
	else
		aa_dns_pump_queue(res);
	if (rs_out != NULL)
		*rs_out = rs;
	return AA_OK;
}

aa_status
aa_resolver_want_held(aa_resolver *res, aa_rrset *held, void *owner, aa_want_fn fn, void *arg,
                      aa_waiter **w_out)
{
	aa_waiter *w = add_waiter(res, held, owner, fn, arg);

	if (w == NULL)
		return AA_ENOMEM;
	if (w_out != NULL)
		*w_out = w;
	if (held->outcome != AA_OUT_PENDING)
		aa_dns_make_ready(res, held);
	return AA_OK;
}

void
aa_resolver_cancel(aa_resolver *res, aa_waiter *w)
{
	aa_waiter **head, **tail;
	aa_rrset *rs = w->rs;

	/* on its entry's list until the answer is in, then on the ready list */
	if (w->ready) {
		head = &res->ready_head;
		tail = &res->ready_tail;
	} else {
		head = &w->rs->waiters;
		tail = &w->rs->waiters_tail;
	}
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		*head = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	else
		*tail = w->prev;
	free(w);
	rs->nwaiters--;
	settle(res, rs);
}

size_t
aa_resolver_dispatch(aa_resolver *res)
{
	size_t n = 0;
	aa_waiter *w;
	aa_rrset *rs;

	while ((w = res->ready_head) != NULL) {
		res->ready_head = w->next;
		if (res->ready_head == NULL)
			res->ready_tail = NULL;
		else
			res->ready_head->prev = NULL;
		rs = w->rs;
		w->fn(w->owner, rs, w->arg);
		free(w);
		rs->nwaiters--;
		settle(res, rs); /* may drop rs */
		n++;
	}
	aa_dns_pump_queue(res);
	return n;
}

int
aa_resolver_busy(const aa_resolver *res)
{
	return res->in_flight > 0 || res->queue_head != NULL || res->resend_head != NULL ||
	       res->ready_head != NULL;
}

const aa_recordset *
aa_resolver_cache(const aa_resolver *res)
{
	return res->cache;
}

/* ---- completion ------------------------------------------------------- */

static void finish(aa_resolver *res, aa_rrset *rs, long long expires_by);

/* A chased CNAME target completed: its result becomes the result of the
 * name that pointed at it. */
static void
chase_done(void *owner, aa_rrset *target, void *arg)
{
	aa_rrset *rs = arg;
	aa_resolver *res = owner;
	size_t i;

	rs->chasing = NULL;
	rs->chased += target->chased; /* the target's own hops */
	rs->outcome = target->outcome;
	rs->ttl = target->ttl;
	rs->wire_len = target->wire_len;
	for (i = 0; i < target->nchain && rs->outcome != AA_OUT_CNAME_LOOP; i++) {
		if (aa_dns_chain_has(rs, target->chain[i]) || rs->nchain >= AA_DNS_MAX_CHAIN)
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
	finish(res, rs, target->expires); /* reusable while both links are */
}

/* Is `rs` among the entries that `t` waits on, directly or through their
 * own chases?  Then chasing t from rs would wait forever: a loop. */
static int
waits_on(const aa_rrset *t, const aa_rrset *rs)
{
	unsigned n;

	for (n = 0; t != NULL && n <= AA_DNS_MAX_CHAIN; t = t->chasing, n++)
		if (t == rs)
			return 1;
	return t != NULL; /* longer than any chain we follow: treat as a loop */
}

/*
 * The answer ended in a CNAME whose target it did not answer for (a server
 * authoritative for the alias but not the target): ask for the target.
 * Returns 1 when a chase was started; rs is then pending again until the
 * target's answer is in, so every want of rs waits for it, and an audit
 * whose deadline passes meanwhile sees "deadline", never the NODATA of the
 * half-followed chain.  The hop limit is applied as each hop is asked: hops
 * before rs plus its own chain, so a chain alternating between zones stops
 * at AA_DNS_MAX_CHAIN queries.
 */
static int
chase(aa_resolver *res, aa_rrset *rs)
{
	unsigned hops = rs->hops + (unsigned)rs->nchain;
	const char *target;
	aa_rrset *t;
	int fresh;

	if (rs->nchain == 0 || rs->nrr > 0 || rs->outcome != AA_OUT_NODATA || rs->type == AA_T_CNAME)
		return 0;
	if (hops >= AA_DNS_MAX_CHAIN) {
		rs->outcome = AA_OUT_CNAME_LOOP;
		return 0;
	}
	target = rs->chain[rs->nchain - 1];
	if (aa_name_askable(target) != AA_OK) {
		rs->outcome = AA_OUT_BADNAME; /* never "no record": it was not asked */
		return 0;
	}
	if (want_entry(res, target, rs->type, &t, &fresh) != AA_OK)
		return 0;
	if (t == rs) /* a CNAME to itself: the walker already flagged it */
		return 0;
	if (waits_on(t, rs)) {
		rs->outcome = AA_OUT_CNAME_LOOP;
		return 0;
	}
	if (fresh) {
		t->hops = hops;
		rs->chased++; /* one more query on the wire for rs */
	}
	if (add_waiter(res, t, res, chase_done, rs) == NULL)
		return 0;
	rs->chasing = t;
	rs->outcome = AA_OUT_PENDING;
	if (t->outcome != AA_OUT_PENDING)
		aa_dns_make_ready(res, t);
	return 1;
}

/* rs is complete: its size and expiry (no later than expires_by, 0: no
 * bound) are set, and its waiters made ready. */
static void
finish(aa_resolver *res, aa_rrset *rs, long long expires_by)
{
	if (rs->outcome == AA_OUT_PENDING)
		rs->outcome = AA_OUT_NETERR;
	set_expiry(rs);
	if (expires_by != 0 && expires_by < rs->expires)
		rs->expires = expires_by;
	if (rs->keeper == &res->keeper)
		account(res, rs);
	aa_dns_make_ready(res, rs);
	settle(res, rs); /* with no waiter left (all cancelled) it may go now */
}

void
aa_dns_answered(aa_resolver *res, aa_rrset *rs)
{
	if (chase(res, rs))
		return;
	finish(res, rs, 0);
}
