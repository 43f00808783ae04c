/* libFuzzer target: authaudit explain's reader (bounces, DSNs, headers;
 * GMime underneath) and both of its renderers, on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>

#include "authaudit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const aa_format formats[] = {AA_FORMAT_TEXT, AA_FORMAT_JSON};
	aa_render_opts ro;
	aa_explain *x = NULL;
	FILE *out;
	size_t i;

	if (aa_explain_new((const char *)data, size, &x) != AA_OK)
		return 0;
	if ((out = fopen("/dev/null", "w")) != NULL) {
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
			aa_render_opts_init(&ro);
			ro.format = formats[i];
			ro.color = 1;
			(void)aa_explain_write(x, &ro, out);
		}
		fclose(out);
	}
	aa_explain_free(x);
	return 0;
}
