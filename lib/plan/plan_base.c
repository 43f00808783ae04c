/*
 * plan.c — the base plan: the queries every audit needs.  Area modules add
 * their own queries and follow-ups (MX host addresses, SPF closure, DKIM
 * CNAME targets, ...).
 */
#include "engine/audit.h"
#include "plan/plan.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <stdlib.h>
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

void
aa_plan_base(aa_audit *a)
{
	const char *d = aa_audit_domain(a);

	/* MX host addresses (check_mx.c) and --ip PTR/DNSBL names
	 * (check_ip.c) are asked by their modules' plans. */
	aa_audit_want(a, d, AA_T_MX, NULL, NULL);
	aa_audit_want(a, d, AA_T_TXT, NULL, NULL);
	/* DKIM selectors (check_dkim.c) and _dmarc (check_dmarc.c) are asked
	 * by their modules' plans. */
}
