/* addr.c — addresses: text form, reverse names, reachable space. */
#include "records/addr.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <string.h>

/* Reverse name of an IP (in-addr.arpa / ip6.arpa); NULL if not an IP. */
char *
aa_reverse_name(const char *ip)
{
	unsigned char b[16];
	aa_buf buf = {0};
	int i;

	if (inet_pton(AF_INET, ip, b) == 1) {
		aa_buf_printf(&buf, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
		return aa_buf_take(&buf);
	}
	if (inet_pton(AF_INET6, ip, b) == 1) {
		for (i = 15; i >= 0; i--)
			aa_buf_printf(&buf, "%x.%x.", b[i] & 0xf, b[i] >> 4);
		aa_buf_puts(&buf, "ip6.arpa");
		return aa_buf_take(&buf);
	}
	return NULL;
}

int
aa_is_ip_literal(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

struct range {
	unsigned char net[16];
	unsigned bits;
	const char *why;
};

static const struct range v4_ranges[] = {
    {{0}, 8, "\"this network\" 0.0.0.0/8"},
    {{10}, 8, "private 10.0.0.0/8 (RFC 1918)"},
    {{100, 64}, 10, "shared CGNAT 100.64.0.0/10 (RFC 6598)"},
    {{127}, 8, "loopback 127.0.0.0/8"},
    {{169, 254}, 16, "link-local 169.254.0.0/16"},
    {{172, 16}, 12, "private 172.16.0.0/12 (RFC 1918)"},
    {{192, 0, 0}, 24, "IETF protocol assignments 192.0.0.0/24"},
    {{192, 168}, 16, "private 192.168.0.0/16 (RFC 1918)"},
    {{198, 18}, 15, "benchmarking 198.18.0.0/15"},
    {{224}, 4, "multicast 224.0.0.0/4"},
    {{240}, 4, "reserved 240.0.0.0/4"},
};

static const struct range v6_ranges[] = {
    {{0}, 128, "unspecified ::"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback ::1"},
    {{0xfc}, 7, "unique local fc00::/7"},
    {{0xfe, 0x80}, 10, "link-local fe80::/10"},
    {{0xff}, 8, "multicast ff00::/8"},
    {{0x01, 0x00}, 64, "discard-only 100::/64"},
};

static int
in_range(const unsigned char *addr, const struct range *r)
{
	unsigned full = r->bits / 8, rest = r->bits % 8;

	if (memcmp(addr, r->net, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((addr[full] ^ r->net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

int
aa_addr_unreachable(const unsigned char *addr, size_t len, const char **why)
{
	static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	size_t i;

	if (len == 16 && memcmp(addr, v4mapped, 12) == 0)
		return aa_addr_unreachable(addr + 12, 4, why);
	if (len == 4) {
		for (i = 0; i < sizeof(v4_ranges) / sizeof(v4_ranges[0]); i++)
			if (in_range(addr, &v4_ranges[i])) {
				*why = v4_ranges[i].why;
				return 1;
			}
		return 0;
	}
	for (i = 0; i < sizeof(v6_ranges) / sizeof(v6_ranges[0]); i++)
		if (in_range(addr, &v6_ranges[i])) {
			*why = v6_ranges[i].why;
			return 1;
		}
	return 0;
}

int
aa_mx_null_target(const char *host)
{
	return host[0] == '\0' || strcmp(host, ".") == 0;
}
