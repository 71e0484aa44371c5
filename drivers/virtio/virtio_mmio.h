/* virtio_mmio.h - virtio-mmio devices: where one is, and the probe that hands it to the virtio core. */
#ifndef DRIVERS_VIRTIO_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_VIRTIO_MMIO_H
#include <stdbool.h>
#include <stdint.h>

/* A register block and its interrupt, as the platform describes them. */
struct virtio_mmio_dev {
	uint64_t base, size;
	uint32_t gsi;
	unsigned irq_mode;    /* GSI_LEVEL, GSI_LOW (kernel/apic.h) */
	const char *found_by; /* "ACPI", "the command line", "microvm's slots" */
};

/* Checks the magic and version, skips an empty slot (device id 0), and runs
 * the virtio handshake with the driver for the device's type. 0, or a
 * negative errno (-ENODEV: nothing there; quiet: say nothing of that). */
int virtio_mmio_probe(const struct virtio_mmio_dev *w, bool quiet);

/* Finds the transports (virtio_mmio_find.c): the DSDT, else virtio_mmio.device=
 * on the command line, else microvm's fixed slots when there is no PCI. */
void virtio_mmio_init(void);
#endif
