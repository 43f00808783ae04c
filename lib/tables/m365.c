/* m365.c — Microsoft 365 names (see m365.h). */
#include "tables/m365.h"
#include "records/recordset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const aa_m365_selectors[] = {"selector1", "selector2"};
const size_t aa_n_m365_selectors = sizeof(aa_m365_selectors) / sizeof(aa_m365_selectors[0]);

/* Both formats are current (see m365.h). */
static const char *const dkim_target_domains[] = {"onmicrosoft.com", "dkim.mail.microsoft"};

int
aa_m365_dkim_target(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(dkim_target_domains) / sizeof(dkim_target_domains[0]); i++)
		if (aa_name_at_or_below(name, dkim_target_domains[i]))
			return 1;
	return 0;
}

int
aa_m365_selector(const char *selector)
{
	size_t i;

	for (i = 0; i < aa_n_m365_selectors; i++)
		if (strcasecmp(selector, aa_m365_selectors[i]) == 0)
			return 1;
	return 0;
}

char *
aa_m365_domain_dashes(const char *domain)
{
	char *s = strdup(domain), *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		if (*p == '.')
			*p = '-';
	return s;
}
