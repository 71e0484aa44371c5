/* dma.c - handles for devices: identity (handle = physical address), or an IOMMU domain per device and its policy. */
#include "kernel/dma.h"
#include "drivers/iommu/iommu.h"
#include "kernel/dma_backend.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <errno.h>
#include <stdlib.h>

/*
 * Each device's calls go to its backend: identity while d->ops is NULL,
 * else the IOMMU domain that dma_attach found for it (drivers/iommu/). The
 * policy decides what a translated device gets:
 *
 *   lazy, strict  a mapping per dma_map (lazy: IOTLB flushes batched)
 *   pool          one window mapped at attach; dma_alloc and the buffer
 *                 pool come from it, any other buffer is bounced through it
 *                 (kernel/dma_pool.c); no mapping per request
 *   floor         all of RAM mapped once at attach, identity, largest pages:
 *                 what translation costs the platform alone (a measurement,
 *                 not isolation)
 *
 * The drivers are the same every way.
 */

static dma_addr_t identity_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	return phys;
}
static void identity_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir) {}

static const struct dma_backend identity = {
	"identity", identity_map, identity_unmap, NULL, NULL, NULL, NULL
};
/* floor: the domain maps all of RAM at IOVA == physical address */
static const struct dma_backend floor_ops = { "floor", identity_map, identity_unmap, NULL, NULL, NULL, NULL };

static int iommu_units; /* units translating; 0 with none, or with iommu=off */
static enum dma_iommu_mode iommu_mode = DMA_IOMMU_LAZY;

static const struct dma_backend *backend(const struct dma_dev *d) { return d && d->ops ? d->ops : &identity; }

void dma_init(enum dma_iommu_mode mode)
{
	static const char *const what[] = {
		[DMA_IOMMU_LAZY] = "a mapping per buffer, IOTLB flushes batched",
		[DMA_IOMMU_STRICT] = "a mapping per buffer, invalidated before dma_unmap returns",
		[DMA_IOMMU_POOL] = "one window per device, mapped once; other buffers bounced",
		[DMA_IOMMU_FLOOR] = "all of RAM mapped once per device (a measurement: no isolation)",
	};
	iommu_mode = mode;
	if (mode == DMA_IOMMU_OFF) {
		log_info("dma: iommu=off: every device gets guest-physical handles\n");
		return;
	}
	iommu_units = iommu_init(mode);
	if (iommu_units)
		log_info("dma: handles are IOVAs for devices behind an IOMMU: %s\n", what[mode]);
	else
		log_info("dma: no IOMMU: handles are guest-physical addresses\n");
}

bool dma_is_iommu(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn)
{
	return iommu_units && iommu_is_unit(segment, bus, dev, fn);
}

/* floor: RAM from 0 to its top, identity, once. */
static int map_floor(struct dma_dev *d)
{
	struct mm_stats st;
	mm_stats(&st);
	uint64_t top = st.pages_total * PAGE_SIZE;
	int r = d->ops->map_fixed ? d->ops->map_fixed(d, 0, 0, top) : -EOPNOTSUPP;
	if (r)
		return r;
	d->ops = &floor_ops;
	log_info("dma: %02x:%02x.%x: all of RAM (0-0x%llx) mapped once, identity (iommu=floor)\n", d->bus,
		 d->dev, d->fn, (unsigned long long)top - 1);
	return 0;
}

int dma_attach(struct dma_dev *d, bool translated)
{
	/* A device that bypasses the IOMMU (virtio without ACCESS_PLATFORM: the
	 * device then uses physical addresses, virtio 1.2 §6.1) keeps identity. */
	if (!translated || !iommu_units || d->domain)
		return 0;
	int r = iommu_attach(d, &d->domain);
	if (r || !d->domain)
		return r;
	d->ops = ((const struct dma_domain *)d->domain)->ops;
	if (iommu_mode == DMA_IOMMU_POOL)
		return dma_pool_window(d);
	if (iommu_mode == DMA_IOMMU_FLOOR)
		return map_floor(d);
	return 0;
}

bool dma_translated(const struct dma_dev *d) { return d && d->domain; }
bool dma_strict(void) { return iommu_units && iommu_mode == DMA_IOMMU_STRICT; }
bool dma_window_mode(void) { return iommu_units && iommu_mode == DMA_IOMMU_POOL; }
void dma_show(void) { iommu_show(); }
uint64_t dma_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason)
{
	return dma_translated(d) ? iommu_faults(d, last_addr, last_reason) : 0;
}

void dma_sync_faults(struct dma_dev *d)
{
	if (dma_translated(d))
		iommu_sync_faults(d);
}

static size_t pages(size_t size) { return (size + PAGE_SIZE - 1) / PAGE_SIZE; }

/* A translated device's coherent ranges are remembered, so that a fault on
 * one (a ring, a header) is told apart from one on a request's buffer. */
static void note_coherent(struct dma_dev *d, dma_addr_t h, size_t len, bool add)
{
	if (add) {
		struct dma_region *r = malloc(sizeof *r);
		if (!r)
			return; /* a fault there then counts as one on nothing: a reset, as it should */
		*r = (struct dma_region){ h, len, d->coherent };
		d->coherent = r;
		return;
	}
	for (struct dma_region **p = &d->coherent; *p; p = &(*p)->next)
		if ((*p)->handle == h) {
			struct dma_region *r = *p;
			*p = r->next;
			free(r);
			return;
		}
}

void *dma_alloc(struct dma_dev *d, size_t size, dma_addr_t *handle)
{
	if (size == 0)
		return NULL;
	if (dma_pool_is_window(d)) { /* pool mode: rings and buffers live in the window */
		void *w = dma_pool_coherent(d, size, handle);
		if (w)
			note_coherent(d, *handle, pages(size) * PAGE_SIZE, true);
		return w;
	}
	void *p = page_alloc(pages(size), 1);
	if (!p)
		return NULL;
	dma_addr_t h = backend(d)->map(d, virt_to_phys(p), pages(size) * PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (h == DMA_MAPPING_ERROR) {
		page_free(p, pages(size));
		return NULL;
	}
	if (dma_translated(d))
		note_coherent(d, h, pages(size) * PAGE_SIZE, true);
	*handle = h;
	return p;
}

void dma_free(struct dma_dev *d, void *p, size_t size, dma_addr_t handle)
{
	if (!p)
		return;
	if (dma_translated(d))
		note_coherent(d, handle, 0, false);
	if (dma_pool_is_window(d)) {
		dma_pool_coherent_free(d, p, size);
		return;
	}
	backend(d)->unmap(d, handle, pages(size) * PAGE_SIZE, DMA_BIDIRECTIONAL);
	page_free(p, pages(size));
}

dma_addr_t dma_map_slow(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	if (!p || len == 0)
		return DMA_MAPPING_ERROR;
	if (d && d->pool) {
		dma_addr_t h = dma_pool_map(d, p, len, dir);
		if (h != DMA_MAPPING_ERROR || dma_pool_is_window(d))
			return h; /* in the pool already, or bounced through the window */
	}
	return backend(d)->map(d, virt_to_phys(p), len, dir);
}

void dma_unmap_slow(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (handle == DMA_MAPPING_ERROR || (d && d->pool && dma_pool_unmap(d, handle, len, dir)))
		return;
	backend(d)->unmap(d, handle, len, dir);
}
