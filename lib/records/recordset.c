/* recordset.c — record sets and the (name, type) hash table. */
#include "records/recordset.h"
#include "util/names.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const aa_name_entry rrtypes[] = {
    {AA_T_A, "A"},   {AA_T_NS, "NS"},   {AA_T_CNAME, "CNAME"}, {AA_T_SOA, "SOA"}, {AA_T_PTR, "PTR"},
    {AA_T_MX, "MX"}, {AA_T_TXT, "TXT"}, {AA_T_AAAA, "AAAA"},   {AA_T_SPF, "SPF"},
};

const char *
aa_rrtype_name(aa_rrtype t)
{
	return aa_name_of(rrtypes, AA_NAMES_N(rrtypes), (int)t, "TYPE?");
}

static const aa_name_entry outcome_names[] = {
    {AA_OUT_PENDING, "pending"},      {AA_OUT_ANSWER, "answer"},       {AA_OUT_NODATA, "nodata"},
    {AA_OUT_NXDOMAIN, "nxdomain"},    {AA_OUT_SERVFAIL, "servfail"},   {AA_OUT_TIMEOUT, "timeout"},
    {AA_OUT_REFUSED, "refused"},      {AA_OUT_MALFORMED, "malformed"}, {AA_OUT_CNAME_LOOP, "cname-loop"},
    {AA_OUT_NETERR, "network-error"}, {AA_OUT_DEADLINE, "deadline"},   {AA_OUT_BUDGET, "budget"},
    {AA_OUT_BADNAME, "bad-name"},
};

const char *
aa_outcome_name(aa_outcome o)
{
	return aa_name_of(outcome_names, AA_NAMES_N(outcome_names), (int)o, "unknown");
}

int
aa_outcome_is_error(aa_outcome o)
{
	return o != AA_OUT_ANSWER && o != AA_OUT_NODATA && o != AA_OUT_NXDOMAIN;
}

char *
aa_name_canon(const char *name)
{
	size_t n = strlen(name);

	if (n > 1 && name[n - 1] == '.')
		n--;
	return aa_strndup_lower(name, n);
}

int
aa_name_at_or_below(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	if (n > 1 && name[n - 1] == '.')
		n--;
	if (d > 1 && domain[d - 1] == '.')
		d--;
	if (n < d || strncasecmp(name + n - d, domain, d) != 0)
		return 0;
	return n == d || name[n - d - 1] == '.';
}

static uint64_t
key_hash(const char *name, size_t len, aa_rrtype type)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211ULL;
	}
	return h;
}

aa_rrset *
aa_rrset_new(const char *name, aa_rrtype type)
{
	aa_rrset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	if ((rs->name = aa_name_canon(name)) == NULL) {
		free(rs);
		return NULL;
	}
	rs->type = type;
	rs->name_len = strlen(rs->name);
	rs->key = key_hash(rs->name, rs->name_len, type);
	rs->refs = 1;
	return rs;
}

aa_rrset *
aa_rrset_ref(aa_rrset *rs)
{
	rs->refs++;
	return rs;
}

void
aa_rrset_unref(aa_rrset *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	if (--rs->refs > 0) {
		if (rs->refs == 1 && rs->keeper != NULL)
			rs->keeper->released(rs->keeper, rs); /* may free rs */
		return;
	}
	for (i = 0; i < rs->nrr; i++)
		free(rs->rr[i].data);
	for (i = 0; i < rs->nchain; i++)
		free(rs->chain[i]);
	free(rs->rr);
	free(rs->chain);
	free(rs->name);
	free(rs);
}

aa_status
aa_rrset_add(aa_rrset *rs, const char *data, size_t len)
{
	aa_record *rec;
	aa_record *n;

	n = realloc(rs->rr, (rs->nrr + 1) * sizeof(*rs->rr));
	if (n == NULL)
		return AA_ENOMEM;
	rs->rr = n;
	rec = &rs->rr[rs->nrr];
	memset(rec, 0, sizeof(*rec));
	if ((rec->data = aa_memdup0(data, len)) == NULL)
		return AA_ENOMEM;
	rec->len = len;
	rs->nrr++;
	return AA_OK;
}

aa_status
aa_rrset_add_chain(aa_rrset *rs, const char *target)
{
	char **n = realloc(rs->chain, (rs->nchain + 1) * sizeof(*rs->chain));

	if (n == NULL)
		return AA_ENOMEM;
	rs->chain = n;
	if ((rs->chain[rs->nchain] = aa_name_canon(target)) == NULL)
		return AA_ENOMEM;
	rs->nchain++;
	return AA_OK;
}

aa_rrset *
aa_rrset_copy(const aa_rrset *src)
{
	aa_rrset *rs = aa_rrset_new(src->name, src->type);
	size_t i;

	if (rs == NULL)
		return NULL;
	rs->outcome = src->outcome;
	rs->ttl = src->ttl;
	rs->wire_len = src->wire_len;
	for (i = 0; i < src->nchain; i++)
		if (aa_rrset_add_chain(rs, src->chain[i]) != 0)
			goto fail;
	for (i = 0; i < src->nrr; i++) {
		if (aa_rrset_add(rs, src->rr[i].data, src->rr[i].len) != 0)
			goto fail;
		rs->rr[i].nstrings = src->rr[i].nstrings;
		rs->rr[i].pref = src->rr[i].pref;
		memcpy(rs->rr[i].addr, src->rr[i].addr, sizeof(rs->rr[i].addr));
	}
	return rs;
fail:
	aa_rrset_unref(rs);
	return NULL;
}

struct aa_recordset {
	/* open addressing, linear probing: index in order + 1, 0 empty; 32 bits
	 * so an audit's own set (some 30 entries, 128 slots) stays a small
	 * allocation: glibc's malloc sweeps its fast bins before every
	 * allocation of 1 KiB or more */
	uint32_t *slots;
	size_t nslots;
	aa_rrset **order; /* insertion order */
	size_t n, cap;
};

static size_t
name_len(const char *name)
{
	size_t n = strlen(name);

	if (n > 1 && name[n - 1] == '.')
		n--;
	return n;
}

aa_recordset *
aa_recordset_new(void)
{
	aa_recordset *set = calloc(1, sizeof(*set));

	if (set == NULL)
		return NULL;
	set->nslots = 128;
	if ((set->slots = calloc(set->nslots, sizeof(*set->slots))) == NULL) {
		free(set);
		return NULL;
	}
	return set;
}

void
aa_recordset_free(aa_recordset *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		aa_rrset_unref(set->order[i]);
	free(set->order);
	free(set->slots);
	free(set);
}

/* The slot of (name, type): the entry's, or the empty one where it would
 * go.  h is key_hash(name, len, type); stored keys are compared first, so
 * a probe past other entries costs no string comparison. */
static size_t
find_slot(const aa_recordset *set, const char *name, size_t len, aa_rrtype type, uint64_t h)
{
	size_t mask = set->nslots - 1;
	size_t i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		const aa_rrset *rs;
		if (set->slots[i] == 0)
			return i;
		rs = set->order[set->slots[i] - 1];
		if (rs->key == h && rs->type == type && rs->name_len == len &&
		    strncasecmp(rs->name, name, len) == 0)
			return i;
	}
}

/* The slot of an entry already made (its key known). */
static size_t
find_slot_of(const aa_recordset *set, const aa_rrset *rs)
{
	return find_slot(set, rs->name, rs->name_len, rs->type, rs->key);
}

aa_rrset *
aa_recordset_get(const aa_recordset *set, const char *name, aa_rrtype type)
{
	size_t len = name_len(name);
	size_t k = set->slots[find_slot(set, name, len, type, key_hash(name, len, type))];

	return k == 0 ? NULL : set->order[k - 1];
}

static aa_status
rehash(aa_recordset *set)
{
	uint32_t *old = set->slots;
	size_t i;

	set->slots = calloc(set->nslots * 2, sizeof(*set->slots));
	if (set->slots == NULL) {
		set->slots = old;
		return AA_ENOMEM;
	}
	set->nslots *= 2;
	for (i = 0; i < set->n; i++) {
		aa_rrset *rs = set->order[i];
		set->slots[find_slot_of(set, rs)] = (uint32_t)(i + 1);
	}
	free(old);
	return AA_OK;
}

aa_status
aa_recordset_put(aa_recordset *set, aa_rrset *rs)
{
	size_t slot;
	aa_rrset *old;

	if (set->n >= UINT32_MAX / 2 || ((set->n + 1) * 2 > set->nslots && rehash(set) != AA_OK))
		return AA_ENOMEM;
	slot = find_slot_of(set, rs);
	if (set->slots[slot] != 0) {
		old = set->order[set->slots[slot] - 1];
		set->order[set->slots[slot] - 1] = aa_rrset_ref(rs);
		aa_rrset_unref(old);
		return AA_OK;
	}
	if (aa_grow(&set->order, &set->cap, set->n + 1, sizeof(*set->order)) != AA_OK)
		return AA_ENOMEM;
	set->order[set->n++] = aa_rrset_ref(rs);
	set->slots[slot] = (uint32_t)set->n;
	return AA_OK;
}

static size_t
home_slot(const aa_recordset *set, const aa_rrset *rs)
{
	return (size_t)rs->key & (set->nslots - 1);
}

/* Empties slot i and shifts later members of its probe run back into the
 * hole (deletion without tombstones in linear probing). */
static void
clear_slot(aa_recordset *set, size_t i)
{
	size_t mask = set->nslots - 1, j = i, k;

	set->slots[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (set->slots[j] == 0)
			return;
		k = home_slot(set, set->order[set->slots[j] - 1]);
		/* j's entry may move to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		set->slots[i] = set->slots[j];
		set->slots[j] = 0;
		i = j;
	}
}

int
aa_recordset_remove(aa_recordset *set, aa_rrset *rs)
{
	size_t slot = find_slot_of(set, rs), idx, last;

	if (set->slots[slot] == 0 || set->order[set->slots[slot] - 1] != rs)
		return 0;
	idx = set->slots[slot] - 1;
	clear_slot(set, slot);
	last = set->n - 1;
	if (idx != last) {
		aa_rrset *moved = set->order[last];
		set->order[idx] = moved;
		set->slots[find_slot_of(set, moved)] = (uint32_t)(idx + 1);
	}
	set->n--;
	aa_rrset_unref(rs);
	return 1;
}

size_t
aa_recordset_count(const aa_recordset *set)
{
	return set->n;
}

aa_rrset *
aa_recordset_at(const aa_recordset *set, size_t i)
{
	return i < set->n ? set->order[i] : NULL;
}

static int
type_rank(aa_rrtype t)
{
	static const aa_rrtype order[] = {AA_T_MX,   AA_T_TXT, AA_T_SPF, AA_T_CNAME, AA_T_A,
	                                  AA_T_AAAA, AA_T_PTR, AA_T_NS,  AA_T_SOA};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == t)
			return (int)i;
	return (int)t + 100;
}

static int
name_rank(const char *name, const char *domain)
{
	size_t n = strlen(name), m = strlen(domain);

	if (strcmp(name, domain) == 0)
		return 0;
	if (n > m && strcmp(name + n - m, domain) == 0 && name[n - m - 1] == '.')
		return 1;
	return 2;
}

static int
cmp_rrset(const void *a, const void *b, void *domain)
{
	const aa_rrset *x = *(aa_rrset *const *)a, *y = *(aa_rrset *const *)b;
	int d = name_rank(x->name, domain) - name_rank(y->name, domain);

	if (d == 0)
		d = strcmp(x->name, y->name);
	if (d == 0)
		d = type_rank(x->type) - type_rank(y->type);
	return d;
}

void
aa_recordset_sort(aa_recordset *set, const char *domain)
{
	size_t i;

	qsort_r(set->order, set->n, sizeof(*set->order), cmp_rrset, (void *)domain);
	/* the slots hold places in the order: point them at the new ones */
	memset(set->slots, 0, set->nslots * sizeof(*set->slots));
	for (i = 0; i < set->n; i++) {
		const aa_rrset *rs = set->order[i];
		set->slots[find_slot_of(set, rs)] = (uint32_t)(i + 1);
	}
}
