/* providers.c — MX host name suffixes -> mail provider: the data table. */
#include "tables/providers.h"
#include "records/recordset.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const aa_provider providers[AA_PROV_COUNT] = {
    [AA_PROV_NONE] = {AA_PROV_NONE, "unknown", 0, 0},
    [AA_PROV_EOP] = {AA_PROV_EOP, "Microsoft Exchange Online Protection", 0, 1},
    [AA_PROV_GOOGLE] = {AA_PROV_GOOGLE, "Google Workspace", 0, 1},
    [AA_PROV_PROOFPOINT] = {AA_PROV_PROOFPOINT, "Proofpoint", 1, 0},
    [AA_PROV_MIMECAST] = {AA_PROV_MIMECAST, "Mimecast", 1, 0},
    [AA_PROV_BARRACUDA] = {AA_PROV_BARRACUDA, "Barracuda Email Security", 1, 0},
    [AA_PROV_CISCO] = {AA_PROV_CISCO, "Cisco Secure Email (IronPort)", 1, 0},
    [AA_PROV_TRENDMICRO] = {AA_PROV_TRENDMICRO, "Trend Micro Email Security", 1, 0},
    [AA_PROV_SOPHOS] = {AA_PROV_SOPHOS, "Sophos Email", 1, 0},
    [AA_PROV_BROADCOM] = {AA_PROV_BROADCOM, "Broadcom (Symantec) Email Security.cloud", 1, 0},
    [AA_PROV_HORNETSECURITY] = {AA_PROV_HORNETSECURITY, "Hornetsecurity", 1, 0},
    [AA_PROV_POSTINI] = {AA_PROV_POSTINI, "Google Postini (retired)", 1, 0},
    [AA_PROV_ZOHO] = {AA_PROV_ZOHO, "Zoho Mail", 0, 0},
    [AA_PROV_FASTMAIL] = {AA_PROV_FASTMAIL, "Fastmail", 0, 0},
    [AA_PROV_ICLOUD] = {AA_PROV_ICLOUD, "iCloud Mail", 0, 0},
    [AA_PROV_YAHOO] = {AA_PROV_YAHOO, "Yahoo Mail", 0, 0},
    [AA_PROV_OVH] = {AA_PROV_OVH, "OVHcloud", 0, 0},
    [AA_PROV_GODADDY] = {AA_PROV_GODADDY, "GoDaddy (secureserver.net)", 0, 0},
    [AA_PROV_AMAZON] = {AA_PROV_AMAZON, "Amazon SES / WorkMail", 0, 1},
};

/* Suffixes are matched at a label boundary: "iphmx.com" matches
 * "mx1.hc1234-56.iphmx.com" but not "fooiphmx.com". */
const aa_provider_suffix aa_provider_suffixes[] = {
    /* Both current EOP formats: domains added before May 2025, and the
     * DNSSEC/DANE-capable endpoints given to domains added since. */
    {"mail.protection.outlook.com", AA_PROV_EOP, NULL},
    {"mx.microsoft", AA_PROV_EOP, NULL},
    /* Retired Microsoft endpoints, still found in old zones. */
    {"mail.eo.outlook.com", AA_PROV_EOP,
     "mail.eo.outlook.com is a retired Exchange Online endpoint: it defers or rejects mail for "
     "tenants it does not serve (\"451 4.4.62 Mail sent to the wrong Office 365 region\")"},
    {"mail.messaging.microsoft.com", AA_PROV_EOP,
     "mail.messaging.microsoft.com belongs to Forefront Online Protection for Exchange (FOPE), "
     "retired when tenants moved to Exchange Online Protection"},
    {"mail.global.frontbridge.com", AA_PROV_EOP,
     "mail.global.frontbridge.com belongs to Forefront Online Protection for Exchange (FOPE), "
     "retired when tenants moved to Exchange Online Protection"},
    {"aspmx.l.google.com", AA_PROV_GOOGLE, NULL},
    {"l.google.com", AA_PROV_GOOGLE, NULL},
    {"googlemail.com", AA_PROV_GOOGLE, NULL},
    {"smtp.google.com", AA_PROV_GOOGLE, NULL},
    {"pphosted.com", AA_PROV_PROOFPOINT, NULL},
    {"ppe-hosted.com", AA_PROV_PROOFPOINT, NULL},
    {"mimecast.com", AA_PROV_MIMECAST, NULL},
    {"mimecast.co.za", AA_PROV_MIMECAST, NULL},
    {"mimecast-offshore.com", AA_PROV_MIMECAST, NULL},
    {"barracudanetworks.com", AA_PROV_BARRACUDA, NULL},
    {"iphmx.com", AA_PROV_CISCO, NULL},
    {"tmes.trendmicro.com", AA_PROV_TRENDMICRO, NULL},
    {"tmes.trendmicro.eu", AA_PROV_TRENDMICRO, NULL},
    {"tmes-anz.trendmicro.com", AA_PROV_TRENDMICRO, NULL},
    {"tmes.trendmicro.co.jp", AA_PROV_TRENDMICRO, NULL},
    {"hydra.sophos.com", AA_PROV_SOPHOS, NULL},
    {"messagelabs.com", AA_PROV_BROADCOM, NULL},
    {"hornetsecurity.com", AA_PROV_HORNETSECURITY, NULL},
    {"psmtp.com", AA_PROV_POSTINI,
     "psmtp.com belongs to Google Postini, which Google shut down after moving its customers to "
     "Google Workspace: the MX host no longer filters or delivers the domain's mail"},
    {"zoho.com", AA_PROV_ZOHO, NULL},
    {"zoho.eu", AA_PROV_ZOHO, NULL},
    {"zoho.in", AA_PROV_ZOHO, NULL},
    {"zoho.com.au", AA_PROV_ZOHO, NULL},
    {"messagingengine.com", AA_PROV_FASTMAIL, NULL},
    {"mail.icloud.com", AA_PROV_ICLOUD, NULL},
    {"yahoodns.net", AA_PROV_YAHOO, NULL},
    {"mail.ovh.net", AA_PROV_OVH, NULL},
    {"ovh.net", AA_PROV_OVH, NULL},
    {"secureserver.net", AA_PROV_GODADDY, NULL},
    {"amazonaws.com", AA_PROV_AMAZON, NULL},
    {"awsapps.com", AA_PROV_AMAZON, NULL},
};

const unsigned aa_nprovider_suffixes = sizeof(aa_provider_suffixes) / sizeof(aa_provider_suffixes[0]);

const aa_provider *
aa_provider_of_mx(const char *host)
{
	size_t i;

	if (host == NULL)
		return NULL;
	for (i = 0; i < aa_nprovider_suffixes; i++)
		if (aa_name_at_or_below(host, aa_provider_suffixes[i].suffix))
			return &providers[aa_provider_suffixes[i].id];
	return NULL;
}

const char *
aa_provider_mx_retired(const char *host)
{
	size_t i;

	if (host == NULL)
		return NULL;
	for (i = 0; i < aa_nprovider_suffixes; i++)
		if (aa_name_at_or_below(host, aa_provider_suffixes[i].suffix))
			return aa_provider_suffixes[i].retired;
	return NULL;
}

const aa_provider *
aa_provider_get(aa_provider_id id)
{
	if ((unsigned)id >= AA_PROV_COUNT)
		return &providers[AA_PROV_NONE];
	return &providers[id];
}
