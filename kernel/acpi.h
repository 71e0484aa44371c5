/* acpi.h - what the kernel takes from the ACPI tables (MADT, MCFG, FADT, DMAR). */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H
#include <stdint.h>

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 24
#define ACPI_MAX_MCFG 8

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr, gsi_base;
};

/* MADT interrupt source override: ISA IRQ bus_irq arrives on gsi. */
struct acpi_override {
	uint8_t bus_irq;
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};

/* MCFG: the ECAM window of one PCI segment's bus range. */
struct acpi_mcfg {
	uint64_t base; /* of bus 0, even when bus_start > 0 */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_info {
	int found;
	uint64_t lapic_addr;
	int ncpus;
	uint8_t lapic_ids[ACPI_MAX_CPUS];
	int nioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int noverrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	int nmcfg;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
	const void *dmar; /* the DMAR table, checksum verified, for drivers/iommu/ */
	uint32_t dmar_len;
};

extern struct acpi_info acpi;
void acpi_init(void); /* finds and checks the tables; reports and skips bad ones */
#endif
