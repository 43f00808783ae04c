/* orgdomain.c — the organizational domain (RFC 7489 3.2) from libpsl and
 * Debian's public suffix list. */
#include "records/orgdomain.h"
#include "records/recordset.h"

#include <libpsl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The list, chosen once per process: libpsl's built-in copy, or Debian's
 * file when that is newer.  Asking per call cost a stat() per lookup (and
 * a parse of the whole file when the file is newer), several per domain in
 * a batch.  Read-only once chosen, so threads share it; it lives until the
 * process exits, as psl_builtin()'s own table does. */
static const psl_ctx_t *psl_list;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

static void
psl_choose(void)
{
	psl_list = psl_builtin();
	if (psl_list == NULL || psl_builtin_outdated()) {
		psl_ctx_t *loaded = psl_load_file(AA_PSL_FILE);
		if (loaded != NULL)
			psl_list = loaded;
	}
}

char *
aa_org_domain(const char *name)
{
	const char *reg;
	char *canon = aa_name_canon(name), *out = NULL;

	if (canon == NULL)
		return NULL;
	(void)pthread_once(&psl_once, psl_choose);
	if (psl_list != NULL && (reg = psl_registrable_domain(psl_list, canon)) != NULL)
		out = strdup(reg);
	free(canon);
	return out;
}
