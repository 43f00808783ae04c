/*
 * want.h — what a plan may do with an audit in flight: ask (name, type),
 * with a callback for follow-ups, and read the answers that are in.  The
 * engine implements it; plans (lib/plan/) are its only callers.
 */
#ifndef AA_WANT_H
#define AA_WANT_H

#include "authaudit.h"
#include "records/recordset.h"
#include "report/report.h"

typedef struct aa_audit aa_audit;

/* Called when a wanted record set is complete. */
typedef void (*aa_audit_fn)(aa_audit *a, const aa_rrset *rs, void *arg);

/*
 * Asks (name, type) for audit `a`; fn (optional) runs once the answer is
 * in, and may ask more.  Each distinct (name, type) counts once against the
 * audit's query budget; past it the view gets an AA_OUT_BUDGET entry and
 * AA_ELIMIT is returned.  AA_EDOMAIN: `name` cannot be asked (the caller
 * decides whether that is a finding).
 */
aa_status aa_audit_want(aa_audit *a, const char *name, aa_rrtype type, aa_audit_fn fn, void *arg);
const char *aa_audit_domain(const aa_audit *a);
const aa_options *aa_audit_options(const aa_audit *a);
/* The audit's view so far (answers that are in). */
const aa_recordset *aa_audit_view(const aa_audit *a);
/* The report being built (plans record what they probed, e.g. selectors). */
aa_report *aa_audit_report(aa_audit *a);

#endif
