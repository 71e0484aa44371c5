/* test_vtd.c - vtd.c's map and unmap arithmetic against a fake unit: handles, page tables written, invalidations sent. */
#include "unit.h"

/*
 * A fake VT-d unit: a register file in memory, GSTS following GCMD, the
 * register-based invalidation registers completing at once, and queued
 * invalidation run when the tail moves (every descriptor recorded, wait
 * descriptors writing their status). Caps choose caching mode, queued
 * invalidation and the largest leaf.
 */
#define VTD_FAKE_REGS

#include "drivers/iommu/dmar.c"
#include "drivers/iommu/iodom.c"
#include "drivers/iommu/iopt.c"
#include "drivers/iommu/vtd.c"
#include <string.h>

static uint8_t regs[4096] __attribute__((aligned(4096)));
#define FAKE_IRO 0x500 /* IOTLB registers */
#define FAKE_FRO 0x400 /* fault records */

struct desc {
	uint64_t lo, hi;
};
static struct desc seen[512];
static unsigned nseen, iq_head;

static uint64_t reg64(unsigned off)
{
	uint64_t v;
	memcpy(&v, regs + off, 8);
	return v;
}
static void set64(unsigned off, uint64_t v) { memcpy(regs + off, &v, 8); }
static uint32_t reg32(unsigned off)
{
	uint32_t v;
	memcpy(&v, regs + off, 4);
	return v;
}
static void set32(unsigned off, uint32_t v) { memcpy(regs + off, &v, 4); }

static void record(uint64_t lo, uint64_t hi)
{
	if (nseen < sizeof seen / sizeof seen[0])
		seen[nseen++] = (struct desc){ lo, hi };
}

static uint32_t rd32(struct unit *u, unsigned off) { return reg32(off); }
static uint64_t rd64(struct unit *u, unsigned off) { return reg64(off); }
static void wr32(struct unit *u, unsigned off, uint32_t v)
{
	if (off == GCMD_REG) {
		uint32_t sts = v & GSTS_PERSIST;
		if (v & GCMD_SRTP)
			sts |= 1u << 30; /* RTPS */
		set32(GSTS_REG, sts);
		if (v & GCMD_QIE)
			iq_head = 0, set64(IQH_REG, 0);
		return;
	}
	set32(off, v);
}
static void wr64(struct unit *u, unsigned off, uint64_t v)
{
	if (off == CCMD_REG) { /* done at once, as asked */
		record(v, 0);
		set64(off, (v & ~CCMD_ICC) | 1ull << 59);
		return;
	}
	if (off == FAKE_IRO + 8) {
		record(v, reg64(FAKE_IRO)); /* the command, and IVA with its address and AM */
		set64(off, (v & ~IOTLB_IVT) | 1ull << 57);
		return;
	}
	if (off == IQT_REG && reg32(GSTS_REG) & GCMD_QIE) { /* the queue runs only once enabled */
		const uint64_t *q = (const uint64_t *)(uintptr_t)(reg64(IQA_REG) & ~0xfffull);
		unsigned tail = (unsigned)(v >> 4) % 256;
		for (; iq_head != tail; iq_head = (iq_head + 1) % 256) {
			uint64_t lo = q[2 * iq_head], hi = q[2 * iq_head + 1];
			record(lo, hi);
			if ((lo & 0xf) == INV_WAIT && lo & INV_WAIT_SW)
				*(volatile uint32_t *)(uintptr_t)hi = (uint32_t)(lo >> 32);
		}
		set64(IQH_REG, (uint64_t)iq_head << 4);
	}
	set64(off, v);
}

/* ---- what vtd.c needs from the rest of the kernel ---- */
struct acpi_info acpi;
volatile uint64_t apic_ticks;
static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns += 1000; }
void *mmio_map(uint64_t phys, uint64_t len) { return phys == 0xfed90000 ? regs : NULL; }
static int pages_live;
void *page_alloc(size_t n, size_t align)
{
	void *p = aligned_alloc(4096 * align, n * 4096);
	memset(p, 0, n * 4096);
	pages_live++;
	return p;
}
void page_free(void *p, size_t n) { free(p), pages_live--; }
void poll_register(poll_fn fn, void *arg, const char *name) {}
int irq_alloc_vector(void) { return 48; }
int irq_register(int v, irq_handler_t fn, void *arg, const char *owner) { return 0; }
void msi_compose(int vector, uint64_t *addr, uint32_t *data) { *addr = 0xfee00000, *data = (uint32_t)vector; }
struct pci_dev *pci_get(uint8_t bus, uint8_t dev, uint8_t fn) { return NULL; }
uint32_t pci_read(const struct pci_dev *d, uint16_t off, int width) { return 0; }
const char *iommu_mode_name(void) { return "test"; }
void dma_pool_show(const struct dma_dev *d) {}
static int faults_recorded;
static dma_addr_t fault_page;
void dma_fault_record(struct dma_dev *d, dma_addr_t page, bool write)
{
	faults_recorded++, fault_page = page;
}

/* What a unit and its domains hold, given back between tests (the kernel never detaches). */
static void unit_free(void)
{
	while (domains) {
		struct domain *dm = domains;
		domains = dm->next;
		iodom_destroy(&dm->io, table_free);
		free(dm);
	}
	for (int i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		for (int b = 0; b < 256; b++)
			if (u->ctx[b])
				page_free(u->ctx[b], 1);
		if (u->root)
			page_free(u->root, 1);
		if (u->iq)
			page_free(u->iq, 1);
		if (u->iq_status)
			page_free((void *)u->iq_status, 1);
	}
	CHECK_EQ(pages_live, 0);
}

/* A DMAR with one INCLUDE_PCI_ALL unit at 0xfed90000. */
static uint8_t dmar_table[64];
static void unit_with(bool cm, bool qi, unsigned sllps)
{
	unit_free();
	memset(regs, 0, sizeof regs);
	memset(units, 0, sizeof units);
	nunits = 0, domains = NULL, nseen = 0;
	memset(dmar_table, 0, sizeof dmar_table);
	memcpy(dmar_table, "DMAR", 4);
	dmar_table[4] = 64;  /* header and one 16-byte DRHD */
	dmar_table[36] = 38; /* HAW 39 */
	uint8_t *d = dmar_table + 48;
	d[0] = 0, d[2] = 16, d[4] = 1; /* DRHD, INCLUDE_PCI_ALL */
	d[8] = 0x00, d[9] = 0x00, d[10] = 0xd9, d[11] = 0xfe;
	acpi.dmar = dmar_table, acpi.dmar_len = 64;
	uint64_t cap = 2ull | 1ull << 9 /* SAGAW 39-bit */ | 38ull << 16 /* MGAW 39 */ |
		       (uint64_t)(FAKE_FRO / 16) << 24 | (uint64_t)sllps << 34 | CAP_PSI | 18ull << 48 |
		       (cm ? CAP_CM : 0);
	set64(CAP_REG, cap);
	set64(ECAP_REG, (uint64_t)(FAKE_IRO / 16) << 8 | (qi ? ECAP_QI : 0));
	set32(VER_REG, 0x10);
}

static struct dma_dev dev = { .bus = 0, .dev = 4, .fn = 0, .name = "blk0" };
static struct domain *attach(enum dma_iommu_mode mode)
{
	dev.domain = NULL;
	CHECK_EQ(vtd_driver.init(mode), 1);
	void *dom = NULL;
	CHECK_EQ(vtd_driver.attach(&dev, &dom), 0);
	CHECK(dom != NULL);
	dev.domain = dom;
	dev.ops = ((struct dma_domain *)dom)->ops;
	return dom;
}

/* IOTLB invalidations among seen[from..]: page-selective ones as (addr, am),
 * or -1 for a domain-selective one; waits are counted apart. */
static int iotlb_psi(unsigned from, uint64_t *addr, unsigned *am, int max, unsigned *waits)
{
	int n = 0;
	*waits = 0;
	for (unsigned i = from; i < nseen; i++) {
		if ((seen[i].lo & 0xf) == INV_WAIT)
			(*waits)++;
		if ((seen[i].lo & 0xf) != INV_IOTLB || n >= max)
			continue;
		if ((seen[i].lo >> 4 & 3) == 3) {
			addr[n] = seen[i].hi & ~0xfffull;
			am[n++] = (unsigned)(seen[i].hi & 0x3f);
		} else {
			addr[n] = 0, am[n++] = ~0u;
		}
	}
	return n;
}

/* The handle keeps the buffer's offset in its page; every page the buffer
 * touches is mapped, with the direction's permission, and no more. */
static void test_map_unaligned(void)
{
	unit_with(false, true, 3);
	struct domain *dm = attach(DMA_IOMMU_STRICT);
	uint64_t phys = 0x12345678; /* 0x1800 bytes from here touch three pages */
	dma_addr_t h = vtd_backend.map(&dev, phys, 0x2000, DMA_FROM_DEVICE);
	CHECK(h != DMA_MAPPING_ERROR);
	CHECK_EQ(h & 0xfff, 0x678);
	CHECK(h >= IODOM_IOVA_BASE);
	unsigned lv;
	for (int k = 0; k < 3; k++)
		CHECK_EQ(iopt_lookup(&dm->io.pt, h + (uint64_t)k * 4096, &lv),
			 (0x12345000 + (uint64_t)k * 4096) | 2);
	CHECK_EQ(iopt_lookup(&dm->io.pt, h + 3 * 4096, &lv), 0);
	CHECK_EQ(dm->io.pt.mapped, 3);
	/* a buffer exactly one page long at a page boundary takes one page */
	dma_addr_t h2 = vtd_backend.map(&dev, 0x20000, 4096, DMA_TO_DEVICE);
	CHECK_EQ(h2 & 0xfff, 0);
	CHECK_EQ(iopt_lookup(&dm->io.pt, h2, &lv), 0x20000 | 1);
	CHECK_EQ(iopt_lookup(&dm->io.pt, h2 + 4096, &lv), 0);
	CHECK_EQ(dm->io.pt.mapped, 4);
	/* strict unmap: entries cleared, then the exact range invalidated, one wait */
	unsigned from = nseen, waits;
	vtd_backend.unmap(&dev, h, 0x2000, DMA_FROM_DEVICE);
	CHECK_EQ(dm->io.pt.mapped, 1);
	for (int k = 0; k < 3; k++)
		CHECK_EQ(iopt_lookup(&dm->io.pt, h + (uint64_t)k * 4096, &lv), 0);
	uint64_t a[8];
	unsigned am[8];
	int n = iotlb_psi(from, a, am, 8, &waits);
	/* the IOVA is the first page of the space: 2 pages (AM 1) then 1 (AM 0) */
	CHECK_EQ(n, 2);
	CHECK_EQ(a[0], h & ~0xfffull);
	CHECK_EQ(am[0], 1);
	CHECK_EQ(a[1], (h & ~0xfffull) + 2 * 4096);
	CHECK_EQ(am[1], 0);
	CHECK_EQ(waits, 1);
	CHECK(!iova_allocated(&dm->io.iova, h & ~0xfffull)); /* given back once invalidated */
}

/* Caching mode: a new mapping is invalidated too; without it, nothing is sent. */
static void test_caching_mode(void)
{
	unit_with(true, true, 3);
	attach(DMA_IOMMU_LAZY);
	unsigned from = nseen, waits;
	dma_addr_t h = vtd_backend.map(&dev, 0x40000, 5 * 4096, DMA_BIDIRECTIONAL);
	uint64_t a[8];
	unsigned am[8];
	int n = iotlb_psi(from, a, am, 8, &waits);
	CHECK_EQ(n, 2); /* 5 pages from a page aligned to 4: AM 2, then AM 0 */
	CHECK_EQ(a[0], h);
	CHECK_EQ(am[0], 2);
	CHECK_EQ(a[1], h + 4 * 4096);
	CHECK_EQ(am[1], 0);
	CHECK_EQ(waits, 1);
	unit_with(false, true, 3);
	attach(DMA_IOMMU_LAZY);
	from = nseen;
	vtd_backend.map(&dev, 0x40000, 5 * 4096, DMA_BIDIRECTIONAL);
	CHECK_EQ(nseen, from);
}

/* Lazy: unmaps wait in a batch; the 64th sends one domain invalidation and frees them all. */
static void test_lazy_batch(void)
{
	unit_with(false, true, 3);
	struct domain *dm = attach(DMA_IOMMU_LAZY);
	dma_addr_t h[IODOM_LAZY_DEFER];
	for (int i = 0; i < IODOM_LAZY_DEFER; i++)
		h[i] = vtd_backend.map(&dev, 0x100000 + (uint64_t)i * 4096 + 16, 100, DMA_TO_DEVICE);
	unsigned from = nseen, waits;
	for (int i = 0; i < IODOM_LAZY_DEFER - 1; i++)
		vtd_backend.unmap(&dev, h[i], 100, DMA_TO_DEVICE);
	CHECK_EQ(nseen, from);
	CHECK(iova_allocated(&dm->io.iova, h[0] & ~0xfffull)); /* still reserved */
	CHECK(!vtd_backend.lent(&dev, h[0] & ~0xfffull));      /* but no longer lent */
	CHECK(vtd_backend.lent(&dev, h[IODOM_LAZY_DEFER - 1] & ~0xfffull));
	vtd_backend.unmap(&dev, h[IODOM_LAZY_DEFER - 1], 100, DMA_TO_DEVICE);
	uint64_t a[4];
	unsigned am[4];
	CHECK_EQ(iotlb_psi(from, a, am, 4, &waits), 1);
	CHECK_EQ(am[0], ~0u); /* domain-selective */
	CHECK_EQ(seen[from].lo >> 16 & 0xffff, dm->did);
	CHECK_EQ(waits, 1);
	CHECK_EQ(dm->io.iova.used, 0);
}

/* Register-based invalidation (no QI): the same blocks go through IVA with AM. */
static void test_register_invalidation(void)
{
	unit_with(false, false, 3);
	attach(DMA_IOMMU_STRICT);
	dma_addr_t h = vtd_backend.map(&dev, 0x7000, 4096 * 3 + 1, DMA_TO_DEVICE); /* 4 pages */
	unsigned from = nseen;
	vtd_backend.unmap(&dev, h, 4096 * 3 + 1, DMA_TO_DEVICE);
	CHECK_EQ(nseen - from, 1);
	CHECK_EQ(seen[from].lo & IOTLB_PAGE, IOTLB_PAGE);
	CHECK_EQ(seen[from].hi, (h & ~0xfffull) | 2); /* one block of 4 pages: AM 2 */
}

/* The window: 2 MiB leaves where SLLPS allows, 4 KiB where it does not. */
static void test_map_fixed(void)
{
	unit_with(false, true, 1);
	struct domain *dm = attach(DMA_IOMMU_POOL);
	uint8_t *w = aligned_alloc(2u << 20, 8u << 20);
	CHECK_EQ(vtd_backend.map_fixed(&dev, 32ull << 30, (uint64_t)(uintptr_t)w, 8u << 20), 0);
	unsigned lv;
	CHECK_EQ(iopt_lookup(&dm->io.pt, (32ull << 30) + (6u << 20) + 5, &lv) & IOPT_ADDR,
		 (uint64_t)(uintptr_t)w + (6u << 20));
	CHECK_EQ(lv, 2);
	CHECK_EQ(dm->io.pt.mapped, 2048);
	unit_with(false, true, 0);
	dm = attach(DMA_IOMMU_POOL);
	CHECK_EQ(vtd_backend.map_fixed(&dev, 32ull << 30, (uint64_t)(uintptr_t)w, 2u << 20), 0);
	CHECK_EQ(iopt_lookup(&dm->io.pt, (32ull << 30) + 4096, &lv) & IOPT_ADDR,
		 (uint64_t)(uintptr_t)w + 4096);
	CHECK_EQ(lv, 1);
	free(w);
}

/* Attach writes the context entry the unit will read: present, the domain's table, DID, AW. */
static void test_context_entry(void)
{
	unit_with(false, true, 3);
	struct domain *dm = attach(DMA_IOMMU_LAZY);
	const uint64_t *ce = &units[0].ctx[0][2 * (4 << 3)];
	CHECK_EQ(ce[0], dm->io.pt.root | 1);
	CHECK_EQ(ce[1], (uint64_t)dm->did << 8 | 1); /* AW 1: 3 levels */
	CHECK(units[0].root[0] & 1);
}

int main(void)
{
	RUN(test_map_unaligned);
	RUN(test_caching_mode);
	RUN(test_lazy_batch);
	RUN(test_register_invalidation);
	RUN(test_map_fixed);
	RUN(test_context_entry);
	unit_free();
	UNIT_DONE();
}
