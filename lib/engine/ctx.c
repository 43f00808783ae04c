/* ctx.c — the run: one resolver, many audits, the event loop. */
#include "engine/audit.h"
#include "dns/resolver.h"
#include "report/score.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct aa_audit {
	aa_ctx *ctx;
	aa_report *report;
	size_t pending;  /* waiters registered and not yet called */
	size_t wanted;   /* distinct (name, type) asked: the budget count */
	long long deadline; /* monotonic ms */
	aa_done_fn done;
	void *done_arg;
	aa_audit *next;
};

struct aa_ctx {
	aa_options opt;
	aa_resolver *res;
	aa_audit *audits;
	unsigned long audits_done;
};

/* one pending callback of an audit */
struct want {
	aa_audit *a;
	aa_audit_fn fn;
	void *arg;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
aa_strstatus(aa_status st)
{
	switch (st) {
	case AA_OK:
		return "success";
	case AA_ENOMEM:
		return "out of memory";
	case AA_EINVAL:
		return "invalid argument";
	case AA_EDOMAIN:
		return "not a valid domain name";
	case AA_ERESOLVER:
		return "invalid resolver address (use ADDR[:PORT][,...], IPv6 as [ADDR]:PORT)";
	case AA_ELIMIT:
		return "query budget exhausted";
	case AA_EIO:
		return "system error while waiting for DNS answers";
	}
	return "unknown error";
}

void
aa_options_init(aa_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->timeout_ms = 2000;
	opt->tries = 2;
	opt->deadline_ms = 20000;
	opt->query_budget = 400;
	opt->max_inflight = 4096;
}

aa_status
aa_ctx_new(const aa_options *opt, aa_ctx **out)
{
	aa_ctx *ctx;
	aa_status st;

	*out = NULL;
	if (opt == NULL)
		return AA_EINVAL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return AA_ENOMEM;
	ctx->opt = *opt;
	if ((st = aa_resolver_new(opt, &ctx->res)) != AA_OK) {
		free(ctx);
		return st;
	}
	*out = ctx;
	return AA_OK;
}

static void
audit_free(aa_audit *a)
{
	aa_report_free(a->report);
	free(a);
}

void
aa_ctx_free(aa_ctx *ctx)
{
	aa_audit *a, *next;

	if (ctx == NULL)
		return;
	for (a = ctx->audits; a != NULL; a = next) {
		next = a->next;
		aa_resolver_cancel(ctx->res, a, free);
		audit_free(a);
	}
	aa_resolver_free(ctx->res);
	free(ctx);
}

void
aa_ctx_stats(const aa_ctx *ctx, aa_stats *out)
{
	aa_resolver_stats(ctx->res, out);
	out->audits_done = ctx->audits_done;
}

const char *
aa_audit_domain(const aa_audit *a)
{
	return a->report->domain;
}

const aa_options *
aa_audit_options(const aa_audit *a)
{
	return &a->ctx->opt;
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
	struct want *w = arg;
	aa_audit *a = owner;

	a->pending--;
	if (w->fn != NULL)
		w->fn(a, rs, w->arg);
	free(w);
}

aa_status
aa_audit_want(aa_audit *a, const char *name, aa_rrtype type, aa_audit_fn fn, void *arg)
{
	aa_report *r = a->report;
	struct want *w;
	aa_rrset *rs;
	aa_status st;

	if (aa_name_askable(name) != 0)
		return AA_EDOMAIN;
	if (aa_recordset_get(r->records, name, type) == NULL) {
		if (a->wanted >= (size_t)a->ctx->opt.query_budget) {
			a->report->budget_hit = 1;
			if ((rs = aa_rrset_new(name, type)) == NULL)
				return AA_ENOMEM;
			rs->outcome = AA_OUT_BUDGET;
			st = aa_recordset_put(r->records, rs) == 0 ? AA_ELIMIT : AA_ENOMEM;
			aa_rrset_unref(rs);
			return st;
		}
		a->wanted++;
	} else if (fn == NULL) {
		return AA_OK; /* already asked, nobody to tell */
	}
	if ((w = malloc(sizeof(*w))) == NULL)
		return AA_ENOMEM;
	w->a = a;
	w->fn = fn;
	w->arg = arg;
	st = aa_resolver_want(a->ctx->res, name, type, a, audit_answer, w, &rs);
	if (st != AA_OK) {
		free(w);
		return st;
	}
	a->pending++;
	/* the view shares the cache entry; a pending one is replaced by a
	 * snapshot if the deadline passes first */
	if (aa_recordset_get(r->records, name, type) == NULL && aa_recordset_put(r->records, rs) != 0)
		r->oom = 1;
	return AA_OK;
}

aa_status
aa_ctx_add(aa_ctx *ctx, const char *domain, aa_done_fn done, void *arg)
{
	const char *why;
	aa_audit *a;
	char *name;
	aa_status st;
	size_t i;

	if (ctx == NULL || done == NULL)
		return AA_EINVAL;
	if ((st = aa_domain_normalize(domain, &name, &why)) != AA_OK)
		return st;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		free(name);
		return AA_ENOMEM;
	}
	a->report = aa_report_new(name);
	free(name);
	if (a->report == NULL) {
		free(a);
		return AA_ENOMEM;
	}
	a->report->resolver = strdup(ctx->opt.resolvers ? ctx->opt.resolvers : "system (resolv.conf)");
	a->ctx = ctx;
	a->done = done;
	a->done_arg = arg;
	a->deadline = now_ms() + (ctx->opt.deadline_ms > 0 ? ctx->opt.deadline_ms : 20000);
	a->next = ctx->audits;
	ctx->audits = a;
	for (i = 0; i < aa_nmodules; i++)
		if (aa_modules[i].plan != NULL)
			aa_modules[i].plan(a);
	return AA_OK;
}

void
aa_run_checks(const aa_check_in *in, aa_report *r)
{
	size_t i;

	for (i = 0; i < aa_nmodules; i++)
		if (aa_modules[i].check != NULL)
			aa_modules[i].check(in, r);
	aa_check_cross(in, r);
	aa_score(r);
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

static void
audit_finish(aa_ctx *ctx, aa_audit *a)
{
	aa_audit **pp;
	aa_check_in in;
	aa_report *r = a->report;

	for (pp = &ctx->audits; *pp != a; pp = &(*pp)->next)
		;
	*pp = a->next;
	if (a->pending > 0) {
		aa_resolver_cancel(ctx->res, a, free);
		r->deadline_hit = 1;
	}
	snapshot_pending(r);
	aa_recordset_sort(r->records, r->domain);
	in.domain = r->domain;
	in.rs = r->records;
	in.opt = &ctx->opt;
	aa_run_checks(&in, r);
	clock_gettime(CLOCK_REALTIME, &r->finished);
	a->report = NULL;
	ctx->audits_done++;
	a->done(r, a->done_arg);
	free(a);
}

aa_status
aa_ctx_run(aa_ctx *ctx)
{
	aa_audit *a, *next;
	long long now, wait;
	aa_status st;

	for (;;) {
		aa_resolver_dispatch(ctx->res);
		now = now_ms();
		wait = -1;
		for (a = ctx->audits; a != NULL; a = next) {
			next = a->next;
			if (a->pending == 0 || now >= a->deadline)
				audit_finish(ctx, a);
			else if (wait < 0 || a->deadline - now < wait)
				wait = a->deadline - now;
		}
		if (ctx->audits == NULL)
			return AA_OK;
		if ((st = aa_resolver_wait(ctx->res, (int)wait)) != AA_OK)
			return st;
	}
}
