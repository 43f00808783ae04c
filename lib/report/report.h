/* report.h — what one audit found: its record view and findings. */
#ifndef AA_REPORT_H
#define AA_REPORT_H

#include <time.h>

#include "authaudit.h"
#include "records/recordset.h"
#include "report/findings.h"

/* The states of a checklist item. */
typedef enum aa_item_state {
	AA_ITEM_NOT_CHECKED = -1, /* this run could not or did not check it */
	AA_ITEM_MISSING = 0,      /* checked: not as expected */
	AA_ITEM_OK = 1            /* checked: as expected */
} aa_item_state;

/* One checklist item beside the findings: an expected record of a
 * --profile (from_profile), or what this run did not check (--ip,
 * --envelope-from not given) or found absent (MTA-STS). */
typedef struct aa_profile_item {
	aa_group group; /* checklist group */
	aa_item_state ok;
	int from_profile;
	char *text; /* what is expected, placeholders filled (owned) */
	char *fix;  /* how to get there, or how to check it (owned) */
} aa_profile_item;

struct aa_report {
	char *domain;
	aa_recordset *records; /* every (name, type) the audit asked, as answered */
	aa_finding **findings;
	size_t nfindings, capfindings;
	char *resolver;                    /* resolver(s) used, for the report header */
	struct timespec started, finished; /* CLOCK_REALTIME */
	int deadline_hit;                  /* the audit's deadline passed */
	int budget_hit;                    /* the audit's query budget ran out */
	unsigned long queries;             /* lookups it made: distinct (name, type) + CNAME hops */
	int oom;                           /* an allocation failed while building the report */
	int score;                         /* 0-100, set by aa_score() */
	char grade;                        /* 'A'..'F'; '-' when not graded */
	const char *not_graded;            /* why there is no grade (static), or NULL */
	int complete;                      /* no lookup failed, deadline and budget kept */
	const char *profile_name;          /* --profile, static string */
	aa_profile_item *profile;
	size_t nprofile;
	char **selectors; /* DKIM selectors probed */
	size_t nselectors;
	unsigned dkim_wait; /* plan_dkim: answers still awaited before choosing the probes */
	char *dkim_note;    /* why fewer (or all) selectors were probed, or NULL */
	/* Per-area facts each area's check derives, for the cross-area step
	 * (check/cross.c) and the renderers; see aa_report_set_facts(). */
	void *facts[AA_AREA_COUNT];
	struct aa_tenant_facts *tenant; /* Microsoft 365 evidence (cross.c), or NULL */
	void (*facts_free[AA_AREA_COUNT])(void *);
};

/* Stores an area's facts (freed with free_fn by aa_report_free). */
void aa_report_set_facts(aa_report *r, aa_area area, void *facts, void (*free_fn)(void *));
/* The area's facts, or NULL when its check has not run (or failed). */
void *aa_report_facts(const aa_report *r, aa_area area);

aa_report *aa_report_new(const char *domain);
/*
 * Adds a finding by catalogue code with the default severity and a subject
 * (printf format).  Returns NULL (and sets r->oom) on failure.  The pointer stays valid for the life of
 * the report.
 */
aa_finding *aa_report_add(aa_report *r, aa_code code, const char *subject_fmt, ...)
    __attribute__((format(printf, 3, 4)));
void aa_finding_evidence(aa_report *r, aa_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void aa_finding_set_fix(aa_report *r, aa_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void aa_finding_set_detail(aa_report *r, aa_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The first finding with this code, or NULL. */
const aa_finding *aa_report_find(const aa_report *r, aa_code code);
/* Non-zero when f is at or above min and asks something of the user: an
 * info finding of kind FACT (MX_PROVIDER, MX_NULL, ...) never does.  What
 * fails a run (--fail-on) and what -q prints. */
int aa_finding_counts(const aa_finding *f, aa_severity min);
/* Removes every finding whose code is not `keep`. */
void aa_report_keep_only(aa_report *r, aa_code keep);
/* Findings sorted worst first, then by area, then in the order added;
 * caller frees the array. */
aa_finding **aa_report_sorted(const aa_report *r);

#endif
