/*
 * catalogue.h — the code catalogue of `authaudit explain`: one row per
 * status code (or header symptom) with its meaning, the system that sends
 * it, the likely causes (most likely first), the fix, the audit findings
 * that relate, and the page it is taken from.
 */
#ifndef AUTHAUDIT_EXPLAIN_CATALOGUE_H
#define AUTHAUDIT_EXPLAIN_CATALOGUE_H

#include <stddef.h>

typedef enum aa_x_system {
	AA_XS_ANY = 0,   /* any receiver: the RFC meaning */
	AA_XS_MICROSOFT, /* Microsoft 365 / Exchange Online Protection, Outlook.com */
	AA_XS_GOOGLE,    /* Gmail / Google Workspace */
	AA_XS_YAHOO,     /* Yahoo / AOL */
	AA_XS_GREYLIST,  /* a receiver that greylists */
	AA_XS_COUNT
} aa_x_system;

#define AA_X_MAX_CAUSES 4

typedef struct aa_x_entry {
	const char *code; /* "5.7.606"; "X.7.1": any class; or a symptom key "compauth:001" */
	int detail_hi;    /* last detail of a range (5.7.606 to 5.7.649), or 0 */
	int reply;        /* the basic reply code it comes with, or 0: any */
	aa_x_system system;
	const char *match; /* phrase the reply text must contain (any case), or NULL */
	const char *meaning;
	const char *causes[AA_X_MAX_CAUSES]; /* most likely first */
	const char *fix;
	const char *related; /* audit finding codes, space separated */
	const char *source;  /* RFC or vendor page */
} aa_x_entry;

const char *aa_x_system_name(aa_x_system s);
const char *aa_x_system_token(aa_x_system s);
/* The rejecting system a text names (host names, phrases), or AA_XS_ANY. */
aa_x_system aa_x_system_in(const char *p, size_t n);

/* The best entry for an enhanced code ("5.7.606") with its reply code
 * (0: none) and text, from a system (AA_XS_ANY: unknown); NULL when the
 * catalogue has none for that code. */
const aa_x_entry *aa_x_lookup(const char *enhanced, int reply, aa_x_system sys, const char *text);
/* The RFC 3463 entry of the code's subject (X.7.0 for 5.7.999), or NULL. */
const aa_x_entry *aa_x_lookup_class(const char *enhanced);
/* "permanent failure", "persistent transient failure", "success", or NULL. */
const char *aa_x_class_meaning(const char *enhanced);
/* The entry of a header symptom key ("compauth:001", "scl:spam"), or NULL. */
const aa_x_entry *aa_x_lookup_symptom(const char *key);

size_t aa_x_entry_count(void);
const aa_x_entry *aa_x_entry_at(size_t i);

/* Meanings of Microsoft anti-spam header values ("SFV" "SPM"), or NULL. */
const char *aa_x_antispam_meaning(const char *field, const char *value);

#endif
