/* cmd_irq.c - shell commands about interrupts and the timer: irq, sleep. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/time.h"
#include "kernel/trap.h"
#include <stdio.h>

int cmd_irq(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return shell_usage("irq");
	printf("vector owner            count      route\n");
	for (int v = IRQ_VECTOR_FIRST; v <= 0xff; v++) {
		const struct irq_info *i = irq_info(v);
		if (!i)
			continue;
		unsigned mode;
		int gsi = apic_vector_gsi(v, &mode);
		char route[48];
		if (gsi >= 0)
			snprintf(route, sizeof route, "gsi %d %s %s", gsi,
				 mode & GSI_LEVEL ? "level" : "edge", mode & GSI_LOW ? "low" : "high");
		else
			snprintf(route, sizeof route, "%s", v == APIC_TIMER_VECTOR ? "lapic" : "msi");
		printf("0x%02x   %-16s %-10llu %s\n", v, i->owner ? i->owner : "?",
		       (unsigned long long)i->count, route);
	}
	return 0;
}

int cmd_sleep(int argc, char **argv)
{
	uint64_t ms;
	if (argc != 2 || parse_u64(argv[1], &ms) || ms > 60000)
		return shell_usage("sleep MS, MS up to 60000");
	uint64_t t0 = rdtsc(), k0 = apic_ticks;
	sleep_us(ms * 1000);
	uint64_t k1 = apic_ticks, t1 = rdtsc();
	printf("slept_us=%llu ticks=%llu hz=%d\n", (unsigned long long)(tsc_to_ns(t1 - t0) / 1000),
	       (unsigned long long)(k1 - k0), APIC_TICK_HZ);
	return 0;
}
