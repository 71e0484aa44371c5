/* test_virtio_pci.c - virtio_pci.c over a fake PCI function: capability parsing, and the modern and legacy
 * registers in front of the simulated device, driven end to end by virtio-rng. */
#include "unit.h"

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

static uint8_t space[256];
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
	if (off + width <= 256)
		memcpy(&v, space + off, (size_t)width);
	return v;
}
static void cfg_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width, uint32_t v)
{
	if (off + width <= 256)
		memcpy(space + off, &v, (size_t)width);
}
static int cfg_max(uint16_t seg, uint8_t bus) { return 256; }
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

static bool dev_ok(void)
{
	const char *e = sim_vdev_error(&dev);
	if (e)
		printf("  device: %s\n", e);
	return !e && !reg.wrong_doorbell;
}

static struct vp *vp_of(void) { return virtio_devices ? virtio_devices->transport : NULL; }

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

/* -- tests ------------------------------------------------------------------------------- */

/* The modern layout (§4.1.4): each structure found where its capability says, the queue
 * programmed through the common configuration, its doorbell at notify_off times the
 * multiplier, its interrupt on its own MSI-X entry; a read goes through. */
static void test_modern(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1 | BIT(VIRTIO_F_EVENT_IDX))), 0);
	struct vp *vp = vp_of();
	CHECK(virtio_devices && virtio_devices->ops == &modern_ops);
	CHECK(vp && (const uint8_t *)vp->common == bar4 + COMMON_AT);
	CHECK(vp && vp->isr == bar4 + ISR_AT && vp->device == bar4 + DEVICE_AT);
	CHECK(vp && vp->notify_base == bar4 + NOTIFY_AT && vp->notify_mult == NOTIFY_MULT);
	CHECK_EQ(dev.status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
				     VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(dev.accepted, V1 | BIT(VIRTIO_F_EVENT_IDX));
	CHECK(dev.q[0].enabled);
	CHECK_EQ(reg.config_vector, 0);
	CHECK_EQ(reg.qvector[0], 1);
	CHECK(cfg16(PCI_COMMAND) & PCI_COMMAND_MASTER);
	CHECK_EQ(rng_read(16), 16);
	CHECK_EQ(rng_read(40), 40);
	CHECK(dev.q[0].notifies >= 2);
	CHECK_EQ(reg.lost_irqs, 0);
	/* poll mode masks the queue's own entry; hybrid unmasks it */
	CHECK_EQ(virtio_set_mode(virtio_devices, IO_MODE_POLL), 0);
	CHECK_EQ(bar1[1 * 4 + 3] & 1, 1);
	CHECK_EQ(rng_read(8), 8);
	CHECK_EQ(virtio_set_mode(virtio_devices, IO_MODE_HYBRID), 0);
	CHECK_EQ(bar1[1 * 4 + 3] & 1, 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());
}

/* Without MSI-X: INTx, the ISR saying why and clearing as it is read. */
static void test_intx(void)
{
	lay = modern;
	lay.msix_vectors = 0;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK(intx_vector > 0);
	CHECK(!(cfg16(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE));
	CHECK_EQ(rng_read(16), 16);
	CHECK_EQ(reg.isr, 0);
	uint64_t irqs = vq_stats(virtio_devices->q[0].vq)->irqs;
	uint8_t b = 1;
	sim_vdev_config_change(&dev, 0, &b, 1); /* the ISR says config: no queue is told */
	CHECK(virtio_devices->config_pending);
	CHECK_EQ(vq_stats(virtio_devices->q[0].vq)->irqs, irqs);
	CHECK(dev_ok());
	lay = modern;
	lay.msix_vectors = 1; /* too few for config and a queue: INTx too */
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK(!vp_of()->msix);
	CHECK_EQ(rng_read(16), 16);
	CHECK(dev_ok());
}

/* Legacy (§4.1.4.8): a transitional device with no usable capabilities, through its I/O BAR,
 * with MSI-X (config moves to 0x18) and without. */
static void test_legacy(void)
{
	for (unsigned nvec = 0; nvec <= 2; nvec += 2) {
		lay = (struct layout){ .msix_vectors = nvec, .io_bar = true };
		CHECK_EQ(virtio_pci_probe(fresh(0x1005, VIRTIO_ID_RNG, V1 | BIT(VIRTIO_F_EVENT_IDX))), 0);
		CHECK(virtio_devices && virtio_devices->ops == &legacy_ops);
		CHECK_EQ(dev.accepted, BIT(VIRTIO_F_EVENT_IDX));
		CHECK_EQ(dev.q[0].size, 256);
		CHECK_EQ(rng_read(16), 16);
		/* config: each width, a write, and a field that reads differently every time */
		struct virtio_dev *vd = virtio_devices;
		uint8_t b[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
		sim_vdev_config_change(&dev, 0, b, 16);
		CHECK_EQ(vd->ops->config_size(vd), 0x40 - (nvec ? 0x18 : 0x14));
		CHECK_EQ(vd->ops->read_config(vd, 0, 4), 0x04030201);
		CHECK_EQ(vd->ops->read_config(vd, 4, 2), 0x0605);
		CHECK_EQ(vd->ops->read_config(vd, 7, 1), 8);
		CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x100f0e0d0c0b0a09ull);
		CHECK_EQ(vd->ops->read_config(vd, (unsigned)vd->ops->config_size(vd) - 2, 4),
			 0); /* past it */
		vd->ops->write_config(vd, 8, 8, 0x8877665544332211ull);
		vd->ops->write_config(vd, 2, 2, 0xbbaa);
		vd->ops->write_config(vd, 0, 1, 0xcc);
		CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x8877665544332211ull);
		CHECK_EQ(vd->ops->read_config(vd, 0, 4), 0xbbaa02cc);
		CHECK_EQ(vd->config_error, 0);
		dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
		vd->ops->read_config(vd, 0, 4);
		CHECK_EQ(vd->config_error, -EIO);
		dev.bad = 0;
		CHECK(dev_ok());
	}
	/* a size the legacy layout cannot have (it is the device's, and must be a power of two) */
	lay = (struct layout){ .io_bar = true };
	struct pci_dev *d = fresh(0x1005, VIRTIO_ID_RNG, 0);
	dev.q[0].max = 100;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(dev_ok());
	/* a ring past what a 32-bit page number reaches */
	d = fresh(0x1005, VIRTIO_ID_RNG, 0);
	sim_dma_low = false;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	sim_dma_low = true;
	CHECK(!dev.q[0].enabled);
	CHECK(dev_ok());
}

/* §4.1.4: each capability is checked before it is used; one that cannot be (too short,
 * a BAR that does not exist or is not memory, outside its BAR, too small for its
 * structure) is skipped, and the next one of the same type may serve. Without a usable
 * set, a transitional device falls back to its legacy BAR, a modern one is refused. */
static void test_capabilities_checked(void)
{
	static const struct {
		const char *what;
		unsigned cap;
		uint8_t bar, cap_len;
		uint32_t at, len;
		bool works;
	} cases[] = {
		{ "common: no such BAR", 0, 6, 16, COMMON_AT, 0x38, false },
		{ "common: an I/O BAR", 0, 0, 16, COMMON_AT, 0x38, false },
		{ "common: shorter than a capability", 0, 4, 12, COMMON_AT, 0x38, false },
		{ "common: smaller than its structure", 0, 4, 16, COMMON_AT, 0x20, false },
		{ "common: past the end of its BAR", 0, 4, 16, 0x3ff0, 0x38, false },
		{ "common: offset wraps", 0, 4, 16, 0xfffffff0, 0x38, false },
		{ "notify: without its multiplier", 1, 4, 16, NOTIFY_AT, 0x1000, false },
		{ "isr: past the end of its BAR", 2, 4, 16, 0x4000, 4, false },
		{ "device: absent is fine", 3, 4, 16, DEVICE_AT, 0, true },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int transitional = 0; transitional < 2; transitional++) {
			lay = modern;
			lay.io_bar = true;
			lay.caps[cases[i].cap].bar = cases[i].bar;
			lay.caps[cases[i].cap].cap_len = cases[i].cap_len;
			lay.caps[cases[i].cap].at = cases[i].at;
			lay.caps[cases[i].cap].len = cases[i].len;
			struct pci_dev *d =
				transitional ? fresh(0x1005, VIRTIO_ID_RNG, V1) : fresh(0x1044, 0, V1);
			dev.legacy = transitional && !cases[i].works;
			int r = virtio_pci_probe(d);
			const struct virtio_ops *want = cases[i].works ? &modern_ops
							: transitional ? &legacy_ops
								       : NULL;
			const struct virtio_ops *got = r ? NULL : virtio_devices->ops;
			if (got != want) {
				printf("  %s (%s): %s, not %s\n", cases[i].what,
				       transitional ? "transitional" : "modern", got ? got->name : "refused",
				       want ? want->name : "refused");
				CHECK(0);
			}
			if (!r)
				CHECK_EQ(rng_read(8), 8);
			CHECK(dev_ok());
		}
	}
	/* the first usable one of each type wins: of two good common capabilities the first
	 * (where the registers are); after a broken one, the good one */
	for (int broken = 0; broken < 2; broken++) {
		lay = modern;
		lay.caps[4] = lay.caps[0];
		lay.ncaps = 5;
		if (broken)
			lay.caps[0].bar = 7;
		else
			lay.caps[4].at = 0x800;
		CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
		CHECK(vp_of() && (const uint8_t *)vp_of()->common == bar4 + COMMON_AT);
		CHECK_EQ(rng_read(8), 8);
		CHECK(dev_ok());
	}
}

/* A capability list that loops ends the walk (drivers/pci/pci.c); what was found still
 * serves. */
static void test_capability_loop(void)
{
	lay = modern;
	fresh(0x1044, 0, V1);
	space[MSIX_AT + 12 + 3 * 20 + 1] = MSIX_AT + 12; /* the last points back at the first vendor cap */
	CHECK_EQ(virtio_pci_probe(&pdev), 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());
}

/* Transitional ids carry the type in the subsystem id, modern ones in the device id
 * (§4.1.2); a type without a driver, or an id outside both ranges, is not taken. */
static void test_device_ids(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1005, VIRTIO_ID_RNG, V1)), 0);
	CHECK(virtio_devices && virtio_devices->ops == &modern_ops); /* capabilities: modern */
	CHECK_EQ(virtio_pci_probe(fresh(0x1043, 0, V1)), -ENODEV);   /* a console: no driver */
	CHECK_EQ(dev.nstatus, 0);
	CHECK_EQ(virtio_pci_probe(fresh(0x1080, 0, V1)), -ENODEV);
	CHECK_EQ(virtio_pci_probe(fresh(0x0fff, 0, V1)), -ENODEV);
	CHECK(virtio_devices == NULL);
	CHECK(dev_ok());
}

/* A queue whose doorbell (notify_off x multiplier) lies outside the notify structure: the
 * device is FAILED, after it let go of the queues already set up. */
static void test_notify_offset_outside(void)
{
	lay = modern;
	struct pci_dev *d = fresh(0x1044, 0, V1);
	reg.qnotify_off[0] = 0x1000 / NOTIFY_MULT;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(dev.status & VIRTIO_STATUS_FAILED);
	CHECK(!dev.q[0].enabled);
	CHECK_EQ(sim_dma_live(), live_before);
	CHECK(dev_ok());
}

/* MSI-X vectors the device refuses (NO_VECTOR read back, §4.1.5.1.2): for config changes,
 * or for the queue; modern and legacy. */
static void test_vectors_refused(void)
{
	for (int which = 0; which < 4; which++) {
		lay = modern;
		if (which >= 2) /* legacy */
			lay = (struct layout){ .msix_vectors = 2, .io_bar = true };
		struct pci_dev *d = which >= 2 ? fresh(0x1005, VIRTIO_ID_RNG, 0) : fresh(0x1044, 0, V1);
		dev.bad = SIM_BAD(which & 1 ? SIM_REFUSE_QUEUE_VECTOR : SIM_REFUSE_VECTORS);
		CHECK_EQ(virtio_pci_probe(d), -ENODEV);
		CHECK(dev.status & VIRTIO_STATUS_FAILED);
		CHECK(!dev.q[0].enabled);
		CHECK(!(cfg16(MSIX_AT + 2) & 0x8000)); /* MSI-X off again */
		for (int v = first_vector; v < next_vector; v++)
			CHECK(vectors[v].fn == NULL);
		CHECK_EQ(sim_dma_live(), live_before);
		CHECK(dev_ok());
	}
}

/* Queue sizes the device writes: 0 is no queue; more than 32768 (§2.7, §2.8) is refused
 * before the ring is made. */
static void test_queue_size_checked(void)
{
	static const unsigned sizes[] = { 0, 40000, 65535 };
	for (unsigned i = 0; i < 3; i++) {
		lay = modern;
		struct pci_dev *d = fresh(0x1044, 0, V1);
		dev.q[0].max = sizes[i];
		CHECK_EQ(virtio_pci_probe(d), -ENODEV);
		CHECK(dev_ok());
	}
}

/* A reset whose status never reads 0: given up after VIRTIO_DEVICE_WAIT_NS, not spun on. */
static void test_reset_bounded(void)
{
	lay = modern;
	struct pci_dev *d = fresh(0x1044, 0, V1);
	dev.status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	dev.bad = SIM_BAD(SIM_RESET_STUCK);
	uint64_t t0 = fake_now;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(fake_now - t0 >= VIRTIO_DEVICE_WAIT_NS);
	CHECK(fake_now - t0 < 10 * VIRTIO_DEVICE_WAIT_NS);
	CHECK(dev.status & VIRTIO_STATUS_FAILED);
	CHECK(dev_ok());

	d = fresh(0x1044, 0, V1); /* slow, but within the bound */
	dev.status = VIRTIO_STATUS_ACKNOWLEDGE;
	dev.reset_reads = 20;
	CHECK_EQ(virtio_pci_probe(d), 0);
	CHECK(dev_ok());
}

/* Device config (§4.1.4.6): fields read by offset within the structure and no further,
 * 64-bit ones checked against the generation; one that never settles is reported. */
static void test_config_reads(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	struct virtio_dev *vd = virtio_devices;
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x10 + i);
	sim_vdev_config_change(&dev, 0, b, 16);
	dev.config_size = 0x100;
	CHECK_EQ(vd->ops->config_size(vd), 0x100);
	CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x1f1e1d1c1b1a1918ull);
	CHECK_EQ(vd->ops->read_config(vd, 2, 2), 0x1312);
	CHECK_EQ(vd->ops->read_config(vd, 0xfe, 4), 0); /* past the structure: not read */
	vd->ops->write_config(vd, 0xfe, 4, 0xffffffff);
	CHECK_EQ(vd->ops->config_generation(vd), dev.generation);
	CHECK_EQ(vd->config_error, 0);
	dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	vd->ops->read_config(vd, 8, 8);
	CHECK_EQ(vd->config_error, -EIO);
	dev.bad = 0;
	CHECK(dev_ok());

	lay = modern; /* no device structure: nothing to read */
	lay.ncaps = 3;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK_EQ(virtio_devices->ops->config_size(virtio_devices), 0);
	CHECK_EQ(virtio_devices->ops->read_config(virtio_devices, 0, 1), 0);
	CHECK(dev_ok());
}

int main(void)
{
	sim_dma_low = true; /* legacy devices take 32-bit page numbers */
	RUN(test_modern);
	RUN(test_intx);
	RUN(test_legacy);
	RUN(test_capabilities_checked);
	RUN(test_capability_loop);
	RUN(test_device_ids);
	RUN(test_notify_offset_outside);
	RUN(test_vectors_refused);
	RUN(test_queue_size_checked);
	RUN(test_reset_bounded);
	RUN(test_config_reads);
	unplug();
	UNIT_DONE();
}
