/*
 * taglist.h — the one reader of key=value tag lists (RFC 6376 3.2), used by
 * DKIM key records, DMARC, MTA-STS and TLS-RPT:
 *
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  = ALPHA *ALNUMPUNC
 *   tag-value = [ tval *( 1*(WSP / FWS) tval ) ]  ; tval = 1*(%x21-3A / %x3C-7E)
 *
 * The input is (pointer, length): a NUL byte is data, never the end.  Every
 * piece between semicolons becomes an aa_tag pointing into the input, with
 * what is wrong with it in `problems`, so each caller decides what a
 * malformation means for its format (DMARC: a syntax finding; MTA-STS: the
 * record is not a tag list; DKIM: libopendkim judges).  No size limits.
 */
#ifndef AA_TAGLIST_H
#define AA_TAGLIST_H

#include <stddef.h>

#include "authaudit.h"

/* What is wrong with one piece (bits of aa_tag.problems). */
enum {
	AA_TAG_EMPTY = 1 << 0,     /* nothing between two ';' (a final ';' is allowed) */
	AA_TAG_NO_EQUALS = 1 << 1, /* no '=' in the piece */
	AA_TAG_BAD_NAME = 1 << 2,  /* the name is not ALPHA *(ALPHA / DIGIT / "_") */
	AA_TAG_DUPLICATE = 1 << 3, /* an earlier well-formed tag has this name (any case) */
	AA_TAG_BAD_VALUE = 1 << 4  /* the value holds a byte outside VALCHAR / FWS (NUL, 8-bit) */
};

typedef struct aa_tag {
	const char *name; /* before the first '=', FWS trimmed (the whole piece without '=') */
	size_t nlen;
	const char *value; /* after the first '=', FWS trimmed; NULL without '=' */
	size_t vlen;
	const char *raw; /* the piece, FWS trimmed */
	size_t rawlen;
	size_t pos;        /* position among the non-empty pieces, from 0 */
	unsigned problems; /* AA_TAG_* bits; 0 for a well-formed tag */
} aa_tag;

typedef struct aa_taglist {
	aa_tag *tags;
	size_t n, cap;
} aa_taglist;

/* Reads p[0..len) into *tl (which must be zeroed or freed before); on
 * AA_ENOMEM *tl is left empty. */
aa_status aa_taglist_parse(const char *p, size_t len, aa_taglist *tl);
void aa_taglist_free(aa_taglist *tl);

/* The first tag named `name` (any case) without AA_TAG_EMPTY, NO_EQUALS or
 * BAD_NAME, or NULL. */
const aa_tag *aa_taglist_find(const aa_taglist *tl, const char *name);

/* Is t's name `name`?  aa_tag_name_is ignores case, aa_tag_name_eq not. */
int aa_tag_name_is(const aa_tag *t, const char *name);
int aa_tag_name_eq(const aa_tag *t, const char *name);
/* Is t's value `v` (any case)? */
int aa_tag_value_is(const aa_tag *t, const char *v);

/* The items of a list inside a tag value ("sha1:sha256", "mailto:a,mailto:b"),
 * FWS trimmed.  Every separator ends an item: "" is one empty item, "a:" is
 * "a" and "". */
typedef struct aa_tag_items {
	const char *p, *end;
	char sep;
	int done;
} aa_tag_items;

void aa_tag_items_init(aa_tag_items *it, const char *v, size_t vlen, char sep);
/* The next item in *item / *len; 0 when there is none.  *last is set when
 * this is the last item (may be NULL). */
int aa_tag_items_next(aa_tag_items *it, const char **item, size_t *len, int *last);
/* Does the list hold `item` (any case)? */
int aa_tag_list_has(const char *v, size_t vlen, char sep, const char *item);

/* FWS as the tag-list readers accept it: SP, HTAB, CR, LF. */
int aa_tag_is_fws(char c);

#endif
