/* findings.c — the finding catalogue: one row per code of FINDINGS.md. */
#include "report/findings.h"
#include "util/names.h"

#include <stdlib.h>
#include <string.h>

static const aa_finding_def catalogue[] = {
#define AA_FINDING(code, sev, area, group, kind, title, why, fix, refs)                             \
	{AA_F_##code, #code, AA_SEV_##sev, AA_AREA_##area, AA_GROUP_##group, AA_KIND_##kind, title, \
	 why,         fix,   refs},
#include "report/findings.def"
#undef AA_FINDING
};

static const aa_name_entry area_names[] = {
    {AA_AREA_DNS, "dns"},     {AA_AREA_MX, "mx"},
    {AA_AREA_SPF, "spf"},     {AA_AREA_DKIM, "dkim"},
    {AA_AREA_DMARC, "dmarc"}, {AA_AREA_ENVELOPE, "envelope"},
    {AA_AREA_IP, "ip"},       {AA_AREA_TRANSPORT, "transport"},
};

const char *
aa_area_name(aa_area a)
{
	return aa_name_of(area_names, AA_NAMES_N(area_names), (int)a, "unknown");
}

const aa_finding_def *
aa_finding_lookup(const char *code)
{
	size_t i;

	for (i = 0; i < AA_F_COUNT; i++)
		if (strcmp(catalogue[i].code, code) == 0)
			return &catalogue[i];
	return NULL;
}

const aa_finding_def *
aa_finding_def_of(aa_code code)
{
	return (unsigned)code < AA_F_COUNT ? &catalogue[code] : NULL;
}

size_t
aa_finding_count(void)
{
	return sizeof(catalogue) / sizeof(catalogue[0]);
}

const aa_finding_def *
aa_finding_at(size_t i)
{
	return i < aa_finding_count() ? &catalogue[i] : NULL;
}

void
aa_finding_clear(aa_finding *f)
{
	size_t i;

	for (i = 0; i < f->nevidence; i++)
		free(f->evidence[i]);
	free(f->evidence);
	free(f->subject);
	free(f->detail);
	free(f->fix);
	memset(f, 0, sizeof(*f));
}

static const aa_name_entry sev_names[] = {
    {AA_SEV_INFO, "info"}, {AA_SEV_LOW, "low"},           {AA_SEV_MEDIUM, "medium"},
    {AA_SEV_HIGH, "high"}, {AA_SEV_CRITICAL, "critical"},
};

const char *
aa_severity_name(aa_severity sev)
{
	return aa_name_of(sev_names, AA_NAMES_N(sev_names), (int)sev, "unknown");
}

aa_status
aa_severity_parse(const char *s, aa_severity *out)
{
	int id;

	if (aa_id_of(sev_names, AA_NAMES_N(sev_names), s, &id) != AA_OK)
		return AA_EINVAL;
	*out = (aa_severity)id;
	return AA_OK;
}
