/* pci.c - enumerate buses through bridges, size BARs, walk capabilities, probe drivers. */
#include "drivers/pci/pci.h"
#include "kernel/log.h"
#include <stdlib.h>
#include <string.h>

struct pci_dev *pci_devices;
static struct pci_dev **tail = &pci_devices;
static const struct pci_cfg_ops *cfg;

void pci_set_cfg_ops(const struct pci_cfg_ops *ops) { cfg = ops; }

static uint8_t devfn(const struct pci_dev *d) { return (uint8_t)(d->dev << 3 | d->fn); }

uint32_t pci_read(const struct pci_dev *d, uint16_t off, int width)
{
	return cfg->read(d->seg, d->bus, devfn(d), off, width);
}

void pci_write(const struct pci_dev *d, uint16_t off, int width, uint32_t v)
{
	cfg->write(d->seg, d->bus, devfn(d), off, width, v);
}

#define DEV_FMT     "pci %02x:%02x.%x: "
#define DEV_ARGS(d) (d)->bus, (d)->dev, (d)->fn

/* Size of a BAR from the bits that stayed set after writing all ones: the
 * lowest one is the size; a valid mask is ones from there up. */
static uint64_t mask_size(uint64_t mask, uint64_t all)
{
	uint64_t size = mask & -mask;
	if (!size || ((mask | (size - 1)) & all) != all)
		return 0;
	return size;
}

/* PCI Local Bus 3.0 §6.2.5.1: write all ones with decoding off, read back
 * the size mask, restore. Returns how many BAR slots this BAR used. */
static int size_bar(struct pci_dev *d, int i)
{
	uint16_t reg = (uint16_t)(PCI_BAR0 + 4 * i);
	uint32_t orig = pci_read32(d, reg);
	struct pci_bar *b = &d->bar[i];
	int slots = 1;

	memset(b, 0, sizeof *b);
	pci_write32(d, reg, 0xffffffffu);
	uint32_t lo = pci_read32(d, reg);
	pci_write32(d, reg, orig);

	if (orig & 1) { /* I/O space */
		uint64_t size = mask_size(lo & ~3u, 0xffff);
		if (lo && !size)
			goto garbage;
		if (size) {
			b->type = PCI_BAR_IO;
			b->addr = orig & ~3u;
			b->size = size;
		}
		return 1;
	}
	unsigned type = (orig >> 1) & 3;
	if (type == 1 || type == 3 || (type == 2 && (i == 5 || ((d->header_type & 0x7f) == 1 && i == 1))))
		goto garbage;
	uint64_t addr = orig & ~0xfu, mask = lo & ~0xfu, all = 0xffffffffu;
	if (type == 2) { /* 64-bit: the next slot holds the upper half */
		uint16_t hreg = (uint16_t)(reg + 4);
		uint32_t orig_hi = pci_read32(d, hreg);
		pci_write32(d, hreg, 0xffffffffu);
		uint32_t hi = pci_read32(d, hreg);
		pci_write32(d, hreg, orig_hi);
		addr |= (uint64_t)orig_hi << 32;
		mask |= (uint64_t)hi << 32;
		all = ~0ull;
		slots = 2;
	}
	if (!mask)
		return slots; /* an unused BAR: all ones read back as 0 */
	uint64_t size = mask_size(mask, all);
	if (!size)
		goto garbage;
	b->type = type == 2 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
	b->prefetch = orig & 8;
	b->addr = addr;
	b->size = size;
	return slots;
garbage:
	log_warn(DEV_FMT "BAR%d reads back 0x%08x (was 0x%08x): not a valid BAR; ignored\n", DEV_ARGS(d), i,
		 lo, orig);
	memset(b, 0, sizeof *b);
	return 1;
}

static int nbars(const struct pci_dev *d)
{
	return (d->header_type & 0x7f) == 0 ? 6 : (d->header_type & 0x7f) == 1 ? 2 : 0;
}

/* How many slots the BAR at slot i takes, from its value alone (no write):
 * a 64-bit memory BAR two, anything else one. */
static int bar_slots(const struct pci_dev *d, int i, uint32_t v)
{
	return !(v & 1) && ((v >> 1) & 3) == 2 && i + 1 < nbars(d) ? 2 : 1;
}

/* Size the BARs in `bars` (a bit per slot) that are not sized yet, with
 * decoding off only for their kinds (I/O, memory): under QEMU each BAR whose
 * decoding changes costs a rebuild of the machine's memory map, so a kind no
 * asked-for BAR has stays as it is. With enable, the write that turns
 * decoding back on also turns on bus mastering and the decoding of every
 * kind asked for. */
static void size_bars(struct pci_dev *d, unsigned bars, bool enable)
{
	int n = nbars(d);
	unsigned unsized = 0; /* the first slot of each asked-for BAR not sized yet */
	uint16_t kinds = 0, off = 0;
	for (int i = 0, s; i < n; i += s) {
		uint32_t v = pci_read32(d, (uint16_t)(PCI_BAR0 + 4 * i));
		s = bar_slots(d, i, v);
		unsigned slots = ((1u << s) - 1) << i;
		if (!(bars & slots))
			continue;
		uint16_t kind = v & 1 ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
		kinds |= kind;
		if ((d->bars_sized & slots) != slots)
			unsized |= 1u << i, off |= kind;
	}
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	uint16_t set = enable ? (uint16_t)(PCI_COMMAND_MASTER | kinds) : 0;
	/* Decoding off while a BAR holds all ones, so no access lands there. */
	if (off & cmd)
		pci_write16(d, PCI_COMMAND, (uint16_t)(cmd & ~off));
	for (int i = 0; i < n; i++)
		if (unsized >> i & 1) {
			int s = size_bar(d, i);
			d->bars_sized |= (uint8_t)(((1u << s) - 1) << i);
		}
	if ((off & cmd) || (cmd | set) != cmd)
		pci_write16(d, PCI_COMMAND, cmd | set);
}

void pci_read_bars(struct pci_dev *d) { size_bars(d, PCI_ALL_BARS, false); }

const struct pci_bar *pci_bar(struct pci_dev *d, int i)
{
	if (!(d->bars_sized >> i & 1))
		size_bars(d, 1u << i, false);
	return &d->bar[i];
}

/* The capability list (PCI 3.0 §6.7): at most 48 entries fit in the 192
 * bytes after the header, so a longer walk is a loop. */
int pci_for_each_cap(const struct pci_dev *d, void (*fn)(const struct pci_dev *, uint8_t, uint8_t, void *),
		     void *arg)
{
	uint8_t seen[256 / 8] = { 0 };
	int n = 0;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	uint8_t off = pci_read8(d, PCI_CAP_PTR) & 0xfc;
	while (off) {
		if (off < 0x40) {
			log_warn(DEV_FMT "capability pointer 0x%02x points into the header; list ends\n",
				 DEV_ARGS(d), off);
			break;
		}
		if (seen[off / 8] & (1 << (off % 8)) || n == 48) {
			log_warn(DEV_FMT "capability list loops at 0x%02x; list ends\n", DEV_ARGS(d), off);
			break;
		}
		seen[off / 8] |= (uint8_t)(1 << (off % 8));
		uint8_t id = pci_read8(d, off);
		if (fn)
			fn(d, off, id, arg);
		n++;
		off = pci_read8(d, (uint8_t)(off + 1)) & 0xfc;
	}
	return n;
}

struct find_arg {
	uint8_t id, prev, found;
	bool past_prev;
};

static void find_one(const struct pci_dev *d, uint8_t off, uint8_t id, void *p)
{
	struct find_arg *a = p;
	(void)d;
	if (a->found)
		return;
	if (!a->past_prev) {
		a->past_prev = off == a->prev;
		return;
	}
	if (id == a->id)
		a->found = off;
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t prev)
{
	struct find_arg a = { id, prev, 0, prev == 0 };
	pci_for_each_cap(d, find_one, &a);
	return a.found;
}

/* The BARs in `bars` not sized yet are sized here, and the write that turns
 * their decoding back on turns bus mastering on too: one rebuild of QEMU's
 * memory map fewer. */
void pci_enable(struct pci_dev *d, unsigned bars) { size_bars(d, bars, true); }
void pci_enable_bus_master(struct pci_dev *d) { size_bars(d, PCI_ALL_BARS, true); }

static struct pci_dev *add_function(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
				    struct pci_dev *parent)
{
	struct pci_dev *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->seg = seg, d->bus = bus, d->dev = dev, d->fn = fn;
	d->parent = parent;
	d->intx_gsi = -1;
	d->vendor = pci_read16(d, PCI_VENDOR_ID);
	d->device = pci_read16(d, PCI_DEVICE_ID);
	d->revision = pci_read8(d, PCI_REVISION);
	d->prog_if = pci_read8(d, PCI_PROG_IF);
	d->subclass = pci_read8(d, PCI_SUBCLASS);
	d->class = pci_read8(d, PCI_CLASS);
	d->header_type = pci_read8(d, PCI_HEADER_TYPE);
	d->irq_line = pci_read8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_read8(d, PCI_INTERRUPT_PIN);
	if ((d->header_type & 0x7f) == 0) {
		d->subsys_vendor = pci_read16(d, PCI_SUBSYSTEM_VENDOR);
		d->subsys_id = pci_read16(d, PCI_SUBSYSTEM_ID);
	} else if ((d->header_type & 0x7f) == 1) {
		d->secondary_bus = pci_read8(d, PCI_SECONDARY_BUS);
	}
	d->dma = (struct dma_dev){ .segment = seg, .bus = bus, .dev = dev, .fn = fn };
	d->msix.cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (d->msix.cap) /* table size is N-1 in the low 11 bits of message control (PCI 3.0 §6.8.2.3) */
		d->msix.nvec = (uint16_t)((pci_read16(d, (uint16_t)(d->msix.cap + 2)) & 0x7ff) + 1);
	*tail = d;
	tail = &d->next;
	return d;
}

static void scan_bus(uint16_t seg, uint8_t bus, uint8_t *visited, int depth, struct pci_dev *parent)
{
	if (visited[bus / 8] & (1 << (bus % 8)))
		return; /* a bridge that names a bus already scanned */
	visited[bus / 8] |= (uint8_t)(1 << (bus % 8));
	for (uint8_t dev = 0; dev < 32; dev++) {
		for (uint8_t fn = 0; fn < 8; fn++) {
			uint8_t df = (uint8_t)(dev << 3 | fn);
			if ((uint16_t)cfg->read(seg, bus, df, PCI_VENDOR_ID, 2) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			struct pci_dev *d = add_function(seg, bus, dev, fn, parent);
			if (!d)
				return;
			/* PCI-to-PCI bridges and PCIe root/downstream ports: follow them */
			if ((d->header_type & 0x7f) == 1 && d->secondary_bus > bus && depth < 32)
				scan_bus(seg, d->secondary_bus, visited, depth + 1, d);
			if (fn == 0 && !(d->header_type & 0x80))
				break; /* not multi-function */
		}
	}
}

void pci_enumerate(uint16_t seg, uint8_t bus);
void pci_enumerate(uint16_t seg, uint8_t bus)
{
	uint8_t visited[256 / 8] = { 0 };
	scan_bus(seg, bus, visited, 0, NULL);
}

struct pci_dev *pci_get(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (struct pci_dev *d = pci_devices; d; d = d->next)
		if (d->bus == bus && d->dev == dev && d->fn == fn)
			return d;
	return NULL;
}

static const struct {
	uint16_t vendor, device;
	const char *name;
} known[] = {
	{ 0x8086, 0x29c0, "q35-host-bridge" },
	{ 0x8086, 0x2918, "ich9-lpc" },
	{ 0x8086, 0x2922, "ich9-ahci" },
	{ 0x8086, 0x2930, "ich9-smbus" },
	{ 0x8086, 0x1237, "i440fx-host" },
	{ 0x8086, 0x7000, "piix3-isa" },
	{ 0x8086, 0x7010, "piix3-ide" },
	{ 0x8086, 0x7113, "piix4-acpi" },
	{ 0x1234, 0x1111, "vga" },
	{ 0x1234, 0x11e8, "edu" },
	{ 0x1b36, 0x000c, "pcie-root-port" },
	{ 0x1b36, 0x000e, "pcie-pci-bridge" },
	{ 0x1b36, 0x0001, "pci-bridge" },
	{ 0x8086, 0x100e, "e1000" },
	{ 0x8086, 0x10d3, "e1000e" },
	{ 0x8086, 0x20, "intel-iommu" },
};

/* Virtio device ids (virtio 1.2 §5), by id. */
static const char *const virtio_names[] = {
	[1] = "virtio-net",     [2] = "virtio-blk",    [3] = "virtio-console", [4] = "virtio-rng",
	[5] = "virtio-balloon", [8] = "virtio-scsi",   [9] = "virtio-9p",      [16] = "virtio-gpu",
	[18] = "virtio-input",  [19] = "virtio-vsock", [20] = "virtio-crypto", [23] = "virtio-iommu",
	[24] = "virtio-mem",    [26] = "virtio-fs",    [27] = "virtio-pmem",
};

/* A virtio function's name from its device id (virtio 1.2 §4.1.2): 0x1040 +
 * id for a modern device; a transitional one (0x1000-0x103f) carries the id
 * in its subsystem device id, as virtio_pci_probe reads it. NULL: not virtio. */
static const char *virtio_name(const struct pci_dev *d)
{
	unsigned id;
	if (d->device >= 0x1040 && d->device <= 0x107f)
		id = d->device - 0x1040u;
	else if (d->device >= 0x1000 && d->device <= 0x103f)
		id = d->subsys_id;
	else
		return NULL;
	return id < sizeof virtio_names / sizeof virtio_names[0] && virtio_names[id] ? virtio_names[id]
										     : "virtio";
}

const char *pci_dev_name(const struct pci_dev *d)
{
	static const char *const classes[] = { "unclassified", "storage", "network", "display",
					       "multimedia",   "memory",  "bridge",  "communication",
					       "system",       "input",   "docking", "processor",
					       "serial-bus" };
	if (d->vendor == 0x1af4) {
		const char *n = virtio_name(d);
		if (n)
			return n;
	}
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i].vendor == d->vendor && known[i].device == d->device)
			return known[i].name;
	return d->class < sizeof classes / sizeof classes[0] ? classes[d->class] : "unknown";
}

static void probe_one(struct pci_dev *d)
{
	for (int i = 0; i < pci_ndrivers; i++) {
		const struct pci_driver *drv = &pci_drivers[i];
		if ((drv->vendor != 0xffff && drv->vendor != d->vendor) ||
		    (drv->device != 0xffff && drv->device != d->device) ||
		    (drv->class != 0xff && drv->class != d->class) ||
		    (drv->subclass != 0xff && drv->subclass != d->subclass))
			continue;
		if (drv->probe(d) == 0) {
			d->driver = drv->name;
			break;
		}
	}
}

/* An IOMMU that is itself a PCI function (a virtio-iommu) goes first: the
 * devices it translates for need their domains from it as they come up. */
void pci_probe_drivers(void);
void pci_probe_drivers(void)
{
	for (struct pci_dev *d = pci_devices; d; d = d->next)
		if (dma_is_iommu(d->seg, d->bus, d->dev, d->fn))
			probe_one(d);
	for (struct pci_dev *d = pci_devices; d; d = d->next)
		if (!d->driver && !dma_is_iommu(d->seg, d->bus, d->dev, d->fn))
			probe_one(d);
}
