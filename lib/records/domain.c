/* domain.c — user input to a lower-case A-label domain name (libidn2). */
#include "authaudit.h"
#include "records/hostname.h"
#include "util/util.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* A name whose last label is all digits is an address (192.0.2.1) or a
 * piece of one, never a domain: no top-level domain is numeric (RFC 3696
 * 2), and auditing it would only send queries that cannot mean anything. */
static int
is_numeric_tld(const char *s)
{
	const char *last = strrchr(s, '.');

	last = last != NULL ? last + 1 : s;
	if (*last == '\0')
		return 0;
	for (; *last; last++)
		if (*last < '0' || *last > '9')
			return 0;
	return 1;
}

aa_status
aa_domain_normalize(const char *in, char **out, const char **why)
{
	aa_host_error herr;
	size_t n;
	char *tmp, *ascii = NULL;
	int rc;

	*out = NULL;
	*why = NULL;
	if (in == NULL || (n = strlen(in)) == 0) {
		*why = "the name is empty";
		return AA_EDOMAIN;
	}
	if (n > 1 && in[n - 1] == '.')
		n--;
	if ((tmp = strndup(in, n)) == NULL)
		return AA_ENOMEM;
	if (is_ascii(tmp)) {
		ascii = aa_strndup_lower(tmp, n);
		free(tmp);
		if (ascii == NULL)
			return AA_ENOMEM;
	} else {
		rc = idn2_to_ascii_8z(tmp, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		free(tmp);
		if (rc != IDN2_OK) {
			*why = rc == IDN2_MALLOC ? "out of memory" : idn2_strerror(rc);
			return rc == IDN2_MALLOC ? AA_ENOMEM : AA_EDOMAIN;
		}
	}
	if ((herr = aa_host_check(ascii, strlen(ascii), AA_HOST_MAIL_DOMAIN)) != AA_HOST_OK) {
		*why = aa_host_error_text(herr);
		free(ascii);
		return AA_EDOMAIN;
	}
	if (is_numeric_tld(ascii)) {
		*why = "it is an IP address (or ends in a numeric label); give the domain name";
		free(ascii);
		return AA_EDOMAIN;
	}
	*out = ascii;
	return AA_OK;
}

aa_status
aa_selector_check(const char *selector, const char **why)
{
	size_t len = strlen(selector);
	aa_host_error e;

	if (len > 200) {
		*why = "longer than 200 characters";
		return AA_EINVAL;
	}
	if ((e = aa_host_check(selector, len, AA_HOST_SELECTOR)) != AA_HOST_OK) {
		*why = e == AA_HOST_BAD_CHAR ? "a character that is not allowed" : aa_host_error_text(e);
		return AA_EINVAL;
	}
	return AA_OK;
}
