/*
 * spf.h — the SPF area: the closure walker shared by the plan (which wants
 * what the walk reaches) and the check (which reads the finished walk), and
 * the SPF facts a check leaves in the report for later checks and renderers
 * (aa_report_facts(r, AA_AREA_SPF) is an aa_spf_facts *).
 */
#ifndef AA_SPF_H
#define AA_SPF_H

#include <stddef.h>
#include <stdio.h>

#include "engine/audit.h"
#include "records/recordset.h"

/* RFC 7208 4.6.4 limits, and how far past them we keep asking (so a
 * report can say "13 of 10" without a hostile record making us ask
 * without bound). */
#define AA_SPF_MAX_LOOKUPS 10
#define AA_SPF_MAX_VOIDS 2
#define AA_SPF_MAX_NAMES 10   /* MX or PTR names per term */
#define AA_SPF_MARGIN 5
#define AA_SPF_MAX_DEPTH 12
/* Records longer than this are not handed to libspf2 (hostile input). */
#define AA_SPF_MAX_LIBSPF2_LEN 2048
#define AA_SPF_LARGE 450

/* How a node was reached. */
typedef enum aa_spf_via {
	AA_SPF_VIA_ROOT = 0,
	AA_SPF_VIA_INCLUDE,
	AA_SPF_VIA_REDIRECT
} aa_spf_via;

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

/* A problem found at one term of a node's record. */
typedef enum aa_spf_issue_kind {
	AA_SPF_ISSUE_VOID = 0, /* the term's lookup returned no records */
	AA_SPF_ISSUE_DNS,      /* the term's lookup failed */
	AA_SPF_ISSUE_PTR,      /* ptr mechanism */
	AA_SPF_ISSUE_BROAD,    /* ip4 < /16 or ip6 < /32 */
	AA_SPF_ISSUE_MX_MANY,  /* mx term with more than 10 hosts */
	AA_SPF_ISSUE_SYNTAX    /* our own parser could not read the term */
} aa_spf_issue_kind;

typedef struct aa_spf_issue {
	aa_spf_issue_kind kind;
	char *term;   /* the term as written */
	char *detail; /* e.g. "x.example A: NXDOMAIN", "12 MX hosts" */
} aa_spf_issue;

typedef struct aa_spf_node {
	char *name;       /* the domain evaluated */
	char *term;       /* the term that reached it ("include:x"), NULL at the root */
	char *record;     /* the v=spf1 text, NULL without one */
	char *second;     /* AA_SPF_NODE_MULTIPLE: the second record */
	size_t wire_len;  /* size of the TXT answer message */
	aa_spf_via via;
	aa_spf_state state;
	char *state_detail;  /* e.g. "NXDOMAIN", "servfail" */
	unsigned own;        /* DNS-querying terms in this record */
	unsigned cost;       /* lookups this branch costs: 1 for the include/redirect
	                      * term itself (0 at the root) + own + children */
	unsigned voids;      /* void lookups in this branch */
	char all;            /* qualifier of this record's all: '+','-','~','?', 0 none */
	int has_redirect;
	struct aa_spf_node **kids;
	size_t nkids;
	aa_spf_issue *issues;
	size_t nissues;
} aa_spf_node;

/* The overall result class. */
typedef enum aa_spf_class {
	AA_SPF_CLASS_NONE = 0,  /* no SPF record */
	AA_SPF_CLASS_OK,
	AA_SPF_CLASS_PERMERROR,
	AA_SPF_CLASS_TEMPERROR
} aa_spf_class;

const char *aa_spf_class_name(aa_spf_class c);

/* check_host() result for one --ip. */
typedef struct aa_spf_ip_result {
	char *ip;
	char *result; /* "pass", "fail", "softfail", "neutral", "none", "permerror", "temperror" */
	char *term;   /* the deciding term ("-all", "ip4:192.0.2.0/24 in include:x"), or NULL */
	char *comment; /* libspf2's explanation / messages */
} aa_spf_ip_result;

typedef struct aa_spf_facts {
	int has_record;        /* the domain publishes a v=spf1 TXT */
	aa_spf_class result;   /* overall */
	char all;              /* effective all (redirect followed): '+','-','~','?', 0 none */
	int has_outlook;       /* include:spf.protection.outlook.com in the tree */
	unsigned lookups;      /* DNS-querying terms in the closure */
	unsigned voids;        /* void lookups in the closure */
	aa_spf_node *tree;     /* NULL when the apex TXT was not answered */
	aa_spf_ip_result *ips;
	size_t nips;
} aa_spf_facts;

void aa_spf_facts_free(void *facts);

/* ---- the walker ---- */

/* Called for every (name, type) the walk needs that is not in the record
 * set yet (or is pending); the plan wants it, with `expand` as callback. */
typedef void (*aa_spf_need_fn)(void *arg, const char *name, aa_rrtype type);

typedef struct aa_spf_walk_in {
	const aa_recordset *rs;
	const char *domain;
	const char *ip;            /* for macros and ptr; NULL: not expanded */
	const char *sender;        /* envelope-from; NULL: postmaster@domain */
	const char *helo;          /* NULL: the domain */
	aa_spf_need_fn need;       /* NULL at check time */
	void *need_arg;
} aa_spf_walk_in;

/* Walks the SPF closure of in->domain in evaluation order over the record
 * set.  Returns the tree (NULL on OOM) and the totals. */
aa_spf_node *aa_spf_walk(const aa_spf_walk_in *in, unsigned *lookups, unsigned *voids);
void aa_spf_node_free(aa_spf_node *n);

/* Expands the macros of a domain-spec (RFC 7208 7); NULL when it needs the
 * IP and none is given, or the result is not a usable name. */
char *aa_spf_expand(const char *spec, const char *domain, const char *ip, const char *sender,
                    const char *helo);

/* ---- the module ---- */
/* The sender check_host() uses: --envelope-from when it is at the audited
 * domain, else NULL (meaning postmaster@domain). */
const char *aa_spf_sender(const aa_options *opt, const char *domain);
void aa_spf_plan(aa_audit *a);
void aa_check_spf(const aa_check_in *in, aa_report *r);
/* render_spf.c: the include tree for the text report (nothing without a
 * record); UTF-8 box drawing when `unicode`, else ASCII. */
void aa_render_spf_tree(const aa_report *r, FILE *out, int unicode, int width);

#endif
