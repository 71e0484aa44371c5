/* acpi_le.h - little-endian fields of ACPI tables at any alignment, for the IOMMU table parsers. */
#ifndef DRIVERS_IOMMU_ACPI_LE_H
#define DRIVERS_IOMMU_ACPI_LE_H
#include <stdint.h>

static inline uint16_t rd_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd_le32(const uint8_t *p)
{
	return (uint32_t)rd_le16(p) | (uint32_t)rd_le16(p + 2) << 16;
}
static inline uint64_t rd_le64(const uint8_t *p)
{
	return (uint64_t)rd_le32(p) | (uint64_t)rd_le32(p + 4) << 32;
}
#endif
