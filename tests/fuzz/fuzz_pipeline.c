/* libFuzzer target: the whole check pipeline (every area, the cross-area
 * step, the scorer) from a record set built from the input, then every
 * renderer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "fuzz_records.h"
#include "report/report.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const probed[] = {"selector1", "selector2", "google", "s1"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[] = {"192.0.2.1"};
	static const aa_format formats[] = {AA_FORMAT_TEXT, AA_FORMAT_RECORDS, AA_FORMAT_JSON,
	                                    AA_FORMAT_NDJSON, AA_FORMAT_CHECKLIST};
	aa_render_opts ro;
	aa_recordset *set;
	aa_report *r;
	aa_options opt;
	aa_check_in in;
	FILE *out;
	size_t i;

	if (size > 65536 || (set = fuzz_records(data, size)) == NULL)
		return 0;
	aa_options_init(&opt);
	opt.ips = ips;
	opt.n_ips = 1;
	opt.envelope_from = "bounce@" FUZZ_DOMAIN;
	opt.profile = size % 2 ? "m365" : "google";
	in.domain = FUZZ_DOMAIN;
	in.rs = set;
	in.opt = &opt;
	if ((r = aa_report_new(FUZZ_DOMAIN)) == NULL) {
		aa_recordset_free(set);
		return 0;
	}
	for (i = 0; i < sizeof(probed) / sizeof(probed[0]); i++)
		(void)aa_strv_add(&r->selectors, &r->nselectors, probed[i]);
	aa_run_checks(&in, r);
	if ((out = fopen("/dev/null", "w")) != NULL) {
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
			aa_render_opts_init(&ro);
			ro.format = formats[i];
			ro.color = (int)(i % 2);
			ro.unicode = 1;
			(void)aa_report_write(r, &ro, out);
		}
		fclose(out);
	}
	aa_report_free(r);
	aa_recordset_free(set);
	return 0;
}
