/* cmds.h - every shell command's entry point; apps/commands.c lists them. */
#ifndef APPS_CMDS_H
#define APPS_CMDS_H
#include <stdint.h>

/* apps/cmd_sys.c */
int cmd_boot(int argc, char **argv);
int cmd_crash(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_mem(int argc, char **argv);
int cmd_poweroff(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_version(int argc, char **argv);
/* apps/cmd_prof.c; prof_report: top functions, and per request when requests > 0 */
int cmd_prof(int argc, char **argv);
int prof_begin(uint64_t period_us);
int prof_report(int top, uint64_t requests, uint64_t elapsed_ns);
/* apps/cmd_pci.c */
int cmd_edu(int argc, char **argv);
int cmd_lspci(int argc, char **argv);

/* apps/cmd_irq.c */
int cmd_irq(int argc, char **argv);
int cmd_sleep(int argc, char **argv);
/* apps/cmd_virtio.c */
int cmd_mode(int argc, char **argv);
int cmd_rng(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_virtio(int argc, char **argv);
int cmd_vq(int argc, char **argv);
/* apps/cmd_blk.c, apps/bench.c */
int cmd_blk(int argc, char **argv);
int cmd_bench(int argc, char **argv);
/* apps/cmd_net.c */
int cmd_net(int argc, char **argv);
int cmd_ping(int argc, char **argv);
/* apps/cmd_iommu.c */
int cmd_iommu(int argc, char **argv);
#endif
