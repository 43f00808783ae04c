/* hostname.c — label and length rules for host names (RFC 1035 2.3.4, RFC 1123 2.1). */
#include "records/hostname.h"
#include "util/names.h"

#define MAX_NAME 253 /* 255 on the wire, less the length byte and the root */
#define MAX_LABEL 63

static int
char_ok(unsigned char c, unsigned flags)
{
	if (!(flags & AA_HOST_LDH))
		return c > ' ' && c < 127 && c != '\\';
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')
		return 1;
	return c == '_' && (flags & AA_HOST_UNDERSCORE);
}

aa_host_error
aa_host_check(const char *p, size_t len, unsigned flags)
{
	size_t i, label = 0, labels = 0;

	if (len == 0)
		return AA_HOST_EMPTY;
	if ((flags & AA_HOST_TRAILING_DOT) && len > 1 && p[len - 1] == '.')
		len--;
	if (len > MAX_NAME)
		return AA_HOST_TOO_LONG;
	for (i = 0; i <= len; i++) {
		if (i == len || p[i] == '.') {
			if (label == 0)
				return AA_HOST_EMPTY_LABEL;
			if ((flags & AA_HOST_HYPHEN_EDGES) && p[i - 1] == '-')
				return AA_HOST_HYPHEN_END;
			labels++;
			label = 0;
			continue;
		}
		if ((flags & AA_HOST_HYPHEN_EDGES) && label == 0 && p[i] == '-')
			return AA_HOST_HYPHEN_START;
		if (!char_ok((unsigned char)p[i], flags))
			return AA_HOST_BAD_CHAR;
		if (++label > MAX_LABEL)
			return AA_HOST_LABEL_TOO_LONG;
	}
	if ((flags & AA_HOST_TWO_LABELS) && labels < 2)
		return AA_HOST_ONE_LABEL;
	return AA_HOST_OK;
}

static const aa_name_entry host_errors[] = {
    {AA_HOST_OK, "the name is valid"},
    {AA_HOST_EMPTY, "the name is empty"},
    {AA_HOST_TOO_LONG, "the name is longer than 253 characters"},
    {AA_HOST_EMPTY_LABEL, "the name has an empty label (two dots in a row, or a leading dot)"},
    {AA_HOST_LABEL_TOO_LONG, "a label is longer than 63 characters"},
    {AA_HOST_BAD_CHAR, "the name has a character other than letters, digits, hyphens and dots"},
    {AA_HOST_HYPHEN_START, "a label starts with a hyphen"},
    {AA_HOST_HYPHEN_END, "a label ends with a hyphen"},
    {AA_HOST_ONE_LABEL, "a mail domain needs at least two labels (like example.com)"},
};

const char *
aa_host_error_text(aa_host_error e)
{
	return aa_name_of(host_errors, AA_NAMES_N(host_errors), (int)e, "the name is not valid");
}
