/*
 * ip.h — facts of the envelope (AA_AREA_ENVELOPE) and sending-IP
 * (AA_AREA_IP) checks, for renderers.
 */
#ifndef AA_IP_H
#define AA_IP_H

#include <stddef.h>

#include "report/facts.h"

/* Non-zero when the PTR name name[0..len) looks like a generic (dynamic,
 * residential) name for `ip`; *why names the sign. */
int aa_ptr_generic(const char *name, size_t len, const char *ip, const char **why);

#endif
