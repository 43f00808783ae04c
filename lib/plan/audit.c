/*
 * audit.c — one domain's audit in flight: what its plans asked (the query
 * budget), the waiters still pending, and its view of the answers (the
 * report's record set, sharing the resolver's cache entries).  The engine
 * creates audits, drives the loop and closes them; plans ask through
 * aa_audit_want().
 */
#include "plan/audit.h"
#include "dns/resolver.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* one pending callback of an audit, on the audit's list until it runs */
struct aa_want {
	aa_audit *a;
	aa_audit_fn fn;
	void *arg;
	int first; /* the audit's first want of this (name, type): counts its queries */
	aa_waiter *waiter;
	struct aa_want *prev, *next;
};

static void
unlink_want(aa_audit *a, struct aa_want *w)
{
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		a->wants = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
}

/* Drops every pending want: each in constant time, none of the cache is
 * walked. */
static void
cancel_wants(aa_audit *a)
{
	struct aa_want *w, *next;

	for (w = a->wants; w != NULL; w = next) {
		next = w->next;
		aa_resolver_cancel(a->res, w->waiter);
		free(w);
	}
	a->wants = NULL;
	a->pending = 0;
}

aa_audit *
aa_audit_new(const aa_options *opt, aa_resolver *res, const char *domain)
{
	aa_audit *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->opt = opt;
	a->res = res;
	if ((a->report = aa_report_new(domain)) == NULL ||
	    (a->report->resolver = strdup(opt->resolvers ? opt->resolvers : "system (resolv.conf)")) ==
	        NULL) {
		aa_report_free(a->report);
		free(a);
		return NULL;
	}
	return a;
}

void
aa_audit_free(aa_audit *a)
{
	if (a == NULL)
		return;
	cancel_wants(a);
	aa_report_free(a->report);
	free(a);
}

const char *
aa_audit_domain(const aa_audit *a)
{
	return a->report->domain;
}

const aa_options *
aa_audit_options(const aa_audit *a)
{
	return a->opt;
}

const aa_recordset *
aa_audit_view(const aa_audit *a)
{
	return a->report->records;
}

aa_report *
aa_audit_report(aa_audit *a)
{
	return a->report;
}

static void
audit_answer(void *owner, aa_rrset *rs, void *arg)
{
	struct aa_want *w = arg;
	aa_audit *a = owner;

	unlink_want(a, w);
	a->pending--;
	/* CNAME hops the resolver asked to answer it count against the
	 * budget too, once per (name, type) */
	if (w->first) {
		a->wanted += rs->chased;
		a->report->queries += rs->chased;
	}
	if (w->fn != NULL)
		w->fn(a, rs, w->arg);
	free(w);
	/* callbacks may have asked for more; if not, the audit is done */
	if (a->pending == 0 && a->on_idle != NULL)
		a->on_idle(a, a->on_idle_arg);
}

/* Puts (name, type) in the view as not asked, for `why`; returns st. */
static aa_status
not_asked(aa_audit *a, const char *name, aa_rrtype type, aa_outcome why, aa_status st)
{
	aa_rrset *rs;

	if (aa_recordset_get(a->report->records, name, type) != NULL)
		return st;
	if ((rs = aa_rrset_new(name, type)) == NULL)
		return AA_ENOMEM;
	rs->outcome = why;
	if (aa_recordset_put(a->report->records, rs) != AA_OK)
		st = AA_ENOMEM;
	aa_rrset_unref(rs);
	return st;
}

aa_status
aa_audit_want(aa_audit *a, const char *name, aa_rrtype type, aa_audit_fn fn, void *arg)
{
	aa_report *r = a->report;
	struct aa_want *w;
	aa_rrset *rs, *held;
	aa_status st;
	int first;

	/* a record pointed at a name no server can be asked about: the view
	 * says so, and the checks report it instead of calling it missing */
	if (aa_name_askable(name) != AA_OK)
		return not_asked(a, name, type, AA_OUT_BADNAME, AA_EDOMAIN);
	held = aa_recordset_get(r->records, name, type);
	first = held == NULL;
	if (first) {
		if (a->wanted >= (size_t)a->opt->query_budget) {
			a->report->budget_hit = 1;
			return not_asked(a, name, type, AA_OUT_BUDGET, AA_ELIMIT);
		}
		a->wanted++;
		r->queries++;
	} else if (fn == NULL) {
		return AA_OK; /* already asked, nobody to tell */
	}
	if ((w = malloc(sizeof(*w))) == NULL)
		return AA_ENOMEM;
	w->a = a;
	w->fn = fn;
	w->arg = arg;
	w->first = first;
	/* asked before: wait on what this audit holds, never ask again (the
	 * cache may have dropped or renewed the entry meanwhile) */
	if (held != NULL)
		st = aa_resolver_want_held(a->res, held, a, audit_answer, w, &w->waiter);
	else
		st = aa_resolver_want_waiter(a->res, name, type, a, audit_answer, w, &rs, &w->waiter);
	if (st != AA_OK) {
		free(w);
		if (st == AA_ENOMEM)
			r->oom = 1; /* not asked: the report must not pass for complete */
		return st;
	}
	w->prev = NULL;
	w->next = a->wants;
	if (a->wants != NULL)
		a->wants->prev = w;
	a->wants = w;
	a->pending++;
	/* the view shares the cache entry; a pending one is replaced by a
	 * snapshot if the deadline passes first */
	if (held == NULL && aa_recordset_put(r->records, rs) != 0)
		r->oom = 1;
	return AA_OK;
}

/* Entries still on the wire are replaced in the view by a snapshot saying
 * the deadline passed, so the report never changes after it is handed out. */
static void
snapshot_pending(aa_report *r)
{
	size_t i;

	for (i = 0; i < aa_recordset_count(r->records); i++) {
		aa_rrset *rs = aa_recordset_at(r->records, i), *copy;
		if (rs->outcome != AA_OUT_PENDING)
			continue;
		if ((copy = aa_rrset_new(rs->name, rs->type)) == NULL) {
			r->oom = 1;
			continue;
		}
		copy->outcome = AA_OUT_DEADLINE;
		if (aa_recordset_put(r->records, copy) != 0)
			r->oom = 1;
		aa_rrset_unref(copy);
	}
}

void
aa_audit_close(aa_audit *a)
{
	aa_report *r = a->report;

	if (a->pending > 0) {
		cancel_wants(a);
		r->deadline_hit = 1;
	}
	snapshot_pending(r);
	aa_recordset_sort(r->records, r->domain);
}
