/*
 * ip.c — the sending-IP module (--ip, --dnsbl): reverse DNS, forward
 * confirmation, generic PTR names and DNS blocklists.  ip_derive reads the
 * record set into aa_ip_facts; ip_judge turns those into IP_* findings.
 */
#include "check/ip.h"
#include "check/check.h"
#include "records/addr.h"
#include "report/facts.h"
#include "tables/dnsbl.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- generic PTR names ------------------------------------------------- */

static const char *const generic_words[] = {
    "dynamic",  "dyn",    "dsl",         "adsl",   "vdsl",   "xdsl",      "pool",    "cable",
    "dhcp",     "ppp",    "pppoe",       "dialup", "dial",   "broadband", "client",  "customer",
    "cust",     "resi",   "residential", "dip",    "dyndsl", "ftth",      "fibre",   "catv",
    "wireless", "mobile", "user",        "nat",    "cpe",    "host",      "unknown", "unassigned",
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

/* ---- derive: the facts --------------------------------------------------- */

static int
usable(aa_outcome o)
{
	return o != AA_OUT_PENDING && !aa_outcome_is_error(o);
}

static aa_outcome
outcome_of(const aa_rrset *rs)
{
	return rs != NULL ? rs->outcome : AA_OUT_PENDING;
}

/* The forward lookup of one PTR name; 1 in *match when it holds the IP. */
static aa_status
forward_of(const aa_check_in *in, const char *name, const unsigned char *ip, int v4, aa_ip_forward *fw,
           int *match)
{
	const aa_rrset *rs = aa_recordset_get(in->rs, name, v4 ? AA_T_A : AA_T_AAAA);
	aa_buf addrs = {0};
	size_t j;

	if ((fw->name = strdup(name)) == NULL)
		return AA_ENOMEM;
	fw->outcome = outcome_of(rs);
	if (!usable(fw->outcome))
		return AA_OK;
	for (j = 0; j < rs->nrr; j++) {
		aa_buf_printf(&addrs, "%s%s", j > 0 ? ", " : "", rs->rr[j].data);
		if (memcmp(rs->rr[j].addr, ip, v4 ? 4 : 16) == 0)
			*match = 1;
	}
	if (rs->nrr == 0)
		return AA_OK; /* the evidence then names the outcome */
	fw->addrs = aa_buf_take(&addrs);
	return fw->addrs == NULL ? AA_ENOMEM : AA_OK;
}

/* Does a PTR name resolve back to the IP (forward-confirmed reverse DNS)?
 * Every name's forward answer is kept: the mismatch evidence lists them. */
static aa_status
derive_fcrdns(const aa_check_in *in, aa_ip_info *info, const aa_rrset *ptr)
{
	unsigned char b[16];
	int v4 = inet_pton(AF_INET, info->ip, b) == 1, unknown = 0, match = 0;
	size_t i, n = ptr->nrr < AA_MAX_PTR_NAMES ? ptr->nrr : AA_MAX_PTR_NAMES;

	if (!v4)
		inet_pton(AF_INET6, info->ip, b);
	if ((info->forward = calloc(n, sizeof(*info->forward))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < n; i++) {
		aa_ip_forward *fw = &info->forward[info->nforward++];
		if (forward_of(in, ptr->rr[i].data, b, v4, fw, &match) != AA_OK)
			return AA_ENOMEM;
		if (!usable(fw->outcome))
			unknown = 1;
	}
	info->fcrdns = match ? AA_TRI_YES : unknown ? AA_TRI_UNKNOWN : AA_TRI_NO;
	return AA_OK;
}

/* The PTR names, forward confirmation, and the first generic-looking name. */
static aa_status
derive_ptr(const aa_check_in *in, aa_ip_info *info, const aa_rrset *ptr)
{
	const char *why;
	size_t i;

	for (i = 0; i < ptr->nrr; i++)
		if (aa_strv_add(&info->ptr, &info->nptr, ptr->rr[i].data) != AA_OK)
			return AA_ENOMEM;
	if (derive_fcrdns(in, info, ptr) != AA_OK)
		return AA_ENOMEM;
	for (i = 0; i < ptr->nrr; i++)
		if (aa_ptr_generic(ptr->rr[i].data, ptr->rr[i].len, info->ip, &why)) {
			info->generic = 1;
			info->generic_ptr = i;
			info->generic_why = why;
			break;
		}
	return AA_OK;
}

/* What one blocklist answered for the IP: each A record decoded, and the
 * list's TXT reason. */
static aa_status
derive_dnsbl(const aa_check_in *in, const char *ip, const char *zone, aa_dnsbl_result *res)
{
	const aa_rrset *rs, *txt;
	size_t i;

	if ((res->zone = strdup(zone)) == NULL || (res->name = aa_dnsbl_name(ip, zone)) == NULL)
		return AA_ENOMEM;
	rs = aa_recordset_get(in->rs, res->name, AA_T_A);
	txt = aa_recordset_get(in->rs, res->name, AA_T_TXT);
	res->outcome = outcome_of(rs);
	if (rs == NULL || rs->outcome != AA_OUT_ANSWER)
		return AA_OK; /* NXDOMAIN: not listed; errors: IP_DNSBL_NOT_CHECKED */
	if (txt != NULL && usable(txt->outcome) && txt->nrr > 0 &&
	    (res->txt = strdup(txt->rr[0].data)) == NULL)
		return AA_ENOMEM;
	if ((res->answers = calloc(rs->nrr > 0 ? rs->nrr : 1, sizeof(*res->answers))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < rs->nrr; i++) {
		aa_dnsbl_answer *a = &res->answers[res->nanswers++];
		aa_dnsbl_decode(zone, rs->rr[i].addr, &a->m);
		if ((a->code = strdup(rs->rr[i].data)) == NULL)
			return AA_ENOMEM;
	}
	if (res->nanswers > 0 && ((res->code = strdup(res->answers[0].code)) == NULL ||
	                          (res->meaning = strdup(res->answers[0].m.meaning)) == NULL))
		return AA_ENOMEM;
	return AA_OK;
}

static aa_status
derive_one_ip(const aa_check_in *in, aa_ip_info *info)
{
	const char *const *zones;
	const aa_rrset *ptr;
	size_t z, nzones;

	info->fcrdns = AA_TRI_UNKNOWN;
	if ((info->reverse = aa_reverse_name(info->ip)) == NULL)
		return AA_ENOMEM;
	ptr = aa_recordset_get(in->rs, info->reverse, AA_T_PTR);
	info->ptr_outcome = outcome_of(ptr);
	if (ptr != NULL && ptr->outcome == AA_OUT_ANSWER && ptr->nrr > 0 &&
	    derive_ptr(in, info, ptr) != AA_OK)
		return AA_ENOMEM;
	zones = aa_dnsbl_zones(in->opt, &nzones);
	if ((info->dnsbl = calloc(nzones > 0 ? nzones : 1, sizeof(*info->dnsbl))) == NULL)
		return AA_ENOMEM;
	for (z = 0; z < nzones; z++)
		if (derive_dnsbl(in, info->ip, zones[z], &info->dnsbl[info->ndnsbl++]) != AA_OK)
			return AA_ENOMEM;
	return AA_OK;
}

/* The facts of every --ip that is an address (the CLI rejects the others;
 * the library skips them); NULL when --ip is not given. */
static aa_ip_facts *
ip_derive(const aa_check_in *in)
{
	aa_ip_facts *f;
	size_t i;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->ips = calloc(in->opt->n_ips, sizeof(*f->ips))) == NULL) {
		free(f);
		return NULL;
	}
	for (i = 0; i < in->opt->n_ips; i++) {
		aa_ip_info *info = &f->ips[f->nips];
		if (aa_is_ip_literal(in->opt->ips[i]) == 0)
			continue;
		f->nips++;
		if ((info->ip = strdup(in->opt->ips[i])) == NULL || derive_one_ip(in, info) != AA_OK) {
			aa_ip_facts_free(f);
			return NULL;
		}
	}
	return f;
}

/* ---- judge: the findings -------------------------------------------------- */

static void
fcrdns_mismatch(aa_report *r, const aa_ip_info *info)
{
	int v6 = strchr(info->ip, ':') != NULL;
	aa_finding *f = aa_report_add(r, AA_F_IP_FCRDNS_MISMATCH, "%s", info->ip);
	size_t i;

	for (i = 0; i < info->nforward; i++) {
		const aa_ip_forward *fw = &info->forward[i];
		aa_finding_evidence(r, f, "%s PTR %s; %s %s: %s", info->reverse, fw->name, fw->name,
		                    v6 ? "AAAA" : "A",
		                    fw->addrs != NULL ? fw->addrs : aa_outcome_name(fw->outcome));
	}
	aa_finding_set_fix(r, f, "Publish \"%s. %s %s\" (or change the PTR to a name that has it).",
	                   info->ptr[0], v6 ? "AAAA" : "A", info->ip);
}

static void
ptr_findings(const aa_check_in *in, aa_report *r, const aa_ip_info *info)
{
	aa_finding *f;

	if (info->ptr_outcome == AA_OUT_NXDOMAIN || info->ptr_outcome == AA_OUT_NODATA) {
		f = aa_report_add(r, AA_F_IP_NO_PTR, "%s", info->ip);
		aa_finding_evidence(r, f, "%s PTR: %s", info->reverse, aa_outcome_name(info->ptr_outcome));
		aa_finding_set_fix(r, f,
		                   "Ask the owner of %s (your ISP or hosting provider) to publish "
		                   "\"%s. PTR mail.%s.\", and \"mail.%s. A/AAAA %s\" in your zone.",
		                   info->ip, info->reverse, in->domain, in->domain, info->ip);
		return;
	}
	if (info->fcrdns == AA_TRI_NO)
		fcrdns_mismatch(r, info);
	if (info->generic) {
		f = aa_report_add(r, AA_F_IP_PTR_GENERIC, "%s", info->ip);
		aa_finding_evidence(r, f, "%s PTR %s: %s", info->reverse, info->ptr[info->generic_ptr],
		                    info->generic_why);
		aa_finding_set_fix(r, f,
		                   "Ask the owner of %s to set its PTR to a name of your "
		                   "mail host, such as mail.%s (with a matching A/AAAA "
		                   "record), or send through a relay that has one.",
		                   info->ip, in->domain);
	}
}

static void
dnsbl_findings(aa_report *r, const aa_ip_info *info, const aa_dnsbl_result *res)
{
	aa_finding *f;
	size_t i;

	if (aa_outcome_is_error(res->outcome)) {
		/* the list's or the resolver's failure, not the domain's DNS */
		f = aa_report_add(r, AA_F_IP_DNSBL_NOT_CHECKED, "%s on %s", info->ip, res->zone);
		aa_finding_evidence(r, f, "%s A: %s: blocklist not checked", res->name,
		                    aa_outcome_name(res->outcome));
		return;
	}
	for (i = 0; i < res->nanswers; i++) {
		const aa_dnsbl_answer *a = &res->answers[i];
		if (a->m.verdict != AA_DNSBL_LISTED) {
			f = aa_report_add(r, AA_F_IP_DNSBL_UNUSABLE, "%s on %s", info->ip, res->zone);
			aa_finding_evidence(r, f, "%s A %s: %s", res->name, a->code, a->m.meaning);
			continue;
		}
		f = aa_report_add(r, AA_F_IP_DNSBL_LISTED, "%s on %s", info->ip, res->zone);
		aa_finding_evidence(r, f, "%s A %s: %s: %s", res->name, a->code, a->m.list, a->m.meaning);
		if (res->txt != NULL)
			aa_finding_evidence(r, f, "%s TXT \"%s\"", res->name, res->txt);
		aa_finding_set_fix(r, f,
		                   "Find and stop the cause first (a compromised account or host, an open "
		                   "relay, a form that sends to anyone), then request removal: %s. Exchange "
		                   "Online bounces 550 5.7.606-5.7.649 (banned sending IP) are not this "
		                   "list: delist the IP at Microsoft's portal https://sender.office.com.",
		                   a->m.delist);
	}
}

static void
ip_judge(const aa_check_in *in, const aa_ip_facts *f, aa_report *r)
{
	size_t i, z;

	for (i = 0; i < f->nips; i++) {
		ptr_findings(in, r, &f->ips[i]);
		for (z = 0; z < f->ips[i].ndnsbl; z++)
			dnsbl_findings(r, &f->ips[i], &f->ips[i].dnsbl[z]);
	}
}

void
aa_check_ip(const aa_check_in *in, aa_report *r)
{
	aa_ip_facts *f;

	if (in->opt == NULL || in->opt->n_ips == 0)
		return;
	if ((f = ip_derive(in)) == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_IP, f, aa_ip_facts_free);
	ip_judge(in, f, r);
}
