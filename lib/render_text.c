/* render_text.c — the report for people: findings worst first, then records. */
#include "report.h"
#include "spf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH 78

static const char *const sev_color[] = {"\033[36m", "\033[34m", "\033[33m", "\033[31m",
                                        "\033[1;31m"};
#define RESET "\033[0m"
#define DIM "\033[2m"

/* Prints `text` word-wrapped at WIDTH with `indent` spaces on every line. */
static void
wrap(FILE *out, int indent, const char *label, const char *text)
{
	int col = indent, first = 1;
	const char *p = text;

	fprintf(out, "%*s%s", indent, "", label);
	col += (int)strlen(label);
	while (*p) {
		size_t w = strcspn(p, " ");
		if (!first && col + 1 + (int)w > WIDTH) {
			fprintf(out, "\n%*s", indent + (int)strlen(label), "");
			col = indent + (int)strlen(label);
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += (int)w;
		first = 0;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static void
print_record(FILE *out, const aa_rrset *rs, const aa_record *rec)
{
	size_t i;

	switch (rs->type) {
	case AA_T_MX:
		fprintf(out, "    %u %s\n", rec->pref, rec->data);
		break;
	case AA_T_TXT:
	case AA_T_SPF:
		fputs("    \"", out);
		for (i = 0; i < rec->len; i++) {
			unsigned char c = (unsigned char)rec->data[i];
			if (c < ' ' || c >= 127 || c == '"' || c == '\\')
				fprintf(out, "\\%03u", c);
			else
				fputc(c, out);
		}
		fprintf(out, "\"%s\n", rec->nstrings > 1 ? " (joined from several strings)" : "");
		break;
	default:
		fprintf(out, "    %s\n", rec->data);
	}
}

static void
render_records(const aa_report *r, FILE *out, int color)
{
	size_t i, j, n = aa_recordset_count(r->records);

	fprintf(out, "Records (%zu lookups)\n", n);
	for (i = 0; i < n; i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		int err = aa_outcome_is_error(rs->outcome);
		fprintf(out, "  %s %s %s%s%s", rs->name, aa_rrtype_name(rs->type),
		        color && err ? sev_color[AA_SEV_HIGH] : "", aa_outcome_name(rs->outcome),
		        color && err ? RESET : "");
		if (rs->outcome == AA_OUT_ANSWER)
			fprintf(out, " ttl=%u", (unsigned)rs->ttl);
		for (j = 0; j < rs->nchain; j++)
			fprintf(out, " -> %s", rs->chain[j]);
		fputc('\n', out);
		for (j = 0; j < rs->nrr; j++)
			print_record(out, rs, &rs->rr[j]);
	}
}

static void
render_finding(const aa_finding *f, FILE *out, int color)
{
	const char *sc = color ? sev_color[f->severity] : "";
	size_t i;

	fprintf(out, "%s%-8s%s %s  %s\n", sc, aa_severity_name(f->severity), color ? RESET : "",
	        f->def->code, f->def->title);
	if (f->subject != NULL && f->subject[0] != '\0')
		fprintf(out, "         about: %s\n", f->subject);
	for (i = 0; i < f->nevidence; i++)
		wrap(out, 9, "- ", f->evidence[i]);
	if (f->detail != NULL)
		wrap(out, 9, "why: ", f->detail);
	else if (f->def->why[0] != '\0')
		wrap(out, 9, "why: ", f->def->why);
	if (f->fix != NULL)
		wrap(out, 9, "fix: ", f->fix);
	else if (f->def->fix[0] != '\0')
		wrap(out, 9, "fix: ", f->def->fix);
}

aa_status
aa_report_render(const aa_report *r, aa_format fmt, unsigned flags, FILE *out)
{
	int color = (flags & AA_RENDER_COLOR) != 0;
	aa_finding **sorted;
	size_t i;

	if (r->oom)
		return AA_ENOMEM;
	if (fmt == AA_FORMAT_RECORDS) {
		fprintf(out, "%s\n", r->domain);
		render_records(r, out, color);
		return ferror(out) ? AA_EIO : AA_OK;
	}
	if (fmt != AA_FORMAT_TEXT)
		return AA_EINVAL;
	fprintf(out, "%s%s%s  (resolver: %s)\n", color ? "\033[1m" : "", r->domain,
	        color ? RESET : "", r->resolver ? r->resolver : "?");
	if ((sorted = aa_report_sorted(r)) == NULL)
		return AA_ENOMEM;
	if (r->nfindings == 0)
		fputs("No findings.\n", out);
	for (i = 0; sorted[i] != NULL; i++) {
		fputc('\n', out);
		render_finding(sorted[i], out, color);
	}
	free(sorted);
	aa_render_spf_tree(r, out, color);
	fputc('\n', out);
	render_records(r, out, color);
	return ferror(out) ? AA_EIO : AA_OK;
}
