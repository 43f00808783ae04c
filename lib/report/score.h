/* score.h — the 0-100 score and A-F grade of a report. */
#ifndef AA_SCORE_H
#define AA_SCORE_H

#include "report/report.h"

/* Points one finding of each severity costs (info costs nothing). */
extern const int aa_severity_cost[5];

/* Fills r->score, r->grade and each finding's cost.  Deterministic: each
 * code costs once (its worst instance), so ten void lookups do not cost ten
 * times; an incomplete audit is graded C at best. */
void aa_score(aa_report *r);

#endif
