/* plan_ip.c — for each --ip: its PTR, each PTR name's address (forward
 * confirmation), each DNSBL's listing and, when listed, its TXT reason. */
#include "plan/plan.h"
#include "records/addr.h"
#include "tables/dnsbl.h"

#include <arpa/inet.h>
#include <stdlib.h>

static const aa_rrtype type_a = AA_T_A, type_aaaa = AA_T_AAAA;

/* Forward-confirm every PTR name: A for an IPv4, AAAA for an IPv6 IP. */
static void
ptr_forward(aa_audit *a, const aa_rrset *rs, void *arg)
{
	const aa_rrtype *type = arg;
	size_t i;

	for (i = 0; i < rs->nrr && i < AA_MAX_PTR_NAMES; i++)
		aa_audit_want(a, rs->rr[i].data, *type, NULL, NULL);
}

/* A listing often comes with a TXT record naming the reason and the
 * removal page. */
static void
dnsbl_answer(aa_audit *a, const aa_rrset *rs, void *arg)
{
	(void)arg;
	if (rs->outcome == AA_OUT_ANSWER)
		aa_audit_want(a, rs->name, AA_T_TXT, NULL, NULL);
}

void
aa_plan_ip(aa_audit *a)
{
	const aa_options *opt = aa_audit_options(a);
	const char *const *zones;
	size_t i, z, nzones;
	unsigned char b[16];
	char *name;

	zones = aa_dnsbl_zones(opt, &nzones);
	for (i = 0; i < opt->n_ips; i++) {
		const char *ip = opt->ips[i];
		if ((name = aa_reverse_name(ip)) == NULL)
			continue;
		aa_audit_want(a, name, AA_T_PTR, ptr_forward,
		              (void *)(inet_pton(AF_INET, ip, b) == 1 ? &type_a : &type_aaaa));
		free(name);
		for (z = 0; z < nzones; z++) {
			if ((name = aa_dnsbl_name(ip, zones[z])) == NULL)
				continue;
			aa_audit_want(a, name, AA_T_A, dnsbl_answer, NULL);
			free(name);
		}
	}
}
