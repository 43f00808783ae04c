/* plan_dkim.c — DKIM selector probes: the built-in provider selectors and
 * every --selector, each asked once; the report records which were probed. */
#include "plan/plan.h"
#include "tables/selectors.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
want_selector(aa_audit *a, aa_report *r, const char *sel)
{
	char *name = aa_printf("%s._domainkey.%s", sel, aa_audit_domain(a));
	char **n;
	size_t j;

	for (j = 0; j < r->nselectors; j++)
		if (strcasecmp(r->selectors[j], sel) == 0) {
			free(name);
			return;
		}
	if (name == NULL) {
		r->oom = 1;
		return;
	}
	/* A CNAME'd selector is chased by the resolver (rs->chain): no
	 * follow-up needed here. */
	aa_audit_want(a, name, AA_T_TXT, NULL, NULL);
	free(name);
	n = realloc(r->selectors, (r->nselectors + 1) * sizeof(*n));
	if (n == NULL || (n[r->nselectors] = strdup(sel)) == NULL) {
		if (n != NULL)
			r->selectors = n;
		r->oom = 1;
		return;
	}
	r->selectors = n;
	r->nselectors++;
}

void
aa_plan_dkim(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	aa_report *r = aa_audit_report(a);
	size_t i;

	for (i = 0; i < aa_nselectors; i++)
		want_selector(a, r, aa_selectors[i].name);
	for (i = 0; i < opt->n_selectors; i++)
		want_selector(a, r, opt->selectors[i]);
}
