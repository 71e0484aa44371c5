/* test_virtio_rng.c - virtio-rng over the fake transport, its reads waiting in the real main loop while
 * the simulated device runs as one of its pollers. */
#include "test_virtio.h"

#include "drivers/virtio/virtio_rng.c"

const struct virtio_driver virtio_blk_driver = { .prefix = "blk" };
const struct virtio_driver virtio_net_driver = { .prefix = "net" };

/* What the device does with each request it takes. */
static enum { ANSWER, HOLD, NEEDS_RESET, STUCK_RESET } device_does;
static int answer_len = -1; /* bytes it says it wrote: -1, what it was given */
static int answer_extra;    /* more than it was given */
static unsigned served;

static void serve(struct sim_vdev *d, unsigned q)
{
	struct sim_dev *r = sim_vdev_ring(d, q);
	while (r->npending) {
		if (device_does == HOLD)
			return;
		if (device_does == STUCK_RESET)
			d->bad |= SIM_BAD(SIM_RESET_STUCK);
		if (device_does != ANSWER) {
			device_does = HOLD;
			sim_vdev_needs_reset(d);
			return;
		}
		uint32_t len = answer_len < 0 ? r->pending[0].in_len : (uint32_t)answer_len;
		served++;
		sim_use(r, 0, len + (uint32_t)answer_extra);
	}
}

static void unplug(void)
{
	struct rng *rng = t.vd.ops ? vd->priv : NULL;
	if (rng) {
		dma_free(vd->dma, rng->buf, RNG_BUF, rng->handle);
		free(rng);
		vd->priv = NULL;
	}
	vdev_unplug();
}

static void fresh(enum io_mode mode)
{
	unplug();
	vdev_fresh(VIRTIO_ID_RNG, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_F_EVENT_IDX), false, mode);
	device_does = ANSWER;
	answer_len = -1;
	answer_extra = 0;
	served = 0;
	CHECK_EQ(sim_virtio_probe(&t), 0);
	t.dev.serve = serve;
	poll_register(sim_vdev_run, &t.dev, "sim"); /* the device runs beside the driver's poller */
}

static bool all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* What the device wrote, and only that, reaches the caller, in every mode. */
static void test_reads(void)
{
	static const enum io_mode modes[] = { IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };
	for (unsigned m = 0; m < 3; m++) {
		fresh(modes[m]);
		uint8_t out[64];
		memset(out, 0x11, sizeof out);
		CHECK_EQ(virtio_rng_read(vd, out, 32), 32);
		CHECK(all(out, 32, 0xa5));      /* the simulated device's bytes */
		CHECK(all(out + 32, 32, 0x11)); /* nothing past what was asked */
		CHECK_EQ(served, 1);
		answer_len = 10; /* a short answer is a short read */
		memset(out, 0x11, sizeof out);
		CHECK_EQ(virtio_rng_read(vd, out, 32), 10);
		CHECK(all(out, 10, 0xa5) && all(out + 10, 54, 0x11));
		CHECK_EQ(virtio_rng_read(vd, out, 0), -EINVAL);
		CHECK(vdev_ok());
	}
}

/* At most the driver's buffer per request; the chain the device gets says so. */
static void test_large_read_is_capped(void)
{
	fresh(IO_MODE_HYBRID);
	static uint8_t out[RNG_BUF + 100];
	CHECK_EQ(virtio_rng_read(vd, out, sizeof out), RNG_BUF);
	CHECK(vdev_ok());
}

/* A device that claims to have written more than it was given is refused: nothing is
 * copied, the caller hears of it at once (not after its timeout), and so does the next
 * until the device's poller has reset it; then reads work again. */
static void test_device_answers_more_than_asked(void)
{
	fresh(IO_MODE_HYBRID);
	uint8_t *out = malloc(16); /* exactly what is asked: ASan sees any byte more */
	memset(out, 0x11, 16);
	answer_extra = 1;
	uint64_t t0 = fake_now;
	CHECK_EQ(virtio_rng_read(vd, out, 16), -EIO);
	CHECK(fake_now - t0 < 1000000000ull); /* well before the read's 5 s */
	CHECK(all(out, 16, 0x11));
	CHECK(vq_broken(vd->q[0].vq));
	CHECK_EQ(virtio_rng_read(vd, out, 16), -EIO);
	answer_extra = 0;
	poll_run_once();
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(virtio_rng_read(vd, out, 16), 16);
	CHECK(all(out, 16, 0xa5));
	free(out);
}

/* A request the device never answers: the caller's wait ends; while the device still holds
 * the buffer no other request goes out; when it answers at last, reads work again. */
static void test_unanswered_read_times_out(void)
{
	fresh(IO_MODE_HYBRID);
	uint8_t out[8];
	device_does = HOLD;
	CHECK_EQ(virtio_rng_read(vd, out, 8), -ETIMEDOUT);
	CHECK_EQ(virtio_rng_read(vd, out, 8), -EBUSY);
	device_does = ANSWER;
	poll_run_once(); /* the device answers the old request; the driver takes it */
	poll_run_once();
	CHECK_EQ(virtio_rng_read(vd, out, 8), 8);
	CHECK(vdev_ok());
}

/* DEVICE_NEEDS_RESET while a read waits: the read fails with EIO, the device comes back, the
 * next read works. A reset that never completes: the read fails too, and so does the next. */
static void test_reset_with_a_read_in_flight(void)
{
	static const enum io_mode modes[] = { IO_MODE_POLL, IO_MODE_HYBRID };
	for (unsigned m = 0; m < 2; m++) {
		fresh(modes[m]);
		uint8_t out[8];
		int live = sim_dma_live();
		device_does = NEEDS_RESET;
		CHECK_EQ(virtio_rng_read(vd, out, 8), -EIO);
		CHECK_EQ(vd->resets, 1);
		CHECK_EQ(sim_dma_live(), live); /* a new buffer and rings, the old ones freed */
		device_does = ANSWER;
		memset(out, 0, sizeof out);
		CHECK_EQ(virtio_rng_read(vd, out, 8), 8);
		CHECK(all(out, 8, 0xa5));
		CHECK(vdev_ok());
	}
	fresh(IO_MODE_HYBRID);
	uint8_t out[8];
	device_does = STUCK_RESET;
	uint64_t t0 = fake_now;
	CHECK_EQ(virtio_rng_read(vd, out, 8), -EIO);
	CHECK(fake_now - t0 < 1000000000ull);
	CHECK(vd->broken);
	CHECK_EQ(virtio_rng_read(vd, out, 8), -EIO);
	CHECK(vdev_ok());
}

/* A probe that fails (here the device refuses interrupt vectors) leaves nothing behind:
 * the transport frees the device, so the driver's state must go too. */
static void test_failed_probe_leaves_nothing(void)
{
	unplug();
	vdev_fresh(VIRTIO_ID_RNG, BIT(VIRTIO_F_VERSION_1), false, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_REFUSE_QUEUE_VECTOR);
	CHECK(sim_virtio_probe(&t) < 0);
	CHECK(vd->priv == NULL);
	CHECK_EQ(sim_dma_live(), live_before);
	CHECK(vdev_ok());
}

int main(void)
{
	RUN(test_reads);
	RUN(test_large_read_is_capped);
	RUN(test_device_answers_more_than_asked);
	RUN(test_unanswered_read_times_out);
	RUN(test_reset_with_a_read_in_flight);
	RUN(test_failed_probe_leaves_nothing);
	unplug();
	UNIT_DONE();
}
