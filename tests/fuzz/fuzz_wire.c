/* libFuzzer target: the DNS answer parser (lib/dns/wire.c) on raw
 * messages; the first byte picks the type asked. */
#include <stddef.h>
#include <stdint.h>

#include "dns/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const aa_rrtype types[] = {AA_T_TXT,   AA_T_MX,  AA_T_A,  AA_T_AAAA,
                                  AA_T_CNAME, AA_T_PTR, AA_T_NS, AA_T_SPF};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aa_rrset *rs;

	if (size < 1 || size > 65536)
		return 0;
	if ((rs = aa_rrset_new("f.example", types[data[0] % (sizeof(types) / sizeof(types[0]))])) == NULL)
		return 0;
	rs->outcome = aa_dns_parse_message(rs, data + 1, (int)(size - 1));
	aa_rrset_unref(rs);
	return 0;
}
