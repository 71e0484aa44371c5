/* iommu.h - the IOMMU driver as kernel/dma.c sees it (nothing else calls it). */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H
#include "kernel/dma.h"
#include <stdbool.h>
#include <stdint.h>

/* Finds the units in the DMAR table, checks them and turns translation on
 * (strict: every unmap invalidates the IOTLB before it returns). Returns
 * the number of units translating; 0 leaves every device on identity. */
int iommu_init(bool strict);
/* The domain (a struct dma_domain *) for a device whose DMA the platform
 * translates, in *domain; NULL there when no unit covers it. Idempotent.
 * 0, or a negative errno when a unit covers it but cannot give it a domain. */
int iommu_attach(struct dma_dev *d, void **domain);
void iommu_show(void); /* `iommu`: units, domains, mappings, faults */
/* Faults recorded for the device since boot, and the last one. */
uint64_t iommu_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason);
/* Drain the fault records of the unit that translates for d now. */
void iommu_sync_faults(const struct dma_dev *d);
#endif
