/*
 * names.h — the one way to turn an enum into its token and back: every
 * enum<->token table of the library is an array of {id, name} rows, read by
 * these two functions (Knot's descriptor tables, in miniature).
 */
#ifndef AA_NAMES_H
#define AA_NAMES_H

#include <stddef.h>

#include "authaudit.h"

typedef struct aa_name_entry {
	int id;
	const char *name;
} aa_name_entry;

#define AA_NAMES_N(t) (sizeof(t) / sizeof((t)[0]))

/* The name of `id` in t[0..n), or `unknown` when no row has it. */
const char *aa_name_of(const aa_name_entry *t, size_t n, int id, const char *unknown);
/* The id of `name` (exact match) in *out: AA_OK, or AA_EINVAL when no row
 * has it (*out untouched). */
aa_status aa_id_of(const aa_name_entry *t, size_t n, const char *name, int *out);
/* The same for a token read from DNS data: (pointer, length), ASCII case
 * ignored ("Reject" in a DMARC record is reject). */
aa_status aa_id_of_ci(const aa_name_entry *t, size_t n, const char *p, size_t len, int *out);

#endif
