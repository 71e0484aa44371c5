/* kmain.c - bring the machine up in order, print the ready line, run the main loop. */
#include "apps/services.h"
#include "apps/shell.h"
#include "drivers/inspect.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/boot_info.h"
#include "kernel/boot_phase.h"
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
	boot_phase("entry"); /* boot/boot.S: .bss cleared, page tables, long mode */
	console_init();
	cpu_init();
	boot_info_parse(magic, info);
	kprintf("\nringside %s build %s, loaded by %s\n", RINGSIDE_VERSION, RINGSIDE_BUILD_ID,
		boot_info_data.loader);
	cmdline_parse(boot_info_data.cmdline); /* first: `quiet` holds from here */
	log_quiet = kconfig.quiet;
	log_info("cmdline: %s\n", boot_info_data.cmdline);
	boot_phase("cpu");
	mm_init();
	boot_phase("mm");
	paging_protect();
	boot_phase("paging");
	acpi_init();
	boot_phase("acpi");
	time_init(); /* after ACPI: the PM timer and the HPET are found there */
	boot_phase("time");
	apic_init();
	boot_phase("apic");
	console_enable_irq();
	log_info("console: COM1 input by interrupt: %s\n", console_irq_enabled() ? "yes" : "no");
	acpi_power_init();
	dma_init((enum dma_iommu_mode)kconfig.iommu); /* before any device is probed */
	boot_phase("irq,dma");

	if (kconfig.trace)
		vdev_trace((unsigned)kconfig.trace, NULL);
	pci_init();
	boot_phase("pci");
	virtio_mmio_init(); /* the devices PCI cannot find: microvm's */
	boot_phase("virtio-mmio");
	time_refine(); /* before the APIC timer's rate, which is counted in TSC time */
	log_info("time: TSC %llu kHz (%s)\n", (unsigned long long)(tsc_hz() / 1000), time_source());
	apic_timer_start(); /* before the services, which may sleep waiting for DHCP */
	boot_phase("timer");
	services_start();
	boot_phase("services");

	if (kconfig.crash[0])
		crash_page_fault();

	uint64_t boot_us = boot_ready();
	log_quiet = 0;
	/* kprintf, whose formatting the boot has run already: newlib's printf is
	 * other code, which TCG would translate before the line could go out */
	kprintf("ringside: ready boot_us=%llu mode=%s\n", (unsigned long long)boot_us,
		io_mode_name(kconfig.mode));
	console_flush(); /* the boot's lines, queued, reach the UART now: `boot` says when */
	boot_console_drained();
	/* The shell's printf (newlib's stdio) straight to the console. Here,
	 * not earlier: stdio's first use sets up its streams, 0.2 ms under
	 * TCG, and nothing before the shell prints through it. */
	setvbuf(stdout, NULL, _IONBF, 0);
	if (kconfig.shell)
		shell_start();
	main_loop();
}
