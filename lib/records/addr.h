/* addr.h — IP addresses: text form, reverse names, reachable space. */
#ifndef AA_ADDR_H
#define AA_ADDR_H

#include <stddef.h>

/* Non-zero when `s` is an IPv4 or IPv6 address in text form. */
int aa_is_ip_literal(const char *s);
/* "192.0.2.1" -> "1.2.0.192.in-addr.arpa" (IPv6: ip6.arpa nibbles); NULL if
 * `ip` is no address or on OOM.  The caller frees the result. */
char *aa_reverse_name(const char *ip);
/* Non-zero when the address (4 or 16 bytes) is loopback, private,
 * link-local, CGNAT, unspecified, multicast or otherwise reserved space
 * that no Internet sender can reach.  Documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are NOT flagged: they
 * stand for public hosts in examples and test fixtures.  *why receives a
 * short name of the range. */
int aa_addr_unreachable(const unsigned char *addr, size_t len, const char **why);
/* Non-zero for the target of a null MX (RFC 7505: "MX 0 ."). */
int aa_mx_null_target(const char *host);

#endif
