/*
 * headers.c — reading authentication and trace headers (headers.h).
 * GMime unfolds the headers; RFC 2047 words are decoded with
 * g_mime_utils_header_decode_text(); this file reads the values.
 */
#include "explain/headers.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOP_DELAY_NOTABLE 300 /* seconds: a queue, not transit */

aa_status
aa_x_set_sender(aa_explain *x, const char *addr, int from_header)
{
	const char *at;

	if (addr == NULL)
		return AA_OK;
	while (*addr == '<' || *addr == ' ')
		addr++;
	at = strrchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0')
		return AA_OK;
	if (from_header) {
		if (x->from_domain == NULL) {
			size_t n = strcspn(at + 1, "> \t");
			x->from_domain = aa_x_clean(at + 1, n);
			return x->from_domain ? AA_OK : AA_ENOMEM;
		}
		return AA_OK;
	}
	if (x->envelope_from == NULL) {
		x->envelope_from = aa_x_clean(addr, strcspn(addr, "> \t"));
		return x->envelope_from ? AA_OK : AA_ENOMEM;
	}
	return AA_OK;
}

static aa_status
add_auth(aa_explain *x, const char *header, const char *method, size_t mlen, const char *result, size_t rlen,
         const char *reason, size_t reason_len, const char *detail, size_t dlen)
{
	aa_x_auth *a;
	size_t cap = x->nauths;

	if (x->nauths >= AA_X_MAX_ITEMS)
		return AA_OK;
	if (aa_grow(&x->auths, &cap, x->nauths + 1, sizeof(*x->auths)) != AA_OK)
		return AA_ENOMEM;
	a = &x->auths[x->nauths++];
	memset(a, 0, sizeof(*a));
	a->header = header;
	a->method = aa_strndup_lower(method, mlen);
	a->result = aa_strndup_lower(result, rlen);
	a->reason = reason ? aa_x_clean(reason, reason_len) : NULL;
	a->detail = dlen > 0 ? aa_x_clean(detail, dlen) : NULL;
	if (a->method == NULL || a->result == NULL || (reason && !a->reason) || (dlen > 0 && !a->detail))
		return AA_ENOMEM;
	return AA_OK;
}

/* Authentication-Results (RFC 8601): "authserv-id; method=result props;
 * ...".  ARC's has "i=N;" first. */
static aa_status
read_auth_results(aa_explain *x, const char *header, const char *v)
{
	/* Exchange Online writes no authserv-id: then the first part is a result */
	size_t id = strcspn(v, ";");
	int first = memchr(v, '=', id) != NULL && memchr(v, ' ', strcspn(v, "=")) == NULL;
	const char *p = first ? v : (v[id] == ';' ? v + id + 1 : NULL);

	while (p != NULL) {
		const char *s = p, *e = strchr(s, ';'), *eq, *r, *re, *reason = NULL, *rs;
		size_t len = e ? (size_t)(e - s) : strlen(s), reason_len = 0;

		p = e ? e + 1 : NULL;
		while (len > 0 && isspace((unsigned char)*s))
			s++, len--;
		eq = memchr(s, '=', len);
		if (eq == NULL || eq == s)
			continue;
		r = eq + 1;
		for (re = r; re < s + len && (isalnum((unsigned char)*re) || *re == '-'); re++)
			;
		if (re == r || (size_t)(eq - s) > 32 || memchr(s, ' ', (size_t)(eq - s)) != NULL)
			continue;
		if (strncasecmp(s, "i=", 2) == 0)
			continue; /* ARC instance */
		rs = aa_memcasemem(re, (size_t)(s + len - re), "reason=");
		if (rs != NULL) {
			reason = rs + 7;
			if (*reason == '"')
				reason++;
			while (reason + reason_len < s + len && reason[reason_len] != '"' &&
			       reason[reason_len] != ' ')
				reason_len++;
		}
		{
			const char *d = re;
			while (d < s + len && isspace((unsigned char)*d))
				d++;
			if (add_auth(x, header, s, (size_t)(eq - s), r, (size_t)(re - r), reason, reason_len,
			             d, (size_t)(s + len - d)) != AA_OK)
				return AA_ENOMEM;
		}
	}
	return AA_OK;
}

/* Received-SPF (RFC 7208 9.1): "Fail (comment) key=value; ..." */
static aa_status
read_received_spf(aa_explain *x, const char *v)
{
	size_t rlen = strcspn(v, " \t(;");
	const char *ip = strstr(v, "client-ip=");

	if (rlen == 0)
		return AA_OK;
	if (add_auth(x, "Received-SPF", "spf", 3, v, rlen, NULL, 0, v + rlen, strlen(v + rlen)) != AA_OK)
		return AA_ENOMEM;
	if (ip != NULL && aa_x_add_ip(x, ip + 10, strcspn(ip + 10, "; \t")) != AA_OK)
		return AA_ENOMEM;
	return AA_OK;
}

/* "from A (...) by B ... ; date" */
static aa_status
read_received(aa_explain *x, const char *v)
{
	aa_x_hop *h;
	size_t cap = x->nhops;
	const char *semi = strrchr(v, ';'), *by, *from;
	GDateTime *dt;

	if (x->nhops >= AA_X_MAX_ITEMS)
		return AA_OK;
	if (aa_grow(&x->hops, &cap, x->nhops + 1, sizeof(*x->hops)) != AA_OK)
		return AA_ENOMEM;
	h = &x->hops[x->nhops++];
	memset(h, 0, sizeof(*h));
	h->when = h->delay = -1;
	from = strncasecmp(v, "from ", 5) == 0 ? v + 5 : NULL;
	by = strstr(v, "by ");
	if (from != NULL && (h->from = aa_x_clean(from, strcspn(from, " \t;"))) == NULL)
		return AA_ENOMEM;
	if (by != NULL && (h->by = aa_x_clean(by + 3, strcspn(by + 3, " \t;"))) == NULL)
		return AA_ENOMEM;
	if (semi != NULL && (dt = g_mime_utils_header_decode_date(semi + 1)) != NULL) {
		h->when = (long long)g_date_time_to_unix(dt);
		g_date_time_unref(dt);
	}
	return AA_OK;
}

static aa_status
add_field(aa_explain *x, const char *name, size_t nlen, const char *value, size_t vlen)
{
	aa_x_field *f;
	size_t cap = x->nfields;

	if (x->nfields >= AA_X_MAX_ITEMS)
		return AA_OK;
	if (aa_grow(&x->fields, &cap, x->nfields + 1, sizeof(*x->fields)) != AA_OK)
		return AA_ENOMEM;
	f = &x->fields[x->nfields++];
	f->name = aa_x_clean(name, nlen);
	f->value = aa_x_clean(value, vlen);
	if (f->name == NULL || f->value == NULL)
		return AA_ENOMEM;
	f->meaning = aa_x_antispam_meaning(f->name, f->value);
	if (strcasecmp(f->name, "CIP") == 0 && aa_x_add_ip(x, value, vlen) != AA_OK)
		return AA_ENOMEM;
	return AA_OK;
}

/* "SCL:5;SFV:SPM;CAT:SPOOF;..." */
static aa_status
read_antispam(aa_explain *x, const char *v, int only_bcl)
{
	while (*v != '\0') {
		size_t len = strcspn(v, ";");
		const char *colon = memchr(v, ':', len), *name = v;

		while (name < v + len && isspace((unsigned char)*name))
			name++;
		if (colon != NULL && colon > name && (!only_bcl || strncasecmp(name, "BCL:", 4) == 0) &&
		    add_field(x, name, (size_t)(colon - name), colon + 1, (size_t)(v + len - colon - 1)) !=
		        AA_OK)
			return AA_ENOMEM;
		v += len;
		if (*v == ';')
			v++;
	}
	return AA_OK;
}

aa_status
aa_x_read_headers(aa_explain *x, GMimeMessage *msg, int original)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	InternetAddressList *from = g_mime_message_get_from(msg);
	int i, count = g_mime_header_list_get_count(hl);
	aa_status st = AA_OK;

	if (from != NULL && internet_address_list_length(from) > 0) {
		InternetAddress *a = internet_address_list_get_address(from, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			st =
			    aa_x_set_sender(x, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)),
			                    1);
	}
	for (i = 0; i < count && st == AA_OK; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h), *raw = g_mime_header_get_value(h);
		char *v;

		if (name == NULL || raw == NULL)
			continue;
		if ((v = g_mime_utils_header_decode_text(NULL, raw)) == NULL)
			continue;
		if (strcasecmp(name, "Return-Path") == 0) {
			if (strcmp(v, "<>") != 0)
				st = aa_x_set_sender(x, v, 0);
		} else if (strcasecmp(name, "Authentication-Results") == 0) {
			aa_x_note_system(x, v, strlen(v));
			st = read_auth_results(x, "Authentication-Results", v);
		} else if (strcasecmp(name, "ARC-Authentication-Results") == 0) {
			st = read_auth_results(x, "ARC-Authentication-Results", v);
		} else if (strcasecmp(name, "Received-SPF") == 0) {
			st = read_received_spf(x, v);
		} else if (strcasecmp(name, "Received") == 0) {
			if (!original)
				st = read_received(x, v);
		} else if (strcasecmp(name, "X-Forefront-Antispam-Report") == 0) {
			x->system = AA_XS_MICROSOFT;
			st = read_antispam(x, v, 0);
		} else if (strcasecmp(name, "X-Microsoft-Antispam") == 0) {
			st = read_antispam(x, v, 1);
		} else if (strncasecmp(name, "X-MS-Exchange-Organization-", 27) == 0 &&
		           x->nms_org < AA_X_MAX_ITEMS) {
			char *line = aa_printf("%s: %s", name, v),
			     *clean = line ? aa_x_clean(line, strlen(line)) : NULL;
			free(line);
			st = clean ? aa_strv_take(&x->ms_org, &x->nms_org, clean) : AA_ENOMEM;
		}
		g_free(v);
	}
	return st;
}

static int
has_symptom(const aa_explain *x, const aa_x_entry *e)
{
	size_t i;

	for (i = 0; i < x->nsymptoms; i++)
		if (x->symptoms[i].entry == e)
			return 1;
	return 0;
}

aa_status
aa_x_add_symptom(aa_explain *x, const char *key, const char *evidence)
{
	const aa_x_entry *e = aa_x_lookup_symptom(key);
	size_t cap = x->nsymptoms;

	if (e == NULL || has_symptom(x, e))
		return AA_OK;
	if (aa_grow(&x->symptoms, &cap, x->nsymptoms + 1, sizeof(*x->symptoms)) != AA_OK)
		return AA_ENOMEM;
	x->symptoms[x->nsymptoms].entry = e;
	x->symptoms[x->nsymptoms].evidence = aa_x_clean(evidence, strlen(evidence));
	return x->symptoms[x->nsymptoms++].evidence ? AA_OK : AA_ENOMEM;
}

static int
is_one_of(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(s, *words) == 0)
			return 1;
	return 0;
}

static aa_status
auth_symptoms(aa_explain *x)
{
	static const char *const spf_bad[] = {"fail", "softfail", "none", "permerror", "temperror", NULL};
	static const char *const dkim_bad[] = {"fail",    "none",   "permerror", "temperror",
	                                       "neutral", "policy", NULL};
	static const char *const dmarc_bad[] = {"fail", "permerror", "temperror", NULL};
	static const char *const comp_bad[] = {"fail", "softfail", NULL};
	size_t i;

	for (i = 0; i < x->nauths; i++) {
		const aa_x_auth *a = &x->auths[i];
		char ev[160], key[32];
		const char *k = NULL;

		if (strcmp(a->header, "ARC-Authentication-Results") == 0)
			continue; /* an earlier hop's view */
		(void)snprintf(ev, sizeof(ev), "%s: %s=%s%s%s", a->header, a->method, a->result,
		               a->reason ? " reason=" : "", a->reason ? a->reason : "");
		if (strcmp(a->method, "spf") == 0 && is_one_of(a->result, spf_bad))
			k = "auth:spf";
		else if (strcmp(a->method, "dkim") == 0 && is_one_of(a->result, dkim_bad))
			k = "auth:dkim";
		else if (strcmp(a->method, "dmarc") == 0 && is_one_of(a->result, dmarc_bad))
			k = "auth:dmarc";
		else if (strcmp(a->method, "compauth") == 0 && is_one_of(a->result, comp_bad) && a->reason) {
			if (a->reason[0] == '6')
				k = "compauth:6xx";
			else {
				(void)snprintf(key, sizeof(key), "compauth:%.3s", a->reason);
				k = key;
			}
		}
		if (k != NULL && aa_x_add_symptom(x, k, ev) != AA_OK)
			return AA_ENOMEM;
	}
	return AA_OK;
}

static aa_status
field_symptoms(aa_explain *x)
{
	size_t i;

	for (i = 0; i < x->nfields; i++) {
		const aa_x_field *f = &x->fields[i];
		char *end, ev[96];
		long v = strtol(f->value, &end, 10);
		const char *k = NULL;

		if (end == f->value)
			continue;
		if (strcasecmp(f->name, "SCL") == 0 && (v == 5 || v == 6))
			k = "scl:spam";
		else if (strcasecmp(f->name, "SCL") == 0 && v >= 7 && v <= 9)
			k = "scl:high";
		else if (strcasecmp(f->name, "BCL") == 0 && v >= 7 && v <= 9)
			k = "bcl:bulk";
		(void)snprintf(ev, sizeof(ev), "%s:%ld", f->name, v);
		if (k != NULL && aa_x_add_symptom(x, k, ev) != AA_OK)
			return AA_ENOMEM;
	}
	return AA_OK;
}

static aa_status
hop_symptoms(aa_explain *x)
{
	size_t i;

	/* newest first: hop i arrived delay seconds after hop i+1 */
	for (i = 0; i + 1 < x->nhops; i++)
		if (x->hops[i].when >= 0 && x->hops[i + 1].when >= 0)
			x->hops[i].delay = x->hops[i].when - x->hops[i + 1].when;
	for (i = 0; i < x->nhops; i++)
		if (x->hops[i].delay >= HOP_DELAY_NOTABLE) {
			char ev[200];
			(void)snprintf(ev, sizeof(ev), "Received by %s: %lld min after the previous hop",
			               x->hops[i].by ? x->hops[i].by : "?", x->hops[i].delay / 60);
			if (aa_x_add_symptom(x, "hop:delay", ev) != AA_OK)
				return AA_ENOMEM;
		}
	return AA_OK;
}

/* A domain no one outside can send bounces to. */
static int
local_domain(const char *d)
{
	static const char *const suffixes[] = {".local",    ".localdomain", ".lan",
	                                       ".internal", ".localhost",   ".home",
	                                       ".corp",     ".invalid",     NULL};
	size_t n = strlen(d), k;
	const char *const *s;

	if (strchr(d, '.') == NULL)
		return 1;
	for (s = suffixes; *s != NULL; s++)
		if (n >= (k = strlen(*s)) && strcasecmp(d + n - k, *s) == 0)
			return 1;
	return 0;
}

aa_status
aa_x_symptoms_from_headers(aa_explain *x)
{
	if (auth_symptoms(x) != AA_OK || field_symptoms(x) != AA_OK || hop_symptoms(x) != AA_OK)
		return AA_ENOMEM;
	if (x->envelope_from != NULL && strrchr(x->envelope_from, '@') != NULL &&
	    local_domain(strrchr(x->envelope_from, '@') + 1)) {
		char ev[400];
		(void)snprintf(ev, sizeof(ev), "Return-Path: <%s>", x->envelope_from);
		return aa_x_add_symptom(x, "return-path:local", ev);
	}
	return AA_OK;
}
