/*
 * checklist.c — the pre-launch view: a Markdown checklist grouped by
 * area, each item checked or not, the fix beside every unchecked item.
 * Items are the findings (info findings are facts, shown checked) and, with
 * --profile, the provider's expected records.
 */
#include "render/escape.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	aa_group group;
	const char *title;
	const char *clean; /* the checked item when the group has no problem */
} groups[] = {
    {AA_GROUP_MX, "MX", "MX records publish reachable mail hosts"},
    {AA_GROUP_SPF, "SPF", "SPF is published and evaluates within the limits"},
    {AA_GROUP_DKIM, "DKIM", "DKIM keys found are strong and valid"},
    {AA_GROUP_DMARC, "DMARC", "DMARC is published, valid and enforcing"},
    {AA_GROUP_M365, "Microsoft 365", NULL},
    {AA_GROUP_TRANSPORT, "Transport", "What was checked here raises no problem"},
    {AA_GROUP_DNS, "DNS", "Every lookup answered"},
};

/* An info finding the catalogue marks as a fact asks nothing of the user. */
static int
is_fact(const aa_finding *f)
{
	return f->def->kind == AA_KIND_FACT;
}

/* s on one line, bytes from DNS escaped */
static void
one_line(FILE *out, const char *s)
{
	char *safe = aa_render_escape(s), *p;

	for (p = safe != NULL ? safe : "?"; *p; p++)
		fputc(*p == '\n' ? ' ' : *p, out);
	free(safe);
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
	if (r->not_graded != NULL)
		fprintf(out, "Not graded: %s.", r->not_graded);
	else
		fprintf(out, "Grade %c, score %d/100%s.", r->grade, r->score,
		        r->complete ? ""
		                    : " (incomplete: some lookups failed; items depending on them are "
		                      "not verified)");
	if (r->profile_name != NULL)
		fprintf(out, " Profile: %s.",
		        strcmp(r->profile_name, "m365") == 0 ? "Microsoft 365" : "Google Workspace");
	fputs("\n", out);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		size_t items = 0, problems = 0;
		for (i = 0; sorted[i] != NULL; i++)
			if (sorted[i]->def->group == groups[g].group)
				items++;
		for (i = 0; i < r->nprofile; i++)
			if (r->profile[i].group == groups[g].group)
				items++;
		if (items == 0 && groups[g].clean == NULL)
			continue;
		fprintf(out, "\n## %s\n\n", groups[g].title);
		for (i = 0; i < r->nprofile; i++) {
			const aa_profile_item *p = &r->profile[i];
			if (p->group != groups[g].group)
				continue;
			if (p->ok == AA_ITEM_NOT_CHECKED) {
				fprintf(out, "- [ ] Not checked: %s\n  - To check: %s\n", p->text, p->fix);
				continue;
			}
			fprintf(out, "- [%c] %s\n", p->ok == AA_ITEM_OK ? 'x' : ' ', p->text);
			if (p->ok != AA_ITEM_OK)
				fprintf(out, "  - Fix: %s\n", p->fix);
		}
		for (i = 0; sorted[i] != NULL; i++) {
			const aa_finding *f = sorted[i];
			if (f->def->group != groups[g].group)
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
			if (f->subject != NULL && f->subject[0] != '\0' &&
			    strcmp(f->subject, r->domain) != 0) {
				fputs(": ", out);
				one_line(out, f->subject);
			}
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
