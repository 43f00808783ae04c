/*
 * dmarc_walk.c — the DNS Tree Walk (RFC 9989 4.10).  RFC 9989 replaced the
 * public suffix list of RFC 7489 3.2 / 6.6.3 (libpsl here, libopendmarc's
 * tld_file) with this walk for both policy discovery and the
 * organizational domain: where the two disagree, the walk decides and the
 * report says so (DMARC_TREE_WALK).
 */
#include "check/dmarc_walk.h"
#include "check/dmarc_read.h"
#include "util/taglist.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static size_t
count_labels(const char *name)
{
	size_t n = 1;

	for (; *name != '\0'; name++)
		n += *name == '.';
	return n;
}

/* The last `keep` labels of name (name has `labels` labels). */
static const char *
suffix(const char *name, size_t labels, size_t keep)
{
	while (labels > keep) {
		const char *dot = strchr(name, '.');
		if (dot == NULL)
			break;
		name = dot + 1;
		labels--;
	}
	return name;
}

/* psd= of a DMARC record: 'y', 'n', 'u', 0 when absent or not one of these
 * (DMARC_SYNTAX names a bad value; the walk does not stop at it). */
static char
record_psd(const aa_record *rec)
{
	aa_taglist tl;
	const aa_tag *t;
	char psd = 0;

	memset(&tl, 0, sizeof(tl));
	if (aa_taglist_parse(rec->data, rec->len, &tl) != AA_OK)
		return 0;
	t = aa_taglist_find(&tl, "psd");
	if (t != NULL && (aa_tag_value_is(t, "y") || aa_tag_value_is(t, "n") || aa_tag_value_is(t, "u")))
		psd = (char)tolower((unsigned char)t->value[0]);
	aa_taglist_free(&tl);
	return psd;
}

/* RFC 9989 4.10 steps 3, 4 and 7: the domain, then (x < 8) its parent or
 * (x >= 8) its last seven labels, then one label less each time. */
static aa_status
plan_steps(aa_dmarc_walk *w)
{
	size_t x = count_labels(w->name), keep;

	w->step[0].domain = w->name;
	w->nsteps = 1;
	for (keep = x - 1 < 7 ? x - 1 : 7; keep >= 1; keep--)
		w->step[w->nsteps++].domain = suffix(w->name, x, keep);
	for (keep = 0; keep < w->nsteps; keep++)
		if ((w->step[keep].qname = aa_concat("_dmarc.", w->step[keep].domain, (char *)NULL)) == NULL)
			return AA_ENOMEM;
	return AA_OK;
}

/* Steps 1, 2, 5, 6: reads the answers in order until one is missing,
 * failed, or a single record carries psd=y or psd=n. */
static void
read_steps(const aa_recordset *rs, aa_dmarc_walk *w)
{
	for (w->nread = 0; w->nread < w->nsteps; w->nread++) {
		aa_dmarc_step *s = &w->step[w->nread];
		s->rs = aa_recordset_get(rs, s->qname, AA_T_TXT);
		if (s->rs == NULL) {
			w->state = AA_DMARC_WALK_ASK;
			return;
		}
		if (aa_outcome_is_error(s->rs->outcome) || s->rs->outcome == AA_OUT_PENDING) {
			w->state = AA_DMARC_WALK_FAILED;
			return;
		}
		/* several records are all discarded (step 2) */
		if ((s->nrecords = aa_dmarc_records(s->rs, &s->record)) != 1)
			s->record = NULL;
		else
			s->psd = record_psd(s->record);
		if (s->psd == 'y' || s->psd == 'n') {
			w->nread++;
			break;
		}
	}
	w->state = AA_DMARC_WALK_DONE;
}

/* 4.10.2: from the longest name to the shortest, a record with psd=n is
 * the organizational domain; one with psd=y (not where the walk started)
 * makes the name one label below it the organizational domain; else the
 * record at the name with the fewest labels; else the domain itself. */
static void
choose_org(aa_dmarc_walk *w)
{
	size_t i, x = count_labels(w->name);

	for (i = 0; i < w->nread; i++) {
		const aa_dmarc_step *s = &w->step[i];
		if (s->record == NULL)
			continue;
		if (s->psd == 'n') {
			w->org_rule = AA_DMARC_ORG_PSD_N;
			w->org_domain = s->domain;
			return;
		}
		if (s->psd == 'y' && i > 0) {
			w->org_rule = AA_DMARC_ORG_BELOW_PSD_Y;
			w->org_domain = suffix(w->name, x, count_labels(s->domain) + 1);
			return;
		}
	}
	for (i = w->nread; i-- > 0;)
		if (w->step[i].record != NULL) {
			w->org_rule = AA_DMARC_ORG_FEWEST_LABELS;
			w->org_domain = w->step[i].domain;
			return;
		}
	w->org_rule = AA_DMARC_ORG_NO_RECORD;
	w->org_domain = w->name;
}

/* 4.10.1: the domain's record; else the organizational domain's; else the
 * public suffix domain's (the psd=y record the walk stopped at). */
static void
choose_policy(aa_dmarc_walk *w)
{
	size_t i;

	w->policy = -1;
	if (w->step[0].record != NULL) {
		w->policy = 0;
		return;
	}
	for (i = 1; i < w->nread; i++)
		if (w->step[i].record != NULL && strcmp(w->step[i].domain, w->org_domain) == 0) {
			w->policy = (int)i;
			return;
		}
	for (i = 1; i < w->nread; i++)
		if (w->step[i].record != NULL && w->step[i].psd == 'y') {
			w->policy = (int)i;
			w->psd_policy = 1;
			return;
		}
}

aa_status
aa_dmarc_walk_read(const aa_recordset *rs, const char *domain, aa_dmarc_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->policy = -1;
	if ((w->name = aa_name_canon(domain)) == NULL || w->name[0] == '\0' || plan_steps(w) != AA_OK)
		return AA_ENOMEM;
	read_steps(rs, w);
	if (w->state != AA_DMARC_WALK_DONE)
		return AA_OK;
	choose_org(w);
	choose_policy(w);
	return AA_OK;
}

void
aa_dmarc_walk_free(aa_dmarc_walk *w)
{
	size_t i;

	for (i = 0; i < AA_DMARC_WALK_MAX; i++)
		free(w->step[i].qname);
	free(w->name);
	memset(w, 0, sizeof(*w));
}
