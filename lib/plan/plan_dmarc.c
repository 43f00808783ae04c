/*
 * plan_dmarc.c — DMARC discovery by the DNS tree walk of RFC 9989 4.10:
 * _dmarc at the domain, then up the tree (the shortcut to seven labels,
 * one label less each time) until a record with psd=y or psd=n stops the
 * walk or no label is left; one lookup at a time, since each answer decides
 * whether there is a next.  The walk goes on after the domain's own record
 * is found: it also gives the organizational domain (4.10.2).  A failed
 * lookup ends the walk undecided.  Then the authorisation records of the
 * applicable record's external report destinations.
 */
#include "check/dmarc_read.h"
#include "check/dmarc_walk.h"
#include "plan/plan.h"
#include "util/util.h"

static void
want_txt(const char *name, void *arg)
{
	aa_audit_want(arg, name, AA_T_TXT, NULL, NULL);
}

static void
walk_on(aa_audit *a, const aa_rrset *rs, void *arg)
{
	aa_dmarc_walk w;
	const aa_dmarc_step *s = NULL;

	(void)rs;
	(void)arg;
	if (aa_dmarc_walk_read(aa_audit_view(a), aa_audit_domain(a), &w) != AA_OK) {
		aa_dmarc_walk_free(&w);
		aa_audit_report(a)->oom = 1;
		return;
	}
	if (w.state == AA_DMARC_WALK_ASK)
		aa_audit_want(a, w.step[w.nread].qname, AA_T_TXT, walk_on, NULL);
	/* the domain's own record applies whatever the walk finds above it */
	if (w.nread > 0 && w.step[0].record != NULL)
		s = &w.step[0];
	else if (w.state == AA_DMARC_WALK_DONE && w.policy >= 0)
		s = &w.step[w.policy];
	if (s != NULL)
		aa_dmarc_authorisation_names(s->rs, want_txt, a);
	aa_dmarc_walk_free(&w);
}

void
aa_plan_dmarc(aa_audit *a)
{
	walk_on(a, NULL, NULL);
}
