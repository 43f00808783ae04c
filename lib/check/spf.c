/*
 * check_spf.c — SPF findings and facts, from the record set only.
 *
 * Our walker (spf_walk.c) gives the include tree and the accounting libspf2
 * does not (lookups per branch, void lookups, loops, ptr, broad ranges);
 * libspf2 judges syntax and, with --ip, gives the real check_host() result.
 * libspf2 never does DNS here: it reads a zone preloaded from the record
 * set with the true outcome of every name, and a layer below the zone
 * answers anything else with TRY_AGAIN (a miss is "not verified", never
 * "no record").
 */
#include "records/orgdomain.h"
#include "report/facts.h"
#include "check/check.h"
#include "check/spf_walk.h"
#include "util/util.h"

#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>

#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OUTLOOK_SPF "spf.protection.outlook.com"

/* DKIM facts, read through one accessor: 1 no usable key was found, 0 a
 * key was found, -1 unknown (DKIM facts absent or its lookups failed). */
static int
dkim_none_found(const aa_report *r)
{
	const aa_dkim_facts *d = aa_report_facts(r, AA_AREA_DKIM);

	if (d == NULL || d->dns_errors > 0)
		return d != NULL && d->usable > 0 ? 0 : -1;
	return d->usable == 0;
}

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
		case AA_T_A: t = ns_t_a; break;
		case AA_T_AAAA: t = ns_t_aaaa; break;
		case AA_T_MX: t = ns_t_mx; break;
		case AA_T_TXT: t = ns_t_txt; break;
		case AA_T_PTR: t = ns_t_ptr; break;
		default: continue;
		}
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
 * freed with SPF_dns_free after the server. */
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
	if (zone_load(zone, set) != 0 || (srv = SPF_server_new_dns(zone, 0)) == NULL) {
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

/* ---- tree helpers ---- */

typedef struct acc {
	aa_report *r;
	aa_spf_facts *facts;
	SPF_server_t *srv;
	SPF_dns_server_t *zone;
	int permerror, temperror;
	int too_long;  /* a record too long to hand to libspf2 */
	int over_limit; /* the closure exceeds the lookup or void limit */
	aa_finding *voidf, *dnsf;
	aa_buf voidev;
	char *org; /* the audited domain's organizational domain */
} acc;

/* A record the domain's owner controls: at or below its organizational
 * domain.  A provider's include (spf.protection.outlook.com) is not. */
static int
owned(const acc *c, const char *name)
{
	return c->org == NULL || aa_name_at_or_below(name, c->org);
}

static void dns_error(acc *c, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
dns_error(acc *c, const char *subject, const char *fmt, ...)
{
	va_list ap;
	char *ev = NULL;

	if (c->dnsf == NULL) {
		c->dnsf = aa_report_add(c->r, AA_F_SPF_DNS_ERROR, "%s", subject);
		aa_finding_set_fix(c->r, c->dnsf,
		                   "Nothing to change in the record yet: the lookup failed, so SPF could "
		                   "not be verified (receivers see temperror and defer or junk mail). "
		                   "Check the name servers of the failing name and run the audit again.");
	}
	va_start(ap, fmt);
	if (vasprintf(&ev, fmt, ap) < 0)
		ev = NULL;
	va_end(ap);
	aa_finding_evidence(c->r, c->dnsf, "%s", ev ? ev : "lookup failed");
	free(ev);
	c->temperror = 1;
}

static void
syntax_check(acc *c, const aa_spf_node *n)
{
	SPF_response_t *resp;
	SPF_record_t *rec = NULL;
	aa_finding *f;
	char *msg;
	size_t i;

	if (n->record == NULL)
		return;
	if (strlen(n->record) > AA_SPF_MAX_LIBSPF2_LEN || c->srv == NULL) {
		c->too_long = 1;
		for (i = 0; i < n->nissues; i++) {
			if (n->issues[i].kind != AA_SPF_ISSUE_SYNTAX)
				continue;
			f = aa_report_add(c->r, AA_F_SPF_SYNTAX, "%s", n->name);
			aa_finding_evidence(c->r, f, "record at %s: \"%s\"", n->name, n->record);
			aa_finding_evidence(c->r, f, "term \"%s\": %s", n->issues[i].term, n->issues[i].detail);
			c->permerror = 1;
		}
		return;
	}
	if ((resp = SPF_response_new(NULL)) == NULL)
		return;
	if (SPF_record_compile(c->srv, resp, &rec, n->record) != SPF_E_SUCCESS) {
		f = aa_report_add(c->r, AA_F_SPF_SYNTAX, "%s", n->name);
		msg = messages(resp);
		aa_finding_evidence(c->r, f, "record at %s: \"%s\"", n->name, n->record);
		aa_finding_evidence(c->r, f, "libspf2: %s", msg ? msg : "does not parse");
		if (n->via != AA_SPF_VIA_ROOT)
			aa_finding_evidence(c->r, f, "reached through %s", n->term);
		aa_finding_set_fix(c->r, f, "%s",
		                   n->via == AA_SPF_VIA_ROOT
		                       ? "Correct the record at the place libspf2 names; every term must be "
		                         "one of all, include:, a, mx, ptr, ip4:, ip6:, exists: or a "
		                         "name=value modifier."
		                       : "The included record is not yours: ask its owner to fix it, or "
		                         "replace the include by the provider's documented SPF name.");
		free(msg);
		c->permerror = 1;
	}
	SPF_record_free(rec);
	SPF_response_free(resp);
}

static void
node_findings(acc *c, const aa_spf_node *n, const aa_spf_node *parent)
{
	aa_finding *f;
	size_t i;

	if (strcasecmp(n->name, OUTLOOK_SPF) == 0 && n->via == AA_SPF_VIA_INCLUDE)
		c->facts->has_outlook = 1;
	if (n->via != AA_SPF_VIA_ROOT) {
		switch (n->state) {
		case AA_SPF_NODE_NO_RECORD:
			f = aa_report_add(c->r, AA_F_SPF_INCLUDE_NO_RECORD, "%s", n->name);
			aa_finding_evidence(c->r, f, "%s at %s: \"%s\"", n->term, parent->name, parent->record);
			aa_finding_evidence(c->r, f, "%s TXT: %s", n->name,
			                    n->state_detail ? n->state_detail : "no SPF record");
			aa_finding_set_fix(c->r, f,
			                   "Remove \"%s\" from the record at %s, or correct the name to the "
			                   "provider's documented SPF name.",
			                   n->term, parent->name);
			c->permerror = 1;
			break;
		case AA_SPF_NODE_DNS_ERROR:
			dns_error(c, n->name, "%s TXT (%s): lookup failed, not verified", n->name,
			          n->state_detail ? n->state_detail : "error");
			break;
		case AA_SPF_NODE_LOOP:
			f = aa_report_add(c->r, AA_F_SPF_LOOP, "%s", n->name);
			aa_finding_evidence(c->r, f, "%s at %s leads back to %s, already being evaluated",
			                    n->term, parent->name, n->name);
			aa_finding_set_fix(c->r, f, "Remove \"%s\" from the record at %s.", n->term,
			                   parent->name);
			c->permerror = 1;
			break;
		case AA_SPF_NODE_MULTIPLE:
			f = aa_report_add(c->r, AA_F_SPF_MULTIPLE, "%s", n->name);
			aa_finding_evidence(c->r, f, "%s (reached by %s): \"%s\"", n->name, n->term, n->record);
			aa_finding_evidence(c->r, f, "%s: \"%s\"", n->name, n->second);
			aa_finding_set_fix(c->r, f, "The included name %s must publish a single v=spf1 "
			                   "record; ask its owner to merge them.", n->name);
			c->permerror = 1;
			break;
		default:
			break;
		}
	}
	syntax_check(c, n);
	for (i = 0; i < n->nissues; i++) {
		const aa_spf_issue *is = &n->issues[i];
		switch (is->kind) {
		case AA_SPF_ISSUE_VOID:
			aa_buf_printf(&c->voidev, "%s\"%s\" at %s: %s", c->voidev.len ? "\n" : "", is->term,
			              n->name, is->detail);
			break;
		case AA_SPF_ISSUE_DNS:
			dns_error(c, n->name, "\"%s\" at %s: lookup failed, not verified", is->term,
			          is->detail);
			break;
		case AA_SPF_ISSUE_PTR:
			f = aa_report_add(c->r, AA_F_SPF_PTR, "%s", n->name);
			aa_finding_evidence(c->r, f, "\"%s\" in \"%s\"", is->term, n->record);
			aa_finding_set_fix(c->r, f,
			                   "Replace \"%s\" by the ip4:/ip6: ranges (or a:HOST terms) of the "
			                   "servers it was meant to match.", is->term);
			break;
		case AA_SPF_ISSUE_BROAD:
			/* a provider's published ranges are the provider's business:
			 * the user can neither change nor narrow them */
			if (!owned(c, n->name))
				break;
			f = aa_report_add(c->r, AA_F_SPF_BROAD_RANGE, "%s", n->name);
			aa_finding_evidence(c->r, f, "\"%s\" in \"%s\": %s", is->term, n->record, is->detail);
			aa_finding_set_fix(c->r, f,
			                   "Replace \"%s\" by the exact addresses or prefixes (at most /24 for "
			                   "IPv4, /48 for IPv6) of the hosts that really send.", is->term);
			break;
		case AA_SPF_ISSUE_MX_MANY:
			f = aa_report_add(c->r, AA_F_SPF_MX_TOO_MANY, "%s", n->name);
			aa_finding_evidence(c->r, f, "\"%s\" in \"%s\": %s", is->term, n->record, is->detail);
			aa_finding_set_fix(c->r, f,
			                   "Replace \"%s\" by ip4:/ip6: ranges of the hosts that actually send "
			                   "mail.", is->term);
			c->permerror = 1;
			break;
		case AA_SPF_ISSUE_TWICE:
			f = aa_report_add(c->r, AA_F_SPF_SYNTAX, "%s", n->name);
			aa_finding_evidence(c->r, f, "record at %s: \"%s\"", n->name, n->record);
			aa_finding_evidence(c->r, f, "term \"%s\": %s", is->term, is->detail);
			aa_finding_set_fix(c->r, f, "Keep one \"%.*s\" in the record at %s.",
			                   (int)strcspn(is->term, "="), is->term, n->name);
			c->permerror = 1;
			break;
		case AA_SPF_ISSUE_SYNTAX:
			break; /* libspf2 judges syntax (syntax_check) */
		}
	}
	for (i = 0; i < n->nkids; i++)
		node_findings(c, n->kids[i], n);
}

/* Evidence lines "include:x costs N of your 10" for the root's branches,
 * and the fix naming the most expensive one. */
static void
lookup_finding(acc *c, aa_code code, const aa_spf_node *root)
{
	aa_finding *f = aa_report_add(c->r, code, "%s", root->name);
	const aa_spf_node *worst = NULL;
	size_t i;

	aa_finding_evidence(c->r, f, "%u DNS-querying terms in the closure (limit %d)", root->cost,
	                    AA_SPF_MAX_LOOKUPS);
	if (root->own > 0)
		aa_finding_evidence(c->r, f, "a/mx/ptr/exists terms at %s cost %u of your %d",
		                    root->name, root->own, AA_SPF_MAX_LOOKUPS);
	for (i = 0; i < root->nkids; i++) {
		const aa_spf_node *k = root->kids[i];
		aa_finding_evidence(c->r, f, "%s costs %u of your %d", k->term, k->cost,
		                    AA_SPF_MAX_LOOKUPS);
		if (worst == NULL || k->cost > worst->cost)
			worst = k;
	}
	if (worst != NULL && worst->cost > 1)
		aa_finding_set_fix(c->r, f,
		                   "Replace %s (%u lookups) by the ip4:/ip6: ranges it resolves to, or move "
		                   "that provider to a subdomain with its own SPF record (e.g. its "
		                   "Return-Path at bounce.%s).",
		                   worst->term, worst->cost, root->name);
	else
		aa_finding_set_fix(c->r, f,
		                   "Replace a/mx terms by the ip4:/ip6: addresses they resolve to, and drop "
		                   "includes of services no longer used.");
}

/* The `all` of the effective policy: redirect= followed when there is no all. */
static const aa_spf_node *
effective(const aa_spf_node *n)
{
	while (n->all == 0 && n->has_redirect && n->nkids > 0 &&
	       n->kids[n->nkids - 1]->via == AA_SPF_VIA_REDIRECT &&
	       n->kids[n->nkids - 1]->state == AA_SPF_NODE_OK)
		n = n->kids[n->nkids - 1];
	return n;
}

static void
all_findings(acc *c, const aa_spf_node *root)
{
	const aa_spf_node *e = effective(root);
	const char *where = e == root ? "" : " (through redirect)";
	aa_finding *f;

	c->facts->all = e->all;
	if (e->all == 0 && e->has_redirect)
		return; /* redirect target broken: reported already */
	switch (e->all) {
	case '+':
		f = aa_report_add(c->r, AA_F_SPF_ALL_PASS, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s: \"%s\"%s", e->name, e->record, where);
		aa_finding_set_fix(c->r, f, "Change +all to -all (or ~all while you verify your senders) "
		                            "in the record at %s.", e->name);
		break;
	case '?':
	case 0:
		f = aa_report_add(c->r, AA_F_SPF_ALL_NEUTRAL, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s: \"%s\"%s: %s", e->name, e->record, where,
		                    e->all ? "ends with ?all" : "no all and no redirect=");
		aa_finding_set_fix(c->r, f, "End the record at %s with ~all (or -all once DKIM signs "
		                            "every stream).", e->name);
		break;
	case '~':
		f = aa_report_add(c->r, AA_F_SPF_ALL_SOFTFAIL, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s: \"%s\"%s", e->name, e->record, where);
		break;
	case '-':
		f = aa_report_add(c->r, AA_F_SPF_ALL_HARDFAIL, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s: \"%s\"%s", e->name, e->record, where);
		if (f != NULL && dkim_none_found(c->r) == 1) {
			f->severity = AA_SEV_MEDIUM;
			aa_finding_evidence(c->r, f, "no usable DKIM key was found at any probed selector");
			aa_finding_set_detail(c->r, f,
			                      "With -all and no DKIM key, any forwarded or relayed mail (a "
			                      "mailing list, a forwarder, or a filter in front of Exchange "
			                      "Online, KB3089691) fails SPF outright and nothing else "
			                      "authenticates it.");
			aa_finding_set_fix(c->r, f,
			                   "Publish DKIM keys and sign all mail; until then consider ~all.");
		}
		break;
	default:
		break;
	}
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
	case SPF_RESULT_PASS: return '+';
	case SPF_RESULT_FAIL: return '-';
	case SPF_RESULT_SOFTFAIL: return '~';
	case SPF_RESULT_NEUTRAL: return '?';
	default: return 0;
	}
}

static void
eval_ip(acc *c, const aa_check_in *in, const char *ip)
{
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_result_t res;
	aa_spf_ip_result *ir, *arr;
	const aa_spf_node *where = NULL;
	const char *sender = aa_spf_sender(in->opt, in->domain);
	char *defsender = NULL, *msg;
	const aa_spf_term *term = NULL, *twice;
	aa_finding *f;
	int ok;

	if ((arr = realloc(c->facts->ips, (c->facts->nips + 1) * sizeof(*arr))) == NULL) {
		c->r->oom = 1;
		return;
	}
	c->facts->ips = arr;
	ir = &arr[c->facts->nips++];
	memset(ir, 0, sizeof(*ir));
	ir->ip = strdup(ip);
	if ((req = SPF_request_new(c->srv)) == NULL)
		return;
	ok = strchr(ip, ':') ? SPF_request_set_ipv6_str(req, ip) : SPF_request_set_ipv4_str(req, ip);
	if (sender == NULL)
		sender = defsender = aa_printf("postmaster@%s", in->domain);
	if (ok == SPF_E_SUCCESS && sender != NULL &&
	    SPF_request_set_env_from(req, sender) == 0 &&
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
	else if (result_qual(res) != 0 && c->facts->tree != NULL &&
	         (term = deciding_term(c->facts->tree, ip, result_qual(res), &where)) != NULL)
		ir->term = aa_printf("%.*s at %s", (int)term->len, term->text, where->name);
	ir->comment = msg;
	if ((twice = aa_spf_twice(c->facts->tree->terms, c->facts->tree->nterms)) != NULL) {
		/* RFC 7208 6: permerror for every IP; libspf2 1.2.10 follows the
		 * first redirect= (and the zone it reads has no such record) */
		free(ir->result);
		ir->result = strdup("permerror");
		ir->comment = aa_printf("%.*s appears twice in the record at %s: RFC 7208 6 makes it "
		                        "a permerror (libspf2 gave %s)%s%s",
		                        (int)(strcspn(twice->text, "=") + 1), twice->text,
		                        c->facts->tree->name, SPF_strresult(res),
		                        msg && msg[0] ? "; " : "", msg ? msg : "");
		free(msg);
		msg = ir->comment;
		res = SPF_RESULT_PERMERROR;
	}
	/* libspf2 1.2.10 counts lookups per record, not per evaluation: when
	 * nothing matched before the end (default result or the final all),
	 * the whole closure was evaluated and receivers return permerror */
	if (c->over_limit && result_qual(res) != '+' && result_qual(res) != 0 &&
	    (SPF_response_reason(resp) == SPF_REASON_DEFAULT ||
	     (term != NULL && term->mech == AA_SPF_M_ALL))) {
		free(ir->result);
		ir->result = strdup("permerror");
		ir->comment = aa_printf("libspf2 gave %s, but reaching %s means evaluating the whole "
		                        "closure, which exceeds the RFC 7208 4.6.4 limits%s%s",
		                        SPF_strresult(res), ir->term ? ir->term : "the end",
		                        msg && msg[0] ? "; " : "", msg ? msg : "");
		free(msg);
		msg = ir->comment;
		res = SPF_RESULT_PERMERROR;
	}
	if (res == SPF_RESULT_FAIL || res == SPF_RESULT_SOFTFAIL || res == SPF_RESULT_NEUTRAL) {
		f = aa_report_add(c->r, AA_F_SPF_IP_NOT_PERMITTED, "%s", ip);
		aa_finding_evidence(c->r, f, "check_host(%s, %s, %s) = %s", ip, in->domain, sender,
		                    ir->result);
		if (ir->term != NULL)
			aa_finding_evidence(c->r, f, "deciding term: %s", ir->term);
		if (msg != NULL && msg[0] != '\0')
			aa_finding_evidence(c->r, f, "libspf2: %s", msg);
		aa_finding_set_fix(c->r, f,
		                   "If %s is yours, authorise it: add \"ip%c:%s\" (or the include: of the "
		                   "service that sends from it) before the all term of %s's record.",
		                   ip, strchr(ip, ':') ? '6' : '4', ip, in->domain);
	}
	SPF_response_free(resp);
	SPF_request_free(req);
	free(defsender);
}

/* ---- the check ---- */

static void
deprecated_rr(const aa_check_in *in, aa_report *r)
{
	const aa_rrset *rs = aa_recordset_get(in->rs, in->domain, AA_T_SPF);
	aa_finding *f;
	size_t i;

	if (rs == NULL || rs->outcome != AA_OUT_ANSWER || rs->nrr == 0)
		return;
	f = aa_report_add(r, AA_F_SPF_DEPRECATED_RR, "%s", in->domain);
	for (i = 0; i < rs->nrr; i++)
		aa_finding_evidence(r, f, "%s SPF (type 99): \"%s\"", in->domain, rs->rr[i].data);
	aa_finding_set_fix(r, f, "Delete the type 99 SPF record at %s; keep the TXT record only.",
	                   in->domain);
}

static void
root_findings(acc *c, const aa_check_in *in, const aa_spf_node *root)
{
	aa_finding *f;

	switch (root->state) {
	case AA_SPF_NODE_DNS_ERROR:
		dns_error(c, root->name, "%s TXT (%s): lookup failed, not verified", root->name,
		          root->state_detail ? root->state_detail : "error");
		return;
	case AA_SPF_NODE_NO_RECORD:
		if (strcmp(root->state_detail ? root->state_detail : "", "NXDOMAIN") == 0)
			return; /* DOMAIN_NXDOMAIN says it */
		f = aa_report_add(c->r, AA_F_SPF_NONE, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s TXT: %s", root->name, root->state_detail);
		aa_finding_set_fix(c->r, f,
		                   "Publish one TXT record at %s: \"v=spf1 <your senders> -all\" (for "
		                   "Microsoft 365: \"v=spf1 include:spf.protection.outlook.com -all\").",
		                   in->domain);
		return;
	case AA_SPF_NODE_MULTIPLE:
		f = aa_report_add(c->r, AA_F_SPF_MULTIPLE, "%s", root->name);
		aa_finding_evidence(c->r, f, "%s: \"%s\"", root->name, root->record);
		aa_finding_evidence(c->r, f, "%s: \"%s\"", root->name, root->second);
		aa_finding_set_fix(c->r, f,
		                   "Merge the terms into one TXT record at %s beginning with v=spf1 and "
		                   "delete the other.", root->name);
		c->permerror = 1;
		break;
	default:
		break;
	}
	if (root->record != NULL && strlen(root->record) > AA_SPF_LARGE) {
		f = aa_report_add(c->r, AA_F_SPF_RECORD_LARGE, "%s", root->name);
		aa_finding_evidence(c->r, f, "the record is %zu bytes (over %d)", strlen(root->record),
		                    AA_SPF_LARGE);
		if (root->wire_len > 0)
			aa_finding_evidence(c->r, f, "the TXT answer for %s was %zu bytes", root->name,
			                    root->wire_len);
		aa_finding_set_fix(c->r, f,
		                   "Move ip4:/ip6: ranges into a record at a subdomain (e.g. _spf.%s) and "
		                   "include:_spf.%s from %s.", root->name, root->name, root->name);
	}
}

void
aa_check_spf(const aa_check_in *in, aa_report *r)
{
	aa_spf_walk_in w;
	acc c;
	aa_spf_node *root;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((c.facts = calloc(1, sizeof(*c.facts))) == NULL) {
		r->oom = 1;
		return;
	}
	deprecated_rr(in, r);
	memset(&w, 0, sizeof(w));
	w.rs = in->rs;
	w.domain = in->domain;
	w.ip = in->opt && in->opt->n_ips > 0 ? in->opt->ips[0] : NULL;
	w.sender = aa_spf_sender(in->opt, in->domain);
	w.helo = in->opt ? in->opt->helo : NULL;
	if (aa_recordset_get(in->rs, in->domain, AA_T_TXT) == NULL) {
		aa_report_set_facts(r, AA_AREA_SPF, c.facts, aa_spf_facts_free);
		return; /* not asked */
	}
	root = c.facts->tree = aa_spf_walk(&w, &c.facts->lookups, &c.facts->voids);
	if (root == NULL) {
		r->oom = 1;
		aa_spf_facts_free(c.facts);
		return;
	}
	c.facts->has_record = root->record != NULL;
	c.org = aa_org_domain(in->domain);
	c.srv = server_new(in->rs, &c.zone);
	root_findings(&c, in, root);
	if (root->record != NULL) {
		node_findings(&c, root, NULL);
		if (root->cost > AA_SPF_MAX_LOOKUPS) {
			lookup_finding(&c, AA_F_SPF_LOOKUP_LIMIT, root);
			c.permerror = c.over_limit = 1;
		} else if (root->cost >= AA_SPF_MAX_LOOKUPS - 1) {
			lookup_finding(&c, AA_F_SPF_LOOKUP_NEAR_LIMIT, root);
		}
		if (root->voids > 0) {
			aa_finding *f = aa_report_add(
			    r, root->voids > AA_SPF_MAX_VOIDS ? AA_F_SPF_VOID_LIMIT : AA_F_SPF_VOID_LOOKUP, "%s",
			    root->name);
			char *ev = aa_buf_take(&c.voidev), *line, *save = NULL;
			aa_finding_evidence(r, f, "%u void lookups (limit %d)", root->voids,
			                    AA_SPF_MAX_VOIDS);
			for (line = ev ? strtok_r(ev, "\n", &save) : NULL; line != NULL;
			     line = strtok_r(NULL, "\n", &save))
				aa_finding_evidence(r, f, "%s", line);
			free(ev);
			aa_finding_set_fix(r, f, "Remove or correct the terms listed: their names do not "
			                         "exist or have no records.");
			if (root->voids > AA_SPF_MAX_VOIDS)
				c.permerror = c.over_limit = 1;
		}
		if (!c.temperror)
			all_findings(&c, root);
	}
	aa_buf_free(&c.voidev);
	c.facts->result = c.temperror   ? AA_SPF_CLASS_TEMPERROR
	                  : c.permerror ? AA_SPF_CLASS_PERMERROR
	                  : root->record != NULL ? AA_SPF_CLASS_OK
	                  : root->state == AA_SPF_NODE_DNS_ERROR ? AA_SPF_CLASS_TEMPERROR
	                                                          : AA_SPF_CLASS_NONE;
	if (root->state == AA_SPF_NODE_DNS_ERROR)
		c.facts->result = AA_SPF_CLASS_TEMPERROR;
	if (in->opt != NULL && c.srv != NULL && !c.too_long && root->state != AA_SPF_NODE_DNS_ERROR)
		for (i = 0; i < in->opt->n_ips; i++)
			eval_ip(&c, in, in->opt->ips[i]);
	if (c.srv != NULL) {
		SPF_server_free(c.srv);
		SPF_dns_free(c.zone);
	}
	free(c.org);
	aa_report_set_facts(r, AA_AREA_SPF, c.facts, aa_spf_facts_free);
}
