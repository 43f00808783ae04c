/* render.c — choosing a renderer. */
#include "render/render.h"
#include "util/names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const aa_name_entry format_names[] = {
    {AA_FORMAT_TEXT, "text"},     {AA_FORMAT_RECORDS, "records"},     {AA_FORMAT_JSON, "json"},
    {AA_FORMAT_NDJSON, "ndjson"}, {AA_FORMAT_CHECKLIST, "checklist"}, {AA_FORMAT_EMAIL, "email"},
};

aa_status
aa_format_parse(const char *s, aa_format *out)
{
	int id;

	if (aa_id_of(format_names, AA_NAMES_N(format_names), s, &id) != AA_OK)
		return AA_EINVAL;
	*out = (aa_format)id;
	return AA_OK;
}

void
aa_render_opts_init(aa_render_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = AA_FORMAT_TEXT;
	o->quiet_min = AA_SEV_HIGH;
	o->width = 80;
}

aa_status
aa_report_write(const aa_report *r, const aa_render_opts *o, FILE *out)
{
	if (r->oom)
		return AA_ENOMEM;
	switch (o->format) {
	case AA_FORMAT_TEXT:
		return aa_render_text(r, o, out);
	case AA_FORMAT_RECORDS:
		return aa_render_records(r, o, out);
	case AA_FORMAT_JSON:
		return aa_render_json(r, 0, out);
	case AA_FORMAT_NDJSON:
		return aa_render_json(r, 1, out);
	case AA_FORMAT_CHECKLIST:
		return aa_render_checklist(r, o, out);
	case AA_FORMAT_EMAIL: /* a drift report only (aa_drift_write) */
		break;
	}
	return AA_EINVAL;
}

aa_status
aa_report_render(const aa_report *r, const aa_render_opts *o, char **buf, size_t *cap, size_t *len)
{
	aa_status st;
	char *text = NULL;
	size_t n = 0;
	FILE *mem;

	*len = 0;
	if (r->oom)
		return AA_ENOMEM;
	if (o->format == AA_FORMAT_JSON || o->format == AA_FORMAT_NDJSON) {
		/* no stdio stream between jansson and the text, and the caller's
		 * buffer reused: a batch renders thousands of these a second */
		aa_buf b = {.p = *buf, .cap = *buf != NULL ? *cap : 0, .max = SIZE_MAX / 2};
		st = aa_render_json_buf(r, o->format == AA_FORMAT_NDJSON, &b);
		*buf = b.p;
		*cap = b.cap;
		*len = st == AA_OK ? b.len : 0;
		return st;
	}
	if ((mem = open_memstream(&text, &n)) == NULL)
		return AA_ENOMEM;
	st = aa_report_write(r, o, mem);
	if (fclose(mem) != 0 && st == AA_OK)
		st = AA_ENOMEM;
	if (st == AA_OK && n + 1 > (*buf != NULL ? *cap : 0)) {
		char *grown = realloc(*buf, n + 1);
		if (grown == NULL)
			st = AA_ENOMEM;
		else {
			*buf = grown;
			*cap = n + 1;
		}
	}
	if (st == AA_OK) {
		memcpy(*buf, text, n + 1);
		*len = n;
	}
	free(text);
	return st;
}
