/*
 * drift.c — a run with --state-dir: the state directory and its lock,
 * each report compared with its domain's last snapshot and the new one
 * saved, and the drift report of the whole run at the end.
 *
 * Memory grows with the domains that have something to report (drifted,
 * unverified, new), not with the input: the others are counted and freed.
 */
#include "drift/drift.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct aa_drift {
	char *dir;
	int stale_after;
	int lock_fd;
	json_t *entries;
	unsigned long checked, drifted, unverified, baselines;
	int worst;
	char *worst_text;
};

aa_status
aa_drift_open(const char *dir, int stale_after, aa_drift **out, char **why)
{
	struct stat sb;
	aa_drift *d;
	char *lock;

	*out = NULL;
	*why = NULL;
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT || mkdir(dir, 0755) != 0) {
			*why = aa_printf("--state-dir %s: cannot create it: %s", dir, strerror(errno));
			return AA_EIO;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		*why = aa_printf("--state-dir %s: not a directory", dir);
		return AA_EIO;
	}
	/* for a user without write permission, and on a read-only file system
	 * (where even root is refused) */
	if (access(dir, W_OK | X_OK) != 0) {
		*why = aa_printf("--state-dir %s: cannot write to it: %s", dir, strerror(errno));
		return AA_EIO;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL || (d->dir = aa_printf("%s", dir)) == NULL ||
	    (d->entries = json_array()) == NULL || (lock = aa_printf("%s/.lock", dir)) == NULL) {
		aa_drift_free(d);
		return AA_ENOMEM;
	}
	d->stale_after = stale_after > 0 ? stale_after : 1;
	/* opening the lock file for writing is the test that the directory
	 * can be written (before any DNS is asked) */
	d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (d->lock_fd < 0) {
		*why = aa_printf("--state-dir %s: cannot write to it: %s", dir, strerror(errno));
		free(lock);
		aa_drift_free(d);
		return AA_EIO;
	}
	free(lock);
	*out = d;
	return AA_OK;
}

int
aa_drift_lock(aa_drift *d, int wait, char **why)
{
	char pid[32];
	ssize_t n;

	*why = NULL;
	while (flock(d->lock_fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK) {
			n = pread(d->lock_fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			*why = aa_printf("another authaudit run%s%s%s holds the state in %s",
			                 pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "", d->dir);
			return 1;
		}
		*why = aa_printf("--state-dir %s: cannot lock %s/.lock: %s", d->dir, d->dir, strerror(errno));
		return -1;
	}
	/* who holds it, for the message of a run that has to wait */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(d->lock_fd, 0) != 0 || pwrite(d->lock_fd, pid, (size_t)n, 0) != n)
		(void)0; /* only the message of a waiting run would lack the pid */
	return 0;
}

aa_status
aa_drift_add(aa_drift *d, const aa_report *r, char **why)
{
	char *file = aa_state_file_name(r->domain), *text = NULL;
	json_t *prev = NULL, *next = NULL, *entry = NULL;
	aa_drift_kind kind;
	aa_status st;
	int worst = 0;

	*why = NULL;
	if (file == NULL)
		return AA_ENOMEM;
	d->checked++;
	if ((st = aa_state_load(d->dir, file, r->domain, &prev, why)) != AA_OK)
		goto out;
	st = aa_drift_compare(r, prev, d->stale_after, &next, &entry, &kind, &worst, &text);
	if (st == AA_EINVAL) {
		*why = aa_printf("state file %s/%s is corrupt (unexpected content); it is kept as it is; "
		                 "move it away to start a new baseline for this domain",
		                 d->dir, file);
		goto out;
	}
	if (st != AA_OK)
		goto out;
	if (entry != NULL) {
		json_array_append(d->entries, entry);
		d->drifted += kind == AA_DRIFT_CHANGED;
		d->unverified += kind == AA_DRIFT_UNVERIFIED;
		d->baselines += kind == AA_DRIFT_BASELINE;
		if (worst > d->worst && text != NULL) {
			free(d->worst_text);
			d->worst_text = text;
			d->worst = worst;
			text = NULL;
		}
	}
	st = aa_state_save(d->dir, file, next, why);
out:
	json_decref(prev);
	json_decref(next);
	json_decref(entry);
	free(text);
	free(file);
	return st;
}

unsigned long
aa_drift_found(const aa_drift *d)
{
	return d->drifted + d->unverified;
}

static int
by_domain(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "domain")),
	              json_string_value(json_object_get(*(json_t *const *)b, "domain")));
}

/* The Subject: the domains and the worst change, ASCII. */
static char *
subject_of(const aa_drift *d)
{
	aa_buf b = {0};
	size_t i, n = json_array_size(d->entries), shown = 0;

	if (d->drifted + d->unverified > 0)
		aa_buf_printf(&b, "authaudit drift: %lu domain%s:", d->drifted + d->unverified,
		              d->drifted + d->unverified == 1 ? "" : "s");
	else
		aa_buf_printf(&b, "authaudit: now watching %lu domain%s:", d->baselines,
		              d->baselines == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const json_t *e = json_array_get(d->entries, i);
		if (d->drifted + d->unverified > 0 &&
		    strcmp(json_string_value(json_object_get(e, "status")), "baseline") == 0)
			continue;
		if (shown++ == 3) {
			aa_buf_puts(&b, " ...");
			break;
		}
		aa_buf_printf(&b, "%s %s", shown > 1 ? "," : "",
		              json_string_value(json_object_get(e, "domain")));
	}
	if (d->worst_text != NULL && d->drifted + d->unverified > 0)
		aa_buf_printf(&b, "; worst: %s", d->worst_text);
	return aa_buf_take(&b);
}

aa_status
aa_drift_write(aa_drift *d, aa_format format, const char *mail_from, const char *mail_to, FILE *out)
{
	aa_drift_doc doc;
	size_t n = json_array_size(d->entries), i;
	json_t **v, *sorted;
	aa_status st;

	if (n == 0)
		return AA_OK; /* nothing changed: no output, so cron mails nothing */
	if ((v = calloc(n, sizeof(*v))) == NULL || (sorted = json_array()) == NULL) {
		free(v);
		return AA_ENOMEM;
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(d->entries, i);
	qsort(v, n, sizeof(*v), by_domain);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_decref(d->entries);
	d->entries = sorted;

	memset(&doc, 0, sizeof(doc));
	doc.domains = d->entries;
	doc.checked = d->checked;
	doc.drifted = d->drifted;
	doc.unverified = d->unverified;
	doc.baselines = d->baselines;
	doc.generated = time(NULL);
	switch (format) {
	case AA_FORMAT_JSON:
	case AA_FORMAT_NDJSON: {
		json_t *j = aa_drift_doc_json(&doc);
		if (j == NULL)
			return AA_ENOMEM;
		st = json_dumpf(j, out, format == AA_FORMAT_NDJSON ? JSON_COMPACT : JSON_INDENT(2)) == 0
		         ? AA_OK
		         : AA_EIO;
		json_decref(j);
		fputc('\n', out);
		break;
	}
	case AA_FORMAT_EMAIL: {
		char *subject = subject_of(d);
		if (subject == NULL)
			return AA_ENOMEM;
		st = aa_drift_email(&doc, mail_from, mail_to, subject, out);
		free(subject);
		break;
	}
	case AA_FORMAT_TEXT:
		st = aa_drift_text(&doc, out);
		break;
	default:
		return AA_EINVAL;
	}
	if (st == AA_OK && ferror(out))
		st = AA_EIO;
	return st;
}

void
aa_drift_free(aa_drift *d)
{
	if (d == NULL)
		return;
	if (d->lock_fd > 0)
		close(d->lock_fd); /* releases the lock */
	json_decref(d->entries);
	free(d->worst_text);
	free(d->dir);
	free(d);
}
