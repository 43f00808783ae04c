/*
 * Readers: the tag-list tokenizer (util/taglist), the host-name validator
 * (records/hostname), the {id, name} tables (util/names) and aa_buf's cap,
 * table-driven where the cases share a shape.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "records/hostname.h"
#include "records/recordset.h"
#include "render/render.h"
#include "report/facts.h"
#include "report/findings.h"
#include "suite.h"
#include "util/names.h"
#include "util/taglist.h"
#include "util/util.h"

/* ---- tag lists ----------------------------------------------------------- */

struct want_tag {
	const char *name;  /* NULL: no name (an empty piece) */
	const char *value; /* NULL: no '=' */
	unsigned problems;
	size_t pos;
	size_t nlen, vlen; /* 0: strlen (set for names and values holding a NUL) */
};

static const struct taglist_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	size_t n;
	struct want_tag t[4];
} taglist_cases[] = {
    {"v=DKIM1; k=rsa; p=ABC",
     0,
     3,
     {{"v", "DKIM1", 0, 0, 0, 0}, {"k", "rsa", 0, 1, 0, 0}, {"p", "ABC", 0, 2, 0, 0}}},
    {"v=DKIM1;", 0, 1, {{"v", "DKIM1", 0, 0, 0, 0}}},
    {"v=DKIM1; \t", 0, 1, {{"v", "DKIM1", 0, 0, 0, 0}}},
    {" \t v = DKIM1 \r\n ; p= ", 0, 2, {{"v", "DKIM1", 0, 0, 0, 0}, {"p", "", 0, 1, 0, 0}}},
    {"a=1;;b=2", 0, 3, {{"a", "1", 0, 0, 0, 0}, {NULL, NULL, AA_TAG_EMPTY, 0, 0, 0}, {"b", "2", 0, 1, 0, 0}}},
    {"; a=1", 0, 2, {{NULL, NULL, AA_TAG_EMPTY, 0, 0, 0}, {"a", "1", 0, 0, 0, 0}}},
    {";", 0, 1, {{NULL, NULL, AA_TAG_EMPTY, 0, 0, 0}}},
    {"", 0, 0, {{NULL, NULL, 0, 0, 0, 0}}},
    {"  ", 0, 0, {{NULL, NULL, 0, 0, 0, 0}}},
    {"garbage; p=none", 0, 2, {{"garbage", NULL, AA_TAG_NO_EQUALS, 0, 0, 0}, {"p", "none", 0, 1, 0, 0}}},
    {"1x=2; _a=3; a-b=4; a_1=5",
     0,
     4,
     {{"1x", "2", AA_TAG_BAD_NAME, 0, 0, 0},
      {"_a", "3", AA_TAG_BAD_NAME, 1, 0, 0},
      {"a-b", "4", AA_TAG_BAD_NAME, 2, 0, 0},
      {"a_1", "5", 0, 3, 0, 0}}},
    {"=x", 0, 1, {{"", "x", AA_TAG_BAD_NAME, 0, 0, 0}}},
    {"p=reject; P=none; p=x",
     0,
     3,
     {{"p", "reject", 0, 0, 0, 0},
      {"P", "none", AA_TAG_DUPLICATE, 1, 0, 0},
      {"p", "x", AA_TAG_DUPLICATE, 2, 0, 0}}},
    {"a=b=c", 0, 1, {{"a", "b=c", 0, 0, 0, 0}}},
    {"p=re\0ject; v=DMARC1",
     19,
     2,
     {{"p", "re\0ject", AA_TAG_BAD_VALUE, 0, 0, 7}, {"v", "DMARC1", 0, 1, 0, 0}}},
    {"v\0=1", 4, 1, {{"v\0", "1", AA_TAG_BAD_NAME, 0, 2, 0}}},
    {"n=caf\xc3\xa9", 0, 1, {{"n", "caf\xc3\xa9", AA_TAG_BAD_VALUE, 0, 0, 0}}},
    {"p=MIIB IjAN\r\n\tBgkq", 0, 1, {{"p", "MIIB IjAN\r\n\tBgkq", 0, 0, 0, 0}}},
    {"averyveryveryverylongtagnamethatnobodyuses=1",
     0,
     1,
     {{"averyveryveryverylongtagnamethatnobodyuses", "1", 0, 0, 0, 0}}},
};

/* Names are built from their parts: the parts in order, none, or empty
 * ones, and a long one whole. */
START_TEST(concat_joins_its_parts)
{
	char big[3000], *s;

	s = aa_concat("selector1", "._domainkey.", "example.com", (char *)NULL);
	ck_assert_str_eq(s, "selector1._domainkey.example.com");
	free(s);
	s = aa_concat("", "_dmarc.", "", "a.test", (char *)NULL);
	ck_assert_str_eq(s, "_dmarc.a.test");
	free(s);
	s = aa_concat("alone", (char *)NULL);
	ck_assert_str_eq(s, "alone");
	free(s);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = aa_concat(big, ".", big, (char *)NULL);
	ck_assert_uint_eq(strlen(s), 2 * (sizeof(big) - 1) + 1);
	ck_assert_int_eq(s[sizeof(big) - 1], '.');
	free(s);
}
END_TEST

START_TEST(taglist_reads_each_case)
{
	const struct taglist_case *c = &taglist_cases[_i];
	size_t len = c->len != 0 ? c->len : strlen(c->in), i, nlen, vlen;
	aa_taglist tl;

	ck_assert_int_eq(aa_taglist_parse(c->in, len, &tl), AA_OK);
	ck_assert_msg(tl.n == c->n, "case %d: %zu tags, want %zu", _i, tl.n, c->n);
	for (i = 0; i < c->n; i++) {
		const aa_tag *t = &tl.tags[i];
		const struct want_tag *w = &c->t[i];
		ck_assert_msg(t->problems == w->problems, "case %d tag %zu: problems %#x, want %#x", _i, i,
		              t->problems, w->problems);
		if (!(w->problems & AA_TAG_EMPTY))
			ck_assert_msg(t->pos == w->pos, "case %d tag %zu: pos %zu", _i, i, t->pos);
		if (w->name == NULL) {
			ck_assert_uint_eq(t->rawlen, 0);
			continue;
		}
		nlen = w->nlen != 0 ? w->nlen : strlen(w->name);
		ck_assert_msg(t->nlen == nlen && memcmp(t->name, w->name, nlen) == 0, "case %d tag %zu: name",
		              _i, i);
		if (w->value == NULL) {
			ck_assert_ptr_null(t->value);
			continue;
		}
		ck_assert_ptr_nonnull(t->value);
		vlen = w->vlen != 0 ? w->vlen : strlen(w->value);
		ck_assert_msg(t->vlen == vlen && memcmp(t->value, w->value, vlen) == 0,
		              "case %d tag %zu: value \"%.*s\"", _i, i, (int)t->vlen, t->value);
		/* every piece stays inside the input */
		ck_assert(t->value + t->vlen <= c->in + len);
		ck_assert(t->raw >= c->in && t->raw + t->rawlen <= c->in + len);
	}
	aa_taglist_free(&tl);
}
END_TEST

START_TEST(taglist_find_skips_malformed_and_later_duplicates)
{
	static const char rec[] = "x; P=first; p=second; 9=z";
	aa_taglist tl;
	const aa_tag *t;

	ck_assert_int_eq(aa_taglist_parse(rec, strlen(rec), &tl), AA_OK);
	t = aa_taglist_find(&tl, "p");
	ck_assert_ptr_nonnull(t);
	ck_assert(aa_tag_value_is(t, "FIRST"));
	ck_assert(aa_tag_name_is(t, "p") && !aa_tag_name_eq(t, "p") && aa_tag_name_eq(t, "P"));
	ck_assert_ptr_null(aa_taglist_find(&tl, "x"));
	ck_assert_ptr_null(aa_taglist_find(&tl, "9"));
	aa_taglist_free(&tl);
}
END_TEST

START_TEST(taglist_has_no_size_limit)
{
	aa_buf b = {0};
	aa_taglist tl;
	size_t i;

	for (i = 0; i < 20000; i++)
		aa_buf_printf(&b, "t%zu=%zu;", i, i);
	aa_buf_puts(&b, "t7=dup");
	ck_assert(!b.oom);
	ck_assert_int_eq(aa_taglist_parse(b.p, b.len, &tl), AA_OK);
	ck_assert_uint_eq(tl.n, 20001);
	ck_assert_uint_eq(tl.tags[20000].problems, AA_TAG_DUPLICATE);
	ck_assert_uint_eq(tl.tags[7].problems, 0);
	aa_taglist_free(&tl);
	aa_buf_free(&b);
}
END_TEST

static const struct items_case {
	const char *in;
	char sep;
	const char *want; /* items joined by '|' */
} items_cases[] = {
    {"sha1:sha256", ':', "sha1|sha256"},
    {" sha1 : sha256 ", ':', "sha1|sha256"},
    {"", ':', ""},
    {"a:", ':', "a|"},
    {":a", ':', "|a"},
    {"mailto:a@b.example, mailto:c@d.example", ',', "mailto:a@b.example|mailto:c@d.example"},
};

START_TEST(tag_items_split_lists)
{
	const struct items_case *c = &items_cases[_i];
	aa_tag_items it;
	aa_buf b = {0};
	const char *s;
	size_t n, k = 0;
	char *got;

	aa_tag_items_init(&it, c->in, strlen(c->in), c->sep);
	while (aa_tag_items_next(&it, &s, &n, NULL)) {
		if (k++ > 0)
			aa_buf_puts(&b, "|");
		aa_buf_add(&b, s, n);
	}
	got = aa_buf_take(&b);
	ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

/* A tag without '=' has no value: its item list is empty (found by
 * fuzzing: null pointer arithmetic under UBSan). */
START_TEST(tag_without_a_value_has_no_items)
{
	aa_taglist tl = {0};
	aa_tag_items it;
	const char *s;
	size_t n;

	ck_assert_int_eq(aa_taglist_parse("a=b; e f=g; h", 14, &tl), AA_OK);
	ck_assert_uint_ge(tl.n, 2);
	aa_tag_items_init(&it, NULL, 0, ',');
	ck_assert_int_eq(aa_tag_items_next(&it, &s, &n, NULL), 0);
	aa_taglist_free(&tl);
}
END_TEST

/* ---- host names ------------------------------------------------------------ */

static const struct host_case {
	const char *name;
	unsigned flags;
	aa_host_error want;
} host_cases[] = {
    {"example.com", AA_HOST_MAIL_DOMAIN, AA_HOST_OK},
    {"", AA_HOST_MAIL_DOMAIN, AA_HOST_EMPTY},
    {"localhost", AA_HOST_MAIL_DOMAIN, AA_HOST_ONE_LABEL},
    {"localhost", AA_HOST_QUERY, AA_HOST_OK},
    {"_dmarc.example.com", AA_HOST_MAIL_DOMAIN, AA_HOST_BAD_CHAR},
    {"_dmarc.example.com", AA_HOST_QUERY, AA_HOST_OK},
    {"_report.example.com", AA_HOST_REPORT_DEST, AA_HOST_OK},
    {"sel_1.sub", AA_HOST_SELECTOR, AA_HOST_OK},
    {"example.com.", AA_HOST_QUERY, AA_HOST_OK},
    {"example.com.", AA_HOST_MAIL_DOMAIN, AA_HOST_EMPTY_LABEL},
    {".", AA_HOST_QUERY, AA_HOST_EMPTY_LABEL},
    {"a..b", AA_HOST_QUERY, AA_HOST_EMPTY_LABEL},
    {".a.b", AA_HOST_MAIL_DOMAIN, AA_HOST_EMPTY_LABEL},
    {"-a.example", AA_HOST_MAIL_DOMAIN, AA_HOST_HYPHEN_START},
    {"a-.example", AA_HOST_MAIL_DOMAIN, AA_HOST_HYPHEN_END},
    {"-a.example", AA_HOST_REPORT_DEST, AA_HOST_OK},
    {"a b.example", AA_HOST_QUERY, AA_HOST_BAD_CHAR},
    {"a\\b.example", AA_HOST_QUERY, AA_HOST_BAD_CHAR},
    {"a*b.example", AA_HOST_QUERY, AA_HOST_OK},
    {"a*b.example", AA_HOST_MAIL_DOMAIN, AA_HOST_BAD_CHAR},
    {"caf\xc3\xa9.example", AA_HOST_QUERY, AA_HOST_BAD_CHAR},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", AA_HOST_QUERY, AA_HOST_OK},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", AA_HOST_QUERY,
     AA_HOST_LABEL_TOO_LONG},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     AA_HOST_MAIL_DOMAIN, AA_HOST_OK},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     AA_HOST_MAIL_DOMAIN, AA_HOST_TOO_LONG},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
     AA_HOST_QUERY, AA_HOST_OK},
};

START_TEST(host_names_are_judged_by_mode)
{
	const struct host_case *c = &host_cases[_i];
	aa_host_error got = aa_host_check(c->name, strlen(c->name), c->flags);

	ck_assert_msg(got == c->want, "case %d (%s): got %d, want %d", _i, c->name, (int)got, (int)c->want);
}
END_TEST

START_TEST(host_names_are_read_by_length_not_to_a_nul)
{
	static const char name[] = "mail.example.com\0.evil";

	ck_assert_int_eq(aa_host_check(name, 16, AA_HOST_MAIL_DOMAIN), AA_HOST_OK);
	ck_assert_int_eq(aa_host_check(name, sizeof(name) - 1, AA_HOST_QUERY), AA_HOST_BAD_CHAR);
	ck_assert_int_eq(aa_host_check("example.comX", 11, AA_HOST_MAIL_DOMAIN), AA_HOST_OK);
	ck_assert_str_eq(aa_host_error_text(AA_HOST_HYPHEN_END), "a label ends with a hyphen");
}
END_TEST

/* ---- {id, name} tables ----------------------------------------------------- */

START_TEST(name_tables_map_both_ways)
{
	static const aa_name_entry t[] = {{3, "three"}, {1, "one"}, {7, "seven"}};
	int id = -1;

	ck_assert_str_eq(aa_name_of(t, AA_NAMES_N(t), 1, "?"), "one");
	ck_assert_str_eq(aa_name_of(t, AA_NAMES_N(t), 2, "?"), "?");
	ck_assert_int_eq(aa_id_of(t, AA_NAMES_N(t), "seven", &id), AA_OK);
	ck_assert_int_eq(id, 7);
	ck_assert_int_eq(aa_id_of(t, AA_NAMES_N(t), "Seven", &id), AA_EINVAL);
	ck_assert_int_eq(id, 7);
}
END_TEST

START_TEST(every_enum_value_has_its_token_and_tokens_parse_back)
{
	static const char *const sevs[] = {"info", "low", "medium", "high", "critical"};
	static const char *const formats[] = {"text", "records", "json", "ndjson", "checklist"};
	aa_severity sev;
	aa_format fmt;
	int o;
	size_t i;

	for (o = AA_OUT_PENDING; o <= AA_OUT_BADNAME; o++)
		ck_assert_str_ne(aa_outcome_name((aa_outcome)o), "unknown");
	ck_assert_str_eq(aa_outcome_name(AA_OUT_NETERR), "network-error");
	ck_assert_str_eq(aa_rrtype_name(AA_T_AAAA), "AAAA");
	ck_assert_str_eq(aa_rrtype_name((aa_rrtype)42), "TYPE?");
	for (i = 0; i < AA_NAMES_N(sevs); i++) {
		ck_assert_int_eq(aa_severity_parse(sevs[i], &sev), 0);
		ck_assert_str_eq(aa_severity_name(sev), sevs[i]);
	}
	ck_assert_int_eq(aa_severity_parse("High", &sev), AA_EINVAL);
	for (i = 0; i < AA_NAMES_N(formats); i++)
		ck_assert_int_eq(aa_format_parse(formats[i], &fmt), 0);
	ck_assert_int_eq(aa_format_parse("xml", &fmt), AA_EINVAL);
	ck_assert_str_eq(aa_area_name(AA_AREA_TRANSPORT), "transport");
	ck_assert_str_eq(aa_dkim_outcome_name(AA_DKIM_SYNTAX), "syntax-error");
	ck_assert_str_eq(aa_dkim_alg_name(AA_DKIM_ALG_ED25519), "ed25519");
	ck_assert_int_eq(aa_dmarc_policy_parse("Quarantine", 10), AA_DMARC_P_QUARANTINE);
	ck_assert_int_eq(aa_dmarc_policy_parse("reject\0x", 8), AA_DMARC_P_UNSET);
	ck_assert_int_eq(aa_dmarc_policy_parse("rejectx", 6), AA_DMARC_P_REJECT);
	ck_assert_str_eq(aa_dmarc_policy_name(AA_DMARC_P_UNSET), "unset");
}
END_TEST

/* ---- aa_buf ---------------------------------------------------------------- */

START_TEST(buf_stops_at_its_cap_and_says_so)
{
	aa_buf b = {0};
	char chunk[4096];
	size_t i;

	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < AA_BUF_MAX_DEFAULT / sizeof(chunk); i++)
		aa_buf_add(&b, chunk, sizeof(chunk));
	ck_assert(!b.oom);
	ck_assert_uint_eq(b.len, AA_BUF_MAX_DEFAULT);
	aa_buf_add(&b, "y", 1);
	ck_assert(b.oom);
	ck_assert_ptr_null(aa_buf_take(&b));

	b.max = 8;
	aa_buf_puts(&b, "12345678");
	ck_assert(!b.oom);
	aa_buf_puts(&b, "9");
	ck_assert(b.oom);
	aa_buf_free(&b);
}
END_TEST

static Suite *
readers_suite(void)
{
	Suite *s = suite_create("readers");
	TCase *tc = tcase_create("taglist");

	tcase_add_loop_test(tc, taglist_reads_each_case, 0,
	                    (int)(sizeof(taglist_cases) / sizeof(taglist_cases[0])));
	tcase_add_test(tc, taglist_find_skips_malformed_and_later_duplicates);
	tcase_add_test(tc, taglist_has_no_size_limit);
	tcase_add_test(tc, concat_joins_its_parts);
	tcase_add_test(tc, tag_without_a_value_has_no_items);
	tcase_add_loop_test(tc, tag_items_split_lists, 0,
	                    (int)(sizeof(items_cases) / sizeof(items_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("hostname");
	tcase_add_loop_test(tc, host_names_are_judged_by_mode, 0,
	                    (int)(sizeof(host_cases) / sizeof(host_cases[0])));
	tcase_add_test(tc, host_names_are_read_by_length_not_to_a_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("util");
	tcase_add_test(tc, name_tables_map_both_ways);
	tcase_add_test(tc, every_enum_value_has_its_token_and_tokens_parse_back);
	tcase_add_test(tc, buf_stops_at_its_cap_and_says_so);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(readers_suite());
}
