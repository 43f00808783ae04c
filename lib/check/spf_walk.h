/*
 * spf_walk.h — the one SPF reading: the closure walker shared by the plan
 * (which wants what the walk reaches) and the check (which reads the
 * finished walk).  Its tree (report/facts.h, aa_spf_node) is the single
 * parsed form of every record in the closure.
 */
#ifndef AA_SPF_WALK_H
#define AA_SPF_WALK_H

#include <stddef.h>
#include <stdio.h>

#include "authaudit.h"
#include "check/check.h"
#include "records/recordset.h"
#include "report/facts.h"

/* ---- reading one record ---- */

/* Non-zero when (text, len) is an SPF record: "v=spf1" alone or followed
 * by a space, and no NUL inside. */
int aa_spf_is_v1(const char *text, size_t len);

/* Splits a v=spf1 record (text, len: not NUL-terminated) into its terms
 * after "v=spf1", in order, into a growable array the caller frees; every
 * pointer of a term points into text.  Returns 0, or -1 on OOM. */
int aa_spf_parse(const char *text, size_t len, aa_spf_term **terms, size_t *nterms);

/* The second redirect= or exp= of a record, or NULL: RFC 7208 6 makes a
 * record with either modifier twice a permerror. */
const aa_spf_term *aa_spf_twice(const aa_spf_term *terms, size_t nterms);

/* ---- the walker ---- */

/* Called for every (name, type) the walk needs that is not in the record
 * set yet (or is pending); the plan wants it, with `expand` as callback. */
typedef void (*aa_spf_need_fn)(void *arg, const char *name, aa_rrtype type);

typedef struct aa_spf_walk_in {
	const aa_recordset *rs;
	const char *domain;
	const char *ip;      /* for macros and ptr; NULL: not expanded */
	const char *sender;  /* envelope-from; NULL: postmaster@domain */
	const char *helo;    /* NULL: the domain */
	aa_spf_need_fn need; /* NULL at check time */
	void *need_arg;
} aa_spf_walk_in;

/* Walks the SPF closure of in->domain in evaluation order over the record
 * set.  Returns the tree (NULL on OOM) and the totals. */
aa_spf_node *aa_spf_walk(const aa_spf_walk_in *in, unsigned *lookups, unsigned *voids);

/* Expands the macros of a domain-spec (RFC 7208 7); NULL when it needs the
 * IP and none is given, or the result is not a usable name. */
char *aa_spf_expand(const char *spec, const char *domain, const char *ip, const char *sender,
                    const char *helo);

/* The sender check_host() uses: --envelope-from when it is at the audited
 * domain, else NULL (meaning postmaster@domain). */
const char *aa_spf_sender(const aa_options *opt, const char *domain);

/* ---- the check (spf.c) ---- */

/* The SPF facts of in->domain (the walk, libspf2's syntax and --ip
 * results, the derived summaries); no findings.  NULL on OOM. */
aa_spf_facts *aa_spf_derive(const aa_check_in *in);

/* The SPF findings, from the facts only.  SPF_ALL_HARDFAIL is not among
 * them: the cross-area step reports it (its severity depends on DKIM). */
void aa_spf_judge(const aa_check_in *in, const aa_spf_facts *f, aa_report *r);

/* SPF for another domain than the audited one, as a receiver evaluates it
 * for MAIL FROM:<sender> (the --envelope-from domain): its record (or
 * NULL), and the result: "none", "permerror", "temperror", or with ip the
 * check_host() result; *result NULL when there is no ip and the record is
 * fine.  *why says what decided.  AA_ENOMEM on OOM. */
aa_status aa_spf_host_check(const aa_check_in *in, const char *domain, const char *sender, const char *ip,
                            char **record, char **result, char **why);

#endif
