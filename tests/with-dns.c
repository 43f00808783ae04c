/*
 * with-dns — serve a directory of zone files on loopback for one command.
 *
 *   with-dns ZONES_DIR [RULES|-] -- COMMAND [ARG...]
 *
 * Starts knotd (and faultdns in front of it) through the test harness, runs
 * COMMAND with every "@RESOLVER@" in its arguments replaced by the
 * resolver's address (also exported as AA_RESOLVER; knotd's own address,
 * without the fault responder, is AA_DIRECT_RESOLVER), stops both servers and
 * exits with COMMAND's status.  Used by `make demo` and the valgrind runs.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static char *
subst(const char *arg, const char *resolver)
{
	const char *at = strstr(arg, "@RESOLVER@");
	char *out;

	if (at == NULL)
		return strdup(arg);
	if (asprintf(&out, "%.*s%s%s", (int)(at - arg), arg, resolver, at + 10) < 0)
		return NULL;
	return out;
}

int
main(int argc, char **argv)
{
	const char *rules = NULL;
	harness h;
	char **cmd;
	int i, first, status;
	pid_t pid;

	if (argc < 4 || strcmp(argv[argc > 3 && strcmp(argv[2], "--") == 0 ? 2 : 3], "--") != 0) {
		fprintf(stderr, "usage: with-dns ZONES_DIR [RULES|-] -- COMMAND [ARG...]\n");
		return 2;
	}
	if (strcmp(argv[2], "--") == 0) {
		first = 3;
	} else {
		rules = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
		first = 4;
	}
	if (first >= argc) {
		fprintf(stderr, "with-dns: no command\n");
		return 2;
	}
	memset(&h, 0, sizeof(h));
	if (harness_start(&h, argv[1], rules) != 0) {
		fprintf(stderr, "with-dns: could not start the DNS servers for %s\n", argv[1]);
		return 3;
	}
	setenv("AA_RESOLVER", h.resolver, 1);
	{
		char direct[64];

		snprintf(direct, sizeof(direct), "127.0.0.1:%d", h.knot_port);
		setenv("AA_DIRECT_RESOLVER", direct, 1);
	}
	cmd = calloc((size_t)(argc - first + 1), sizeof(*cmd));
	for (i = first; cmd != NULL && i < argc; i++)
		if ((cmd[i - first] = subst(argv[i], h.resolver)) == NULL)
			break;
	if (cmd == NULL || i < argc) {
		fprintf(stderr, "with-dns: out of memory\n");
		harness_stop(&h);
		return 3;
	}
	signal(SIGINT, SIG_IGN); /* ^C reaches the child; we still clean up */
	if ((pid = fork()) == 0) {
		signal(SIGINT, SIG_DFL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "with-dns: cannot run %s\n", cmd[0]);
		_exit(127);
	}
	status = 1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	harness_stop(&h);
	for (i = 0; cmd[i] != NULL; i++)
		free(cmd[i]);
	free(cmd);
	if (pid < 0)
		return 3;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
