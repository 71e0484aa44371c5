/* msi.c - MSI and MSI-X (PCI Local Bus 3.0 §6.8) and legacy INTx routing. */
#include "drivers/pci/pci.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include <errno.h>

/* MSI-X capability (§6.8.2): message control, table and PBA locations. */
#define MSIX_CTRL         2
#define MSIX_CTRL_SIZE    0x07ff
#define MSIX_CTRL_MASKALL 0x4000
#define MSIX_CTRL_ENABLE  0x8000
#define MSIX_TABLE        4
#define MSIX_PBA          8
/* A table entry: address low/high, data, vector control (bit 0: masked). */
#define MSIX_ENTRY_WORDS  4
#define MSIX_VECTOR_CTRL  3

static volatile uint32_t *msix_region(struct pci_dev *d, uint16_t reg, uint64_t len)
{
	uint32_t v = pci_read32(d, (uint16_t)(d->msix.cap + reg));
	return (volatile uint32_t *)pci_bar_map(d, v & 7, v & ~7u, len);
}

unsigned pci_msix_bars(struct pci_dev *d)
{
	if (!d->msix.cap)
		d->msix.cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (!d->msix.cap)
		return 0;
	return 1u << (pci_read32(d, (uint16_t)(d->msix.cap + MSIX_TABLE)) & 7) |
	       1u << (pci_read32(d, (uint16_t)(d->msix.cap + MSIX_PBA)) & 7);
}

int pci_msix_enable(struct pci_dev *d)
{
	if (!d->msix.cap)
		d->msix.cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (!d->msix.cap)
		return -ENODEV;
	uint16_t ctrl = pci_read16(d, d->msix.cap + MSIX_CTRL);
	d->msix.nvec = (uint16_t)((ctrl & MSIX_CTRL_SIZE) + 1);
	d->msix.table = msix_region(d, MSIX_TABLE, (uint64_t)d->msix.nvec * 16);
	d->msix.pba = msix_region(d, MSIX_PBA, ((d->msix.nvec + 63) / 64) * 8);
	if (!d->msix.table || !d->msix.pba) {
		log_warn("pci %02x:%02x.%x: MSI-X table or PBA lies outside its BAR\n", d->bus, d->dev,
			 d->fn);
		return -EINVAL;
	}
	/* Function-masked while entries are written; each entry masked. */
	pci_write16(d, d->msix.cap + MSIX_CTRL, ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < d->msix.nvec; i++)
		mmio_write32(&d->msix.table[i * MSIX_ENTRY_WORDS + MSIX_VECTOR_CTRL], 1);
	pci_write16(d, d->msix.cap + MSIX_CTRL, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL);
	/* MSI-X on: INTx off (§6.8.2), so a level line cannot stay asserted */
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	d->msix.enabled = true;
	return 0;
}

int pci_msix_set(struct pci_dev *d, unsigned entry, int vector)
{
	uint64_t addr;
	uint32_t data;
	if (!d->msix.enabled || entry >= d->msix.nvec)
		return -EINVAL;
	msi_compose(vector, &addr, &data);
	volatile uint32_t *e = &d->msix.table[entry * MSIX_ENTRY_WORDS];
	mmio_write32(&e[MSIX_VECTOR_CTRL], 1); /* masked while it changes */
	mmio_write32(&e[0], (uint32_t)addr);
	mmio_write32(&e[1], (uint32_t)(addr >> 32));
	mmio_write32(&e[2], data);
	mmio_write32(&e[MSIX_VECTOR_CTRL], 0);
	return 0;
}

/* Unmasking an entry whose pending bit is set sends the message then
 * (§6.8.2.9): masking loses nothing. */
void pci_msix_mask(struct pci_dev *d, unsigned entry, bool mask)
{
	if (d->msix.enabled && entry < d->msix.nvec)
		mmio_write32(&d->msix.table[entry * MSIX_ENTRY_WORDS + MSIX_VECTOR_CTRL], mask ? 1 : 0);
}

bool pci_msix_pending(struct pci_dev *d, unsigned entry)
{
	if (!d->msix.enabled || entry >= d->msix.nvec)
		return false;
	return (mmio_read32(&d->msix.pba[entry / 32]) >> (entry % 32)) & 1;
}

void pci_msix_disable(struct pci_dev *d)
{
	if (!d->msix.cap)
		return;
	uint16_t ctrl = pci_read16(d, d->msix.cap + MSIX_CTRL);
	pci_write16(d, d->msix.cap + MSIX_CTRL, ctrl & ~MSIX_CTRL_ENABLE);
	d->msix.enabled = false;
}

/* MSI (§6.8.1): message control at +2; address (+4, +8 when 64-bit), data after. */
#define MSI_CTRL        2
#define MSI_CTRL_ENABLE 0x0001
#define MSI_CTRL_MME    0x0070
#define MSI_CTRL_64BIT  0x0080

int pci_msi_enable(struct pci_dev *d, int vector)
{
	uint8_t cap = pci_find_cap(d, PCI_CAP_MSI, 0);
	uint64_t addr;
	uint32_t data;
	if (!cap)
		return -ENODEV;
	msi_compose(vector, &addr, &data);
	uint16_t ctrl = pci_read16(d, cap + MSI_CTRL);
	pci_write32(d, cap + 4, (uint32_t)addr);
	if (ctrl & MSI_CTRL_64BIT) {
		pci_write32(d, cap + 8, (uint32_t)(addr >> 32));
		pci_write16(d, cap + 12, (uint16_t)data);
	} else {
		pci_write16(d, cap + 8, (uint16_t)data);
	}
	/* one message (MME = 0), then on; INTx off */
	pci_write16(d, cap + MSI_CTRL, (uint16_t)((ctrl & ~MSI_CTRL_MME) | MSI_CTRL_ENABLE));
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	return 0;
}

void pci_msi_disable(struct pci_dev *d)
{
	uint8_t cap = pci_find_cap(d, PCI_CAP_MSI, 0);
	if (cap)
		pci_write16(d, cap + MSI_CTRL, pci_read16(d, cap + MSI_CTRL) & ~MSI_CTRL_ENABLE);
}

/*
 * Which GSI a function's INTx pin reaches, on QEMU's two machines.
 *
 * Behind each bridge the pin is swizzled by the device number (PCI-to-PCI
 * Bridge Architecture 1.2 §9.1): pin' = (pin + dev) mod 4, up to the root
 * bus. Then:
 * - q35 (ICH9): root-bus slot s, pin p (0 = INTA) drives PIRQ E-H as
 *   4 + ((s + p) mod 4), and the IOAPIC sees PIRQ A-H on GSI 16-23, so
 *   GSI = 20 + ((s + p) mod 4). This is the routing QEMU's ICH9 model uses
 *   by default and that its ACPI _PRT and SeaBIOS describe.
 * - pc (PIIX3): the PIRQ links are steered to ISA IRQs that SeaBIOS picks
 *   and writes to each function's Interrupt Line register; on PIIX the
 *   ISA IRQ is the GSI, after the MADT's overrides (isa_irq_gsi).
 * Both are level-triggered and, as QEMU's ACPI describes them, active high.
 */
static bool is_q35(void)
{
	struct pci_dev *host = pci_get(0, 0, 0);
	return host && host->vendor == 0x8086 && host->device == 0x29c0;
}

static int intx_gsi(const struct pci_dev *d, unsigned *mode)
{
	*mode = GSI_LEVEL | GSI_HIGH;
	if (d->irq_pin < 1 || d->irq_pin > 4)
		return -ENODEV;
	if (!is_q35())
		return d->irq_line && d->irq_line < 16
			       ? (int)isa_irq_gsi(d->irq_line, GSI_LEVEL | GSI_HIGH, mode)
			       : -ENODEV;
	unsigned pin = d->irq_pin - 1u;
	while (d->parent) {
		pin = (pin + d->dev) % 4;
		d = d->parent;
	}
	return (int)(20 + (pin + d->dev) % 4);
}

int pci_intx_enable(struct pci_dev *d, int vector)
{
	unsigned mode;
	int gsi = intx_gsi(d, &mode);
	if (gsi < 0)
		return gsi;
	int r = ioapic_route((uint32_t)gsi, vector, mode);
	if (r)
		return r;
	d->intx_gsi = gsi;
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	log_info("pci %02x:%02x.%x: INTx pin %c on GSI %d, vector 0x%x\n", d->bus, d->dev, d->fn,
		 'A' + d->irq_pin - 1, gsi, vector);
	return 0;
}

void pci_intx_disable(struct pci_dev *d)
{
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	if (d->intx_gsi >= 0)
		ioapic_mask((uint32_t)d->intx_gsi);
	d->intx_gsi = -1;
}
