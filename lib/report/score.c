/* score.c — score and grade from the findings' severities (see authaudit(1), SCORING). */
#include "report/score.h"

#include <string.h>

const int aa_severity_cost[5] = {
    [AA_SEV_INFO] = 0, [AA_SEV_LOW] = 3, [AA_SEV_MEDIUM] = 8, [AA_SEV_HIGH] = 20, [AA_SEV_CRITICAL] = 45,
};

static const struct {
	int min;
	char grade;
} grades[] = {{90, 'A'}, {75, 'B'}, {60, 'C'}, {40, 'D'}, {0, 'F'}};

/* The worst instance of f's code, first of equals: the one that costs. */
static int
is_costing_instance(const aa_report *r, size_t idx)
{
	const aa_finding *f = r->findings[idx];
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const aa_finding *g = r->findings[i];
		if (i == idx || g->def->id != f->def->id)
			continue;
		if (g->severity > f->severity || (g->severity == f->severity && i < idx))
			return 0;
	}
	return 1;
}

/* Two audits have nothing to grade, and say so rather than grade a guess:
 * one where every lookup failed is not graded (its only finding,
 * DNS_UNREACHABLE, blames the resolver path), and one whose domain does
 * not exist is F with score 0 (its only finding, DOMAIN_NXDOMAIN, costs
 * everything; every other finding would follow from the missing name).
 * Returns non-zero when it settled the report. */
static int
score_nothing_to_grade(aa_report *r)
{
	if (aa_report_find(r, AA_F_DNS_UNREACHABLE) != NULL) {
		aa_report_keep_only(r, AA_F_DNS_UNREACHABLE);
		r->findings[0]->cost = 0;
		r->score = -1;
		r->grade = '-';
		r->not_graded = "no DNS answers";
		r->complete = 0;
		return 1;
	}
	if (aa_report_find(r, AA_F_DOMAIN_NXDOMAIN) != NULL) {
		aa_report_keep_only(r, AA_F_DOMAIN_NXDOMAIN);
		r->findings[0]->cost = 100;
		r->score = 0;
		r->grade = 'F';
		r->complete = !aa_report_incomplete(r);
		return 1;
	}
	return 0;
}

void
aa_score(aa_report *r)
{
	int score = 100;
	size_t i;

	if (score_nothing_to_grade(r))
		return;
	for (i = 0; i < r->nfindings; i++) {
		aa_finding *f = r->findings[i];
		f->cost = is_costing_instance(r, i) ? aa_severity_cost[f->severity] : 0;
		score -= f->cost;
	}
	if (score < 0)
		score = 0;
	r->score = score;
	for (i = 0; i < sizeof(grades) / sizeof(grades[0]); i++)
		if (score >= grades[i].min) {
			r->grade = grades[i].grade;
			break;
		}
	r->complete = !aa_report_incomplete(r);
	if (!r->complete && r->grade < 'C')
		r->grade = 'C';
}
