/* util.c — strings and growable buffers. */
#include "util/util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

aa_status
aa_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap;
	void *n;

	if (need <= *cap)
		return AA_OK;
	if (size == 0 || need > SIZE_MAX / size)
		return AA_ENOMEM;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > SIZE_MAX / size)
		ncap = need;
	n = realloc(*p, ncap * size);
	if (n == NULL)
		return AA_ENOMEM;
	*p = n;
	*cap = ncap;
	return AA_OK;
}

void
aa_buf_add(aa_buf *b, const char *s, size_t n)
{
	size_t max = b->max != 0 ? b->max : AA_BUF_MAX_DEFAULT;

	if (b->oom)
		return;
	if (n > max || b->len > max - n) {
		b->oom = 1;
		return;
	}
	if (aa_grow(&b->p, &b->cap, b->len + n + 1, 1) != AA_OK) {
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
aa_memdup0(const char *p, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

const char *
aa_memcasemem(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (k == 0)
		return p;
	for (i = 0; k <= n && i <= n - k; i++)
		if (strncasecmp(p + i, needle, k) == 0)
			return p + i;
	return NULL;
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

aa_status
aa_strv_add(char ***v, size_t *n, const char *s)
{
	char *copy = strdup(s);

	return copy != NULL ? aa_strv_take(v, n, copy) : AA_ENOMEM;
}

aa_status
aa_strv_take(char ***v, size_t *n, char *s)
{
	char **nv;

	if (s == NULL || (nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL) {
		free(s);
		return AA_ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return AA_OK;
}

void
aa_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *
aa_concat(const char *first, ...)
{
	const char *part;
	size_t len = 0, n;
	va_list ap;
	char *out, *p;

	va_start(ap, first);
	for (part = first; part != NULL; part = va_arg(ap, const char *)) {
		n = strlen(part);
		if (n > SIZE_MAX - 1 - len) {
			va_end(ap);
			return NULL;
		}
		len += n;
	}
	va_end(ap);
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	p = out;
	va_start(ap, first);
	for (part = first; part != NULL; part = va_arg(ap, const char *)) {
		n = strlen(part);
		memcpy(p, part, n);
		p += n;
	}
	va_end(ap);
	*p = '\0';
	return out;
}
