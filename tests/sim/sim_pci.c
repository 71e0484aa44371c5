/* sim_pci.c - a fake virtio-pci function (config space, BARs, registers) in front of the simulated device.
 * Included after the logging macros (tests/unit/unit.h, or a fuzz target's): it compiles virtio_pci.c with
 * its MMIO and port accesses led to the fake registers below, and drives it with virtio-rng. */

#include "drivers/pci/msi.c"
#define tail pci_tail /* pci.c and virtio.c each keep a static list tail */
#include "drivers/pci/pci.c"
#undef tail
#include "drivers/pci/pci_access.c"
#include "drivers/virtio/virtio.c"
#include "drivers/virtio/virtio_rng.c"
#include "drivers/virtio/virtqueue.c"
#include "kernel/dma_fault.c"
#include "kernel/poll.c"
#include "kernel/time.h"
#include "kernel/trap.h"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include "tests/sim/sim_transport.c"

/*
 * virtio_pci.c reaches the device through MMIO and port I/O. Here those accessors lead
 * to the fake function's registers (bar_read and friends, below), which act on the
 * simulated device as a virtio-pci device would: virtio_pci.c is compiled unchanged.
 */
static uint64_t bar_read(const volatile void *p, int width);
static void bar_write(volatile void *p, int width, uint64_t v);
static uint32_t port_in(uint16_t port, int width);
static void port_out(uint16_t port, int width, uint32_t v);
#define mmio_read8(p)             ((uint8_t)bar_read(p, 1))
#define mmio_read16(p)            ((uint16_t)bar_read(p, 2))
#define mmio_read32(p)            ((uint32_t)bar_read(p, 4))
#define mmio_read_width(p, w)     bar_read(p, w)
#define mmio_write8(p, v)         bar_write(p, 1, v)
#define mmio_write16(p, v)        bar_write(p, 2, v)
#define mmio_write32(p, v)        bar_write(p, 4, v)
#define mmio_write_width(p, w, v) bar_write(p, w, v)
#define inb(port)                 ((uint8_t)port_in(port, 1))
#define inw(port)                 ((uint16_t)port_in(port, 2))
#define inl(port)                 port_in(port, 4)
#define outb(port, v)             port_out(port, 1, v)
#define outw(port, v)             port_out(port, 2, v)
#define outl(port, v)             port_out(port, 4, v)
#include "drivers/virtio/virtio_pci.c"
#undef mmio_read8
#undef mmio_read16
#undef mmio_read32
#undef mmio_read_width
#undef mmio_write8
#undef mmio_write16
#undef mmio_write32
#undef mmio_write_width
#undef inb
#undef inw
#undef inl
#undef outb
#undef outw
#undef outl

struct kconfig kconfig;
struct acpi_info acpi;
static uint64_t fake_now;
uint64_t now_ns(void) { return fake_now += 1000000; }
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr, (void)offset;
	return NULL;
}
const struct virtio_driver virtio_blk_driver = { .prefix = "blk" };
const struct virtio_driver virtio_net_driver = { .prefix = "net" };
const struct virtio_driver virtio_iommu_vdriver = { .prefix = "viommu" };
bool dma_is_iommu(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn) { return false; } /* no IOMMU */
const struct pci_driver pci_drivers[] = { { "none", 0, 0, 0, 0, NULL } };
const int pci_ndrivers = 0;

/* -- the fake function: config space, memory BARs 1 and 4, I/O BAR 0 ----------------- */

#define BAR4_ADDR   0xfe000000ull /* the virtio structures */
#define BAR1_ADDR   0xfebf0000ull /* the MSI-X table (at 0) and PBA (at 0x800) */
#define IO_BASE     0xc000
#define COMMON_AT   0x0000
#define ISR_AT      0x1000
#define DEVICE_AT   0x2000
#define NOTIFY_AT   0x3000
#define NOTIFY_MULT 4
#define MSIX_AT     0x40 /* capabilities in config space */

static uint8_t space[4096]; /* ECAM: the capabilities' 256 bytes, then extended space */
static uint8_t bar4[0x4000] __attribute__((aligned(4096)));
static uint32_t bar1[0x1000 / 4] __attribute__((aligned(4096)));
static struct pci_dev pdev;

void *mmio_map(uint64_t phys, uint64_t len)
{
	if (phys >= BAR4_ADDR && phys - BAR4_ADDR + len <= sizeof bar4)
		return bar4 + (phys - BAR4_ADDR);
	if (phys >= BAR1_ADDR && phys - BAR1_ADDR + len <= sizeof bar1)
		return (uint8_t *)bar1 + (phys - BAR1_ADDR);
	return NULL;
}

static uint32_t cfg_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width)
{
	uint32_t v = 0;
	if (off + width <= (int)sizeof space)
		memcpy(&v, space + off, (size_t)width);
	return v;
}
static void cfg_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width, uint32_t v)
{
	if (off + width <= (int)sizeof space)
		memcpy(space + off, &v, (size_t)width);
}
static int cfg_max(uint16_t seg, uint8_t bus) { return (int)sizeof space; }
static const struct pci_cfg_ops fake_cfg = { "fake", cfg_read, cfg_write, cfg_max };
static uint16_t cfg16(unsigned off) { return (uint16_t)cfg_read(0, 0, 0, (uint16_t)off, 2); }

/* A virtio vendor capability (§4.1.4) at off; the notify one carries its multiplier after it. */
static void vcap(uint8_t off, uint8_t next, uint8_t type, uint8_t bar, uint32_t at, uint32_t len,
		 uint8_t cap_len)
{
	struct virtio_pci_cap c = { PCI_CAP_VENDOR, next, cap_len, type, bar, 0, { 0 }, at, len };
	memcpy(space + off, &c, sizeof c);
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
		uint32_t mult = NOTIFY_MULT;
		memcpy(space + off + 16, &mult, 4);
	}
}

/* Where each capability goes; tests change them before build() lays them out. */
static struct layout {
	struct {
		uint8_t type, bar, cap_len;
		uint32_t at, len;
	} caps[8];
	unsigned ncaps;
	unsigned msix_vectors; /* 0: no MSI-X capability */
	bool io_bar;           /* the legacy I/O BAR */
} lay;

static const struct layout modern = {
	.caps = { { VIRTIO_PCI_CAP_COMMON_CFG, 4, 16, COMMON_AT, sizeof(struct virtio_pci_common_cfg) },
		  { VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 20, NOTIFY_AT, 0x1000 },
		  { VIRTIO_PCI_CAP_ISR_CFG, 4, 16, ISR_AT, 4 },
		  { VIRTIO_PCI_CAP_DEVICE_CFG, 4, 16, DEVICE_AT, 0x100 } },
	.ncaps = 4,
	.msix_vectors = 4,
};

/* The device's side of the transport: what the registers hold. */
static struct sim_vdev dev;
static struct {
	uint32_t dfselect, gfselect;
	uint64_t guest;
	uint16_t config_vector, qsel;
	uint16_t qsize[VIRTIO_MAX_QUEUES], qvector[VIRTIO_MAX_QUEUES], qnotify_off[VIRTIO_MAX_QUEUES];
	uint64_t qdesc[VIRTIO_MAX_QUEUES], qdriver[VIRTIO_MAX_QUEUES], qdevice[VIRTIO_MAX_QUEUES];
	uint32_t pfn[VIRTIO_MAX_QUEUES];
	uint8_t isr;
	unsigned wrong_doorbell, lost_irqs, masked_irqs;
} reg;

static void reg_reset(void)
{
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		reg.qsize[q] = 0; /* reads the maximum until written */
		reg.qvector[q] = VIRTIO_MSI_NO_VECTOR;
		reg.pfn[q] = 0;
		reg.qdesc[q] = reg.qdriver[q] = reg.qdevice[q] = 0;
	}
	reg.config_vector = VIRTIO_MSI_NO_VECTOR;
	reg.isr = 0;
}

/* Lay out config space and BARs: vendor 1af4, this device and subsystem id, the
 * capabilities of lay from MSIX_AT on (MSI-X first when there is one). */
static struct pci_dev *build(uint16_t device, uint16_t subsys)
{
	memset(space, 0, sizeof space);
	memset(bar4, 0, sizeof bar4);
	memset(bar1, 0, sizeof bar1);
	memset(&reg, 0, sizeof reg);
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		reg.qnotify_off[q] = (uint16_t)q;
	reg_reset();
	pci_set_cfg_ops(&fake_cfg);
	uint16_t vendor = 0x1af4, status = PCI_STATUS_CAP_LIST;
	memcpy(space + PCI_VENDOR_ID, &vendor, 2);
	memcpy(space + PCI_DEVICE_ID, &device, 2);
	memcpy(space + PCI_STATUS, &status, 2);
	memcpy(space + PCI_SUBSYSTEM_ID, &subsys, 2);
	space[PCI_CAP_PTR] = MSIX_AT;
	uint8_t off = MSIX_AT;
	if (lay.msix_vectors) {
		uint16_t ctrl = (uint16_t)(lay.msix_vectors - 1);
		uint32_t table = 1, pba = 0x800 | 1; /* BAR 1 */
		space[off] = PCI_CAP_MSIX;
		space[off + 1] = lay.ncaps ? off + 12 : 0;
		memcpy(space + off + 2, &ctrl, 2);
		memcpy(space + off + 4, &table, 4);
		memcpy(space + off + 8, &pba, 4);
		off += 12;
	}
	for (unsigned i = 0; i < lay.ncaps; i++, off += 20)
		vcap(off, i + 1 < lay.ncaps ? (uint8_t)(off + 20) : 0, lay.caps[i].type, lay.caps[i].bar,
		     lay.caps[i].at, lay.caps[i].len, lay.caps[i].cap_len);
	if (!lay.msix_vectors && !lay.ncaps)
		space[PCI_CAP_PTR] = 0;
	memset(&pdev, 0, sizeof pdev);
	pdev.vendor = vendor;
	pdev.device = device;
	pdev.subsys_id = subsys;
	pdev.dev = 3;
	pdev.irq_pin = 1;
	pdev.irq_line = 11;
	pdev.intx_gsi = -1;
	pdev.bar[1] = (struct pci_bar){ PCI_BAR_MEM32, false, BAR1_ADDR, sizeof bar1 };
	pdev.bar[4] = (struct pci_bar){ PCI_BAR_MEM64, true, BAR4_ADDR, sizeof bar4 };
	if (lay.io_bar)
		pdev.bar[0] = (struct pci_bar){ PCI_BAR_IO, false, IO_BASE, 0x40 };
	pdev.bars_sized = PCI_ALL_BARS; /* as pci_bar() would have found them */
	pdev.dma = (struct dma_dev){ .name = "pci", .ops = &sim_backend };
	pdev.msix.cap = pci_find_cap(&pdev, PCI_CAP_MSIX, 0); /* as enumeration finds it */
	if (pdev.msix.cap)
		pdev.msix.nvec = (uint16_t)((cfg16(pdev.msix.cap + 2u) & 0x7ff) + 1);
	return &pdev;
}

/* -- interrupts: the vectors the kernel hands out, MSI-X messages, INTx ---------------- */

static struct {
	irq_handler_t fn;
	void *arg;
} vectors[256];
static int next_vector = 0x30, intx_vector;

int irq_alloc_vector(void) { return next_vector < 256 ? next_vector++ : -ENOSPC; }
int irq_register(int v, irq_handler_t fn, void *arg, const char *owner)
{
	vectors[v].fn = fn;
	vectors[v].arg = arg;
	return 0;
}
void irq_unregister(int v) { vectors[v].fn = NULL; }
void msi_compose(int vector, uint64_t *addr, uint32_t *data)
{
	*addr = 0xfee00000;
	*data = (uint32_t)vector;
}
int ioapic_route(uint32_t gsi, int vector, unsigned mode)
{
	intx_vector = vector;
	return 0;
}
int ioapic_mask(uint32_t gsi)
{
	intx_vector = 0;
	return 0;
}
uint32_t isa_irq_gsi(int irq, unsigned dflt, unsigned *mode)
{
	*mode = dflt;
	return (uint32_t)irq;
}

static void deliver(int vector)
{
	if (vector <= 0 || !vectors[vector].fn) {
		reg.lost_irqs++;
		return;
	}
	completion_enter(); /* as trap() runs a handler */
	vectors[vector].fn(vectors[vector].arg);
	completion_leave();
}

/* The device raises an interrupt as a virtio-pci device does: the MSI-X entry the driver
 * gave the queue (or config changes), or INTx with the ISR saying why (§4.1.4.5). */
static void pci_raise(struct sim_vdev *d, int q)
{
	uint16_t ctrl = cfg16(MSIX_AT + 2);
	if (lay.msix_vectors && (ctrl & 0x8000)) {
		uint16_t e = q < 0 ? reg.config_vector : reg.qvector[q];
		if (e >= lay.msix_vectors) {
			reg.lost_irqs++;
			return;
		}
		if ((bar1[e * 4 + 3] & 1) || (ctrl & 0x4000)) {
			reg.masked_irqs++; /* its pending bit; ringside re-looks when it unmasks */
			return;
		}
		deliver((int)bar1[e * 4 + 2]);
		return;
	}
	reg.isr |= q < 0 ? 2 : 1;
	if (!(cfg16(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE))
		deliver(intx_vector);
}

/* -- the registers ----------------------------------------------------------------------- */

#define IN(p, base, len) ((const uint8_t *)(p) >= (base) && (const uint8_t *)(p) < (base) + (len))
#define CC(field)        offsetof(struct virtio_pci_common_cfg, field)

static uint64_t common_read(unsigned off)
{
	unsigned s = reg.qsel < VIRTIO_MAX_QUEUES ? reg.qsel : 0;
	switch (off) {
	case CC(device_feature_select):
		return reg.dfselect;
	case CC(device_feature):
		return reg.dfselect > 1 ? 0 : (uint32_t)(sim_vdev_features(&dev) >> (32 * reg.dfselect));
	case CC(driver_feature_select):
		return reg.gfselect;
	case CC(config_msix_vector):
		return reg.config_vector;
	case CC(num_queues):
		return dev.nqueues;
	case CC(device_status):
		return sim_vdev_status(&dev);
	case CC(config_generation):
		return (uint8_t)sim_vdev_generation(&dev);
	case CC(queue_select):
		return reg.qsel;
	case CC(queue_size):
		return reg.qsize[s] ? reg.qsize[s] : (uint16_t)sim_vdev_queue_max(&dev, s);
	case CC(queue_msix_vector):
		return reg.qvector[s];
	case CC(queue_enable):
		return dev.q[s].enabled;
	case CC(queue_notify_off):
		return reg.qnotify_off[s];
	}
	return 0;
}

static void set_half(uint64_t *r, unsigned half, uint64_t v)
{
	*r = half ? (*r & 0xffffffffull) | v << 32 : (*r & ~0xffffffffull) | (uint32_t)v;
}

static void common_write(unsigned off, uint64_t v)
{
	unsigned s = reg.qsel < VIRTIO_MAX_QUEUES ? reg.qsel : 0;
	bool refuse = (dev.bad & SIM_BAD(SIM_REFUSE_QUEUE_VECTOR)) && s == dev.bad_queue;
	switch (off) {
	case CC(device_feature_select):
		reg.dfselect = (uint32_t)v;
		break;
	case CC(driver_feature_select):
		reg.gfselect = (uint32_t)v;
		break;
	case CC(driver_feature):
		if (reg.gfselect < 2) {
			set_half(&reg.guest, reg.gfselect, v);
			sim_vdev_accept(&dev, reg.guest);
		}
		break;
	case CC(config_msix_vector):
		reg.config_vector =
			dev.bad & SIM_BAD(SIM_REFUSE_VECTORS) ? VIRTIO_MSI_NO_VECTOR : (uint16_t)v;
		break;
	case CC(device_status):
		if (!v && !(dev.bad & SIM_BAD(SIM_RESET_STUCK)))
			reg_reset();
		if (!v && pdev.device < 0x1040)
			dev.legacy = false; /* a transitional device: the interface reset is the one driven */
		sim_vdev_set_status(&dev, (uint8_t)v);
		break;
	case CC(queue_select):
		reg.qsel = (uint16_t)v;
		break;
	case CC(queue_size):
		reg.qsize[s] = (uint16_t)v;
		break;
	case CC(queue_msix_vector):
		reg.qvector[s] = refuse ? VIRTIO_MSI_NO_VECTOR : (uint16_t)v;
		break;
	case CC(queue_enable):
		if (v == 1)
			sim_vdev_queue_enable(&dev, s, common_read(CC(queue_size)), reg.qdesc[s],
					      reg.qdriver[s], reg.qdevice[s]);
		break;
	case CC(queue_desc):
	case CC(queue_desc) + 4:
		set_half(&reg.qdesc[s], off & 4, v);
		break;
	case CC(queue_driver):
	case CC(queue_driver) + 4:
		set_half(&reg.qdriver[s], off & 4, v);
		break;
	case CC(queue_device):
	case CC(queue_device) + 4:
		set_half(&reg.qdevice[s], off & 4, v);
		break;
	}
}

static uint64_t bar_read(const volatile void *p, int width)
{
	const uint8_t *a = (const uint8_t *)p;
	if (IN(a, bar4 + COMMON_AT, sizeof(struct virtio_pci_common_cfg)))
		return common_read((unsigned)(a - bar4 - COMMON_AT));
	if (IN(a, bar4 + ISR_AT, 4)) { /* reading it clears it, and deasserts INTx */
		uint8_t v = reg.isr;
		reg.isr = 0;
		return v;
	}
	if (IN(a, bar4 + DEVICE_AT, 0x100))
		return sim_vdev_config_read(&dev, (unsigned)(a - bar4 - DEVICE_AT), width);
	uint64_t v = 0;
	memcpy(&v, a, (size_t)width);
	return v;
}

static void bar_write(volatile void *p, int width, uint64_t v)
{
	uint8_t *a = (uint8_t *)p;
	if (IN(a, bar4 + COMMON_AT, sizeof(struct virtio_pci_common_cfg))) {
		common_write((unsigned)(a - bar4 - COMMON_AT), v);
	} else if (IN(a, bar4 + DEVICE_AT, 0x100)) {
		sim_vdev_config_write(&dev, (unsigned)(a - bar4 - DEVICE_AT), width, v);
	} else if (IN(a, bar4 + NOTIFY_AT, 0x1000)) { /* §4.1.4.4: queue q's own doorbell */
		unsigned q = (unsigned)v;
		if (q >= VIRTIO_MAX_QUEUES ||
		    (unsigned)(a - bar4 - NOTIFY_AT) != reg.qnotify_off[q] * NOTIFY_MULT)
			reg.wrong_doorbell++;
		else
			sim_vdev_notify(&dev, q);
	} else {
		memcpy(a, &v, (size_t)width);
	}
}

/* The legacy I/O BAR (§4.1.4.8); device config after the MSI-X vectors when MSI-X is on. */
static uint32_t port_in(uint16_t port, int width)
{
	unsigned r = port - IO_BASE, s = reg.qsel < VIRTIO_MAX_QUEUES ? reg.qsel : 0;
	bool msix = lay.msix_vectors && (cfg16(MSIX_AT + 2) & 0x8000);
	if (port < IO_BASE || r >= 0x40)
		return 0xffffffffu;
	if (r >= LEGACY_CONFIG(msix))
		return (uint32_t)sim_vdev_config_read(&dev, r - LEGACY_CONFIG(msix), width);
	switch (r) {
	case LEGACY_HOST_FEATURES:
		return (uint32_t)sim_vdev_features(&dev);
	case LEGACY_QUEUE_PFN:
		return reg.pfn[s];
	case LEGACY_QUEUE_SIZE:
		return sim_vdev_queue_max(&dev, s);
	case LEGACY_STATUS:
		return sim_vdev_status(&dev);
	case LEGACY_ISR: {
		uint8_t v = reg.isr;
		reg.isr = 0;
		return v;
	}
	case LEGACY_CONFIG_VECTOR:
		return reg.config_vector;
	case LEGACY_QUEUE_VECTOR:
		return reg.qvector[s];
	}
	return 0;
}

static void port_out(uint16_t port, int width, uint32_t v)
{
	unsigned r = port - IO_BASE, s = reg.qsel < VIRTIO_MAX_QUEUES ? reg.qsel : 0;
	bool msix = lay.msix_vectors && (cfg16(MSIX_AT + 2) & 0x8000);
	if (port < IO_BASE || r >= 0x40)
		return;
	if (r >= LEGACY_CONFIG(msix)) {
		sim_vdev_config_write(&dev, r - LEGACY_CONFIG(msix), width, v);
		return;
	}
	switch (r) {
	case LEGACY_GUEST_FEATURES:
		sim_vdev_accept(&dev, v);
		break;
	case LEGACY_QUEUE_PFN: { /* §2.7.2 legacy: the device lays the ring out from this page */
		dma_addr_t desc = (dma_addr_t)v << 12, n = sim_vdev_queue_max(&dev, s);
		dma_addr_t driver = desc + VRING_DESC_SIZE(n);
		reg.pfn[s] = v;
		sim_vdev_queue_enable(&dev, s, (unsigned)n, desc, driver,
				      (driver + VRING_AVAIL_SIZE(n) + 4095) & ~(dma_addr_t)4095);
		break;
	}
	case LEGACY_QUEUE_SELECT:
		reg.qsel = (uint16_t)v;
		break;
	case LEGACY_QUEUE_NOTIFY:
		sim_vdev_notify(&dev, v);
		break;
	case LEGACY_STATUS:
		if (!v)
			reg_reset();
		if (!v && pdev.device < 0x1040)
			dev.legacy = true;
		sim_vdev_set_status(&dev, (uint8_t)v);
		break;
	case LEGACY_CONFIG_VECTOR:
		reg.config_vector =
			dev.bad & SIM_BAD(SIM_REFUSE_VECTORS) ? VIRTIO_MSI_NO_VECTOR : (uint16_t)v;
		break;
	case LEGACY_QUEUE_VECTOR:
		reg.qvector[s] = (dev.bad & SIM_BAD(SIM_REFUSE_QUEUE_VECTOR)) && s == dev.bad_queue
					 ? VIRTIO_MSI_NO_VECTOR
					 : (uint16_t)v;
		break;
	}
}

/* -- a device per test, and virtio-rng reads through it ---------------------------------- */

static void serve(struct sim_vdev *d, unsigned q)
{
	while (sim_vdev_ring(d, q)->npending)
		sim_use(sim_vdev_ring(d, q), 0, sim_vdev_ring(d, q)->pending[0].in_len);
}

static void unplug(void)
{
	struct virtio_dev *vd = virtio_devices;
	if (vd) {
		for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
			if (dev.q[q].enabled)
				sim_detach(&dev.q[q].ring);
			dev.q[q].enabled = false;
			vq_destroy(vd->q[q].vq);
		}
		vd->ops->free_irqs(vd);
		struct rng *rng = vd->priv;
		if (rng) {
			dma_free(vd->dma, rng->buf, RNG_BUF, rng->handle);
			free(rng);
		}
		free(vd->transport);
		free(vd);
	}
	virtio_devices = NULL;
	tail = &virtio_devices;
	npollers = 0;
	busy = 0;
}

static int live_before, first_vector;

/* An rng behind the layout in lay (legacy when it has no capabilities). */
static struct pci_dev *fresh(uint16_t device, uint16_t subsys, uint64_t offered)
{
	unplug();
	kconfig.mode = IO_MODE_HYBRID;
	struct pci_dev *d = build(device, subsys);
	sim_vdev_init(&dev, VIRTIO_ID_RNG, offered, 1, 256);
	dev.legacy = !lay.ncaps;
	dev.raise = pci_raise;
	dev.serve = serve;
	dev.config_size = 16;
	live_before = sim_dma_live();
	first_vector = next_vector;
	return d;
}

static __attribute__((unused)) bool dev_ok(void)
{
	const char *e = sim_vdev_error(&dev);
	if (e)
		printf("  device: %s\n", e);
	return !e && !reg.wrong_doorbell;
}

static __attribute__((unused)) struct vp *vp_of(void)
{
	return virtio_devices ? virtio_devices->transport : NULL;
}

/* Read n bytes through the whole path: the device runs beside the driver in the main loop. */
static int rng_read(size_t n)
{
	uint8_t out[64];
	if (npollers == 1)
		poll_register(sim_vdev_run, &dev, "sim");
	memset(out, 0, sizeof out);
	int r = virtio_rng_read(virtio_devices, out, n);
	for (int i = 0; i < r; i++)
		if (out[i] != 0xa5)
			return -1000;
	return r;
}

#define V1 BIT(VIRTIO_F_VERSION_1)
