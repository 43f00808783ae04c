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
    [AA_PROV_CISCO] = {AA_PROV_CISCO, "Cisco Secure Email", 1, 0},
    [AA_PROV_TRENDMICRO] = {AA_PROV_TRENDMICRO, "Trend Micro Email Security", 1, 0},
    [AA_PROV_SOPHOS] = {AA_PROV_SOPHOS, "Sophos Email", 1, 0},
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
    {"mail.protection.outlook.com", AA_PROV_EOP},
    {"mail.eo.outlook.com", AA_PROV_EOP},
    {"mx.microsoft", AA_PROV_EOP}, /* DNSSEC/DANE-capable EOP endpoints */
    {"aspmx.l.google.com", AA_PROV_GOOGLE},
    {"l.google.com", AA_PROV_GOOGLE},
    {"googlemail.com", AA_PROV_GOOGLE},
    {"smtp.google.com", AA_PROV_GOOGLE},
    {"pphosted.com", AA_PROV_PROOFPOINT},
    {"ppe-hosted.com", AA_PROV_PROOFPOINT},
    {"mimecast.com", AA_PROV_MIMECAST},
    {"mimecast.co.za", AA_PROV_MIMECAST},
    {"mimecast-offshore.com", AA_PROV_MIMECAST},
    {"barracudanetworks.com", AA_PROV_BARRACUDA},
    {"iphmx.com", AA_PROV_CISCO},
    {"tmes.trendmicro.com", AA_PROV_TRENDMICRO},
    {"tmes.trendmicro.eu", AA_PROV_TRENDMICRO},
    {"tmes-anz.trendmicro.com", AA_PROV_TRENDMICRO},
    {"tmes.trendmicro.co.jp", AA_PROV_TRENDMICRO},
    {"hydra.sophos.com", AA_PROV_SOPHOS},
    {"zoho.com", AA_PROV_ZOHO},
    {"zoho.eu", AA_PROV_ZOHO},
    {"zoho.in", AA_PROV_ZOHO},
    {"zoho.com.au", AA_PROV_ZOHO},
    {"messagingengine.com", AA_PROV_FASTMAIL},
    {"mail.icloud.com", AA_PROV_ICLOUD},
    {"yahoodns.net", AA_PROV_YAHOO},
    {"mail.ovh.net", AA_PROV_OVH},
    {"ovh.net", AA_PROV_OVH},
    {"secureserver.net", AA_PROV_GODADDY},
    {"amazonaws.com", AA_PROV_AMAZON},
    {"awsapps.com", AA_PROV_AMAZON},
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

const aa_provider *
aa_provider_get(aa_provider_id id)
{
	if ((unsigned)id >= AA_PROV_COUNT)
		return &providers[AA_PROV_NONE];
	return &providers[id];
}
