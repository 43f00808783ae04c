/*
 * m365.h — Microsoft 365 names, one table: the DKIM selectors every tenant
 * publishes, the domains its DKIM CNAMEs point into, its SPF include, and
 * the one wording of the places (portal pages, cmdlets) where a tenant's own
 * values are shown.
 *
 * Two formats are current and both are right: domains added before May 2025
 * have MX <domain-with-dashes>.mail.protection.outlook.com and DKIM CNAMEs to
 * selector1-<domain-with-dashes>._domainkey.<tenant>.onmicrosoft.com; domains
 * added since get MX <domain-with-dashes>.<x>-v1.mx.microsoft (the
 * DNSSEC-capable endpoint) and CNAMEs to
 * selector1-<domain-with-dashes>._domainkey.<tenant>.<x>-v1.dkim.mail.microsoft.
 * Which one a tenant has cannot be told from DNS before it is published, so
 * fixes point at where Microsoft shows the value instead of guessing.
 */
#ifndef AA_M365_H
#define AA_M365_H

#include <stddef.h>

/* selector1 and selector2 (._domainkey CNAMEs to the tenant). */
extern const char *const aa_m365_selectors[];
extern const size_t aa_n_m365_selectors;
/* The include every Exchange Online sender's SPF needs. */
#define AA_M365_SPF_DOMAIN "spf.protection.outlook.com"

/* Where a tenant's own values are shown (one wording everywhere). */
#define AA_M365_ADMIN_MX "the Microsoft 365 admin center (Settings > Domains > the domain > DNS records)"
#define AA_M365_DKIM_PORTAL                                                                            \
	"the Microsoft Defender portal (Email & collaboration > Policies & rules > Threat policies > " \
	"Email authentication settings > DKIM)"
#define AA_M365_DKIM_CMDLET \
	"Get-DkimSigningConfig -Identity <domain> | Format-List Selector1CNAME,Selector2CNAME"
#define AA_M365_EFC_PORTAL                                                                          \
	"Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies > " \
	"Enhanced Filtering"

/* Non-zero when `name` lies in a domain Microsoft 365's DKIM selector
 * CNAMEs point into (*.onmicrosoft.com, or *.dkim.mail.microsoft for
 * domains added since May 2025). */
int aa_m365_dkim_target(const char *name);
/* "contoso-com" for "contoso.com": the label Microsoft 365 builds a
 * domain's MX host and DKIM target names from.  The caller frees it; NULL
 * when out of memory. */
char *aa_m365_domain_dashes(const char *domain);
/* Non-zero when `selector` is one of aa_m365_selectors (any case). */
int aa_m365_selector(const char *selector);

#endif
