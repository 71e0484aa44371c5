/* sim_transport.c - a simulated virtio device (status, features, config, queues) and a fake transport onto it. */
#include "tests/sim/sim_transport.h"
#include "kernel/poll.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static void rule(struct sim_vdev *d, const char *fmt, ...)
{
	if (d->err[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
}

static bool bad(const struct sim_vdev *d, enum sim_bad b) { return d->bad & SIM_BAD(b); }

/* A device holds an enabled queue's rings until it is reset: the driver must not free them
 * before (checked on every access, as the device could write them at any moment). */
static void check_rings(struct sim_vdev *d)
{
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		struct sim_queue *sq = &d->q[q];
		if (sq->enabled && (!sim_dma_ptr(sq->desc, VRING_DESC_SIZE(sq->size)) ||
				    !sim_dma_ptr(sq->driver, 4) || !sim_dma_ptr(sq->device, 4)))
			rule(d, "queue %u's rings were freed while the device holds them", q);
	}
}

void sim_vdev_init(struct sim_vdev *d, uint16_t id, uint64_t offered, unsigned nqueues, unsigned max)
{
	memset(d, 0, sizeof *d);
	d->id = id;
	d->offered = offered;
	d->nqueues = nqueues;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		d->q[q].max = q < nqueues ? max : 0;
}

/* ---- status (§2.1) and the order of §3.1.1 ---- */

static void device_reset(struct sim_vdev *d)
{
	if (bad(d, SIM_RESET_STUCK))
		return; /* it goes on as it was, rings and all */
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		struct sim_queue *sq = &d->q[q];
		if (!sq->enabled)
			continue;
		if (sq->ring.err[0])
			rule(d, "queue %u: %s", q, sq->ring.err);
		sim_detach(&sq->ring);
		sq->enabled = sq->masked = sq->pending = false;
	}
	d->old_status = d->status;
	d->reset_left = d->reset_reads;
	d->status = 0;
	d->accepted = 0;
	d->features_written = false;
	d->resets++;
}

uint8_t sim_vdev_status(struct sim_vdev *d)
{
	check_rings(d);
	if (d->reset_left) { /* still resetting */
		d->reset_left--;
		return d->old_status;
	}
	return d->status;
}

void sim_vdev_set_status(struct sim_vdev *d, uint8_t s)
{
	check_rings(d);
	if (d->nstatus < SIM_STATUS_LOG)
		d->status_log[d->nstatus++] = s;
	if (s == 0) {
		device_reset(d);
		return;
	}
	s &= (uint8_t)~VIRTIO_STATUS_NEEDS_RESET; /* the device's bit */
	uint8_t old = d->status & (uint8_t)~VIRTIO_STATUS_NEEDS_RESET, add = s & (uint8_t)~old;
	if (old & VIRTIO_STATUS_FAILED)
		rule(d, "status 0x%02x written after FAILED, without a reset (§2.1.1)", s);
	if (old & ~s)
		rule(d, "status 0x%02x clears bits of 0x%02x (§2.1.1: the driver MUST NOT)", s, old);
	if ((add & VIRTIO_STATUS_DRIVER) && !(s & VIRTIO_STATUS_ACKNOWLEDGE))
		rule(d, "DRIVER before ACKNOWLEDGE (§3.1.1)");
	if (add & VIRTIO_STATUS_FEATURES_OK) {
		if (d->legacy)
			rule(d, "FEATURES_OK on a legacy device");
		if (!(s & VIRTIO_STATUS_DRIVER) || !d->features_written)
			rule(d, "FEATURES_OK before DRIVER and the features (§3.1.1)");
		if ((d->accepted & ~d->offered) || bad(d, SIM_REFUSE_FEATURES_OK))
			s &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK; /* §2.2.2: it does not stick */
	}
	if (add & VIRTIO_STATUS_DRIVER_OK) {
		uint8_t need = d->legacy ? VIRTIO_STATUS_DRIVER : VIRTIO_STATUS_FEATURES_OK;
		if (!(old & need))
			rule(d, "DRIVER_OK without %s (§3.1.1)", d->legacy ? "DRIVER" : "FEATURES_OK");
	}
	d->status = s | (d->status & VIRTIO_STATUS_NEEDS_RESET);
}

void sim_vdev_needs_reset(struct sim_vdev *d)
{
	d->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (d->status & VIRTIO_STATUS_DRIVER_OK) /* §2.1.2: then a config change notification */
		d->raise(d, -1);
}

/* ---- features (§2.2) ---- */

uint64_t sim_vdev_features(struct sim_vdev *d)
{
	check_rings(d);
	return d->legacy ? d->offered & 0xffffffffull : d->offered;
}

void sim_vdev_accept(struct sim_vdev *d, uint64_t f)
{
	check_rings(d);
	if (!(d->status & VIRTIO_STATUS_DRIVER) || (d->status & VIRTIO_STATUS_FEATURES_OK))
		rule(d, "features 0x%llx written outside step 4 of §3.1.1 (status 0x%02x)",
		     (unsigned long long)f, d->status);
	if (f & ~d->offered)
		rule(d, "the driver accepts 0x%llx, which was not offered (§2.2.1)",
		     (unsigned long long)(f & ~d->offered));
	d->accepted = d->legacy ? f & 0xffffffffull : f;
	d->features_written = true;
}

/* ---- config space (§2.5) ---- */

uint32_t sim_vdev_generation(struct sim_vdev *d)
{
	if (bad(d, SIM_GENERATION_CHURN))
		d->generation++;
	return d->generation;
}

uint64_t sim_vdev_config_read(struct sim_vdev *d, unsigned off, int width)
{
	uint64_t v = 0;
	check_rings(d);
	if (off + (unsigned)width > d->config_size) {
		rule(d, "config read of %d bytes at 0x%x, past its %zu bytes", width, off, d->config_size);
		return 0;
	}
	memcpy(&v, d->config + off, (size_t)width);
	if (d->legacy && bad(d, SIM_GENERATION_CHURN))
		v ^= ++d->generation; /* no two reads agree */
	return v;
}

void sim_vdev_config_write(struct sim_vdev *d, unsigned off, int width, uint64_t v)
{
	check_rings(d);
	if (!d->legacy && !(d->status & VIRTIO_STATUS_FEATURES_OK))
		rule(d, "config written before FEATURES_OK (§3.1.1 step 4)");
	if (off + (unsigned)width > d->config_size)
		rule(d, "config write of %d bytes at 0x%x, past its %zu bytes", width, off, d->config_size);
	else
		memcpy(d->config + off, &v, (size_t)width);
}

void sim_vdev_config_change(struct sim_vdev *d, unsigned off, const void *p, size_t len)
{
	if (off + len > sizeof d->config)
		abort();
	memcpy(d->config + off, p, len);
	if (off + len > d->config_size)
		d->config_size = off + len;
	d->generation++;
	if (d->status & VIRTIO_STATUS_DRIVER_OK)
		d->raise(d, -1);
}

/* ---- queues ---- */

unsigned sim_vdev_queue_max(struct sim_vdev *d, unsigned q)
{
	check_rings(d);
	return q < d->nqueues && q < VIRTIO_MAX_QUEUES ? d->q[q].max : 0;
}

static void ring_irq(struct sim_dev *s)
{
	struct sim_vdev *d = s->irq_arg;
	struct sim_queue *sq = (struct sim_queue *)((char *)s - offsetof(struct sim_queue, ring));
	d->raise(d, (int)(sq - d->q));
}

void sim_vdev_queue_enable(struct sim_vdev *d, unsigned q, unsigned size, dma_addr_t desc, dma_addr_t driver,
			   dma_addr_t device)
{
	check_rings(d);
	uint8_t need = d->legacy ? VIRTIO_STATUS_DRIVER : VIRTIO_STATUS_FEATURES_OK;
	if (q >= d->nqueues || q >= VIRTIO_MAX_QUEUES) {
		rule(d, "queue %u enabled; the device has %u", q, d->nqueues);
		return;
	}
	struct sim_queue *sq = &d->q[q];
	bool packed = !d->legacy && (d->accepted & BIT(VIRTIO_F_RING_PACKED));
	if (!(d->status & need) || (d->status & VIRTIO_STATUS_DRIVER_OK))
		rule(d, "queue %u set up at status 0x%02x, not in step 7 of §3.1.1", q, d->status);
	if (sq->enabled)
		rule(d, "queue %u enabled twice without a reset", q);
	if (size == 0 || size > sq->max || (!packed && (size & (size - 1))) || (d->legacy && size != sq->max))
		rule(d, "queue %u of size %u (the device's maximum: %u)", q, size, sq->max);
	unsigned flags = (packed ? VQ_F_PACKED : 0) | (d->legacy ? VQ_F_LEGACY : 0);
	if (d->accepted & BIT(VIRTIO_F_EVENT_IDX))
		flags |= VQ_F_EVENT_IDX;
	if (d->accepted & BIT(VIRTIO_F_INDIRECT_DESC))
		flags |= VQ_F_INDIRECT;
	memset(&sq->ring, 0, sizeof sq->ring);
	sq->ring.irq = ring_irq;
	sq->ring.irq_arg = d;
	if (sim_attach_ring(&sq->ring, size, flags, desc, driver, device)) {
		rule(d, "queue %u: %s", q, sq->ring.err);
		sim_detach(&sq->ring);
		return;
	}
	sq->enabled = true;
	sq->size = size;
	sq->desc = desc, sq->driver = driver, sq->device = device;
	sq->masked = sq->pending = false;
}

void sim_vdev_notify(struct sim_vdev *d, unsigned q)
{
	check_rings(d);
	if (!(d->status & VIRTIO_STATUS_DRIVER_OK))
		rule(d, "queue %u notified before DRIVER_OK (§3.1.1)", q);
	if (q >= VIRTIO_MAX_QUEUES || !d->q[q].enabled) {
		rule(d, "queue %u notified, and it is not enabled", q);
		return;
	}
	d->q[q].notifies++;
	d->q[q].ring.kicks++;
}

struct sim_dev *sim_vdev_ring(struct sim_vdev *d, unsigned q) { return &d->q[q].ring; }

int sim_vdev_run(void *arg)
{
	struct sim_vdev *d = arg;
	int work = 0;
	check_rings(d);
	/* §2.1.2: nothing is consumed before DRIVER_OK, nor once the device gave up */
	if ((d->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) !=
	    VIRTIO_STATUS_DRIVER_OK)
		return 0;
	for (unsigned q = 0; q < d->nqueues && q < VIRTIO_MAX_QUEUES; q++) {
		if (!d->q[q].enabled)
			continue;
		int n = sim_fetch(&d->q[q].ring);
		if (n > 0)
			work += n;
		if (d->serve)
			d->serve(d, q);
	}
	return work;
}

const char *sim_vdev_error(struct sim_vdev *d)
{
	if (d->err[0])
		return d->err;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if (d->q[q].enabled && d->q[q].ring.err[0])
			return d->q[q].ring.err;
	return NULL;
}

/* ---- the fake transport: virtio_ops straight onto the device ---- */

static struct sim_vdev *dev_of(struct virtio_dev *vd) { return &((struct sim_virtio *)vd->transport)->dev; }

/* What a transport's interrupt handler does: the core's entry points, as a completion. */
static void fake_raise(struct sim_vdev *d, int q)
{
	struct sim_virtio *t = d->transport;
	if (!d->irqs) {
		if (q >= 0)
			d->q[q].lost_irqs++;
		return;
	}
	if (q >= 0 && d->q[q].masked) {
		d->q[q].pending = true; /* MSI-X: the pending bit; delivered when unmasked */
		return;
	}
	completion_enter();
	if (q < 0) {
		d->config_irqs++;
		virtio_config_irq(&t->vd);
	} else {
		d->q[q].irqs++;
		virtio_queue_irq(&t->vd, (unsigned)q);
	}
	completion_leave();
}

static int fake_reset(struct virtio_dev *vd)
{
	struct sim_vdev *d = dev_of(vd);
	sim_vdev_set_status(d, 0);
	for (int i = 0; i < SIM_RESET_POLLS; i++)
		if (!sim_vdev_status(d))
			return 0;
	return -ETIMEDOUT;
}

static uint8_t fake_get_status(struct virtio_dev *vd) { return sim_vdev_status(dev_of(vd)); }
static void fake_set_status(struct virtio_dev *vd, uint8_t s) { sim_vdev_set_status(dev_of(vd), s); }
static uint64_t fake_get_features(struct virtio_dev *vd) { return sim_vdev_features(dev_of(vd)); }
static void fake_set_features(struct virtio_dev *vd, uint64_t f) { sim_vdev_accept(dev_of(vd), f); }

/* The transport's promise (virtio.h): a read that never settles sets config_error. */
static uint64_t fake_read_config(struct virtio_dev *vd, unsigned off, int width)
{
	struct sim_vdev *d = dev_of(vd);
	for (int tries = 0;; tries++) {
		uint32_t gen = sim_vdev_generation(d);
		uint64_t v = sim_vdev_config_read(d, off, width);
		if (gen == sim_vdev_generation(d))
			return v;
		if (tries == VIRTIO_CONFIG_TRIES) {
			vd->config_error = -EIO;
			return v;
		}
	}
}

static void fake_write_config(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	sim_vdev_config_write(dev_of(vd), off, width, v);
}

static uint32_t fake_generation(struct virtio_dev *vd) { return sim_vdev_generation(dev_of(vd)); }
static size_t fake_config_size(struct virtio_dev *vd) { return dev_of(vd)->config_size; }
static unsigned fake_max_queues(struct virtio_dev *vd) { return dev_of(vd)->nqueues; }
static unsigned fake_queue_max(struct virtio_dev *vd, unsigned q)
{
	return sim_vdev_queue_max(dev_of(vd), q);
}

static int fake_queue_activate(struct virtio_dev *vd, unsigned q, struct virtqueue *vq)
{
	struct sim_vdev *d = dev_of(vd);
	if (bad(d, SIM_REFUSE_QUEUE_VECTOR) && q == d->bad_queue)
		return -EIO; /* as virtio_pci.c when the vector does not read back */
	dma_addr_t desc = vq_desc_addr(vq), driver = vq_driver_addr(vq), device = vq_device_addr(vq);
	if (d->legacy) { /* §2.7.2 legacy: the device gets one address and lays the ring out itself */
		unsigned n = vq_size(vq);
		driver = desc + VRING_DESC_SIZE(n);
		device = (driver + VRING_AVAIL_SIZE(n) + VRING_LEGACY_ALIGN - 1) &
			 ~(dma_addr_t)(VRING_LEGACY_ALIGN - 1);
	}
	sim_vdev_queue_enable(d, q, vq_size(vq), desc, driver, device);
	return 0;
}

static void fake_notify(struct virtqueue *vq, void *priv) { sim_vdev_notify(dev_of(priv), vq_index(vq)); }

static int fake_setup_irqs(struct virtio_dev *vd, unsigned nqueues)
{
	struct sim_vdev *d = dev_of(vd);
	if (bad(d, SIM_REFUSE_VECTORS))
		return -EIO;
	if (d->irqs)
		rule(d, "interrupts set up twice, without free_irqs");
	if (nqueues > d->nqueues)
		rule(d, "interrupts for %u queues; the device has %u", nqueues, d->nqueues);
	d->irqs = true;
	d->irq_setups++;
	return 0;
}

static void fake_free_irqs(struct virtio_dev *vd) { dev_of(vd)->irqs = false; }

static void fake_mask_queue_irq(struct virtio_dev *vd, unsigned q, bool mask)
{
	struct sim_vdev *d = dev_of(vd);
	d->q[q].masked = mask;
	if (!mask && d->q[q].pending) {
		d->q[q].pending = false;
		fake_raise(d, (int)q);
	}
}

static void fake_location(struct virtio_dev *vd, char *buf, size_t len) { snprintf(buf, len, "sim"); }

#define SIM_OPS(n, leg)                                                                                      \
	{                                                                                                    \
		.reset = fake_reset, .get_status = fake_get_status, .set_status = fake_set_status,           \
		.get_features = fake_get_features, .set_features = fake_set_features,                        \
		.read_config = fake_read_config, .write_config = fake_write_config,                          \
		.config_generation = fake_generation, .config_size = fake_config_size,                       \
		.max_queues = fake_max_queues, .queue_max = fake_queue_max,                                  \
		.queue_activate = fake_queue_activate, .notify = fake_notify, .setup_irqs = fake_setup_irqs, \
		.free_irqs = fake_free_irqs, .mask_queue_irq = fake_mask_queue_irq,                          \
		.location = fake_location, .name = n, .legacy = leg,                                         \
	}
static const struct virtio_ops sim_modern_ops = SIM_OPS("modern", false);
static const struct virtio_ops sim_legacy_ops = SIM_OPS("legacy", true);

void sim_virtio_init(struct sim_virtio *t, uint16_t id, uint64_t offered, bool legacy)
{
	memset(t, 0, sizeof *t);
	sim_vdev_init(&t->dev, id, offered, 2, 256);
	t->dev.legacy = legacy;
	t->dev.raise = fake_raise;
	t->dev.transport = t;
	t->dma = (struct dma_dev){ .name = "sim", .ops = &sim_backend };
	t->vd.ops = legacy ? &sim_legacy_ops : &sim_modern_ops;
	t->vd.transport = t;
	t->vd.dma = &t->dma;
}

int sim_virtio_probe(struct sim_virtio *t) { return virtio_probe(&t->vd, t->dev.id); }

void sim_virtio_unplug(struct sim_virtio *t)
{
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		if (t->dev.q[q].enabled)
			sim_detach(&t->dev.q[q].ring);
		t->dev.q[q].enabled = false;
		vq_destroy(t->vd.q[q].vq);
		t->vd.q[q].vq = NULL;
	}
}
