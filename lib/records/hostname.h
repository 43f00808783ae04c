/*
 * hostname.h — the one host-name validator: label and length rules over a
 * (pointer, length) name, with flags for the differences that matter between
 * a name we may put in a query, a mail domain typed by a user, and a report
 * destination inside a DMARC record.
 */
#ifndef AA_HOSTNAME_H
#define AA_HOSTNAME_H

#include <stddef.h>

enum {
	/* Letters, digits and hyphens only (RFC 952/1123); without it any
	 * printable ASCII but space and backslash (what a query can carry). */
	AA_HOST_LDH = 1 << 0,
	/* With AA_HOST_LDH: '_' too (_dmarc, _domainkey, DKIM selectors). */
	AA_HOST_UNDERSCORE = 1 << 1,
	/* No label starts or ends with '-'. */
	AA_HOST_HYPHEN_EDGES = 1 << 2,
	/* At least two labels ("example.com", not "localhost"). */
	AA_HOST_TWO_LABELS = 1 << 3,
	/* One trailing dot (an absolute name) is allowed and not counted. */
	AA_HOST_TRAILING_DOT = 1 << 4
};

/* Any name c-ares can ask: labels 1..63 bytes, 253 in all. */
#define AA_HOST_QUERY (AA_HOST_TRAILING_DOT)
/* A mail domain as a user gives it (after IDNA): LDH, two labels. */
#define AA_HOST_MAIL_DOMAIN (AA_HOST_LDH | AA_HOST_HYPHEN_EDGES | AA_HOST_TWO_LABELS)
/* The host of a DMARC rua/ruf mailto: URI, as receivers accept it. */
#define AA_HOST_REPORT_DEST (AA_HOST_LDH | AA_HOST_UNDERSCORE | AA_HOST_TWO_LABELS)
/* A DKIM selector: one or more labels of LDH and '_'. */
#define AA_HOST_SELECTOR (AA_HOST_LDH | AA_HOST_UNDERSCORE)

typedef enum aa_host_error {
	AA_HOST_OK = 0,
	AA_HOST_EMPTY,
	AA_HOST_TOO_LONG,       /* more than 253 bytes */
	AA_HOST_EMPTY_LABEL,    /* two dots in a row, or a leading dot */
	AA_HOST_LABEL_TOO_LONG, /* a label of more than 63 bytes */
	AA_HOST_BAD_CHAR,
	AA_HOST_HYPHEN_START,
	AA_HOST_HYPHEN_END,
	AA_HOST_ONE_LABEL
} aa_host_error;

/* Judges p[0..len) under `flags` (AA_HOST_*); the first problem found. */
aa_host_error aa_host_check(const char *p, size_t len, unsigned flags);
/* A sentence naming the problem, for users. */
const char *aa_host_error_text(aa_host_error e);

#endif
