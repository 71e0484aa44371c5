/* test_blk_sim.c - virtio-blk's request splitting against the simulated device, with the limits
 * QEMU never offers (SIZE_MAX) and a small SEG_MAX. */
#include "unit.h"

#include "block/blkdev.c"
#include "drivers/virtio/virtio_blk.c"
#include "drivers/virtio/virtqueue.c"
#include "kernel/dma_fault.c"
#include "lib/errname.c" /* the power-off flush names its errors */
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include <errno.h>
#include <string.h>

/* -- a fake virtio core: config space from a struct, one queue on the sim ------- */

static struct virtio_blk_config cfg;
static struct sim_dev sim;
static unsigned ring_flags;
static struct dma_dev dma; /* the disk, to kernel/dma.c */

uint64_t virtio_config_read(struct virtio_dev *vd, unsigned off, int width)
{
	uint64_t v = 0;
	(void)vd;
	memcpy(&v, (const char *)&cfg + off, (size_t)width);
	return v;
}

int virtio_setup_queues(struct virtio_dev *vd, unsigned n, unsigned max)
{
	(void)n, (void)max;
	struct vq_config c = {
		.name = vd->name, .num = 16, .flags = ring_flags, .notify = sim_notify, .priv = &sim
	};
	memset(&sim, 0, sizeof sim);
	if (!(vd->q[0].vq = vq_create(&c)) || sim_attach(&sim, vd->q[0].vq, ring_flags))
		return -ENOMEM;
	vd->nqueues = 1;
	return 0;
}

static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns; }
struct kconfig kconfig = { .blk_timeout_ms = 30000 };
static const char *reset_asked;
void virtio_request_reset(struct virtio_dev *vd, const char *why)
{
	(void)vd;
	reset_asked = why;
}

bool kwait(bool (*done)(void *), void *arg, uint64_t timeout_ns)
{
	(void)done, (void)arg, (void)timeout_ns;
	return false; /* the tests drive the device by hand */
}

void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }
void cpu_idle(bool (*done)(void *), void *arg)
{
	(void)done, (void)arg;
} /* the floor benchmark's: not run here */

static struct virtio_dev *open_blk(uint64_t features, unsigned flags)
{
	static struct virtio_dev vd;
	memset(&vd, 0, sizeof vd);
	dma = (struct dma_dev){ .name = "blk0", .ops = &sim_backend };
	vd.dma = &dma;
	strcpy(vd.name, "blk0");
	vd.drv = &virtio_blk_driver;
	vd.features = features | BIT(VIRTIO_F_VERSION_1);
	ring_flags = flags;
	if (virtio_blk_driver.probe(&vd)) {
		if (vd.q[0].vq) { /* as the core does when a probe fails */
			vq_destroy(vd.q[0].vq);
			sim_detach(&sim);
		}
		return NULL;
	}
	return &vd;
}

/* The block device the driver registered. */
static struct blkdev *bd(struct virtio_dev *vd) { return &((struct vblk *)vd->priv)->bd; }

static void close_blk(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;
	queue_free(vd, &b->q[0]);
	if (vd->dma->pool) {
		dma_free(vd->dma, vd->dma->pool->base, POOL_BYTES, vd->dma->pool->handle);
		free(vd->dma->pool);
		vd->dma->pool = NULL;
	}
	devices = NULL, tail = &devices; /* the block layer forgets it */
	free(b);
	vq_destroy(vd->q[0].vq);
	sim_detach(&sim);
}

/* -- the device side: take each chain, check it, fill it, give its status ------ */

#define ST_UNWRITTEN 0x100 /* a status byte the device leaves as it found it */

struct seen {
	unsigned chains, max_data_segs;
	uint32_t max_seg_len, data_bytes;
	uint64_t sectors[64];
	bool bad_order;
	/* the status the device gives chain k: a byte (0, OK, unless set) or ST_UNWRITTEN */
	unsigned status[64];
};

static void serve(struct virtio_dev *vd, struct seen *sv)
{
	while (sim_fetch(&sim) > 0) {
		while (sim.npending) {
			struct sim_chain *c = &sim.pending[0];
			/* header (readable), data, status (the last, writable, 1 byte) */
			struct virtio_blk_outhdr h;
			memcpy(&h, c->seg[0].p, sizeof h);
			if (sv->chains < 64)
				sv->sectors[sv->chains] = h.sector;
			unsigned data = c->nseg - 2;
			if (c->seg[0].write || !c->seg[c->nseg - 1].write || c->seg[c->nseg - 1].len != 1)
				sv->bad_order = true;
			for (unsigned i = 1; i + 1 < c->nseg; i++) {
				sv->data_bytes += c->seg[i].len;
				if (c->seg[i].len > sv->max_seg_len)
					sv->max_seg_len = c->seg[i].len;
			}
			if (data > sv->max_data_segs)
				sv->max_data_segs = data;
			unsigned answer = sv->chains < 64 ? sv->status[sv->chains] : VIRTIO_BLK_S_OK;
			sv->chains++;
			unsigned char *status = c->seg[c->nseg - 1].p, before = *status;
			sim_use(&sim, 0, c->in_len); /* fills all that is writable, and says so */
			*status = answer == ST_UNWRITTEN ? before : (unsigned char)answer;
		}
		blk_poll(vd, 0, 64);
	}
}

static int last_status = 1;
static void req_done(struct blk_req *r, int status)
{
	(void)r;
	last_status = status;
}

static void test_size_max_and_seg_max_split_requests(void)
{
	static const unsigned layouts[] = { 0, VQ_F_INDIRECT, VQ_F_PACKED, VQ_F_PACKED | VQ_F_INDIRECT };
	for (unsigned l = 0; l < 4; l++) {
		cfg = (struct virtio_blk_config){
			.capacity = 4096, .size_max = 1024, .seg_max = 4, .blk_size = 512
		};
		struct virtio_dev *vd = open_blk(BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) |
							 BIT(VIRTIO_BLK_F_BLK_SIZE),
						 layouts[l]);
		CHECK(vd != NULL);
		if (!vd)
			continue;
		static unsigned char buf[16384] __attribute__((aligned(4096)));
		memset(buf, 0, sizeof buf);
		struct blk_req r = {
			.op = BLK_READ, .sector = 100, .count = 32, .buf = buf, .done = req_done
		};
		struct seen sv = { 0 };
		last_status = 1;
		CHECK_EQ(blk_submit(bd(vd), &r), 0);
		serve(vd, &sv);
		CHECK_EQ(last_status, 0);
		CHECK_EQ(sv.data_bytes, sizeof buf);
		CHECK(sv.max_seg_len <= 1024); /* SIZE_MAX honoured */
		CHECK(sv.max_data_segs <= 4);  /* SEG_MAX honoured */
		CHECK_EQ(sv.chains, 4);        /* 16 KiB in pieces of 4 x 1 KiB */
		CHECK_EQ(sv.sectors[0], 100);
		CHECK_EQ(sv.sectors[3], 100 + 24);
		CHECK(!sv.bad_order);
		CHECK(buf[0] == 0xa5 && buf[sizeof buf - 1] == 0xa5);
		CHECK(!sim.err[0]);
		close_blk(vd);
	}
}

static void test_without_size_max_pages_are_the_segments(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096, .seg_max = 4 };
	struct virtio_dev *vd = open_blk(BIT(VIRTIO_BLK_F_SEG_MAX), VQ_F_INDIRECT);
	CHECK(vd != NULL);
	static unsigned char buf[16384] __attribute__((aligned(4096)));
	struct blk_req r = { .op = BLK_WRITE, .sector = 0, .count = 32, .buf = buf, .done = req_done };
	struct seen sv = { 0 };
	CHECK_EQ(blk_submit(bd(vd), &r), 0);
	serve(vd, &sv);
	CHECK_EQ(last_status, 0);
	CHECK_EQ(sv.chains, 1);
	CHECK_EQ(sv.max_seg_len, 4096);
	CHECK_EQ(sv.max_data_segs, 4);
	close_blk(vd);
}

/* A slot's segment list starts short (IO_SG_INLINE) and grows the first time a request
 * needs more: 12 pages (the ring of 16 takes 14) still go as one chain of 12 data segments, and again from the
 * same slot; a page goes as one. */
static void test_a_long_request_grows_its_slot(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096, .seg_max = 64 };
	struct virtio_dev *vd = open_blk(BIT(VIRTIO_BLK_F_SEG_MAX), VQ_F_INDIRECT);
	CHECK(vd != NULL);
	if (!vd)
		return;
	static unsigned char buf[12 * 4096] __attribute__((aligned(4096)));
	for (int round = 0; round < 2; round++) {
		struct blk_req r = {
			.op = BLK_READ, .sector = 8, .count = 12 * 8, .buf = buf, .done = req_done
		};
		struct seen sv = { 0 };
		CHECK_EQ(blk_submit(bd(vd), &r), 0);
		serve(vd, &sv);
		CHECK_EQ(last_status, 0);
		CHECK_EQ(sv.chains, 1);
		CHECK_EQ(sv.max_data_segs, 12);
		CHECK_EQ(sv.data_bytes, 12 * 4096);
		CHECK(!sv.bad_order);
	}
	struct blk_req r = { .op = BLK_READ, .sector = 0, .count = 8, .buf = buf, .done = req_done };
	struct seen sv = { 0 };
	CHECK_EQ(blk_submit(bd(vd), &r), 0);
	serve(vd, &sv);
	CHECK_EQ(sv.chains, 1);
	CHECK_EQ(sv.max_data_segs, 1);
	close_blk(vd);
}

static void test_refused_before_the_ring(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 64, .blk_size = 4096 };
	struct virtio_dev *vd = open_blk(BIT(VIRTIO_BLK_F_BLK_SIZE) | BIT(VIRTIO_BLK_F_RO), 0);
	static unsigned char buf[4096];
	struct blk_req r = { .op = BLK_READ, .sector = 60, .count = 8, .buf = buf, .done = req_done };
	CHECK_EQ(blk_submit(bd(vd), &r), -EINVAL); /* past the end */
	r.sector = 1;
	r.count = 8;
	CHECK_EQ(blk_submit(bd(vd), &r), -EINVAL); /* not a whole 4 KiB block */
	r.sector = 8;
	r.op = BLK_WRITE;
	CHECK_EQ(blk_submit(bd(vd), &r), -EROFS);
	r.op = BLK_FLUSH;
	CHECK_EQ(blk_submit(bd(vd), &r), -EOPNOTSUPP);
	CHECK_EQ(sim_fetch(&sim), 0); /* nothing reached the ring */
	close_blk(vd);
}

static void test_bad_config_refused(void)
{
	cfg = (struct virtio_blk_config){ .capacity = UINT64_MAX };
	CHECK(open_blk(0, 0) == NULL); /* capacity in bytes overflows */
	cfg = (struct virtio_blk_config){ .capacity = 8, .blk_size = 768 };
	CHECK(open_blk(BIT(VIRTIO_BLK_F_BLK_SIZE), 0) == NULL); /* not a power of two */
	cfg = (struct virtio_blk_config){ .capacity = 8, .size_max = 100 };
	CHECK(open_blk(BIT(VIRTIO_BLK_F_SIZE_MAX), 0) == NULL); /* below a sector */
}

/* Pool buffers go on the ring as handles inside the pool's one region: no
 * mapping per request. Heap buffers take one each. Strict mode has no pool. */
static void test_pool_buffers_need_no_mapping(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(0, VQ_F_INDIRECT);
	CHECK(vd != NULL);
	unsigned char *pool = blk_buf_alloc(bd(vd), 16384), *heap = aligned_alloc(4096, 16384);
	CHECK(blk_buf_pooled(bd(vd), pool) && !blk_buf_pooled(bd(vd), heap));
	for (int k = 0; k < 2; k++) {
		unsigned char *buf = k ? heap : pool;
		memset(buf, 0, 16384);
		struct blk_req r = { .op = BLK_READ, .sector = 8, .count = 32, .buf = buf, .done = req_done };
		int regions = sim_nregions;
		CHECK_EQ(blk_submit(bd(vd), &r), 0);
		CHECK_EQ(sim_nregions - regions, k ? 4 : 0); /* a page each, or nothing */
		struct seen sv = { 0 };
		serve(vd, &sv);
		CHECK_EQ(last_status, 0);
		CHECK(buf[0] == 0xa5 && buf[16383] == 0xa5); /* the device reached it through the handles */
		CHECK_EQ(sim_nregions, regions);
	}
	unsigned char *more = blk_buf_alloc(bd(vd), 4096);
	CHECK(blk_buf_pooled(bd(vd), more) && more != pool);
	blk_buf_free(bd(vd), pool, 16384);
	blk_buf_free(bd(vd), more, 4096);
	CHECK(blk_buf_alloc(bd(vd), 4096) == pool); /* given back, reused */
	blk_buf_free(bd(vd), pool, 4096);
	void *big = blk_buf_alloc(bd(vd), POOL_BYTES + 1);
	CHECK(big && !blk_buf_pooled(bd(vd), big)); /* more than the pool: the heap */
	blk_buf_free(bd(vd), big, POOL_BYTES + 1);
	sim_dma_iommu = sim_dma_iommu_strict = true;
	void *strict = blk_buf_alloc(bd(vd), 4096);
	CHECK(strict && !blk_buf_pooled(bd(vd), strict));
	blk_buf_free(bd(vd), strict, 4096);
	sim_dma_iommu = sim_dma_iommu_strict = false;
	free(heap);
	close_blk(vd);
}

/* An IOMMU fault on a page of a request's data (kernel/dma_fault.c) fails
 * every request in flight, whatever status the device gives; a fault on
 * anything else (a header, a page never lent) asks for a reset instead. */
static void status_of(struct blk_req *r, int status) { *(int *)r->arg = status; }

static void test_dma_fault_fails_its_request(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(0, 0);
	CHECK(vd != NULL);
	unsigned char *buf = aligned_alloc(4096, 8192); /* mapped per request */
	struct vblk *b = vd->priv;
	dma_addr_t page2 = ((dma_addr_t)(uintptr_t)buf ^ SIM_DMA_XOR) + 4096;
	struct blk_req r = { .op = BLK_READ, .sector = 0, .count = 16, .buf = buf, .done = req_done };
	CHECK_EQ(blk_submit(bd(vd), &r), 0);
	dma_fault_record(vd->dma, page2 + 4096, true); /* the page after: nobody's */
	CHECK(vd->dma->fault_reset);
	vd->dma->fault_reset = false;
	dma_fault_record(vd->dma, b->q[0].shared_handle, true); /* header and status: not data */
	CHECK(vd->dma->fault_reset);
	vd->dma->fault_reset = false;
	CHECK_EQ(vd->dma->faults_matched, 0);
	dma_fault_record(vd->dma, page2, true);
	CHECK(!vd->dma->fault_reset);
	CHECK_EQ(vd->dma->faults_matched, 1);
	struct seen sv = { 0 };
	serve(vd, &sv);
	CHECK_EQ(last_status, -EIO);         /* the device said OK */
	CHECK_EQ(blk_submit(bd(vd), &r), 0); /* the next one is not marked */
	serve(vd, &sv);
	CHECK_EQ(last_status, 0);
	/* two in flight, a fault on one: both fail, since the unit may have
	 * compressed the other's fault into the one record it reported */
	static int st[2];
	struct blk_req r2 = { .op = BLK_READ, .sector = 64, .count = 8, .buf = buf + 4096 };
	r.count = 8;
	r.done = r2.done = status_of;
	r.arg = &st[0], r2.arg = &st[1];
	st[0] = st[1] = 1;
	CHECK_EQ(blk_submit(bd(vd), &r), 0);
	CHECK_EQ(blk_submit(bd(vd), &r2), 0);
	dma_fault_record(vd->dma, page2, true); /* r2's page */
	serve(vd, &sv);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(st[1], -EIO);
	free(buf);
	close_blk(vd);
}

/* Every status a device may give, and one it never writes, for each kind of
 * request: what the request's completion gets (§5.2.6). Only OK is success;
 * a status the spec does not define, or the byte the driver left there, is
 * an error, and said so. Each case follows a request that succeeded in the
 * same slot, so a status byte left from it would read OK. */
static void test_status_reaches_the_caller(void)
{
	static const struct {
		unsigned status;
		int err;
	} cases[] = { { VIRTIO_BLK_S_OK, 0 },
		      { VIRTIO_BLK_S_IOERR, -EIO },
		      { VIRTIO_BLK_S_UNSUPP, -EOPNOTSUPP },
		      { 3, -EIO },
		      { 0x80, -EIO },
		      { ST_UNWRITTEN, -EIO } };
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(
		BIT(VIRTIO_BLK_F_FLUSH) | BIT(VIRTIO_BLK_F_DISCARD) | BIT(VIRTIO_BLK_F_WRITE_ZEROES), 0);
	CHECK(vd != NULL);
	static unsigned char buf[4096];
	static int st;
	for (unsigned op = BLK_READ; op <= BLK_GET_ID; op++) {
		for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			struct blk_req r = {
				.op = BLK_READ, .count = 8, .buf = buf, .done = status_of, .arg = &st
			};
			struct seen sv = { 0 };
			st = 1;
			CHECK_EQ(blk_submit(bd(vd), &r), 0); /* OK, in the slot the next one takes */
			serve(vd, &sv);
			CHECK_EQ(st, 0);
			r = (struct blk_req){
				.op = op, .sector = 8, .count = 8, .buf = buf, .done = status_of, .arg = &st
			};
			sv = (struct seen){ .status = { cases[i].status } };
			st = 1;
			int logs = unit_log_lines;
			uint64_t bad = ((struct vblk *)vd->priv)->bad_status;
			CHECK_EQ(blk_submit(bd(vd), &r), 0);
			serve(vd, &sv);
			CHECK_EQ(sv.chains, 1);
			if (st != cases[i].err) {
				printf("  op %u, status 0x%x: %d, not %d\n", op, cases[i].status, st,
				       cases[i].err);
				CHECK(0);
			}
			CHECK_EQ(unit_log_lines - logs, cases[i].err == -EIO && cases[i].status > 2);
			/* counted too: a device that never writes its status is seen in the numbers */
			CHECK_EQ(((struct vblk *)vd->priv)->bad_status - bad, cases[i].status > 2);
		}
	}
	CHECK(!sim.err[0]);
	close_blk(vd);
}

/* A request in pieces fails if any piece does, whichever it is. */
static void test_one_failed_piece_fails_the_request(void)
{
	for (unsigned k = 0; k < 4; k++) {
		cfg = (struct virtio_blk_config){ .capacity = 4096, .size_max = 4096, .seg_max = 1 };
		struct virtio_dev *vd = open_blk(BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX), 0);
		CHECK(vd != NULL);
		static unsigned char buf[16384] __attribute__((aligned(4096)));
		static int st;
		struct blk_req r = {
			.op = BLK_WRITE, .count = 32, .buf = buf, .done = status_of, .arg = &st
		};
		struct seen sv = { 0 };
		sv.status[k] = VIRTIO_BLK_S_IOERR;
		st = 1;
		CHECK_EQ(blk_submit(bd(vd), &r), 0);
		serve(vd, &sv);
		CHECK_EQ(sv.chains, 4); /* a page each */
		CHECK_EQ(st, -EIO);
		close_blk(vd);
	}
}

/* A request the device never completes: after blk_timeout_ms the driver
 * asks for a reset, and the reset fails it with ETIMEDOUT (the others in
 * flight with EIO). */
static void test_request_timeout(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(0, 0);
	CHECK(vd != NULL);
	static unsigned char buf[8192];
	static int st[2];
	kconfig.blk_timeout_ms = 500;
	clock_ns = 1000000000;
	struct blk_req r = { .op = BLK_READ, .count = 8, .buf = buf, .done = status_of, .arg = &st[0] };
	struct blk_req r2 = {
		.op = BLK_READ, .sector = 8, .count = 8, .buf = buf + 4096, .done = status_of, .arg = &st[1]
	};
	st[0] = st[1] = 1;
	reset_asked = NULL;
	CHECK_EQ(blk_submit(bd(vd), &r), 0);
	clock_ns += 400000000;
	CHECK_EQ(blk_submit(bd(vd), &r2), 0);
	blk_tick(vd, clock_ns);
	CHECK(reset_asked == NULL); /* 400 ms: not yet */
	clock_ns += 100000000;
	blk_tick(vd, clock_ns);
	CHECK(reset_asked != NULL); /* the first, at 500 ms */
	CHECK_EQ(((struct vblk *)vd->priv)->timeouts, 1);
	blk_reset_fail(vd); /* what the core's reset does */
	CHECK_EQ(st[0], -ETIMEDOUT);
	CHECK_EQ(st[1], -EIO);
	kconfig.blk_timeout_ms = 30000;
	close_blk(vd);
}

/* A used length short of the data and status a request has the device
 * write is an error, whatever the status says: the rest never came. */
static void test_short_used_length(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(0, 0);
	CHECK(vd != NULL);
	static unsigned char buf[4096];
	static int st;
	static const struct {
		enum blk_op op;
		uint32_t count, len, need;
	} cases[] = { { BLK_READ, 8, 4096, 4097 },   /* the status missing */
		      { BLK_READ, 8, 100, 4097 },    /* most of the data missing */
		      { BLK_GET_ID, 0, 5, 21 },      /* a short id */
		      { BLK_WRITE, 8, 0, 1 },        /* not even the status */
		      { BLK_READ, 8, 4097, 4097 } }; /* all there: fine */
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct blk_req r = {
			.op = cases[i].op, .count = cases[i].count, .buf = buf, .done = status_of, .arg = &st
		};
		uint64_t before = ((struct vblk *)vd->priv)->short_used;
		st = 1;
		CHECK_EQ(blk_submit(bd(vd), &r), 0);
		CHECK_EQ(sim_fetch(&sim), 1);
		unsigned char *status = sim.pending[0].seg[sim.pending[0].nseg - 1].p;
		sim_use(&sim, 0, cases[i].len);
		*status = VIRTIO_BLK_S_OK;
		blk_poll(vd, 0, 64);
		bool ok = cases[i].len >= cases[i].need;
		CHECK_EQ(st, ok ? 0 : -EIO);
		CHECK_EQ(((struct vblk *)vd->priv)->short_used - before, ok ? 0 : 1);
	}
	close_blk(vd);
}

/* A request that cannot go on the ring (here: a ring the device broke, whose
 * reset the core has not run yet) fails through blk_submit's return value,
 * or later through done, never inside blk_submit: its callers count what
 * they have with the disk once it returns (apps/tftpd.c), and a done that
 * ran before would find the count one short and the session half set up.
 * Requests that wait for room fail from the poller, as completions. */
static int in_submit, done_inside, done_calls;
static void count_done(struct blk_req *r, int status)
{
	done_inside += in_submit;
	done_calls++;
	*(int *)r->arg = status;
}

static void test_done_never_runs_inside_submit(void)
{
	cfg = (struct virtio_blk_config){ .capacity = 4096 };
	struct virtio_dev *vd = open_blk(0, 0); /* 16 entries, no indirect: 4 chains of 2 pages fill it */
	CHECK(vd != NULL);
	static unsigned char buf[8192] __attribute__((aligned(4096)));
	static struct blk_req r[8];
	static int st[8];
	done_inside = done_calls = 0;
	for (int i = 0; i < 8; i++)
		r[i] = (struct blk_req){ .op = BLK_READ,
					 .sector = 16 * (unsigned)i,
					 .count = 16,
					 .buf = buf,
					 .done = count_done,
					 .arg = &st[i] };
	for (int i = 0; i < 7; i++) { /* 4 on the ring, 3 waiting for room */
		st[i] = 1;
		in_submit = 1;
		CHECK_EQ(blk_submit(bd(vd), &r[i]), 0);
		in_submit = 0;
	}
	CHECK_EQ(sim_fetch(&sim), 4);
	sim_push_used(&sim, 999, 0, 0); /* an id no chain has: the ring is broken */
	blk_poll(vd, 0, 64);
	CHECK(vq_broken(vd->q[0].vq));
	CHECK_EQ(done_calls,
		 3); /* those waiting fail from the poller; those on the ring wait for the reset */
	for (int i = 4; i < 7; i++)
		CHECK_EQ(st[i], -EIO);
	st[7] = 1;
	in_submit = 1;
	int rc = blk_submit(bd(vd), &r[7]);
	in_submit = 0;
	CHECK_EQ(done_inside, 0);
	CHECK_EQ(rc, -EIO); /* nothing of it reached the ring: said by the return value */
	blk_reset_fail(vd); /* what the core's reset does: the rest fail too */
	for (int i = 0; i < 4; i++)
		CHECK_EQ(st[i], -EIO);
	CHECK_EQ(st[7], 1);
	CHECK_EQ(done_calls, 7);
	CHECK_EQ(done_inside, 0);
	close_blk(vd);
}

int main(void)
{
	RUN(test_size_max_and_seg_max_split_requests);
	RUN(test_without_size_max_pages_are_the_segments);
	RUN(test_a_long_request_grows_its_slot);
	RUN(test_refused_before_the_ring);
	RUN(test_bad_config_refused);
	RUN(test_pool_buffers_need_no_mapping);
	RUN(test_dma_fault_fails_its_request);
	RUN(test_request_timeout);
	RUN(test_short_used_length);
	RUN(test_status_reaches_the_caller);
	RUN(test_one_failed_piece_fails_the_request);
	RUN(test_done_never_runs_inside_submit);
	UNIT_DONE();
}
