/*
 * spf.c — SPF facts and findings, from the record set only.
 *
 * Derive, then judge.  aa_spf_derive() walks the closure (spf_walk.c: the
 * include tree, the one parsed form of every record, and the accounting
 * libspf2 does not do: lookups per branch, void lookups, loops, ptr, broad
 * ranges), asks libspf2 about syntax and, with --ip, for the real
 * check_host() result, and sums the tree up (class, effective all, what
 * makes SPF fail for everyone, Microsoft 365's include).  aa_spf_judge()
 * turns those facts into findings and reads nothing else.
 *
 * libspf2 never does DNS here: it reads a zone preloaded from the record
 * set with the true outcome of every name, and a layer below the zone
 * answers anything else with TRY_AGAIN (a miss is "not verified", never
 * "no record").
 */
#include "check/check.h"
#include "check/spf_walk.h"
#include "records/hostname.h"
#include "records/orgdomain.h"
#include "report/facts.h"
#include "tables/m365.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>

#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- libspf2 fed from the record set ---- */

static SPF_dns_rr_t *
miss_lookup(SPF_dns_server_t *s, const char *domain, ns_type type, int should_cache)
{
	(void)should_cache;
	return SPF_dns_rr_new_init(s, domain, type, 0, TRY_AGAIN);
}

static void
miss_destroy(SPF_dns_server_t *s)
{
	free(s);
}

static int
usable_text(const aa_record *rec)
{
	return rec->len <= AA_SPF_MAX_LIBSPF2_LEN && memchr(rec->data, '\0', rec->len) == NULL;
}

/*
 * The text libspf2 is handed for an SPF record where libspf2 1.2.10 and
 * RFC 7208 disagree; the RFC wins, so the --ip result agrees with the tree:
 *   - RFC 7208 6.1: redirect= is ignored when the record has an all
 *     mechanism anywhere; libspf2 follows it.  It gets the record without
 *     its redirect= terms.
 *   - RFC 7208 6: a record with redirect= or exp= twice is a permerror;
 *     libspf2 follows the first.  It gets a record it cannot compile, so
 *     evaluation is a permerror wherever (and only when) it reaches it.
 * NULL: hand the record over as published.  Read with the walker's parser.
 */
static char *
libspf2_text(const aa_record *rec, int *oom)
{
	aa_spf_term *terms;
	size_t n, i;
	int has_all = 0, has_redirect = 0;
	aa_buf b = {0};
	char *out = NULL;

	if (!aa_spf_is_v1(rec->data, rec->len))
		return NULL;
	if (aa_spf_parse(rec->data, rec->len, &terms, &n) != 0) {
		*oom = 1;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		has_all |= terms[i].mech == AA_SPF_M_ALL;
		has_redirect |= terms[i].mech == AA_SPF_M_REDIRECT;
	}
	if (aa_spf_twice(terms, n) != NULL) {
		out = strdup("v=spf1 modifier-given-twice");
	} else if (has_all && has_redirect) {
		aa_buf_puts(&b, "v=spf1");
		for (i = 0; i < n; i++)
			if (terms[i].mech != AA_SPF_M_REDIRECT) {
				aa_buf_puts(&b, " ");
				aa_buf_add(&b, terms[i].text, terms[i].len);
			}
		out = aa_buf_take(&b);
	} else {
		free(terms);
		return NULL;
	}
	free(terms);
	if (out == NULL)
		*oom = 1;
	return out;
}

static int
zone_load(SPF_dns_server_t *zone, const aa_recordset *set)
{
	size_t i, j, n = aa_recordset_count(set);
	int oom = 0;

	for (i = 0; i < n; i++) {
		const aa_rrset *rs = aa_recordset_at(set, i);
		ns_type t;
		int added = 0;

		switch (rs->type) {
		case AA_T_A:
			t = ns_t_a;
			break;
		case AA_T_AAAA:
			t = ns_t_aaaa;
			break;
		case AA_T_MX:
			t = ns_t_mx;
			break;
		case AA_T_TXT:
			t = ns_t_txt;
			break;
		case AA_T_PTR:
			t = ns_t_ptr;
			break;
		default:
			continue;
		}
		/* libspf2 compares zone names as C strings and crashes on an empty
		 * one (found by fuzzing): hand it only names that can be asked */
		if (aa_host_check(rs->name, strlen(rs->name), AA_HOST_QUERY) != AA_HOST_OK)
			continue;
		if (rs->outcome == AA_OUT_NXDOMAIN) {
			SPF_dns_zone_add_str(zone, rs->name, t, HOST_NOT_FOUND, "");
			continue;
		}
		if (rs->outcome != AA_OUT_ANSWER && rs->outcome != AA_OUT_NODATA) {
			SPF_dns_zone_add_str(zone, rs->name, t, TRY_AGAIN, "");
			continue;
		}
		for (j = 0; j < rs->nrr; j++) {
			char *fixed = NULL;

			if (t == ns_t_txt && !usable_text(&rs->rr[j]))
				continue;
			if (t == ns_t_mx && (rs->rr[j].data[0] == '\0' || strcmp(rs->rr[j].data, ".") == 0))
				continue;
			if (t == ns_t_txt)
				fixed = libspf2_text(&rs->rr[j], &oom);
			if (SPF_dns_zone_add_str(zone, rs->name, t, NETDB_SUCCESS,
			                         fixed ? fixed : rs->rr[j].data) == SPF_E_SUCCESS)
				added++;
			free(fixed);
		}
		if (added == 0)
			SPF_dns_zone_add_str(zone, rs->name, t, NO_DATA, "");
	}
	return oom ? -1 : 0;
}

/* The server does not own its DNS layers (SPF_server_new_dns): *zonep is
 * freed with SPF_dns_free after the server.  With set NULL its zone is
 * empty: enough to compile records, which asks no DNS. */
static SPF_server_t *
server_new(const aa_recordset *set, SPF_dns_server_t **zonep)
{
	SPF_dns_server_t *below = calloc(1, sizeof(*below)), *zone;
	SPF_server_t *srv;

	if (below == NULL)
		return NULL;
	below->destroy = miss_destroy;
	below->lookup = miss_lookup;
	below->name = "authaudit-miss";
	if ((zone = SPF_dns_zone_new(below, "authaudit", 0)) == NULL) {
		free(below);
		return NULL;
	}
	if ((set != NULL && zone_load(zone, set) != 0) || (srv = SPF_server_new_dns(zone, 0)) == NULL) {
		SPF_dns_free(zone);
		return NULL;
	}
	*zonep = zone;
	return srv;
}

/* libspf2's messages of a response, joined. */
static char *
messages(SPF_response_t *resp)
{
	aa_buf b = {0};
	int i;

	for (i = 0; i < SPF_response_messages(resp); i++) {
		SPF_error_t *e = SPF_response_message(resp, i);
		aa_buf_printf(&b, "%s%s", i ? "; " : "", SPF_error_message(e));
	}
	return aa_buf_take(&b);
}

/* ---- reading the tree: predicates the derive and the judge share ---- */

static int
too_long_for_libspf2(const aa_spf_node *n)
{
	return n->record != NULL && strlen(n->record) > AA_SPF_MAX_LIBSPF2_LEN;
}

static int
has_issue(const aa_spf_node *n, aa_spf_issue_kind kind)
{
	size_t i;

	for (i = 0; i < n->nissues; i++)
		if (n->issues[i].kind == kind)
			return 1;
	return 0;
}

/* The judge reports SPF_SYNTAX for this node. */
static int
syntax_broken(const aa_spf_node *n)
{
	if (n->record == NULL)
		return 0;
	if (has_issue(n, AA_SPF_ISSUE_TWICE))
		return 1;
	return too_long_for_libspf2(n) ? has_issue(n, AA_SPF_ISSUE_SYNTAX) : n->syntax_error != NULL;
}

static int
root_nxdomain(const aa_spf_node *root)
{
	return root->state == AA_SPF_NODE_NO_RECORD && root->state_detail != NULL &&
	       strcmp(root->state_detail, "NXDOMAIN") == 0;
}

/* What the judge will report, tallied over the tree in one pass. */
typedef struct tally {
	int none, syntax, multiple, include_no_record, loop, mx_many, lookup_limit, void_limit;
	int dns_error;
	int too_long; /* a record libspf2 is not handed */
} tally;

static void
tally_node(const aa_spf_node *n, tally *t)
{
	size_t i;

	if (n->via != AA_SPF_VIA_ROOT) {
		t->include_no_record |= n->state == AA_SPF_NODE_NO_RECORD;
		t->loop |= n->state == AA_SPF_NODE_LOOP;
	}
	t->multiple |= n->state == AA_SPF_NODE_MULTIPLE;
	t->dns_error |= n->state == AA_SPF_NODE_DNS_ERROR;
	t->syntax |= syntax_broken(n);
	t->too_long |= too_long_for_libspf2(n);
	t->dns_error |= has_issue(n, AA_SPF_ISSUE_DNS);
	t->mx_many |= has_issue(n, AA_SPF_ISSUE_MX_MANY);
	for (i = 0; i < n->nkids; i++)
		tally_node(n->kids[i], t);
}

static void
tally_tree(const aa_spf_node *root, tally *t)
{
	memset(t, 0, sizeof(*t));
	if (root->record == NULL) {
		t->none = root->state == AA_SPF_NODE_NO_RECORD && !root_nxdomain(root);
		t->dns_error = root->state == AA_SPF_NODE_DNS_ERROR;
		return;
	}
	tally_node(root, t);
	t->lookup_limit = root->cost > AA_SPF_MAX_LOOKUPS;
	t->void_limit = root->voids > AA_SPF_MAX_VOIDS;
}

static int
tally_permerror(const tally *t)
{
	return t->syntax || t->multiple || t->include_no_record || t->loop || t->mx_many || t->lookup_limit ||
	       t->void_limit;
}

/* Nodes of n's branch the walk did not expand (past the limit point):
 * each counts 1 in the costs, its real cost is unknown. */
static unsigned
count_unexpanded(const aa_spf_node *n)
{
	unsigned c = n->state == AA_SPF_NODE_LIMIT;
	size_t i;

	for (i = 0; i < n->nkids; i++)
		c += count_unexpanded(n->kids[i]);
	return c;
}

/* The first code of the cannot-pass list the judge reports; AA_F_COUNT
 * when none, or when a lookup failed (unknown).  Every permerror condition
 * of RFC 7208 the walk sees is here, an mx term over more than 10 hosts
 * (4.6.4) included: like the lookup limit, it is judged on the closure, not
 * on the order of evaluation.  Too many PTR names is no permerror (4.6.4:
 * the names past the tenth are ignored), so it is not here. */
static aa_code
cannot_pass(const tally *t)
{
	if (t->dns_error)
		return AA_F_COUNT;
	return t->none                ? AA_F_SPF_NONE
	       : t->syntax            ? AA_F_SPF_SYNTAX
	       : t->multiple          ? AA_F_SPF_MULTIPLE
	       : t->lookup_limit      ? AA_F_SPF_LOOKUP_LIMIT
	       : t->void_limit        ? AA_F_SPF_VOID_LIMIT
	       : t->include_no_record ? AA_F_SPF_INCLUDE_NO_RECORD
	       : t->loop              ? AA_F_SPF_LOOP
	       : t->mx_many           ? AA_F_SPF_MX_TOO_MANY
	                              : AA_F_COUNT;
}

/* The node whose all applies: redirect= followed while records have none. */
static const aa_spf_node *
effective(const aa_spf_node *n)
{
	size_t i;

	while (n->all == 0 && n->has_redirect) {
		const aa_spf_node *next = NULL;
		for (i = 0; i < n->nterms; i++)
			if (n->terms[i].mech == AA_SPF_M_REDIRECT && n->terms[i].kid != NULL)
				next = n->terms[i].kid;
		if (next == NULL || next->state != AA_SPF_NODE_OK)
			break;
		n = next;
	}
	return n;
}

/* ---- does every address pass? ---- */

/* Does every address get pass from node n: its evaluation reaches "+all",
 * or a "+include:" whose record passes everything, before any term that
 * could give another result (a mechanism qualified -, ~ or ?, or one we
 * cannot follow).  The node with the +all and the chain of includes are
 * returned.  A redirect= applies only without an all (RFC 7208 6.1). */
static const aa_spf_node *
passes_all(const aa_spf_node *n, aa_buf *path, int depth)
{
	const aa_spf_node *end;
	size_t i, mark;

	if (n == NULL || n->state != AA_SPF_NODE_OK || n->record == NULL || depth > AA_SPF_MAX_DEPTH + 1)
		return NULL;
	for (i = 0; i < n->nterms; i++) {
		const aa_spf_term *t = &n->terms[i];

		if (t->mech >= AA_SPF_M_REDIRECT)
			continue; /* modifiers match nothing */
		if (t->qual != '+')
			return NULL; /* some address may get another result first */
		if (t->mech == AA_SPF_M_ALL)
			return n;
		if (t->mech == AA_SPF_M_INCLUDE && t->kid != NULL) {
			mark = path->len;
			aa_buf_printf(path, "%s%.*s", mark > 0 ? " > " : "", (int)t->len, t->text);
			if ((end = passes_all(t->kid, path, depth + 1)) != NULL)
				return end;
			path->len = mark; /* a pass for some addresses only: go on */
			if (path->p != NULL)
				path->p[mark] = '\0';
		}
	}
	if (n->all == 0 && n->has_redirect)
		for (i = 0; i < n->nterms; i++)
			if (n->terms[i].mech == AA_SPF_M_REDIRECT && n->terms[i].kid != NULL)
				return passes_all(n->terms[i].kid, path, depth + 1);
	return NULL;
}

/* ---- Microsoft 365's include, found in one pass over the tree ---- */

typedef struct chain {
	const aa_spf_node *n;
	const struct chain *up;
} chain;

typedef struct eop_search {
	int found, unreadable, oom;
	char *path;
} eop_search;

/* "include:a > include:spf.protection.outlook.com": the terms from the
 * root down to the node at the head of c. */
static char *
chain_path(const chain *c)
{
	const chain *k;
	const char **terms;
	size_t n = 0, i;
	aa_buf b = {0};

	for (k = c; k != NULL && k->n->via != AA_SPF_VIA_ROOT; k = k->up)
		n++;
	if ((terms = calloc(n ? n : 1, sizeof(*terms))) == NULL)
		return NULL;
	for (i = n, k = c; i > 0; k = k->up)
		terms[--i] = k->n->term ? k->n->term : k->n->name;
	for (i = 0; i < n; i++)
		aa_buf_printf(&b, "%s%s", i ? " > " : "", terms[i]);
	free(terms);
	return aa_buf_take(&b);
}

static void
eop_visit(const aa_spf_node *n, const chain *up, eop_search *s)
{
	chain me = {n, up};
	size_t i;

	if (n->via != AA_SPF_VIA_ROOT && strcasecmp(n->name, AA_M365_SPF_DOMAIN) == 0) {
		s->found = 1;
		if ((s->path = chain_path(&me)) == NULL)
			s->oom = 1;
		return;
	}
	if (n->state == AA_SPF_NODE_DNS_ERROR || n->state == AA_SPF_NODE_PENDING)
		s->unreadable = 1;
	for (i = 0; i < n->nkids && !s->found; i++)
		eop_visit(n->kids[i], &me, s);
}

/* ---- --ip evaluation ---- */

/* Whether ip lies in the network of an ip4:/ip6: term. */
static int
ip_in_term(const char *ip, const aa_spf_term *t)
{
	unsigned char a[16], b[16];
	int fam = t->mech == AA_SPF_M_IP4 ? AF_INET : AF_INET6;
	int len = fam == AF_INET ? 4 : 16, pfx = fam == AF_INET ? t->cidr4 : t->cidr6, i, ok;
	char *net;

	if (t->value == NULL)
		return 0;
	if (pfx < 0)
		pfx = len * 8;
	if (pfx > len * 8 || (net = strndup(t->value, t->vlen)) == NULL)
		return 0;
	ok = inet_pton(fam, ip, a) == 1 && inet_pton(fam, net, b) == 1;
	free(net);
	for (i = 0; ok && i < len && pfx > 0; i++, pfx -= 8) {
		unsigned char mask = pfx >= 8 ? 0xff : (unsigned char)(0xff << (8 - pfx));
		if ((a[i] & mask) != (b[i] & mask))
			ok = 0;
	}
	return ok;
}

/* The term that gives `want` ('+','-','~','?') for ip, in evaluation order
 * over the tree: ip4/ip6/all matches (a/mx/exists matches are named by
 * libspf2's reason); an include matches only on a pass inside.  Best
 * effort; each node is visited at most once. */
static const aa_spf_term *
deciding_term(const aa_spf_node *n, const char *ip, char want, const aa_spf_node **where)
{
	const aa_spf_term *res;
	size_t i;

	for (i = 0; i < n->nterms; i++) {
		const aa_spf_term *t = &n->terms[i];

		switch (t->mech) {
		case AA_SPF_M_INCLUDE:
			if (want == '+' && t->kid != NULL &&
			    (res = deciding_term(t->kid, ip, want, where)) != NULL)
				return res;
			continue;
		case AA_SPF_M_IP4:
		case AA_SPF_M_IP6:
			if (!ip_in_term(ip, t))
				continue;
			break;
		case AA_SPF_M_ALL:
			break;
		default:
			continue;
		}
		if (t->qual != want)
			return NULL; /* the first match decides */
		*where = n;
		return t;
	}
	for (i = 0; i < n->nterms; i++)
		if (n->terms[i].mech == AA_SPF_M_REDIRECT && n->terms[i].kid != NULL)
			return deciding_term(n->terms[i].kid, ip, want, where);
	return NULL;
}

static char
result_qual(SPF_result_t res)
{
	switch (res) {
	case SPF_RESULT_PASS:
		return '+';
	case SPF_RESULT_FAIL:
		return '-';
	case SPF_RESULT_SOFTFAIL:
		return '~';
	case SPF_RESULT_NEUTRAL:
		return '?';
	default:
		return 0;
	}
}

typedef struct derive {
	const aa_check_in *in;
	aa_spf_facts *f;
	tally t;
	SPF_server_t *srv;
	SPF_dns_server_t *zone;
	int oom;
} derive;

/* Replaces ir's result by permerror; the comment says why, then what
 * libspf2 said. */
static void
override_permerror(aa_spf_ip_result *ir, const char *why)
{
	const char *msg = ir->comment;
	char *comment = aa_printf("%s%s%s", why, msg && msg[0] ? "; " : "", msg ? msg : "");

	free(ir->result);
	ir->result = strdup("permerror");
	free(ir->comment);
	ir->comment = comment;
}

static void
eval_ip(derive *d, const char *ip)
{
	const aa_check_in *in = d->in;
	const aa_spf_node *root = d->f->tree, *where = NULL;
	const aa_spf_term *t = NULL, *twice;
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_result_t res;
	aa_spf_ip_result *ir, *arr;
	const char *sender = aa_spf_sender(in->opt, in->domain);
	char *defsender = NULL, *msg, *why;
	int ok;

	if ((arr = realloc(d->f->ips, (d->f->nips + 1) * sizeof(*arr))) == NULL) {
		d->oom = 1;
		return;
	}
	d->f->ips = arr;
	ir = &arr[d->f->nips++];
	memset(ir, 0, sizeof(*ir));
	ir->ip = strdup(ip);
	if ((req = SPF_request_new(d->srv)) == NULL)
		return;
	ok = strchr(ip, ':') ? SPF_request_set_ipv6_str(req, ip) : SPF_request_set_ipv4_str(req, ip);
	if (sender == NULL)
		sender = defsender = aa_printf("postmaster@%s", in->domain);
	if (ok == SPF_E_SUCCESS && sender != NULL && SPF_request_set_env_from(req, sender) == 0 &&
	    SPF_request_set_helo_dom(req, in->opt && in->opt->helo ? in->opt->helo : in->domain) ==
	        SPF_E_SUCCESS) {
		SPF_request_query_mailfrom(req, &resp);
	}
	if (resp == NULL) {
		ir->result = strdup("temperror");
		SPF_request_free(req);
		free(defsender);
		return;
	}
	res = SPF_response_result(resp);
	ir->result = strdup(SPF_strresult(res));
	msg = messages(resp);
	if (SPF_response_reason(resp) == SPF_REASON_DEFAULT)
		ir->term = strdup("no term matched (default result)");
	else if (result_qual(res) != 0 && (t = deciding_term(root, ip, result_qual(res), &where)))
		ir->term = aa_printf("%.*s at %s", (int)t->len, t->text, where->name);
	ir->comment = msg;
	if ((twice = aa_spf_twice(root->terms, root->nterms)) != NULL) {
		/* RFC 7208 6: permerror for every IP; libspf2 1.2.10 follows the
		 * first redirect= (and the zone it reads has no such record) */
		why = aa_printf("%.*s appears twice in the record at %s: RFC 7208 6 makes it a "
		                "permerror (libspf2 gave %s)",
		                (int)(strcspn(twice->text, "=") + 1), twice->text, root->name,
		                SPF_strresult(res));
		override_permerror(ir, why ? why : "permerror (RFC 7208 6)");
		free(why);
	} else if (res == SPF_RESULT_INVALID && root->syntax_error != NULL) {
		/* libspf2 says "(invalid)" when the domain's own record does not
		 * compile; RFC 7208 4.6 calls that a permerror */
		override_permerror(ir, "the record does not parse");
	} else if ((d->t.lookup_limit || d->t.void_limit) && result_qual(res) != '+' &&
	           result_qual(res) != 0 &&
	           (SPF_response_reason(resp) == SPF_REASON_DEFAULT ||
	            (t != NULL && t->mech == AA_SPF_M_ALL))) {
		/* libspf2 1.2.10 counts lookups per record, not per evaluation:
		 * when nothing matched before the end (default result or the
		 * final all), the whole closure was evaluated and receivers
		 * return permerror */
		why = aa_printf("libspf2 gave %s, but reaching %s means evaluating the whole closure, "
		                "which exceeds the RFC 7208 4.6.4 limits",
		                SPF_strresult(res), ir->term ? ir->term : "the end");
		override_permerror(ir, why ? why : "over the RFC 7208 4.6.4 limits");
		free(why);
	}
	SPF_response_free(resp);
	SPF_request_free(req);
	free(defsender);
}

/* ---- derive ---- */

/* libspf2's verdict on every record of the tree it may be handed. */
static void
compile_node(derive *d, aa_spf_node *n)
{
	SPF_response_t *resp;
	SPF_record_t *rec = NULL;
	size_t i;

	if (n->record != NULL && !too_long_for_libspf2(n)) {
		if ((resp = SPF_response_new(NULL)) == NULL) {
			d->oom = 1;
			return;
		}
		if (SPF_record_compile(d->srv, resp, &rec, n->record) != SPF_E_SUCCESS) {
			n->syntax_error = messages(resp);
			if (n->syntax_error == NULL || n->syntax_error[0] == '\0') {
				free(n->syntax_error);
				n->syntax_error = strdup("does not parse");
			}
		}
		SPF_record_free(rec);
		SPF_response_free(resp);
	}
	for (i = 0; i < n->nkids; i++)
		compile_node(d, n->kids[i]);
}

static int
copy_type99(const aa_check_in *in, aa_spf_facts *f)
{
	const aa_rrset *rs = aa_recordset_get(in->rs, in->domain, AA_T_SPF);
	size_t i;

	if (rs == NULL || rs->outcome != AA_OUT_ANSWER || rs->nrr == 0)
		return 0;
	if ((f->type99 = calloc(rs->nrr, sizeof(*f->type99))) == NULL)
		return -1;
	for (i = 0; i < rs->nrr; i++)
		if ((f->type99[f->ntype99++] = strndup(rs->rr[i].data, rs->rr[i].len)) == NULL)
			return -1;
	return 0;
}

static void
summarise(derive *d)
{
	aa_spf_facts *f = d->f;
	const aa_spf_node *root = f->tree;
	eop_search s;

	tally_tree(root, &d->t);
	f->has_record = root->record != NULL;
	f->unexpanded = count_unexpanded(root);
	f->effective = root->record != NULL ? effective(root) : NULL;
	f->cannot_pass = cannot_pass(&d->t);
	f->result = d->t.dns_error           ? AA_SPF_CLASS_TEMPERROR
	            : tally_permerror(&d->t) ? AA_SPF_CLASS_PERMERROR
	            : root->record != NULL   ? AA_SPF_CLASS_OK
	                                     : AA_SPF_CLASS_NONE;
	f->all = f->effective != NULL && !d->t.dns_error ? f->effective->all : 0;
	if (root->record != NULL && !d->t.dns_error && !tally_permerror(&d->t)) {
		aa_buf path = {0};
		f->pass_all_node = passes_all(root, &path, 0);
		f->passes_all = f->pass_all_node != NULL;
		if (path.len > 0 && f->passes_all && (f->pass_all_path = aa_buf_take(&path)) == NULL)
			d->oom = 1;
		aa_buf_free(&path);
	}
	memset(&s, 0, sizeof(s));
	eop_visit(root, NULL, &s);
	d->oom |= s.oom;
	f->eop = s.found ? AA_TRI_YES : s.unreadable ? AA_TRI_UNKNOWN : AA_TRI_NO;
	f->eop_path = s.path;
}

aa_spf_facts *
aa_spf_derive(const aa_check_in *in)
{
	aa_spf_walk_in w;
	derive d;
	size_t i;

	memset(&d, 0, sizeof(d));
	d.in = in;
	if ((d.f = calloc(1, sizeof(*d.f))) == NULL)
		return NULL;
	d.f->cannot_pass = AA_F_COUNT;
	if (copy_type99(in, d.f) != 0)
		goto oom;
	if (aa_recordset_get(in->rs, in->domain, AA_T_TXT) == NULL)
		return d.f; /* not asked */
	memset(&w, 0, sizeof(w));
	w.rs = in->rs;
	w.domain = in->domain;
	w.ip = in->opt && in->opt->n_ips > 0 ? in->opt->ips[0] : NULL;
	w.sender = aa_spf_sender(in->opt, in->domain);
	w.helo = in->opt ? in->opt->helo : NULL;
	if ((d.f->tree = aa_spf_walk(&w, &d.f->lookups, &d.f->voids)) == NULL)
		goto oom;
	/* the records go into libspf2's zone only for --ip: its check_host()
	 * reads them; compiling (every audit) asks nothing */
	if ((d.srv = server_new(in->opt != NULL && in->opt->n_ips > 0 ? in->rs : NULL, &d.zone)) == NULL)
		goto oom;
	compile_node(&d, d.f->tree);
	summarise(&d);
	if (in->opt != NULL && !d.t.too_long && d.f->tree->state != AA_SPF_NODE_DNS_ERROR)
		for (i = 0; i < in->opt->n_ips && !d.oom; i++)
			eval_ip(&d, in->opt->ips[i]);
	SPF_server_free(d.srv);
	SPF_dns_free(d.zone);
	if (d.oom) {
		aa_spf_facts_free(d.f);
		return NULL;
	}
	return d.f;
oom:
	aa_spf_facts_free(d.f);
	return NULL;
}

/* ---- judge: findings from the facts only ---- */

typedef struct judge {
	const aa_check_in *in;
	const aa_spf_facts *f;
	aa_report *r;
	aa_finding *dnsf;
	aa_buf voidev;
	char *org; /* the audited domain's organizational domain */
} judge;

/* A record the domain's owner controls: at or below its organizational
 * domain.  A provider's include (spf.protection.outlook.com) is not. */
static int
owned(const judge *j, const char *name)
{
	return j->org == NULL || aa_name_at_or_below(name, j->org);
}

static void dns_error(judge *j, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
dns_error(judge *j, const char *subject, const char *fmt, ...)
{
	va_list ap;
	char *ev = NULL;

	if (j->dnsf == NULL) {
		j->dnsf = aa_report_add(j->r, AA_F_SPF_DNS_ERROR, "%s", subject);
		aa_finding_set_fix(j->r, j->dnsf,
		                   "Nothing to change in the record yet: the lookup failed, so SPF could "
		                   "not be verified (receivers see temperror and defer or junk mail). "
		                   "Check the name servers of the failing name and run the audit again.");
	}
	va_start(ap, fmt);
	if (vasprintf(&ev, fmt, ap) < 0)
		ev = NULL;
	va_end(ap);
	aa_finding_evidence(j->r, j->dnsf, "%s", ev ? ev : "lookup failed");
	free(ev);
}

static void
syntax_findings(judge *j, const aa_spf_node *n)
{
	aa_finding *f;
	size_t i;

	if (n->record == NULL)
		return;
	for (i = 0; i < n->nissues; i++) {
		const aa_spf_issue *is = &n->issues[i];
		if (is->kind != AA_SPF_ISSUE_TWICE &&
		    !(is->kind == AA_SPF_ISSUE_SYNTAX && too_long_for_libspf2(n)))
			continue;
		f = aa_report_add(j->r, AA_F_SPF_SYNTAX, "%s", n->name);
		aa_finding_evidence(j->r, f, "record at %s: \"%s\"", n->name, n->record);
		aa_finding_evidence(j->r, f, "term \"%s\": %s", is->term, is->detail);
		if (is->kind == AA_SPF_ISSUE_TWICE)
			aa_finding_set_fix(j->r, f, "Keep a single %.*s= term in the record at %s.",
			                   (int)strcspn(is->term, "="), is->term, n->name);
	}
	if (n->syntax_error == NULL || too_long_for_libspf2(n))
		return;
	f = aa_report_add(j->r, AA_F_SPF_SYNTAX, "%s", n->name);
	aa_finding_evidence(j->r, f, "record at %s: \"%s\"", n->name, n->record);
	aa_finding_evidence(j->r, f, "libspf2: %s", n->syntax_error);
	if (n->via != AA_SPF_VIA_ROOT)
		aa_finding_evidence(j->r, f, "reached through %s", n->term);
	aa_finding_set_fix(j->r, f, "%s",
	                   n->via == AA_SPF_VIA_ROOT
	                       ? "Correct the record at the place libspf2 names; every term must be "
	                         "one of all, include:, a, mx, ptr, ip4:, ip6:, exists: or a "
	                         "name=value modifier."
	                       : "The included record is not yours: ask its owner to fix it, or "
	                         "replace the include by the provider's documented SPF name.");
}

static void
state_findings(judge *j, const aa_spf_node *n, const aa_spf_node *parent)
{
	aa_finding *f;

	switch (n->state) {
	case AA_SPF_NODE_NO_RECORD:
		f = aa_report_add(j->r, AA_F_SPF_INCLUDE_NO_RECORD, "%s", n->name);
		aa_finding_evidence(j->r, f, "%s at %s: \"%s\"", n->term, parent->name, parent->record);
		aa_finding_evidence(j->r, f, "%s TXT: %s", n->name,
		                    n->state_detail ? n->state_detail : "no SPF record");
		aa_finding_set_fix(j->r, f,
		                   "Remove \"%s\" from the record at %s, or correct the name to the "
		                   "provider's documented SPF name.",
		                   n->term, parent->name);
		break;
	case AA_SPF_NODE_DNS_ERROR:
		dns_error(j, n->name, "%s TXT (%s): lookup failed, not verified", n->name,
		          n->state_detail ? n->state_detail : "error");
		break;
	case AA_SPF_NODE_LOOP:
		f = aa_report_add(j->r, AA_F_SPF_LOOP, "%s", n->name);
		aa_finding_evidence(j->r, f, "%s at %s leads back to %s, already being evaluated", n->term,
		                    parent->name, n->name);
		aa_finding_set_fix(j->r, f, "Remove \"%s\" from the record at %s.", n->term, parent->name);
		break;
	case AA_SPF_NODE_MULTIPLE:
		f = aa_report_add(j->r, AA_F_SPF_MULTIPLE, "%s", n->name);
		aa_finding_evidence(j->r, f, "%s (reached by %s): \"%s\"", n->name, n->term, n->record);
		aa_finding_evidence(j->r, f, "%s: \"%s\"", n->name, n->second);
		aa_finding_set_fix(j->r, f,
		                   "The included name %s must publish a single v=spf1 "
		                   "record; ask its owner to merge them.",
		                   n->name);
		break;
	default:
		break;
	}
}

static void
issue_findings(judge *j, const aa_spf_node *n)
{
	aa_finding *f;
	size_t i;

	for (i = 0; i < n->nissues; i++) {
		const aa_spf_issue *is = &n->issues[i];
		switch (is->kind) {
		case AA_SPF_ISSUE_VOID:
			aa_buf_printf(&j->voidev, "%s\"%s\" at %s: %s", j->voidev.len ? "\n" : "", is->term,
			              n->name, is->detail);
			break;
		case AA_SPF_ISSUE_DNS:
			dns_error(j, n->name, "\"%s\" at %s: lookup failed, not verified", is->term,
			          is->detail);
			break;
		case AA_SPF_ISSUE_PTR:
			f = aa_report_add(j->r, AA_F_SPF_PTR, "%s", n->name);
			aa_finding_evidence(j->r, f, "\"%s\" in \"%s\"", is->term, n->record);
			aa_finding_set_fix(j->r, f,
			                   "Replace \"%s\" by the ip4:/ip6: ranges (or a:HOST terms) of the "
			                   "servers it was meant to match.",
			                   is->term);
			break;
		case AA_SPF_ISSUE_BROAD:
			/* a provider's published ranges are the provider's business:
			 * the user can neither change nor narrow them */
			if (!owned(j, n->name))
				break;
			f = aa_report_add(j->r, AA_F_SPF_BROAD_RANGE, "%s", n->name);
			aa_finding_evidence(j->r, f, "\"%s\" in \"%s\": %s", is->term, n->record, is->detail);
			aa_finding_set_fix(j->r, f,
			                   "Replace \"%s\" by the exact addresses or prefixes (at most /24 "
			                   "for IPv4, /48 for IPv6) of the hosts that really send.",
			                   is->term);
			break;
		case AA_SPF_ISSUE_MX_MANY:
			f = aa_report_add(j->r, AA_F_SPF_MX_TOO_MANY, "%s", n->name);
			aa_finding_evidence(j->r, f, "\"%s\" in \"%s\": %s", is->term, n->record, is->detail);
			aa_finding_set_fix(j->r, f,
			                   "Replace \"%s\" by ip4:/ip6: ranges of the hosts that actually "
			                   "send mail.",
			                   is->term);
			break;
		case AA_SPF_ISSUE_SYNTAX:
		case AA_SPF_ISSUE_TWICE:
			break; /* syntax_findings */
		}
	}
}

static void
node_findings(judge *j, const aa_spf_node *n, const aa_spf_node *parent)
{
	size_t i;

	if (n->via != AA_SPF_VIA_ROOT)
		state_findings(j, n, parent);
	syntax_findings(j, n);
	issue_findings(j, n);
	for (i = 0; i < n->nkids; i++)
		node_findings(j, n->kids[i], n);
}

/* One thing the fix may flatten or remove: a branch of the root (an
 * include or the redirect) or the root's own a/mx/ptr/exists terms. */
typedef struct cut {
	const aa_spf_node *kid; /* NULL: the root's own terms */
	unsigned cost;          /* as counted (a lower bound when unknown) */
	int unknown;            /* the branch holds nodes not expanded */
} cut;

static int
cut_order(const void *a, const void *b)
{
	const cut *x = a, *y = b;

	if (x->unknown != y->unknown)
		return y->unknown - x->unknown; /* unknown costs first: they must go */
	return x->cost < y->cost ? 1 : x->cost > y->cost ? -1 : 0;
}

/* The fix for too many lookups: the fewest branches to flatten or remove
 * so that the total drops to AA_SPF_MAX_LOOKUPS, with the arithmetic.
 * Branches whose cost is unknown (not expanded) are always among them: as
 * long as one stays, no total can be promised. */
static void
lookup_fix(judge *j, aa_finding *f, const aa_spf_node *root)
{
	cut *cuts = calloc(root->nkids + 1, sizeof(*cuts));
	size_t n = 0, i, taken = 0;
	unsigned left = root->cost;
	int unknown_left;
	aa_buf b = {0};

	if (cuts == NULL) {
		j->r->oom = 1;
		return;
	}
	if (root->own > 0)
		cuts[n++] = (cut){NULL, root->own, 0};
	for (i = 0; i < root->nkids; i++)
		cuts[n++] = (cut){root->kids[i], root->kids[i]->cost, count_unexpanded(root->kids[i]) > 0};
	qsort(cuts, n, sizeof(*cuts), cut_order);
	for (i = 0; i < n && (left > AA_SPF_MAX_LOOKUPS || cuts[i].unknown); i++) {
		left -= cuts[i].cost;
		taken++;
		if (cuts[i].kid == NULL)
			aa_buf_printf(&b,
			              "%sthe a/mx/ptr/exists terms at %s (%u lookups: write the ip4:/ip6: "
			              "addresses they resolve to)",
			              i ? ", " : "", root->name, cuts[i].cost);
		else if (cuts[i].unknown)
			aa_buf_printf(&b, "%s%s (not expanded: at least %u)", i ? ", " : "",
			              cuts[i].kid->term, cuts[i].cost);
		else
			aa_buf_printf(&b, "%s%s (%u lookup%s)", i ? ", " : "", cuts[i].kid->term,
			              cuts[i].cost, cuts[i].cost == 1 ? "" : "s");
	}
	unknown_left = 0;
	for (; i < n; i++)
		unknown_left |= cuts[i].unknown;
	if (taken > 0 && left <= AA_SPF_MAX_LOOKUPS && !unknown_left)
		aa_finding_set_fix(j->r, f,
		                   "Flatten (replace by the ip4:/ip6: ranges it resolves to) or remove, or "
		                   "move to a subdomain with its own SPF record (e.g. the provider's "
		                   "Return-Path at bounce.%s): %s.  That takes the total from %s%u to %u "
		                   "(limit %d).",
		                   root->name, b.p, j->f->unexpanded > 0 ? "at least " : "", root->cost, left,
		                   AA_SPF_MAX_LOOKUPS);
	else
		aa_finding_set_fix(j->r, f,
		                   "Replace a/mx terms by the ip4:/ip6: addresses they resolve to, and drop "
		                   "includes of services no longer used, until at most %d lookups remain.",
		                   AA_SPF_MAX_LOOKUPS);
	aa_buf_free(&b);
	free(cuts);
}

/* Evidence lines "include:x costs N of your 10" for the root's branches
 * ("not expanded" for those past the limit point: their cost is unknown),
 * and the fix with its arithmetic. */
static void
lookup_finding(judge *j, aa_code code, const aa_spf_node *root)
{
	aa_finding *f = aa_report_add(j->r, code, "%s", root->name);
	size_t i;

	if (j->f->unexpanded > 0)
		aa_finding_evidence(j->r, f,
		                    "at least %u DNS-querying terms in the closure (limit %d): %u "
		                    "include%s past the limit point %s not expanded, each counted as 1",
		                    root->cost, AA_SPF_MAX_LOOKUPS, j->f->unexpanded,
		                    j->f->unexpanded == 1 ? "" : "s", j->f->unexpanded == 1 ? "was" : "were");
	else
		aa_finding_evidence(j->r, f, "%u DNS-querying terms in the closure (limit %d)", root->cost,
		                    AA_SPF_MAX_LOOKUPS);
	if (root->own > 0)
		aa_finding_evidence(j->r, f, "a/mx/ptr/exists terms at %s cost %u of your %d", root->name,
		                    root->own, AA_SPF_MAX_LOOKUPS);
	for (i = 0; i < root->nkids; i++) {
		const aa_spf_node *k = root->kids[i];
		if (k->state == AA_SPF_NODE_LIMIT)
			aa_finding_evidence(j->r, f,
			                    "%s: not expanded (past the limit point; costs at least 1)",
			                    k->term);
		else if (count_unexpanded(k) > 0)
			aa_finding_evidence(j->r, f, "%s costs at least %u of your %d (partly not expanded)",
			                    k->term, k->cost, AA_SPF_MAX_LOOKUPS);
		else
			aa_finding_evidence(j->r, f, "%s costs %u of your %d", k->term, k->cost,
			                    AA_SPF_MAX_LOOKUPS);
	}
	if (code == AA_F_SPF_LOOKUP_LIMIT)
		lookup_fix(j, f, root);
	else
		aa_finding_set_fix(j->r, f,
		                   "Before adding a service, replace a/mx terms or an include by the "
		                   "ip4:/ip6: ranges it resolves to, so the record stays under %d lookups.",
		                   AA_SPF_MAX_LOOKUPS);
}

static void
void_finding(judge *j, const aa_spf_node *root)
{
	aa_finding *f =
	    aa_report_add(j->r, root->voids > AA_SPF_MAX_VOIDS ? AA_F_SPF_VOID_LIMIT : AA_F_SPF_VOID_LOOKUP,
	                  "%s", root->name);
	char *ev = aa_buf_take(&j->voidev), *line, *save = NULL;

	aa_finding_evidence(j->r, f, "%u void lookups (limit %d)", root->voids, AA_SPF_MAX_VOIDS);
	for (line = ev ? strtok_r(ev, "\n", &save) : NULL; line != NULL; line = strtok_r(NULL, "\n", &save))
		aa_finding_evidence(j->r, f, "%s", line);
	free(ev);
	aa_finding_set_fix(j->r, f,
	                   "Remove or correct the terms listed: their names do not "
	                   "exist or have no records.");
}

/* The all of the effective policy.  -all (SPF_ALL_HARDFAIL) is the
 * cross-area step's: its severity depends on DKIM. */
static void
all_findings(judge *j, const aa_spf_node *root)
{
	const aa_spf_node *e = j->f->effective;
	const char *where = e == root ? "" : " (through redirect)";
	aa_finding *f;

	if (e->all == 0 && e->has_redirect)
		return; /* redirect target broken (or redirect= twice): reported already */
	if (j->f->passes_all && j->f->pass_all_path != NULL) {
		/* an include passes everyone before the domain's own all is
		 * reached: that all decides nothing */
		const aa_spf_node *p = j->f->pass_all_node;
		f = aa_report_add(j->r, AA_F_SPF_ALL_PASS, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s: \"%s\"", root->name, root->record);
		aa_finding_evidence(j->r, f, "%s passes every address: %s: \"%s\"", j->f->pass_all_path,
		                    p->name, p->record);
		aa_finding_set_fix(j->r, f,
		                   "Remove \"%.*s\" from the record at %s, or end the record at %s with "
		                   "-all or ~all instead of +all%s: until then your own all never applies.",
		                   (int)strcspn(j->f->pass_all_path, " "), j->f->pass_all_path, root->name,
		                   p->name, owned(j, p->name) ? "" : " (ask its owner)");
		return;
	}
	switch (e->all) {
	case '+':
		f = aa_report_add(j->r, AA_F_SPF_ALL_PASS, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s: \"%s\"%s", e->name, e->record, where);
		aa_finding_set_fix(j->r, f,
		                   "Change +all to -all (or ~all while you verify your "
		                   "senders) in the record at %s.",
		                   e->name);
		break;
	case '?':
	case 0:
		f = aa_report_add(j->r, AA_F_SPF_ALL_NEUTRAL, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s: \"%s\"%s: %s", e->name, e->record, where,
		                    e->all ? "ends with ?all" : "no all and no redirect=");
		aa_finding_set_fix(j->r, f,
		                   "End the record at %s with ~all (or -all once DKIM signs "
		                   "every stream).",
		                   e->name);
		break;
	case '~':
		f = aa_report_add(j->r, AA_F_SPF_ALL_SOFTFAIL, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s: \"%s\"%s", e->name, e->record, where);
		break;
	default:
		break;
	}
}

static void
root_findings(judge *j, const aa_spf_node *root)
{
	aa_finding *f;

	switch (root->state) {
	case AA_SPF_NODE_DNS_ERROR:
		dns_error(j, root->name, "%s TXT (%s): lookup failed, not verified", root->name,
		          root->state_detail ? root->state_detail : "error");
		return;
	case AA_SPF_NODE_NO_RECORD:
		if (root_nxdomain(root))
			return; /* DOMAIN_NXDOMAIN says it */
		f = aa_report_add(j->r, AA_F_SPF_NONE, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s TXT: %s", root->name, root->state_detail);
		aa_finding_set_fix(j->r, f,
		                   "Publish one TXT record at %s: \"v=spf1 <your senders> -all\" (for "
		                   "Microsoft 365: \"v=spf1 include:spf.protection.outlook.com -all\").",
		                   j->in->domain);
		return;
	case AA_SPF_NODE_MULTIPLE:
		f = aa_report_add(j->r, AA_F_SPF_MULTIPLE, "%s", root->name);
		aa_finding_evidence(j->r, f, "%s: \"%s\"", root->name, root->record);
		aa_finding_evidence(j->r, f, "%s: \"%s\"", root->name, root->second);
		aa_finding_set_fix(j->r, f,
		                   "Merge the terms into one TXT record at %s beginning with v=spf1 and "
		                   "delete the other.",
		                   root->name);
		break;
	default:
		break;
	}
	if (root->record != NULL && strlen(root->record) > AA_SPF_LARGE) {
		f = aa_report_add(j->r, AA_F_SPF_RECORD_LARGE, "%s", root->name);
		aa_finding_evidence(j->r, f, "the record is %zu bytes (over %d)", strlen(root->record),
		                    AA_SPF_LARGE);
		if (root->wire_len > 0)
			aa_finding_evidence(j->r, f, "the TXT answer for %s was %zu bytes", root->name,
			                    root->wire_len);
		aa_finding_set_fix(j->r, f,
		                   "Move ip4:/ip6: ranges into a record at a subdomain (e.g. _spf.%s) and "
		                   "include:_spf.%s from %s.",
		                   root->name, root->name, root->name);
	}
}

static void
deprecated_rr(judge *j)
{
	aa_finding *f;
	size_t i;

	if (j->f->ntype99 == 0)
		return;
	f = aa_report_add(j->r, AA_F_SPF_DEPRECATED_RR, "%s", j->in->domain);
	for (i = 0; i < j->f->ntype99; i++)
		aa_finding_evidence(j->r, f, "%s SPF (type 99): \"%s\"", j->in->domain, j->f->type99[i]);
	aa_finding_set_fix(j->r, f, "Delete the type 99 SPF record at %s; keep the TXT record only.",
	                   j->in->domain);
}

static void
ip_findings(judge *j)
{
	const char *sender = aa_spf_sender(j->in->opt, j->in->domain);
	char *defsender = NULL;
	aa_finding *f;
	size_t i;

	if (sender == NULL)
		sender = defsender = aa_printf("postmaster@%s", j->in->domain);
	for (i = 0; i < j->f->nips; i++) {
		const aa_spf_ip_result *ir = &j->f->ips[i];
		const char *ip = ir->ip ? ir->ip : "?";

		if (ir->result == NULL ||
		    (strcmp(ir->result, "fail") != 0 && strcmp(ir->result, "softfail") != 0 &&
		     strcmp(ir->result, "neutral") != 0))
			continue;
		f = aa_report_add(j->r, AA_F_SPF_IP_NOT_PERMITTED, "%s", ip);
		aa_finding_evidence(j->r, f, "check_host(%s, %s, %s) = %s", ip, j->in->domain,
		                    sender ? sender : "?", ir->result);
		if (ir->term != NULL)
			aa_finding_evidence(j->r, f, "deciding term: %s", ir->term);
		if (ir->comment != NULL && ir->comment[0] != '\0')
			aa_finding_evidence(j->r, f, "libspf2: %s", ir->comment);
		aa_finding_set_fix(j->r, f,
		                   "If %s is yours, authorise it: add \"ip%c:%s\" (or the include: of the "
		                   "service that sends from it) before the all term of %s's record.",
		                   ip, strchr(ip, ':') ? '6' : '4', ip, j->in->domain);
	}
	free(defsender);
}

void
aa_spf_judge(const aa_check_in *in, const aa_spf_facts *f, aa_report *r)
{
	const aa_spf_node *root = f->tree;
	judge j;

	memset(&j, 0, sizeof(j));
	j.in = in;
	j.f = f;
	j.r = r;
	deprecated_rr(&j);
	if (root == NULL)
		return; /* not asked */
	j.org = aa_org_domain(in->domain);
	root_findings(&j, root);
	if (root->record != NULL) {
		node_findings(&j, root, NULL);
		if (root->cost > AA_SPF_MAX_LOOKUPS)
			lookup_finding(&j, AA_F_SPF_LOOKUP_LIMIT, root);
		else if (root->cost >= AA_SPF_MAX_LOOKUPS - 1)
			lookup_finding(&j, AA_F_SPF_LOOKUP_NEAR_LIMIT, root);
		if (root->voids > 0)
			void_finding(&j, root);
		if (f->result != AA_SPF_CLASS_TEMPERROR)
			all_findings(&j, root);
	}
	ip_findings(&j);
	aa_buf_free(&j.voidev);
	free(j.org);
}

/* ---- the check ---- */

void
aa_check_spf(const aa_check_in *in, aa_report *r)
{
	aa_spf_facts *f = aa_spf_derive(in);

	if (f == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_SPF, f, aa_spf_facts_free);
	aa_spf_judge(in, f, r);
}

/* ---- SPF of another domain (the Return-Path's) ---- */

/* libspf2's check_host() for ip at domain, MAIL FROM:<sender>. */
static aa_status
host_eval(const aa_check_in *in, const char *domain, const char *sender, const char *ip, char **result,
          char **why)
{
	SPF_dns_server_t *zone = NULL;
	SPF_server_t *srv = server_new(in->rs, &zone);
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	int ok;

	if (srv == NULL)
		return AA_ENOMEM;
	if ((req = SPF_request_new(srv)) != NULL) {
		ok = strchr(ip, ':') ? SPF_request_set_ipv6_str(req, ip) : SPF_request_set_ipv4_str(req, ip);
		if (ok == SPF_E_SUCCESS && SPF_request_set_env_from(req, sender) == 0 &&
		    SPF_request_set_helo_dom(req, in->opt && in->opt->helo ? in->opt->helo : domain) ==
		        SPF_E_SUCCESS)
			SPF_request_query_mailfrom(req, &resp);
	}
	if (resp != NULL) {
		*result = strdup(SPF_strresult(SPF_response_result(resp)));
		*why = messages(resp);
		SPF_response_free(resp);
	} else {
		*result = strdup("temperror");
	}
	SPF_request_free(req);
	SPF_server_free(srv);
	SPF_dns_free(zone);
	return *result != NULL ? AA_OK : AA_ENOMEM;
}

aa_status
aa_spf_host_check(const aa_check_in *in, const char *domain, const char *sender, const char *ip,
                  char **record, char **result, char **why)
{
	aa_spf_walk_in w;
	aa_spf_node *root;
	unsigned lookups = 0, voids = 0;
	const char *res = NULL;
	tally t;

	*record = *result = *why = NULL;
	if (aa_recordset_get(in->rs, domain, AA_T_TXT) == NULL)
		return AA_OK; /* not asked */
	memset(&w, 0, sizeof(w));
	w.rs = in->rs;
	w.domain = domain;
	w.ip = ip;
	w.sender = sender;
	w.helo = in->opt ? in->opt->helo : NULL;
	if ((root = aa_spf_walk(&w, &lookups, &voids)) == NULL)
		return AA_ENOMEM;
	tally_tree(root, &t);
	if (root->record != NULL && (*record = strdup(root->record)) == NULL)
		goto oom;
	if (root->state == AA_SPF_NODE_DNS_ERROR || t.dns_error) {
		res = "temperror";
		*why =
		    aa_printf("a lookup failed (%s)", root->state_detail ? root->state_detail : "DNS error");
	} else if (root->record == NULL) {
		/* RFC 7208 4.3, 4.5: no record (or no such domain) is "none" */
		res = "none";
		*why = aa_printf("%s TXT: %s", domain,
		                 root->state_detail ? root->state_detail : "no v=spf1 TXT record");
	} else if (tally_permerror(&t)) {
		res = "permerror";
		*why = aa_printf("the SPF closure of %s is a permerror (%u lookups, %u void)", domain,
		                 root->cost, root->voids);
	}
	aa_spf_node_free(root);
	if (res != NULL)
		return (*result = strdup(res)) != NULL && *why != NULL ? AA_OK : AA_ENOMEM;
	return ip != NULL ? host_eval(in, domain, sender, ip, result, why) : AA_OK;
oom:
	aa_spf_node_free(root);
	return AA_ENOMEM;
}
