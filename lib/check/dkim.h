/*
 * dkim.h — the DKIM area: selector probing (plan), key checks, and the facts
 * later checks read with aa_report_facts(r, AA_AREA_DKIM).
 *
 * Contract for other areas (stable):
 *   - aa_dkim_facts.usable: keys that can give a DKIM pass (parse, not
 *     revoked, RSA >= 1024 bits or ed25519).  0 with dns_errors > 0 means
 *     "unknown", not "none".
 *   - aa_dkim_facts.m365_cnames: how many of selector1/selector2 are CNAMEs
 *     to *.onmicrosoft.com (Microsoft 365 tenant evidence); m365_published:
 *     how many of them hold a usable key.
 *   - aa_dkim_facts.keys[]: one entry per probed selector, in probe order.
 */
#ifndef AA_DKIM_H
#define AA_DKIM_H

#include <stddef.h>

#include "engine/audit.h"

/* What one selector's probe found. */
typedef enum aa_dkim_outcome {
	AA_DKIM_ABSENT = 0, /* NXDOMAIN / NODATA / no key record there */
	AA_DKIM_KEY,        /* a key record that parses (see flags, bits) */
	AA_DKIM_REVOKED,    /* empty p= */
	AA_DKIM_SYNTAX,     /* unparsable record or key */
	AA_DKIM_DANGLING,   /* a CNAME whose target has no record */
	AA_DKIM_DNS_ERROR   /* the lookup failed: not verified */
} aa_dkim_outcome;

const char *aa_dkim_outcome_name(aa_dkim_outcome o);

/* Key flags. */
enum {
	AA_DKIM_F_TESTING = 1 << 0,   /* t=y */
	AA_DKIM_F_STRICT = 1 << 1,    /* t=s (no subdomain signing) */
	AA_DKIM_F_SHA1_ONLY = 1 << 2, /* h=sha1 only */
	AA_DKIM_F_WEAK = 1 << 3,      /* RSA under 1024 bits */
	AA_DKIM_F_USABLE = 1 << 4     /* counted in aa_dkim_facts.usable */
};

typedef enum aa_dkim_alg {
	AA_DKIM_ALG_NONE = 0,
	AA_DKIM_ALG_RSA,
	AA_DKIM_ALG_ED25519
} aa_dkim_alg;

const char *aa_dkim_alg_name(aa_dkim_alg a);

typedef struct aa_dkim_key {
	char *selector;
	char *name;   /* SELECTOR._domainkey.DOMAIN */
	char *cname;  /* last CNAME target followed, NULL if none */
	aa_dkim_outcome outcome;
	aa_dkim_alg alg;
	unsigned bits;  /* RSA modulus bits; 256 for ed25519; 0 if unknown */
	unsigned flags; /* AA_DKIM_F_* */
	char *record;   /* the key record as published (NULL if none) */
	char *error;    /* why it does not parse (AA_DKIM_SYNTAX) */
} aa_dkim_key;

typedef struct aa_dkim_facts {
	size_t usable;      /* usable keys found */
	size_t dns_errors;  /* selectors whose lookup failed */
	unsigned m365_cnames;    /* selector1/2 that CNAME to *.onmicrosoft.com (0..2) */
	unsigned m365_published; /* selector1/2 with a usable key (0..2) */
	aa_dkim_key *keys;  /* one per probed selector */
	size_t nkeys;
} aa_dkim_facts;

/* The entry for a selector, or NULL if it was not probed. */
const aa_dkim_key *aa_dkim_find(const aa_dkim_facts *f, const char *selector);
/* Non-zero when `name` is (below) onmicrosoft.com: Microsoft 365's DKIM
 * CNAME target domain. */
int aa_dkim_is_m365_target(const char *name);
void aa_dkim_facts_free(void *facts);

/* Module functions (lib/modules.c). */
void aa_plan_dkim(aa_audit *a);
void aa_check_dkim(const aa_check_in *in, aa_report *r);

#endif
