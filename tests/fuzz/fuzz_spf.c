/* libFuzzer target: the SPF walker and check (libspf2 included, with an
 * --ip so macros and check_host() run) over a record set built from the
 * input (fuzz_records.h), then the SPF tree renderer. */
#include <stdio.h>

#include "check/check.h"
#include "check/spf_walk.h"
#include "fuzz_records.h"
#include "render/spf_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[] = {"192.0.2.1", "2001:db8::1"};
	aa_recordset *set;
	aa_report *r;
	aa_options opt;
	aa_check_in in;
	FILE *out;

	if (size > 65536 || (set = fuzz_records(data, size)) == NULL)
		return 0;
	aa_options_init(&opt);
	opt.ips = ips;
	opt.n_ips = 2;
	opt.envelope_from = "bounce@" FUZZ_DOMAIN;
	in.domain = FUZZ_DOMAIN;
	in.rs = set;
	in.opt = &opt;
	if ((r = aa_report_new(FUZZ_DOMAIN)) != NULL) {
		aa_check_spf(&in, r);
		if ((out = fopen("/dev/null", "w")) != NULL) {
			aa_render_spf_tree(r, out, 1, 80);
			fclose(out);
		}
		aa_report_free(r);
	}
	aa_recordset_free(set);
	return 0;
}
