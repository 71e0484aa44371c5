/* iommu.h - the IOMMU drivers as kernel/dma.c sees them (nothing else calls them). */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H
#include "kernel/dma.h"
#include <stdbool.h>
#include <stdint.h>

/* A domain's faults, as `iommu` and iommu_faults tell them. */
struct iommu_faultlog {
	uint64_t count, last_addr;
	unsigned last_reason;
};
static inline void iommu_fault_note(struct iommu_faultlog *f, uint64_t addr, unsigned reason)
{
	f->count++, f->last_addr = addr, f->last_reason = reason;
}

/*
 * One driver per kind of IOMMU: Intel VT-d (vtd.c), AMD-Vi (amd_vi.c), the
 * paravirtual virtio-iommu (virtio_iommu.c). Each finds its units in its
 * own ACPI table (DMAR, IVRS, VIOT), gives a translated device a domain,
 * and reports faults with dma_fault_record. iommu.c asks them in turn.
 */
struct iommu_driver {
	const char *kind; /* "vtd", "amd-vi", "virtio-iommu": what `iommu` prints */
	/* Find the units and make them translate (a virtio-iommu: once its
	 * virtio driver has probed it). How many will translate. */
	int (*init)(enum dma_iommu_mode mode);
	/* The PCI function is one of this driver's units: it is brought up
	 * before other devices, and never translated by itself. */
	bool (*is_unit)(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);
	/* As iommu_attach below; 0 with *domain NULL when no unit covers d. */
	int (*attach)(struct dma_dev *d, void **domain);
	void (*show)(void);
	/* Read the unit's fault records now (each goes to dma_fault_record). */
	void (*sync_faults)(const struct dma_dev *d);
	/* The faults of d's domain (one this driver made). */
	const struct iommu_faultlog *(*faultlog)(const struct dma_dev *d);
};

extern const struct iommu_driver vtd_driver, amd_vi_driver, virtio_iommu_driver;

/* Every driver's units, found and turned on for mode (not OFF). Returns
 * the number of units translating; 0 leaves every device on identity. */
int iommu_init(enum dma_iommu_mode mode);
bool iommu_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);
/* The domain (a struct dma_domain *) for a device whose DMA the platform
 * translates, in *domain; NULL there when no unit covers it. Idempotent.
 * 0, or a negative errno when a unit covers it but cannot give it a domain. */
int iommu_attach(struct dma_dev *d, void **domain);
void iommu_show(void); /* `iommu`: units, domains, mappings, faults */
/* Faults recorded for the device since boot, and the last one. */
uint64_t iommu_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason);
/* Drain the fault records of the unit that translates for d now. */
void iommu_sync_faults(const struct dma_dev *d);
/* The policy's name, for the drivers' `iommu` lines. */
const char *iommu_mode_name(void);
#endif
