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

struct aa_ctx {
	aa_options opt;
	aa_resolver *res;
	aa_audit *audits;
	unsigned long audits_done;
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

void
aa_ctx_free(aa_ctx *ctx)
{
	aa_audit *a, *next;

	if (ctx == NULL)
		return;
	for (a = ctx->audits; a != NULL; a = next) {
		next = a->next;
		aa_audit_free(a);
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
	a = aa_audit_new(&ctx->opt, ctx->res, name);
	free(name);
	if (a == NULL)
		return AA_ENOMEM;
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

static void
audit_finish(aa_ctx *ctx, aa_audit *a)
{
	aa_audit **pp;
	aa_check_in in;
	aa_report *r = a->report;

	for (pp = &ctx->audits; *pp != a; pp = &(*pp)->next)
		;
	*pp = a->next;
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
