/* fuzz_virtio_pci.c - libFuzzer: virtio_pci.c's parsing of what a PCI function says about itself
 * (capability lists, BARs, MSI-X, queue sizes and counts, notify offsets, config space), over the fake
 * function of tests/sim/sim_pci.c; a virtio-rng behind it is driven when the probe takes it. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kernel logging, silenced: the fuzzer provokes errors on purpose. */
#define KERNEL_LOG_H
static int fuzz_logs;
static bool rings_kept; /* a refused device whose reset never finished keeps its rings, by design */
__attribute__((format(printf, 1, 2))) static int kprintf(const char *fmt, ...)
{
	fuzz_logs++;
	rings_kept |= strstr(fmt, "its rings stay its own") != NULL;
	return 0;
}

/* Those rings are never freed (the device may still write them), and nothing points at them once
 * the transport has freed the device: not a leak to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:vq_create\n"; }
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf(__VA_ARGS__)
#define log_err(...)  kprintf(__VA_ARGS__)
#define panic(...)    (kprintf(__VA_ARGS__), abort())

#include "tests/sim/sim_pci.c"

#include "tests/fuzz/fuzz_input.h"

/* Where the input may write in config space: the capability pointer and the status bit
 * that says there is a list, the 192 bytes of capabilities, and a little past them. */
static unsigned cfg_offset(unsigned b)
{
	if (b < 4)
		return b < 2 ? PCI_CAP_PTR : PCI_STATUS;
	return 0x40 + (b - 4) % 0xd0; /* 0x40..0x10f */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned cfg = byte(&in);
	rings_kept = false;
	sim_dma_low = true; /* legacy devices take 32-bit page numbers */
	unplug();
	next_vector = 0x30;
	memset(vectors, 0, sizeof vectors);
	intx_vector = 0;
	lay = cfg & 1 ? (struct layout){ .msix_vectors = 2, .io_bar = true } : modern;
	lay.io_bar |= (cfg & 2) != 0;
	lay.msix_vectors = cfg & 4 ? byte(&in) % 6 : lay.msix_vectors;
	bool transitional = cfg & 8;
	struct pci_dev *d = transitional ? fresh(0x1005, VIRTIO_ID_RNG, BIT(VIRTIO_F_VERSION_1))
					 : fresh(0x1044, 0, BIT(VIRTIO_F_VERSION_1));
	kconfig.mode = cfg & 16 ? IO_MODE_POLL : IO_MODE_HYBRID;
	if (cfg & 32)
		dev.offered |= BIT(VIRTIO_F_RING_PACKED) | BIT(VIRTIO_F_EVENT_IDX);

	/* What the function says about itself, changed by the input. */
	for (unsigned n = byte(&in) % 24; n; n--) {
		unsigned off = cfg_offset(byte(&in));
		space[off] = (uint8_t)byte(&in);
	}
	for (unsigned n = byte(&in) % 4; n; n--) { /* BARs: type, size, where */
		unsigned b = byte(&in) % 6, what = byte(&in);
		struct pci_bar *bar = &d->bar[b];
		if (what & 1)
			bar->type = (enum pci_bar_type)(byte(&in) % 4);
		if (what & 2)
			bar->size = (uint64_t)word(&in) << (byte(&in) % 20);
		if (what & 4)
			bar->addr = what & 8 ? BAR4_ADDR + word(&in) : BAR1_ADDR;
	}
	for (unsigned n = byte(&in) % 4; n; n--) { /* the registers behind: per queue */
		unsigned q = byte(&in) % 3, what = byte(&in);
		if (what & 1)
			dev.q[q].max = word(&in);
		if (what & 2)
			reg.qnotify_off[q] = (uint16_t)word(&in);
	}
	unsigned devbits = byte(&in);
	dev.nqueues = devbits & 1 ? devbits >> 1 & 3 : 1;
	dev.bad = (devbits >> 3) & (SIM_BAD(SIM_GENERATION_CHURN) | SIM_BAD(SIM_REFUSE_VECTORS) |
				    SIM_BAD(SIM_REFUSE_QUEUE_VECTOR));
	/* slow resets, within the bound: one past it keeps its rings for good (by design: the
	 * device may still write them), which the unit tests check */
	dev.reset_reads = devbits & 0x80 ? byte(&in) % 64 : 0;
	dev.legacy = !transitional ? false : !(cfg & 64);
	/* As enumeration finds them (drivers/pci/pci.c) */
	d->msix.cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	d->msix.nvec = d->msix.cap ? (uint16_t)((cfg16(d->msix.cap + 2u) & 0x7ff) + 1) : 0;

	int r = virtio_pci_probe(d);
	if (r) { /* refused: nothing of it stays (no device, no vector, no memory but kept rings) */
		ENSURE(virtio_devices == NULL);
		for (int v = first_vector; v < next_vector; v++)
			ENSURE(vectors[v].fn == NULL);
		ENSURE(sim_dma_live() == live_before || rings_kept);
	} else {
		struct virtio_dev *vd = virtio_devices;
		struct vp *vp = vd->transport;
		/* what it maps lies inside the BARs it came from */
		if (vp->common)
			ENSURE((const uint8_t *)vp->common >= bar4 &&
			       (const uint8_t *)(vp->common + 1) <= bar4 + sizeof bar4);
		for (unsigned q = 0; q < vd->nqueues; q++)
			if (vp->notify[q])
				ENSURE((const uint8_t *)vp->notify[q] >= bar4 &&
				       (const uint8_t *)vp->notify[q] + 2 <= bar4 + sizeof bar4);
		for (unsigned n = byte(&in) % 4; n; n--) {
			size_t len = vd->ops->config_size(vd);
			unsigned off = word(&in) % (len + 8 + 1);
			static const int widths[] = { 1, 2, 4, 8 };
			vd->ops->read_config(vd, off, widths[byte(&in) % 4]);
		}
		if (byte(&in) & 1) {
			int got = rng_read(1 + byte(&in) % 32);
			ENSURE(got != -1000); /* what it returns is what the device wrote */
		}
	}
	/* With its registers moved about by the input, the device may read back a status it was
	 * never given, so the order of §3.1.1 is the unit tests' to check; rings freed while the
	 * device holds them are a fault whatever the device said. */
	ENSURE(!strstr(dev.err, "freed while the device holds them"));
	unplug();
	ENSURE(sim_dma_live() == live_before || rings_kept); /* kept rings of earlier inputs stay */
	return 0;
}
