/* viot.h - the ACPI VIOT table (ACPI 6.5 §5.2.32): which virtio-iommu translates for which endpoints. */
#ifndef DRIVERS_IOMMU_VIOT_H
#define DRIVERS_IOMMU_VIOT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIOT_MAX_IOMMUS 4
#define VIOT_MAX_RANGES 16

/* A virtio-iommu, on PCI (segment, bdf) or on virtio-mmio (base). */
struct viot_iommu {
	uint16_t node; /* its offset in the table: what ranges name as their output */
	bool mmio;
	uint16_t segment, bdf;
	uint64_t base;
};

/* Endpoints translated by iommus[iommu]: a PCI range, or one virtio-mmio device. */
struct viot_range {
	bool mmio;
	uint32_t endpoint_start; /* the endpoint id of the range's first device */
	uint16_t seg_start, seg_end, bdf_start, bdf_end;
	uint64_t base; /* mmio: the device's registers */
	int iommu;     /* index into viot_info.iommus */
};

struct viot_info {
	int niommus, nranges;
	struct viot_iommu iommus[VIOT_MAX_IOMMUS];
	struct viot_range ranges[VIOT_MAX_RANGES];
};

/* Parses a whole VIOT of len bytes (signature, length and every node
 * checked; the checksum is kernel/acpi's). 0, or -EINVAL: nothing usable. */
int viot_parse(const void *table, size_t len, struct viot_info *out);
/* The virtio-iommu that translates for PCI function seg:bdf and the
 * endpoint id it knows it by, or -1 when none does. */
int viot_pci_endpoint(const struct viot_info *vi, uint16_t seg, uint16_t bdf, uint32_t *endpoint);
/* The index of the virtio-iommu at PCI seg:bdf, or -1. */
int viot_iommu_at(const struct viot_info *vi, uint16_t seg, uint16_t bdf);
#endif
