/* shell.h - the serial shell: the command table, argument parsing, error lines. */
#ifndef APPS_SHELL_H
#define APPS_SHELL_H
#include <stdint.h>

struct shell_cmd {
	const char *name;
	int (*fn)(int argc, char **argv); /* 0, or a negative errno it already reported */
	const char *usage;                /* one line for help */
};

/* apps/commands.c: the one table every command is listed in. */
extern const struct shell_cmd shell_cmds[];
extern const int shell_ncmds;

void shell_start(void);     /* prints the prompt and starts reading the console */
int shell_exec(char *line); /* runs one line; what the command returned */

/* `error: WHAT: ERRNO: text`; returns err (negative) for `return shell_err(...)`. */
int shell_err(const char *what, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* `error: usage: EINVAL: text` */
int shell_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Decimal, or hexadecimal after 0x; the whole word, no overflow. 0 or -EINVAL. */
int parse_u64(const char *s, uint64_t *v);
#endif
