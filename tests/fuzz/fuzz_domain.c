/* libFuzzer target: user-supplied names (domains with IDN, selectors) and
 * the host-name validator in every mode. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "records/hostname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned modes[] = {AA_HOST_QUERY, AA_HOST_MAIL_DOMAIN, AA_HOST_REPORT_DEST,
	                                 AA_HOST_SELECTOR};
	char *s, *out = NULL;
	const char *why;
	size_t i;

	if (size > 4096 || (s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (aa_domain_normalize(s, &out, &why) == AA_OK)
		free(out);
	(void)aa_selector_check(s, &why);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		(void)aa_host_error_text(aa_host_check((const char *)data, size, modes[i]));
	free(s);
	return 0;
}
