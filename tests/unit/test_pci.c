/* test_pci.c - BAR sizing and the capability walk against synthetic config spaces. */
#include "unit.h"

#include "drivers/pci/pci.c"
#include <string.h>

/* One fake function: 256 bytes of config space, and per BAR the mask that
 * reads back after all ones are written (0: an unused BAR). */
static uint8_t space[256];
static uint32_t bar_mask[6];
static int bar_garbage[6]; /* reads back this instead of a mask */
static uint16_t cmd_during_sizing;
static int cmd_writes; /* each one rebuilds QEMU's memory map */

static uint32_t fake_read(uint16_t seg, uint8_t bus, uint8_t df, uint16_t off, int width)
{
	(void)seg;
	if (bus != 0 || df != 0)
		return 0xffffffffu; /* nothing else on the bus */
	uint32_t v = 0;
	memcpy(&v, space + off, (size_t)width);
	return v;
}

static void fake_write(uint16_t seg, uint8_t bus, uint8_t df, uint16_t off, int width, uint32_t v)
{
	(void)seg, (void)bus, (void)df;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24 && width == 4) {
		int i = (off - PCI_BAR0) / 4;
		uint32_t cur;
		memcpy(&cur, space + off, 4);
		if (v == 0xffffffffu) {
			cmd_during_sizing = (uint16_t)(space[PCI_COMMAND] | space[PCI_COMMAND + 1] << 8);
			v = bar_garbage[i] ? (uint32_t)bar_garbage[i] : (bar_mask[i] | (cur & 0xf));
		}
		memcpy(space + off, &v, 4);
		return;
	}
	cmd_writes += off == PCI_COMMAND;
	memcpy(space + off, &v, (size_t)width);
}

static int fake_max(uint16_t seg, uint8_t bus) { return 256; }
static const struct pci_cfg_ops fake = { "fake", fake_read, fake_write, fake_max };

static void put32(uint16_t off, uint32_t v) { memcpy(space + off, &v, 4); }
static void put16(uint16_t off, uint16_t v) { memcpy(space + off, &v, 2); }

static struct pci_dev *setup(void)
{
	memset(space, 0, sizeof space);
	memset(bar_mask, 0, sizeof bar_mask);
	memset(bar_garbage, 0, sizeof bar_garbage);
	pci_devices = NULL;
	tail = &pci_devices;
	pci_set_cfg_ops(&fake);
	put16(PCI_VENDOR_ID, 0x1af4);
	put16(PCI_DEVICE_ID, 0x1041);
	put16(PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	space[PCI_CLASS] = 2;
	static struct pci_dev d;
	memset(&d, 0, sizeof d);
	return &d;
}

static void test_bars_decode_and_restore(void)
{
	struct pci_dev *d = setup();
	put32(PCI_BAR0, 0xc001); /* I/O at 0xc000, 32 ports */
	bar_mask[0] = 0xffffffe0;
	put32(PCI_BAR0 + 4, 0xfebd1000); /* 32-bit memory, 4 KiB */
	bar_mask[1] = 0xfffff000;
	put32(PCI_BAR0 + 16, 0xfe00000c); /* 64-bit prefetchable, 16 KiB, upper half 0x8 */
	put32(PCI_BAR0 + 20, 0x8);
	bar_mask[4] = 0xffffc000;
	bar_mask[5] = 0xffffffff;
	pci_read_bars(d);
	CHECK_EQ(d->bar[0].type, PCI_BAR_IO);
	CHECK_EQ(d->bar[0].addr, 0xc000);
	CHECK_EQ(d->bar[0].size, 32);
	CHECK_EQ(d->bar[1].type, PCI_BAR_MEM32);
	CHECK_EQ(d->bar[1].size, 0x1000);
	CHECK_EQ(d->bar[2].type, PCI_BAR_NONE);
	CHECK_EQ(d->bar[4].type, PCI_BAR_MEM64);
	CHECK(d->bar[4].prefetch);
	CHECK_EQ(d->bar[4].addr, 0x8fe000000ull);
	CHECK_EQ(d->bar[4].size, 0x4000);
	CHECK_EQ(d->bar[5].type, PCI_BAR_NONE); /* the upper half, not a BAR */
	/* every BAR holds what it held, and decoding was off while sizing */
	uint32_t v;
	memcpy(&v, space + PCI_BAR0, 4);
	CHECK_EQ(v, 0xc001);
	memcpy(&v, space + PCI_BAR0 + 16, 4);
	CHECK_EQ(v, 0xfe00000c);
	memcpy(&v, space + PCI_BAR0 + 20, 4);
	CHECK_EQ(v, 0x8);
	CHECK_EQ(cmd_during_sizing & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO), 0);
	CHECK_EQ(space[PCI_COMMAND], PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
}

static void test_bar_garbage_is_ignored(void)
{
	struct pci_dev *d = setup();
	put32(PCI_BAR0, 0xfebd1000);
	bar_garbage[0] = 0x0f0f0f00;     /* not contiguous ones */
	put32(PCI_BAR0 + 4, 0xfebd2002); /* memory type 1: reserved */
	bar_mask[1] = 0xfffff000;
	put32(PCI_BAR0 + 20, 0xfe00000c); /* 64-bit in the last slot */
	bar_mask[5] = 0xffffc000;
	int logs = unit_log_lines;
	pci_read_bars(d);
	CHECK_EQ(d->bar[0].type, PCI_BAR_NONE);
	CHECK_EQ(d->bar[1].type, PCI_BAR_NONE);
	CHECK_EQ(d->bar[5].type, PCI_BAR_NONE);
	CHECK_EQ(unit_log_lines - logs, 3);
	uint32_t v;
	memcpy(&v, space + PCI_BAR0, 4);
	CHECK_EQ(v, 0xfebd1000); /* restored even when garbage */
}

static void caps(int n, const uint8_t *offs, const uint8_t *ids, uint8_t last_next)
{
	put16(PCI_STATUS, PCI_STATUS_CAP_LIST);
	space[PCI_CAP_PTR] = offs[0];
	for (int i = 0; i < n; i++) {
		space[offs[i]] = ids[i];
		space[offs[i] + 1] = i + 1 < n ? offs[i + 1] : last_next;
	}
}

static void test_cap_walk(void)
{
	struct pci_dev *d = setup();
	const uint8_t offs[] = { 0x98, 0x84, 0x70, 0x40 }, ids[] = { 0x11, 0x09, 0x09, 0x05 };
	caps(4, offs, ids, 0);
	CHECK_EQ(pci_for_each_cap(d, NULL, NULL), 4);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_MSIX, 0), 0x98);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_VENDOR, 0), 0x84);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_VENDOR, 0x84), 0x70);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_VENDOR, 0x70), 0);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_MSI, 0), 0x40);
	CHECK_EQ(pci_find_cap(d, PCI_CAP_EXP, 0), 0);
	put16(PCI_STATUS, 0); /* no list at all */
	CHECK_EQ(pci_for_each_cap(d, NULL, NULL), 0);
}

static void test_cap_loop_and_bad_pointer_end_the_walk(void)
{
	struct pci_dev *d = setup();
	const uint8_t offs[] = { 0x40, 0x50, 0x60 }, ids[] = { 0x09, 0x09, 0x11 };
	caps(3, offs, ids, 0x50); /* 0x60 points back to 0x50 */
	int logs = unit_log_lines;
	CHECK_EQ(pci_for_each_cap(d, NULL, NULL), 3);
	CHECK_EQ(pci_find_cap(d, 0x42, 0), 0); /* terminates though the id is absent */
	CHECK(unit_log_lines > logs);

	caps(3, offs, ids, 0x10); /* points into the header */
	CHECK_EQ(pci_for_each_cap(d, NULL, NULL), 3);

	space[PCI_CAP_PTR] = 0x40; /* a self loop */
	space[0x41] = 0x40;
	CHECK_EQ(pci_for_each_cap(d, NULL, NULL), 1);
}

static void test_enumerate_finds_the_function(void)
{
	setup();
	pci_enumerate(0, 0);
	int n = 0;
	for (struct pci_dev *p = pci_devices; p; p = p->next)
		n++;
	CHECK_EQ(n, 1);
	CHECK(pci_devices && !strcmp(pci_dev_name(pci_devices), "virtio-net"));
}

/* Enumeration leaves the BARs alone (no decoding turned off and on); the
 * first pci_bar() sizes them all, once. */
static void free_devices(void)
{
	while (pci_devices) {
		struct pci_dev *next = pci_devices->next;
		free(pci_devices);
		pci_devices = next;
	}
}

static void test_bars_sized_when_first_asked(void)
{
	free_devices(); /* the last test's */
	setup();
	put32(PCI_BAR0 + 4, 0xfebd1000);
	bar_mask[1] = 0xfffff000;
	cmd_writes = 0;
	pci_enumerate(0, 0);
	struct pci_dev *d = pci_devices;
	CHECK(d && !d->bars_sized);
	CHECK_EQ(cmd_writes, 0);
	const struct pci_bar *b = pci_bar(d, 1);
	CHECK_EQ(b->type, PCI_BAR_MEM32);
	CHECK_EQ(b->addr, 0xfebd1000);
	CHECK_EQ(b->size, 0x1000);
	CHECK_EQ(pci_bar(d, 1)->size, 0x1000);
	CHECK_EQ(cmd_writes, 2);                     /* off, then back on, and never again */
	CHECK_EQ(pci_bar(d, 0)->type, PCI_BAR_NONE); /* sized when asked for, on its own */
	CHECK_EQ(cmd_writes, 4);
	CHECK_EQ(d->bars_sized, 0x3);
	free_devices();
	/* a driver's bus mastering sizes them on the way: decoding off, then on with mastering */
	setup();
	put32(PCI_BAR0 + 4, 0xfebd1000);
	bar_mask[1] = 0xfffff000;
	cmd_writes = 0;
	pci_enumerate(0, 0);
	d = pci_devices;
	pci_enable_bus_master(d);
	CHECK_EQ(cmd_writes, 2);
	CHECK_EQ(d->bars_sized, PCI_ALL_BARS);
	/* memory decoding off; I/O, which no BAR here decodes, left as it was */
	CHECK_EQ(cmd_during_sizing & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO), PCI_COMMAND_IO);
	CHECK_EQ(space[PCI_COMMAND], PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	CHECK_EQ(pci_bar(d, 1)->size, 0x1000);
	pci_enable_bus_master(d); /* on already: no write */
	CHECK_EQ(cmd_writes, 2);
	free_devices();
}

/* A driver that names the BARs it uses: only those are sized, and the
 * decoding of a kind none of them has (here I/O) is never turned off, so
 * QEMU does not rebuild its memory map for the BARs of that kind. */
static void test_enable_sizes_only_the_named_bars(void)
{
	free_devices();
	setup();
	put32(PCI_BAR0, 0xc001); /* I/O, 32 ports */
	bar_mask[0] = 0xffffffe0;
	put32(PCI_BAR0 + 4, 0xfebd1000); /* 32-bit memory, 4 KiB */
	bar_mask[1] = 0xfffff000;
	put32(PCI_BAR0 + 16, 0xfe00000c); /* 64-bit prefetchable, 16 KiB */
	put32(PCI_BAR0 + 20, 0x8);
	bar_mask[4] = 0xffffc000;
	bar_mask[5] = 0xffffffff;
	pci_enumerate(0, 0);
	struct pci_dev *d = pci_devices;
	cmd_writes = 0;
	pci_enable(d, 1u << 1 | 1u << 4);
	CHECK_EQ(cmd_writes, 2);
	CHECK_EQ(cmd_during_sizing & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO), PCI_COMMAND_IO);
	CHECK_EQ(d->bars_sized, 1u << 1 | 1u << 4 | 1u << 5); /* the 64-bit BAR's two slots */
	CHECK_EQ(space[PCI_COMMAND], PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	CHECK_EQ(pci_bar(d, 4)->size, 0x4000);
	CHECK_EQ(pci_bar(d, 4)->addr, 0x8fe000000ull);
	CHECK_EQ(pci_bar(d, 1)->size, 0x1000);
	CHECK_EQ(cmd_writes, 2);
	/* the legacy BAR when it is asked for: I/O off and on, memory left on */
	CHECK_EQ(pci_bar(d, 0)->size, 32);
	CHECK_EQ(cmd_writes, 4);
	CHECK_EQ(cmd_during_sizing & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO), PCI_COMMAND_MEMORY);
	/* the upper half of a 64-bit BAR asked for alone sizes the BAR it belongs to */
	free_devices();
	setup();
	put32(PCI_BAR0 + 16, 0xfe00000c);
	put32(PCI_BAR0 + 20, 0x8);
	bar_mask[4] = 0xffffc000;
	bar_mask[5] = 0xffffffff;
	pci_enumerate(0, 0);
	d = pci_devices;
	CHECK_EQ(pci_bar(d, 5)->type, PCI_BAR_NONE);
	CHECK_EQ(d->bars_sized, 1u << 4 | 1u << 5);
	CHECK_EQ(d->bar[4].size, 0x4000);
	free_devices();
}

/* Virtio names by PCI device id: modern ones are 0x1040 + the virtio 1.2 §5
 * id, transitional ones carry that id in their subsystem id (§4.1.2). */
static void test_virtio_names(void)
{
	static const struct {
		uint16_t device, subsys;
		const char *name;
	} cases[] = {
		{ 0x1041, 0, "virtio-net" },     { 0x1042, 0, "virtio-blk" },
		{ 0x1043, 0, "virtio-console" }, { 0x1044, 0, "virtio-rng" },
		{ 0x1045, 0, "virtio-balloon" }, { 0x1048, 0, "virtio-scsi" },
		{ 0x1049, 0, "virtio-9p" },      { 0x1057, 0, "virtio-iommu" },
		{ 0x1040, 0, "virtio" },         { 0x107f, 0, "virtio" },
		{ 0x1000, 1, "virtio-net" },     { 0x1001, 2, "virtio-blk" },
		{ 0x1002, 5, "virtio-balloon" }, { 0x1003, 3, "virtio-console" },
		{ 0x1004, 8, "virtio-scsi" },    { 0x1005, 4, "virtio-rng" },
		{ 0x1009, 9, "virtio-9p" },      { 0x1110, 0, "memory" },
		{ 0x0fff, 0, "memory" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pci_dev d = { .vendor = 0x1af4,
				     .device = cases[i].device,
				     .subsys_id = cases[i].subsys };
		d.class = 5; /* the class name, when it is not a virtio device */
		const char *n = pci_dev_name(&d);
		if (strcmp(n, cases[i].name)) {
			printf("  1af4:%04x subsystem %u: %s, not %s\n", cases[i].device, cases[i].subsys, n,
			       cases[i].name);
			CHECK(0);
		}
	}
}

/* kernel/dma.c: the function at 00:03.0 is an IOMMU (a virtio-iommu, say) */
bool dma_is_iommu(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn) { return bus == 0 && dev == 3; }

static char order[8];
static int probe_record(struct pci_dev *d)
{
	size_t n = strlen(order);
	if (n + 1 < sizeof order)
		order[n] = (char)('0' + d->dev);
	return 0;
}
const struct pci_driver pci_drivers[] = { { "any", 0x1af4, 0xffff, 0xff, 0xff, probe_record } };
const int pci_ndrivers = 1;

/* The devices an IOMMU translates for need their domains from it as they
 * come up: it is probed first, whatever its place on the bus, and once. */
static void test_iommu_probed_first(void)
{
	struct pci_dev a = { .vendor = 0x1af4, .dev = 2 }, b = { .vendor = 0x1af4, .dev = 3 },
		       c = { .vendor = 0x1af4, .dev = 4 };
	a.next = &b, b.next = &c;
	struct pci_dev *saved = pci_devices;
	pci_devices = &a;
	order[0] = 0;
	pci_probe_drivers();
	CHECK(!strcmp(order, "324"));
	CHECK(a.driver && b.driver && c.driver);
	pci_devices = saved;
}

int main(void)
{
	RUN(test_bars_decode_and_restore);
	RUN(test_bar_garbage_is_ignored);
	RUN(test_cap_walk);
	RUN(test_cap_loop_and_bad_pointer_end_the_walk);
	RUN(test_enumerate_finds_the_function);
	RUN(test_bars_sized_when_first_asked);
	RUN(test_enable_sizes_only_the_named_bars);
	RUN(test_virtio_names);
	RUN(test_iommu_probed_first);
	UNIT_DONE();
}
