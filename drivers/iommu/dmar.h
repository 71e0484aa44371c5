/* dmar.h - the ACPI DMAR table (Intel VT-d 4.1 §8) as ringside uses it: remapping units, device scopes, RMRRs. */
#ifndef DRIVERS_IOMMU_DMAR_H
#define DRIVERS_IOMMU_DMAR_H
#include <stddef.h>
#include <stdint.h>

#define DMAR_MAX_UNITS  8
#define DMAR_MAX_RMRRS  8
#define DMAR_MAX_SCOPES 16 /* per unit or RMRR */
#define DMAR_MAX_PATH   8  /* (device, function) hops below the start bus */

/* Device scope types, §8.3.1 table 8-5 */
#define DMAR_SCOPE_PCI_ENDPOINT 1
#define DMAR_SCOPE_PCI_SUBTREE  2
#define DMAR_SCOPE_IOAPIC       3
#define DMAR_SCOPE_HPET         4
#define DMAR_SCOPE_ACPI         5

struct dmar_scope {
	uint8_t type, enum_id, start_bus, npath;
	uint8_t path[DMAR_MAX_PATH][2]; /* device, function */
};

/* DRHD, §8.3: one remapping hardware unit and the devices it translates for. */
struct dmar_unit {
	uint64_t base; /* register set, 4 KiB aligned */
	uint16_t segment;
	int include_all; /* INCLUDE_PCI_ALL: every device of the segment no other unit lists */
	int nscopes;
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
};

/* RMRR, §8.4: memory the firmware says a device keeps reaching (identity mapped for it). */
struct dmar_rmrr {
	uint64_t base, limit; /* limit: last byte */
	uint16_t segment;
	int nscopes;
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
};

struct dmar_info {
	unsigned haw;  /* host address width in bits (the table's field + 1) */
	uint8_t flags; /* bit 0 INTR_REMAP, bit 1 X2APIC_OPT_OUT, bit 2 DMA_CTRL_PLATFORM_OPT_IN */
	int nunits, nrmrrs;
	struct dmar_unit units[DMAR_MAX_UNITS];
	struct dmar_rmrr rmrrs[DMAR_MAX_RMRRS];
};

/* Parses a whole DMAR table of len bytes (signature and length checked; the
 * checksum is kernel/acpi's). 0, or -EINVAL for a truncated or malformed
 * table, in which case nothing of it may be used. */
int dmar_parse(const void *table, size_t len, struct dmar_info *out);

/* Does scope s cover the PCI function bus:dev.fn? A scope's path runs
 * through bridges, so sec_bus(bus, dev, fn, &sub) gives a bridge's secondary
 * bus (and its subordinate in *sub), or -1 when there is no such bridge. */
typedef int (*dmar_bridge_fn)(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *subordinate);
int dmar_scope_match(const struct dmar_scope *s, uint8_t bus, uint8_t dev, uint8_t fn,
		     dmar_bridge_fn sec_bus);
/* The unit that translates for segment:bus:dev.fn (explicit scopes first,
 * then the segment's INCLUDE_PCI_ALL unit), or -1. */
int dmar_unit_for(const struct dmar_info *di, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
		  dmar_bridge_fn sec_bus);
#endif
