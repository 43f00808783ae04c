/*
 * authaudit.h — the public API of libauthaudit.
 *
 * One aa_ctx serves a whole run: one c-ares channel, one event loop, one
 * record cache shared by every domain audited through it.  Domains are added
 * with aa_ctx_add(); aa_ctx_run() drives all of them to completion and hands
 * each finished aa_report to the caller's callback.  The caller owns every
 * report it receives and frees it with aa_report_free().
 */
#ifndef AUTHAUDIT_H
#define AUTHAUDIT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum aa_status {
	AA_OK = 0,
	AA_ENOMEM,    /* out of memory */
	AA_EINVAL,    /* invalid argument */
	AA_EDOMAIN,   /* not a valid domain name */
	AA_ERESOLVER, /* resolver address list invalid or resolver unusable */
	AA_ELIMIT,    /* query budget of an audit exhausted */
	AA_EIO        /* system error (poll, output) */
} aa_status;

/* A short, user-readable description of a status. */
const char *aa_strstatus(aa_status st);

typedef enum aa_severity {
	AA_SEV_INFO = 0,
	AA_SEV_LOW,
	AA_SEV_MEDIUM,
	AA_SEV_HIGH,
	AA_SEV_CRITICAL
} aa_severity;

const char *aa_severity_name(aa_severity sev);
/* Parses "critical", "high", ...: AA_OK, or AA_EINVAL for another word. */
aa_status aa_severity_parse(const char *s, aa_severity *out);

typedef struct aa_options {
	const char *resolvers;        /* "ADDR[:PORT][,...]"; NULL: /etc/resolv.conf */
	int timeout_ms;               /* per try (default 2000) */
	int tries;                    /* tries per server (default 2) */
	int deadline_ms;              /* wall-time bound of one audit (default 20000) */
	int query_budget;             /* distinct queries one audit may ask (default 400) */
	int max_inflight;             /* queries on the wire at once (default 4096) */
	int max_audits;               /* audits in flight at once (default 256); more wait their turn */
	size_t cache_bytes;           /* record cache cap beyond what running audits hold (default 16 MiB) */
	const char *const *selectors; /* extra DKIM selectors to probe */
	size_t n_selectors;
	const char *const *ips; /* sending IPs (--ip) */
	size_t n_ips;
	const char *envelope_from; /* Return-Path address (--envelope-from) */
	const char *helo;          /* HELO name for SPF evaluation */
	const char *const *dnsbls; /* DNSBL zones (--dnsbl) */
	size_t n_dnsbls;
	const char *profile; /* "m365", "google" or NULL (--profile) */
} aa_options;

/* Fills *opt with the defaults above. */
void aa_options_init(aa_options *opt);

/*
 * Converts a user-supplied domain (UTF-8, IDN allowed, trailing dot allowed)
 * to its lower-case A-label form.  On AA_EDOMAIN, *why names the problem
 * (static string).  The caller frees *out with free().
 */
aa_status aa_domain_normalize(const char *in, char **out, const char **why);

/*
 * Checks a DKIM selector given by the user (--selector): one or more DNS
 * labels of letters, digits, hyphens and underscores.  On AA_EINVAL, *why
 * names the problem (static string).
 */
aa_status aa_selector_check(const char *selector, const char **why);

typedef struct aa_ctx aa_ctx;
typedef struct aa_report aa_report;

/* Called once per finished audit; the callee owns the report. */
typedef void (*aa_done_fn)(aa_report *report, void *arg);

aa_status aa_ctx_new(const aa_options *opt, aa_ctx **out);
void aa_ctx_free(aa_ctx *ctx);

/*
 * Adds an audit of `domain` (normalised with aa_domain_normalize): it starts
 * at once while fewer than max_audits audits run, else when one ends (its
 * deadline counts from its start).
 */
aa_status aa_ctx_add(aa_ctx *ctx, const char *domain, aa_done_fn done, void *arg);

/*
 * Domains on demand, for input of any length: aa_ctx_run() calls feed
 * whenever fewer than max_audits audits run; feed adds one or more with
 * aa_ctx_add() and returns > 0, returns 0 when the input is done, or < 0
 * for "not now" (it is asked again after the next audit ends, so a caller
 * can bound what it holds, e.g. reports kept back to keep input order).
 * Memory then stays bounded by max_audits, not by the input.
 */
typedef int (*aa_feed_fn)(aa_ctx *ctx, void *arg);
void aa_ctx_set_feed(aa_ctx *ctx, aa_feed_fn feed, void *arg);

/* Runs the event loop until every added audit has finished (and the feed,
 * if any, is done); each report goes to its callback as its audit ends. */
aa_status aa_ctx_run(aa_ctx *ctx);

/* Statistics of a run, for benchmarks and notes. */
typedef struct aa_stats {
	unsigned long queries_sent;  /* distinct (name, type) asked on the wire */
	unsigned long cache_hits;    /* wants answered by the cache */
	unsigned long max_in_flight; /* peak of queries on the wire */
	unsigned long audits_done;
	unsigned long max_audits_in_flight;   /* peak of audits running at once */
	unsigned long cache_entries;          /* record cache: entries now */
	size_t cache_bytes, cache_peak_bytes; /* its estimated size now, and at most */
	unsigned long cache_evictions;        /* entries dropped to keep under the cap */
	unsigned long cache_expired;          /* wants asked again: TTL over, or a failure */
	unsigned long loss_retries;           /* queries asked again after loss under load */
	unsigned long hedges;                 /* twins sent for queries under load past their RTO */
} aa_stats;
void aa_ctx_stats(const aa_ctx *ctx, aa_stats *out);

typedef enum aa_format {
	AA_FORMAT_TEXT = 0,  /* for people: findings worst first, why, fix */
	AA_FORMAT_RECORDS,   /* the raw record sets with outcome classes */
	AA_FORMAT_JSON,      /* one JSON document ("schema": "authaudit/1") */
	AA_FORMAT_NDJSON,    /* the same document on one line */
	AA_FORMAT_CHECKLIST, /* Markdown pre-launch checklist */
	AA_FORMAT_EMAIL      /* --state-dir: the drift report as an RFC 5322 message */
} aa_format;

/* Parses "text", "json", ...: AA_OK, or AA_EINVAL for another word. */
aa_status aa_format_parse(const char *s, aa_format *out);

typedef struct aa_render_opts {
	aa_format format;
	int color;   /* ANSI colour */
	int unicode; /* Unicode marks and tree lines (else ASCII) */
	int quiet;   /* text: only findings at or above quiet_min */
	aa_severity quiet_min;
	int width; /* text: wrap width (default 80) */
} aa_render_opts;

void aa_render_opts_init(aa_render_opts *o);
aa_status aa_report_write(const aa_report *r, const aa_render_opts *o, FILE *out);
/* The same text in memory, getline()-style: written to *buf (of *cap
 * bytes; NULL and 0 for a new one), which is grown (realloc) as needed and
 * is the caller's to free, even after an error; *len is the text's length
 * (NUL-terminated).  Reusing the buffer spares a batch an allocation per
 * report. */
aa_status aa_report_render(const aa_report *r, const aa_render_opts *o, char **buf, size_t *cap, size_t *len);

const char *aa_report_domain(const aa_report *r);
/* Worst severity among the findings; -1 when there are none. */
int aa_report_worst(const aa_report *r);
/* Non-zero when some finding is at or above `min` and asks something of
 * the user (what --fail-on fails on and -q prints): info findings that are
 * facts (MX_PROVIDER, MX_NULL, SPF_ALL_HARDFAIL, DKIM_KEY_REVOKED,
 * DMARC_INHERITED) never do. */
int aa_report_fails(const aa_report *r, aa_severity min);
/* Non-zero when some lookup failed or the audit hit its deadline/budget. */
int aa_report_incomplete(const aa_report *r);
/* Score 0-100 and grade 'A'..'F' (see authaudit(1), SCORING); -1 and '-'
 * when the report is not graded (every lookup failed: DNS_UNREACHABLE). */
int aa_report_score(const aa_report *r);
char aa_report_grade(const aa_report *r);
/* Non-zero when every query of the audit failed (nothing could be learnt). */
int aa_report_unreachable(const aa_report *r);
void aa_report_free(aa_report *r);

/* ---- drift: what changed since the last run (--state-dir; authaudit(1),
 * DRIFT) ------------------------------------------------------------------ */

typedef struct aa_drift aa_drift;

/*
 * Opens the state directory dir (created when missing; its parent must
 * exist) and its lock file, before any DNS is asked.  A domain whose audits
 * stay incomplete is reported as "could not be verified" after stale_after
 * runs in a row.  On failure *why says what is wrong (caller frees).
 */
aa_status aa_drift_open(const char *dir, int stale_after, aa_drift **out, char **why);
/*
 * Takes the state lock (flock on DIR/.lock) for the life of d.  Returns 0
 * when held; 1 when another run holds it and wait is 0 (*why names it);
 * -1 on error (*why says which).  With wait, blocks until it is free.
 */
int aa_drift_lock(aa_drift *d, int wait, char **why);
/*
 * Compares report r with its domain's last snapshot, keeps what is to be
 * reported, and saves the new snapshot atomically.  AA_EINVAL: the
 * snapshot is corrupt, truncated or of a newer version (it is kept as it
 * is; nothing reported for the domain); AA_EIO: the new snapshot could
 * not be written (the old one is kept; the drift is still reported).
 * *why says which file and what (caller frees).
 */
aa_status aa_drift_add(aa_drift *d, const aa_report *r, char **why);
/* Domains that drifted or could not be verified so far: exit status 1. */
unsigned long aa_drift_found(const aa_drift *d);
/*
 * Writes the drift report: nothing at all when no domain drifted, none
 * could not be verified and none is new; else a summary line first, then
 * each such domain.  format: AA_FORMAT_TEXT, _JSON, _NDJSON (the drift
 * document, "schema": "authaudit-drift/1") or _EMAIL (a message for
 * sendmail -t to mail_to, from mail_from or authaudit@HOSTNAME).
 */
aa_status aa_drift_write(aa_drift *d, aa_format format, const char *mail_from, const char *mail_to,
                         FILE *out);
/* Releases the lock. */
void aa_drift_free(aa_drift *d);

/* ---- explain: from a bounce, an SMTP reply or a message's headers to
 * its cause (authaudit(1), EXPLAIN) ------------------------------------- */

/* Bytes of input read; the rest is ignored (and the result says so). */
#define AA_EXPLAIN_MAX_INPUT ((size_t)4 << 20)

typedef struct aa_explain aa_explain;

/*
 * Reads input[0..len): a bare status code ("5.7.606", "550 5.7.26"), an
 * SMTP reply line, a bounce (a DSN or a qmail/Postfix/Exim/Exchange text)
 * or a message's headers, and looks each code and symptom up in the code
 * catalogue.  Any bytes are accepted.  The caller frees *out.
 */
aa_status aa_explain_new(const char *input, size_t len, aa_explain **out);
void aa_explain_free(aa_explain *x);
/* Non-zero when the input had something recognisable (a code, a DSN,
 * authentication, trace or anti-spam headers). */
int aa_explain_found(const aa_explain *x);
/* The sender domain to audit (From:, else the Return-Path's), or NULL. */
const char *aa_explain_domain(const aa_explain *x);
/* The envelope sender (Return-Path) of the failed mail, or NULL. */
const char *aa_explain_envelope_from(const aa_explain *x);
/* The sending IPs the input names. */
size_t aa_explain_ip_count(const aa_explain *x);
const char *aa_explain_ip(const aa_explain *x, size_t i);
/* Keeps the findings of r (an audit of aa_explain_domain() with its IPs
 * and envelope sender) that relate to the diagnoses, for the output. */
aa_status aa_explain_relate(aa_explain *x, const aa_report *r);
/* Text (AA_FORMAT_TEXT) or JSON (AA_FORMAT_JSON, AA_FORMAT_NDJSON);
 * AA_EINVAL for another format.  Bytes from the input are escaped. */
aa_status aa_explain_write(const aa_explain *x, const aa_render_opts *o, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
