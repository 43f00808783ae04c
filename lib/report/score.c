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

void
aa_score(aa_report *r)
{
	int score = 100;
	size_t i;

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
