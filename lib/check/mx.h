/*
 * mx.h — MX, provider and Microsoft 365 tenant facts (AA_AREA_MX), the MX
 * module's plan, and the address classification it uses.
 *
 * aa_check_mx() stores an aa_mx_facts with aa_report_set_facts(r,
 * AA_AREA_MX, ...) for renderers and later checks.
 */
#ifndef AA_MX_H
#define AA_MX_H

#include <stddef.h>

#include "engine/audit.h"
#include "tables/providers.h"

/* What the A/AAAA lookups of an MX host said. */
typedef enum aa_mx_addr_state {
	AA_MX_ADDR_OK = 0,     /* at least one address */
	AA_MX_ADDR_NONE,       /* NXDOMAIN or NODATA for both A and AAAA */
	AA_MX_ADDR_UNVERIFIED, /* no address, and a lookup failed */
	AA_MX_ADDR_NOT_ASKED   /* an IP literal or the null MX: never looked up */
} aa_mx_addr_state;

typedef struct aa_mx_host {
	char *name;             /* as in the MX record ("" for the null MX) */
	unsigned short pref;
	int is_null;            /* "MX 0 ." */
	int ip_literal;         /* the target is an address written as a name */
	char *cname;            /* the canonical name when the target is a CNAME */
	char **addrs;           /* A and AAAA, text form */
	size_t naddrs;
	char **private_addrs;   /* the subset in loopback/private/reserved space */
	size_t nprivate;
	aa_mx_addr_state addr_state;
	const aa_provider *provider; /* NULL: not a known provider */
} aa_mx_host;

/* Kinds of Microsoft 365 tenant evidence. */
typedef enum aa_m365_kind {
	AA_M365_MX_EOP = 0,    /* an MX host in *.mail.protection.outlook.com */
	AA_M365_MS_TXT,        /* MS=ms12345678 domain verification TXT */
	AA_M365_DKIM_CNAME,    /* selector1/2._domainkey CNAME to *.onmicrosoft.com */
	AA_M365_SPF_INCLUDE,   /* SPF reaches include:spf.protection.outlook.com */
	AA_M365_AUTODISCOVER   /* autodiscover CNAME to autodiscover.outlook.com */
} aa_m365_kind;

typedef struct aa_m365_evidence {
	aa_m365_kind kind;
	char *text; /* "selector1._domainkey.example.com CNAME selector1-...onmicrosoft.com" */
} aa_m365_evidence;

typedef struct aa_mx_facts {
	int mx_outcome;         /* aa_outcome of the apex MX lookup */
	aa_mx_host *hosts;      /* in preference order */
	size_t nhosts;
	int null_mx;            /* a null MX is among the records */
	aa_m365_evidence *m365; /* tenant evidence found, in the order above */
	size_t nm365;
	int eop_mx;             /* some MX host is EOP */
	int eop_primary;        /* EOP alone holds the lowest preference */
} aa_mx_facts;

void aa_mx_facts_free(void *facts);

/* Plans of the MX module (MX host addresses, M365 evidence), the
 * envelope module (--envelope-from) and the IP module (--ip, --dnsbl). */
void aa_plan_mx(aa_audit *a);
void aa_plan_envelope(aa_audit *a);
void aa_plan_ip(aa_audit *a);

/* Non-zero when the address (4 or 16 bytes) is loopback, private,
 * link-local, CGNAT, unspecified, multicast or otherwise reserved space
 * that no Internet sender can reach.  Documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are NOT flagged: they
 * stand for public hosts in examples and test fixtures.  *why receives a
 * short name of the range. */
int aa_addr_unreachable(const unsigned char *addr, size_t len, const char **why);

/* Non-zero when `s` is an IPv4 or IPv6 address in text form. */
int aa_is_ip_literal(const char *s);

#endif
