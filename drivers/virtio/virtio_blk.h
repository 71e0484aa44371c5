/* virtio_blk.h - what virtio_blk.c offers besides its block device: the floor benchmark. */
#ifndef DRIVERS_VIRTIO_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

struct virtio_dev;
/* The floor benchmark (drivers/inspect.h, vdev_blk_floor): qd chains of one
 * buffer of `bytes` each (bufs), on queue `queue`, published again as the
 * device uses them for ns; completions and elapsed_ns come back. */
struct blk_floor {
	unsigned queue, qd;
	uint32_t bytes;
	bool write;
	uint64_t ns;
	void *const *bufs;
	uint64_t completions, elapsed_ns;
};
int virtio_blk_floor(struct virtio_dev *vd, struct blk_floor *f);
#endif
