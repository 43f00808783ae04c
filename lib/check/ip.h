/*
 * ip.h — facts of the envelope (AA_AREA_ENVELOPE) and sending-IP
 * (AA_AREA_IP) checks, for renderers.
 */
#ifndef AA_IP_H
#define AA_IP_H

#include <stddef.h>

typedef struct aa_dnsbl_result {
	char *zone;
	int outcome;   /* aa_outcome of the A lookup */
	char *code;    /* "127.0.0.4" when answered, else NULL */
	char *meaning; /* decoded meaning, NULL when not listed */
} aa_dnsbl_result;

typedef struct aa_ip_info {
	char *ip;
	char *reverse;  /* 1.2.0.192.in-addr.arpa */
	int ptr_outcome;
	char **ptr;     /* PTR names */
	size_t nptr;
	int fcrdns;     /* 1 confirmed, 0 not, -1 not verified */
	int generic;    /* a PTR name looks dynamic/residential */
	aa_dnsbl_result *dnsbl;
	size_t ndnsbl;
} aa_ip_info;

typedef struct aa_ip_facts {
	aa_ip_info *ips;
	size_t nips;
} aa_ip_facts;

void aa_ip_facts_free(void *facts);

typedef struct aa_envelope_facts {
	char *address;
	char *domain;
	char *org_domain;      /* registrable domain (libpsl), NULL if none */
	char *from_org_domain; /* of the audited (From) domain */
	int local_looking;
	int routable;          /* 1 yes, 0 no, -1 not verified */
	int aligned;           /* relaxed alignment with the From domain */
} aa_envelope_facts;

void aa_envelope_facts_free(void *facts);

/* Non-zero when a PTR name looks like a generic (dynamic, residential)
 * name for `ip`; *why names the sign. */
int aa_ptr_generic(const char *name, const char *ip, const char **why);

#endif
