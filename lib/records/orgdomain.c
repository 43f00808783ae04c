/* orgdomain.c — the organizational domain (RFC 7489 3.2) from libpsl and
 * Debian's public suffix list. */
#include "records/orgdomain.h"
#include "records/recordset.h"

#include <libpsl.h>
#include <stdlib.h>
#include <string.h>

char *
aa_org_domain(const char *name)
{
	/* psl_builtin() is libpsl's own read-only table (no state of ours);
	 * the data file is read only when the built-in copy is older. */
	const psl_ctx_t *psl = psl_builtin();
	psl_ctx_t *loaded = NULL;
	const char *reg;
	char *canon = aa_name_canon(name), *out = NULL;

	if (canon == NULL)
		return NULL;
	if (psl == NULL || psl_builtin_outdated())
		if ((loaded = psl_load_file(AA_PSL_FILE)) != NULL)
			psl = loaded;
	if (psl != NULL && (reg = psl_registrable_domain(psl, canon)) != NULL)
		out = strdup(reg);
	psl_free(loaded);
	free(canon);
	return out;
}
