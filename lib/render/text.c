/*
 * text.c — the report people read: a header with grade and score,
 * findings worst first (evidence, why, fix, cost), the SPF include tree, and
 * a compact table of the records found.  Colour and Unicode only when asked
 * (the CLI asks on a terminal); otherwise plain ASCII that reads well in a
 * cron mail.  Also the `records` format.
 */
#include "render/escape.h"
#include "render/render.h"
#include "render/spf_tree.h"
#include "render/wrap.h"
#include "report/facts.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const sev_color[] = {"\033[36m", "\033[34m", "\033[33m", "\033[31m", "\033[1;31m"};
#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"

typedef struct out {
	FILE *f;
	const aa_render_opts *o;
	int width;
} out_t;

static const char *
c(const out_t *o, const char *code)
{
	return o->o->color ? code : "";
}

static void
wrap(const out_t *o, int indent, const char *label, const char *text)
{
	aa_render_wrap(o->f, o->width, indent, label, text);
}

/* Writes `s` (len bytes) with control and non-ASCII bytes escaped, cut to
 * at most `max` characters with "..." when longer. */
static void
put_escaped(FILE *f, const char *s, size_t len, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (n + 3 >= max && len - i > 3 && max > 0) {
			fputs("...", f);
			return;
		}
		if (ch < ' ' || ch >= 127) {
			fprintf(f, "\\%03u", ch);
			n += 4;
		} else {
			fputc(ch, f);
			n++;
		}
	}
}

static void
header(const out_t *o, const aa_report *r)
{
	size_t n[5] = {0}, i;
	int sev, any = 0;

	for (i = 0; i < r->nfindings; i++)
		n[r->findings[i]->severity]++;
	if (r->not_graded != NULL)
		fprintf(o->f, "%s%s%s  %snot graded: %s%s\n", c(o, BOLD), r->domain, c(o, RESET), c(o, BOLD),
		        r->not_graded, c(o, RESET));
	else
		fprintf(o->f, "%s%s%s  grade %s%c%s  score %d/100%s\n", c(o, BOLD), r->domain, c(o, RESET),
		        c(o, BOLD), r->grade, c(o, RESET), r->score,
		        r->complete ? "" : "  (INCOMPLETE: some lookups failed, not verified)");
	fprintf(o->f, "resolver %s\n", r->resolver ? r->resolver : "?");
	if (r->nfindings == 0) {
		fputs("No findings.\n", o->f);
		return;
	}
	fprintf(o->f, "%zu finding%s: ", r->nfindings, r->nfindings == 1 ? "" : "s");
	for (sev = AA_SEV_CRITICAL; sev >= AA_SEV_INFO; sev--) {
		if (n[sev] == 0)
			continue;
		fprintf(o->f, "%s%s%zu %s%s", any ? ", " : "", c(o, sev_color[sev]), n[sev],
		        aa_severity_name((aa_severity)sev), c(o, RESET));
		any = 1;
	}
	fputc('\n', o->f);
}

static void
finding(const out_t *o, const aa_finding *f)
{
	char sev[16], cost[16] = "";
	size_t i;

	for (i = 0; aa_severity_name(f->severity)[i] && i < sizeof(sev) - 1; i++)
		sev[i] = (char)(aa_severity_name(f->severity)[i] - 'a' + 'A');
	sev[i] = '\0';
	if (f->cost > 0)
		snprintf(cost, sizeof(cost), "  -%d", f->cost);
	fprintf(o->f, "\n%s%s%s %s%s%s%s\n", c(o, sev_color[f->severity]), sev, c(o, RESET), c(o, BOLD),
	        f->def->code, c(o, RESET), cost);
	wrap(o, 2, "", f->def->title);
	if (f->subject != NULL && f->subject[0] != '\0')
		wrap(o, 2, "About: ", f->subject);
	for (i = 0; i < f->nevidence; i++)
		wrap(o, 2, o->o->unicode ? "\xe2\x80\xa2 " : "* ", f->evidence[i]);
	/* once: the domain-specific explanation when the check wrote one (it
	 * says the general one for this domain), else the catalogue's */
	if (f->detail != NULL)
		wrap(o, 2, "Why:  ", f->detail);
	else if (f->def->why[0] != '\0')
		wrap(o, 2, "Why:  ", f->def->why);
	if (f->fix != NULL)
		wrap(o, 2, "Fix:  ", f->fix);
	else if (f->def->fix[0] != '\0')
		wrap(o, 2, "Fix:  ", f->def->fix);
}

/* The --profile's expected records, as the checklist has them. */
static void
profile_items(const out_t *o, const aa_report *r)
{
	size_t i;

	if (r->profile_name == NULL)
		return;
	fprintf(o->f, "\nProfile %s: expected records\n", r->profile_name);
	for (i = 0; i < r->nprofile; i++) {
		const aa_profile_item *p = &r->profile[i];
		if (!p->from_profile)
			continue;
		wrap(o, 2,
		     p->ok == AA_ITEM_OK        ? "[x] "
		     : p->ok == AA_ITEM_MISSING ? "[ ] "
		                                : "[?] ",
		     p->text);
		if (p->ok != AA_ITEM_OK)
			wrap(o, 6, "Fix: ", p->fix);
	}
}

/* ---- records ---- */

static int
is_selector_probe(const aa_report *r, const aa_rrset *rs)
{
	return rs->type == AA_T_TXT && strstr(rs->name, "._domainkey.") != NULL && r->nselectors > 0;
}

static void
record_line(const out_t *o, const aa_rrset *rs, const aa_record *rec, int full)
{
	size_t room = (size_t)(o->width > 20 ? o->width - 8 : 60);

	fputs("      ", o->f);
	switch (rs->type) {
	case AA_T_MX:
		fprintf(o->f, "%u %s", rec->pref, rec->data[0] ? rec->data : ". (null MX)");
		break;
	case AA_T_TXT:
	case AA_T_SPF:
		fputc('"', o->f);
		put_escaped(o->f, rec->data, rec->len, full ? 0 : room);
		fputc('"', o->f);
		break;
	default:
		fputs(rec->data, o->f);
	}
	fputc('\n', o->f);
}

static void
rrset_line(const out_t *o, const aa_rrset *rs, int full)
{
	int err = aa_outcome_is_error(rs->outcome);
	char *name = aa_render_escape(rs->name); /* a name from a record: any bytes */
	size_t j;

	fprintf(o->f, "  %s %s %s%s%s", name != NULL ? name : "?", aa_rrtype_name(rs->type),
	        err ? c(o, sev_color[AA_SEV_HIGH]) : "", aa_outcome_name(rs->outcome),
	        err ? c(o, RESET) : "");
	free(name);
	if (full && rs->outcome == AA_OUT_ANSWER)
		fprintf(o->f, " ttl=%u", (unsigned)rs->ttl);
	for (j = 0; j < rs->nchain; j++) {
		char *target = aa_render_escape(rs->chain[j]);
		fprintf(o->f, " -> %s", target != NULL ? target : "?");
		free(target);
	}
	fputc('\n', o->f);
	for (j = 0; j < rs->nrr; j++)
		record_line(o, rs, &rs->rr[j], full);
}

/* The text view: answers in full (long TXT cut), failures, then the
 * selectors and names that simply had nothing, one line each. */
static void
records_compact(const out_t *o, const aa_report *r)
{
	size_t i, n = aa_recordset_count(r->records), quiet = 0;
	aa_buf empty = {0};

	fprintf(o->f, "\nRecords (%zu lookups)\n", n);
	for (i = 0; i < n; i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		if (rs->outcome == AA_OUT_NXDOMAIN || rs->outcome == AA_OUT_NODATA) {
			if (is_selector_probe(r, rs))
				continue;
			char *name = aa_render_escape(rs->name);
			aa_buf_printf(&empty, "%s%s %s", quiet++ ? ", " : "", name != NULL ? name : "?",
			              aa_rrtype_name(rs->type));
			free(name);
			continue;
		}
		rrset_line(o, rs, 0);
	}
	if (empty.len > 0)
		wrap(o, 2, "No records: ", empty.p);
	aa_buf_free(&empty);
	if (r->nselectors > 0) {
		aa_buf sel = {0};
		for (i = 0; i < r->nselectors; i++)
			aa_buf_printf(&sel, "%s%s", i ? ", " : "", r->selectors[i]);
		wrap(o, 2, "DKIM selectors probed: ", sel.p ? sel.p : "");
		aa_buf_free(&sel);
	}
}

aa_status
aa_render_records(const aa_report *r, const aa_render_opts *opts, FILE *f)
{
	out_t o = {f, opts, opts->width > 0 ? opts->width : 80};
	size_t i, n = aa_recordset_count(r->records);

	fprintf(f, "%s\n", r->domain);
	fprintf(f, "Records (%zu lookups)\n", n);
	for (i = 0; i < n; i++)
		rrset_line(&o, aa_recordset_at(r->records, i), 1);
	return ferror(f) ? AA_EIO : AA_OK;
}

aa_status
aa_render_text(const aa_report *r, const aa_render_opts *opts, FILE *f)
{
	out_t o = {f, opts, opts->width > 20 ? opts->width : 80};
	aa_finding **sorted;
	size_t i, shown = 0;

	if ((sorted = aa_report_sorted(r)) == NULL)
		return AA_ENOMEM;
	if (opts->quiet) {
		/* only what fails the run: nothing at all when all is well */
		for (i = 0; sorted[i] != NULL; i++)
			if (aa_finding_counts(sorted[i], opts->quiet_min))
				shown++;
		if (shown > 0) {
			if (r->not_graded != NULL)
				fprintf(f, "%s  not graded: %s\n", r->domain, r->not_graded);
			else
				fprintf(f, "%s  grade %c  score %d/100\n", r->domain, r->grade, r->score);
			for (i = 0; sorted[i] != NULL; i++)
				if (aa_finding_counts(sorted[i], opts->quiet_min))
					finding(&o, sorted[i]);
		}
		free(sorted);
		return ferror(f) ? AA_EIO : AA_OK;
	}
	header(&o, r);
	for (i = 0; sorted[i] != NULL; i++)
		finding(&o, sorted[i]);
	free(sorted);
	profile_items(&o, r);
	aa_render_spf_tree(r, f, opts->unicode, o.width);
	records_compact(&o, r);
	return ferror(f) ? AA_EIO : AA_OK;
}
