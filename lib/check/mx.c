/*
 * check_mx.c — the MX module: MX host follow-ups, provider identification,
 * Microsoft 365 tenant evidence and the MX_* findings (plus
 * SPF_M365_INCLUDE_MISSING and DKIM_M365_NOT_ENABLED, which need the
 * tenant evidence gathered here).
 */
#include "check/check.h"
#include "records/addr.h"
#include "tables/m365.h"
#include "report/facts.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SPF_MAX_DEPTH 10


/* ---- facts --------------------------------------------------------------- */

static int
strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
host_addresses(const aa_recordset *set, aa_mx_host *h)
{
	static const aa_rrtype types[] = {AA_T_A, AA_T_AAAA};
	int failed = 0, empty = 0;
	size_t t, i;

	for (t = 0; t < 2; t++) {
		const aa_rrset *rs = aa_recordset_get(set, h->name, types[t]);
		if (rs == NULL || rs->outcome == AA_OUT_PENDING || aa_outcome_is_error(rs->outcome)) {
			failed = 1;
			continue;
		}
		if (rs->nchain > 0 && h->cname == NULL &&
		    (h->cname = strdup(rs->chain[rs->nchain - 1])) == NULL)
			return -1;
		if (rs->outcome != AA_OUT_ANSWER) {
			empty++;
			continue;
		}
		for (i = 0; i < rs->nrr; i++) {
			const char *why;
			if (strv_push(&h->addrs, &h->naddrs, rs->rr[i].data) != 0)
				return -1;
			if (aa_addr_unreachable(rs->rr[i].addr, types[t] == AA_T_A ? 4 : 16, &why)) {
				char *s = aa_printf("%s (%s)", rs->rr[i].data, why);
				if (s == NULL || strv_push(&h->private_addrs, &h->nprivate, s) != 0) {
					free(s);
					return -1;
				}
				free(s);
			}
		}
	}
	if (h->naddrs > 0)
		h->addr_state = AA_MX_ADDR_OK;
	else if (failed)
		h->addr_state = AA_MX_ADDR_UNVERIFIED;
	else
		h->addr_state = AA_MX_ADDR_NONE;
	(void)empty;
	return 0;
}

static int
cmp_pref(const void *x, const void *y)
{
	const aa_mx_host *a = x, *b = y;

	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
collect_hosts(const aa_recordset *set, const aa_rrset *mx, aa_mx_facts *f)
{
	size_t i;

	if (mx->nrr == 0)
		return 0;
	if ((f->hosts = calloc(mx->nrr, sizeof(*f->hosts))) == NULL)
		return -1;
	for (i = 0; i < mx->nrr; i++) {
		aa_mx_host *h = &f->hosts[f->nhosts];
		const char *target = mx->rr[i].data;

		if ((h->name = aa_strndup_lower(target, strlen(target))) == NULL)
			return -1;
		f->nhosts++;
		h->pref = mx->rr[i].pref;
		h->addr_state = AA_MX_ADDR_NOT_ASKED;
		if (aa_mx_null_target(h->name)) {
			h->is_null = 1;
			f->null_mx = 1;
			continue;
		}
		if (aa_is_ip_literal(h->name)) {
			h->ip_literal = 1;
			continue;
		}
		h->provider = aa_provider_of_mx(h->name);
		if (host_addresses(set, h) != 0)
			return -1;
		if (h->provider == NULL && h->cname != NULL) /* an alias of a provider's host */
			h->provider = aa_provider_of_mx(h->cname);
	}
	qsort(f->hosts, f->nhosts, sizeof(*f->hosts), cmp_pref);
	return 0;
}

/* ---- Microsoft 365 tenant evidence ------------------------------------- */

static int
add_evidence(aa_mx_facts *f, aa_m365_kind kind, char *text)
{
	aa_m365_evidence *n;

	if (text == NULL)
		return -1;
	if ((n = realloc(f->m365, (f->nm365 + 1) * sizeof(*n))) == NULL) {
		free(text);
		return -1;
	}
	f->m365 = n;
	n[f->nm365].kind = kind;
	n[f->nm365].text = text;
	f->nm365++;
	return 0;
}

static int
has_evidence(const aa_mx_facts *f, aa_m365_kind kind)
{
	size_t i;

	for (i = 0; i < f->nm365; i++)
		if (f->m365[i].kind == kind)
			return 1;
	return 0;
}

/* The v=spf1 record of a TXT answer, or NULL. */
static const char *
spf_record(const aa_rrset *txt)
{
	size_t i;

	if (txt == NULL || txt->outcome != AA_OUT_ANSWER)
		return NULL;
	for (i = 0; i < txt->nrr; i++) {
		const char *s = txt->rr[i].data;
		if (strncasecmp(s, "v=spf1", 6) == 0 && (s[6] == ' ' || s[6] == '\0'))
			return s;
	}
	return NULL;
}

/*
 * Does the SPF record of `name` reach include:spf.protection.outlook.com,
 * directly or through the include/redirect targets the SPF module fetched?
 * 1 yes, 0 no, -1 unknown (a record on the way was not fetched or failed).
 */
static int
spf_reaches_eop(const aa_recordset *set, const char *name, int depth, char **via)
{
	const aa_rrset *txt = aa_recordset_get(set, name, AA_T_TXT);
	const char *rec, *p;
	int unknown = 0;

	if (txt == NULL || txt->outcome == AA_OUT_PENDING || aa_outcome_is_error(txt->outcome))
		return -1;
	if ((rec = spf_record(txt)) == NULL)
		return 0;
	for (p = rec + 6; *p != '\0';) {
		const char *tok, *target = NULL;
		size_t len;
		char *t;
		int rc;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p != '\0' && *p != ' ')
			p++;
		len = (size_t)(p - tok);
		if (len > 0 && strchr("+-~?", tok[0]) != NULL) {
			tok++;
			len--;
		}
		if (len > 8 && strncasecmp(tok, "include:", 8) == 0)
			target = tok + 8;
		else if (len > 9 && strncasecmp(tok, "redirect=", 9) == 0)
			target = tok + 9;
		if (target == NULL)
			continue;
		if ((t = aa_strndup_lower(target, len - (size_t)(target - tok))) == NULL)
			return -1;
		if (strcmp(t, "spf.protection.outlook.com") == 0 ||
		    strcmp(t, "spf.protection.outlook.com.") == 0) {
			*via = t;
			return 1;
		}
		rc = (depth < SPF_MAX_DEPTH && strchr(t, '%') == NULL)
		         ? spf_reaches_eop(set, t, depth + 1, via)
		         : 0;
		if (rc == 1) {
			free(t);
			return 1;
		}
		if (rc == -1)
			unknown = 1;
		free(t);
	}
	return unknown ? -1 : 0;
}

/* A DKIM key record (p= with a value) among the records of a TXT answer. */
static int
has_dkim_key(const aa_rrset *txt)
{
	size_t i;

	if (txt == NULL || txt->outcome != AA_OUT_ANSWER)
		return 0;
	for (i = 0; i < txt->nrr; i++) {
		const char *p = strstr(txt->rr[i].data, "p=");
		for (; p != NULL; p = strstr(p + 2, "p=")) {
			const char *v = p + 2;
			if (p != txt->rr[i].data && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t')
				continue; /* "xp=" is not the p= tag */
			while (*v == ' ' || *v == '\t')
				v++;
			if (*v != '\0' && *v != ';')
				return 1;
		}
	}
	return 0;
}

/* The onmicrosoft.com CNAME target of a selector, if any. */
static const char *
selector_onmicrosoft(const aa_recordset *set, const char *name)
{
	const aa_rrset *rs = aa_recordset_get(set, name, AA_T_TXT);
	size_t i;

	if (rs != NULL)
		for (i = 0; i < rs->nchain; i++)
			if (aa_name_at_or_below(rs->chain[i], "onmicrosoft.com"))
				return rs->chain[i];
	rs = aa_recordset_get(set, name, AA_T_CNAME);
	if (rs != NULL && rs->outcome == AA_OUT_ANSWER)
		for (i = 0; i < rs->nrr; i++)
			if (aa_name_at_or_below(rs->rr[i].data, "onmicrosoft.com"))
				return rs->rr[i].data;
	return NULL;
}

static int
gather_m365(const aa_check_in *in, aa_mx_facts *f)
{
	const aa_rrset *txt = aa_recordset_get(in->rs, in->domain, AA_T_TXT);
	const aa_rrset *ad;
	char *name, *via = NULL;
	size_t i;

	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i].provider != NULL && f->hosts[i].provider->id == AA_PROV_EOP) {
			f->eop_mx = 1;
			if (add_evidence(f, AA_M365_MX_EOP,
			                 aa_printf("MX %u %s (Exchange Online Protection)",
			                           f->hosts[i].pref, f->hosts[i].name)) != 0)
				return -1;
		}
	if (txt != NULL && txt->outcome == AA_OUT_ANSWER)
		for (i = 0; i < txt->nrr; i++)
			if (strncasecmp(txt->rr[i].data, "MS=ms", 5) == 0 &&
			    add_evidence(f, AA_M365_MS_TXT,
			                 aa_printf("%s TXT \"%s\" (Microsoft 365 domain verification)",
			                           in->domain, txt->rr[i].data)) != 0)
				return -1;
	for (i = 0; i < aa_n_m365_selectors; i++) {
		const char *target;
		if ((name = aa_printf("%s._domainkey.%s", aa_m365_selectors[i], in->domain)) == NULL)
			return -1;
		target = selector_onmicrosoft(in->rs, name);
		if (target != NULL &&
		    add_evidence(f, AA_M365_DKIM_CNAME, aa_printf("%s CNAME %s", name, target)) != 0) {
			free(name);
			return -1;
		}
		free(name);
	}
	if (spf_reaches_eop(in->rs, in->domain, 0, &via) == 1) {
		if (add_evidence(f, AA_M365_SPF_INCLUDE,
		                 aa_printf("SPF of %s reaches include:%s", in->domain, via)) != 0) {
			free(via);
			return -1;
		}
	}
	free(via);
	if ((name = aa_printf("autodiscover.%s", in->domain)) == NULL)
		return -1;
	ad = aa_recordset_get(in->rs, name, AA_T_CNAME);
	if (ad != NULL && ad->outcome == AA_OUT_ANSWER)
		for (i = 0; i < ad->nrr; i++)
			if (aa_name_at_or_below(ad->rr[i].data, "outlook.com") &&
			    add_evidence(f, AA_M365_AUTODISCOVER,
			                 aa_printf("%s CNAME %s", name, ad->rr[i].data)) != 0) {
				free(name);
				return -1;
			}
	free(name);
	return 0;
}

/* ---- findings ------------------------------------------------------------ */

/* The domain sends mail: an SPF record that authorises someone, or a DKIM
 * key at a probed selector. */
static int
sends_mail(const aa_check_in *in, const aa_report *r, const char **how)
{
	const char *spf = spf_record(aa_recordset_get(in->rs, in->domain, AA_T_TXT));
	size_t i;
	const aa_dkim_facts *dk;

	if (spf != NULL) {
		const char *p = spf + 6;
		while (*p == ' ')
			p++;
		if (strcasecmp(p, "-all") != 0 && *p != '\0') {
			*how = "it publishes an SPF record that authorises senders";
			return 1;
		}
	}
	dk = aa_report_facts(r, AA_AREA_DKIM);
	if (dk != NULL && dk->usable > 0) {
		*how = "it publishes a DKIM key";
		return 1;
	}
	for (i = 0; i < r->nselectors; i++) {
		char *name = aa_printf("%s._domainkey.%s", r->selectors[i], in->domain);
		int key = name != NULL && has_dkim_key(aa_recordset_get(in->rs, name, AA_T_TXT));
		free(name);
		if (key) {
			*how = "it publishes a DKIM key";
			return 1;
		}
	}
	for (i = 0; i < aa_n_m365_selectors; i++) {
		char *name = aa_printf("%s._domainkey.%s", aa_m365_selectors[i], in->domain);
		int key = name != NULL && has_dkim_key(aa_recordset_get(in->rs, name, AA_T_TXT));
		free(name);
		if (key) {
			*how = "it publishes a DKIM key";
			return 1;
		}
	}
	return 0;
}

static void
mx_host_findings(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	size_t i, j, real = 0, reachable = 0;
	aa_finding *fd;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		real++;
		if (h->addr_state == AA_MX_ADDR_OK || h->addr_state == AA_MX_ADDR_UNVERIFIED)
			reachable++;
	}
	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		if (h->ip_literal) {
			fd = aa_report_add(r, AA_F_MX_IP_LITERAL, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_set_detail(r, fd,
			                      "Senders look \"%s\" up as a host name, which does not "
			                      "exist, so they never connect to that address.",
			                      h->name);
			aa_finding_set_fix(r, fd,
			                   "Publish a host name for the address (\"mx1.%s. A %s\") and "
			                   "point the MX at it: \"%s. MX %u mx1.%s.\"",
			                   in->domain, h->name, in->domain, h->pref, in->domain);
			continue;
		}
		if (h->cname != NULL) {
			fd = aa_report_add(r, AA_F_MX_CNAME, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_evidence(r, fd, "%s is an alias (CNAME) of %s", h->name, h->cname);
			aa_finding_set_fix(r, fd, "Point the MX at the canonical name: \"%s. MX %u %s.\"",
			                   in->domain, h->pref, h->cname);
		}
		if (h->addr_state == AA_MX_ADDR_NONE) {
			fd = aa_report_add(r, AA_F_MX_TARGET_UNRESOLVABLE, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			aa_finding_evidence(r, fd, "%s has no A or AAAA record", h->name);
			if (fd != NULL && reachable == 0) {
				fd->severity = AA_SEV_CRITICAL;
				aa_finding_set_detail(r, fd,
				                      "No MX host of %s has an address: mail to the "
				                      "domain cannot be delivered at all.",
				                      in->domain);
			}
		}
		if (h->nprivate > 0) {
			fd = aa_report_add(r, AA_F_MX_TARGET_PRIVATE, "%s", h->name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, h->pref, h->name);
			for (j = 0; j < h->nprivate; j++)
				aa_finding_evidence(r, fd, "%s has address %s", h->name, h->private_addrs[j]);
		}
	}
	if (real == 1) {
		for (i = 0; i < f->nhosts && f->hosts[i].is_null; i++)
			;
		if (i < f->nhosts &&
		    (f->hosts[i].provider == NULL || !f->hosts[i].provider->highly_available)) {
			fd = aa_report_add(r, AA_F_MX_SINGLE, "%s", f->hosts[i].name);
			aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, f->hosts[i].pref,
			                    f->hosts[i].name);
		}
	}
}

static void
provider_findings(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	int seen[AA_PROV_COUNT] = {0};
	size_t i, distinct = 0;
	aa_buf names = {0};
	aa_finding *fd;
	char *list;

	for (i = 0; i < f->nhosts; i++) {
		const aa_provider *p = f->hosts[i].provider;
		if (p == NULL || seen[p->id]++)
			continue;
		aa_buf_printf(&names, "%s%s", distinct > 0 ? ", " : "", p->name);
		distinct++;
	}
	if (distinct == 0) {
		aa_buf_free(&names);
		return;
	}
	list = aa_buf_take(&names);
	fd = aa_report_add(r, AA_F_MX_PROVIDER, "%s", list != NULL ? list : "?");
	for (i = 0; i < f->nhosts; i++)
		if (!f->hosts[i].is_null)
			aa_finding_evidence(r, fd, "MX %u %s: %s", f->hosts[i].pref, f->hosts[i].name,
			                    f->hosts[i].provider != NULL ? f->hosts[i].provider->name
			                                                 : "not a known provider");
	for (i = 0; i < f->nm365; i++)
		if (f->m365[i].kind != AA_M365_MX_EOP)
			aa_finding_evidence(r, fd, "Microsoft 365 tenant evidence: %s", f->m365[i].text);
	if (distinct > 1) {
		fd = aa_report_add(r, AA_F_MX_MIXED_PROVIDERS, "%s", list != NULL ? list : "?");
		for (i = 0; i < f->nhosts; i++)
			if (f->hosts[i].provider != NULL)
				aa_finding_evidence(r, fd, "MX %u %s: %s", f->hosts[i].pref,
				                    f->hosts[i].name, f->hosts[i].provider->name);
		aa_finding_set_detail(r, fd,
		                      "Senders pick the MX with the lowest preference and fall back "
		                      "to the others when it is busy or down, so mail for %s lands "
		                      "at %s depending on the moment.",
		                      in->domain, list != NULL ? list : "several providers");
	}
	free(list);
}

static const aa_mx_host *
first_eop(const aa_mx_facts *f)
{
	size_t i;

	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i].provider != NULL && f->hosts[i].provider->id == AA_PROV_EOP)
			return &f->hosts[i];
	return NULL;
}

static void
eop_findings(const aa_check_in *in, aa_report *r, aa_mx_facts *f)
{
	const aa_mx_host *eop = first_eop(f), *relay = NULL;
	size_t i, real = 0;
	aa_finding *fd;

	for (i = 0; i < f->nhosts; i++) {
		const aa_mx_host *h = &f->hosts[i];
		if (h->is_null)
			continue;
		real++;
		if (relay == NULL && (h->provider == NULL || h->provider->id != AA_PROV_EOP) &&
		    (eop == NULL || h->pref <= eop->pref))
			relay = h;
	}
	if (eop != NULL) {
		f->eop_primary = relay == NULL;
		if (relay == NULL)
			return;
		fd = aa_report_add(r, AA_F_MX_EOP_NOT_PRIMARY, "%s", eop->name);
		for (i = 0; i < f->nhosts; i++)
			if (!f->hosts[i].is_null)
				aa_finding_evidence(r, fd, "%s MX %u %s%s", in->domain, f->hosts[i].pref,
				                    f->hosts[i].name,
				                    &f->hosts[i] == eop ? " (Exchange Online Protection)" : "");
		aa_finding_set_detail(r, fd,
		                      "Senders deliver to %s (preference %u) %s; it passes the mail "
		                      "on to EOP, which then takes %s's IP for the sender's.",
		                      relay->name, relay->pref,
		                      relay->pref == eop->pref ? "as often as to EOP (same preference)"
		                                               : "first",
		                      relay->name);
		aa_finding_set_fix(
		    r, fd,
		    "Either make EOP the primary MX: \"%s. MX 0 %s.\" and raise or remove \"MX %u "
		    "%s.\"; or, if %s must receive first, enable Enhanced Filtering for Connectors "
		    "(skip listing) on the inbound connector from it (Microsoft 365 Defender > "
		    "Policies > Enhanced Filtering), listing the relay's IP addresses, and turn off "
		    "\"SPF record: hard fail\".",
		    in->domain, eop->name, relay->pref, relay->name, relay->name);
		return;
	}
	/* No EOP MX: is the domain a Microsoft 365 tenant all the same? */
	if (real == 0 || f->nm365 == 0)
		return;
	fd = aa_report_add(r, AA_F_MX_EOP_BEHIND_RELAY, "%s", in->domain);
	for (i = 0; i < f->nm365; i++)
		aa_finding_evidence(r, fd, "Microsoft 365 tenant evidence: %s", f->m365[i].text);
	for (i = 0; i < f->nhosts; i++)
		if (!f->hosts[i].is_null)
			aa_finding_evidence(r, fd, "%s MX %u %s (%s)", in->domain, f->hosts[i].pref,
			                    f->hosts[i].name,
			                    f->hosts[i].provider != NULL ? f->hosts[i].provider->name
			                                                 : "not EOP");
	relay = NULL;
	for (i = 0; i < f->nhosts && relay == NULL; i++)
		if (!f->hosts[i].is_null)
			relay = &f->hosts[i];
	aa_finding_set_detail(r, fd,
	                      "Inbound mail for %s goes to %s first and reaches Exchange Online "
	                      "Protection only through it (a connector or forwarding), so EOP "
	                      "takes %s's IP for the sender's.",
	                      in->domain, relay->name, relay->name);
	aa_finding_set_fix(
	    r, fd,
	    "Configure Enhanced Filtering for Connectors (skip listing) on the inbound connector "
	    "from %s, with the filter's IP addresses, so EOP evaluates the original sender; or "
	    "point the MX at EOP: \"%s. MX 0 <tenant-domain>.mail.protection.outlook.com.\".",
	    relay->name, in->domain);
}

static void
m365_component_findings(const aa_check_in *in, aa_report *r, const aa_mx_facts *f)
{
	const aa_rrset *txt = aa_recordset_get(in->rs, in->domain, AA_T_TXT);
	const aa_dkim_facts *dk = aa_report_facts(r, AA_AREA_DKIM);
	char *via = NULL;
	size_t i, s, have = 0, known = 0;
	aa_finding *fd;

	if (f->nm365 == 0)
		return;
	/* SPF: only when a record exists (SPF_NONE covers its absence) and the
	 * whole include chain was seen. */
	if (spf_record(txt) != NULL && !has_evidence(f, AA_M365_SPF_INCLUDE) &&
	    spf_reaches_eop(in->rs, in->domain, 0, &via) == 0) {
		fd = aa_report_add(r, AA_F_SPF_M365_INCLUDE_MISSING, "%s", in->domain);
		aa_finding_evidence(r, fd, "%s TXT \"%s\"", in->domain, spf_record(txt));
		for (i = 0; i < f->nm365; i++)
			aa_finding_evidence(r, fd, "Microsoft 365 tenant evidence: %s", f->m365[i].text);
		aa_finding_set_fix(r, fd,
		                   "Add include:spf.protection.outlook.com to the SPF record of %s, "
		                   "before its all term.",
		                   in->domain);
	}
	free(via);
	/* DKIM: both selectors answered, neither has a key or the CNAME. */
	for (s = 0; s < aa_n_m365_selectors; s++) {
		char *name = aa_printf("%s._domainkey.%s", aa_m365_selectors[s], in->domain);
		const aa_rrset *rs = name != NULL ? aa_recordset_get(in->rs, name, AA_T_TXT) : NULL;
		if (rs != NULL && rs->outcome != AA_OUT_PENDING && !aa_outcome_is_error(rs->outcome)) {
			known++;
			if (has_dkim_key(rs) || selector_onmicrosoft(in->rs, name) != NULL)
				have++;
		}
		free(name);
	}
	if (dk != NULL) { /* the DKIM module's verdict, when it ran */
		const aa_dkim_key *k1 = aa_dkim_find(dk, "selector1"), *k2 = aa_dkim_find(dk, "selector2");
		known = (k1 != NULL && k1->outcome != AA_DKIM_DNS_ERROR) +
		        (k2 != NULL && k2->outcome != AA_DKIM_DNS_ERROR);
		have = dk->m365_cnames + dk->m365_published;
	}
	if (known == 2 && have == 0) {
		fd = aa_report_add(r, AA_F_DKIM_M365_NOT_ENABLED, "%s", in->domain);
		aa_finding_evidence(r, fd, "selector1._domainkey.%s and selector2._domainkey.%s: no key",
		                    in->domain, in->domain);
		for (i = 0; i < f->nm365; i++)
			aa_finding_evidence(r, fd, "Microsoft 365 tenant evidence: %s", f->m365[i].text);
		aa_finding_set_fix(
		    r, fd,
		    "In the Microsoft 365 Defender portal (Email authentication settings > DKIM), "
		    "select %s, publish the two CNAMEs it shows (\"selector1._domainkey.%s CNAME "
		    "selector1-<domain-with-dashes>._domainkey.<tenant>.onmicrosoft.com.\" and the "
		    "same for selector2), then enable signing.",
		    in->domain, in->domain);
	}
}

void
aa_check_mx(const aa_check_in *in, aa_report *r)
{
	const aa_rrset *mx = aa_recordset_get(in->rs, in->domain, AA_T_MX);
	aa_mx_facts *f = calloc(1, sizeof(*f));
	const char *how = NULL;
	aa_finding *fd;
	size_t real = 0, i;

	if (f == NULL) {
		r->oom = 1;
		return;
	}
	f->mx_outcome = mx != NULL ? (int)mx->outcome : AA_OUT_PENDING;
	if ((mx != NULL && mx->outcome == AA_OUT_ANSWER && collect_hosts(in->rs, mx, f) != 0) ||
	    gather_m365(in, f) != 0) {
		aa_mx_facts_free(f);
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_MX, f, aa_mx_facts_free);

	/* MX lookup failed or never made: DNS_INCOMPLETE says so; nothing
	 * about MX can be verified. NXDOMAIN: DOMAIN_NXDOMAIN says it. */
	if (mx != NULL && (mx->outcome == AA_OUT_NODATA ||
	                   (mx->outcome == AA_OUT_ANSWER && mx->nrr == 0))) {
		fd = aa_report_add(r, AA_F_MX_NONE, "%s", in->domain);
		aa_finding_evidence(r, fd, "%s MX: NODATA (the name exists, no MX records)", in->domain);
		if (fd != NULL && sends_mail(in, r, &how)) {
			fd->severity = AA_SEV_HIGH;
			aa_finding_set_detail(r, fd,
			                      "%s sends mail (%s), but bounces and replies to it have "
			                      "no MX to go to.",
			                      in->domain, how);
		}
	}
	if (f->nhosts > 0) {
		for (i = 0; i < f->nhosts; i++)
			real += !f->hosts[i].is_null;
		if (f->null_mx && real > 0) {
			fd = aa_report_add(r, AA_F_MX_NULL_MIXED, "%s", in->domain);
			for (i = 0; i < f->nhosts; i++)
				aa_finding_evidence(r, fd, "%s MX %u %s", in->domain, f->hosts[i].pref,
				                    f->hosts[i].is_null ? "." : f->hosts[i].name);
		} else if (f->null_mx) {
			fd = aa_report_add(r, AA_F_MX_NULL, "%s", in->domain);
			aa_finding_evidence(r, fd, "%s MX 0 .", in->domain);
			if (fd != NULL && sends_mail(in, r, &how)) {
				fd->severity = AA_SEV_HIGH;
				aa_finding_set_detail(r, fd,
				                      "%s refuses all mail, yet %s: bounces (NDRs) and "
				                      "replies to its mail are lost.",
				                      in->domain, how);
			}
		}
		mx_host_findings(in, r, f);
		provider_findings(in, r, f);
	}
	if (mx != NULL && mx->outcome == AA_OUT_ANSWER && !f->null_mx)
		eop_findings(in, r, f);
	m365_component_findings(in, r, f);
}
