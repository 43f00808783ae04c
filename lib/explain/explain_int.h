/*
 * explain_int.h — what the explain modules share: the parsed symptom of a
 * bounce, an SMTP reply or a message's headers (struct aa_explain, opaque
 * to users of authaudit.h), and the bounds that keep any input cheap.
 */
#ifndef AUTHAUDIT_EXPLAIN_INT_H
#define AUTHAUDIT_EXPLAIN_INT_H

#include "authaudit.h"
#include "explain/catalogue.h"

#include <stddef.h>

#define AA_X_MAX_INPUT ((size_t)4 << 20) /* bytes read; the rest is ignored */
#define AA_X_MAX_ITEMS 64                /* codes, hops, results, IPs kept */
#define AA_X_MAX_STR 600                 /* bytes kept of one value */

/* One status code found: an SMTP reply, a DSN Status field or a bare code. */
typedef struct aa_x_code {
	int reply;                  /* basic reply code (550), or 0 */
	char enhanced[16];          /* "5.7.606", or "" */
	char *text;                 /* the reply text, cleaned */
	char *recipient;            /* the recipient it is about, or NULL */
	char *remote_mta;           /* the server that replied, or NULL */
	const aa_x_entry *entry;    /* the catalogue's entry, or NULL */
	const aa_x_entry *fallback; /* the RFC 3463 class entry, or NULL */
} aa_x_code;

/* One method=result of Authentication-Results, ARC-Authentication-Results
 * or Received-SPF. */
typedef struct aa_x_auth {
	const char *header; /* static: the header's name */
	char *method;       /* "spf", "dkim", "dmarc", "compauth" */
	char *result;       /* "pass", "fail", ... */
	char *reason;       /* compauth reason=, or NULL */
	char *detail;       /* the properties (smtp.mailfrom=...), or NULL */
} aa_x_auth;

/* One Received hop, newest first as in the message. */
typedef struct aa_x_hop {
	char *from, *by; /* as written, or NULL */
	long long when;  /* Unix time, or -1 when the date does not parse */
	long long delay; /* seconds since the previous (older) hop, or -1 */
} aa_x_hop;

/* One field of a Microsoft anti-spam header (SCL, SFV, CAT, BCL, ...). */
typedef struct aa_x_field {
	char *name, *value;
	const char *meaning; /* static, or NULL */
} aa_x_field;

/* A symptom read from headers, with its catalogue entry. */
typedef struct aa_x_symptom {
	const aa_x_entry *entry;
	char *evidence;
} aa_x_symptom;

/* A finding of the audit that relates to a diagnosis (copied). */
typedef struct aa_x_related {
	char *code, *title, *subject, *evidence, *fix;
	aa_severity severity;
} aa_x_related;

struct aa_explain {
	int truncated;  /* the input was longer than AA_X_MAX_INPUT */
	int message;    /* read as a message (headers), not plain text */
	int dsn;        /* had a message/delivery-status part */
	int system;     /* aa_x_system of the rejecting side */
	char *reporter; /* the MTA that wrote the bounce ("qmail", ...), or NULL */
	aa_x_code *codes;
	size_t ncodes;
	aa_x_auth *auths;
	size_t nauths;
	aa_x_hop *hops;
	size_t nhops;
	aa_x_field *fields;
	size_t nfields;
	aa_x_symptom *symptoms;
	size_t nsymptoms;
	char **ips; /* sending IPs mentioned */
	size_t nips;
	char **ms_org; /* X-MS-Exchange-Organization-* "Name: value" lines */
	size_t nms_org;
	char *envelope_from;    /* Return-Path of the mail that failed */
	char *from_domain;      /* From: domain of that mail */
	char *recipient_domain; /* a recipient's domain */
	/* the audit, when one was related */
	char *audit_domain;
	int audited, score, incomplete;
	char grade;
	aa_x_related *related;
	size_t nrelated;
	char **other_codes; /* audit findings that do not relate */
	size_t nother;
};

/* Copies at most AA_X_MAX_STR bytes of p[0..n) as valid, printable UTF-8:
 * control bytes, C1 controls and invalid sequences become "\xNN"; runs of
 * white space become one space.  NULL when out of memory. */
char *aa_x_clean(const char *p, size_t n);

/* Adds what the input says; each returns AA_OK or AA_ENOMEM. */
aa_status aa_x_scan_text(aa_explain *x, const char *p, size_t n, const char *recipient);
aa_status aa_x_read_message(aa_explain *x, const char *p, size_t n);
aa_status aa_x_add_ip(aa_explain *x, const char *p, size_t n);
aa_status aa_x_add_code(aa_explain *x, int reply, const char *enhanced, const char *text, size_t tlen,
                        const char *recipient, const char *remote);
aa_status aa_x_add_symptom(aa_explain *x, const char *key, const char *evidence);
void aa_x_note_system(aa_explain *x, const char *p, size_t n);
/* Notes the rejecting system and the bounce's writer a text names. */
aa_status aa_x_note_text(aa_explain *x, const char *p, size_t n);

#endif
