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

struct aa_resolver {
	ares_channel ch;
	int channel_ok;
	aa_recordset *cache;
	struct pollfd *fds;
	size_t nfds, capfds;
	aa_rrset *queue_head, *queue_tail;  /* wanted, not yet on the wire */
	aa_waiter *ready_head, *ready_tail; /* completed, callback not yet run */
	size_t in_flight, max_in_flight;
	aa_stats stats;
};

/* loop.c: sends queued entries (queue_head..) while fewer than
 * max_in_flight queries are on the wire. */
void aa_dns_pump_queue(aa_resolver *res);

/* cache.c: moves rs's waiters to the end of the ready list, for
 * aa_resolver_dispatch() to run. */
void aa_dns_make_ready(aa_resolver *res, aa_rrset *rs);
/* cache.c: rs's answer is in (its outcome set): chases a CNAME the server
 * did not follow, or else makes rs's waiters ready. */
void aa_dns_answered(aa_resolver *res, aa_rrset *rs);

#endif
