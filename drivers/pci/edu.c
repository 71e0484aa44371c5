/* edu.c - QEMU's `edu` teaching device: raises an interrupt on request, to test MSI and INTx routing. */
#include "drivers/pci/edu.h"
#include "drivers/pci/pci.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include "kernel/trap.h"
#include <errno.h>

/* Registers in BAR0 (QEMU docs/specs/edu.txt). */
#define EDU_ID         0x00 /* 0xRRrr00ed: major, minor, "ed" */
#define EDU_IRQ_STATUS 0x24 /* bits raised and not yet acknowledged */
#define EDU_IRQ_RAISE  0x60 /* write: OR into status, raise the interrupt */
#define EDU_IRQ_ACK    0x64 /* write: clear these status bits, lower INTx */

static struct edu {
	struct pci_dev *pci;
	volatile uint8_t *regs;
	int vector;
	enum edu_mode mode;
	volatile uint64_t irqs;
} edu;

static void edu_irq(void *arg)
{
	struct edu *e = arg;
	uint32_t st = mmio_read32(e->regs + EDU_IRQ_STATUS);
	if (!st)
		return;                          /* INTx may be shared: not ours */
	mmio_write32(e->regs + EDU_IRQ_ACK, st); /* lowers a level-triggered INTx */
	e->irqs++;
	poll_kick();
}

int edu_set_mode(enum edu_mode mode)
{
	struct edu *e = &edu;
	if (!e->pci)
		return -ENODEV;
	pci_msi_disable(e->pci);
	pci_intx_disable(e->pci);
	int r = mode == EDU_MSI ? pci_msi_enable(e->pci, e->vector) : pci_intx_enable(e->pci, e->vector);
	if (r == 0)
		e->mode = mode;
	return r;
}

int edu_probe(struct pci_dev *d);
int edu_probe(struct pci_dev *d)
{
	struct edu *e = &edu;
	if (e->pci)
		return -EBUSY; /* one is enough to test with */
	e->regs = (volatile uint8_t *)pci_bar_map(d, 0, 0, 0x100);
	if (!e->regs || (mmio_read32(e->regs + EDU_ID) & 0xffff) != 0x00ed)
		return -ENODEV;
	e->pci = d;
	pci_enable_bus_master(d);
	int v = irq_alloc_vector();
	if (v < 0 || irq_register(v, edu_irq, e, "edu0"))
		return -ENOSPC;
	e->vector = v;
	int r = edu_set_mode(EDU_MSI);
	if (r)
		r = edu_set_mode(EDU_INTX);
	log_info("edu0 %02x:%02x.%x: version %u.%u, interrupts by %s on vector 0x%x\n", d->bus, d->dev, d->fn,
		 mmio_read32(e->regs + EDU_ID) >> 24, (mmio_read32(e->regs + EDU_ID) >> 16) & 0xff,
		 e->mode == EDU_MSI ? "MSI" : "INTx", v);
	return r;
}

struct wait {
	uint64_t want;
};

static bool arrived(void *arg) { return edu.irqs >= ((struct wait *)arg)->want; }

int edu_raise(unsigned n, unsigned *received)
{
	struct edu *e = &edu;
	if (!e->pci)
		return -ENODEV;
	uint64_t start = e->irqs;
	for (unsigned i = 0; i < n; i++) {
		struct wait w = { e->irqs + 1 };
		mmio_write32(e->regs + EDU_IRQ_RAISE, 1u << (i % 8));
		if (!kwait(arrived, &w, 1000000000ull))
			break; /* a second without it: it is not coming */
	}
	*received = (unsigned)(e->irqs - start);
	return 0;
}

int edu_info(struct edu_info *out)
{
	if (!edu.pci)
		return -ENODEV;
	*out = (struct edu_info){ edu.pci, edu.mode, edu.vector, edu.irqs };
	return 0;
}
