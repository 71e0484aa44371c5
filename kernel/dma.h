/* dma.h - the only source of addresses a device may see: handles, per device. */
#ifndef KERNEL_DMA_H
#define KERNEL_DMA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A dma_addr_t is what goes into a descriptor or a device register. Without
 * an IOMMU it equals the guest-physical address; with one (drivers/iommu/)
 * it is an I/O virtual address valid only for the device it was made for.
 * Drivers never compute one themselves.
 */
typedef uint64_t dma_addr_t;
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

enum dma_dir { DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL };

#define DMA_STALE_MAX 8

/* The device a mapping is for: its PCI requester id names it to the IOMMU. */
struct dma_dev {
	uint16_t segment;
	uint8_t bus, dev, fn;
	const char *name;
	void *domain; /* the IOMMU backend's per-device state; NULL: identity */
	/* Called for each IOMMU fault recorded for this device, with interrupts
	 * off (from the fault interrupt, or from dma_sync_faults): the page
	 * address the device tried, whether it was a write, the VT-d reason. */
	void (*fault)(struct dma_dev *d, dma_addr_t page, bool write, unsigned reason);
	void *owner; /* the driver's, for fault */
	/* dma_inject_stale: how many of the next dma_map calls hand out revoked
	 * handles, and those handed out and not yet given back */
	unsigned stale_next, nstale;
	struct {
		dma_addr_t handle;
		size_t len;
	} stale[DMA_STALE_MAX];
};

/* iommu=off|lazy|strict (docs/iommu.md): lazy batches IOTLB invalidations
 * of unmapped pages; strict invalidates before dma_unmap returns. */
enum dma_iommu_mode { DMA_IOMMU_LAZY, DMA_IOMMU_STRICT, DMA_IOMMU_OFF };
/* After the interrupt controller: finds the IOMMU units and turns them on. */
void dma_init(enum dma_iommu_mode mode);
/* Before the device's first dma_alloc: translated says whether its DMA goes
 * through the platform's translation (virtio: ACCESS_PLATFORM negotiated).
 * Such a device behind an IOMMU unit gets a domain of its own; any other
 * keeps identity handles. 0 or a negative errno. */
int dma_attach(struct dma_dev *d, bool translated);
bool dma_translated(const struct dma_dev *d); /* its handles are IOVAs */
bool dma_strict(void);                        /* iommu=strict, and a unit translating */
void dma_show(void);                          /* the `iommu` command */
/* IOMMU faults recorded for the device, with the last address and reason. */
uint64_t dma_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason);
/* Read the IOMMU's fault records now, so that d->fault has run for every
 * fault recorded so far. The unit records a fault before the device can
 * report the request done, so a driver that calls this after seeing a
 * completion and before handling it knows whether that request faulted. */
void dma_sync_faults(struct dma_dev *d);
/* Fault injection (`iommu test`): each of the next n dma_map calls for d
 * maps, then revokes the mapping (page table entries cleared, IOTLB
 * invalidated) and returns the dead handle; its IOVA stays reserved until
 * the driver's dma_unmap, so no other mapping can land there meanwhile.
 * Needs a translated device and iommu=strict. 0 or a negative errno. */
int dma_inject_stale(struct dma_dev *d, unsigned n);
/* Fault injection: revoke a live mapping (from dma_map or dma_alloc) in
 * place, as if the platform took it back; dma_unmap/dma_free of it later
 * only gives back its IOVAs. Same conditions as dma_inject_stale. */
int dma_inject_revoke(struct dma_dev *d, dma_addr_t handle, size_t len);

/* Coherent memory both sides use (rings, headers): zeroed, page aligned.
 * NULL when out of memory or address space. */
void *dma_alloc(struct dma_dev *d, size_t size, dma_addr_t *handle);
void dma_free(struct dma_dev *d, void *p, size_t size, dma_addr_t handle);

/* Lend [p, p+len) to the device for one transfer; DMA_MAPPING_ERROR on failure. */
dma_addr_t dma_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir);
void dma_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir);
#endif
