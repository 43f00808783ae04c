/* util.c — strings and growable buffers. */
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
aa_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*p, ncap * size);
	if (n == NULL)
		return -1;
	*p = n;
	*cap = ncap;
	return 0;
}

void
aa_buf_add(aa_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (aa_grow(&b->p, &b->cap, b->len + n + 1, 1) != 0) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
aa_buf_puts(aa_buf *b, const char *s)
{
	aa_buf_add(b, s, strlen(s));
}

void
aa_buf_printf(aa_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	aa_buf_add(b, s, (size_t)n);
	free(s);
}

char *
aa_buf_take(aa_buf *b)
{
	char *p;

	if (b->oom) {
		aa_buf_free(b);
		return NULL;
	}
	p = b->p ? b->p : strdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
aa_buf_free(aa_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

char *
aa_strndup_lower(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (char)tolower((unsigned char)s[i]);
	p[n] = '\0';
	return p;
}

char *
aa_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}
