/* acpi.h - what the kernel takes from the ACPI tables (MADT, MCFG, FADT, HPET, and the IOMMUs' DMAR, IVRS, VIOT). */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS      64
#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_OVERRIDES 24
#define ACPI_MAX_MCFG      8
#define ACPI_MAX_NMIS      8
#define ACPI_MAX_MMIO      32

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

/* MPS INTI flags (ACPI 6.5 §5.2.12.5, table 5.26) */
#define ACPI_INTI_POL_MASK   0x3
#define ACPI_INTI_POL_HIGH   0x1
#define ACPI_INTI_POL_LOW    0x3
#define ACPI_INTI_TRIG_MASK  0xc
#define ACPI_INTI_TRIG_EDGE  0x4
#define ACPI_INTI_TRIG_LEVEL 0xc

/* MADT local APIC NMI (§5.2.12.7): which LINT pin carries NMI. */
struct acpi_nmi {
	uint8_t cpu_uid; /* ACPI processor UID; 0xff: every processor */
	uint8_t lint;    /* 0 or 1 */
	uint16_t flags;  /* MPS INTI flags */
};

/* MCFG: the ECAM window of one PCI segment's bus range. */
struct acpi_mcfg {
	uint64_t base; /* of bus 0, even when bus_start > 0 */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

/* FADT (§5.2.9): the fixed hardware, as I/O ports (0: absent). */
struct acpi_fadt_info {
	uint16_t sci_irq; /* an ISA IRQ on PC-AT systems; the MADT may override it */
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint32_t pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, gpe0_blk;
	uint8_t pm1_evt_len, gpe0_len;
	uint32_t pm_tmr;    /* the ACPI PM timer's port (§4.8.3.3); 24 bits, or 32 with TMR_VAL_EXT */
	uint64_t sleep_ctl; /* hardware-reduced: the sleep control register (§4.8.3.7), 0: none */
	int sleep_ctl_io;   /* ... in I/O space rather than memory */
	uint32_t flags;
	uint64_t dsdt; /* physical address */
};

/* A virtio-mmio transport the DSDT describes (_HID "LNRO0005", as QEMU's
 * microvm writes it): its registers and its interrupt, a GSI. */
struct acpi_mmio {
	uint64_t base, size;
	uint32_t gsi;
	uint8_t level, low; /* the interrupt's trigger and polarity */
};

struct acpi_info {
	int found;
	uint64_t lapic_addr;
	int ncpus;
	uint8_t lapic_ids[ACPI_MAX_CPUS];
	uint8_t cpu_uids[ACPI_MAX_CPUS]; /* ACPI processor UID of each lapic_ids[i] */
	int nioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int noverrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	int nnmis;
	struct acpi_nmi nmis[ACPI_MAX_NMIS];
	int nmcfg;
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
	const void *dmar; /* the DMAR table, checksum verified, for drivers/iommu/ */
	uint32_t dmar_len;
	int ndrhd;        /* DMAR hardware units */
	const void *ivrs; /* AMD-Vi's IVRS (AMD IOMMU spec 48882 §5), checksum verified */
	uint32_t ivrs_len;
	const void *viot; /* the VIOT (ACPI 6.5 §5.2.32): virtio-iommu topology, checksum verified */
	uint32_t viot_len;
	int have_fadt;
	struct acpi_fadt_info fadt;
	const void *dsdt; /* checksum verified */
	uint32_t dsdt_len;
	uint64_t hpet; /* the HPET's registers (IA-PC HPET 1.0a §3.2.4), 0: none described */
	int nmmio;     /* virtio-mmio transports in the DSDT */
	struct acpi_mmio mmio[ACPI_MAX_MMIO];
	int have_s5; /* \_S5 found: SLP_TYPa/b for PM1a/b_CNT */
	uint8_t s5_typa, s5_typb;
};

extern struct acpi_info acpi;
void acpi_init(void); /* finds and checks the tables; reports and skips bad ones */
/* After apic_init: route the SCI and enable the power button, whose press
 * powers off from the main loop. 0 or a negative errno. */
int acpi_power_init(void);

/* kernel/acpi_tables.c: parsing, hardware-free (host tested). */
/* The table behind a physical address, readable for len bytes; NULL if it
 * cannot be reached. kernel/acpi.c maps; host tests read memory directly. */
const void *acpi_map_phys(uint64_t phys, uint64_t len);
int acpi_checksum_ok(const void *p, size_t len);
/* Parses the RSDP (len bytes readable) and every table it leads to into acpi. */
int acpi_parse_rsdp(const void *rsdp, size_t len);
int acpi_parse_madt(const void *t, uint32_t len);
/* Finds Name(_S5, Package() { SLP_TYPa, SLP_TYPb, ... }) in AML; 0 or -ENOENT. */
int acpi_s5_parse(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb);
/* kernel/acpi_aml.c: the virtio-mmio devices in AML, at most max of them; how many. */
int acpi_virtio_mmio_parse(const uint8_t *aml, size_t len, struct acpi_mmio *out, int max);
#endif
