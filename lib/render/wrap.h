/* wrap.h — word wrapping for the text renderers. */
#ifndef AA_WRAP_H
#define AA_WRAP_H

#include <stdio.h>

/* Prints `text` word-wrapped to `width`, the first line after `label`
 * (indented by `indent`), later lines lined up under the text. */
void aa_render_wrap(FILE *out, int width, int indent, const char *label, const char *text);

#endif
