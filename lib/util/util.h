/* util.h — small helpers shared by the library: strings and growable buffers. */
#ifndef AA_UTIL_H
#define AA_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* A growable byte buffer, always NUL-terminated when non-empty. */
typedef struct aa_buf {
	char *p;
	size_t len, cap;
	int oom; /* set once an allocation failed; later appends are no-ops */
} aa_buf;

void aa_buf_add(aa_buf *b, const char *s, size_t n);
void aa_buf_puts(aa_buf *b, const char *s);
void aa_buf_printf(aa_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (NULL on OOM) and resets the buffer. */
char *aa_buf_take(aa_buf *b);
void aa_buf_free(aa_buf *b);

char *aa_strndup_lower(const char *s, size_t n);
char *aa_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *arr (of *cap elements of size `size`) to hold at least `need`. */
int aa_grow(void *arr, size_t *cap, size_t need, size_t size);

#endif
