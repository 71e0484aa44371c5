/* fuzz_virtio.h - for the virtio fuzz targets: the core and the main loop over the fake transport, the input as a device. */
#ifndef TESTS_FUZZ_FUZZ_VIRTIO_H
#define TESTS_FUZZ_FUZZ_VIRTIO_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kernel logging, silenced: the fuzzer provokes errors on purpose. */
#define KERNEL_LOG_H
static int fuzz_logs;
__attribute__((format(printf, 1, 2))) static int kprintf(const char *fmt, ...)
{
	(void)fmt;
	fuzz_logs++;
	return 0;
}
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf(__VA_ARGS__)
#define log_err(...)  kprintf(__VA_ARGS__)
#define panic(...)    (kprintf(__VA_ARGS__), abort())

#include "drivers/virtio/virtio.c"
#include "drivers/virtio/virtqueue.c"
#include "kernel/dma_fault.c"
#include "kernel/poll.c"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include "tests/sim/sim_transport.c"

#include "tests/fuzz/fuzz_input.h"

struct kconfig kconfig;
static uint64_t fake_now;
uint64_t now_ns(void) { return fake_now += 1000; } /* a microsecond per look: waits end */
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr, (void)offset;
	return NULL;
}

/* The device under the fuzzer, behind the fake transport; a new one for each input. */
static struct sim_virtio t;
static struct virtio_dev *const vd = &t.vd;

/* A fresh core and main loop, and a device of type id offering these features, with
 * queues of at most max entries (small: each input sets one up). */
static void fuzz_fresh(uint16_t id, uint64_t offered, unsigned max, enum io_mode mode)
{
	virtio_devices = NULL;
	tail = &virtio_devices;
	npollers = 0;
	busy = 0;
	depth = 0;
	kconfig.mode = mode;
	sim_virtio_init(&t, id, offered, false);
	for (unsigned q = 0; q < t.dev.nqueues; q++)
		t.dev.q[q].max = max;
}

static void fuzz_unplug(void) { sim_virtio_unplug(&t); }

/* What a hostile device does to a ring, whatever the driver posted (1-4: it looks at the ring,
 * makes up a used element, moves the used index, scribbles a packed slot's flags). Returns
 * false for an op that is not one of these. */
static bool ring_op(struct input *in, unsigned op, unsigned q)
{
	struct sim_dev *s = sim_vdev_ring(&t.dev, q);
	if (!t.dev.q[q].enabled)
		return op <= 4;
	switch (op) {
	case 1:
		sim_vdev_run(&t.dev);
		return true;
	case 2: {
		unsigned id = word(in), len = word(in);
		len |= byte(in) << 16;
		sim_push_used(s, id, len, byte(in) % 8);
		return true;
	}
	case 3:
		if (s->packed)
			sim_set_flags(s, byte(in), (uint16_t)word(in));
		else
			sim_set_used_idx(s, (uint16_t)(s->used_idx + (int8_t)byte(in)));
		return true;
	case 4:
		sim_vdev_needs_reset(&t.dev);
		return true;
	}
	return false;
}

/* The device's own rules about the driver (status order, rings freed while it holds them).
 * A ring's view is muddled by what the input made up (elements, flags), so what a ring
 * complains of is dropped before a reset could pass it on to the device's. */
static void ensure_driver_kept_the_rules(void)
{
	if (t.dev.err[0])
		fprintf(stderr, "device: %s\n", t.dev.err);
	ENSURE(!t.dev.err[0]);
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		t.dev.q[q].ring.err[0] = 0;
}
#endif
