/*
 * check_dkim.c — DKIM: probe the built-in and --selector selectors (plan),
 * judge each key record (libopendkim for the tag grammar, OpenSSL for the
 * key itself) and leave aa_dkim_facts for SPF, DMARC and MX.
 */
#include "check/check.h"
#include "tables/m365.h"
#include "report/facts.h"
#include "tables/selectors.h"
#include "util/util.h"

#include <opendkim/dkim.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- key record parsing ------------------------------------------------ */

/*
 * The record handed to libopendkim's key lookup callback.  The callback
 * (dkim_set_key_lookup) gets no user pointer, and dkim_test_key() builds its
 * own DKIM handle and copies selector and domain, so dkim_set_user_context()
 * cannot reach it either.  The one way in is a pointer the callback can see:
 * a thread-local, set just around the synchronous dkim_test_key() call and
 * cleared after it.  Nothing else runs on the thread meanwhile, and other
 * threads have their own, so concurrent audits (and threaded callers) never
 * see each other's record; the callback also checks selector and domain.
 */
struct key_lookup {
	const char *selector, *domain;
	const char *record;
	size_t len;
};
static _Thread_local const struct key_lookup *current_lookup;

static DKIM_CBSTAT
key_from_recordset(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	const struct key_lookup *l = current_lookup;
	const char *sel = (const char *)dkim_sig_getselector(sig);
	const char *dom = (const char *)dkim_sig_getdomain(sig);

	(void)dkim;
	if (l == NULL || sel == NULL || dom == NULL || strcasecmp(sel, l->selector) != 0 ||
	    strcasecmp(dom, l->domain) != 0)
		return DKIM_CBSTAT_NOTFOUND;
	if (l->len >= buflen)
		return DKIM_CBSTAT_ERROR;
	memcpy(buf, l->record, l->len);
	buf[l->len] = '\0';
	return DKIM_CBSTAT_CONTINUE;
}

/* One tag=value of a tag list (RFC 6376 3.2), whitespace trimmed. */
typedef struct tag {
	const char *name, *value;
	size_t nlen, vlen;
} tag;

static int
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds tag `want`; returns 1 and fills *out when present. */
static int
find_tag(const char *rec, size_t len, const char *want, tag *out)
{
	const char *p = rec, *end = rec + len;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *eq, *te;
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq != NULL) {
			const char *ns = p, *ne = eq, *vs = eq + 1, *ve = semi;
			while (ns < ne && is_fws(*ns))
				ns++;
			while (ne > ns && is_fws(ne[-1]))
				ne--;
			while (vs < ve && is_fws(*vs))
				vs++;
			while (ve > vs && is_fws(ve[-1]))
				ve--;
			te = ns;
			if ((size_t)(ne - te) == strlen(want) && strncasecmp(te, want, (size_t)(ne - te)) == 0) {
				out->name = ns;
				out->nlen = (size_t)(ne - ns);
				out->value = vs;
				out->vlen = (size_t)(ve - vs);
				return 1;
			}
		}
		p = semi + 1;
	}
	return 0;
}

/* Does the colon-separated list `v` hold `item`? */
static int
list_has(const char *v, size_t vlen, const char *item)
{
	const char *p = v, *end = v + vlen;
	size_t n = strlen(item);

	while (p < end) {
		const char *c = memchr(p, ':', (size_t)(end - p)), *s = p, *e;
		if (c == NULL)
			c = end;
		e = c;
		while (s < e && is_fws(*s))
			s++;
		while (e > s && is_fws(e[-1]))
			e--;
		if ((size_t)(e - s) == n && strncasecmp(s, item, n) == 0)
			return 1;
		p = c + 1;
	}
	return 0;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 (whitespace allowed, '=' only at the end); the decoded
 * bytes in *out (caller frees), or -1. */
static long
b64_decode(const char *s, size_t len, unsigned char **out)
{
	unsigned char *o = malloc(len / 4 * 3 + 3);
	unsigned acc = 0;
	size_t i, n = 0, pad = 0, digits = 0;
	int bits = 0;

	if (o == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;
		if (is_fws((char)c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64val(c)) < 0) {
			free(o);
			return -1;
		}
		digits++;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || (digits + pad) % 4 != 0 || digits % 4 == 1) {
		free(o);
		return -1;
	}
	*out = o;
	return (long)n;
}

static void
set_error(aa_dkim_key *k, const char *msg)
{
	k->outcome = AA_DKIM_SYNTAX;
	free(k->error);
	k->error = strdup(msg);
}

/* Measures p= with OpenSSL: algorithm and bits. */
static void
measure_key(aa_dkim_key *k, const char *rec, size_t len)
{
	tag kt, pt;
	unsigned char *der = NULL;
	const unsigned char *dp;
	long n;
	int ed = 0;

	if (find_tag(rec, len, "k", &kt)) {
		if (kt.vlen == 7 && strncasecmp(kt.value, "ed25519", 7) == 0)
			ed = 1;
		else if (!(kt.vlen == 3 && strncasecmp(kt.value, "rsa", 3) == 0)) {
			set_error(k, "unknown key type k=");
			return;
		}
	}
	if (!find_tag(rec, len, "p", &pt)) {
		set_error(k, "no p= tag");
		return;
	}
	if ((n = b64_decode(pt.value, pt.vlen, &der)) < 0) {
		set_error(k, "p= is not valid base64");
		return;
	}
	if (ed) {
		k->alg = AA_DKIM_ALG_ED25519;
		if (n != 32)
			set_error(k, "an ed25519 key must be 32 bytes");
		else
			k->bits = 256;
	} else {
		EVP_PKEY *pk;
		dp = der;
		k->alg = AA_DKIM_ALG_RSA;
		pk = d2i_PUBKEY(NULL, &dp, n);
		if (pk == NULL || dp != der + n)
			set_error(k, "p= is not a DER SubjectPublicKeyInfo");
		else if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
			set_error(k, "k=rsa but p= holds a non-RSA key");
		else
			k->bits = (unsigned)EVP_PKEY_get_bits(pk);
		EVP_PKEY_free(pk);
	}
	free(der);
}

/* Is this TXT record meant as a DKIM key (rather than a wildcard SPF or
 * verification string that happens to live at the name)? */
static int
looks_like_key(const char *rec, size_t len)
{
	tag t;

	return find_tag(rec, len, "p", &t) ||
	       (find_tag(rec, len, "v", &t) && t.vlen >= 4 && strncasecmp(t.value, "DKIM", 4) == 0);
}

static void
judge_record(DKIM_LIB *lib, const char *sel, const char *domain, const char *rec, size_t len,
             aa_dkim_key *k)
{
	struct key_lookup l = {sel, domain, rec, len};
	char err[256] = "";
	tag t;
	int rc;

	k->outcome = AA_DKIM_KEY;
	if (find_tag(rec, len, "p", &t) && t.vlen == 0) {
		k->outcome = AA_DKIM_REVOKED;
		return;
	}
	if (find_tag(rec, len, "v", &t) && !(t.vlen == 5 && strncasecmp(t.value, "DKIM1", 5) == 0)) {
		set_error(k, "v= must be DKIM1");
		return;
	}
	if (memchr(rec, '\0', len) != NULL) {
		set_error(k, "the record holds a NUL byte");
		return;
	}
	if (lib != NULL && len < 1024) { /* libopendkim's key buffer is 1 KiB */
		current_lookup = &l;
		rc = dkim_test_key(lib, (char *)sel, (char *)domain, NULL, 0, NULL, err, sizeof(err));
		current_lookup = NULL;
		if (rc != 0) {
			if (strstr(err, "evoked") != NULL)
				k->outcome = AA_DKIM_REVOKED;
			else
				set_error(k, err[0] != '\0' ? err : "libopendkim rejects the record");
			return;
		}
	}
	measure_key(k, rec, len);
	if (k->outcome != AA_DKIM_KEY)
		return;
	if (find_tag(rec, len, "t", &t)) {
		if (list_has(t.value, t.vlen, "y"))
			k->flags |= AA_DKIM_F_TESTING;
		if (list_has(t.value, t.vlen, "s"))
			k->flags |= AA_DKIM_F_STRICT;
	}
	if (find_tag(rec, len, "h", &t) && !list_has(t.value, t.vlen, "sha256")) {
		if (list_has(t.value, t.vlen, "sha1"))
			k->flags |= AA_DKIM_F_SHA1_ONLY;
		else {
			set_error(k, "h= names no known hash");
			return;
		}
	}
	if (k->alg == AA_DKIM_ALG_RSA && k->bits < 1024)
		k->flags |= AA_DKIM_F_WEAK;
	else
		k->flags |= AA_DKIM_F_USABLE;
}

/* ---- check ------------------------------------------------------------- */

/* "v=DKIM1; k=rsa; p=MIIBIjANBg…IDAQAB": the key shortened for evidence. */
static char *
shorten_record(const char *rec, size_t len)
{
	aa_buf b = {0};
	tag p;

	if (find_tag(rec, len, "p", &p) && p.vlen > 24) {
		aa_buf_add(&b, rec, (size_t)(p.value - rec) + 12);
		aa_buf_puts(&b, "...");
		aa_buf_add(&b, p.value + p.vlen - 8, (size_t)(rec + len - (p.value + p.vlen - 8)));
	} else {
		aa_buf_add(&b, rec, len);
	}
	return aa_buf_take(&b);
}

static void
key_evidence(aa_report *r, aa_finding *f, const aa_dkim_key *k)
{
	char *shortrec = k->record != NULL ? shorten_record(k->record, strlen(k->record)) : NULL;

	if (k->cname != NULL)
		aa_finding_evidence(r, f, "selector %s: %s CNAME %s", k->selector, k->name, k->cname);
	if (shortrec != NULL)
		aa_finding_evidence(r, f, "selector %s: %s TXT \"%s\"", k->selector,
		                    k->cname != NULL ? k->cname : k->name, shortrec);
	if (k->outcome == AA_DKIM_KEY)
		aa_finding_evidence(r, f, "algorithm %s, %u bits%s%s%s", aa_dkim_alg_name(k->alg), k->bits,
		                    k->flags & AA_DKIM_F_TESTING ? ", t=y" : "",
		                    k->flags & AA_DKIM_F_STRICT ? ", t=s" : "",
		                    k->flags & AA_DKIM_F_SHA1_ONLY ? ", h=sha1" : "");
	if (k->error != NULL)
		aa_finding_evidence(r, f, "error: %s", k->error);
	free(shortrec);
}

static void
probe_selector(DKIM_LIB *lib, const aa_check_in *in, aa_dkim_key *k)
{
	const aa_rrset *rs = aa_recordset_get(in->rs, k->name, AA_T_TXT);
	size_t i;

	k->outcome = AA_DKIM_ABSENT;
	if (rs == NULL)
		return;
	if (rs->nchain > 0)
		k->cname = strdup(rs->chain[rs->nchain - 1]);
	if (aa_outcome_is_error(rs->outcome) || rs->outcome == AA_OUT_PENDING) {
		k->outcome = AA_DKIM_DNS_ERROR;
		return;
	}
	for (i = 0; rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++) {
		if (!looks_like_key(rs->rr[i].data, rs->rr[i].len))
			continue;
		k->record = strndup(rs->rr[i].data, rs->rr[i].len);
		judge_record(lib, k->selector, in->domain, rs->rr[i].data, rs->rr[i].len, k);
		return;
	}
	if (rs->nchain > 0)
		k->outcome = AA_DKIM_DANGLING;
}

static void
report_key(const aa_check_in *in, aa_report *r, const aa_dkim_key *k)
{
	aa_finding *f = NULL;
	const char *sel = k->selector;

	switch (k->outcome) {
	case AA_DKIM_REVOKED:
		f = aa_report_add(r, AA_F_DKIM_KEY_REVOKED, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Nothing to do if selector %s is retired on purpose; otherwise publish the "
		                   "current key: %s TXT \"v=DKIM1; k=rsa; p=<base64 public key>\".",
		                   sel, k->name);
		return;
	case AA_DKIM_SYNTAX:
		f = aa_report_add(r, AA_F_DKIM_KEY_SYNTAX, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Republish %s exactly as the signing service shows it: "
		                   "TXT \"v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>\" (no line breaks or "
		                   "quotes inside p=).",
		                   k->name);
		return;
	case AA_DKIM_DANGLING:
		f = aa_report_add(r, AA_F_DKIM_CNAME_DANGLING, "%s", k->name);
		aa_finding_evidence(r, f, "selector %s: %s CNAME %s, which has no TXT record", sel, k->name,
		                    k->cname);
		if (aa_m365_dkim_target(k->cname))
			aa_finding_set_fix(r, f,
			                   "Enable DKIM signing for %s in the Microsoft Defender portal (Email & "
			                   "collaboration > Policies > DKIM): Microsoft then publishes %s.",
			                   in->domain, k->cname);
		else
			aa_finding_set_fix(r, f,
			                   "Enable DKIM at the provider that owns %s, or point %s at the name the "
			                   "provider shows now, or delete the CNAME if the service is gone.",
			                   k->cname, k->name);
		return;
	case AA_DKIM_KEY:
		break;
	default:
		return;
	}
	if (k->flags & AA_DKIM_F_WEAK) {
		f = aa_report_add(r, AA_F_DKIM_KEY_WEAK, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Generate a 2048-bit RSA key at the signing service and publish it: %s TXT "
		                   "\"v=DKIM1; k=rsa; p=<new 2048-bit key>\"; receivers ignore signatures made "
		                   "with a %u-bit key (RFC 8301).",
		                   k->name, k->bits);
	} else if (k->alg == AA_DKIM_ALG_RSA && k->bits < 2048) {
		f = aa_report_add(r, AA_F_DKIM_KEY_1024, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Rotate to a 2048-bit RSA key: publish it under a new selector, switch signing "
		                   "to it, then retire %s.",
		                   k->name);
	}
	if (k->flags & AA_DKIM_F_TESTING) {
		f = aa_report_add(r, AA_F_DKIM_KEY_TESTING, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f, "Remove t=y from %s once signing works.", k->name);
	}
	if (k->flags & AA_DKIM_F_SHA1_ONLY) {
		f = aa_report_add(r, AA_F_DKIM_KEY_SHA1_ONLY, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Remove h=sha1 from %s (or write h=sha256) and sign with rsa-sha256.", k->name);
	}
}

/* The selectors to judge: those the plan probed, or (for a record set built
 * elsewhere) the built-in table plus --selector. */
static int
collect_selectors(const aa_check_in *in, const aa_report *r, aa_dkim_facts *f)
{
	size_t i, j, n = r->nselectors > 0 ? r->nselectors : aa_nselectors + in->opt->n_selectors;

	if ((f->keys = calloc(n > 0 ? n : 1, sizeof(*f->keys))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const char *sel;
		if (r->nselectors > 0)
			sel = r->selectors[i];
		else
			sel = i < aa_nselectors ? aa_selectors[i].name : in->opt->selectors[i - aa_nselectors];
		for (j = 0; j < f->nkeys; j++)
			if (strcasecmp(f->keys[j].selector, sel) == 0)
				break;
		if (j < f->nkeys)
			continue;
		f->keys[f->nkeys].selector = strdup(sel);
		f->keys[f->nkeys].name = aa_printf("%s._domainkey.%s", sel, in->domain);
		if (f->keys[f->nkeys++].name == NULL || f->keys[f->nkeys - 1].selector == NULL)
			return -1;
	}
	return 0;
}

void
aa_check_dkim(const aa_check_in *in, aa_report *r)
{
	aa_dkim_facts *f = calloc(1, sizeof(*f));
	DKIM_LIB *lib;
	aa_finding *none;
	size_t i, records = 0;

	if (f == NULL || collect_selectors(in, r, f) != 0) {
		aa_dkim_facts_free(f);
		r->oom = 1;
		return;
	}
	if ((lib = dkim_init(NULL, NULL)) != NULL)
		dkim_set_key_lookup(lib, key_from_recordset);
	for (i = 0; i < f->nkeys; i++) {
		aa_dkim_key *k = &f->keys[i];
		probe_selector(lib, in, k);
		if (k->outcome == AA_DKIM_DNS_ERROR)
			f->dns_errors++;
		if (k->outcome == AA_DKIM_KEY || k->outcome == AA_DKIM_REVOKED || k->outcome == AA_DKIM_SYNTAX)
			records++;
		if (k->flags & AA_DKIM_F_USABLE)
			f->usable++;
		if (aa_m365_selector(k->selector)) {
			if (aa_m365_dkim_target(k->cname))
				f->m365_cnames++;
			if (k->flags & AA_DKIM_F_USABLE)
				f->m365_published++;
		}
		report_key(in, r, k);
	}
	if (lib != NULL)
		dkim_close(lib);
	if (records == 0 && f->dns_errors == 0 && aa_domain_nxdomain(in) == NULL) {
		aa_buf b = {0};
		for (i = 0; i < f->nkeys; i++)
			aa_buf_printf(&b, "%s%s", i > 0 ? ", " : "", f->keys[i].selector);
		none = aa_report_add(r, AA_F_DKIM_NONE_FOUND, "%s", in->domain);
		aa_finding_evidence(r, none, "probed %zu selectors: %s", f->nkeys, b.p != NULL ? b.p : "");
		aa_finding_evidence(r, none,
		                    "selectors cannot be listed from DNS: a key under another selector is not "
		                    "ruled out (name it with --selector)");
		aa_buf_free(&b);
	}
	aa_report_set_facts(r, AA_AREA_DKIM, f, aa_dkim_facts_free);
}
