/*
 * bench_resolver — how many queries per second the resolver layer sustains
 * against a local knotd (fixtures/zones/resolver.test.zone's wildcard), with
 * N distinct names and up to INFLIGHT on the wire.  `make bench` runs it.
 *
 *   bench_resolver [N [INFLIGHT]]     (default 50000 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns/resolver.h"
#include "harness.h"

static void
count(void *owner, aa_rrset *rs, void *arg)
{
	long *c = owner;

	(void)arg;
	c[rs->outcome == AA_OUT_ANSWER ? 0 : 1]++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 50000, counts[2] = {0, 0}, i;
	int inflight = argc > 2 ? atoi(argv[2]) : 1000;
	char server[64], name[80];
	aa_resolver *res;
	aa_options opt;
	aa_stats st;
	harness h;
	double t0, t;

	memset(&h, 0, sizeof(h));
	if (n <= 0 || inflight <= 0 || harness_start(&h, "fixtures/zones", NULL) != 0)
		return 1;
	snprintf(server, sizeof(server), "127.0.0.1:%d", h.knot_port);
	aa_options_init(&opt);
	opt.resolvers = server;
	opt.max_inflight = inflight;
	opt.timeout_ms = 1000;
	opt.tries = 3;
	if (aa_resolver_new(&opt, &res) != AA_OK)
		return 1;
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "b%ld.many.resolver.test", i);
		if (aa_resolver_want(res, name, AA_T_TXT, counts, count, NULL, NULL) != AA_OK)
			return 1;
	}
	while (aa_resolver_busy(res)) {
		aa_resolver_dispatch(res);
		if (aa_resolver_wait(res, 100) != AA_OK)
			return 1;
	}
	t = now() - t0;
	aa_resolver_stats(res, &st);
	printf("bench_resolver: %ld queries (%ld answers, %ld failures), max %lu in flight, "
	       "%.2f s: %.0f queries/s\n",
	       n, counts[0], counts[1], st.max_in_flight, t, (double)n / t);
	aa_resolver_free(res);
	harness_stop(&h);
	return counts[1] == 0 ? 0 : 1;
}
