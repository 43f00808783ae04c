/*
 * catalogue.c — the code catalogue of `authaudit explain` (catalogue.h):
 * data, one row per code, each with the page it is taken from.  Vendor rows
 * come before the RFC rows of the same code; aa_x_lookup() picks the row
 * whose system and phrase fit the reply best.
 */
#include "explain/catalogue.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MS_NDR                                                                                            \
	"Microsoft Learn, \"Email non-delivery reports and SMTP errors in Exchange Online\", "            \
	"https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-" \
	"online/non-delivery-reports-in-exchange-online"
#define MS_HEADERS                                                          \
	"Microsoft Learn, \"Anti-spam message headers in Microsoft 365\", " \
	"https://learn.microsoft.com/defender-office-365/message-headers-eop-mdo"
#define MS_SCL                                                      \
	"Microsoft Learn, \"Spam confidence level (SCL) in EOP\", " \
	"https://learn.microsoft.com/defender-office-365/anti-spam-spam-confidence-level-scl-about"
#define MS_BCL                                                     \
	"Microsoft Learn, \"Bulk complaint level (BCL) in EOP\", " \
	"https://learn.microsoft.com/defender-office-365/anti-spam-bulk-complaint-level-bcl-about"
#define MS_KB3089691                                                                                 \
	"Microsoft KB3089691 / Microsoft Learn, \"Enhanced Filtering for Connectors in Exchange "    \
	"Online\", https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-" \
	"configure-mail-flow/enhanced-filtering-for-connectors"
#define MS_HIGHVOLUME                                                                               \
	"Microsoft Defender for Office 365 blog, \"Strengthening Email Ecosystem: Outlook's New "   \
	"Requirements for High-Volume Senders\" (April 2025), https://techcommunity.microsoft.com/" \
	"blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-"   \
	"new-requirements-for-high%E2%80%90volume-senders/4399730"
#define GOOGLE_SMTP \
	"Google Workspace Admin Help, \"SMTP error reference\", https://support.google.com/a/answer/3726730"
#define GOOGLE_GUIDE \
	"Google, \"Email sender guidelines\", https://support.google.com/a/answer/81126; " GOOGLE_SMTP
#define YAHOO_CODES "Yahoo Sender Hub, \"SMTP error codes\", https://senders.yahooinc.com/smtp-error-codes/"
#define YAHOO_BP "Yahoo Sender Hub, \"Sender best practices\", https://senders.yahooinc.com/best-practices/"
#define RFC3463 "RFC 3463, Enhanced Mail System Status Codes, section 3"
#define RFC5248 "RFC 5248 and the IANA \"SMTP Enhanced Status Codes\" registry"
#define RFC7372 "RFC 7372, Email Authentication Status Codes, section 3"
#define RFC6647 "RFC 6647, Email Greylisting: An Applicability Statement for SMTP, section 2"

#define IP_RELATED "IP_DNSBL_LISTED IP_NO_PTR IP_PTR_GENERIC IP_FCRDNS_MISMATCH"
#define AUTH_RELATED                                                                                    \
	"SPF_NONE SPF_IP_NOT_PERMITTED SPF_LOOKUP_LIMIT SPF_SYNTAX SPF_MULTIPLE SPF_INCLUDE_NO_RECORD " \
	"DKIM_NONE_FOUND DKIM_KEY_WEAK DKIM_KEY_SYNTAX DKIM_M365_NOT_ENABLED DMARC_NONE"
#define ALIGN_RELATED "ENVELOPE_MISALIGNED DMARC_ENFORCED_UNALIGNABLE DKIM_NONE_FOUND SPF_IP_NOT_PERMITTED"

static const aa_x_entry catalogue[] = {
    /* ---- Microsoft 365 / Exchange Online Protection ------------------- */
    /* Source: MS_NDR (5.7.606-5.7.649) and https://sender.office.com */
    {"5.7.606",
     649,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Access denied, banned sending IP: Microsoft has put the sending IP on its own block list.",
     {"the IP sent spam or mail Microsoft's users reported as junk (often another customer of a shared host)",
      "the IP is on a public DNS blocklist as well",
      "the IP has no reverse DNS or a generic, dynamic-looking one"},
     "Delist the IP at https://sender.office.com (enter a mail address and the IP from the bounce, "
     "confirm the link Microsoft mails, then choose Delist IP; allow up to 24 hours). Find and stop "
     "what sent the spam first, or the IP is listed again; on shared hosting send through a smart host.",
     IP_RELATED,
     MS_NDR "; https://sender.office.com"},
    /* Source: MS_NDR (5.7.1 "Service unavailable, Client host [IP] blocked using Spamhaus") */
    {"5.7.1",
     0,
     0,
     AA_XS_MICROSOFT,
     "blocked using",
     "Service unavailable: the sending IP is on a third-party blocklist (Spamhaus) that Microsoft uses.",
     {"the IP is listed on Spamhaus (SBL, XBL or PBL)", "a compromised host or script on the IP sends spam",
      "the IP is a dynamic or residential address (PBL)"},
     "Look the IP up at https://check.spamhaus.org and follow its removal steps after cleaning the "
     "source; send from an IP with proper reverse DNS or through your provider's smart host.",
     IP_RELATED,
     MS_NDR},
    /* Source: MS_NDR (5.7.1 "Unable to relay") */
    {"5.7.1",
     0,
     0,
     AA_XS_MICROSOFT,
     "unable to relay",
     "Unable to relay: the server will not pass the mail on for this sender or recipient.",
     {"the sending server or app is not authenticated and the recipient domain is not hosted there",
      "a connector or relay permission for the sending IP is missing",
      "the recipient domain's MX points at a tenant that does not host it"},
     "Authenticate to the server (SMTP AUTH) or add an inbound connector for the sending IP; check "
     "that the recipient domain is an accepted domain of the tenant its MX points at.",
     "MX_EOP_NOT_PRIMARY MX_EOP_BEHIND_RELAY MX_MIXED_PROVIDERS",
     MS_NDR},
    /* Source: MS_NDR (5.7.1 "Delivery not authorized, message refused" / "not authorized") */
    {"5.7.1",
     0,
     0,
     AA_XS_MICROSOFT,
     "not authorized",
     "Delivery not authorized: the recipient or its organisation does not accept mail from this sender.",
     {"the recipient only accepts mail from certain senders or from inside its organisation",
      "a mail flow (transport) rule of the recipient rejects the sender",
      "the sender is blocked by the recipient's block list"},
     "Ask the recipient's administrator to allow the sender (distribution group delivery "
     "restrictions, mail flow rules, Tenant Allow/Block List).",
     "",
     MS_NDR},
    /* Source: MS_NDR (5.7.1 "... part of their network is on our block list (S3150)") */
    {"5.7.1",
     0,
     0,
     AA_XS_MICROSOFT,
     "block list",
     "Part of the sender's network is on Microsoft's (Outlook.com) block list.",
     {"the IP or its network sent mail Outlook.com users reported as junk",
      "the IP has no reverse DNS or a generic one"},
     "Request delisting through the Outlook.com sender support form (https://olcsupport.office.com) "
     "and join the Sender Network Data Services (SNDS) to watch the IP's reputation.",
     IP_RELATED,
     MS_NDR},
    /* Source: MS_NDR (5.7.1, general) */
    {"5.7.1",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Delivery not authorized, message refused: a policy of Exchange Online rejected the mail.",
     {"the sending IP or domain is blocked (Microsoft block list, DNSBL, tenant block list)",
      "the recipient restricts who may send to it", "authentication of the sender failed"},
     "Read the reply text for the rule that applied; check the IP's listings and the domain's SPF, "
     "DKIM and DMARC with the audit.",
     IP_RELATED " " AUTH_RELATED,
     MS_NDR},
    /* Source: MS_NDR (5.7.23 "The message was rejected because of Sender Policy Framework violation") */
    {"5.7.23",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "SPF violation: the sending IP is not permitted by the sender domain's SPF record, and the "
     "recipient rejects SPF failures.",
     {"the mail went out through a server or service the SPF record does not list",
      "the SPF record is broken (more than 10 lookups, syntax, two records)",
      "mail was forwarded, so the forwarding server's IP was checked"},
     "Add the sending server or service to the SPF record (include: or ip4:/ip6:), keep it under 10 "
     "DNS lookups, and sign the mail with DKIM so forwarding does not break delivery.",
     "SPF_IP_NOT_PERMITTED SPF_NONE SPF_LOOKUP_LIMIT SPF_SYNTAX SPF_MULTIPLE SPF_INCLUDE_NO_RECORD "
     "SPF_M365_INCLUDE_MISSING SPF_DNS_ERROR",
     MS_NDR "; " RFC7372},
    /* Source: MS_NDR (5.7.509 "Access denied, sending domain [domain] does not pass DMARC verification") */
    {"5.7.509",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Access denied: the sender domain does not pass DMARC and its DMARC policy is reject.",
     {"neither SPF nor DKIM passed aligned with the From: domain",
      "the mail was sent by a service (newsletter, CRM, ticketing) that signs with its own domain",
      "the SPF record does not list the sending server and there is no DKIM signature"},
     "Make the sending service sign with DKIM for your From: domain (a CNAME or TXT selector it "
     "gives you), or use a Return-Path under your domain that SPF permits; only then keep p=reject.",
     ALIGN_RELATED " DMARC_NONE DKIM_M365_NOT_ENABLED SPF_NONE",
     MS_NDR},
    /* Source: MS_HIGHVOLUME (550 5.7.515 for senders of over 5,000 mails a day to Outlook.com) */
    {"5.7.515",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Access denied: the sender domain does not meet Outlook.com's required authentication level "
     "for high-volume senders (SPF, DKIM and DMARC).",
     {"no DMARC record (at least p=none, aligned with SPF or DKIM)", "no DKIM signature",
      "SPF does not pass for the sending IP"},
     "Publish SPF that passes for every sending IP, sign with DKIM, and publish DMARC (at least "
     "p=none with rua=) aligned with the From: domain.",
     "DMARC_NONE DKIM_NONE_FOUND SPF_NONE SPF_IP_NOT_PERMITTED ENVELOPE_MISALIGNED",
     MS_HIGHVOLUME},
    /* Source: MS_NDR (5.7.708 "Access denied, traffic not accepted from this IP") */
    {"5.7.708",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Access denied, traffic not accepted from this IP: the IP has a poor reputation, typically a "
     "new tenant sending from Microsoft's low-reputation pool.",
     {"a new or trial tenant whose outbound mail is held back",
      "the tenant sent spam from a compromised account"},
     "Add and verify your own domain in the tenant and send from it (not the onmicrosoft.com "
     "domain); contact Microsoft support to have outbound sending reviewed.",
     "SPF_M365_INCLUDE_MISSING DKIM_M365_NOT_ENABLED",
     MS_NDR},
    /* Source: MS_NDR (5.7.750 "Service unavailable. Client blocked from sending from unregistered domains") */
    {"5.7.750",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Client blocked from sending from unregistered domains: the tenant sends (or relays) mail for "
     "domains it has not added and verified.",
     {"an on-premises server or app relays through an inbound connector with From: domains the tenant does "
      "not own",
      "the domain was removed from the tenant or never verified"},
     "Add and verify every sending domain as an accepted domain of the tenant, or stop relaying "
     "those domains through Exchange Online.",
     "MX_EOP_BEHIND_RELAY SPF_M365_INCLUDE_MISSING",
     MS_NDR},
    /* Source: MS_NDR (4.4.62 "Mail sent to the wrong Office 365 region") */
    {"4.4.62",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Mail sent to the wrong Office 365 region: the mail reached a Microsoft datacenter that does "
     "not host the recipient's tenant.",
     {"an outbound connector sends to a fixed smart host instead of the recipient's MX",
      "the recipient's MX still points at a former tenant or region"},
     "Route mail by MX (remove fixed smart hosts from the outbound connector); the recipient checks "
     "that its MX is its own tenant's <domain>.mail.protection.outlook.com.",
     "MX_EOP_NOT_PRIMARY MX_MIXED_PROVIDERS MX_EOP_BEHIND_RELAY",
     MS_NDR},
    /* Source: MS_NDR (5.4.1 "Relay Access Denied" / "Recipient address rejected: Access denied") */
    {"5.4.1",
     0,
     0,
     AA_XS_MICROSOFT,
     "access denied",
     "Relay access denied / recipient address rejected: the domain's MX points at Exchange Online, "
     "but the recipient does not exist there or the domain is not accepted by that tenant.",
     {"the recipient address does not exist (Directory-Based Edge Blocking)",
      "the domain's MX points at Exchange Online but the domain is not an accepted domain of the tenant",
      "mail for a hybrid or third-party-hosted domain arrives at EOP without a connector"},
     "Check the recipient address; add the domain as an accepted domain (internal relay when some "
     "mailboxes live elsewhere), or point the MX at the server that hosts it.",
     "MX_EOP_NOT_PRIMARY MX_EOP_BEHIND_RELAY MX_MIXED_PROVIDERS",
     MS_NDR},
    /* Source: MS_NDR (4.7.500-4.7.699 "Server busy, please try again later"; 4.7.650-4.7.899 IP reputation throttling) */
    {"4.7.500",
     899,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Throttled: Exchange Online limits mail from this IP for now (new or low-reputation IP, a "
     "sudden volume increase).",
     {"a new sending IP or a sudden rise in volume", "the IP's reputation is poor (complaints, blocklists)",
      "the IP has no or a generic reverse DNS"},
     "Let the sending server retry (it is temporary); ramp volume up slowly on new IPs, publish "
     "reverse DNS, and keep the IP off blocklists.",
     IP_RELATED,
     MS_NDR},

    /* ---- Gmail / Google Workspace ------------------------------------------ */
    /* Source: GOOGLE_SMTP (550 5.7.26 "Unauthenticated email from domain is not accepted due to domain's DMARC policy") */
    {"5.7.26",
     0,
     0,
     AA_XS_GOOGLE,
     "DMARC",
     "Unauthenticated mail is not accepted because of the sender domain's DMARC policy.",
     {"neither SPF nor DKIM passed aligned with the From: domain",
      "a third-party service sends with your From: domain", "the mail was forwarded without DKIM"},
     "Sign with DKIM for the From: domain and make SPF pass for every sending IP.",
     ALIGN_RELATED " DMARC_NONE",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (550 5.7.26 "This mail has been blocked because the sender is unauthenticated") */
    {"5.7.26",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "The sender is unauthenticated: Gmail requires every sender to pass SPF or DKIM.",
     {"no DKIM signature and SPF does not pass for the sending IP", "no SPF record at all",
      "the DKIM key in DNS does not match the signing key"},
     "Publish SPF listing every sending IP or service and sign with DKIM (2048-bit key); senders of "
     "over 5,000 mails a day to Gmail need both, plus DMARC.",
     AUTH_RELATED " SPF_DNS_ERROR",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (550 5.7.27 "... sender is unauthenticated ... SPF") */
    {"5.7.27",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "SPF did not pass for the sender's domain and Gmail requires it (bulk sender requirement).",
     {"the sending IP is not in the SPF record", "the SPF record is broken or over the lookup limit",
      "the Return-Path domain has no SPF record"},
     "List the sending IP or service in the Return-Path domain's SPF record and keep it under 10 lookups.",
     "SPF_IP_NOT_PERMITTED SPF_NONE SPF_LOOKUP_LIMIT SPF_SYNTAX ENVELOPE_UNROUTABLE",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (421 4.7.27 "SPF authentication didn't pass": the temporary form of 5.7.27) */
    {"4.7.27",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "Deferred: SPF did not pass for the sender's domain; Gmail rate limits such mail for now.",
     {"the sending IP is not in the SPF record", "the SPF record is broken or over the lookup limit"},
     "List the sending IP or service in the Return-Path domain's SPF record; the retries then pass.",
     "SPF_IP_NOT_PERMITTED SPF_NONE SPF_LOOKUP_LIMIT SPF_SYNTAX SPF_DNS_ERROR",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (421 4.7.23 "The sending IP does not have a PTR record") */
    {"4.7.23",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "Deferred: the sending IP has no PTR record, or the PTR name does not resolve back to the IP.",
     {"no reverse DNS for the IP", "the PTR name's A/AAAA record does not contain the IP"},
     "Ask whoever owns the IP to set a PTR to a host name whose A/AAAA record is the IP.",
     "IP_NO_PTR IP_FCRDNS_MISMATCH IP_PTR_GENERIC",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (421 4.7.28 "unusual rate of unsolicited mail ... rate limited") */
    {"4.7.28",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "Rate limited: Gmail saw an unusual rate of unsolicited mail from this IP or DKIM domain.",
     {"spam complaints from Gmail users", "a sudden volume increase from a new IP or domain",
      "missing authentication (SPF, DKIM, DMARC) lowers reputation"},
     "Slow down and let the server retry; check Postmaster Tools for spam rate, add one-click "
     "unsubscribe for bulk mail, authenticate fully.",
     IP_RELATED " DMARC_NONE DKIM_NONE_FOUND",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (4.7.32 / 5.7.32 "From: header isn't aligned with either the authenticated SPF or DKIM organizational domain") */
    {"4.7.32",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "The From: domain is not aligned with the authenticated SPF or DKIM domain (Gmail bulk sender "
     "requirement).",
     {"DKIM is signed with the service's domain, not yours", "the Return-Path is the service's domain"},
     "Have the sending service sign DKIM with your domain or use a Return-Path under your domain.",
     ALIGN_RELATED,
     GOOGLE_SMTP},
    {"5.7.32",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "The From: domain is not aligned with the authenticated SPF or DKIM domain; the mail is rejected.",
     {"DKIM is signed with the service's domain, not yours", "the Return-Path is the service's domain"},
     "Have the sending service sign DKIM with your domain or use a Return-Path under your domain.",
     ALIGN_RELATED,
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (550 5.7.25 "The IP address sending this message does not have a PTR record") */
    {"5.7.25",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "The sending IP has no PTR record, or the PTR name does not resolve back to the IP.",
     {"no reverse DNS for the IP", "the PTR name's A/AAAA record does not contain the IP"},
     "Ask whoever owns the IP (hosting provider, ISP) to set a PTR to a host name whose A record is the IP.",
     "IP_NO_PTR IP_FCRDNS_MISMATCH IP_PTR_GENERIC",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (550 5.7.1 "not authorized to send email directly to our servers") */
    {"5.7.1",
     0,
     0,
     AA_XS_GOOGLE,
     "directly to our servers",
     "The IP may not send to Gmail directly: it looks like a dynamic or residential address.",
     {"mail is sent straight from a home connection or dynamic IP", "the reverse DNS looks generic"},
     "Send through your provider's SMTP relay (smart host).",
     "IP_PTR_GENERIC IP_NO_PTR IP_DNSBL_LISTED",
     GOOGLE_SMTP},
    /* Source: GOOGLE_SMTP (550 5.7.1 "likely unsolicited mail" / "blocked") */
    {"5.7.1",
     0,
     0,
     AA_XS_GOOGLE,
     NULL,
     "Blocked: Gmail judged the mail likely unsolicited or the sender's reputation too low.",
     {"spam complaints or poor domain/IP reputation", "missing or failing authentication",
      "content or links with a bad reputation"},
     "Authenticate fully (SPF, DKIM, DMARC), watch Postmaster Tools, send only wanted mail.",
     AUTH_RELATED " " IP_RELATED,
     GOOGLE_GUIDE},

    /* ---- Yahoo / AOL ------------------------------------------------------- */
    /* Source: YAHOO_CODES (421 4.7.0 [TSS04] "Messages from x.x.x.x temporarily deferred due to unexpected volume or user complaints") */
    {"4.7.0",
     0,
     0,
     AA_XS_YAHOO,
     "TSS04",
     "Temporarily deferred: unexpected volume or user complaints from this IP.",
     {"complaints from Yahoo users", "a sudden volume increase", "missing authentication lowers reputation"},
     "Let the server retry at a lower rate; reduce volume, remove inactive addresses, authenticate "
     "with SPF, DKIM and DMARC, and watch the complaint feedback loop.",
     IP_RELATED " DMARC_NONE DKIM_NONE_FOUND",
     YAHOO_CODES},
    /* Source: YAHOO_CODES ([TSS09] "All messages from x.x.x.x will be permanently deferred") */
    {"4.7.0",
     0,
     0,
     AA_XS_YAHOO,
     "TSS09",
     "All messages from this IP will be permanently deferred: its reputation is too poor.",
     {"a history of complaints or spam traps", "a newly used IP with no reputation sending much"},
     "Fix what sent the unwanted mail, then ask for review through the Yahoo Sender Hub.",
     IP_RELATED,
     YAHOO_CODES},
    /* Source: YAHOO_CODES (TSSxx deferrals in general) */
    {"4.7.0",
     0,
     0,
     AA_XS_YAHOO,
     "[TS",
     "Deferred by Yahoo's traffic shaping (TSSxx): reputation or volume of the sender.",
     {"complaints or unexpected volume", "missing or failing authentication"},
     "Let the server retry; lower the rate; authenticate fully; see the code's page on the Yahoo Sender Hub.",
     IP_RELATED " DMARC_NONE",
     YAHOO_CODES},
    /* Source: YAHOO_CODES (554 5.7.9 "Message not accepted for policy reasons") */
    {"5.7.9",
     0,
     0,
     AA_XS_YAHOO,
     NULL,
     "Message not accepted for policy reasons: the mail fails Yahoo's sender requirements or its "
     "content or sender reputation is poor.",
     {"SPF or DKIM missing or failing, or no DMARC record (required for bulk senders since 2024)",
      "the From: domain is not aligned with SPF or DKIM", "complaints about the sender or content"},
     "Authenticate with SPF and DKIM, publish DMARC (at least p=none) aligned with the From: "
     "domain, and add one-click unsubscribe to bulk mail.",
     "DMARC_NONE DKIM_NONE_FOUND SPF_NONE SPF_IP_NOT_PERMITTED ENVELOPE_MISALIGNED",
     YAHOO_CODES "; " YAHOO_BP},
    /* Source: YAHOO_CODES (553 5.7.1 [BL21]/[BL23] "Connections will not be accepted from x.x.x.x, because the ip is in Spamhaus's list") */
    {"5.7.1",
     0,
     0,
     AA_XS_YAHOO,
     "[BL",
     "Connections from this IP are not accepted: the IP is on a Spamhaus blocklist.",
     {"the IP is listed by Spamhaus", "a compromised host or open relay on the IP"},
     "Look the IP up at https://check.spamhaus.org, clean the source, and request removal.",
     IP_RELATED,
     YAHOO_CODES},

    /* ---- Greylisting ---------------------------------------------------------- */
    /* Source: RFC6647 (a temporary 4xx to an unknown sender; the sender retries) */
    {"4.7.1",
     0,
     0,
     AA_XS_GREYLIST,
     "greylist",
     "Greylisted: the receiver refuses the first attempt from an unknown sender and accepts a retry.",
     {"first mail from this IP/sender/recipient triplet",
      "the sender retries late (long queue retry interval)",
      "the sending IP changes between tries (a pool of servers)"},
     "Nothing to fix when the retry arrives; for one-time passwords and other urgent mail, retry after "
     "a few minutes (Postfix: minimal_backoff_time) and send from a stable IP with reverse DNS, or ask "
     "the receiver to allowlist it.",
     "IP_NO_PTR IP_PTR_GENERIC IP_FCRDNS_MISMATCH",
     RFC6647},
    {"4.7.1",
     0,
     0,
     AA_XS_GREYLIST,
     "try again later",
     "Try again later: a temporary refusal, most often greylisting of a sender the receiver has not seen.",
     {"greylisting of a first-time sender", "temporary rate limiting", "a DNS lookup of the receiver failed"},
     "Let the sending server retry (4xx is temporary); make sure it retries within minutes and keeps "
     "the same IP.",
     "IP_NO_PTR IP_PTR_GENERIC",
     RFC6647},
    {"4.2.0",
     0,
     0,
     AA_XS_GREYLIST,
     "greylist",
     "Greylisted (Postgrey's \"Recipient address rejected: Greylisted\"): the retry is accepted.",
     {"first mail from this IP/sender/recipient triplet", "the sending IP changes between tries"},
     "Let the server retry within minutes from the same IP.",
     "IP_NO_PTR IP_PTR_GENERIC",
     RFC6647},

    /* ---- RFC 3463 / RFC 5248 / RFC 7372: the standard codes ---------------- */
    /* Source: RFC3463 3.1 (X.0.0) */
    {"X.0.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined status: the reply text is all there is.",
     {"read the reply text"},
     "Read the remote server's text; ask its postmaster.",
     "",
     RFC3463},
    /* Source: RFC3463 3.2 (X.1.0 addressing status) */
    {"X.1.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other address status: something is wrong with an address.",
     {"a mistyped address"},
     "Check the addresses.",
     "",
     RFC3463},
    {"X.1.1",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Bad destination mailbox address: the recipient does not exist.",
     {"a mistyped or removed mailbox"},
     "Check the recipient's address.",
     "",
     RFC3463},
    {"X.1.2",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Bad destination system address: the recipient's domain does not accept mail.",
     {"a mistyped domain", "the domain has no MX or a null MX"},
     "Check the recipient's domain.",
     "MX_NONE MX_NULL MX_TARGET_UNRESOLVABLE",
     RFC3463},
    {"X.1.3",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Bad destination mailbox address syntax.",
     {"a malformed address"},
     "Correct the address.",
     "",
     RFC3463},
    {"X.1.7",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Bad sender's mailbox address syntax: the envelope sender is malformed.",
     {"an application sends with an empty or malformed Return-Path"},
     "Send with a valid Return-Path (PHP: sendmail_path = \"/usr/sbin/sendmail -t -i -f "
     "bounce@example.com\").",
     "ENVELOPE_UNROUTABLE",
     RFC3463},
    {"X.1.8",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Bad sender's system address: the sender's (Return-Path) domain does not exist or cannot receive mail.",
     {"the Return-Path is a local name like www.local or localhost.localdomain (a PHP or cron default)",
      "the sender domain has no MX and no A record"},
     "Send with a Return-Path under a real domain that receives mail (PHP: sendmail_path = "
     "\"/usr/sbin/sendmail -t -i -f bounce@example.com\"; Postfix: myorigin).",
     "ENVELOPE_UNROUTABLE DOMAIN_NXDOMAIN MX_NONE MX_NULL",
     RFC3463},
    /* Source: RFC 7505 section 4.3 (X.1.10 recipient address has null MX) */
    {"X.1.10",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Recipient address has a null MX: the domain accepts no mail.",
     {"the recipient's domain publishes MX 0 \".\""},
     "Use another address.",
     "MX_NULL",
     "RFC 7505, A \"Null MX\" No Service Resource Record, section 4.3"},
    /* Source: RFC3463 3.3 (X.2.x mailbox status) */
    {"X.2.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined mailbox status.",
     {"the mailbox cannot take mail now"},
     "Retry later or reach the recipient another way.",
     "",
     RFC3463},
    {"X.2.1",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Mailbox disabled, not accepting messages.",
     {"a closed or suspended account"},
     "Reach the recipient another way.",
     "",
     RFC3463},
    {"X.2.2",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Mailbox full.",
     {"the recipient's quota is used up"},
     "Retry later; tell the recipient another way.",
     "",
     RFC3463},
    {"X.3.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined mail system status.",
     {"a problem of the receiving system"},
     "Retry later.",
     "",
     RFC3463},
    {"X.3.4",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Message too big for the system.",
     {"large attachments"},
     "Send smaller attachments or a link.",
     "",
     RFC3463},
    /* Source: RFC3463 3.5 (X.4.x network and routing status) */
    {"X.4.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined network or routing status.",
     {"a network or DNS problem between the servers"},
     "Retry later; check the recipient domain's MX.",
     "MX_TARGET_UNRESOLVABLE",
     RFC3463},
    {"X.4.1",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "No answer from host: the receiving server did not answer.",
     {"the MX host is down or blocks the sender's network"},
     "Retry later; check the MX hosts.",
     "MX_TARGET_UNRESOLVABLE MX_TARGET_PRIVATE",
     RFC3463},
    {"X.4.4",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Unable to route: no usable MX or address for the destination domain.",
     {"the domain has no MX and no address", "the MX host does not resolve"},
     "Check the recipient domain's MX records.",
     "MX_NONE MX_TARGET_UNRESOLVABLE MX_IP_LITERAL MX_CNAME",
     RFC3463},
    {"X.4.6",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Routing loop detected.",
     {"two servers forward to each other"},
     "Fix the forwarding or the MX / connector configuration.",
     "MX_EOP_NOT_PRIMARY",
     RFC3463},
    {"X.4.7",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Delivery time expired: the sender gave up retrying.",
     {"the receiving server deferred every try (greylisting, throttling) or did not answer"},
     "Look at the last deferral reason in the bounce.",
     "",
     RFC3463},
    {"X.5.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined protocol status.",
     {"an SMTP protocol problem"},
     "Read the reply text.",
     "",
     RFC3463},
    {"X.6.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined media (content) error.",
     {"the content was refused"},
     "Read the reply text.",
     "",
     RFC3463},
    /* Source: RFC3463 3.8 (X.7.x security or policy status) */
    {"X.7.0",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Other or undefined security or policy status.",
     {"a policy of the receiver refused the mail"},
     "Read the reply text; check the sender's authentication.",
     AUTH_RELATED,
     RFC3463},
    {"X.7.1",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Delivery not authorized, message refused: the receiver's policy does not allow this sender.",
     {"the sending IP or domain is blocked", "authentication of the sender failed",
      "the server will not relay for this recipient"},
     "Read the reply text for the policy; check the IP's reputation and the domain's authentication.",
     IP_RELATED " " AUTH_RELATED,
     RFC3463},
    /* Source: RFC 4954 section 6 (X.7.8) */
    {"X.7.8",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Authentication credentials invalid (SMTP AUTH).",
     {"a wrong password or a disabled SMTP AUTH"},
     "Fix the client's credentials.",
     "",
     "RFC 4954, SMTP Service Extension for Authentication, section 6"},
    /* Source: RFC7372 3.1-3.4 */
    {"X.7.20",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "No passing DKIM signature found.",
     {"no DKIM signature, or it failed"},
     "Sign with DKIM and publish the key.",
     "DKIM_NONE_FOUND DKIM_KEY_SYNTAX DKIM_KEY_REVOKED DKIM_CNAME_DANGLING",
     RFC7372},
    {"X.7.21",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "No acceptable DKIM signature found (by the receiver's policy).",
     {"a weak key or SHA-1", "a signature by another domain"},
     "Sign with a 2048-bit key and SHA-256 for your domain.",
     "DKIM_KEY_WEAK DKIM_KEY_1024 DKIM_KEY_SHA1_ONLY",
     RFC7372},
    {"X.7.22",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "No valid author-matched DKIM signature found.",
     {"DKIM signed with another domain than the From: domain"},
     "Sign with the From: domain.",
     ALIGN_RELATED,
     RFC7372},
    {"X.7.23",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "SPF validation failed.",
     {"the sending IP is not in the SPF record"},
     "List the sending IP or service in SPF.",
     "SPF_IP_NOT_PERMITTED SPF_NONE SPF_LOOKUP_LIMIT",
     RFC7372},
    {"X.7.24",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "SPF validation error (temperror or permerror).",
     {"the SPF record is broken or a lookup failed"},
     "Fix the SPF record.",
     "SPF_SYNTAX SPF_MULTIPLE SPF_LOOKUP_LIMIT SPF_VOID_LIMIT SPF_DNS_ERROR SPF_INCLUDE_NO_RECORD SPF_LOOP",
     RFC7372},
    {"X.7.25",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Reverse DNS validation failed.",
     {"no PTR or it does not resolve back"},
     "Set a PTR that resolves back to the IP.",
     "IP_NO_PTR IP_FCRDNS_MISMATCH",
     RFC7372},
    {"X.7.26",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Multiple authentication checks failed.",
     {"SPF and DKIM both failed"},
     "Make SPF and DKIM pass.",
     AUTH_RELATED,
     RFC7372},
    /* Source: RFC 7505 section 4.2 (X.7.27 sender address has null MX) */
    {"X.7.27",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "Sender address has a null MX: the sender's domain receives no mail.",
     {"the Return-Path domain publishes MX 0 \".\""},
     "Send with a Return-Path that can receive bounces.",
     "MX_NULL ENVELOPE_UNROUTABLE",
     "RFC 7505, A \"Null MX\" No Service Resource Record, section 4.2"},

    /* ---- Header symptoms (keys made by headers.c) -------------------------- */
    /* Source: MS_HEADERS (compauth reason 000) */
    {"compauth:000",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Composite authentication failed explicitly: the sender domain's DMARC policy is quarantine or reject "
     "and the mail failed it.",
     {"the sending service is not in SPF and does not sign DKIM for the From: domain",
      "a spoofed From: domain"},
     "Authenticate the real sender (SPF or DKIM aligned with the From: domain).",
     ALIGN_RELATED,
     MS_HEADERS},
    /* Source: MS_HEADERS (compauth reason 001), MS_KB3089691 */
    {"compauth:001",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Composite authentication failed implicitly: the sender domain has no or weak authentication "
     "(no DMARC or p=none), and EOP judged the mail a spoof.",
     {"the sender domain has no SPF, DKIM or DMARC that passes",
      "mail reaches EOP through another filter or server first (EOP is not the primary MX), so EOP sees "
      "that server's IP: the KB3089691 case",
      "a third-party service sends with the From: domain without DKIM"},
     "Authenticate the sender (SPF, DKIM, DMARC). When EOP is not the first hop, point the MX at EOP or "
     "turn on Enhanced Filtering for Connectors (skip listing) for the inbound connector (KB3089691).",
     "MX_EOP_NOT_PRIMARY MX_EOP_BEHIND_RELAY SPF_NONE DKIM_NONE_FOUND DMARC_NONE DMARC_POLICY_NONE",
     MS_HEADERS "; " MS_KB3089691},
    /* Source: MS_HEADERS (compauth reason 002) */
    {"compauth:002",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "The organisation has a policy that prohibits this sender/domain pair (spoof block).",
     {"a blocked spoofed sender in the Tenant Allow/Block List"},
     "Review the spoof entries of the Tenant Allow/Block List.",
     "",
     MS_HEADERS},
    /* Source: MS_HEADERS (compauth reason 010) */
    {"compauth:010",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "DMARC quarantine or reject failed for one of the organisation's own (accepted) domains.",
     {"an app or device sends as your domain through a path SPF/DKIM do not cover",
      "mail for your domain arrives through another server first (KB3089691)"},
     "Authenticate the app's mail (connector, SPF, DKIM), or use Enhanced Filtering for Connectors.",
     "MX_EOP_NOT_PRIMARY SPF_M365_INCLUDE_MISSING DKIM_M365_NOT_ENABLED SPF_IP_NOT_PERMITTED",
     MS_HEADERS "; " MS_KB3089691},
    /* Source: MS_HEADERS (compauth reason 6xx) */
    {"compauth:6xx",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Implicit authentication failed for one of the organisation's own (accepted) domains: intra-org spoof.",
     {"an app or scanner sends as your domain from outside without authentication",
      "mail for your domain arrives through another server first (KB3089691)"},
     "Send such mail through an authenticated connector; add its IP to SPF; use Enhanced Filtering.",
     "MX_EOP_NOT_PRIMARY SPF_M365_INCLUDE_MISSING DKIM_M365_NOT_ENABLED SPF_NONE",
     MS_HEADERS},
    /* Source: MS_SCL */
    {"scl:spam",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Spam confidence level 5 or 6: EOP filtered the mail as spam (junk folder or quarantine by policy).",
     {"failing or missing sender authentication (see compauth)", "poor IP or domain reputation",
      "content judged spammy"},
     "Fix the sender's authentication and reputation; a recipient admin can release the mail and report it "
     "as not junk.",
     AUTH_RELATED " " IP_RELATED,
     MS_SCL},
    {"scl:high",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Spam confidence level 9 (or 7-8): high confidence spam, quarantined by default.",
     {"very poor reputation or known spam content", "a listed sending IP"},
     "Fix what marks the sender as spam first; report false positives to Microsoft.",
     IP_RELATED " " AUTH_RELATED,
     MS_SCL},
    /* Source: MS_BCL */
    {"bcl:bulk",
     0,
     0,
     AA_XS_MICROSOFT,
     NULL,
     "Bulk complaint level 7 or more: the sender is a bulk sender with complaints; by default such mail "
     "goes to junk.",
     {"newsletters or marketing mail with many complaints"},
     "Send only wanted mail, add unsubscribe links; recipients' admins can raise the BCL threshold.",
     "DMARC_NONE DKIM_NONE_FOUND",
     MS_BCL},
    /* Source: RFC 8601 section 2.7 (method results), RFC 7208 section 2.6 */
    {"auth:spf",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "SPF did not pass for the envelope sender (Return-Path) domain.",
     {"the sending IP is not in the SPF record", "the Return-Path domain has no SPF record",
      "the mail was forwarded"},
     "List the sending server in the Return-Path domain's SPF record.",
     "SPF_IP_NOT_PERMITTED SPF_NONE SPF_LOOKUP_LIMIT SPF_SYNTAX ENVELOPE_UNROUTABLE",
     "RFC 8601, Message Header Field for Indicating Message Authentication Status, section 2.7.2"},
    {"auth:dkim",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "DKIM did not pass: no signature, or it did not verify.",
     {"the sender does not sign", "the key in DNS is missing or does not match",
      "the mail was changed on the way"},
     "Sign with DKIM and publish the selector's key.",
     "DKIM_NONE_FOUND DKIM_KEY_SYNTAX DKIM_CNAME_DANGLING DKIM_M365_NOT_ENABLED",
     "RFC 8601, section 2.7.1"},
    {"auth:dmarc",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "DMARC did not pass: neither SPF nor DKIM passed aligned with From:.",
     {"a service sends with your From: domain without aligned SPF or DKIM", "a spoofed From: domain"},
     "Align SPF (Return-Path under your domain) or DKIM (d= your domain).",
     ALIGN_RELATED " DMARC_NONE",
     "RFC 8601, section 2.7; RFC 7489, section 3.1"},
    /* Source: RFC 5321 section 4.4 (trace information), RFC6647 */
    {"hop:delay",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "A Received hop took minutes: the mail waited in a queue on the way (late one-time passwords).",
     {"greylisting: the receiver deferred the first try and the sender retried late",
      "the sending server's queue or retry interval", "throttling by the receiver (4.7.x deferrals)"},
     "Find the hop with the delay; if it is the receiver's first hop, it is greylisting or throttling: "
     "retry sooner (Postfix minimal_backoff_time), send from a stable IP with reverse DNS.",
     "IP_NO_PTR IP_PTR_GENERIC IP_FCRDNS_MISMATCH IP_DNSBL_LISTED",
     "RFC 5321, section 4.4 (Received) and 4.5.4.1 (retry); " RFC6647},
    /* Source: RFC 5321 section 4.1.1.2 (the reverse-path must be able to receive notifications), PHP manual */
    {"return-path:local",
     0,
     0,
     AA_XS_ANY,
     NULL,
     "The Return-Path is a local name (www.local, localhost): bounces cannot come back and receivers "
     "distrust the sender (the default of PHP mail() and cron on an unconfigured host).",
     {"PHP mail() or sendmail uses the web server's user and host name",
      "the server's host name is not a public domain"},
     "Give the sender a real envelope address: in php.ini sendmail_path = \"/usr/sbin/sendmail -t -i "
     "-f bounce@example.com\" (or mail()'s fifth parameter \"-fbounce@example.com\"); set myorigin in "
     "Postfix.",
     "ENVELOPE_UNROUTABLE ENVELOPE_MISALIGNED",
     "RFC 5321, section 4.1.1.2 and 4.5.5; PHP manual, \"Mail configuration\", "
     "https://www.php.net/manual/en/mail.configuration.php"},
};
#define N_ENTRIES (sizeof(catalogue) / sizeof(catalogue[0]))

size_t
aa_x_entry_count(void)
{
	return N_ENTRIES;
}

const aa_x_entry *
aa_x_entry_at(size_t i)
{
	return i < N_ENTRIES ? &catalogue[i] : NULL;
}

static const char *const system_names[AA_XS_COUNT] =
    {"any receiver (standard meaning)", "Microsoft 365 / Exchange Online Protection (also Outlook.com)",
     "Gmail / Google Workspace", "Yahoo / AOL", "a greylisting receiver"};
static const char *const system_tokens[AA_XS_COUNT] = {"any", "microsoft", "google", "yahoo", "greylist"};

const char *
aa_x_system_name(aa_x_system s)
{
	return (unsigned)s < AA_XS_COUNT ? system_names[s] : "unknown";
}

const char *
aa_x_system_token(aa_x_system s)
{
	return (unsigned)s < AA_XS_COUNT ? system_tokens[s] : "unknown";
}

/* Phrases and host names that name the rejecting system. */
static const struct {
	const char *needle;
	aa_x_system sys;
} system_hints[] = {
    {"protection.outlook.com", AA_XS_MICROSOFT},
    {"outlook.com", AA_XS_MICROSOFT},
    {"sender.office.com", AA_XS_MICROSOFT},
    {"hotmail.com", AA_XS_MICROSOFT},
    {"Exchange Online", AA_XS_MICROSOFT},
    {"prod.outlook", AA_XS_MICROSOFT},
    {"gsmtp", AA_XS_GOOGLE},
    {"google.com", AA_XS_GOOGLE},
    {"gmail", AA_XS_GOOGLE},
    {"yahoodns.net", AA_XS_YAHOO},
    {"yahoo", AA_XS_YAHOO},
    {"aol.com", AA_XS_YAHOO},
    {"[TSS", AA_XS_YAHOO},
    {"greylist", AA_XS_GREYLIST},
};

aa_x_system
aa_x_system_in(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(system_hints) / sizeof(system_hints[0]); i++)
		if (aa_memcasemem(p, n, system_hints[i].needle) != NULL)
			return system_hints[i].sys;
	return AA_XS_ANY;
}

/* "5.7.606" into its three numbers; 0 when it is not a status code. */
static int
split_code(const char *s, int *cls, int *subj, int *det)
{
	char *end;
	long a, b, c;

	if (s == NULL || s[0] == '\0')
		return 0;
	if (s[0] == 'X' && s[1] == '.')
		a = -1, end = (char *)s + 1;
	else
		a = strtol(s, &end, 10);
	if (*end != '.')
		return 0;
	b = strtol(end + 1, &end, 10);
	if (*end != '.')
		return 0;
	c = strtol(end + 1, &end, 10);
	if (*end != '\0' || b < 0 || b > 999 || c < 0 || c > 999)
		return 0;
	*cls = (int)a, *subj = (int)b, *det = (int)c;
	return 1;
}

const aa_x_entry *
aa_x_lookup(const char *enhanced, int reply, aa_x_system sys, const char *text)
{
	const aa_x_entry *best = NULL;
	int cls, subj, det, best_score = -1;
	size_t i, tlen = text != NULL ? strlen(text) : 0;

	if (!split_code(enhanced, &cls, &subj, &det))
		return NULL;
	for (i = 0; i < N_ENTRIES; i++) {
		const aa_x_entry *e = &catalogue[i];
		int ec, es, ed, score = 0;

		if (!split_code(e->code, &ec, &es, &ed))
			continue;
		if ((ec != -1 && ec != cls) || es != subj)
			continue;
		if (det < ed || det > (e->detail_hi ? e->detail_hi : ed))
			continue;
		if (e->reply != 0 && e->reply != reply)
			continue;
		if (e->match != NULL) {
			if (aa_memcasemem(text != NULL ? text : "", tlen, e->match) == NULL)
				continue;
			score += 8;
		}
		if (e->system == AA_XS_ANY)
			score += 1; /* the standard meaning beats an unconfirmed vendor's */
		else if (sys == e->system)
			score += 4;
		else if (sys != AA_XS_ANY && e->match == NULL)
			continue; /* another vendor's meaning of the code */
		if (score > best_score)
			best = e, best_score = score;
	}
	return best;
}

const aa_x_entry *
aa_x_lookup_class(const char *enhanced)
{
	int cls, subj, det;
	char key[24];

	if (!split_code(enhanced, &cls, &subj, &det))
		return NULL;
	(void)snprintf(key, sizeof(key), "X.%d.0", subj);
	return aa_x_lookup(key, 0, AA_XS_ANY, NULL);
}

const char *
aa_x_class_meaning(const char *enhanced)
{
	switch (enhanced != NULL ? enhanced[0] : 0) {
	case '2':
		return "success";
	case '4':
		return "persistent transient failure: the sender retries";
	case '5':
		return "permanent failure: retrying as is will not help";
	default:
		return NULL;
	}
}

const aa_x_entry *
aa_x_lookup_symptom(const char *key)
{
	size_t i;

	for (i = 0; i < N_ENTRIES; i++)
		if (strcasecmp(catalogue[i].code, key) == 0)
			return &catalogue[i];
	return NULL;
}

/* Values of X-Forefront-Antispam-Report and X-Microsoft-Antispam fields.
 * Source: MS_HEADERS. */
static const struct {
	const char *field, *value, *meaning;
} antispam[] = {
    {"SFV", "SPM", "marked as spam by spam filtering"},
    {"SFV", "NSPM", "not spam"},
    {"SFV", "BLK", "blocked: the sender is on the recipient's blocked senders list"},
    {"SFV", "SFE", "skipped: the sender is on the recipient's safe senders list"},
    {"SFV", "SKA", "skipped: allowed sender or domain in the anti-spam policy"},
    {"SFV", "SKB", "marked as spam: blocked sender or domain in the anti-spam policy"},
    {"SFV", "SKI", "skipped: intra-organisation mail"},
    {"SFV", "SKN", "skipped: marked non-spam by a mail flow rule"},
    {"SFV", "SKQ", "released from quarantine"},
    {"SFV", "SKS", "marked as spam by a mail flow rule"},
    {"CAT", "BULK", "bulk"},
    {"CAT", "DIMP", "domain impersonation"},
    {"CAT", "GIMP", "mailbox intelligence impersonation"},
    {"CAT", "HPHSH", "high confidence phishing"},
    {"CAT", "HPHISH", "high confidence phishing"},
    {"CAT", "HSPM", "high confidence spam"},
    {"CAT", "MALW", "malware"},
    {"CAT", "PHSH", "phishing"},
    {"CAT", "SPM", "spam"},
    {"CAT", "SPOOF", "spoofing: the sender failed composite authentication"},
    {"CAT", "UIMP", "user impersonation"},
    {"CAT", "AMP", "anti-malware"},
    {"CAT", "SAP", "safe attachments"},
    {"CAT", "OSPM", "outbound spam"},
    {"CAT", "INTOS", "intra-organisation phishing"},
    {"IPV", "CAL", "the IP is allowed by the connection filter"},
    {"IPV", "NLI", "the IP is not on any IP reputation list"},
    {"SRV", "BULK", "bulk mail: BCL over the threshold"},
    {"SCL", "-1", "spam filtering skipped (trusted sender or rule)"},
    {"SCL", "0", "not spam"},
    {"SCL", "1", "not spam"},
    {"SCL", "5", "spam: junk folder or quarantine"},
    {"SCL", "6", "spam: junk folder or quarantine"},
    {"SCL", "7", "high confidence spam"},
    {"SCL", "8", "high confidence spam"},
    {"SCL", "9", "high confidence spam: quarantined by default"},
    {"PTR", "", "the sending IP's reverse DNS"},
    {"CIP", "", "the connecting (sending) IP"},
    {"CTRY", "", "the country of the sending IP"},
    {"H", "", "the HELO/EHLO name of the sending server"},
    {"LANG", "", "the language of the message"},
    {"DIR", "INB", "inbound"},
    {"DIR", "OUT", "outbound"},
    {"SFP", "1102", "marked as spam: sender blocked (anti-spam policy)"},
};

const char *
aa_x_antispam_meaning(const char *field, const char *value)
{
	size_t i;

	for (i = 0; i < sizeof(antispam) / sizeof(antispam[0]); i++)
		if (strcasecmp(antispam[i].field, field) == 0 &&
		    (antispam[i].value[0] == '\0' || strcasecmp(antispam[i].value, value) == 0))
			return antispam[i].meaning;
	return NULL;
}
