/*
 * wire.c — reading a DNS answer message into an aa_rrset.
 *
 * Pure functions of (abuf, alen) and the rrset's name and type: no resolver
 * state, so they can be tested on hand-built messages (tests/check_wire.c).
 * The answer section is walked here for what c-ares' typed parsers do not
 * give (CNAME chain, TTLs, every address); TXT (and SPF) and MX rdata go
 * through c-ares' parsers.
 */
#include "dns/wire.h"
#include "util/util.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* What reading a DNS message gave. */
typedef enum wire_status {
	WIRE_OK = 0,
	WIRE_MALFORMED, /* the message does not parse */
	WIRE_NOMEM
} wire_status;

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int
aa_dns_chain_has(const aa_rrset *rs, const char *name)
{
	size_t i;

	if (strcasecmp(rs->name, name) == 0)
		return 1;
	for (i = 0; i < rs->nchain; i++)
		if (strcasecmp(rs->chain[i], name) == 0)
			return 1;
	return 0;
}

static wire_status
add_addr(aa_rrset *rs, int af, const void *addr, size_t alen)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(af, addr, text, sizeof(text)) == NULL)
		return WIRE_MALFORMED;
	if (aa_rrset_add(rs, text, strlen(text)) != 0)
		return WIRE_NOMEM;
	memcpy(rs->rr[rs->nrr - 1].addr, addr, alen);
	return WIRE_OK;
}

/*
 * Walks the answer section: c-ares' typed parsers do not expose CNAMEs or
 * TTLs, have no parser for name-valued types other than via hostent, and
 * their A/AAAA parsers fill a caller-sized array (answers beyond it are
 * dropped).  Records the CNAME chain, the minimum TTL, name-valued rdata and
 * every A/AAAA address owned by the name or its aliases.
 */
static wire_status
walk_answer(aa_rrset *rs, const unsigned char *abuf, int alen, int *loop)
{
	const unsigned char *p;
	unsigned qd, an, i;
	long len;
	char *name;
	int first_ttl = 1;

	if (alen < 12)
		return WIRE_MALFORMED;
	qd = get16(abuf + 4);
	an = get16(abuf + 6);
	p = abuf + 12;
	for (i = 0; i < qd; i++) {
		if (ares_expand_name(p, abuf, alen, &name, &len) != ARES_SUCCESS)
			return WIRE_MALFORMED;
		ares_free_string(name);
		p += len + 4;
		if (p > abuf + alen)
			return WIRE_MALFORMED;
	}
	for (i = 0; i < an; i++) {
		uint16_t type, rdlen;
		uint32_t ttl;
		const unsigned char *rd;
		char *owner;
		wire_status ws;

		if (ares_expand_name(p, abuf, alen, &owner, &len) != ARES_SUCCESS)
			return WIRE_MALFORMED;
		p += len;
		if (p + 10 > abuf + alen) {
			ares_free_string(owner);
			return WIRE_MALFORMED;
		}
		type = get16(p);
		ttl = get32(p + 4);
		rdlen = get16(p + 8);
		rd = p + 10;
		p = rd + rdlen;
		if (p > abuf + alen) {
			ares_free_string(owner);
			return WIRE_MALFORMED;
		}
		/* how long the answer may be reused: every record it rests on */
		if ((type == rs->type || type == AA_T_CNAME) && (!rs->cache_ttl_set || ttl < rs->cache_ttl)) {
			rs->cache_ttl = ttl;
			rs->cache_ttl_set = 1;
		}
		if (type == rs->type && (type == AA_T_A || type == AA_T_AAAA)) {
			int mine = aa_dns_chain_has(rs, owner);
			ares_free_string(owner);
			if (!mine)
				continue; /* not the name asked nor one of its aliases */
			if (rdlen != (type == AA_T_A ? 4 : 16))
				return WIRE_MALFORMED;
			if ((ws = add_addr(rs, type == AA_T_A ? AF_INET : AF_INET6, rd, rdlen)) != WIRE_OK)
				return ws;
			if (first_ttl || ttl < rs->ttl)
				rs->ttl = ttl;
			first_ttl = 0;
			continue;
		}
		ares_free_string(owner);
		if (type == rs->type) {
			if (first_ttl || ttl < rs->ttl)
				rs->ttl = ttl;
			first_ttl = 0;
		}
		if (type == AA_T_CNAME && rs->type != AA_T_CNAME) {
			if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
				return WIRE_MALFORMED;
			if (aa_dns_chain_has(rs, name) || rs->nchain >= AA_DNS_MAX_CHAIN)
				*loop = 1;
			else if (aa_rrset_add_chain(rs, name) != 0) {
				ares_free_string(name);
				return WIRE_NOMEM;
			}
			ares_free_string(name);
			continue;
		}
		if (type == rs->type && (type == AA_T_CNAME || type == AA_T_PTR || type == AA_T_NS)) {
			if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
				return WIRE_MALFORMED;
			if (aa_rrset_add(rs, name, strlen(name)) != 0) {
				ares_free_string(name);
				return WIRE_NOMEM;
			}
			ares_free_string(name);
		}
	}
	return WIRE_OK;
}

/* A copy of the message with its type 99 (SPF) answers retyped as TXT:
 * c-ares only parses TXT, and the RDATA of both is the same. */
static unsigned char *
spf_as_txt(const unsigned char *abuf, int alen)
{
	unsigned char *m = malloc((size_t)alen), *p;
	unsigned qd, an, i;
	long len;
	char *name;

	if (m == NULL || alen < 12) {
		free(m);
		return NULL;
	}
	memcpy(m, abuf, (size_t)alen);
	qd = get16(m + 4);
	an = get16(m + 6);
	p = m + 12;
	for (i = 0; i < qd + an; i++) {
		if (ares_expand_name(p, m, alen, &name, &len) != ARES_SUCCESS)
			break;
		ares_free_string(name);
		p += len;
		if (p + (i < qd ? 4 : 10) > m + alen)
			break;
		if (get16(p) == AA_T_SPF)
			p[1] = AA_T_TXT; /* high byte is 0 for both */
		p += i < qd ? 4 : 10 + get16(p + 8);
		if (p > m + alen)
			break;
	}
	return m;
}

static wire_status
parse_txt(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	struct ares_txt_ext *txt = NULL, *t;
	unsigned char *copy = NULL;
	aa_buf b = {0};
	unsigned nstr = 0;
	int st;
	wire_status rc = WIRE_OK;

	if (rs->type == AA_T_SPF) {
		if ((copy = spf_as_txt(abuf, alen)) == NULL)
			return WIRE_NOMEM;
		abuf = copy;
	}
	st = ares_parse_txt_reply_ext(abuf, alen, &txt);
	free(copy);
	if (st == ARES_ENODATA)
		return WIRE_OK;
	if (st != ARES_SUCCESS)
		return st == ARES_ENOMEM ? WIRE_NOMEM : WIRE_MALFORMED;
	/* one node per character-string; record_start marks a new record */
	for (t = txt; t != NULL; t = t->next) {
		if (t->record_start && nstr > 0) {
			if (aa_rrset_add(rs, b.p ? b.p : "", b.len) != 0)
				rc = WIRE_NOMEM;
			else
				rs->rr[rs->nrr - 1].nstrings = nstr;
			b.len = 0;
			nstr = 0;
		}
		aa_buf_add(&b, (const char *)t->txt, t->length);
		if (b.p == NULL && !b.oom)
			aa_buf_add(&b, "", 0);
		nstr++;
	}
	if (nstr > 0) {
		if (b.oom || aa_rrset_add(rs, b.p ? b.p : "", b.len) != 0)
			rc = WIRE_NOMEM;
		else
			rs->rr[rs->nrr - 1].nstrings = nstr;
	}
	aa_buf_free(&b);
	ares_free_data(txt);
	return rc;
}

static wire_status
parse_mx(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	struct ares_mx_reply *mx = NULL, *m;
	int st;

	st = ares_parse_mx_reply(abuf, alen, &mx);
	if (st == ARES_ENODATA)
		return WIRE_OK;
	if (st != ARES_SUCCESS)
		return st == ARES_ENOMEM ? WIRE_NOMEM : WIRE_MALFORMED;
	for (m = mx; m != NULL; m = m->next) {
		if (aa_rrset_add(rs, m->host, strlen(m->host)) != 0) {
			ares_free_data(mx);
			return WIRE_NOMEM;
		}
		rs->rr[rs->nrr - 1].pref = m->priority;
	}
	ares_free_data(mx);
	return WIRE_OK;
}

aa_outcome
aa_dns_status_outcome(int status)
{
	switch (status) {
	case ARES_SUCCESS:
		return AA_OUT_ANSWER;
	case ARES_ENODATA:
		return AA_OUT_NODATA;
	case ARES_ENOTFOUND:
		return AA_OUT_NXDOMAIN;
	case ARES_ESERVFAIL:
	case ARES_EFORMERR:
	case ARES_ENOTIMP:
		return AA_OUT_SERVFAIL;
	case ARES_EREFUSED:
		return AA_OUT_REFUSED;
	case ARES_ETIMEOUT:
		return AA_OUT_TIMEOUT;
	case ARES_EBADRESP:
		return AA_OUT_MALFORMED;
	default:
		return AA_OUT_NETERR;
	}
}

/* Skips one resource record (or, with question set, one question) at *p. */
static int
skip_rr(const unsigned char *abuf, int alen, const unsigned char **p, int question)
{
	char *name;
	long len;

	if (ares_expand_name(*p, abuf, alen, &name, &len) != ARES_SUCCESS)
		return -1;
	ares_free_string(name);
	*p += len;
	if (*p + (question ? 4 : 10) > abuf + alen)
		return -1;
	*p += question ? 4 : 10 + get16(*p + 8);
	return *p > abuf + alen ? -1 : 0;
}

/* The negative-caching TTL of a NODATA or NXDOMAIN answer (RFC 2308
 * section 5): the smaller of the authority SOA's own TTL and its MINIMUM
 * field.  0 and *ttl set when there is one; -1 when not (no SOA, or the
 * authority section does not parse: the cache then uses its default). */
static int
soa_negative_ttl(const unsigned char *abuf, int alen, uint32_t *ttl)
{
	const unsigned char *p = abuf + 12, *rd;
	unsigned qd, an, ns, i;
	char *name;
	long len;

	if (alen < 12)
		return -1;
	qd = get16(abuf + 4);
	an = get16(abuf + 6);
	ns = get16(abuf + 8);
	for (i = 0; i < qd + an; i++)
		if (skip_rr(abuf, alen, &p, i < qd) != 0)
			return -1;
	for (i = 0; i < ns; i++) {
		const unsigned char *rr = p;
		if (skip_rr(abuf, alen, &p, 0) != 0)
			return -1;
		if (ares_expand_name(rr, abuf, alen, &name, &len) != ARES_SUCCESS)
			return -1;
		ares_free_string(name);
		rr += len;
		if (get16(rr) != AA_T_SOA)
			continue;
		rd = rr + 10;
		/* MNAME and RNAME, then five 32-bit fields, MINIMUM last */
		if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
			return -1;
		ares_free_string(name);
		rd += len;
		if (ares_expand_name(rd, abuf, alen, &name, &len) != ARES_SUCCESS)
			return -1;
		ares_free_string(name);
		rd += len;
		if (rd + 20 > p)
			return -1;
		*ttl = get32(rr + 4) < get32(rd + 16) ? get32(rr + 4) : get32(rd + 16);
		return 0;
	}
	return -1;
}

/* Fills rs from a DNS message; returns the outcome. */
aa_outcome
aa_dns_parse_message(aa_rrset *rs, const unsigned char *abuf, int alen)
{
	wire_status rc;
	int loop = 0;

	rs->wire_len = (size_t)alen;
	rc = walk_answer(rs, abuf, alen, &loop);
	if (rc == WIRE_OK) {
		switch (rs->type) {
		case AA_T_TXT:
		case AA_T_SPF:
			rc = parse_txt(rs, abuf, alen);
			break;
		case AA_T_MX:
			rc = parse_mx(rs, abuf, alen);
			break;
		default:
			break;
		}
	}
	if (rc == WIRE_MALFORMED)
		return AA_OUT_MALFORMED;
	if (rc == WIRE_NOMEM)
		return AA_OUT_NETERR; /* out of memory: we learnt nothing */
	if (loop)
		return AA_OUT_CNAME_LOOP;
	if (rs->nrr == 0) {
		/* negative: the SOA says how long, capped by any CNAME on the way;
		 * without an SOA the TTL is unknown */
		uint32_t neg;
		if (soa_negative_ttl(abuf, alen, &neg) == 0) {
			if (!rs->cache_ttl_set || neg < rs->cache_ttl)
				rs->cache_ttl = neg;
			rs->cache_ttl_set = 1;
		} else
			rs->cache_ttl_set = 0;
	}
	return rs->nrr > 0 ? AA_OUT_ANSWER : AA_OUT_NODATA;
}
