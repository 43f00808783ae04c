/*
 * scan.c — reading plain text for what a bounce says: SMTP replies and
 * enhanced status codes (RFC 3463), the recipient they are about, the
 * sending IP, the rejecting system and the MTA that wrote the bounce.
 * Works on (pointer, length) and never reads past it: binary input is
 * just text without codes.
 */
#include "explain/explain_int.h"
#include "util/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *
aa_x_clean(const char *p, size_t n)
{
	aa_buf b = {0};
	size_t i = 0;
	int space = 0;

	if (n > AA_X_MAX_STR)
		n = AA_X_MAX_STR;
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		size_t len = 0;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			i++;
			continue;
		}
		if (space)
			aa_buf_add(&b, " ", 1);
		space = 0;
		if (c >= 0x20 && c < 0x7f)
			len = 1;
		else if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		if (len > 1) {
			size_t k;
			if (i + len > n)
				len = 0;
			for (k = 1; k < len; k++)
				if (((unsigned char)p[i + k] & 0xc0) != 0x80)
					len = 0;
			/* C1 controls (U+0080-U+009F) act on terminals too */
			if (len == 2 && c == 0xc2 && (unsigned char)p[i + 1] < 0xa0)
				len = 0;
			/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
			if (len == 3 && ((c == 0xe0 && (unsigned char)p[i + 1] < 0xa0) ||
			                 (c == 0xed && (unsigned char)p[i + 1] >= 0xa0)))
				len = 0;
			if (len == 4 && ((c == 0xf0 && (unsigned char)p[i + 1] < 0x90) ||
			                 (c == 0xf4 && (unsigned char)p[i + 1] >= 0x90)))
				len = 0;
		}
		if (len == 0) {
			aa_buf_printf(&b, "\\x%02x", c);
			i++;
		} else {
			aa_buf_add(&b, p + i, len);
			i += len;
		}
	}
	aa_buf_add(&b, "", 0);
	return aa_buf_take(&b);
}

aa_status
aa_x_add_ip(aa_explain *x, const char *p, size_t n)
{
	unsigned char addr[16];
	char ip[64];
	size_t i;

	if (n == 0 || n >= sizeof(ip))
		return AA_OK;
	memcpy(ip, p, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1)
		return AA_OK;
	for (i = 0; i < x->nips; i++)
		if (strcmp(x->ips[i], ip) == 0)
			return AA_OK;
	if (x->nips >= AA_X_MAX_ITEMS)
		return AA_OK;
	return aa_strv_add(&x->ips, &x->nips, ip);
}

void
aa_x_note_system(aa_explain *x, const char *p, size_t n)
{
	aa_x_system s;

	if (x->system != AA_XS_ANY && x->system != AA_XS_GREYLIST)
		return;
	s = aa_x_system_in(p, n);
	if (s != AA_XS_ANY)
		x->system = (int)s;
}

/* Removes the "550-5.7.26 " prefixes a multi-line reply repeats on each line. */
static void
drop_repeats(char *text, int reply, const char *enhanced)
{
	char pre[32];
	size_t plen;
	char *p;
	int sep;

	for (sep = 0; sep < 2; sep++) {
		(void)snprintf(pre, sizeof(pre), "%d%c%s", reply, sep ? ' ' : '-', enhanced);
		plen = strlen(pre);
		while ((p = strstr(text, pre)) != NULL) {
			size_t skip = plen;
			while (p[skip] == ' ')
				skip++;
			memmove(p, p + skip, strlen(p + skip) + 1);
		}
	}
}

aa_status
aa_x_add_code(aa_explain *x, int reply, const char *enhanced, const char *text, size_t tlen,
              const char *recipient, const char *remote)
{
	aa_x_code *c;
	size_t cap = x->ncodes;

	if (x->ncodes >= AA_X_MAX_ITEMS)
		return AA_OK;
	if (aa_grow(&x->codes, &cap, x->ncodes + 1, sizeof(*x->codes)) != AA_OK)
		return AA_ENOMEM;
	c = &x->codes[x->ncodes];
	memset(c, 0, sizeof(*c));
	c->reply = reply;
	(void)snprintf(c->enhanced, sizeof(c->enhanced), "%s", enhanced ? enhanced : "");
	c->text = aa_x_clean(text ? text : "", text ? tlen : 0);
	if (c->text != NULL && reply != 0 && c->enhanced[0] != '\0')
		drop_repeats(c->text, reply, c->enhanced);
	c->recipient = recipient ? aa_x_clean(recipient, strlen(recipient)) : NULL;
	c->remote_mta = remote ? aa_x_clean(remote, strlen(remote)) : NULL;
	x->ncodes++;
	if (c->text == NULL || (recipient && !c->recipient) || (remote && !c->remote_mta))
		return AA_ENOMEM;
	return AA_OK;
}

/* An enhanced status code "c.s.d" at p[i]: its length, or 0. */
static size_t
enhanced_at(const char *p, size_t n, size_t i)
{
	size_t j = i, digits;
	int part;

	if (i > 0 && (isalnum((unsigned char)p[i - 1]) || p[i - 1] == '.' || p[i - 1] == '-'))
		if (!(p[i - 1] == '-' && i >= 4 && isdigit((unsigned char)p[i - 2])))
			return 0; /* "550-5.7.26" is a code; "a-5.7.1" is not */
	if (j >= n || (p[j] != '2' && p[j] != '4' && p[j] != '5'))
		return 0;
	j++;
	for (part = 0; part < 2; part++) {
		if (j >= n || p[j] != '.')
			return 0;
		j++;
		for (digits = 0; j < n && isdigit((unsigned char)p[j]) && digits < 4; j++)
			digits++;
		if (digits == 0 || digits > 3)
			return 0;
	}
	if (j < n &&
	    (isalnum((unsigned char)p[j]) || (p[j] == '.' && j + 1 < n && isdigit((unsigned char)p[j + 1]))))
		return 0;
	return j - i;
}

/* The basic reply code just before position i ("550 ", "550-", "550, "), or 0. */
static int
reply_before(const char *p, size_t i)
{
	size_t k;

	for (k = 1; k <= 3 && k <= i; k++) {
		size_t s;
		if (i < k + 3)
			break;
		s = i - k - 3;
		if ((p[i - k] == ' ' || p[i - k] == '-' || p[i - k] == ',') && isdigit((unsigned char)p[s]) &&
		    isdigit((unsigned char)p[s + 1]) && isdigit((unsigned char)p[s + 2]) &&
		    (s == 0 || !isalnum((unsigned char)p[s - 1])) && p[s] >= '2' && p[s] <= '5')
			return (p[s] - '0') * 100 + (p[s + 1] - '0') * 10 + (p[s + 2] - '0');
	}
	return 0;
}

/* A reply "NNN text" with no enhanced code, at the start of a (trimmed) line
 * or after "said:": its code, with *text set; or 0. */
static int
bare_reply(const char *p, size_t n, size_t *text)
{
	size_t i = 0;
	const char *said = aa_memcasemem(p, n, "said:");

	if (said != NULL)
		i = (size_t)(said - p) + 5;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i + 4 > n || !isdigit((unsigned char)p[i]) || !isdigit((unsigned char)p[i + 1]) ||
	    !isdigit((unsigned char)p[i + 2]) || (p[i + 3] != ' ' && p[i + 3] != '-') || p[i] < '4' ||
	    p[i] > '5')
		return 0;
	if (i + 4 >= n || !isalpha((unsigned char)p[i + 4]))
		return 0;
	*text = i + 4;
	return (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
}

/* Sending IPs written "[a.b.c.d]" after a space (not "host[ip]", the
 * remote server) or "from a.b.c.d", on a line that says so. */
static aa_status
scan_ips(aa_explain *x, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t j;
		if (p[i] == '[' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '(')) {
			for (j = i + 1; j < n && j - i < 48 && p[j] != ']'; j++)
				;
			if (j < n && p[j] == ']' && aa_x_add_ip(x, p + i + 1, j - i - 1) != AA_OK)
				return AA_ENOMEM;
		} else if (i + 5 < n && strncmp(p + i, "from ", 5) == 0 && isdigit((unsigned char)p[i + 5])) {
			for (j = i + 5; j < n && j - i < 48 &&
			                (isxdigit((unsigned char)p[j]) || p[j] == '.' || p[j] == ':');
			     j++)
				;
			if (aa_x_add_ip(x, p + i + 5, j - i - 5) != AA_OK)
				return AA_ENOMEM;
		}
	}
	return AA_OK;
}

static const struct {
	const char *needle, *name;
} reporters[] = {
    {"qmail-send program", "qmail"},
    {"This is the mail system at host", "Postfix"},
    {"Postfix", "Postfix"},
    {"Exim", "Exim"},
    {"Microsoft Exchange", "Exchange"},
    {"Delivery has failed to these recipients", "Exchange"},
    {"Your message to", "Exchange"},
    {"mailer-daemon@googlemail.com", "Gmail"},
    {"Delivery Status Notification", "a DSN"},
};

static aa_status
note_reporter(aa_explain *x, const char *p, size_t n)
{
	size_t i;

	if (x->reporter != NULL)
		return AA_OK;
	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (aa_memcasemem(p, n, reporters[i].needle) != NULL) {
			x->reporter = strdup(reporters[i].name);
			return x->reporter ? AA_OK : AA_ENOMEM;
		}
	return AA_OK;
}

aa_status
aa_x_note_text(aa_explain *x, const char *p, size_t n)
{
	aa_x_note_system(x, p, n);
	return note_reporter(x, p, n);
}

/* "<user@example.com>:" at the start of a line (qmail), or NULL. */
static char *
qmail_recipient(const char *p, size_t n)
{
	const char *gt;

	if (n < 5 || p[0] != '<')
		return NULL;
	gt = memchr(p, '>', n);
	if (gt == NULL || (size_t)(gt - p) + 1 >= n || gt[1] != ':' ||
	    memchr(p, '@', (size_t)(gt - p)) == NULL)
		return NULL;
	return aa_x_clean(p + 1, (size_t)(gt - p) - 1);
}

static aa_status
scan_line(aa_explain *x, const char *p, size_t n, const char *recipient, int *last)
{
	size_t i, len, tstart;
	int found = 0;

	aa_x_note_system(x, p, n);
	if (note_reporter(x, p, n) != AA_OK)
		return AA_ENOMEM;
	for (i = 0; i < n; i++) {
		char code[16];
		int reply;
		size_t k;

		if ((len = enhanced_at(p, n, i)) == 0)
			continue;
		found = 1;
		(void)snprintf(code, sizeof(code), "%.*s", (int)len, p + i);
		reply = reply_before(p, i);
		tstart = i + len;
		for (k = 0; k < x->ncodes; k++)
			if (strcmp(x->codes[k].enhanced, code) == 0 && x->codes[k].reply == reply)
				break;
		if (k < x->ncodes) {
			/* a continuation line of a multi-line reply adds its text */
			if ((int)k == *last && strlen(x->codes[k].text) < AA_X_MAX_STR) {
				char *more = aa_x_clean(p + tstart, n - tstart);
				char *joined = more ? aa_printf("%s %s", x->codes[k].text, more) : NULL;
				free(more);
				if (joined == NULL)
					return AA_ENOMEM;
				free(x->codes[k].text);
				x->codes[k].text = joined;
			}
			*last = (int)k;
			break;
		}
		if (aa_x_add_code(x, reply, code, p + tstart, n - tstart, recipient, NULL) != AA_OK)
			return AA_ENOMEM;
		*last = (int)x->ncodes - 1;
		break; /* one code per line */
	}
	if (!found) {
		int reply = bare_reply(p, n, &tstart);
		if (reply != 0) {
			found = 1;
			if (aa_x_add_code(x, reply, "", p + tstart, n - tstart, recipient, NULL) != AA_OK)
				return AA_ENOMEM;
			*last = (int)x->ncodes - 1;
		} else {
			*last = -1;
		}
	}
	if (found || aa_memcasemem(p, n, " IP") != NULL || aa_memcasemem(p, n, "client host") != NULL)
		return scan_ips(x, p, n);
	return AA_OK;
}

aa_status
aa_x_scan_text(aa_explain *x, const char *p, size_t n, const char *recipient)
{
	size_t i = 0;
	int last = -1;
	char *rcpt = NULL;
	aa_status st = AA_OK;

	while (i < n && st == AA_OK) {
		size_t e = i, len;
		char *r;

		while (e < n && p[e] != '\n' && p[e] != '\r')
			e++;
		len = e - i;
		if ((r = qmail_recipient(p + i, len)) != NULL) {
			free(rcpt);
			rcpt = r;
			if (x->recipient_domain == NULL && strchr(r, '@') != NULL)
				x->recipient_domain = strdup(strrchr(r, '@') + 1);
		}
		st = scan_line(x, p + i, len, rcpt ? rcpt : recipient, &last);
		i = e + 1;
	}
	free(rcpt);
	return st;
}
