/*
 * state.c — the files of --state-dir: one snapshot per domain, read with
 * every way it can be wrong named, written so that a crash, a kill -9 or
 * a full disk at any point leaves the previous snapshot whole.
 *
 * The file IO lives here, beside the format, rather than in the program:
 * the promise "the old snapshot survives any failure" belongs to the state
 * format, and tests can hold the library to it without the program.
 */
#include "drift/drift.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A snapshot is a few KiB; anything this large is not one of ours. */
#define STATE_MAX_BYTES ((size_t)16 << 20)

char *
aa_state_file_name(const char *domain)
{
	aa_buf b = {0};
	const char *p;

	for (p = domain; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && p != domain))
			aa_buf_add(&b, p, 1);
		else
			aa_buf_printf(&b, "%%%02X", c);
	}
	aa_buf_puts(&b, ".json");
	return aa_buf_take(&b);
}

static char *
path_of(const char *dir, const char *file)
{
	return aa_printf("%s/%s", dir, file);
}

/* The whole file in *buf; -1 with errno on failure. */
static int
read_all(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	aa_buf b = {0};
	char chunk[8192];
	ssize_t n;

	b.max = STATE_MAX_BYTES;
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = errno;
			close(fd);
			aa_buf_free(&b);
			errno = (int)n;
			return -1;
		}
		aa_buf_add(&b, chunk, (size_t)n);
		if (b.oom) {
			close(fd);
			aa_buf_free(&b);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	*len = b.len;
	*buf = b.p != NULL ? b.p : calloc(1, 1);
	return *buf == NULL ? -1 : 0;
}

/* "how to get out": a file we will not overwrite. */
#define KEPT "it is kept as it is; move it away to start a new baseline for this domain"

static aa_status
check_snapshot(const char *path, const char *domain, const json_t *snap, char **why)
{
	const char *schema = json_string_value(json_object_get(snap, "schema"));
	const char *dom = json_string_value(json_object_get(snap, "domain"));

	if (!json_is_object(snap) || schema == NULL) {
		*why = aa_printf("state file %s is not an authaudit snapshot (no \"schema\"); " KEPT, path);
		return AA_EINVAL;
	}
	if (strcmp(schema, AA_STATE_SCHEMA) != 0) {
		if (strncmp(schema, "authaudit-state/", 16) == 0)
			*why = aa_printf("state file %s has schema \"%s\", written by a newer authaudit "
			                 "(this one reads " AA_STATE_SCHEMA "); " KEPT,
			                 path, schema);
		else
			*why = aa_printf("state file %s is not an authaudit snapshot (schema \"%s\"); " KEPT,
			                 path, schema);
		return AA_EINVAL;
	}
	if (dom == NULL || strcmp(dom, domain) != 0) {
		*why = aa_printf("state file %s is not the snapshot of %s; " KEPT, path, domain);
		return AA_EINVAL;
	}
	if (!json_is_array(json_object_get(snap, "records")) ||
	    !json_is_integer(json_object_get(snap, "failed_runs"))) {
		*why = aa_printf("state file %s is corrupt (\"records\" or \"failed_runs\" missing); " KEPT,
		                 path);
		return AA_EINVAL;
	}
	return AA_OK;
}

aa_status
aa_state_load(const char *dir, const char *file, const char *domain, json_t **snap, char **why)
{
	char *path = path_of(dir, file), *buf = NULL;
	size_t len = 0;
	aa_status st;

	*snap = NULL;
	*why = NULL;
	if (path == NULL)
		return AA_ENOMEM;
	if (read_all(path, &buf, &len) != 0) {
		if (errno == ENOENT) {
			free(path);
			return AA_OK; /* first run */
		}
		*why = aa_printf("cannot read state file %s: %s", path, strerror(errno));
		free(path);
		return AA_EIO;
	}
	st = aa_state_parse(buf, len, path, domain, snap, why);
	free(buf);
	free(path);
	return st;
}

aa_status
aa_state_parse(const char *buf, size_t len, const char *path, const char *domain, json_t **snap, char **why)
{
	json_error_t err;
	aa_status st;

	*why = NULL;
	*snap = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (*snap == NULL) {
		*why = aa_printf("state file %s is corrupt or truncated (line %d: %s); " KEPT, path, err.line,
		                 err.text);
		return AA_EINVAL;
	}
	if ((st = check_snapshot(path, domain, *snap, why)) != AA_OK) {
		json_decref(*snap);
		*snap = NULL;
	}
	return st;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes the rename itself durable. */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

aa_status
aa_state_save(const char *dir, const char *file, const json_t *snap, char **why)
{
	char *path = path_of(dir, file), *tmp = aa_printf("%s/%s.tmp", dir, file);
	char *text = json_dumps(snap, JSON_INDENT(1));
	size_t len = text != NULL ? strlen(text) : 0, half = len / 2;
	aa_status st = AA_OK;
	int fd = -1, err = 0;

	*why = NULL;
	if (path == NULL || tmp == NULL || text == NULL) {
		st = AA_ENOMEM;
		goto out;
	}
	/* the temp name is fixed: the state lock makes this run its only
	 * writer, and a temp file a killed run left behind is simply replaced */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, half) != 0) {
		err = errno;
		goto failed;
	}
	/* Test hook (tests/check_drift.c): stop half-way through the write so
	 * the test can kill -9 the run at exactly this point. */
	if (getenv("AA_TEST_STOP_IN_STATE_WRITE") != NULL)
		(void)raise(SIGSTOP);
	if (write_all(fd, text + half, len - half) != 0 || write_all(fd, "\n", 1) != 0 || fsync(fd) != 0) {
		err = errno;
		goto failed;
	}
	if (close(fd) != 0) {
		fd = -1;
		err = errno;
		goto failed;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		err = errno;
		goto failed;
	}
	if (sync_dir(dir) != 0) {
		/* the new file is in place; only its durability is in doubt */
		*why = aa_printf("cannot sync state directory %s: %s", dir, strerror(errno));
		st = AA_EIO;
	}
	goto out;
failed:
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
	*why =
	    aa_printf("cannot write state file %s: %s; the previous snapshot is kept", path, strerror(err));
	st = AA_EIO;
out:
	free(text);
	free(path);
	free(tmp);
	return st;
}
