/* blkdev.c - the block layer: devices by name, requests checked once for every driver, the waiting helper. */
#include "block/blkdev.h"
#include "kernel/dma.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include "kernel/power.h"
#include "lib/errname.h"
#include <errno.h>
#include <string.h>

static struct blkdev *devices, **tail = &devices;

/* poweroff flushes every disk that has a write cache to flush; one that
 * fails is named, as the shell names a disk in its errors */
static int flush_all(void *arg)
{
	(void)arg;
	int first = 0;
	for (struct blkdev *bd = devices; bd; bd = bd->next)
		if (bd->info.flush) {
			int r = blk_io(bd, BLK_FLUSH, 0, 0, NULL);
			if (r)
				log_err("%s: %s: flush before power-off failed\n", bd->name, errno_name(r));
			if (r && !first)
				first = r;
		}
	return first;
}

void blkdev_register(struct blkdev *bd)
{
	if (bd->registered)
		return;
	if (!devices)
		power_register_flush(flush_all, NULL);
	bd->registered = true;
	bd->next = NULL;
	*tail = bd;
	tail = &bd->next;
}

struct blkdev *blkdev_find(const char *name)
{
	for (struct blkdev *bd = devices; bd; bd = bd->next)
		if (!strcmp(bd->name, name))
			return bd;
	return NULL;
}

struct blkdev *blkdev_nth(int n)
{
	struct blkdev *bd = devices;
	for (; bd && n > 0; n--)
		bd = bd->next;
	return n < 0 ? NULL : bd;
}

static int check(const struct blk_info *in, const struct blk_req *r)
{
	uint32_t per_block = in->block_size / 512;
	switch (r->op) {
	case BLK_FLUSH:
		return in->flush ? 0 : -EOPNOTSUPP;
	case BLK_GET_ID:
		return r->buf ? 0 : -EINVAL;
	case BLK_READ:
	case BLK_WRITE:
	case BLK_DISCARD:
	case BLK_WRITE_ZEROES:
		break;
	default:
		return -EINVAL;
	}
	if (r->count == 0 || r->sector > in->capacity || r->count > in->capacity - r->sector)
		return -EINVAL; /* past the end */
	/* a power of two, as every block size is: no division (under TCG, a call out) */
	uint64_t odd = per_block & (per_block - 1) ? r->sector % per_block | r->count % per_block
						   : (r->sector | r->count) & (per_block - 1);
	if (odd)
		return -EINVAL; /* not whole logical blocks */
	if (r->op != BLK_READ && in->ro)
		return -EROFS;
	if ((r->op == BLK_DISCARD && !in->discard) || (r->op == BLK_WRITE_ZEROES && !in->write_zeroes))
		return -EOPNOTSUPP;
	if ((r->op == BLK_READ || r->op == BLK_WRITE) && !r->buf)
		return -EINVAL;
	return 0;
}

int blk_submit(struct blkdev *bd, struct blk_req *r)
{
	if (!bd || !r->done)
		return -EINVAL;
	int e = check(&bd->info, r);
	return e ? e : bd->ops->submit(bd, r);
}

struct sync {
	volatile bool done;
	int status;
};

static void sync_done(struct blk_req *r, int status)
{
	struct sync *s = r->arg;
	s->status = status;
	s->done = true;
}

static bool sync_finished(void *arg) { return ((struct sync *)arg)->done; }

int blk_io(struct blkdev *bd, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct sync s = { false, 0 };
	struct blk_req r = {
		.op = op, .sector = sector, .count = count, .buf = buf, .done = sync_done, .arg = &s
	};
	int rc = blk_submit(bd, &r);
	if (rc)
		return rc;
	kwait(sync_finished, &s, 0); /* the driver bounds how long a request may take */
	return s.status;
}

/* GET_ID (virtio 1.2 §5.2.6): 20 bytes naming the disk (QEMU's serial=),
 * not necessarily NUL-terminated. */
int blk_get_id(struct blkdev *bd, char id[BLK_ID_BYTES + 1])
{
	char raw[BLK_ID_BYTES];
	memset(raw, 0, sizeof raw); /* bytes the device does not write stay empty */
	memset(id, 0, BLK_ID_BYTES + 1);
	int r = blk_io(bd, BLK_GET_ID, 0, 0, raw);
	if (r)
		return r;
	for (int i = 0; i < BLK_ID_BYTES && raw[i]; i++)
		id[i] = raw[i] >= ' ' && raw[i] < 0x7f ? raw[i] : '?';
	return 0;
}

void *blk_buf_alloc(struct blkdev *bd, size_t bytes) { return dma_pool_alloc(bd->dma, bytes); }
void blk_buf_free(struct blkdev *bd, void *p, size_t bytes) { dma_pool_free(bd->dma, p, bytes); }
bool blk_buf_pooled(struct blkdev *bd, const void *p) { return p && dma_pool_has(bd->dma, p); }
