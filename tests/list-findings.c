/*
 * list-findings — prints the finding catalogue (report/findings.def) one
 * code a line, "CODE severity area", for tests/check-man, which compares it
 * with the FINDINGS section of man/authaudit.1.
 */
#include <stdio.h>

#include "report/findings.h"

int
main(void)
{
	size_t i;

	for (i = 0; i < aa_finding_count(); i++) {
		const aa_finding_def *d = aa_finding_at(i);

		printf("%s %s %s\n", d->code, aa_severity_name(d->severity), aa_area_name(d->area));
	}
	return fflush(stdout) != 0 || ferror(stdout);
}
