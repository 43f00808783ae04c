/* plan_envelope.c — the Return-Path domain (--envelope-from): can it
 * receive bounces (MX, else A/AAAA)?  Its DMARC tree walk, for alignment.  When it is not the audited domain
 * (apache@web01.shop.example), receivers evaluate SPF for it: its SPF
 * closure is walked and asked too, as plan_spf.c does for the domain. */
#include "check/dmarc_walk.h"
#include "check/spf_walk.h"
#include "plan/plan.h"
#include "records/mailaddr.h"

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
	aa_audit_want(a, name, type, type == AA_T_TXT || type == AA_T_MX || type == AA_T_PTR ? expand : NULL,
	              NULL);
}

/* Walks the Return-Path domain's SPF closure over the view, wanting what
 * it lacks (with the first --ip, for macros and ptr). */
static void
expand(aa_audit *a, const aa_rrset *rs, void *arg)
{
	const aa_options *opt = aa_audit_options(a);
	aa_spf_walk_in in;
	unsigned lookups = 0, voids = 0;
	char *d = aa_envelope_domain(opt->envelope_from);

	(void)rs;
	(void)arg;
	if (d == NULL)
		return;
	memset(&in, 0, sizeof(in));
	in.rs = aa_audit_view(a);
	in.domain = d;
	in.ip = opt->n_ips > 0 ? opt->ips[0] : NULL;
	in.sender = opt->envelope_from;
	in.helo = opt->helo;
	in.need = need;
	in.need_arg = a;
	aa_spf_node_free(aa_spf_walk(&in, &lookups, &voids));
	free(d);
}

/* The DNS tree walk (RFC 9989 4.10) of the Return-Path domain, one lookup
 * after the other as plan_dmarc.c walks the From domain's: its
 * organizational domain decides relaxed alignment (4.10.2). */
static void
walk_on(aa_audit *a, const aa_rrset *rs, void *arg)
{
	char *d = aa_envelope_domain(aa_audit_options(a)->envelope_from);
	aa_dmarc_walk w;

	(void)rs;
	(void)arg;
	if (d == NULL)
		return;
	if (aa_dmarc_walk_read(aa_audit_view(a), d, &w) != AA_OK)
		aa_audit_report(a)->oom = 1;
	else if (w.state == AA_DMARC_WALK_ASK)
		aa_audit_want(a, w.step[w.nread].qname, AA_T_TXT, walk_on, NULL);
	aa_dmarc_walk_free(&w);
	free(d);
}

void
aa_plan_envelope(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	const char *why;
	char *d;

	if (opt->envelope_from == NULL || (d = aa_envelope_domain(opt->envelope_from)) == NULL)
		return;
	if (d[0] != '\0' && !aa_envelope_local_looking(d, &why)) {
		aa_audit_want(a, d, AA_T_MX, NULL, NULL);
		aa_audit_want(a, d, AA_T_A, NULL, NULL);
		aa_audit_want(a, d, AA_T_AAAA, NULL, NULL);
		if (strcasecmp(d, aa_audit_domain(a)) != 0) {
			aa_audit_want(a, d, AA_T_TXT, expand, NULL);
			walk_on(a, NULL, NULL);
		}
	}
	free(d);
}
