/* sim_disk.c - a RAM disk behind the block layer whose requests complete when the test says, in any order. */
#include "block/blkdev.h"
#include "kernel/poll.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * A real disk completes later, and not always in order. This one keeps
 * every request it is given until sim_disk_complete picks one; only then
 * does the data move (as the device's DMA would), and the request's done
 * runs as a completion, where waiting panics (kernel/poll.c).
 */

#define SIM_DISK_MAX 64

struct sim_disk {
	struct blkdev bd;
	struct dma_dev dma;
	uint8_t *data;
	struct blk_req *pending[SIM_DISK_MAX];
	unsigned npending;
	unsigned submitted, completed, flushes;
};

static int sim_disk_submit(struct blkdev *bd, struct blk_req *r)
{
	struct sim_disk *d = (struct sim_disk *)bd;
	if (d->npending == SIM_DISK_MAX)
		return -EAGAIN;
	d->pending[d->npending++] = r;
	d->submitted++;
	return 0;
}

static const struct blkdev_ops sim_disk_ops = { .submit = sim_disk_submit };

static __attribute__((unused)) void sim_disk_init(struct sim_disk *d, const char *name, uint64_t sectors)
{
	memset(d, 0, sizeof *d);
	strncpy(d->bd.name, name, sizeof d->bd.name - 1);
	d->bd.info = (struct blk_info){ .capacity = sectors, .block_size = 512, .flush = true, .queues = 1 };
	d->bd.ops = &sim_disk_ops;
	d->bd.dma = &d->dma;
	d->dma.name = d->bd.name;
	d->data = calloc(sectors, 512);
	if (!d->data)
		abort();
}

/* Complete pending request k (0: the oldest) with status (0: do it). */
static __attribute__((unused)) void sim_disk_complete(struct sim_disk *d, unsigned k, int status)
{
	if (k >= d->npending)
		abort();
	struct blk_req *r = d->pending[k];
	memmove(&d->pending[k], &d->pending[k + 1], (d->npending - k - 1) * sizeof d->pending[0]);
	d->npending--;
	if (!status) {
		uint8_t *at = d->data + r->sector * 512;
		if (r->op == BLK_READ)
			memcpy(r->buf, at, (size_t)r->count * 512);
		else if (r->op == BLK_WRITE)
			memcpy(at, r->buf, (size_t)r->count * 512);
		else if (r->op == BLK_FLUSH)
			d->flushes++;
		else if (r->op == BLK_GET_ID)
			memcpy(r->buf, "simdisk", 8);
	}
	d->completed++;
	completion_enter(); /* as the device's poller runs it */
	r->done(r, status);
	completion_leave();
}

static __attribute__((unused)) void sim_disk_complete_all(struct sim_disk *d)
{
	while (d->npending)
		sim_disk_complete(d, 0, 0);
}
