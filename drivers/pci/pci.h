/* pci.h - PCI functions: config space, BARs, capabilities, MSI/MSI-X, drivers. */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H
#include "kernel/dma.h"
#include <stdbool.h>
#include <stdint.h>

/* Configuration space header, type 0 and 1 (PCI Local Bus 3.0 §6.1). */
#define PCI_VENDOR_ID            0x00
#define PCI_DEVICE_ID            0x02
#define PCI_COMMAND              0x04
#define PCI_COMMAND_IO           0x1
#define PCI_COMMAND_MEMORY       0x2
#define PCI_COMMAND_MASTER       0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS               0x06
#define PCI_STATUS_CAP_LIST      0x10
#define PCI_REVISION             0x08
#define PCI_PROG_IF              0x09
#define PCI_SUBCLASS             0x0a
#define PCI_CLASS                0x0b
#define PCI_HEADER_TYPE          0x0e
#define PCI_BAR0                 0x10
#define PCI_PRIMARY_BUS          0x18 /* type 1 */
#define PCI_SECONDARY_BUS        0x19
#define PCI_SUBORDINATE_BUS      0x1a
#define PCI_SUBSYSTEM_VENDOR     0x2c /* type 0 */
#define PCI_SUBSYSTEM_ID         0x2e
#define PCI_CAP_PTR              0x34
#define PCI_INTERRUPT_LINE       0x3c
#define PCI_INTERRUPT_PIN        0x3d

#define PCI_CAP_MSI    0x05
#define PCI_CAP_VENDOR 0x09
#define PCI_CAP_EXP    0x10
#define PCI_CAP_MSIX   0x11

/* Config space access, behind one interface: ports 0xCF8/0xCFC, or ECAM. */
struct pci_cfg_ops {
	const char *name;
	uint32_t (*read)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width);
	void (*write)(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width, uint32_t v);
	int (*max_offset)(uint16_t seg, uint8_t bus); /* 256, or 4096 with ECAM */
};

enum pci_bar_type { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
	enum pci_bar_type type;
	bool prefetch;
	uint64_t addr, size;
};

struct pci_msix {
	uint16_t nvec; /* table size */
	uint8_t cap;   /* capability offset; 0 if none */
	volatile uint32_t *table, *pba;
	bool enabled;
};

struct pci_dev {
	uint16_t seg;
	uint8_t bus, dev, fn;
	uint16_t vendor, device, subsys_vendor, subsys_id;
	uint8_t class, subclass, prog_if, revision, header_type;
	uint8_t irq_line, irq_pin;
	uint8_t secondary_bus; /* bridges */
	struct pci_bar bar[6]; /* through pci_bar(): sized when first asked for */
	uint8_t bars_sized;    /* a bit per BAR slot sized; a 64-bit BAR sets both of its slots */
	struct pci_msix msix;
	struct dma_dev dma;     /* what kernel/dma.c is told about this function */
	const char *driver;     /* set by the probe that took it */
	struct pci_dev *parent; /* the bridge it sits behind; NULL on a root bus */
	int intx_gsi;           /* routed INTx, -1 if none */
	struct pci_dev *next;
};

/* All functions found, in bus/device/function order of discovery. */
extern struct pci_dev *pci_devices;

void pci_init(void); /* picks the access method, enumerates, probes drivers */
/* Whether the machine has PCI at all: an MCFG window, or configuration
 * ports that answer (QEMU's microvm has neither). */
extern bool pci_present;
void pci_set_cfg_ops(const struct pci_cfg_ops *ops);

uint32_t pci_read(const struct pci_dev *d, uint16_t off, int width);
void pci_write(const struct pci_dev *d, uint16_t off, int width, uint32_t v);
static inline uint8_t pci_read8(const struct pci_dev *d, uint16_t off)
{
	return (uint8_t)pci_read(d, off, 1);
}
static inline uint16_t pci_read16(const struct pci_dev *d, uint16_t off)
{
	return (uint16_t)pci_read(d, off, 2);
}
static inline uint32_t pci_read32(const struct pci_dev *d, uint16_t off) { return pci_read(d, off, 4); }
static inline void pci_write8(const struct pci_dev *d, uint16_t off, uint8_t v) { pci_write(d, off, 1, v); }
static inline void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v) { pci_write(d, off, 2, v); }
static inline void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v) { pci_write(d, off, 4, v); }

/* Decode and size all BARs of d, leaving each as it was found. */
void pci_read_bars(struct pci_dev *d);
/* BAR i (0-5) of d, its BARs sized on the first call. Sizing turns the
 * function's decoding off and on, and under QEMU each of those rebuilds the
 * machine's memory map (a millisecond or more under TCG): functions no
 * driver takes are never sized unless `lspci -v` asks. */
const struct pci_bar *pci_bar(struct pci_dev *d, int i);
/* The next capability with this id after offset prev (0: from the start),
 * or 0. The walk is bounded: a looping or out-of-range list ends it. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t prev);
/* Calls fn for every capability in the list, in order; returns how many. */
int pci_for_each_cap(const struct pci_dev *d,
		     void (*fn)(const struct pci_dev *, uint8_t off, uint8_t id, void *), void *arg);
/* A pointer to BAR bar's memory (mapped uncached), or NULL if it is not a
 * memory BAR or [off, off+len) is not inside it. */
volatile void *pci_bar_map(struct pci_dev *d, int bar, uint64_t off, uint64_t len);
/* Bus mastering on, and the decoding of each kind (memory, I/O) of the
 * BARs in `bars` (a bit per BAR slot), which are sized first if no one has
 * sized them. Decoding of a kind none of them has is left as it was: a
 * driver that names only the BARs it uses spares QEMU the memory-map
 * rebuilds of the others. */
#define PCI_ALL_BARS 0x3fu
void pci_enable(struct pci_dev *d, unsigned bars);
/* pci_enable with every BAR. */
void pci_enable_bus_master(struct pci_dev *d);

/* MSI-X (PCI 3.0 §6.8.2): enable with every entry masked; point an entry
 * at a CPU vector and unmask it; mask/unmask; pending bit. */
int pci_msix_enable(struct pci_dev *d);
/* The BARs (a bit each) the MSI-X table and PBA lie in; 0 without MSI-X. */
unsigned pci_msix_bars(struct pci_dev *d);
int pci_msix_set(struct pci_dev *d, unsigned entry, int vector);
void pci_msix_mask(struct pci_dev *d, unsigned entry, bool mask);
bool pci_msix_pending(struct pci_dev *d, unsigned entry);
void pci_msix_disable(struct pci_dev *d);
/* MSI (PCI 3.0 §6.8.1): one vector. */
int pci_msi_enable(struct pci_dev *d, int vector);
void pci_msi_disable(struct pci_dev *d);

/* Legacy INTx: route the function's pin through the IOAPIC to vector
 * (level-triggered, active low); the GSI choice is in drivers/pci/msi.c. */
int pci_intx_enable(struct pci_dev *d, int vector);
void pci_intx_disable(struct pci_dev *d);

/* Drivers: matched on vendor/device (0xffff: any) and class (0xff: any). */
struct pci_driver {
	const char *name;
	uint16_t vendor, device;
	uint8_t class, subclass;
	int (*probe)(struct pci_dev *d); /* 0 if it took the function */
};
extern const struct pci_driver pci_drivers[];
extern const int pci_ndrivers;

const char *pci_dev_name(const struct pci_dev *d); /* driver, else a name for the class */
struct pci_dev *pci_get(uint8_t bus, uint8_t dev, uint8_t fn);
#endif
