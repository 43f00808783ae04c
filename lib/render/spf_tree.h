/* spf_tree.h — the SPF include tree of a report, drawn for people. */
#ifndef AA_SPF_TREE_H
#define AA_SPF_TREE_H

#include <stdio.h>

#include "report/report.h"

/* The include tree for the text report (nothing without a record); UTF-8
 * box drawing when `unicode`, else ASCII. */
void aa_render_spf_tree(const aa_report *r, FILE *out, int unicode, int width);

#endif
