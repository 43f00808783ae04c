/*
 * corpus.c — the synthetic domains of the batch benchmark and the batch
 * load tests: d0.bench .. d<N-1>.bench in one zone "bench.".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "corpus.h"

/* A 2048-bit RSA public key (fixtures/zones/dkim-rsa2048.test.zone). */
static const char dkim_key[] =
    "\"v=DKIM1; k=rsa; "
    "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkuNgpRA/0jD+sboibRrGwbUYHSF5dn9Zvptrc6dC2YdD6ZPW/"
    "phZBcbKrgm2rEyqNmO1+L7dP7etDycjzPH4fb1q+jlvyTscTjt4dGsKZdDFKiUiat3l/"
    "BXWOSow7WxYnT5vt2PB1U\" "
    "\"ENa3zLsecdrWSh4IM529mIARyJiBDoSz/RzG8IGA3Mn7n/paqb9XhjPpXJL7tNP03gimT8ZFs7OkkpVc2roDpJKGNCajfb"
    "meAORK2KXWOT2wq9pY59ECf8N7Di16zniK4tgIRSBaSSQ2pWGb7BlzleGhfA7oEAiY8p8H1Fez8pb3L7sel9ITMaX9iNiDR"
    "Zxcnm/q9z5j\" \"0bWQIDAQAB\"";

int
corpus_write_zone(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	long i;

	if (f == NULL) {
		fprintf(stderr, "corpus: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "$ORIGIN bench.\n$TTL 3600\n"
	           "@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"
	           /* the shared provider: two levels of include, a pooled MX */
	           "spf.mailer IN TXT \"v=spf1 include:_nb1.mailer.bench include:_nb2.mailer.bench ~all\"\n"
	           "_nb1.mailer IN TXT \"v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:100::/48 -all\"\n"
	           "_nb2.mailer IN TXT \"v=spf1 ip4:203.0.113.0/24 -all\"\n"
	           "mx1.mailer IN A 198.51.100.25\nmx1.mailer IN AAAA 2001:db8:100::25\n"
	           "mx2.mailer IN A 198.51.100.26\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "d%ld IN A 192.0.2.%ld\n", i, 1 + i % 250);
		if (i % 2 == 0) {
			/* its own mail hosts */
			fprintf(f, "d%ld IN MX 10 mx1.d%ld\nd%ld IN MX 20 mx2.d%ld\n", i, i, i, i);
			fprintf(f, "mx1.d%ld IN A 192.0.2.%ld\nmx2.d%ld IN A 192.0.2.%ld\n", i, 1 + i % 250,
			        i, 1 + (i + 1) % 250);
		} else {
			/* the provider's pool */
			fprintf(f, "d%ld IN MX 10 mx1.mailer\nd%ld IN MX 20 mx2.mailer\n", i, i);
		}
		fprintf(f, "d%ld IN TXT \"v=spf1 mx include:spf.mailer.bench -all\"\n", i);
		if (i % 10 != 0)
			fprintf(f, "_dmarc.d%ld IN TXT \"v=DMARC1; p=%s; rua=mailto:dmarc@d%ld.bench\"\n", i,
			        i % 3 == 0 ? "reject" : "quarantine", i);
		if (i % 2 == 0)
			fprintf(f, "selector1._domainkey.d%ld IN TXT %s\n", i, dkim_key);
	}
	if (fclose(f) == EOF) {
		fprintf(stderr, "corpus: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
