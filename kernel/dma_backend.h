/* dma_backend.h - what an IOMMU driver implements so that kernel/dma.c can send a device's handles to it. */
#ifndef KERNEL_DMA_BACKEND_H
#define KERNEL_DMA_BACKEND_H
#include "kernel/dma.h"

/*
 * A backend turns physical ranges into handles for one device. The identity
 * backend (kernel/dma.c) serves every device whose d->ops is NULL. An IOMMU
 * backend's iommu_attach returns its per-device state, which begins with a
 * struct dma_domain; kernel/dma.c keeps it in d->domain and sends that
 * device's calls to d->ops.
 */
struct dma_backend {
	const char *name;
	dma_addr_t (*map)(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir);
	void (*unmap)(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir);
	/* The page at handle belongs to a mapping dma_map made and dma_unmap
	 * has not given back (kernel/dma_fault.c asks, interrupts off). */
	bool (*lent)(struct dma_dev *d, dma_addr_t page);
	/* Fault injection: take the pages away from the device now (entries
	 * cleared, IOTLB invalidated) but keep the IOVAs allocated; release
	 * gives back the IOVAs of a revoked handle. */
	void (*revoke)(struct dma_dev *d, dma_addr_t handle, size_t len);
	void (*release)(struct dma_dev *d, dma_addr_t handle, size_t len);
	/* Map [phys, phys+len) read-write at iova for as long as the domain
	 * lives, with the largest pages the unit allows: the pool mode window,
	 * the floor. 0 or a negative errno. */
	int (*map_fixed)(struct dma_dev *d, dma_addr_t iova, uint64_t phys, uint64_t len);
};

struct iommu_driver;
struct dma_domain {
	const struct dma_backend *ops;
	const struct iommu_driver *drv; /* drivers/iommu/iommu.c: who answers for faults */
};

/* A dma_alloc'ed range of a translated device (kernel/dma_fault.c). */
struct dma_region {
	dma_addr_t handle;
	size_t len;
	struct dma_region *next;
};
#endif
