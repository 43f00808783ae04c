/*
 * dmarc_walk.h — the DNS Tree Walk of RFC 9989 4.10, read from a record
 * set: which _dmarc names it asks (at most eight, the shortcut of 4.10
 * step 4), where it stops (a single record with psd=y or psd=n), and what
 * it decides: the record that applies (4.10.1) and the organizational
 * domain (4.10.2).  The plan asks the names one by one; the check reads the
 * same walk.  A lookup that failed stops the walk undecided: it is never
 * read as "no record".
 */
#ifndef AA_DMARC_WALK_H
#define AA_DMARC_WALK_H

#include <stddef.h>

#include "records/recordset.h"
#include "report/facts.h"

#define AA_DMARC_WALK_MAX 8 /* RFC 9989 4.10: no more than eight queries */

typedef enum aa_dmarc_walk_state {
	AA_DMARC_WALK_ASK,    /* the next name is not in the record set yet */
	AA_DMARC_WALK_FAILED, /* a lookup failed or was not made: undecided */
	AA_DMARC_WALK_DONE    /* stopped at psd=y/psd=n, or no labels left */
} aa_dmarc_walk_state;

typedef struct aa_dmarc_step {
	const char *domain;      /* the name below _dmarc. (points into the walk's name) */
	char *qname;             /* _dmarc.DOMAIN */
	const aa_rrset *rs;      /* its answer, NULL while not asked */
	size_t nrecords;         /* records that begin with v=DMARC1 */
	const aa_record *record; /* the single one (nrecords == 1): a DMARC Policy Record */
	char psd;                /* its psd= ('y', 'n', 'u'), 0 when absent or no record */
} aa_dmarc_step;

typedef struct aa_dmarc_walk {
	char *name;                            /* the domain, canonical */
	aa_dmarc_step step[AA_DMARC_WALK_MAX]; /* every name the walk may ask, in order */
	size_t nsteps;
	size_t nread;              /* steps answered and read, from step[0] */
	aa_dmarc_walk_state state; /* ASK, FAILED: step[nread] is the one to ask or that failed */
	int policy;                /* DONE: the step whose record applies, -1 for none */
	int psd_policy;            /* DONE: that record is a public suffix domain's (psd=y) */
	aa_dmarc_org_rule org_rule;
	const char *org_domain; /* DONE: the organizational domain (points into name) */
} aa_dmarc_walk;

/* Reads the walk of `domain` from rs into *w (free it with
 * aa_dmarc_walk_free, also after an error). */
aa_status aa_dmarc_walk_read(const aa_recordset *rs, const char *domain, aa_dmarc_walk *w);
void aa_dmarc_walk_free(aa_dmarc_walk *w);

#endif
