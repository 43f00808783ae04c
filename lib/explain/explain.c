/*
 * explain.c — `authaudit explain` (authaudit.h): read the input as a message
 * (GMime) or as plain text, look every code and symptom up in the
 * catalogue, and keep the audit findings that relate.
 */
#include "explain/explain_int.h"
#include "explain/headers.h"
#include "report/findings.h"
#include "report/report.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The first line looks like a header field ("Name: value") or an mbox
 * "From " line: read the input as a message. */
static int
looks_like_message(const char *p, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(p, "From ", 5) == 0)
		return 1;
	for (i = 0; i < n && i < 80; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == ':')
			return i > 0;
		if (c <= ' ' || c >= 127)
			return 0;
	}
	return 0;
}

/* One copy with every CRLF and lone CR made LF and NUL made a space, so
 * mixed line endings and binary read as lines. */
static char *
normalise(const char *p, size_t n, size_t *out_len)
{
	char *s = malloc(n + 1);
	size_t i, k = 0;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			s[k++] = '\n';
			if (i + 1 < n && p[i + 1] == '\n')
				i++;
		} else {
			s[k++] = p[i] == '\0' ? ' ' : p[i];
		}
	}
	s[k] = '\0';
	*out_len = k;
	return s;
}

static void
resolve_codes(aa_explain *x)
{
	size_t i;

	for (i = 0; i < x->ncodes; i++) {
		aa_x_code *c = &x->codes[i];
		aa_x_system sys = (aa_x_system)x->system;

		if (c->remote_mta != NULL &&
		    aa_x_system_in(c->remote_mta, strlen(c->remote_mta)) != AA_XS_ANY)
			sys = aa_x_system_in(c->remote_mta, strlen(c->remote_mta));
		if (aa_x_system_in(c->text, strlen(c->text)) != AA_XS_ANY)
			sys = aa_x_system_in(c->text, strlen(c->text));
		c->entry = aa_x_lookup(c->enhanced, c->reply, sys, c->text);
		c->fallback = c->entry ? NULL : aa_x_lookup_class(c->enhanced);
		/* a vendor-only code ("5.7.606") names its sender */
		if (x->system == AA_XS_ANY && c->entry != NULL && c->entry->system != AA_XS_ANY)
			x->system = (int)c->entry->system;
	}
}

aa_status
aa_explain_new(const char *input, size_t len, aa_explain **out)
{
	aa_explain *x;
	char *s;
	size_t n;
	aa_status st;

	if (out == NULL || (input == NULL && len > 0))
		return AA_EINVAL;
	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return AA_ENOMEM;
	if (len > AA_X_MAX_INPUT) {
		x->truncated = 1;
		len = AA_X_MAX_INPUT;
	}
	if ((s = normalise(input ? input : "", len, &n)) == NULL) {
		free(x);
		return AA_ENOMEM;
	}
	if (looks_like_message(s, n))
		st = aa_x_read_message(x, s, n);
	else
		st = aa_x_scan_text(x, s, n, NULL);
	free(s);
	if (st == AA_OK)
		st = aa_x_symptoms_from_headers(x);
	if (st != AA_OK) {
		aa_explain_free(x);
		return st;
	}
	resolve_codes(x);
	*out = x;
	return AA_OK;
}

int
aa_explain_found(const aa_explain *x)
{
	return x != NULL && (x->ncodes > 0 || x->nsymptoms > 0 || x->nauths > 0 || x->nfields > 0 || x->dsn ||
	                     x->nhops > 1 || x->nms_org > 0);
}

const char *
aa_explain_domain(const aa_explain *x)
{
	if (x == NULL)
		return NULL;
	if (x->from_domain != NULL)
		return x->from_domain;
	if (x->envelope_from != NULL && strrchr(x->envelope_from, '@') != NULL)
		return strrchr(x->envelope_from, '@') + 1;
	return NULL;
}

const char *
aa_explain_envelope_from(const aa_explain *x)
{
	return x ? x->envelope_from : NULL;
}

size_t
aa_explain_ip_count(const aa_explain *x)
{
	return x ? x->nips : 0;
}

const char *
aa_explain_ip(const aa_explain *x, size_t i)
{
	return x && i < x->nips ? x->ips[i] : NULL;
}

/* Whether some diagnosis names finding code `code` as related. */
static int
relates(const aa_explain *x, const char *code)
{
	size_t i, n = strlen(code);
	const aa_x_entry *e;

	for (i = 0; i < x->ncodes + x->nsymptoms; i++) {
		const char *p;
		e = i < x->ncodes ? (x->codes[i].entry ? x->codes[i].entry : x->codes[i].fallback)
		                  : x->symptoms[i - x->ncodes].entry;
		if (e == NULL)
			continue;
		for (p = e->related; (p = strstr(p, code)) != NULL; p += n)
			if ((p == e->related || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
				return 1;
	}
	return 0;
}

static void
free_related(aa_explain *x)
{
	size_t i;

	for (i = 0; i < x->nrelated; i++) {
		free(x->related[i].code);
		free(x->related[i].title);
		free(x->related[i].subject);
		free(x->related[i].evidence);
		free(x->related[i].fix);
	}
	free(x->related);
	x->related = NULL;
	x->nrelated = 0;
	aa_strv_free(x->other_codes, x->nother);
	x->other_codes = NULL;
	x->nother = 0;
	free(x->audit_domain);
	x->audit_domain = NULL;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

aa_status
aa_explain_relate(aa_explain *x, const aa_report *r)
{
	aa_finding **sorted;
	size_t i, cap = 0;

	if (x == NULL || r == NULL)
		return AA_EINVAL;
	free_related(x);
	if ((sorted = aa_report_sorted(r)) == NULL && r->nfindings > 0)
		return AA_ENOMEM;
	x->audited = 1;
	x->score = r->score;
	x->grade = r->grade;
	x->incomplete = !r->complete;
	x->audit_domain = dup_or_null(r->domain);
	for (i = 0; i < r->nfindings; i++) {
		const aa_finding *f = sorted[i];
		aa_x_related *rel;

		if (!relates(x, f->def->code)) {
			if (aa_strv_add(&x->other_codes, &x->nother, f->def->code) != AA_OK)
				goto oom;
			continue;
		}
		if (aa_grow(&x->related, &cap, x->nrelated + 1, sizeof(*x->related)) != AA_OK)
			goto oom;
		rel = &x->related[x->nrelated++];
		memset(rel, 0, sizeof(*rel));
		rel->severity = f->severity;
		rel->code = strdup(f->def->code);
		rel->title = strdup(f->def->title);
		rel->subject = dup_or_null(f->subject);
		rel->evidence = f->nevidence > 0 ? dup_or_null(f->evidence[0]) : NULL;
		rel->fix = strdup(f->fix ? f->fix : f->def->fix);
		if (rel->code == NULL || rel->title == NULL || rel->fix == NULL)
			goto oom;
	}
	free(sorted);
	return AA_OK;
oom:
	free(sorted);
	return AA_ENOMEM;
}

void
aa_explain_free(aa_explain *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ncodes; i++) {
		free(x->codes[i].text);
		free(x->codes[i].recipient);
		free(x->codes[i].remote_mta);
	}
	free(x->codes);
	for (i = 0; i < x->nauths; i++) {
		free(x->auths[i].method);
		free(x->auths[i].result);
		free(x->auths[i].reason);
		free(x->auths[i].detail);
	}
	free(x->auths);
	for (i = 0; i < x->nhops; i++) {
		free(x->hops[i].from);
		free(x->hops[i].by);
	}
	free(x->hops);
	for (i = 0; i < x->nfields; i++) {
		free(x->fields[i].name);
		free(x->fields[i].value);
	}
	free(x->fields);
	for (i = 0; i < x->nsymptoms; i++)
		free(x->symptoms[i].evidence);
	free(x->symptoms);
	aa_strv_free(x->ips, x->nips);
	aa_strv_free(x->ms_org, x->nms_org);
	free(x->reporter);
	free(x->envelope_from);
	free(x->from_domain);
	free(x->recipient_domain);
	free_related(x);
	free(x);
}
