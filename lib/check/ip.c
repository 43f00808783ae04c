/*
 * check_ip.c — the sending-IP module (--ip, --dnsbl): reverse DNS, forward
 * confirmation, generic PTR names and DNS blocklists.
 */
#include "check/check.h"
#include "records/addr.h"
#include "tables/dnsbl.h"
#include "check/ip.h"
#include "report/facts.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* ---- generic PTR names ------------------------------------------------- */

static const char *const generic_words[] = {
	"dynamic", "dyn",   "dsl",       "adsl",   "vdsl",     "xdsl",     "pool",   "cable",
	"dhcp",    "ppp",   "pppoe",     "dialup", "dial",     "broadband", "client", "customer",
	"cust",    "resi",  "residential", "dip",  "dyndsl",   "ftth",     "fibre",  "catv",
	"wireless", "mobile", "user",    "nat",    "cpe",      "host",     "unknown", "unassigned",
};

static int
is_generic_word(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(generic_words) / sizeof(generic_words[0]); i++)
		if (strlen(generic_words[i]) == len && strncasecmp(tok, generic_words[i], len) == 0)
			return 1;
	return 0;
}

/* A token of a name: a run of letters or a run of digits. */
typedef struct token {
	const char *p;
	size_t len;
	int digit;
} token;

/* The next token in [*pos, end), advancing *pos past it; 0 when none. */
static int
next_token(const char **pos, const char *end, token *t)
{
	const char *p = *pos;

	while (p < end && !isalnum((unsigned char)*p))
		p++;
	if (p == end) {
		*pos = p;
		return 0;
	}
	t->p = p;
	t->digit = isdigit((unsigned char)*p) != 0;
	while (p < end && isalnum((unsigned char)*p) && (isdigit((unsigned char)*p) != 0) == t->digit)
		p++;
	t->len = (size_t)(p - t->p);
	*pos = p;
	return 1;
}

/* Do the n tokens from `from` spell the octets want[0..n-1] as numbers? */
static int
spells(const char *from, const char *end, const int *want, size_t n)
{
	token t;
	size_t k, i;

	for (k = 0; k < n; k++) {
		int v = 0;
		if (!next_token(&from, end, &t) || !t.digit || t.len > 3)
			return 0;
		for (i = 0; i < t.len; i++)
			v = v * 10 + (t.p[i] - '0');
		if (v != want[k])
			return 0;
	}
	return 1;
}

/* The IP's octets appear as consecutive numbers (all four in either order,
 * or the last three), or the IP is written in hex. */
static int
has_ip_digits(const char *name, size_t len, const unsigned char o[4])
{
	const int fwd[4] = {o[0], o[1], o[2], o[3]}, rev[4] = {o[3], o[2], o[1], o[0]};
	const char *pos = name, *end = name + len;
	char hex[9];
	token t;

	snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", o[0], o[1], o[2], o[3]);
	if (aa_memcasemem(name, len, hex) != NULL)
		return 1;
	while (next_token(&pos, end, &t))
		if (spells(t.p, end, fwd, 4) || spells(t.p, end, rev, 4) || spells(t.p, end, fwd + 1, 3) ||
		    spells(t.p, end, rev, 3))
			return 1;
	return 0;
}

int
aa_ptr_generic(const char *name, size_t len, const char *ip, const char **why)
{
	unsigned char b[16];
	const char *pos, *host_end;
	size_t i, dots = 0, seen = 0;
	token t;

	if (inet_pton(AF_INET, ip, b) == 1 && has_ip_digits(name, len, b)) {
		*why = "the name contains the IP address's digits";
		return 1;
	}
	/* Words in the host part only: the last two labels are the
	 * provider's domain ("dyn.example" would otherwise match). */
	for (i = 0; i < len; i++)
		if (name[i] == '.')
			dots++;
	if (dots < 2)
		return 0;
	for (i = 0, host_end = name; i < len; i++)
		if (name[i] == '.' && ++seen == dots - 1) {
			host_end = name + i;
			break;
		}
	for (pos = name; next_token(&pos, host_end, &t);)
		if (!t.digit && is_generic_word(t.p, t.len)) {
			*why = "the name contains a word used for dynamic or residential ranges";
			return 1;
		}
	return 0;
}

/* ---- facts --------------------------------------------------------------- */

/* ---- checks -------------------------------------------------------------- */

static int
usable(const aa_rrset *rs)
{
	return rs != NULL && rs->outcome != AA_OUT_PENDING && !aa_outcome_is_error(rs->outcome);
}

/* Does a PTR name resolve back to the IP (forward-confirmed reverse DNS)? */
static aa_tri
check_fcrdns(const aa_check_in *in, aa_report *r, aa_ip_info *info, const aa_rrset *ptr)
{
	unsigned char b[16];
	int v4 = inet_pton(AF_INET, info->ip, b) == 1, unknown = 0;
	size_t i, j, n = ptr->nrr < AA_MAX_PTR_NAMES ? ptr->nrr : AA_MAX_PTR_NAMES;
	aa_finding *f;

	if (!v4)
		inet_pton(AF_INET6, info->ip, b);
	for (i = 0; i < n; i++) {
		const aa_rrset *fw = aa_recordset_get(in->rs, ptr->rr[i].data, v4 ? AA_T_A : AA_T_AAAA);
		if (!usable(fw)) {
			unknown = 1;
			continue;
		}
		for (j = 0; j < fw->nrr; j++)
			if (memcmp(fw->rr[j].addr, b, v4 ? 4 : 16) == 0)
				return AA_TRI_YES;
	}
	if (unknown)
		return AA_TRI_UNKNOWN;
	f = aa_report_add(r, AA_F_IP_FCRDNS_MISMATCH, "%s", info->ip);
	for (i = 0; i < n; i++) {
		const aa_rrset *fw = aa_recordset_get(in->rs, ptr->rr[i].data, v4 ? AA_T_A : AA_T_AAAA);
		aa_buf addrs = {0};
		char *s;
		for (j = 0; j < fw->nrr; j++)
			aa_buf_printf(&addrs, "%s%s", j > 0 ? ", " : "", fw->rr[j].data);
		s = aa_buf_take(&addrs);
		aa_finding_evidence(r, f, "%s PTR %s; %s %s: %s", info->reverse, ptr->rr[i].data,
		                    ptr->rr[i].data, v4 ? "A" : "AAAA",
		                    fw->nrr > 0 && s != NULL ? s : aa_outcome_name(fw->outcome));
		free(s);
	}
	aa_finding_set_fix(r, f, "Publish \"%s. %s %s\" (or change the PTR to a name that has it).",
	                   ptr->rr[0].data, v4 ? "A" : "AAAA", info->ip);
	return AA_TRI_NO;
}

static aa_status
check_dnsbls(const aa_check_in *in, aa_report *r, aa_ip_info *info)
{
	const char *const *zones;
	size_t z, nzones, i;

	zones = aa_dnsbl_zones(in->opt, &nzones);
	if ((info->dnsbl = calloc(nzones, sizeof(*info->dnsbl))) == NULL)
		return AA_ENOMEM;
	for (z = 0; z < nzones; z++) {
		aa_dnsbl_result *res = &info->dnsbl[info->ndnsbl];
		char *name = aa_dnsbl_name(info->ip, zones[z]);
		const aa_rrset *rs, *txt;
		aa_dnsbl_meaning m;
		aa_finding *f;

		if (name == NULL)
			return AA_ENOMEM;
		rs = aa_recordset_get(in->rs, name, AA_T_A);
		txt = aa_recordset_get(in->rs, name, AA_T_TXT);
		if ((res->zone = strdup(zones[z])) == NULL) {
			free(name);
			return AA_ENOMEM;
		}
		info->ndnsbl++;
		res->outcome = rs != NULL ? rs->outcome : AA_OUT_PENDING;
		if (rs == NULL || rs->outcome != AA_OUT_ANSWER) {
			free(name); /* NXDOMAIN: not listed; errors: DNS_INCOMPLETE */
			continue;
		}
		for (i = 0; i < rs->nrr; i++) {
			aa_dnsbl_decode(zones[z], rs->rr[i].addr, &m);
			if (res->code == NULL) {
				res->code = strdup(rs->rr[i].data);
				res->meaning = strdup(m.meaning);
			}
			if (m.verdict == AA_DNSBL_LISTED) {
				f = aa_report_add(r, AA_F_IP_DNSBL_LISTED, "%s on %s", info->ip, zones[z]);
				aa_finding_evidence(r, f, "%s A %s: %s: %s", name, rs->rr[i].data, m.list,
				                    m.meaning);
				if (usable(txt) && txt->nrr > 0)
					aa_finding_evidence(r, f, "%s TXT \"%s\"", name, txt->rr[0].data);
				aa_finding_set_fix(
				    r, f,
				    "Find and stop the cause first (a compromised account or host, an open "
				    "relay, a form that sends to anyone), then request removal: %s. Exchange "
				    "Online bounces 550 5.7.606-5.7.649 (banned sending IP) are not this "
				    "list: delist the IP at Microsoft's portal https://sender.office.com.",
				    m.delist);
			} else {
				f = aa_report_add(r, AA_F_IP_DNSBL_UNUSABLE, "%s on %s", info->ip, zones[z]);
				aa_finding_evidence(r, f, "%s A %s: %s", name, rs->rr[i].data, m.meaning);
			}
		}
		free(name);
	}
	return AA_OK;
}

static aa_status
check_one_ip(const aa_check_in *in, aa_report *r, aa_ip_info *info)
{
	const aa_rrset *ptr;
	aa_finding *f;
	const char *why;
	size_t i;

	info->fcrdns = AA_TRI_UNKNOWN;
	if ((info->reverse = aa_reverse_name(info->ip)) == NULL)
		return AA_ENOMEM;
	ptr = aa_recordset_get(in->rs, info->reverse, AA_T_PTR);
	info->ptr_outcome = ptr != NULL ? ptr->outcome : AA_OUT_PENDING;
	if (ptr != NULL && (ptr->outcome == AA_OUT_NXDOMAIN || ptr->outcome == AA_OUT_NODATA)) {
		f = aa_report_add(r, AA_F_IP_NO_PTR, "%s", info->ip);
		aa_finding_evidence(r, f, "%s PTR: %s", info->reverse, aa_outcome_name(ptr->outcome));
		aa_finding_set_fix(r, f,
		                   "Ask the owner of %s (your ISP or hosting provider) to publish "
		                   "\"%s. PTR mail.%s.\", and \"mail.%s. A/AAAA %s\" in your zone.",
		                   info->ip, info->reverse, in->domain, in->domain, info->ip);
	} else if (ptr != NULL && ptr->outcome == AA_OUT_ANSWER && ptr->nrr > 0) {
		for (i = 0; i < ptr->nrr; i++) {
			char **n = realloc(info->ptr, (info->nptr + 1) * sizeof(*n));
			if (n == NULL)
				return AA_ENOMEM;
			info->ptr = n;
			if ((n[info->nptr] = strdup(ptr->rr[i].data)) == NULL)
				return AA_ENOMEM;
			info->nptr++;
		}
		info->fcrdns = check_fcrdns(in, r, info, ptr);
		for (i = 0; i < ptr->nrr; i++)
			if (aa_ptr_generic(ptr->rr[i].data, ptr->rr[i].len, info->ip, &why)) {
				info->generic = 1;
				f = aa_report_add(r, AA_F_IP_PTR_GENERIC, "%s", info->ip);
				aa_finding_evidence(r, f, "%s PTR %s: %s", info->reverse, ptr->rr[i].data, why);
				aa_finding_set_fix(r, f,
				                   "Ask the owner of %s to set its PTR to a name of your "
				                   "mail host, such as mail.%s (with a matching A/AAAA "
				                   "record), or send through a relay that has one.",
				                   info->ip, in->domain);
				break;
			}
	}
	return check_dnsbls(in, r, info);
}

void
aa_check_ip(const aa_check_in *in, aa_report *r)
{
	aa_ip_facts *f;
	size_t i;

	if (in->opt == NULL || in->opt->n_ips == 0)
		return;
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->ips = calloc(in->opt->n_ips, sizeof(*f->ips))) == NULL) {
		free(f);
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_IP, f, aa_ip_facts_free);
	for (i = 0; i < in->opt->n_ips; i++) {
		aa_ip_info *info = &f->ips[f->nips];
		if (aa_is_ip_literal(in->opt->ips[i]) == 0)
			continue; /* the CLI rejects these; the library skips them */
		if ((info->ip = strdup(in->opt->ips[i])) == NULL) {
			r->oom = 1;
			return;
		}
		f->nips++;
		if (check_one_ip(in, r, info) != AA_OK) {
			r->oom = 1;
			return;
		}
	}
}
