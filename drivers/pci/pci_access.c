/* pci_access.c - config space through ports 0xCF8/0xCFC, or through ECAM windows from MCFG. */
#include "drivers/pci/pci.h"
#include "kernel/acpi.h"
#include "kernel/boot_phase.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"

/* Configuration mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2): an address
 * register at 0xCF8 selects bus/device/function/dword, 0xCFC is the data. */
#define CFG_ADDR 0xcf8
#define CFG_DATA 0xcfc

static uint32_t port_addr(uint8_t bus, uint8_t devfn, uint16_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (off & 0xfc);
}

static uint32_t port_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width)
{
	(void)seg;
	outl(CFG_ADDR, port_addr(bus, devfn, off));
	switch (width) {
	case 1:
		return inb(CFG_DATA + (off & 3));
	case 2:
		return inw(CFG_DATA + (off & 2));
	default:
		return inl(CFG_DATA);
	}
}

static void port_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width, uint32_t v)
{
	(void)seg;
	outl(CFG_ADDR, port_addr(bus, devfn, off));
	switch (width) {
	case 1:
		outb(CFG_DATA + (off & 3), (uint8_t)v);
		break;
	case 2:
		outw(CFG_DATA + (off & 2), (uint16_t)v);
		break;
	default:
		outl(CFG_DATA, v);
	}
}

static int port_max(uint16_t seg, uint8_t bus)
{
	(void)seg, (void)bus;
	return 256;
}

static const struct pci_cfg_ops port_ops = { "ports 0xcf8/0xcfc", port_read, port_write, port_max };

/* ECAM (PCIe base spec §7.2.2): 4 KiB of config space per function at
 * base + (bus << 20 | device << 15 | function << 12). */
static volatile uint8_t *ecam_base(uint16_t seg, uint8_t bus)
{
	for (int i = 0; i < acpi.nmcfg; i++) {
		const struct acpi_mcfg *m = &acpi.mcfg[i];
		if (m->segment == seg && bus >= m->bus_start && bus <= m->bus_end)
			return (volatile uint8_t *)(uintptr_t)m->base;
	}
	return NULL;
}

static uint32_t ecam_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width)
{
	volatile uint8_t *b = ecam_base(seg, bus);
	if (!b)
		return seg == 0 ? port_read(seg, bus, devfn, off, width) : 0xffffffffu;
	volatile uint8_t *p = b + ((uint32_t)bus << 20 | (uint32_t)devfn << 12 | (off & 0xfff));
	return (uint32_t)mmio_read_width(p, width);
}

static void ecam_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off, int width, uint32_t v)
{
	volatile uint8_t *b = ecam_base(seg, bus);
	if (!b) {
		if (seg == 0)
			port_write(seg, bus, devfn, off, width, v);
		return;
	}
	volatile uint8_t *p = b + ((uint32_t)bus << 20 | (uint32_t)devfn << 12 | (off & 0xfff));
	mmio_write_width(p, width, v);
}

static int ecam_max(uint16_t seg, uint8_t bus) { return ecam_base(seg, bus) ? 4096 : 256; }

static const struct pci_cfg_ops ecam_ops = { "ECAM", ecam_read, ecam_write, ecam_max };

/* ECAM when MCFG describes a window, ports otherwise (`-M pc` has no MCFG). */
const struct pci_cfg_ops *pci_pick_cfg_ops(void)
{
	int usable = 0;
	for (int i = 0; i < acpi.nmcfg; i++) {
		struct acpi_mcfg *m = &acpi.mcfg[i];
		uint64_t len = ((uint64_t)m->bus_end + 1) << 20;
		if (m->bus_end < m->bus_start || !mmio_map(m->base, len)) {
			log_warn("pci: MCFG window %d (0x%llx, buses %u-%u) is unusable; skipped\n", i,
				 (unsigned long long)m->base, m->bus_start, m->bus_end);
			m->bus_end = 0, m->bus_start = 1; /* matches no bus */
			continue;
		}
		log_info("pci: ECAM segment %u buses %02x-%02x at 0x%llx\n", m->segment, m->bus_start,
			 m->bus_end, (unsigned long long)m->base);
		usable++;
	}
	return usable ? &ecam_ops : &port_ops;
}

void pci_enumerate(uint16_t seg, uint8_t bus);
void pci_probe_drivers(void);

bool pci_present;

/* Mechanism #1 is there when its address register keeps what is written to
 * it; with nothing at port 0xCF8 a read gives all ones. */
static bool ports_answer(void)
{
	uint32_t old = inl(CFG_ADDR);
	outl(CFG_ADDR, 0x80000000u);
	bool there = inl(CFG_ADDR) == 0x80000000u;
	outl(CFG_ADDR, old);
	return there;
}

void pci_init(void)
{
	const struct pci_cfg_ops *ops = pci_pick_cfg_ops();
	int n = 0;

	if (ops == &port_ops && !ports_answer()) {
		log_info("pci: no PCI here (no MCFG, and ports 0xcf8/0xcfc do not answer)\n");
		return;
	}
	pci_present = true;
	pci_set_cfg_ops(ops);
	if (ops == &ecam_ops) {
		for (int i = 0; i < acpi.nmcfg; i++)
			if (acpi.mcfg[i].bus_start <= acpi.mcfg[i].bus_end)
				pci_enumerate(acpi.mcfg[i].segment, acpi.mcfg[i].bus_start);
	} else {
		pci_enumerate(0, 0);
	}
	for (struct pci_dev *d = pci_devices; d; d = d->next)
		n++;
	log_info("pci: %d functions, config space through %s\n", n, ops->name);
	boot_phase("pci-scan");
	pci_probe_drivers();
}

volatile void *pci_bar_map(struct pci_dev *d, int bar, uint64_t off, uint64_t len)
{
	if (bar < 0 || bar > 5)
		return NULL;
	const struct pci_bar *b = pci_bar(d, bar);
	if ((b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) || off > b->size || len > b->size - off ||
	    !b->addr)
		return NULL;
	return mmio_map(b->addr + off, len);
}
