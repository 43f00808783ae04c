/* libFuzzer target: a --state-dir snapshot file as read back on the next
 * run (arbitrary bytes: the checks of aa_state_parse()), then, when it
 * passes them, compared with a fixed report (aa_drift_compare(): the
 * snapshot's records, findings and counters of any shape) and the drift
 * report written in every form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "drift/drift.h"
#include "fuzz_records.h"
#include "report/report.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The report every snapshot is compared with: a domain with MX, SPF,
 * DMARC and a DKIM key, audited once per process. */
static const char world[] = "@ MX answer 10 mx.fuzz.test\n"
                            "mx.fuzz.test A answer 192.0.2.25\n"
                            "@ TXT answer v=spf1 ip4:192.0.2.0/24 -all\n"
                            "_dmarc.fuzz.test TXT answer v=DMARC1; p=reject; rua=mailto:d@fuzz.test\n"
                            "s1._domainkey.fuzz.test TXT answer v=DKIM1; k=ed25519; "
                            "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n";

static aa_report *
report(void)
{
	static aa_report *r;
	static aa_recordset *set;
	static const char *const probed[] = {"s1", "selector1"};
	aa_options opt;
	aa_check_in in;
	size_t i;

	if (r != NULL)
		return r;
	if ((set = fuzz_records((const uint8_t *)world, sizeof(world) - 1)) == NULL ||
	    (r = aa_report_new(FUZZ_DOMAIN)) == NULL)
		abort();
	aa_options_init(&opt);
	in.domain = FUZZ_DOMAIN;
	in.rs = set;
	in.opt = &opt;
	for (i = 0; i < sizeof(probed) / sizeof(probed[0]); i++)
		(void)aa_strv_add(&r->selectors, &r->nselectors, probed[i]);
	aa_run_checks(&in, r);
	/* the report's own records, as an audit keeps them */
	aa_recordset_free(r->records);
	r->records = set;
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *snap = NULL, *next = NULL, *entry = NULL;
	char *why = NULL, *worst_text = NULL;
	aa_drift_kind kind;
	int worst = 0;
	FILE *out;

	if (size > 65536)
		return 0;
	if (aa_state_parse((const char *)data, size, "fuzz.json", FUZZ_DOMAIN, &snap, &why) == AA_OK &&
	    aa_drift_compare(report(), snap, 3, &next, &entry, &kind, &worst, &worst_text) == AA_OK &&
	    entry != NULL && (out = fopen("/dev/null", "w")) != NULL) {
		aa_drift_doc doc;
		json_t *doc_json;

		memset(&doc, 0, sizeof(doc));
		doc.domains = json_array();
		json_array_append(doc.domains, entry);
		doc.checked = 1;
		doc.drifted = kind == AA_DRIFT_CHANGED;
		doc.unverified = kind == AA_DRIFT_UNVERIFIED;
		doc.baselines = kind == AA_DRIFT_BASELINE;
		doc.worst_domain_text = worst_text;
		(void)aa_drift_text(&doc, out);
		(void)aa_drift_email(&doc, "authaudit@fuzz.test", "admin@fuzz.test", "drift", out);
		if ((doc_json = aa_drift_doc_json(&doc)) != NULL) {
			(void)json_dumpf(doc_json, out, JSON_COMPACT);
			json_decref(doc_json);
		}
		json_decref(doc.domains);
		fclose(out);
	}
	json_decref(snap);
	json_decref(next);
	json_decref(entry);
	free(why);
	free(worst_text);
	return 0;
}
