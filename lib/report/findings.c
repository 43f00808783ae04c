/* findings.c — the finding catalogue: one row per code of FINDINGS.md. */
#include "report/findings.h"

#include <stdlib.h>
#include <string.h>

#define D AA_SEV_INFO
#define L AA_SEV_LOW
#define M AA_SEV_MEDIUM
#define H AA_SEV_HIGH
#define C AA_SEV_CRITICAL

static const aa_finding_def catalogue[] = {
/* ---- DNS / domain ---- */
{"DOMAIN_NXDOMAIN", C, AA_AREA_DNS, "The domain does not exist",
 "Receivers reject mail from a domain that does not exist in DNS, and nobody can send to it.",
 "Register the domain or fix the delegation at the registrar (NS records), then re-run the audit.",
 "RFC 1034 4.3.2"},
{"DNS_INCOMPLETE", H, AA_AREA_DNS, "Some DNS lookups failed",
 "A lookup that fails at the audit fails at receivers too: Exchange Online and Gmail treat a "
 "temporary DNS error as temperror and may defer or junk mail. Findings that depend on these "
 "lookups are not verified.",
 "Check the authoritative servers of the names listed (they must answer over UDP and TCP, and "
 "not SERVFAIL or time out), then re-run the audit.",
 "RFC 7208 2.6.6; RFC 7489 6.6.3"},
/* ---- MX ---- */
{"MX_NONE", M, AA_AREA_MX, "No MX record",
 "Without MX, senders fall back to the A record; bounces and replies to this domain may fail, "
 "and some receivers distrust mail from domains that cannot receive.",
 "Publish MX records for the domain, or a null MX (\"@ MX 0 .\") if it never receives mail.",
 "RFC 5321 5.1; RFC 7505"},
{"MX_NULL", D, AA_AREA_MX, "Null MX: the domain accepts no mail",
 "A null MX says the domain receives no mail; bounces and replies to it are refused.",
 "Nothing, if the domain really never receives mail. If it sends mail, publish real MX records so "
 "bounces (NDRs) and replies arrive.",
 "RFC 7505"},
{"MX_NULL_MIXED", H, AA_AREA_MX, "Null MX together with other MX records",
 "A null MX must be the only MX record; mixed with others the set is invalid and senders behave "
 "unpredictably.",
 "Remove either the null MX (\"MX 0 .\") or the other MX records.",
 "RFC 7505 3"},
{"MX_CNAME", M, AA_AREA_MX, "An MX target is a CNAME",
 "MX targets must be host names with A/AAAA records, not aliases; some MTAs refuse or mis-route "
 "such MX hosts.",
 "Point the MX at the canonical host name (the CNAME's final target).",
 "RFC 2181 10.3; RFC 5321 5.1"},
{"MX_IP_LITERAL", H, AA_AREA_MX, "An MX target is an IP address written as a name",
 "An MX target must be a host name; an address in its place is looked up as a name and fails, so "
 "mail to that host is not delivered.",
 "Create a host name with an A/AAAA record for the address and point the MX at it.",
 "RFC 7505 4; RFC 5321 5.1"},
{"MX_TARGET_UNRESOLVABLE", H, AA_AREA_MX, "An MX host has no address",
 "Senders cannot connect to an MX host without A/AAAA records; if it is the only one, mail to the "
 "domain is not delivered.",
 "Publish A/AAAA records for the MX host, or point the MX at a host that has them.",
 "RFC 5321 5.1"},
{"MX_TARGET_PRIVATE", H, AA_AREA_MX, "An MX host resolves to a private or reserved address",
 "Senders on the Internet cannot reach loopback, private or reserved addresses; mail to that host "
 "fails or goes to the wrong machine.",
 "Publish the host's public address, or remove the MX record that points at it.",
 "RFC 1918; RFC 6890"},
{"MX_SINGLE", L, AA_AREA_MX, "A single MX host",
 "With one MX host there is no fallback while it is down; senders queue and retry, and "
 "time-critical mail (one-time passwords) arrives late.",
 "Nothing, if the host is a provider's highly available name (EOP, Google). Otherwise add a "
 "second MX host.",
 "RFC 5321 5.1"},
{"MX_PROVIDER", D, AA_AREA_MX, "Mail providers identified from the MX hosts",
 "Knowing who receives the domain's mail tells which provider-specific rules apply.", "", ""},
{"MX_MIXED_PROVIDERS", M, AA_AREA_MX, "MX hosts of different providers",
 "Mail arrives at different providers depending on which MX a sender picks; filtering, "
 "authentication verdicts and mailboxes differ, and messages go missing.",
 "Point every MX at one provider; route between providers with connectors, not DNS.", ""},
{"MX_EOP_NOT_PRIMARY", H, AA_AREA_MX, "Exchange Online Protection is an MX but not the primary one",
 "Mail reaches Exchange Online Protection through another server first, so EOP evaluates SPF "
 "against that relay's IP, not the original sender's (Microsoft KB3089691). With the Advanced Spam "
 "Filter option \"SPF record: hard fail\", every sender with -all is marked as spam, and SPF, DKIM "
 "and DMARC verdicts are wrong unless Enhanced Filtering for Connectors is configured.",
 "Make the EOP host (*.mail.protection.outlook.com) the lowest-preference MX, or enable Enhanced "
 "Filtering for Connectors (skip listing) on the inbound connector from the relay.",
 "Microsoft KB3089691"},
{"MX_EOP_BEHIND_RELAY", M, AA_AREA_MX, "Microsoft 365 tenant, but no MX points at Exchange Online Protection",
 "The domain is a Microsoft 365 tenant, but inbound mail reaches EOP through a relay or "
 "third-party filter. EOP then evaluates SPF against the relay's IP (KB3089691): \"SPF record: hard "
 "fail\" false positives and broken SPF/DKIM/DMARC verdicts.",
 "Configure Enhanced Filtering for Connectors (skip listing) on the inbound connector from the "
 "filter, or point the MX at EOP (<tenant-domain>.mail.protection.outlook.com).",
 "Microsoft KB3089691"},
/* ---- SPF ---- */
{"SPF_NONE", H, AA_AREA_SPF, "No SPF record",
 "Without SPF, Gmail, Yahoo and Exchange Online cannot authorise the domain's senders; bulk-sender "
 "rules require SPF or DKIM, and unauthenticated mail is junked or rejected.",
 "Publish one TXT record at the domain: \"v=spf1 <your senders> -all\" (for Microsoft 365: "
 "\"v=spf1 include:spf.protection.outlook.com -all\").",
 "RFC 7208 3"},
{"SPF_MULTIPLE", C, AA_AREA_SPF, "More than one SPF record",
 "Two v=spf1 records make SPF a permerror: every receiver treats the domain as having a broken SPF "
 "policy.",
 "Merge the records into a single TXT record beginning with v=spf1.", "RFC 7208 3.2"},
{"SPF_SYNTAX", C, AA_AREA_SPF, "SPF record does not parse",
 "A syntax error makes SPF a permerror; receivers treat the policy as broken and DMARC cannot use "
 "SPF.",
 "Correct the record text at the place shown.", "RFC 7208 4.6; 12"},
{"SPF_LOOKUP_LIMIT", C, AA_AREA_SPF, "SPF needs more than 10 DNS lookups",
 "Receivers stop after 10 DNS-querying terms and return permerror: SPF fails for all of the "
 "domain's mail.",
 "Replace includes by ip4:/ip6: ranges, drop senders no longer used, or move a provider to a "
 "subdomain with its own SPF record.",
 "RFC 7208 4.6.4"},
{"SPF_LOOKUP_NEAR_LIMIT", M, AA_AREA_SPF, "SPF is close to the 10-lookup limit",
 "One more include (or a provider adding one to theirs) takes SPF over the limit and makes it a "
 "permerror.",
 "Reduce lookups now: replace includes by ip4:/ip6: ranges or move a provider to a subdomain.",
 "RFC 7208 4.6.4"},
{"SPF_VOID_LIMIT", C, AA_AREA_SPF, "More than 2 SPF void lookups",
 "More than two lookups that return no records make SPF a permerror.",
 "Remove the terms whose names do not exist or have no records.", "RFC 7208 4.6.4"},
{"SPF_VOID_LOOKUP", M, AA_AREA_SPF, "SPF void lookup",
 "A term names something that returns no records: wasted lookups, and a third one makes SPF a "
 "permerror.",
 "Remove or correct the terms whose names do not exist or have no records.", "RFC 7208 4.6.4"},
{"SPF_INCLUDE_NO_RECORD", C, AA_AREA_SPF, "An SPF include or redirect target has no SPF record",
 "An include: or redirect= to a name without SPF is a permerror for the whole policy.",
 "Remove the include, or correct the name to the provider's documented SPF name.",
 "RFC 7208 5.2; 6.1"},
{"SPF_LOOP", C, AA_AREA_SPF, "SPF include/redirect loop",
 "A record that includes itself (directly or through others) can never be evaluated: permerror.",
 "Remove the include or redirect that closes the loop.", "RFC 7208 5.2"},
{"SPF_ALL_PASS", C, AA_AREA_SPF, "SPF allows anyone to send (+all)",
 "+all authorises every host on the Internet to send as the domain: spoofing passes SPF, and "
 "receivers distrust the domain.",
 "End the record with -all (or ~all while you verify your senders).", "RFC 7208 5.1"},
{"SPF_ALL_NEUTRAL", M, AA_AREA_SPF, "SPF ends neutral (?all or no all)",
 "A neutral ending says nothing about unlisted senders, so SPF gives no protection against "
 "spoofing.",
 "End the record with ~all or -all.", "RFC 7208 5.1"},
{"SPF_ALL_SOFTFAIL", D, AA_AREA_SPF, "SPF ends with ~all",
 "Unlisted senders get softfail: receivers accept but may junk their mail.",
 "Move to -all once every legitimate sender is listed and DKIM signs the mail.",
 "RFC 7208 8.5"},
{"SPF_ALL_HARDFAIL", D, AA_AREA_SPF, "SPF ends with -all",
 "Unlisted senders fail SPF. Forwarded or relayed mail (KB3089691: a filter in front of Exchange "
 "Online) then fails SPF outright, so DKIM must carry authentication.",
 "Keep -all, and make sure every sending service signs with DKIM.", "RFC 7208 8.4"},
{"SPF_PTR", M, AA_AREA_SPF, "SPF uses the ptr mechanism",
 "ptr is deprecated, slow and ignored by many receivers; it also costs lookups.",
 "Replace ptr by ip4:/ip6: ranges or a:/include: terms.", "RFC 7208 5.5"},
{"SPF_BROAD_RANGE", H, AA_AREA_SPF, "SPF authorises a huge address range",
 "A prefix shorter than /16 (IPv4) or /32 (IPv6) authorises many hosts that are not yours; "
 "spoofed mail from them passes SPF.",
 "Replace the range by the exact addresses or prefixes of your senders.", "RFC 7208 5.6"},
{"SPF_RECORD_LARGE", L, AA_AREA_SPF, "SPF record is large",
 "Answers over 512 bytes need EDNS or TCP; some resolvers and middleboxes fail on them, which "
 "turns into temperror.",
 "Shorten the record: move ranges into an include on a subdomain.", "RFC 7208 3.4"},
{"SPF_MX_TOO_MANY", H, AA_AREA_SPF, "SPF mx term with more than 10 MX hosts",
 "Receivers evaluate at most 10 MX names per mx term; beyond that SPF is a permerror.",
 "Replace the mx term by ip4:/ip6: ranges of the hosts that actually send.", "RFC 7208 4.6.4"},
{"SPF_DEPRECATED_RR", L, AA_AREA_SPF, "A type 99 SPF record is published",
 "The SPF RR type is obsolete; receivers only read TXT, and two copies drift apart.",
 "Delete the SPF-type record and keep the TXT record.", "RFC 7208 3.1"},
{"SPF_DNS_ERROR", H, AA_AREA_SPF, "SPF could not be evaluated (temperror)",
 "A DNS failure while evaluating SPF gives temperror: receivers defer or junk the mail.",
 "Fix the DNS servers of the failing name shown, then re-run the audit.", "RFC 7208 2.6.6"},
{"SPF_M365_INCLUDE_MISSING", H, AA_AREA_SPF, "Microsoft 365 tenant without include:spf.protection.outlook.com",
 "Mail sent through Exchange Online leaves from Microsoft's addresses; without their include it "
 "fails SPF.",
 "Add include:spf.protection.outlook.com to the SPF record.", "Microsoft 365 DNS records"},
{"SPF_IP_NOT_PERMITTED", H, AA_AREA_SPF, "The sending IP is not permitted by SPF",
 "Mail from this IP fails (or soft-fails) SPF: it is junked or rejected unless DKIM passes and "
 "aligns.",
 "Add the IP (ip4:/ip6:) or its provider's include to the SPF record.", "RFC 7208 4"},
/* ---- DKIM ---- */
{"DKIM_NONE_FOUND", H, AA_AREA_DKIM, "No DKIM key at any probed selector",
 "Without DKIM, authentication rests on SPF alone, which breaks on forwarding and relays; Gmail and "
 "Yahoo require DKIM for bulk senders. Selectors cannot be listed, so a key under another "
 "selector is not proven absent.",
 "Enable DKIM signing at each sending service and publish its key (Microsoft 365: the selector1/"
 "selector2 CNAMEs; Google: the google._domainkey TXT).",
 "RFC 6376 3.6"},
{"DKIM_KEY_WEAK", C, AA_AREA_DKIM, "DKIM RSA key under 1024 bits",
 "Keys under 1024 bits can be factored; receivers treat signatures made with them as invalid.",
 "Generate a 2048-bit key, publish it under a new selector and switch signing to it.",
 "RFC 8301 3.2"},
{"DKIM_KEY_1024", L, AA_AREA_DKIM, "DKIM RSA key of 1024 bits",
 "1024-bit keys are the minimum; 2048 bits is recommended.",
 "Rotate to a 2048-bit key under a new selector.", "RFC 8301 3.2"},
{"DKIM_KEY_REVOKED", D, AA_AREA_DKIM, "DKIM key revoked (empty p=)",
 "Signatures with this selector fail; fine if the selector is retired.",
 "Nothing, if no service signs with this selector any more.", "RFC 6376 3.6.1"},
{"DKIM_KEY_TESTING", M, AA_AREA_DKIM, "DKIM key in testing mode (t=y)",
 "Receivers may treat signatures from a key in testing mode as unsigned.",
 "Remove t=y from the key record once signing works.", "RFC 6376 3.6.1"},
{"DKIM_KEY_SYNTAX", H, AA_AREA_DKIM, "DKIM key record does not parse",
 "A key receivers cannot parse makes every signature with that selector fail.",
 "Republish the key record exactly as the signing service shows it (v=DKIM1; k=rsa; p=<base64>).",
 "RFC 6376 3.6.1"},
{"DKIM_KEY_SHA1_ONLY", M, AA_AREA_DKIM, "DKIM key allows only SHA-1 (h=sha1)",
 "rsa-sha1 signatures are no longer accepted as valid by receivers.",
 "Remove h=sha1 (or use h=sha256) and sign with rsa-sha256.", "RFC 8301 3.1"},
{"DKIM_CNAME_DANGLING", H, AA_AREA_DKIM, "DKIM selector CNAME points nowhere",
 "The selector is an alias whose target has no key: signatures with it fail.",
 "Enable DKIM at the provider (it publishes the target), or correct the CNAME target.",
 "RFC 6376 3.6.2.2"},
{"DKIM_M365_NOT_ENABLED", H, AA_AREA_DKIM, "Microsoft 365 tenant, but DKIM is not enabled for the domain",
 "Exchange Online then signs as the tenant's onmicrosoft.com domain, which does not align with the "
 "From domain: DMARC depends on SPF alone.",
 "Publish selector1._domainkey and selector2._domainkey as CNAMEs to the targets shown in the "
 "Microsoft Defender portal, then enable DKIM signing for the domain.",
 "Microsoft 365 DKIM"},
/* ---- DMARC ---- */
{"DMARC_NONE", H, AA_AREA_DMARC, "No DMARC record",
 "Gmail and Yahoo require DMARC from bulk senders; without it spoofing of the domain is unchecked "
 "and reports never arrive.",
 "Publish \"_dmarc TXT v=DMARC1; p=none; rua=mailto:dmarc@<domain>\" and tighten p= once reports "
 "look clean.",
 "RFC 7489 6.1"},
{"DMARC_MULTIPLE", H, AA_AREA_DMARC, "More than one DMARC record",
 "With more than one record, receivers act as if there were none.",
 "Keep exactly one TXT record at _dmarc.", "RFC 7489 6.6.3"},
{"DMARC_SYNTAX", H, AA_AREA_DMARC, "DMARC record is invalid",
 "Receivers ignore an invalid record: the domain has no DMARC protection.",
 "Correct the record: it must begin with v=DMARC1; and have a valid p=.", "RFC 7489 6.3"},
{"DMARC_POLICY_NONE", M, AA_AREA_DMARC, "DMARC policy is p=none",
 "p=none only monitors: spoofed mail is delivered.",
 "Move to p=quarantine, then p=reject, once aggregate reports show your senders pass.",
 "RFC 7489 6.3"},
{"DMARC_PCT_PARTIAL", L, AA_AREA_DMARC, "DMARC applies to part of the mail (pct < 100)",
 "Only that share of failing mail gets the policy.",
 "Raise pct to 100 (or remove pct=).", "RFC 7489 6.3"},
{"DMARC_SP_WEAKER", M, AA_AREA_DMARC, "Subdomain policy weaker than the domain's",
 "Spoofers use subdomains to get around the domain's policy.",
 "Set sp= to at least the strength of p= (or remove sp=).", "RFC 7489 6.3"},
{"DMARC_NO_RUA", L, AA_AREA_DMARC, "No DMARC aggregate report address",
 "Without rua= you never see who sends as your domain, nor whether your own mail passes.",
 "Add rua=mailto:dmarc-reports@<domain> to the record.", "RFC 7489 7.2"},
{"DMARC_RUA_UNAUTHORIZED", M, AA_AREA_DMARC, "DMARC reports go to another domain that has not authorised them",
 "Receivers drop reports to an external domain that does not publish the authorisation record.",
 "Ask the report receiver to publish \"<domain>._report._dmarc.<their domain> TXT v=DMARC1\".",
 "RFC 7489 7.1"},
{"DMARC_RUA_INVALID", M, AA_AREA_DMARC, "DMARC report address is not a valid mailto: URI",
 "Receivers cannot send reports to it.", "Use rua=mailto:user@domain (comma-separated for several).",
 "RFC 7489 6.4"},
{"DMARC_INHERITED", D, AA_AREA_DMARC, "DMARC policy inherited from the organizational domain",
 "The organizational domain's record applies to this domain (through its sp=).",
 "Nothing, if that policy suits this domain; otherwise publish its own _dmarc record.",
 "RFC 7489 6.6.3"},
{"DMARC_ENFORCED_UNALIGNABLE", C, AA_AREA_DMARC, "DMARC enforces, but nothing can pass it",
 "p=quarantine/reject while neither SPF nor any DKIM key can give an aligned pass: receivers "
 "quarantine or reject the domain's legitimate mail.",
 "Fix SPF or publish a DKIM key first, or set p=none until one of them passes.",
 "RFC 7489 6.6.2"},
/* ---- envelope / sending IP ---- */
{"ENVELOPE_UNROUTABLE", H, AA_AREA_ENVELOPE, "Return-Path domain cannot receive bounces",
 "Bounces (NDRs) go to the Return-Path; with an unroutable domain they are lost, and blocks such "
 "as 550 5.7.606 go unnoticed for weeks.",
 "Configure the application to send with a Return-Path in a real, mail-receiving domain.",
 "RFC 5321 4.5.5"},
{"ENVELOPE_MISALIGNED", M, AA_AREA_ENVELOPE, "Return-Path domain not aligned with the From domain",
 "An SPF pass for an unaligned Return-Path does not count for DMARC.",
 "Send with a Return-Path in the From domain (or a subdomain of it), or rely on aligned DKIM.",
 "RFC 7489 3.1.2"},
{"IP_NO_PTR", H, AA_AREA_IP, "Sending IP has no reverse DNS",
 "Exchange Online, Gmail and most receivers distrust or reject mail from IPs without PTR.",
 "Ask the owner of the IP range (your ISP or hosting provider) to set a PTR record naming the "
 "sending host.",
 "RFC 1912 2.1"},
{"IP_FCRDNS_MISMATCH", M, AA_AREA_IP, "Reverse DNS does not resolve back to the IP",
 "Receivers check forward-confirmed reverse DNS; a mismatch looks like a spoofed host.",
 "Publish an A/AAAA record for the PTR name that points at the IP.", "RFC 8601 3"},
{"IP_PTR_GENERIC", L, AA_AREA_IP, "Reverse DNS looks dynamic or residential",
 "Generic PTR names (IP digits, dsl, pool, dynamic) are scored as botnet hosts.",
 "Set a PTR naming the mail host, such as mail.<domain>.", ""},
{"IP_DNSBL_LISTED", H, AA_AREA_IP, "Sending IP is on a DNS blocklist",
 "Receivers using the list reject or junk mail from the IP.",
 "Find and stop the cause (compromised account, open relay), then request delisting at the list's "
 "site. For Exchange Online bounces 5.7.606-5.7.649, use Microsoft's delist portal "
 "(sender.office.com), which is not a DNS list.",
 ""},
{"IP_DNSBL_UNUSABLE", L, AA_AREA_IP, "A DNS blocklist refused to answer",
 "The list answered with an error code (127.255.255.x) or an address that is not a return code, "
 "so whether the IP is listed is unknown. Spamhaus refuses queries that come through public "
 "resolvers (8.8.8.8, 1.1.1.1, most ISP resolvers).",
 "Run the audit through your own recursive resolver (-r), or check the IP on the list's web site.",
 "RFC 5782 2.1"},
/* ---- other transport ---- */
{"MTA_STS_SYNTAX", M, AA_AREA_TRANSPORT, "MTA-STS record is invalid",
 "Senders ignore an invalid _mta-sts record, so the policy never applies.",
 "Publish \"_mta-sts TXT v=STSv1; id=<changing id>\".", "RFC 8461 3.1"},
{"TLSRPT_NONE", D, AA_AREA_TRANSPORT, "No TLS-RPT record",
 "Without TLS reporting, failures of inbound TLS go unseen.",
 "Publish \"_smtp._tls TXT v=TLSRPTv1; rua=mailto:tls-reports@<domain>\".", "RFC 8460 3"},
{"TLSRPT_SYNTAX", L, AA_AREA_TRANSPORT, "TLS-RPT record is invalid",
 "Senders ignore an invalid TLS-RPT record.", "Correct the record: v=TLSRPTv1; rua=mailto:...",
 "RFC 8460 3"},
};

#undef D
#undef L
#undef M
#undef H
#undef C

static const char *const area_names[] = {
	[AA_AREA_DNS] = "dns",     [AA_AREA_MX] = "mx",
	[AA_AREA_SPF] = "spf",     [AA_AREA_DKIM] = "dkim",
	[AA_AREA_DMARC] = "dmarc", [AA_AREA_ENVELOPE] = "envelope",
	[AA_AREA_IP] = "ip",       [AA_AREA_TRANSPORT] = "transport",
};

const char *
aa_area_name(aa_area a)
{
	return area_names[a];
}

const aa_finding_def *
aa_finding_lookup(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		if (strcmp(catalogue[i].code, code) == 0)
			return &catalogue[i];
	return NULL;
}

size_t
aa_finding_count(void)
{
	return sizeof(catalogue) / sizeof(catalogue[0]);
}

const aa_finding_def *
aa_finding_at(size_t i)
{
	return i < aa_finding_count() ? &catalogue[i] : NULL;
}

void
aa_finding_clear(aa_finding *f)
{
	size_t i;

	for (i = 0; i < f->nevidence; i++)
		free(f->evidence[i]);
	free(f->evidence);
	free(f->subject);
	free(f->detail);
	free(f->fix);
	memset(f, 0, sizeof(*f));
}

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *
aa_severity_name(aa_severity sev)
{
	return (unsigned)sev < 5 ? sev_names[sev] : "unknown";
}

int
aa_severity_parse(const char *s, aa_severity *out)
{
	unsigned i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (aa_severity)i;
			return 0;
		}
	return -1;
}
