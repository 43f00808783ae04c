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
		if (strlen(generic_words[i]) == len && strncmp(tok, generic_words[i], len) == 0)
			return 1;
	return 0;
}

/* Splits a name into tokens: runs of letters and runs of digits. */
typedef struct tokens {
	char tok[64][64];
	int digit[64];
	size_t n;
} tokens;

static void
tokenize(const char *name, tokens *t)
{
	const char *p = name;

	t->n = 0;
	while (*p != '\0' && t->n < 64) {
		size_t len = 0;
		int dig;
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		dig = isdigit((unsigned char)*p) != 0;
		while (*p != '\0' && isalnum((unsigned char)*p) && (isdigit((unsigned char)*p) != 0) == dig) {
			if (len < 63)
				t->tok[t->n][len++] = (char)tolower((unsigned char)*p);
			p++;
		}
		t->tok[t->n][len] = '\0';
		t->digit[t->n] = dig;
		t->n++;
	}
}

/* Does a run of consecutive number tokens starting at token i spell the
 * n octets want[0..n-1]? */
static int
spells(const tokens *t, size_t i, const int *want, size_t n)
{
	size_t k;

	if (i + n > t->n)
		return 0;
	for (k = 0; k < n; k++)
		if (!t->digit[i + k] || strlen(t->tok[i + k]) > 3 || atoi(t->tok[i + k]) != want[k])
			return 0;
	return 1;
}

/* The IP's octets appear as consecutive numbers (all four in either order,
 * or the last three), or the IP is written in hex. */
static int
has_ip_digits(const char *name, const unsigned char o[4])
{
	const int fwd[4] = {o[0], o[1], o[2], o[3]}, rev[4] = {o[3], o[2], o[1], o[0]};
	char hex[9], lname[256];
	tokens t;
	size_t i;

	snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", o[0], o[1], o[2], o[3]);
	snprintf(lname, sizeof(lname), "%s", name);
	for (i = 0; lname[i] != '\0'; i++)
		lname[i] = (char)tolower((unsigned char)lname[i]);
	if (strstr(lname, hex) != NULL)
		return 1;
	tokenize(name, &t);
	for (i = 0; i < t.n; i++)
		if (spells(&t, i, fwd, 4) || spells(&t, i, rev, 4) || spells(&t, i, fwd + 1, 3) ||
		    spells(&t, i, rev, 3))
			return 1;
	return 0;
}

int
aa_ptr_generic(const char *name, const char *ip, const char **why)
{
	unsigned char b[16];
	tokens t;
	size_t i, labels = 0, last = 0;
	const char *p;

	if (inet_pton(AF_INET, ip, b) == 1 && has_ip_digits(name, b)) {
		*why = "the name contains the IP address's digits";
		return 1;
	}
	/* Words in the host part only: the last two labels are the
	 * provider's domain ("dyn.example" would otherwise match). */
	for (p = name; *p != '\0'; p++)
		if (*p == '.')
			labels++;
	if (labels < 2)
		return 0;
	for (p = name, i = 0; *p != '\0'; p++)
		if (*p == '.' && ++i == labels - 1)
			last = (size_t)(p - name);
	{
		char host[256];
		snprintf(host, sizeof(host), "%.*s", (int)last, name);
		tokenize(host, &t);
	}
	for (i = 0; i < t.n; i++)
		if (!t.digit[i] && is_generic_word(t.tok[i], strlen(t.tok[i]))) {
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

/* 1 confirmed, 0 not, -1 not verified. */
static int
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
				return 1;
	}
	if (unknown)
		return -1;
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
	return 0;
}

static int
check_dnsbls(const aa_check_in *in, aa_report *r, aa_ip_info *info)
{
	const char *const *zones;
	size_t z, nzones, i;

	zones = aa_dnsbl_zones(in->opt, &nzones);
	if ((info->dnsbl = calloc(nzones, sizeof(*info->dnsbl))) == NULL)
		return -1;
	for (z = 0; z < nzones; z++) {
		aa_dnsbl_result *res = &info->dnsbl[info->ndnsbl];
		char *name = aa_dnsbl_name(info->ip, zones[z]);
		const aa_rrset *rs, *txt;
		aa_dnsbl_meaning m;
		aa_finding *f;

		if (name == NULL)
			return -1;
		rs = aa_recordset_get(in->rs, name, AA_T_A);
		txt = aa_recordset_get(in->rs, name, AA_T_TXT);
		if ((res->zone = strdup(zones[z])) == NULL) {
			free(name);
			return -1;
		}
		info->ndnsbl++;
		res->outcome = rs != NULL ? (int)rs->outcome : AA_OUT_PENDING;
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
	return 0;
}

static int
check_one_ip(const aa_check_in *in, aa_report *r, aa_ip_info *info)
{
	const aa_rrset *ptr;
	aa_finding *f;
	const char *why;
	size_t i;

	info->fcrdns = -1;
	if ((info->reverse = aa_reverse_name(info->ip)) == NULL)
		return -1;
	ptr = aa_recordset_get(in->rs, info->reverse, AA_T_PTR);
	info->ptr_outcome = ptr != NULL ? (int)ptr->outcome : AA_OUT_PENDING;
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
				return -1;
			info->ptr = n;
			if ((n[info->nptr] = strdup(ptr->rr[i].data)) == NULL)
				return -1;
			info->nptr++;
		}
		info->fcrdns = check_fcrdns(in, r, info, ptr);
		for (i = 0; i < ptr->nrr; i++)
			if (aa_ptr_generic(ptr->rr[i].data, info->ip, &why)) {
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
		if (check_one_ip(in, r, info) != 0) {
			r->oom = 1;
			return;
		}
	}
}
