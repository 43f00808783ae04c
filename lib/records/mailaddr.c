/* mailaddr.c — the domain of a mail address, and names that only mean
 * something on one network. */
#include "records/mailaddr.h"
#include "records/recordset.h"

#include <string.h>

/* Names that only mean something on one network: bounces to them never
 * leave the sending host or LAN. */
static const char *const local_suffixes[] = {
    "localhost", "local", "localdomain", "internal", "lan",     "home.arpa",
    "home",      "corp",  "intranet",    "private",  "invalid",
};

int
aa_envelope_local_looking(const char *d, const char **why)
{
	size_t i;

	if (strchr(d, '.') == NULL) {
		*why = "a single label without a dot";
		return 1;
	}
	for (i = 0; i < sizeof(local_suffixes) / sizeof(local_suffixes[0]); i++)
		if (aa_name_at_or_below(d, local_suffixes[i])) {
			*why = "a name that exists only on a local network";
			return 1;
		}
	return 0;
}

/* The domain of ADDR (after the last '@'), lower case, no trailing dot. */
char *
aa_envelope_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return aa_name_canon(at != NULL ? at + 1 : addr);
}
