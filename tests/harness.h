/*
 * Test harness: a knotd serving fixture zones, and faultdns in front of it
 * injecting faults.  Code under test talks to h->resolver.
 */
#ifndef AUTHAUDIT_TESTS_HARNESS_H
#define AUTHAUDIT_TESTS_HARNESS_H

#include <sys/types.h>

typedef struct harness {
	pid_t knot_pid; /* knotd serving fixture zones */
	int knot_port;
	pid_t fault_pid; /* faultdns forwarding to knotd */
	int fault_port;
	char dir[256];      /* temp dir: knot.conf, rundir, storage, logs */
	char resolver[64];  /* "127.0.0.1:<fault_port>" */
	char log_path[300]; /* faultdns query log */
} harness;

/*
 * zones_dir: directory of zone files named <apex>.zone (the zone name is
 * the file name minus ".zone"); rules: faultdns rules file or NULL.
 * Returns 0 when both servers answer, -1 (with a message on stderr)
 * otherwise.  Binaries come from $AA_KNOTD (default /usr/sbin/knotd) and
 * $AA_FAULTDNS (default build/tests/faultdns, where make puts it).
 */
int harness_start(harness *h, const char *zones_dir, const char *rules);

/* SIGTERM both servers, reap them, remove the temp dir.  Safe to call
 * twice, after a failed start, or on a zeroed struct. */
void harness_stop(harness *h);

/* Lines in the query log for name (case-insensitive, trailing dot
 * optional; NULL or "*" for any) and type (mnemonic such as "TXT" or "TYPE99"; NULL or "*"
 * for any), over UDP or TCP.  -1 if the log cannot be read. */
int harness_query_count(const harness *h, const char *name, const char *type);

/* Forget every query logged so far. */
void harness_reset_log(harness *h);

#endif
