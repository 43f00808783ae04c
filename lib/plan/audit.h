/*
 * audit.h — an audit in flight, as the engine sees it (plans see only
 * plan/want.h).  The engine owns the list and the deadline; the audit owns
 * its report until the engine takes it.
 */
#ifndef AA_PLAN_AUDIT_H
#define AA_PLAN_AUDIT_H

#include "dns/resolver.h"
#include "plan/want.h"

struct aa_audit {
	const aa_options *opt;
	aa_resolver *res;
	aa_report *report;
	size_t pending;        /* waiters registered and not yet called */
	size_t wanted;         /* distinct (name, type) asked: the budget count */
	long long deadline;    /* monotonic ms (set by the engine) */
	struct aa_want *wants; /* pending callbacks (their waiters, to cancel) */
	aa_done_fn done;
	void *done_arg;
	/* called when its last pending want has been answered */
	void (*on_idle)(aa_audit *a, void *arg);
	void *on_idle_arg;
	int on_idle_list;  /* the engine's: on its idle list */
	size_t heap_index; /* the engine's: place in its deadline heap */
	aa_audit *next;    /* the engine's: next on its idle list */
};

/* A new audit of `domain` (normalised) asking through `res`; NULL on OOM. */
aa_audit *aa_audit_new(const aa_options *opt, aa_resolver *res, const char *domain);
/* Drops its pending waiters and frees it (and its report, if still held). */
void aa_audit_free(aa_audit *a);
/* Ends the asking: pending waiters are dropped (the deadline passed) and
 * their view entries become AA_OUT_DEADLINE snapshots, so the report never
 * changes after it is handed out; the view is put in canonical order. */
void aa_audit_close(aa_audit *a);

#endif
