/* virtio_blk.h - block I/O on virtio-blk: asynchronous requests and synchronous wrappers. */
#ifndef DRIVERS_VIRTIO_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_VIRTIO_BLK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct virtio_dev;

enum blk_op {
	BLK_READ,
	BLK_WRITE,
	BLK_FLUSH,
	BLK_DISCARD,
	BLK_WRITE_ZEROES,
	BLK_GET_ID, /* buf: 20 bytes */
};

/* A caller's request: sectors are 512 bytes, as virtio-blk counts them. */
struct blk_req {
	enum blk_op op;
	uint64_t sector;
	uint32_t count;                              /* sectors; 0 for a flush */
	void *buf;                                   /* count * 512 bytes for reads and writes */
	unsigned queue;                              /* which virtqueue (taken modulo the number of queues) */
	void (*done)(struct blk_req *r, int status); /* 0 or a negative errno */
	void *arg;
	/* the driver's, while the request is in flight */
	uint32_t dispatched, pieces;
	int error;
	struct blk_req *next;
};

struct blk_info {
	uint64_t capacity; /* sectors */
	uint32_t block_size, seg_max, size_max;
	bool ro, flush, discard, write_zeroes, wce;
	unsigned queues;
	char id[21]; /* GET_ID, "" if the device gave none */
};

/* Checks the request (range, alignment, read-only, feature) and queues it;
 * r->done runs later, from the device's poller. 0 or a negative errno, in
 * which case done never runs and nothing reached the ring. */
int blk_submit(struct virtio_dev *vd, struct blk_req *r);
/* The same, waiting for the result. */
int blk_io(struct virtio_dev *vd, enum blk_op op, uint64_t sector, uint32_t count, void *buf);
int blk_get_info(struct virtio_dev *vd, struct blk_info *info);
/* Buffers for block I/O, page aligned. From the device's pool when it has
 * room: memory mapped for the device once, so requests into it need no
 * dma_map/dma_unmap (docs/iommu.md); else from the heap, mapped per request.
 * blk_buf_free takes either. */
void *blk_buf_alloc(struct virtio_dev *vd, size_t bytes);
void blk_buf_free(struct virtio_dev *vd, void *p, size_t bytes);
bool blk_buf_pooled(struct virtio_dev *vd, const void *p); /* from the pool */
bool blk_is_blk(const struct virtio_dev *vd);
/* The nth virtio-blk device (blk0, blk1, ...), or NULL. */
struct virtio_dev *blk_nth(int n);
#endif
