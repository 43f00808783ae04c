/*
 * The synthetic corpus (tests/corpus.c): N domains d0.bench .. d<N-1>.bench
 * in one zone file for knotd — MX and host addresses (own hosts on even
 * domains, a shared provider pool on odd ones), an SPF record including a
 * shared two-level provider include, DMARC on nine in ten, a DKIM key at
 * selector1 on even domains and nothing below _domainkey on odd ones.
 */
#ifndef AUTHAUDIT_TESTS_CORPUS_H
#define AUTHAUDIT_TESTS_CORPUS_H

/* Writes the zone "bench." for n domains to path: 0, or -1 with a message
 * on stderr. */
int corpus_write_zone(const char *path, long n);

#endif
