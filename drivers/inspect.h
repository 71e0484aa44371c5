/* inspect.h - what the shell may see and change of the virtio devices, without their structs. */
#ifndef DRIVERS_INSPECT_H
#define DRIVERS_INSPECT_H
#include "kernel/cmdline.h"
#include "kernel/dma.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The `virtio`, `vq`, `mode`, `stats`, `trace`, `rng` and `iommu test`
 * commands look at the virtio layer through this, and through nothing else
 * of it: the devices' and queues' structs stay the core's own
 * (drivers/virtio/virtio_inspect.c implements it).
 */

struct virtio_dev; /* a device, by handle */

/* The counters of `stats` (docs/interface.md), one set per queue. */
struct vq_stats {
	uint64_t added, used, kicks, kicks_suppressed, irqs, polls, empty_polls, errors;
	uint32_t max_inflight;
	/* TSC ticks (kernel/acct.h, while accounting is on), each counted once:
	 * the driver's submit path for this queue, taking its used buffers
	 * (with what the completions do, less what they submit), and the
	 * doorbell writes (an exit to the device under QEMU) */
	uint64_t submit_tsc, complete_tsc, notify_tsc;
};

struct vdev_info {
	const char *name;      /* "blk0" */
	const char *type;      /* "blk", "net", "rng" */
	char location[32];     /* "00:03.0" on PCI */
	const char *transport; /* "modern" or "legacy" */
	bool packed, broken;
	unsigned nqueues, resets;
	enum io_mode mode;
	uint64_t features; /* negotiated */
};

struct virtio_dev *vdev_first(void);
struct virtio_dev *vdev_next(const struct virtio_dev *vd);
struct virtio_dev *vdev_find(const char *name);
void vdev_info(const struct virtio_dev *vd, struct vdev_info *out);
/* Feature bits by their spec names, comma separated. */
void vdev_features(const struct virtio_dev *vd, uint64_t features, char *buf, size_t len);
int vdev_set_mode(struct virtio_dev *vd, enum io_mode mode); /* 0 or -EIO (broken) */
/* Queue q: its counters, or its state on the console (`vq DEV Q`); -EINVAL for no such queue. */
int vdev_queue_stats(struct virtio_dev *vd, unsigned q, struct vq_stats *out);
int vdev_queue_dump(struct virtio_dev *vd, unsigned q);
/* Testing the reset path: make queue q's ring impossible and notify, so that
 * the device asks for a reset. -EINVAL, or -EOPNOTSUPP on a packed ring. */
int vdev_queue_break(struct virtio_dev *vd, unsigned q);
/* `trace on|ring|off [DEV]`, of one device or all (dev NULL): VDEV_TRACE_LINES,
 * a console line per ring event; VDEV_TRACE_RING, records that redraw the
 * ring on the trace channel, whose name it returns (NULL without RING). */
#define VDEV_TRACE_LINES 1u
#define VDEV_TRACE_RING  2u
const char *vdev_trace(unsigned what, const char *dev);
unsigned vdev_trace_mode(void);
struct dma_dev *vdev_dma(struct virtio_dev *vd);

/* The floor benchmark of a virtio-blk queue (`bench blk DEV floor`): qd
 * chains (a header, one data buffer of `bytes`, a status byte) built once,
 * then published again as the device uses them, for ns nanoseconds, and
 * nothing else per request: no request structure, no status check, no
 * completion. The top level only (it waits); nothing else may be in flight
 * on the queue. 0, or a negative errno (-EBUSY, -ENOSPC, -EOPNOTSUPP for a
 * packed ring, -EIO). */
struct vdev_floor {
	unsigned queue, qd;
	uint32_t bytes;
	bool write;
	uint64_t ns;
	void *const *bufs; /* qd buffers of `bytes`, from blk_buf_alloc or the heap */
	/* results */
	uint64_t completions, elapsed_ns;
};
int vdev_blk_floor(struct virtio_dev *vd, struct vdev_floor *f);

/* virtio-rng: up to n random bytes (waits: the top level only); how many
 * came, or a negative errno (-ENODEV: not an rng). */
int vdev_rng_read(struct virtio_dev *vd, void *buf, size_t n);
/* The handle of the buffer the rng lends its device, and its size (`iommu test`). */
dma_addr_t vdev_rng_buffer(struct virtio_dev *vd, size_t *len);
#endif
