/*
 * spf_walk.c — the SPF closure of a domain, walked in evaluation order over
 * a record set.  The plan runs it after every answer (with a `need`
 * callback that wants what is missing), so all names of one tree level are
 * in flight at once; the check runs it once over the finished view and
 * reads the tree.  Lookups are counted as RFC 7208 4.6.4 counts them, and
 * the walk stops reaching further once the limits plus a margin are passed.
 */
#include "check/spf_walk.h"
#include "records/addr.h"
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
macro_value(char letter, const char *domain, const char *ip, const char *sender, const char *helo,
            aa_buf *out)
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
 * rightmost `keep` parts, join with dots.  -1 on OOM. */
static int
macro_transform(const char *val, const char *delims, int reverse, unsigned keep, aa_buf *out)
{
	const char **parts;
	size_t *lens, n = 1, i, first;
	const char *p;

	for (p = val; *p != '\0'; p++)
		if (strchr(delims, *p) != NULL)
			n++;
	parts = calloc(n, sizeof(*parts));
	lens = calloc(n, sizeof(*lens));
	if (parts == NULL || lens == NULL) {
		free(parts);
		free(lens);
		return -1;
	}
	for (i = 0, p = val; i < n; i++) {
		size_t w = strcspn(p, delims);
		parts[i] = p;
		lens[i] = w;
		p += w + (p[w] != '\0');
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
	free(parts);
	free(lens);
	return 0;
}

char *
aa_spf_expand(const char *spec, const char *domain, const char *ip, const char *sender, const char *helo)
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
			if (val.p != NULL && macro_transform(val.p, delims, reverse, keep, &out) != 0)
				goto fail;
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

/* ---- reading a record: the one place SPF terms are tokenised ---- */

static const struct {
	const char *name;
	aa_spf_mech mech;
} mech_names[] =
    {
        {"all", AA_SPF_M_ALL}, {"include", AA_SPF_M_INCLUDE}, {"a", AA_SPF_M_A},
        {"mx", AA_SPF_M_MX},   {"ptr", AA_SPF_M_PTR},         {"ip4", AA_SPF_M_IP4},
        {"ip6", AA_SPF_M_IP6}, {"exists", AA_SPF_M_EXISTS},
},
  modifier_names[] = {
      {"redirect", AA_SPF_M_REDIRECT},
      {"exp", AA_SPF_M_EXP},
};

static int
name_is(const char *m, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(m, name, len) == 0;
}

/* Where the domain-spec of an a/mx term ends: at the first '/' outside a
 * macro ("%{l/}" has a '/' of its own). */
static size_t
spec_len(const char *v, size_t len)
{
	size_t i;
	int in_macro = 0;

	for (i = 0; i < len; i++) {
		if (v[i] == '{' && i > 0 && v[i - 1] == '%')
			in_macro = 1;
		else if (v[i] == '}')
			in_macro = 0;
		else if (v[i] == '/' && !in_macro)
			break;
	}
	return i;
}

/* A prefix length of up to 3 digits at *p; -1 when there is none. */
static int
read_cidr(const char **p, const char *end)
{
	int v = 0, digits = 0;

	while (*p < end && isdigit((unsigned char)**p) && digits < 3) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits > 0 ? v : -1;
}

/* "/N" (ip4, a, mx: IPv4; ip6: IPv6) then, for a and mx, "//N" (IPv6). */
static void
read_cidrs(aa_spf_term *t, const char *p, const char *end)
{
	if (end - p >= 1 && p[0] == '/' && (end - p == 1 || p[1] != '/')) {
		p++;
		if (t->mech == AA_SPF_M_IP6)
			t->cidr6 = read_cidr(&p, end);
		else
			t->cidr4 = read_cidr(&p, end);
	}
	if ((t->mech == AA_SPF_M_A || t->mech == AA_SPF_M_MX) && end - p >= 2 && p[0] == '/' && p[1] == '/') {
		p += 2;
		t->cidr6 = read_cidr(&p, end);
	}
}

static void
read_term(aa_spf_term *t, const char *text, size_t len)
{
	const char *m = text, *end = text + len, *stop;
	size_t i, mlen;

	memset(t, 0, sizeof(*t));
	t->text = text;
	t->len = len;
	t->qual = '+';
	t->cidr4 = t->cidr6 = -1;
	t->mech = AA_SPF_M_UNKNOWN;
	if (m < end && (*m == '+' || *m == '-' || *m == '~' || *m == '?'))
		t->qual = *m++;
	for (stop = m; stop < end && *stop != ':' && *stop != '/' && *stop != '='; stop++)
		;
	mlen = (size_t)(stop - m);
	if (stop < end && *stop == '=') {
		t->mech = AA_SPF_M_OTHER_MODIFIER;
		for (i = 0; i < sizeof(modifier_names) / sizeof(modifier_names[0]); i++)
			if (name_is(m, mlen, modifier_names[i].name))
				t->mech = modifier_names[i].mech;
		if (end - stop > 1) {
			t->value = stop + 1;
			t->vlen = (size_t)(end - t->value);
		}
		return;
	}
	for (i = 0; i < sizeof(mech_names) / sizeof(mech_names[0]); i++)
		if (name_is(m, mlen, mech_names[i].name))
			t->mech = mech_names[i].mech;
	if (stop < end && *stop == ':') {
		const char *v = stop + 1, *slash;
		size_t vlen = (size_t)(end - v);

		if (t->mech == AA_SPF_M_IP4 || t->mech == AA_SPF_M_IP6) {
			if ((slash = memchr(v, '/', vlen)) != NULL)
				vlen = (size_t)(slash - v);
		} else if (t->mech == AA_SPF_M_A || t->mech == AA_SPF_M_MX) {
			vlen = spec_len(v, vlen);
		}
		if (vlen > 0) {
			t->value = v;
			t->vlen = vlen;
		}
		stop = v + vlen;
	}
	read_cidrs(t, stop, end);
}

int
aa_spf_is_v1(const char *text, size_t len)
{
	return len >= 6 && strncasecmp(text, "v=spf1", 6) == 0 && (len == 6 || text[6] == ' ') &&
	       memchr(text, '\0', len) == NULL;
}

int
aa_spf_parse(const char *text, size_t len, aa_spf_term **terms, size_t *nterms)
{
	const char *p = text, *end = text + len;
	aa_spf_term *arr = NULL, *grown;
	size_t n = 0, cap = 0;

	*terms = NULL;
	*nterms = 0;
	if (len >= 6 && strncasecmp(text, "v=spf1", 6) == 0)
		p += 6;
	while (p < end) {
		const char *start;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		for (start = p; p < end && *p != ' '; p++)
			;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(arr, cap * sizeof(*arr))) == NULL) {
				free(arr);
				return -1;
			}
			arr = grown;
		}
		read_term(&arr[n++], start, (size_t)(p - start));
	}
	*terms = arr;
	*nterms = n;
	return 0;
}

const aa_spf_term *
aa_spf_twice(const aa_spf_term *terms, size_t nterms)
{
	size_t i, redirects = 0, exps = 0;

	for (i = 0; i < nterms; i++)
		if ((terms[i].mech == AA_SPF_M_REDIRECT && ++redirects == 2) ||
		    (terms[i].mech == AA_SPF_M_EXP && ++exps == 2))
			return &terms[i];
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

static void add_issue(walker *w, aa_spf_node *n, aa_spf_issue_kind kind, const aa_spf_term *t,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_issue(walker *w, aa_spf_node *n, aa_spf_issue_kind kind, const aa_spf_term *t, const char *fmt, ...)
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
	is->term = strndup(t->text, t->len);
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
judge(walker *w, aa_spf_node *n, const aa_spf_term *t, const aa_rrset *rs)
{
	if (aa_outcome_is_error(rs->outcome)) {
		add_issue(w, n, AA_SPF_ISSUE_DNS, t, "%s %s: %s", rs->name, aa_rrtype_name(rs->type),
		          aa_outcome_name(rs->outcome));
		return -1;
	}
	if (is_void(rs)) {
		n->voids++;
		add_issue(w, n, AA_SPF_ISSUE_VOID, t, "%s %s: %s", rs->name, aa_rrtype_name(rs->type),
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

/* Adds kid to n's children; returns it, or NULL (kid freed) on OOM. */
static aa_spf_node *
add_kid(walker *w, aa_spf_node *n, aa_spf_node *kid)
{
	aa_spf_node **k;

	if (kid == NULL) {
		w->oom = 1;
		return NULL;
	}
	if ((k = realloc(n->kids, (n->nkids + 1) * sizeof(*k))) == NULL) {
		aa_spf_node_free(kid);
		w->oom = 1;
		return NULL;
	}
	n->kids = k;
	n->kids[n->nkids++] = kid;
	return kid;
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

/* An include whose target needs a macro we may not expand: a leaf. */
static aa_spf_node *
macro_leaf(const aa_spf_term *t, const char *term)
{
	aa_spf_node *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	k->name = strndup(t->value, t->vlen);
	k->term = strdup(term);
	k->via = AA_SPF_VIA_INCLUDE;
	k->state = AA_SPF_NODE_MACRO;
	k->cost = 1;
	if (k->name == NULL || k->term == NULL) {
		aa_spf_node_free(k);
		return NULL;
	}
	return k;
}

static void
walk_include(walker *w, aa_spf_node *n, aa_spf_term *t)
{
	char *term, *target;

	if (t->value == NULL) {
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, t, "include without a domain");
		return;
	}
	if ((term = strndup(t->text, t->len)) == NULL) {
		w->oom = 1;
		return;
	}
	if ((target = target_of(w, t->value, t->vlen, n->name)) == NULL)
		t->kid = add_kid(w, n, macro_leaf(t, term));
	else
		t->kid = add_kid(w, n, walk_domain(w, target, term, AA_SPF_VIA_INCLUDE));
	free(target);
	free(term);
}

static void
walk_ip(walker *w, aa_spf_node *n, const aa_spf_term *t)
{
	int v6 = t->mech == AA_SPF_M_IP6;
	int pfx = v6 ? t->cidr6 : t->cidr4;

	if (pfx < 0)
		pfx = v6 ? 128 : 32;
	if (t->value == NULL)
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, t, "%s without an address", v6 ? "ip6" : "ip4");
	else if (t->qual != '-' && t->qual != '~' && ((!v6 && pfx < 16) || (v6 && pfx < 32)))
		add_issue(w, n, AA_SPF_ISSUE_BROAD, t, "/%d authorises %s addresses", pfx,
		          v6         ? "a huge number of"
		          : pfx <= 0 ? "all 4294967296"
		                     : "more than 65536");
}

/* One term of node n's record. */
static void
walk_term(walker *w, aa_spf_node *n, aa_spf_term *t)
{
	char *target = NULL;
	const aa_rrset *rs;

	switch (t->mech) {
	case AA_SPF_M_ALL:
	case AA_SPF_M_REDIRECT: /* walk_record */
	case AA_SPF_M_EXP:
	case AA_SPF_M_OTHER_MODIFIER:
		return; /* exp= and unknown modifiers cost nothing here */
	case AA_SPF_M_IP4:
	case AA_SPF_M_IP6:
		walk_ip(w, n, t);
		return;
	case AA_SPF_M_UNKNOWN:
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, t, "unknown mechanism");
		return;
	case AA_SPF_M_INCLUDE:
		w->lookups++;
		walk_include(w, n, t);
		return;
	default:
		break;
	}
	/* a, mx, ptr, exists: DNS-querying terms of this record */
	w->lookups++;
	n->own++;
	if (t->mech == AA_SPF_M_PTR) {
		add_issue(w, n, AA_SPF_ISSUE_PTR, t, "ptr needs a reverse lookup of every sender");
		if (w->in->ip != NULL && (target = aa_reverse_name(w->in->ip)) != NULL) {
			if ((rs = get(w, target, AA_T_PTR)) != NULL && rs->outcome == AA_OUT_ANSWER)
				want_hosts(w, rs);
			free(target);
		}
		return;
	}
	if (t->mech == AA_SPF_M_EXISTS && t->value == NULL) {
		add_issue(w, n, AA_SPF_ISSUE_SYNTAX, t, "exists without a domain");
		return;
	}
	if ((target = target_of(w, t->value, t->vlen, n->name)) == NULL)
		return; /* a macro we may not expand without --ip */
	if (w->lookups > AA_SPF_MAX_LOOKUPS + AA_SPF_MARGIN) {
		free(target);
		return;
	}
	if (t->mech == AA_SPF_M_EXISTS) {
		if ((rs = get(w, target, AA_T_A)) != NULL)
			judge(w, n, t, rs);
	} else if (t->mech == AA_SPF_M_A) {
		const aa_rrset *a4 = get(w, target, AA_T_A), *a6 = get(w, target, AA_T_AAAA);
		rs = ip_is_v6(w->in->ip) ? a6 : a4;
		if (rs != NULL)
			judge(w, n, t, rs);
	} else { /* mx */
		if ((rs = get(w, target, AA_T_MX)) != NULL && judge(w, n, t, rs) == 0) {
			if (rs->nrr > AA_SPF_MAX_NAMES)
				add_issue(w, n, AA_SPF_ISSUE_MX_MANY, t, "%s has %zu MX hosts (limit %d)",
				          rs->name, rs->nrr, AA_SPF_MAX_NAMES);
			want_hosts(w, rs);
		}
	}
	free(target);
}

static void
walk_redirect(walker *w, aa_spf_node *n, aa_spf_term *t)
{
	char *term, *target;

	w->lookups++;
	if ((target = target_of(w, t->value, t->vlen, n->name)) == NULL)
		return;
	if ((term = strndup(t->text, t->len)) == NULL) {
		free(target);
		w->oom = 1;
		return;
	}
	t->kid = add_kid(w, n, walk_domain(w, target, term, AA_SPF_VIA_REDIRECT));
	free(term);
	free(target);
}

static void
walk_record(walker *w, aa_spf_node *n)
{
	const aa_spf_term *twice;
	aa_spf_term *redirect = NULL;
	size_t i;

	if (aa_spf_parse(n->record, strlen(n->record), &n->terms, &n->nterms) != 0) {
		w->oom = 1;
		return;
	}
	if ((twice = aa_spf_twice(n->terms, n->nterms)) != NULL)
		add_issue(w, n, AA_SPF_ISSUE_TWICE, twice,
		          "%s= given twice: the record is a permerror (RFC 7208 6)",
		          twice->mech == AA_SPF_M_REDIRECT ? "redirect" : "exp");
	for (i = 0; i < n->nterms; i++) {
		if (n->terms[i].mech == AA_SPF_M_ALL && n->all == 0)
			n->all = n->terms[i].qual;
		if (n->terms[i].mech == AA_SPF_M_REDIRECT && redirect == NULL)
			redirect = &n->terms[i];
	}
	for (i = 0; i < n->nterms; i++)
		walk_term(w, n, &n->terms[i]);
	/* RFC 7208 6.1: redirect= is ignored when the record has an all
	 * mechanism anywhere.  A record with two redirect= is a permerror:
	 * nothing is followed (has_redirect still says its all is not ours). */
	if (redirect != NULL && n->all == 0) {
		n->has_redirect = 1;
		if (twice == NULL)
			walk_redirect(w, n, redirect);
	}
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
		if (!aa_spf_is_v1(rs->rr[i].data, rs->rr[i].len))
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
		n->state_detail = strdup(rs->outcome == AA_OUT_NXDOMAIN ? "NXDOMAIN"
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

/* The sender check_host() uses: --envelope-from when it is at the audited
 * domain, else NULL (postmaster@domain). */
const char *
aa_spf_sender(const aa_options *opt, const char *domain)
{
	const char *at;

	if (opt == NULL || opt->envelope_from == NULL || (at = strrchr(opt->envelope_from, '@')) == NULL)
		return NULL;
	return strcasecmp(at + 1, domain) == 0 ? opt->envelope_from : NULL;
}
