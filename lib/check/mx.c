/*
 * mx.c — the MX area: MX hosts, their addresses and providers, EOP's
 * position, and the apex records (MS= TXT, autodiscover) that Microsoft 365
 * tenant evidence starts from; the MX_* findings these facts alone decide.
 * Rules that also need SPF or DKIM facts (MX_NONE, MX_NULL, MX_PROVIDER,
 * MX_EOP_BEHIND_RELAY, the tenant rules) are in cross.c.
 */
#include "check/check.h"
#include "records/addr.h"
#include "report/facts.h"
#include "tables/m365.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- facts --------------------------------------------------------------- */

static aa_status
host_addresses(const aa_recordset *set, aa_mx_host *h)
{
	static const aa_rrtype types[] = {AA_T_A, AA_T_AAAA};
	int failed = 0, empty = 0;
	size_t t, i;

	h->ipv4 = h->ipv6 = AA_TRI_UNKNOWN;
	for (t = 0; t < 2; t++) {
		const aa_rrset *rs = aa_recordset_get(set, h->name, types[t]);
		aa_tri *has = types[t] == AA_T_A ? &h->ipv4 : &h->ipv6;
		if (rs == NULL || rs->outcome == AA_OUT_PENDING || aa_outcome_is_error(rs->outcome)) {
			failed = 1;
			continue;
		}
		*has = rs->outcome == AA_OUT_ANSWER && rs->nrr > 0 ? AA_TRI_YES : AA_TRI_NO;
		if (rs->nchain > 0 && h->cname == NULL &&
		    (h->cname = strdup(rs->chain[rs->nchain - 1])) == NULL)
			return AA_ENOMEM;
		if (rs->outcome != AA_OUT_ANSWER) {
			empty++;
			continue;
		}
		for (i = 0; i < rs->nrr; i++) {
			const char *why;
			if (aa_strv_add(&h->addrs, &h->naddrs, rs->rr[i].data) != AA_OK)
				return AA_ENOMEM;
			if (aa_addr_unreachable(rs->rr[i].addr, types[t] == AA_T_A ? 4 : 16, &why)) {
				char *s = aa_printf("%s (%s)", rs->rr[i].data, why);
				if (s == NULL || aa_strv_add(&h->private_addrs, &h->nprivate, s) != AA_OK) {
					free(s);
					return AA_ENOMEM;
				}
				free(s);
			}
		}
	}
	if (h->naddrs > 0)
		h->addr_state = AA_MX_ADDR_OK;
	else if (failed)
		h->addr_state = AA_MX_ADDR_UNVERIFIED;
	else
		h->addr_state = AA_MX_ADDR_NONE;
	(void)empty;
	return AA_OK;
}

static int
cmp_pref(const void *x, const void *y)
{
	const aa_mx_host *a = x, *b = y;

	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	return strcmp(a->name, b->name);
}

static aa_status
collect_hosts(const aa_recordset *set, const aa_rrset *mx, aa_mx_facts *f)
{
	size_t i;

	if (mx->nrr == 0)
		return AA_OK;
	if ((f->hosts = calloc(mx->nrr, sizeof(*f->hosts))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < mx->nrr; i++) {
		aa_mx_host *h = &f->hosts[f->nhosts];
		const char *target = mx->rr[i].data;

		if ((h->name = aa_strndup_lower(target, strlen(target))) == NULL)
			return AA_ENOMEM;
		f->nhosts++;
		h->pref = mx->rr[i].pref;
		h->addr_state = AA_MX_ADDR_NOT_ASKED;
		if (aa_mx_null_target(h->name)) {
			h->is_null = 1;
			f->null_mx = 1;
			continue;
		}
		if (aa_is_ip_literal(h->name)) {
			h->ip_literal = 1;
			continue;
		}
		h->provider = aa_provider_of_mx(h->name);
		h->retired = aa_provider_mx_retired(h->name);
		if (host_addresses(set, h) != AA_OK)
			return AA_ENOMEM;
		if (h->provider == NULL && h->cname != NULL) { /* an alias of a provider's host */
			h->provider = aa_provider_of_mx(h->cname);
			h->retired = aa_provider_mx_retired(h->cname);
		}
	}
	qsort(f->hosts, f->nhosts, sizeof(*f->hosts), cmp_pref);
	return AA_OK;
}

/* ---- apex records the tenant rules read -------------------------------- */

/* MS=ms... domain verification TXT records at the apex, and the
 * autodiscover CNAME when it points at Outlook. */
static aa_status
apex_records(const aa_check_in *in, aa_mx_facts *f)
{
	const aa_rrset *txt = aa_recordset_get(in->rs, in->domain, AA_T_TXT), *ad;
	char *name;
	size_t i;

	if (txt != NULL && txt->outcome == AA_OUT_ANSWER)
		for (i = 0; i < txt->nrr; i++)
			if (txt->rr[i].len >= 5 && strncasecmp(txt->rr[i].data, "MS=ms", 5) == 0 &&
			    aa_strv_add(&f->ms_txt, &f->nms_txt, txt->rr[i].data) != AA_OK)
				return AA_ENOMEM;
	if ((name = aa_printf("autodiscover.%s", in->domain)) == NULL)
		return AA_ENOMEM;
	ad = aa_recordset_get(in->rs, name, AA_T_CNAME);
	free(name);
	if (ad != NULL && ad->outcome == AA_OUT_ANSWER)
		for (i = 0; i < ad->nrr && f->autodiscover == NULL; i++)
			if (aa_name_at_or_below(ad->rr[i].data, "outlook.com") &&
			    (f->autodiscover = strdup(ad->rr[i].data)) == NULL)
				return AA_ENOMEM;
	return AA_OK;
}

/* EOP among the MX hosts, and whether it alone holds the lowest preference;
 * `relay`: the first non-EOP host at or before EOP's preference; `backup`:
 * when EOP is primary, the first non-EOP host after it. */
static void
eop_position(aa_mx_facts *f)
{
	size_t i;

	f->eop = NULL;
	f->relay = NULL;
	f->backup = NULL;
	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i].provider != NULL && f->hosts[i].provider->id == AA_PROV_EOP) {
			f->eop = &f->hosts[i];
			break;
		}
	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		f->real++;
		if (f->relay == NULL && (h->provider == NULL || h->provider->id != AA_PROV_EOP) &&
		    (f->eop == NULL || h->pref <= f->eop->pref))
			f->relay = h;
	}
	f->eop_mx = f->eop != NULL;
	f->eop_primary = f->eop != NULL && f->relay == NULL;
	for (i = 0; f->eop_primary && i < f->nhosts && f->backup == NULL; i++)
		if (!f->hosts[i].is_null &&
		    (f->hosts[i].provider == NULL || f->hosts[i].provider->id != AA_PROV_EOP))
			f->backup = &f->hosts[i];
}

/* EOP is the primary MX but another host takes mail when senders choose it:
 * spammers favour backup MX hosts precisely because they filter less. */
static void
eop_backup(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	const aa_mx_host *eop = f->eop, *b = f->backup;
	aa_finding *fd;
	size_t i;

	if (b == NULL || eop == NULL)
		return;
	fd = aa_report_add(r, AA_F_MX_EOP_BACKUP, "%s", b->name);
	for (i = 0; i < f->nhosts; i++)
		if (!f->hosts[i].is_null)
			aa_finding_evidence(r, fd, "%s MX %u %s (%s)", in->domain, f->hosts[i].pref,
			                    f->hosts[i].name,
			                    f->hosts[i].provider != NULL ? f->hosts[i].provider->name
			                                                 : "not a known provider");
	aa_finding_set_detail(r, fd,
	                      "Senders that pick %s (preference %u) instead of %s reach the domain "
	                      "without Exchange Online Protection's filtering, or EOP receives their "
	                      "mail from %s's IP address and judges SPF against it (KB3089691).",
	                      b->name, b->pref, eop->name, b->name);
	aa_finding_set_fix(r, fd,
	                   "Remove \"%s. MX %u %s.\": Exchange Online Protection is a redundant pool "
	                   "and needs no backup MX.  If the backup must stay, let it accept mail only "
	                   "for relaying to EOP and configure Enhanced Filtering for Connectors "
	                   "(" AA_M365_EFC_PORTAL ") on the inbound connector from it.",
	                   in->domain, b->pref, b->name);
}

/* ---- findings ------------------------------------------------------------ */

static void
mx_host_findings(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	size_t i, j, real = 0, reachable = 0, with_ipv4 = 0;
	aa_finding *fd;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		real++;
		if (h->addr_state == AA_MX_ADDR_OK || h->addr_state == AA_MX_ADDR_UNVERIFIED)
			reachable++;
		with_ipv4 += h->ipv4 == AA_TRI_YES;
	}
	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		if (h->ip_literal) {
			fd = aa_report_add(r, AA_F_MX_IP_LITERAL, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_set_detail(r, fd,
			                      "Senders look \"%s\" up as a host name, which does not "
			                      "exist, so they never connect to that address.",
			                      h->name);
			aa_finding_set_fix(r, fd,
			                   "Publish a host name for the address (\"mx1.%s. A %s\") and "
			                   "point the MX at it: \"%s. MX %u mx1.%s.\"",
			                   in->domain, h->name, in->domain, h->pref, in->domain);
			continue;
		}
		if (h->cname != NULL) {
			fd = aa_report_add(r, AA_F_MX_CNAME, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_evidence(r, fd, "%s is an alias (CNAME) of %s", h->name, h->cname);
			aa_finding_set_fix(r, fd, "Point the MX at the canonical name: \"%s. MX %u %s.\"",
			                   in->domain, h->pref, h->cname);
		}
		if (h->addr_state == AA_MX_ADDR_NONE) {
			fd = aa_report_add(r, AA_F_MX_TARGET_UNRESOLVABLE, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_evidence(r, fd, "%s has no A or AAAA record", h->name);
			if (fd != NULL && reachable == 0) {
				fd->severity = AA_SEV_CRITICAL;
				aa_finding_set_detail(r, fd,
				                      "No MX host of %s has an address: mail to the "
				                      "domain cannot be delivered at all.",
				                      in->domain);
			}
		}
		/* all addresses unreachable anyway: MX_TARGET_PRIVATE says more */
		if (h->ipv4 == AA_TRI_NO && h->ipv6 == AA_TRI_YES && h->nprivate < h->naddrs) {
			fd = aa_report_add(r, AA_F_MX_TARGET_IPV6_ONLY, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_evidence(r, fd, "%s has AAAA records and no A record", h->name);
			if (fd != NULL && with_ipv4 > 0) {
				fd->severity = AA_SEV_LOW;
				aa_finding_set_detail(r, fd,
				                      "IPv4-only senders skip %s and deliver to the other MX "
				                      "hosts, which have IPv4 addresses; %s is a backup for "
				                      "IPv6 senders only.",
				                      h->name, h->name);
			}
		}
		if (h->nprivate > 0) {
			fd = aa_report_add(r, AA_F_MX_TARGET_PRIVATE, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			for (j = 0; j < h->nprivate; j++)
				aa_finding_evidence(r, fd, "%s has address %s", h->name, h->private_addrs[j]);
		}
	}
	if (real == 1) {
		for (i = 0; i < f->nhosts && f->hosts[i].is_null; i++)
			;
		if (i < f->nhosts &&
		    (f->hosts[i].provider == NULL || !f->hosts[i].provider->highly_available)) {
			fd = aa_report_add(r, AA_F_MX_SINGLE, "%s", f->hosts[i].name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, f->hosts[i].pref,
			                    f->hosts[i].name);
		}
	}
}

static void
mixed_providers(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	int seen[AA_PROV_COUNT] = {0};
	size_t i, distinct = 0;
	aa_buf names = {0};
	aa_finding *fd;
	char *list;

	for (i = 0; i < f->nhosts; i++) {
		const aa_provider *p = f->hosts[i].provider;
		if (p == NULL || seen[p->id]++)
			continue;
		aa_buf_printf(&names, "%s%s", distinct > 0 ? ", " : "", p->name);
		distinct++;
	}
	list = aa_buf_take(&names);
	if (distinct > 1) {
		fd = aa_report_add(r, AA_F_MX_MIXED_PROVIDERS, "%s", list != NULL ? list : "?");
		for (i = 0; i < f->nhosts; i++)
			if (f->hosts[i].provider != NULL)
				aa_finding_evidence(r, fd, "MX %u %s: %s", f->hosts[i].pref, f->hosts[i].name,
				                    f->hosts[i].provider->name);
		aa_finding_set_detail(r, fd,
		                      "Senders pick the MX with the lowest preference and fall back "
		                      "to the others when it is busy or down, so mail for %s lands "
		                      "at %s depending on the moment.",
		                      in->domain, list != NULL ? list : "several providers");
	}
	free(list);
}

/* MX hosts at endpoints their provider has retired. */
static void
retired_hosts(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	aa_finding *fd;
	char *dashes;
	size_t i;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null || h->retired == NULL)
			continue;
		fd = aa_report_add(r, AA_F_MX_RETIRED_SERVICE, "%s", h->name);
		aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
		if (h->cname != NULL)
			aa_finding_evidence(r, fd, "%s is an alias (CNAME) of %s", h->name, h->cname);
		aa_finding_set_detail(r, fd, "%s.", h->retired);
		if (h->provider == NULL || h->provider->id != AA_PROV_EOP) {
			aa_finding_set_fix(r, fd,
			                   "Point the MX at the service that receives the domain's mail now "
			                   "and remove \"%s. MX %u %s.\"",
			                   in->domain, h->pref, h->name);
			continue;
		}
		/* Both current EOP formats; which one the tenant has is shown in
		 * the admin center, not in DNS. */
		if ((dashes = aa_m365_domain_dashes(in->domain)) == NULL) {
			r->oom = 1;
			return;
		}
		aa_finding_set_fix(r, fd,
		                   "Replace it with the MX value shown in " AA_M365_ADMIN_MX ": \"%s. MX %u "
		                   "%s.mail.protection.outlook.com.\", or for domains added since May 2025 "
		                   "\"%s. MX %u %s.<x>-v1.mx.microsoft.\".",
		                   in->domain, h->pref, dashes, in->domain, h->pref, dashes);
		free(dashes);
	}
}

/* EOP is an MX but a relay receives first (KB3089691). */
static void
eop_not_primary(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	const aa_mx_host *eop = f->eop, *relay = f->relay;
	aa_finding *fd;
	size_t i;

	if (eop == NULL || relay == NULL)
		return;
	fd = aa_report_add(r, AA_F_MX_EOP_NOT_PRIMARY, "%s", eop->name);
	for (i = 0; i < f->nhosts; i++)
		if (!f->hosts[i].is_null)
			aa_finding_evidence(r, fd, "%s MX %u %s%s", in->domain, f->hosts[i].pref,
			                    f->hosts[i].name,
			                    &f->hosts[i] == eop ? " (Exchange Online Protection)" : "");
	aa_finding_set_detail(r, fd,
	                      "Senders deliver to %s (preference %u, %s) %s; it passes the mail "
	                      "on to EOP, which then takes %s's IP for the sender's (Microsoft "
	                      "KB3089691): SPF and a DMARC result that rests on it are evaluated "
	                      "against the relay, and with the Advanced Spam Filter option \"SPF "
	                      "record: hard fail\" every sender with -all is marked as spam. DKIM "
	                      "still verifies unless the relay alters the message.",
	                      relay->name, relay->pref,
	                      relay->provider != NULL ? relay->provider->name
	                                              : "an on-premises server or a filter not in the "
	                                                "provider table",
	                      relay->pref == eop->pref ? "as often as to EOP (same preference)" : "first",
	                      relay->name);
	aa_finding_set_fix(r, fd,
	                   "Either make EOP the primary MX: \"%s. MX 0 %s.\" and raise or remove \"MX %u "
	                   "%s.\"; or, if %s must receive first, enable Enhanced Filtering for Connectors "
	                   "(skip listing) on the inbound connector from it (" AA_M365_EFC_PORTAL "), "
	                   "listing the relay's IP addresses, and turn off \"SPF record: hard fail\".",
	                   in->domain, eop->name, relay->pref, relay->name, relay->name);
}

/* The MX facts: hosts in preference order with their addresses and
 * providers, EOP's position, and the apex records the tenant rules read. */
static aa_mx_facts *
mx_derive(const aa_check_in *in)
{
	const aa_rrset *mx = aa_recordset_get(in->rs, in->domain, AA_T_MX);
	aa_mx_facts *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->mx_outcome = mx != NULL ? mx->outcome : AA_OUT_PENDING;
	if ((mx != NULL && mx->outcome == AA_OUT_ANSWER && collect_hosts(in->rs, mx, f) != AA_OK) ||
	    apex_records(in, f) != AA_OK) {
		aa_mx_facts_free(f);
		return NULL;
	}
	eop_position(f);
	return f;
}

/* MX_NONE and MX_NULL depend on whether the domain sends mail, which the
 * SPF and DKIM facts tell: the cross-area step (cross.c) reports them. */
static void
mx_judge(const aa_check_in *in, const aa_mx_facts *f, aa_report *r)
{
	aa_finding *fd;
	size_t i;

	if (f->nhosts > 0) {
		if (f->null_mx && f->real > 0) {
			fd = aa_report_add(r, AA_F_MX_NULL_MIXED, "%s", in->domain);
			for (i = 0; i < f->nhosts; i++)
				aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, f->hosts[i].pref,
				                    f->hosts[i].is_null ? "." : f->hosts[i].name);
		}
		mx_host_findings(in, r, f);
		retired_hosts(in, r, f);
		mixed_providers(in, r, f);
	}
	if (f->mx_outcome == AA_OUT_ANSWER && !f->null_mx) {
		eop_not_primary(in, r, f);
		eop_backup(in, r, f);
	}
}

void
aa_check_mx(const aa_check_in *in, aa_report *r)
{
	aa_mx_facts *f = mx_derive(in);

	if (f == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_MX, f, aa_mx_facts_free);
	mx_judge(in, f, r);
}
