/* util.h — small helpers shared by the library: strings and growable buffers. */
#ifndef AA_UTIL_H
#define AA_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "authaudit.h"

/* What an aa_buf holds at most unless its `max` says otherwise: text built
 * from DNS data (evidence, records joined) never needs more, and a hostile
 * answer must not make it grow without bound. */
#define AA_BUF_MAX_DEFAULT ((size_t)1 << 20)

/* A growable byte buffer, always NUL-terminated when non-empty.  `aa_buf b =
 * {0}` is an empty buffer capped at AA_BUF_MAX_DEFAULT. */
typedef struct aa_buf {
	char *p;
	size_t len, cap;
	int oom;    /* set once an allocation failed or the cap was reached;
	             * later appends are no-ops */
	size_t max; /* most bytes it may hold (without the NUL); 0: the default */
} aa_buf;

void aa_buf_add(aa_buf *b, const char *s, size_t n);
void aa_buf_puts(aa_buf *b, const char *s);
void aa_buf_printf(aa_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (NULL on OOM) and resets the buffer. */
char *aa_buf_take(aa_buf *b);
void aa_buf_free(aa_buf *b);

char *aa_strndup_lower(const char *s, size_t n);
/* A copy of the n bytes at p (NUL bytes included) with a NUL appended. */
char *aa_memdup0(const char *p, size_t n);
/* The first place `needle` occurs in p[0..n), ignoring ASCII case, or NULL. */
const char *aa_memcasemem(const char *p, size_t n, const char *needle);
char *aa_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The strings up to a NULL, joined into one new string (NULL on OOM): a
 * DNS name from its parts without printf's cost (a batch builds some
 * thirty names per domain). */
char *aa_concat(const char *first, ...) __attribute__((sentinel));

/* Grows *arr (of *cap elements of size `size`) to hold at least `need`;
 * AA_ENOMEM (and *arr untouched) when that cannot be done. */
aa_status aa_grow(void *arr, size_t *cap, size_t need, size_t size);

/* Growable string vectors (char **v of *n strings). */
/* Appends a copy of s. */
aa_status aa_strv_add(char ***v, size_t *n, const char *s);
/* Appends s itself (the vector owns it; freed on failure; NULL is OOM). */
aa_status aa_strv_take(char ***v, size_t *n, char *s);
void aa_strv_free(char **v, size_t n);

#endif
