/* pci_table.c - every PCI driver, one line each; the first whose match and probe succeed takes the function. */
#include "drivers/pci/pci.h"

int virtio_pci_probe(struct pci_dev *d);
int edu_probe(struct pci_dev *d);
int amd_vi_pci_probe(struct pci_dev *d); /* drivers/iommu/amd_vi.c: the unit's event interrupt */

const struct pci_driver pci_drivers[] = {
	{ "virtio-pci", 0x1af4, 0xffff, 0xff, 0xff, virtio_pci_probe },
	{ "edu", 0x1234, 0x11e8, 0xff, 0xff, edu_probe },
	{ "amd-vi", 0x1022, 0xffff, 0x08, 0x06, amd_vi_pci_probe },
};
const int pci_ndrivers = sizeof pci_drivers / sizeof pci_drivers[0];
