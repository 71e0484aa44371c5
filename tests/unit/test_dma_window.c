/* test_dma_window.c - kernel/dma.c's policies over a fake IOMMU: the pool mode window, bouncing, the floor. */
#include "unit.h"

#include "kernel/dma.c"
#include "kernel/dma_fault.c"
#include "kernel/dma_inject.c"
#include "kernel/dma_pool.c"
#include <string.h>

/*
 * A fake IOMMU driver: one domain per device, whose backend records what
 * is mapped. Under iommu=pool nothing may be mapped per request: the fake
 * counts per-request maps, and the test insists there are none.
 */
static int fixed_maps, request_maps;
static uint64_t fixed_iova, fixed_phys, fixed_len;
static dma_addr_t fake_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	request_maps++;
	return 0x1000000000ull + phys;
}
static void fake_unmap(struct dma_dev *d, dma_addr_t h, size_t len, enum dma_dir dir) {}
static bool fake_lent(struct dma_dev *d, dma_addr_t page) { return false; }
static int fake_map_fixed(struct dma_dev *d, dma_addr_t iova, uint64_t phys, uint64_t len)
{
	fixed_maps++, fixed_iova = iova, fixed_phys = phys, fixed_len = len;
	return 0;
}
static const struct dma_backend fake = {
	"fake", fake_map, fake_unmap, fake_lent, NULL, NULL, fake_map_fixed
};
static struct dma_domain domain = { &fake, NULL };

int iommu_init(enum dma_iommu_mode mode) { return 1; }
bool iommu_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn) { return false; }
int iommu_attach(struct dma_dev *d, void **dom)
{
	*dom = &domain;
	return 0;
}
void iommu_show(void) {}
uint64_t iommu_faults(const struct dma_dev *d, uint64_t *a, unsigned *r) { return 0; }
void iommu_sync_faults(const struct dma_dev *d) {}
void *page_alloc(size_t n, size_t align)
{
	void *p = aligned_alloc(4096 * align, n * 4096);
	if (p)
		memset(p, 0, n * 4096);
	return p;
}
void page_free(void *p, size_t n) { free(p); }
void mm_stats(struct mm_stats *s) { *s = (struct mm_stats){ .pages_total = 65536 }; }

static struct dma_dev dev;
static int notified;
static void notify(struct dma_dev *d) { notified++; }

static void attach(enum dma_iommu_mode mode)
{
	if (dev.pool) {
		free(dev.pool->base);
		free(dev.pool->bounce);
		free(dev.pool);
	}
	dev = (struct dma_dev){ .bus = 0, .dev = 5, .name = "blk0", .fault_notify = notify };
	fixed_maps = request_maps = notified = 0;
	dma_init(mode);
	CHECK_EQ(dma_attach(&dev, true), 0);
	CHECK(dma_translated(&dev));
}

/* One window, mapped once at attach, 2 MiB aligned for large leaves. */
static void test_window_mapped_once(void)
{
	attach(DMA_IOMMU_POOL);
	CHECK(dma_window_mode() && dma_pool_is_window(&dev));
	CHECK_EQ(fixed_maps, 1);
	CHECK_EQ(fixed_iova, WINDOW_IOVA);
	CHECK_EQ(fixed_len, POOL_BYTES);
	CHECK_EQ(fixed_phys % (2u << 20), 0);
	CHECK_EQ(fixed_phys, (uint64_t)(uintptr_t)dev.pool->base);
}

/* Rings and headers (dma_alloc) and the callers' buffers (dma_pool_alloc)
 * come from the window: their handles are the window's, in place. */
static void test_in_place(void)
{
	attach(DMA_IOMMU_POOL);
	dma_addr_t ring;
	uint8_t *r = dma_alloc(&dev, 10000, &ring);
	CHECK(r != NULL);
	CHECK_EQ(ring - WINDOW_IOVA, (dma_addr_t)(r - dev.pool->base));
	CHECK(r[0] == 0 && r[9999] == 0); /* zeroed */
	uint8_t *buf = dma_pool_alloc(&dev, 8192);
	CHECK(dma_pool_has(&dev, buf));
	dma_addr_t h = dma_map(&dev, buf + 100, 4000, DMA_FROM_DEVICE);
	CHECK_EQ(h, WINDOW_IOVA + (dma_addr_t)(buf + 100 - dev.pool->base));
	dma_unmap(&dev, h, 4000, DMA_FROM_DEVICE);
	CHECK_EQ(request_maps, 0);
	CHECK_EQ(dev.inplace.hits, 1); /* dma_map's inline path, counted for `iommu` */
	/* a whole buffer looked up once (virtio-blk's pieces): in the window or not at all */
	dma_addr_t whole = 0;
	CHECK(dma_in_place(&dev, buf, 8192, &whole));
	CHECK_EQ(whole, WINDOW_IOVA + (dma_addr_t)(buf - dev.pool->base));
	size_t window = dev.inplace.bytes;
	CHECK(dma_in_place(&dev, dev.pool->base + window - 1, 1, &whole));
	CHECK(!dma_in_place(&dev, dev.pool->base + window - 1, 2, &whole)); /* runs past the end */
	CHECK(!dma_in_place(&dev, dev.pool->base - 1, 2, &whole));          /* starts before it */
	CHECK(!dma_in_place(&dev, buf, 0, &whole));
	CHECK(!dma_in_place(NULL, buf, 4096, &whole));
	dma_in_place_lent(&dev, 32);
	CHECK_EQ(dev.inplace.hits, 33);
	/* given back, and reused */
	dma_pool_free(&dev, buf, 8192);
	CHECK(dma_pool_alloc(&dev, 4096) == buf);
	dma_free(&dev, r, 10000, ring);
}

/* A buffer outside the window goes through a bounce slot: copied in for
 * the device (all directions), copied back at unmap for a device write. */
static void test_bounce(void)
{
	attach(DMA_IOMMU_POOL);
	uint8_t *mine = malloc(6000);
	memset(mine, 0x11, 6000);
	dma_addr_t h = dma_map(&dev, mine + 3, 5000, DMA_FROM_DEVICE);
	CHECK(dma_pool_owns_handle(&dev, h));
	uint8_t *slot = dev.pool->base + (h - WINDOW_IOVA);
	CHECK(slot[0] == 0x11 && slot[4999] == 0x11); /* a short device write leaves the caller's bytes */
	CHECK(dma_pool_lent(&dev, h + 4096));         /* a request's buffer, for fault attribution */
	memset(slot, 0x77, 4000);                     /* the device writes 4000 of the 5000 */
	dma_unmap(&dev, h, 5000, DMA_FROM_DEVICE);
	CHECK(mine[2] == 0x11 && mine[3] == 0x77 && mine[4002] == 0x77 && mine[4003] == 0x11 &&
	      mine[5002] == 0x11 && mine[5003] == 0x11);
	CHECK(!dma_pool_lent(&dev, h));
	/* to the device: the device sees the data; unmap copies nothing back */
	memset(mine, 0x22, 6000);
	h = dma_map(&dev, mine, 100, DMA_TO_DEVICE);
	slot = dev.pool->base + (h - WINDOW_IOVA);
	CHECK(slot[99] == 0x22);
	slot[0] = 0x99;
	dma_unmap(&dev, h, 100, DMA_TO_DEVICE);
	CHECK(mine[0] == 0x22);
	/* two lent at once: while the second is lent, unmapping the first still copies back */
	uint8_t *two = malloc(200);
	memset(two, 0x33, 200);
	dma_addr_t h1 = dma_map(&dev, mine, 100, DMA_FROM_DEVICE),
		   h2 = dma_map(&dev, two, 200, DMA_FROM_DEVICE);
	memset(dev.pool->base + (h1 - WINDOW_IOVA), 0x44, 100);
	memset(dev.pool->base + (h2 - WINDOW_IOVA), 0x55, 200);
	dma_unmap(&dev, h1, 100, DMA_FROM_DEVICE);
	CHECK(mine[0] == 0x44 && mine[99] == 0x44);
	dma_unmap(&dev, h2, 200, DMA_FROM_DEVICE);
	CHECK(two[0] == 0x55 && two[199] == 0x55);
	CHECK_EQ(dev.inplace.bounces, 0);
	free(two);
	CHECK_EQ(dev.pool->pages_used, 0);
	CHECK_EQ(request_maps, 0);
	/* more than the window holds: refused, counted */
	uint8_t *big = malloc(POOL_BYTES + 1);
	CHECK_EQ(dma_map(&dev, big, POOL_BYTES + 1, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	free(big);
	free(mine);
}

/* iommu test in pool mode: the next buffers get handles past the window's
 * end; a fault there is on a request's buffer; a fault in the window is not. */
static void test_outside_the_window(void)
{
	attach(DMA_IOMMU_POOL);
	uint8_t *mine = malloc(4096);
	CHECK_EQ(dma_inject_stale(&dev, 1), 0);
	dma_addr_t h = dma_map(&dev, mine, 4096, DMA_FROM_DEVICE);
	CHECK(h >= WINDOW_IOVA + POOL_BYTES);
	uint32_t mark = dma_fault_mark(&dev);
	dma_fault_record(&dev, h, true);
	CHECK(dma_faulted_since(&dev, mark) && !dev.fault_reset);
	dma_unmap(&dev, h, 4096, DMA_FROM_DEVICE); /* given back without a copy */
	CHECK_EQ(dev.pool->noutside, 0);
	dma_fault_record(&dev, WINDOW_IOVA + 4096, true); /* the window: the device misbehaves */
	CHECK(dev.fault_reset);
	CHECK_EQ(notified, 2);
	CHECK_EQ(dma_inject_revoke(&dev, WINDOW_IOVA, 4096), -EOPNOTSUPP);
	free(mine);
}

/* Lazy: no window; per-request maps, and the buffer pool mapped once on first use. */
static void test_lazy_and_floor(void)
{
	attach(DMA_IOMMU_LAZY);
	CHECK(!dma_pool_is_window(&dev) && fixed_maps == 0);
	uint8_t x[16];
	CHECK_EQ(dma_map(&dev, x, 16, DMA_TO_DEVICE), 0x1000000000ull + (uintptr_t)x);
	CHECK_EQ(request_maps, 1);
	/* floor: all of RAM at once, identity; handles are physical addresses */
	attach(DMA_IOMMU_FLOOR);
	CHECK_EQ(fixed_maps, 1);
	CHECK(fixed_iova == 0 && fixed_phys == 0 && fixed_len == 65536ull * 4096);
	CHECK_EQ(dma_map(&dev, x, 16, DMA_TO_DEVICE), (uintptr_t)x);
	CHECK_EQ(request_maps, 0);
}

int main(void)
{
	RUN(test_window_mapped_once);
	RUN(test_in_place);
	RUN(test_bounce);
	RUN(test_outside_the_window);
	RUN(test_lazy_and_floor);
	UNIT_DONE();
}
