/*
 * plan_dkim.c — DKIM selector probes: the built-in provider selectors and
 * every --selector, each asked once; the report records which were probed.
 *
 * Most domains have no key at most of the 22 built-in selectors, and those
 * probes are most of an audit's queries.  So _domainkey.DOMAIN is asked with
 * the first queries, beside the guard selectors (selector1, selector2,
 * google) and every --selector.  A real NXDOMAIN there says nothing exists
 * below it (RFC 8020), so the other selectors are not asked.  If a guard
 * selector exists all the same, the server breaks RFC 8020 for empty
 * non-terminals: every selector is probed, and the report says so.  NODATA
 * (an empty non-terminal: some selector exists), a CNAME, or any failure
 * means every selector is probed, as without this.
 */
#include "plan/plan.h"
#include "tables/selectors.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void decision_input(aa_audit *a, const aa_rrset *rs, void *arg);

/* Records `sel` as probed (once); returns the name to ask, or NULL when
 * it was probed already (or on OOM, with r->oom set). */
static char *
probe_name(aa_audit *a, aa_report *r, const char *sel)
{
	char *name = aa_concat(sel, "._domainkey.", aa_audit_domain(a), (char *)NULL);
	char **n;
	size_t j;

	for (j = 0; j < r->nselectors; j++)
		if (strcasecmp(r->selectors[j], sel) == 0) {
			free(name);
			return NULL;
		}
	if (name == NULL) {
		r->oom = 1;
		return NULL;
	}
	n = realloc(r->selectors, (r->nselectors + 1) * sizeof(*n));
	if (n == NULL || (n[r->nselectors] = strdup(sel)) == NULL) {
		if (n != NULL)
			r->selectors = n;
		r->oom = 1;
		free(name);
		return NULL;
	}
	r->selectors = n;
	r->nselectors++;
	return name;
}

/* A guard selector: probed at once, and an input of the decision. */
static aa_status
want_guard(aa_audit *a, aa_report *r, const char *sel)
{
	char *name = probe_name(a, r, sel);
	aa_status st;

	if (name == NULL) /* also a --selector: asked, but its answer is not awaited */
		return AA_EINVAL;
	st = aa_audit_want(a, name, AA_T_TXT, decision_input, NULL);
	free(name);
	return st;
}

static void
want_selector(aa_audit *a, aa_report *r, const char *sel)
{
	char *name = probe_name(a, r, sel);

	if (name == NULL)
		return;
	/* A CNAME'd selector is chased by the resolver (rs->chain): no
	 * follow-up needed here. */
	aa_audit_want(a, name, AA_T_TXT, NULL, NULL);
	free(name);
}

static const aa_rrset *
view_of(aa_audit *a, const char *label)
{
	char *name = aa_concat(label, "._domainkey.", aa_audit_domain(a), (char *)NULL);
	const aa_rrset *rs = name != NULL ? aa_recordset_get(aa_audit_view(a), name, AA_T_TXT) : NULL;

	free(name);
	return rs;
}

static int
nxdomain(const aa_rrset *rs)
{
	return rs != NULL && rs->outcome == AA_OUT_NXDOMAIN && rs->nchain == 0;
}

/* _domainkey and the guards are in: probe the rest, or not. */
static void
choose_probes(aa_audit *a)
{
	aa_report *r = aa_audit_report(a);
	const aa_rrset *dk;
	const char *broken = NULL;
	size_t i;
	int skip;

	{
		char *name = aa_printf("_domainkey.%s", aa_audit_domain(a));
		dk = name != NULL ? aa_recordset_get(aa_audit_view(a), name, AA_T_TXT) : NULL;
		free(name);
	}
	skip = nxdomain(dk);
	for (i = 0; skip && i < aa_nselectors; i++) {
		const aa_rrset *g;
		if (!aa_selectors[i].guard)
			continue;
		g = view_of(a, aa_selectors[i].name);
		if (g == NULL || aa_outcome_is_error(g->outcome) || g->outcome == AA_OUT_PENDING) {
			skip = 0; /* not known: probe as without the shortcut */
		} else if (!nxdomain(g)) {
			skip = 0;
			broken = aa_selectors[i].name;
		}
	}
	free(r->dkim_note);
	r->dkim_note = NULL;
	if (skip) {
		r->dkim_note = aa_printf("_domainkey.%s does not exist (NXDOMAIN), so no selector can exist "
		                         "below it (RFC 8020): the other built-in selectors were not asked",
		                         aa_audit_domain(a));
		return;
	}
	if (broken != NULL)
		r->dkim_note =
		    aa_printf("the server answered NXDOMAIN for _domainkey.%s although %s._domainkey.%s "
		              "exists (it breaks RFC 8020 for empty non-terminals): every selector "
		              "was probed",
		              aa_audit_domain(a), broken, aa_audit_domain(a));
	for (i = 0; i < aa_nselectors; i++)
		if (!aa_selectors[i].guard)
			want_selector(a, r, aa_selectors[i].name);
}

static void
decision_input(aa_audit *a, const aa_rrset *rs, void *arg)
{
	aa_report *r = aa_audit_report(a);

	(void)rs;
	(void)arg;
	if (r->dkim_wait > 0 && --r->dkim_wait == 0)
		choose_probes(a);
}

void
aa_plan_dkim(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	aa_report *r = aa_audit_report(a);
	char *name;
	size_t i;

	for (i = 0; i < opt->n_selectors; i++)
		want_selector(a, r, opt->selectors[i]);
	if ((name = aa_printf("_domainkey.%s", aa_audit_domain(a))) == NULL) {
		r->oom = 1;
		return;
	}
	/* the decision waits for _domainkey and every guard */
	r->dkim_wait = 1;
	for (i = 0; i < aa_nselectors; i++)
		r->dkim_wait += aa_selectors[i].guard != 0;
	if (aa_audit_want(a, name, AA_T_TXT, decision_input, NULL) != AA_OK)
		r->dkim_wait--;
	free(name);
	for (i = 0; i < aa_nselectors; i++)
		if (aa_selectors[i].guard && want_guard(a, r, aa_selectors[i].name) != AA_OK)
			r->dkim_wait--;
	if (r->dkim_wait == 0)
		choose_probes(a);
}
