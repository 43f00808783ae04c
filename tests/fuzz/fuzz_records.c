/* fuzz_records.c — see fuzz_records.h. */
#include "fuzz_records.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	aa_rrtype type;
} types[] = {{"TXT", AA_T_TXT},     {"MX", AA_T_MX},   {"A", AA_T_A},     {"AAAA", AA_T_AAAA},
             {"CNAME", AA_T_CNAME}, {"PTR", AA_T_PTR}, {"SPF", AA_T_SPF}, {"NS", AA_T_NS}};

/* The next space-separated word of [*p, end), as a NUL-terminated copy in
 * buf (at most n - 1 bytes); advances *p. */
static int
word(const char **p, const char *end, char *buf, size_t n)
{
	size_t k = 0;

	while (*p < end && **p == ' ')
		(*p)++;
	while (*p < end && **p != ' ' && k + 1 < n)
		buf[k++] = *(*p)++;
	buf[k] = '\0';
	if (*p < end && **p == ' ')
		(*p)++;
	return k > 0;
}

static void
add_line(aa_recordset *set, const char *p, const char *end)
{
	char name[300], type[8], outcome[20], host[300];
	aa_rrtype t = 0;
	aa_outcome o;
	aa_rrset *rs;
	size_t i;
	int found = 0;

	if (!word(&p, end, name, sizeof(name)) || !word(&p, end, type, sizeof(type)) ||
	    !word(&p, end, outcome, sizeof(outcome)))
		return;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].name) == 0) {
			t = types[i].type;
			found = 1;
		}
	for (o = AA_OUT_PENDING; o <= AA_OUT_BADNAME; o++)
		if (strcmp(outcome, aa_outcome_name(o)) == 0)
			break;
	if (!found || o > AA_OUT_BADNAME)
		return;
	if (strcmp(name, "@") == 0)
		strcpy(name, FUZZ_DOMAIN);
	if ((rs = aa_recordset_get(set, name, t)) == NULL) {
		if ((rs = aa_rrset_new(name, t)) == NULL)
			return;
		rs->outcome = o;
		if (aa_recordset_put(set, rs) != AA_OK) {
			aa_rrset_unref(rs);
			return;
		}
		aa_rrset_unref(rs);
	}
	if (o != AA_OUT_ANSWER)
		return;
	switch (t) {
	case AA_T_MX: {
		char pref[8];
		if (!word(&p, end, pref, sizeof(pref)) || !word(&p, end, host, sizeof(host)))
			return;
		if (aa_rrset_add(rs, host, strlen(host)) == AA_OK)
			rs->rr[rs->nrr - 1].pref = (unsigned short)atoi(pref);
		return;
	}
	case AA_T_A:
	case AA_T_AAAA: {
		unsigned char addr[16];
		if (!word(&p, end, host, sizeof(host)) ||
		    inet_pton(t == AA_T_A ? AF_INET : AF_INET6, host, addr) != 1)
			return;
		if (aa_rrset_add(rs, host, strlen(host)) == AA_OK)
			memcpy(rs->rr[rs->nrr - 1].addr, addr, t == AA_T_A ? 4 : 16);
		return;
	}
	case AA_T_CNAME:
	case AA_T_PTR:
	case AA_T_NS:
		if (word(&p, end, host, sizeof(host)))
			(void)aa_rrset_add(rs, host, strlen(host));
		return;
	default:
		if (aa_rrset_add(rs, p, (size_t)(end - p)) == AA_OK)
			rs->rr[rs->nrr - 1].nstrings = 1;
		return;
	}
}

aa_recordset *
fuzz_records(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	aa_recordset *set = aa_recordset_new();

	while (set != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		add_line(set, p, nl);
		p = nl + 1;
	}
	return set;
}
