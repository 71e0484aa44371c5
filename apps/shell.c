/* shell.c - line editing on the serial console and dispatch through shell_cmds[]. */
#include "apps/shell.h"
#include "kernel/console.h"
#include "kernel/poll.h"
#include "lib/errname.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX 256
#define MAX_ARGS 16
#define PROMPT   "ringside> "

static char line[LINE_MAX];
static size_t len;
static int last_cr;
static bool running; /* a line is waiting for, or in, the top level */

int shell_err(const char *what, int err, const char *fmt, ...)
{
	va_list ap;
	printf("error: %s: %s: ", what, errno_name(err));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return err < 0 ? err : -err;
}

int shell_usage(const char *fmt, ...)
{
	va_list ap;
	printf("error: usage: EINVAL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return -EINVAL;
}

int parse_u64(const char *s, uint64_t *v)
{
	int base = 10;
	char *end;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* strtoull would also take spaces, signs and a bare "0x" */
	if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
		return -EINVAL;
	errno = 0;
	unsigned long long r = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*v = r;
	return 0;
}

int shell_exec(char *l)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	for (char *tok = strtok(l, " \t"); tok; tok = strtok(NULL, " \t")) {
		if (argc == MAX_ARGS)
			return shell_usage("more than %d words", MAX_ARGS);
		argv[argc++] = tok;
	}
	argv[argc] = NULL;
	if (!argc)
		return 0;
	for (int i = 0; i < shell_ncmds; i++)
		if (!strcmp(argv[0], shell_cmds[i].name))
			return shell_cmds[i].fn(argc, argv);
	return shell_usage("unknown command '%s'", argv[0]);
}

/* A command runs at the top of the main loop, not inside the shell's
 * poller: commands wait (for a disk, a reply), and only the top level may. */
static void run_line(void *arg)
{
	(void)arg;
	shell_exec(line);
	len = 0;
	printf(PROMPT);
	running = false;
}

/* One byte of input: edit the line, or run it on Enter. */
static void input(int c)
{
	if (c == '\n' && last_cr) { /* \r\n from a terminal: one Enter */
		last_cr = 0;
		return;
	}
	last_cr = c == '\r';
	if (c == '\r' || c == '\n') {
		printf("\n");
		line[len] = 0;
		running = true;
		poll_toplevel(run_line, NULL); /* the only job the shell queues: never full */
	} else if (c == 0x7f || c == '\b') {
		if (len) {
			len--;
			printf("\b \b");
		}
	} else if (c == 0x15) { /* ^U: erase the line */
		while (len) {
			len--;
			printf("\b \b");
		}
	} else if (c >= ' ' && c < 0x7f) {
		if (len < LINE_MAX - 1) {
			line[len++] = (char)c;
			putchar(c);
		} else {
			putchar('\a'); /* full: the byte is refused, audibly */
		}
	}
}

static int shell_poll(void *arg)
{
	(void)arg;
	int c, n = 0;
	/* what is typed while a command runs waits in the console's buffer */
	while (!running && (c = console_getc()) >= 0) {
		input(c);
		n++;
	}
	return n;
}

void shell_start(void)
{
	printf(PROMPT);
	poll_register(shell_poll, NULL, "shell");
}
