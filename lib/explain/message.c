/*
 * message.c — reading a message with GMime: its headers (unfolded, RFC 2047
 * words decoded), its text parts, and the message/delivery-status parts of
 * a DSN (RFC 3464), whose field blocks GMime reads as header blocks too.
 * What the headers say about authentication is judged in headers.c.
 */
#include "explain/explain_int.h"
#include "explain/headers.h"
#include "util/util.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT_SCAN ((size_t)1 << 20) /* bytes of one text part scanned */

typedef struct walk {
	aa_explain *x;
	aa_status st;
	int bounce;
	int pass; /* 1: delivery-status parts; 2: the others */
} walk_t;

static void
ensure_init(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

static GMimeMessage *
parse_message(const char *p, size_t n)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(p, n);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg;

	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	return msg;
}

/* A part's content, decoded, as a NUL-terminated string; NULL if none. */
static char *
part_content(GMimeObject *obj, size_t *len)
{
	GMimeStream *mem;
	GByteArray *arr;
	char *s = NULL;

	if (GMIME_IS_PART(obj)) {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));
		if (w == NULL)
			return NULL;
		mem = g_mime_stream_mem_new();
		g_mime_data_wrapper_write_to_stream(w, mem);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m == NULL)
			return NULL;
		mem = g_mime_stream_mem_new();
		g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem);
	} else {
		return NULL;
	}
	arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	*len = arr->len < MAX_TEXT_SCAN ? arr->len : MAX_TEXT_SCAN;
	s = aa_memdup0((const char *)arr->data, *len);
	g_object_unref(mem);
	return s;
}

/* "rfc822; user@example.com" -> "user@example.com" (a new string). */
static char *
typed_value(const char *v)
{
	const char *semi = strchr(v, ';');

	if (semi != NULL)
		v = semi + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	return aa_x_clean(v, strlen(v));
}

/* One block of DSN fields (RFC 3464 2.2/2.3), read by GMime as headers. */
static aa_status
read_dsn_block(aa_explain *x, const char *p, size_t n)
{
	GMimeMessage *m;
	GMimeHeaderList *hl;
	const char *status = NULL, *diag = NULL, *rcpt = NULL, *remote = NULL, *sender = NULL;
	aa_status st = AA_OK;
	int i, count;
	char *tmp = aa_printf("%.*s\n\n", (int)n, p);

	if (tmp == NULL)
		return AA_ENOMEM;
	m = parse_message(tmp, strlen(tmp));
	if (m == NULL) {
		free(tmp);
		return AA_OK;
	}
	hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	count = g_mime_header_list_get_count(hl);
	for (i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h), *value = g_mime_header_get_value(h);
		if (value == NULL)
			continue;
		if (strcasecmp(name, "Status") == 0)
			status = value;
		else if (strcasecmp(name, "Diagnostic-Code") == 0)
			diag = value;
		else if (strcasecmp(name, "Final-Recipient") == 0 ||
		         (rcpt == NULL && strcasecmp(name, "Original-Recipient") == 0))
			rcpt = value;
		else if (strcasecmp(name, "Remote-MTA") == 0)
			remote = value;
		else if (strcasecmp(name, "X-Postfix-Sender") == 0)
			sender = value;
		else if (strcasecmp(name, "Reporting-MTA") == 0)
			aa_x_note_system(x, value, strlen(value));
	}
	if (sender != NULL && x->envelope_from == NULL && (x->envelope_from = typed_value(sender)) == NULL)
		st = AA_ENOMEM;
	if (st == AA_OK && status != NULL) {
		char *r = rcpt ? typed_value(rcpt) : NULL, *mta = remote ? typed_value(remote) : NULL;
		char *d = diag ? typed_value(diag) : NULL;
		char code[16];
		const char *t = d ? d : "";
		int reply = 0;

		if (remote)
			aa_x_note_system(x, remote, strlen(remote));
		if (diag)
			aa_x_note_system(x, diag, strlen(diag));
		(void)snprintf(code, sizeof(code), "%.*s", (int)strcspn(status, " \t("), status);
		/* "550-5.7.26 text" or "550 5.7.26 text": the reply and the text after the code */
		if (t[0] >= '2' && t[0] <= '5' && strlen(t) > 4 && (t[3] == ' ' || t[3] == '-')) {
			reply = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
			t += 4;
			if (strncmp(t, code, strlen(code)) == 0)
				t += strlen(code);
		}
		if (aa_x_add_code(x, reply, code, t, strlen(t), r, mta) != AA_OK)
			st = AA_ENOMEM;
		if (st == AA_OK && r != NULL && x->recipient_domain == NULL && strchr(r, '@') != NULL &&
		    (x->recipient_domain = strdup(strrchr(r, '@') + 1)) == NULL)
			st = AA_ENOMEM;
		if (st == AA_OK && d != NULL)
			for (t = d; *t != '\0'; t++)
				if (*t == '[' && (t == d || t[-1] == ' ') && strchr(t, ']') != NULL)
					if (aa_x_add_ip(x, t + 1, (size_t)(strchr(t, ']') - t - 1)) != AA_OK)
						st = AA_ENOMEM;
		free(r);
		free(mta);
		free(d);
	}
	g_object_unref(m);
	free(tmp);
	return st;
}

static aa_status
read_dsn(aa_explain *x, GMimeObject *part)
{
	size_t len, i = 0;
	char *s = part_content(part, &len);
	aa_status st = AA_OK;

	if (s == NULL)
		return AA_OK;
	x->dsn = 1;
	while (i < len && st == AA_OK) {
		/* blocks end at an empty line */
		size_t e = i;
		while (e < len) {
			const char *nl = memchr(s + e, '\n', len - e);
			if (nl == NULL) {
				e = len;
				break;
			}
			e = (size_t)(nl - s) + 1;
			if (e < len && (s[e] == '\n' || (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n')))
				break;
		}
		st = read_dsn_block(x, s + i, e - i);
		while (e < len && (s[e] == '\n' || s[e] == '\r'))
			e++;
		i = e;
	}
	free(s);
	return st;
}

static void
on_part(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	walk_t *w = data;
	GMimeContentType *ct = g_mime_object_get_content_type(part);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;

	(void)parent;
	if (w->st != AA_OK || type == NULL || sub == NULL)
		return;
	if (strcasecmp(type, "message") == 0 &&
	    (strcasecmp(sub, "delivery-status") == 0 || strcasecmp(sub, "global-delivery-status") == 0)) {
		if (w->pass == 1)
			w->st = read_dsn(w->x, part);
	} else if (w->pass == 1) {
		return;
	} else if ((strcasecmp(type, "text") == 0 && strcasecmp(sub, "rfc822-headers") == 0) ||
	           (strcasecmp(type, "message") == 0 && strcasecmp(sub, "rfc822") == 0)) {
		/* the returned message: who sent it, and its own authentication */
		size_t len;
		char *s = part_content(part, &len);
		GMimeMessage *orig = s ? parse_message(s, len) : NULL;
		if (orig != NULL) {
			w->st = aa_x_read_headers(w->x, orig, 1);
			g_object_unref(orig);
		}
		free(s);
	} else if (GMIME_IS_TEXT_PART(part) && strcasecmp(sub, "plain") == 0) {
		char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
		if (text != NULL) {
			size_t n = strlen(text);
			if (n > MAX_TEXT_SCAN)
				n = MAX_TEXT_SCAN;
			/* a DSN's fields are exact: its prose only names the systems */
			if (w->x->dsn && w->x->ncodes > 0)
				w->st = aa_x_note_text(w->x, text, n);
			else
				w->st = aa_x_scan_text(w->x, text, n, NULL);
			g_free(text);
		}
	}
}

/* A bounce: a report, or a message from the mailer daemon. */
static int
is_bounce(GMimeMessage *msg)
{
	GMimeContentType *ct = g_mime_object_get_content_type(
	    g_mime_message_get_mime_part(msg) ? g_mime_message_get_mime_part(msg) : GMIME_OBJECT(msg));
	const char *subject = g_mime_message_get_subject(msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	char *f = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;
	int yes = 0;

	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report"))
		yes = 1;
	if (f != NULL && (strcasestr(f, "mailer-daemon") != NULL || strcasestr(f, "postmaster") != NULL))
		yes = 1;
	if (subject != NULL &&
	    (strcasestr(subject, "undeliver") != NULL || strcasestr(subject, "failure notice") != NULL ||
	     strcasestr(subject, "delivery status notification") != NULL ||
	     strcasestr(subject, "returned mail") != NULL))
		yes = 1;
	g_free(f);
	return yes;
}

aa_status
aa_x_read_message(aa_explain *x, const char *p, size_t n)
{
	GMimeMessage *msg;
	walk_t w = {x, AA_OK, 0, 0};

	ensure_init();
	if ((msg = parse_message(p, n)) == NULL)
		return AA_OK;
	x->message = 1;
	w.bounce = is_bounce(msg);
	if (w.bounce) {
		/* a bounce goes to the failed mail's envelope sender */
		InternetAddressList *to = g_mime_message_get_to(msg);
		InternetAddress *a = to && internet_address_list_length(to) > 0
		                         ? internet_address_list_get_address(to, 0)
		                         : NULL;
		const char *subject = g_mime_message_get_subject(msg);
		if (subject != NULL)
			aa_x_note_system(x, subject, strlen(subject));
		if (a != NULL && INTERNET_ADDRESS_IS_MAILBOX(a))
			w.st =
			    aa_x_set_sender(x, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)),
			                    0);
	} else {
		w.st = aa_x_read_headers(x, msg, 0);
	}
	for (w.pass = 1; w.pass <= 2 && w.st == AA_OK; w.pass++)
		g_mime_message_foreach(msg, on_part, &w);
	g_object_unref(msg);
	return w.st;
}
