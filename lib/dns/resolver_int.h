/*
 * resolver_int.h — the resolver's insides, shared by lib/dns/loop.c (the
 * c-ares channel and poll loop) and lib/dns/cache.c (the record cache and
 * its waiters); nothing outside lib/dns/ includes it.  The public-to-the-
 * library interface is resolver.h; the wire parser, which needs none of
 * this, has its own wire.h.
 */
#ifndef AA_DNS_RESOLVER_INT_H
#define AA_DNS_RESOLVER_INT_H

#include <ares.h>
#include <poll.h>
#include <stddef.h>

#include "dns/resolver.h"
#include "dns/udpio.h"

/* The two c-ares channels: queries go out over UDP; an answer that comes
 * back truncated is asked again on the TCP channel.  Kept apart, a TCP
 * connection that fails takes down only the TCP retries on it: c-ares
 * 1.18 closes every socket of a server when one of its connections fails,
 * which on one channel would fail unrelated UDP queries too. */
enum { AA_CH_UDP = 0, AA_CH_TCP = 1, AA_NCH = 2 };

struct aa_resolver;
struct aa_chan_ref { /* sock_state's data: which channel an fd is of */
	struct aa_resolver *res;
	int which;
};

struct aa_resolver {
	ares_channel ch;  /* UDP, truncated answers handed back (IGNTC) */
	ares_channel tcp; /* TCP only (USEVC), for answers that were truncated */
	int channel_ok, tcp_ok;
	aa_udpio *udpio; /* ch's sockets, batched (udpio.c); NULL: c-ares's own */
	struct aa_chan_ref refs[AA_NCH];
	int *fdchan; /* per fds[i]: the channel it belongs to */
	size_t capfdchan;
	aa_recordset *cache;
	struct pollfd *fds;
	size_t nfds, capfds;
	struct pollfd *ready_fds; /* aa_resolver_wait's copy of fds and fdchan */
	int *ready_chan;
	size_t cap_ready_fds, cap_ready_chan;
	aa_rrset *queue_head, *queue_tail;  /* wanted, not yet on the wire */
	aa_waiter *ready_head, *ready_tail; /* completed, callback not yet run */
	size_t in_flight, max_in_flight;
	size_t window;                              /* queries allowed on the wire now (pacing, loop.c) */
	int tries;                                  /* tries per query (c-ares makes one each) */
	size_t acked;                               /* answers since the window last grew */
	size_t ssthresh;                            /* below it the window grows per answer (slow start) */
	unsigned long sent_seq, cut_seq;            /* queries sent; sent_seq at the last cut */
	long long loss_until;                       /* a loss episode lasts until (ms, monotonic) */
	struct inflight *resend_head, *resend_tail; /* lost to our pace, to ask again */
	struct inflight *wire_head, *wire_tail;     /* UDP queries out, oldest first */
	double srtt_ms, rttvar_ms;                  /* round-trip time, smoothed (hedging) */
	long long timeout_ms;
	aa_stats stats;
	/* the cache's bound: entries only the cache holds, complete and with
	 * no waiter, on a least-recently-used list, dropped from its head while
	 * the estimated total is over the cap */
	aa_rrset_keeper keeper;
	aa_rrset *lru_head, *lru_tail;
	size_t cache_cap, cache_total;
};

/* loop.c: the monotonic clock in ms, for the loop's pacing and the
 * cache's expiry alike. */
long long aa_dns_now_ms(void);

/* loop.c: sends queued entries (queue_head..) while fewer than
 * max_in_flight queries are on the wire. */
void aa_dns_pump_queue(aa_resolver *res);

/* cache.c: moves rs's waiters to the end of the ready list, for
 * aa_resolver_dispatch() to run. */
void aa_dns_make_ready(aa_resolver *res, aa_rrset *rs);
/* cache.c: rs's answer is in (its outcome set): chases a CNAME the server
 * did not follow, or else makes rs's waiters ready. */
void aa_dns_answered(aa_resolver *res, aa_rrset *rs);
/* cache.c: sets up the cache's bound (aa_resolver_new); and lets every
 * entry go before the cache is freed (aa_resolver_free), so views that
 * outlive the resolver no longer report to it. */
void aa_dns_cache_init(aa_resolver *res, size_t cap);
void aa_dns_cache_detach(aa_resolver *res);

#endif
