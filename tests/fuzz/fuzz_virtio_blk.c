/* fuzz_virtio_blk.c - libFuzzer: virtio-blk completions from a hostile device; the input plays the device
 * (status bytes, used lengths, completion order, made-up elements, resets, time) under the real core. */
#include "tests/fuzz/fuzz_virtio.h"

#define tail blk_tail /* blkdev.c and virtio.c each keep a static list tail */
#include "block/blkdev.c"
#undef tail
#include "drivers/virtio/virtio_blk.c"

const struct virtio_driver virtio_net_driver = { .prefix = "net" };
const struct virtio_driver virtio_rng_driver = { .prefix = "rng" };
const struct virtio_driver virtio_iommu_vdriver = { .prefix = "viommu" };
void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }

#define NREQ   24
#define QSIZE  16
#define SECTOR 8 /* request k reads or writes 8 sectors at (k + 1) * SECTOR: its chain says which */

/* Each request, and what the device (the input) did with its chains. */
static struct {
	struct blk_req r;
	uint8_t buf[4096];
	unsigned done; /* completions: never more than one */
	int status;    /* what the completion said */
	bool answered; /* the device used a chain of it fully, with status OK */
	bool submitted;
} req[NREQ];

static void req_done(struct blk_req *r, int status)
{
	unsigned k = (unsigned)(uintptr_t)r->arg;
	req[k].done++;

	req[k].status = status;
	ENSURE(req[k].done == 1); /* completed once, whatever the device did */
	/* success only for what the device answered OK (the driver preset the byte to 0xff) */
	if (status == 0)
		ENSURE(req[k].answered);
}

/* The device wrote status byte st at p: if p is the status byte of a request in flight (the
 * driver's own slot for it, whatever chain the device thought it was using), note an OK. */
static void status_written(const uint8_t *p, unsigned st)
{
	struct vblk *b = vd->priv;
	struct blk_queue *q = &b->q[0];
	for (unsigned i = 0; i < q->nslots; i++)
		if (q->ios[i].req && p == &q->shared[i].status)
			req[(uintptr_t)q->ios[i].req->arg].answered = st == VIRTIO_BLK_S_OK;
}

/* The device uses chain k: writes min(len, writable) bytes, then a status byte of the input's
 * choosing in the last one (or leaves it), and reports len. */
static void answer(struct input *in)
{
	struct sim_dev *s = sim_vdev_ring(&t.dev, 0);
	if (!t.dev.q[0].enabled || !s->npending)
		return;
	unsigned k = byte(in) % s->npending, how = byte(in);
	struct sim_chain *c = &s->pending[k];
	uint32_t len = c->in_len;
	if (how & 1) /* short; a chain the device misread (made-up elements) may have nothing writable */
		len = how & 2 || !c->in_len ? (uint32_t)byte(in) : c->in_len - 1u - byte(in) % c->in_len;
	unsigned st = how & 4 ? byte(in) : VIRTIO_BLK_S_OK;
	bool write_status = !(how & 8 && how & 16);
	struct sim_seg *last = &c->seg[c->nseg - 1];
	uint8_t *status = last->write && last->len == 1 ? last->p : NULL;
	sim_use(s, k, len); /* frees c */
	if (status && write_status) {
		*status = (uint8_t)st;
		status_written(status, st);
	}
}

static void submit(struct input *in)
{
	unsigned k = byte(in) % NREQ;
	if (req[k].submitted)
		return;
	static const enum blk_op ops[] = { BLK_READ, BLK_WRITE, BLK_READ, BLK_FLUSH, BLK_GET_ID };
	enum blk_op op = ops[byte(in) % 5];
	req[k].r = (struct blk_req){ .op = op,
				     .sector = (k + 1u) * SECTOR,
				     .count = op == BLK_READ || op == BLK_WRITE ? 8 : 0,
				     .buf = req[k].buf,
				     .done = req_done,
				     .arg = (void *)(uintptr_t)k };
	req[k].answered = false;
	struct blkdev *bd = blkdev_find(vd->name);
	int r = blk_submit(bd, &req[k].r);
	req[k].submitted = r == 0;
	if (r)
		ENSURE(req[k].done == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned cfg = byte(&in);
	uint64_t offered = BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_BLK_F_FLUSH);
	if (cfg & 1)
		offered |= BIT(VIRTIO_F_RING_PACKED);
	if (cfg & 2)
		offered |= BIT(VIRTIO_F_EVENT_IDX);
	if (cfg & 4)
		offered |= BIT(VIRTIO_F_INDIRECT_DESC);
	static const enum io_mode modes[] = { IO_MODE_HYBRID, IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };
	fuzz_fresh(VIRTIO_ID_BLK, offered, QSIZE, modes[cfg >> 3 & 3]);
	t.dev.nqueues = 1;
	devices = NULL, blk_tail = &devices;
	kconfig.blk_timeout_ms = 1000;
	memset(req, 0, sizeof req);
	struct virtio_blk_config c = { .capacity = (NREQ + 2) * SECTOR };
	memcpy(t.dev.config, &c, sizeof c);
	t.dev.config_size = sizeof c;
	if (sim_virtio_probe(&t))
		return 0;

	for (unsigned ops = 0; in.n && ops < 400; ops++) {
		unsigned op = byte(&in) % 10;
		if (!ring_op(&in, op, 0))
			switch (op) {
			case 0:
			case 5:
				submit(&in);
				break;
			case 6:
				sim_vdev_run(&t.dev);
				answer(&in);
				break;
			case 7:
			case 8:
				poll_run_once(); /* the driver's turn: device_poll, completions, deadlines */
				break;
			case 9:
				fake_now += (uint64_t)byte(&in) * 10000000; /* up to 2.5 s */
				break;
			}
		ensure_driver_kept_the_rules();
	}
	/* The device stops answering: every request still ends, by its deadline (a reset), or
	 * when the device is given up. None is lost. */
	for (unsigned round = 0; round < 64; round++) {
		fake_now += 500000000;
		poll_run_once();
		ensure_driver_kept_the_rules();
	}
	for (unsigned k = 0; k < NREQ; k++)
		ENSURE(!req[k].submitted || req[k].done == 1);

	struct vblk *b = vd->priv;
	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
		queue_free(vd, &b->q[i]);
	free(b);
	fuzz_unplug();
	ENSURE(sim_dma_live() == 0);
	return 0;
}
