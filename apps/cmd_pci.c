/* cmd_pci.c - `lspci [-v]`: every PCI function, with BARs and capabilities. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "drivers/pci/edu.h"
#include "drivers/pci/pci.h"
#include <errno.h>
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

static void print_verbose(struct pci_dev *d)
{
	static const char *const types[] = { "none", "io", "mem32", "mem64" };
	for (int i = 0; i < 6; i++) {
		const struct pci_bar *b = pci_bar(d, i);
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
	if (!pci_present) {
		printf("no PCI on this machine\n");
		return 0;
	}
	for (struct pci_dev *d = pci_devices; d; d = d->next) {
		printf("%02x:%02x.%x %04x:%04x class %02x%02x%02x %s\n", d->bus, d->dev, d->fn, d->vendor,
		       d->device, d->class, d->subclass, d->prog_if, pci_dev_name(d));
		if (verbose)
			print_verbose(d);
	}
	return 0;
}

/* `edu [raise N] [msi|intx]`: interrupts from QEMU's edu device, counted. */
int cmd_edu(int argc, char **argv)
{
	struct edu_info in;
	uint64_t n = 0;
	int i = 1;
	if (edu_info(&in))
		return shell_err("edu0", -ENODEV, "no edu device (QEMU -device edu)");
	if (argc > i && (!strcmp(argv[i], "msi") || !strcmp(argv[i], "intx"))) {
		int r = edu_set_mode(argv[i][0] == 'm' ? EDU_MSI : EDU_INTX);
		if (r)
			return shell_err("edu0", r, "cannot switch to %s", argv[i]);
		i++;
	}
	if (argc > i + 1 && !strcmp(argv[i], "raise") && !parse_u64(argv[i + 1], &n) && n >= 1 &&
	    n <= 100000) {
		unsigned got;
		edu_raise((unsigned)n, &got);
		edu_info(&in);
		printf("raised %llu, received %u\n", (unsigned long long)n, got);
		i += 2;
	}
	if (argc != i)
		return shell_usage("edu [msi|intx] [raise N]");
	printf("edu0 %02x:%02x.%x mode=%s vector=0x%x irqs=%llu\n", in.pci->bus, in.pci->dev, in.pci->fn,
	       in.mode == EDU_MSI ? "msi" : "intx", in.vector, (unsigned long long)in.irqs);
	return 0;
}
