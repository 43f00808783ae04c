/* domain.c — user input to a lower-case A-label domain name (libidn2). */
#include "authaudit.h"
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

/* RFC 1035 / 5891 host-name rules on an A-label name; NULL if valid. */
static const char *
check_ldh(const char *name)
{
	size_t total = strlen(name), label = 0, i;
	size_t labels = 0;

	if (total > 253)
		return "the name is longer than 253 characters";
	for (i = 0; i <= total; i++) {
		char c = name[i];
		if (c == '.' || c == '\0') {
			if (label == 0)
				return "the name has an empty label (two dots in a row, or a leading dot)";
			if (name[i - 1] == '-')
				return "a label ends with a hyphen";
			labels++;
			label = 0;
			continue;
		}
		if (label == 0 && c == '-')
			return "a label starts with a hyphen";
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return "the name has a character other than letters, digits, hyphens and dots";
		if (++label > 63)
			return "a label is longer than 63 characters";
	}
	if (labels < 2)
		return "a mail domain needs at least two labels (like example.com)";
	return NULL;
}

aa_status
aa_domain_normalize(const char *in, char **out, const char **why)
{
	const char *reason;
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
	if ((reason = check_ldh(ascii)) != NULL) {
		*why = reason;
		free(ascii);
		return AA_EDOMAIN;
	}
	*out = ascii;
	return AA_OK;
}
