/*
 * transport.c — the other transport signals: MTA-STS's DNS record
 * (RFC 8461 3.1) and TLS reporting (RFC 8460 3).  MTA_STS_SYNTAX,
 * TLSRPT_NONE, TLSRPT_SYNTAX.  The MTA-STS policy file itself is fetched
 * over HTTPS, which this DNS auditor does not do.  transport_derive reads
 * both names into aa_transport_facts; transport_judge turns those into
 * findings.
 */
#include "check/check.h"
#include "report/facts.h"
#include "util/taglist.h"
#include "util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Calls fn on each tag of rec (util/taglist.h) in order until fn asks to
 * stop (returns non-zero).  Tag names are not judged here: MTA-STS and
 * TLS-RPT extension names (RFC 8461 3.1, RFC 8460 3) allow more than
 * DKIM's. */
typedef int (*tag_fn)(const aa_tag *t, void *arg);

typedef enum tags_result {
	TAGS_DONE = 0,   /* every tag seen, or fn stopped the walk */
	TAGS_NOT_A_LIST, /* a piece without '=', or an empty piece before the last ';' */
	TAGS_NOMEM
} tags_result;

static tags_result
each_tag(const char *rec, size_t len, tag_fn fn, void *arg)
{
	aa_taglist tl;
	tags_result res = TAGS_DONE;
	size_t i;

	if (aa_taglist_parse(rec, len, &tl) != AA_OK)
		return TAGS_NOMEM;
	for (i = 0; i < tl.n; i++) {
		if (tl.tags[i].problems & (AA_TAG_EMPTY | AA_TAG_NO_EQUALS)) {
			res = TAGS_NOT_A_LIST;
			break;
		}
		if (fn(&tl.tags[i], arg) != 0)
			break;
	}
	aa_taglist_free(&tl);
	return res;
}

/* Is the value exactly v (case matters: "STSv1", "TLSRPTv1")? */
static int
value_eq(const aa_tag *t, const char *v)
{
	size_t n = strlen(v);

	return t->vlen == n && memcmp(t->value, v, n) == 0;
}

static int
starts_with(const aa_record *rr, const char *prefix)
{
	size_t n = strlen(prefix);

	return rr->len >= n && memcmp(rr->data, prefix, n) == 0;
}

static int
mentions(const aa_record *rr, const char *needle)
{
	return aa_memcasemem(rr->data, rr->len, needle) != NULL;
}

/* What a tag walk reads into one record. */
struct reading {
	aa_transport_record *rec;
	int has_key; /* the tag the protocol requires: id= (MTA-STS), rua= (TLS-RPT) */
	int oom;
};

/* Keeps a (pointer, length) value as a string; 0 and r->oom on failure. */
static int
keep(struct reading *r, char **dst, const char *v, size_t n)
{
	if ((*dst = strndup(v, n)) == NULL)
		r->oom = 1;
	return *dst != NULL;
}

/* The first tag must be v=<version>; the version is kept either way. */
static int
version_tag(struct reading *r, const aa_tag *t, const char *version, const char *why)
{
	if (aa_tag_name_eq(t, "v") && !keep(r, &r->rec->version, t->value, t->vlen))
		return 1;
	if (!aa_tag_name_eq(t, "v") || !value_eq(t, version)) {
		r->rec->problem = why;
		return 1;
	}
	return 0;
}

/* ---- MTA-STS ---- */

static int
sts_tag(const aa_tag *t, void *arg)
{
	struct reading *r = arg;
	size_t i;

	if (t->pos == 0)
		return version_tag(r, t, "STSv1", "the record must begin with v=STSv1");
	if (aa_tag_name_eq(t, "id")) {
		if (t->vlen == 0 || t->vlen > 32) {
			r->rec->problem = "id= must be 1 to 32 letters and digits";
			return 1;
		}
		for (i = 0; i < t->vlen; i++)
			if (!isalnum((unsigned char)t->value[i])) {
				r->rec->problem = "id= must be 1 to 32 letters and digits";
				return 1;
			}
		r->has_key = 1;
		if (r->rec->id == NULL && !keep(r, &r->rec->id, t->value, t->vlen))
			return 1;
	}
	return 0; /* extensions are allowed */
}

/* ---- TLS-RPT ---- */

static int
rua_ok(const char *u, size_t n)
{
	const char *at;

	if (n > 7 && strncasecmp(u, "mailto:", 7) == 0) {
		at = memchr(u + 7, '@', n - 7);
		return at != NULL && at > u + 7 && at < u + n - 1 &&
		       memchr(at, '.', (size_t)(u + n - at)) != NULL;
	}
	return n > 8 && strncasecmp(u, "https://", 8) == 0;
}

static int
rpt_tag(const aa_tag *t, void *arg)
{
	struct reading *r = arg;
	aa_transport_record *rec = r->rec;
	aa_tag_items it;
	const char *u;
	size_t n;
	int last;

	if (t->pos == 0)
		return version_tag(r, t, "TLSRPTv1", "the record must begin with v=TLSRPTv1");
	if (!aa_tag_name_eq(t, "rua"))
		return 0;
	aa_tag_items_init(&it, t->value, t->vlen, ',');
	while (aa_tag_items_next(&it, &u, &n, &last)) {
		char **v;
		if (n == 0 && last)
			break; /* "rua=mailto:a@b.example," ends with a comma */
		if (!rua_ok(u, n)) {
			rec->problem = "a rua= address is not a mailto: or https: URI";
			keep(r, &rec->bad, u, n);
			return 1;
		}
		if ((v = realloc(rec->rua, (rec->nrua + 1) * sizeof(*v))) == NULL) {
			r->oom = 1;
			return 1;
		}
		rec->rua = v;
		if (!keep(r, &v[rec->nrua], u, n))
			return 1;
		rec->nrua++;
	}
	r->has_key = 1;
	return 0;
}

/* ---- derive: the facts --------------------------------------------------- */

/* How each of the two names is read. */
typedef struct protocol {
	const char *label;   /* "_mta-sts" */
	const char *meant;   /* a record naming this (any case) is meant as one */
	const char *counted; /* "more than one" counts records beginning with this;
	                      * NULL: every record meant as one */
	tag_fn read;
	const char *no_key; /* the problem without the required tag */
	const char *twice;  /* the problem when there is more than one record */
} protocol;

static const protocol mta_sts = {
    "_mta-sts",
    "v=sts",
    "v=STSv1",
    sts_tag,
    "the record has no id= (the policy version senders compare)",
    "more than one v=STSv1 record: senders then ignore MTA-STS",
};

/* a record that names v=TLSRPTv1 anywhere was meant as one: judge it
 * (receivers discard it if v= is not first) rather than call it missing */
static const protocol tlsrpt = {
    "_smtp._tls",
    "v=tlsrpt",
    NULL,
    rpt_tag,
    "the record has no rua= (where reports go)",
    "more than one v=TLSRPTv1 record: senders then send no reports",
};

static aa_status
read_record(const protocol *p, const aa_record *rr, size_t counted, aa_transport_record *rec)
{
	struct reading r = {rec, 0, 0};
	tags_result tr;

	if ((rec->text = strdup(rr->data)) == NULL)
		return AA_ENOMEM;
	if ((tr = each_tag(rr->data, rr->len, p->read, &r)) == TAGS_NOMEM || r.oom)
		return AA_ENOMEM;
	if (tr == TAGS_NOT_A_LIST)
		rec->problem = "the record is not a list of tag=value pairs";
	else if (rec->problem == NULL && !r.has_key)
		rec->problem = p->no_key;
	else if (rec->problem == NULL && counted > 1)
		rec->problem = p->twice;
	return AA_OK;
}

static aa_status
derive_name(const aa_check_in *in, const protocol *p, aa_transport_name *n)
{
	const aa_rrset *rs;
	size_t i, counted = 0;

	if ((n->name = aa_concat(p->label, ".", in->domain, (char *)NULL)) == NULL)
		return AA_ENOMEM;
	if ((rs = aa_recordset_get(in->rs, n->name, AA_T_TXT)) == NULL)
		return AA_OK;
	n->asked = 1;
	n->outcome = rs->outcome;
	n->ntxt = rs->nrr;
	if ((n->records = calloc(rs->nrr > 0 ? rs->nrr : 1, sizeof(*n->records))) == NULL)
		return AA_ENOMEM;
	for (i = 0; i < rs->nrr; i++)
		if (p->counted != NULL ? starts_with(&rs->rr[i], p->counted) : mentions(&rs->rr[i], p->meant))
			counted++;
	for (i = 0; i < rs->nrr; i++)
		if (mentions(&rs->rr[i], p->meant) &&
		    read_record(p, &rs->rr[i], counted, &n->records[n->nrecords++]) != AA_OK)
			return AA_ENOMEM;
	return AA_OK;
}

static aa_transport_facts *
transport_derive(const aa_check_in *in)
{
	aa_transport_facts *f = calloc(1, sizeof(*f));

	if (f == NULL || derive_name(in, &mta_sts, &f->mta_sts) != AA_OK ||
	    derive_name(in, &tlsrpt, &f->tlsrpt) != AA_OK) {
		aa_transport_facts_free(f);
		return NULL;
	}
	f->domain_nxdomain = aa_domain_nxdomain(in) != NULL;
	return f;
}

/* ---- judge: the findings -------------------------------------------------- */

/* The first record senders ignore, or NULL. */
static const aa_transport_record *
first_problem(const aa_transport_name *n)
{
	size_t i;

	for (i = 0; i < n->nrecords; i++)
		if (n->records[i].problem != NULL)
			return &n->records[i];
	return NULL;
}

static void
mta_sts_judge(const aa_check_in *in, const aa_transport_name *n, aa_report *r)
{
	const aa_transport_record *bad = first_problem(n);
	aa_finding *f;

	if (bad == NULL)
		return;
	f = aa_report_add(r, AA_F_MTA_STS_SYNTAX, "%s", n->name);
	aa_finding_evidence(r, f, "%s TXT \"%s\": %s", n->name, bad->text, bad->problem);
	aa_finding_set_fix(r, f,
	                   "Publish one record: _mta-sts.%s TXT \"v=STSv1; id=20261124T000000\" "
	                   "(change id= whenever the policy at https://mta-sts.%s/.well-known/"
	                   "mta-sts.txt changes).",
	                   in->domain, in->domain);
}

static void
tlsrpt_judge(const aa_check_in *in, const aa_transport_name *n, aa_report *r)
{
	const aa_transport_record *bad = first_problem(n);
	aa_finding *f;

	if (n->nrecords == 0) {
		f = aa_report_add(r, AA_F_TLSRPT_NONE, "%s", n->name);
		aa_finding_evidence(r, f, "%s TXT: %s", n->name,
		                    n->ntxt ? "no v=TLSRPTv1 record" : aa_outcome_name(n->outcome));
		aa_finding_set_fix(r, f,
		                   "Publish _smtp._tls.%s TXT \"v=TLSRPTv1; "
		                   "rua=mailto:tls-reports@%s\".",
		                   in->domain, in->domain);
		return;
	}
	if (bad == NULL)
		return;
	f = aa_report_add(r, AA_F_TLSRPT_SYNTAX, "%s", n->name);
	if (bad->bad != NULL)
		aa_finding_evidence(r, f, "%s TXT \"%s\": %s (\"%s\")", n->name, bad->text, bad->problem,
		                    bad->bad);
	else
		aa_finding_evidence(r, f, "%s TXT \"%s\": %s", n->name, bad->text, bad->problem);
	aa_finding_set_fix(r, f,
	                   "Publish one record: _smtp._tls.%s TXT \"v=TLSRPTv1; "
	                   "rua=mailto:tls-reports@%s\".",
	                   in->domain, in->domain);
}

static void
transport_judge(const aa_check_in *in, const aa_transport_facts *f, aa_report *r)
{
	/* a domain that does not exist gets DOMAIN_NXDOMAIN, not these */
	if (f->domain_nxdomain)
		return;
	/* failed lookups are DNS_INCOMPLETE, never "missing" */
	if (f->mta_sts.asked && f->mta_sts.outcome == AA_OUT_ANSWER)
		mta_sts_judge(in, &f->mta_sts, r);
	if (f->tlsrpt.asked && !aa_outcome_is_error(f->tlsrpt.outcome))
		tlsrpt_judge(in, &f->tlsrpt, r);
}

void
aa_check_transport(const aa_check_in *in, aa_report *r)
{
	aa_transport_facts *f = transport_derive(in);

	if (f == NULL) {
		r->oom = 1;
		return;
	}
	aa_report_set_facts(r, AA_AREA_TRANSPORT, f, aa_transport_facts_free);
	transport_judge(in, f, r);
}
