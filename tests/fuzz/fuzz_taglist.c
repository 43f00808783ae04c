/* libFuzzer target: the tag-list reader (DKIM, DMARC, MTA-STS, TLS-RPT
 * records) over arbitrary bytes, NUL bytes included. */
#include <stddef.h>
#include <stdint.h>

#include "util/taglist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aa_taglist tl = {0};
	size_t i;

	if (aa_taglist_parse((const char *)data, size, &tl) == AA_OK) {
		for (i = 0; i < tl.n; i++) {
			aa_tag_items it;
			const char *item;
			size_t len;
			int last;

			aa_tag_items_init(&it, tl.tags[i].value, tl.tags[i].vlen, ',');
			while (aa_tag_items_next(&it, &item, &len, &last))
				;
		}
		(void)aa_taglist_find(&tl, "p");
	}
	aa_taglist_free(&tl);
	return 0;
}
