/* virtio_pci.c - the virtio-pci transport: modern (capabilities in BARs) and legacy (I/O BAR 0). */
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include "kernel/trap.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* virtio 1.2 §4.1.4: vendor capabilities that locate each structure. */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG    3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

struct virtio_pci_cap {
	uint8_t cap_vndr, cap_next, cap_len, cfg_type, bar, id, padding[2];
	uint32_t offset, length; /* within the BAR; little-endian, as x86 is */
};
_Static_assert(sizeof(struct virtio_pci_cap) == 16, "virtio 1.2 §4.1.4");

/* virtio 1.2 §4.1.4.3: the common configuration structure. */
struct virtio_pci_common_cfg {
	uint32_t device_feature_select, device_feature;
	uint32_t driver_feature_select, driver_feature;
	uint16_t config_msix_vector, num_queues;
	uint8_t device_status, config_generation;
	uint16_t queue_select, queue_size, queue_msix_vector, queue_enable, queue_notify_off;
	uint64_t queue_desc, queue_driver, queue_device;
};
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 0x38, "virtio 1.2 §4.1.4.3");

#define VIRTIO_MSI_NO_VECTOR 0xffff

/* virtio 1.2 §4.1.4.8: the legacy I/O BAR. */
#define LEGACY_HOST_FEATURES  0x00
#define LEGACY_GUEST_FEATURES 0x04
#define LEGACY_QUEUE_PFN      0x08
#define LEGACY_QUEUE_SIZE     0x0c
#define LEGACY_QUEUE_SELECT   0x0e
#define LEGACY_QUEUE_NOTIFY   0x10
#define LEGACY_STATUS         0x12
#define LEGACY_ISR            0x13
#define LEGACY_CONFIG_VECTOR  0x14 /* with MSI-X enabled only */
#define LEGACY_QUEUE_VECTOR   0x16
#define LEGACY_CONFIG(msix)   ((msix) ? 0x18 : 0x14)

struct vp {
	struct pci_dev *pci;
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *notify_base, *isr, *device;
	uint32_t notify_len, notify_mult, device_len;
	uint16_t io; /* legacy: the I/O BAR */
	volatile uint16_t *notify[VIRTIO_MAX_QUEUES];
	/* interrupts: MSI-X entry 0 for config changes, one per queue, or INTx */
	bool msix;
	int queue_entry[VIRTIO_MAX_QUEUES]; /* MSI-X entry of each queue */
	int intx_vector;
	struct irq_arg {
		struct virtio_dev *vd;
		int q; /* -1: config; -2: every queue (shared or INTx) */
	} args[VIRTIO_MAX_QUEUES + 2];
	int vectors[VIRTIO_MAX_QUEUES + 2]; /* by MSI-X entry */
	int nvectors;
};

#define COMMON(vp, field) (&(vp)->common->field)

static void config_unstable(struct virtio_dev *vd, unsigned off)
{
	if (!vd->config_error)
		log_err("virtio %s: config at 0x%x reads differently every time; giving up on it\n", vd->name,
			off);
	vd->config_error = -EIO;
}

/* -- modern ------------------------------------------------------------------ */

/* §4.1.4.3.2: the reset is done when the status reads back 0; a device
 * that never gets there is given up after VIRTIO_DEVICE_WAIT_NS. */
static int wait_status_zero(struct virtio_dev *vd, uint8_t (*get)(struct virtio_dev *))
{
	uint64_t deadline = now_ns() + VIRTIO_DEVICE_WAIT_NS;
	while (get(vd))
		if (now_ns() > deadline)
			return -ETIMEDOUT;
		else
			cpu_relax();
	return 0;
}

static uint8_t m_get_status(struct virtio_dev *vd);
static int m_reset(struct virtio_dev *vd)
{
	struct vp *vp = vd->transport;
	mmio_write8(COMMON(vp, device_status), 0);
	return wait_status_zero(vd, m_get_status);
}

static uint8_t m_get_status(struct virtio_dev *vd)
{
	return mmio_read8(COMMON((struct vp *)vd->transport, device_status));
}

static void m_set_status(struct virtio_dev *vd, uint8_t s)
{
	mmio_write8(COMMON((struct vp *)vd->transport, device_status), s);
}

static uint64_t m_get_features(struct virtio_dev *vd)
{
	struct vp *vp = vd->transport;
	mmio_write32(COMMON(vp, device_feature_select), 0);
	uint64_t lo = mmio_read32(COMMON(vp, device_feature));
	mmio_write32(COMMON(vp, device_feature_select), 1);
	return lo | (uint64_t)mmio_read32(COMMON(vp, device_feature)) << 32;
}

static void m_set_features(struct virtio_dev *vd, uint64_t f)
{
	struct vp *vp = vd->transport;
	mmio_write32(COMMON(vp, driver_feature_select), 0);
	mmio_write32(COMMON(vp, driver_feature), (uint32_t)f);
	mmio_write32(COMMON(vp, driver_feature_select), 1);
	mmio_write32(COMMON(vp, driver_feature), (uint32_t)(f >> 32));
}

static uint32_t m_generation(struct virtio_dev *vd)
{
	return mmio_read8(COMMON((struct vp *)vd->transport, config_generation));
}

static size_t m_config_size(struct virtio_dev *vd) { return ((struct vp *)vd->transport)->device_len; }

/* Reads of fields wider than 32 bits may tear: retry until the generation
 * count is the same before and after (§2.5.1, §4.1.4.3.1). */
static uint64_t m_read_config(struct virtio_dev *vd, unsigned off, int width)
{
	struct vp *vp = vd->transport;
	uint64_t v;
	uint32_t gen;
	if (!vp->device || off + (unsigned)width > vp->device_len)
		return 0;
	for (int tries = 0;; tries++) {
		gen = m_generation(vd);
		v = mmio_read_width(vp->device + off, width);
		if (gen == m_generation(vd))
			return v;
		if (tries == VIRTIO_CONFIG_TRIES) { /* it changes on every read: not a device to trust */
			config_unstable(vd, off);
			return v;
		}
	}
}

static void m_write_config(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	struct vp *vp = vd->transport;
	if (vp->device && off + (unsigned)width <= vp->device_len)
		mmio_write_width(vp->device + off, width, v);
}

static unsigned m_max_queues(struct virtio_dev *vd)
{
	return mmio_read16(COMMON((struct vp *)vd->transport, num_queues));
}

static unsigned m_queue_max(struct virtio_dev *vd, unsigned q)
{
	struct vp *vp = vd->transport;
	if (q >= m_max_queues(vd) || q >= VIRTIO_MAX_QUEUES)
		return 0;
	mmio_write16(COMMON(vp, queue_select), (uint16_t)q);
	unsigned n = mmio_read16(COMMON(vp, queue_size));
	return n > 32768 ? 0 : n; /* device-written: the spec's largest is 32768 */
}

static void write64(volatile uint64_t *p, uint64_t v)
{
	/* §4.1.3.1: 64-bit fields may be written as two 32-bit halves */
	mmio_write32((volatile uint32_t *)p, (uint32_t)v);
	mmio_write32((volatile uint32_t *)p + 1, (uint32_t)(v >> 32));
}

/* §4.1.5.1.3: select, size, vector, addresses, enable. */
static int m_queue_activate(struct virtio_dev *vd, unsigned q, struct virtqueue *vq)
{
	struct vp *vp = vd->transport;
	int entry = vp->queue_entry[q];
	mmio_write16(COMMON(vp, queue_select), (uint16_t)q);
	mmio_write16(COMMON(vp, queue_size), (uint16_t)vq_size(vq));
	if (vp->msix) {
		mmio_write16(COMMON(vp, queue_msix_vector), (uint16_t)entry);
		if (mmio_read16(COMMON(vp, queue_msix_vector)) != (uint16_t)entry) {
			log_err("virtio %s: queue %u refused MSI-X entry %d\n", vd->name, q, entry);
			return -EIO;
		}
	}
	write64(COMMON(vp, queue_desc), vq_desc_addr(vq));
	write64(COMMON(vp, queue_driver), vq_driver_addr(vq));
	write64(COMMON(vp, queue_device), vq_device_addr(vq));
	/* §4.1.4.4: the doorbell is at cap.offset + queue_notify_off * multiplier */
	uint64_t off = (uint64_t)mmio_read16(COMMON(vp, queue_notify_off)) * vp->notify_mult;
	if (off + 2 > vp->notify_len) {
		log_err("virtio %s: queue %u notify offset 0x%llx is outside the notify region\n", vd->name,
			q, (unsigned long long)off);
		return -EIO;
	}
	vp->notify[q] = (volatile uint16_t *)(vp->notify_base + off);
	mmio_write16(COMMON(vp, queue_enable), 1);
	return 0;
}

static void m_notify(struct virtqueue *vq, void *priv)
{
	struct vp *vp = ((struct virtio_dev *)priv)->transport;
	unsigned q = vq_index(vq);
	/* the queue's index, written to its own doorbell (§4.1.5.2) */
	mmio_write16(vp->notify[q], (uint16_t)q);
}

/* -- legacy ------------------------------------------------------------------ */

static uint8_t l_get_status(struct virtio_dev *vd);
static int l_reset(struct virtio_dev *vd)
{
	struct vp *vp = vd->transport;
	outb(vp->io + LEGACY_STATUS, 0);
	return wait_status_zero(vd, l_get_status);
}

static uint8_t l_get_status(struct virtio_dev *vd)
{
	return inb(((struct vp *)vd->transport)->io + LEGACY_STATUS);
}
static void l_set_status(struct virtio_dev *vd, uint8_t s)
{
	outb(((struct vp *)vd->transport)->io + LEGACY_STATUS, s);
}
static uint64_t l_get_features(struct virtio_dev *vd)
{
	return inl(((struct vp *)vd->transport)->io + LEGACY_HOST_FEATURES);
}

static void l_set_features(struct virtio_dev *vd, uint64_t f)
{
	outl(((struct vp *)vd->transport)->io + LEGACY_GUEST_FEATURES, (uint32_t)f);
}

static uint32_t l_generation(struct virtio_dev *vd)
{
	(void)vd;
	return 0; /* legacy has none: wide fields are read until two reads agree */
}

static size_t l_config_size(struct virtio_dev *vd)
{
	struct vp *vp = vd->transport;
	return pci_bar(vp->pci, 0)->size - LEGACY_CONFIG(vp->msix);
}

static uint64_t l_read_once(struct vp *vp, unsigned base, int width)
{
	switch (width) {
	case 1:
		return inb((uint16_t)base);
	case 2:
		return inw((uint16_t)base);
	case 4:
		return inl((uint16_t)base);
	default:
		return inl((uint16_t)base) | (uint64_t)inl((uint16_t)(base + 4)) << 32;
	}
	(void)vp;
}

static uint64_t l_read_config(struct virtio_dev *vd, unsigned off, int width)
{
	struct vp *vp = vd->transport;
	if (off + (unsigned)width > l_config_size(vd))
		return 0;
	unsigned base = vp->io + LEGACY_CONFIG(vp->msix) + off;
	uint64_t a, b = l_read_once(vp, base, width);
	for (int tries = 0;; tries++) {
		a = b;
		b = l_read_once(vp, base, width);
		if (a == b)
			return a;
		if (tries == VIRTIO_CONFIG_TRIES) {
			config_unstable(vd, off);
			return b;
		}
	}
}

static void l_write_config(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	struct vp *vp = vd->transport;
	if (off + (unsigned)width > l_config_size(vd))
		return;
	uint16_t base = (uint16_t)(vp->io + LEGACY_CONFIG(vp->msix) + off);
	if (width == 1) {
		outb(base, (uint8_t)v);
	} else if (width == 2) {
		outw(base, (uint16_t)v);
	} else {
		outl(base, (uint32_t)v);
		if (width == 8) /* as l_read_once reads it: low half first */
			outl((uint16_t)(base + 4), (uint32_t)(v >> 32));
	}
}

static unsigned l_max_queues(struct virtio_dev *vd)
{
	(void)vd;
	return VIRTIO_MAX_QUEUES; /* legacy cannot tell: queue_max says 0 past the last */
}

static unsigned l_queue_max(struct virtio_dev *vd, unsigned q)
{
	struct vp *vp = vd->transport;
	outw(vp->io + LEGACY_QUEUE_SELECT, (uint16_t)q);
	unsigned n = inw(vp->io + LEGACY_QUEUE_SIZE);
	return n > 32768 || (n & (n - 1)) ? 0 : n;
}

static int l_queue_activate(struct virtio_dev *vd, unsigned q, struct virtqueue *vq)
{
	struct vp *vp = vd->transport;
	outw(vp->io + LEGACY_QUEUE_SELECT, (uint16_t)q);
	if (vp->msix) {
		outw(vp->io + LEGACY_QUEUE_VECTOR, (uint16_t)vp->queue_entry[q]);
		if (inw(vp->io + LEGACY_QUEUE_VECTOR) != (uint16_t)vp->queue_entry[q])
			return -EIO;
	}
	/* §2.7.2 (legacy): one contiguous ring given as a 4 KiB page number */
	dma_addr_t a = vq_desc_addr(vq);
	if (a & 0xfff || a >> 44)
		return -EINVAL;
	outl(vp->io + LEGACY_QUEUE_PFN, (uint32_t)(a >> 12));
	return 0;
}

static void l_notify(struct virtqueue *vq, void *priv)
{
	struct vp *vp = ((struct virtio_dev *)priv)->transport;
	outw(vp->io + LEGACY_QUEUE_NOTIFY, (uint16_t)vq_index(vq));
}

/* -- interrupts --------------------------------------------------------------- */

static void msix_handler(void *p)
{
	struct irq_arg *a = p;
	if (a->q == -1) {
		virtio_config_irq(a->vd);
	} else if (a->q >= 0) {
		virtio_queue_irq(a->vd, (unsigned)a->q);
	} else {
		for (unsigned q = 0; q < a->vd->nqueues; q++)
			virtio_queue_irq(a->vd, q);
	}
}

/* INTx is level-triggered and may be shared: reading the ISR byte both
 * says why and deasserts the line (§4.1.4.5). */
static void intx_handler(void *p)
{
	struct virtio_dev *vd = p;
	struct vp *vp = vd->transport;
	uint8_t isr = vp->isr ? mmio_read8(vp->isr) : inb(vp->io + LEGACY_ISR);
	if (isr & 1)
		for (unsigned q = 0; q < vd->nqueues; q++)
			virtio_queue_irq(vd, q);
	if (isr & 2)
		virtio_config_irq(vd);
}

static void free_irqs(struct virtio_dev *vd)
{
	struct vp *vp = vd->transport;
	for (int e = 0; e < vp->nvectors; e++)
		if (vp->vectors[e] >= 0)
			irq_unregister(vp->vectors[e]);
	vp->nvectors = 0;
	if (vp->msix)
		pci_msix_disable(vp->pci);
	if (vp->intx_vector >= 0) {
		pci_intx_disable(vp->pci);
		irq_unregister(vp->intx_vector);
		vp->intx_vector = -1;
	}
	vp->msix = false;
}

static int msix_entry(struct virtio_dev *vd, int entry, int q)
{
	struct vp *vp = vd->transport;
	int v = irq_alloc_vector();
	if (v < 0)
		return v;
	vp->args[entry] = (struct irq_arg){ vd, q };
	int r = irq_register(v, msix_handler, &vp->args[entry], vd->name);
	if (!r)
		r = pci_msix_set(vp->pci, (unsigned)entry, v);
	vp->vectors[entry] = v;
	vp->nvectors = entry + 1;
	return r;
}

/* MSI-X entry 0 for config changes and one per queue when the table is big
 * enough; else every queue on entry 1; INTx when there is no MSI-X. */
static int setup_irqs(struct virtio_dev *vd, unsigned nq)
{
	struct vp *vp = vd->transport;
	struct pci_dev *d = vp->pci;
	int r;

	vp->intx_vector = -1;
	if (d->msix.cap && d->msix.nvec >= 2 && pci_msix_enable(d) == 0) {
		vp->msix = true;
		bool per_queue = d->msix.nvec >= nq + 1;
		if ((r = msix_entry(vd, 0, -1)))
			goto fail;
		for (unsigned q = 0; q < nq; q++) {
			vp->queue_entry[q] = per_queue ? (int)q + 1 : 1;
			if ((per_queue || q == 0) &&
			    (r = msix_entry(vd, vp->queue_entry[q], per_queue ? (int)q : -2)))
				goto fail;
		}
		if (vp->common) {
			mmio_write16(COMMON(vp, config_msix_vector), 0);
			if (mmio_read16(COMMON(vp, config_msix_vector)) != 0) {
				r = -EIO;
				goto fail;
			}
		} else {
			outw(vp->io + LEGACY_CONFIG_VECTOR, 0);
			if (inw(vp->io + LEGACY_CONFIG_VECTOR) != 0) {
				r = -EIO;
				goto fail;
			}
		}
		log_info("virtio %s: MSI-X, %s\n", vd->name,
			 per_queue ? "one vector per queue" : "queues share one vector");
		return 0;
	}
	int v = irq_alloc_vector();
	if (v < 0)
		return v;
	if ((r = irq_register(v, intx_handler, vd, vd->name)))
		return r;
	vp->intx_vector = v;
	if ((r = pci_intx_enable(d, v)))
		goto fail;
	log_info("virtio %s: no MSI-X; INTx through the ISR\n", vd->name);
	return 0;
fail:
	log_err("virtio %s: interrupt setup failed (%d)\n", vd->name, r);
	free_irqs(vd);
	return r;
}

static void mask_queue_irq(struct virtio_dev *vd, unsigned q, bool mask)
{
	struct vp *vp = vd->transport;
	/* only a vector of its own can be masked without silencing others */
	if (vp->msix && vp->queue_entry[q] == (int)q + 1)
		pci_msix_mask(vp->pci, (unsigned)vp->queue_entry[q], mask);
}

static void location(struct virtio_dev *vd, char *buf, size_t len)
{
	struct pci_dev *d = ((struct vp *)vd->transport)->pci;
	ksnprintf(buf, len, "%02x:%02x.%x", d->bus, d->dev, d->fn);
}

#define OPS(p, n, leg)                                                                                     \
	{                                                                                                  \
		.reset = p##_reset, .get_status = p##_get_status, .set_status = p##_set_status,            \
		.get_features = p##_get_features, .set_features = p##_set_features,                        \
		.read_config = p##_read_config, .write_config = p##_write_config,                          \
		.config_generation = p##_generation, .config_size = p##_config_size,                       \
		.max_queues = p##_max_queues, .queue_max = p##_queue_max,                                  \
		.queue_activate = p##_queue_activate, .notify = p##_notify, .setup_irqs = setup_irqs,      \
		.free_irqs = free_irqs, .mask_queue_irq = mask_queue_irq, .location = location, .name = n, \
		.legacy = leg,                                                                             \
	}
static const struct virtio_ops modern_ops = OPS(m, "modern", false);
static const struct virtio_ops legacy_ops = OPS(l, "legacy", true);

/* Map one virtio structure from its capability (of cap_len bytes at off); NULL if it lies outside its BAR. */
static volatile uint8_t *map_cap(struct pci_dev *d, uint8_t off, uint8_t cap_len, uint32_t min_len,
				 uint32_t *len)
{
	uint8_t bar = pci_read8(d, off + offsetof(struct virtio_pci_cap, bar));
	uint32_t start = pci_read32(d, off + offsetof(struct virtio_pci_cap, offset));
	uint32_t length = pci_read32(d, off + offsetof(struct virtio_pci_cap, length));
	if (cap_len < sizeof(struct virtio_pci_cap) || bar > 5 || length < min_len)
		return NULL;
	*len = length;
	return (volatile uint8_t *)pci_bar_map(d, bar, start, length);
}

/* §4.1.4: the first capability of each type that we can use wins. Each is
 * read once, and only within the 256 bytes where capabilities live (PCI
 * 3.0 §6.7): one that runs past them would take its fields from beyond. */
static bool find_modern(struct vp *vp)
{
	struct pci_dev *d = vp->pci;
	uint32_t len;
	for (uint8_t off = pci_find_cap(d, PCI_CAP_VENDOR, 0); off;
	     off = pci_find_cap(d, PCI_CAP_VENDOR, off)) {
		uint8_t type = pci_read8(d, off + offsetof(struct virtio_pci_cap, cfg_type));
		uint8_t cap_len = pci_read8(d, off + offsetof(struct virtio_pci_cap, cap_len));
		if (off + cap_len > 256) {
			log_warn("pci %02x:%02x.%x: virtio capability at 0x%02x runs past config space; "
				 "skipped\n",
				 d->bus, d->dev, d->fn, off);
			continue;
		}
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common) {
			vp->common = (volatile void *)map_cap(d, off, cap_len,
							      sizeof(struct virtio_pci_common_cfg), &len);
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vp->notify_base && cap_len >= 20) {
			vp->notify_base = map_cap(d, off, cap_len, 2, &vp->notify_len);
			vp->notify_mult = pci_read32(d, off + sizeof(struct virtio_pci_cap));
		} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vp->isr) {
			vp->isr = map_cap(d, off, cap_len, 1, &len);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->device) {
			vp->device = map_cap(d, off, cap_len, 1, &vp->device_len);
		}
	}
	return vp->common && vp->notify_base && vp->isr;
}

/* The BARs the virtio structures lie in (a bit per BAR), from their
 * capabilities alone: only these are sized and decoded for the modern
 * interface. A transitional device's I/O BAR is left to the legacy one. */
static unsigned modern_bars(const struct pci_dev *d)
{
	unsigned bars = 0;
	for (uint8_t off = pci_find_cap(d, PCI_CAP_VENDOR, 0); off;
	     off = pci_find_cap(d, PCI_CAP_VENDOR, off)) {
		uint8_t type = pci_read8(d, off + offsetof(struct virtio_pci_cap, cfg_type));
		uint8_t bar = pci_read8(d, off + offsetof(struct virtio_pci_cap, bar));
		if (type >= VIRTIO_PCI_CAP_COMMON_CFG && type <= VIRTIO_PCI_CAP_DEVICE_CFG && bar <= 5)
			bars |= 1u << bar;
	}
	return bars;
}

/* A transitional device's legacy interface: BAR0, I/O, decoded now. */
static bool legacy_bar(struct pci_dev *d)
{
	pci_enable(d, 1u << 0);
	const struct pci_bar *b = pci_bar(d, 0);
	return b->type == PCI_BAR_IO && b->size >= 0x18;
}

/* PCI probe: 1af4:1000-103f transitional (type in the subsystem id),
 * 1af4:1040-107f modern (type = device - 0x1040); virtio 1.2 §4.1.2. */
int virtio_pci_probe(struct pci_dev *d);
int virtio_pci_probe(struct pci_dev *d)
{
	uint16_t id;
	if (d->device >= 0x1040 && d->device <= 0x107f)
		id = (uint16_t)(d->device - 0x1040);
	else if (d->device >= 0x1000 && d->device <= 0x103f)
		id = d->subsys_id;
	else
		return -ENODEV;

	struct vp *vp = calloc(1, sizeof *vp);
	struct virtio_dev *vd = calloc(1, sizeof *vd);
	if (!vp || !vd)
		goto nomem;
	vp->pci = d;
	vp->intx_vector = -1;
	vd->transport = vp;
	vd->dma = &d->dma;
	/* first: it sizes the BARs the modern interface names in the same stroke (drivers/pci/pci.c) */
	pci_enable(d, modern_bars(d) | pci_msix_bars(d));
	if (find_modern(vp)) {
		vd->ops = &modern_ops;
	} else if (d->device < 0x1040 && legacy_bar(d)) {
		vp->io = (uint16_t)pci_bar(d, 0)->addr;
		vp->common = NULL, vp->isr = NULL;
		vd->ops = &legacy_ops;
	} else {
		log_warn("pci %02x:%02x.%x: virtio device with neither usable modern capabilities nor a "
			 "legacy BAR\n",
			 d->bus, d->dev, d->fn);
		goto fail;
	}
	int r = virtio_probe(vd, id);
	if (r == 0) {
		d->dma.name = vd->name;
		return 0;
	}
	if (r == -ENODEV)
		log_info("pci %02x:%02x.%x: virtio device type %u: no driver\n", d->bus, d->dev, d->fn, id);
fail:
	free(vp);
	free(vd);
	return -ENODEV;
nomem:
	free(vp);
	free(vd);
	return -ENOMEM;
}
