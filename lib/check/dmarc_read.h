/*
 * dmarc_read.h — the DMARC reading the plan shares with the check: which
 * records of a _dmarc answer are DMARC records, and which external report
 * destinations need an authorisation record (RFC 7489 7.1).
 */
#ifndef AA_DMARC_READ_H
#define AA_DMARC_READ_H

#include <stddef.h>

#include "records/recordset.h"

/* How many records of rs start with v=DMARC1; *first (optional) gets the
 * first of them. */
size_t aa_dmarc_records(const aa_rrset *rs, const aa_record **first);

typedef void (*aa_dmarc_name_fn)(const char *name, void *arg);
/* Calls fn with DOMAIN._report._dmarc.DEST for every rua/ruf destination of
 * the one DMARC record of rs that lies in another organizational domain. */
void aa_dmarc_authorisation_names(const aa_rrset *rs, aa_dmarc_name_fn fn, void *arg);

#endif
