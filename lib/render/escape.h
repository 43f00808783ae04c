/* escape.h — bytes from DNS made safe for a terminal (escape.c). */
#ifndef AA_ESCAPE_H
#define AA_ESCAPE_H

/* A copy of s with control bytes, DEL, C1 controls and bytes that are not
 * UTF-8 written as \DDD (decimal, as dig prints them); NULL on OOM.  The
 * caller frees it. */
char *aa_render_escape(const char *s);

#endif
