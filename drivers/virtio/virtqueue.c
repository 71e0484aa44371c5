/* virtqueue.c - split and packed virtqueues: descriptors, avail and used, checked against the device. */
#include "drivers/virtio/virtqueue.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/acct.h"
#include "kernel/dma.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/traceport.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One queue in memory. The rings are one dma_alloc; the handles the
 * transport programs into the device are marked [desc], [driver], [device]:
 *
 *        split (§2.7, legacy layout §2.7.2)       packed (§2.8)
 *   [desc]   +------------------------+      [desc]   +------------------------+
 *            | desc[num]       16*num |               | desc[num]       16*num |
 *   [driver] +------------------------+      [driver] +------------------------+
 *            | avail         6+2*num  |               | driver event         4 |
 *            +-- pad to 4096 ---------+      [device] +------------------------+
 *   [device] | used          6+8*num  |               | device event         4 |
 *            +------------------------+               +------------------------+
 *
 * Indirect tables (§2.7.5.3, §2.8.7) are a second dma_alloc: one table of
 * VQ_INDIRECT_MAX descriptors per entry, so the chain whose head is entry i
 * owns table i and adding never allocates.
 *
 * An "entry" is a descriptor (split) or a buffer id (packed). Both layouts
 * keep the same driver-private array of entries with one free list; a chain
 * takes one entry per ring descriptor it uses. The split ring indexes the
 * descriptor table with them; the packed ring writes them as buffer ids and
 * fills ring slots in order.
 */

#define VQ_INDIRECT_MAX 32 /* segments in one indirect table; longer chains go direct */

/* Driver-private state of one entry: nothing needed to complete or free a
 * chain is ever read back from memory the device can write. */
struct vq_entry {
	void *token;     /* the chain's head, while it is in flight */
	dma_addr_t addr; /* the descriptor as posted, for vq_dump */
	uint32_t len;
	uint32_t in_len; /* head: device-writable bytes in the chain */
	uint16_t flags;  /* VRING_DESC_F_* as posted */
	uint16_t next;   /* next entry of the chain, or of the free list */
	uint16_t ndesc;  /* head: entries (ring descriptors) the chain holds */
};

struct virtqueue {
	unsigned num, mask; /* mask: num - 1, split only */
	unsigned flags;     /* VQ_F_* */
	bool packed, broken;
	bool avail_wrap, used_wrap; /* packed ring wrap counters (§2.8.1) */
	uint16_t avail_idx;         /* split: free-running index; packed: next slot */
	uint16_t last_used;         /* split: free-running index; packed: next slot */
	uint16_t free_head;
	unsigned num_free;  /* entries on the free list */
	unsigned num_added; /* avail entries (split) or slots (packed) filled since the last kick_prepare */
	unsigned inflight;  /* chains the device holds */
	unsigned detach_pos;
	bool defer_kicks; /* vq_kick leaves the notification to vq_flush_kicks */
	struct vq_entry *ent;
	union { /* what the device sees; volatile: the other side changes it */
		struct {
			volatile struct vring_desc *desc;
			volatile struct vring_avail *avail;
			volatile struct vring_used *used;
		} s;
		struct {
			volatile struct vring_packed_desc *desc;
			volatile struct vring_packed_event *driver, *device;
		} p;
	};
	void *ring, *ind; /* the two allocations: rings, indirect tables */
	size_t ring_size, ind_size;
	dma_addr_t ring_dma, ind_dma, desc_dma, driver_dma, device_dma;
	struct vq_stats stats;
	struct vq_config cfg;
	struct virtqueue *trace_next; /* every queue, for `trace ring` to describe each when it starts */
};

/* The trace (`trace on|ring|off`): with it off, an event costs one
 * predictable branch on `tracing`; trace_event, at the end of this file,
 * does the rest out of the hot path. */
enum trace_ev {
	EV_ADD,
	EV_KICK_PREPARE,
	EV_NOTIFY,
	EV_USED,
	EV_IRQ,
	EV_EVENT,
	EV_RECLAIM,
	EV_BROKEN,
	EV_CREATE,
	EV_DESTROY
};
static unsigned tracing; /* VQ_TRACE_* */
static void trace_event(struct virtqueue *vq, enum trace_ev ev, unsigned a, uintptr_t b);
#define TRACE(vq, ev, a, b)                                                 \
	do {                                                                \
		if (__builtin_expect(tracing != 0, 0))                      \
			trace_event(vq, ev, (unsigned)(a), (uintptr_t)(b)); \
	} while (0)

/* The device broke a rule: log which, count it, and stop using the queue.
 * Returns false, for "nothing to take". */
__attribute__((format(printf, 2, 3))) static bool fail(struct virtqueue *vq, const char *fmt, ...)
{
	char why[112];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	vq->broken = true;
	vq_breaks++;
	vq->stats.errors++;
	log_err("virtqueue %s q%u: broken: %s\n", vq->cfg.name, vq->cfg.index, why);
	TRACE(vq, EV_BROKEN, 0, why);
	return false;
}

/* ---- the shared rings: where each field lives ---- */

/* §2.7.7: the driver's used_event sits after avail->ring[num]. */
static volatile le16 *used_event(const struct virtqueue *vq) { return &vq->s.avail->ring[vq->num]; }
/* §2.7.10: the device's avail_event sits after used->ring[num]. */
static volatile le16 *avail_event(const struct virtqueue *vq)
{
	return (volatile le16 *)&vq->s.used->ring[vq->num];
}

/* §2.8.1: an available descriptor has AVAIL equal to the driver's wrap counter, USED the opposite. */
static uint16_t avail_bits(bool wrap) { return wrap ? VRING_PACKED_DESC_F_AVAIL : VRING_PACKED_DESC_F_USED; }

/* ---- creating ---- */

static bool size_ok(const struct vq_config *cfg)
{
	unsigned n = cfg->num;
	if (n == 0 || n > VRING_MAX_SIZE)
		return false;
	return (cfg->flags & VQ_F_PACKED) || (n & (n - 1)) == 0; /* split: a power of two (§2.7) */
}

static size_t align_up(size_t x, size_t a) { return (x + a - 1) & ~(a - 1); }

/* Lay the rings out in one allocation, as the map at the top shows. */
static bool alloc_rings(struct virtqueue *vq)
{
	size_t desc = VRING_DESC_SIZE(vq->num), driver_off = desc, device_off;
	if (vq->packed) {
		device_off = driver_off + sizeof(struct vring_packed_event);
		vq->ring_size = device_off + sizeof(struct vring_packed_event);
	} else {
		device_off = align_up(driver_off + VRING_AVAIL_SIZE(vq->num), VRING_LEGACY_ALIGN);
		vq->ring_size = device_off + VRING_USED_SIZE(vq->num);
	}
	vq->ring = dma_alloc(vq->cfg.dma, vq->ring_size, &vq->ring_dma);
	if (!vq->ring)
		return false;
	char *base = vq->ring;
	vq->desc_dma = vq->ring_dma;
	vq->driver_dma = vq->ring_dma + driver_off;
	vq->device_dma = vq->ring_dma + device_off;
	if (vq->packed) {
		vq->p.desc = (volatile struct vring_packed_desc *)base;
		vq->p.driver = (volatile struct vring_packed_event *)(base + driver_off);
		vq->p.device = (volatile struct vring_packed_event *)(base + device_off);
	} else {
		vq->s.desc = (volatile struct vring_desc *)base;
		vq->s.avail = (volatile struct vring_avail *)(base + driver_off);
		vq->s.used = (volatile struct vring_used *)(base + device_off);
	}
	return true;
}

/* One indirect table per entry. Without the memory the queue still works,
 * with direct chains only. */
static void alloc_indirect(struct virtqueue *vq)
{
	if (!(vq->flags & VQ_F_INDIRECT))
		return;
	vq->ind_size = (size_t)vq->num * VQ_INDIRECT_MAX * sizeof(struct vring_desc);
	vq->ind = dma_alloc(vq->cfg.dma, vq->ind_size, &vq->ind_dma);
	if (!vq->ind) {
		log_warn("virtqueue %s q%u: no memory for indirect tables; using direct chains\n",
			 vq->cfg.name, vq->cfg.index);
		vq->flags &= ~VQ_F_INDIRECT;
	}
}

struct virtqueue *vq_create(const struct vq_config *cfg)
{
	if (!cfg)
		return NULL;
	if (!size_ok(cfg)) {
		log_err("virtqueue %s q%u: bad queue size %u for a %s ring\n", cfg->name ? cfg->name : "?",
			cfg->index, cfg->num, (cfg->flags & VQ_F_PACKED) ? "packed" : "split");
		return NULL;
	}
	struct virtqueue *vq = calloc(1, sizeof *vq);
	if (!vq)
		return NULL;
	vq->cfg = *cfg;
	if (!vq->cfg.name)
		vq->cfg.name = "vq";
	vq->num = cfg->num;
	vq->mask = cfg->num - 1;
	vq->flags = cfg->flags;
	vq->packed = cfg->flags & VQ_F_PACKED;
	vq->ent = calloc(vq->num, sizeof *vq->ent);
	if (!vq->ent || !alloc_rings(vq)) {
		vq_destroy(vq);
		return NULL;
	}
	alloc_indirect(vq);
	for (unsigned i = 0; i < vq->num; i++)
		vq->ent[i].next = (uint16_t)((i + 1) % vq->num);
	vq->num_free = vq->num;
	vq->avail_wrap = vq->used_wrap = true; /* §2.8.1: both counters start at 1 */
	trace_event(vq, EV_CREATE, 0, 0);      /* not only when tracing: it keeps the list of queues */
	return vq;
}

void vq_destroy(struct virtqueue *vq)
{
	if (!vq)
		return;
	trace_event(vq, EV_DESTROY, 0, 0);
	if (vq->ind)
		dma_free(vq->cfg.dma, vq->ind, vq->ind_size, vq->ind_dma);
	if (vq->ring)
		dma_free(vq->cfg.dma, vq->ring, vq->ring_size, vq->ring_dma);
	free(vq->ent);
	free(vq);
}

dma_addr_t vq_desc_addr(const struct virtqueue *vq) { return vq->desc_dma; }
dma_addr_t vq_driver_addr(const struct virtqueue *vq) { return vq->driver_dma; }
dma_addr_t vq_device_addr(const struct virtqueue *vq) { return vq->device_dma; }

/* ---- adding a chain ---- */

static const struct vq_sg *seg(const struct vq_sg *out, int nout, const struct vq_sg *in, int k)
{
	return k < nout ? &out[k] : &in[k - nout];
}

/* Our caller's mistakes are -EINVAL, before anything changes. §2.7.5.2 and
 * §2.8.17: no chain longer than the queue or than 2^32 bytes; writable
 * segments come last (nout before nin does that). Devices reject zero-length
 * segments, so we do too. */
static int check_chain(const struct virtqueue *vq, const struct vq_sg *out, int nout, const struct vq_sg *in,
		       int nin, uint32_t *in_len)
{
	if (nout < 0 || nin < 0 || (unsigned)nout > vq->num || (unsigned)nin > vq->num)
		return -EINVAL;
	int n = nout + nin;
	if (n == 0 || (unsigned)n > vq->num || (nout && !out) || (nin && !in))
		return -EINVAL;
	uint64_t total = 0, writable = 0;
	for (int k = 0; k < n; k++) {
		const struct vq_sg *sg = seg(out, nout, in, k);
		if (sg->len == 0 || sg->addr == DMA_MAPPING_ERROR)
			return -EINVAL;
		total += sg->len;
		if (k >= nout)
			writable += sg->len;
	}
	if (total > UINT32_MAX)
		return -EINVAL;
	*in_len = (uint32_t)writable;
	return 0;
}

static uint16_t seg_flags(int k, int nout, int n)
{
	return (k >= nout ? VRING_DESC_F_WRITE : 0) | (k + 1 < n ? VRING_DESC_F_NEXT : 0);
}

/* Fill the head's indirect table (§2.7.5.3 split, §2.8.7 packed: only WRITE
 * is valid there) and make the head one descriptor that points at it.
 * Returns the first entry left free. */
static uint16_t fill_indirect(struct virtqueue *vq, uint16_t head, const struct vq_sg *out, int nout,
			      const struct vq_sg *in, int n)
{
	size_t off = (size_t)head * VQ_INDIRECT_MAX * sizeof(struct vring_desc);
	for (int k = 0; k < n; k++) {
		const struct vq_sg *sg = seg(out, nout, in, k);
		uint16_t f = seg_flags(k, nout, n);
		if (vq->packed) {
			struct vring_packed_desc *t = (struct vring_packed_desc *)((char *)vq->ind + off);
			t[k] = (struct vring_packed_desc){ sg->addr, sg->len, 0, f & VRING_DESC_F_WRITE };
		} else {
			struct vring_desc *t = (struct vring_desc *)((char *)vq->ind + off);
			t[k] = (struct vring_desc){ sg->addr, sg->len, f,
						    (f & VRING_DESC_F_NEXT) ? k + 1 : 0 };
		}
	}
	struct vq_entry *e = &vq->ent[head];
	e->addr = vq->ind_dma + off;
	e->len = (uint32_t)(n * sizeof(struct vring_desc));
	e->flags = VRING_DESC_F_INDIRECT;
	return e->next;
}

/* Record one segment per entry along the free list; the chain keeps the
 * free list's links as its own. Returns the first entry left free. */
static uint16_t fill_direct(struct virtqueue *vq, uint16_t head, const struct vq_sg *out, int nout,
			    const struct vq_sg *in, int n)
{
	uint16_t i = head;
	for (int k = 0; k < n; k++, i = vq->ent[i].next) {
		const struct vq_sg *sg = seg(out, nout, in, k);
		vq->ent[i].addr = sg->addr;
		vq->ent[i].len = sg->len;
		vq->ent[i].flags = seg_flags(k, nout, n);
	}
	return i;
}

/* §2.7.13: descriptors, then the avail ring entry, then the index. */
static void split_publish(struct virtqueue *vq, uint16_t head, unsigned ndesc)
{
	uint16_t i = head;
	for (unsigned k = 0; k < ndesc; k++, i = vq->ent[i].next) {
		const struct vq_entry *e = &vq->ent[i];
		volatile struct vring_desc *d = &vq->s.desc[i];
		d->addr = e->addr;
		d->len = e->len;
		d->flags = e->flags;
		d->next = (e->flags & VRING_DESC_F_NEXT) ? e->next : 0;
	}
	vq->s.avail->ring[vq->avail_idx & vq->mask] = head;
	dma_wmb(); /* descriptors and ring entry visible before the index that publishes them */
	vq->s.avail->idx = ++vq->avail_idx;
}

/* §2.8.21.1: consecutive slots, the buffer id in each; the first
 * descriptor's flags are written last and make the whole chain available. */
static void packed_publish(struct virtqueue *vq, uint16_t id, unsigned ndesc)
{
	uint16_t slot = vq->avail_idx, first = slot, first_flags = 0, i = id;
	for (unsigned k = 0; k < ndesc; k++, i = vq->ent[i].next) {
		const struct vq_entry *e = &vq->ent[i];
		volatile struct vring_packed_desc *d = &vq->p.desc[slot];
		uint16_t f = e->flags | avail_bits(vq->avail_wrap);
		d->addr = e->addr;
		d->len = e->len;
		d->id = id;
		if (k == 0)
			first_flags = f;
		else
			d->flags = f;
		if (++slot == vq->num) {
			slot = 0;
			vq->avail_wrap = !vq->avail_wrap;
		}
	}
	vq->avail_idx = slot;
	dma_wmb(); /* the rest of the chain visible before the first flags that make it available */
	vq->p.desc[first].flags = first_flags;
}

int vq_add(struct virtqueue *vq, const struct vq_sg *out, int nout, const struct vq_sg *in, int nin,
	   void *token)
{
	uint32_t in_len = 0;
	if (vq->broken)
		return -EIO;
	int err = token ? check_chain(vq, out, nout, in, nin, &in_len) : -EINVAL;
	if (err)
		return err;
	int n = nout + nin;
	bool indirect = (vq->flags & VQ_F_INDIRECT) && n > 1 && n <= VQ_INDIRECT_MAX;
	unsigned ndesc = indirect ? 1 : (unsigned)n;
	if (vq->num_free < ndesc)
		return -ENOSPC;

	uint16_t head = vq->free_head;
	if (indirect)
		vq->free_head = fill_indirect(vq, head, out, nout, in, n);
	else
		vq->free_head = fill_direct(vq, head, out, nout, in, n);
	vq->num_free -= ndesc;
	struct vq_entry *h = &vq->ent[head];
	h->token = token;
	h->in_len = in_len;
	h->ndesc = (uint16_t)ndesc;

	if (vq->packed)
		packed_publish(vq, head, ndesc);
	else
		split_publish(vq, head, ndesc);
	vq->num_added += vq->packed ? ndesc : 1; /* how far the index the device watches moved */
	vq->stats.added++;
	if (++vq->inflight > vq->stats.max_inflight)
		vq->stats.max_inflight = vq->inflight;
	TRACE(vq, EV_ADD, head, in_len);
	return 0;
}

/* ---- notifying the device (§2.7.10, §2.8.10) ---- */

static bool split_need_kick(const struct virtqueue *vq)
{
	if (!(vq->flags & VQ_F_EVENT_IDX))
		return !(vq->s.used->flags & VRING_USED_F_NO_NOTIFY);
	uint16_t new_idx = vq->avail_idx, old = (uint16_t)(new_idx - vq->num_added);
	return vring_need_event(*avail_event(vq), new_idx, old);
}

/* The device's event names a slot and a wrap counter. Seen from our next
 * slot, a slot of the previous lap is num behind; indices wrap at 16 bits
 * like the split ones, so vring_need_event still applies. */
static bool packed_need_kick(const struct virtqueue *vq)
{
	uint16_t flags = vq->p.device->flags & 3;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !(vq->flags & VQ_F_EVENT_IDX))
		return flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	uint16_t off_wrap = vq->p.device->off_wrap;
	uint16_t event = off_wrap & ~(1u << VRING_PACKED_EVENT_WRAP_SHIFT);
	if ((bool)(off_wrap >> VRING_PACKED_EVENT_WRAP_SHIFT) != vq->avail_wrap)
		event -= vq->num;
	uint16_t new_idx = vq->avail_idx, old = (uint16_t)(new_idx - vq->num_added);
	return vring_need_event(event, new_idx, old);
}

bool vq_kick_prepare(struct virtqueue *vq)
{
	if (vq->broken || vq->num_added == 0)
		return false;
	dma_mb(); /* our index/flags store visible before we load the device's suppression: store then load */
	/* The event test counts in 16 bits: past 65535 entries without a kick it can't tell, so ask. */
	bool need = vq->num_added > UINT16_MAX || (vq->packed ? packed_need_kick(vq) : split_need_kick(vq));
	TRACE(vq, EV_KICK_PREPARE, need, vq->num_added);
	vq->num_added = 0;
	if (!need)
		vq->stats.kicks_suppressed++;
	return need;
}

void vq_notify(struct virtqueue *vq)
{
	vq->stats.kicks++;
	TRACE(vq, EV_NOTIFY, vq->avail_idx, 0);
	if (vq->cfg.notify) {
		int t = acct_open(&vq->stats.notify_tsc);
		vq->cfg.notify(vq, vq->cfg.priv);
		acct_close(t);
	}
}

void vq_kick(struct virtqueue *vq)
{
	if (vq->defer_kicks)
		return; /* num_added keeps counting: the flush covers all of it */
	if (vq_kick_prepare(vq))
		vq_notify(vq);
}

/*
 * Buffers posted while the queue's used buffers are being taken (a completion
 * that submits the next request, a receive refill) are published at once but
 * notified with one kick at the end. A kick per buffer costs a device exit
 * each; a device that handles one buffer per exit never sees a batch.
 */
void vq_defer_kicks(struct virtqueue *vq) { vq->defer_kicks = true; }

void vq_flush_kicks(struct virtqueue *vq)
{
	vq->defer_kicks = false;
	vq_kick(vq);
}

/* ---- taking used buffers (§2.7.14, §2.8.22) ---- */

/* The next used element, if any: its id and length, unchecked. */
static bool split_next_used(struct virtqueue *vq, uint32_t *id, uint32_t *len)
{
	uint16_t idx = vq->s.used->idx;
	uint16_t ahead = (uint16_t)(idx - vq->last_used);
	if (ahead == 0)
		return false;
	if (ahead > vq->inflight) /* also catches a jump past the queue size */
		return fail(vq, "used idx %u is %u ahead of %u, with %u in flight", idx, ahead, vq->last_used,
			    vq->inflight);
	dma_rmb(); /* the used index read before the element it covers */
	volatile struct vring_used_elem *e = &vq->s.used->ring[vq->last_used & vq->mask];
	*id = e->id;
	*len = e->len;
	return true;
}

/*
 * What the slot at last_used holds, by its AVAIL and USED bits against our
 * used wrap counter w (§2.8.1):
 *   w, w     used by the device: take it
 *   w, !w    made available by us this lap, not used yet
 *   !w, w    left from the last lap: a descriptor we made available inside
 *   !w, !w   a chain, or one the device used; both only with nothing in flight
 * With chains in flight the slot is ours or the device's from this lap, so
 * an AVAIL bit from the last lap means the device wrote a wrong wrap bit.
 */
enum slot_state { SLOT_EMPTY, SLOT_USED, SLOT_BAD };

static enum slot_state packed_slot(const struct virtqueue *vq, uint16_t flags)
{
	bool used = flags & VRING_PACKED_DESC_F_USED, avail = flags & VRING_PACKED_DESC_F_AVAIL;
	if (avail == vq->used_wrap)
		return used == vq->used_wrap ? SLOT_USED : SLOT_EMPTY;
	return vq->inflight ? SLOT_BAD : SLOT_EMPTY;
}

static bool packed_next_used(struct virtqueue *vq, uint32_t *id, uint32_t *len)
{
	volatile struct vring_packed_desc *d = &vq->p.desc[vq->last_used];
	uint16_t flags = d->flags;
	enum slot_state st = packed_slot(vq, flags);
	if (st == SLOT_EMPTY)
		return false;
	if (st == SLOT_BAD)
		return fail(vq, "slot %u flags 0x%x: AVAIL bit is from the last lap (wrap counter %d)",
			    vq->last_used, flags, vq->used_wrap);
	dma_rmb(); /* the flags that say used read before the id and length */
	*id = d->id;
	/* §2.8.4 reserves len in a used descriptor without WRITE, but QEMU (as
	 * of 7.2) never sets WRITE there, and Linux reads len regardless. So
	 * do we: used_ok() holds it to the writable bytes the chain posted. */
	*len = d->len;
	return true;
}

/* §2.7.8 and §2.8.22: the id must name a chain in flight, the length fit
 * what that chain lets the device write. */
static bool used_ok(struct virtqueue *vq, uint32_t id, uint32_t len)
{
	if (id >= vq->num)
		return fail(vq, "used id %u out of range (size %u)", id, vq->num);
	const struct vq_entry *e = &vq->ent[id];
	if (!e->token)
		return fail(vq, "used id %u is not in flight (completed twice, or never posted)", id);
	if (len > e->in_len)
		return fail(vq, "used id %u length %u exceeds the %u writable bytes posted", id, len,
			    e->in_len);
	return true;
}

/* Put a chain's entries back on the free list and forget its token. */
static void *detach(struct virtqueue *vq, uint16_t head)
{
	struct vq_entry *h = &vq->ent[head];
	void *token = h->token;
	uint16_t last = head;
	for (unsigned k = 1; k < h->ndesc; k++)
		last = vq->ent[last].next;
	vq->ent[last].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += h->ndesc;
	vq->inflight--;
	h->token = NULL;
	return token;
}

void *vq_get(struct virtqueue *vq, uint32_t *len)
{
	uint32_t id = 0, used_len = 0;
	if (vq->broken)
		return NULL;
	if (!(vq->packed ? packed_next_used(vq, &id, &used_len) : split_next_used(vq, &id, &used_len)))
		return NULL;
	if (!used_ok(vq, id, used_len))
		return NULL;
	if (vq->packed) { /* §2.8.6: skip the slots of the whole chain */
		unsigned next = vq->last_used + vq->ent[id].ndesc;
		if (next >= vq->num) {
			next -= vq->num;
			vq->used_wrap = !vq->used_wrap;
		}
		vq->last_used = (uint16_t)next;
	} else {
		vq->last_used++;
	}
	vq->stats.used++;
	TRACE(vq, EV_USED, id, used_len);
	if (len)
		*len = used_len;
	return detach(vq, (uint16_t)id);
}

/*
 * The floor benchmark (`bench blk DEV floor`): the least a driver can do
 * per request. Every chain the device has used since last_used goes back
 * on the avail ring as it was posted, one kick for all if the device wants
 * one. The id is held to the queue and to a chain in flight (two compares;
 * a device that breaks that breaks the queue), and nothing else is done:
 * no length check, no free list, no token back, no completion. Split rings
 * only. Returns how many went back (0 also when broken), or -EOPNOTSUPP.
 */
int vq_republish_used(struct virtqueue *vq)
{
	if (vq->packed)
		return -EOPNOTSUPP;
	if (vq->broken)
		return 0;
	uint16_t idx = vq->s.used->idx, n = (uint16_t)(idx - vq->last_used);
	if (!n)
		return 0;
	if (n > vq->inflight)
		return fail(vq, "used idx %u is %u ahead of %u, with %u in flight", idx, n, vq->last_used,
			    vq->inflight);
	dma_rmb(); /* the used index read before the elements it covers */
	for (uint16_t k = 0; k < n; k++) {
		uint32_t id = vq->s.used->ring[vq->last_used++ & vq->mask].id;
		if (id >= vq->num || !vq->ent[id].token)
			return fail(vq, "used id %u is not a chain in flight", id);
		vq->s.avail->ring[vq->avail_idx++ & vq->mask] = (uint16_t)id;
	}
	dma_wmb(); /* the ring entries visible before the index that publishes them */
	vq->s.avail->idx = vq->avail_idx;
	vq->num_added += n;
	vq->stats.used += n;
	vq->stats.added += n;
	vq_kick(vq);
	return n;
}

/* True when vq_get has something to look at: a used buffer, or a rule the
 * device broke (vq_get then marks the queue broken). */
bool vq_has_used(const struct virtqueue *vq)
{
	if (vq->broken)
		return false;
	if (vq->packed)
		return packed_slot(vq, vq->p.desc[vq->last_used].flags) != SLOT_EMPTY;
	return vq->s.used->idx != vq->last_used;
}

unsigned vq_used_ready(const struct virtqueue *vq, unsigned max)
{
	if (vq->broken)
		return 0;
	if (!vq->packed) {
		unsigned ahead = (uint16_t)(vq->s.used->idx - vq->last_used);
		if (ahead > vq->inflight)
			return 1; /* vq_get will find what is wrong and say so */
		return ahead < max ? ahead : max;
	}
	/* Packed: walk the used slots as vq_get will, chain by chain. The ids
	 * read here are checked again when vq_get takes them. */
	unsigned n = 0, pos = vq->last_used;
	bool wrap = vq->used_wrap;
	while (n < max && n < vq->inflight) {
		uint16_t flags = vq->p.desc[pos].flags;
		bool used = flags & VRING_PACKED_DESC_F_USED, avail = flags & VRING_PACKED_DESC_F_AVAIL;
		if (avail != wrap || used != wrap)
			return n + (avail != wrap && n == 0); /* a bad slot first: let vq_get see it */
		dma_rmb();
		uint16_t id = vq->p.desc[pos].id;
		n++;
		if (id >= vq->num || !vq->ent[id].token)
			return n;
		pos += vq->ent[id].ndesc;
		if (pos >= vq->num) {
			pos -= vq->num;
			wrap = !wrap;
		}
	}
	return n;
}

/* ---- used buffer notifications (§2.7.7, §2.8.10) ---- */

void vq_disable_cb(struct virtqueue *vq)
{
	if (vq->packed)
		vq->p.driver->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
	else if (vq->flags & VQ_F_EVENT_IDX)
		*used_event(vq) =
			vq->last_used - 1; /* an index the device has passed: no event until we move it */
	else
		vq->s.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	TRACE(vq, EV_EVENT, 0, 0);
}

bool vq_enable_cb(struct virtqueue *vq)
{
	if (vq->broken)
		return true; /* nothing more will be taken from it */
	if (vq->packed && (vq->flags & VQ_F_EVENT_IDX)) {
		vq->p.driver->off_wrap =
			vq->last_used | (uint16_t)(vq->used_wrap << VRING_PACKED_EVENT_WRAP_SHIFT);
		dma_wmb(); /* the slot to wait for visible before the flag that points at it */
		vq->p.driver->flags = VRING_PACKED_EVENT_FLAG_DESC;
	} else if (vq->packed) {
		vq->p.driver->flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	} else if (vq->flags & VQ_F_EVENT_IDX) {
		*used_event(vq) = vq->last_used; /* an event when the next element is written */
	} else {
		vq->s.avail->flags = 0;
	}
	TRACE(vq, EV_EVENT, 1, 0);
	/* Our store visible before we look at the ring again: a store then a
	 * load. Without it a buffer used in between could notify nobody. */
	dma_mb();
	return !vq_has_used(vq);
}

/* ---- the rest of the API ---- */

void *vq_detach_unused(struct virtqueue *vq)
{
	for (; vq->detach_pos < vq->num; vq->detach_pos++)
		if (vq->ent[vq->detach_pos].token) {
			TRACE(vq, EV_RECLAIM, vq->detach_pos, 0);
			return detach(vq, (uint16_t)vq->detach_pos);
		}
	vq->detach_pos = 0;
	return NULL;
}

unsigned vq_num_free(const struct virtqueue *vq) { return vq->num_free; }
unsigned vq_size(const struct virtqueue *vq) { return vq->num; }
bool vq_broken(const struct virtqueue *vq) { return vq->broken; }
unsigned vq_breaks;
struct vq_stats *vq_stats(struct virtqueue *vq) { return &vq->stats; }
const char *vq_name(const struct virtqueue *vq) { return vq->cfg.name; }
unsigned vq_index(const struct virtqueue *vq) { return vq->cfg.index; }

void vq_irq(struct virtqueue *vq)
{
	vq->stats.irqs++;
	TRACE(vq, EV_IRQ, vq->last_used, 0);
}

/* ---- vq_dump: `vq DEV Q` ---- */

static const char *flag_names(uint16_t f, char *buf, size_t size)
{
	ksnprintf(buf, size, "%s%s%s", (f & VRING_DESC_F_NEXT) ? "N" : "-",
		  (f & VRING_DESC_F_WRITE) ? "W" : "-", (f & VRING_DESC_F_INDIRECT) ? "I" : "-");
	return buf;
}

static void dump_indirect(const struct virtqueue *vq, uint16_t head, const struct vq_entry *e)
{
	char fb[4];
	const char *table =
		(const char *)vq->ind + (size_t)head * VQ_INDIRECT_MAX * sizeof(struct vring_desc);
	for (unsigned k = 0; k < e->len / sizeof(struct vring_desc); k++) {
		const struct vring_desc *t = (const struct vring_desc *)table + k;
		const struct vring_packed_desc *pt = (const struct vring_packed_desc *)table + k;
		uint16_t f = vq->packed ? pt->flags : t->flags;
		printf("      [%u] handle=0x%llx len=%u flags=%s\n", k, (unsigned long long)t->addr,
		       (unsigned)t->len, flag_names(f, fb, sizeof fb));
	}
}

static void dump_chain(const struct virtqueue *vq, uint16_t head)
{
	char fb[4];
	const struct vq_entry *h = &vq->ent[head];
	printf("  %s %u: descs=%u writable=%u token=%p\n", vq->packed ? "id" : "head", head, h->ndesc,
	       (unsigned)h->in_len, h->token);
	uint16_t i = head;
	for (unsigned k = 0; k < h->ndesc; k++, i = vq->ent[i].next) {
		const struct vq_entry *e = &vq->ent[i];
		printf("    %s %u handle=0x%llx len=%u flags=%s\n", vq->packed ? "entry" : "desc", i,
		       (unsigned long long)e->addr, (unsigned)e->len, flag_names(e->flags, fb, sizeof fb));
		if (e->flags & VRING_DESC_F_INDIRECT)
			dump_indirect(vq, i, e);
	}
}

void vq_dump(const struct virtqueue *vq)
{
	static const char *const features[] = { "-", "EVENT_IDX", "INDIRECT_DESC",
						"EVENT_IDX,INDIRECT_DESC" };
	printf("%s q%u: %s size=%u free=%u inflight=%u features=%s broken=%d\n", vq->cfg.name, vq->cfg.index,
	       vq->packed ? "packed" : "split", vq->num, vq->num_free, vq->inflight,
	       features[vq->flags & (VQ_F_EVENT_IDX | VQ_F_INDIRECT)], vq->broken);
	if (vq->packed)
		printf("  avail=%u wrap=%d last_used=%u wrap=%d driver_event=%u/%u device_event=%u/%u\n",
		       vq->avail_idx, vq->avail_wrap, vq->last_used, vq->used_wrap, vq->p.driver->off_wrap,
		       vq->p.driver->flags, vq->p.device->off_wrap, vq->p.device->flags);
	else
		printf("  avail_idx=%u used_idx=%u last_used=%u used_event=%u avail_event=%u avail_flags=%u "
		       "used_flags=%u\n",
		       vq->s.avail->idx, vq->s.used->idx, vq->last_used, *used_event(vq), *avail_event(vq),
		       vq->s.avail->flags, vq->s.used->flags);
	for (unsigned i = 0; i < vq->num; i++)
		if (vq->ent[i].token)
			dump_chain(vq, (uint16_t)i);
}

/*
 * Fault injection, to test recovery: publish an avail index a whole ring
 * ahead of what was added. A device must refuse that (QEMU: "Guest moved
 * index", then DEVICE_NEEDS_RESET and a configuration interrupt), which is
 * how the driver's reset path gets exercised against the real device.
 * Split rings only; -EOPNOTSUPP for packed.
 */
int vq_inject_bad_avail(struct virtqueue *vq)
{
	if (vq->packed)
		return -EOPNOTSUPP;
	vq->s.avail->idx = (uint16_t)(vq->avail_idx + vq->num + 1);
	dma_wmb(); /* the bad index visible before the doorbell */
	vq_notify(vq);
	return 0;
}

/*
 * ---- the trace ----
 *
 * `trace on` prints one console line per add, kick, used buffer and
 * interrupt. `trace ring` sends records that can redraw the ring to the
 * trace channel (kernel/traceport.c), one line each:
 *   rt SEQ DEV qN KIND key=value...
 * Every value is absolute (an index, not a step), so replaying a record
 * twice changes nothing. When the trace starts, and when a queue is
 * created, the queue is described whole (queue, state, the chains in
 * flight), so a trace that starts mid-run still draws every ring.
 * scripts/ringview/ replays them.
 */
static struct virtqueue *trace_list; /* every queue (only tracing reads it) */
static char trace_dev[16];           /* only this device, or every one when empty */

#define REC(vq, fmt, ...) traceport_printf("%s q%u " fmt, (vq)->cfg.name, (vq)->cfg.index, __VA_ARGS__)
typedef unsigned long long ull;

/* An indirect table (§2.7.5.3, §2.8.7): driver memory, read back as the device will. */
static void rec_indirect(const struct virtqueue *vq, uint16_t head)
{
	const char *table =
		(const char *)vq->ind + (size_t)head * VQ_INDIRECT_MAX * sizeof(struct vring_desc);
	for (unsigned k = 0; k < vq->ent[head].len / sizeof(struct vring_desc); k++) {
		const struct vring_desc *t = (const struct vring_desc *)table + k;
		const struct vring_packed_desc *pt = (const struct vring_packed_desc *)table + k;
		if (vq->packed)
			REC(vq, "idesc head=%u k=%u addr=0x%llx len=%u flags=0x%x", head, k, (ull)pt->addr,
			    (unsigned)pt->len, pt->flags);
		else
			REC(vq, "idesc head=%u k=%u addr=0x%llx len=%u flags=0x%x next=%u", head, k,
			    (ull)t->addr, (unsigned)t->len, t->flags, t->next);
	}
}

/* A chain: req numbers the requests added to this queue (0 for one already in flight when the trace started). */
static void rec_add(const struct virtqueue *vq, uint16_t head, uint64_t req)
{
	const struct vq_entry *h = &vq->ent[head];
	REC(vq, "add head=%u ndesc=%u in=%u indirect=%d req=%llu", head, h->ndesc, (unsigned)h->in_len,
	    (h->flags & VRING_DESC_F_INDIRECT) != 0, (ull)req);
}

/* Split: the chain's descriptors in the table (§2.7.5), as the device reads them. */
static void rec_split_chain(const struct virtqueue *vq, uint16_t head)
{
	uint16_t i = head;
	for (unsigned k = 0; k < vq->ent[head].ndesc; k++, i = vq->ent[i].next) {
		volatile struct vring_desc *d = &vq->s.desc[i];
		REC(vq, "desc i=%u addr=0x%llx len=%u flags=0x%x next=%u", i, (ull)d->addr, (unsigned)d->len,
		    d->flags, d->next);
		if (d->flags & VRING_DESC_F_INDIRECT)
			rec_indirect(vq, i);
	}
}

/* Packed: n slots from first (§2.8.13), flags with AVAIL and USED as written. */
static void rec_packed_slots(const struct virtqueue *vq, unsigned first, unsigned n)
{
	for (unsigned k = 0, s = first; k < n; k++, s = (s + 1) % vq->num) {
		volatile struct vring_packed_desc *d = &vq->p.desc[s];
		REC(vq, "pdesc slot=%u id=%u addr=0x%llx len=%u flags=0x%x", s, d->id, (ull)d->addr,
		    (unsigned)d->len, d->flags);
		if ((d->flags & VRING_DESC_F_INDIRECT) && d->id < vq->num && vq->ent[d->id].token)
			rec_indirect(vq, d->id);
	}
}

static void rec_snapshot(const struct virtqueue *vq)
{
	REC(vq, "queue layout=%s size=%u event_idx=%d indirect=%d desc=0x%llx driver=0x%llx device=0x%llx",
	    vq->packed ? "packed" : "split", vq->num, (vq->flags & VQ_F_EVENT_IDX) != 0,
	    (vq->flags & VQ_F_INDIRECT) != 0, (ull)vq->desc_dma, (ull)vq->driver_dma, (ull)vq->device_dma);
	if (vq->packed)
		REC(vq,
		    "state next=%u wrap=%d last_used=%u used_wrap=%d inflight=%u drv_flags=%u drv_off=%u "
		    "dev_flags=%u dev_off=%u",
		    vq->avail_idx, vq->avail_wrap, vq->last_used, vq->used_wrap, vq->inflight,
		    vq->p.driver->flags, vq->p.driver->off_wrap, vq->p.device->flags, vq->p.device->off_wrap);
	else
		REC(vq,
		    "state avail_idx=%u used_idx=%u last_used=%u inflight=%u used_event=%u avail_event=%u "
		    "avail_flags=%u used_flags=%u",
		    vq->avail_idx, vq->s.used->idx, vq->last_used, vq->inflight, *used_event(vq),
		    *avail_event(vq), vq->s.avail->flags, vq->s.used->flags);
	for (unsigned i = 0; i < vq->num; i++)
		if (vq->ent[i].token) {
			rec_add(vq, (uint16_t)i, 0);
			if (!vq->packed)
				rec_split_chain(vq, (uint16_t)i);
		}
	if (vq->packed) { /* the slots from the oldest not taken to the next free one */
		unsigned n = (vq->avail_idx + vq->num - vq->last_used) % vq->num;
		rec_packed_slots(vq, vq->last_used, n == 0 && vq->inflight ? vq->num : n);
		return;
	}
	for (uint16_t k = vq->last_used, c = 0; k != vq->avail_idx && c < vq->num; k++, c++)
		REC(vq, "avail slot=%u head=%u", k & vq->mask, vq->s.avail->ring[k & vq->mask]);
}

static void rec_event(const struct virtqueue *vq, enum trace_ev ev, unsigned a, uintptr_t b)
{
	switch (ev) {
	case EV_ADD:
		rec_add(vq, (uint16_t)a, vq->stats.added);
		if (vq->packed) { /* packed_publish moved avail_idx ndesc slots on, maybe across the end */
			unsigned n = vq->ent[a].ndesc, first = (vq->avail_idx + vq->num - n) % vq->num;
			rec_packed_slots(vq, first, n);
			REC(vq, "publish id=%u first=%u n=%u next=%u wrap=%d", a, first, n, vq->avail_idx,
			    vq->avail_wrap);
		} else {
			unsigned slot = (uint16_t)(vq->avail_idx - 1) & vq->mask;
			rec_split_chain(vq, (uint16_t)a);
			REC(vq, "avail slot=%u head=%u", slot, vq->s.avail->ring[slot]);
			REC(vq, "avail_idx idx=%u", vq->s.avail->idx);
		}
		break;
	case EV_KICK_PREPARE: /* a: need, b: entries or slots added since the last one */
		if (vq->packed)
			REC(vq, "kick_prepare need=%u added=%u next=%u wrap=%d dev_flags=%u dev_off=%u", a,
			    (unsigned)b, vq->avail_idx, vq->avail_wrap, vq->p.device->flags,
			    vq->p.device->off_wrap);
		else if (vq->flags & VQ_F_EVENT_IDX)
			REC(vq, "kick_prepare need=%u added=%u avail_idx=%u avail_event=%u", a, (unsigned)b,
			    vq->avail_idx, *avail_event(vq));
		else
			REC(vq, "kick_prepare need=%u added=%u avail_idx=%u used_flags=%u", a, (unsigned)b,
			    vq->avail_idx, vq->s.used->flags);
		break;
	case EV_NOTIFY:
		REC(vq, "notify idx=%u wrap=%d", vq->avail_idx, vq->packed ? vq->avail_wrap : 0);
		break;
	case EV_USED: /* a: id, b: length; vq_get has moved last_used past the chain */
		if (vq->packed) {
			unsigned n = vq->ent[a].ndesc, slot = (vq->last_used + vq->num - n) % vq->num;
			REC(vq, "used slot=%u id=%u len=%u n=%u flags=0x%x last_used=%u used_wrap=%d", slot,
			    a, (unsigned)b, n, vq->p.desc[slot].flags, vq->last_used, vq->used_wrap);
		} else {
			REC(vq, "used slot=%u id=%u len=%u used_idx=%u last_used=%u",
			    (uint16_t)(vq->last_used - 1) & vq->mask, a, (unsigned)b, vq->s.used->idx,
			    vq->last_used);
		}
		break;
	case EV_IRQ:
		if (vq->packed)
			REC(vq, "irq last_used=%u used_wrap=%d flags=0x%x", vq->last_used, vq->used_wrap,
			    vq->p.desc[vq->last_used].flags);
		else
			REC(vq, "irq used_idx=%u last_used=%u", vq->s.used->idx, vq->last_used);
		break;
	case EV_EVENT: /* a: 1 enable, 0 disable */
		if (vq->packed)
			REC(vq, "event on=%u drv_flags=%u drv_off=%u", a, vq->p.driver->flags,
			    vq->p.driver->off_wrap);
		else if (vq->flags & VQ_F_EVENT_IDX)
			REC(vq, "event on=%u used_event=%u", a, *used_event(vq));
		else
			REC(vq, "event on=%u avail_flags=%u", a, vq->s.avail->flags);
		break;
	case EV_RECLAIM:
		REC(vq, "reclaim head=%u", a);
		break;
	case EV_BROKEN:
		REC(vq, "broken why=%s", (const char *)b);
		break;
	case EV_CREATE:
		rec_snapshot(vq);
		break;
	case EV_DESTROY:
		REC(vq, "destroy inflight=%u", vq->inflight);
		break;
	}
}

__attribute__((cold, noinline)) static void trace_event(struct virtqueue *vq, enum trace_ev ev, unsigned a,
							uintptr_t b)
{
	static const char *const lines[] = {
		[EV_ADD] = "add", [EV_NOTIFY] = "kick", [EV_USED] = "used", [EV_IRQ] = "irq"
	};
	struct virtqueue **p = &trace_list;
	if (ev == EV_CREATE) {
		vq->trace_next = trace_list;
		trace_list = vq;
	}
	if (ev == EV_DESTROY) {
		while (*p && *p != vq)
			p = &(*p)->trace_next;
		if (*p)
			*p = vq->trace_next;
	}
	if (!tracing || (trace_dev[0] && strcmp(trace_dev, vq->cfg.name)))
		return;
	if ((tracing & VQ_TRACE_LINES) && ev < sizeof lines / sizeof lines[0] && lines[ev])
		kprintf("trace %s q%u %s id=%u len=%u\n", vq->cfg.name, vq->cfg.index, lines[ev], a,
			ev == EV_ADD || ev == EV_USED ? (unsigned)b : 0);
	if (tracing & VQ_TRACE_RING)
		rec_event(vq, ev, a, b);
}

const char *vq_trace(unsigned what, const char *dev)
{
	bool start = (what & VQ_TRACE_RING) && !(tracing & VQ_TRACE_RING);
	if (!(what & VQ_TRACE_RING) && (tracing & VQ_TRACE_RING))
		traceport_printf("- - stop");
	ksnprintf(trace_dev, sizeof trace_dev, "%s", dev ? dev : "");
	tracing = what;
	if (start) { /* every queue as it is now; what follows redraws it */
		traceport_printf("- - start dev=%s", dev ? dev : "*");
		for (struct virtqueue *vq = trace_list; vq; vq = vq->trace_next)
			if (!trace_dev[0] || !strcmp(trace_dev, vq->cfg.name))
				rec_snapshot(vq);
	}
	return (what & VQ_TRACE_RING) ? traceport_name() : NULL;
}

unsigned vq_trace_mode(void) { return tracing; }
void vq_set_trace(bool on) { vq_trace(on ? VQ_TRACE_LINES : 0, NULL); }
