/*
 * dmarc.h — the DMARC area: _dmarc discovery (the domain, then its
 * organizational domain), external report authorisation, and the facts
 * left at aa_report_facts(r, AA_AREA_DMARC).
 */
#ifndef AA_DMARC_H
#define AA_DMARC_H

#include <stddef.h>

#include "engine/audit.h"

typedef enum aa_dmarc_policy {
	AA_DMARC_P_UNSET = 0,
	AA_DMARC_P_NONE,
	AA_DMARC_P_QUARANTINE,
	AA_DMARC_P_REJECT
} aa_dmarc_policy;

const char *aa_dmarc_policy_name(aa_dmarc_policy p);

typedef enum aa_dmarc_state {
	AA_DMARC_ABSENT = 0,   /* no record at the domain or its org domain */
	AA_DMARC_FOUND,        /* a record at the domain applies */
	AA_DMARC_INHERITED,    /* the organizational domain's record applies */
	AA_DMARC_MULTIPLE,     /* several records: receivers apply none */
	AA_DMARC_NOT_VERIFIED  /* a lookup failed: state unknown */
} aa_dmarc_state;

typedef struct aa_dmarc_facts {
	aa_dmarc_state state;
	char *policy_domain; /* where the applicable record lives */
	char *record;        /* its text, NULL without one */
	int syntax_errors;   /* DMARC_SYNTAX was reported */
	aa_dmarc_policy p, sp, np;
	aa_dmarc_policy effective; /* what applies to the audited domain */
	unsigned pct;        /* 0..100, 100 when absent */
	char adkim, aspf;    /* 'r' or 's' */
	size_t nrua, nruf;   /* report URIs listed */
} aa_dmarc_facts;

void aa_dmarc_facts_free(void *facts);


void aa_plan_dmarc(aa_audit *a);
void aa_check_dmarc(const aa_check_in *in, aa_report *r);

#endif
