/* dma.c - handles for devices: identity (handle = physical address), or an IOMMU domain per device. */
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
 * drivers are the same either way.
 */

static dma_addr_t identity_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	return phys;
}
static void identity_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir) {}

static const struct dma_backend identity = { "identity", identity_map, identity_unmap, NULL, NULL, NULL };

static int iommu_units; /* units translating; 0 with none, or with iommu=off */
static enum dma_iommu_mode iommu_mode = DMA_IOMMU_LAZY;

static const struct dma_backend *backend(const struct dma_dev *d) { return d && d->ops ? d->ops : &identity; }

void dma_init(enum dma_iommu_mode mode)
{
	iommu_mode = mode;
	if (mode == DMA_IOMMU_OFF) {
		log_info("dma: iommu=off: every device gets guest-physical handles\n");
		return;
	}
	iommu_units = iommu_init(mode == DMA_IOMMU_STRICT);
	log_info("dma: %s\n", iommu_units ? "handles are IOVAs for devices behind an IOMMU"
					  : "no IOMMU: handles are guest-physical addresses");
}

int dma_attach(struct dma_dev *d, bool translated)
{
	/* A device that bypasses the IOMMU (virtio without ACCESS_PLATFORM: the
	 * device then uses physical addresses, virtio 1.2 §6.1) keeps identity. */
	if (!translated || !iommu_units || d->domain)
		return 0;
	int r = iommu_attach(d, &d->domain);
	if (r)
		return r;
	if (d->domain)
		d->ops = ((const struct dma_domain *)d->domain)->ops;
	return 0;
}

bool dma_translated(const struct dma_dev *d) { return d && d->domain; }
bool dma_strict(void) { return iommu_units && iommu_mode == DMA_IOMMU_STRICT; }
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
	backend(d)->unmap(d, handle, pages(size) * PAGE_SIZE, DMA_BIDIRECTIONAL);
	page_free(p, pages(size));
}

dma_addr_t dma_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	if (!p || len == 0)
		return DMA_MAPPING_ERROR;
	if (d && d->pool) {
		dma_addr_t h = dma_pool_handle(d, p, len);
		if (h != DMA_MAPPING_ERROR)
			return h; /* mapped once, when the pool was made */
	}
	return backend(d)->map(d, virt_to_phys(p), len, dir);
}

void dma_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (handle == DMA_MAPPING_ERROR || (d && d->pool && dma_pool_owns_handle(d, handle)))
		return;
	backend(d)->unmap(d, handle, len, dir);
}
