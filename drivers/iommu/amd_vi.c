/* amd_vi.c - AMD-Vi DMA remapping (AMD I/O Virtualization Technology spec 48882): device table, page tables, commands, events. */
#include "drivers/iommu/iodom.h"
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/ivrs.h"
#include "drivers/pci/pci.h"
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/dma_backend.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "kernel/trap.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Memory map of one unit (§2.2, §3.4):
 *
 *   DevTabBase -> device table: 65536 x 32 B, one entry per requester id
 *                   V, TV, Mode, page table root, IR, IW | DomainID
 *                     `-> I/O page table (iopt.c, AMD v1 format), 3 levels
 *   ComBase    -> command buffer: 256 x 16 B, a ring the unit reads from
 *                 head to tail (§2.4); COMPLETION_WAIT writes a word back
 *   EventBase  -> event log: 256 x 16 B, a ring the unit writes (§2.5);
 *                 an MSI of the unit's own PCI function says there is more
 *
 * Where VT-d has registers and a queue for invalidation, AMD-Vi has only
 * the command buffer: every invalidation is a command, and a
 * COMPLETION_WAIT behind a batch of them says when all are done. Where VT-d
 * records faults in registers, AMD-Vi appends them to the event log.
 *
 * Every device table entry starts valid and translating with no
 * permission (V=1, TV=1, IR=IW=0): a device no domain is attached to is
 * blocked, not passed through (§2.2.2.1).
 */

/* MMIO registers, §3.4 */
#define DEVTAB_BASE 0x0000
#define CMDBUF_BASE 0x0008
#define EVTLOG_BASE 0x0010
#define CONTROL     0x0018
#define EXT_FEATURE 0x0030
#define CMDBUF_HEAD 0x2000
#define CMDBUF_TAIL 0x2008
#define EVTLOG_HEAD 0x2010
#define EVTLOG_TAIL 0x2018
#define STATUS      0x2020
#define MMIO_BYTES  0x4000

#define CTRL_IOMMU_EN   (1ull << 0)
#define CTRL_EVTLOG_EN  (1ull << 2)
#define CTRL_EVTINT_EN  (1ull << 3)
#define CTRL_COHERENT   (1ull << 10)
#define CTRL_CMDBUF_EN  (1ull << 12)
#define STATUS_EVT_OVF  (1ull << 0)
#define STATUS_EVT_INT  (1ull << 1)
#define STATUS_COMW_INT (1ull << 2)
#define EFR_IASUP       (1ull << 6)  /* INVALIDATE_IOMMU_ALL */
#define RING_LEN_256    (8ull << 56) /* ComLen / EventLen: 2^8 entries */

/* Device table entry, §2.2.2.1: four quadwords */
#define DTE_V          (1ull << 0)
#define DTE_TV         (1ull << 1)
#define DTE_MODE(m)    ((uint64_t)(m) << 9)
#define DTE_IR         (1ull << 61)
#define DTE_IW         (1ull << 62)
#define DEVTAB_ENTRIES 65536u
#define DEVTAB_PAGES   (DEVTAB_ENTRIES * 32 / 4096)

/* Commands, §2.4 (opcode in bits 63:60 of the first quadword) */
#define CMD_COMPLETION_WAIT 1ull
#define CMD_INV_DEVTAB      2ull
#define CMD_INV_PAGES       3ull
#define CMD_INV_ALL         8ull
#define CMD_OP(op)          ((op) << 60)
#define COMW_STORE          (1ull << 0)
#define INV_S               (1ull << 0) /* cmd[1]: the address encodes a size */
#define INV_PDE             (1ull << 1) /* cmd[1]: page directory caches too */
#define INV_ALL_ADDR        0x7ffffffffffff000ull

/* Event log entries, §2.5 (code in bits 63:60 of the first quadword) */
#define EVT_ILLEGAL_DTE   1
#define EVT_IO_PAGE_FAULT 2
#define EVT_DEVTAB_HW     3
#define EVT_PAGETAB_HW    4
#define EVT_ILLEGAL_CMD   5
#define EVT_CMD_HW        6
#define EVT_IOTLB_TO      7
#define EVT_BAD_REQ       8
#define EVF_RW            (1u << 5) /* in the 12 flags bits 59:48: the faulting access was a write */
#define EVF_PR            (1u << 4) /* the page was present: a permission fault */

#define PCI_STATUS_STA 0x0800     /* signalled target abort (W1C) */
#define CAP_NPCACHE    (1u << 26) /* §3.2.1 capability header: not-present entries may be cached */

#define RING_ENTRIES 256
#define LEVELS       3  /* DTE Mode 3: 39-bit IOVAs */
#define INV_MAX      16 /* INVALIDATE_IOMMU_PAGES per range; more: the whole domain */
#define WAIT_NS      100000000ull
#define MAX_UNITS    IVRS_MAX_UNITS

struct unit {
	int idx;
	const struct ivrs_unit *iv;
	volatile uint8_t *regs;
	uint64_t efr;
	uint64_t *devtab; /* 4 u64 per entry */
	uint64_t *cmdbuf, *evtlog;
	uint64_t *blocked;       /* the empty top table every unattached entry names */
	volatile uint64_t *comw; /* COMPLETION_WAIT stores here */
	unsigned cmd_tail, cmd_batch, evt_head;
	uint64_t comw_seq;
	bool enabled, npcache;
	int vector;
	struct pci_dev *pci;
	uint64_t commands, waits, events, faults, lost, silent;
};

struct domain {
	struct dma_domain dom; /* first: kernel/dma.c reads the ops from here */
	struct unit *u;
	struct dma_dev *dev;
	uint16_t id, devid; /* devid: the requester id the unit sees (an alias, maybe) */
	struct iodom io;    /* IOVAs, the v1 page table, lazy unmaps (iodom.c) */
	struct iommu_faultlog flog;
	struct domain *next;
};

static struct ivrs_info ivrs;
static struct unit units[MAX_UNITS];
static int nunits;
static uint16_t next_domain = 1;
static bool strict;
static struct domain *domains;

/* Host tests (tests/unit/test_amd_vi.c) bring a fake unit instead. */
#ifdef AMD_FAKE_REGS
static uint64_t rd64(struct unit *u, unsigned off);
static void wr64(struct unit *u, unsigned off, uint64_t v);
#else
static uint64_t rd64(struct unit *u, unsigned off) { return mmio_read64(u->regs + off); }
static void wr64(struct unit *u, unsigned off, uint64_t v) { mmio_write64(u->regs + off, v); }
#endif

static void *table_page(void) { return page_alloc(1, 1); }

/* ---- commands: a batch in the ring, one tail write, one COMPLETION_WAIT ---- */

/*
 * INVALIDATE_IOMMU_PAGES names 2^k pages aligned to their size (§2.4.3):
 * one page with S=0; with S=1 the address's low bits, from bit 12, are k-1
 * ones and a zero. [iova, iova + n pages) is covered exactly by the fewest
 * such blocks. Returns how many were needed (at most max written).
 */
struct inv {
	uint64_t addr; /* as the command carries it */
	bool s;
};
static unsigned inv_split(uint64_t iova, uint64_t n, struct inv *out, unsigned max)
{
	unsigned count = 0;
	while (n) {
		unsigned k = 0;
		while (k < 51 && !(iova >> 12 & ((2ull << k) - 1)) && (2ull << k) <= n)
			k++;
		if (count < max)
			out[count] = k ? (struct inv){ iova | (((1ull << (k - 1)) - 1) << 12), true }
				       : (struct inv){ iova, false };
		count++;
		iova += IOPT_PAGE << k;
		n -= 1ull << k;
	}
	return count;
}

static void cmd_wait(struct unit *u);
static void cmd_push(struct unit *u, uint64_t c0, uint64_t c1)
{
	if (u->cmd_batch == RING_ENTRIES - 2)
		cmd_wait(u); /* one slot for the wait: the ring never fills */
	u->cmdbuf[2 * u->cmd_tail] = c0;
	u->cmdbuf[2 * u->cmd_tail + 1] = c1;
	u->cmd_tail = (u->cmd_tail + 1) % RING_ENTRIES;
	u->cmd_batch++;
	u->commands++;
}

/* §2.4.1: COMPLETION_WAIT with a store: the unit writes the data once every
 * command before it has finished. A bounded spin, like VT-d's wait: it may
 * run inside a completion. */
static void cmd_wait(struct unit *u)
{
	uint64_t seq = ++u->comw_seq;
	uint64_t a = virt_to_phys((const void *)u->comw);
	u->cmdbuf[2 * u->cmd_tail] = (a & 0x000ffffffffffff8ull) | COMW_STORE | CMD_OP(CMD_COMPLETION_WAIT);
	u->cmdbuf[2 * u->cmd_tail + 1] = seq;
	u->cmd_tail = (u->cmd_tail + 1) % RING_ENTRIES;
	u->cmd_batch = 0;
	u->waits++;
	dma_wmb(); /* the commands in memory before the tail that hands them over */
	wr64(u, CMDBUF_TAIL, (uint64_t)u->cmd_tail << 4);
	uint64_t end = now_ns() + WAIT_NS;
	while (*u->comw != seq) {
		if (now_ns() > end) {
			log_err("iommu: amdvi%d: COMPLETION_WAIT timed out (head %llu tail %u)\n", u->idx,
				(unsigned long long)(rd64(u, CMDBUF_HEAD) >> 4), u->cmd_tail);
			return;
		}
		cpu_relax();
	}
}

static void cmd_commit(struct unit *u)
{
	if (u->cmd_batch)
		cmd_wait(u);
}

static void inv_devtab(struct unit *u, uint16_t devid) { cmd_push(u, devid | CMD_OP(CMD_INV_DEVTAB), 0); }

static void inv_domain(struct unit *u, uint16_t dom)
{
	cmd_push(u, (uint64_t)dom << 32 | CMD_OP(CMD_INV_PAGES), INV_ALL_ADDR | INV_S | INV_PDE);
}

static void inv_range(struct unit *u, uint16_t dom, uint64_t iova, uint64_t n)
{
	struct inv b[INV_MAX];
	unsigned k = inv_split(iova, n, b, INV_MAX);
	if (k > INV_MAX) {
		inv_domain(u, dom);
		return;
	}
	for (unsigned i = 0; i < k; i++)
		cmd_push(u, (uint64_t)dom << 32 | CMD_OP(CMD_INV_PAGES),
			 b[i].addr | (b[i].s ? INV_S : 0) | INV_PDE);
}

/* ---- events, §2.5 ---- */

static const char *const event_names[] = {
	[EVT_ILLEGAL_DTE] = "illegal device table entry",
	[EVT_IO_PAGE_FAULT] = "I/O page fault",
	[EVT_DEVTAB_HW] = "device table hardware error",
	[EVT_PAGETAB_HW] = "page table hardware error",
	[EVT_ILLEGAL_CMD] = "illegal command",
	[EVT_CMD_HW] = "command hardware error",
	[EVT_IOTLB_TO] = "IOTLB invalidation timeout",
	[EVT_BAD_REQ] = "invalid device request",
};

static struct domain *domain_by_devid(struct unit *u, uint16_t devid)
{
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->u == u && dm->devid == devid)
			return dm;
	return NULL;
}

static void event(struct unit *u, uint64_t e0, uint64_t e1)
{
	unsigned code = (unsigned)(e0 >> 60), flags = (unsigned)(e0 >> 48 & 0xfff);
	uint16_t devid = (uint16_t)e0;
	u->events++;
	const char *what = code < sizeof event_names / sizeof event_names[0] && event_names[code]
				   ? event_names[code]
				   : "unknown event";
	if (code != EVT_IO_PAGE_FAULT) {
		log_err("iommu: amdvi%d: %s (code %u) device %02x:%02x.%x at 0x%llx\n", u->idx, what, code,
			devid >> 8, devid >> 3 & 31, devid & 7, (unsigned long long)e1);
		return;
	}
	struct domain *dm = domain_by_devid(u, devid);
	uint64_t page = e1 & ~(IOPT_PAGE - 1);
	u->faults++;
	if (dm)
		iommu_fault_note(&dm->flog, page, flags & EVF_PR ? 1 : 0);
	log_err("iommu: amdvi%d: fault: %s %02x:%02x.%x %s at 0x%llx: %s\n", u->idx,
		dm && dm->dev->name ? dm->dev->name : "device", devid >> 8, devid >> 3 & 31, devid & 7,
		flags & EVF_RW ? "write" : "read", (unsigned long long)e1,
		flags & EVF_PR ? "no permission" : "page not present");
	if (dm) /* kernel/dma_fault.c: a request's buffer, or the device's fault */
		dma_fault_record(dm->dev, page, flags & EVF_RW);
}

/*
 * QEMU 7.2's AMD-Vi blocks a faulting access and marks its own PCI
 * function's status "signalled target abort", but never writes the event
 * log (amdvi_log_event tests the overflow bit with | instead of &, and
 * returns; fixed in QEMU 10.1). That bit, set with nothing logged, is then
 * the only sign of a fault: whose, and where, is unknown, so every device
 * on the unit hears of a fault no request covers, as with an overflowed log.
 */
static int silent_fault(struct unit *u, int logged)
{
	if (!u->pci || !(pci_read16(u->pci, PCI_STATUS) & PCI_STATUS_STA))
		return 0;
	pci_write16(u->pci, PCI_STATUS, PCI_STATUS_STA);
	if (logged)
		return 0; /* the log said what it was */
	u->silent++;
	u->faults++;
	log_err("iommu: amdvi%d: fault: signalled in PCI status, not in the event log; whose is unknown\n",
		u->idx);
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->u == u) {
			iommu_fault_note(&dm->flog, 0, 0);
			dma_fault_record(dm->dev, DMA_MAPPING_ERROR, true);
		}
	return 1;
}

/* Reads the log from head to tail, then hands the space back (head = tail).
 * Safe to call from anywhere. */
static int event_drain(struct unit *u)
{
	int n = 0;
	uint64_t flags = irq_save();
	uint64_t st = rd64(u, STATUS);
	unsigned tail = (unsigned)(rd64(u, EVTLOG_TAIL) >> 4) % RING_ENTRIES;
	while (u->evt_head != tail) {
		uint64_t e0 = u->evtlog[2 * u->evt_head], e1 = u->evtlog[2 * u->evt_head + 1];
		u->evtlog[2 * u->evt_head] = u->evtlog[2 * u->evt_head + 1] = 0;
		u->evt_head = (u->evt_head + 1) % RING_ENTRIES;
		event(u, e0, e1);
		n++;
	}
	if (n)
		wr64(u, EVTLOG_HEAD, (uint64_t)u->evt_head << 4);
	if (st & STATUS_EVT_OVF) {
		/* §2.5.1: the log stops when full; whose events were lost is unknown: every
		 * device on the unit hears of a fault no request covers, then the log restarts */
		u->lost++;
		log_err("iommu: amdvi%d: event log overflowed; later faults were lost\n", u->idx);
		for (struct domain *dm = domains; dm; dm = dm->next)
			if (dm->u == u)
				dma_fault_record(dm->dev, DMA_MAPPING_ERROR, true);
		uint64_t ctrl = rd64(u, CONTROL);
		wr64(u, CONTROL, ctrl & ~CTRL_EVTLOG_EN);
		wr64(u, EVTLOG_HEAD, 0);
		wr64(u, EVTLOG_TAIL, 0);
		u->evt_head = 0;
		wr64(u, STATUS, STATUS_EVT_OVF);
		wr64(u, CONTROL, ctrl);
	}
	if (st & (STATUS_EVT_INT | STATUS_COMW_INT))
		wr64(u, STATUS, st & (STATUS_EVT_INT | STATUS_COMW_INT)); /* write 1 to clear */
	n += silent_fault(u, n);
	irq_restore(flags);
	return n;
}

static void event_irq(void *arg) { event_drain(arg); }

/* Once per timer tick, in case the interrupt is lost or not set up yet. */
static int event_poll(void *arg)
{
	static uint64_t last_tick;
	if (apic_ticks == last_tick)
		return 0;
	last_tick = apic_ticks;
	int n = 0;
	for (int i = 0; i < nunits; i++)
		if (units[i].enabled)
			n += event_drain(&units[i]);
	return n;
}

/* ---- one unit ---- */

static int unit_init(struct unit *u, const struct ivrs_unit *iv, int idx)
{
	*u = (struct unit){ .idx = idx, .iv = iv, .vector = -1 };
	u->regs = mmio_map(iv->base, MMIO_BYTES);
	if (!u->regs)
		return -ENOMEM;
	u->efr = rd64(u, EXT_FEATURE);
	if (u->efr == ~0ull) {
		log_err("iommu: amdvi%d at 0x%llx: no registers there\n", idx, (unsigned long long)iv->base);
		return -ENODEV;
	}
	if (rd64(u, CONTROL) & CTRL_IOMMU_EN)
		wr64(u, CONTROL, 0); /* firmware left it on: start from a known state */
	u->devtab = page_alloc(DEVTAB_PAGES, 1);
	u->cmdbuf = page_alloc(1, 1);
	u->evtlog = page_alloc(1, 1);
	u->blocked = page_alloc(1, 1);
	u->comw = page_alloc(1, 1);
	if (!u->devtab || !u->cmdbuf || !u->evtlog || !u->blocked || !u->comw)
		return -ENOMEM;
	/* every requester id: valid, translating, no permission: blocked */
	for (unsigned i = 0; i < DEVTAB_ENTRIES; i++)
		u->devtab[4 * i] = DTE_V | DTE_TV | DTE_MODE(LEVELS) | virt_to_phys(u->blocked);
	wr64(u, DEVTAB_BASE, virt_to_phys(u->devtab) | (DEVTAB_PAGES - 1));
	wr64(u, CMDBUF_BASE, virt_to_phys(u->cmdbuf) | RING_LEN_256);
	wr64(u, EVTLOG_BASE, virt_to_phys(u->evtlog) | RING_LEN_256);
	wr64(u, CMDBUF_HEAD, 0);
	wr64(u, CMDBUF_TAIL, 0);
	wr64(u, EVTLOG_HEAD, 0);
	wr64(u, EVTLOG_TAIL, 0);
	wr64(u, STATUS, STATUS_EVT_OVF | STATUS_EVT_INT | STATUS_COMW_INT);
	/* §3.4.3: command buffer and event log on, then translation; event
	 * interrupts once the unit's PCI function has its MSI (amd_vi_pci_probe) */
	wr64(u, CONTROL, CTRL_CMDBUF_EN | CTRL_EVTLOG_EN | (iv->flags & 0x20 ? CTRL_COHERENT : 0));
	wr64(u, CONTROL, rd64(u, CONTROL) | CTRL_IOMMU_EN);
	/* whatever the unit cached from before is dropped */
	if (u->efr & EFR_IASUP) {
		cmd_push(u, CMD_OP(CMD_INV_ALL), 0);
	} else {
		for (unsigned d = 0; d < DEVTAB_ENTRIES; d++)
			inv_devtab(u, (uint16_t)d);
	}
	cmd_commit(u);
	if (u->comw_seq != *u->comw) {
		log_err("iommu: amdvi%d: the command buffer does not answer\n", idx);
		return -EIO;
	}
	u->enabled = true;
	log_info("iommu: amdvi%d at 0x%llx (pci %02x:%02x.%x): efr 0x%llx: translation enabled, mode %s, "
		 "unattached devices blocked\n",
		 idx, (unsigned long long)iv->base, iv->devid >> 8, iv->devid >> 3 & 31, iv->devid & 7,
		 (unsigned long long)u->efr, iommu_mode_name());
	return 0;
}

static int amd_init(enum dma_iommu_mode mode)
{
	strict = mode != DMA_IOMMU_LAZY;
	if (!acpi.ivrs)
		return 0;
	if (ivrs_parse(acpi.ivrs, acpi.ivrs_len, &ivrs)) {
		log_err("iommu: IVRS table malformed; no translation\n");
		return 0;
	}
	int ok = 0;
	for (int i = 0; i < ivrs.nunits; i++) {
		const struct ivrs_unit *iv = &ivrs.units[i];
		log_info("iommu: IVHD %d: type 0x%x base 0x%llx pci %02x:%02x.%x segment %u, %d device "
			 "ranges%s\n",
			 i, iv->type, (unsigned long long)iv->base, iv->devid >> 8, iv->devid >> 3 & 31,
			 iv->devid & 7, iv->segment, iv->nranges, iv->all ? ", all devices" : "");
		if (unit_init(&units[i], iv, i) == 0)
			ok++;
		nunits = i + 1;
	}
	for (int i = 0; i < ivrs.nmems; i++)
		log_warn("iommu: IVMD 0x%x 0x%llx+0x%llx for devices %04x-%04x: not honoured\n",
			 ivrs.mems[i].type, (unsigned long long)ivrs.mems[i].start,
			 (unsigned long long)ivrs.mems[i].length, ivrs.mems[i].first, ivrs.mems[i].last);
	if (ok)
		poll_register(event_poll, NULL, "amd-vi");
	return ok;
}

/* The unit's own PCI function (class 0806): its MSI carries the event
 * interrupt (§3.3). pci_table.c lists this probe; it runs before other
 * devices, since the function is a unit (amd_is_unit). */
int amd_vi_pci_probe(struct pci_dev *d);
int amd_vi_pci_probe(struct pci_dev *d)
{
	for (int i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		if (!u->enabled || u->iv->segment != d->seg ||
		    u->iv->devid != (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn))
			continue;
		static char owners[MAX_UNITS][16];
		ksnprintf(owners[i], sizeof owners[i], "amdvi%u", (unsigned)i % 10);
		int v = irq_alloc_vector();
		if (v < 0 || irq_register(v, event_irq, u, owners[i]) || pci_msi_enable(d, v)) {
			log_warn("iommu: amdvi%d: no MSI for events; polling the log instead\n", i);
			return 0;
		}
		u->pci = d;
		u->vector = v;
		u->npcache = pci_read32(d, u->iv->cap_off) & CAP_NPCACHE;
		pci_write16(d, PCI_STATUS, PCI_STATUS_STA); /* what is left from before is not ours */
		wr64(u, CONTROL, rd64(u, CONTROL) | CTRL_EVTINT_EN);
		log_info("iommu: amdvi%d: event log interrupt on vector %d; not-present entries %scached\n",
			 i, v, u->npcache ? "" : "not ");
		return 0;
	}
	return -ENODEV;
}

/* ---- domains and the dma backend ---- */

/* iodom.c's ops: invalidation is by command, a batch ended by one COMPLETION_WAIT. */
static void op_range(void *unit, uint16_t dom, uint64_t iova, uint64_t n) { inv_range(unit, dom, iova, n); }
static void op_all(void *unit, uint16_t dom) { inv_domain(unit, dom); }
static void op_commit(void *unit) { cmd_commit(unit); }
/* A unit that caches not-present entries (NpCache, as a virtual IOMMU
 * sets it so that its host can shadow the tables) is told of a new
 * mapping like a changed one; otherwise the table write is enough. */
static void op_mapped(void *unit, uint16_t dom, uint64_t iova, uint64_t n)
{
	struct unit *u = unit;
	if (u->npcache) {
		inv_range(u, dom, iova, n);
		cmd_commit(u);
	}
}
static const struct iodom_ops amd_iodom = { op_range, op_all, op_commit, op_mapped };

static struct iodom *io(struct dma_dev *d) { return &((struct domain *)d->domain)->io; }

static dma_addr_t amd_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	return iodom_map(io(d), phys, len, dir);
}
static void amd_unmap(struct dma_dev *d, dma_addr_t h, size_t len, enum dma_dir dir)
{
	iodom_unmap(io(d), h, len, strict);
}
static void amd_revoke(struct dma_dev *d, dma_addr_t h, size_t len) { iodom_revoke(io(d), h, len); }
static void amd_release(struct dma_dev *d, dma_addr_t h, size_t len) { iodom_release(io(d), h, len); }
static bool amd_lent(struct dma_dev *d, dma_addr_t page) { return iodom_lent(io(d), page); }
/* The window or the floor: 2 MiB and 1 GiB leaves (NextLevel 0 at levels 2, 3). */
static int amd_map_fixed(struct dma_dev *d, dma_addr_t iova, uint64_t phys, uint64_t len)
{
	return iodom_map_fixed(io(d), iova, phys, len, LEVELS);
}

static const struct dma_backend amd_backend = { "amd-vi",   amd_map,     amd_unmap,    amd_lent,
						amd_revoke, amd_release, amd_map_fixed };

static struct domain *domain_of(const struct dma_dev *d)
{
	const struct dma_domain *dom = d->domain;
	return dom && dom->drv == &amd_vi_driver ? (struct domain *)d->domain : NULL;
}

static int amd_attach(struct dma_dev *d, void **domain)
{
	*domain = NULL;
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->dev == d) {
			*domain = dm;
			return 0;
		}
	uint16_t devid;
	int ui = ivrs_unit_for(&ivrs, d->segment, (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn), &devid);
	if (ui < 0 || ui >= nunits || !units[ui].enabled)
		return 0; /* no unit covers it: identity */
	struct unit *u = &units[ui];
	if (!next_domain) {
		log_err("iommu: amdvi%d: out of domain ids\n", u->idx);
		return -ENOSPC;
	}
	struct domain *dm = calloc(1, sizeof *dm);
	if (!dm || iodom_init(&dm->io, d, &amd_iodom, u, next_domain, &iopt_amd, LEVELS, table_page, NULL)) {
		free(dm);
		return -ENOMEM;
	}
	dm->dom = (struct dma_domain){ &amd_backend, &amd_vi_driver };
	dm->u = u;
	dm->dev = d;
	dm->id = next_domain++;
	dm->devid = devid;
	uint64_t flags = irq_save();
	uint64_t *dte = &u->devtab[4 * devid];
	/* §2.2.2.1: the domain id first; then the quadword that names the table
	 * and grants IR/IW (the entry was valid and blocking until then) */
	dte[1] = dm->id;
	dma_wmb();
	dte[0] = DTE_V | DTE_TV | DTE_MODE(LEVELS) | dm->io.pt.root | DTE_IR | DTE_IW;
	inv_devtab(u, devid);
	inv_domain(u, dm->id);
	cmd_commit(u);
	dm->next = domains;
	domains = dm;
	irq_restore(flags);
	log_info("iommu: %02x:%02x.%x: domain %u on amdvi%d (requester %04x), IOVAs 0x%llx-0x%llx\n", d->bus,
		 d->dev, d->fn, dm->id, u->idx, devid, (unsigned long long)IODOM_IOVA_BASE,
		 (unsigned long long)(IODOM_IOVA_BASE + (uint64_t)IODOM_IOVA_PAGES * IOPT_PAGE - 1));
	*domain = dm;
	return 0;
}

static bool amd_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (int i = 0; i < nunits; i++)
		if (units[i].enabled && units[i].iv->segment == seg &&
		    units[i].iv->devid == (uint16_t)(bus << 8 | dev << 3 | fn))
			return true;
	return false;
}

static const struct iommu_faultlog *amd_faultlog(const struct dma_dev *d) { return &domain_of(d)->flog; }

static void amd_sync_faults(const struct dma_dev *d)
{
	struct domain *dm = domain_of(d);
	if (dm)
		event_drain(dm->u);
}

static void amd_show(void)
{
	for (int i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		printf("amdvi%d kind=amd-vi base=0x%llx pci=%02x:%02x.%x translation=%s mode=%s levels=%u "
		       "npcache=%d commands=%llu waits=%llu events=%llu faults=%llu unlogged=%llu "
		       "vector=%d\n",
		       i, (unsigned long long)u->iv->base, u->iv->devid >> 8, u->iv->devid >> 3 & 31,
		       u->iv->devid & 7, u->enabled ? "on" : "off", iommu_mode_name(), (unsigned)LEVELS,
		       u->npcache, (unsigned long long)u->commands, (unsigned long long)u->waits,
		       (unsigned long long)u->events, (unsigned long long)u->faults,
		       (unsigned long long)u->silent, u->vector);
	}
	for (struct domain *dm = domains; dm; dm = dm->next) {
		printf("  domain %u %s %02x:%02x.%x iova=0x%llx mapped=%llu tables=%llu maps=%llu "
		       "unmaps=%llu "
		       "faults=%llu",
		       dm->id, dm->dev->name ? dm->dev->name : "?", dm->dev->bus, dm->dev->dev, dm->dev->fn,
		       (unsigned long long)dm->io.iova.base, (unsigned long long)dm->io.pt.mapped,
		       (unsigned long long)dm->io.pt.tables, (unsigned long long)dm->io.maps,
		       (unsigned long long)dm->io.unmaps, (unsigned long long)dm->flog.count);
		dma_pool_show(dm->dev);
		printf("\n");
	}
}

const struct iommu_driver amd_vi_driver = { "amd-vi", amd_init,        amd_is_unit, amd_attach,
					    amd_show, amd_sync_faults, amd_faultlog };
