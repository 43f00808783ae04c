/*
 * spf_walk.c — the SPF closure of a domain, walked in evaluation order over
 * a record set.  The plan runs it after every answer (with a `need`
 * callback that wants what is missing), so all names of one tree level are
 * in flight at once; the check runs it once over the finished view and
 * reads the tree.  Lookups are counted as RFC 7208 4.6.4 counts them, and
 * the walk stops reaching further once the limits plus a margin are passed.
 */
#include "records/addr.h"
#include "check/spf_walk.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct walker {
	const aa_spf_walk_in *in;
	unsigned lookups; /* DNS-querying terms reached so far */
	const char *path[AA_SPF_MAX_DEPTH + 2];
	size_t depth;
	int oom;
} walker;

/* ---- macros (RFC 7208 7) ---- */

static int
macro_value(char letter, const char *domain, const char *ip, const char *sender,
            const char *helo, aa_buf *out)
{
	unsigned char b[16];
	const char *at;
	int i;

	switch (letter) {
	case 's':
		aa_buf_puts(out, sender);
		return 0;
	case 'l':
		at = strrchr(sender, '@');
		aa_buf_add(out, sender, at ? (size_t)(at - sender) : strlen(sender));
		return 0;
	case 'o':
		at = strrchr(sender, '@');
		aa_buf_puts(out, at ? at + 1 : sender);
		return 0;
	case 'd':
		aa_buf_puts(out, domain);
		return 0;
	case 'h':
		aa_buf_puts(out, helo);
		return 0;
	case 'p':
		if (ip == NULL)
			return -1;
		aa_buf_puts(out, "unknown"); /* RFC 7208 7.3: do not look it up */
		return 0;
	case 'i':
	case 'v':
		if (ip == NULL)
			return -1;
		if (inet_pton(AF_INET, ip, b) == 1) {
			if (letter == 'v')
				aa_buf_puts(out, "in-addr");
			else
				aa_buf_printf(out, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
			return 0;
		}
		if (inet_pton(AF_INET6, ip, b) == 1) {
			if (letter == 'v') {
				aa_buf_puts(out, "ip6");
				return 0;
			}
			for (i = 0; i < 16; i++)
				aa_buf_printf(out, "%s%x.%x", i ? "." : "", b[i] >> 4, b[i] & 0xf);
			return 0;
		}
		return -1;
	default:
		return -1; /* c, r, t: only in exp=; anything else is invalid */
	}
}

/* Applies the transformers: split on delimiters, reverse, keep the
 * rightmost `keep` parts, join with dots. */
static void
macro_transform(const char *val, const char *delims, int reverse, unsigned keep, aa_buf *out)
{
	const char *parts[128];
	size_t lens[128], n = 0, i, first;
	const char *p = val;

	for (;;) {
		size_t w = strcspn(p, delims);
		if (n == 128)
			break;
		parts[n] = p;
		lens[n++] = w;
		if (p[w] == '\0')
			break;
		p += w + 1;
	}
	if (reverse)
		for (i = 0; i < n / 2; i++) {
			const char *tp = parts[i];
			size_t tl = lens[i];
			parts[i] = parts[n - 1 - i];
			lens[i] = lens[n - 1 - i];
			parts[n - 1 - i] = tp;
			lens[n - 1 - i] = tl;
		}
	first = keep > 0 && keep < n ? n - keep : 0;
	for (i = first; i < n; i++) {
		if (i > first)
			aa_buf_puts(out, ".");
		aa_buf_add(out, parts[i], lens[i]);
	}
}

char *
aa_spf_expand(const char *spec, const char *domain, const char *ip, const char *sender,
              const char *helo)
{
	aa_buf out = {0}, val = {0};
	char *defsender = NULL, *res;
	const char *p = spec;
	size_t n;

	if (strlen(spec) > 512)
		return NULL;
	if (sender == NULL)
		sender = defsender = aa_printf("postmaster@%s", domain);
	if (helo == NULL)
		helo = domain;
	if (sender == NULL)
		return NULL;
	while (*p) {
		if (*p != '%') {
			aa_buf_add(&out, p++, 1);
			continue;
		}
		p++;
		if (*p == '%' || *p == '_' || *p == '-') {
			aa_buf_puts(&out, *p == '%' ? "%" : *p == '_' ? " " : "%20");
			p++;
			continue;
		}
		if (*p != '{' || p[1] == '\0')
			goto fail;
		{
			char letter = (char)tolower((unsigned char)p[1]);
			unsigned keep = 0;
			int reverse = 0;
			char delims[8] = "";
			size_t nd = 0;

			p += 2;
			while (isdigit((unsigned char)*p) && keep < 1000)
				keep = keep * 10 + (unsigned)(*p++ - '0');
			if (*p == 'r' || *p == 'R') {
				reverse = 1;
				p++;
			}
			while (*p != '}' && *p != '\0') {
				if (strchr(".-+,/_=", *p) == NULL || nd + 1 >= sizeof(delims))
					goto fail;
				delims[nd++] = *p++;
			}
			if (*p != '}')
				goto fail;
			p++;
			if (nd == 0)
				delims[0] = '.';
			if (macro_value(letter, domain, ip, sender, helo, &val) != 0)
				goto fail;
			if (val.p != NULL)
				macro_transform(val.p, delims, reverse, keep, &out);
			aa_buf_free(&val);
		}
	}
	free(defsender);
	res = aa_buf_take(&out);
	if (res == NULL)
		return NULL;
	n = strlen(res);
	while (n > 0 && res[n - 1] == '.')
		res[--n] = '\0';
	/* RFC 7208 7.3: drop labels from the left until it fits */
	while (n > 253) {
		char *dot = strchr(res, '.');
		if (dot == NULL)
			break;
		memmove(res, dot + 1, strlen(dot + 1) + 1);
		n = strlen(res);
	}
	if (n == 0 || n > 253) {
		free(res);
		return NULL;
	}
	return res;
fail:
	free(defsender);
	aa_buf_free(&val);
	aa_buf_free(&out);
	return NULL;
}

/* ---- the walk ---- */

/* The answer for (name, type), or NULL (and a `need`) while there is none. */
static const aa_rrset *
get(walker *w, const char *name, aa_rrtype type)
{
	const aa_rrset *rs = aa_recordset_get(w->in->rs, name, type);

	if (rs != NULL && rs->outcome != AA_OUT_PENDING)
		return rs;
	if (w->in->need != NULL && w->lookups <= AA_SPF_MAX_LOOKUPS + AA_SPF_MARGIN)
		w->in->need(w->in->need_arg, name, type);
	return NULL;
}

static int
is_void(const aa_rrset *rs)
{
	return rs->outcome == AA_OUT_NXDOMAIN || rs->outcome == AA_OUT_NODATA ||
	       (rs->outcome == AA_OUT_ANSWER && rs->nrr == 0);
}

static void
add_issue(walker *w, aa_spf_node *n, aa_spf_issue_kind kind, const char *term, const char *fmt,
          ...) __attribute__((format(printf, 5, 6)));

static void
add_issue(walker *w, aa_spf_node *n, aa_spf_issue_kind kind, const char *term, const char *fmt,
          ...)
{
	aa_spf_issue *is = realloc(n->issues, (n->nissues + 1) * sizeof(*is));
	va_list ap;

	if (is == NULL) {
		w->oom = 1;
		return;
	}
	n->issues = is;
	is = &n->issues[n->nissues++];
	is->kind = kind;
	is->term = strdup(term);
	is->detail = NULL;
	va_start(ap, fmt);
	if (vasprintf(&is->detail, fmt, ap) < 0)
		is->detail = NULL;
	va_end(ap);
	if (is->term == NULL || is->detail == NULL)
		w->oom = 1;
}

/* Judges a term's lookup: 1 void, -1 DNS error (issue added), 0 fine. */
static int
judge(walker *w, aa_spf_node *n, const char *term, const aa_rrset *rs)
{
	if (aa_outcome_is_error(rs->outcome)) {
		add_issue(w, n, AA_SPF_ISSUE_DNS, term, "%s %s: %s", rs->name, aa_rrtype_name(rs->type),
		          aa_outcome_name(rs->outcome));
		return -1;
	}
	if (is_void(rs)) {
		n->voids++;
		add_issue(w, n, AA_SPF_ISSUE_VOID, term, "%s %s: %s", rs->name, aa_rrtype_name(rs->type),
		          rs->outcome == AA_OUT_NXDOMAIN ? "NXDOMAIN (the name does not exist)"
		                                         : "NODATA (no records)");
		return 1;
	}
	return 0;
}

static int
ip_is_v6(const char *ip)
{
	return ip != NULL && strchr(ip, ':') != NULL;
}

/* Addresses of up to AA_SPF_MAX_NAMES hosts (MX or PTR names). */
static void
want_hosts(walker *w, const aa_rrset *rs)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nrr && n < AA_SPF_MAX_NAMES; i++) {
		const char *h = rs->rr[i].data;
		if (h[0] == '\0' || strcmp(h, ".") == 0)
			continue;
		n++;
		get(w, h, AA_T_A);
		get(w, h, AA_T_AAAA);
	}
}

static aa_spf_node *walk_domain(walker *w, const char *name, const char *term, aa_spf_via via);

static void
add_kid(walker *w, aa_spf_node *n, aa_spf_node *kid)
{
	aa_spf_node **k;

	if (kid == NULL) {
		w->oom = 1;
		return;
	}
	if ((k = realloc(n->kids, (n->nkids + 1) * sizeof(*k))) == NULL) {
		aa_spf_node_free(kid);
		w->oom = 1;
		return;
	}
	n->kids = k;
	n->kids[n->nkids++] = kid;
}

/* The domain a term names: its domain-spec expanded, or the current one. */
static char *
target_of(walker *w, const char *spec, size_t len, const char *cur)
{
	char *s, *t;

	if (spec == NULL || len == 0)
		return aa_name_canon(cur);
	if ((s = strndup(spec, len)) == NULL)
		return NULL;
	if (strchr(s, '%') != NULL) {
		t = aa_spf_expand(s, cur, w->in->ip, w->in->sender, w->in->helo);
		free(s);
		if (t == NULL)
			return NULL;
		s = t;
	}
	t = aa_name_canon(s);
	free(s);
	return t;
}

static int
mech_is(const char *m, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(m, name, len) == 0;
}

/* One term of node n's record. */
static void
walk_term(walker *w, aa_spf_node *n, const char *term, const char **redirect, size_t *redirect_len)
{
	const char *m = term, *arg = NULL;
	size_t mlen, alen = 0;
	char q = '+', *target = NULL;
	const aa_rrset *rs;

	if (strchr("+-~?", *m) != NULL && *m != '\0')
		q = *m++;
	mlen = strcspn(m, ":/=");
	if (m[mlen] == '=') {
		if (mech_is(m, mlen, "redirect")) {
			*redirect = m + mlen + 1;
			*redirect_len = strlen(*redirect);
		}
		return; /* exp= and unknown modifiers cost nothing here */
	}
	if (m[mlen] == ':') {
		arg = m + mlen + 1;
		alen = strcspn(arg, "/");
	}
	if (mech_is(m, mlen, "all")) {
		if (n->all == 0)
			n->all = q;
		return;
	}
	if (mech_is(m, mlen, "ip4") || mech_is(m, mlen, "ip6")) {
		const char *slash = strchr(m, '/');
		int v6 = mech_is(m, mlen, "ip6");
		long pfx = slash ? strtol(slash + 1, NULL, 10) : (v6 ? 128 : 32);
		if (arg == NULL)
			add_issue(w, n, AA_SPF_ISSUE_SYNTAX, term, "%s without an address", v6 ? "ip6" : "ip4");
		else if (q != '-' && q != '~' && ((!v6 && pfx < 16) || (v6 && pfx < 32)))
			add_issue(w, n, AA_SPF_ISSUE_BROAD, term, "/%ld authorises %s addresses", pfx,
			          v6 ? "a huge number of" : pfx <= 0 ? "all 4294967296" : "more than 65536");
		return;
	}
	if (!mech_is(m, mlen, "include") && !mech_is(m, mlen, "a") && !mech_is(m, mlen, "mx") &&
	    !mech_is(m, mlen, "ptr") && !mech_is(m, mlen, "exists")) {
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, term, "unknown mechanism");
		return;
	}
	/* a DNS-querying term */
	w->lookups++;
	if (mech_is(m, mlen, "include")) {
		if (arg == NULL) {
			add_issue(w, n, AA_SPF_ISSUE_SYNTAX, term, "include without a domain");
			return;
		}
		if ((target = target_of(w, arg, strlen(arg), n->name)) == NULL) {
			aa_spf_node *k = calloc(1, sizeof(*k));
			if (k != NULL) {
				k->name = strndup(arg, strlen(arg));
				k->term = strdup(term);
				k->via = AA_SPF_VIA_INCLUDE;
				k->state = AA_SPF_NODE_MACRO;
				k->cost = 1;
			}
			add_kid(w, n, k);
			return;
		}
		add_kid(w, n, walk_domain(w, target, term, AA_SPF_VIA_INCLUDE));
		free(target);
		return;
	}
	n->own++;
	if (mech_is(m, mlen, "ptr")) {
		add_issue(w, n, AA_SPF_ISSUE_PTR, term, "ptr needs a reverse lookup of every sender");
		if (w->in->ip != NULL && (target = aa_reverse_name(w->in->ip)) != NULL) {
			if ((rs = get(w, target, AA_T_PTR)) != NULL && rs->outcome == AA_OUT_ANSWER)
				want_hosts(w, rs);
			free(target);
		}
		return;
	}
	if (mech_is(m, mlen, "exists") && arg == NULL) {
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, term, "exists without a domain");
		return;
	}
	if ((target = target_of(w, arg, alen, n->name)) == NULL)
		return; /* a macro we may not expand without --ip */
	if (w->lookups > AA_SPF_MAX_LOOKUPS + AA_SPF_MARGIN) {
		free(target);
		return;
	}
	if (mech_is(m, mlen, "exists")) {
		if ((rs = get(w, target, AA_T_A)) != NULL)
			judge(w, n, term, rs);
	} else if (mech_is(m, mlen, "a")) {
		const aa_rrset *a4 = get(w, target, AA_T_A), *a6 = get(w, target, AA_T_AAAA);
		rs = ip_is_v6(w->in->ip) ? a6 : a4;
		if (rs != NULL)
			judge(w, n, term, rs);
	} else { /* mx */
		if ((rs = get(w, target, AA_T_MX)) != NULL && judge(w, n, term, rs) == 0) {
			if (rs->nrr > AA_SPF_MAX_NAMES)
				add_issue(w, n, AA_SPF_ISSUE_MX_MANY, term, "%s has %zu MX hosts (limit %d)",
				          rs->name, rs->nrr, AA_SPF_MAX_NAMES);
			want_hosts(w, rs);
		}
	}
	free(target);
}

static int
is_spf1(const aa_record *rec)
{
	return rec->len >= 6 && strncasecmp(rec->data, "v=spf1", 6) == 0 &&
	       (rec->len == 6 || rec->data[6] == ' ') && memchr(rec->data, '\0', rec->len) == NULL;
}

static void
walk_record(walker *w, aa_spf_node *n)
{
	char *copy = strdup(n->record), *save = NULL, *tok;
	const char *redirect = NULL;
	size_t redirect_len = 0, i;
	char *redir = NULL;

	if (copy == NULL) {
		w->oom = 1;
		return;
	}
	tok = strtok_r(copy, " ", &save); /* v=spf1 */
	while ((tok = strtok_r(NULL, " ", &save)) != NULL)
		walk_term(w, n, tok, &redirect, &redirect_len);
	if (redirect != NULL && n->all == 0) {
		n->has_redirect = 1;
		w->lookups++;
		if ((redir = target_of(w, redirect, redirect_len, n->name)) != NULL) {
			char *term = aa_printf("redirect=%.*s", (int)redirect_len, redirect);
			add_kid(w, n, walk_domain(w, redir, term ? term : "redirect", AA_SPF_VIA_REDIRECT));
			free(term);
			free(redir);
		}
	}
	free(copy);
	n->cost = (n->via != AA_SPF_VIA_ROOT ? 1 : 0) + n->own;
	for (i = 0; i < n->nkids; i++) {
		n->cost += n->kids[i]->cost;
		n->voids += n->kids[i]->voids;
	}
}

static aa_spf_node *
walk_domain(walker *w, const char *name, const char *term, aa_spf_via via)
{
	aa_spf_node *n = calloc(1, sizeof(*n));
	const aa_rrset *rs;
	size_t i;

	if (n == NULL)
		return NULL;
	n->name = strdup(name);
	n->term = term ? strdup(term) : NULL;
	n->via = via;
	n->cost = via != AA_SPF_VIA_ROOT ? 1 : 0;
	if (n->name == NULL || (term != NULL && n->term == NULL)) {
		aa_spf_node_free(n);
		return NULL;
	}
	for (i = 0; i < w->depth; i++)
		if (strcasecmp(w->path[i], name) == 0) {
			n->state = AA_SPF_NODE_LOOP;
			return n;
		}
	if (w->depth > AA_SPF_MAX_DEPTH || w->lookups > AA_SPF_MAX_LOOKUPS + AA_SPF_MARGIN) {
		n->state = AA_SPF_NODE_LIMIT;
		return n;
	}
	if ((rs = get(w, name, AA_T_TXT)) == NULL) {
		n->state = AA_SPF_NODE_PENDING;
		return n;
	}
	n->wire_len = rs->wire_len;
	if (aa_outcome_is_error(rs->outcome)) {
		n->state = AA_SPF_NODE_DNS_ERROR;
		n->state_detail = strdup(aa_outcome_name(rs->outcome));
		return n;
	}
	for (i = 0; i < rs->nrr; i++) {
		if (!is_spf1(&rs->rr[i]))
			continue;
		if (n->record == NULL) {
			n->record = strndup(rs->rr[i].data, rs->rr[i].len);
		} else if (n->second == NULL) {
			n->second = strndup(rs->rr[i].data, rs->rr[i].len);
			n->state = AA_SPF_NODE_MULTIPLE;
		}
	}
	if (n->record == NULL) {
		n->state = AA_SPF_NODE_NO_RECORD;
		n->state_detail = strdup(rs->outcome == AA_OUT_NXDOMAIN  ? "NXDOMAIN"
		                         : rs->outcome == AA_OUT_NODATA ? "NODATA (no TXT records)"
		                                                         : "no v=spf1 TXT record");
		return n;
	}
	w->path[w->depth++] = n->name;
	walk_record(w, n);
	w->depth--;
	return n;
}

aa_spf_node *
aa_spf_walk(const aa_spf_walk_in *in, unsigned *lookups, unsigned *voids)
{
	walker w;
	aa_spf_node *root;

	memset(&w, 0, sizeof(w));
	w.in = in;
	root = walk_domain(&w, in->domain, NULL, AA_SPF_VIA_ROOT);
	if (root != NULL && w.oom) {
		aa_spf_node_free(root);
		return NULL;
	}
	if (root != NULL) {
		*lookups = root->cost;
		*voids = root->voids;
	}
	return root;
}
