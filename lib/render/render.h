/* render.h — the renderers behind aa_report_write(); they read a report and
 * never decide anything. */
#ifndef AA_RENDER_H
#define AA_RENDER_H

#include <stdio.h>

#include "report/report.h"
#include "util/util.h"

aa_status aa_render_text(const aa_report *r, const aa_render_opts *o, FILE *out);
aa_status aa_render_records(const aa_report *r, const aa_render_opts *o, FILE *out);
aa_status aa_render_json(const aa_report *r, int one_line, FILE *out);
/* The JSON document and its line end, appended to out. */
aa_status aa_render_json_buf(const aa_report *r, int one_line, aa_buf *out);
aa_status aa_render_checklist(const aa_report *r, const aa_render_opts *o, FILE *out);

#endif
