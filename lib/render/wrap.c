/* wrap.c — word wrapping for the text renderers. */
#include "render/wrap.h"
#include "render/escape.h"

#include <stdlib.h>
#include <string.h>

void
aa_render_wrap(FILE *out, int width, int indent, const char *label, const char *text)
{
	int lead = indent + (int)strlen(label), col = lead, first = 1;
	char *safe = aa_render_escape(text); /* text may hold bytes from DNS */
	const char *p = safe != NULL ? safe : "(out of memory)";

	fprintf(out, "%*s%s", indent, "", label);
	while (*p) {
		size_t w = strcspn(p, " \n");
		if (!first && col + 1 + (int)w > width) {
			fprintf(out, "\n%*s", lead, "");
			col = lead;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += (int)w;
		first = 0;
		p += w;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', out);
	free(safe);
}
