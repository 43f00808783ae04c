/*
 * render_checklist.c — the pre-launch view: a Markdown checklist grouped by
 * area, each item checked or not, the fix beside every unchecked item.
 * Items are the findings (info findings are facts, shown checked) and, with
 * --profile, the provider's expected records.
 */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *title;
	aa_area areas[3];
	size_t nareas;
	const char *profile_area;
	const char *clean; /* the checked item when the area has no problem */
} groups[] = {
	{"MX", {AA_AREA_MX}, 1, "MX", "MX records publish reachable mail hosts"},
	{"SPF", {AA_AREA_SPF}, 1, "SPF", "SPF is published and evaluates within the limits"},
	{"DKIM", {AA_AREA_DKIM}, 1, "DKIM", "DKIM keys found are strong and valid"},
	{"DMARC", {AA_AREA_DMARC}, 1, "DMARC", "DMARC is published, valid and enforcing"},
	{"Microsoft 365", {AA_AREA_DNS}, 0, "Microsoft 365", NULL},
	{"Transport", {AA_AREA_ENVELOPE, AA_AREA_IP, AA_AREA_TRANSPORT}, 3, "Transport",
	 "Return-Path, sending IPs and transport records raise no problem"},
	{"DNS", {AA_AREA_DNS}, 1, NULL, "Every lookup answered"},
};

static int
in_group(size_t g, const aa_finding *f)
{
	size_t i;

	/* Microsoft 365 items are MX/SPF/DKIM codes about the tenant */
	if (strstr(f->def->code, "M365") != NULL || strstr(f->def->code, "_EOP_") != NULL)
		return strcmp(groups[g].title, "Microsoft 365") == 0;
	for (i = 0; i < groups[g].nareas; i++)
		if (f->def->area == groups[g].areas[i])
			return 1;
	return 0;
}

/* An info finding is a fact (checked) when the catalogue asks nothing of
 * the user: no fix, or one that says to keep things as they are. */
static int
is_fact(const aa_finding *f)
{
	const char *fix = f->def->fix;

	return fix[0] == '\0' || strncmp(fix, "Nothing", 7) == 0 || strncmp(fix, "Keep", 4) == 0;
}

static void
one_line(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' ? ' ' : *s, out);
}

aa_status
aa_render_checklist(const aa_report *r, const aa_render_opts *o, FILE *out)
{
	aa_finding **sorted = aa_report_sorted(r);
	size_t g, i;

	(void)o;
	if (sorted == NULL)
		return AA_ENOMEM;
	fprintf(out, "# Mail authentication checklist: %s\n\n", r->domain);
	fprintf(out, "Grade %c, score %d/100%s.", r->grade, r->score,
	        r->complete ? "" : " (incomplete: some lookups failed; items depending on them are "
	                           "not verified)");
	if (r->profile_name != NULL)
		fprintf(out, " Profile: %s.", strcmp(r->profile_name, "m365") == 0
		                                   ? "Microsoft 365"
		                                   : "Google Workspace");
	fputs("\n", out);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		size_t items = 0, problems = 0;
		for (i = 0; sorted[i] != NULL; i++)
			if (in_group(g, sorted[i]))
				items++;
		for (i = 0; i < r->nprofile; i++)
			if (groups[g].profile_area && strcmp(r->profile[i].area, groups[g].profile_area) == 0)
				items++;
		if (items == 0 && groups[g].clean == NULL)
			continue;
		fprintf(out, "\n## %s\n\n", groups[g].title);
		for (i = 0; i < r->nprofile; i++) {
			const aa_profile_item *p = &r->profile[i];
			if (groups[g].profile_area == NULL || strcmp(p->area, groups[g].profile_area) != 0)
				continue;
			fprintf(out, "- [%c] %s\n", p->ok ? 'x' : ' ', p->text);
			if (!p->ok)
				fprintf(out, "  - Fix: %s\n", p->fix);
		}
		for (i = 0; sorted[i] != NULL; i++) {
			const aa_finding *f = sorted[i];
			if (!in_group(g, f))
				continue;
			if (f->severity == AA_SEV_INFO && is_fact(f)) {
				fprintf(out, "- [x] %s", f->def->title);
			} else if (f->severity == AA_SEV_INFO) {
				fprintf(out, "- [ ] (optional) %s", f->def->title);
			} else {
				problems++;
				fprintf(out, "- [ ] **%s** (%s) %s", f->def->code,
				        aa_severity_name(f->severity), f->def->title);
			}
			if (f->subject != NULL && f->subject[0] != '\0' && strcmp(f->subject, r->domain) != 0)
				fprintf(out, ": %s", f->subject);
			fputc('\n', out);
			if (f->severity != AA_SEV_INFO || !is_fact(f)) {
				fputs("  - Fix: ", out);
				one_line(out, f->fix ? f->fix : f->def->fix);
				fputc('\n', out);
			}
		}
		if (problems == 0 && groups[g].clean != NULL)
			fprintf(out, "- [x] %s\n", groups[g].clean);
	}
	free(sorted);
	return ferror(out) ? AA_EIO : AA_OK;
}
