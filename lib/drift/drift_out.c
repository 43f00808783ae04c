/*
 * drift_out.c — the drift report: text for cron mail, the JSON drift
 * document (authaudit-json(5), DRIFT DOCUMENT), and a complete RFC 5322
 * message for sendmail -t (RFC 2045 MIME: the text as quoted-printable
 * UTF-8, the JSON document as a base64 attachment).
 *
 * Values came from DNS through aa_drift_canon(): printable ASCII with
 * every other byte as \DDD, so nothing here can reach a terminal raw.
 */
#include "drift/drift.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* 1200 -> "1,200" */
static const char *
thousands(unsigned long n, char *buf, size_t size)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%lu", n);
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

json_t *
aa_drift_doc_json(const aa_drift_doc *d)
{
	return json_pack("{s:s, s:o, s:i, s:i, s:i, s:i, s:O}", "schema", AA_DRIFT_SCHEMA, "generated",
	                 aa_drift_time(d->generated), "domains_checked", (json_int_t)d->checked,
	                 "domains_drifted", (json_int_t)d->drifted, "domains_unverified",
	                 (json_int_t)d->unverified, "baselines", (json_int_t)d->baselines, "domains",
	                 d->domains);
}

static const char *
jget(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* A value for a line of text: long DKIM keys cut in the middle. */
static void
put_value(aa_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (n <= 200)
		aa_buf_puts(b, s);
	else
		aa_buf_printf(b, "%.120s...%s (%zu bytes)", s, s + n - 60, n);
}

static void
put_values(aa_buf *b, const char *what, const json_t *v)
{
	const json_t *chain = json_object_get(v, "cname_chain"), *recs = json_object_get(v, "records");
	size_t i;
	json_t *x;

	if (json_is_null(v)) {
		aa_buf_printf(b, "    %s (none)\n", what);
		return;
	}
	for (i = 0; i < json_array_size(chain) && (x = json_array_get(chain, i)) != NULL; i++) {
		aa_buf_printf(b, "    %s CNAME %s\n", what, json_string_value(x));
	}
	if (json_array_size(recs) == 0)
		aa_buf_printf(b, "    %s (no record)\n", what);
	for (i = 0; i < json_array_size(recs) && (x = json_array_get(recs, i)) != NULL; i++) {
		aa_buf_printf(b, "    %s ", what);
		put_value(b, json_string_value(x));
		aa_buf_puts(b, "\n");
	}
}

static void
text_summary(const aa_drift_doc *d, aa_buf *b)
{
	char n1[32], n2[32];

	aa_buf_printf(b, "authaudit: %s of %s domain%s drifted since the last run",
	              thousands(d->drifted, n1, sizeof(n1)), thousands(d->checked, n2, sizeof(n2)),
	              d->checked == 1 ? "" : "s");
	if (d->unverified > 0)
		aa_buf_printf(b, "; %s could not be verified", thousands(d->unverified, n1, sizeof(n1)));
	if (d->baselines > 0)
		aa_buf_printf(b, "; %s new baseline%s", thousands(d->baselines, n1, sizeof(n1)),
		              d->baselines == 1 ? "" : "s");
	aa_buf_puts(b, "\n");
}

static void
text_entry(const json_t *e, aa_buf *b)
{
	const char *status = jget(e, "status");
	const json_t *g = json_object_get(e, "grade"), *sc = json_object_get(e, "score");
	json_int_t failed = json_integer_value(json_object_get(e, "failed_runs"));
	size_t i;
	json_t *x;

	aa_buf_printf(b, "\n%s", jget(e, "domain"));
	if (strcmp(status, "baseline") == 0) {
		aa_buf_printf(b, ": baseline saved%s%s%s\n", json_is_string(g) ? " (grade " : "",
		              json_is_string(g) ? json_string_value(g) : "", json_is_string(g) ? ")" : "");
		if (!json_is_true(json_object_get(e, "complete")))
			aa_buf_puts(b,
			            "  some lookups failed: findings and grade are compared from the first "
			            "complete run\n");
		aa_buf_puts(b, "  now watching:");
		for (i = 0; i < json_array_size(json_object_get(e, "watching")) &&
		            (x = json_array_get(json_object_get(e, "watching"), i)) != NULL;
		     i++)
			aa_buf_printf(b, "%s %s", i > 0 ? "," : "", json_string_value(x));
		if (json_array_size(json_object_get(e, "watching")) == 0)
			aa_buf_puts(b, " no records yet (none answered)");
		aa_buf_puts(b, "\n");
		return;
	}
	aa_buf_printf(b, " (last run %s)\n", jget(e, "last_run"));
	if (json_is_object(g))
		aa_buf_printf(b, "  grade %s -> %s (score %lld -> %lld)\n", jget(g, "before"),
		              jget(g, "after"), (long long)json_integer_value(json_object_get(sc, "before")),
		              (long long)json_integer_value(json_object_get(sc, "after")));
	for (i = 0; i < json_array_size(json_object_get(e, "records")) &&
	            (x = json_array_get(json_object_get(e, "records"), i)) != NULL;
	     i++) {
		const char *note = json_string_value(json_object_get(x, "note"));
		aa_buf_printf(b, "  %s %s%s%s\n", jget(x, "label"), jget(x, "change"), note ? ": " : "",
		              note ? note : "");
		if (json_object_get(x, "before") != NULL && !json_is_null(json_object_get(x, "before")))
			put_values(b, "before:", json_object_get(x, "before"));
		if (json_object_get(x, "after") != NULL && !json_is_null(json_object_get(x, "after")))
			put_values(b, "after: ", json_object_get(x, "after"));
	}
	for (i = 0; i < json_array_size(json_object_get(e, "findings")) &&
	            (x = json_array_get(json_object_get(e, "findings"), i)) != NULL;
	     i++) {
		const char *ch = jget(x, "change"), *subj = jget(x, "subject");
		if (strcmp(ch, "new") == 0)
			aa_buf_printf(b, "  new finding %s (%s)", jget(x, "code"), jget(x, "after"));
		else if (strcmp(ch, "resolved") == 0)
			aa_buf_printf(b, "  resolved %s (was %s)", jget(x, "code"), jget(x, "before"));
		else
			aa_buf_printf(b, "  %s severity %s -> %s", jget(x, "code"), jget(x, "before"),
			              jget(x, "after"));
		aa_buf_printf(b, "%s%s\n", *subj ? ": " : "", subj);
	}
	if (json_is_true(json_object_get(e, "verified_again")))
		aa_buf_puts(b, "  verified again: every lookup answered\n");
	if (strcmp(status, "unverified") != 0 && failed > 0)
		aa_buf_puts(b, "  some lookups failed this run: findings and grade are compared on the next "
		               "complete run\n");
	else if (failed > 0)
		aa_buf_printf(b,
		              "  could not be verified: lookups failed on %lld run%s in a row (since %s); "
		              "the last known records and findings are kept\n",
		              (long long)failed, failed == 1 ? "" : "s", jget(e, "failing_since"));
	if (json_array_size(json_object_get(e, "stale")) > 0) {
		aa_buf_puts(b, "  not verified this run (lookup failed; last known value kept):");
		for (i = 0; i < json_array_size(json_object_get(e, "stale")) &&
		            (x = json_array_get(json_object_get(e, "stale"), i)) != NULL;
		     i++)
			aa_buf_printf(b, "%s %s %s", i > 0 ? "," : "", jget(x, "type"), jget(x, "name"));
		aa_buf_puts(b, "\n");
	}
}

static char *
text_of(const aa_drift_doc *d)
{
	aa_buf b = {0};
	size_t i;
	json_t *e;

	b.max = (size_t)1 << 30;
	text_summary(d, &b);
	for (i = 0; i < json_array_size(d->domains) && (e = json_array_get(d->domains, i)) != NULL; i++) {
		text_entry(e, &b);
	}
	return aa_buf_take(&b);
}

aa_status
aa_drift_text(const aa_drift_doc *d, FILE *out)
{
	char *t = text_of(d);

	if (t == NULL)
		return AA_ENOMEM;
	fputs(t, out);
	free(t);
	return ferror(out) ? AA_EIO : AA_OK;
}

/* ---- the message ---------------------------------------------------------- */

/* RFC 2045 6.7 quoted-printable, lines of at most 76 characters. */
static void
put_qp(aa_buf *b, const char *s)
{
	int col = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char enc[4];
		int w;
		if (c == '\n') {
			aa_buf_puts(b, "\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && s[1] != '\n' && s[1] != '\0'))
			snprintf(enc, sizeof(enc), "%c", c);
		else
			snprintf(enc, sizeof(enc), "=%02X", c);
		w = (int)strlen(enc);
		if (col + w > 75) {
			aa_buf_puts(b, "=\n");
			col = 0;
		}
		aa_buf_puts(b, enc);
		col += w;
	}
	if (col > 0)
		aa_buf_puts(b, "\n");
}

static void
put_base64(aa_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	int col = 0;

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		char q[5];
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		q[4] = '\0';
		aa_buf_puts(b, q);
		if ((col += 4) >= 76) {
			aa_buf_puts(b, "\n");
			col = 0;
		}
	}
	if (col > 0)
		aa_buf_puts(b, "\n");
}

/* A header field folded at spaces (RFC 5322 2.2.3) to lines of at most 78
 * characters; bytes outside printable ASCII become '?', so the field needs
 * no RFC 2047 encoding (domains are A-labels, codes ASCII). */
static void
put_header(aa_buf *b, const char *name, const char *value)
{
	size_t col = strlen(name) + 2;
	const char *p = value;
	int space = 0; /* a space is due before the next word */

	aa_buf_printf(b, "%s: ", name);
	while (*p) {
		size_t n = strcspn(p, " "), i;
		if (n == 0) {
			space = 1;
			p++;
			continue;
		}
		if (space && col + 1 + n > 78) {
			aa_buf_puts(b, "\n "); /* the fold's space is the word's */
			col = 1;
		} else if (space) {
			aa_buf_puts(b, " ");
			col++;
		}
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			char ch = c >= 0x20 && c < 0x7f ? (char)c : '?';
			aa_buf_add(b, &ch, 1);
		}
		col += n;
		p += n;
		space = 0;
	}
	aa_buf_puts(b, "\n");
}

static void
rfc5322_date(time_t t, char *buf, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	long off;

	if (localtime_r(&t, &tm) == NULL)
		gmtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, size, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7], tm.tm_mday,
	         months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

static void
random_hex(char *buf, size_t bytes)
{
	unsigned char r[16] = {0};
	size_t i;

	if (bytes > sizeof(r))
		bytes = sizeof(r);
	if (getrandom(r, bytes, 0) != (ssize_t)bytes) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		for (i = 0; i < bytes; i++)
			r[i] = (unsigned char)((unsigned long)ts.tv_nsec >> (i % 4 * 8)) ^
			       (unsigned char)getpid();
	}
	for (i = 0; i < bytes; i++)
		sprintf(buf + 2 * i, "%02x", r[i]);
}

aa_status
aa_drift_email(const aa_drift_doc *d, const char *from, const char *to, const char *subject, FILE *out)
{
	char host[256], date[64], rnd[33], bnd[33], *from_buf = NULL, *text, *json, *msgid;
	json_t *doc = aa_drift_doc_json(d);
	aa_buf b = {0};
	aa_status st = AA_OK;

	b.max = (size_t)1 << 30;
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if (from == NULL)
		from = from_buf = aa_printf("authaudit@%s", host);
	rfc5322_date(d->generated, date, sizeof(date));
	random_hex(rnd, 8);
	random_hex(bnd, 12);
	msgid = aa_printf("<authaudit.%lld.%s@%s>", (long long)d->generated, rnd, host);
	text = text_of(d);
	json = doc != NULL ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	if (from == NULL || msgid == NULL || text == NULL || json == NULL) {
		st = AA_ENOMEM;
		goto out;
	}
	put_header(&b, "From", from);
	put_header(&b, "To", to);
	put_header(&b, "Subject", subject);
	put_header(&b, "Date", date);
	put_header(&b, "Message-ID", msgid);
	aa_buf_puts(&b, "MIME-Version: 1.0\n");
	aa_buf_puts(&b, "Auto-Submitted: auto-generated\n");
	aa_buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"aa-%s\"\n\n", bnd);
	aa_buf_puts(&b, "This is a MIME message: the drift report, and the same as JSON.\n");
	aa_buf_printf(&b, "\n--aa-%s\n", bnd);
	aa_buf_puts(&b, "Content-Type: text/plain; charset=UTF-8\n"
	                "Content-Transfer-Encoding: quoted-printable\n\n");
	put_qp(&b, text);
	aa_buf_printf(&b, "\n--aa-%s\n", bnd);
	aa_buf_puts(&b, "Content-Type: application/json; name=\"authaudit-drift.json\"\n"
	                "Content-Disposition: attachment; filename=\"authaudit-drift.json\"\n"
	                "Content-Transfer-Encoding: base64\n\n");
	put_base64(&b, (const unsigned char *)json, strlen(json));
	aa_buf_printf(&b, "\n--aa-%s--\n", bnd);
	if (b.oom) {
		st = AA_ENOMEM;
		goto out;
	}
	fwrite(b.p, 1, b.len, out);
	st = ferror(out) ? AA_EIO : AA_OK;
out:
	aa_buf_free(&b);
	free(from_buf);
	free(msgid);
	free(text);
	free(json);
	json_decref(doc);
	return st;
}
