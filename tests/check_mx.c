/*
 * MX, provider and Microsoft 365 tenant checks: pure checks on in-memory
 * record sets, and whole audits against knotd serving fixtures/zones
 * (provider names such as mail.protection.outlook.com are fixture zones
 * served on loopback only).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "authaudit.h"
#include "check/check.h"
#include "harness.h"
#include "records/addr.h"
#include "report/facts.h"
#include "report/report.h"
#include "suite.h"
#include "tables/m365.h"
#include "tables/providers.h"

static harness H;

static void
setup(void)
{
	if (harness_start(&H, "fixtures/zones", "fixtures/faults.conf") == -1)
		ck_abort_msg("harness_start failed (see stderr)");
}

static void
teardown(void)
{
	harness_stop(&H);
}

static aa_report *
audit(const char *domain)
{
	return suite_audit(&H, domain, NULL);
}

static const aa_finding *
must_find(const aa_report *r, const char *code)
{
	const aa_finding *f = suite_find(r, code);

	ck_assert_msg(f != NULL, "%s: no %s", r->domain, code);
	return f;
}

/* ---- pure: tables and helpers ---------------------------------------- */

START_TEST(test_provider_table_knows_the_big_filters_and_hosters)
{
	static const struct {
		const char *host;
		aa_provider_id id;
	} cases[] = {
	    {"contoso-com.mail.protection.outlook.com", AA_PROV_EOP},
	    {"ASPMX.L.GOOGLE.COM.", AA_PROV_GOOGLE},
	    {"alt1.aspmx.l.google.com", AA_PROV_GOOGLE},
	    {"mx0a-00112233.pphosted.com", AA_PROV_PROOFPOINT},
	    {"eu-smtp-inbound-1.mimecast.com", AA_PROV_MIMECAST},
	    {"d123456a.ess.barracudanetworks.com", AA_PROV_BARRACUDA},
	    {"mx1.hc1234-56.iphmx.com", AA_PROV_CISCO},
	    {"example.in.tmes.trendmicro.eu", AA_PROV_TRENDMICRO},
	    {"mx-01-eu-west-1.prod.hydra.sophos.com", AA_PROV_SOPHOS},
	    {"mx.zoho.eu", AA_PROV_ZOHO},
	    {"in1-smtp.messagingengine.com", AA_PROV_FASTMAIL},
	    {"mx01.mail.icloud.com", AA_PROV_ICLOUD},
	    {"mta5.am0.yahoodns.net", AA_PROV_YAHOO},
	    {"mx1.mail.ovh.net", AA_PROV_OVH},
	    {"mailstore1.secureserver.net", AA_PROV_GODADDY},
	    /* filters commonly put in front of Exchange Online */
	    {"cluster1.eu.messagelabs.com", AA_PROV_BROADCOM},
	    {"mx01.hornetsecurity.com", AA_PROV_HORNETSECURITY},
	    {"example-com.s8a1.psmtp.com", AA_PROV_POSTINI},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const aa_provider *p = aa_provider_of_mx(cases[i].host);
		ck_assert_msg(p != NULL && p->id == cases[i].id, "%s", cases[i].host);
	}
	ck_assert_str_eq(aa_provider_of_mx("cluster1.eu.messagelabs.com")->name,
	                 "Broadcom (Symantec) Email Security.cloud");
	ck_assert(strstr(aa_provider_of_mx("mx1.hc1234-56.iphmx.com")->name, "IronPort") != NULL);
	/* Postini is gone: named, and retired */
	ck_assert_ptr_nonnull(aa_provider_mx_retired("example-com.s8a1.psmtp.com"));
	ck_assert_ptr_null(aa_provider_mx_retired("mx0a-00112233.pphosted.com"));
	/* suffixes match whole labels only */
	ck_assert_ptr_null(aa_provider_of_mx("evil-pphosted.com"));
	ck_assert_ptr_null(aa_provider_of_mx("mail.example.com"));
}
END_TEST

START_TEST(test_private_loopback_and_cgnat_addresses_are_unreachable)
{
	static const unsigned char ten[4] = {10, 0, 0, 5}, cgnat[4] = {100, 64, 1, 1}, lo[4] = {127, 0, 0, 1},
	                           ll[4] = {169, 254, 1, 1}, pub[4] = {192, 0, 2, 1}, pub2[4] = {8, 8, 8, 8};
	unsigned char v6lo[16] = {0}, ula[16] = {0xfd, 0x12}, mapped[16] = {0};
	const char *why = NULL;

	v6lo[15] = 1;
	mapped[10] = mapped[11] = 0xff;
	mapped[12] = 192;
	mapped[13] = 168;
	ck_assert(aa_addr_unreachable(ten, 4, &why));
	ck_assert(strstr(why, "1918") != NULL);
	ck_assert(aa_addr_unreachable(cgnat, 4, &why));
	ck_assert(aa_addr_unreachable(lo, 4, &why));
	ck_assert(aa_addr_unreachable(ll, 4, &why));
	ck_assert(aa_addr_unreachable(v6lo, 16, &why));
	ck_assert(aa_addr_unreachable(ula, 16, &why));
	ck_assert(aa_addr_unreachable(mapped, 16, &why));
	/* documentation ranges stand for public hosts (documented choice) */
	ck_assert(!aa_addr_unreachable(pub, 4, &why));
	ck_assert(!aa_addr_unreachable(pub2, 4, &why));
}
END_TEST

/* An in-memory record set: MX of `domain` with the given outcome. */
static aa_recordset *
set_with_mx(const char *domain, aa_outcome out)
{
	aa_recordset *set = aa_recordset_new();
	aa_rrset *rs = aa_rrset_new(domain, AA_T_MX);

	rs->outcome = out;
	aa_recordset_put(set, rs);
	aa_rrset_unref(rs);
	return set;
}

static void
put_txt(aa_recordset *set, const char *name, const char *txt)
{
	aa_rrset *rs = aa_rrset_new(name, AA_T_TXT);

	rs->outcome = txt != NULL ? AA_OUT_ANSWER : AA_OUT_NXDOMAIN;
	if (txt != NULL)
		aa_rrset_add(rs, txt, strlen(txt));
	aa_recordset_put(set, rs);
	aa_rrset_unref(rs);
}

START_TEST(test_mx_servfail_is_not_reported_as_no_mx)
{
	aa_recordset *set = set_with_mx("example.test", AA_OUT_SERVFAIL);
	aa_report *r = aa_report_new("example.test");
	aa_check_in in = {"example.test", set, NULL};
	aa_options opt;

	aa_options_init(&opt);
	in.opt = &opt;
	aa_check_mx(&in, r);
	aa_check_dns(&in, r);
	ck_assert_int_eq(suite_count(r, "MX_NONE"), 0);
	ck_assert_int_eq(suite_count(r, "DNS_INCOMPLETE"), 1);
	aa_report_free(r);
	aa_recordset_free(set);
}
END_TEST

START_TEST(test_no_mx_is_high_when_the_domain_publishes_spf)
{
	aa_recordset *set = set_with_mx("example.test", AA_OUT_NODATA);
	aa_report *r = aa_report_new("example.test");
	aa_check_in in = {"example.test", set, NULL};
	aa_options opt;

	aa_options_init(&opt);
	in.opt = &opt;
	put_txt(set, "example.test", "v=spf1 ip4:192.0.2.1 -all");
	aa_run_checks(&in, r); /* MX_NONE's severity reads the SPF facts */
	ck_assert_int_eq(must_find(r, "MX_NONE")->severity, AA_SEV_HIGH);
	aa_report_free(r);
	aa_recordset_free(set);
}
END_TEST

START_TEST(test_mx_target_cname_is_seen_from_the_address_chain)
{
	aa_recordset *set = aa_recordset_new();
	aa_report *r = aa_report_new("example.test");
	aa_check_in in = {"example.test", set, NULL};
	aa_rrset *mx = aa_rrset_new("example.test", AA_T_MX), *a = aa_rrset_new("mx.example.test", AA_T_A);
	aa_options opt;
	const aa_mx_facts *f;

	aa_options_init(&opt);
	in.opt = &opt;
	mx->outcome = AA_OUT_ANSWER;
	aa_rrset_add(mx, "mx.example.test", 15);
	mx->rr[0].pref = 5;
	a->outcome = AA_OUT_ANSWER;
	aa_rrset_add_chain(a, "real.example.test");
	aa_rrset_add(a, "192.0.2.9", 9);
	memcpy(a->rr[0].addr, "\xc0\x00\x02\x09", 4);
	aa_recordset_put(set, mx);
	aa_recordset_put(set, a);
	aa_rrset_unref(mx);
	aa_rrset_unref(a);
	aa_check_mx(&in, r);
	ck_assert(suite_has_evidence(must_find(r, "MX_CNAME"), "real.example.test"));
	f = aa_report_facts(r, AA_AREA_MX);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->nhosts, 1);
	ck_assert_uint_eq(f->hosts[0].pref, 5);
	ck_assert_str_eq(f->hosts[0].cname, "real.example.test");
	ck_assert_int_eq(f->hosts[0].addr_state, AA_MX_ADDR_OK);
	aa_report_free(r);
	aa_recordset_free(set);
}
END_TEST

START_TEST(test_mx_alias_of_an_eop_host_counts_as_eop)
{
	aa_recordset *set = aa_recordset_new();
	aa_report *r = aa_report_new("example.test");
	aa_check_in in = {"example.test", set, NULL};
	aa_rrset *mx = aa_rrset_new("example.test", AA_T_MX), *a = aa_rrset_new("mx.example.test", AA_T_A);
	aa_options opt;

	aa_options_init(&opt);
	in.opt = &opt;
	mx->outcome = AA_OUT_ANSWER;
	aa_rrset_add(mx, "mx.example.test", 15);
	a->outcome = AA_OUT_ANSWER;
	aa_rrset_add_chain(a, "example-test.mail.protection.outlook.com");
	aa_rrset_add(a, "198.51.100.1", 12);
	aa_recordset_put(set, mx);
	aa_recordset_put(set, a);
	aa_rrset_unref(mx);
	aa_rrset_unref(a);
	aa_run_checks(&in, r); /* MX_PROVIDER is a cross-area finding */
	must_find(r, "MX_CNAME");
	ck_assert(strstr(must_find(r, "MX_PROVIDER")->subject, "Exchange Online") != NULL);
	ck_assert(((const aa_mx_facts *)aa_report_facts(r, AA_AREA_MX))->eop_primary);
	aa_report_free(r);
	aa_recordset_free(set);
}
END_TEST

/* A filter (Broadcom's messagelabs.com) in front of EOP, in memory: the
 * KB3089691 finding names the filter, not only its host. */
START_TEST(test_kb3089691_finding_names_the_filter_in_front_of_eop)
{
	aa_recordset *set = aa_recordset_new();
	aa_report *r = aa_report_new("example.test");
	aa_check_in in = {"example.test", set, NULL};
	aa_rrset *mx = aa_rrset_new("example.test", AA_T_MX);
	aa_options opt;
	const aa_finding *f;

	aa_options_init(&opt);
	in.opt = &opt;
	mx->outcome = AA_OUT_ANSWER;
	aa_rrset_add(mx, "cluster1.eu.messagelabs.com", 27);
	mx->rr[0].pref = 10;
	aa_rrset_add(mx, "example-test.mail.protection.outlook.com", 40);
	mx->rr[1].pref = 20;
	aa_recordset_put(set, mx);
	aa_rrset_unref(mx);
	aa_run_checks(&in, r);
	f = must_find(r, "MX_EOP_NOT_PRIMARY");
	ck_assert_msg(strstr(f->detail, "Broadcom (Symantec) Email Security.cloud") != NULL, "%s", f->detail);
	ck_assert(strstr(f->fix, "cluster1.eu.messagelabs.com") != NULL);
	ck_assert(strstr(must_find(r, "MX_PROVIDER")->subject, "Broadcom") != NULL);
	aa_report_free(r);
	aa_recordset_free(set);
}
END_TEST

/* Every fix that sends the user to Enhanced Filtering names the portal page
 * one way (a "why" may name the feature alone); the relay findings do not
 * claim DKIM breaks (it fails only when the filter alters the message). */
static void
assert_efc_wording(const char *where, const char *text)
{
	if (text == NULL || strstr(text, "Enhanced Filtering") == NULL)
		return;
	ck_assert_msg(strstr(text, AA_M365_EFC_PORTAL) != NULL, "%s: portal path missing: %s", where, text);
	ck_assert_msg(strstr(text, "Microsoft 365 Defender") == NULL, "%s: old portal name: %s", where, text);
}

static void
assert_no_dkim_claim(const char *where, const char *text)
{
	if (text == NULL)
		return;
	ck_assert_msg(strstr(text, "SPF/DKIM/DMARC") == NULL && strstr(text, "SPF, DKIM and DMARC") == NULL &&
	                  strstr(text, "DKIM verdicts") == NULL,
	              "%s: claims DKIM verdicts are wrong: %s", where, text);
}

START_TEST(test_relay_findings_name_one_portal_path_and_do_not_blame_dkim)
{
	static const char *const relay_codes[] = {"MX_EOP_NOT_PRIMARY", "MX_EOP_BEHIND_RELAY",
	                                          "MX_EOP_BACKUP"};
	static const char *const domains[] = {"mx-eop-secondary.test", "mx-eop-behind-relay.test",
	                                      "mx-eop-backup.test"};
	size_t i, j;

	for (i = 0; i < sizeof(relay_codes) / sizeof(relay_codes[0]); i++) {
		aa_report *r = audit(domains[i]);
		const aa_finding *f = must_find(r, relay_codes[i]);

		assert_efc_wording(relay_codes[i], f->def->fix);
		assert_efc_wording(relay_codes[i], f->fix);
		assert_no_dkim_claim(relay_codes[i], f->def->why);
		assert_no_dkim_claim(relay_codes[i], f->detail);
		ck_assert_msg(strstr(f->def->why, "DKIM still") != NULL, "%s: why does not say DKIM survives",
		              relay_codes[i]);
		for (j = 0; j < r->nprofile; j++)
			assert_efc_wording("checklist", r->profile[j].fix);
		aa_report_free(r);
	}
	for (i = 0; i < AA_F_COUNT; i++) {
		const aa_finding_def *d = aa_finding_def_of((aa_code)i);
		ck_assert_msg(strstr(d->why, "Microsoft 365 Defender") == NULL, "%s: old portal name",
		              d->code);
		assert_efc_wording(d->code, d->fix);
	}
}
END_TEST

/* ---- end to end: Microsoft 365 ------------------------------------------ */

START_TEST(test_eop_as_the_only_mx_of_a_complete_tenant_is_clean)
{
	aa_report *r = audit("mx-eop-primary.test");
	const aa_mx_facts *f = aa_report_facts(r, AA_AREA_MX);
	const aa_finding *p = must_find(r, "MX_PROVIDER");

	ck_assert(strstr(p->subject, "Exchange Online Protection") != NULL);
	ck_assert(suite_has_evidence(p, "MS=ms11111111"));
	ck_assert(suite_has_evidence(p, "onmicrosoft.com"));
	ck_assert(suite_has_evidence(p, "autodiscover.outlook.com"));
	ck_assert(suite_has_evidence(p, "spf.protection.outlook.com"));
	ck_assert_int_eq(suite_count(r, "MX_EOP_NOT_PRIMARY"), 0);
	ck_assert_int_eq(suite_count(r, "MX_EOP_BEHIND_RELAY"), 0);
	ck_assert_int_eq(suite_count(r, "MX_SINGLE"), 0); /* EOP is a redundant pool */
	ck_assert_int_eq(suite_count(r, "SPF_M365_INCLUDE_MISSING"), 0);
	ck_assert_int_eq(suite_count(r, "DKIM_M365_NOT_ENABLED"), 0);
	ck_assert_int_eq(suite_count(r, "DNS_INCOMPLETE"), 0);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->eop_mx && f->eop_primary);
	ck_assert_ptr_nonnull(r->tenant);
	ck_assert_uint_eq(r->tenant->nm365, 6); /* MX, MS=, 2 DKIM CNAMEs, SPF, autodiscover */
	ck_assert_uint_eq(f->hosts[0].naddrs, 2);
	aa_report_free(r);
}
END_TEST

START_TEST(test_eop_behind_an_on_premises_primary_mx_is_flagged)
{
	aa_report *r = audit("mx-eop-secondary.test");
	const aa_finding *f = must_find(r, "MX_EOP_NOT_PRIMARY");

	ck_assert_int_eq(f->severity, AA_SEV_HIGH);
	ck_assert(strstr(f->detail, "mail.mx-eop-secondary.test") != NULL);
	ck_assert(strstr(f->def->why, "KB3089691") != NULL);
	ck_assert(strstr(f->fix, "Enhanced Filtering") != NULL);
	ck_assert(strstr(f->fix, "MX 0 mx-eop-secondary-test.mail.protection.outlook.com.") != NULL);
	/* the tenant lacks the SPF include and the DKIM CNAMEs */
	ck_assert(suite_has_evidence(must_find(r, "SPF_M365_INCLUDE_MISSING"), "MS=ms22222222"));
	must_find(r, "DKIM_M365_NOT_ENABLED");
	ck_assert_int_eq(suite_count(r, "MX_EOP_BEHIND_RELAY"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_tenant_behind_a_third_party_filter_is_flagged_with_its_evidence)
{
	aa_report *r = audit("mx-eop-behind-relay.test");
	const aa_finding *f = must_find(r, "MX_EOP_BEHIND_RELAY");

	ck_assert(suite_has_evidence(f, "MS=ms33333333"));
	ck_assert(suite_has_evidence(f, "selector1._domainkey.mx-eop-behind-relay.test CNAME"));
	/* the include is one level down, in _spf.mx-eop-behind-relay.test */
	ck_assert(suite_has_evidence(f, "spf.protection.outlook.com"));
	ck_assert(suite_has_evidence(f, "autodiscover.outlook.com"));
	ck_assert(strstr(f->detail, "pphosted.com") != NULL);
	ck_assert_msg(strstr(f->detail, "Proofpoint") != NULL, "%s", f->detail); /* the filter, named */
	ck_assert(strstr(f->fix, "Enhanced Filtering for Connectors") != NULL);
	ck_assert(strstr(must_find(r, "MX_PROVIDER")->subject, "Proofpoint") != NULL);
	ck_assert_int_eq(suite_count(r, "MX_EOP_NOT_PRIMARY"), 0);
	ck_assert_int_eq(suite_count(r, "SPF_M365_INCLUDE_MISSING"), 0);
	ck_assert_int_eq(suite_count(r, "DKIM_M365_NOT_ENABLED"), 0);
	ck_assert_int_eq(suite_count(r, "MX_SINGLE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_tenant_in_the_2025_formats_is_recognised_everywhere)
{
	aa_options opt;
	aa_report *r;
	const aa_finding *p;
	size_t i, cnames = 0;

	aa_options_init(&opt);
	opt.timeout_ms = 1000;
	opt.tries = 1;
	opt.profile = "m365";
	r = suite_audit(&H, "m365-2025.test", &opt);
	p = must_find(r, "MX_PROVIDER");
	ck_assert(strstr(p->subject, "Exchange Online Protection") != NULL);
	ck_assert(suite_has_evidence(p, "dkim.mail.microsoft"));
	ck_assert_ptr_nonnull(r->tenant);
	for (i = 0; i < r->tenant->nm365; i++)
		cnames += r->tenant->m365[i].kind == AA_M365_DKIM_CNAME;
	ck_assert_uint_eq(cnames, 2);
	ck_assert_uint_eq(r->tenant->nm365, 6); /* MX, MS=, 2 DKIM CNAMEs, SPF, autodiscover */
	ck_assert_int_eq(suite_count(r, "DKIM_M365_NOT_ENABLED"), 0);
	ck_assert_int_eq(suite_count(r, "MX_EOP_NOT_PRIMARY"), 0);
	ck_assert_int_eq(suite_count(r, "MX_EOP_BEHIND_RELAY"), 0);
	ck_assert_int_eq(suite_count(r, "DNS_INCOMPLETE"), 0);
	/* the checklist ticks both formats, and names both where it describes one */
	ck_assert_uint_gt(r->nprofile, 0);
	for (i = 0; i < r->nprofile; i++) {
		const aa_profile_item *it = &r->profile[i];
		if (!it->from_profile)
			continue; /* what this run did not check (--ip, MTA-STS), not the profile */
		ck_assert_msg(it->ok == AA_ITEM_OK, "not ticked: %s", it->text);
		if (strstr(it->text, "MX") != NULL)
			ck_assert_msg(strstr(it->text, "mx.microsoft") != NULL &&
			                  strstr(it->fix, "mx.microsoft") != NULL,
			              "%s", it->text);
		if (strstr(it->text, "CNAME") != NULL && strstr(it->text, "DKIM") != NULL)
			ck_assert_msg(strstr(it->text, "dkim.mail.microsoft") != NULL &&
			                  strstr(it->fix, "Get-DkimSigningConfig") != NULL,
			              "%s", it->text);
	}
	aa_report_free(r);
}
END_TEST

START_TEST(test_m365_fixes_name_both_formats_and_where_the_tenant_value_is_shown)
{
	aa_report *r = audit("mx-eop-secondary.test");
	const aa_finding *f = must_find(r, "DKIM_M365_NOT_ENABLED");

	/* the target cannot be known from DNS: the fix says where it is shown */
	ck_assert(strstr(f->fix, "Get-DkimSigningConfig") != NULL);
	ck_assert(strstr(f->fix, "Email authentication settings") != NULL);
	ck_assert(strstr(f->fix, "dkim.mail.microsoft") != NULL);
	ck_assert(strstr(f->fix, "onmicrosoft.com") != NULL);
	aa_report_free(r);
	r = audit("mx-eop-behind-relay.test");
	f = must_find(r, "MX_EOP_BEHIND_RELAY");
	ck_assert(strstr(f->fix, "mx-eop-behind-relay-test.mail.protection.outlook.com") != NULL);
	ck_assert(strstr(f->fix, "mx.microsoft") != NULL);
	ck_assert(strstr(f->fix, "admin center") != NULL);
	aa_report_free(r);
}
END_TEST

START_TEST(test_tenant_with_one_of_its_two_selectors_is_a_finding)
{
	aa_report *r = audit("m365-one-selector.test");
	const aa_finding *f = must_find(r, "DKIM_M365_SELECTOR_PAIR");

	ck_assert_int_eq(f->severity, AA_SEV_MEDIUM);
	ck_assert_str_eq(f->subject, "selector2._domainkey.m365-one-selector.test");
	ck_assert(suite_has_evidence(f, "selector1._domainkey.m365-one-selector.test CNAME"));
	ck_assert(suite_has_evidence(f, "selector2._domainkey.m365-one-selector.test: no record"));
	ck_assert(strstr(f->fix, "Get-DkimSigningConfig") != NULL);
	ck_assert(strstr(f->fix, "Selector2CNAME") != NULL);
	ck_assert_int_eq(suite_count(r, "DKIM_M365_NOT_ENABLED"), 0);
	aa_report_free(r);
	/* both published: nothing to say */
	r = audit("m365-2025.test");
	ck_assert_int_eq(suite_count(r, "DKIM_M365_SELECTOR_PAIR"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_mx_at_a_retired_exchange_online_endpoint_is_flagged)
{
	aa_report *r = audit("mx-eop-legacy.test");
	const aa_finding *f = must_find(r, "MX_RETIRED_SERVICE");

	ck_assert_int_eq(f->severity, AA_SEV_HIGH);
	ck_assert_str_eq(f->subject, "mx-eop-legacy-test.mail.eo.outlook.com");
	ck_assert(strstr(f->detail, "4.4.62") != NULL);
	/* the replacement, in both current formats, from where it is shown */
	ck_assert(strstr(f->fix, "mx-eop-legacy-test.mail.protection.outlook.com") != NULL);
	ck_assert(strstr(f->fix, "mx-eop-legacy-test.<x>-v1.mx.microsoft") != NULL);
	ck_assert(strstr(f->fix, "admin center") != NULL);
	/* still Exchange Online for the tenant rules */
	ck_assert(strstr(must_find(r, "MX_PROVIDER")->subject, "Exchange Online Protection") != NULL);
	aa_report_free(r);
	/* the current formats are not retired */
	r = audit("mx-eop-primary.test");
	ck_assert_int_eq(suite_count(r, "MX_RETIRED_SERVICE"), 0);
	aa_report_free(r);
	r = audit("m365-2025.test");
	ck_assert_int_eq(suite_count(r, "MX_RETIRED_SERVICE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_backup_mx_behind_an_eop_primary_is_flagged)
{
	aa_report *r = audit("mx-eop-backup.test");
	const aa_finding *f = must_find(r, "MX_EOP_BACKUP");
	const aa_mx_facts *mx = aa_report_facts(r, AA_AREA_MX);

	ck_assert_int_eq(f->severity, AA_SEV_MEDIUM);
	ck_assert_str_eq(f->subject, "backup.mx-eop-backup.test");
	ck_assert(suite_has_evidence(f, "MX 10 backup.mx-eop-backup.test"));
	ck_assert(strstr(f->fix, "MX 10 backup.mx-eop-backup.test.") != NULL);
	ck_assert(mx->eop_primary);
	ck_assert_ptr_nonnull(mx->backup);
	/* EOP is primary: not the relay-in-front findings */
	ck_assert_int_eq(suite_count(r, "MX_EOP_NOT_PRIMARY"), 0);
	ck_assert_int_eq(suite_count(r, "MX_EOP_BEHIND_RELAY"), 0);
	aa_report_free(r);
	/* EOP alone: no backup to speak of */
	r = audit("mx-eop-primary.test");
	ck_assert_int_eq(suite_count(r, "MX_EOP_BACKUP"), 0);
	aa_report_free(r);
	/* EOP behind a primary relay is MX_EOP_NOT_PRIMARY, not a backup */
	r = audit("mx-eop-secondary.test");
	ck_assert_int_eq(suite_count(r, "MX_EOP_BACKUP"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_google_and_eop_together_are_mixed_providers)
{
	aa_report *r = audit("mx-mixed.test");
	const aa_finding *f = must_find(r, "MX_MIXED_PROVIDERS");

	ck_assert(strstr(f->subject, "Google Workspace") != NULL);
	ck_assert(strstr(f->subject, "Exchange Online Protection") != NULL);
	/* Google shares the lowest preference: half the mail avoids EOP */
	ck_assert(strstr(must_find(r, "MX_EOP_NOT_PRIMARY")->detail, "same preference") != NULL);
	aa_report_free(r);
}
END_TEST

/* ---- end to end: MX hosts ------------------------------------------------ */

START_TEST(test_mx_target_that_is_a_cname_is_flagged)
{
	aa_report *r = audit("mx-cname.test");
	const aa_finding *f = must_find(r, "MX_CNAME");

	ck_assert_str_eq(f->subject, "mail.mx-cname.test");
	ck_assert(strstr(f->fix, "real.mx-cname.test") != NULL);
	ck_assert_int_eq(suite_count(r, "MX_CNAME"), 1);
	ck_assert_int_eq(suite_count(r, "MX_TARGET_UNRESOLVABLE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_mx_target_written_as_an_ip_is_flagged_and_never_asked)
{
	aa_report *r;

	harness_reset_log(&H);
	r = audit("mx-ip-literal.test");
	ck_assert_str_eq(must_find(r, "MX_IP_LITERAL")->subject, "192.0.2.1");
	ck_assert_int_eq(suite_count(r, "MX_TARGET_UNRESOLVABLE"), 0);
	ck_assert_int_eq(harness_query_count(&H, "192.0.2.1", "A"), 0);
	ck_assert_int_eq(harness_query_count(&H, "mx2.mx-ip-literal.test", "A"), 1);
	aa_report_free(r);
}
END_TEST

START_TEST(test_mx_hosts_on_private_and_loopback_addresses_are_flagged)
{
	aa_report *r = audit("mx-private.test");
	size_t i;
	int ten = 0, lo = 0;

	ck_assert_int_eq(suite_count(r, "MX_TARGET_PRIVATE"), 2);
	for (i = 0; i < r->nfindings; i++) {
		const aa_finding *f = r->findings[i];
		if (strcmp(f->def->code, "MX_TARGET_PRIVATE") != 0)
			continue;
		ten += suite_has_evidence(f, "10.0.0.5");
		lo += suite_has_evidence(f, "::1 (loopback");
	}
	ck_assert_int_eq(ten, 1);
	ck_assert_int_eq(lo, 1);
	aa_report_free(r);
}
END_TEST

static const struct v6_case {
	const char *domain, *host;
	aa_severity expected;
} v6_cases[] = {
    {"mx-ipv6-only.test", "mx6.mx-ipv6-only.test", AA_SEV_HIGH},              /* no IPv4 path at all */
    {"mx-ipv6-only-backup.test", "mx6.mx-ipv6-only-backup.test", AA_SEV_LOW}, /* another host has one */
};

START_TEST(test_mx_host_with_only_ipv6_addresses_is_flagged)
{
	const struct v6_case *t = &v6_cases[_i];
	aa_report *r = audit(t->domain);
	const aa_finding *f = must_find(r, "MX_TARGET_IPV6_ONLY");

	ck_assert_str_eq(f->subject, t->host);
	ck_assert_int_eq(f->severity, t->expected);
	ck_assert(suite_has_evidence(f, "no A record"));
	ck_assert_int_eq(suite_count(r, "MX_TARGET_IPV6_ONLY"), 1);
	ck_assert_int_eq(suite_count(r, "MX_TARGET_UNRESOLVABLE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_only_mx_host_without_address_is_critical)
{
	aa_report *r = audit("mx-unresolvable.test");

	ck_assert_int_eq(must_find(r, "MX_TARGET_UNRESOLVABLE")->severity, AA_SEV_CRITICAL);
	must_find(r, "MX_SINGLE");
	aa_report_free(r);
}
END_TEST

START_TEST(test_single_own_mx_host_is_low)
{
	aa_report *r = audit("mx-single.test");

	ck_assert_int_eq(must_find(r, "MX_SINGLE")->severity, AA_SEV_LOW);
	ck_assert_int_eq(suite_count(r, "MX_PROVIDER"), 0);
	ck_assert_int_eq(suite_count(r, "MX_TARGET_PRIVATE"), 0);
	aa_report_free(r);
}
END_TEST

/* ---- end to end: null MX and no MX ---------------------------------------- */

START_TEST(test_null_mx_alone_is_info)
{
	aa_report *r = audit("mx-null.test");

	ck_assert_int_eq(must_find(r, "MX_NULL")->severity, AA_SEV_INFO);
	ck_assert_int_eq(suite_count(r, "MX_NONE"), 0);
	ck_assert_int_eq(suite_count(r, "MX_SINGLE"), 0);
	ck_assert_int_eq(suite_count(r, "MX_TARGET_UNRESOLVABLE"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_null_mx_on_a_sending_domain_is_high)
{
	aa_report *r = audit("mx-null-sender.test");

	ck_assert_int_eq(must_find(r, "MX_NULL")->severity, AA_SEV_HIGH);
	aa_report_free(r);
}
END_TEST

START_TEST(test_null_mx_mixed_with_real_mx_is_invalid)
{
	aa_report *r = audit("mx-null-mixed.test");

	must_find(r, "MX_NULL_MIXED");
	ck_assert_int_eq(suite_count(r, "MX_NULL"), 0);
	aa_report_free(r);
}
END_TEST

START_TEST(test_no_mx_is_medium_for_a_domain_that_sends_nothing)
{
	aa_report *r = audit("mx-none.test");

	ck_assert_int_eq(must_find(r, "MX_NONE")->severity, AA_SEV_MEDIUM);
	aa_report_free(r);
}
END_TEST

START_TEST(test_no_mx_is_high_for_a_sending_domain)
{
	aa_report *r = audit("mx-none-sender.test");

	ck_assert_int_eq(must_find(r, "MX_NONE")->severity, AA_SEV_HIGH);
	aa_report_free(r);
}
END_TEST

START_TEST(test_servfail_on_mx_is_incomplete_not_missing)
{
	aa_report *r = audit("mx-servfail.test");

	ck_assert(suite_has_evidence(must_find(r, "DNS_INCOMPLETE"), "mx-servfail.test MX"));
	ck_assert(suite_has_evidence(must_find(r, "DNS_INCOMPLETE"), "not verified: MX"));
	ck_assert_int_eq(suite_count(r, "MX_NONE"), 0);
	ck_assert_int_eq(suite_count(r, "MX_SINGLE"), 0);
	aa_report_free(r);
}
END_TEST

static Suite *
mx_suite(void)
{
	Suite *s = suite_create("mx");
	TCase *tc;

	tc = tcase_create("pure");
	tcase_add_test(tc, test_provider_table_knows_the_big_filters_and_hosters);
	tcase_add_test(tc, test_private_loopback_and_cgnat_addresses_are_unreachable);
	tcase_add_test(tc, test_mx_servfail_is_not_reported_as_no_mx);
	tcase_add_test(tc, test_no_mx_is_high_when_the_domain_publishes_spf);
	tcase_add_test(tc, test_mx_target_cname_is_seen_from_the_address_chain);
	tcase_add_test(tc, test_mx_alias_of_an_eop_host_counts_as_eop);
	tcase_add_test(tc, test_kb3089691_finding_names_the_filter_in_front_of_eop);
	suite_add_tcase(s, tc);

	tc = tcase_create("audit");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_eop_as_the_only_mx_of_a_complete_tenant_is_clean);
	tcase_add_test(tc, test_eop_behind_an_on_premises_primary_mx_is_flagged);
	tcase_add_test(tc, test_tenant_behind_a_third_party_filter_is_flagged_with_its_evidence);
	tcase_add_test(tc, test_tenant_in_the_2025_formats_is_recognised_everywhere);
	tcase_add_test(tc, test_m365_fixes_name_both_formats_and_where_the_tenant_value_is_shown);
	tcase_add_test(tc, test_tenant_with_one_of_its_two_selectors_is_a_finding);
	tcase_add_test(tc, test_mx_at_a_retired_exchange_online_endpoint_is_flagged);
	tcase_add_test(tc, test_backup_mx_behind_an_eop_primary_is_flagged);
	tcase_add_test(tc, test_relay_findings_name_one_portal_path_and_do_not_blame_dkim);
	tcase_add_test(tc, test_google_and_eop_together_are_mixed_providers);
	tcase_add_test(tc, test_mx_target_that_is_a_cname_is_flagged);
	tcase_add_test(tc, test_mx_target_written_as_an_ip_is_flagged_and_never_asked);
	tcase_add_test(tc, test_mx_hosts_on_private_and_loopback_addresses_are_flagged);
	tcase_add_test(tc, test_only_mx_host_without_address_is_critical);
	tcase_add_loop_test(tc, test_mx_host_with_only_ipv6_addresses_is_flagged, 0,
	                    sizeof(v6_cases) / sizeof(v6_cases[0]));
	tcase_add_test(tc, test_single_own_mx_host_is_low);
	tcase_add_test(tc, test_null_mx_alone_is_info);
	tcase_add_test(tc, test_null_mx_on_a_sending_domain_is_high);
	tcase_add_test(tc, test_null_mx_mixed_with_real_mx_is_invalid);
	tcase_add_test(tc, test_no_mx_is_medium_for_a_domain_that_sends_nothing);
	tcase_add_test(tc, test_no_mx_is_high_for_a_sending_domain);
	tcase_add_test(tc, test_servfail_on_mx_is_incomplete_not_missing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_main(mx_suite());
}
