/* mailaddr.h — the domain of a mail address (Return-Path, rua). */
#ifndef AA_MAILADDR_H
#define AA_MAILADDR_H

/* The domain of ADDR (after the last '@'), lower case, no trailing dot;
 * NULL on OOM.  The caller frees it. */
char *aa_envelope_domain(const char *addr);
/* Non-zero when domain `d` only means something on one network (a single
 * label, localhost, .local, .internal, ...); *why says which. */
int aa_envelope_local_looking(const char *d, const char **why);

#endif
