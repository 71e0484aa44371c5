/* virtio_iommu.c - the paravirtual IOMMU (virtio 1.2 §5.13, device id 23): domains and mappings by request. */
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/iopt.h"
#include "drivers/iommu/viot.h"
#include "drivers/virtio/virtio.h"
#include "kernel/acpi.h"
#include "kernel/dma_backend.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A virtio-iommu is a virtio device like any other (the core probes it,
 * before the devices it translates for: drivers/pci/pci.c asks dma_is_iommu)
 * and an IOMMU driver behind kernel/dma.c. Where VT-d and AMD-Vi are told
 * about mappings through page tables in memory and then asked to forget
 * what they cached, a virtio-iommu is told by request:
 *
 *   ATTACH(domain, endpoint)           the endpoint's DMA now goes through the domain
 *   MAP(domain, virt range, phys, RW)  one mapping, of any size the page mask allows
 *   UNMAP(domain, virt range)          gone when the request completes: no IOTLB to flush
 *   PROBE(endpoint)                    its reserved ranges (the MSI doorbell)
 *
 * each on the request queue, answered in the used ring. dma_map runs inside
 * completions (a blk completion maps the next request), which may not
 * wait: so a request is a bounded spin on the request queue's used ring,
 * as VT-d's invalidation waits on a register, and never a kwait. Under TCG
 * QEMU answers during the notify itself. Lazy mode sends deferred UNMAPs
 * as one batch: one notify, one spin; pool mode maps one window per device
 * at attach and nothing per request.
 *
 * Faults arrive on the event queue: the driver keeps it stocked with
 * buffers; each report names the endpoint and address, and goes to
 * dma_fault_record. The device reports a fault before the endpoint's
 * request completes, so dma_sync_faults draining the event queue is the
 * same fence as reading VT-d's fault registers.
 */

/* Feature bits, §5.13.3 */
#define F_INPUT_RANGE   0
#define F_DOMAIN_RANGE  1
#define F_MAP_UNMAP     2
#define F_BYPASS        3
#define F_PROBE         4
#define F_MMIO          5
#define F_BYPASS_CONFIG 6

/* §5.13.4 */
struct viommu_config {
	uint64_t page_size_mask;
	uint64_t input_start, input_end;
	uint32_t domain_start, domain_end;
	uint32_t probe_size;
	uint8_t bypass;
	uint8_t reserved[3];
};
_Static_assert(sizeof(struct viommu_config) == 40, "virtio 1.2 §5.13.4");

/* §5.13.6: requests; every one ends in a 4-byte device-writable tail */
#define T_ATTACH 1
#define T_DETACH 2
#define T_MAP    3
#define T_UNMAP  4
#define T_PROBE  5

struct req_head {
	uint8_t type, reserved[3];
};
struct req_tail {
	uint8_t status, reserved[3];
};
struct req_attach {
	struct req_head head;
	uint32_t domain, endpoint, flags;
	uint8_t reserved[4];
	struct req_tail tail;
};
_Static_assert(sizeof(struct req_attach) == 24, "virtio 1.2 §5.13.6.3");
struct req_map {
	struct req_head head;
	uint32_t domain;
	uint64_t virt_start, virt_end, phys_start;
	uint32_t flags;
	struct req_tail tail;
} __attribute__((packed));
_Static_assert(sizeof(struct req_map) == 40, "virtio 1.2 §5.13.6.5");
struct req_unmap {
	struct req_head head;
	uint32_t domain;
	uint64_t virt_start, virt_end;
	uint8_t reserved[4];
	struct req_tail tail;
} __attribute__((packed));
_Static_assert(sizeof(struct req_unmap) == 32, "virtio 1.2 §5.13.6.6");
#define PROBE_IN_OFF 72 /* head, endpoint, 64 reserved: then properties[probe_size], tail */

#define MAP_F_READ  (1u << 0)
#define MAP_F_WRITE (1u << 1)

static const char *const statuses[] = { "OK",    "IOERR", "UNSUPP", "DEVERR", "INVAL",
					"RANGE", "NOENT", "FAULT",  "NOMEM" };

/* §5.13.6.7: PROBE properties */
#define PROBE_T_RESV_MEM 1
#define RESV_T_RESERVED  0
#define RESV_T_MSI       1

/* §5.13.6.9: fault reports */
struct viommu_fault {
	uint8_t reason, reserved[3];
	uint32_t flags, endpoint, reserved1;
	uint64_t address;
};
_Static_assert(sizeof(struct viommu_fault) == 24, "virtio 1.2 §5.13.6.9");
#define FAULT_F_READ    (1u << 0)
#define FAULT_F_WRITE   (1u << 1)
#define FAULT_F_ADDRESS (1u << 8)
static const char *const fault_reasons[] = { "unknown", "not attached to a domain", "no mapping" };

#define REQQ        0
#define EVENTQ      1
#define SLOT_BYTES  64
#define NSLOTS      65 /* a lazy batch of UNMAPs, or one request */
#define NEVENTS     16
#define EVENT_BYTES 64
#define IOVA_BASE   (64ull << 30) /* as VT-d: far above RAM */
#define IOVA_PAGES  65536u
#define LAZY_DEFER  64
#define MAX_RESV    8
#define MAX_UNITS   VIOT_MAX_IOMMUS

struct resv {
	uint64_t start, end; /* inclusive */
	uint8_t subtype;
};

struct range {
	uint64_t iova, n;
};

struct viommu;
struct domain {
	struct dma_domain dom; /* first: kernel/dma.c reads the ops from here */
	struct viommu *v;
	struct dma_dev *dev;
	uint32_t id, endpoint;
	struct iova_space iova;
	struct resv resv[MAX_RESV];
	int nresv;
	uint64_t maps, unmaps, mapped;
	struct iommu_faultlog flog;
	struct range defer[LAZY_DEFER];
	int ndefer;
	struct domain *next;
};

/* One virtio-iommu device. */
struct viommu {
	struct virtio_dev *vd;
	int unit;      /* its index in the VIOT */
	uint64_t gran; /* the smallest page of page_size_mask: the mapping granule */
	uint64_t page_mask, in_start, in_end;
	uint32_t dom_start, dom_end, next_dom, probe_size;
	bool ready, dead, probe, bypass_config;
	uint8_t *slots, *probe_buf, *events;
	dma_addr_t slots_h, probe_h, events_h;
	uint32_t slot_len[NSLOTS];
	uint64_t requests, batches, spins, faults, bad_events, repeats;
	uint32_t last_ep;   /* the fault last printed: QEMU reports every access of */
	uint64_t last_page; /* a bounced page, so the same page comes many times */
};

static struct viot_info viot;
static struct viommu *units[MAX_UNITS];
static int nunits_viot;
static bool lazy, enabled;
static struct domain *domains;

static const char *vname(const struct viommu *v) { return v->vd->name; }

/* ---- requests: a batch on the request queue, one notify, a bounded spin ---- */

static void *slot(struct viommu *v, unsigned i) { return v->slots + (size_t)i * SLOT_BYTES; }

/* Sends slots [0, n) (each slot_len[i] bytes, the last 4 its tail) and
 * spins until the device has used every one. 0, or -EIO when the device
 * does not answer in VIRTIO_DEVICE_WAIT_NS (it keeps the slots: the unit
 * is given up) or breaks its ring. Each request's own status is in its tail. */
static int run(struct viommu *v, unsigned n)
{
	struct virtqueue *vq = v->vd->q[REQQ].vq;
	if (v->dead)
		return -EIO;
	for (unsigned i = 0; i < n; i++) {
		dma_addr_t h = v->slots_h + (dma_addr_t)i * SLOT_BYTES;
		struct vq_sg out = { h, v->slot_len[i] - 4 }, in = { h + v->slot_len[i] - 4, 4 };
		struct req_tail *t = (struct req_tail *)((uint8_t *)slot(v, i) + v->slot_len[i] - 4);
		t->status = 0xff; /* no status the device may leave: shows whether it wrote one */
		if (vq_add(vq, &out, 1, &in, 1, slot(v, i))) {
			log_err("iommu: %s: request queue refused a request\n", vname(v));
			v->dead = true;
			return -EIO;
		}
	}
	vq_kick(vq);
	v->requests += n;
	v->batches++;
	uint64_t end = now_ns() + VIRTIO_DEVICE_WAIT_NS;
	for (unsigned got = 0; got < n;) {
		uint32_t len;
		void *tok = vq_get(vq, &len);
		if (tok) {
			unsigned i = (unsigned)(((uint8_t *)tok - v->slots) / SLOT_BYTES);
			if (i >= n || len < 4) /* the ring checks the id; short: the tail was not written */
				((struct req_tail *)((uint8_t *)slot(v, i % n) + v->slot_len[i % n] - 4))
					->status = 0xfe;
			got++;
			continue;
		}
		if (vq_broken(vq) || now_ns() > end) {
			log_err("iommu: %s: %s; the unit is given up\n", vname(v),
				vq_broken(vq) ? "request queue broken"
					      : "a request was not answered in time");
			v->dead = true;
			return -EIO;
		}
		v->spins++;
		cpu_relax();
	}
	return 0;
}

static int status_of(struct viommu *v, unsigned i, const char *what)
{
	uint8_t s = ((struct req_tail *)((uint8_t *)slot(v, i) + v->slot_len[i] - 4))->status;
	if (s == 0)
		return 0;
	log_err("iommu: %s: %s failed: %s\n", vname(v), what,
		s < sizeof statuses / sizeof statuses[0] ? statuses[s] : "no status written");
	return s == 8 ? -ENOMEM : s == 5 ? -ERANGE : -EIO;
}

static void put_map(struct viommu *v, unsigned i, uint32_t dom, uint64_t iova, uint64_t len, uint64_t phys,
		    uint32_t flags)
{
	struct req_map *r = slot(v, i);
	*r = (struct req_map){ .head = { T_MAP },
			       .domain = dom,
			       .virt_start = iova,
			       .virt_end = iova + len - 1,
			       .phys_start = phys,
			       .flags = flags };
	v->slot_len[i] = sizeof *r;
}

static void put_unmap(struct viommu *v, unsigned i, uint32_t dom, uint64_t iova, uint64_t len)
{
	struct req_unmap *r = slot(v, i);
	*r = (struct req_unmap){
		.head = { T_UNMAP }, .domain = dom, .virt_start = iova, .virt_end = iova + len - 1
	};
	v->slot_len[i] = sizeof *r;
}

/* ---- the dma backend ---- */

static uint32_t flags_for(enum dma_dir dir)
{
	return dir == DMA_TO_DEVICE     ? MAP_F_READ
	       : dir == DMA_FROM_DEVICE ? MAP_F_WRITE
					: MAP_F_READ | MAP_F_WRITE;
}

/* 4 KiB pages of the IOVA allocator per granule */
static uint32_t per_gran(const struct viommu *v) { return (uint32_t)(v->gran / IOPT_PAGE); }

static bool in_resv(const struct domain *dm, uint64_t a, uint64_t len)
{
	for (int i = 0; i < dm->nresv; i++)
		if (a <= dm->resv[i].end && a + len - 1 >= dm->resv[i].start)
			return true;
	return false;
}

/* Deferred UNMAPs go as one batch; then their IOVAs are free again. */
static void flush_deferred(struct domain *dm)
{
	struct viommu *v = dm->v;
	if (!dm->ndefer)
		return;
	for (int i = 0; i < dm->ndefer; i++)
		put_unmap(v, (unsigned)i, dm->id, dm->defer[i].iova, dm->defer[i].n * v->gran);
	if (run(v, (unsigned)dm->ndefer) == 0)
		for (int i = 0; i < dm->ndefer; i++)
			if (status_of(v, (unsigned)i, "UNMAP") == 0)
				iova_free(&dm->iova, dm->defer[i].iova,
					  (uint32_t)(dm->defer[i].n * per_gran(v)));
	/* an UNMAP that failed keeps its IOVAs: nothing may land where the device may still reach */
	dm->ndefer = 0;
}

static dma_addr_t vi_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	struct domain *dm = d->domain;
	struct viommu *v = dm->v;
	uint64_t off = phys & (v->gran - 1), n = iopt_count(phys, len, v->gran);
	if (!len || n * per_gran(v) > IOVA_PAGES)
		return DMA_MAPPING_ERROR;
	uint64_t flags = irq_save();
	uint32_t pages = (uint32_t)(n * per_gran(v));
	uint64_t iova = iova_alloc(&dm->iova, pages, per_gran(v));
	if (!iova && dm->ndefer) {
		flush_deferred(dm); /* lazy unmaps still hold the space: settle them */
		iova = iova_alloc(&dm->iova, pages, per_gran(v));
	}
	int r = -ENOSPC;
	if (iova) {
		put_map(v, 0, dm->id, iova, n * v->gran, phys - off, flags_for(dir));
		r = run(v, 1);
		if (!r)
			r = status_of(v, 0, "MAP");
	}
	if (r) {
		if (iova && !v->dead)
			iova_free(&dm->iova, iova, pages);
		irq_restore(flags);
		log_err("iommu: %s: cannot map %llu pages (%d)\n", d->name ? d->name : "device",
			(unsigned long long)n, r);
		return DMA_MAPPING_ERROR;
	}
	dm->maps++;
	dm->mapped += n;
	irq_restore(flags);
	return iova + off; /* the buffer's offset in its first granule is the handle's */
}

static void vi_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	struct domain *dm = d->domain;
	struct viommu *v = dm->v;
	uint64_t iova = iopt_first(handle, v->gran), n = iopt_count(handle, len, v->gran);
	uint64_t flags = irq_save();
	if (!len || !iova_allocated(&dm->iova, iova)) {
		irq_restore(flags);
		log_err("iommu: %s: unmap of 0x%llx+%zu that was not mapped\n", d->name ? d->name : "device",
			(unsigned long long)handle, len);
		return;
	}
	dm->unmaps++;
	dm->mapped -= n;
	if (lazy) {
		/* the device may still reach the pages until the batch goes; the
		 * IOVAs stay allocated until then, so nothing new lands on them */
		dm->defer[dm->ndefer++] = (struct range){ iova, n };
		if (dm->ndefer == LAZY_DEFER)
			flush_deferred(dm);
	} else {
		/* strict: the mapping is gone when the UNMAP completes, before this returns */
		put_unmap(v, 0, dm->id, iova, n * v->gran);
		if (run(v, 1) == 0 && status_of(v, 0, "UNMAP") == 0)
			iova_free(&dm->iova, iova, (uint32_t)(n * per_gran(v)));
	}
	irq_restore(flags);
}

/* Fault injection: UNMAP now, keep the IOVAs until vi_release. */
static void vi_revoke(struct dma_dev *d, dma_addr_t handle, size_t len)
{
	struct domain *dm = d->domain;
	struct viommu *v = dm->v;
	uint64_t flags = irq_save();
	put_unmap(v, 0, dm->id, iopt_first(handle, v->gran), iopt_count(handle, len, v->gran) * v->gran);
	if (run(v, 1) == 0)
		status_of(v, 0, "UNMAP");
	dm->unmaps++;
	irq_restore(flags);
}

static void vi_release(struct dma_dev *d, dma_addr_t handle, size_t len)
{
	struct domain *dm = d->domain;
	struct viommu *v = dm->v;
	uint64_t flags = irq_save();
	iova_free(&dm->iova, iopt_first(handle, v->gran),
		  (uint32_t)(iopt_count(handle, len, v->gran) * per_gran(v)));
	irq_restore(flags);
}

static bool vi_lent(struct dma_dev *d, dma_addr_t page)
{
	struct domain *dm = d->domain;
	uint64_t iova = iopt_first(page, dm->v->gran);
	if (!iova_allocated(&dm->iova, iova))
		return false;
	for (int i = 0; i < dm->ndefer; i++)
		if (iova >= dm->defer[i].iova && iova < dm->defer[i].iova + dm->defer[i].n * dm->v->gran)
			return false;
	return true;
}

/* One MAP for the whole range: the device keeps mappings as ranges, not pages. */
static int vi_map_fixed(struct dma_dev *d, dma_addr_t iova, uint64_t phys, uint64_t len)
{
	struct domain *dm = d->domain;
	struct viommu *v = dm->v;
	if ((iova | phys | len) & (v->gran - 1) || !len || iova < v->in_start || iova + len - 1 > v->in_end ||
	    in_resv(dm, iova, len))
		return -EINVAL;
	uint64_t flags = irq_save();
	put_map(v, 0, dm->id, iova, len, phys, MAP_F_READ | MAP_F_WRITE);
	int r = run(v, 1);
	if (!r)
		r = status_of(v, 0, "MAP");
	if (!r) {
		dm->maps++;
		dm->mapped += len / v->gran;
	}
	irq_restore(flags);
	return r;
}

static const struct dma_backend vi_backend = { "virtio-iommu", vi_map,     vi_unmap,    vi_lent,
					       vi_revoke,      vi_release, vi_map_fixed };

/* ---- endpoints ---- */

/* §5.13.6.7: the endpoint's reserved ranges, kept out of its IOVA space. */
static int probe_endpoint(struct viommu *v, struct domain *dm)
{
	uint8_t *b = v->probe_buf;
	size_t in_len = (size_t)v->probe_size + 4;
	memset(b, 0, PROBE_IN_OFF + in_len);
	b[0] = T_PROBE;
	memcpy(b + 4, &dm->endpoint, 4);
	struct vq_sg out = { v->probe_h, PROBE_IN_OFF }, in = { v->probe_h + PROBE_IN_OFF, (uint32_t)in_len };
	struct virtqueue *vq = v->vd->q[REQQ].vq;
	b[PROBE_IN_OFF + v->probe_size] = 0xff;
	if (vq_add(vq, &out, 1, &in, 1, b))
		return -EIO;
	vq_kick(vq);
	v->requests++;
	uint64_t end = now_ns() + VIRTIO_DEVICE_WAIT_NS;
	uint32_t len;
	while (!vq_get(vq, &len))
		if (vq_broken(vq) || now_ns() > end) {
			v->dead = true;
			return -EIO;
		}
	uint8_t st = b[PROBE_IN_OFF + v->probe_size];
	if (len < in_len || st) {
		log_err("iommu: %s: PROBE of endpoint %u failed (status %u)\n", vname(v), dm->endpoint, st);
		return -EIO;
	}
	const uint8_t *p = b + PROBE_IN_OFF, *end_p = p + v->probe_size;
	while (end_p - p >= 4) {
		uint16_t type, plen;
		memcpy(&type, p, 2);
		memcpy(&plen, p + 2, 2);
		if ((type & 0xfff) == 0)
			break; /* the list ends at an empty property */
		if (plen > end_p - p - 4)
			break; /* runs past the buffer: believe nothing more of it */
		if (type == PROBE_T_RESV_MEM && plen >= 20 && dm->nresv < MAX_RESV) {
			struct resv r = { .subtype = p[4] };
			memcpy(&r.start, p + 8, 8);
			memcpy(&r.end, p + 16, 8);
			if (r.end >= r.start) {
				dm->resv[dm->nresv++] = r;
				iova_reserve(&dm->iova, r.start & ~(IOPT_PAGE - 1),
					     (r.end - (r.start & ~(IOPT_PAGE - 1))) / IOPT_PAGE + 1);
				log_info("iommu: %s: endpoint %u: reserved 0x%llx-0x%llx (%s)\n", vname(v),
					 dm->endpoint, (unsigned long long)r.start, (unsigned long long)r.end,
					 r.subtype == RESV_T_MSI ? "MSI doorbell" : "reserved");
			}
		}
		p += 4 + plen;
	}
	return 0;
}

static struct domain *domain_of(const struct dma_dev *d)
{
	const struct dma_domain *dom = d->domain;
	return dom && dom->drv == &virtio_iommu_driver ? (struct domain *)d->domain : NULL;
}

static int vi_attach(struct dma_dev *d, void **domain)
{
	*domain = NULL;
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->dev == d) {
			*domain = dm;
			return 0;
		}
	uint32_t ep;
	int u = viot_pci_endpoint(&viot, d->segment, (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn), &ep);
	if (u < 0)
		return 0; /* no virtio-iommu translates for it */
	struct viommu *v = units[u];
	if (!v || !v->ready) {
		log_warn("iommu: %02x:%02x.%x: its virtio-iommu never came up; physical handles\n", d->bus,
			 d->dev, d->fn);
		return 0;
	}
	if (v->dead)
		return -EIO;
	if (v->next_dom > v->dom_end) {
		log_err("iommu: %s: out of domain ids\n", vname(v));
		return -ENOSPC;
	}
	struct domain *dm = calloc(1, sizeof *dm);
	uint64_t *bitmap = calloc(IOVA_PAGES / 64, sizeof *bitmap);
	if (!dm || !bitmap) {
		free(dm);
		free(bitmap);
		return -ENOMEM;
	}
	dm->dom = (struct dma_domain){ &vi_backend, &virtio_iommu_driver };
	dm->v = v;
	dm->dev = d;
	dm->endpoint = ep;
	dm->id = v->next_dom++;
	iova_init(&dm->iova, IOVA_BASE, IOVA_PAGES, bitmap);
	uint64_t flags = irq_save();
	int r = v->probe ? probe_endpoint(v, dm) : 0; /* §5.13.6.7: before ATTACH */
	if (!r) {
		struct req_attach *a = slot(v, 0);
		*a = (struct req_attach){ .head = { T_ATTACH }, .domain = dm->id, .endpoint = ep };
		v->slot_len[0] = sizeof *a;
		r = run(v, 1);
		if (!r)
			r = status_of(v, 0, "ATTACH");
	}
	if (r) {
		irq_restore(flags);
		free(bitmap);
		free(dm);
		return r;
	}
	dm->next = domains;
	domains = dm;
	irq_restore(flags);
	log_info("iommu: %02x:%02x.%x: endpoint %u attached to domain %u on %s, IOVAs 0x%llx-0x%llx\n",
		 d->bus, d->dev, d->fn, ep, dm->id, vname(v), (unsigned long long)IOVA_BASE,
		 (unsigned long long)(IOVA_BASE + (uint64_t)IOVA_PAGES * IOPT_PAGE - 1));
	*domain = dm;
	return 0;
}

/* ---- faults ---- */

static void post_event(struct viommu *v, unsigned i)
{
	struct vq_sg in = { v->events_h + (dma_addr_t)i * EVENT_BYTES, EVENT_BYTES };
	vq_add(v->vd->q[EVENTQ].vq, NULL, 0, &in, 1, v->events + (size_t)i * EVENT_BYTES);
}

static struct domain *domain_by_endpoint(const struct viommu *v, uint32_t ep)
{
	for (struct domain *dm = domains; dm; dm = dm->next)
		if (dm->v == v && dm->endpoint == ep)
			return dm;
	return NULL;
}

/* Take up to budget fault reports, hand each to kernel/dma_fault.c, post the buffer again. */
static int drain_events(struct viommu *v, int budget)
{
	struct virtqueue *vq = v->vd->q[EVENTQ].vq;
	uint32_t len;
	uint8_t *b;
	int n = 0;
	uint64_t flags = irq_save();
	while (n < budget && (b = vq_get(vq, &len))) {
		unsigned i = (unsigned)((b - v->events) / EVENT_BYTES);
		struct viommu_fault f;
		memcpy(&f, b, sizeof f); /* one read: the device may write the buffer again */
		n++;
		if (len < sizeof f) {
			v->bad_events++;
			post_event(v, i);
			continue;
		}
		struct domain *dm = domain_by_endpoint(v, f.endpoint);
		bool addr = f.flags & FAULT_F_ADDRESS, write = f.flags & FAULT_F_WRITE;
		uint64_t page = addr ? f.address & ~(IOPT_PAGE - 1) : DMA_MAPPING_ERROR;
		v->faults++;
		if (dm)
			iommu_fault_note(&dm->flog, page, f.reason);
		if (f.endpoint == v->last_ep && page == v->last_page) {
			v->repeats++; /* counted, not printed again */
		} else {
			v->last_ep = f.endpoint, v->last_page = page;
			log_err("iommu: %s: fault: %s endpoint %u %s at 0x%llx: reason %u (%s)\n", vname(v),
				dm && dm->dev->name ? dm->dev->name : "device", f.endpoint,
				write                    ? "write"
				: f.flags & FAULT_F_READ ? "read"
							 : "access",
				(unsigned long long)f.address, f.reason,
				f.reason < sizeof fault_reasons / sizeof fault_reasons[0]
					? fault_reasons[f.reason]
					: "unknown");
		}
		if (dm) /* kernel/dma_fault.c: a request's buffer, or the device's fault */
			dma_fault_record(dm->dev, page, write);
		post_event(v, i);
	}
	if (n)
		vq_kick(vq);
	irq_restore(flags);
	return n;
}

/* ---- the virtio driver ---- */

#define CFG(field, width) virtio_config_read(vd, offsetof(struct viommu_config, field), width)

static const char *vi_feature_name(unsigned bit)
{
	static const char *const names[24] = {
		[F_INPUT_RANGE] = "INPUT_RANGE",
		[F_DOMAIN_RANGE] = "DOMAIN_RANGE",
		[F_MAP_UNMAP] = "MAP_UNMAP",
		[F_BYPASS] = "BYPASS",
		[F_PROBE] = "PROBE",
		[F_MMIO] = "MMIO",
		[F_BYPASS_CONFIG] = "BYPASS_CONFIG",
	};
	return bit < 24 ? names[bit] : NULL;
}

/* §5.13.5: config, then the request and event queues; bypass goes off. */
static int vi_probe(struct virtio_dev *vd)
{
	struct viommu *v = vd->priv;
	if (v) {
		/* after a reset the device has forgotten every domain and mapping */
		log_err("iommu: %s: the device was reset: its domains are lost; the unit is given up\n",
			vname(v));
		v->dead = true;
		return -EIO;
	}
	if (!virtio_has(vd, F_MAP_UNMAP)) {
		log_err("virtio %s: no MAP_UNMAP: nothing ringside can drive\n", vd->name);
		return -ENODEV;
	}
	if (!(v = vd->priv = calloc(1, sizeof *v)))
		return -ENOMEM;
	v->vd = vd;
	v->page_mask = CFG(page_size_mask, 8);
	v->gran = v->page_mask & -v->page_mask;
	v->in_end = ~0ull;
	if (virtio_has(vd, F_INPUT_RANGE))
		v->in_start = CFG(input_start, 8), v->in_end = CFG(input_end, 8);
	v->dom_end = ~0u;
	if (virtio_has(vd, F_DOMAIN_RANGE))
		v->dom_start = (uint32_t)CFG(domain_start, 4), v->dom_end = (uint32_t)CFG(domain_end, 4);
	v->next_dom = v->dom_start ? v->dom_start : 1;
	if (virtio_has(vd, F_PROBE)) {
		v->probe_size = (uint32_t)CFG(probe_size, 4);
		v->probe = v->probe_size >= 4 && v->probe_size <= 4096;
	}
	/* checked before use: a granule ringside can map buffers with, an input
	 * range that holds the IOVAs and the window, some domain ids */
	int r = -EINVAL;
	if (!v->gran || v->gran > (64u << 10) || v->in_start > 32ull << 30 ||
	    v->in_end < IOVA_BASE + (uint64_t)IOVA_PAGES * IOPT_PAGE - 1 || v->dom_end < v->next_dom) {
		log_err("virtio %s: page mask 0x%llx, input range 0x%llx-0x%llx, domains %u-%u: not usable\n",
			vd->name, (unsigned long long)v->page_mask, (unsigned long long)v->in_start,
			(unsigned long long)v->in_end, v->dom_start, v->dom_end);
		goto fail;
	}
	if ((r = virtio_setup_queues(vd, 2, 0)))
		goto fail;
	r = -ENOMEM;
	v->slots = dma_alloc(vd->dma, NSLOTS * SLOT_BYTES, &v->slots_h);
	v->events = dma_alloc(vd->dma, NEVENTS * EVENT_BYTES, &v->events_h);
	if (v->probe)
		v->probe_buf = dma_alloc(vd->dma, PROBE_IN_OFF + v->probe_size + 4, &v->probe_h);
	if (!v->slots || !v->events || (v->probe && !v->probe_buf))
		goto fail;
	for (unsigned i = 0; i < NEVENTS; i++)
		post_event(v, i); /* published now, noticed by the device when it has a fault to report */
	v->bypass_config = virtio_has(vd, F_BYPASS_CONFIG);
	const struct dma_dev *me = vd->dma; /* the transport's: where the device is */
	v->unit =
		enabled ? viot_iommu_at(&viot, me->segment, (uint16_t)(me->bus << 8 | me->dev << 3 | me->fn))
			: -1;
	if (v->unit < 0 || units[v->unit]) {
		log_info("iommu: %s: %s: left as it is (bypass %s)\n", vd->name,
			 enabled ? "no VIOT entry names it" : "iommu=off",
			 v->bypass_config && CFG(bypass, 1) ? "on" : "as the device has it");
		return 0;
	}
	units[v->unit] = v;
	/* §5.13.4: unattached endpoints fault from now on; an attached one
	 * reaches only its domain. (Without BYPASS_CONFIG, BYPASS was not
	 * negotiated, so they fault already.) */
	if (v->bypass_config)
		virtio_config_write(vd, offsetof(struct viommu_config, bypass), 1, 0);
	v->ready = true;
	log_info("iommu: %s: page size mask 0x%llx, input 0x%llx-0x%llx, domains %u-%u, probe %u bytes; "
		 "bypass off\n",
		 vd->name, (unsigned long long)v->page_mask, (unsigned long long)v->in_start,
		 (unsigned long long)v->in_end, v->dom_start, v->dom_end, v->probe ? v->probe_size : 0);
	return 0;
fail: /* the core destroys the queues; the device is marked FAILED and not probed again */
	dma_free(vd->dma, v->slots, NSLOTS * SLOT_BYTES, v->slots_h);
	dma_free(vd->dma, v->events, NEVENTS * EVENT_BYTES, v->events_h);
	dma_free(vd->dma, v->probe_buf, PROBE_IN_OFF + v->probe_size + 4, v->probe_h);
	free(v);
	vd->priv = NULL;
	return r;
}

/* Requests are answered by the spin that sent them (the request queue is
 * self_polled: no interrupts, never polled by the core); faults come here. */
static int vi_poll(struct virtio_dev *vd, unsigned q, int budget)
{
	struct viommu *v = vd->priv;
	return q == EVENTQ && v ? drain_events(v, budget) : 0;
}

const struct virtio_driver virtio_iommu_vdriver = {
	.prefix = "viommu",
	.device_id = VIRTIO_ID_IOMMU,
	.features = BIT(F_INPUT_RANGE) | BIT(F_DOMAIN_RANGE) | BIT(F_MAP_UNMAP) | BIT(F_PROBE) |
		    BIT(F_BYPASS_CONFIG),
	.probe = vi_probe,
	.poll = vi_poll,
	.feature_name = vi_feature_name,
	.self_polled = BIT(REQQ), /* answered by the spin that sent each request */
};

/* ---- the IOMMU driver ---- */

static int vi_init(enum dma_iommu_mode mode)
{
	lazy = mode == DMA_IOMMU_LAZY;
	if (!acpi.viot)
		return 0;
	if (viot_parse(acpi.viot, acpi.viot_len, &viot)) {
		log_err("iommu: VIOT table malformed; no translation\n");
		return 0;
	}
	for (int i = 0; i < viot.niommus; i++) {
		const struct viot_iommu *u = &viot.iommus[i];
		if (u->mmio)
			log_info("iommu: VIOT: virtio-iommu on virtio-mmio at 0x%llx (not driven)\n",
				 (unsigned long long)u->base);
		else
			log_info("iommu: VIOT: virtio-iommu at %02x:%02x.%x segment %u\n", u->bdf >> 8,
				 u->bdf >> 3 & 31, u->bdf & 7, u->segment);
	}
	for (int i = 0; i < viot.nranges; i++) {
		const struct viot_range *r = &viot.ranges[i];
		if (!r->mmio)
			log_info("iommu: VIOT: endpoints %04x-%04x (ids from %u) behind unit %d\n",
				 r->bdf_start, r->bdf_end, r->endpoint_start, r->iommu);
	}
	enabled = true;
	nunits_viot = viot.niommus;
	return viot.niommus; /* they translate once the core has probed them */
}

static bool vi_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	return viot_iommu_at(&viot, seg, (uint16_t)(bus << 8 | dev << 3 | fn)) >= 0;
}

static const struct iommu_faultlog *vi_faultlog(const struct dma_dev *d) { return &domain_of(d)->flog; }

static void vi_sync_faults(const struct dma_dev *d)
{
	struct domain *dm = domain_of(d);
	if (dm && !dm->v->dead)
		drain_events(dm->v, NEVENTS);
}

static void vi_show(void)
{
	for (int i = 0; i < nunits_viot; i++) {
		struct viommu *v = units[i];
		const struct viot_iommu *u = &viot.iommus[i];
		if (!v) {
			printf("viommu? kind=virtio-iommu pci=%02x:%02x.%x translation=off (not probed)\n",
			       u->bdf >> 8, u->bdf >> 3 & 31, u->bdf & 7);
			continue;
		}
		printf("%s kind=virtio-iommu pci=%02x:%02x.%x translation=%s mode=%s page_mask=0x%llx "
		       "requests=%llu batches=%llu spins=%llu faults=%llu repeats=%llu\n",
		       vname(v), u->bdf >> 8, u->bdf >> 3 & 31, u->bdf & 7,
		       v->dead    ? "failed"
		       : v->ready ? "on"
				  : "off",
		       iommu_mode_name(), (unsigned long long)v->page_mask, (unsigned long long)v->requests,
		       (unsigned long long)v->batches, (unsigned long long)v->spins,
		       (unsigned long long)v->faults, (unsigned long long)v->repeats);
	}
	for (struct domain *dm = domains; dm; dm = dm->next) {
		printf("  domain %u %s %02x:%02x.%x endpoint=%u iova=0x%llx mapped=%llu maps=%llu "
		       "unmaps=%llu "
		       "faults=%llu",
		       dm->id, dm->dev->name ? dm->dev->name : "?", dm->dev->bus, dm->dev->dev, dm->dev->fn,
		       dm->endpoint, (unsigned long long)dm->iova.base,
		       (unsigned long long)(dm->mapped * dm->v->gran / IOPT_PAGE),
		       (unsigned long long)dm->maps, (unsigned long long)dm->unmaps,
		       (unsigned long long)dm->flog.count);
		dma_pool_show(dm->dev);
		printf("\n");
	}
}

const struct iommu_driver virtio_iommu_driver = { "virtio-iommu", vi_init,        vi_is_unit, vi_attach,
						  vi_show,        vi_sync_faults, vi_faultlog };
