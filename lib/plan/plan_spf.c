/*
 * plan_spf.c — the SPF closure, asked asynchronously.  The apex TXT answer
 * (and every later answer of the closure) re-runs the walker over the
 * audit's view; whatever the walk reaches and the view lacks is wanted at
 * once, so one level of the include tree costs one round trip.  The walker
 * stops reaching at the RFC 7208 limits plus a margin.
 */
#include "check/spf_walk.h"
#include "plan/plan.h"
#include "records/addr.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void expand(aa_audit *a, const aa_rrset *rs, void *arg);

static void
need(void *arg, const char *name, aa_rrtype type)
{
	aa_audit *a = arg;

	if (aa_recordset_get(aa_audit_view(a), name, type) != NULL)
		return; /* asked already; its callback re-walks */
	/* only answers that can lead further need a re-walk */
	aa_audit_want(a, name, type, type == AA_T_TXT || type == AA_T_MX || type == AA_T_PTR ? expand : NULL,
	              NULL);
}

static void
walk_once(aa_audit *a, const char *ip)
{
	const aa_options *opt = aa_audit_options(a);
	aa_spf_walk_in in;
	unsigned lookups = 0, voids = 0;

	memset(&in, 0, sizeof(in));
	in.rs = aa_audit_view(a);
	in.domain = aa_audit_domain(a);
	in.ip = ip;
	in.sender = aa_spf_sender(opt, in.domain);
	in.helo = opt->helo;
	in.need = need;
	in.need_arg = a;
	aa_spf_node_free(aa_spf_walk(&in, &lookups, &voids));
}

static void
expand(aa_audit *a, const aa_rrset *rs, void *arg)
{
	const aa_options *opt = aa_audit_options(a);
	size_t i;

	(void)rs;
	(void)arg;
	walk_once(a, NULL);
	for (i = 0; i < opt->n_ips; i++)
		walk_once(a, opt->ips[i]);
}

void
aa_plan_spf(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	const char *d = aa_audit_domain(a);
	size_t i;

	aa_audit_want(a, d, AA_T_SPF, NULL, NULL);
	/* the base plan asks these too; we want to hear when they arrive */
	aa_audit_want(a, d, AA_T_MX, expand, NULL);
	aa_audit_want(a, d, AA_T_TXT, expand, NULL);
	for (i = 0; i < opt->n_ips; i++) {
		char *rev = aa_reverse_name(opt->ips[i]);
		if (rev != NULL)
			aa_audit_want(a, rev, AA_T_PTR, expand, NULL);
		free(rev);
	}
}
