/* test_virtio_blk.c - virtio-blk through the real virtio core and main loop over the fake transport
 * (test_blk_sim.c drives the driver alone, with a core of its own). */
#include "test_virtio.h"

#define tail blk_tail /* blkdev.c and virtio.c each keep a static list tail */
#include "block/blkdev.c"
#include "lib/errname.c" /* the power-off flush names its errors */
#undef tail
#include "drivers/virtio/virtio_blk.c"

const struct virtio_driver virtio_rng_driver = { .prefix = "rng" };
const struct virtio_driver virtio_net_driver = { .prefix = "net" };
void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }

/* The device answers every request: data (0xa5) and an OK status byte, the last one. */
static void serve(struct sim_vdev *d, unsigned q)
{
	struct sim_dev *r = sim_vdev_ring(d, q);
	while (r->npending) {
		struct sim_chain *c = &r->pending[0];
		unsigned char *status = c->seg[c->nseg - 1].p;
		sim_use(r, 0, c->in_len);
		*status = VIRTIO_BLK_S_OK;
	}
}

static void fresh(void)
{
	vdev_unplug();
	vdev_fresh(VIRTIO_ID_BLK, BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_BLK_F_FLUSH), false, IO_MODE_HYBRID);
	struct virtio_blk_config c = { .capacity = 2048 };
	memcpy(t.dev.config, &c, sizeof c);
	t.dev.config_size = sizeof c;
	t.dev.serve = serve;
	kconfig.blk_timeout_ms = 1000;
}

/* A read at the top level, waiting in the main loop while the device runs as a poller. */
static void test_read_through_the_core(void)
{
	fresh();
	CHECK_EQ(sim_virtio_probe(&t), 0);
	poll_register(sim_vdev_run, &t.dev, "sim");
	struct blkdev *bd = blkdev_find(vd->name);
	CHECK(bd != NULL);
	if (!bd)
		return;
	CHECK_EQ(bd->info.capacity, 2048);
	static uint8_t buf[4096];
	CHECK_EQ(blk_io(bd, BLK_READ, 8, 8, buf), 0);
	CHECK(buf[0] == 0xa5 && buf[4095] == 0xa5);
	CHECK_EQ(blk_io(bd, BLK_FLUSH, 0, 0, NULL), 0);
	CHECK(vdev_ok());
}

/* Config that never settles at probe: the probe fails and the transport frees the device,
 * so no block device may be left registered pointing at it. */
static void test_probe_config_never_settles(void)
{
	fresh();
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	CHECK(sim_virtio_probe(&t) < 0);
	CHECK(blkdev_find(vd->name) == NULL);
	CHECK(vd->priv == NULL);
	CHECK(vdev_ok());
}

int main(void)
{
	RUN(test_read_through_the_core);
	RUN(test_probe_config_never_settles);
	UNIT_DONE();
}
