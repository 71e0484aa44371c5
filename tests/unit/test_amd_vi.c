/* test_amd_vi.c - amd_vi.c against a fake unit: handles, device table and page entries, commands sent, events read. */
#include "unit.h"

/*
 * A fake AMD-Vi unit: registers in memory, the command buffer run when its
 * tail moves (every command recorded, COMPLETION_WAIT storing its data),
 * and an event log the test writes into. Its PCI function has a status
 * register and the capability header whose NpCache bit the test chooses.
 */
#define AMD_FAKE_REGS
#include "drivers/iommu/amd_vi.c"
#include "drivers/iommu/iodom.c"
#include "drivers/iommu/iopt.c"
#include "drivers/iommu/ivrs.c"
#include <string.h>

static uint8_t regs[MMIO_BYTES] __attribute__((aligned(4096)));
struct cmd {
	uint64_t c0, c1;
};
static struct cmd seen[1024];
static unsigned nseen, cmd_head;

static uint64_t reg(unsigned off)
{
	uint64_t v;
	memcpy(&v, regs + off, 8);
	return v;
}
static void set(unsigned off, uint64_t v) { memcpy(regs + off, &v, 8); }

static uint64_t rd64(struct unit *u, unsigned off) { return reg(off); }
static void wr64(struct unit *u, unsigned off, uint64_t v)
{
	if (off == STATUS) { /* write 1 to clear */
		set(off, reg(off) & ~v);
		return;
	}
	set(off, v);
	if (off == CMDBUF_TAIL && reg(CONTROL) & CTRL_CMDBUF_EN) {
		const uint64_t *q = (const uint64_t *)(uintptr_t)(reg(CMDBUF_BASE) & IOPT_ADDR);
		for (unsigned tail = (unsigned)(v >> 4) % RING_ENTRIES; cmd_head != tail;
		     cmd_head = (cmd_head + 1) % RING_ENTRIES) {
			uint64_t c0 = q[2 * cmd_head], c1 = q[2 * cmd_head + 1];
			if (nseen < sizeof seen / sizeof seen[0])
				seen[nseen++] = (struct cmd){ c0, c1 };
			if (c0 >> 60 == CMD_COMPLETION_WAIT && c0 & COMW_STORE)
				*(volatile uint64_t *)(uintptr_t)(c0 & 0x000ffffffffffff8ull) = c1;
		}
		set(CMDBUF_HEAD, (uint64_t)cmd_head << 4);
	}
	if (off == CMDBUF_BASE)
		cmd_head = 0;
}

/* ---- what amd_vi.c needs from the rest of the kernel ---- */
struct acpi_info acpi;
volatile uint64_t apic_ticks;
static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns += 1000; }
void *mmio_map(uint64_t phys, uint64_t len) { return phys == 0xfed80000 ? regs : NULL; }
static int pages_live;
void *page_alloc(size_t n, size_t align)
{
	void *p = aligned_alloc(4096 * align, n * 4096);
	memset(p, 0, n * 4096);
	pages_live++;
	return p;
}
void page_free(void *p, size_t n) { free(p), pages_live--; }
static void test_page_free(void *p) { page_free(p, 1); }
void poll_register(poll_fn fn, void *arg, const char *name) {}
int irq_alloc_vector(void) { return 49; }
int irq_register(int v, irq_handler_t fn, void *arg, const char *owner) { return 0; }
int pci_msi_enable(struct pci_dev *d, int vector) { return 0; }
static uint8_t config[256]; /* the unit's PCI function */
uint32_t pci_read(const struct pci_dev *d, uint16_t off, int width)
{
	uint32_t v = 0;
	memcpy(&v, config + off, (size_t)width);
	return v;
}
void pci_write(const struct pci_dev *d, uint16_t off, int width, uint32_t v)
{
	if (off == PCI_STATUS) { /* write 1 to clear */
		uint16_t s;
		memcpy(&s, config + off, 2);
		s &= (uint16_t)~v;
		memcpy(config + off, &s, 2);
		return;
	}
	memcpy(config + off, &v, (size_t)width);
}
const char *iommu_mode_name(void) { return "test"; }
void dma_pool_show(const struct dma_dev *d) {}
static struct {
	struct dma_dev *d;
	dma_addr_t page;
	bool write;
} rec[8];
static int nrec;
void dma_fault_record(struct dma_dev *d, dma_addr_t page, bool write)
{
	if (nrec < 8)
		rec[nrec].d = d, rec[nrec].page = page, rec[nrec].write = write;
	nrec++;
}

/* An IVRS with one IVHD 0x10: the unit at 00:03.0, every device selected. */
static uint8_t ivrs_table[80];
static struct pci_dev unit_fn = { .bus = 0, .dev = 3, .fn = 0 };

static void unit_free(void)
{
	while (domains) {
		struct domain *dm = domains;
		domains = dm->next;
		iodom_destroy(&dm->io, test_page_free);
		free(dm);
	}
	for (int i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		if (u->devtab)
			page_free(u->devtab, DEVTAB_PAGES), page_free(u->cmdbuf, 1), page_free(u->evtlog, 1),
				page_free(u->blocked, 1), page_free((void *)u->comw, 1);
	}
	memset(units, 0, sizeof units);
	nunits = 0;
	CHECK_EQ(pages_live, 0);
}

static void unit_with(bool npcache, enum dma_iommu_mode mode)
{
	unit_free();
	memset(regs, 0, sizeof regs);
	nseen = 0, nrec = 0, next_domain = 1;
	memset(ivrs_table, 0, sizeof ivrs_table);
	memcpy(ivrs_table, "IVRS", 4);
	ivrs_table[4] = 48 + 28;
	uint8_t *h = ivrs_table + 48;
	h[0] = 0x10, h[2] = 28, h[4] = 0x18, h[6] = 0x40; /* devid 00:03.0, capability at 0x40 */
	h[10] = 0xd8, h[11] = 0xfe;                       /* base 0xfed80000 */
	h[24] = 1;                                        /* select all */
	acpi.ivrs = ivrs_table, acpi.ivrs_len = 48 + 28;
	set(EXT_FEATURE, EFR_IASUP);
	memset(config, 0, sizeof config);
	uint32_t cap = 0x0f | (npcache ? CAP_NPCACHE : 0);
	memcpy(config + 0x40, &cap, 4);
	CHECK_EQ(amd_vi_driver.init(mode), 1);
	CHECK_EQ(amd_vi_pci_probe(&unit_fn), 0);
	CHECK_EQ(units[0].npcache, npcache);
}

static struct dma_dev dev = { .bus = 0, .dev = 5, .fn = 0, .name = "blk0" };
static struct domain *attach(void)
{
	void *dom = NULL;
	dev.domain = NULL;
	CHECK_EQ(amd_vi_driver.attach(&dev, &dom), 0);
	CHECK(dom != NULL);
	dev.domain = dom;
	dev.ops = ((struct dma_domain *)dom)->ops;
	return dom;
}

/* INVALIDATE_IOMMU_PAGES among seen[from..]: the address and S of each; waits apart. */
static int inv_pages(unsigned from, uint64_t *addr, bool *s, int max, unsigned *waits)
{
	int n = 0;
	*waits = 0;
	for (unsigned i = from; i < nseen; i++) {
		if (seen[i].c0 >> 60 == CMD_COMPLETION_WAIT)
			(*waits)++;
		if (seen[i].c0 >> 60 == CMD_INV_PAGES && n < max) {
			addr[n] = seen[i].c1 & ~0xfffull;
			s[n++] = seen[i].c1 & INV_S;
		}
	}
	return n;
}

/* Every requester id starts blocked; attach names the domain's table in the device's entry. */
static void test_device_table(void)
{
	unit_with(false, DMA_IOMMU_STRICT);
	const uint64_t *dt = units[0].devtab;
	for (unsigned id = 0; id < DEVTAB_ENTRIES; id += 4097)
		CHECK_EQ(dt[4 * id] & (DTE_V | DTE_TV | DTE_IR | DTE_IW), DTE_V | DTE_TV);
	unsigned from = nseen;
	struct domain *dm = attach();
	const uint64_t *e = &dt[4 * 0x28];
	CHECK_EQ(e[0], DTE_V | DTE_TV | DTE_MODE(3) | dm->io.pt.root | DTE_IR | DTE_IW);
	CHECK_EQ(e[1], dm->id);
	CHECK_EQ(dm->devid, 0x28);
	bool devtab = false;
	for (unsigned i = from; i < nseen; i++)
		devtab |= seen[i].c0 == (0x28 | CMD_OP(CMD_INV_DEVTAB));
	CHECK(devtab);
	CHECK(amd_vi_driver.is_unit(0, 0, 3, 0));
	void *dom;
	struct dma_dev self = { .bus = 0, .dev = 3 };
	CHECK_EQ(amd_vi_driver.attach(&self, &dom), 0);
	CHECK(dom == NULL); /* the unit's own function is not translated */
}

/* The handle keeps the offset; each page touched is a leaf with the direction's
 * permission; a strict unmap sends the exact blocks and one COMPLETION_WAIT. */
static void test_map_unmap(void)
{
	unit_with(false, DMA_IOMMU_STRICT);
	struct domain *dm = attach();
	unsigned from = nseen, lv, waits;
	dma_addr_t h = amd_backend.map(&dev, 0x3456789, 0x2100, DMA_FROM_DEVICE); /* 3 pages */
	CHECK_EQ(nseen, from); /* without NpCache a new mapping needs no command */
	CHECK_EQ(h & 0xfff, 0x789);
	for (int k = 0; k < 3; k++)
		CHECK_EQ(iopt_lookup(&dm->io.pt, h + (uint64_t)k * 4096, &lv),
			 (0x3456000 + (uint64_t)k * 4096) | AMD_PR | AMD_IW);
	CHECK_EQ(iopt_lookup(&dm->io.pt, h + 3 * 4096, &lv), 0);
	/* a second buffer: IOVAs 3..7 of the space, five pages */
	dma_addr_t h2 = amd_backend.map(&dev, 0x100000, 5 * 4096, DMA_TO_DEVICE);
	CHECK_EQ(h2, IODOM_IOVA_BASE + 3 * 4096);
	from = nseen;
	amd_backend.unmap(&dev, h2, 5 * 4096, DMA_TO_DEVICE);
	uint64_t a[8];
	bool s[8];
	int n = inv_pages(from, a, s, 8, &waits);
	/* page 3 alone; pages 4-7 as one block of 4 (address bits 12,13 = 1,0 with S) */
	CHECK_EQ(n, 2);
	CHECK_EQ(a[0], IODOM_IOVA_BASE + 3 * 4096);
	CHECK(!s[0]);
	CHECK_EQ(a[1], (IODOM_IOVA_BASE + 4 * 4096) | 1ull << 12);
	CHECK(s[1]);
	CHECK_EQ(waits, 1);
	CHECK_EQ(iopt_lookup(&dm->io.pt, h2, &lv), 0);
	CHECK(!iova_allocated(&dm->io.iova, h2));
}

/* NpCache: a new mapping is invalidated too. */
static void test_npcache(void)
{
	unit_with(true, DMA_IOMMU_LAZY);
	attach();
	unsigned from = nseen, waits;
	dma_addr_t h = amd_backend.map(&dev, 0x5000, 2 * 4096, DMA_BIDIRECTIONAL);
	uint64_t a[4];
	bool s[4];
	CHECK_EQ(inv_pages(from, a, s, 4, &waits), 1);
	CHECK_EQ(a[0], h & ~0xfffull);
	CHECK(s[0]); /* two pages: one S block */
	CHECK_EQ(waits, 1);
}

/* Lazy: 63 unmaps send nothing; the 64th one domain invalidation and one wait. */
static void test_lazy_batch(void)
{
	unit_with(false, DMA_IOMMU_LAZY);
	struct domain *dm = attach();
	dma_addr_t h[IODOM_LAZY_DEFER];
	for (int i = 0; i < IODOM_LAZY_DEFER; i++)
		h[i] = amd_backend.map(&dev, 0x200000 + (uint64_t)i * 4096, 512, DMA_TO_DEVICE);
	unsigned from = nseen, waits;
	for (int i = 0; i < IODOM_LAZY_DEFER - 1; i++)
		amd_backend.unmap(&dev, h[i], 512, DMA_TO_DEVICE);
	CHECK_EQ(nseen, from);
	amd_backend.unmap(&dev, h[IODOM_LAZY_DEFER - 1], 512, DMA_TO_DEVICE);
	uint64_t a[4];
	bool s[4];
	CHECK_EQ(inv_pages(from, a, s, 4, &waits), 1);
	CHECK_EQ(a[0], INV_ALL_ADDR);
	CHECK_EQ(seen[from].c0 >> 32 & 0xffff, dm->id);
	CHECK_EQ(dm->io.iova.used, 0);
}

/* The window: 2 MiB leaves (NextLevel 0 at level 2). */
static void test_map_fixed(void)
{
	unit_with(false, DMA_IOMMU_POOL);
	struct domain *dm = attach();
	uint8_t *w = aligned_alloc(2u << 20, 4u << 20);
	CHECK_EQ(amd_backend.map_fixed(&dev, 32ull << 30, (uint64_t)(uintptr_t)w, 4u << 20), 0);
	unsigned lv;
	CHECK_EQ(iopt_lookup(&dm->io.pt, (32ull << 30) + (3u << 20), &lv),
		 ((uint64_t)(uintptr_t)w + (2u << 20)) | AMD_PR | AMD_IR | AMD_IW);
	CHECK_EQ(lv, 2);
	/* past the window: the empty marker, which QEMU 7.2 faults on */
	const uint64_t *root = (const uint64_t *)(uintptr_t)dm->io.pt.root;
	const uint64_t *t2 = (const uint64_t *)(uintptr_t)(root[32] & IOPT_ADDR);
	CHECK_EQ(t2[2], AMD_EMPTY);
	free(w);
}

/* An IO_PAGE_FAULT event reaches dma_fault_record for the device, page and direction. */
static void test_events(void)
{
	unit_with(false, DMA_IOMMU_STRICT);
	attach();
	uint64_t *log = units[0].evtlog;
	log[0] = 0x28 | (uint64_t)EVF_RW << 48 | (uint64_t)EVT_IO_PAGE_FAULT << 60,
	log[1] = IODOM_IOVA_BASE + 0x1234;
	log[2] = 0x99 | (uint64_t)EVT_IO_PAGE_FAULT << 60, log[3] = 0x5000; /* a device with no domain */
	log[4] = (uint64_t)EVT_ILLEGAL_CMD << 60, log[5] = 0;
	set(EVTLOG_TAIL, 3 << 4);
	nrec = 0;
	amd_vi_driver.sync_faults(&dev);
	CHECK_EQ(amd_vi_driver.faultlog(&dev)->count, 1);
	CHECK_EQ(nrec, 1);
	CHECK(rec[0].d == &dev && rec[0].page == IODOM_IOVA_BASE + 0x1000 && rec[0].write);
	CHECK_EQ(reg(EVTLOG_HEAD), 3 << 4); /* the space is handed back */
	/* overflow: every device on the unit hears of a fault nobody can place */
	set(STATUS, STATUS_EVT_OVF);
	nrec = 0;
	amd_vi_driver.sync_faults(&dev);
	CHECK(nrec == 1 && rec[0].page == DMA_MAPPING_ERROR);
	CHECK_EQ(reg(STATUS) & STATUS_EVT_OVF, 0);
	/* QEMU 7.2: a target abort in the function's status, nothing logged */
	uint16_t st = PCI_STATUS_STA;
	memcpy(config + PCI_STATUS, &st, 2);
	nrec = 0;
	amd_vi_driver.sync_faults(&dev);
	CHECK(nrec == 1 && rec[0].page == DMA_MAPPING_ERROR);
	memcpy(&st, config + PCI_STATUS, 2);
	CHECK_EQ(st, 0);
	nrec = 0;
	amd_vi_driver.sync_faults(&dev); /* cleared: heard once */
	CHECK_EQ(nrec, 0);
}

int main(void)
{
	RUN(test_device_table);
	RUN(test_map_unmap);
	RUN(test_npcache);
	RUN(test_lazy_batch);
	RUN(test_map_fixed);
	RUN(test_events);
	unit_free();
	UNIT_DONE();
}
