/*
 * cache.c — the record cache and its waiters.
 *
 * Every (name, type) gets one cache entry, asked on the wire at most once;
 * a want adds a waiter to the entry and queues the entry for the loop when it
 * is new.  Completed entries move their waiters to the ready list, whose
 * callbacks run only from aa_resolver_dispatch(), never from inside c-ares,
 * so a callback may want more.  A CNAME the server did not follow is chased
 * here by wanting its target and copying the target's result back.
 */
#include "dns/resolver_int.h"
#include "dns/wire.h"
#include "records/hostname.h"

#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------ */

aa_status
aa_name_askable(const char *name)
{
	return aa_host_check(name, strlen(name), AA_HOST_QUERY) == AA_HOST_OK ? AA_OK : AA_EDOMAIN;
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
add_waiter(aa_rrset *rs, void *owner, aa_want_fn fn, void *arg)
{
	aa_waiter *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->owner = owner;
	w->fn = fn;
	w->arg = arg;
	w->rs = rs;
	w->prev = rs->waiters_tail;
	if (rs->waiters_tail != NULL)
		rs->waiters_tail->next = w;
	else
		rs->waiters = w;
	rs->waiters_tail = w;
	return w;
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

	if (aa_name_askable(name) != AA_OK)
		return AA_EDOMAIN;
	if ((st = want_entry(res, name, type, &rs)) != AA_OK)
		return st;
	if ((w = add_waiter(rs, owner, fn, arg)) == NULL)
		return AA_ENOMEM;
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

void
aa_resolver_cancel(aa_resolver *res, aa_waiter *w)
{
	aa_waiter **head, **tail;

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
		else
			res->ready_head->prev = NULL;
		w->fn(w->owner, w->rs, w->arg);
		free(w);
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

static void finish(aa_resolver *res, aa_rrset *rs);

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
	finish(res, rs);
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
	fresh = aa_recordset_get(res->cache, target, rs->type) == NULL;
	if (want_entry(res, target, rs->type, &t) != AA_OK)
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
	if (add_waiter(t, res, chase_done, rs) == NULL)
		return 0;
	rs->chasing = t;
	rs->outcome = AA_OUT_PENDING;
	if (t->outcome != AA_OUT_PENDING)
		aa_dns_make_ready(res, t);
	return 1;
}

static void
finish(aa_resolver *res, aa_rrset *rs)
{
	if (rs->outcome == AA_OUT_PENDING)
		rs->outcome = AA_OUT_NETERR;
	aa_dns_make_ready(res, rs);
}

void
aa_dns_answered(aa_resolver *res, aa_rrset *rs)
{
	if (chase(res, rs))
		return;
	finish(res, rs);
}
