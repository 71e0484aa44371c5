/* commands.c - the shell's command table: one line per command, kept sorted. */
#include "apps/cmds.h"
#include "apps/shell.h"

const struct shell_cmd shell_cmds[] = {
	{ "bench", cmd_bench, "bench blk DEV [rw=] [bs=] [qd=] [secs=] [queue=]: IOPS, MB/s, latency" },
	{ "blk", cmd_blk, "blk DEV info|sha256 LBA COUNT|fill LBA COUNT BYTE|discard|zero LBA COUNT|flush" },
	{ "boot", cmd_boot, "boot [-v]: time to the ready line; -v adds each step of the boot" },
	{ "crash", cmd_crash, "crash [pf|ud|null|wx|nx|stack]: fault on purpose, to see the exception dump" },
	{ "edu", cmd_edu, "edu [msi|intx] [raise N]: interrupts from QEMU's edu device, counted" },
	{ "help", cmd_help, "help: this list" },
	{ "iommu", cmd_iommu,
	  "iommu [test blkN [sectors] | test rngN]: IOMMU units, domains, mappings, faults; fault tests" },
	{ "irq", cmd_irq, "irq: interrupt vectors with their owner, route and count" },
	{ "lspci", cmd_lspci, "lspci [-v]: PCI functions; -v adds BARs and capabilities" },
	{ "mem", cmd_mem, "mem: RAM, free pages and heap use" },
	{ "mode", cmd_mode, "mode DEV poll|irq|hybrid: how the device's queues are serviced" },
	{ "net", cmd_net, "net [DEV] [-v]: interface address, link and counters; -v adds drops by reason" },
	{ "ping", cmd_ping, "ping A.B.C.D [COUNT]: ICMP echo from the guest" },
	{ "poweroff", cmd_poweroff, "poweroff [N]: flush every disk, exit QEMU with status 2N+1" },
	{ "prof", cmd_prof, "prof on [PERIOD_US]|off|show [N]: where the CPU is, sampled, by function" },
	{ "rng", cmd_rng, "rng DEV N: N random bytes from a virtio-rng device, in hex" },
	{ "sleep", cmd_sleep, "sleep MS: sleep in hlt; prints the time slept and the ticks counted" },
	{ "stats", cmd_stats, "stats [DEV] [-v]: per-queue counters; -v adds them per request" },
	{ "trace", cmd_trace,
	  "trace on|ring|off [DEV]: ring events as console lines, or as records to replay (ringview)" },
	{ "uptime", cmd_uptime, "uptime: time since boot" },
	{ "version", cmd_version, "version: ringside VERSION build BUILD_ID" },
	{ "virtio", cmd_virtio, "virtio: every virtio device, transport, ring, mode and features" },
	{ "vq", cmd_vq, "vq DEV Q: one queue's indices and in-flight chains" },
};
const int shell_ncmds = sizeof shell_cmds / sizeof shell_cmds[0];
