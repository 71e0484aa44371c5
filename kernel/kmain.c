/* kmain.c - bring the machine up in order, print the ready line, run the main loop. */
#include "apps/services.h"
#include "apps/shell.h"
#include "drivers/inspect.h"
#include "drivers/pci/pci.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/dma.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include <stdio.h>

void kmain(uint32_t magic, uint32_t info);
void crash_page_fault(void);

void kmain(uint32_t magic, uint32_t info)
{
	console_init();
	cpu_init();
	boot_info_parse(magic, info);
	kprintf("\nringside %s build %s, loaded by %s\n", RINGSIDE_VERSION, RINGSIDE_BUILD_ID,
		boot_info_data.loader);
	time_init();
	mm_init();
	paging_protect();
	setvbuf(stdout, NULL, _IONBF, 0); /* the console is the only output */
	kprintf("time: TSC %llu kHz (%s)\n", (unsigned long long)(tsc_hz() / 1000), time_source());
	kprintf("cmdline: %s\n", boot_info_data.cmdline);
	cmdline_parse(boot_info_data.cmdline);
	acpi_init();
	apic_init();
	console_enable_irq();
	kprintf("console: COM1 input by interrupt: %s\n", console_irq_enabled() ? "yes" : "no");
	acpi_power_init();
	dma_init((enum dma_iommu_mode)kconfig.iommu); /* before any device is probed */

	if (kconfig.trace)
		vdev_trace((unsigned)kconfig.trace, NULL);
	pci_init();
	services_start();

	if (kconfig.crash[0])
		crash_page_fault();

	uint64_t boot_us = tsc_to_ns(rdtsc() - boot_tsc) / 1000;
	printf("ringside: ready boot_us=%llu mode=%s\n", (unsigned long long)boot_us,
	       io_mode_name(kconfig.mode));
	if (kconfig.shell)
		shell_start();
	main_loop();
}
