/* plan.h — the base plan of an audit. */
#ifndef AA_PLAN_H
#define AA_PLAN_H

#include "engine/audit.h"

void aa_plan_base(aa_audit *a);
/* "192.0.2.1" -> "1.2.0.192.in-addr.arpa"; NULL if `ip` is no address. */
char *aa_reverse_name(const char *ip);

#endif
