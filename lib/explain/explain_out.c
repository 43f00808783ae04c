/*
 * explain_out.c — what `authaudit explain` prints: text in the audit's
 * style (label column, wrapped), or one JSON document.  Every string from
 * the input was cleaned when it was read (aa_x_clean: no control bytes,
 * valid UTF-8), so nothing here can reach a terminal raw.
 */
#include "explain/explain_int.h"
#include "util/util.h"

#include <jansson.h>
#include <string.h>

#define LABEL 12

/* Writes `label` then `text` wrapped at width, continuation lines indented. */
static void
wrap(FILE *f, int width, int indent, const char *label, const char *text)
{
	int col = fprintf(f, "%*s%-*s", indent, "", LABEL, label), start = col;
	const char *p = text;

	while (*p != '\0') {
		size_t w = strcspn(p, " ");
		if (col > start && col + 1 + (int)w > width) {
			fprintf(f, "\n%*s", start, "");
			col = start;
		} else if (col > start) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += (int)w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void
write_entry_text(FILE *f, int width, const aa_x_entry *e, int in_catalogue)
{
	int k;
	aa_buf b = {0};

	wrap(f, width, 2, "meaning", e->meaning);
	if (e->system != AA_XS_ANY)
		wrap(f, width, 2, "sent by", aa_x_system_name(e->system));
	for (k = 0; k < AA_X_MAX_CAUSES && e->causes[k] != NULL; k++) {
		char *line = aa_printf("%d. %s", k + 1, e->causes[k]);
		if (line != NULL)
			wrap(f, width, 2, k == 0 ? "causes" : "", line);
		free(line);
	}
	wrap(f, width, 2, "fix", e->fix);
	if (e->related[0] != '\0') {
		aa_buf_printf(&b, "%s", e->related);
		aa_buf_add(&b, "", 0);
		wrap(f, width, 2, "findings", b.p ? b.p : "");
		aa_buf_free(&b);
	}
	if (!in_catalogue)
		wrap(f, width, 2, "note",
		     "this code is not in the catalogue: the meaning above is its RFC 3463 class");
	wrap(f, width, 2, "source", e->source);
}

static void
write_code_text(FILE *f, int width, const aa_x_code *c)
{
	const aa_x_entry *e = c->entry ? c->entry : c->fallback;
	const char *cls = aa_x_class_meaning(c->enhanced[0] ? c->enhanced : (c->reply >= 500 ? "5" : "4"));

	fputc('\n', f);
	if (c->reply)
		fprintf(f, "%d ", c->reply);
	fprintf(f, "%s", c->enhanced[0] ? c->enhanced : "(no enhanced status code)");
	if (c->recipient)
		fprintf(f, "  for %s", c->recipient);
	fputc('\n', f);
	if (c->text[0] != '\0')
		wrap(f, width, 2, "reply", c->text);
	if (c->remote_mta)
		wrap(f, width, 2, "server", c->remote_mta);
	if (cls != NULL)
		wrap(f, width, 2, "class", cls);
	if (e != NULL)
		write_entry_text(f, width, e, c->entry != NULL);
	else
		wrap(f, width, 2, "note", "this code is not in the catalogue; read the reply text");
}

static void
write_headers_text(const aa_explain *x, FILE *f, int width)
{
	size_t i;

	if (x->nauths == 0 && x->nfields == 0 && x->nhops == 0 && x->nms_org == 0)
		return;
	fprintf(f, "\nHeaders\n");
	for (i = 0; i < x->nauths; i++) {
		const aa_x_auth *a = &x->auths[i];
		char *line = aa_printf("%s=%s%s%s (%s)", a->method, a->result, a->reason ? " reason=" : "",
		                       a->reason ? a->reason : "", a->header);
		if (line != NULL)
			wrap(f, width, 2, i == 0 ? "auth" : "", line);
		free(line);
	}
	for (i = 0; i < x->nfields; i++) {
		const aa_x_field *a = &x->fields[i];
		char *line = aa_printf("%s:%s%s%s", a->name, a->value, a->meaning ? " - " : "",
		                       a->meaning ? a->meaning : "");
		if (line != NULL)
			wrap(f, width, 2, i == 0 ? "anti-spam" : "", line);
		free(line);
	}
	for (i = 0; i < x->nms_org; i++)
		wrap(f, width, 2, i == 0 ? "exchange" : "", x->ms_org[i]);
	for (i = 0; i < x->nhops; i++) {
		const aa_x_hop *h = &x->hops[i];
		char delay[96] = "";
		char *line;
		if (h->delay >= 0)
			(void)snprintf(delay, sizeof(delay), ", %lld min %lld s after the hop below",
			               h->delay / 60, h->delay % 60);
		line = aa_printf("by %s from %s%s", h->by ? h->by : "?", h->from ? h->from : "?", delay);
		if (line != NULL)
			wrap(f, width, 2, i == 0 ? "hops" : "", line);
		free(line);
	}
}

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

static void
write_audit_text(const aa_explain *x, FILE *f, int width)
{
	size_t i;

	if (!x->audited) {
		const char *d = aa_explain_domain(x);
		aa_buf b = {0};
		if (d == NULL && x->nips == 0)
			return;
		aa_buf_puts(&b, "authaudit");
		for (i = 0; i < x->nips; i++)
			aa_buf_printf(&b, " --ip %s", x->ips[i]);
		if (x->envelope_from)
			aa_buf_printf(&b, " --envelope-from %s", x->envelope_from);
		aa_buf_printf(&b, " %s", d ? d : "SENDER-DOMAIN");
		aa_buf_add(&b, "", 0);
		fprintf(f, "\nThe DNS side: run the audit with --audit, or\n");
		wrap(f, width, 2, "run", b.p ? b.p : "");
		aa_buf_free(&b);
		return;
	}
	fprintf(f, "\nAudit of %s: grade %c, score %d%s; the findings that explain it:\n",
	        x->audit_domain ? x->audit_domain : "?", x->grade, x->score,
	        x->incomplete ? " (incomplete: some lookups failed)" : "");
	if (x->nrelated == 0)
		wrap(f, width, 2, "findings", "none of the audit's findings relates to this bounce");
	for (i = 0; i < x->nrelated; i++) {
		const aa_x_related *r = &x->related[i];
		char *head = aa_printf("%s: %s%s%s", r->code, r->title, r->subject ? " - " : "",
		                       r->subject ? r->subject : "");
		if (head != NULL)
			wrap(f, width, 2, sev_names[r->severity], head);
		free(head);
		if (r->evidence)
			wrap(f, width, 2, "  evidence", r->evidence);
		wrap(f, width, 2, "  fix", r->fix);
	}
	if (x->nother > 0) {
		aa_buf b = {0};
		for (i = 0; i < x->nother; i++)
			aa_buf_printf(&b, "%s%s", i ? " " : "", x->other_codes[i]);
		aa_buf_add(&b, "", 0);
		wrap(f, width, 2, "also", b.p ? b.p : "");
		aa_buf_free(&b);
	}
}

static void
write_text(const aa_explain *x, const aa_render_opts *o, FILE *f)
{
	int width = o->width >= 40 ? o->width : 80;
	size_t i;
	const char *d = aa_explain_domain(x);

	fprintf(f, "authaudit explain: %s%s%s\n",
	        x->dsn       ? "a delivery status notification (DSN)"
	        : x->message ? "a message"
	                     : "text",
	        x->reporter ? " written by " : "", x->reporter ? x->reporter : "");
	if (x->truncated)
		wrap(f, width, 2, "input", "longer than 4 MiB: only the first 4 MiB were read");
	if (x->system != AA_XS_ANY)
		wrap(f, width, 2, "system", aa_x_system_name((aa_x_system)x->system));
	for (i = 0; i < x->nips; i++)
		wrap(f, width, 2, i == 0 ? "sending IP" : "", x->ips[i]);
	if (x->envelope_from)
		wrap(f, width, 2, "envelope", x->envelope_from);
	if (d)
		wrap(f, width, 2, "sender", d);
	if (x->recipient_domain)
		wrap(f, width, 2, "recipient", x->recipient_domain);
	for (i = 0; i < x->ncodes; i++)
		write_code_text(f, width, &x->codes[i]);
	write_headers_text(x, f, width);
	for (i = 0; i < x->nsymptoms; i++) {
		fprintf(f, "\n%s\n", x->symptoms[i].entry->code);
		wrap(f, width, 2, "seen", x->symptoms[i].evidence);
		write_entry_text(f, width, x->symptoms[i].entry, 1);
	}
	write_audit_text(x, f, width);
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *
jstr(const char *s)
{
	json_t *j = s ? json_string(s) : json_null();
	return j ? j : json_null();
}

static json_t *
entry_json(const aa_x_entry *e, int in_catalogue)
{
	json_t *o = json_object(), *causes = json_array(), *rel = json_array();
	const char *p = e->related;
	int k;

	for (k = 0; k < AA_X_MAX_CAUSES && e->causes[k] != NULL; k++)
		json_array_append_new(causes, jstr(e->causes[k]));
	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		if (n > 0)
			json_array_append_new(rel, json_stringn(p, n));
		p += n;
		while (*p == ' ')
			p++;
	}
	json_object_set_new(o, "key", jstr(e->code));
	json_object_set_new(o, "in_catalogue", json_boolean(in_catalogue));
	json_object_set_new(o, "system", jstr(aa_x_system_token(e->system)));
	json_object_set_new(o, "meaning", jstr(e->meaning));
	json_object_set_new(o, "causes", causes);
	json_object_set_new(o, "fix", jstr(e->fix));
	json_object_set_new(o, "related_findings", rel);
	json_object_set_new(o, "source", jstr(e->source));
	return o;
}

static json_t *
codes_json(const aa_explain *x)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < x->ncodes; i++) {
		const aa_x_code *c = &x->codes[i];
		const aa_x_entry *e = c->entry ? c->entry : c->fallback;
		json_t *o = json_object();
		json_object_set_new(o, "reply", c->reply ? json_integer(c->reply) : json_null());
		json_object_set_new(o, "enhanced", c->enhanced[0] ? jstr(c->enhanced) : json_null());
		json_object_set_new(o, "text", jstr(c->text));
		json_object_set_new(o, "recipient", jstr(c->recipient));
		json_object_set_new(o, "remote_mta", jstr(c->remote_mta));
		json_object_set_new(o, "class", jstr(aa_x_class_meaning(c->enhanced)));
		json_object_set_new(o, "diagnosis", e ? entry_json(e, c->entry != NULL) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
headers_json(const aa_explain *x)
{
	json_t *o = json_object(), *auth = json_array(), *fields = json_array(), *hops = json_array(),
	       *org = json_array();
	size_t i;

	for (i = 0; i < x->nauths; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "header", jstr(x->auths[i].header));
		json_object_set_new(a, "method", jstr(x->auths[i].method));
		json_object_set_new(a, "result", jstr(x->auths[i].result));
		json_object_set_new(a, "reason", jstr(x->auths[i].reason));
		json_object_set_new(a, "detail", jstr(x->auths[i].detail));
		json_array_append_new(auth, a);
	}
	for (i = 0; i < x->nfields; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "name", jstr(x->fields[i].name));
		json_object_set_new(a, "value", jstr(x->fields[i].value));
		json_object_set_new(a, "meaning", jstr(x->fields[i].meaning));
		json_array_append_new(fields, a);
	}
	for (i = 0; i < x->nhops; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "from", jstr(x->hops[i].from));
		json_object_set_new(a, "by", jstr(x->hops[i].by));
		json_object_set_new(a, "time",
		                    x->hops[i].when >= 0 ? json_integer(x->hops[i].when) : json_null());
		json_object_set_new(a, "delay_s",
		                    x->hops[i].delay >= 0 ? json_integer(x->hops[i].delay) : json_null());
		json_array_append_new(hops, a);
	}
	for (i = 0; i < x->nms_org; i++)
		json_array_append_new(org, jstr(x->ms_org[i]));
	json_object_set_new(o, "authentication", auth);
	json_object_set_new(o, "antispam", fields);
	json_object_set_new(o, "exchange_organization", org);
	json_object_set_new(o, "received", hops);
	return o;
}

static json_t *
audit_json(const aa_explain *x)
{
	json_t *o, *rel, *other;
	size_t i;

	if (!x->audited)
		return json_null();
	o = json_object();
	rel = json_array();
	other = json_array();
	for (i = 0; i < x->nrelated; i++) {
		const aa_x_related *r = &x->related[i];
		json_t *a = json_object();
		json_object_set_new(a, "code", jstr(r->code));
		json_object_set_new(a, "severity", jstr(sev_names[r->severity]));
		json_object_set_new(a, "title", jstr(r->title));
		json_object_set_new(a, "subject", jstr(r->subject));
		json_object_set_new(a, "evidence", jstr(r->evidence));
		json_object_set_new(a, "fix", jstr(r->fix));
		json_array_append_new(rel, a);
	}
	for (i = 0; i < x->nother; i++)
		json_array_append_new(other, jstr(x->other_codes[i]));
	json_object_set_new(o, "domain", jstr(x->audit_domain));
	json_object_set_new(o, "grade", json_stringn(&x->grade, 1));
	json_object_set_new(o, "score", json_integer(x->score));
	json_object_set_new(o, "complete", json_boolean(!x->incomplete));
	json_object_set_new(o, "related", rel);
	json_object_set_new(o, "other_findings", other);
	return o;
}

static aa_status
write_json(const aa_explain *x, const aa_render_opts *o, FILE *f)
{
	json_t *doc = json_object(), *ips = json_array(), *sym = json_array();
	size_t i;
	int rc;

	for (i = 0; i < x->nips; i++)
		json_array_append_new(ips, jstr(x->ips[i]));
	for (i = 0; i < x->nsymptoms; i++) {
		json_t *s = entry_json(x->symptoms[i].entry, 1);
		json_object_set_new(s, "evidence", jstr(x->symptoms[i].evidence));
		json_array_append_new(sym, s);
	}
	json_object_set_new(doc, "schema", json_string("authaudit-explain/1"));
	json_object_set_new(doc, "found", json_boolean(aa_explain_found(x)));
	json_object_set_new(doc, "input", json_string(x->dsn ? "dsn" : x->message ? "message" : "text"));
	json_object_set_new(doc, "truncated", json_boolean(x->truncated));
	json_object_set_new(doc, "reporter", jstr(x->reporter));
	json_object_set_new(doc, "system", jstr(aa_x_system_token((aa_x_system)x->system)));
	json_object_set_new(doc, "sending_ips", ips);
	json_object_set_new(doc, "envelope_from", jstr(x->envelope_from));
	json_object_set_new(doc, "sender_domain", jstr(aa_explain_domain(x)));
	json_object_set_new(doc, "recipient_domain", jstr(x->recipient_domain));
	json_object_set_new(doc, "codes", codes_json(x));
	json_object_set_new(doc, "headers", headers_json(x));
	json_object_set_new(doc, "symptoms", sym);
	json_object_set_new(doc, "audit", audit_json(x));
	rc = json_dumpf(doc, f, o->format == AA_FORMAT_NDJSON ? JSON_COMPACT : JSON_INDENT(2));
	json_decref(doc);
	if (rc != 0)
		return AA_EIO;
	fputc('\n', f);
	return AA_OK;
}

aa_status
aa_explain_write(const aa_explain *x, const aa_render_opts *o, FILE *out)
{
	if (x == NULL || o == NULL || out == NULL)
		return AA_EINVAL;
	if (o->format == AA_FORMAT_JSON || o->format == AA_FORMAT_NDJSON)
		return write_json(x, o, out);
	if (o->format != AA_FORMAT_TEXT)
		return AA_EINVAL;
	write_text(x, o, out);
	return ferror(out) ? AA_EIO : AA_OK;
}
