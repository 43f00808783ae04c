/*
 * plan.c — the base plan: the queries every audit needs, and the follow-ups
 * that only depend on DNS data (MX host addresses).  Area modules add their
 * own follow-ups (SPF closure, DKIM CNAME targets, ...).
 */
#include "audit.h"
#include "plan.h"
#include "util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static void
mx_hosts(aa_audit *a, const aa_rrset *rs, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < rs->nrr; i++) {
		const char *host = rs->rr[i].data;
		if (host[0] == '\0' || strcmp(host, ".") == 0)
			continue; /* null MX */
		aa_audit_want(a, host, AA_T_A, NULL, NULL);
		aa_audit_want(a, host, AA_T_AAAA, NULL, NULL);
	}
}

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
aa_plan_base(aa_audit *a, aa_report *r)
{
	const aa_options *opt = aa_audit_options(a);
	const char *d = aa_audit_domain(a);
	char *name;
	size_t i;

	aa_audit_want(a, d, AA_T_MX, mx_hosts, NULL);
	aa_audit_want(a, d, AA_T_TXT, NULL, NULL);
	if ((name = aa_printf("_dmarc.%s", d)) != NULL) {
		aa_audit_want(a, name, AA_T_TXT, NULL, NULL);
		free(name);
	}
	/* DKIM selectors are probed by the DKIM module (check_dkim.c). */
	(void)r;
	for (i = 0; i < opt->n_ips; i++) {
		if ((name = aa_reverse_name(opt->ips[i])) == NULL)
			continue;
		aa_audit_want(a, name, AA_T_PTR, NULL, NULL);
		free(name);
	}
}
