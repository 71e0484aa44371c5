/* virtio_blk.c - virtio-blk (virtio 1.2 §5.2): requests split to the device's limits, many in flight. */
#include "drivers/virtio/virtio_blk.h"
#include "drivers/virtio/virtio.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/power.h"
#include <errno.h>
#include <malloc.h>
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
#define VIRTIO_BLK_ID_BYTES       20
#define MAX_SEGS                  256
/* The buffer pool of blk_buf_alloc: 8 MiB per device, in pages. */
#define POOL_PAGES                2048u

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

/* The part of each in-flight request the device reads or writes: in
 * coherent memory, one slot per ring entry. */
struct io_shared {
	struct virtio_blk_outhdr hdr;
	struct virtio_blk_discard_write_zeroes range;
	uint8_t status;
	uint8_t pad[15];
};
_Static_assert(sizeof(struct io_shared) == 48, "slot size");

/* One virtio request: a piece of a caller's request. */
struct io {
	struct blk_req *req;
	int nseg;
	struct vq_sg *sg; /* the data segments, to unmap */
	enum dma_dir dir;
	/* IO_FAULTED: the IOMMU refused the device one of its pages;
	 * IO_SUSPECT: in flight when the device faulted (blk_dma_fault) */
	enum { IO_OK, IO_FAULTED, IO_SUSPECT } faulted;
	bool pooled; /* the data is in the buffer pool: mapped already */
};

struct blk_queue {
	struct io_shared *shared;
	dma_addr_t shared_handle;
	struct io *ios;
	struct io **free;
	unsigned nfree, nslots;
	struct blk_req *wait_head, **wait_tail; /* accepted, not yet all on the ring */
};

struct blk {
	struct blk_info info;
	unsigned max_segs;  /* data segments per virtio request */
	uint32_t seg_bytes; /* bytes per segment at most */
	struct blk_queue q[VIRTIO_MAX_QUEUES];
	bool id_known;
	struct vq_sg sg[MAX_SEGS + 3]; /* a chain being built; one at a time */
	/* blk_buf_alloc's pool: mapped for the device once, on first use */
	uint8_t *pool;
	dma_addr_t pool_h;
	uint64_t pool_used[POOL_PAGES / 64];
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
static int read_config(struct virtio_dev *vd, struct blk *b)
{
	struct blk_info *in = &b->info;
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
	return 0;
}

static void queue_free(struct virtio_dev *vd, struct blk_queue *q)
{
	if (q->shared)
		dma_free(vd->dma, q->shared, q->nslots * sizeof *q->shared, q->shared_handle);
	if (q->ios)
		for (unsigned i = 0; i < q->nslots; i++)
			free(q->ios[i].sg);
	free(q->ios);
	free(q->free);
	memset(q, 0, sizeof *q);
}

static int queue_alloc(struct virtio_dev *vd, struct blk *b, struct blk_queue *q, unsigned slots)
{
	q->nslots = slots;
	q->shared = dma_alloc(vd->dma, slots * sizeof *q->shared, &q->shared_handle);
	q->ios = calloc(slots, sizeof *q->ios);
	q->free = calloc(slots, sizeof *q->free);
	if (!q->shared || !q->ios || !q->free)
		return -ENOMEM;
	for (unsigned i = 0; i < slots; i++) {
		if (!(q->ios[i].sg = calloc(b->max_segs, sizeof(struct vq_sg))))
			return -ENOMEM;
		q->free[q->nfree++] = &q->ios[i];
	}
	q->wait_tail = &q->wait_head;
	return 0;
}

static int blk_flush_hook(void *arg) { return blk_io(arg, BLK_FLUSH, 0, 0, NULL); }

static int blk_probe(struct virtio_dev *vd)
{
	struct blk *b = vd->priv;
	int r;
	if (b) { /* after a device reset: start from nothing again */
		for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
			queue_free(vd, &b->q[i]);
	} else if (!(b = vd->priv = calloc(1, sizeof *b))) {
		return -ENOMEM;
	}
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
	b->info.queues = vd->nqueues;
	/* Data segments per request: what the device accepts (SEG_MAX), and
	 * without indirect descriptors what fits in the ring beside header and
	 * status. Each segment is at most a page, and SIZE_MAX when given. */
	unsigned ring = vq_size(vd->q[0].vq);
	unsigned segs = b->info.seg_max ? b->info.seg_max : MAX_SEGS;
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
	if (b->info.size_max && b->info.size_max < b->seg_bytes) {
		if (b->info.size_max < 512) {
			log_err("virtio %s: SIZE_MAX %u is below one sector\n", vd->name, b->info.size_max);
			r = -EINVAL;
			goto fail;
		}
		b->seg_bytes = b->info.size_max & ~511u;
	}
	for (unsigned i = 0; i < vd->nqueues; i++)
		if ((r = queue_alloc(vd, b, &b->q[i], vq_size(vd->q[i].vq))))
			goto fail;
	log_info("virtio %s: %llu sectors, block %u bytes, %u queue(s) of %u, %u segments of %u bytes per "
		 "request%s\n",
		 vd->name, (unsigned long long)b->info.capacity, b->info.block_size, vd->nqueues, ring,
		 b->max_segs, b->seg_bytes, b->info.ro ? ", read-only" : "");
	static int flush_registered[64];
	int idx = atoi(vd->name + 3);
	if (b->info.flush && idx < 64 && !flush_registered[idx]) {
		power_register_flush(blk_flush_hook, vd);
		flush_registered[idx] = 1;
	}
	return 0;
fail: /* the core destroys the queues; what the driver made goes here */
	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
		queue_free(vd, &b->q[i]);
	if (b->pool)
		return r; /* callers may hold pool buffers: the pool, and b that knows it, stay */
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

static int status_to_errno(struct virtio_dev *vd, uint8_t s)
{
	switch (s) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_IOERR:
		return -EIO;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	default:
		log_err("virtio %s: request status %u is not one the spec defines\n", vd->name, s);
		return -EIO;
	}
}

/* -- the buffer pool ----------------------------------------------------------- */

/*
 * With an IOMMU every dma_map writes page-table entries (and, with caching
 * mode, invalidates the IOTLB) and every unmap clears them again: per request,
 * that is most of the cost of a small read. Buffers from the pool live in one
 * region mapped for the device once; requests into it skip both. The price:
 * the device can reach every pool page at all times, so iommu=strict, which
 * promises that a handle dies with its request, has no pool.
 */
static bool in_pool(const struct blk *b, const void *p, size_t len)
{
	const uint8_t *c = p;
	return b->pool && c >= b->pool && len <= (size_t)POOL_PAGES * PAGE_SIZE &&
	       (size_t)(c - b->pool) <= (size_t)POOL_PAGES * PAGE_SIZE - len;
}

static void unmap_data(struct virtio_dev *vd, struct io *io)
{
	if (!io->pooled)
		for (int i = 0; i < io->nseg; i++)
			dma_unmap(vd->dma, io->sg[i].addr, io->sg[i].len, io->dir);
	io->nseg = 0;
}

static bool pool_bit(const struct blk *b, unsigned i) { return b->pool_used[i / 64] >> (i % 64) & 1; }
static void pool_set(struct blk *b, unsigned i, unsigned n, bool on)
{
	for (unsigned k = i; k < i + n; k++)
		b->pool_used[k / 64] = on ? b->pool_used[k / 64] | 1ull << (k % 64)
					  : b->pool_used[k / 64] & ~(1ull << (k % 64));
}

void *blk_buf_alloc(struct virtio_dev *vd, size_t bytes)
{
	struct blk *b = blk_is_blk(vd) ? vd->priv : NULL;
	if (bytes == 0 || bytes > (size_t)POOL_PAGES * PAGE_SIZE)
		b = NULL; /* nothing, or more than the whole pool */
	unsigned n = b ? (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE) : 0;
	if (dma_strict() && dma_translated(vd->dma))
		b = NULL; /* strict: every handle dies when its request completes, so no pool */
	if (b && !b->pool && bytes && n <= POOL_PAGES) {
		b->pool = dma_alloc(vd->dma, (size_t)POOL_PAGES * PAGE_SIZE, &b->pool_h);
		if (b->pool)
			log_info("virtio %s: buffer pool of %u KiB at handle 0x%llx\n", vd->name,
				 POOL_PAGES * (unsigned)PAGE_SIZE / 1024, (unsigned long long)b->pool_h);
	}
	if (b && b->pool && bytes && n <= POOL_PAGES) {
		for (unsigned i = 0, run = 0; i < POOL_PAGES; i++) { /* first fit */
			run = pool_bit(b, i) ? 0 : run + 1;
			if (run == n) {
				pool_set(b, i + 1 - n, n, true);
				return b->pool + (size_t)(i + 1 - n) * PAGE_SIZE;
			}
		}
	}
	return bytes ? memalign(PAGE_SIZE, bytes) : NULL; /* no pool, or full: mapped per request */
}

bool blk_buf_pooled(struct virtio_dev *vd, const void *p)
{
	return p && blk_is_blk(vd) && vd->priv && in_pool(vd->priv, p, 1);
}

void blk_buf_free(struct virtio_dev *vd, void *p, size_t bytes)
{
	if (!blk_buf_pooled(vd, p)) {
		free(p);
		return;
	}
	struct blk *b = vd->priv;
	size_t off = (size_t)((uint8_t *)p - b->pool);
	if (off % PAGE_SIZE || bytes == 0 || bytes > (size_t)POOL_PAGES * PAGE_SIZE - off) {
		log_err("virtio %s: blk_buf_free of %p+%zu that blk_buf_alloc did not give\n", vd->name, p,
			bytes);
		return;
	}
	pool_set(b, (unsigned)(off / PAGE_SIZE), (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE), false);
}

/* Map the next data segments of r for one piece: page-sized, as scattered
 * pages would come, at most max_segs, and ending on a logical block. */
static uint32_t map_data(struct virtio_dev *vd, struct blk *b, struct blk_req *r, struct io *io)
{
	uint64_t off = (uint64_t)r->dispatched * 512, left = (uint64_t)r->count * 512 - off;
	uint32_t bytes = 0;
	io->nseg = 0;
	io->pooled = in_pool(b, r->buf, (size_t)r->count * 512);
	while (left && io->nseg < (int)b->max_segs) {
		uint8_t *p = (uint8_t *)r->buf + off;
		uint64_t room = b->seg_bytes - ((uintptr_t)p % b->seg_bytes);
		uint64_t n = left < room ? left : room;
		if (io->nseg == (int)b->max_segs - 1 && n < left) {
			/* the device takes whole logical blocks only (§5.2.6.1) */
			uint32_t over = (uint32_t)((bytes + n) % b->info.block_size);
			n = n > over ? n - over : n + b->info.block_size - over;
		}
		dma_addr_t h =
			io->pooled ? b->pool_h + (dma_addr_t)(p - b->pool) : dma_map(vd->dma, p, n, io->dir);
		if (h == DMA_MAPPING_ERROR)
			break;
		io->sg[io->nseg++] = (struct vq_sg){ h, (uint32_t)n };
		bytes += (uint32_t)n;
		off += n;
		left -= n;
	}
	if (bytes % b->info.block_size) { /* mapping ran out mid-block: give the piece back */
		unmap_data(vd, io);
		return 0;
	}
	return bytes;
}

/* Put the next piece of r on the ring: header, [range], data, status
 * (§5.2.6: device-readable parts first). 0, -ENOSPC when full. */
static int add_piece(struct virtio_dev *vd, struct blk *b, unsigned qi, struct blk_req *r)
{
	struct blk_queue *q = &b->q[qi];
	if (!q->nfree)
		return -ENOSPC;
	struct io *io = q->free[q->nfree - 1];
	unsigned slot = (unsigned)(io - q->ios);
	struct io_shared *sh = &q->shared[slot];
	dma_addr_t sh_h = q->shared_handle + slot * sizeof *sh;
	struct vq_sg *sg = b->sg; /* header, range, data, status */
	int nout = 0, nin = 0;
	uint32_t bytes = 0;

	sh->hdr = (struct virtio_blk_outhdr){ type_of(r->op), 0, 0 };
	sh->status = 0xff; /* no status the device may leave: shows whether it wrote one */
	sg[nout++] = (struct vq_sg){ sh_h + offsetof(struct io_shared, hdr), sizeof sh->hdr };
	io->nseg = 0;
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
		sg[nout++] = (struct vq_sg){ sh_h + offsetof(struct io_shared, range), sizeof sh->range };
		break;
	case BLK_GET_ID:
		io->pooled = false;
		io->sg[0] = (struct vq_sg){ dma_map(vd->dma, r->buf, VIRTIO_BLK_ID_BYTES, io->dir),
					    VIRTIO_BLK_ID_BYTES };
		if (io->sg[0].addr == DMA_MAPPING_ERROR)
			return -ENOMEM;
		io->nseg = 1;
		break;
	case BLK_FLUSH:
		break;
	}
	if (io->dir == DMA_TO_DEVICE) {
		memcpy(sg + nout, io->sg, io->nseg * sizeof *sg);
		nout += io->nseg;
	} else {
		memcpy(sg + nout, io->sg, io->nseg * sizeof *sg);
		nin += io->nseg;
	}
	sg[nout + nin++] = (struct vq_sg){ sh_h + offsetof(struct io_shared, status), 1 };
	int rc = vq_add(vd->q[qi].vq, sg, nout, sg + nout, nin, io);
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

/* Move waiting requests onto the ring while there is room; one kick at the end. */
static void dispatch(struct virtio_dev *vd, struct blk *b, unsigned qi)
{
	struct blk_queue *q = &b->q[qi];
	bool added = false;
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
		bool all = (r->op != BLK_READ && r->op != BLK_WRITE) || r->dispatched == r->count;
		if (!all)
			continue;
		q->wait_head = r->next;
		if (!q->wait_head)
			q->wait_tail = &q->wait_head;
		if (r->pieces == 0) /* nothing reached the ring */
			r->done(r, r->error);
	}
	if (added)
		vq_kick(vd->q[qi].vq);
}

static void complete(struct virtio_dev *vd, struct blk *b, unsigned qi, struct io *io, uint32_t len)
{
	struct blk_queue *q = &b->q[qi];
	struct blk_req *r = io->req;
	uint8_t status = q->shared[io - q->ios].status;
	unmap_data(vd, io);
	int err = len < 1 ? -EIO : status_to_errno(vd, status);
	if (io->faulted) {
		/* whatever status the device gave: the data may not all have got through */
		log_err("virtio %s: request at sector %llu failed: %s\n", vd->name,
			(unsigned long long)q->shared[io - q->ios].hdr.sector,
			io->faulted == IO_FAULTED ? "the IOMMU blocked its DMA"
						  : "in flight when its device faulted");
		err = -EIO;
		io->faulted = IO_OK;
	}
	if (err && !r->error)
		r->error = err;
	io->req = NULL;
	q->free[q->nfree++] = io;
	r->pieces--;
	bool queued = false;
	for (struct blk_req *w = q->wait_head; w; w = w->next)
		queued |= w == r;
	if (!r->pieces && !queued)
		r->done(r, r->error);
}

static int blk_poll(struct virtio_dev *vd, unsigned qi, int budget)
{
	struct blk *b = vd->priv;
	struct io *io;
	uint32_t len;
	int n = 0;
	while (n < budget && (io = vq_get(vd->q[qi].vq, &len))) {
		complete(vd, b, qi, io, len);
		n++;
	}
	if (vq_broken(vd->q[qi].vq)) { /* the ring was broken by the device: fail all it held */
		while ((io = vq_detach_unused(vd->q[qi].vq)))
			complete(vd, b, qi, io, 0);
	}
	dispatch(vd, b, qi);
	return n;
}

/* The request in flight whose data segments cover page, or NULL. */
static struct io *io_at(struct virtio_dev *vd, struct blk *b, dma_addr_t page)
{
	for (unsigned qi = 0; qi < vd->nqueues; qi++) {
		struct blk_queue *q = &b->q[qi];
		for (unsigned i = 0; i < q->nslots; i++) {
			struct io *io = &q->ios[i];
			for (int k = 0; io->req && k < io->nseg; k++) {
				dma_addr_t first = io->sg[k].addr & ~(dma_addr_t)(PAGE_SIZE - 1);
				if (page >= first && page < io->sg[k].addr + io->sg[k].len)
					return io;
			}
		}
	}
	return NULL;
}

/*
 * An IOMMU fault at page: the request whose data segments cover it fails
 * when it completes (blk_poll). So does every other request in flight: a
 * unit keeps one record per source while it is pending and drops further
 * faults from that source (VT-d §7.3.1 fault compression; QEMU does it), so
 * another request may have faulted unseen. Header and status live in
 * always-mapped slots, so a fault there matches nothing and the core resets
 * the device.
 */
static bool blk_dma_fault(struct virtio_dev *vd, dma_addr_t page, bool write)
{
	struct blk *b = vd->priv;
	(void)write;
	struct io *hit = b ? io_at(vd, b, page) : NULL;
	if (!hit)
		return false;
	for (unsigned qi = 0; qi < vd->nqueues; qi++)
		for (unsigned i = 0; i < b->q[qi].nslots; i++)
			if (b->q[qi].ios[i].req && !b->q[qi].ios[i].faulted)
				b->q[qi].ios[i].faulted = IO_SUSPECT;
	hit->faulted = IO_FAULTED;
	return true;
}

static void blk_reset_fail(struct virtio_dev *vd)
{
	struct blk *b = vd->priv;
	struct io *io;
	for (unsigned qi = 0; qi < vd->nqueues; qi++) {
		while ((io = vq_detach_unused(vd->q[qi].vq)))
			complete(vd, b, qi, io, 0);
		struct blk_req *r;
		while ((r = b->q[qi].wait_head)) {
			b->q[qi].wait_head = r->next;
			r->done(r, -EIO);
		}
		b->q[qi].wait_tail = &b->q[qi].wait_head;
	}
}

static void blk_config_changed(struct virtio_dev *vd)
{
	struct blk *b = vd->priv;
	uint64_t cap = CFG(capacity, 8);
	if (cap != b->info.capacity && cap <= (UINT64_MAX >> 9)) {
		log_info("virtio %s: capacity now %llu sectors (was %llu)\n", vd->name,
			 (unsigned long long)cap, (unsigned long long)b->info.capacity);
		b->info.capacity = cap;
	}
	if (virtio_has(vd, VIRTIO_BLK_F_CONFIG_WCE))
		b->info.wce = CFG(writeback, 1);
}

int blk_submit(struct virtio_dev *vd, struct blk_req *r)
{
	struct blk *b;
	if (!blk_is_blk(vd) || !(b = vd->priv) || vd->broken)
		return -ENODEV;
	const struct blk_info *in = &b->info;
	uint32_t per_block = in->block_size / 512;
	if (r->op == BLK_FLUSH) {
		if (!in->flush)
			return -EOPNOTSUPP;
	} else if (r->op == BLK_GET_ID) {
		if (!r->buf)
			return -EINVAL;
	} else {
		if (r->count == 0 || r->sector > in->capacity || r->count > in->capacity - r->sector)
			return -EINVAL; /* past the end */
		if (r->sector % per_block || r->count % per_block)
			return -EINVAL; /* not whole logical blocks */
		if (r->op != BLK_READ && in->ro)
			return -EROFS;
		if ((r->op == BLK_DISCARD && !in->discard) ||
		    (r->op == BLK_WRITE_ZEROES && !in->write_zeroes))
			return -EOPNOTSUPP;
		if ((r->op == BLK_READ || r->op == BLK_WRITE) && !r->buf)
			return -EINVAL;
	}
	unsigned qi = r->queue % vd->nqueues;
	r->dispatched = 0;
	r->pieces = 0;
	r->error = 0;
	r->next = NULL;
	*b->q[qi].wait_tail = r;
	b->q[qi].wait_tail = &r->next;
	dispatch(vd, b, qi);
	return 0;
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

int blk_io(struct virtio_dev *vd, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct sync s = { false, 0 };
	struct blk_req r = {
		.op = op, .sector = sector, .count = count, .buf = buf, .done = sync_done, .arg = &s
	};
	int rc = blk_submit(vd, &r);
	if (rc)
		return rc;
	virtio_wait(vd, sync_finished, &s, 0);
	return s.status;
}

/* GET_ID (§5.2.6): 20 bytes naming the disk (QEMU's serial=), not
 * necessarily NUL-terminated; asked once, after DRIVER_OK. */
static void get_id(struct virtio_dev *vd, struct blk *b)
{
	char id[VIRTIO_BLK_ID_BYTES];
	if (b->id_known)
		return;
	int r = blk_io(vd, BLK_GET_ID, 0, 0, id);
	if (r && r != -EOPNOTSUPP)
		log_warn("virtio %s: GET_ID failed (%d)\n", vd->name, r);
	if (!r)
		for (int i = 0; i < VIRTIO_BLK_ID_BYTES && id[i]; i++)
			b->info.id[i] = id[i] >= ' ' && id[i] < 0x7f ? id[i] : '?';
	b->id_known = true;
}

bool blk_is_blk(const struct virtio_dev *vd) { return vd && vd->drv && vd->drv->device_id == VIRTIO_ID_BLK; }

int blk_get_info(struct virtio_dev *vd, struct blk_info *info)
{
	if (!blk_is_blk(vd) || !vd->priv)
		return -ENODEV;
	get_id(vd, vd->priv);
	*info = ((struct blk *)vd->priv)->info;
	return 0;
}

struct virtio_dev *blk_nth(int n)
{
	for (struct virtio_dev *vd = virtio_devices; vd; vd = vd->next)
		if (blk_is_blk(vd) && n-- == 0)
			return vd;
	return NULL;
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
	.dma_fault = blk_dma_fault,
	.feature_name = blk_feature_name,
};
