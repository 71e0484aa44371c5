/* dma.c - handles for devices: the identity backend (handle = physical address), with a slot for an IOMMU. */
#include "kernel/dma.h"
#include "kernel/log.h"
#include "kernel/mm.h"

/*
 * A backend turns physical ranges into handles for one device. The identity
 * backend serves every device whose d->domain is NULL. An IOMMU backend
 * (drivers/iommu/) sets d->domain to its per-device state, which starts with
 * a pointer to its struct dma_backend; this file then sends that device's
 * calls there, and drivers do not change.
 */
struct dma_backend {
	const char *name;
	dma_addr_t (*map)(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir);
	void (*unmap)(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir);
};

/* The layout an IOMMU backend's d->domain must begin with. */
struct dma_domain {
	const struct dma_backend *ops;
};

/* Without an IOMMU the device sees guest-physical memory as it is. */
static dma_addr_t identity_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	return phys;
}
static void identity_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir) {}

static const struct dma_backend identity = { "identity", identity_map, identity_unmap };

static const struct dma_backend *backend(const struct dma_dev *d)
{
	if (d && d->domain)
		return ((const struct dma_domain *)d->domain)->ops;
	return &identity;
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
	backend(d)->unmap(d, handle, pages(size) * PAGE_SIZE, DMA_BIDIRECTIONAL);
	page_free(p, pages(size));
}

dma_addr_t dma_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	if (!p || len == 0)
		return DMA_MAPPING_ERROR;
	return backend(d)->map(d, virt_to_phys(p), len, dir);
}

void dma_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (handle != DMA_MAPPING_ERROR)
		backend(d)->unmap(d, handle, len, dir);
}
