/* virtio_mmio_find.c - where the virtio-mmio transports are: the DSDT, the command line, or microvm's slots. */
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"

/*
 * Unlike PCI, MMIO has no discovery of its own (virtio 1.2 §4.2.1): the
 * platform says where each transport is. In order, the first that says
 * anything is believed:
 * 1. ACPI: each transport with a device is a DSDT device with _HID
 *    LNRO0005 and its registers and interrupt in _CRS (kernel/acpi_aml.c).
 * 2. The command line: virtio_mmio.device=SIZE@ADDR:GSI, Linux's syntax.
 *    QEMU appends these only for kernels it boots as Linux or PVH; a
 *    multiboot kernel gets them from whoever writes its command line.
 * 3. Neither (QEMU's microvm with acpi=off), and no PCI: microvm's fixed
 *    slots, probed for the magic value. hw/i386/microvm.c places them at
 *    0xfeb00000, 512 bytes apart, wired to GSI 5 and up (8 slots) on the
 *    one IOAPIC; with its second IOAPIC (only with ACPI) to GSI 24 and up
 *    (24 slots). Its lines are level-triggered, active high.
 */
#define MICROVM_MMIO_BASE 0xfeb00000ull
#define MICROVM_MMIO_SIZE 512u
#define MICROVM_GSI_ONE   5  /* one IOAPIC: slots 0-7 on GSI 5-12 */
#define MICROVM_GSI_TWO   24 /* two: slots 0-23 on the second's GSI 24-47 */

void virtio_mmio_init(void)
{
	struct virtio_mmio_dev w;
	int found = 0;

	/* In the DSDT's order, which on microvm is that of QEMU's command line
	 * (the first device in the last slot, listed first): blk0 is the
	 * first disk given, as on PCI. */
	for (int i = 0; i < acpi.nmmio; i++) {
		const struct acpi_mmio *m = &acpi.mmio[i];
		w = (struct virtio_mmio_dev){ m->base, m->size, m->gsi,
					      (m->level ? GSI_LEVEL : 0) | (m->low ? GSI_LOW : 0), "ACPI" };
		found += virtio_mmio_probe(&w, false) == 0;
	}
	if (acpi.nmmio)
		return;
	for (int i = 0; i < kconfig.nmmio; i++) {
		const struct kconfig_mmio *m = &kconfig.mmio[i];
		w = (struct virtio_mmio_dev){ m->base, m->size, m->gsi, GSI_LEVEL | GSI_HIGH,
					      "the command line" };
		found += virtio_mmio_probe(&w, false) == 0;
	}
	if (kconfig.nmmio || pci_present)
		return;
	bool two = acpi.nioapics > 1;
	int slots = two ? 24 : 8;
	for (int i = slots - 1; i >= 0; i--) {
		w = (struct virtio_mmio_dev){ MICROVM_MMIO_BASE + (uint64_t)i * MICROVM_MMIO_SIZE,
					      MICROVM_MMIO_SIZE,
					      (uint32_t)((two ? MICROVM_GSI_TWO : MICROVM_GSI_ONE) + i),
					      GSI_LEVEL | GSI_HIGH, "microvm's slots" };
		found += virtio_mmio_probe(&w, true) == 0;
	}
	log_info("virtio-mmio: no ACPI or command line description; %d devices in microvm's %d slots\n",
		 found, slots);
}
