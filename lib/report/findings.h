/*
 * findings.h — the finding catalogue (../shared/FINDINGS.md is the contract;
 * findings.c holds its only copy in code) and findings as reported.
 */
#ifndef AA_FINDINGS_H
#define AA_FINDINGS_H

#include "authaudit.h"

typedef enum aa_area {
	AA_AREA_DNS = 0,
	AA_AREA_MX,
	AA_AREA_SPF,
	AA_AREA_DKIM,
	AA_AREA_DMARC,
	AA_AREA_ENVELOPE,
	AA_AREA_IP,
	AA_AREA_TRANSPORT,
	AA_AREA_COUNT
} aa_area;

const char *aa_area_name(aa_area a);

/* The finding codes: AA_F_DOMAIN_NXDOMAIN, AA_F_SPF_NONE, ... */
typedef enum aa_code {
#define AA_FINDING(code, sev, area, group, kind, title, why, fix, refs) AA_F_##code,
#include "report/findings.def"
#undef AA_FINDING
	AA_F_COUNT
} aa_code;

/* The checklist groups (render/checklist.c), in the order it prints them. */
typedef enum aa_group {
	AA_GROUP_MX = 0,
	AA_GROUP_SPF,
	AA_GROUP_DKIM,
	AA_GROUP_DMARC,
	AA_GROUP_M365, /* Microsoft 365 tenant rules */
	AA_GROUP_TRANSPORT,
	AA_GROUP_DNS,
	AA_GROUP_COUNT
} aa_group;

/* What an info finding asks of the user. */
typedef enum aa_kind {
	AA_KIND_FACT = 0, /* nothing: a fact worth knowing */
	AA_KIND_ACTION    /* something to consider */
} aa_kind;

typedef struct aa_finding_def {
	aa_code id;
	const char *code;
	aa_severity severity; /* default */
	aa_area area;
	aa_group group;
	aa_kind kind;
	const char *title; /* one line */
	const char *why;   /* why it matters for delivery */
	const char *fix;   /* the general fix; checks add the exact record */
	const char *refs;  /* "RFC 7208 4.6.4; ..." */
} aa_finding_def;

/* The catalogue row of a code (never NULL for a valid code). */
const aa_finding_def *aa_finding_def_of(aa_code code);
/* By code name ("SPF_NONE"), for input that names codes; NULL if unknown. */
const aa_finding_def *aa_finding_lookup(const char *code);
size_t aa_finding_count(void);
const aa_finding_def *aa_finding_at(size_t i);

typedef struct aa_finding {
	const aa_finding_def *def;
	aa_severity severity; /* default, or raised/lowered by context */
	char *subject;        /* the name/record/host the finding is about */
	char **evidence;
	size_t nevidence;
	char *detail; /* context-specific explanation, added to def->why */
	char *fix;    /* exact fix; NULL: def->fix */
	int cost;     /* points it took off the score (score.c) */
} aa_finding;

void aa_finding_clear(aa_finding *f);

#endif
