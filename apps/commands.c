/* commands.c - the shell's command table: one line per command, kept sorted. */
#include "apps/cmds.h"
#include "apps/shell.h"

const struct shell_cmd shell_cmds[] = {
	{ "crash", cmd_crash, "crash [pf|ud]: fault on purpose, to see the exception dump" },
	{ "help", cmd_help, "help: this list" },
	{ "lspci", cmd_lspci, "lspci [-v]: PCI functions; -v adds BARs and capabilities" },
	{ "irq", cmd_irq, "irq: interrupt vectors with their owner, route and count" },
	{ "mem", cmd_mem, "mem: RAM, free pages and heap use" },
	{ "poweroff", cmd_poweroff, "poweroff [N]: flush every disk, exit QEMU with status 2N+1" },
	{ "sleep", cmd_sleep, "sleep MS: sleep in hlt; prints the time slept and the ticks counted" },
	{ "uptime", cmd_uptime, "uptime: time since boot" },
	{ "version", cmd_version, "version: ringside VERSION build BUILD_ID" },
};
const int shell_ncmds = sizeof shell_cmds / sizeof shell_cmds[0];
