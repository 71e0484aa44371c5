/* virtqueue.h - one API over split and packed virtqueues; no transport code below it. */
#ifndef DRIVERS_VIRTIO_VIRTQUEUE_H
#define DRIVERS_VIRTIO_VIRTQUEUE_H
#include "drivers/inspect.h" /* struct vq_stats */
#include "kernel/dma.h"
#include <stdbool.h>
#include <stdint.h>

/* One buffer segment, as a handle from kernel/dma.c. */
struct vq_sg {
	dma_addr_t addr;
	uint32_t len;
};

struct virtqueue;

/* Ring features the queue honours; a subset of what was negotiated. */
#define VQ_F_EVENT_IDX (1u << 0)
#define VQ_F_INDIRECT  (1u << 1)
#define VQ_F_PACKED    (1u << 2)
/* Legacy virtio-pci: one contiguous split ring, used ring on a 4 KiB
 * boundary (virtio 1.2 §2.7.2, legacy interfaces); vq_desc_addr is its start. */
#define VQ_F_LEGACY    (1u << 3)

/* What the transport gives the queue, and what it reads back to program
 * the device (queue_desc, queue_driver, queue_device; virtio 1.2 §4.1.4.3). */
struct vq_config {
	const char *name; /* "blk0", for logs */
	unsigned index;   /* queue number on the device */
	unsigned num;     /* queue size: a power of two for split rings */
	unsigned flags;   /* VQ_F_* */
	struct dma_dev *dma;
	void (*notify)(struct virtqueue *vq, void *priv); /* the transport's doorbell */
	void *priv;
};

struct virtqueue *vq_create(const struct vq_config *cfg); /* NULL: -ENOMEM or bad config */
void vq_destroy(struct virtqueue *vq);
dma_addr_t vq_desc_addr(const struct virtqueue *vq);   /* descriptor area */
dma_addr_t vq_driver_addr(const struct virtqueue *vq); /* avail ring / driver event suppression */
dma_addr_t vq_device_addr(const struct virtqueue *vq); /* used ring / device event suppression */

/* Post a chain: nout device-readable segments, then nin device-writable
 * ones. token (not NULL) comes back from vq_get. 0, -ENOSPC when the ring
 * lacks room, -EIO when the queue is broken, -EINVAL for a bad chain. */
int vq_add(struct virtqueue *vq, const struct vq_sg *out, int nout, const struct vq_sg *in, int nin,
	   void *token);
/* Publish what was added; true if the device wants a notification now
 * (EVENT_IDX or the NO_NOTIFY flag say otherwise). */
bool vq_kick_prepare(struct virtqueue *vq);
void vq_notify(struct virtqueue *vq);
void vq_kick(struct virtqueue *vq); /* prepare + notify if needed */
/* Between these two, vq_kick only publishes; the flush kicks once for all
 * that was added meanwhile, if the device wants it. */
void vq_defer_kicks(struct virtqueue *vq);
void vq_flush_kicks(struct virtqueue *vq);
/* The floor benchmark: what the device used goes back on the ring as it was,
 * and nothing else (virtqueue.c). How many, or -EOPNOTSUPP (packed). */
int vq_republish_used(struct virtqueue *vq);
/* The next used buffer's token and the length the device wrote, or NULL. */
void *vq_get(struct virtqueue *vq, uint32_t *len);
/* Interrupts for this queue: disable is a hint to the device; enable
 * returns false if buffers were used meanwhile (poll again, then retry). */
void vq_disable_cb(struct virtqueue *vq);
bool vq_enable_cb(struct virtqueue *vq);
bool vq_has_used(const struct virtqueue *vq);
/* How many used buffers vq_get would return now, at most max (a rule the
 * device broke counts as one, so that vq_get gets to see it). */
unsigned vq_used_ready(const struct virtqueue *vq, unsigned max);
unsigned vq_num_free(const struct virtqueue *vq);
unsigned vq_size(const struct virtqueue *vq);
bool vq_broken(const struct virtqueue *vq);
/* Rings broken so far, of every queue: a poller that saw this number last
 * time has no broken ring to look for (no call per queue per turn). */
extern unsigned vq_breaks;
/* After a device reset: hand back in-flight tokens one by one (NULL when none left). */
void *vq_detach_unused(struct virtqueue *vq);
/* Counting done by drivers: an interrupt, a poll that found nothing. */
struct vq_stats *vq_stats(struct virtqueue *vq);
void vq_dump(const struct virtqueue *vq); /* `vq DEV Q` */

/* The trace (`trace on|ring|off [DEV]`), what to show, of one device or of all (dev NULL):
 * VQ_TRACE_LINES, one console line per add, kick, used buffer and interrupt;
 * VQ_TRACE_RING, records that redraw the ring (every descriptor, index and
 * event index written), on the trace channel of kernel/traceport.h, whose
 * name it returns (NULL without VQ_TRACE_RING). */
#define VQ_TRACE_LINES 1u
#define VQ_TRACE_RING  2u
const char *vq_trace(unsigned what, const char *dev);
unsigned vq_trace_mode(void);
void vq_set_trace(bool on);        /* VQ_TRACE_LINES for every device, or nothing */
void vq_irq(struct virtqueue *vq); /* drivers call this on an interrupt: counts and traces it */
const char *vq_name(const struct virtqueue *vq);
unsigned vq_index(const struct virtqueue *vq);
/* Testing the reset path: make the ring's avail index impossible and
 * notify, so the device flags DEVICE_NEEDS_RESET. */
int vq_inject_bad_avail(struct virtqueue *vq);
#endif
