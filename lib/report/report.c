/* report.c — building and reading reports. */
#include "report/report.h"
#include "report/facts.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

aa_report *
aa_report_new(const char *domain)
{
	aa_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->domain = strdup(domain);
	r->records = aa_recordset_new();
	if (r->domain == NULL || r->records == NULL) {
		aa_report_free(r);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &r->started);
	return r;
}

void
aa_report_free(aa_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfindings; i++) {
		aa_finding_clear(r->findings[i]);
		free(r->findings[i]);
	}
	for (i = 0; i < AA_AREA_COUNT; i++)
		if (r->facts[i] != NULL && r->facts_free[i] != NULL)
			r->facts_free[i](r->facts[i]);
	aa_tenant_facts_free(r->tenant);
	for (i = 0; i < r->nselectors; i++)
		free(r->selectors[i]);
	free(r->selectors);
	free(r->dkim_note);
	for (i = 0; i < r->nprofile; i++) {
		free(r->profile[i].text);
		free(r->profile[i].fix);
	}
	free(r->profile);
	free(r->findings);
	aa_recordset_free(r->records);
	free(r->resolver);
	free(r->domain);
	free(r);
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
vformat(const char *fmt, va_list ap)
{
	char *s;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

aa_finding *
aa_report_add(aa_report *r, aa_code code, const char *subject_fmt, ...)
{
	const aa_finding_def *def = aa_finding_def_of(code);
	aa_finding *f;
	va_list ap;

	if (def == NULL) {
		r->oom = 1; /* not an aa_code: nothing sensible to report */
		return NULL;
	}
	if (aa_grow(&r->findings, &r->capfindings, r->nfindings + 1, sizeof(*r->findings)) != 0 ||
	    (f = calloc(1, sizeof(*f))) == NULL) {
		r->oom = 1;
		return NULL;
	}
	f->def = def;
	f->severity = def->severity;
	va_start(ap, subject_fmt);
	f->subject = vformat(subject_fmt, ap);
	va_end(ap);
	if (f->subject == NULL)
		r->oom = 1;
	r->findings[r->nfindings++] = f;
	return f;
}

void
aa_finding_evidence(aa_report *r, aa_finding *f, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		r->oom = 1;
		return;
	}
	char **n = realloc(f->evidence, (f->nevidence + 1) * sizeof(*n));
	if (n == NULL) {
		free(s);
		r->oom = 1;
		return;
	}
	f->evidence = n;
	f->evidence[f->nevidence++] = s;
}

void
aa_finding_set_fix(aa_report *r, aa_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	free(f->fix);
	va_start(ap, fmt);
	f->fix = vformat(fmt, ap);
	va_end(ap);
	if (f->fix == NULL)
		r->oom = 1;
}

void
aa_finding_set_detail(aa_report *r, aa_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	free(f->detail);
	va_start(ap, fmt);
	f->detail = vformat(fmt, ap);
	va_end(ap);
	if (f->detail == NULL)
		r->oom = 1;
}

const aa_finding *
aa_report_find(const aa_report *r, aa_code code)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i]->def->id == code)
			return r->findings[i];
	return NULL;
}

void
aa_report_keep_only(aa_report *r, aa_code keep)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++) {
		if (r->findings[i]->def->id == keep) {
			r->findings[n++] = r->findings[i];
			continue;
		}
		aa_finding_clear(r->findings[i]);
		free(r->findings[i]);
	}
	r->nfindings = n;
}

aa_finding **
aa_report_sorted(const aa_report *r)
{
	aa_finding **v = malloc((r->nfindings + 1) * sizeof(*v));
	size_t n = 0;
	int sev;

	if (v == NULL)
		return NULL;
	/* worst first; within a severity by area (aa_area order), then in the
	 * order the checks added them: independent of which step ran first */
	for (sev = AA_SEV_CRITICAL; sev >= AA_SEV_INFO; sev--) {
		size_t i;
		int area;
		for (area = 0; area < AA_AREA_COUNT; area++)
			for (i = 0; i < r->nfindings; i++)
				if ((int)r->findings[i]->severity == sev &&
				    (int)r->findings[i]->def->area == area)
					v[n++] = r->findings[i];
	}
	v[n] = NULL;
	return v;
}

const char *
aa_report_domain(const aa_report *r)
{
	return r->domain;
}

int
aa_finding_counts(const aa_finding *f, aa_severity min)
{
	if (f->severity < min)
		return 0;
	return f->severity > AA_SEV_INFO || f->def->kind == AA_KIND_ACTION;
}

int
aa_report_fails(const aa_report *r, aa_severity min)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (aa_finding_counts(r->findings[i], min))
			return 1;
	return 0;
}

int
aa_report_worst(const aa_report *r)
{
	int worst = -1;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if ((int)r->findings[i]->severity > worst)
			worst = (int)r->findings[i]->severity;
	return worst;
}

/* Non-zero when rs is the DNSBL lookup of a --ip (the IP facts name it). */
static int
is_dnsbl_lookup(const aa_report *r, const aa_rrset *rs)
{
	const aa_ip_facts *ip = aa_report_facts(r, AA_AREA_IP);
	size_t i, z;

	for (i = 0; ip != NULL && i < ip->nips; i++)
		for (z = 0; z < ip->ips[i].ndnsbl; z++)
			if (ip->ips[i].dnsbl[z].name != NULL &&
			    strcmp(ip->ips[i].dnsbl[z].name, rs->name) == 0)
				return 1;
	return 0;
}

/* A failed DNSBL lookup leaves the domain's audit complete: it is the
 * list's business (IP_DNSBL_NOT_CHECKED), not the domain's DNS. */
int
aa_report_incomplete(const aa_report *r)
{
	size_t i;

	if (r->deadline_hit || r->budget_hit || r->oom) /* oom: something was not asked */
		return 1;
	for (i = 0; i < aa_recordset_count(r->records); i++) {
		const aa_rrset *rs = aa_recordset_at(r->records, i);
		if (aa_outcome_is_error(rs->outcome) && !is_dnsbl_lookup(r, rs))
			return 1;
	}
	return 0;
}

int
aa_report_unreachable(const aa_report *r)
{
	size_t i, n = aa_recordset_count(r->records);

	for (i = 0; i < n; i++) {
		aa_outcome o = aa_recordset_at(r->records, i)->outcome;
		if (!aa_outcome_is_error(o) || o == AA_OUT_BUDGET || o == AA_OUT_BADNAME)
			return 0;
	}
	return n > 0;
}

void
aa_report_set_facts(aa_report *r, aa_area area, void *facts, void (*free_fn)(void *))
{
	if (r->facts[area] != NULL && r->facts_free[area] != NULL)
		r->facts_free[area](r->facts[area]);
	r->facts[area] = facts;
	r->facts_free[area] = free_fn;
}

void *
aa_report_facts(const aa_report *r, aa_area area)
{
	return r->facts[area];
}

int
aa_report_score(const aa_report *r)
{
	return r->score;
}

char
aa_report_grade(const aa_report *r)
{
	return r->grade;
}
