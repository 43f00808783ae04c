/*
 * The wire parser (lib/dns/wire.h) on hand-built DNS messages, no server:
 * TXT records of several strings (joined per record, records kept apart),
 * a CNAME chain in the answer, a CNAME loop, MX, and messages cut short,
 * at every length, each in a buffer of exactly that size so that the
 * sanitizer build catches a read past the end.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dns/wire.h"
#include "records/recordset.h"
#include "suite.h"

/* the bytes of a message literal, without the NUL the literal adds */
#define MSG(m) (m), (sizeof(m) - 1)

struct want_rr {
	const char *data;
	size_t len;
	unsigned nstrings;   /* TXT */
	unsigned short pref; /* MX */
	const char *addr;    /* A: the 4 address bytes, else NULL */
};

struct wire_case {
	const char *what;
	const char *qname;
	aa_rrtype qtype;
	const unsigned char *msg;
	size_t full; /* bytes in msg */
	size_t cut;  /* bytes given to the parser; 0: all of them */
	aa_outcome outcome;
	uint32_t ttl;
	size_t nchain;
	const char *chain[2];
	size_t nrr;
	struct want_rr rr[2];
};

/*
 * The messages, then the cases.  Names are written as labels ("\x07"
 * "example"), split so that a hex escape never swallows the letter after
 * it; "\xc0\x0c" is a compression pointer to offset 12, the question's
 * name.  One line per part of a message or per case, which clang-format
 * would break up field by field.
 */
/* clang-format off */

/* example.test TXT: "v=spf1 " "include:a.test" " -all" (TTL 300) and
 * "hello" "world" (TTL 100) */
static const unsigned char txt_msg[] =
    "\x12\x34" "\x84\x00" "\x00\x01" "\x00\x02" "\x00\x00" "\x00\x00"    /* header: QD 1, AN 2 */
    "\x07" "example" "\x04" "test" "\x00" "\x00\x10" "\x00\x01"          /* question */
    "\xc0\x0c" "\x00\x10" "\x00\x01" "\x00\x00\x01\x2c" "\x00\x1d"       /* TXT, 29 bytes */
    "\x07" "v=spf1 " "\x0e" "include:a.test" "\x05" " -all"
    "\xc0\x0c" "\x00\x10" "\x00\x01" "\x00\x00\x00\x64" "\x00\x0c"       /* TXT, 12 bytes */
    "\x05" "hello" "\x05" "world";

/* www.example.test A: www CNAME a.example.test (offset 46), a CNAME
 * b.example.test (offset 62), b A 192.0.2.1, and an A record of a name
 * outside the chain (other.test), which is not ours */
static const unsigned char cname_msg[] =
    "\x12\x34" "\x84\x00" "\x00\x01" "\x00\x04" "\x00\x00" "\x00\x00"
    "\x03" "www" "\x07" "example" "\x04" "test" "\x00" "\x00\x01" "\x00\x01"
    "\xc0\x0c" "\x00\x05" "\x00\x01" "\x00\x00\x0e\x10" "\x00\x04" "\x01" "a" "\xc0\x10"
    "\xc0\x2e" "\x00\x05" "\x00\x01" "\x00\x00\x02\x58" "\x00\x04" "\x01" "b" "\xc0\x10"
    "\xc0\x3e" "\x00\x01" "\x00\x01" "\x00\x00\x01\x2c" "\x00\x04" "\xc0\x00\x02\x01"
    "\x05" "other" "\x04" "test" "\x00" "\x00\x01" "\x00\x01" "\x00\x00\x00\x05" "\x00\x04"
    "\xc0\x00\x02\x09";

/* x.test A: x CNAME y.test (offset 36), y CNAME x.test */
static const unsigned char loop_msg[] =
    "\x12\x34" "\x84\x00" "\x00\x01" "\x00\x02" "\x00\x00" "\x00\x00"
    "\x01" "x" "\x04" "test" "\x00" "\x00\x01" "\x00\x01"
    "\xc0\x0c" "\x00\x05" "\x00\x01" "\x00\x00\x0e\x10" "\x00\x04" "\x01" "y" "\xc0\x0e"
    "\xc0\x24" "\x00\x05" "\x00\x01" "\x00\x00\x0e\x10" "\x00\x02" "\xc0\x0c";

/* example.test MX: 10 mx1.example.test, 20 mx2.example.test */
static const unsigned char mx_msg[] =
    "\x12\x34" "\x84\x00" "\x00\x01" "\x00\x02" "\x00\x00" "\x00\x00"
    "\x07" "example" "\x04" "test" "\x00" "\x00\x0f" "\x00\x01"
    "\xc0\x0c" "\x00\x0f" "\x00\x01" "\x00\x00\x0e\x10" "\x00\x08" "\x00\x0a" "\x03" "mx1" "\xc0\x0c"
    "\xc0\x0c" "\x00\x0f" "\x00\x01" "\x00\x00\x0e\x10" "\x00\x08" "\x00\x14" "\x03" "mx2" "\xc0\x0c";

static const struct wire_case wire_cases[] = {
	{"TXT: strings joined per record, records kept apart", "example.test", AA_T_TXT, MSG(txt_msg), 0,
	 AA_OUT_ANSWER, 100, 0, {NULL, NULL}, 2,
	 {{"v=spf1 include:a.test -all", 26, 3, 0, NULL}, {"helloworld", 10, 2, 0, NULL}}},
	{"TXT cut in the middle of the second record", "example.test", AA_T_TXT, MSG(txt_msg),
	 sizeof(txt_msg) - 1 - 5, AA_OUT_MALFORMED, 0, 0, {NULL, NULL}, 0, {{NULL, 0, 0, 0, NULL}}},
	{"A behind a CNAME chain; another name's A ignored", "www.example.test", AA_T_A, MSG(cname_msg), 0,
	 AA_OUT_ANSWER, 300, 2, {"a.example.test", "b.example.test"}, 1,
	 {{"192.0.2.1", 9, 0, 0, "\xc0\x00\x02\x01"}}},
	{"a CNAME back to the name asked is a loop", "x.test", AA_T_A, MSG(loop_msg), 0, AA_OUT_CNAME_LOOP,
	 0, 1, {"y.test", NULL}, 0, {{NULL, 0, 0, 0, NULL}}},
	{"MX: hosts with their preferences", "example.test", AA_T_MX, MSG(mx_msg), 0, AA_OUT_ANSWER, 3600, 0,
	 {NULL, NULL}, 2, {{"mx1.example.test", 16, 0, 10, NULL}, {"mx2.example.test", 16, 0, 20, NULL}}},
};

/* clang-format on */

#define NCASES ((int)(sizeof(wire_cases) / sizeof(wire_cases[0])))

/* Parses the first len bytes of c's message, copied into a buffer of
 * exactly len bytes (so a read past the end is a sanitizer error). */
static aa_rrset *
parse(const struct wire_case *c, size_t len, aa_outcome *out)
{
	unsigned char *buf = malloc(len > 0 ? len : 1);
	aa_rrset *rs = aa_rrset_new(c->qname, c->qtype);

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(rs);
	memcpy(buf, c->msg, len);
	*out = aa_dns_parse_message(rs, buf, (int)len);
	free(buf);
	return rs;
}

START_TEST(test_message_is_read_into_the_rrset)
{
	const struct wire_case *c = &wire_cases[_i];
	size_t len = c->cut != 0 ? c->cut : c->full, i;
	aa_outcome o;
	aa_rrset *rs = parse(c, len, &o);

	ck_assert_msg(o == c->outcome, "%s: outcome %s, want %s", c->what, aa_outcome_name(o),
	              aa_outcome_name(c->outcome));
	ck_assert_uint_eq(rs->wire_len, len);
	if (c->outcome == AA_OUT_MALFORMED) {
		aa_rrset_unref(rs);
		return;
	}
	ck_assert_msg(rs->ttl == c->ttl, "%s: ttl %u, want %u", c->what, (unsigned)rs->ttl, (unsigned)c->ttl);
	ck_assert_msg(rs->nchain == c->nchain, "%s: %zu aliases, want %zu", c->what, rs->nchain, c->nchain);
	for (i = 0; i < c->nchain; i++)
		ck_assert_str_eq(rs->chain[i], c->chain[i]);
	ck_assert_msg(rs->nrr == c->nrr, "%s: %zu records, want %zu", c->what, rs->nrr, c->nrr);
	for (i = 0; i < c->nrr; i++) {
		const aa_record *r = &rs->rr[i];
		const struct want_rr *w = &c->rr[i];

		ck_assert_msg(r->len == w->len && memcmp(r->data, w->data, w->len) == 0,
		              "%s: record %zu is \"%.*s\", want \"%s\"", c->what, i, (int)r->len, r->data,
		              w->data);
		ck_assert_uint_eq(r->nstrings, w->nstrings);
		ck_assert_uint_eq(r->pref, w->pref);
		if (w->addr != NULL)
			ck_assert(memcmp(r->addr, w->addr, 4) == 0);
	}
	aa_rrset_unref(rs);
}
END_TEST

/* Every message cut at every length short of its end claims records it
 * does not hold: malformed, whatever the cut splits (header, question,
 * owner name, fixed fields, rdata), and nothing read past the cut. */
START_TEST(test_every_cut_short_message_is_malformed)
{
	const struct wire_case *c = &wire_cases[_i];
	size_t len;

	for (len = 0; len < c->full; len++) {
		aa_outcome o;
		aa_rrset *rs = parse(c, len, &o);

		ck_assert_msg(o == AA_OUT_MALFORMED, "%s cut at %zu of %zu: %s, want MALFORMED", c->what, len,
		              c->full, aa_outcome_name(o));
		aa_rrset_unref(rs);
	}
}
END_TEST

static Suite *
wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_message_is_read_into_the_rrset, 0, NCASES);
	tcase_add_loop_test(tc, test_every_cut_short_message_is_malformed, 0, NCASES);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(wire_suite());
}
