/* taglist.c — the key=value tag-list reader (RFC 6376 3.2). */
#include "util/taglist.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
aa_tag_is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
is_alnumpunc(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* VALCHAR = %x21-3A / %x3C-7E; ';' cannot occur inside a piece. */
static int
is_valchar(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e;
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && aa_tag_is_fws(**s))
		(*s)++;
	while (*e > *s && aa_tag_is_fws((*e)[-1]))
		(*e)--;
}

static void
read_piece(aa_tag *t, const char *s, const char *e)
{
	const char *eq, *q;

	t->raw = s;
	t->rawlen = (size_t)(e - s);
	if (s == e) {
		t->problems = AA_TAG_EMPTY;
		return;
	}
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL) {
		t->name = s;
		t->nlen = (size_t)(e - s);
		t->problems = AA_TAG_NO_EQUALS;
		return;
	}
	{
		const char *ns = s, *ne = eq, *vs = eq + 1, *ve = e;
		trim(&ns, &ne);
		trim(&vs, &ve);
		t->name = ns;
		t->nlen = (size_t)(ne - ns);
		t->value = vs;
		t->vlen = (size_t)(ve - vs);
	}
	if (t->nlen == 0 || !is_alpha((unsigned char)t->name[0]))
		t->problems |= AA_TAG_BAD_NAME;
	for (q = t->name; q < t->name + t->nlen && !(t->problems & AA_TAG_BAD_NAME); q++)
		if (!is_alnumpunc((unsigned char)*q))
			t->problems |= AA_TAG_BAD_NAME;
	for (q = t->value; q < t->value + t->vlen; q++)
		if (!is_valchar((unsigned char)*q) && !aa_tag_is_fws(*q)) {
			t->problems |= AA_TAG_BAD_VALUE;
			break;
		}
}

static int
usable(const aa_tag *t)
{
	return !(t->problems & (AA_TAG_EMPTY | AA_TAG_NO_EQUALS | AA_TAG_BAD_NAME));
}

static int
name_cmp(const aa_tag *a, const aa_tag *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = strncasecmp(a->name, b->name, n);

	if (c != 0)
		return c;
	return a->nlen < b->nlen ? -1 : a->nlen > b->nlen;
}

static int
by_name_then_pos(const void *x, const void *y)
{
	const aa_tag *a = *(const aa_tag *const *)x, *b = *(const aa_tag *const *)y;
	int c = name_cmp(a, b);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

/* Marks every well-formed tag whose name an earlier one has: sorted by
 * name, so a hostile record of thousands of tags stays O(n log n). */
static aa_status
mark_duplicates(aa_taglist *tl)
{
	aa_tag **v;
	size_t i, n = 0;

	if (tl->n < 2)
		return AA_OK;
	if ((v = malloc(tl->n * sizeof(*v))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < tl->n; i++)
		if (usable(&tl->tags[i]))
			v[n++] = &tl->tags[i];
	qsort(v, n, sizeof(*v), by_name_then_pos);
	for (i = 1; i < n; i++)
		if (name_cmp(v[i - 1], v[i]) == 0)
			v[i]->problems |= AA_TAG_DUPLICATE;
	free(v);
	return AA_OK;
}

aa_status
aa_taglist_parse(const char *p, size_t len, aa_taglist *tl)
{
	const char *end = p + len;
	size_t pos = 0;

	tl->tags = NULL;
	tl->n = tl->cap = 0;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *s = p, *e;
		aa_tag t;

		e = semi != NULL ? semi : end;
		p = semi != NULL ? semi + 1 : end;
		trim(&s, &e);
		/* the last piece may be empty: "a=b;" or "a=b; " */
		if (s == e && semi == NULL)
			break;
		memset(&t, 0, sizeof(t));
		read_piece(&t, s, e);
		if (!(t.problems & AA_TAG_EMPTY))
			t.pos = pos++;
		if (aa_grow(&tl->tags, &tl->cap, tl->n + 1, sizeof(*tl->tags)) != AA_OK)
			goto nomem;
		tl->tags[tl->n++] = t;
	}
	if (mark_duplicates(tl) != AA_OK)
		goto nomem;
	return AA_OK;
nomem:
	aa_taglist_free(tl);
	return AA_ENOMEM;
}

void
aa_taglist_free(aa_taglist *tl)
{
	free(tl->tags);
	tl->tags = NULL;
	tl->n = tl->cap = 0;
}

int
aa_tag_name_is(const aa_tag *t, const char *name)
{
	size_t n = strlen(name);

	return t->name != NULL && t->nlen == n && strncasecmp(t->name, name, n) == 0;
}

int
aa_tag_name_eq(const aa_tag *t, const char *name)
{
	size_t n = strlen(name);

	return t->name != NULL && t->nlen == n && memcmp(t->name, name, n) == 0;
}

int
aa_tag_value_is(const aa_tag *t, const char *v)
{
	size_t n = strlen(v);

	return t->value != NULL && t->vlen == n && strncasecmp(t->value, v, n) == 0;
}

const aa_tag *
aa_taglist_find(const aa_taglist *tl, const char *name)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (usable(&tl->tags[i]) && aa_tag_name_is(&tl->tags[i], name))
			return &tl->tags[i];
	return NULL;
}

void
aa_tag_items_init(aa_tag_items *it, const char *v, size_t vlen, char sep)
{
	it->p = v;
	it->end = v != NULL ? v + vlen : NULL; /* a tag without a value has none */
	it->sep = sep;
	it->done = v == NULL;
}

int
aa_tag_items_next(aa_tag_items *it, const char **item, size_t *len, int *last)
{
	const char *c, *s, *e;

	if (it->done)
		return 0;
	c = memchr(it->p, it->sep, (size_t)(it->end - it->p));
	s = it->p;
	e = c != NULL ? c : it->end;
	if (c != NULL)
		it->p = c + 1;
	else
		it->done = 1;
	trim(&s, &e);
	*item = s;
	*len = (size_t)(e - s);
	if (last != NULL)
		*last = it->done;
	return 1;
}

int
aa_tag_list_has(const char *v, size_t vlen, char sep, const char *item)
{
	aa_tag_items it;
	const char *s;
	size_t n, want = strlen(item);

	aa_tag_items_init(&it, v, vlen, sep);
	while (aa_tag_items_next(&it, &s, &n, NULL))
		if (n == want && strncasecmp(s, item, n) == 0)
			return 1;
	return 0;
}
