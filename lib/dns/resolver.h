/*
 * resolver.h — one c-ares channel, one poll loop, one record cache.
 *
 * Every (name, type) is asked on the wire once while its answer lives in
 * the cache (bounded by aa_options.cache_bytes, each entry until its TTL
 * runs out; a failure is not reused by later wants); later wants are
 * answered from the cache.  A want registers a waiter; its callback
 * runs from aa_resolver_dispatch() (never from inside c-ares), so callbacks
 * may freely want more (follow-up queries).  CNAME chains that the server did
 * not follow (an authoritative server stops at a zone edge) are chased here.
 */
#ifndef AA_RESOLVER_H
#define AA_RESOLVER_H

#include "authaudit.h"
#include "records/recordset.h"

typedef struct aa_resolver aa_resolver;

/* owner: whose want this is (an audit), rs: the completed record set. */
typedef void (*aa_want_fn)(void *owner, aa_rrset *rs, void *arg);

/* A waiter is on one list at a time, doubly linked: its entry's (until the
 * answer is in), then the ready list (until dispatched). */
typedef struct aa_waiter {
	struct aa_waiter *next, *prev;
	int ready; /* on the ready list (else on its entry's) */
	void *owner;
	aa_want_fn fn;
	void *arg;
	aa_rrset *rs;
} aa_waiter;

aa_status aa_resolver_new(const aa_options *opt, aa_resolver **out);
void aa_resolver_free(aa_resolver *res);

/*
 * Wants (name, type).  On AA_OK, fn(owner, rs, arg) will be called exactly
 * once from aa_resolver_dispatch(), unless aa_resolver_cancel() drops the
 * waiter first; *rs_out (optional) receives the cache entry (borrowed),
 * *w_out (optional) the waiter, valid until its callback has run or it is
 * cancelled.  AA_EDOMAIN: `name` is not a name that can be asked.
 */
aa_status aa_resolver_want(aa_resolver *res, const char *name, aa_rrtype type, void *owner, aa_want_fn fn,
                           void *arg, aa_rrset **rs_out);
aa_status aa_resolver_want_waiter(aa_resolver *res, const char *name, aa_rrtype type, void *owner,
                                  aa_want_fn fn, void *arg, aa_rrset **rs_out, aa_waiter **w_out);
/*
 * Waits on `held`, an entry the caller already holds (its own earlier want
 * of that (name, type)), without asking again, even if the cache has since
 * dropped or renewed it: so one audit asks each (name, type) once and sees
 * one answer for it.  fn runs from aa_resolver_dispatch() as for a want.
 */
aa_status aa_resolver_want_held(aa_resolver *res, aa_rrset *held, void *owner, aa_want_fn fn, void *arg,
                                aa_waiter **w_out);
/* Drops one waiter (its callback will not run) in constant time; the
 * caller frees what its arg holds. */
void aa_resolver_cancel(aa_resolver *res, aa_waiter *w);
/* Runs ready callbacks until none is left; returns how many ran. */
size_t aa_resolver_dispatch(aa_resolver *res);
/* Non-zero while queries are on the wire or queued. */
int aa_resolver_busy(const aa_resolver *res);
/* Waits up to max_ms (-1: c-ares' own timeout) for socket events and
 * processes them (answers, retries, timeouts). */
aa_status aa_resolver_wait(aa_resolver *res, int max_ms);
/* The cache, read-only. */
const aa_recordset *aa_resolver_cache(const aa_resolver *res);
void aa_resolver_stats(const aa_resolver *res, aa_stats *st);

/* Checks that `name` can be asked (records/hostname.h, AA_HOST_QUERY):
 * labels 1..63 bytes of printable ASCII (no space, backslash or dot
 * inside), 253 bytes in all.  AA_OK, or AA_EDOMAIN. */
aa_status aa_name_askable(const char *name);

#endif
