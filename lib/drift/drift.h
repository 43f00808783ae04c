/*
 * drift.h — drift between runs (--state-dir): a canonical snapshot of each
 * domain's report, its comparison with the last one, and the drift report
 * (text, JSON, an RFC 5322 message).  The layer sits above report/ and
 * render/, below engine/ and the program.
 *
 * Snapshots and drift entries are jansson documents: the snapshot is what
 * is written to DIR/<domain>.json ("schema": "authaudit-state/1"), a drift
 * entry is one element of the drift document's "domains" array
 * ("schema": "authaudit-drift/1"); both are documented in authaudit-json(5).
 */
#ifndef AA_DRIFT_H
#define AA_DRIFT_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "authaudit.h"
#include "report/report.h"

#define AA_STATE_SCHEMA "authaudit-state/1"
#define AA_DRIFT_SCHEMA "authaudit-drift/1"

/* ---- state.c: the state directory, its lock, snapshot files ---------- */

/* The snapshot file name of a normalised domain: the name itself when it
 * holds only [a-z0-9._-], with any other byte as %XX, then ".json".  The
 * caller frees it. */
char *aa_state_file_name(const char *domain);

/*
 * Reads DIR/FILE: AA_OK with *snap (NULL when there is no file: a first
 * run), or AA_EINVAL when the file is corrupt, truncated, of another
 * domain or of a newer schema, or AA_EIO when it cannot be read; *why then
 * names the file, the problem and the way out (caller frees).
 */
aa_status aa_state_load(const char *dir, const char *file, const char *domain, json_t **snap, char **why);
/* The same checks on a snapshot already read: buf holds len bytes of the
 * file named path (for the messages). */
aa_status aa_state_parse(const char *buf, size_t len, const char *path, const char *domain, json_t **snap,
                         char **why);

/*
 * Writes snap to DIR/FILE atomically: DIR/FILE.tmp written, fsync'ed,
 * renamed over DIR/FILE, DIR fsync'ed.  On failure the old file is as it
 * was, the temp file removed, and *why names the file and the error.
 */
aa_status aa_state_save(const char *dir, const char *file, const json_t *snap, char **why);

/* ---- diff.c: snapshot of a report, and its comparison with the last ---- */

/* One domain's drift entry's status. */
typedef enum aa_drift_kind {
	AA_DRIFT_NONE = 0,   /* nothing to report */
	AA_DRIFT_BASELINE,   /* first run: what is now watched */
	AA_DRIFT_CHANGED,    /* records, findings or grade changed */
	AA_DRIFT_UNVERIFIED, /* lookups failed on stale_after runs in a row */
} aa_drift_kind;

/*
 * Compares report r with the last snapshot prev (NULL: first run).
 * *next is the snapshot to save; *entry the drift entry to report (NULL
 * when kind is AA_DRIFT_NONE); *worst a weight of the worst change (for
 * the Subject of the message) and *worst_text its words (caller frees).
 */
aa_status aa_drift_compare(const aa_report *r, const json_t *prev, int stale_after, json_t **next,
                           json_t **entry, aa_drift_kind *kind, int *worst, char **worst_text);

/* Bytes made canonical and printable: printable ASCII as is, a backslash
 * as \\, every other byte as \DDD (as dig writes them).  Lossless, so two
 * values compare equal exactly when their bytes do. */
char *aa_drift_canon(const char *p, size_t len);

/* ISO 8601 UTC ("2026-11-25T13:14:15Z") of t; json string or null. */
json_t *aa_drift_time(time_t t);

/* ---- drift_out.c: the drift report ------------------------------------ */

typedef struct aa_drift_doc {
	json_t *domains; /* the drift entries, sorted by domain */
	unsigned long checked, drifted, unverified, baselines;
	const char *worst_domain_text; /* words for the worst change, or NULL */
	time_t generated;
} aa_drift_doc;

json_t *aa_drift_doc_json(const aa_drift_doc *d);
aa_status aa_drift_text(const aa_drift_doc *d, FILE *out);
aa_status aa_drift_email(const aa_drift_doc *d, const char *from, const char *to, const char *subject,
                         FILE *out);

#endif
