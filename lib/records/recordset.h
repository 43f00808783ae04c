/*
 * recordset.h — what DNS said: record sets keyed by (name, type).
 *
 * The resolver's cache is a recordset; so is each audit's view (the subset of
 * (name, type) pairs that audit asked for), which checks read.  Checks are
 * pure functions of a recordset, so tests can build one in memory with
 * aa_rrset_new() + aa_recordset_put().
 */
#ifndef AA_RECORDSET_H
#define AA_RECORDSET_H

#include <stddef.h>
#include <stdint.h>

#include "authaudit.h"

typedef enum aa_rrtype {
	AA_T_A = 1,
	AA_T_NS = 2,
	AA_T_CNAME = 5,
	AA_T_SOA = 6,
	AA_T_PTR = 12,
	AA_T_MX = 15,
	AA_T_TXT = 16,
	AA_T_AAAA = 28,
	AA_T_SPF = 99
} aa_rrtype;

const char *aa_rrtype_name(aa_rrtype t);

/* The outcome class of one (name, type) question. */
typedef enum aa_outcome {
	AA_OUT_PENDING = 0, /* still on the wire */
	AA_OUT_ANSWER,      /* records of the type were returned */
	AA_OUT_NODATA,      /* the name exists, no records of the type */
	AA_OUT_NXDOMAIN,    /* the name does not exist */
	AA_OUT_SERVFAIL,    /* server failure (also FORMERR, NOTIMP) */
	AA_OUT_TIMEOUT,     /* no answer from any server */
	AA_OUT_REFUSED,     /* the server refused the query */
	AA_OUT_MALFORMED,   /* the answer could not be parsed */
	AA_OUT_CNAME_LOOP,  /* the CNAME chain loops or is too long */
	AA_OUT_NETERR,      /* network error (connection refused, ...) */
	AA_OUT_DEADLINE,    /* the audit's deadline passed before an answer */
	AA_OUT_BUDGET,      /* not asked: the audit's query budget ran out */
	AA_OUT_BADNAME      /* not asked: a record points at a name that cannot be
	                     * asked (an escaped dot, a binary byte, too long) */
} aa_outcome;

const char *aa_outcome_name(aa_outcome o);
/* True for the classes that mean "DNS failed", as opposed to a real answer
 * (ANSWER, NODATA, NXDOMAIN). */
int aa_outcome_is_error(aa_outcome o);

typedef struct aa_record {
	/* TXT: the character-strings of one record joined (RFC 7208 3.3), with
	 * `len` bytes (may hold NUL bytes; a NUL is always appended);
	 * MX/CNAME/PTR/NS: the host name; A/AAAA: the address in text form. */
	char *data;
	size_t len;
	unsigned nstrings;      /* TXT: character-strings in the record */
	unsigned short pref;    /* MX preference */
	unsigned char addr[16]; /* A: 4 bytes, AAAA: 16 bytes */
} aa_record;

struct aa_waiter;
struct aa_rrset;

/* Whoever keeps a table of shared rrsets (the resolver's cache) and wants
 * to hear when all other holders have let one go: aa_rrset_unref() calls
 * released() when an rrset's count drops to 1, i.e. only the keeper holds
 * it.  released() may drop that last reference. */
typedef struct aa_rrset_keeper {
	void (*released)(struct aa_rrset_keeper *k, struct aa_rrset *rs);
} aa_rrset_keeper;

typedef struct aa_rrset {
	char *name; /* lower case, no trailing dot */
	aa_rrtype type;
	size_t name_len; /* strlen(name) */
	uint64_t key;    /* hash of (name, type): the recordsets' index, set once */
	aa_outcome outcome;
	uint32_t ttl; /* of the answer records (minimum), 0 if none */
	char **chain; /* CNAME targets followed from `name`, in order */
	size_t nchain;
	aa_record *rr;
	size_t nrr;
	size_t wire_len; /* size of the DNS message the answer came in */
	unsigned refs;

	/* resolver bookkeeping */
	struct aa_waiter *waiters, *waiters_tail;
	struct aa_rrset *queue_next;
	struct aa_rrset *chasing; /* the CNAME target this entry waits on, or NULL */
	unsigned chased;          /* queries sent to follow its CNAMEs (chase hops) */
	unsigned hops;            /* CNAME hops taken before this name was asked */

	/* cache bookkeeping (lib/dns/cache.c) */
	aa_rrset_keeper *keeper;              /* the cache holding it, or NULL */
	struct aa_rrset *lru_prev, *lru_next; /* on the cache's eviction list */
	int on_lru;
	unsigned nwaiters; /* waiters on it, on its list or the ready list */
	long long expires; /* monotonic ms after which a new want asks again */
	size_t bytes;      /* what it counts for in the cache's total */
	/* from the wire parser: how long the answer may be reused (the smallest
	 * TTL of the answer records, CNAMEs included; for NODATA/NXDOMAIN the
	 * SOA's negative TTL, RFC 2308 section 5); cache_ttl_set 0: unknown */
	uint32_t cache_ttl;
	int cache_ttl_set;
} aa_rrset;

aa_rrset *aa_rrset_new(const char *name, aa_rrtype type);
aa_rrset *aa_rrset_ref(aa_rrset *rs);
void aa_rrset_unref(aa_rrset *rs);
/* Appends a record; `data` is copied (len bytes, NUL bytes included, a NUL
 * appended).  AA_OK or AA_ENOMEM. */
aa_status aa_rrset_add(aa_rrset *rs, const char *data, size_t len);
aa_status aa_rrset_add_chain(aa_rrset *rs, const char *target);
/* A copy with the same answer data (no resolver bookkeeping). */
aa_rrset *aa_rrset_copy(const aa_rrset *rs);

/* Hash table (name, type) -> rrset; holds one reference per entry and keeps
 * insertion order for stable output. */
typedef struct aa_recordset aa_recordset;

aa_recordset *aa_recordset_new(void);
void aa_recordset_free(aa_recordset *set);
/* Looks up `name` (any case, trailing dot allowed). */
aa_rrset *aa_recordset_get(const aa_recordset *set, const char *name, aa_rrtype type);
/* Inserts rs (taking a new reference); replaces an existing entry.  AA_OK
 * or AA_ENOMEM. */
aa_status aa_recordset_put(aa_recordset *set, aa_rrset *rs);
/* Takes rs's entry out (dropping the set's reference) in constant time;
 * the last entry moves into its place in the order.  Non-zero when rs was
 * the set's entry for its (name, type). */
int aa_recordset_remove(aa_recordset *set, aa_rrset *rs);
size_t aa_recordset_count(const aa_recordset *set);
/* The i-th entry in insertion order (until the first removal). */
aa_rrset *aa_recordset_at(const aa_recordset *set, size_t i);

/* Puts the entries in a canonical order (answers arrive in any order, so
 * insertion order is not reproducible): names at `domain` first, then names
 * below it, then the rest; alphabetical within; then by type. */
void aa_recordset_sort(aa_recordset *set, const char *domain);

/* Non-zero when `name` is `domain` or a name below it (label boundary, any
 * case, trailing dots ignored on both): "a.b.example" is below "example",
 * "notexample" is not. */
int aa_name_at_or_below(const char *name, const char *domain);

/* Lower-cases a DNS name and strips one trailing dot; NULL on OOM. */
char *aa_name_canon(const char *name);

#endif
