/*
 * check_profile.c — the records a provider expects (--profile m365|google),
 * as checklist items in the report.  Pure: reads the record set only.
 */
#include "check/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const aa_rrset *
get(const aa_check_in *in, const char *prefix, aa_rrtype t)
{
	char *name = aa_printf("%s%s", prefix, in->domain);
	const aa_rrset *rs;

	if (name == NULL)
		return NULL;
	rs = aa_recordset_get(in->rs, name, t);
	free(name);
	return rs;
}

/* The lowest-preference MX hosts all end in `suffix`. */
static int
primary_mx_is(const aa_check_in *in, const char *suffix)
{
	const aa_rrset *mx = get(in, "", AA_T_MX);
	unsigned best = 65536;
	size_t i;
	int ok = 0;

	if (mx == NULL || mx->nrr == 0)
		return 0;
	for (i = 0; i < mx->nrr; i++)
		if (mx->rr[i].pref < best)
			best = mx->rr[i].pref;
	for (i = 0; i < mx->nrr; i++) {
		if (mx->rr[i].pref != best)
			continue;
		if (!aa_name_at_or_below(mx->rr[i].data, suffix))
			return 0;
		ok = 1;
	}
	return ok;
}

/* Some TXT record at the apex starts with `prefix`; with `term`, the SPF
 * record contains that term as a whole word. */
static int
apex_txt(const aa_check_in *in, const char *prefix, const char *term)
{
	const aa_rrset *txt = get(in, "", AA_T_TXT);
	size_t i, n = strlen(prefix);

	for (i = 0; txt != NULL && i < txt->nrr; i++) {
		const char *d = txt->rr[i].data, *p;
		if (strncasecmp(d, prefix, n) != 0)
			continue;
		if (term == NULL)
			return 1;
		for (p = d; (p = strcasestr(p, term)) != NULL; p++)
			if ((p == d || p[-1] == ' ') && (p[strlen(term)] == ' ' || p[strlen(term)] == '\0'))
				return 1;
	}
	return 0;
}

static int
cname_to(const aa_check_in *in, const char *prefix, aa_rrtype t, const char *suffix)
{
	const aa_rrset *rs = get(in, prefix, t);

	if (rs == NULL)
		return 0;
	if (t == AA_T_CNAME)
		return rs->nrr > 0 && aa_name_at_or_below(rs->rr[0].data, suffix);
	return rs->nchain > 0 && aa_name_at_or_below(rs->chain[0], suffix);
}

static int
has_key(const aa_check_in *in, const char *prefix)
{
	const aa_rrset *rs = get(in, prefix, AA_T_TXT);
	size_t i;

	for (i = 0; rs != NULL && i < rs->nrr; i++)
		if (strstr(rs->rr[i].data, "p=") != NULL)
			return 1;
	return 0;
}

static int
apex_txt_at_dmarc(const aa_check_in *in)
{
	const aa_rrset *rs = get(in, "_dmarc.", AA_T_TXT);
	size_t i;

	for (i = 0; rs != NULL && i < rs->nrr; i++)
		if (strncasecmp(rs->rr[i].data, "v=DMARC1", 8) == 0)
			return 1;
	return 0;
}

static void
item(aa_report *r, aa_group group, int ok, const char *text, const char *fix)
{
	aa_profile_item *n = realloc(r->profile, (r->nprofile + 1) * sizeof(*n));

	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->profile = n;
	n[r->nprofile].group = group;
	n[r->nprofile].ok = ok;
	n[r->nprofile].text = text;
	n[r->nprofile].fix = fix;
	r->nprofile++;
}

static void
m365(const aa_check_in *in, aa_report *r)
{
	item(r, AA_GROUP_MX, primary_mx_is(in, "mail.protection.outlook.com"),
	     "The primary MX is Exchange Online Protection (<tenant-domain>.mail.protection.outlook.com)",
	     "Publish \"@ MX 0 <domain-with-dashes>.mail.protection.outlook.com.\" and remove other "
	     "MX records, or configure Enhanced Filtering for Connectors if a filter must stay in front.");
	item(r, AA_GROUP_M365, apex_txt(in, "MS=ms", NULL),
	     "The MS=ms... domain verification TXT record is published",
	     "Publish the \"MS=ms...\" TXT record shown in the Microsoft 365 admin center (Settings, "
	     "Domains).");
	item(r, AA_GROUP_SPF, apex_txt(in, "v=spf1", "include:spf.protection.outlook.com"),
	     "SPF includes Exchange Online (include:spf.protection.outlook.com)",
	     "Add include:spf.protection.outlook.com to the domain's v=spf1 TXT record.");
	item(r, AA_GROUP_DKIM, cname_to(in, "selector1._domainkey.", AA_T_TXT, "onmicrosoft.com") &&
	                    cname_to(in, "selector2._domainkey.", AA_T_TXT, "onmicrosoft.com"),
	     "selector1 and selector2 DKIM CNAMEs point at the tenant (*.onmicrosoft.com)",
	     "Publish selector1._domainkey and selector2._domainkey as CNAMEs to the targets shown in "
	     "the Microsoft Defender portal (Email authentication, DKIM), then enable signing.");
	item(r, AA_GROUP_M365, cname_to(in, "autodiscover.", AA_T_CNAME, "autodiscover.outlook.com"),
	     "autodiscover is a CNAME to autodiscover.outlook.com",
	     "Publish \"autodiscover CNAME autodiscover.outlook.com.\"");
}

static void
google(const aa_check_in *in, aa_report *r)
{
	item(r, AA_GROUP_MX, primary_mx_is(in, "google.com") || primary_mx_is(in, "googlemail.com"),
	     "The MX points at Google (smtp.google.com or aspmx.l.google.com)",
	     "Publish \"@ MX 1 smtp.google.com.\" and remove other MX records.");
	item(r, AA_GROUP_SPF, apex_txt(in, "v=spf1", "include:_spf.google.com"),
	     "SPF includes Google Workspace (include:_spf.google.com)",
	     "Add include:_spf.google.com to the domain's v=spf1 TXT record.");
	item(r, AA_GROUP_DKIM, has_key(in, "google._domainkey."),
	     "The google._domainkey DKIM key is published",
	     "Generate the key in the Google Admin console (Apps, Gmail, Authenticate email), publish "
	     "the google._domainkey TXT record, then start authentication.");
}

void
aa_check_profile(const aa_check_in *in, aa_report *r)
{
	if (in->opt->profile == NULL)
		return;
	r->profile_name = in->opt->profile;
	if (strcmp(in->opt->profile, "m365") == 0)
		m365(in, r);
	else if (strcmp(in->opt->profile, "google") == 0)
		google(in, r);
	item(r, AA_GROUP_DMARC, apex_txt_at_dmarc(in), "A DMARC record is published at _dmarc",
	     "Publish \"_dmarc TXT v=DMARC1; p=none; rua=mailto:dmarc@<domain>\", then tighten p=.");
}
