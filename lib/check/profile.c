/*
 * profile.c — the records a provider expects (--profile m365|google), as
 * checklist items in the report.  Part of the cross-area step: reads the
 * MX, SPF, DKIM and DMARC facts, never the records again.
 */
#include "check/check.h"
#include "report/facts.h"
#include "tables/m365.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The lowest-preference MX hosts all belong to `provider`. */
static int
primary_mx_is(const aa_mx_facts *mx, aa_provider_id provider)
{
	unsigned best = 65536;
	size_t i;
	int ok = 0;

	for (i = 0; mx != NULL && i < mx->nhosts; i++)
		if (!mx->hosts[i].is_null && mx->hosts[i].pref < best)
			best = mx->hosts[i].pref;
	for (i = 0; mx != NULL && i < mx->nhosts; i++) {
		if (mx->hosts[i].is_null || mx->hosts[i].pref != best)
			continue;
		if (mx->hosts[i].provider == NULL || mx->hosts[i].provider->id != provider)
			return 0;
		ok = 1;
	}
	return ok;
}

/* The domain's own SPF record has include:NAME (a term of the root). */
static int
spf_includes(const aa_spf_facts *spf, const char *name)
{
	size_t i;

	if (spf == NULL || !spf->has_record || spf->tree == NULL)
		return 0;
	for (i = 0; i < spf->tree->nkids; i++)
		if (spf->tree->kids[i]->via == AA_SPF_VIA_INCLUDE &&
		    strcasecmp(spf->tree->kids[i]->name, name) == 0)
			return 1;
	return 0;
}

/* Both Microsoft 365 selectors are CNAMEs into the tenant's DKIM domain. */
static int
m365_selector_cnames(const aa_dkim_facts *dk)
{
	size_t i;

	for (i = 0; i < aa_n_m365_selectors; i++) {
		const aa_dkim_key *k = dk != NULL ? aa_dkim_find(dk, aa_m365_selectors[i]) : NULL;
		if (k == NULL || !aa_m365_dkim_target(k->cname))
			return 0;
	}
	return 1;
}

/* A key record (any key, weak or not) at `selector`. */
static int
dkim_key_at(const aa_dkim_facts *dk, const char *selector)
{
	const aa_dkim_key *k = dk != NULL ? aa_dkim_find(dk, selector) : NULL;

	return k != NULL && k->record != NULL && k->outcome != AA_DKIM_ABSENT &&
	       k->outcome != AA_DKIM_DANGLING && k->outcome != AA_DKIM_DNS_ERROR;
}

/* tmpl with "<domain>" and "<domain-with-dashes>" (the domain with its
 * dots as dashes, as Microsoft names the EOP MX host) filled in: the
 * checklist shows what to publish, not a form to fill. */
static char *
fill(const char *tmpl, const char *domain)
{
	static const char dashes[] = "<domain-with-dashes>", plain[] = "<domain>";
	aa_buf b = {0};
	const char *p = tmpl, *d;

	/* run by run, not byte by byte: every audit fills some thirty of
	 * these, and byte-sized appends were a twentieth of a batch's CPU */
	while (*p != '\0') {
		const char *lt = strchr(p, '<');
		if (lt == NULL) {
			aa_buf_puts(&b, p);
			break;
		}
		aa_buf_add(&b, p, (size_t)(lt - p));
		p = lt;
		if (strncmp(p, dashes, sizeof(dashes) - 1) == 0) {
			for (d = domain; *d != '\0';) {
				size_t n = strcspn(d, ".");
				aa_buf_add(&b, d, n);
				d += n;
				if (*d == '.') {
					aa_buf_add(&b, "-", 1);
					d++;
				}
			}
			p += sizeof(dashes) - 1;
		} else if (strncmp(p, plain, sizeof(plain) - 1) == 0) {
			aa_buf_puts(&b, domain);
			p += sizeof(plain) - 1;
		} else {
			aa_buf_add(&b, p++, 1);
		}
	}
	return b.len > 0 ? aa_buf_take(&b) : (aa_buf_free(&b), strdup(""));
}

static void
add_item(const aa_check_in *in, aa_report *r, aa_group group, aa_item_state ok, int from_profile,
         const char *text, const char *fix)
{
	aa_profile_item *n = realloc(r->profile, (r->nprofile + 1) * sizeof(*n));

	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->profile = n;
	n[r->nprofile].group = group;
	n[r->nprofile].ok = ok;
	n[r->nprofile].from_profile = from_profile;
	n[r->nprofile].text = fill(text, in->domain);
	n[r->nprofile].fix = fill(fix, in->domain);
	if (n[r->nprofile].text == NULL || n[r->nprofile].fix == NULL)
		r->oom = 1;
	r->nprofile++;
}

/* An expected record of the --profile; ok: whether it is there. */
#define item(in, r, group, ok, text, fix) \
	add_item(in, r, group, (ok) ? AA_ITEM_OK : AA_ITEM_MISSING, 1, text, fix)

/* What this run did not check, and MTA-STS when absent: the checklist
 * never ticks what nobody looked at. */
static void
unchecked_items(const aa_check_in *in, aa_report *r)
{
	const aa_transport_facts *t = aa_report_facts(r, AA_AREA_TRANSPORT);

	if (in->opt == NULL || in->opt->n_ips == 0)
		add_item(in, r, AA_GROUP_TRANSPORT, AA_ITEM_NOT_CHECKED, 0,
		         "Sending IPs: reverse DNS, forward confirmation, DNSBLs, SPF result",
		         "Run the audit again with --ip ADDR for each address mail leaves from.");
	if (in->opt == NULL || in->opt->envelope_from == NULL)
		add_item(in, r, AA_GROUP_TRANSPORT, AA_ITEM_NOT_CHECKED, 0,
		         "Return-Path: bounces can arrive, and its SPF aligns with <domain>",
		         "Run the audit again with --envelope-from ADDR, the Return-Path your mail is "
		         "sent with.");
	if (t == NULL || t->domain_nxdomain || t->mta_sts.nrecords > 0)
		return;
	if (!t->mta_sts.asked || aa_outcome_is_error(t->mta_sts.outcome))
		add_item(in, r, AA_GROUP_TRANSPORT, AA_ITEM_NOT_CHECKED, 0,
		         "MTA-STS (_mta-sts.<domain> TXT): the lookup failed",
		         "Re-run the audit when the domain's name servers answer.");
	else
		add_item(in, r, AA_GROUP_TRANSPORT, AA_ITEM_MISSING, 0,
		         "(optional) MTA-STS is published: senders must use TLS to reach <domain>",
		         "Serve the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt (start with "
		         "mode: testing), then publish \"_mta-sts.<domain> TXT v=STSv1; id=<a date>\" "
		         "(RFC 8461); add TLS-RPT to hear about failures.");
}

static void
m365(const aa_check_in *in, aa_report *r)
{
	const aa_mx_facts *mx = aa_report_facts(r, AA_AREA_MX);

	/* Both MX formats are current (tables/m365.h); which one the tenant was
	 * given is shown in the admin center, not in DNS. */
	item(in, r, AA_GROUP_MX, primary_mx_is(mx, AA_PROV_EOP),
	     "The primary MX is Exchange Online Protection "
	     "(<domain-with-dashes>.mail.protection.outlook.com, "
	     "or <domain-with-dashes>.<x>-v1.mx.microsoft for domains added since May 2025)",
	     "Publish, at preference 0, the MX value (<domain-with-dashes>.mail.protection.outlook.com or "
	     "<domain-with-dashes>.<x>-v1.mx.microsoft) shown in " AA_M365_ADMIN_MX
	     " and remove other MX records, or configure Enhanced Filtering for Connectors "
	     "(" AA_M365_EFC_PORTAL ") if a filter must stay in front.");
	item(in, r, AA_GROUP_M365, mx != NULL && mx->nms_txt > 0,
	     "The MS=ms... domain verification TXT record is published",
	     "Publish the \"MS=ms...\" TXT record shown in the Microsoft 365 admin center (Settings, "
	     "Domains).");
	item(in, r, AA_GROUP_SPF, spf_includes(aa_report_facts(r, AA_AREA_SPF), AA_M365_SPF_DOMAIN),
	     "SPF includes Exchange Online (include:spf.protection.outlook.com)",
	     "Add include:spf.protection.outlook.com to the domain's v=spf1 TXT record.");
	item(in, r, AA_GROUP_DKIM, m365_selector_cnames(aa_report_facts(r, AA_AREA_DKIM)),
	     "selector1 and selector2 DKIM CNAMEs point at the tenant (*.onmicrosoft.com, or "
	     "*.dkim.mail.microsoft for domains added since May 2025)",
	     "Publish selector1._domainkey and selector2._domainkey as CNAMEs to the values shown "
	     "in " AA_M365_DKIM_PORTAL " or by \"" AA_M365_DKIM_CMDLET "\", then enable signing.");
	item(in, r, AA_GROUP_M365,
	     mx != NULL && mx->autodiscover != NULL &&
	         strcasecmp(mx->autodiscover, "autodiscover.outlook.com") == 0,
	     "autodiscover is a CNAME to autodiscover.outlook.com",
	     "Publish \"autodiscover CNAME autodiscover.outlook.com.\"");
}

static void
google(const aa_check_in *in, aa_report *r)
{
	item(in, r, AA_GROUP_MX, primary_mx_is(aa_report_facts(r, AA_AREA_MX), AA_PROV_GOOGLE),
	     "The MX points at Google (smtp.google.com or aspmx.l.google.com)",
	     "Publish \"@ MX 1 smtp.google.com.\" and remove other MX records.");
	item(in, r, AA_GROUP_SPF, spf_includes(aa_report_facts(r, AA_AREA_SPF), "_spf.google.com"),
	     "SPF includes Google Workspace (include:_spf.google.com)",
	     "Add include:_spf.google.com to the domain's v=spf1 TXT record.");
	item(in, r, AA_GROUP_DKIM, dkim_key_at(aa_report_facts(r, AA_AREA_DKIM), "google"),
	     "The google._domainkey DKIM key is published",
	     "Generate the key in the Google Admin console (Apps, Gmail, Authenticate email), publish "
	     "the google._domainkey TXT record, then start authentication.");
}

void
aa_check_profile(const aa_check_in *in, aa_report *r)
{
	const aa_dmarc_facts *dm = aa_report_facts(r, AA_AREA_DMARC);

	unchecked_items(in, r);
	if (in->opt == NULL || in->opt->profile == NULL)
		return;
	r->profile_name = in->opt->profile;
	if (strcmp(in->opt->profile, "m365") == 0)
		m365(in, r);
	else if (strcmp(in->opt->profile, "google") == 0)
		google(in, r);
	item(in, r, AA_GROUP_DMARC, dm != NULL && dm->state == AA_DMARC_FOUND,
	     "A DMARC record is published at _dmarc",
	     "Publish \"_dmarc TXT v=DMARC1; p=none; rua=mailto:dmarc@<domain>\", then tighten p=.");
}
