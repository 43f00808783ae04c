/*
 * dkim.c — DKIM: derive, then judge.  The derive step reads the key
 * record at each probed selector (the built-in and --selector selectors,
 * plan) with libopendkim for the tag grammar and OpenSSL for the key itself,
 * into aa_dkim_facts, which SPF, DMARC and MX rules read too; the judge turns
 * those facts into DKIM_* findings.
 */
#include "check/check.h"
#include "report/facts.h"
#include "tables/m365.h"
#include "tables/selectors.h"
#include "util/taglist.h"
#include "util/util.h"

#include <opendkim/dkim.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 8301 3.2: verifiers MUST check RSA keys of 1024 to 4096 bits; past
 * that, whether a receiver verifies the signature is up to it. */
#define AA_DKIM_MAX_RSA_BITS 4096
/* The longest p= this check decodes (base64 characters). */
#define AA_DKIM_MAX_P 16384
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
	/* the record as published, then as libopendkim would read it when
	 * that does not fit its buffer (see fit_for_libopendkim) */
	const char *forms[3];
	size_t lens[3];
};
static _Thread_local const struct key_lookup *current_lookup;

static DKIM_CBSTAT
key_from_recordset(DKIM *dkim, DKIM_SIGINFO *sig, u_char *buf, size_t buflen)
{
	const struct key_lookup *l = current_lookup;
	const char *sel = (const char *)dkim_sig_getselector(sig);
	const char *dom = (const char *)dkim_sig_getdomain(sig);
	size_t i;

	(void)dkim;
	if (l == NULL || sel == NULL || dom == NULL || strcasecmp(sel, l->selector) != 0 ||
	    strcasecmp(dom, l->domain) != 0)
		return DKIM_CBSTAT_NOTFOUND;
	/* the first form that fits (libopendkim 2.11 offers 1025 bytes) */
	for (i = 0; i < sizeof(l->forms) / sizeof(l->forms[0]) && l->forms[i] != NULL; i++)
		if (l->lens[i] < buflen) {
			memcpy(buf, l->forms[i], l->lens[i]);
			buf[l->lens[i]] = '\0';
			return DKIM_CBSTAT_CONTINUE;
		}
	return DKIM_CBSTAT_ERROR;
}

/*
 * libopendkim reads a key record into a fixed buffer (BUFRSZ + 1 = 1025
 * bytes in 2.11) and gives up on a longer one.  A long record is legal (an
 * RSA-4096 key is 736 base64 bytes; notes or unknown tags add more), so it
 * gets two more forms: (1) only the tags libopendkim reads (RFC 6376 3.6.1:
 * v g h k p s t, in their order) with FWS removed from the values; (2) the
 * same with p= replaced by a 1024-bit stand-in key, so that libopendkim
 * still judges the other tags of a key too long for it (an RSA key of 6000
 * bits or more), while measure_key() judges p= itself with OpenSSL.
 */
static const char stand_in_key[] =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCrranybRhRR1rlt7H5QF/g2wdfr33rrSY4kROvw1kEr+jjZox7tqBu"
    "CPsie4k0kIlB2++XZt3VySpuSQeNlLv6sJFPnNipC854D3GN++WdLr29mzWRHSgh7TgcaJZhYVYQUYFrg9dzYm3EPN+h"
    "KhcS89gE5WxcSRDnB7M/DaRj1QIDAQAB";

static char *
libopendkim_form(const aa_taglist *tl, int stand_in, size_t *len)
{
	static const char *const known[] = {"v", "g", "h", "k", "p", "s", "t"};
	aa_buf b = {0};
	size_t i, j, k;
	char *out;

	for (i = 0; i < tl->n; i++) {
		const aa_tag *t = &tl->tags[i];
		for (j = 0; j < sizeof(known) / sizeof(known[0]); j++)
			if (aa_tag_name_eq(t, known[j]))
				break;
		if (j == sizeof(known) / sizeof(known[0]) || t->value == NULL)
			continue;
		aa_buf_printf(&b, "%s%s=", b.len > 0 ? "; " : "", known[j]);
		if (stand_in && known[j][0] == 'p' && t->vlen > 0) {
			aa_buf_puts(&b, stand_in_key);
			continue;
		}
		for (k = 0; k < t->vlen; k++)
			if (!aa_tag_is_fws(t->value[k]))
				aa_buf_add(&b, t->value + k, 1);
	}
	*len = b.len;
	out = aa_buf_take(&b);
	return out;
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
		if (aa_tag_is_fws((char)c))
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

/* One element of a parsed SEQUENCE, with its type checked. */
static const ASN1_TYPE *
seq_item(const STACK_OF(ASN1_TYPE) * seq, int i, int type)
{
	const ASN1_TYPE *t = sk_ASN1_TYPE_value(seq, i);

	return t != NULL && ASN1_TYPE_get(t) == type ? t : NULL;
}

/* The DER of a SEQUENCE as a list of its elements, only if it spans all
 * len bytes, has n elements (or n_alt), and encodes back to the very same
 * bytes (the parser also takes BER and odd tags; the fast path takes
 * nothing but DER and leaves the rest to d2i_PUBKEY). */
static STACK_OF(ASN1_TYPE) * seq_parse(const unsigned char *der, long len, int n, int n_alt)
{
	const unsigned char *p = der;
	STACK_OF(ASN1_TYPE) *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
	unsigned char *again = NULL;
	int ok = seq != NULL && p == der + len &&
	         (sk_ASN1_TYPE_num(seq) == n || sk_ASN1_TYPE_num(seq) == n_alt) &&
	         i2d_ASN1_SEQUENCE_ANY(seq, &again) == len && memcmp(again, der, (size_t)len) == 0;

	OPENSSL_free(again);
	if (ok)
		return seq;
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return NULL;
}

/*
 * The size of an RSA key in the plain SubjectPublicKeyInfo form
 * (rsaEncryption, NULL or no parameters, a positive modulus and exponent
 * filling the BIT STRING exactly), read with OpenSSL's generic ASN.1
 * parser; 0 for anything else, which d2i_PUBKEY() then judges.  Why not
 * d2i_PUBKEY() for every key: in OpenSSL 3 it sets up a provider decoder
 * per call, a tenth of a whole batch audit's CPU.  The fast form is a
 * strict subset of what d2i_PUBKEY() accepts and gives the same size
 * (BN_num_bits of the modulus), so a verdict never depends on the path.
 */
static unsigned
rsa_spki_bits(const unsigned char *der, long len)
{
	STACK_OF(ASN1_TYPE) * spki, *alg = NULL, *rsa = NULL;
	const ASN1_TYPE *t, *key;
	const ASN1_BIT_STRING *bs;
	BIGNUM *bn = NULL;
	unsigned bits = 0, nbits = 0;
	int i;

	if ((spki = seq_parse(der, len, 2, 2)) == NULL)
		return 0;
	if ((t = seq_item(spki, 0, V_ASN1_SEQUENCE)) == NULL ||
	    (key = seq_item(spki, 1, V_ASN1_BIT_STRING)) == NULL)
		goto out;
	if ((alg = seq_parse(t->value.sequence->data, t->value.sequence->length, 1, 2)) == NULL ||
	    (t = seq_item(alg, 0, V_ASN1_OBJECT)) == NULL ||
	    OBJ_obj2nid(t->value.object) != NID_rsaEncryption ||
	    (sk_ASN1_TYPE_num(alg) == 2 && seq_item(alg, 1, V_ASN1_NULL) == NULL))
		goto out;
	bs = key->value.bit_string;
	if ((bs->flags & ASN1_STRING_FLAG_BITS_LEFT) != 0 && (bs->flags & 0x07) != 0)
		goto out; /* not a whole number of bytes */
	if ((rsa = seq_parse(bs->data, bs->length, 2, 2)) == NULL)
		goto out;
	for (i = 0; i < 2; i++) {
		/* a negative INTEGER is V_ASN1_INTEGER here, V_ASN1_NEG_INTEGER inside */
		if ((t = seq_item(rsa, i, V_ASN1_INTEGER)) == NULL ||
		    t->value.integer->type != V_ASN1_INTEGER ||
		    (bn = ASN1_INTEGER_to_BN(t->value.integer, bn)) == NULL || BN_is_zero(bn))
			goto out;
		if (i == 0)
			nbits = (unsigned)BN_num_bits(bn);
	}
	bits = nbits;
out:
	BN_free(bn);
	sk_ASN1_TYPE_pop_free(rsa, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(alg, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(spki, ASN1_TYPE_free);
	return bits;
}

/* Measures p= with OpenSSL: algorithm and bits. */
static void
measure_key(aa_dkim_key *k, const aa_taglist *tl)
{
	const aa_tag *kt = aa_taglist_find(tl, "k"), *pt = aa_taglist_find(tl, "p");
	unsigned char *der = NULL;
	const unsigned char *dp;
	long n;
	int ed = 0;

	if (kt != NULL) {
		if (aa_tag_value_is(kt, "ed25519"))
			ed = 1;
		else if (!aa_tag_value_is(kt, "rsa")) {
			set_error(k, "unknown key type k=");
			return;
		}
	}
	if (pt == NULL) {
		set_error(k, "no p= tag");
		return;
	}
	/* a bound on the work a hostile record can ask for: 16 KiB of base64
	 * is a key of some 96,000 bits, far past what any verifier checks */
	if (pt->vlen > AA_DKIM_MAX_P) {
		set_error(k, "p= is longer than 16384 characters: no verifier checks such a key");
		return;
	}
	if ((n = b64_decode(pt->value, pt->vlen, &der)) < 0) {
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
		k->alg = AA_DKIM_ALG_RSA;
		if ((k->bits = rsa_spki_bits(der, n)) == 0) {
			dp = der;
			pk = d2i_PUBKEY(NULL, &dp, n);
			if (pk == NULL || dp != der + n)
				set_error(k, "p= is not a DER SubjectPublicKeyInfo");
			else if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
				set_error(k, "k=rsa but p= holds a non-RSA key");
			else
				k->bits = (unsigned)EVP_PKEY_get_bits(pk);
			EVP_PKEY_free(pk);
		}
	}
	free(der);
}

/* Is this TXT record meant as a DKIM key (rather than a wildcard SPF or
 * verification string that happens to live at the name)? */
static int
looks_like_key(const aa_taglist *tl)
{
	const aa_tag *v = aa_taglist_find(tl, "v");

	return aa_taglist_find(tl, "p") != NULL ||
	       (v != NULL && v->vlen >= 4 && strncasecmp(v->value, "DKIM", 4) == 0);
}

/* libopendkim's verdict, as a verifier would read the record. */
static aa_status
libopendkim_verdict(DKIM_LIB *lib, const char *sel, const char *domain, const char *rec, size_t len,
                    const aa_taglist *tl, aa_dkim_key *k)
{
	struct key_lookup l = {sel, domain, {rec, NULL, NULL}, {len, 0, 0}};
	char *compact, *stand_in = NULL, err[256] = "";
	int rc;

	if ((compact = libopendkim_form(tl, 0, &l.lens[1])) == NULL ||
	    (stand_in = libopendkim_form(tl, 1, &l.lens[2])) == NULL) {
		free(compact);
		return AA_ENOMEM;
	}
	l.forms[1] = compact;
	l.forms[2] = stand_in;
	current_lookup = &l;
	rc = dkim_test_key(lib, (char *)sel, (char *)domain, NULL, 0, NULL, err, sizeof(err));
	current_lookup = NULL;
	free(compact);
	free(stand_in);
	if (rc != 0) {
		if (strstr(err, "evoked") != NULL)
			k->outcome = AA_DKIM_REVOKED;
		else
			set_error(k, err[0] != '\0' ? err : "libopendkim rejects the record");
	}
	return AA_OK;
}

static aa_status
read_key(DKIM_LIB *lib, const char *sel, const char *domain, const char *rec, size_t len,
         const aa_taglist *tl, aa_dkim_key *k)
{
	const aa_tag *t;

	k->outcome = AA_DKIM_KEY;
	if ((t = aa_taglist_find(tl, "p")) != NULL && t->vlen == 0) {
		k->outcome = AA_DKIM_REVOKED;
		return AA_OK;
	}
	if ((t = aa_taglist_find(tl, "v")) != NULL && !aa_tag_value_is(t, "DKIM1")) {
		set_error(k, "v= must be DKIM1");
		return AA_OK;
	}
	/* RFC 6376 3.6.1: v= "MUST be the first tag in the record".  libopendkim
	 * 2.11 accepts it anywhere; the RFC wins for the finding.  The RFC
	 * discards only records whose v= has another value, so the key itself
	 * is still judged (and may count as usable). */
	if (t != NULL && t->pos != 0 && (k->v_not_first = strndup(t->raw, t->rawlen)) == NULL)
		return AA_ENOMEM;
	if (memchr(rec, '\0', len) != NULL) {
		set_error(k, "the record holds a NUL byte");
		return AA_OK;
	}
	if (lib != NULL) {
		if (libopendkim_verdict(lib, sel, domain, rec, len, tl, k) != AA_OK)
			return AA_ENOMEM;
		if (k->outcome != AA_DKIM_KEY)
			return AA_OK;
	}
	measure_key(k, tl);
	if (k->outcome != AA_DKIM_KEY)
		return AA_OK;
	if ((t = aa_taglist_find(tl, "t")) != NULL) {
		if (aa_tag_list_has(t->value, t->vlen, ':', "y"))
			k->flags |= AA_DKIM_F_TESTING;
		if (aa_tag_list_has(t->value, t->vlen, ':', "s"))
			k->flags |= AA_DKIM_F_STRICT;
	}
	if ((t = aa_taglist_find(tl, "h")) != NULL && !aa_tag_list_has(t->value, t->vlen, ':', "sha256")) {
		if (aa_tag_list_has(t->value, t->vlen, ':', "sha1"))
			k->flags |= AA_DKIM_F_SHA1_ONLY;
		else {
			set_error(k, "h= names no known hash");
			return AA_OK;
		}
	}
	if (k->alg == AA_DKIM_ALG_RSA && k->bits < 1024)
		k->flags |= AA_DKIM_F_WEAK;
	else if (k->alg == AA_DKIM_ALG_RSA && k->bits > AA_DKIM_MAX_RSA_BITS)
		k->flags |= AA_DKIM_F_TOO_LARGE; /* not counted as usable: receivers may refuse it */
	else
		k->flags |= AA_DKIM_F_USABLE;
	return AA_OK;
}

/* ---- evidence and probing -------------------------------------------------- */

/* "v=DKIM1; k=rsa; p=MIIBIjANBg…IDAQAB": the key shortened for evidence. */
static char *
shorten_record(const char *rec, size_t len)
{
	aa_buf b = {0};
	aa_taglist tl;
	const aa_tag *p;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return NULL;
	if ((p = aa_taglist_find(&tl, "p")) != NULL && p->vlen > 24) {
		aa_buf_add(&b, rec, (size_t)(p->value - rec) + 12);
		aa_buf_puts(&b, "...");
		aa_buf_add(&b, p->value + p->vlen - 8, (size_t)(rec + len - (p->value + p->vlen - 8)));
	} else {
		aa_buf_add(&b, rec, len);
	}
	aa_taglist_free(&tl);
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

static aa_status
probe_selector(DKIM_LIB *lib, const aa_check_in *in, aa_dkim_key *k)
{
	const aa_rrset *rs = aa_recordset_get(in->rs, k->name, AA_T_TXT);
	const aa_record *first = NULL;
	aa_taglist tl;
	aa_status st;
	size_t i;

	k->outcome = AA_DKIM_ABSENT;
	if (rs == NULL)
		return AA_OK;
	if (rs->nchain > 0 && (k->cname = strdup(rs->chain[rs->nchain - 1])) == NULL)
		return AA_ENOMEM;
	if (aa_outcome_is_error(rs->outcome) || rs->outcome == AA_OUT_PENDING) {
		k->outcome = AA_DKIM_DNS_ERROR;
		return AA_OK;
	}
	/* Every record meant as a key is kept (RFC 6376 3.6.2.2: several make
	 * the result undefined); the first is the one judged. */
	for (i = 0; rs->outcome == AA_OUT_ANSWER && i < rs->nrr; i++) {
		const aa_record *rr = &rs->rr[i];
		int key;
		if (aa_taglist_parse(rr->data, rr->len, &tl) != AA_OK)
			return AA_ENOMEM;
		key = looks_like_key(&tl);
		aa_taglist_free(&tl);
		if (!key)
			continue;
		if (first == NULL)
			first = rr;
		if (aa_strv_take(&k->keyrecords, &k->nkeyrecords, strndup(rr->data, rr->len)) != AA_OK)
			return AA_ENOMEM;
	}
	if (first == NULL) {
		if (rs->nchain > 0)
			k->outcome = AA_DKIM_DANGLING;
		return AA_OK;
	}
	if ((k->record = strndup(first->data, first->len)) == NULL ||
	    aa_taglist_parse(first->data, first->len, &tl) != AA_OK)
		return AA_ENOMEM;
	st = read_key(lib, k->selector, in->domain, first->data, first->len, &tl, k);
	aa_taglist_free(&tl);
	return st;
}

/* The findings on the records at the selector rather than on the key:
 * several key records, v= not first. */
static void
report_records(aa_report *r, const aa_dkim_key *k)
{
	aa_finding *f;
	size_t i;

	if (k->nkeyrecords > 1) {
		f = aa_report_add(r, AA_F_DKIM_KEY_MULTIPLE, "%s", k->name);
		aa_finding_evidence(r, f, "selector %s: %zu key records at %s", k->selector, k->nkeyrecords,
		                    k->cname != NULL ? k->cname : k->name);
		for (i = 0; i < k->nkeyrecords; i++) {
			char *shortrec = shorten_record(k->keyrecords[i], strlen(k->keyrecords[i]));
			aa_finding_evidence(r, f, "TXT \"%s\"",
			                    shortrec != NULL ? shortrec : k->keyrecords[i]);
			free(shortrec);
		}
		aa_finding_set_fix(r, f,
		                   "Delete every TXT record at %s but the key the signing service uses "
		                   "now; to rotate, publish the new key under a new selector instead.",
		                   k->cname != NULL ? k->cname : k->name);
	}
	if (k->v_not_first != NULL && k->outcome != AA_DKIM_SYNTAX) {
		f = aa_report_add(r, AA_F_DKIM_KEY_SYNTAX, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_evidence(r, f,
		                    "%s is not the first tag: RFC 6376 3.6.1 says v= MUST be the first tag "
		                    "of the record",
		                    k->v_not_first);
		aa_finding_set_fix(r, f, "Move v=DKIM1 to the front of the record at %s: \"v=DKIM1; ...\".",
		                   k->cname != NULL ? k->cname : k->name);
	}
}

static void
report_key(const aa_check_in *in, aa_report *r, const aa_dkim_key *k)
{
	aa_finding *f = NULL;
	const char *sel = k->selector;

	report_records(r, k);

	switch (k->outcome) {
	case AA_DKIM_REVOKED:
		f = aa_report_add(r, AA_F_DKIM_KEY_REVOKED, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Nothing to do if selector %s is retired on purpose; otherwise publish "
		                   "the current key: %s TXT \"v=DKIM1; k=rsa; p=<base64 public key>\".",
		                   sel, k->name);
		return;
	case AA_DKIM_SYNTAX:
		f = aa_report_add(r, AA_F_DKIM_KEY_SYNTAX, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Republish %s exactly as the signing service shows it: "
		                   "TXT \"v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>\" (no line breaks "
		                   "or quotes inside p=).",
		                   k->name);
		return;
	case AA_DKIM_DANGLING:
		f = aa_report_add(r, AA_F_DKIM_CNAME_DANGLING, "%s", k->name);
		aa_finding_evidence(r, f, "selector %s: %s CNAME %s, which has no TXT record", sel, k->name,
		                    k->cname);
		if (aa_m365_dkim_target(k->cname))
			aa_finding_set_fix(r, f,
			                   "Enable DKIM signing for %s in the Microsoft Defender portal "
			                   "(Email & collaboration > Policies > DKIM): Microsoft then "
			                   "publishes %s.",
			                   in->domain, k->cname);
		else
			aa_finding_set_fix(r, f,
			                   "Enable DKIM at the provider that owns %s, or point %s at the "
			                   "name the provider shows now, or delete the CNAME if the service "
			                   "is gone.",
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
		aa_finding_set_fix(
		    r, f,
		    "Generate a 2048-bit RSA key at the signing service and publish it: %s TXT "
		    "\"v=DKIM1; k=rsa; p=<new 2048-bit key>\"; receivers ignore signatures made "
		    "with a %u-bit key (RFC 8301).",
		    k->name, k->bits);
	} else if (k->flags & AA_DKIM_F_TOO_LARGE) {
		f = aa_report_add(r, AA_F_DKIM_KEY_TOO_LARGE, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Publish a 2048-bit RSA key (or an ed25519 key beside an RSA one) under a "
		                   "new selector, switch signing to it, then retire %s: verifiers must check "
		                   "keys of 1024 to 4096 bits and may refuse a %u-bit one (RFC 8301).",
		                   k->name, k->bits);
	} else if (k->alg == AA_DKIM_ALG_RSA && k->bits < 2048) {
		f = aa_report_add(r, AA_F_DKIM_KEY_1024, "%s", k->name);
		key_evidence(r, f, k);
		aa_finding_set_fix(r, f,
		                   "Rotate to a 2048-bit RSA key: publish it under a new selector, switch "
		                   "signing to it, then retire %s.",
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
		                   "Remove h=sha1 from %s (or write h=sha256) and sign with rsa-sha256.",
		                   k->name);
	}
}

/* ---- derive: the facts --------------------------------------------------- */

/* The selectors to probe: those the plan probed (`probed`), or (for a record
 * set built elsewhere) the built-in table plus --selector. */
static aa_status
collect_selectors(const aa_check_in *in, char *const *probed, size_t nprobed, aa_dkim_facts *f)
{
	size_t i, j, n = nprobed > 0 ? nprobed : aa_nselectors + in->opt->n_selectors;

	if ((f->keys = calloc(n > 0 ? n : 1, sizeof(*f->keys))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < n; i++) {
		const char *sel;
		if (nprobed > 0)
			sel = probed[i];
		else
			sel =
			    i < aa_nselectors ? aa_selectors[i].name : in->opt->selectors[i - aa_nselectors];
		for (j = 0; j < f->nkeys; j++)
			if (strcasecmp(f->keys[j].selector, sel) == 0)
				break;
		if (j < f->nkeys)
			continue;
		f->keys[f->nkeys].selector = strdup(sel);
		f->keys[f->nkeys].name = aa_concat(sel, "._domainkey.", in->domain, (char *)NULL);
		if (f->keys[f->nkeys++].name == NULL || f->keys[f->nkeys - 1].selector == NULL)
			return AA_ENOMEM;
	}
	return AA_OK;
}

/* Adds one probed key to the counts the other areas read. */
static void
count_key(aa_dkim_facts *f, const aa_dkim_key *k)
{
	if (k->outcome == AA_DKIM_DNS_ERROR)
		f->dns_errors++;
	if (k->outcome == AA_DKIM_KEY || k->outcome == AA_DKIM_REVOKED || k->outcome == AA_DKIM_SYNTAX)
		f->records++;
	if (k->flags & AA_DKIM_F_USABLE)
		f->usable++;
	if (aa_m365_selector(k->selector)) {
		if (aa_m365_dkim_target(k->cname))
			f->m365_cnames++;
		if (k->flags & AA_DKIM_F_USABLE)
			f->m365_published++;
	}
}

/* One libopendkim handle per thread, made at its first audit and closed
 * when the thread ends: dkim_init() allocates some kilobytes of tables,
 * and a batch audits thousands of domains a second.  The handle holds no
 * state of one audit (the key lookup reads current_lookup, per thread). */
static pthread_key_t lib_key;
static int lib_key_ok;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void
lib_close(void *lib)
{
	dkim_close(lib);
}

static void
lib_key_make(void)
{
	lib_key_ok = pthread_key_create(&lib_key, lib_close) == 0;
}

/* This thread's handle; NULL when it cannot be made (the key is then
 * judged by OpenSSL alone). *own is set when the caller must close it. */
static DKIM_LIB *
thread_lib(int *own)
{
	DKIM_LIB *lib;

	*own = 0;
	(void)pthread_once(&lib_once, lib_key_make);
	if (lib_key_ok && (lib = pthread_getspecific(lib_key)) != NULL)
		return lib;
	if ((lib = dkim_init(NULL, NULL)) == NULL)
		return NULL;
	dkim_set_key_lookup(lib, key_from_recordset);
	if (!lib_key_ok || pthread_setspecific(lib_key, lib) != 0)
		*own = 1;
	return lib;
}

/* Probes every selector with this thread's libopendkim handle. */
static aa_status
probe_all(const aa_check_in *in, aa_dkim_facts *f)
{
	int own;
	DKIM_LIB *lib = thread_lib(&own);
	aa_status st = AA_OK;
	size_t i;

	for (i = 0; i < f->nkeys && st == AA_OK; i++) {
		st = probe_selector(lib, in, &f->keys[i]);
		count_key(f, &f->keys[i]);
	}
	if (own)
		dkim_close(lib);
	return st;
}

/* The DKIM facts: one entry per selector with its outcome, algorithm, size
 * and flags, and the counts SPF, DMARC and MX rules read.  The selectors
 * the plan probed are passed in because they live in the report, which a
 * derive step does not read. */
static aa_dkim_facts *
dkim_derive(const aa_check_in *in, char *const *probed, size_t nprobed)
{
	aa_dkim_facts *f = calloc(1, sizeof(*f));

	if (f == NULL || collect_selectors(in, probed, nprobed, f) != AA_OK || probe_all(in, f) != AA_OK) {
		aa_dkim_facts_free(f);
		return NULL;
	}
	f->domain_nxdomain = aa_domain_nxdomain(in) != NULL;
	return f;
}

/* ---- judge: the findings -------------------------------------------------- */

/* No key record at any probed selector, and nothing left open: say so,
 * and that a selector we did not guess may still hold one. */
static void
none_found(const aa_check_in *in, const aa_dkim_facts *f, aa_report *r)
{
	aa_finding *none;
	aa_buf b = {0};
	size_t i;

	if (f->records > 0 || f->dns_errors > 0 || f->domain_nxdomain)
		return; /* DOMAIN_NXDOMAIN says it all when the domain is gone */
	for (i = 0; i < f->nkeys; i++)
		aa_buf_printf(&b, "%s%s", i > 0 ? ", " : "", f->keys[i].selector);
	none = aa_report_add(r, AA_F_DKIM_NONE_FOUND, "%s", in->domain);
	aa_finding_evidence(r, none, "probed %zu selectors: %s", f->nkeys, b.p != NULL ? b.p : "");
	if (f->probe_note != NULL)
		aa_finding_evidence(r, none, "%s", f->probe_note);
	aa_finding_evidence(r, none,
	                    "selectors cannot be listed from DNS: a key under another selector is not "
	                    "ruled out (name it with --selector)");
	aa_buf_free(&b);
}

static void
dkim_judge(const aa_check_in *in, const aa_dkim_facts *f, aa_report *r)
{
	size_t i;

	for (i = 0; i < f->nkeys; i++)
		report_key(in, r, &f->keys[i]);
	none_found(in, f, r);
}

void
aa_check_dkim(const aa_check_in *in, aa_report *r)
{
	aa_dkim_facts *f = dkim_derive(in, r->selectors, r->nselectors);

	if (f == NULL || (r->dkim_note != NULL && (f->probe_note = strdup(r->dkim_note)) == NULL)) {
		aa_dkim_facts_free(f);
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_DKIM, f, aa_dkim_facts_free);
	dkim_judge(in, f, r);
}
