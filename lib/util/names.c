/* names.c — {id, name} table look-ups. */
#include "util/names.h"

#include <string.h>
#include <strings.h>

const char *
aa_name_of(const aa_name_entry *t, size_t n, int id, const char *unknown)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return unknown;
}

aa_status
aa_id_of(const aa_name_entry *t, size_t n, const char *name, int *out)
{
	size_t i;

	if (name == NULL)
		return AA_EINVAL;
	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0) {
			*out = t[i].id;
			return AA_OK;
		}
	return AA_EINVAL;
}

aa_status
aa_id_of_ci(const aa_name_entry *t, size_t n, const char *p, size_t len, int *out)
{
	size_t i;

	if (p == NULL)
		return AA_EINVAL;
	for (i = 0; i < n; i++)
		if (strlen(t[i].name) == len && strncasecmp(t[i].name, p, len) == 0) {
			*out = t[i].id;
			return AA_OK;
		}
	return AA_EINVAL;
}
