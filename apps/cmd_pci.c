/* cmd_pci.c - `lspci [-v]`: every PCI function, with BARs and capabilities. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "drivers/pci/pci.h"
#include <stdio.h>
#include <string.h>

static const char *cap_name(uint8_t id)
{
	static const char *const names[] = {
		[0x01] = "power-management", [0x05] = "msi",  [0x09] = "vendor", [0x0d] = "bridge-subsystem",
		[0x10] = "pci-express",      [0x11] = "msix", [0x12] = "sata",
	};
	return id < sizeof names / sizeof names[0] && names[id] ? names[id] : "other";
}

static void print_cap(const struct pci_dev *d, uint8_t off, uint8_t id, void *arg)
{
	(void)d, (void)arg;
	printf("    cap 0x%02x %s (0x%02x)\n", off, cap_name(id), id);
}

static void print_verbose(const struct pci_dev *d)
{
	static const char *const types[] = { "none", "io", "mem32", "mem64" };
	for (int i = 0; i < 6; i++) {
		const struct pci_bar *b = &d->bar[i];
		if (b->type == PCI_BAR_NONE)
			continue;
		printf("    BAR%d %s%s addr=0x%llx size=0x%llx\n", i, types[b->type],
		       b->prefetch ? " prefetch" : "", (unsigned long long)b->addr,
		       (unsigned long long)b->size);
	}
	if ((d->header_type & 0x7f) == 1)
		printf("    bridge secondary=%02x\n", d->secondary_bus);
	if (d->irq_pin)
		printf("    irq pin=%c line=%u\n", 'A' + d->irq_pin - 1, d->irq_line);
	pci_for_each_cap(d, print_cap, NULL);
}

int cmd_lspci(int argc, char **argv)
{
	bool verbose = argc == 2 && !strcmp(argv[1], "-v");
	if (argc > 2 || (argc == 2 && !verbose))
		return shell_usage("lspci [-v]");
	for (const struct pci_dev *d = pci_devices; d; d = d->next) {
		printf("%02x:%02x.%x %04x:%04x class %02x%02x%02x %s\n", d->bus, d->dev, d->fn, d->vendor,
		       d->device, d->class, d->subclass, d->prog_if, pci_dev_name(d));
		if (verbose)
			print_verbose(d);
	}
	return 0;
}
