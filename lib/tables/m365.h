/*
 * m365.h — Microsoft 365 names, one table: the DKIM selectors every tenant
 * publishes, the domains its DKIM CNAMEs point into, its SPF include.
 */
#ifndef AA_M365_H
#define AA_M365_H

#include <stddef.h>

/* selector1 and selector2 (._domainkey CNAMEs to the tenant). */
extern const char *const aa_m365_selectors[];
extern const size_t aa_n_m365_selectors;
/* The include every Exchange Online sender's SPF needs. */
#define AA_M365_SPF_DOMAIN "spf.protection.outlook.com"

/* Non-zero when `name` lies in a domain Microsoft 365's DKIM selector
 * CNAMEs point into (*.onmicrosoft.com). */
int aa_m365_dkim_target(const char *name);
/* Non-zero when `selector` is one of aa_m365_selectors (any case). */
int aa_m365_selector(const char *selector);

#endif
