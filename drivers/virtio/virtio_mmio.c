/* virtio_mmio.c - the virtio-mmio transport: version 2 (modern) and version 1 (legacy), virtio 1.2 §4.2. */
#include "drivers/virtio/virtio_mmio.h"
#include "drivers/virtio/virtio.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/time.h"
#include "kernel/trap.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * One register block per device (§4.2.2), found by the platform (ACPI, the
 * command line, fixed slots: virtio_mmio_find.c). Versions 1 and 2 share
 * it but for the queue registers: version 2 takes three 64-bit addresses
 * and a ready bit; version 1 (§4.2.4) one page number of a contiguous ring,
 * with the page size and the used ring's alignment written beforehand.
 * Every control register is read and written 32 bits wide (§4.2.2.2).
 */
struct virtio_mmio_regs {
	uint32_t magic;               /* 0x000: "virt" */
	uint32_t version;             /* 0x004: 2, or 1 for legacy */
	uint32_t device_id;           /* 0x008: 0 for an empty slot */
	uint32_t vendor_id;           /* 0x00c */
	uint32_t device_features;     /* 0x010 */
	uint32_t device_features_sel; /* 0x014 */
	uint32_t reserved0[2];
	uint32_t driver_features;     /* 0x020 */
	uint32_t driver_features_sel; /* 0x024 */
	uint32_t guest_page_size;     /* 0x028: version 1 */
	uint32_t reserved1;
	uint32_t queue_sel;     /* 0x030 */
	uint32_t queue_num_max; /* 0x034 */
	uint32_t queue_num;     /* 0x038 */
	uint32_t queue_align;   /* 0x03c: version 1 */
	uint32_t queue_pfn;     /* 0x040: version 1 */
	uint32_t queue_ready;   /* 0x044: version 2 */
	uint32_t reserved2[2];
	uint32_t queue_notify; /* 0x050 */
	uint32_t reserved3[3];
	uint32_t interrupt_status; /* 0x060 */
	uint32_t interrupt_ack;    /* 0x064 */
	uint32_t reserved4[2];
	uint32_t status; /* 0x070 */
	uint32_t reserved5[3];
	uint32_t queue_desc_lo, queue_desc_hi; /* 0x080: version 2, from here on */
	uint32_t reserved6[2];
	uint32_t queue_driver_lo, queue_driver_hi; /* 0x090 */
	uint32_t reserved7[2];
	uint32_t queue_device_lo, queue_device_hi; /* 0x0a0 */
	uint32_t reserved8[21];
	uint32_t config_generation; /* 0x0fc */
	uint8_t config[];           /* 0x100: the device-specific configuration */
};
_Static_assert(offsetof(struct virtio_mmio_regs, status) == 0x070, "virtio 1.2 §4.2.2");
_Static_assert(offsetof(struct virtio_mmio_regs, queue_device_hi) == 0x0a4, "virtio 1.2 §4.2.2");
_Static_assert(offsetof(struct virtio_mmio_regs, config_generation) == 0x0fc, "virtio 1.2 §4.2.2");
_Static_assert(offsetof(struct virtio_mmio_regs, config) == 0x100, "virtio 1.2 §4.2.2");

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt", little-endian */
#define INT_USED          (1u << 0)   /* InterruptStatus: a used buffer notification */
#define INT_CONFIG        (1u << 1)   /* a configuration change */
#define LEGACY_PAGE       4096u       /* version 1: GuestPageSize, and QueueAlign */

struct vm {
	volatile struct virtio_mmio_regs *regs;
	struct virtio_mmio_dev where; /* base, size, interrupt, who said so */
	unsigned version;
	int vector;      /* -1 when no interrupt is set up */
	uint32_t masked; /* queues whose used buffer notifications are dropped (poll mode) */
	struct dma_dev dma;
};

#define REG(vd, r)   (&((struct vm *)(vd)->transport)->regs->r)
#define RD(vd, r)    mmio_read32(REG(vd, r))
#define WR(vd, r, v) mmio_write32(REG(vd, r), (uint32_t)(v))
static volatile uint8_t *config(struct virtio_dev *vd, unsigned off)
{
	return ((struct vm *)vd->transport)->regs->config + off;
}

static size_t config_size(struct virtio_dev *vd)
{
	return ((struct vm *)vd->transport)->where.size - offsetof(struct virtio_mmio_regs, config);
}

/* -- what both versions share ------------------------------------------------ */

static uint8_t get_status(struct virtio_dev *vd) { return (uint8_t)RD(vd, status); }
static void set_status(struct virtio_dev *vd, uint8_t s) { WR(vd, status, s); }

/* Writing 0 resets (§4.2.2); done when the status reads back 0, within the bound. */
static int reset(struct virtio_dev *vd)
{
	WR(vd, status, 0);
	uint64_t deadline = now_ns() + VIRTIO_DEVICE_WAIT_NS;
	while (RD(vd, status))
		if (now_ns() > deadline)
			return -ETIMEDOUT;
		else
			cpu_relax();
	return 0;
}

static uint64_t get_features(struct virtio_dev *vd)
{
	WR(vd, device_features_sel, 0);
	uint64_t f = RD(vd, device_features);
	if (!vd->ops->legacy) {
		WR(vd, device_features_sel, 1);
		f |= (uint64_t)RD(vd, device_features) << 32;
	}
	return f;
}

static void set_features(struct virtio_dev *vd, uint64_t f)
{
	WR(vd, driver_features_sel, 0);
	WR(vd, driver_features, f);
	if (!vd->ops->legacy) {
		WR(vd, driver_features_sel, 1);
		WR(vd, driver_features, f >> 32);
	}
}

static uint32_t generation(struct virtio_dev *vd)
{
	return vd->ops->legacy ? 0 : RD(vd, config_generation); /* version 1 has none */
}

/* §4.2.2.2: each config field read at its own width (a 64-bit one as two
 * 32-bit halves), until the generation is the same before and after; on
 * version 1, which has no generation, until two reads agree. */
static uint64_t read_config(struct virtio_dev *vd, unsigned off, int width)
{
	if (off + (unsigned)width > config_size(vd))
		return 0;
	volatile uint8_t *p = config(vd, off);
	uint64_t v = mmio_read_width(p, width), prev;
	for (int tries = 0;; tries++) {
		uint32_t gen = generation(vd);
		prev = v;
		v = mmio_read_width(p, width);
		if (gen == generation(vd) && (!vd->ops->legacy || v == prev))
			return v;
		if (tries == VIRTIO_CONFIG_TRIES) {
			if (!vd->config_error)
				log_err("virtio %s: config at 0x%x reads differently every time; giving up "
					"on "
					"it\n",
					vd->name, off);
			vd->config_error = -EIO;
			return v;
		}
	}
}

static void write_config(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	if (off + (unsigned)width <= config_size(vd))
		mmio_write_width(config(vd, off), width, v);
}

static unsigned max_queues(struct virtio_dev *vd)
{
	(void)vd;
	return VIRTIO_MAX_QUEUES; /* the transport cannot tell: QueueNumMax says 0 past the last */
}

/* §4.2.3.2 steps 1-3 (§4.2.4 for version 1): select, check it is not in use, its largest size. */
static unsigned queue_max(struct virtio_dev *vd, unsigned q)
{
	if (q >= VIRTIO_MAX_QUEUES)
		return 0;
	WR(vd, queue_sel, q);
	if (vd->ops->legacy ? RD(vd, queue_pfn) : RD(vd, queue_ready))
		return 0; /* live before we set it up: not a queue to use */
	unsigned n = RD(vd, queue_num_max);
	return n > 32768 ? 0 : n; /* device-written: the spec's largest is 32768 */
}

static void notify(struct virtqueue *vq, void *priv)
{
	WR((struct virtio_dev *)priv, queue_notify, vq_index(vq)); /* §4.2.3.3 */
}

/* -- version 2 --------------------------------------------------------------- */

/* §4.2.3.2 steps 5-7: the size, the three areas, then ready. */
static int m_queue_activate(struct virtio_dev *vd, unsigned q, struct virtqueue *vq)
{
	WR(vd, queue_sel, q);
	WR(vd, queue_num, vq_size(vq));
	dma_addr_t desc = vq_desc_addr(vq), driver = vq_driver_addr(vq), device = vq_device_addr(vq);
	WR(vd, queue_desc_lo, desc);
	WR(vd, queue_desc_hi, desc >> 32);
	WR(vd, queue_driver_lo, driver);
	WR(vd, queue_driver_hi, driver >> 32);
	WR(vd, queue_device_lo, device);
	WR(vd, queue_device_hi, device >> 32);
	WR(vd, queue_ready, 1);
	if (RD(vd, queue_ready) != 1) {
		log_err("virtio %s: queue %u does not read back ready\n", vd->name, q);
		return -EIO;
	}
	return 0;
}

/* -- version 1 --------------------------------------------------------------- */

/* §4.2.4: the size, the used ring's alignment, then the ring's first page. */
static int l_queue_activate(struct virtio_dev *vd, unsigned q, struct virtqueue *vq)
{
	dma_addr_t a = vq_desc_addr(vq);
	if (a % LEGACY_PAGE || a / LEGACY_PAGE > 0xffffffffu)
		return -EINVAL; /* QueuePFN holds 32 bits of page number */
	WR(vd, guest_page_size, LEGACY_PAGE);
	WR(vd, queue_sel, q);
	WR(vd, queue_num, vq_size(vq));
	WR(vd, queue_align, LEGACY_PAGE); /* as vq_create lays out a legacy ring */
	WR(vd, queue_pfn, a / LEGACY_PAGE);
	return 0;
}

/* -- the interrupt ----------------------------------------------------------- */

/* One line for the whole device (§4.2.3.4), level-triggered on QEMU: read
 * why, acknowledge it (the line drops), then tell the core. A used buffer
 * notification is one for every queue, but for those masked: the line
 * cannot be masked per queue, so the transport drops theirs. (QEMU
 * notifies the first used buffer whatever EVENT_IDX says.) */
static void irq_handler(void *arg)
{
	struct virtio_dev *vd = arg;
	struct vm *vm = vd->transport;
	uint32_t why = RD(vd, interrupt_status) & (INT_USED | INT_CONFIG);
	WR(vd, interrupt_ack, why);
	if (why & INT_USED)
		for (unsigned q = 0; q < vd->nqueues; q++)
			if (!(vm->masked & 1u << q))
				virtio_queue_irq(vd, q);
	if (why & INT_CONFIG)
		virtio_config_irq(vd);
}

static void mask_queue_irq(struct virtio_dev *vd, unsigned q, bool mask)
{
	struct vm *vm = vd->transport;
	vm->masked = mask ? vm->masked | 1u << q : vm->masked & ~(1u << q);
}

static void free_irqs(struct virtio_dev *vd)
{
	struct vm *vm = vd->transport;
	if (vm->vector < 0)
		return;
	ioapic_mask(vm->where.gsi);
	irq_unregister(vm->vector);
	vm->vector = -1;
}

static int setup_irqs(struct virtio_dev *vd, unsigned nqueues)
{
	struct vm *vm = vd->transport;
	(void)nqueues;
	int v = irq_alloc_vector(), r;
	if (v < 0)
		return v;
	if ((r = irq_register(v, irq_handler, vd, vd->name)))
		return r;
	if ((r = ioapic_route(vm->where.gsi, v, vm->where.irq_mode))) {
		log_err("virtio %s: GSI %u cannot be routed (%d)\n", vd->name, vm->where.gsi, r);
		irq_unregister(v);
		return r;
	}
	vm->vector = v;
	log_info("virtio %s: interrupt on GSI %u (%s, active %s), vector 0x%x\n", vd->name, vm->where.gsi,
		 vm->where.irq_mode & GSI_LEVEL ? "level" : "edge",
		 vm->where.irq_mode & GSI_LOW ? "low" : "high", v);
	return 0;
}

static void location(struct virtio_dev *vd, char *buf, size_t len)
{
	ksnprintf(buf, len, "mmio@0x%llx", (unsigned long long)((struct vm *)vd->transport)->where.base);
}

#define OPS(p, n, leg)                                                                                     \
	{                                                                                                  \
		.reset = reset, .get_status = get_status, .set_status = set_status,                        \
		.get_features = get_features, .set_features = set_features, .read_config = read_config,    \
		.write_config = write_config, .config_generation = generation, .config_size = config_size, \
		.max_queues = max_queues, .queue_max = queue_max, .queue_activate = p##_queue_activate,    \
		.notify = notify, .setup_irqs = setup_irqs, .free_irqs = free_irqs,                        \
		.mask_queue_irq = mask_queue_irq, .location = location, .name = n, .legacy = leg,          \
		.legacy_sized = leg,                                                                       \
	}
static const struct virtio_ops virtio_mmio_v2_ops = OPS(m, "modern", false);
static const struct virtio_ops virtio_mmio_v1_ops = OPS(l, "legacy", true);

static const char *type_name(uint32_t id)
{
	static const char *const names[] = {
		[VIRTIO_ID_NET] = "virtio-net", [VIRTIO_ID_BLK] = "virtio-blk", [VIRTIO_ID_RNG] = "virtio-rng"
	};
	return id < sizeof names / sizeof names[0] && names[id] ? names[id] : "no driver";
}

/* §4.2.3.1: magic and version first; device id 0 is an empty slot, and
 * nothing else of it is touched. */
int virtio_mmio_probe(const struct virtio_mmio_dev *w, bool quiet)
{
	if (w->size < sizeof(struct virtio_mmio_regs)) {
		log_warn("virtio-mmio@0x%llx: %llu bytes of registers are too few\n",
			 (unsigned long long)w->base, (unsigned long long)w->size);
		return -EINVAL;
	}
	volatile struct virtio_mmio_regs *regs = mmio_map(w->base, w->size);
	if (!regs)
		return -ENOMEM;
	uint32_t magic = mmio_read32(&regs->magic), version = mmio_read32(&regs->version);
	if (magic != VIRTIO_MMIO_MAGIC || (version != 1 && version != 2)) {
		if (!quiet)
			log_warn("virtio-mmio@0x%llx: magic 0x%x version %u: not a virtio-mmio device\n",
				 (unsigned long long)w->base, magic, version);
		return -ENODEV;
	}
	uint32_t id = mmio_read32(&regs->device_id);
	if (id == 0)
		return -ENODEV; /* an empty slot */
	log_info("virtio-mmio@0x%llx: version %u (%s), device %u (%s), GSI %u, from %s\n",
		 (unsigned long long)w->base, version, version == 2 ? "modern" : "legacy", id, type_name(id),
		 w->gsi, w->found_by);
	struct vm *vm = calloc(1, sizeof *vm);
	struct virtio_dev *vd = calloc(1, sizeof *vd);
	if (!vm || !vd) {
		free(vm);
		free(vd);
		return -ENOMEM;
	}
	*vm = (struct vm){ .regs = regs, .where = *w, .version = version, .vector = -1 };
	/* No PCI requester id: without ACCESS_PLATFORM (what QEMU offers on
	 * mmio) kernel/dma.c gives identity handles, the physical addresses. */
	vm->dma.name = "virtio-mmio";
	vd->transport = vm;
	vd->dma = &vm->dma;
	vd->ops = version == 2 ? &virtio_mmio_v2_ops : &virtio_mmio_v1_ops;
	int r = virtio_probe(vd, (uint16_t)id);
	if (r == 0) {
		vm->dma.name = vd->name;
		return 0;
	}
	free(vm);
	free(vd);
	return r;
}
