/* dma.h - the only source of addresses a device may see: handles, per device. */
#ifndef KERNEL_DMA_H
#define KERNEL_DMA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A dma_addr_t is what goes into a descriptor or a device register. Without
 * an IOMMU it equals the guest-physical address; with one (drivers/iommu/)
 * it is an I/O virtual address valid only for the device it was made for.
 * Drivers never compute one themselves.
 */
typedef uint64_t dma_addr_t;
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

enum dma_dir { DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL };

struct dma_backend;
struct dma_pool;
struct dma_region;

/* The device a mapping is for: its PCI requester id names it to the IOMMU. */
struct dma_dev {
	uint16_t segment;
	uint8_t bus, dev, fn;
	const char *name;
	const struct dma_backend *ops; /* where its calls go; NULL: identity */
	void *domain;                  /* the IOMMU backend's per-device state */
	struct dma_pool *pool;         /* dma_pool.c: buffers mapped once */
	/* The pool's range as dma_map and dma_unmap test it inline (dma_pool.c
	 * keeps it): the per-request path of a pool buffer makes no call. */
	struct dma_inplace {
		const uint8_t *base; /* NULL: no pool */
		dma_addr_t handle;
		size_t bytes;
		unsigned bounces; /* bounce slots lent now: while any is, unmap looks closer */
		uint64_t hits;    /* dma_map calls served in place */
	} inplace;
	struct dma_region *coherent; /* dma_alloc'ed ranges, while translated (dma_fault.c) */
	/* IOMMU faults, as kernel/dma_fault.c attributes them */
	volatile uint32_t fault_gen; /* faults on buffers lent per request (dma_map) */
	volatile bool fault_reset;   /* a fault on anything else: the device must be reset */
	dma_addr_t fault_last;       /* the last page that faulted */
	uint64_t faults_matched, faults_unmatched;
	void (*fault_notify)(struct dma_dev *d); /* interrupts off: tell the owner's poller */
	void *owner;
};

/* For logs: the device's name, once its driver has given it one. */
static inline const char *dma_dev_name(const struct dma_dev *d) { return d->name ? d->name : "device"; }

/* iommu=off|lazy|strict|pool|floor (docs/iommu.md): lazy batches IOTLB
 * invalidations of unmapped pages; strict invalidates before dma_unmap
 * returns; pool gives each device one window mapped once, and bounces what
 * is not in it; floor (a measurement) maps all of RAM once, identity. */
enum dma_iommu_mode { DMA_IOMMU_LAZY, DMA_IOMMU_STRICT, DMA_IOMMU_OFF, DMA_IOMMU_POOL, DMA_IOMMU_FLOOR };
/* After the interrupt controller: finds the IOMMU units and turns them on. */
void dma_init(enum dma_iommu_mode mode);
/* The PCI function is an IOMMU (a virtio-iommu): probe it before the
 * devices it translates for. */
bool dma_is_iommu(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t fn);
/* Before the device's first dma_alloc: translated says whether its DMA goes
 * through the platform's translation (virtio: ACCESS_PLATFORM negotiated).
 * Such a device behind an IOMMU unit gets a domain of its own; any other
 * keeps identity handles. 0, or -ENOMEM when a unit covers the device but
 * cannot give it a domain (its DMA would then be blocked). */
int dma_attach(struct dma_dev *d, bool translated);
bool dma_translated(const struct dma_dev *d); /* its handles are IOVAs */
bool dma_strict(void);                        /* iommu=strict, and a unit translating */
bool dma_window_mode(void);                   /* iommu=pool, and a unit translating */
void dma_show(void);                          /* the `iommu` command */
/* IOMMU faults recorded for the device, with the last address and reason. */
uint64_t dma_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason);

/* Coherent memory both sides use (rings, headers): zeroed, page aligned.
 * NULL when out of memory or address space. */
void *dma_alloc(struct dma_dev *d, size_t size, dma_addr_t *handle);
void dma_free(struct dma_dev *d, void *p, size_t size, dma_addr_t handle);

/* Lend [p, p+len) to the device for one transfer; DMA_MAPPING_ERROR on
 * failure. A buffer from the device's pool (dma_pool_alloc) is mapped
 * already: its handle comes back at no cost, and dma_unmap of it does nothing. */
dma_addr_t dma_map_slow(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir);
void dma_unmap_slow(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir);

/* Whether all of [p, p+len) lies in the device's pool, mapped already; then
 * *handle is p's. A driver that lends such a buffer in several segments
 * takes each one's handle by its offset and has nothing to unmap; it counts
 * them with dma_in_place_lent (`iommu`'s in_place), as dma_map would have. */
static inline bool dma_in_place(const struct dma_dev *d, const void *p, size_t len, dma_addr_t *handle)
{
	if (!d)
		return false;
	size_t off = (size_t)((uintptr_t)p - (uintptr_t)d->inplace.base);
	if (off >= d->inplace.bytes || !len || len > d->inplace.bytes - off)
		return false;
	*handle = d->inplace.handle + off;
	return true;
}
static inline void dma_in_place_lent(struct dma_dev *d, unsigned segments) { d->inplace.hits += segments; }

static inline dma_addr_t dma_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	dma_addr_t h;
	if (dma_in_place(d, p, len, &h)) {
		dma_in_place_lent(d, 1);
		return h;
	}
	return dma_map_slow(d, p, len, dir);
}

static inline void dma_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (d && !d->inplace.bounces && handle - d->inplace.handle < d->inplace.bytes)
		return; /* in place, and no bounce slot to copy back */
	dma_unmap_slow(d, handle, len, dir);
}

/* ---- the buffer pool (kernel/dma_pool.c) ---- */

/* Page-aligned I/O buffers from a region mapped for the device once (on
 * first use, 8 MiB; under iommu=pool, the device's window), so requests
 * into them need no mapping; from the heap (mapped, or bounced, per
 * request) when the pool is full, or under iommu=strict, where a handle
 * must die with its request. dma_pool_free takes either. */
void *dma_pool_alloc(struct dma_dev *d, size_t bytes);
void dma_pool_free(struct dma_dev *d, void *p, size_t bytes);
bool dma_pool_has(const struct dma_dev *d, const void *p); /* from the pool */
/* The pool's handle for [p, p+len), or DMA_MAPPING_ERROR when it is not all in the pool. */
dma_addr_t dma_pool_handle(const struct dma_dev *d, const void *p, size_t len);
bool dma_pool_owns_handle(const struct dma_dev *d, dma_addr_t h);
/* The rest is kernel/dma.c's: the pool mode window. */
int dma_pool_window(struct dma_dev *d); /* made and mapped once at attach */
bool dma_pool_is_window(const struct dma_dev *d);
void *dma_pool_coherent(struct dma_dev *d, size_t size, dma_addr_t *handle);
void dma_pool_coherent_free(struct dma_dev *d, void *p, size_t size);
/* In place, or (window) bounced; DMA_MAPPING_ERROR when neither. */
dma_addr_t dma_pool_map(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir);
/* True when h was the pool's (a bounce slot is copied back and freed). */
bool dma_pool_unmap(struct dma_dev *d, dma_addr_t h, size_t len, enum dma_dir dir);
bool dma_pool_lent(const struct dma_dev *d, dma_addr_t page); /* a bounce slot, or an injected handle */
int dma_pool_inject_outside(struct dma_dev *d, unsigned n);
void dma_pool_inject_cancel(struct dma_dev *d);
void dma_pool_show(const struct dma_dev *d); /* the rest of a domain's `iommu` line */

/* ---- IOMMU faults (kernel/dma_fault.c): one policy for every driver ---- */

/*
 * The IOMMU driver reports each fault record here, interrupts off. A fault
 * on a buffer lent per request (dma_map, not yet unmapped) means a request
 * in flight did not get its data through: every request of the device in
 * flight at that moment fails (a unit drops further faults from a source
 * while one is pending, so the page alone cannot say which). A fault on
 * anything else (a ring, a header, the pool, an address never handed out)
 * means the device cannot be trusted with what it holds: it must be reset.
 */
void dma_fault_record(struct dma_dev *d, dma_addr_t page, bool write);
/* Drivers: a mark taken when a request goes to the device, checked when it
 * comes back: true if the device faulted on a per-request buffer meanwhile. */
static inline uint32_t dma_fault_mark(const struct dma_dev *d) { return d->fault_gen; }
static inline bool dma_faulted_since(const struct dma_dev *d, uint32_t mark) { return d->fault_gen != mark; }
/* Read the IOMMU's fault records now, so that every fault recorded so far
 * has been attributed. The unit records a fault before the device can
 * report the request done, so a driver that calls this after seeing a
 * completion and before handling it knows whether that request faulted. */
void dma_sync_faults(struct dma_dev *d);
/* After the owner has reset the device: its old faults are dealt with. */
void dma_fault_clear(struct dma_dev *d);

/* ---- fault injection for `iommu test` (kernel/dma_inject.c) ---- */

#define DMA_STALE_MAX 8
/* Each of the next n dma_map calls for d maps, then revokes the mapping
 * (page table entries cleared, IOTLB invalidated) and returns the dead
 * handle; its IOVA stays reserved until the driver's dma_unmap, so no other
 * mapping can land there meanwhile. Needs a translated device and
 * iommu=strict. Under iommu=pool, each of the next n buffers that would be
 * bounced gets a handle past the end of the window instead, where nothing
 * is mapped. 0 or a negative errno. The device's calls go through an
 * injecting backend only while something is injected. */
int dma_inject_stale(struct dma_dev *d, unsigned n);
/* Revoke a live mapping (from dma_map or dma_alloc) in place, as if the
 * platform took it back; dma_unmap/dma_free of it later only gives back its
 * IOVAs. Same conditions as dma_inject_stale. */
int dma_inject_revoke(struct dma_dev *d, dma_addr_t handle, size_t len);
/* Stop handing out stale handles (those handed out stay dead until unmapped). */
void dma_inject_cancel(struct dma_dev *d);
#endif
