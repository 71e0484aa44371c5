/* dma_pool.c - I/O buffers from one region mapped for the device once: requests into them map nothing. */
#include "kernel/dma.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <malloc.h>
#include <stdlib.h>

/*
 * With an IOMMU every dma_map writes page-table entries (and, with caching
 * mode, invalidates the IOTLB) and every unmap clears them again: per
 * request, that is most of the cost of a small read. Buffers from the pool
 * live in one region mapped for the device once; dma_map of them returns
 * the handle at once and dma_unmap does nothing. The price: the device can
 * reach every pool page at all times, so iommu=strict, which promises that
 * a handle dies with its request, has no pool.
 */

#define POOL_PAGES 2048u /* 8 MiB per device */

struct dma_pool {
	uint8_t *base;
	dma_addr_t handle;
	uint64_t used[POOL_PAGES / 64]; /* a bit per page */
};

#define POOL_BYTES ((size_t)POOL_PAGES * PAGE_SIZE)

static bool bit(const struct dma_pool *p, unsigned i) { return p->used[i / 64] >> (i % 64) & 1; }
static void set_bits(struct dma_pool *p, unsigned i, unsigned n, bool on)
{
	for (unsigned k = i; k < i + n; k++)
		p->used[k / 64] =
			on ? p->used[k / 64] | 1ull << (k % 64) : p->used[k / 64] & ~(1ull << (k % 64));
}

static struct dma_pool *pool_get(struct dma_dev *d)
{
	if (dma_strict() && dma_translated(d))
		return NULL; /* strict: every handle dies when its request completes */
	if (d->pool)
		return d->pool;
	struct dma_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->base = dma_alloc(d, POOL_BYTES, &p->handle);
	if (!p->base) {
		free(p);
		return NULL;
	}
	log_info("dma: %s: buffer pool of %u KiB at handle 0x%llx\n", d->name ? d->name : "device",
		 (unsigned)(POOL_BYTES / 1024), (unsigned long long)p->handle);
	return d->pool = p;
}

void *dma_pool_alloc(struct dma_dev *d, size_t bytes)
{
	if (bytes == 0)
		return NULL;
	unsigned n = (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	struct dma_pool *p = bytes <= POOL_BYTES ? pool_get(d) : NULL;
	for (unsigned i = 0, run = 0; p && i < POOL_PAGES; i++) { /* first fit */
		run = bit(p, i) ? 0 : run + 1;
		if (run == n) {
			set_bits(p, i + 1 - n, n, true);
			return p->base + (size_t)(i + 1 - n) * PAGE_SIZE;
		}
	}
	return memalign(PAGE_SIZE, bytes); /* no pool, or full: mapped per request */
}

bool dma_pool_has(const struct dma_dev *d, const void *p)
{
	const uint8_t *c = p;
	return d && d->pool && c >= d->pool->base && c < d->pool->base + POOL_BYTES;
}

void dma_pool_free(struct dma_dev *d, void *p, size_t bytes)
{
	if (!dma_pool_has(d, p)) {
		free(p);
		return;
	}
	size_t off = (size_t)((uint8_t *)p - d->pool->base);
	if (off % PAGE_SIZE || bytes == 0 || bytes > POOL_BYTES - off) {
		log_err("dma: %s: dma_pool_free of %p+%zu that dma_pool_alloc did not give\n",
			d->name ? d->name : "device", p, bytes);
		return;
	}
	set_bits(d->pool, (unsigned)(off / PAGE_SIZE), (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE),
		 false);
}

dma_addr_t dma_pool_handle(const struct dma_dev *d, const void *p, size_t len)
{
	const uint8_t *c = p;
	const struct dma_pool *pl = d->pool;
	if (!pl || c < pl->base || len > POOL_BYTES || (size_t)(c - pl->base) > POOL_BYTES - len)
		return DMA_MAPPING_ERROR;
	return pl->handle + (dma_addr_t)(c - pl->base);
}

bool dma_pool_owns_handle(const struct dma_dev *d, dma_addr_t h)
{
	return d->pool && h >= d->pool->handle && h - d->pool->handle < POOL_BYTES;
}
