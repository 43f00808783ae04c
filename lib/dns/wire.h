/*
 * wire.h — reading a DNS answer message into an aa_rrset (private to
 * lib/dns/).
 *
 * Pure: the result depends only on the message bytes and the rrset's name
 * and type, never on resolver state, so tests feed it hand-built messages.
 * The message is read within (abuf, alen) and nothing past it.
 */
#ifndef AA_DNS_WIRE_H
#define AA_DNS_WIRE_H

#include "records/recordset.h"

#define AA_DNS_MAX_CHAIN 16 /* CNAME hops before we call it a loop */

/*
 * Fills rs (its name and type say what was asked) from the answer section
 * of the DNS message abuf[0..alen): the CNAME chain from rs->name, the
 * minimum TTL of the answer records, the records themselves (TXT joined per
 * record, MX with preference, A/AAAA owned by the name or an alias, names
 * for CNAME/PTR/NS) and wire_len.  Returns the outcome: ANSWER or NODATA,
 * MALFORMED (the message does not parse), CNAME_LOOP (the chain loops or is
 * longer than AA_DNS_MAX_CHAIN), NETERR (out of memory).
 */
aa_outcome aa_dns_parse_message(aa_rrset *rs, const unsigned char *abuf, int alen);
/* The outcome class of a c-ares query status (ARES_SUCCESS, ARES_ENODATA,
 * ...); SERVFAIL covers FORMERR and NOTIMP, anything unknown is NETERR. */
aa_outcome aa_dns_status_outcome(int status);
/* Non-zero when `name` (any case) is rs->name or already in its CNAME
 * chain: following it again would loop. */
int aa_dns_chain_has(const aa_rrset *rs, const char *name);

#endif
