/*
 * dnsbl.h — DNS blocklists: query names, the default list, and the meaning
 * of the 127.0.0.x return codes of well-known lists (a data table).
 */
#ifndef AA_DNSBL_H
#define AA_DNSBL_H

#include <stddef.h>

/* Zones asked when no --dnsbl is given. */
extern const char *const aa_dnsbl_defaults[];
extern const size_t aa_ndnsbl_defaults;

/* "192.0.2.1" + "zen.spamhaus.org" -> "1.2.0.192.zen.spamhaus.org" (IPv6:
 * 32 nibbles); NULL if `ip` is not an address or on OOM. */
char *aa_dnsbl_name(const char *ip, const char *zone);

typedef enum aa_dnsbl_verdict {
	AA_DNSBL_LISTED = 0, /* 127.0.0.0/8 listing code */
	AA_DNSBL_REFUSED,    /* 127.255.255.x: the list refused to answer */
	AA_DNSBL_UNEXPECTED  /* not a return code at all (NXDOMAIN rewriting?) */
} aa_dnsbl_verdict;

typedef struct aa_dnsbl_meaning {
	aa_dnsbl_verdict verdict;
	const char *list;    /* "Spamhaus XBL" or the zone's own name */
	const char *meaning; /* what the code says, in plain words */
	const char *delist;  /* where to ask for removal */
} aa_dnsbl_meaning;

/* Decodes one A record (4 bytes) returned by `zone`. */
void aa_dnsbl_decode(const char *zone, const unsigned char addr[4], aa_dnsbl_meaning *out);
/* PTR names per IP that are forward-confirmed (and looked at). */
#define AA_MAX_PTR_NAMES 10

struct aa_options;
/* The DNSBL zones of a run: --dnsbl, or the default list. */
const char *const *aa_dnsbl_zones(const struct aa_options *opt, size_t *n);

#endif
