/*
 * DKIM: the pure check on in-memory record sets, and whole audits against
 * knotd serving fixtures/zones/dkim-*.test.zone.
 */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "engine/audit.h"
#include "harness.h"
#include "report/facts.h"
#include "report/report.h"
#include "suite.h"
#include "tables/m365.h"
#include "tables/selectors.h"
#include "util/util.h"

static harness H;

/* ---- in-memory helpers ----------------------------------------------- */

static aa_recordset *
rset(void)
{
	aa_recordset *s = aa_recordset_new();
	ck_assert_ptr_nonnull(s);
	return s;
}

static aa_rrset *
put(aa_recordset *s, const char *name, aa_outcome out, const char *txt, const char *cname)
{
	aa_rrset *rs = aa_rrset_new(name, AA_T_TXT);

	ck_assert_ptr_nonnull(rs);
	rs->outcome = out;
	if (cname != NULL)
		ck_assert_int_eq(aa_rrset_add_chain(rs, cname), 0);
	if (txt != NULL)
		ck_assert_int_eq(aa_rrset_add(rs, txt, strlen(txt)), 0);
	ck_assert_int_eq(aa_recordset_put(s, rs), 0);
	aa_rrset_unref(rs);
	return rs;
}

static aa_report *
run_check(aa_recordset *s, const char *domain, const char *const *sels, size_t nsels)
{
	aa_options opt;
	aa_check_in in;
	aa_report *r = aa_report_new(domain);

	aa_options_init(&opt);
	opt.selectors = sels;
	opt.n_selectors = nsels;
	in.domain = domain;
	in.rs = s;
	in.opt = &opt;
	ck_assert_ptr_nonnull(r);
	aa_check_dkim(&in, r);
	return r;
}

static const aa_dkim_facts *
facts(const aa_report *r)
{
	const aa_dkim_facts *f = aa_report_facts(r, AA_AREA_DKIM);
	ck_assert_ptr_nonnull(f);
	return f;
}

/* ---- unit tests -------------------------------------------------------- */

START_TEST(revoked_key_is_reported_as_revoked_not_as_missing)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "s1._domainkey.ex.test", AA_OUT_ANSWER, "v=DKIM1; k=rsa; p=", NULL);
	r = run_check(s, "ex.test", NULL, 0);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_KEY_REVOKED));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	ck_assert_uint_eq(facts(r)->usable, 0);
	ck_assert_int_eq(aa_dkim_find(facts(r), "s1")->outcome, AA_DKIM_REVOKED);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(garbage_key_record_is_a_syntax_error_naming_the_problem)
{
	aa_recordset *s = rset();
	aa_report *r;
	const aa_finding *f;

	put(s, "dkim._domainkey.ex.test", AA_OUT_ANSWER, "v=DKIM1; k=rsa; p=MIIB", NULL);
	r = run_check(s, "ex.test", NULL, 0);
	f = aa_report_find(r, AA_F_DKIM_KEY_SYNTAX);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "SubjectPublicKeyInfo"));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(unknown_key_type_is_a_syntax_error)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "dkim._domainkey.ex.test", AA_OUT_ANSWER, "v=DKIM1; k=dsa; p=MIIB", NULL);
	r = run_check(s, "ex.test", NULL, 0);
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX), "dsa"));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(wrong_version_is_a_syntax_error)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "dkim._domainkey.ex.test", AA_OUT_ANSWER, "v=DKIM2; p=MIIB", NULL);
	r = run_check(s, "ex.test", NULL, 0);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(ed25519_key_must_be_32_bytes)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "a._domainkey.ex.test", AA_OUT_ANSWER, "v=DKIM1; k=ed25519; p=AAAA", NULL);
	r = run_check(s, "ex.test", (const char *const[]){"a"}, 1);
	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX), "32 bytes"));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(no_key_anywhere_names_every_probed_selector)
{
	aa_recordset *s = rset();
	aa_report *r;
	const aa_finding *f;

	r = run_check(s, "ex.test", (const char *const[]){"mine"}, 1);
	f = aa_report_find(r, AA_F_DKIM_NONE_FOUND);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "selector1"));
	ck_assert(suite_has_evidence(f, "s2048"));
	ck_assert(suite_has_evidence(f, "mine"));
	ck_assert(suite_has_evidence(f, "not ruled out"));
	ck_assert_uint_eq(facts(r)->nkeys, aa_nselectors + 1);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(dns_failure_at_a_selector_is_not_reported_as_no_key)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "selector1._domainkey.ex.test", AA_OUT_SERVFAIL, NULL, NULL);
	r = run_check(s, "ex.test", NULL, 0);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	ck_assert_uint_eq(facts(r)->dns_errors, 1);
	ck_assert_uint_eq(facts(r)->usable, 0);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(cname_to_nowhere_is_dangling)
{
	aa_recordset *s = rset();
	aa_report *r;
	const aa_finding *f;

	put(s, "selector1._domainkey.ex.test", AA_OUT_NXDOMAIN, NULL,
	    "selector1-ex-test._domainkey.contoso.onmicrosoft.com");
	r = run_check(s, "ex.test", NULL, 0);
	f = aa_report_find(r, AA_F_DKIM_CNAME_DANGLING);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "contoso.onmicrosoft.com"));
	ck_assert_ptr_nonnull(strstr(f->fix, "Defender"));
	ck_assert_uint_eq(facts(r)->m365_cnames, 1);
	ck_assert_uint_eq(facts(r)->m365_published, 0);
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

START_TEST(microsoft_365_selector_cnames_are_recognised)
{
	ck_assert(aa_m365_dkim_target("selector1-x._domainkey.contoso.onmicrosoft.com"));
	ck_assert(aa_m365_dkim_target("selector2-x._domainkey.Contoso.OnMicrosoft.com."));
	ck_assert(!aa_m365_dkim_target("selector1._domainkey.evilonmicrosoft.com"));
	ck_assert(!aa_m365_dkim_target("selector1._domainkey.onmicrosoft.com.evil.test"));
	ck_assert(!aa_m365_dkim_target(NULL));
}
END_TEST

START_TEST(a_wildcard_spf_record_at_a_selector_is_not_a_key)
{
	aa_recordset *s = rset();
	aa_report *r;

	put(s, "google._domainkey.ex.test", AA_OUT_ANSWER, "v=spf1 -all", NULL);
	r = run_check(s, "ex.test", NULL, 0);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX));
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	aa_report_free(r);
	aa_recordset_free(s);
}
END_TEST

/* ---- end to end -------------------------------------------------------- */

static aa_report *
audit(const char *domain, const char *const *sels, size_t nsels)
{
	aa_options opt;

	aa_options_init(&opt);
	opt.timeout_ms = 1000;
	opt.tries = 1;
	opt.selectors = sels;
	opt.n_selectors = nsels;
	return suite_audit(&H, domain, &opt);
}

START_TEST(rsa_2048_key_raises_nothing_and_counts_as_usable)
{
	aa_report *r = audit("dkim-rsa2048.test", NULL, 0);
	const aa_dkim_key *k = aa_dkim_find(facts(r), "default");

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->outcome, AA_DKIM_KEY);
	ck_assert_int_eq(k->alg, AA_DKIM_ALG_RSA);
	ck_assert_uint_eq(k->bits, 2048);
	ck_assert_uint_eq(facts(r)->usable, 1);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_1024));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_WEAK));
	ck_assert_uint_eq(r->nselectors, aa_nselectors);
	aa_report_free(r);
}
END_TEST

START_TEST(rsa_1024_key_is_reported_with_its_size)
{
	aa_report *r = audit("dkim-rsa1024.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_KEY_1024);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "1024 bits"));
	ck_assert(suite_has_evidence(f, "s1._domainkey.dkim-rsa1024.test"));
	ck_assert_uint_eq(facts(r)->usable, 1);
	aa_report_free(r);
}
END_TEST

START_TEST(rsa_512_key_is_weak_and_not_usable)
{
	aa_report *r = audit("dkim-rsa512.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_KEY_WEAK);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_CRITICAL);
	ck_assert(suite_has_evidence(f, "512 bits"));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_1024));
	ck_assert_uint_eq(facts(r)->usable, 0);
	aa_report_free(r);
}
END_TEST

START_TEST(ed25519_key_is_measured_as_ed25519)
{
	aa_report *r = audit("dkim-ed25519.test", NULL, 0);
	const aa_dkim_key *k = aa_dkim_find(facts(r), "dkim");

	ck_assert_int_eq(k->outcome, AA_DKIM_KEY);
	ck_assert_int_eq(k->alg, AA_DKIM_ALG_ED25519);
	ck_assert_uint_eq(k->bits, 256);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_WEAK));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(testing_flag_is_reported)
{
	aa_report *r = audit("dkim-testing.test", NULL, 0);

	ck_assert(suite_has_evidence(aa_report_find(r, AA_F_DKIM_KEY_TESTING), "t=y"));
	ck_assert(aa_dkim_find(facts(r), "mail")->flags & AA_DKIM_F_TESTING);
	aa_report_free(r);
}
END_TEST

START_TEST(sha1_only_key_is_reported)
{
	aa_report *r = audit("dkim-sha1.test", NULL, 0);

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_KEY_SHA1_ONLY));
	aa_report_free(r);
}
END_TEST

START_TEST(two_key_records_at_one_selector_are_key_multiple)
{
	aa_report *r = audit("dkim-multiple.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_KEY_MULTIPLE);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, AA_SEV_HIGH);
	ck_assert(suite_has_evidence(f, "2 key records"));
	ck_assert(suite_has_evidence(f, "MIGfMA0G"));
	ck_assert_uint_eq(aa_dkim_find(facts(r), "default")->nkeyrecords, 2);
	aa_report_free(r);
}
END_TEST

START_TEST(v_tag_not_first_is_a_syntax_finding)
{
	aa_report *r = audit("dkim-v-not-first.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_KEY_SYNTAX);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "first tag"));
	aa_report_free(r);
	r = audit("dkim-rsa2048.test", NULL, 0);
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX));
	aa_report_free(r);
}
END_TEST

START_TEST(empty_p_is_revoked)
{
	aa_report *r = audit("dkim-revoked.test", NULL, 0);

	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_KEY_REVOKED));
	ck_assert_uint_eq(facts(r)->usable, 0);
	aa_report_free(r);
}
END_TEST

START_TEST(bad_base64_is_a_syntax_error)
{
	aa_report *r = audit("dkim-badbase64.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_KEY_SYNTAX);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "default._domainkey.dkim-badbase64.test"));
	aa_report_free(r);
}
END_TEST

START_TEST(domain_without_keys_gets_none_found_listing_selectors)
{
	aa_report *r = audit("dkim-none.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_NONE_FOUND);

	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "selector1, selector2, google"));
	aa_report_free(r);
}
END_TEST

START_TEST(custom_selector_option_finds_the_key)
{
	const char *sel[] = {"mykey2024"};
	aa_report *r = audit("dkim-none.test", sel, 1);

	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	ck_assert_uint_eq(facts(r)->usable, 1);
	ck_assert_uint_eq(r->nselectors, aa_nselectors + 1);
	ck_assert_ptr_nonnull(aa_dkim_find(facts(r), "mykey2024"));
	aa_report_free(r);
}
END_TEST

START_TEST(m365_style_cnamed_selectors_are_followed)
{
	aa_report *r = audit("dkim-m365.test", NULL, 0);
	const aa_dkim_key *s1 = aa_dkim_find(facts(r), "selector1");
	const aa_dkim_key *s2 = aa_dkim_find(facts(r), "selector2");

	ck_assert_int_eq(s1->outcome, AA_DKIM_KEY);
	ck_assert_str_eq(s1->cname, "selector1-dkim-m365-test._domainkey.tenant.onmicrosoft.test");
	ck_assert_uint_eq(s1->bits, 2048);
	ck_assert_uint_eq(s2->bits, 1024);
	ck_assert_uint_eq(facts(r)->usable, 2);
	ck_assert(
	    suite_has_evidence(aa_report_find(r, AA_F_DKIM_KEY_1024), "CNAME selector2-dkim-m365-test"));
	aa_report_free(r);
}
END_TEST

START_TEST(cname_to_a_missing_target_is_dangling)
{
	aa_report *r = audit("dkim-dangling.test", NULL, 0);
	const aa_finding *f = aa_report_find(r, AA_F_DKIM_CNAME_DANGLING);

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->subject, "selector1._domainkey.dkim-dangling.test");
	ck_assert(suite_has_evidence(f, "selector1-dkim-dangling-test._domainkey.tenant.onmicrosoft.test"));
	ck_assert_int_eq(aa_dkim_find(facts(r), "selector2")->outcome, AA_DKIM_KEY);
	aa_report_free(r);
}
END_TEST

START_TEST(servfail_at_every_selector_is_not_verified_instead_of_none)
{
	aa_report *r = audit("dkim-servfail.test", NULL, 0);

	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_NONE_FOUND));
	ck_assert_uint_eq(facts(r)->dns_errors, aa_nselectors);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DNS_INCOMPLETE));
	aa_report_free(r);
}
END_TEST

START_TEST(selectors_are_asked_once_each_and_concurrently)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("dkim-rsa2048.test", (const char *const[]){"default", "extra"}, 2);
	ck_assert_int_eq(harness_query_count(&H, "default._domainkey.dkim-rsa2048.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "extra._domainkey.dkim-rsa2048.test", "TXT"), 1);
	ck_assert_uint_eq(r->nselectors, aa_nselectors + 1);
	aa_report_free(r);
}
END_TEST

/* ---- fewer probes where _domainkey does not exist (RFC 8020) ------------- */

START_TEST(no_domainkey_means_only_the_guard_selectors_are_asked)
{
	aa_report *r;
	const aa_finding *f;

	harness_reset_log(&H);
	r = audit("dkim-absent.test", NULL, 0);
	ck_assert_int_eq(harness_query_count(&H, "_domainkey.dkim-absent.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "selector1._domainkey.dkim-absent.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "google._domainkey.dkim-absent.test", "TXT"), 1);
	ck_assert_int_eq(harness_query_count(&H, "k1._domainkey.dkim-absent.test", "TXT"), 0);
	ck_assert_int_eq(harness_query_count(&H, "s2048._domainkey.dkim-absent.test", "TXT"), 0);
	ck_assert_uint_eq(r->nselectors, 3);
	f = aa_report_find(r, AA_F_DKIM_NONE_FOUND);
	ck_assert_ptr_nonnull(f);
	ck_assert(suite_has_evidence(f, "RFC 8020"));
	aa_report_free(r);
}
END_TEST

START_TEST(a_server_breaking_rfc_8020_gets_every_selector_probed)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("dkim-8020broken.test", NULL, 0);
	ck_assert_uint_eq(r->nselectors, aa_nselectors);
	ck_assert_int_eq(harness_query_count(&H, "k1._domainkey.dkim-8020broken.test", "TXT"), 1);
	ck_assert_ptr_nonnull(facts(r)->probe_note);
	ck_assert(strstr(facts(r)->probe_note, "breaks RFC 8020") != NULL);
	ck_assert_uint_eq(facts(r)->usable, 1);
	aa_report_free(r);
}
END_TEST

START_TEST(an_existing_domainkey_gets_every_selector_probed)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("dkim-rsa2048.test", NULL, 0);
	ck_assert_uint_eq(r->nselectors, aa_nselectors);
	ck_assert_int_eq(harness_query_count(&H, "k1._domainkey.dkim-rsa2048.test", "TXT"), 1);
	ck_assert_ptr_null(facts(r)->probe_note);
	aa_report_free(r);
}
END_TEST

/* ---- the key's size, against OpenSSL's own decoder ---------------------- */

static const char rsa1024[] =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDm7diUwZb+PKXB/FFI7osrBI7eIyxAWu5vIGXYeVXeWrMfm6NOl9"
    "/KxjOdbYFpbZiRwMLmfkaYSz0m8W/PS/7V/1cBS6QhKnyaf7Qmpylm4RYvmw4Exbn/G4G8bFAbRClkqoNK/wJ5jlwNWG"
    "ZEAZnR1Ap0/O+mCh5Cx6GJGSwASQIDAQAB";

/* What d2i_PUBKEY() makes of der: the RSA key's bits, 0 for no RSA key. */
static unsigned
reference_bits(const unsigned char *der, long n)
{
	const unsigned char *p = der;
	EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, n);
	unsigned bits = 0;

	if (pk != NULL && p == der + n && EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA)
		bits = (unsigned)EVP_PKEY_get_bits(pk);
	EVP_PKEY_free(pk);
	return bits;
}

/* The verdict on p=der matches d2i_PUBKEY()'s: the same size for a key, an
 * error naming the DER for no key.  Returns 1 if the key was measured. */
static int
same_verdict_as_openssl(const unsigned char *der, long n)
{
	unsigned char b64[1024];
	unsigned ref = reference_bits(der, n);
	aa_recordset *s = rset();
	const aa_dkim_key *k;
	aa_report *r;
	char rec[1100];
	int measured;

	ck_assert_int_lt(n, 700);
	EVP_EncodeBlock(b64, der, (int)n);
	snprintf(rec, sizeof(rec), "v=DKIM1; k=rsa; p=%s", (const char *)b64);
	put(s, "m._domainkey.ex.test", AA_OUT_ANSWER, rec, NULL);
	r = run_check(s, "ex.test", (const char *const[]){"m"}, 1);
	k = aa_dkim_find(facts(r), "m");
	ck_assert_ptr_nonnull(k);
	measured = k->outcome == AA_DKIM_KEY;
	if (measured)
		ck_assert_msg(ref != 0 && k->bits == ref, "measured %u bits where OpenSSL says %u", k->bits,
		              ref);
	else if (ref == 0 && k->error != NULL && strstr(k->error, "libopendkim") == NULL)
		ck_assert_msg(strstr(k->error, "SubjectPublicKeyInfo") != NULL ||
		                  strstr(k->error, "non-RSA") != NULL || k->outcome == AA_DKIM_SYNTAX,
		              "%s", k->error);
	else if (ref != 0)
		/* only libopendkim's own reading of the tags may refuse a key OpenSSL reads */
		ck_assert_msg(k->error == NULL || (strstr(k->error, "SubjectPublicKeyInfo") == NULL &&
		                                   strstr(k->error, "non-RSA") == NULL),
		              "refused a key OpenSSL reads as %u bits: %s", ref, k->error);
	aa_report_free(r);
	aa_recordset_free(s);
	return measured;
}

/* Every one-bit change of a 1024-bit key gets the verdict OpenSSL's own
 * decoder gives (the key size is read on a faster path for the plain form
 * and must never differ from d2i_PUBKEY). */
START_TEST(every_bit_flip_of_a_key_gets_openssls_verdict)
{
	unsigned char der[200], m[200];
	int n = EVP_DecodeBlock(der, (const unsigned char *)rsa1024, (int)strlen(rsa1024)), i, bit,
	    measured = 0;

	ck_assert_int_eq(n, 162); /* EVP_DecodeBlock keeps no padding here */
	ck_assert_int_eq(reference_bits(der, n), 1024);
	ck_assert(same_verdict_as_openssl(der, n));
	for (i = 0; i < n; i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, der, (size_t)n);
			m[i] ^= (unsigned char)(1u << bit);
			measured += same_verdict_as_openssl(m, n);
		}
	/* flips in the modulus keep a key; flips in the structure do not */
	ck_assert_int_gt(measured, 900);
	ck_assert_int_lt(measured, 8 * n);
}
END_TEST

/* The forms around the plain one: no NULL parameters, bytes after the
 * RSAPublicKey inside the BIT STRING, a negative modulus, an EC key. */
START_TEST(key_forms_around_the_plain_one_get_openssls_verdict)
{
	unsigned char der[200], v[220];
	int n = EVP_DecodeBlock(der, (const unsigned char *)rsa1024, (int)strlen(rsa1024));
	/* an EC P-256 key (k=rsa with a non-RSA key) */
	static const char ec[] =
	    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWBlu8KsU6s4KFRHNSq6PmrmHUmeWB8Hkv6DqI1PC5UPk"
	    "1t4+jiZx2v3C6oGK0qmVJU9yqXhqpwnvHNoFoATKCA==";
	unsigned char e[120];
	int en;

	/* 30 81 9f | 30 0d 06 09 <rsaEncryption> 05 00 | 03 81 8d 00 <RSAPublicKey> */
	ck_assert_int_eq(der[3], 0x30);
	ck_assert_int_eq(der[16], 0x05);
	/* without the NULL: outer 0x9d, AlgorithmIdentifier 0x0b */
	memcpy(v, der, 16);
	v[2] = 0x9d;
	v[4] = 0x0b;
	memcpy(v + 16, der + 18, (size_t)n - 18);
	ck_assert_uint_eq(reference_bits(v, n - 2), 1024);
	ck_assert(same_verdict_as_openssl(v, n - 2));
	/* one byte more inside the BIT STRING and the outer SEQUENCE */
	memcpy(v, der, (size_t)n);
	v[2] = 0xa0;
	ck_assert_int_eq(v[20], 0x8d);
	v[20] = 0x8e;
	v[n] = 0x00;
	(void)same_verdict_as_openssl(v, n + 1);
	/* the modulus made negative (its leading 00 becomes ff) */
	memcpy(v, der, (size_t)n);
	ck_assert_int_eq(v[28], 0x00);
	v[28] = 0xff;
	(void)same_verdict_as_openssl(v, n);
	/* an EC key under k=rsa */
	en = EVP_DecodeBlock(e, (const unsigned char *)ec, (int)strlen(ec)) - 2; /* '==' padding */
	ck_assert_int_eq(reference_bits(e, en), 0);
	ck_assert(!same_verdict_as_openssl(e, en));
}
END_TEST

/* ---- long key records (libopendkim's 1 KiB key buffer) ------------------ */

/* An RSA-8192 key: 1416 base64 bytes, more than libopendkim reads. */
static const char rsa8192[] =
    "MIIEIjANBgkqhkiG9w0BAQEFAAOCBA8AMIIECgKCBAEAyAUnsptUN5il5VB4pUPfT7DNHNnjCOSHM5PYxf3lopxs"
    "72RUoUX5b4POXT2LBdveuOvwTz72BVThY7cjqE4koLprR11CIPqfosmnrabGN874DYGEjLdJdB3S23/em97wbYhF"
    "wPID5AzqSjAfykMJmZAaWvIzolmmX91cdJ+WXyfkAMeXm9xQeTndqJRjYwNMCffuzYkb0t9w8B6wo27qkzvGGG5G"
    "Phph8wr0yVFDGNz3F/A2xHjJjIcXF/a5kn2sB6jMlHliwpS8UyJn9pfqdhbiTAs9IBpS1tOXvByjacTlsvXUTE9Y"
    "iSfYzBCMLy2GJIlEjOY24dPSIDmUwkOGzV/cPH8rKSHUj+LNrW66S5mWuuEYaRvQ7QaPqxN/ZFmwrIL5tOsZdfRJ"
    "z3mcsajycRy4N6W64E1WWIWGa2c/VYM2Bot6zL/pssQh17yEmwDZnmXPShK0gurbV0mlcxvJ6/fT3OZfZ4GXvJWn"
    "U7Efh+MOd/uYDcy+DiOWR3UNmcFF2n4mHjFXXNqQyNTiM3xAAAiAxH4ZF0oRzAvGZuh7vN4/XNh/zkwVbs220AFu"
    "L36mMBgV5IN1nX6ThoQQdnQBz6IczzpEfe7MTZrOklrXlAkfdt2N6OtQnUkubr71VOHL46LjssZc1iJigW5lQB0B"
    "BK2ct0y90Qlt55S0uTLK6jKLG9Y3QEDDXXzhcyfGKS6EN4fPlKYB/7NCPZzY7PwHXwZScOMclvUV/tAUZtgxcgeM"
    "iep7A3Bfp3TGSujmFsXbWaC2LIVuY9Uo+IebJg3t+narbauT2/DiIbHBhggIaoJUgV52lOu8WRvBmznV6kbPuCre"
    "H/5FzkpBdqc4Z1ysBDUWb0rlsPSYu8Z5oLwlEfvL4ilxl1NSzcfa+wQOFLr/VlZ2jP9wrtelF47e2/GxRxQnhyKm"
    "huMKjUyWGq7czuU9mxknJJEmEQREw9DaFXu4tt7B/WESuvJUN+asBttnPY6Bgy2E9053r7sScV5NEjLYCOL/S5JX"
    "b5sxjFYhZ3fwHQXX8K4c5v2g2zSOS0oP6Ac+DhLIaUKfR/P/b7nKRhOFXbmS8rrFTXHAO8Lpyk8/BN+bsqcve/81"
    "6lndswfFlU6Ix6pfOSpvtlU/ln1vmhq+qssaf+A5PNzpb519lvp1DNITkI/Zx/r9Ps3S5YGmx3VityxveAnEPnmD"
    "ACu7y56NzEvODXlaRngYKxwOS5Zc/4Cedn4SGSw4Qu3AS11jfwesctrBv2EAorNXtlmCoP1PrmnOf+BMR3LBa5PP"
    "hLZ2ZAAjHG9qJZXPGS87Te+vpRhPgihdU+2EAb0MchK5PNZ+UigCs0kzaJpIp6pnN3GyEzSO1mVWhnFyqqGiXiHg"
    "lQIDAQAB";

/* Measured, and over RFC 8301's 4096 bits: a finding, not a usable key. */
START_TEST(a_p_longer_than_16384_characters_is_not_decoded)
{
	aa_recordset *s = rset();
	aa_buf b = {0};
	const aa_dkim_key *k;
	aa_report *r;
	char *rec;
	int i;

	aa_buf_puts(&b, "v=DKIM1; k=rsa; p=");
	for (i = 0; i < 1100; i++)
		aa_buf_puts(&b, "QUFBQUFBQUFBQUFB"); /* 17,600 characters */
	rec = aa_buf_take(&b);
	ck_assert_ptr_nonnull(rec);
	put(s, "huge._domainkey.ex.test", AA_OUT_ANSWER, rec, NULL);
	r = run_check(s, "ex.test", (const char *const[]){"huge"}, 1);
	k = aa_dkim_find(facts(r), "huge");
	ck_assert_int_eq(k->outcome, AA_DKIM_SYNTAX);
	ck_assert(strstr(k->error, "16384") != NULL);
	aa_report_free(r);
	aa_recordset_free(s);
	free(rec);
}
END_TEST

START_TEST(rsa_8192_key_longer_than_libopendkim_reads_is_measured)
{
	aa_recordset *s = rset();
	char *rec = aa_printf("v=DKIM1; k=rsa; p=%s", rsa8192);
	const aa_dkim_key *k;
	aa_report *r;

	ck_assert_ptr_nonnull(rec);
	put(s, "big._domainkey.ex.test", AA_OUT_ANSWER, rec, NULL);
	r = run_check(s, "ex.test", (const char *const[]){"big"}, 1);
	k = aa_dkim_find(facts(r), "big");
	ck_assert_int_eq(k->outcome, AA_DKIM_KEY);
	ck_assert_uint_eq(k->bits, 8192);
	ck_assert(!(k->flags & AA_DKIM_F_USABLE));
	ck_assert(k->flags & AA_DKIM_F_TOO_LARGE);
	ck_assert_ptr_nonnull(aa_report_find(r, AA_F_DKIM_KEY_TOO_LARGE));
	ck_assert_ptr_null(aa_report_find(r, AA_F_DKIM_KEY_SYNTAX));
	aa_report_free(r);
	aa_recordset_free(s);
	free(rec);
}
END_TEST

START_TEST(libopendkim_still_judges_the_tags_of_a_key_too_long_for_it)
{
	aa_recordset *s = rset();
	char *rec = aa_printf("v=DKIM1; k=rsa; s=foo; p=%s", rsa8192);
	const aa_finding *f;
	aa_report *r;

	ck_assert_ptr_nonnull(rec);
	put(s, "big._domainkey.ex.test", AA_OUT_ANSWER, rec, NULL);
	r = run_check(s, "ex.test", (const char *const[]){"big"}, 1);
	f = aa_report_find(r, AA_F_DKIM_KEY_SYNTAX);
	ck_assert(suite_has_evidence(f, "key type mismatch"));
	aa_report_free(r);
	aa_recordset_free(s);
	free(rec);
}
END_TEST

START_TEST(key_record_over_1_kib_is_judged_not_skipped)
{
	aa_report *r = audit("dkim-long.test", (const char *const[]){"longbad"}, 1);
	const aa_dkim_key *good, *bad;
	const aa_finding *f;

	ck_assert_ptr_nonnull(r);
	good = aa_dkim_find(facts(r), "default");
	bad = aa_dkim_find(facts(r), "longbad");
	ck_assert_ptr_nonnull(good);
	ck_assert_ptr_nonnull(bad);
	ck_assert_uint_gt(strlen(good->record), 1024);
	ck_assert_int_eq(good->outcome, AA_DKIM_KEY);
	ck_assert_uint_eq(good->bits, 4096);
	/* s=foo: only libopendkim objects, so it must have seen the record */
	ck_assert_int_eq(bad->outcome, AA_DKIM_SYNTAX);
	f = aa_report_find(r, AA_F_DKIM_KEY_SYNTAX);
	ck_assert(suite_has_evidence(f, "longbad._domainkey.dkim-long.test"));
	ck_assert(suite_has_evidence(f, "key type mismatch"));
	aa_report_free(r);
}
END_TEST

static Suite *
dkim_suite(void)
{
	Suite *s = suite_create("dkim");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, revoked_key_is_reported_as_revoked_not_as_missing);
	tcase_add_test(tc, garbage_key_record_is_a_syntax_error_naming_the_problem);
	tcase_add_test(tc, unknown_key_type_is_a_syntax_error);
	tcase_add_test(tc, wrong_version_is_a_syntax_error);
	tcase_add_test(tc, ed25519_key_must_be_32_bytes);
	tcase_add_test(tc, no_key_anywhere_names_every_probed_selector);
	tcase_add_test(tc, dns_failure_at_a_selector_is_not_reported_as_no_key);
	tcase_add_test(tc, cname_to_nowhere_is_dangling);
	tcase_add_test(tc, microsoft_365_selector_cnames_are_recognised);
	tcase_add_test(tc, a_wildcard_spf_record_at_a_selector_is_not_a_key);
	tcase_add_test(tc, rsa_8192_key_longer_than_libopendkim_reads_is_measured);
	tcase_add_test(tc, a_p_longer_than_16384_characters_is_not_decoded);
	tcase_add_test(tc, libopendkim_still_judges_the_tags_of_a_key_too_long_for_it);
	tcase_add_test(tc, every_bit_flip_of_a_key_gets_openssls_verdict);
	tcase_add_test(tc, key_forms_around_the_plain_one_get_openssls_verdict);
	suite_add_tcase(s, tc);

	tc = tcase_create("audit");
	suite_fixture(tc, &H, 0);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, rsa_2048_key_raises_nothing_and_counts_as_usable);
	tcase_add_test(tc, rsa_1024_key_is_reported_with_its_size);
	tcase_add_test(tc, rsa_512_key_is_weak_and_not_usable);
	tcase_add_test(tc, ed25519_key_is_measured_as_ed25519);
	tcase_add_test(tc, testing_flag_is_reported);
	tcase_add_test(tc, sha1_only_key_is_reported);
	tcase_add_test(tc, empty_p_is_revoked);
	tcase_add_test(tc, two_key_records_at_one_selector_are_key_multiple);
	tcase_add_test(tc, v_tag_not_first_is_a_syntax_finding);
	tcase_add_test(tc, bad_base64_is_a_syntax_error);
	tcase_add_test(tc, domain_without_keys_gets_none_found_listing_selectors);
	tcase_add_test(tc, custom_selector_option_finds_the_key);
	tcase_add_test(tc, no_domainkey_means_only_the_guard_selectors_are_asked);
	tcase_add_test(tc, a_server_breaking_rfc_8020_gets_every_selector_probed);
	tcase_add_test(tc, an_existing_domainkey_gets_every_selector_probed);
	tcase_add_test(tc, m365_style_cnamed_selectors_are_followed);
	tcase_add_test(tc, cname_to_a_missing_target_is_dangling);
	tcase_add_test(tc, servfail_at_every_selector_is_not_verified_instead_of_none);
	tcase_add_test(tc, selectors_are_asked_once_each_and_concurrently);
	tcase_add_test(tc, key_record_over_1_kib_is_judged_not_skipped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(dkim_suite());
}
