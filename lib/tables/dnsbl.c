/* dnsbl.c — DNS blocklist query names and return codes. */
#include "tables/dnsbl.h"
#include "util/util.h"

#include "authaudit.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

const char *const aa_dnsbl_defaults[] = {
    "zen.spamhaus.org",
    "bl.spamcop.net",
    "b.barracudacentral.org",
};
const size_t aa_ndnsbl_defaults = sizeof(aa_dnsbl_defaults) / sizeof(aa_dnsbl_defaults[0]);

char *
aa_dnsbl_name(const char *ip, const char *zone)
{
	unsigned char b[16];
	aa_buf buf = {0};
	int i;

	if (inet_pton(AF_INET, ip, b) == 1) {
		aa_buf_printf(&buf, "%u.%u.%u.%u.%s", b[3], b[2], b[1], b[0], zone);
		return aa_buf_take(&buf);
	}
	if (inet_pton(AF_INET6, ip, b) == 1) {
		for (i = 15; i >= 0; i--)
			aa_buf_printf(&buf, "%x.%x.", b[i] & 0xf, b[i] >> 4);
		aa_buf_puts(&buf, zone);
		return aa_buf_take(&buf);
	}
	return NULL;
}

#define SPAMHAUS_DELIST "https://check.spamhaus.org/ (look the IP up, follow the removal steps)"

/* Return codes of well-known lists: zone suffix, last-octet range. */
static const struct code {
	const char *zone_suffix;
	unsigned char lo, hi;
	const char *list;
	const char *meaning;
	const char *delist;
} codes[] = {
    {"spamhaus.org", 2, 2, "Spamhaus SBL", "a verified spam source or spam operation (Spamhaus Block List)",
     SPAMHAUS_DELIST},
    {"spamhaus.org", 3, 3, "Spamhaus SBL CSS",
     "low-reputation or snowshoe bulk sending seen from this IP (CSS)", SPAMHAUS_DELIST},
    {"spamhaus.org", 4, 7, "Spamhaus XBL",
     "the IP shows signs of compromise: botnet, malware or an open proxy (Exploits Block List)",
     SPAMHAUS_DELIST " after cleaning the infected host"},
    {"spamhaus.org", 9, 9, "Spamhaus DROP",
     "the whole network is hijacked or run by criminals (Don't Route Or Peer)", SPAMHAUS_DELIST},
    {"spamhaus.org", 10, 10, "Spamhaus PBL (ISP)",
     "the ISP says this is an end-user range that should not send mail directly "
     "(Policy Block List): send through your provider's relay, or ask the ISP",
     SPAMHAUS_DELIST},
    {"spamhaus.org", 11, 11, "Spamhaus PBL",
     "Spamhaus considers this an end-user range that should not send mail directly "
     "(Policy Block List); a real mail server with its own PTR can be removed",
     SPAMHAUS_DELIST},
    {"spamcop.net", 2, 2, "SpamCop", "spam recipients reported mail from this IP",
     "https://www.spamcop.net/bl.shtml (listings expire 24 hours after the last report)"},
    {"barracudacentral.org", 2, 2, "Barracuda BRBL", "Barracuda's reputation system saw spam from this IP",
     "https://www.barracudacentral.org/rbl/removal-request"},
};

static int
zone_matches(const char *zone, const char *suffix)
{
	size_t z = strlen(zone), s = strlen(suffix);

	if (z > 0 && zone[z - 1] == '.')
		z--;
	if (z < s || strncasecmp(zone + z - s, suffix, s) != 0)
		return 0;
	return z == s || zone[z - s - 1] == '.';
}

void
aa_dnsbl_decode(const char *zone, const unsigned char addr[4], aa_dnsbl_meaning *out)
{
	size_t i;

	out->list = zone;
	out->delist = "the list's web site (search for the zone name and \"removal\")";
	if (addr[0] != 127) {
		out->verdict = AA_DNSBL_UNEXPECTED;
		out->meaning = "not a blocklist return code (127.0.0.x): the resolver may rewrite "
		               "NXDOMAIN answers, so the result is unknown";
		return;
	}
	if (addr[1] == 255 && addr[2] == 255) {
		out->verdict = AA_DNSBL_REFUSED;
		switch (addr[3]) {
		case 252:
			out->meaning = "the list says the query name is malformed (typing error in the "
			               "DNSBL name)";
			break;
		case 254:
			out->meaning = "the list refuses queries through public or open resolvers: "
			               "ask through your own resolver (or the list's paid data feed)";
			break;
		case 255:
			out->meaning = "the list refuses: too many queries from this resolver";
			break;
		default:
			out->meaning = "the list refused to answer (127.255.255.x)";
			break;
		}
		return;
	}
	out->verdict = AA_DNSBL_LISTED;
	out->meaning = "listed (the list's documentation explains the return code)";
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (zone_matches(zone, codes[i].zone_suffix) && addr[3] >= codes[i].lo &&
		    addr[3] <= codes[i].hi && addr[1] == 0 && addr[2] == 0) {
			out->list = codes[i].list;
			out->meaning = codes[i].meaning;
			out->delist = codes[i].delist;
			return;
		}
}

/* The DNSBL zones of a run: --dnsbl, or the default list. */
const char *const *
aa_dnsbl_zones(const aa_options *opt, size_t *n)
{
	if (opt->n_dnsbls > 0) {
		*n = opt->n_dnsbls;
		return opt->dnsbls;
	}
	*n = aa_ndnsbl_defaults;
	return aa_dnsbl_defaults;
}
