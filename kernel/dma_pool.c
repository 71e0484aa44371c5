/* dma_pool.c - I/O buffers from one region mapped for the device once; under iommu=pool, the device's whole window. */
#include "kernel/dma.h"
#include "kernel/dma_backend.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * With an IOMMU every dma_map writes page-table entries (and, with caching
 * mode, invalidates the IOTLB) and every unmap clears them again: per
 * request, that is most of the cost of a small read. A pool is one region
 * mapped for the device once; dma_map of a buffer in it returns the handle
 * at once and dma_unmap does nothing. Two uses:
 *
 *   iommu=lazy   the blk buffer pool: 8 MiB mapped on the first
 *                dma_pool_alloc; rings, headers and other buffers are
 *                mapped per call as usual. The device can reach every pool
 *                page at all times, so iommu=strict, which promises that a
 *                handle dies with its request, has no pool.
 *   iommu=pool   the window: 8 MiB mapped at dma_attach, at WINDOW_IOVA,
 *                with the largest pages the IOMMU allows, and the only
 *                memory the device can reach. dma_alloc (rings, request
 *                headers and status bytes, the net buffers) and
 *                dma_pool_alloc (the callers' I/O buffers: tftpd, bench,
 *                the shell) carve their pages from it and are used in
 *                place; dma_map of any other buffer copies it into a
 *                bounce slot of the window (and dma_unmap copies it back),
 *                as a confidential guest's bounce buffers do. Nothing is
 *                mapped or unmapped per request.
 *
 *   window:  | rings, headers | net buffers | blk_buf_alloc | bounce | ... |
 *            ^ WINDOW_IOVA (32 GiB)                            one page bitmap
 */

#define POOL_PAGES  2048u /* 8 MiB per device */
#define POOL_BYTES  ((size_t)POOL_PAGES * PAGE_SIZE)
#define WINDOW_IOVA (32ull << 30) /* below the per-request IOVAs (64 GiB up) of every driver */

struct bounce {
	void *orig; /* the caller's buffer this slot stands for; NULL: not a bounce slot */
	uint32_t len;
	uint8_t dir;
};

struct dma_pool {
	uint8_t *base;
	dma_addr_t handle;
	bool window;                    /* iommu=pool: everything the device reaches */
	uint64_t used[POOL_PAGES / 64]; /* a bit per page */
	struct bounce *bounce;          /* window: per page, for the first page of a slot */
	uint64_t bounced, bounce_bytes, bounce_failed, pages_used;
	/* `iommu test` in pool mode: handles past the window's end, which nothing maps */
	unsigned outside_next, noutside;
	dma_addr_t outside[DMA_STALE_MAX];
	size_t outside_len[DMA_STALE_MAX];
};

static bool bit(const struct dma_pool *p, unsigned i) { return p->used[i / 64] >> (i % 64) & 1; }
static void set_bits(struct dma_pool *p, unsigned i, unsigned n, bool on)
{
	for (unsigned k = i; k < i + n; k++)
		p->used[k / 64] =
			on ? p->used[k / 64] | 1ull << (k % 64) : p->used[k / 64] & ~(1ull << (k % 64));
	p->pages_used = on ? p->pages_used + n : p->pages_used - n;
}

static unsigned npages(size_t bytes) { return (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE); }

/* First fit of n pages (what is given back is used again first); -1 when full. */
static int take_pages(struct dma_pool *p, unsigned n)
{
	for (unsigned i = 0, run = 0; i < POOL_PAGES; i++) {
		if (i % 64 == 0 && p->used[i / 64] == ~0ull) { /* a full word: skip it whole */
			i += 63, run = 0;
			continue;
		}
		run = bit(p, i) ? 0 : run + 1;
		if (run == n) {
			set_bits(p, i + 1 - n, n, true);
			return (int)(i + 1 - n);
		}
	}
	return -1;
}

static struct dma_pool *pool_get(struct dma_dev *d)
{
	if (dma_translated(d) && dma_strict())
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
	/* made on the first dma_pool_alloc, inside a command: no log line to
	 * land in its output (`iommu` lists the pool with the device's domain) */
	d->inplace = (struct dma_inplace){ p->base, p->handle, POOL_BYTES, 0, 0 };
	return d->pool = p;
}

int dma_pool_window(struct dma_dev *d)
{
	if (!d->ops || !d->ops->map_fixed)
		return -EOPNOTSUPP;
	struct dma_pool *p = calloc(1, sizeof *p);
	struct bounce *b = calloc(POOL_PAGES, sizeof *b);
	/* 2 MiB aligned, so that the IOMMU can map it with large pages */
	uint8_t *base = p && b ? page_alloc(POOL_PAGES, 512) : NULL;
	int r = base ? d->ops->map_fixed(d, WINDOW_IOVA, virt_to_phys(base), POOL_BYTES) : -ENOMEM;
	if (r) {
		if (base)
			page_free(base, POOL_PAGES);
		free(b);
		free(p);
		log_err("dma: %02x:%02x.%x: no window for pool mode (%d)\n", d->bus, d->dev, d->fn, r);
		return r;
	}
	*p = (struct dma_pool){ .base = base, .handle = WINDOW_IOVA, .window = true, .bounce = b };
	d->pool = p;
	d->inplace = (struct dma_inplace){ base, WINDOW_IOVA, POOL_BYTES, 0, 0 };
	log_info("dma: %02x:%02x.%x: window of %u KiB at handle 0x%llx, mapped once; the device reaches "
		 "nothing else\n",
		 d->bus, d->dev, d->fn, (unsigned)(POOL_BYTES / 1024), (unsigned long long)WINDOW_IOVA);
	return 0;
}

bool dma_pool_is_window(const struct dma_dev *d) { return d && d->pool && d->pool->window; }

void *dma_pool_alloc(struct dma_dev *d, size_t bytes)
{
	if (bytes == 0)
		return NULL;
	struct dma_pool *p = bytes <= POOL_BYTES ? pool_get(d) : NULL;
	int i = p ? take_pages(p, npages(bytes)) : -1;
	if (i >= 0)
		return p->base + (size_t)i * PAGE_SIZE;
	return memalign(PAGE_SIZE, bytes); /* no pool, or full: mapped (or bounced) per request */
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
			dma_dev_name(d), p, bytes);
		return;
	}
	set_bits(d->pool, (unsigned)(off / PAGE_SIZE), npages(bytes), false);
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

/* ---- the window: coherent memory, bounce slots ---- */

void *dma_pool_coherent(struct dma_dev *d, size_t size, dma_addr_t *handle)
{
	struct dma_pool *p = d->pool;
	int i = size && size <= POOL_BYTES ? take_pages(p, npages(size)) : -1;
	if (i < 0) {
		log_err("dma: %s: window full: no room for %zu bytes of rings or buffers\n", dma_dev_name(d),
			size);
		return NULL;
	}
	uint8_t *c = p->base + (size_t)i * PAGE_SIZE;
	memset(c, 0, (size_t)npages(size) * PAGE_SIZE); /* dma_alloc's promise: zeroed */
	*handle = p->handle + (dma_addr_t)i * PAGE_SIZE;
	return c;
}

void dma_pool_coherent_free(struct dma_dev *d, void *c, size_t size) { dma_pool_free(d, c, size); }

/* A buffer outside the window: copied into a slot of the window (all
 * directions: a device that writes less than it was lent leaves the
 * caller's own bytes, never an earlier slot user's), and back at unmap. */
static dma_addr_t bounce_in(struct dma_dev *d, const void *src, size_t len, enum dma_dir dir)
{
	struct dma_pool *p = d->pool;
	if (p->outside_next && p->noutside < DMA_STALE_MAX) {
		/* iommu test: a handle just past the window, where nothing is mapped */
		p->outside_next--;
		dma_addr_t h = p->handle + POOL_BYTES + (dma_addr_t)p->noutside * 2 * PAGE_SIZE;
		p->outside[p->noutside] = h;
		p->outside_len[p->noutside++] = len;
		log_warn("dma: %s: handed out 0x%llx+%zu, outside the window (iommu test)\n", dma_dev_name(d),
			 (unsigned long long)h, len);
		return h;
	}
	int i = len <= POOL_BYTES ? take_pages(p, npages(len)) : -1;
	if (i < 0) {
		p->bounce_failed++;
		return DMA_MAPPING_ERROR;
	}
	memcpy(p->base + (size_t)i * PAGE_SIZE, src, len);
	p->bounce[i] = (struct bounce){ (void *)src, (uint32_t)len, (uint8_t)dir };
	d->inplace.bounces++;
	p->bounced++;
	p->bounce_bytes += len;
	return p->handle + (dma_addr_t)i * PAGE_SIZE;
}

dma_addr_t dma_pool_map(struct dma_dev *d, const void *ptr, size_t len, enum dma_dir dir)
{
	dma_addr_t h = dma_pool_handle(d, ptr, len);
	if (h != DMA_MAPPING_ERROR) {
		d->inplace.hits++;
		return h; /* mapped once, when the pool was made */
	}
	return d->pool->window && len <= UINT32_MAX ? bounce_in(d, ptr, len, dir) : DMA_MAPPING_ERROR;
}

bool dma_pool_unmap(struct dma_dev *d, dma_addr_t h, size_t len, enum dma_dir dir)
{
	struct dma_pool *p = d->pool;
	for (unsigned k = 0; k < p->noutside; k++)
		if (p->outside[k] == h) {
			p->outside[k] = p->outside[--p->noutside];
			p->outside_len[k] = p->outside_len[p->noutside];
			return true;
		}
	if (!dma_pool_owns_handle(d, h))
		return false;
	unsigned i = (unsigned)((h - p->handle) / PAGE_SIZE);
	struct bounce *b = p->window ? &p->bounce[i] : NULL;
	if (!b || !b->orig || (h - p->handle) % PAGE_SIZE)
		return true; /* in place: nothing to do */
	if (b->dir != DMA_TO_DEVICE)
		memcpy(b->orig, p->base + (size_t)i * PAGE_SIZE, b->len);
	set_bits(p, i, npages(b->len), false);
	*b = (struct bounce){ 0 };
	d->inplace.bounces--;
	(void)len, (void)dir; /* the slot's own record says how much and which way */
	return true;
}

bool dma_pool_lent(const struct dma_dev *d, dma_addr_t page)
{
	const struct dma_pool *p = d->pool;
	if (!p || !p->window)
		return false;
	for (unsigned k = 0; k < p->noutside; k++)
		if (page + PAGE_SIZE > p->outside[k] && page < p->outside[k] + p->outside_len[k])
			return true;
	if (!dma_pool_owns_handle(d, page))
		return false;
	for (unsigned i = (unsigned)((page - p->handle) / PAGE_SIZE) + 1; i-- > 0;) /* the slot it is in */
		if (p->bounce[i].orig)
			return page < p->handle + (dma_addr_t)i * PAGE_SIZE + p->bounce[i].len;
		else if (!bit(p, i))
			return false;
	return false;
}

int dma_pool_inject_outside(struct dma_dev *d, unsigned n)
{
	struct dma_pool *p = d->pool;
	if (!p || !p->window)
		return -ENODEV;
	if (n == 0 || n > DMA_STALE_MAX - p->noutside)
		return -EINVAL;
	p->outside_next = n;
	return 0;
}

void dma_pool_inject_cancel(struct dma_dev *d)
{
	if (d->pool)
		d->pool->outside_next = 0;
}

void dma_pool_show(const struct dma_dev *d)
{
	const struct dma_pool *p = d->pool;
	if (!p)
		return;
	printf(" %s=0x%llx+%uK used=%lluK in_place=%llu bounced=%llu bounce_kib=%llu bounce_full=%llu",
	       p->window ? "window" : "pool", (unsigned long long)p->handle, (unsigned)(POOL_BYTES / 1024),
	       (unsigned long long)(p->pages_used * PAGE_SIZE / 1024), (unsigned long long)d->inplace.hits,
	       (unsigned long long)p->bounced, (unsigned long long)(p->bounce_bytes / 1024),
	       (unsigned long long)p->bounce_failed);
}
