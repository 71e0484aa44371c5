/* cmd_sys.c - shell commands about the system itself: help, version, uptime, boot, poweroff, crash. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "kernel/apic.h"
#include "kernel/boot_info.h"
#include "kernel/boot_phase.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/power.h"
#include "kernel/time.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (int i = 0; i < shell_ncmds; i++)
		printf("  %-10s %s\n", shell_cmds[i].name, shell_cmds[i].usage);
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("ringside %s build %s\n", RINGSIDE_VERSION, RINGSIDE_BUILD_ID);
	return 0;
}

int cmd_uptime(int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t ns = now_ns();
	uint64_t ticks = apic_ticks;
	printf("up %llu.%06llu s ticks=%llu hz=%d\n", (unsigned long long)(ns / 1000000000),
	       (unsigned long long)(ns % 1000000000 / 1000), (unsigned long long)ticks, APIC_TICK_HZ);
	return 0;
}

static unsigned long long tsc_us(uint64_t ticks) { return (unsigned long long)(tsc_to_ns(ticks) / 1000); }

/* The boot's record (kernel/boot_phase.c): when ready, what the console
 * took, and with -v one line per step, from the first instruction on. */
int cmd_boot(int argc, char **argv)
{
	bool verbose = argc == 2 && !strcmp(argv[1], "-v");
	if (argc > 2 || (argc == 2 && !verbose))
		return shell_usage("boot [-v]");
	struct boot_record r;
	boot_record(&r);
	printf("boot_us=%llu drained_us=%llu console_bytes=%llu quiet=%d\n", tsc_us(r.ready_tsc - boot_tsc),
	       r.drained_tsc ? tsc_us(r.drained_tsc - boot_tsc) : 0, (unsigned long long)r.console_bytes,
	       kconfig.quiet);
	if (!verbose)
		return 0;
	uint64_t start = boot_tsc, console = 0;
	for (int i = 0; i < r.nphases; i++) {
		const struct boot_phase *p = &r.phases[i];
		printf("  %-12s %7llu us  (UART %llu us)  ends at %llu us\n", p->name,
		       tsc_us(p->end_tsc - start), tsc_us(p->console_tsc - console),
		       tsc_us(p->end_tsc - boot_tsc));
		start = p->end_tsc, console = p->console_tsc;
	}
	if (r.drained_tsc)
		printf("  %-12s %7llu us  (UART %llu us)  ends at %llu us\n", "console",
		       tsc_us(r.drained_tsc - start), tsc_us(r.drained_tsc - start),
		       tsc_us(r.drained_tsc - boot_tsc));
	return 0;
}

int cmd_mem(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct mm_stats s;
	mm_stats(&s);
	printf("ram=%llu KiB pages=%llu free_pages=%llu heap=%llu KiB heap_used=%llu KiB\n",
	       (unsigned long long)(s.ram_bytes >> 10), (unsigned long long)s.pages_total,
	       (unsigned long long)s.pages_free, (unsigned long long)(s.heap_bytes >> 10),
	       (unsigned long long)(s.heap_used >> 10));
	return 0;
}

int cmd_poweroff(int argc, char **argv)
{
	uint64_t code = 0;
	if (argc > 2 || (argc == 2 && (parse_u64(argv[1], &code) || code > 127)))
		return shell_usage("poweroff [N], N from 0 to 127");
	fflush(stdout);
	power_off((int)code);
}

/* Faults on purpose, to show (and test) the exception dump. Not static and
 * not inlined, so the dump names it. */
__attribute__((noinline)) void crash_page_fault(void);
__attribute__((noinline)) void crash_page_fault(void)
{
	/* Canonical, above the 512 GiB that PML4 entry 0 covers, never mapped. */
	volatile uint64_t *p = (volatile uint64_t *)0xdead000000ull;
	*p = 0x5a;
}

__attribute__((noinline)) void crash_invalid_opcode(void);
__attribute__((noinline)) void crash_invalid_opcode(void) { __asm__ volatile("ud2"); }

/* The protections of kernel/paging.c, each shown failing on purpose. */
__attribute__((noinline)) void crash_null(void);
__attribute__((noinline)) void crash_null(void)
{
	volatile uint32_t *p = NULL;
	__asm__ volatile("" : "+r"(p)); /* a NULL the compiler cannot see */
	(void)*p;
}

__attribute__((noinline)) void crash_write_code(void);
__attribute__((noinline)) void crash_write_code(void)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)crash_write_code;
	*p = 0xc3;
}

__attribute__((noinline)) void crash_exec_data(void);
__attribute__((noinline)) void crash_exec_data(void)
{
	static uint8_t ret = 0xc3; /* a `ret`, in .data */
	void (*volatile f)(void) = (void (*)(void))(uintptr_t)&ret;
	f();
}

__attribute__((noinline)) int crash_recurse(volatile int depth);
__attribute__((noinline)) int crash_recurse(volatile int depth)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	if (depth > 1 << 20)
		return 0;                           /* 512 MiB of stack: never reached, the guard page is */
	return crash_recurse(depth + 1) + frame[0]; /* not a tail call: every frame stays */
}

int cmd_crash(int argc, char **argv)
{
	static const char *const kinds[] = { "pf", "ud", "null", "wx", "nx", "stack" };
	const char *what = argc > 1 ? argv[1] : "pf";
	int k = 0;
	while (k < 6 && strcmp(what, kinds[k]))
		k++;
	if (argc > 2 || k == 6)
		return shell_usage("crash [pf|ud|null|wx|nx|stack]");
	fflush(stdout);
	switch (k) {
	case 1:
		crash_invalid_opcode();
		break;
	case 2:
		crash_null();
		break;
	case 3:
		crash_write_code();
		break;
	case 4:
		crash_exec_data();
		break;
	case 5:
		crash_recurse(0);
		break;
	default:
		crash_page_fault();
	}
	return 0;
}
