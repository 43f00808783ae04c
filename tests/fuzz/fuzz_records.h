/* fuzz_records.h — a record set built from fuzz input, for the targets
 * that run checks (fuzz_spf, fuzz_pipeline). */
#ifndef AA_FUZZ_RECORDS_H
#define AA_FUZZ_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "records/recordset.h"

#define FUZZ_DOMAIN "fuzz.test"

/*
 * One line per record set: "NAME TYPE OUTCOME DATA", NAME "@" for
 * FUZZ_DOMAIN, TYPE TXT|MX|A|AAAA|CNAME|PTR|SPF, OUTCOME an outcome class
 * name ("answer", "nodata", "nxdomain", "servfail", ...), DATA the record
 * (the rest of the line, any bytes; MX "PREF HOST"; A/AAAA an address; a
 * record set may take several lines: they add records).  Lines that do not
 * parse are skipped.  Returns NULL on OOM.
 */
aa_recordset *fuzz_records(const uint8_t *data, size_t size);

#endif
