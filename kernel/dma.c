/* dma.c - handles for devices: identity (handle = physical address), or an IOMMU domain per device. */
#include "kernel/dma.h"
#include "drivers/iommu/iommu.h"
#include "kernel/dma_backend.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <errno.h>

/*
 * Each device's calls go to its backend: identity while d->domain is NULL,
 * else the IOMMU domain that dma_attach found for it (drivers/iommu/). The
 * drivers are the same either way.
 */

static dma_addr_t identity_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	return phys;
}
static void identity_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir) {}

static const struct dma_backend identity = { "identity", identity_map, identity_unmap, NULL, NULL };

static int iommu_units; /* units translating; 0 with none, or with iommu=off */
static enum dma_iommu_mode iommu_mode = DMA_IOMMU_LAZY;

static const struct dma_backend *backend(const struct dma_dev *d)
{
	if (d && d->domain)
		return ((const struct dma_domain *)d->domain)->ops;
	return &identity;
}

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
	d->domain = iommu_attach(d);
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

int dma_inject_stale(struct dma_dev *d, unsigned n)
{
	if (!dma_translated(d) || !backend(d)->revoke)
		return -ENODEV;
	if (!dma_strict())
		return -EOPNOTSUPP; /* lazy: an unmapped page may stay in the IOTLB until the batch flush */
	if (n == 0 || n > DMA_STALE_MAX - d->nstale)
		return -EINVAL;
	d->stale_next = n;
	return 0;
}

int dma_inject_revoke(struct dma_dev *d, dma_addr_t handle, size_t len)
{
	if (!dma_translated(d) || !backend(d)->revoke)
		return -ENODEV;
	if (!dma_strict())
		return -EOPNOTSUPP;
	if (d->nstale >= DMA_STALE_MAX)
		return -ENOSPC;
	for (unsigned i = 0; i < d->nstale; i++)
		if (d->stale[i].handle == handle)
			return -EALREADY; /* revoked already: one release will give back its IOVAs */
	backend(d)->revoke(d, handle, len);
	d->stale[d->nstale].handle = handle;
	d->stale[d->nstale++].len = len;
	log_warn("dma: %s: revoked the live handle 0x%llx+%zu (iommu test)\n", d->name ? d->name : "device",
		 (unsigned long long)handle, len);
	return 0;
}

/* A dead handle from dma_inject_* goes back here instead of to unmap. */
static bool release_stale(struct dma_dev *d, dma_addr_t handle)
{
	for (unsigned i = 0; i < d->nstale; i++) {
		if (d->stale[i].handle != handle)
			continue;
		backend(d)->release(d, handle, d->stale[i].len);
		d->stale[i] = d->stale[--d->nstale];
		return true;
	}
	return false;
}

static size_t pages(size_t size) { return (size + PAGE_SIZE - 1) / PAGE_SIZE; }

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
	*handle = h;
	return p;
}

void dma_free(struct dma_dev *d, void *p, size_t size, dma_addr_t handle)
{
	if (!p)
		return;
	if (!(d && d->nstale && release_stale(d, handle)))
		backend(d)->unmap(d, handle, pages(size) * PAGE_SIZE, DMA_BIDIRECTIONAL);
	page_free(p, pages(size));
}

dma_addr_t dma_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	if (!p || len == 0)
		return DMA_MAPPING_ERROR;
	dma_addr_t h = backend(d)->map(d, virt_to_phys(p), len, dir);
	if (d && d->stale_next && h != DMA_MAPPING_ERROR && d->nstale < DMA_STALE_MAX) {
		d->stale_next--;
		backend(d)->revoke(d, h, len);
		d->stale[d->nstale].handle = h;
		d->stale[d->nstale++].len = len;
		log_warn("dma: %s: handed out the revoked handle 0x%llx+%zu (iommu test)\n",
			 d->name ? d->name : "device", (unsigned long long)h, len);
	}
	return h;
}

void dma_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (handle == DMA_MAPPING_ERROR)
		return;
	if (d && d->nstale && release_stale(d, handle))
		return;
	backend(d)->unmap(d, handle, len, dir);
}
