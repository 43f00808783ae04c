/*
 * providers.h — mail providers recognised by their MX host names.
 *
 * One data table (providers.c) maps MX host name suffixes to providers; to
 * recognise another provider, add a row there.
 */
#ifndef AA_PROVIDERS_H
#define AA_PROVIDERS_H

typedef enum aa_provider_id {
	AA_PROV_NONE = 0,
	AA_PROV_EOP, /* Microsoft Exchange Online Protection */
	AA_PROV_GOOGLE,
	AA_PROV_PROOFPOINT,
	AA_PROV_MIMECAST,
	AA_PROV_BARRACUDA,
	AA_PROV_CISCO,
	AA_PROV_TRENDMICRO,
	AA_PROV_SOPHOS,
	AA_PROV_BROADCOM, /* Symantec Email Security.cloud, formerly MessageLabs */
	AA_PROV_HORNETSECURITY,
	AA_PROV_POSTINI, /* Google Postini: retired, found in old zones */
	AA_PROV_ZOHO,
	AA_PROV_FASTMAIL,
	AA_PROV_ICLOUD,
	AA_PROV_YAHOO,
	AA_PROV_OVH,
	AA_PROV_GODADDY,
	AA_PROV_AMAZON,
	AA_PROV_COUNT
} aa_provider_id;

typedef struct aa_provider {
	aa_provider_id id;
	const char *name;     /* "Microsoft Exchange Online Protection" */
	int filter;           /* a filtering service that relays to the mailboxes */
	int highly_available; /* one MX name backed by a redundant pool */
} aa_provider;

/* The provider whose MX host names end in a suffix of the table (`host`
 * any case, trailing dot allowed), or NULL. */
const aa_provider *aa_provider_of_mx(const char *host);
/* The provider with this id (never NULL for a valid id). */
const aa_provider *aa_provider_get(aa_provider_id id);

/* Why the endpoint `host` lies in is retired (a static sentence), or NULL
 * when it is current or not known. */
const char *aa_provider_mx_retired(const char *host);

/* The suffix table, for the man page and tests. */
typedef struct aa_provider_suffix {
	const char *suffix; /* matched at a label boundary */
	aa_provider_id id;
	const char *retired; /* why this endpoint no longer works; NULL: current */
} aa_provider_suffix;

extern const aa_provider_suffix aa_provider_suffixes[];
extern const unsigned aa_nprovider_suffixes;

#endif
