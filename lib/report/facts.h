/*
 * facts.h — what each area's check derived from the record set: typed
 * facts, the contract between the checks (which fill them), the cross-area
 * step (which reads them, never findings) and the renderers (which print
 * them).  A report holds one per area: aa_report_facts(r, AA_AREA_SPF) is an
 * aa_spf_facts *, and so on.  Names of the enums are in facts.c.
 *
 * DKIM contract for other areas (stable):
 *   - aa_dkim_facts.usable: keys that can give a DKIM pass (parse, not
 *     revoked, RSA >= 1024 bits or ed25519).  0 with dns_errors > 0 means
 *     "unknown", not "none".
 *   - aa_dkim_facts.m365_cnames: how many of selector1/selector2 are CNAMEs
 *     to Microsoft 365's DKIM target domains; m365_published: how many of
 *     them hold a usable key.
 *   - aa_dkim_facts.keys[]: one entry per probed selector, in probe order.
 */
#ifndef AA_FACTS_H
#define AA_FACTS_H

#include <stddef.h>

#include "records/recordset.h"
#include "report/findings.h"
#include "tables/dnsbl.h"
#include "tables/providers.h"

/* A yes/no fact that a failed lookup can leave open. */
typedef enum aa_tri {
	AA_TRI_NO = 0,
	AA_TRI_YES,
	AA_TRI_UNKNOWN /* not verified: a lookup failed or was not made */
} aa_tri;

/* ==== SPF (AA_AREA_SPF) ==== */

/* RFC 7208 4.6.4 limits, and how far past them we keep asking (so a
 * report can say "13 of 10" without a hostile record making us ask
 * without bound). */
#define AA_SPF_MAX_LOOKUPS 10
#define AA_SPF_MAX_VOIDS 2
#define AA_SPF_MAX_NAMES 10 /* MX or PTR names per term */
#define AA_SPF_MARGIN 5
#define AA_SPF_MAX_DEPTH 12
/* Records longer than this are not handed to libspf2 (hostile input). */
#define AA_SPF_MAX_LIBSPF2_LEN 2048
#define AA_SPF_LARGE 450

/* How a node was reached. */
typedef enum aa_spf_via { AA_SPF_VIA_ROOT = 0, AA_SPF_VIA_INCLUDE, AA_SPF_VIA_REDIRECT } aa_spf_via;

/* The outcome class of one node of the include tree. */
typedef enum aa_spf_state {
	AA_SPF_NODE_OK = 0,
	AA_SPF_NODE_NO_RECORD, /* NXDOMAIN, NODATA or no v=spf1 TXT */
	AA_SPF_NODE_MULTIPLE,  /* more than one v=spf1 TXT (first kept) */
	AA_SPF_NODE_DNS_ERROR, /* the TXT lookup failed: temperror */
	AA_SPF_NODE_LOOP,      /* the name is already on the path */
	AA_SPF_NODE_LIMIT,     /* not expanded: limits or depth reached */
	AA_SPF_NODE_MACRO,     /* target needs a macro we could not expand */
	AA_SPF_NODE_PENDING    /* answer not in (plan time only) */
} aa_spf_state;

const char *aa_spf_state_name(aa_spf_state s);
/* Its stable JSON token ("ok", "no-record", ...). */
const char *aa_spf_state_token(aa_spf_state s);

/* A problem found at one term of a node's record. */
typedef enum aa_spf_issue_kind {
	AA_SPF_ISSUE_VOID = 0, /* the term's lookup returned no records */
	AA_SPF_ISSUE_DNS,      /* the term's lookup failed */
	AA_SPF_ISSUE_PTR,      /* ptr mechanism */
	AA_SPF_ISSUE_BROAD,    /* ip4 < /16 or ip6 < /32 */
	AA_SPF_ISSUE_MX_MANY,  /* mx term with more than 10 hosts */
	AA_SPF_ISSUE_SYNTAX,   /* our own parser could not read the term */
	AA_SPF_ISSUE_TWICE     /* redirect= or exp= given twice: permerror (RFC 7208 6) */
} aa_spf_issue_kind;

typedef struct aa_spf_issue {
	aa_spf_issue_kind kind;
	char *term;   /* the term as written */
	char *detail; /* e.g. "x.example A: NXDOMAIN", "12 MX hosts" */
} aa_spf_issue;

/* The kind of one term of a record. */
typedef enum aa_spf_mech {
	AA_SPF_M_ALL = 0,
	AA_SPF_M_INCLUDE,
	AA_SPF_M_A,
	AA_SPF_M_MX,
	AA_SPF_M_PTR,
	AA_SPF_M_IP4,
	AA_SPF_M_IP6,
	AA_SPF_M_EXISTS,
	AA_SPF_M_UNKNOWN,  /* not a mechanism RFC 7208 defines */
	AA_SPF_M_REDIRECT, /* the modifiers from here on */
	AA_SPF_M_EXP,
	AA_SPF_M_OTHER_MODIFIER
} aa_spf_mech;

struct aa_spf_node;

/* One term of a record as the walker read it.  Text is (pointer, length)
 * into the node's record, never NUL-terminated on its own. */
typedef struct aa_spf_term {
	const char *text; /* the term as written, qualifier included */
	size_t len;
	char qual; /* '+', '-', '~' or '?' ('+' when none is written) */
	aa_spf_mech mech;
	const char *value; /* after ':' or '=': domain-spec, address or modifier
	                     * value, without the cidr; NULL when none */
	size_t vlen;
	int cidr4, cidr6;              /* ip4/a/mx "/N", ip6 or a/mx "//N"; -1 when not written */
	const struct aa_spf_node *kid; /* the node an include or the followed
	                                * redirect reached; NULL otherwise */
} aa_spf_term;

typedef struct aa_spf_node {
	char *name;      /* the domain evaluated */
	char *term;      /* the term that reached it ("include:x"), NULL at the root */
	char *record;    /* the v=spf1 text, NULL without one */
	char *second;    /* AA_SPF_NODE_MULTIPLE: the second record */
	size_t wire_len; /* size of the TXT answer message */
	aa_spf_via via;
	aa_spf_state state;
	char *state_detail; /* e.g. "NXDOMAIN", "servfail" */
	unsigned own;       /* DNS-querying terms in this record */
	unsigned cost;      /* lookups this branch costs: 1 for the include/redirect
	                      * term itself (0 at the root) + own + children */
	unsigned voids;     /* void lookups in this branch */
	char all;           /* qualifier of this record's all: '+','-','~','?', 0 none */
	int has_redirect;   /* a redirect= that applies (no all in the record) */
	aa_spf_term *terms; /* the record's terms after "v=spf1", in order */
	size_t nterms;
	char *syntax_error; /* libspf2's messages when it cannot compile the record;
	                      * NULL when it can, or when the record is longer than
	                      * AA_SPF_MAX_LIBSPF2_LEN (then the AA_SPF_ISSUE_SYNTAX
	                      * issues of our own reading stand) */
	struct aa_spf_node **kids;
	size_t nkids;
	aa_spf_issue *issues;
	size_t nissues;
} aa_spf_node;

/* The overall result class. */
typedef enum aa_spf_class {
	AA_SPF_CLASS_NONE = 0, /* no SPF record */
	AA_SPF_CLASS_OK,
	AA_SPF_CLASS_PERMERROR,
	AA_SPF_CLASS_TEMPERROR
} aa_spf_class;

const char *aa_spf_class_name(aa_spf_class c);

/* check_host() result for one --ip. */
typedef struct aa_spf_ip_result {
	char *ip;
	char *result;  /* "pass", "fail", "softfail", "neutral", "none", "permerror", "temperror" */
	char *term;    /* the deciding term ("-all", "ip4:192.0.2.0/24 in include:x"), or NULL */
	char *comment; /* libspf2's explanation / messages */
} aa_spf_ip_result;

typedef struct aa_spf_facts {
	int has_record;      /* the domain publishes a v=spf1 TXT */
	aa_spf_class result; /* overall */
	char all;            /* effective all (redirect followed): '+','-','~','?', 0 none;
	                        * also 0 when result is temperror */
	unsigned lookups;    /* DNS-querying terms in the closure, as counted: a
	                      * branch not expanded (past the limit point, state
	                      * AA_SPF_NODE_LIMIT) counts 1, so with unexpanded > 0
	                      * this is a lower bound ("at least") */
	unsigned unexpanded; /* include/redirect nodes not expanded (AA_SPF_NODE_LIMIT) */
	unsigned voids;      /* void lookups in the closure */
	aa_spf_node *tree;   /* NULL when the apex TXT was not answered */
	/* The node whose all applies: the root, or the end of its redirect=
	 * chain when records have no all; NULL without a record. */
	const aa_spf_node *effective;
	/* The SPF_* code that makes SPF none or permerror for every sender, the
	 * first the judge reports of: SPF_NONE, SPF_SYNTAX, SPF_MULTIPLE,
	 * SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT, SPF_INCLUDE_NO_RECORD, SPF_LOOP,
	 * SPF_MX_TOO_MANY (every RFC 7208 permerror condition the walk sees).
	 * AA_F_COUNT when SPF can pass, or when a lookup failed (SPF_DNS_ERROR:
	 * unknown), or when the domain does not exist (DOMAIN_NXDOMAIN). */
	aa_code cannot_pass;
	/* Does the closure reach include:spf.protection.outlook.com (Microsoft
	 * 365, AA_M365_SPF_DOMAIN; a redirect= to it counts too)?  UNKNOWN when
	 * it was not found and a branch could not be read (DNS error, pending). */
	aa_tri eop;
	char *eop_path; /* "include:_spf.example.com > include:spf.protection.outlook.com" */
	/* Does every address pass: the effective all is +all, or an include
	 * reached before any other result passes everything (+all inside,
	 * possibly through further includes)?  pass_all_path names the branch
	 * ("include:a > include:b"), NULL when the domain's own all is +all. */
	int passes_all;
	char *pass_all_path;
	const aa_spf_node *pass_all_node; /* the record whose +all passes everything */
	char **type99;                    /* type 99 SPF records at the domain (SPF_DEPRECATED_RR) */
	size_t ntype99;
	aa_spf_ip_result *ips;
	size_t nips;
} aa_spf_facts;

void aa_spf_facts_free(void *facts);
void aa_spf_node_free(aa_spf_node *n);

/* ==== DKIM (AA_AREA_DKIM) ==== */

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
	AA_DKIM_F_USABLE = 1 << 4,    /* counted in aa_dkim_facts.usable */
	AA_DKIM_F_TOO_LARGE = 1 << 5  /* RSA over 4096 bits: verifiers need not check it (RFC 8301) */
};

typedef enum aa_dkim_alg { AA_DKIM_ALG_NONE = 0, AA_DKIM_ALG_RSA, AA_DKIM_ALG_ED25519 } aa_dkim_alg;

const char *aa_dkim_alg_name(aa_dkim_alg a);

typedef struct aa_dkim_key {
	char *selector;
	char *name;  /* SELECTOR._domainkey.DOMAIN */
	char *cname; /* last CNAME target followed, NULL if none */
	aa_dkim_outcome outcome;
	aa_dkim_alg alg;
	unsigned bits;  /* RSA modulus bits; 256 for ed25519; 0 if unknown */
	unsigned flags; /* AA_DKIM_F_* */
	char *record;   /* the key record as published (NULL if none) */
	char *error;    /* why it does not parse (AA_DKIM_SYNTAX) */
	/* every record at the name meant as a key (RFC 6376 3.6.2.2: more than
	 * one makes the result undefined, DKIM_KEY_MULTIPLE); the first is
	 * `record`, the one judged above */
	char **keyrecords;
	size_t nkeyrecords;
	char *v_not_first; /* the v= tag when it is not the first (RFC 6376 3.6.1) */
} aa_dkim_key;

typedef struct aa_dkim_facts {
	size_t usable;           /* usable keys found */
	size_t records;          /* selectors with a key record (a key, revoked or not
	                     * readable): none and no DNS error is DKIM_NONE_FOUND */
	size_t dns_errors;       /* selectors whose lookup failed */
	int domain_nxdomain;     /* the audited domain does not exist: DOMAIN_NXDOMAIN
	                      * says so, not DKIM_NONE_FOUND */
	unsigned m365_cnames;    /* selector1/2 that CNAME to Microsoft 365's DKIM target
	                          * domains (aa_m365_dkim_target) (0..2) */
	unsigned m365_published; /* selector1/2 with a usable key (0..2) */
	aa_dkim_key *keys;       /* one per probed selector */
	size_t nkeys;
	char *probe_note; /* why fewer (or all) selectors were probed (RFC 8020), or NULL */
} aa_dkim_facts;

/* The entry for a selector, or NULL if it was not probed. */
const aa_dkim_key *aa_dkim_find(const aa_dkim_facts *f, const char *selector);
void aa_dkim_facts_free(void *facts);

/* ==== DMARC (AA_AREA_DMARC) ==== */

typedef enum aa_dmarc_policy {
	AA_DMARC_P_UNSET = 0,
	AA_DMARC_P_NONE,
	AA_DMARC_P_QUARANTINE,
	AA_DMARC_P_REJECT
} aa_dmarc_policy;

const char *aa_dmarc_policy_name(aa_dmarc_policy p);
/* A p=/sp=/np= value (pointer, length; any case) as a policy;
 * AA_DMARC_P_UNSET when it is none of none, quarantine, reject. */
aa_dmarc_policy aa_dmarc_policy_parse(const char *v, size_t len);

typedef enum aa_dmarc_state {
	AA_DMARC_ABSENT = 0,  /* no record at the domain or its org domain */
	AA_DMARC_FOUND,       /* a record at the domain applies */
	AA_DMARC_INHERITED,   /* the organizational domain's record applies */
	AA_DMARC_MULTIPLE,    /* several records: receivers apply none */
	AA_DMARC_NOT_VERIFIED /* a lookup failed: state unknown */
} aa_dmarc_state;

/* How the DNS tree walk chose the organizational domain (RFC 9989 4.10.2). */
typedef enum aa_dmarc_org_rule {
	AA_DMARC_ORG_UNKNOWN = 0,   /* the walk did not finish (a lookup failed) */
	AA_DMARC_ORG_PSD_N,         /* the record with psd=n */
	AA_DMARC_ORG_BELOW_PSD_Y,   /* the name one label below a record with psd=y */
	AA_DMARC_ORG_FEWEST_LABELS, /* the record found at the name with the fewest labels */
	AA_DMARC_ORG_NO_RECORD      /* no record anywhere: the domain itself */
} aa_dmarc_org_rule;

/* "psd=n", "below-psd=y", "fewest-labels", "no-record"; NULL for UNKNOWN. */
const char *aa_dmarc_org_rule_name(aa_dmarc_org_rule r);

/* One lookup of the DNS tree walk (RFC 9989 4.10), as made. */
typedef struct aa_dmarc_walk_step {
	char *name;         /* _dmarc.X */
	aa_outcome outcome; /* PENDING when the walk stopped before asking it */
	size_t nrecords;    /* records beginning with v=DMARC1 */
	char psd;           /* psd= of the single record: 'y', 'n', 'u'; 0 when none */
} aa_dmarc_walk_step;

/* "absent", "found", "inherited", "multiple", "not-verified". */
const char *aa_dmarc_state_name(aa_dmarc_state s);

/* A record that names v=DMARC1 but that receivers misread or ignore, and
 * why (DMARC_SYNTAX). */
typedef struct aa_dmarc_syntax {
	char *where;     /* _dmarc.X */
	char *record;    /* its text */
	char **problems; /* one line each, in the order found */
	size_t nproblems;
} aa_dmarc_syntax;

/* What one rua=/ruf= URI of the applicable record can do. */
typedef enum aa_dmarc_uri_state {
	AA_DMARC_URI_OK = 0,       /* the destination is in the policy domain's organization */
	AA_DMARC_URI_AUTHORIZED,   /* another organization that publishes the authorisation */
	AA_DMARC_URI_INVALID,      /* not a mailto: URI with an address */
	AA_DMARC_URI_UNAUTHORIZED, /* another organization without the authorisation record */
	AA_DMARC_URI_UNVERIFIED    /* another organization; its lookup failed or was not made */
} aa_dmarc_uri_state;

typedef struct aa_dmarc_uri {
	const char *tag;         /* "rua" or "ruf" (static) */
	char *uri;               /* as written */
	char *dest;              /* the destination domain, NULL when invalid */
	char *auth_name;         /* POLICY._report._dmarc.DEST for another organization, else NULL */
	aa_outcome auth_outcome; /* of its TXT lookup; PENDING when not asked */
	aa_dmarc_uri_state state;
} aa_dmarc_uri;

typedef struct aa_dmarc_facts {
	aa_dmarc_state state;
	char *policy_domain; /* where the applicable record lives */
	char *where;         /* _dmarc.POLICY_DOMAIN as asked (FOUND, INHERITED), or where
	                      * the several records are (MULTIPLE) */
	char *record;        /* its text, NULL without one */
	aa_dmarc_policy p, sp, np;
	aa_dmarc_policy effective;   /* what applies to the audited domain (np= when it
	                            * does not exist and inherits, RFC 9989) */
	aa_dmarc_policy nonexistent; /* what applies to a non-existent subdomain of the
	                              * policy domain: np=, else sp=, else p= (RFC 9989) */
	int testing;                 /* t=y: test mode (RFC 9989), policy applied one level lower */
	char psd;                    /* psd= 'y', 'n' or 'u' (RFC 9989); 0 when absent */
	unsigned pct;                /* 0..100, 100 when absent (historic in RFC 9989) */
	char adkim, aspf;            /* 'r' or 's' */
	size_t nrua, nruf;           /* report URIs listed */
	aa_dmarc_uri *uris;          /* rua= then ruf= URIs as listed, with what each can do */
	size_t nuris;
	char **multiple; /* several records beginning with v=DMARC1 at one name */
	size_t nmultiple;
	char *multiple_where;    /* that name (_dmarc.X), NULL without */
	aa_dmarc_syntax *syntax; /* records with problems: the domain's, then the
	                          * organizational domain's */
	size_t nsyntax;
	aa_outcome outcome;     /* of the _dmarc.DOMAIN TXT lookup */
	char *org_domain;       /* the domain's organizational domain by the DNS tree walk
	                         * (RFC 9989 4.10.2), NULL when the walk did not finish */
	aa_outcome org_outcome; /* of _dmarc.ORG_DOMAIN TXT, when it differs from the domain */
	/* records that begin with a v= that is DMARC1 in another case ("v=dmarc1"):
	 * not DMARC records (RFC 7489 6.4: the value must match exactly), shown as
	 * "_dmarc.X TXT \"...\"" evidence of DMARC_NONE */
	char **lookalikes;
	size_t nlookalikes;
	int domain_nxdomain; /* the audited domain does not exist: DOMAIN_NXDOMAIN says so */
	/* the DNS tree walk (RFC 9989 4.10): its lookups in order, how it
	 * chose org_domain, whether the record that applies is a public suffix
	 * domain's (psd=y), and what the public suffix list (RFC 7489, libpsl)
	 * says instead (NULL when it has no registrable domain) */
	aa_dmarc_walk_step *walk;
	size_t nwalk;
	aa_dmarc_org_rule org_rule;
	int psd_policy;
	char *psl_org_domain;
	/* where RFC 7489 discovery (the public suffix list) finds the record
	 * that applies, NULL for none; psl_policy_known 0 when that lookup
	 * failed or was not made */
	char *psl_policy_domain;
	int psl_policy_known;
} aa_dmarc_facts;

void aa_dmarc_facts_free(void *facts);

/* ==== MX and Microsoft 365 tenant evidence (AA_AREA_MX) ==== */

/* What the A/AAAA lookups of an MX host said. */
typedef enum aa_mx_addr_state {
	AA_MX_ADDR_OK = 0,     /* at least one address */
	AA_MX_ADDR_NONE,       /* NXDOMAIN or NODATA for both A and AAAA */
	AA_MX_ADDR_UNVERIFIED, /* no address, and a lookup failed */
	AA_MX_ADDR_NOT_ASKED   /* an IP literal or the null MX: never looked up */
} aa_mx_addr_state;

typedef struct aa_mx_host {
	char *name; /* as in the MX record ("" for the null MX) */
	unsigned short pref;
	int is_null;    /* "MX 0 ." */
	int ip_literal; /* the target is an address written as a name */
	char *cname;    /* the canonical name when the target is a CNAME */
	char **addrs;   /* A and AAAA, text form */
	size_t naddrs;
	char **private_addrs; /* the subset in loopback/private/reserved space */
	size_t nprivate;
	aa_mx_addr_state addr_state;
	aa_tri ipv4, ipv6;           /* has an A (AAAA) record; UNKNOWN: that lookup failed */
	const aa_provider *provider; /* NULL: not a known provider */
	const char *retired;         /* why the host's endpoint no longer works (static;
	                              * aa_provider_mx_retired), NULL: current */
} aa_mx_host;

/* Kinds of Microsoft 365 tenant evidence. */
typedef enum aa_m365_kind {
	AA_M365_MX_EOP = 0,  /* an MX host at EOP: *.mail.protection.outlook.com, or
	                      * *.mx.microsoft for domains added since May 2025 */
	AA_M365_MS_TXT,      /* MS=ms12345678 domain verification TXT */
	AA_M365_DKIM_CNAME,  /* selector1/2._domainkey CNAME to *.onmicrosoft.com or
	                      * (since May 2025) *.dkim.mail.microsoft */
	AA_M365_SPF_INCLUDE, /* SPF reaches include:spf.protection.outlook.com */
	AA_M365_AUTODISCOVER /* autodiscover CNAME to autodiscover.outlook.com */
} aa_m365_kind;

typedef struct aa_m365_evidence {
	aa_m365_kind kind;
	char *text; /* "selector1._domainkey.example.com CNAME selector1-...onmicrosoft.com" */
} aa_m365_evidence;

typedef struct aa_mx_facts {
	aa_outcome mx_outcome; /* of the apex MX lookup */
	aa_mx_host *hosts;     /* in preference order */
	size_t nhosts;
	size_t real;              /* hosts that are not the null MX */
	int null_mx;              /* a null MX is among the records */
	const aa_mx_host *eop;    /* the first EOP host, or NULL */
	const aa_mx_host *relay;  /* the first other host at or before EOP's preference */
	const aa_mx_host *backup; /* EOP primary: the first other host at a higher
	                           * preference value (mail can bypass EOP) */
	int eop_mx;               /* some MX host is EOP */
	int eop_primary;          /* EOP alone holds the lowest preference */
	char **ms_txt;            /* MS=ms... verification TXT records at the apex */
	size_t nms_txt;
	char *autodiscover; /* autodiscover CNAME target under outlook.com, or NULL */
} aa_mx_facts;

/* Microsoft 365 tenant evidence, gathered by the cross-area step from the
 * MX, SPF and DKIM facts (report->tenant). */
typedef struct aa_tenant_facts {
	aa_m365_evidence *m365; /* in the order of aa_m365_kind */
	size_t nm365;
} aa_tenant_facts;

void aa_tenant_facts_free(aa_tenant_facts *t);
/* JSON token of an evidence kind ("mx-eop", ...). */
const char *aa_m365_kind_name(aa_m365_kind k);

void aa_mx_facts_free(void *facts);

/* ==== sending IPs (AA_AREA_IP) and the Return-Path (AA_AREA_ENVELOPE) ==== */

/* One A record a DNS blocklist returned, decoded with the list's table. */
typedef struct aa_dnsbl_answer {
	char *code;         /* "127.0.0.4" */
	aa_dnsbl_meaning m; /* verdict, list, meaning, delisting (static strings) */
} aa_dnsbl_answer;

typedef struct aa_dnsbl_result {
	char *zone;
	char *name;               /* the query name, 13.2.0.192.ZONE */
	aa_outcome outcome;       /* of the A lookup */
	char *code;               /* "127.0.0.4" when answered, else NULL */
	char *meaning;            /* decoded meaning, NULL when not listed */
	aa_dnsbl_answer *answers; /* every A record, in answer order */
	size_t nanswers;
	char *txt; /* the list's first TXT record at the name (its reason), or NULL */
} aa_dnsbl_result;

/* The forward lookup of one PTR name, for forward confirmation. */
typedef struct aa_ip_forward {
	char *name;         /* the PTR name */
	aa_outcome outcome; /* of its A (IPv4) or AAAA (IPv6) lookup; PENDING: not asked */
	char *addrs;        /* its addresses, "192.0.2.1, 192.0.2.2"; NULL when none */
} aa_ip_forward;

typedef struct aa_ip_info {
	char *ip;
	char *reverse; /* 1.2.0.192.in-addr.arpa */
	aa_outcome ptr_outcome;
	char **ptr; /* PTR names */
	size_t nptr;
	aa_ip_forward *forward; /* of the first AA_MAX_PTR_NAMES PTR names */
	size_t nforward;
	aa_tri fcrdns;           /* forward-confirmed reverse DNS */
	int generic;             /* a PTR name looks dynamic/residential */
	size_t generic_ptr;      /* which: an index into ptr[] */
	const char *generic_why; /* the sign (aa_ptr_generic), static */
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
	char *org_domain;      /* its organizational domain: by the DNS tree walk (RFC 9989
	                        * 4.10.2), or by the public suffix list when org_by_psl;
	                        * NULL when a lookup of the walk failed */
	char *from_org_domain; /* of the audited (From) domain, likewise */
	int org_by_psl;        /* no DMARC record applies to the From domain (or the
	                        * Return-Path looks local): libpsl answered */
	int local_looking;     /* empty, or a name for one network only (localhost, .local) */
	aa_tri routable;       /* can receive bounces */
	char *unroutable_why;  /* routable NO: what says so ("x MX 0 . (null MX ...)") */
	aa_tri aligned;        /* relaxed alignment with the From domain; UNKNOWN when a
	                        * lookup of a tree walk failed */
	/* SPF as receivers evaluate it for the Return-Path domain when that is
	 * not the audited domain (e.g. apache@web01.shop.example): MAIL FROM's
	 * domain is what check_host() gets (RFC 7208 2.4).  NULL otherwise. */
	char *spf_record; /* its v=spf1 record, NULL when none */
	char *spf_result; /* "none", "permerror", "temperror", or with --ip the
	                   * check_host() result for the first IP; NULL when not
	                   * evaluated (no --ip, or the domain is the audited one) */
	char *spf_ip;     /* the IP spf_result is for, NULL without --ip */
	char *spf_why;    /* what decided it ("no v=spf1 TXT record", libspf2's comment) */
} aa_envelope_facts;

void aa_envelope_facts_free(void *facts);

/* ==== MTA-STS and TLS reporting (AA_AREA_TRANSPORT) ==== */

/* One TXT record at _mta-sts.D or _smtp._tls.D meant as one of these
 * (it names v=sts or v=tlsrpt somewhere), as read until its first problem. */
typedef struct aa_transport_record {
	char *text;    /* as published (up to a NUL byte) */
	char *version; /* the first tag's v= value ("STSv1"); NULL when it is not v= */
	char *id;      /* MTA-STS: the valid id=, NULL when none */
	char **rua;    /* TLS-RPT: the rua= URIs read, in order */
	size_t nrua;
	const char *problem; /* why senders ignore the record (static text), NULL: none */
	char *bad;           /* the rua= URI the problem is about, or NULL */
} aa_transport_record;

/* What one of the two names holds. */
typedef struct aa_transport_name {
	char *name;                   /* _mta-sts.D or _smtp._tls.D */
	int asked;                    /* the record set holds an answer for the name */
	aa_outcome outcome;           /* of its TXT lookup (asked only) */
	size_t ntxt;                  /* TXT records there, of any kind */
	aa_transport_record *records; /* those meant as MTA-STS / TLS-RPT, in answer order */
	size_t nrecords;
} aa_transport_name;

typedef struct aa_transport_facts {
	int domain_nxdomain; /* the audited domain does not exist: DOMAIN_NXDOMAIN says so */
	aa_transport_name mta_sts;
	aa_transport_name tlsrpt;
} aa_transport_facts;

void aa_transport_facts_free(void *facts);

#endif
