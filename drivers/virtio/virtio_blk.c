/* virtio_blk.c - virtio-blk (virtio 1.2 §5.2): probe, build requests split to the device's limits, complete them. */
#include "drivers/virtio/virtio_blk.h"
#include "block/blkdev.h"
#include "drivers/virtio/virtio.h"
#include "kernel/acct.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Feature bits (§5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX     1
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_GEOMETRY     4
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_TOPOLOGY     10
#define VIRTIO_BLK_F_CONFIG_WCE   11
#define VIRTIO_BLK_F_MQ           12
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* §5.2.4: device configuration. */
struct virtio_blk_config {
	uint64_t capacity;
	uint32_t size_max, seg_max;
	struct {
		uint16_t cylinders;
		uint8_t heads, sectors;
	} geometry;
	uint32_t blk_size;
	struct {
		uint8_t physical_block_exp, alignment_offset;
		uint16_t min_io_size;
		uint32_t opt_io_size;
	} topology;
	uint8_t writeback, unused0;
	uint16_t num_queues;
	uint32_t max_discard_sectors, max_discard_seg, discard_sector_alignment;
	uint32_t max_write_zeroes_sectors, max_write_zeroes_seg;
	uint8_t write_zeroes_may_unmap, unused1[3];
};
_Static_assert(offsetof(struct virtio_blk_config, num_queues) == 34, "virtio 1.2 §5.2.4");
_Static_assert(offsetof(struct virtio_blk_config, write_zeroes_may_unmap) == 56, "virtio 1.2 §5.2.4");

/* §5.2.6: every request is a header, data, and a status byte. */
#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK           0
#define VIRTIO_BLK_S_IOERR        1
#define VIRTIO_BLK_S_UNSUPP       2
#define MAX_SEGS                  256

struct virtio_blk_outhdr {
	uint32_t type, reserved;
	uint64_t sector;
};
_Static_assert(sizeof(struct virtio_blk_outhdr) == 16, "virtio 1.2 §5.2.6");

struct virtio_blk_discard_write_zeroes {
	uint64_t sector;
	uint32_t num_sectors, flags;
};
_Static_assert(sizeof(struct virtio_blk_discard_write_zeroes) == 16, "virtio 1.2 §5.2.6");
_Static_assert(BLK_ID_BYTES == 20, "virtio 1.2 §5.2.6: GET_ID writes 20 bytes");

/* The part of each in-flight request the device reads or writes: in
 * coherent memory, one slot per ring entry. */
struct io_shared {
	struct virtio_blk_outhdr hdr;
	struct virtio_blk_discard_write_zeroes range;
	uint8_t status;
	uint8_t pad[15];
};
_Static_assert(sizeof(struct io_shared) == 48, "slot size");

/*
 * One virtio request: a piece of a caller's request. Its chain is built in
 * sg as it goes on the ring, device-readable parts first (§5.2.6):
 *
 *   sg[0] header | sg[1] range (discard, write zeroes) | data ... | status
 *
 * and the data segments are unmapped from there when it comes back.
 */
#define IO_SG_INLINE 8 /* header, range, five data segments (20 KiB of pages), status */

struct io {
	struct blk_req *req;
	struct vq_sg *sg; /* inline_sg, until a request needs more: then max_segs + 3 entries */
	unsigned sg_cap;
	int nout, nin;   /* the chain as posted */
	int data, ndata; /* where the data segments are in sg, and how many */
	enum dma_dir dir;
	bool in_place;       /* the data is in the device's pool: nothing to unmap */
	uint32_t bytes;      /* data bytes in the chain */
	uint32_t fault_mark; /* kernel/dma_fault.c: did the device fault meanwhile? */
	uint64_t deadline;   /* poll_now_ns() by which the device must have completed it */
	bool timed_out;
	struct vq_sg inline_sg[IO_SG_INLINE];
};

struct blk_queue {
	struct io_shared *shared;
	dma_addr_t shared_handle;
	struct io *ios;
	struct io **free;
	unsigned nfree, nslots;
	struct blk_req *wait_head, **wait_tail; /* accepted, not yet all on the ring */
};

struct vblk {
	struct blkdev bd; /* what the block layer and everyone above it hold */
	struct virtio_dev *vd;
	unsigned max_segs;  /* data segments per virtio request */
	uint32_t seg_bytes; /* bytes per segment at most */
	struct blk_queue q[VIRTIO_MAX_QUEUES];
	uint64_t timeouts;   /* requests the device never completed */
	uint64_t short_used; /* completions whose used length did not cover data and status */
	uint64_t bad_status; /* completions whose status byte is none the spec defines (or unwritten) */
};

#define CFG(field, width) virtio_config_read(vd, offsetof(struct virtio_blk_config, field), width)

static const char *blk_feature_name(unsigned bit)
{
	static const char *const names[24] = {
		[VIRTIO_BLK_F_SIZE_MAX] = "SIZE_MAX",
		[VIRTIO_BLK_F_SEG_MAX] = "SEG_MAX",
		[VIRTIO_BLK_F_GEOMETRY] = "GEOMETRY",
		[VIRTIO_BLK_F_RO] = "RO",
		[VIRTIO_BLK_F_BLK_SIZE] = "BLK_SIZE",
		[VIRTIO_BLK_F_FLUSH] = "FLUSH",
		[VIRTIO_BLK_F_TOPOLOGY] = "TOPOLOGY",
		[VIRTIO_BLK_F_CONFIG_WCE] = "CONFIG_WCE",
		[VIRTIO_BLK_F_MQ] = "MQ",
		[VIRTIO_BLK_F_DISCARD] = "DISCARD",
		[VIRTIO_BLK_F_WRITE_ZEROES] = "WRITE_ZEROES",
	};
	return bit < 24 ? names[bit] : NULL;
}

/* Capacity and the limits, from config space; every value is checked. */
static int read_config(struct virtio_dev *vd, struct vblk *b)
{
	struct blk_info info = b->bd.info, *in = &info; /* kept only if every read settled */
	in->capacity = CFG(capacity, 8);
	if (in->capacity > (UINT64_MAX >> 9)) { /* bytes must fit in 64 bits */
		log_err("virtio %s: capacity %llu sectors overflows\n", vd->name,
			(unsigned long long)in->capacity);
		return -EINVAL;
	}
	in->block_size = 512;
	if (virtio_has(vd, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = (uint32_t)CFG(blk_size, 4);
		if (bs < 512 || bs > 65536 || (bs & (bs - 1))) {
			log_err("virtio %s: block size %u is not a power of two in 512..65536\n", vd->name,
				bs);
			return -EINVAL;
		}
		in->block_size = bs;
	}
	in->size_max = virtio_has(vd, VIRTIO_BLK_F_SIZE_MAX) ? (uint32_t)CFG(size_max, 4) : 0;
	in->seg_max = virtio_has(vd, VIRTIO_BLK_F_SEG_MAX) ? (uint32_t)CFG(seg_max, 4) : 0;
	in->ro = virtio_has(vd, VIRTIO_BLK_F_RO);
	in->flush = virtio_has(vd, VIRTIO_BLK_F_FLUSH);
	in->discard = virtio_has(vd, VIRTIO_BLK_F_DISCARD);
	in->write_zeroes = virtio_has(vd, VIRTIO_BLK_F_WRITE_ZEROES);
	in->wce = virtio_has(vd, VIRTIO_BLK_F_CONFIG_WCE) && CFG(writeback, 1);
	if (virtio_config_error(vd))
		return virtio_config_error(vd); /* after a reset: the disk callers hold keeps what it had */
	b->bd.info = info;
	return 0;
}

static void queue_free(struct virtio_dev *vd, struct blk_queue *q)
{
	if (q->shared)
		dma_free(vd->dma, q->shared, q->nslots * sizeof *q->shared, q->shared_handle);
	if (q->ios)
		for (unsigned i = 0; i < q->nslots; i++)
			if (q->ios[i].sg != q->ios[i].inline_sg)
				free(q->ios[i].sg);
	free(q->ios);
	free(q->free);
	memset(q, 0, sizeof *q);
}

static int queue_alloc(struct virtio_dev *vd, struct vblk *b, struct blk_queue *q, unsigned slots)
{
	q->nslots = slots;
	q->shared = dma_alloc(vd->dma, slots * sizeof *q->shared, &q->shared_handle);
	q->ios = calloc(slots, sizeof *q->ios);
	q->free = calloc(slots, sizeof *q->free);
	if (!q->shared || !q->ios || !q->free)
		return -ENOMEM;
	/* Each slot's segment list starts inline: max_segs + 3 entries for every
	 * slot of a ring of 256 would be 2 MiB (QEMU's SEG_MAX is 254), zeroed at
	 * boot, for requests of a page or two. */
	for (unsigned i = 0; i < slots; i++) {
		q->ios[i].sg = q->ios[i].inline_sg;
		q->ios[i].sg_cap = IO_SG_INLINE;
		q->free[q->nfree++] = &q->ios[i];
	}
	q->wait_tail = &q->wait_head;
	return 0;
}

static const struct blkdev_ops vblk_ops;

static int blk_probe(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;
	int r;
	if (b) { /* after a device reset: start from nothing again, under the same blkdev */
		for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
			queue_free(vd, &b->q[i]);
	} else if (!(b = vd->priv = calloc(1, sizeof *b))) {
		return -ENOMEM;
	}
	b->vd = vd;
	if ((r = read_config(vd, b)))
		goto fail;
	unsigned nq = 1;
	if (virtio_has(vd, VIRTIO_BLK_F_MQ)) {
		nq = (unsigned)CFG(num_queues, 2);
		if (nq == 0)
			nq = 1;
		if (nq > VIRTIO_MAX_QUEUES)
			nq = VIRTIO_MAX_QUEUES;
	}
	if ((r = virtio_setup_queues(vd, nq, 0)))
		goto fail;
	b->bd.info.queues = vd->nqueues;
	/* Data segments per request: what the device accepts (SEG_MAX), and
	 * without indirect descriptors what fits in the ring beside header and
	 * status. Each segment is at most a page, and SIZE_MAX when given. */
	unsigned ring = vq_size(vd->q[0].vq);
	unsigned segs = b->bd.info.seg_max ? b->bd.info.seg_max : MAX_SEGS;
	if (segs > MAX_SEGS)
		segs = MAX_SEGS; /* 1 MiB of pages per request is plenty */
	if (!virtio_has(vd, VIRTIO_F_INDIRECT_DESC) && segs > ring - 2)
		segs = ring - 2;
	if (segs == 0 || ring < 3) {
		log_err("virtio %s: queue of %u entries holds no request\n", vd->name, ring);
		r = -EINVAL;
		goto fail;
	}
	b->max_segs = segs;
	b->seg_bytes = PAGE_SIZE;
	if (b->bd.info.size_max && b->bd.info.size_max < b->seg_bytes) {
		if (b->bd.info.size_max < 512) {
			log_err("virtio %s: SIZE_MAX %u is below one sector\n", vd->name,
				b->bd.info.size_max);
			r = -EINVAL;
			goto fail;
		}
		b->seg_bytes = b->bd.info.size_max & ~511u;
	}
	for (unsigned i = 0; i < vd->nqueues; i++)
		if ((r = queue_alloc(vd, b, &b->q[i], vq_size(vd->q[i].vq))))
			goto fail;
	log_info("virtio %s: %llu sectors, block %u bytes, %u queue(s) of %u, %u segments of %u bytes per "
		 "request%s\n",
		 vd->name, (unsigned long long)b->bd.info.capacity, b->bd.info.block_size, vd->nqueues, ring,
		 b->max_segs, b->seg_bytes, b->bd.info.ro ? ", read-only" : "");
	/* config that never settled fails the probe, and the core gives vd up: no blkdev
	 * may be left pointing at it */
	if ((r = virtio_config_error(vd)))
		goto fail;
	ksnprintf(b->bd.name, sizeof b->bd.name, "%s", vd->name);
	b->bd.ops = &vblk_ops;
	b->bd.dma = vd->dma;
	blkdev_register(&b->bd); /* once: a reset keeps it, and what callers hold */
	return 0;
fail: /* the core destroys the queues; what the driver made goes here */
	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
		queue_free(vd, &b->q[i]);
	if (b->bd.registered)
		return r; /* callers hold the blkdev: it stays, and fails their requests */
	free(b);
	vd->priv = NULL;
	return r;
}

/* -- requests ----------------------------------------------------------------- */

static uint32_t type_of(enum blk_op op)
{
	static const uint32_t t[] = { VIRTIO_BLK_T_IN,      VIRTIO_BLK_T_OUT,          VIRTIO_BLK_T_FLUSH,
				      VIRTIO_BLK_T_DISCARD, VIRTIO_BLK_T_WRITE_ZEROES, VIRTIO_BLK_T_GET_ID };
	return t[op];
}

static int status_to_errno(struct virtio_dev *vd, struct vblk *b, uint8_t s)
{
	switch (s) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_IOERR:
		return -EIO;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	default:
		b->bad_status++;
		log_err("virtio %s: request status %u is not one the spec defines\n", vd->name, s);
		return -EIO;
	}
}

static void unmap_data(struct virtio_dev *vd, struct io *io)
{
	for (int i = io->data; !io->in_place && i < io->data + io->ndata; i++)
		dma_unmap(vd->dma, io->sg[i].addr, io->sg[i].len, io->dir);
	io->ndata = 0;
}

/* Map the next data segments of r for one piece, into io->sg from io->data
 * on: page-sized, as scattered pages would come, at most max_segs, and
 * ending on a logical block. A buffer from the device's pool maps at no
 * cost (kernel/dma_pool.c): looked up once for the whole piece, each
 * segment's handle is then its offset. Returns the bytes mapped. */
static uint32_t map_data(struct virtio_dev *vd, struct vblk *b, struct blk_req *r, struct io *io)
{
	uint64_t off = (uint64_t)r->dispatched * 512, left = (uint64_t)r->count * 512 - off;
	uint32_t bytes = 0;
	if (left > (uint64_t)(io->sg_cap - io->data - 1) * b->seg_bytes - 1 && io->sg == io->inline_sg) {
		/* more than fits inline may be needed: the slot's full list, kept from now on (no
		 * memory: the request goes in more pieces) */
		struct vq_sg *big = malloc((b->max_segs + 3) * sizeof *big);
		if (big) {
			memcpy(big, io->sg, (size_t)io->data * sizeof *big);
			io->sg = big;
			io->sg_cap = b->max_segs + 3;
		}
	}
	int max = (int)(io->sg_cap - io->data - 1) < (int)b->max_segs ? (int)(io->sg_cap - io->data - 1)
								      : (int)b->max_segs;
	dma_addr_t base = 0;
	io->in_place = dma_in_place(vd->dma, (uint8_t *)r->buf + off, left, &base);
	while (left && io->ndata < max) {
		uint8_t *p = (uint8_t *)r->buf + off;
		/* a page (a power of two) unless SIZE_MAX says less: no division then, which
		 * under TCG is a call out of the translated code */
		uint64_t in = b->seg_bytes & (b->seg_bytes - 1) ? (uintptr_t)p % b->seg_bytes
								: (uintptr_t)p & (b->seg_bytes - 1);
		uint64_t room = b->seg_bytes - in;
		uint64_t n = left < room ? left : room;
		if (io->ndata == max - 1 && n < left) {
			/* the device takes whole logical blocks only (§5.2.6.1) */
			uint32_t over = (uint32_t)((bytes + n) % b->bd.info.block_size);
			n = n > over ? n - over : n + b->bd.info.block_size - over;
		}
		dma_addr_t h = io->in_place ? base + bytes : dma_map(vd->dma, p, n, io->dir);
		if (h == DMA_MAPPING_ERROR)
			break;
		io->sg[io->data + io->ndata++] = (struct vq_sg){ h, (uint32_t)n };
		bytes += (uint32_t)n;
		off += n;
		left -= n;
	}
	if (bytes &
	    (b->bd.info.block_size - 1)) { /* ran out mid-block (a power of two): give the piece back */
		unmap_data(vd, io);
		return 0;
	}
	if (io->in_place)
		dma_in_place_lent(vd->dma, (unsigned)io->ndata);
	io->bytes = bytes;
	return bytes;
}

/* Put the next piece of r on the ring: header, [range], data, status.
 * 0, -ENOSPC when full, or why the piece cannot go. */
static int add_piece(struct virtio_dev *vd, struct vblk *b, unsigned qi, struct blk_req *r)
{
	struct blk_queue *q = &b->q[qi];
	if (!q->nfree)
		return -ENOSPC;
	struct io *io = q->free[q->nfree - 1];
	unsigned slot = (unsigned)(io - q->ios);
	struct io_shared *sh = &q->shared[slot];
	dma_addr_t sh_h = q->shared_handle + slot * sizeof *sh;
	uint32_t bytes = 0;

	sh->hdr = (struct virtio_blk_outhdr){ type_of(r->op), 0, 0 };
	sh->status = 0xff; /* no status the device may leave: shows whether it wrote one */
	io->sg[0] = (struct vq_sg){ sh_h + offsetof(struct io_shared, hdr), sizeof sh->hdr };
	io->data = 1;
	io->ndata = 0;
	io->dir = r->op == BLK_READ || r->op == BLK_GET_ID ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	switch (r->op) {
	case BLK_READ:
	case BLK_WRITE:
		sh->hdr.sector = r->sector + r->dispatched;
		if (!(bytes = map_data(vd, b, r, io)))
			return -ENOMEM;
		break;
	case BLK_DISCARD:
	case BLK_WRITE_ZEROES:
		sh->range = (struct virtio_blk_discard_write_zeroes){ r->sector, r->count, 0 };
		io->sg[io->data++] =
			(struct vq_sg){ sh_h + offsetof(struct io_shared, range), sizeof sh->range };
		break;
	case BLK_GET_ID:
		io->in_place = false;
		io->sg[1] = (struct vq_sg){ dma_map(vd->dma, r->buf, BLK_ID_BYTES, io->dir), BLK_ID_BYTES };
		if (io->sg[1].addr == DMA_MAPPING_ERROR)
			return -ENOMEM;
		io->ndata = 1;
		io->bytes = BLK_ID_BYTES;
		break;
	case BLK_FLUSH:
		break;
	}
	int last = io->data + io->ndata;
	io->sg[last] = (struct vq_sg){ sh_h + offsetof(struct io_shared, status), 1 };
	io->nout = io->dir == DMA_TO_DEVICE ? last : io->data;
	io->nin = last + 1 - io->nout;
	io->fault_mark = dma_fault_mark(vd->dma);
	io->deadline = poll_now_ns() + (uint64_t)kconfig.blk_timeout_ms * 1000000;
	io->timed_out = false;
	int rc = vq_add(vd->q[qi].vq, io->sg, io->nout, io->sg + io->nout, io->nin, io);
	if (rc) {
		unmap_data(vd, io);
		return rc;
	}
	q->nfree--;
	io->req = r;
	r->pieces++;
	r->dispatched = r->op == BLK_READ || r->op == BLK_WRITE ? r->dispatched + bytes / 512 : r->count;
	return 0;
}

/* Still on the wait list: pieces of it have not gone to the ring yet. */
static bool waiting(const struct blk_req *r)
{
	return (r->op == BLK_READ || r->op == BLK_WRITE) && r->dispatched < r->count;
}

/* Move waiting requests onto the ring while there is room; one kick at the end.
 * A request none of which can go on the ring fails: through done when this
 * runs in the poller (a completion), and through the return value when it
 * is `mine`, the request blk_submit is queueing: done never runs inside
 * blk_submit (block/blkdev.h), whose callers count their requests in flight
 * once it returns. */
static int dispatch(struct virtio_dev *vd, struct vblk *b, unsigned qi, struct blk_req *mine)
{
	struct blk_queue *q = &b->q[qi];
	bool added = false;
	int refused = 0;
	while (q->wait_head) {
		struct blk_req *r = q->wait_head;
		int rc = add_piece(vd, b, qi, r);
		if (rc == -ENOSPC)
			break;
		if (rc) { /* this piece cannot go: fail what remains of the request */
			r->error = r->error ? r->error : rc;
			r->dispatched = r->count;
		} else {
			added = true;
		}
		if (waiting(r))
			continue;
		q->wait_head = r->next;
		if (!q->wait_head)
			q->wait_tail = &q->wait_head;
		if (r->pieces == 0 && r == mine) /* nothing reached the ring */
			refused = r->error;
		else if (r->pieces == 0)
			r->done(r, r->error);
	}
	if (added)
		vq_kick(vd->q[qi].vq);
	return refused;
}

/* A request comes back: from the used ring with the length the device
 * wrote, or failed by a reset (reset: nothing the device wrote counts). */
static void complete(struct virtio_dev *vd, struct vblk *b, unsigned qi, struct io *io, uint32_t len,
		     bool reset)
{
	struct blk_queue *q = &b->q[qi];
	struct blk_req *r = io->req;
	const struct io_shared *sh = &q->shared[io - q->ios];
	uint8_t status = sh->status; /* one read: the device may still write it */
	/* §5.2.6: a read's data, then the status byte, are what the device
	 * writes; a shorter used length means some of it never came */
	uint32_t need = 1 + (io->dir == DMA_FROM_DEVICE && io->ndata ? io->bytes : 0);
	unmap_data(vd, io);
	int err = reset ? -EIO : status_to_errno(vd, b, status);
	if (!reset && len < need) {
		b->short_used++;
		log_err("virtio %s: request at sector %llu: the device wrote %u bytes, not the %u it must\n",
			vd->name, (unsigned long long)sh->hdr.sector, len, need);
		err = -EIO;
	}
	if (io->timed_out)
		err = -ETIMEDOUT; /* failed by the reset it caused, whatever else happened */
	else if (dma_faulted_since(vd->dma, io->fault_mark)) {
		/* whatever status the device gave: the data may not all have got through */
		log_err("virtio %s: request at sector %llu failed: its device faulted on a request's "
			"buffer while it was in flight\n",
			vd->name, (unsigned long long)sh->hdr.sector);
		err = -EIO;
	}
	if (err && !r->error)
		r->error = err;
	io->req = NULL;
	q->free[q->nfree++] = io;
	if (--r->pieces == 0 && !waiting(r))
		r->done(r, r->error);
}

static int blk_poll(struct virtio_dev *vd, unsigned qi, int budget)
{
	struct vblk *b = vd->priv;
	struct io *io;
	uint32_t len;
	int n = 0;
	while (n < budget && (io = vq_get(vd->q[qi].vq, &len))) {
		complete(vd, b, qi, io, len, false);
		n++;
	}
	/* a ring the device broke: the core resets the device, and only then,
	 * when it can write nothing more, are its requests failed (blk_reset_fail) */
	dispatch(vd, b, qi, NULL);
	return n;
}

static void blk_reset_fail(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;
	struct io *io;
	for (unsigned qi = 0; qi < vd->nqueues; qi++) {
		while ((io = vq_detach_unused(vd->q[qi].vq)))
			complete(vd, b, qi, io, 0, true);
		struct blk_req *r;
		while ((r = b->q[qi].wait_head)) {
			b->q[qi].wait_head = r->next;
			r->done(r, -EIO);
		}
		b->q[qi].wait_tail = &b->q[qi].wait_head;
	}
}

/* A request the device never completes fails with ETIMEDOUT after
 * blk_timeout_ms: the device is reset, which fails everything else in
 * flight (EIO) and starts it afresh. */
static void blk_tick(struct virtio_dev *vd, uint64_t now)
{
	struct vblk *b = vd->priv;
	struct io *late = NULL;
	for (unsigned qi = 0; qi < vd->nqueues; qi++)
		for (unsigned i = 0; i < b->q[qi].nslots; i++) {
			struct io *io = &b->q[qi].ios[i];
			if (io->req && !io->timed_out && now >= io->deadline) {
				io->timed_out = true;
				if (!late)
					late = io;
			}
		}
	if (!late)
		return;
	const struct blk_queue *q = &b->q[0];
	for (unsigned qi = 0; qi < vd->nqueues; qi++)
		if (late >= b->q[qi].ios && late < b->q[qi].ios + b->q[qi].nslots)
			q = &b->q[qi];
	log_err("virtio %s: request at sector %llu not completed in %u ms\n", vd->name,
		(unsigned long long)q->shared[late - q->ios].hdr.sector, kconfig.blk_timeout_ms);
	b->timeouts++;
	virtio_request_reset(vd, "a request timed out");
}

static void blk_config_changed(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;
	uint64_t cap = CFG(capacity, 8);
	bool wce = virtio_has(vd, VIRTIO_BLK_F_CONFIG_WCE) ? CFG(writeback, 1) : b->bd.info.wce;
	if (virtio_config_error(vd))
		return; /* a read that never settled: none of it holds (the core resets the device) */
	if (cap != b->bd.info.capacity && cap <= (UINT64_MAX >> 9)) {
		log_info("virtio %s: capacity now %llu sectors (was %llu)\n", vd->name,
			 (unsigned long long)cap, (unsigned long long)b->bd.info.capacity);
		b->bd.info.capacity = cap;
	}
	b->bd.info.wce = wce;
}

/* The block layer has checked r against bd->info. */
static int vblk_submit(struct blkdev *bd, struct blk_req *r)
{
	struct vblk *b = (struct vblk *)bd; /* bd is the first member */
	struct virtio_dev *vd = b->vd;
	if (vd->broken || !vd->nqueues)
		return -EIO; /* a reset that did not bring it back */
	unsigned qi = r->queue < vd->nqueues ? r->queue : r->queue % vd->nqueues;
	struct blk_queue *q = &b->q[qi];
	int acct = acct_open(&vq_stats(vd->q[qi].vq)->submit_tsc);
	/* Requests wait only when the ring was full; the poller moves them on
	 * as room comes. Behind them this one waits too, and so dispatch never
	 * handles another caller's request (nor runs its done) from here. */
	bool behind = q->wait_head != NULL;
	r->dispatched = 0;
	r->pieces = 0;
	r->error = 0;
	r->next = NULL;
	*q->wait_tail = r;
	q->wait_tail = &r->next;
	int rc = behind ? 0 : dispatch(vd, b, qi, r);
	acct_close(acct);
	return rc;
}

static const struct blkdev_ops vblk_ops = { .submit = vblk_submit };

/* -- the floor benchmark (drivers/inspect.h) -------------------------------- */

static bool floor_used(void *arg) { return vq_has_used(arg) || vq_broken(arg); }

/* Sleep until the device uses a chain (irq, hybrid), or look again (poll). */
static void floor_wait(struct virtio_dev *vd, struct virtqueue *vq)
{
	if (vd->mode == IO_MODE_POLL)
		cpu_relax();
	else if (vq_enable_cb(vq))
		cpu_idle(floor_used, vq);
}

int virtio_blk_floor(struct virtio_dev *vd, struct blk_floor *f)
{
	struct vblk *b = vd->priv;
	if (vd->broken || !vd->nqueues)
		return -EIO;
	struct virtqueue *vq = vd->q[f->queue % vd->nqueues].vq;
	if (vq_num_free(vq) != vq_size(vq))
		return -EBUSY; /* the driver's own requests are in flight there */
	if (vd->features & BIT(VIRTIO_F_RING_PACKED))
		return -EOPNOTSUPP;
	enum dma_dir dir = f->write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	dma_addr_t sh_h, *data = calloc(f->qd, sizeof *data);
	struct io_shared *sh = dma_alloc(vd->dma, f->qd * sizeof *sh, &sh_h);
	unsigned posted = 0, mapped = 0;
	int r = sh && data ? 0 : -ENOMEM;
	for (unsigned i = 0; !r && i < f->qd; i++) {
		data[i] = dma_map(vd->dma, f->bufs[i], f->bytes, dir);
		if (data[i] == DMA_MAPPING_ERROR) {
			r = -ENOMEM;
			break;
		}
		mapped++;
		sh[i].hdr =
			(struct virtio_blk_outhdr){ f->write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, 0,
						    (uint64_t)i * (f->bytes / 512) % b->bd.info.capacity };
		dma_addr_t hh = sh_h + i * sizeof *sh;
		struct vq_sg hdr = { hh, sizeof sh[i].hdr }, buf = { data[i], f->bytes },
			     st = { hh + offsetof(struct io_shared, status), 1 };
		struct vq_sg out[2] = { hdr, buf }, in[2] = { buf, st };
		r = f->write ? vq_add(vq, out, 2, &st, 1, &sh[i]) : vq_add(vq, &hdr, 1, in, 2, &sh[i]);
		posted += r == 0;
	}
	uint64_t t0 = now_ns(), n = 0;
	vq_kick(vq);
	while (!r && now_ns() - t0 < f->ns) {
		int acct = acct_open(&vq_stats(vq)->complete_tsc);
		int k = vq_republish_used(vq);
		acct_close(acct);
		if (k < 0 || vq_broken(vq))
			r = k < 0 ? k : -EIO;
		n += k > 0 ? (unsigned)k : 0;
		if (k == 0)
			floor_wait(vd, vq);
	}
	for (unsigned back = 0; back < posted && !vq_broken(vq);) { /* the last ones, through vq_get */
		if (vq_get(vq, NULL)) {
			back++, n++;
			continue;
		}
		floor_wait(vd, vq);
	}
	f->elapsed_ns = now_ns() - t0;
	f->completions = n;
	if (vq_broken(vq)) { /* the core resets the device; the chains go with its queues */
		virtio_request_reset(vd, "it broke the rules of a ring");
		r = -EIO;
	} else if (sh) {
		dma_free(vd->dma, sh, f->qd * sizeof *sh, sh_h);
	}
	for (unsigned i = 0; i < mapped; i++)
		dma_unmap(vd->dma, data[i], f->bytes, dir);
	free(data);
	return r;
}

const struct virtio_driver virtio_blk_driver = {
	.prefix = "blk",
	.device_id = VIRTIO_ID_BLK,
	.features = BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) | BIT(VIRTIO_BLK_F_RO) |
		    BIT(VIRTIO_BLK_F_BLK_SIZE) | BIT(VIRTIO_BLK_F_FLUSH) | BIT(VIRTIO_BLK_F_TOPOLOGY) |
		    BIT(VIRTIO_BLK_F_CONFIG_WCE) | BIT(VIRTIO_BLK_F_MQ) | BIT(VIRTIO_BLK_F_DISCARD) |
		    BIT(VIRTIO_BLK_F_WRITE_ZEROES),
	.probe = blk_probe,
	.poll = blk_poll,
	.config_changed = blk_config_changed,
	.reset_fail = blk_reset_fail,
	.tick = blk_tick,
	.feature_name = blk_feature_name,
};
