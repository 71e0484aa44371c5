/* edu.h - QEMU's edu device, for testing interrupt delivery before any virtio driver. */
#ifndef DRIVERS_PCI_EDU_H
#define DRIVERS_PCI_EDU_H
#include <stdint.h>

enum edu_mode { EDU_MSI, EDU_INTX };
struct edu_info {
	struct pci_dev *pci;
	enum edu_mode mode;
	int vector;
	uint64_t irqs;
};

int edu_set_mode(enum edu_mode mode);
/* Raise n interrupts one after the other; *received says how many arrived. */
int edu_raise(unsigned n, unsigned *received);
int edu_info(struct edu_info *out);
#endif
