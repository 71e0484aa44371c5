/* test_virtio.h - the virtio core and the main loop on the host, one simulated device behind the fake transport. */
#ifndef TESTS_UNIT_TEST_VIRTIO_H
#define TESTS_UNIT_TEST_VIRTIO_H
#include "unit.h"

#include "drivers/virtio/virtio.c"
#include "drivers/virtio/virtqueue.c"
#include "kernel/dma_fault.c"
#include "kernel/poll.c"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include "tests/sim/sim_transport.c"
#include <errno.h>
#include <string.h>

struct kconfig kconfig;
/* drivers/iommu/virtio_iommu.c's virtio driver, in the core's table: no device here has its id */
const struct virtio_driver virtio_iommu_vdriver = { .prefix = "viommu" };
static uint64_t fake_now;
uint64_t now_ns(void) { return fake_now += 1000000; } /* a millisecond per look: waits end */
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr, (void)offset;
	return NULL;
}

static struct sim_virtio t;
static struct virtio_dev *const vd = &t.vd;
static int live_before; /* DMA allocations before the device came */

/* Take the last test's device away: the device lets go of its rings (whatever state the
 * test left it in), then they are freed. The driver's own state is the test's to free. */
static void vdev_unplug(void)
{
	if (!t.vd.ops)
		return;
	sim_virtio_unplug(&t);
	t.vd.ops = NULL;
}

/* A new device for the next test; the core and the main loop forget the last one. */
static void vdev_fresh(uint16_t id, uint64_t offered, bool legacy, enum io_mode mode)
{
	vdev_unplug();
	virtio_devices = NULL;
	tail = &virtio_devices;
	npollers = 0;
	busy = 0;
	kconfig.mode = mode;
	sim_virtio_init(&t, id, offered, legacy);
	live_before = sim_dma_live();
}

static __attribute__((unused)) struct sim_dev *ring(unsigned q) { return sim_vdev_ring(&t.dev, q); }

/* No rule of the device's broken (it says which, if one was). */
static bool vdev_ok(void)
{
	const char *e = sim_vdev_error(&t.dev);
	if (e)
		printf("  device: %s\n", e);
	return !e;
}
#endif
