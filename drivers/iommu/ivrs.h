/* ivrs.h - the ACPI IVRS table (AMD I/O Virtualization Technology spec 48882 §5): AMD-Vi units and their devices. */
#ifndef DRIVERS_IOMMU_IVRS_H
#define DRIVERS_IOMMU_IVRS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IVRS_MAX_UNITS  4
#define IVRS_MAX_RANGES 64 /* device entries per unit, after merging selects into ranges */
#define IVRS_MAX_MEMS   8

/* Devices [first, last] (16-bit device ids: bus << 8 | devfn) whose DMA the
 * unit sees with requester id alias (== the device id without an alias entry). */
struct ivrs_devs {
	uint16_t first, last;
	uint16_t alias; /* the requester id every device of an alias entry uses */
	bool aliased;
	uint8_t setting; /* DTE setting byte: INITPass, EIntPass, NMIPass, SysMgt, Lint0/1Pass */
};

/* IVHD, §5.2.2: one IOMMU. */
struct ivrs_unit {
	uint8_t type;     /* 0x10, 0x11 or 0x40: of the IVHDs describing this unit, the richest */
	uint8_t flags;    /* HtTunEn, PassPW, ResPassPW, Isoc, IotlbSup, Coherent, PreFSup, PPRSup */
	uint16_t devid;   /* the IOMMU's own PCI function */
	uint16_t cap_off; /* its capability block in that function's config space */
	uint64_t base;    /* the register set, 16 KiB aligned */
	uint16_t segment;
	uint16_t info;     /* MSI number, UnitID */
	uint32_t features; /* type 0x10: feature reporting; 0x11/0x40: IOMMU attributes */
	uint64_t efr;      /* 0x11/0x40: the extended feature register's image */
	bool all;          /* a "select all" entry: every device of the segment */
	uint8_t all_setting;
	int nranges;
	struct ivrs_devs ranges[IVRS_MAX_RANGES];
};

/* IVMD, §5.2.3: memory a device (or all) must keep reaching, or may not. */
struct ivrs_mem {
	uint8_t type;  /* 0x20 all, 0x21 one device, 0x22 a range of devices */
	uint8_t flags; /* bit 0 Unity, 1 IR, 2 IW, 3 ExclusionRange */
	uint16_t first, last;
	uint64_t start, length;
};

struct ivrs_info {
	uint32_t ivinfo; /* §5.2.1: bits 14:8 VAsize, 21:15 PAsize... */
	int nunits, nmems;
	struct ivrs_unit units[IVRS_MAX_UNITS];
	struct ivrs_mem mems[IVRS_MAX_MEMS];
};

/* Parses a whole IVRS table of len bytes; every length is checked. 0, or
 * -EINVAL for a truncated or malformed table (nothing of it may be used). */
int ivrs_parse(const void *table, size_t len, struct ivrs_info *out);
/* The unit that translates for seg:devid, and the requester id its DMA
 * carries (the device's own, or its alias), or -1. */
int ivrs_unit_for(const struct ivrs_info *iv, uint16_t seg, uint16_t devid, uint16_t *requester);
#endif
