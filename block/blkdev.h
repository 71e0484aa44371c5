/* blkdev.h - block devices as everything above the drivers sees them: find one, ask, submit, get a callback. */
#ifndef BLOCK_BLKDEV_H
#define BLOCK_BLKDEV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dma_dev;

enum blk_op {
	BLK_READ,
	BLK_WRITE,
	BLK_FLUSH,
	BLK_DISCARD,
	BLK_WRITE_ZEROES,
	BLK_GET_ID, /* buf: BLK_ID_BYTES */
};
#define BLK_ID_BYTES 20

/* A caller's request: sectors are 512 bytes, as virtio-blk counts them. */
struct blk_req {
	enum blk_op op;
	uint64_t sector;
	uint32_t count;                              /* sectors; 0 for a flush */
	void *buf;                                   /* count * 512 bytes for reads and writes */
	unsigned queue;                              /* which hardware queue (modulo how many there are) */
	void (*done)(struct blk_req *r, int status); /* 0 or a negative errno; runs as a completion */
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
};

struct blkdev;
/* What a block driver provides. */
struct blkdev_ops {
	/* Queue a request blk_submit has checked; r->done runs later, from the
	 * device's poller. 0, or a negative errno (then done never runs). */
	int (*submit)(struct blkdev *bd, struct blk_req *r);
};

/* Embedded in the driver's own state (container_of gets it back). */
struct blkdev {
	char name[16];        /* "blk0" */
	struct blk_info info; /* the driver keeps it current (capacity may change) */
	const struct blkdev_ops *ops;
	struct dma_dev *dma; /* whose buffer pool blk_buf_alloc draws from */
	bool registered;
	struct blkdev *next;
};

void blkdev_register(struct blkdev *bd); /* once; it stays for good (a reset keeps it) */
struct blkdev *blkdev_find(const char *name);
struct blkdev *blkdev_nth(int n); /* blk0, blk1, ... in the order found; NULL past the last */

/* Checks the request against the device (range, alignment, read-only,
 * feature) and queues it. r->done runs later, as a completion: it may
 * submit more, never wait. 0, or a negative errno, in which case done never
 * runs and nothing reached the device. */
int blk_submit(struct blkdev *bd, struct blk_req *r);

/* The same, waiting for the result: for the top level only (a shell
 * command, a boot step); from inside a completion it panics. */
int blk_io(struct blkdev *bd, enum blk_op op, uint64_t sector, uint32_t count, void *buf);
/* GET_ID: the device's serial, printable, NUL-terminated ("" if none);
 * waits, so the top level only. 0 or a negative errno. */
int blk_get_id(struct blkdev *bd, char id[BLK_ID_BYTES + 1]);

/* Buffers for block I/O, page aligned, from the device's DMA pool where it
 * has room (requests into them map nothing), else from the heap. */
void *blk_buf_alloc(struct blkdev *bd, size_t bytes);
void blk_buf_free(struct blkdev *bd, void *p, size_t bytes);
bool blk_buf_pooled(struct blkdev *bd, const void *p);
#endif
