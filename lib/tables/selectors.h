/* selectors.h — the built-in DKIM selectors probed for every domain. */
#ifndef AA_SELECTORS_H
#define AA_SELECTORS_H

#include <stddef.h>

typedef struct aa_selector {
	const char *name;
	const char *provider; /* who publishes keys under this selector */
	int guard;            /* probed even when _domainkey does not exist (RFC 8020 check) */
} aa_selector;

extern const aa_selector aa_selectors[];
extern const size_t aa_nselectors;

#endif
