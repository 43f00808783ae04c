/* orgdomain.h — organizational domains, one logic for DMARC discovery,
 * alignment and "is this record the domain's own". */
#ifndef AA_ORGDOMAIN_H
#define AA_ORGDOMAIN_H

/* The registrable domain of `name` per the public suffix list ("example.co.uk"
 * for "a.b.example.co.uk"); NULL when there is none or on OOM.  The caller
 * frees the result. */
char *aa_org_domain(const char *name);

#endif
