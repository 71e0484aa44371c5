/* vtd.c - Intel VT-d DMA remapping (VT-d 4.1): root and context tables, per-device domains, invalidation, faults. */
#include "drivers/iommu/dmar.h"
#include "drivers/iommu/iodom.h"
#include "drivers/iommu/iommu.h"
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
 * Memory map of one unit's structures (legacy mode, §3.4.2, §9.1, §9.3):
 *
 *   RTADDR -> root table: 256 x 16 B, one per bus; entry.P, entry.CTP
 *               `-> context table: 256 x 16 B, one per devfn;
 *                   P, TT=00 (second level), SLPTPTR, AW, DID
 *                     `-> second-level table (iopt.c), 3-5 levels
 *   IQA    -> invalidation queue: 256 x 16 B descriptors (§6.5.2), when
 *             the unit has queued invalidation (ECAP.QI)
 *
 * Each device gets a domain of its own: its own page table and its own
 * IOVAs, from IOVA_BASE up, far above guest RAM so a handle is never
 * mistaken for a physical address.
 */

/* Register offsets, §11.4 table 11-2 */
#define VER_REG     0x00
#define CAP_REG     0x08
#define ECAP_REG    0x10
#define GCMD_REG    0x18
#define GSTS_REG    0x1c
#define RTADDR_REG  0x20
#define CCMD_REG    0x28
#define FSTS_REG    0x34
#define FECTL_REG   0x38
#define FEDATA_REG  0x3c
#define FEADDR_REG  0x40
#define FEUADDR_REG 0x44
#define IQH_REG     0x80
#define IQT_REG     0x88
#define IQA_REG     0x90

/* CAP, §11.4.2 */
#define CAP_ND(c)     ((unsigned)((c)&7))
#define CAP_RWBF      (1ull << 4)
#define CAP_CM        (1ull << 7)
#define CAP_SAGAW(c)  ((unsigned)((c) >> 8 & 0x1f))
#define CAP_MGAW(c)   ((unsigned)((c) >> 16 & 0x3f) + 1)
#define CAP_FRO(c)    ((unsigned)((c) >> 24 & 0x3ff) * 16)
#define CAP_SLLPS(c)  ((unsigned)((c) >> 34 & 0xf))
#define CAP_PSI       (1ull << 39)
#define CAP_NFR(c)    ((unsigned)((c) >> 40 & 0xff) + 1)
#define CAP_MAMV(c)   ((unsigned)((c) >> 48 & 0x3f))
/* ECAP, §11.4.3 */
#define ECAP_C        (1ull << 0)
#define ECAP_QI       (1ull << 1)
#define ECAP_IR       (1ull << 3)
#define ECAP_IRO(e)   ((unsigned)((e) >> 8 & 0x3ff) * 16)
#define ECAP_SMTS     (1ull << 43)
/* GCMD / GSTS, §11.4.4-5 */
#define GCMD_TE       (1u << 31)
#define GCMD_SRTP     (1u << 30)
#define GCMD_WBF      (1u << 27)
#define GCMD_QIE      (1u << 26)
#define GCMD_IRE      (1u << 25)
#define GCMD_CFI      (1u << 23)
#define GSTS_PERSIST  (GCMD_TE | GCMD_QIE | GCMD_IRE | GCMD_CFI) /* the rest are one-shot commands */
/* CCMD, §11.4.7 */
#define CCMD_ICC      (1ull << 63)
#define CCMD_GLOBAL   (1ull << 61)
#define CCMD_DEVICE   (3ull << 61)
#define CCMD_CAIG(v)  ((unsigned)((v) >> 59 & 3))
/* IOTLB, §11.4.8.1; IVA, §11.4.8.2 */
#define IOTLB_IVT     (1ull << 63)
#define IOTLB_GLOBAL  (1ull << 60)
#define IOTLB_DOMAIN  (2ull << 60)
#define IOTLB_PAGE    (3ull << 60)
#define IOTLB_DR      (1ull << 49)
#define IOTLB_DW      (1ull << 48)
#define IOTLB_IAIG(v) ((unsigned)((v) >> 57 & 3))
/* FSTS, §11.4.9.1; FECTL, §11.4.9.2; fault records, §11.4.14 */
#define FSTS_PFO      (1u << 0)
#define FSTS_PPF      (1u << 1)
#define FSTS_IQE      (1u << 4)
#define FSTS_FRI(s)   ((unsigned)((s) >> 8 & 0xff))
#define FSTS_W1C      0x7du /* PFO, AFO, APF, IQE, ICE, ITE */
#define FECTL_IM      (1u << 31)
#define FRCD_F        (1ull << 63) /* in the upper 64 bits */
#define FRCD_T        (1ull << 62) /* 1: a read request */
#define FRCD_FR(h)    ((unsigned)((h) >> 32 & 0xff))
#define FRCD_SID(h)   ((uint16_t)(h))
/* Invalidation descriptors, §6.5.2 (128-bit, legacy mode) */
#define INV_CC        1ull                 /* context-cache, §6.5.2.1 */
#define INV_IOTLB     2ull                 /* §6.5.2.3 */
#define INV_WAIT      5ull                 /* §6.5.2.8 */
#define INV_G(g)      ((uint64_t)(g) << 4) /* 1 global, 2 domain, 3 device (cc) / page (IOTLB) */
#define INV_IOTLB_DW  (1ull << 6)
#define INV_IOTLB_DR  (1ull << 7)
#define INV_DID(d)    ((uint64_t)(d) << 16)
#define INV_CC_SID(s) ((uint64_t)(s) << 32)
#define INV_WAIT_SW   (1ull << 5)
#define INV_WAIT_FN   (1ull << 6)
#define IQ_ENTRIES    256 /* one 4 KiB page: IQA.QS 0 */

#define PSI_MAX   16           /* page-selective invalidations per range; more: the domain */
#define WAIT_NS   100000000ull /* a register handshake that takes longer is a broken unit */
#define MAX_UNITS DMAR_MAX_UNITS

struct unit {
	int idx;
	volatile uint8_t *regs;
	uint64_t base, cap, ecap;
	uint32_t ver;
	uint16_t segment;
	unsigned levels, mgaw, ndomains, next_did, iotlb, fro, nfr, mamv, large;
	bool coherent, cm, enabled, qi;
	uint64_t *root;     /* 512 u64: 256 entries of two */
	uint64_t *ctx[256]; /* context tables by bus */
	uint64_t *iq;       /* queued invalidation: the ring, 2 u64 per descriptor */
	unsigned iq_tail, iq_batch;
	volatile uint32_t *iq_status; /* the wait descriptor's status write lands here */
	uint32_t iq_seq;
	int vector;
	uint64_t faults, lost, invalidations, waits;
};

struct domain {
	struct dma_domain dom; /* first: kernel/dma.c reads the ops from here */
	struct unit *u;
	struct dma_dev *dev;
	uint16_t did, sid;
	struct iodom io; /* IOVAs, the second-level table, lazy unmaps (iodom.c) */
	struct iommu_faultlog flog;
	struct domain *next;
};

static struct dmar_info dmar;
static struct unit units[MAX_UNITS];
static int nunits;
static bool strict;
static struct domain *domains;

/* Host tests (tests/unit/test_vtd.c) bring a fake unit instead. */
#ifdef VTD_FAKE_REGS
static uint32_t rd32(struct unit *u, unsigned off);
static uint64_t rd64(struct unit *u, unsigned off);
static void wr32(struct unit *u, unsigned off, uint32_t v);
static void wr64(struct unit *u, unsigned off, uint64_t v);
#else
static uint32_t rd32(struct unit *u, unsigned off) { return mmio_read32(u->regs + off); }
static uint64_t rd64(struct unit *u, unsigned off) { return mmio_read64(u->regs + off); }
static void wr32(struct unit *u, unsigned off, uint32_t v) { mmio_write32(u->regs + off, v); }
static void wr64(struct unit *u, unsigned off, uint64_t v) { mmio_write64(u->regs + off, v); }
#endif

/* ECAP.C = 0: the unit's page walks do not snoop the CPU caches (§11.4.3), so
 * every table write is pushed to memory before the unit may read it. */
static bool walks_coherent = true;
static void cache_flush(const void *p, size_t len)
{
	if (walks_coherent)
		return;
	for (uintptr_t a = (uintptr_t)p & ~63ul; a < (uintptr_t)p + len; a += 64)
		__asm__ volatile("clflush (%0)" ::"r"(a) : "memory");
	__asm__ volatile("mfence" ::: "memory");
}

static void *table_page(void) { return page_alloc(1, 1); }
static void table_free(void *p) { page_free(p, 1); }

static bool wait_gsts(struct unit *u, uint32_t bit, bool set)
{
	uint64_t end = now_ns() + WAIT_NS;
	while (!!(rd32(u, GSTS_REG) & bit) != set)
		if (now_ns() > end)
			return false;
	return true;
}

/* §11.4.4: a command is written with the persistent bits as they stand. */
static bool gcmd(struct unit *u, uint32_t cmd, bool on)
{
	uint32_t sts = rd32(u, GSTS_REG) & GSTS_PERSIST;
	wr32(u, GCMD_REG, on ? sts | cmd : sts & ~cmd);
	if (cmd & GSTS_PERSIST)
		return wait_gsts(u, cmd, on);
	return true; /* one-shot: each caller waits on its own status bit */
}

/* CAP.RWBF: the unit has write buffers to flush after table changes (§6.8). */
static void write_buffer_flush(struct unit *u)
{
	if (!(u->cap & CAP_RWBF))
		return;
	gcmd(u, GCMD_WBF, true);
	if (!wait_gsts(u, GCMD_WBF, false))
		log_err("iommu: dmar%d: write buffer flush timed out\n", u->idx);
}

/* ---- invalidation: a batch of requests, then one wait ---- */

/*
 * Page-selective invalidation names 2^AM pages aligned to their size
 * (§6.5.1.2, AM up to CAP.MAMV): [iova, iova + n pages) is covered exactly
 * by the fewest such blocks, largest first where the address allows.
 * Returns how many blocks were needed (at most max are written).
 */
struct psi {
	uint64_t addr;
	unsigned am;
};
static unsigned psi_split(uint64_t iova, uint64_t n, unsigned mamv, struct psi *out, unsigned max)
{
	unsigned count = 0;
	while (n) {
		unsigned am = 0;
		while (am < mamv && !(iova >> 12 & ((2ull << am) - 1)) && (2ull << am) <= n)
			am++;
		if (count < max)
			out[count] = (struct psi){ iova, am };
		count++;
		iova += IOPT_PAGE << am;
		n -= 1ull << am;
	}
	return count;
}

/* Register-based (§6.5.1): write the command, poll its busy bit. */
static void reg_ctx_invalidate(struct unit *u, uint64_t how)
{
	wr64(u, CCMD_REG, CCMD_ICC | how);
	uint64_t end = now_ns() + WAIT_NS, v;
	while ((v = rd64(u, CCMD_REG)) & CCMD_ICC)
		if (now_ns() > end) {
			log_err("iommu: dmar%d: context-cache invalidation timed out\n", u->idx);
			return;
		}
	if (!CCMD_CAIG(v))
		log_err("iommu: dmar%d: context-cache invalidation not performed\n", u->idx);
}

static void reg_iotlb_invalidate(struct unit *u, uint64_t how, uint16_t did, uint64_t addr, unsigned am)
{
	if (how == IOTLB_PAGE)
		wr64(u, u->iotlb, (addr & ~(IOPT_PAGE - 1)) | am); /* IVA: ADDR, AM */
	wr64(u, u->iotlb + 8, IOTLB_IVT | how | IOTLB_DR | IOTLB_DW | (uint64_t)did << 32);
	uint64_t end = now_ns() + WAIT_NS, v;
	while ((v = rd64(u, u->iotlb + 8)) & IOTLB_IVT)
		if (now_ns() > end) {
			log_err("iommu: dmar%d: IOTLB invalidation timed out\n", u->idx);
			return;
		}
	if (!IOTLB_IAIG(v))
		log_err("iommu: dmar%d: IOTLB invalidation not performed\n", u->idx);
}

/* Queued (§6.5.2): descriptors go into the ring; the unit fetches them when
 * the tail moves. A wait descriptor with a status write (§6.5.2.8) at the
 * end says when everything before it is done: a bounded spin, like the
 * registers' busy bits, so it may run inside a completion. */
static void qi_wait(struct unit *u);
static void qi_push(struct unit *u, uint64_t lo, uint64_t hi)
{
	if (u->iq_batch == IQ_ENTRIES - 2)
		qi_wait(u); /* keep one slot for the wait: the ring never fills */
	u->iq[2 * u->iq_tail] = lo;
	u->iq[2 * u->iq_tail + 1] = hi;
	u->iq_tail = (u->iq_tail + 1) % IQ_ENTRIES;
	u->iq_batch++;
	u->invalidations++;
}

static void qi_wait(struct unit *u)
{
	uint32_t seq = ++u->iq_seq;
	u->iq[2 * u->iq_tail] = INV_WAIT | INV_WAIT_SW | INV_WAIT_FN | (uint64_t)seq << 32;
	u->iq[2 * u->iq_tail + 1] = virt_to_phys((const void *)u->iq_status);
	u->iq_tail = (u->iq_tail + 1) % IQ_ENTRIES;
	u->iq_batch = 0;
	u->waits++;
	cache_flush(u->iq, IQ_ENTRIES * 16);
	dma_wmb(); /* descriptors in memory before the tail that hands them over */
	wr64(u, IQT_REG, (uint64_t)u->iq_tail << 4);
	uint64_t end = now_ns() + WAIT_NS;
	while (*u->iq_status != seq) {
		if (rd32(u, FSTS_REG) & FSTS_IQE) {
			log_err("iommu: dmar%d: invalidation queue error at head %llu\n", u->idx,
				(unsigned long long)(rd64(u, IQH_REG) >> 4));
			wr32(u, FSTS_REG, FSTS_IQE);
			return;
		}
		if (now_ns() > end) {
			log_err("iommu: dmar%d: invalidation wait timed out\n", u->idx);
			return;
		}
		cpu_relax();
	}
}

static void inv_context(struct unit *u, bool global, uint16_t sid, uint16_t did)
{
	if (u->qi)
		qi_push(u, INV_CC | INV_G(global ? 1 : 3) | INV_DID(global ? 0 : did) | INV_CC_SID(sid), 0);
	else
		reg_ctx_invalidate(u, global ? CCMD_GLOBAL : CCMD_DEVICE | (uint64_t)sid << 16 | did);
}

static void inv_iotlb_all(struct unit *u, int did) /* did < 0: every domain */
{
	if (u->qi)
		qi_push(u,
			INV_IOTLB | INV_G(did < 0 ? 1 : 2) | INV_IOTLB_DR | INV_IOTLB_DW |
				INV_DID(did < 0 ? 0 : did),
			0);
	else
		reg_iotlb_invalidate(u, did < 0 ? IOTLB_GLOBAL : IOTLB_DOMAIN, (uint16_t)(did < 0 ? 0 : did),
				     0, 0);
}

/* Pages of one domain: page-selective blocks where the unit has PSI and
 * the range needs few, else the whole domain (§6.5.1.2, §6.5.2.3). */
static void inv_iotlb_range(struct unit *u, uint16_t did, uint64_t iova, uint64_t n)
{
	struct psi b[PSI_MAX];
	unsigned k = u->cap & CAP_PSI ? psi_split(iova, n, u->mamv, b, PSI_MAX) : PSI_MAX + 1;
	if (k > PSI_MAX) {
		inv_iotlb_all(u, did);
		return;
	}
	for (unsigned i = 0; i < k; i++)
		if (u->qi)
			qi_push(u, INV_IOTLB | INV_G(3) | INV_IOTLB_DR | INV_IOTLB_DW | INV_DID(did),
				b[i].addr | b[i].am);
		else
			reg_iotlb_invalidate(u, IOTLB_PAGE, did, b[i].addr, b[i].am);
}

/* The end of a batch: with queued invalidation, wait for all of it. */
static void inv_commit(struct unit *u)
{
	if (u->qi && u->iq_batch)
		qi_wait(u);
}

static int qi_enable(struct unit *u)
{
	u->iq = page_alloc(1, 1);
	u->iq_status = page_alloc(1, 1);
	if (!u->iq || !u->iq_status)
		return -ENOMEM;
	wr64(u, IQT_REG, 0);
	wr64(u, IQA_REG, virt_to_phys(u->iq)); /* QS 0: 256 descriptors; DW 0: 128-bit */
	if (!gcmd(u, GCMD_QIE, true)) {
		log_err("iommu: dmar%d: queued invalidation did not turn on\n", u->idx);
		return -EIO;
	}
	u->iq_tail = (unsigned)(rd64(u, IQH_REG) >> 4) % IQ_ENTRIES; /* head is 0 after enabling */
	u->qi = true;
	return 0;
}

/* ---- faults, §7.3 ---- */

static const char *const reasons[] = {
	[1] = "root entry not present",        [2] = "context entry not present",
	[3] = "invalid context entry",         [4] = "address beyond the domain width",
	[5] = "write to a page not writable",  [6] = "read of a page not readable",
	[7] = "paging entry unreachable",      [8] = "root table address invalid",
	[9] = "context table pointer invalid", [10] = "root entry reserved bits set",
	[11] = "context entry reserved bits",  [12] = "paging entry reserved bits",
	[13] = "translation type blocked",
};

static const char *reason_name(unsigned r)
{
	return r < sizeof reasons / sizeof reasons[0] && reasons[r] ? reasons[r] : "unknown reason";
}

static struct domain *domain_by_sid(struct unit *u, uint16_t sid)
{
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->u == u && dm->sid == sid)
			return dm;
	return NULL;
}

/* Drains the fault recording registers from FSTS.FRI on; each record is
 * cleared by writing its F bit back (§7.3.1). Safe to call from anywhere. */
static int fault_drain(struct unit *u)
{
	int n = 0;
	uint64_t flags = irq_save();
	uint32_t fsts = rd32(u, FSTS_REG);
	if (fsts & FSTS_PPF) {
		unsigned i = FSTS_FRI(fsts) % u->nfr;
		for (unsigned k = 0; k < u->nfr; k++, i = (i + 1) % u->nfr) {
			unsigned off = u->fro + i * 16;
			uint64_t hi = rd64(u, off + 8);
			if (!(hi & FRCD_F))
				continue;
			uint64_t lo = rd64(u, off) & ~(IOPT_PAGE - 1); /* FI: bits 63:12 */
			wr32(u, off + 12, (uint32_t)(FRCD_F >> 32));
			uint16_t sid = FRCD_SID(hi);
			unsigned fr = FRCD_FR(hi);
			struct domain *dm = domain_by_sid(u, sid);
			if (dm)
				iommu_fault_note(&dm->flog, lo, fr);
			u->faults++;
			n++;
			log_err("iommu: dmar%d: fault: %s %02x:%02x.%x %s at 0x%llx: reason %u (%s)\n",
				u->idx, dm && dm->dev->name ? dm->dev->name : "device", sid >> 8,
				sid >> 3 & 31, sid & 7, hi & FRCD_T ? "read" : "write",
				(unsigned long long)lo, fr, reason_name(fr));
			if (dm) /* kernel/dma_fault.c: a request's buffer, or the device's fault */
				dma_fault_record(dm->dev, lo, !(hi & FRCD_T));
		}
	}
	if (fsts & FSTS_PFO) {
		u->lost++;
		log_err("iommu: dmar%d: fault records overflowed; later faults were lost\n", u->idx);
		/* whose, is unknown: every device on the unit hears of a fault no
		 * request covers (its owner then resets it) */
		for (struct domain *dm = domains; dm; dm = dm->next)
			if (dm->u == u)
				dma_fault_record(dm->dev, DMA_MAPPING_ERROR, true);
	}
	if (fsts & FSTS_W1C & ~FSTS_IQE) /* IQE is the invalidation wait's to see */
		wr32(u, FSTS_REG, fsts & FSTS_W1C & ~FSTS_IQE);
	irq_restore(flags);
	return n;
}

static void fault_irq(void *arg) { fault_drain(arg); }

/* The interrupt may be lost or never configured: look at the status now and
 * then too, once per timer tick at most. */
static int fault_poll(void *arg)
{
	static uint64_t last_tick;
	if (apic_ticks == last_tick)
		return 0;
	last_tick = apic_ticks;
	int n = 0;
	for (int i = 0; i < nunits; i++)
		if (units[i].enabled)
			n += fault_drain(&units[i]);
	return n;
}

/* §7.3.2: the fault event is an MSI the unit sends itself (FEDATA/FEADDR);
 * with interrupt remapping off it is in compatibility format. */
static void fault_irq_setup(struct unit *u)
{
	static char owners[MAX_UNITS][8];
	int v = irq_alloc_vector();
	ksnprintf(owners[u->idx], sizeof owners[u->idx], "dmar%d", u->idx);
	if (v < 0 || irq_register(v, fault_irq, u, owners[u->idx])) {
		log_warn("iommu: dmar%d: no vector for fault events; polling the status instead\n", u->idx);
		return;
	}
	uint64_t addr;
	uint32_t data;
	msi_compose(v, &addr, &data);
	wr32(u, FECTL_REG, FECTL_IM); /* masked while it is programmed */
	wr32(u, FEDATA_REG, data);
	wr32(u, FEADDR_REG, (uint32_t)addr);
	wr32(u, FEUADDR_REG, (uint32_t)(addr >> 32));
	wr32(u, FECTL_REG, 0);
	u->vector = v;
}

/* ---- one unit ---- */

static int bridge_bus(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *sub)
{
	struct pci_dev *b = pci_get(bus, dev, fn);
	if (!b || (b->header_type & 0x7f) != 1)
		return -1;
	*sub = pci_read8(b, PCI_SUBORDINATE_BUS);
	return b->secondary_bus;
}

/* CAP values, read and checked before anything is written. */
static int unit_caps(struct unit *u, int idx)
{
	u->ver = rd32(u, VER_REG);
	u->cap = rd64(u, CAP_REG);
	u->ecap = rd64(u, ECAP_REG);
	if (u->ver == 0xffffffff || u->cap == ~0ull || !u->cap) {
		log_err("iommu: dmar%d at 0x%llx: no registers there\n", idx, (unsigned long long)u->base);
		return -ENODEV;
	}
	u->mgaw = CAP_MGAW(u->cap);
	u->ndomains = 1u << (4 + 2 * CAP_ND(u->cap)); /* §11.4.2: ND */
	if (u->ndomains > 65536)
		u->ndomains = 65536;
	u->cm = u->cap & CAP_CM;
	u->coherent = u->ecap & ECAP_C;
	u->fro = CAP_FRO(u->cap);
	u->nfr = CAP_NFR(u->cap);
	u->iotlb = ECAP_IRO(u->ecap);
	u->mamv = CAP_MAMV(u->cap);
	/* SLLPS bit 0: 2 MiB leaves (level 2), bit 1: 1 GiB (level 3), §3.6.1 */
	u->large = CAP_SLLPS(u->cap) & 2 ? 3 : CAP_SLLPS(u->cap) & 1 ? 2 : 1;
	/* SAGAW bit 1: 39-bit 3-level, bit 2: 48-bit 4-level, bit 3: 57-bit 5-level (§3.6) */
	unsigned sagaw = CAP_SAGAW(u->cap);
	for (unsigned lv = 3; lv <= 5 && !u->levels; lv++)
		if (sagaw & (1u << (lv - 2)) && 12 + 9 * lv >= 37)
			u->levels = lv;
	log_info("iommu: dmar%d at 0x%llx: version %u.%u cap 0x%llx ecap 0x%llx: %u-level tables "
		 "(mgaw %u), %u domains, %u fault records, cm=%d coherent=%d psi=%d qi=%d ir=%d "
		 "large=%u\n",
		 idx, (unsigned long long)u->base, u->ver >> 4 & 0xf, u->ver & 0xf,
		 (unsigned long long)u->cap, (unsigned long long)u->ecap, u->levels, u->mgaw, u->ndomains,
		 u->nfr, u->cm, u->coherent, !!(u->cap & CAP_PSI), !!(u->ecap & ECAP_QI),
		 !!(u->ecap & ECAP_IR), u->large);
	if (!u->levels || u->mgaw < 37 ||
	    IODOM_IOVA_BASE + (uint64_t)IODOM_IOVA_PAGES * IOPT_PAGE > 1ull << u->mgaw) {
		log_err("iommu: dmar%d: no address width that reaches the IOVA range (sagaw 0x%x mgaw %u)\n",
			idx, sagaw, u->mgaw);
		return -ENOTSUP;
	}
	if (u->ecap & ECAP_SMTS)
		log_info("iommu: dmar%d: scalable mode offered; using legacy mode\n", idx);
	if (u->fro <= FEUADDR_REG || u->fro + u->nfr * 16 > 4096 || u->iotlb <= FEUADDR_REG ||
	    u->iotlb + 16 > 4096) {
		log_err("iommu: dmar%d: register offsets out of the page (fro 0x%x iro 0x%x)\n", idx, u->fro,
			u->iotlb);
		return -EINVAL;
	}
	return 0;
}

static int unit_init(struct unit *u, const struct dmar_unit *du, int idx)
{
	*u = (struct unit){ .idx = idx, .base = du->base, .segment = du->segment, .vector = -1 };
	u->regs = mmio_map(du->base, 4096);
	if (!u->regs)
		return -ENOMEM;
	int r = unit_caps(u, idx);
	if (r)
		return r;
	uint32_t gsts = rd32(u, GSTS_REG);
	if (gsts & GCMD_TE)
		gcmd(u, GCMD_TE, false); /* firmware left it on: start from a known state */
	if (gsts & GCMD_QIE && !gcmd(u, GCMD_QIE, false)) {
		log_err("iommu: dmar%d: queued invalidation left on and will not turn off\n", idx);
		return -EBUSY;
	}
	if (!u->coherent)
		walks_coherent = false;
	u->root = page_alloc(1, 1);
	if (!u->root)
		return -ENOMEM;
	cache_flush(u->root, 4096);
	fault_irq_setup(u);

	/* §10.4.6: set the root table pointer and wait for RTPS; then drop whatever
	 * the caches hold from before (§6.5.3: context cache, then IOTLB). */
	wr64(u, RTADDR_REG, virt_to_phys(u->root)); /* TTM 00: legacy mode */
	gcmd(u, GCMD_SRTP, true);
	if (!wait_gsts(u, GCMD_SRTP, true)) {
		log_err("iommu: dmar%d: root table pointer not latched\n", idx);
		return -EIO;
	}
	/* §6.5.2: queued invalidation where offered (then register-based
	 * invalidation is refused): a batch of descriptors, one wait */
	if (u->ecap & ECAP_QI && (r = qi_enable(u)))
		return r;
	inv_context(u, true, 0, 0);
	inv_iotlb_all(u, -1);
	inv_commit(u);
	write_buffer_flush(u);
	if (!gcmd(u, GCMD_TE, true)) {
		log_err("iommu: dmar%d: translation did not turn on\n", idx);
		return -EIO;
	}
	u->enabled = true;
	u->next_did = 1; /* §11.4.2 CM: domain 0 is reserved with caching mode; skip it always */
	log_info("iommu: dmar%d: translation enabled, mode %s, %s invalidation, fault events on vector %d\n",
		 idx, iommu_mode_name(), u->qi ? "queued" : "register-based", u->vector);
	return 0;
}

static int vtd_init(enum dma_iommu_mode mode)
{
	strict = mode != DMA_IOMMU_LAZY; /* pool and floor unmap nothing per request; what they do, at once */
	if (!acpi.dmar)
		return 0;
	if (dmar_parse(acpi.dmar, acpi.dmar_len, &dmar)) {
		log_err("iommu: DMAR table malformed; no translation\n");
		return 0;
	}
	log_info("iommu: DMAR: host address width %u, %d units, %d reserved regions, flags 0x%x\n", dmar.haw,
		 dmar.nunits, dmar.nrmrrs, dmar.flags);
	for (int i = 0; i < dmar.nunits; i++) {
		const struct dmar_unit *du = &dmar.units[i];
		log_info("iommu: DRHD %d: base 0x%llx segment %u%s, %d scopes\n", i,
			 (unsigned long long)du->base, du->segment, du->include_all ? " INCLUDE_PCI_ALL" : "",
			 du->nscopes);
	}
	int ok = 0;
	for (int i = 0; i < dmar.nunits; i++) {
		if (unit_init(&units[i], &dmar.units[i], i) == 0)
			ok++;
		nunits = i + 1;
	}
	if (ok)
		poll_register(fault_poll, NULL, "iommu");
	return ok;
}

/* ---- domains and the dma backend ---- */

/* iodom.c's ops: what invalidation VT-d needs, in a batch ended by commit. */
static void op_range(void *unit, uint16_t did, uint64_t iova, uint64_t n)
{
	write_buffer_flush(unit);
	inv_iotlb_range(unit, did, iova, n);
}
static void op_all(void *unit, uint16_t did)
{
	write_buffer_flush(unit);
	inv_iotlb_all(unit, did);
}
static void op_commit(void *unit) { inv_commit(unit); }
/* CAP.CM: the unit may cache not-present entries, so a new mapping is
 * invalidated like a changed one (§6.1); without CM only the write buffer. */
static void op_mapped(void *unit, uint16_t did, uint64_t iova, uint64_t n)
{
	struct unit *u = unit;
	if (u->cm) {
		inv_iotlb_range(u, did, iova, n);
		inv_commit(u);
	} else {
		write_buffer_flush(u);
	}
}
static const struct iodom_ops vtd_iodom = { op_range, op_all, op_commit, op_mapped };

static struct iodom *io(struct dma_dev *d) { return &((struct domain *)d->domain)->io; }

static dma_addr_t vtd_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	if (phys + len > 1ull << dmar.haw)
		return DMA_MAPPING_ERROR;
	return iodom_map(io(d), phys, len, dir);
}
static void vtd_unmap(struct dma_dev *d, dma_addr_t h, size_t len, enum dma_dir dir)
{
	iodom_unmap(io(d), h, len, strict);
}
static void vtd_revoke(struct dma_dev *d, dma_addr_t h, size_t len) { iodom_revoke(io(d), h, len); }
static void vtd_release(struct dma_dev *d, dma_addr_t h, size_t len) { iodom_release(io(d), h, len); }
static bool vtd_lent(struct dma_dev *d, dma_addr_t page) { return iodom_lent(io(d), page); }
/* The window or the floor: the largest leaves SLLPS allows. */
static int vtd_map_fixed(struct dma_dev *d, dma_addr_t iova, uint64_t phys, uint64_t len)
{
	return iodom_map_fixed(io(d), iova, phys, len, ((struct domain *)d->domain)->u->large);
}

static const struct dma_backend vtd_backend = { "vt-d",     vtd_map,     vtd_unmap,    vtd_lent,
						vtd_revoke, vtd_release, vtd_map_fixed };

static void identity_map_rmrrs(struct domain *dm, const struct dma_dev *d)
{
	for (int i = 0; i < dmar.nrmrrs; i++) {
		const struct dmar_rmrr *rm = &dmar.rmrrs[i];
		for (int j = 0; j < rm->nscopes; j++) {
			if (rm->segment != d->segment ||
			    !dmar_scope_match(&rm->scopes[j], d->bus, d->dev, d->fn, bridge_bus))
				continue;
			uint64_t n = (rm->limit - rm->base + 1) / IOPT_PAGE;
			int r = iopt_map(&dm->io.pt, rm->base, rm->base, n, IOPT_R | IOPT_W);
			log_info("iommu: %02x:%02x.%x: RMRR 0x%llx-0x%llx identity mapped (%d)\n", d->bus,
				 d->dev, d->fn, (unsigned long long)rm->base, (unsigned long long)rm->limit,
				 r);
			break;
		}
	}
}

static struct domain *domain_of(const struct dma_dev *d)
{
	const struct dma_domain *dom = d->domain;
	return dom && dom->drv == &vtd_driver ? (struct domain *)d->domain : NULL;
}

static int vtd_attach(struct dma_dev *d, void **domain)
{
	*domain = NULL;
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->dev == d) {
			*domain = dm;
			return 0;
		}
	int ui = dmar_unit_for(&dmar, d->segment, d->bus, d->dev, d->fn, bridge_bus);
	if (ui < 0 || ui >= nunits || !units[ui].enabled)
		return 0; /* no unit covers it: identity */
	struct unit *u = &units[ui];
	if (u->next_did >= u->ndomains) {
		log_err("iommu: dmar%d: out of domain ids\n", u->idx);
		return -ENOSPC;
	}
	struct domain *dm = calloc(1, sizeof *dm);
	uint16_t did = (uint16_t)u->next_did;
	if (!dm ||
	    iodom_init(&dm->io, d, &vtd_iodom, u, did, &iopt_vtd, u->levels, table_page, cache_flush)) {
		free(dm);
		return -ENOMEM;
	}
	u->next_did++;
	dm->dom = (struct dma_domain){ &vtd_backend, &vtd_driver };
	dm->u = u;
	dm->dev = d;
	dm->did = did;
	dm->sid = (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn);
	identity_map_rmrrs(dm, d);

	uint64_t flags = irq_save();
	if (!u->ctx[d->bus]) {
		uint64_t *ct = page_alloc(1, 1);
		if (!ct) {
			irq_restore(flags);
			iodom_destroy(&dm->io, table_free);
			free(dm);
			return -ENOMEM;
		}
		cache_flush(ct, 4096);
		u->ctx[d->bus] = ct;
		u->root[2 * d->bus] = virt_to_phys(ct) | 1; /* §9.1: CTP, P */
		cache_flush(&u->root[2 * d->bus], 16);
	}
	uint64_t *ce = &u->ctx[d->bus][2 * (d->dev << 3 | d->fn)];
	/* §9.3: high half first (AW, DID), then the low half that makes it present */
	ce[1] = (uint64_t)(u->levels - 2) | (uint64_t)dm->did << 8;
	ce[0] = dm->io.pt.root | 1; /* TT 00: untranslated requests use the second level */
	cache_flush(ce, 16);
	write_buffer_flush(u);
	/* §6.5.3.1: a context entry made present is invalidated (required with CM,
	 * harmless without), device-selective and with DID 0 under CM (the tag
	 * not-present entries carry), then the domain's IOTLB */
	inv_context(u, false, dm->sid, u->cm ? 0 : dm->did);
	inv_iotlb_all(u, dm->did);
	inv_commit(u);
	dm->next = domains;
	domains = dm;
	irq_restore(flags);
	log_info("iommu: %02x:%02x.%x: domain %u on dmar%d, IOVAs 0x%llx-0x%llx\n", d->bus, d->dev, d->fn,
		 dm->did, u->idx, (unsigned long long)IODOM_IOVA_BASE,
		 (unsigned long long)(IODOM_IOVA_BASE + (uint64_t)IODOM_IOVA_PAGES * IOPT_PAGE - 1));
	*domain = dm;
	return 0;
}

static const struct iommu_faultlog *vtd_faultlog(const struct dma_dev *d) { return &domain_of(d)->flog; }

static void vtd_sync_faults(const struct dma_dev *d)
{
	struct domain *dm = domain_of(d);
	if (dm)
		fault_drain(dm->u);
}

static void vtd_show(void)
{
	for (int i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		printf("dmar%d kind=vtd base=0x%llx translation=%s mode=%s levels=%u cm=%d qi=%d "
		       "invalidations=%llu waits=%llu faults=%llu vector=%d\n",
		       i, (unsigned long long)u->base, u->enabled ? "on" : "off", iommu_mode_name(),
		       u->levels, u->cm, u->qi, (unsigned long long)u->invalidations,
		       (unsigned long long)u->waits, (unsigned long long)u->faults, u->vector);
	}
	for (struct domain *dm = domains; dm; dm = dm->next) {
		printf("  domain %u %s %02x:%02x.%x iova=0x%llx mapped=%llu tables=%llu maps=%llu "
		       "unmaps=%llu faults=%llu",
		       dm->did, dm->dev->name ? dm->dev->name : "?", dm->dev->bus, dm->dev->dev, dm->dev->fn,
		       (unsigned long long)dm->io.iova.base, (unsigned long long)dm->io.pt.mapped,
		       (unsigned long long)dm->io.pt.tables, (unsigned long long)dm->io.maps,
		       (unsigned long long)dm->io.unmaps, (unsigned long long)dm->flog.count);
		dma_pool_show(dm->dev);
		printf("\n");
	}
}

static bool vtd_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn) { return false; }

const struct iommu_driver vtd_driver = { "vtd",    vtd_init,        vtd_is_unit, vtd_attach,
					 vtd_show, vtd_sync_faults, vtd_faultlog };
