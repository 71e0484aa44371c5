/* virtio.c - the virtio core: the handshake, queues, the three modes, one poller per device. */
#include "drivers/virtio/virtio.h"
#include "kernel/acct.h"
#include "kernel/boot_phase.h"
#include "kernel/dma.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define POLL_BUDGET 64

static const struct virtio_driver *const drivers[] = {
	&virtio_rng_driver,
	&virtio_blk_driver,
	&virtio_net_driver,
	&virtio_iommu_vdriver,
};

struct virtio_dev *virtio_devices;
static struct virtio_dev **tail = &virtio_devices;

static const char *const ring_feature_names[64] = {
	[VIRTIO_F_NOTIFY_ON_EMPTY] = "NOTIFY_ON_EMPTY",
	[VIRTIO_F_ANY_LAYOUT] = "ANY_LAYOUT",
	[VIRTIO_F_INDIRECT_DESC] = "INDIRECT_DESC",
	[VIRTIO_F_EVENT_IDX] = "EVENT_IDX",
	[VIRTIO_F_VERSION_1] = "VERSION_1",
	[VIRTIO_F_ACCESS_PLATFORM] = "ACCESS_PLATFORM",
	[VIRTIO_F_RING_PACKED] = "RING_PACKED",
	[VIRTIO_F_IN_ORDER] = "IN_ORDER",
	[VIRTIO_F_ORDER_PLATFORM] = "ORDER_PLATFORM",
	[VIRTIO_F_SR_IOV] = "SR_IOV",
	[VIRTIO_F_NOTIFICATION_DATA] = "NOTIFICATION_DATA",
	[VIRTIO_F_RING_RESET] = "RING_RESET",
};

/* The ring features ringside implements, whatever the device type. */
#define RING_FEATURES                                                                      \
	(BIT(VIRTIO_F_INDIRECT_DESC) | BIT(VIRTIO_F_EVENT_IDX) | BIT(VIRTIO_F_VERSION_1) | \
	 BIT(VIRTIO_F_ACCESS_PLATFORM) | BIT(VIRTIO_F_RING_PACKED))

const char *virtio_feature_name(const struct virtio_dev *vd, unsigned bit)
{
	if (bit >= 24 && bit < 64 && ring_feature_names[bit])
		return ring_feature_names[bit];
	if (bit < 24 && vd->drv && vd->drv->feature_name)
		return vd->drv->feature_name(bit);
	return NULL;
}

void virtio_format_features(const struct virtio_dev *vd, uint64_t f, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (unsigned bit = 0; bit < 64 && n < len; bit++) {
		if (!(f & BIT(bit)))
			continue;
		const char *name = virtio_feature_name(vd, bit);
		int w = name ? ksnprintf(buf + n, len - n, "%s%s", n ? "," : "", name)
			     : ksnprintf(buf + n, len - n, "%sbit%u", n ? "," : "", bit);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

uint64_t virtio_config_read(struct virtio_dev *vd, unsigned off, int width)
{
	return vd->ops->read_config(vd, off, width);
}

void virtio_config_write(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	vd->ops->write_config(vd, off, width, v);
}

/* A reset that completed leaves the status 0: so does the driver's record of
 * it. One that did not leaves whatever the device shows, and FAILED is
 * later added to that, so that no bit is cleared (§2.1.2). */
static int reset_device(struct virtio_dev *vd)
{
	int r = vd->ops->reset(vd);
	vd->status = r ? vd->ops->get_status(vd) : 0;
	return r;
}

static void set_status(struct virtio_dev *vd, uint8_t bit, const char *step)
{
	vd->status |= bit; /* our own record: nothing the device reports is written back */
	vd->ops->set_status(vd, vd->status);
	log_info("virtio %s: %s\n", vd->name, step);
}

/* The three modes (docs/design.md): which interrupts are on, and whether the CPU may sleep. */
static void apply_mode(struct virtio_dev *vd, unsigned q, enum io_mode mode)
{
	struct virtio_queue *vq = &vd->q[q];
	if (mode == IO_MODE_POLL || vd->drv->self_polled & BIT(q)) {
		vq_disable_cb(vq->vq);
		vq->irq_on = false;
		if (vd->ops->mask_queue_irq)
			vd->ops->mask_queue_irq(vd, q, true);
	} else {
		if (vd->ops->mask_queue_irq)
			vd->ops->mask_queue_irq(vd, q, false);
		vq->irq_on = true;
		vq_enable_cb(vq->vq);
		vq->pending = true; /* look once: something may have completed meanwhile */
	}
}

int virtio_set_mode(struct virtio_dev *vd, enum io_mode mode)
{
	if (vd->broken)
		return -EIO;
	uint64_t flags = irq_save();
	if (vd->mode == IO_MODE_POLL && mode != IO_MODE_POLL)
		poll_busy_put();
	if (vd->mode != IO_MODE_POLL && mode == IO_MODE_POLL)
		poll_busy_get();
	vd->mode = mode;
	for (unsigned q = 0; q < vd->nqueues; q++)
		apply_mode(vd, q, mode);
	irq_restore(flags);
	poll_kick();
	return 0;
}

int virtio_setup_queues(struct virtio_dev *vd, unsigned n, unsigned max_size)
{
	int r;
	if (n == 0 || n > VIRTIO_MAX_QUEUES || n > vd->ops->max_queues(vd))
		return -EINVAL;
	r = vd->ops->setup_irqs(vd, n);
	if (r)
		return r;
	unsigned flags = 0;
	if (virtio_has(vd, VIRTIO_F_EVENT_IDX))
		flags |= VQ_F_EVENT_IDX;
	if (virtio_has(vd, VIRTIO_F_INDIRECT_DESC))
		flags |= VQ_F_INDIRECT;
	if (virtio_has(vd, VIRTIO_F_RING_PACKED))
		flags |= VQ_F_PACKED;
	if (vd->ops->legacy)
		flags |= VQ_F_LEGACY;
	for (unsigned q = 0; q < n; q++) {
		unsigned max = vd->ops->queue_max(vd, q), size = max;
		if (!max)
			return -ENODEV;
		if (max_size && size > max_size && (!(flags & VQ_F_LEGACY) || vd->ops->legacy_sized))
			size = max_size; /* a legacy PCI device's size is fixed */
		if ((flags & VQ_F_LEGACY) && !vd->ops->legacy_sized && (size & (size - 1))) {
			/* §2.7 legacy: the device lays the ring out for its own size, which
			 * no smaller ring of ours would match */
			log_err("virtio %s: legacy queue %u of size %u, not a power of two\n", vd->name, q,
				size);
			return -ENODEV;
		}
		if (!(flags & VQ_F_PACKED))
			while (size & (size - 1))
				size &= size - 1; /* split rings: a power of two */
		struct vq_config cfg = {
			.name = vd->name,
			.index = q,
			.num = size,
			.flags = flags,
			.dma = vd->dma,
			.notify = vd->ops->notify,
			.priv = vd,
		};
		vd->q[q].vq = vq_create(&cfg);
		if (!vd->q[q].vq)
			return -ENOMEM;
		r = vd->ops->queue_activate(vd, q, vd->q[q].vq);
		if (r)
			return r;
		vd->nqueues = q + 1;
		apply_mode(vd, q, vd->mode);
	}
	return 0;
}

void virtio_queue_irq(struct virtio_dev *vd, unsigned q)
{
	if (q >= vd->nqueues)
		return;
	vq_irq(vd->q[q].vq); /* counts it, and traces it when trace is on */
	vd->q[q].pending = true;
	poll_kick();
}

void virtio_config_irq(struct virtio_dev *vd)
{
	vd->config_pending = true;
	poll_kick();
}

/* ---- IOMMU faults (kernel/dma_fault.c has the policy) ---- */

/* From the IOMMU driver, interrupts off: device_poll, which looks at
 * fault_reset on every turn, must get one soon. */
static void fault_notify(struct dma_dev *d)
{
	(void)d;
	poll_kick();
}

/*
 * How many used buffers the driver may take from queue q this turn. With
 * an IOMMU a request whose buffer faulted may still come back "done" (QEMU
 * bounces a small buffer and drops the write). The unit records the fault
 * before the device marks the buffer used, so: count what is used, then
 * read the fault records, then take only what was counted; each of those
 * requests' faults has then reached the driver.
 */
static int fenced_budget(struct virtio_dev *vd, unsigned q)
{
	if (!dma_translated(vd->dma))
		return POLL_BUDGET;
	unsigned n = vq_used_ready(vd->q[q].vq, POLL_BUDGET);
	if (n)
		dma_sync_faults(vd->dma);
	return vd->dma->fault_reset ? 0 : (int)n;
}

/*
 * One queue's turn in the main loop. poll: look every time. irq: look when
 * an interrupt came; interrupts stay on, re-armed after each look. hybrid
 * (NAPI): when an interrupt
 * came, turn the queue's interrupts off, poll it empty, turn them back on;
 * vq_enable_cb says whether buffers slipped in meanwhile (virtio 1.2
 * §2.7.10 and §2.8.21: the driver must check the ring after re-enabling).
 */
int virtio_poll_queue(struct virtio_dev *vd, unsigned q)
{
	struct virtio_queue *vq = &vd->q[q];
	int n, total = 0;

	if (vd->drv->self_polled & BIT(q))
		return 0; /* the driver takes these itself */
	if (vd->mode != IO_MODE_POLL && !vq->pending)
		return 0;
	int acct = acct_open(&vq_stats(vq->vq)->complete_tsc);
	vq->pending = false;
	if (vd->mode == IO_MODE_HYBRID)
		vq_disable_cb(vq->vq);
	for (;;) {
		int budget = fenced_budget(vd, q);
		if (vd->dma->fault_reset)
			break; /* device_poll resets the device */
		/* what the completions post again goes out with one kick, before
		 * interrupts are re-armed below and the CPU may sleep */
		vq_defer_kicks(vq->vq);
		n = vd->drv->poll(vd, q, budget);
		vq_flush_kicks(vq->vq);
		vq_stats(vq->vq)->polls++;
		if (!n)
			vq_stats(vq->vq)->empty_polls++;
		total += n;
		if (n == POLL_BUDGET) {
			vq->pending = true; /* more to do: come back on the next turn */
			break;
		}
		/* irq: interrupts stay on, but with EVENT_IDX the device is told
		 * again where the next one is due (used_event moves with us) */
		if (vd->mode == IO_MODE_POLL || vq_enable_cb(vq->vq))
			break;
	}
	acct_close(acct);
	return total;
}

static int virtio_reinit(struct virtio_dev *vd);
static void give_up(struct virtio_dev *vd);

void virtio_request_reset(struct virtio_dev *vd, const char *why)
{
	if (!vd->reset_why)
		vd->reset_why = why;
	poll_kick();
}

/*
 * Every recovery goes through here: DEVICE_NEEDS_RESET, a ring the device
 * broke, an IOMMU fault on nothing a request holds, config that will not
 * settle, a request never completed. A storm of them is slowed down (one
 * reset per RESET_GAP_NS), and a device that keeps breaking
 * (RESETS_PER_WINDOW within RESET_WINDOW_NS) is given up and marked FAILED.
 * Returns true when the device was reset or given up.
 */
static bool recover(struct virtio_dev *vd)
{
	uint64_t now = now_ns();
	unsigned n = sizeof vd->reset_at / sizeof vd->reset_at[0];
	if (vd->resets && now - vd->reset_at[(vd->resets - 1) % n] < RESET_GAP_NS)
		return false; /* the last one was just now: later (the device is not polled meanwhile) */
	if (vd->resets >= n && now - vd->reset_at[vd->resets % n] < RESET_WINDOW_NS) {
		give_up(vd);
		return true;
	}
	log_err("virtio %s: resetting the device: %s\n", vd->name, vd->reset_why);
	vd->reset_at[vd->resets % n] = now; /* virtio_reinit counts it in resets */
	virtio_reinit(vd);
	return true;
}

/* What the device says about itself after a configuration interrupt. */
static const char *check_status(struct virtio_dev *vd)
{
	uint8_t st = vd->ops->get_status(vd);
	if (st & VIRTIO_STATUS_NEEDS_RESET) {
		log_err("virtio %s: device needs reset; failing what is in flight and starting again\n",
			vd->name);
		return "DEVICE_NEEDS_RESET";
	}
	if (!(st & VIRTIO_STATUS_DRIVER_OK) || (!vd->ops->legacy && !(st & VIRTIO_STATUS_FEATURES_OK))) {
		log_err("virtio %s: the device dropped DRIVER_OK or FEATURES_OK (status 0x%x)\n", vd->name,
			st);
		return "it dropped DRIVER_OK or FEATURES_OK";
	}
	return NULL;
}

/* The device's turn in the main loop: deadlines, config changes and resets, then each queue. */
static int device_poll(void *arg)
{
	struct virtio_dev *vd = arg;
	int work = 0;

	if (vd->broken)
		return 0;
	if (vd->drv->tick) {
		uint64_t now = poll_now_ns();
		if (now >= vd->next_tick) {
			vd->next_tick = now + VIRTIO_TICK_NS;
			vd->drv->tick(vd, now);
		}
	}
	if (vd->dma->fault_reset && !vd->reset_why) {
		/* nothing more the device reports is believed (a completion it
		 * announces may lack its data): kernel/dma_fault.c */
		log_err("virtio %s: IOMMU fault at 0x%llx matches no request in flight\n", vd->name,
			(unsigned long long)vd->dma->fault_last);
		vd->reset_why = "an IOMMU fault matched no request in flight";
	}
	if (vd->config_pending && !vd->reset_why) {
		vd->config_pending = false;
		const char *why = check_status(vd);
		if (!why && vd->drv->config_changed)
			vd->drv->config_changed(vd);
		if (!why && vd->config_error)
			why = "its config would not settle";
		if (why)
			vd->reset_why = why;
		work++;
	}
	if (vd->reset_why)
		return recover(vd) ? 1 : 0;
	/* Each turn of the loop comes here for every device, most of the time
	 * to find nothing: the checks that find nothing are made here, without
	 * a call per queue (under TCG each return is a jump QEMU looks up). */
	for (unsigned q = 0; q < vd->nqueues; q++)
		if (vd->q[q].pending || vd->mode == IO_MODE_POLL)
			work += virtio_poll_queue(vd, q);
	if (vd->breaks_seen != vq_breaks) { /* a ring broke somewhere: one of ours? */
		vd->breaks_seen = vq_breaks;
		for (unsigned q = 0; q < vd->nqueues; q++)
			if (vq_broken(vd->q[q].vq))
				virtio_request_reset(vd, "it broke the rules of a ring");
	}
	return work;
}

struct virtio_dev *virtio_find(const char *name)
{
	for (struct virtio_dev *vd = virtio_devices; vd; vd = vd->next)
		if (!strcmp(vd->name, name))
			return vd;
	return NULL;
}

static void log_features(struct virtio_dev *vd, const char *what, uint64_t f)
{
	char buf[512];
	virtio_format_features(vd, f, buf, sizeof buf);
	log_info("virtio %s: %s %s\n", vd->name, what, buf);
}

/* Device initialisation, virtio 1.2 §3.1.1, steps 1-6; the driver does 7. */
static int handshake(struct virtio_dev *vd)
{
	bool modern = !vd->ops->legacy;

	int r = reset_device(vd); /* 1: reset */
	if (r) {
		log_err("virtio %s: the device does not finish its reset (status never reads 0)\n", vd->name);
		return r;
	}
	log_info("virtio %s: reset\n", vd->name);
	set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE, "ACKNOWLEDGE"); /* 2: we noticed it */
	set_status(vd, VIRTIO_STATUS_DRIVER, "DRIVER");           /* 3: we can drive it */
	vd->offered = vd->ops->get_features(vd);                  /* 4: negotiate */
	log_features(vd, "offers", vd->offered);
	if (modern && !(vd->offered & BIT(VIRTIO_F_VERSION_1))) {
		log_err("virtio %s: modern transport without VERSION_1\n", vd->name);
		return -EPROTO;
	}
	vd->features = vd->offered & (RING_FEATURES | vd->drv->features);
	if (!modern)
		vd->features &= 0xffffffffull;
	log_features(vd, "accepts", vd->features);
	r = dma_attach(vd->dma, virtio_has(vd, VIRTIO_F_ACCESS_PLATFORM)); /* IOVAs or physical */
	if (r) {
		log_err("virtio %s: no IOMMU domain for the device (%d)\n", vd->name, r);
		return r;
	}
	vd->ops->set_features(vd, vd->features);
	if (!modern)
		return 0; /* legacy devices have no FEATURES_OK (§4.1.5.1.3.1) */
	set_status(vd, VIRTIO_STATUS_FEATURES_OK, "FEATURES_OK");     /* 5 */
	if (!(vd->ops->get_status(vd) & VIRTIO_STATUS_FEATURES_OK)) { /* 6: did it agree? */
		log_err("virtio %s: device refused the features\n", vd->name);
		return -EPROTO;
	}
	return 0;
}

/* §3.1.1: a step went wrong; the driver sets FAILED (adding it: no status bit is
 * cleared, §2.1.2). Queues the probe set up may be live in the device: it lets go of
 * them (a reset) before they are freed, and one that will not keeps them. */
static void init_failed(struct virtio_dev *vd)
{
	bool live = false;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		live |= vd->q[q].vq != NULL;
	if (!live || reset_device(vd) == 0) {
		for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
			vq_destroy(vd->q[q].vq);
			vd->q[q].vq = NULL;
		}
	} else {
		log_err("virtio %s: the device does not finish its reset; its rings stay its own\n",
			vd->name);
	}
	vd->ops->free_irqs(vd);
	vd->nqueues = 0;
	vd->status |= VIRTIO_STATUS_FAILED; /* added, no bit cleared (§2.1.2) */
	vd->ops->set_status(vd, vd->status);
}

static int bring_up(struct virtio_dev *vd)
{
	int r = handshake(vd);
	if (!r)
		r = vd->drv->probe(vd); /* 7: device-specific setup, queues */
	if (!r && vd->config_error)
		r = vd->config_error; /* config that never settled: nothing read from it holds */
	if (r) {
		init_failed(vd);
		log_err("virtio %s: initialisation failed (%d); device marked FAILED\n", vd->name, r);
		return r;
	}
	set_status(vd, VIRTIO_STATUS_DRIVER_OK, "DRIVER_OK"); /* 8: live */
	/* what the probe posted (a receive ring filled) is announced now: no notification
	 * goes to the device before DRIVER_OK (§3.1.1) */
	for (unsigned q = 0; q < vd->nqueues; q++)
		vq_kick(vd->q[q].vq);
	return 0;
}

/* The device lets go of the rings first; one that will not may still write
 * them, so they are not freed (nor ever used again): the device is broken. */
static int teardown_queues(struct virtio_dev *vd)
{
	if (reset_device(vd)) {
		log_err("virtio %s: the device does not finish its reset; its rings stay its own, and it "
			"is given up\n",
			vd->name);
		vd->broken = true;
		if (vd->drv->reset_fail)
			vd->drv->reset_fail(vd); /* its callers hear of it (docs/hardening.md) */
		return -ETIMEDOUT;
	}
	if (vd->drv->reset_fail)
		vd->drv->reset_fail(vd);
	vd->ops->free_irqs(vd);
	for (unsigned q = 0; q < vd->nqueues; q++) {
		vq_destroy(vd->q[q].vq);
		vd->q[q].vq = NULL;
	}
	vd->nqueues = 0;
	return 0;
}

static int virtio_reinit(struct virtio_dev *vd)
{
	enum io_mode mode = vd->mode;
	int r = teardown_queues(vd);
	if (mode == IO_MODE_POLL)
		poll_busy_put(); /* bring_up sets the mode's queues up afresh; a broken device polls no more */
	if (r)
		return r;
	dma_fault_clear(vd->dma); /* what the old queues faulted on went with them */
	vd->config_error = 0;
	vd->reset_why = NULL;
	r = bring_up(vd);
	if (r) {
		vd->broken = true;
		return r;
	}
	if (mode == IO_MODE_POLL)
		poll_busy_get();
	vd->resets++;
	log_info("virtio %s: reset and running again (%u resets)\n", vd->name, vd->resets);
	return 0;
}

/* A device that keeps breaking: everything in flight fails, and it is
 * left FAILED (virtio 1.2 §2.1: the driver has given up on the device). */
static void give_up(struct virtio_dev *vd)
{
	unsigned n = sizeof vd->reset_at / sizeof vd->reset_at[0];
	log_err("virtio %s: the device keeps breaking (%u resets in %llu ms; %s): given up, marked "
		"FAILED\n",
		vd->name, n, (unsigned long long)((now_ns() - vd->reset_at[vd->resets % n]) / 1000000),
		vd->reset_why);
	enum io_mode mode = vd->mode;
	teardown_queues(vd);
	vd->status |= VIRTIO_STATUS_FAILED; /* §2.1.2: add it */
	vd->ops->set_status(vd, vd->status);
	vd->broken = true;
	if (mode == IO_MODE_POLL)
		poll_busy_put();
}

int virtio_probe(struct virtio_dev *vd, uint16_t device_id)
{
	static int counts[sizeof drivers / sizeof drivers[0]];
	int i;

	for (i = 0; i < (int)(sizeof drivers / sizeof drivers[0]); i++)
		if (drivers[i]->device_id == device_id)
			break;
	if (i == (int)(sizeof drivers / sizeof drivers[0]))
		return -ENODEV;
	vd->drv = drivers[i];
	ksnprintf(vd->name, sizeof vd->name, "%s%d", vd->drv->prefix, counts[i]);
	vd->mode = kconfig.mode;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vd->q[q] = (struct virtio_queue){ 0 };
	vd->dma->fault_notify = fault_notify; /* before bring_up: the domain may fault at once */
	vd->dma->owner = vd;
	int r = bring_up(vd);
	boot_phase(vd->name); /* from the step before: the transport's probe, then the handshake */
	if (r) {
		vd->dma->fault_notify = NULL; /* the transport frees vd */
		vd->dma->owner = NULL;
		return r;
	}
	counts[i]++;
	if (vd->mode == IO_MODE_POLL)
		poll_busy_get();
	*tail = vd;
	tail = &vd->next;
	poll_register(device_poll, vd, vd->name);
	return 0;
}
