/* ctx.c — the run: one resolver, many audits (plan/audit.c), the event
 * loop, and each audit's end: the checks over its view, then its report. */
#include "dns/resolver.h"
#include "engine/audit.h"
#include "plan/audit.h"
#include "report/score.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A domain added while max_audits audits are running: it starts (and its
 * deadline with it) when one of them ends. */
struct queued {
	char *domain; /* normalised */
	aa_done_fn done;
	void *arg;
	struct queued *next;
};

struct aa_ctx {
	aa_options opt;
	aa_resolver *res;
	/* running audits: a min-heap on the deadline (the next to expire is
	 * heap[0]), so the loop never walks all of them */
	aa_audit **heap;
	size_t nheap, capheap;
	aa_audit *idle; /* running audits whose last want has been answered */
	struct queued *queue, *queue_tail;
	size_t max_audits;
	aa_feed_fn feed; /* more domains, on demand */
	void *feed_arg;
	int feed_done;
	unsigned long audits_done;
	unsigned long max_running;
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
	opt->max_audits = 256;
	opt->cache_bytes = (size_t)16 << 20;
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
	ctx->max_audits = opt->max_audits > 0 ? (size_t)opt->max_audits : 256;
	ctx->feed_done = 1;
	if ((st = aa_resolver_new(opt, &ctx->res)) != AA_OK) {
		free(ctx);
		return st;
	}
	*out = ctx;
	return AA_OK;
}

void
aa_ctx_free(aa_ctx *ctx)
{
	struct queued *q, *next;
	size_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->nheap; i++)
		aa_audit_free(ctx->heap[i]);
	free(ctx->heap);
	for (q = ctx->queue; q != NULL; q = next) {
		next = q->next;
		free(q->domain);
		free(q);
	}
	aa_resolver_free(ctx->res);
	free(ctx);
}

void
aa_ctx_stats(const aa_ctx *ctx, aa_stats *out)
{
	aa_resolver_stats(ctx->res, out);
	out->audits_done = ctx->audits_done;
	out->max_audits_in_flight = ctx->max_running;
}

/* ---- the deadline heap --------------------------------------------------- */

static void
heap_set(aa_ctx *ctx, size_t i, aa_audit *a)
{
	ctx->heap[i] = a;
	a->heap_index = i;
}

static void
heap_up(aa_ctx *ctx, size_t i)
{
	aa_audit *a = ctx->heap[i];

	while (i > 0 && ctx->heap[(i - 1) / 2]->deadline > a->deadline) {
		heap_set(ctx, i, ctx->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(ctx, i, a);
}

static void
heap_down(aa_ctx *ctx, size_t i)
{
	aa_audit *a = ctx->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < ctx->nheap) {
		if (c + 1 < ctx->nheap && ctx->heap[c + 1]->deadline < ctx->heap[c]->deadline)
			c++;
		if (ctx->heap[c]->deadline >= a->deadline)
			break;
		heap_set(ctx, i, ctx->heap[c]);
		i = c;
	}
	heap_set(ctx, i, a);
}

static void
heap_remove(aa_ctx *ctx, aa_audit *a)
{
	size_t i = a->heap_index;
	aa_audit *last = ctx->heap[--ctx->nheap];

	if (i == ctx->nheap)
		return;
	heap_set(ctx, i, last);
	heap_down(ctx, i);
	heap_up(ctx, last->heap_index);
}

/* The audit's last pending want has been answered (plan/audit.c calls this):
 * the loop finishes it next, unless a callback asked for more meanwhile. */
static void
audit_idle(aa_audit *a, void *arg)
{
	aa_ctx *ctx = arg;

	if (a->on_idle_list)
		return;
	a->on_idle_list = 1;
	a->next = ctx->idle;
	ctx->idle = a;
}

/* Starts an audit of a normalised domain: its deadline counts from now. */
static aa_status
audit_start(aa_ctx *ctx, const char *name, aa_done_fn done, void *arg)
{
	aa_audit *a;
	size_t i;

	if (aa_grow(&ctx->heap, &ctx->capheap, ctx->nheap + 1, sizeof(*ctx->heap)) != AA_OK ||
	    (a = aa_audit_new(&ctx->opt, ctx->res, name)) == NULL)
		return AA_ENOMEM;
	a->done = done;
	a->done_arg = arg;
	a->on_idle = audit_idle;
	a->on_idle_arg = ctx;
	a->deadline = now_ms() + (ctx->opt.deadline_ms > 0 ? ctx->opt.deadline_ms : 20000);
	heap_set(ctx, ctx->nheap++, a);
	heap_up(ctx, ctx->nheap - 1);
	if (ctx->nheap > ctx->max_running)
		ctx->max_running = ctx->nheap;
	for (i = 0; i < aa_nmodules; i++)
		if (aa_modules[i].plan != NULL)
			aa_modules[i].plan(a);
	if (a->pending == 0)
		audit_idle(a, ctx);
	return AA_OK;
}

aa_status
aa_ctx_add(aa_ctx *ctx, const char *domain, aa_done_fn done, void *arg)
{
	struct queued *q;
	const char *why;
	char *name;
	aa_status st;

	if (ctx == NULL || done == NULL)
		return AA_EINVAL;
	if ((st = aa_domain_normalize(domain, &name, &why)) != AA_OK)
		return st;
	if (ctx->nheap < ctx->max_audits && ctx->queue == NULL) {
		st = audit_start(ctx, name, done, arg);
		free(name);
		return st;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		free(name);
		return AA_ENOMEM;
	}
	q->domain = name;
	q->done = done;
	q->arg = arg;
	if (ctx->queue_tail != NULL)
		ctx->queue_tail->next = q;
	else
		ctx->queue = q;
	ctx->queue_tail = q;
	return AA_OK;
}

void
aa_ctx_set_feed(aa_ctx *ctx, aa_feed_fn feed, void *arg)
{
	ctx->feed = feed;
	ctx->feed_arg = arg;
	ctx->feed_done = feed == NULL;
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

static void
audit_finish(aa_ctx *ctx, aa_audit *a)
{
	aa_check_in in;
	aa_report *r = a->report;

	heap_remove(ctx, a);
	aa_audit_close(a);
	in.domain = r->domain;
	in.rs = r->records;
	in.opt = &ctx->opt;
	aa_run_checks(&in, r);
	clock_gettime(CLOCK_REALTIME, &r->finished);
	a->report = NULL;
	ctx->audits_done++;
	a->done(r, a->done_arg);
	aa_audit_free(a);
}

/* Starts queued domains, then asks the feed for more, while fewer than
 * max_audits run. */
static aa_status
fill(aa_ctx *ctx)
{
	struct queued *q;
	aa_status st;

	while (ctx->nheap < ctx->max_audits && (q = ctx->queue) != NULL) {
		ctx->queue = q->next;
		if (ctx->queue == NULL)
			ctx->queue_tail = NULL;
		st = audit_start(ctx, q->domain, q->done, q->arg);
		free(q->domain);
		free(q);
		if (st != AA_OK)
			return st;
	}
	while (ctx->nheap < ctx->max_audits && ctx->queue == NULL && !ctx->feed_done) {
		int more = ctx->feed(ctx, ctx->feed_arg);
		if (more == 0)
			ctx->feed_done = 1;
		if (more <= 0)
			break; /* done, or not now: asked again on the next turn */
	}
	return AA_OK;
}

aa_status
aa_ctx_run(aa_ctx *ctx)
{
	long long now, wait;
	aa_audit *a;
	aa_status st;

	if (ctx->feed != NULL)
		ctx->feed_done = 0;
	for (;;) {
		if ((st = fill(ctx)) != AA_OK)
			return st;
		aa_resolver_dispatch(ctx->res);
		/* audits whose answers are all in */
		while ((a = ctx->idle) != NULL) {
			ctx->idle = a->next;
			a->on_idle_list = 0;
			if (a->pending == 0)
				audit_finish(ctx, a);
		}
		/* audits whose deadline passed, soonest first */
		now = now_ms();
		while (ctx->nheap > 0 && ctx->heap[0]->deadline <= now)
			audit_finish(ctx, ctx->heap[0]);
		if ((st = fill(ctx)) != AA_OK)
			return st;
		if (ctx->nheap == 0 && ctx->queue == NULL && ctx->idle == NULL)
			return AA_OK;
		if (ctx->idle != NULL)
			continue;
		wait = ctx->nheap > 0 ? ctx->heap[0]->deadline - now : 0;
		if ((st = aa_resolver_wait(ctx->res, (int)(wait < 0 ? 0 : wait))) != AA_OK)
			return st;
	}
}
