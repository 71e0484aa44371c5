/* sim.h - a simulated virtio device for host tests: plays the device side of split and packed rings. */
#ifndef TESTS_SIM_SIM_H
#define TESTS_SIM_SIM_H
#include "drivers/virtio/virtio_ring.h"
#include "drivers/virtio/virtqueue.h"
#include "kernel/dma.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sim_dma.c: the host's kernel/dma.c. */
extern const struct dma_backend sim_backend;         /* d->ops: says which pages dma_map lent */
void *sim_dma_ptr(dma_addr_t h, size_t len);         /* NULL unless [h, h+len) was allocated or mapped */
int sim_dma_live(void);                              /* dma_alloc'ed regions not yet freed */
extern int sim_dma_fail_after;                       /* allocations that succeed before one fails; -1: none */
extern bool sim_dma_low;                             /* handles below 2^44, for legacy page numbers */
extern bool sim_dma_iommu;                           /* dma_translated says yes: faults are fenced */
extern void (*sim_dma_sync_hook)(struct dma_dev *d); /* dma_sync_faults calls it */
extern int sim_dma_attach_error;                     /* what dma_attach returns */
extern char sim_trace[];                             /* the ring trace's records (kernel/traceport.h) */
extern size_t sim_trace_len;

/* One segment of a chain, as the device resolved it. */
struct sim_seg {
	unsigned char *p;
	uint32_t len;
	bool write;
};

/* A chain the device has taken and not yet used. */
struct sim_chain {
	uint16_t id;    /* split: head descriptor; packed: buffer id */
	uint16_t ndesc; /* ring descriptors it occupies */
	bool indirect;
	unsigned nseg;
	uint32_t out_len, in_len;
	struct sim_seg *seg;
};

struct sim_dev {
	struct virtqueue *vq;
	unsigned num, flags; /* VQ_F_* */
	bool packed;
	/* the rings, reached through the handles the transport would program */
	volatile struct vring_desc *desc;
	volatile struct vring_avail *avail;
	volatile struct vring_used *used;
	volatile struct vring_packed_desc *pdesc;
	volatile struct vring_packed_event *driver, *device;
	/* device state */
	uint16_t last_avail; /* split: free-running; packed: next slot */
	uint16_t used_idx;   /* split: free-running; packed: next slot */
	bool avail_wrap, used_wrap;
	bool no_notify; /* device asks for no available buffer notifications */
	struct sim_chain *pending;
	unsigned npending;
	unsigned char *busy; /* per descriptor (split) or buffer id (packed): held by the device */
	/* what was seen */
	unsigned kicks, irqs;
	/* how an interrupt reaches the driver: a transport's (tests/sim/sim_transport.c), or
	 * straight to vq_irq when NULL */
	void (*irq)(struct sim_dev *s);
	void *irq_arg;
	char err[160]; /* the first rule the driver broke; empty if none */
};

/* The vq_config.notify for a queue whose priv is the sim_dev. */
void sim_notify(struct virtqueue *vq, void *priv);
/* Attach to a created queue (s->kicks may already count). 0, or -1 with s->err. */
int sim_attach(struct sim_dev *s, struct virtqueue *vq, unsigned flags);
/* The same, from what a transport's registers told the device: size and the three ring handles. */
int sim_attach_ring(struct sim_dev *s, unsigned num, unsigned flags, dma_addr_t desc, dma_addr_t driver,
		    dma_addr_t device);
void sim_detach(struct sim_dev *s);
/* Take every available chain; the count taken, -1 if the driver broke a rule (s->err). */
int sim_fetch(struct sim_dev *s);
/* Use pending chain k (0: the oldest taken), writing min(len, writable)
 * bytes and reporting len; raises an interrupt unless suppressed. */
void sim_use(struct sim_dev *s, unsigned k, uint32_t len);
/* The same, writing these bytes (what fits of len) instead of 0xa5. */
void sim_use_data(struct sim_dev *s, unsigned k, const void *data, uint32_t len);
/* The same, but the writable segments keep what the test wrote into them. */
void sim_use_as_is(struct sim_dev *s, unsigned k, uint32_t len);
/* Ask for (or refuse) available buffer notifications; with EVENT_IDX, for the next buffer. */
void sim_want_kicks(struct sim_dev *s, bool on);

/* Would a used buffer written now raise an interrupt (the driver's suppression state)? */
bool sim_irq_wanted(const struct sim_dev *s);

/* Misbehaviour. */
void sim_push_used(struct sim_dev *s, uint32_t id, uint32_t len, unsigned skip); /* any element */
void sim_set_used_idx(struct sim_dev *s, uint16_t idx);                          /* split */
void sim_set_flags(struct sim_dev *s, unsigned slot, uint16_t flags);            /* packed */
#endif
