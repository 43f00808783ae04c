/*
 * escape.c — bytes from DNS made safe for a terminal.  A TXT record, an
 * include target or a CNAME is whatever the zone's owner put there; written
 * raw, ESC and OSC sequences would drive the reader's terminal.  Control
 * bytes, DEL, C1 controls and bytes that are not UTF-8 are written as \DDD,
 * as dig and kdig print them; valid UTF-8 text stays as it is.
 */
#include "render/escape.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid, printable UTF-8 sequence at s[0..n), or 0. */
static size_t
utf8_printable(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong, surrogates, beyond Unicode, and the C1 controls */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

char *
aa_render_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	aa_buf b = {0};

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			for (k = i; k < n && p[k] >= 0x20 && p[k] < 0x7f; k++)
				;
			aa_buf_add(&b, s + i, k - i);
			i = k;
		} else if (p[i] >= 0x80 && (k = utf8_printable(p + i, n - i)) > 0) {
			aa_buf_add(&b, s + i, k);
			i += k;
		} else {
			aa_buf_printf(&b, "\\%03u", p[i]);
			i++;
		}
	}
	if (b.p == NULL && !b.oom)
		return strdup("");
	return aa_buf_take(&b);
}
