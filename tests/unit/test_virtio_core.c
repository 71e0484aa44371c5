/* test_virtio_core.c - the virtio core over the fake transport: the handshake, features, the three modes,
 * resets, and the race hybrid mode must not lose. */
#include "test_virtio.h"

/* -- a driver of the tests' own, in rng's slot of the core's table ------------------ */

#define TOKENS 256
static uint8_t *buf; /* a page for requests' buffers */
static dma_addr_t buf_h;

static struct {
	unsigned nq, max_size; /* the queues it asks for */
	int fail;              /* probe returns this once its queues are set up */
	unsigned config_reads; /* probe and config_changed read this many config bytes */
	bool settle;           /* probe stops the device's config churn (it settles once reset) */
	bool post_in_probe;    /* probe posts a buffer on queue 0, as a receive ring is filled */
	unsigned probes, config_changes, polls;
	uintptr_t got[TOKENS]; /* completions, in order */
	unsigned ngot;
	uintptr_t failed[TOKENS]; /* what reset_fail handed back */
	unsigned nfailed;
	int irqs_on_in_poll; /* would the device interrupt while the driver polled? -1: not seen */
	/* the device's work at the end of a poll that took less than its budget: between the
	 * driver's last look at the ring and the core's vq_enable_cb (one shot) */
	void (*hook)(struct virtio_dev *vd, unsigned q);
} td;

static void read_config(struct virtio_dev *d)
{
	for (unsigned i = 0; i < td.config_reads; i++)
		virtio_config_read(d, i, 1);
}

static int td_probe(struct virtio_dev *d)
{
	td.probes++;
	if (td.settle)
		t.dev.bad &= ~SIM_BAD(SIM_GENERATION_CHURN);
	read_config(d);
	int r = virtio_setup_queues(d, td.nq, td.max_size);
	if (!r && td.post_in_probe) {
		struct vq_sg sg = { buf_h, 64 };
		r = vq_add(d->q[0].vq, NULL, 0, &sg, 1, (void *)(uintptr_t)99);
	}
	return r ? r : td.fail;
}

static int td_poll(struct virtio_dev *d, unsigned q, int budget)
{
	void *tok;
	uint32_t len;
	int n = 0;
	td.polls++;
	td.irqs_on_in_poll = sim_irq_wanted(sim_vdev_ring(&t.dev, q));
	while (n < budget && (tok = vq_get(d->q[q].vq, &len))) {
		if (td.ngot < TOKENS)
			td.got[td.ngot++] = (uintptr_t)tok;
		n++;
	}
	if (n < budget && td.hook) {
		void (*hook)(struct virtio_dev *, unsigned) = td.hook;
		td.hook = NULL;
		hook(d, q);
	}
	return n;
}

static void td_config_changed(struct virtio_dev *d)
{
	td.config_changes++;
	read_config(d);
}

static void td_reset_fail(struct virtio_dev *d)
{
	void *tok;
	for (unsigned q = 0; q < d->nqueues; q++)
		while ((tok = vq_detach_unused(d->q[q].vq)))
			if (td.nfailed < TOKENS)
				td.failed[td.nfailed++] = (uintptr_t)tok;
}

const struct virtio_driver virtio_rng_driver = {
	.prefix = "tst",
	.device_id = VIRTIO_ID_RNG,
	.features = BIT(0) | BIT(3),
	.probe = td_probe,
	.poll = td_poll,
	.config_changed = td_config_changed,
	.reset_fail = td_reset_fail,
};
const struct virtio_driver virtio_blk_driver = { .prefix = "blk" };
const struct virtio_driver virtio_net_driver = { .prefix = "net" };

/* -- one device per test ------------------------------------------------------------ */

static void unplug(void)
{
	if (buf && t.vd.ops)
		dma_free(vd->dma, buf, 4096, buf_h);
	buf = NULL;
	vdev_unplug();
}

static void fresh(uint64_t offered, bool legacy, enum io_mode mode)
{
	unplug();
	vdev_fresh(VIRTIO_ID_RNG, offered, legacy, mode);
	memset(&td, 0, sizeof td);
	td.nq = 2;
	td.irqs_on_in_poll = -1;
	t.dev.config_size = 16;
	if (!(buf = dma_alloc(vd->dma, 4096, &buf_h)))
		abort();
	live_before = sim_dma_live();
}

static int probe(void) { return sim_virtio_probe(&t); }

/* Request tok (1..63) on queue q: 64 device-writable bytes. */
static void post(unsigned q, uintptr_t tok)
{
	struct vq_sg sg = { buf_h + (tok % 64) * 64, 64 };
	CHECK_EQ(vq_add(vd->q[q].vq, NULL, 0, &sg, 1, (void *)tok), 0);
	vq_kick(vd->q[q].vq);
}

/* The device completes the oldest chain it holds on queue q (taking what is available first). */
static void complete(unsigned q)
{
	sim_vdev_run(&t.dev);
	if (ring(q)->npending)
		sim_use(ring(q), 0, 8);
}

static void complete_from_hook(struct virtio_dev *d, unsigned q)
{
	(void)d;
	complete(q);
}

#define S_A  VIRTIO_STATUS_ACKNOWLEDGE
#define S_D  VIRTIO_STATUS_DRIVER
#define S_F  VIRTIO_STATUS_FEATURES_OK
#define S_OK VIRTIO_STATUS_DRIVER_OK
#define V1   BIT(VIRTIO_F_VERSION_1)

static void check_status_log(const uint8_t *want, unsigned n)
{
	CHECK_EQ(t.dev.nstatus, n);
	for (unsigned i = 0; i < n && i < t.dev.nstatus; i++)
		if (t.dev.status_log[i] != want[i]) {
			printf("  status write %u: 0x%02x, not 0x%02x\n", i, t.dev.status_log[i], want[i]);
			CHECK(0);
		}
}

/* -- the handshake (virtio 1.2 §3.1.1) and feature negotiation (§2.2) ---------------- */

/* Each step in order, each status write adding one bit; the device's rules (features
 * written between DRIVER and FEATURES_OK, queues set up between FEATURES_OK and
 * DRIVER_OK, no notification before DRIVER_OK) hold. */
static void test_handshake_order_modern(void)
{
	fresh(V1 | BIT(0), false, IO_MODE_HYBRID);
	CHECK_EQ(probe(), 0);
	static const uint8_t want[] = { 0, S_A, S_A | S_D, S_A | S_D | S_F, S_A | S_D | S_F | S_OK };
	check_status_log(want, sizeof want);
	CHECK_EQ(t.dev.accepted, V1 | BIT(0));
	CHECK_EQ(vd->features, V1 | BIT(0));
	CHECK(t.dev.q[0].enabled && t.dev.q[1].enabled);
	CHECK_EQ(t.dev.q[0].size, 256);
	CHECK(!strncmp(vd->name, "tst", 3));
	CHECK(virtio_devices == vd);
	CHECK_EQ(npollers, 1); /* the device's poller */
	CHECK(vdev_ok());
}

/* What a probe posts (a receive ring filled) is announced once the device is live, not
 * before: no notification before DRIVER_OK (§3.1.1), and none for a queue with nothing new. */
static void test_probe_posts_announced_after_driver_ok(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	td.post_in_probe = true;
	CHECK_EQ(probe(), 0);
	CHECK_EQ(t.dev.q[0].notifies, 1);
	CHECK_EQ(t.dev.q[1].notifies, 0);
	CHECK_EQ(sim_vdev_run(&t.dev), 1);
	CHECK(vdev_ok());
}

/* Legacy (§4.1.4.8): 32 feature bits, no FEATURES_OK; the device lays the split ring out
 * from one address, so the queue's layout must be the legacy one. */
static void test_handshake_legacy(void)
{
	fresh(BIT(0) | BIT(VIRTIO_F_EVENT_IDX) | BIT(VIRTIO_F_RING_PACKED) | V1, true, IO_MODE_HYBRID);
	CHECK_EQ(probe(), 0);
	static const uint8_t want[] = { 0, S_A, S_A | S_D, S_A | S_D | S_OK };
	check_status_log(want, sizeof want);
	CHECK_EQ(t.dev.accepted, BIT(0) | BIT(VIRTIO_F_EVENT_IDX)); /* the device shows no more */
	CHECK(ring(0)->flags & VQ_F_LEGACY);
	CHECK(!ring(0)->packed);
	post(0, 1);
	complete(0);
	device_poll(vd);
	CHECK_EQ(td.ngot, 1); /* the ring works as the device laid it out */
	CHECK(vdev_ok());
}

/* Accepted: what the device offers and ringside implements (its ring features, and
 * the driver's device-type bits). Not: bits the driver knows but the device did not
 * offer, ring features ringside lacks, bits nobody knows. */
static void test_feature_negotiation(void)
{
	uint64_t ring_bits = BIT(VIRTIO_F_EVENT_IDX) | BIT(VIRTIO_F_INDIRECT_DESC) |
			     BIT(VIRTIO_F_RING_PACKED) | BIT(VIRTIO_F_ACCESS_PLATFORM);
	uint64_t not_ours = BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | BIT(VIRTIO_F_ANY_LAYOUT) |
			    BIT(VIRTIO_F_IN_ORDER) | BIT(VIRTIO_F_NOTIFICATION_DATA) |
			    BIT(VIRTIO_F_RING_RESET) | BIT(5) | BIT(41) | BIT(50) | BIT(63);
	fresh(V1 | ring_bits | not_ours | BIT(0), false, IO_MODE_HYBRID);
	CHECK_EQ(probe(), 0);
	CHECK_EQ(t.dev.accepted, V1 | ring_bits | BIT(0)); /* not bit 3: the driver's, not offered */
	CHECK_EQ(vd->offered, V1 | ring_bits | not_ours | BIT(0));
	CHECK(ring(0)->packed);
	CHECK(ring(0)->flags & VQ_F_EVENT_IDX);
	CHECK(ring(0)->flags & VQ_F_INDIRECT);
	char names[256];
	virtio_format_features(vd, vd->features, names, sizeof names);
	CHECK(!strcmp(names, "bit0,INDIRECT_DESC,EVENT_IDX,VERSION_1,ACCESS_PLATFORM,RING_PACKED"));
	CHECK(vdev_ok());
}

static void check_failed_cleanly(int r, int want)
{
	CHECK_EQ(r, want);
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(!t.dev.irqs);
	CHECK(virtio_devices == NULL);
	CHECK_EQ(npollers, 0);
	CHECK_EQ(sim_dma_live(), live_before); /* nothing left allocated */
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		CHECK(vd->q[q].vq == NULL);
	CHECK(vdev_ok());
}

/* A modern device must offer VERSION_1 (§6.1): without it, FAILED before any feature is
 * written. */
static void test_modern_without_version_1_fails(void)
{
	fresh(BIT(0) | BIT(VIRTIO_F_EVENT_IDX), false, IO_MODE_HYBRID);
	check_failed_cleanly(probe(), -EPROTO);
	CHECK(!t.dev.features_written);
	CHECK_EQ(t.dev.status, S_A | S_D | VIRTIO_STATUS_FAILED);
}

/* §3.1.1 step 6: FEATURES_OK that does not stick means the device will not work with
 * those features: FAILED, and no queue set up. */
static void test_features_ok_refused(void)
{
	fresh(V1 | BIT(0), false, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_REFUSE_FEATURES_OK);
	check_failed_cleanly(probe(), -EPROTO);
	CHECK(!t.dev.q[0].enabled);
	CHECK_EQ(t.dev.status, S_A | S_D | VIRTIO_STATUS_FAILED);
	CHECK_EQ(td.probes, 0);
}

static void test_dma_attach_failure(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	sim_dma_attach_error = -ENOMEM;
	check_failed_cleanly(probe(), -ENOMEM);
	sim_dma_attach_error = 0;
}

/* -- the three modes ---------------------------------------------------------------- */

/* poll: no interrupt asked for or taken; the queue is looked at every turn, and the
 * main loop does not sleep while the device is in this mode. */
static void test_poll_mode(void)
{
	fresh(V1, false, IO_MODE_POLL);
	CHECK_EQ(probe(), 0);
	CHECK_EQ(busy, 1);
	CHECK(t.dev.q[0].masked && t.dev.q[1].masked);
	CHECK(!sim_irq_wanted(ring(0)));
	post(0, 1);
	complete(0);
	CHECK_EQ(t.dev.q[0].irqs + t.dev.q[0].ring.irqs, 0);
	CHECK(!vd->q[0].pending);
	device_poll(vd);
	CHECK_EQ(td.ngot, 1);
	CHECK(!sim_irq_wanted(ring(0)));
	CHECK(vdev_ok());
}

/* irq: every completion interrupts, and interrupts stay on while the driver polls. */
static void test_irq_mode(void)
{
	fresh(V1, false, IO_MODE_IRQ);
	CHECK_EQ(probe(), 0);
	CHECK_EQ(busy, 0);
	CHECK(!t.dev.q[0].masked);
	device_poll(vd); /* the look the mode takes once after it is set */
	CHECK_EQ(td.polls, 2);
	td.polls = 0;
	device_poll(vd);
	CHECK_EQ(td.polls, 0); /* nothing came: nothing looked at */
	for (uintptr_t k = 1; k <= 2; k++) {
		post(0, k);
		complete(0);
		CHECK_EQ(t.dev.q[0].irqs, k);
		CHECK(vd->q[0].pending);
		device_poll(vd);
		CHECK_EQ(td.ngot, k);
		CHECK_EQ(td.irqs_on_in_poll, 1);
		CHECK(sim_irq_wanted(ring(0)));
	}
	CHECK(vdev_ok());
}

/* hybrid: an interrupt, then interrupts off while the driver polls the ring empty, then
 * on again (NAPI). */
static void test_hybrid_mode(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	CHECK_EQ(probe(), 0);
	CHECK_EQ(busy, 0);
	device_poll(vd);
	for (uintptr_t k = 1; k <= 2; k++) {
		post(0, k);
		complete(0);
		CHECK_EQ(t.dev.q[0].irqs, k);
		device_poll(vd);
		CHECK_EQ(td.ngot, k);
		CHECK_EQ(td.irqs_on_in_poll, 0);
		CHECK(sim_irq_wanted(ring(0)));
	}
	CHECK(vdev_ok());
}

/* A turn takes at most the budget; what is left is taken on the next turn, though no
 * interrupt comes for it. */
static void test_budget_per_turn(void)
{
	static const enum io_mode modes[] = { IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };
	for (unsigned m = 0; m < 3; m++) {
		fresh(V1, false, modes[m]);
		CHECK_EQ(probe(), 0);
		device_poll(vd);
		for (uintptr_t k = 1; k <= 100; k++)
			post(0, k);
		sim_vdev_run(&t.dev);
		while (ring(0)->npending)
			sim_use(ring(0), 0, 8);
		device_poll(vd);
		CHECK_EQ(td.ngot, POLL_BUDGET);
		device_poll(vd);
		CHECK_EQ(td.ngot, 100);
		CHECK(vdev_ok());
	}
}

/* Switching modes at run time: a completion that came in poll mode (no interrupt) is
 * taken once interrupts are on; the main loop's busy count follows poll mode. */
static void test_mode_switches(void)
{
	fresh(V1, false, IO_MODE_POLL);
	CHECK_EQ(probe(), 0);
	post(0, 1);
	complete(0);
	CHECK_EQ(t.dev.q[0].irqs, 0);
	CHECK_EQ(virtio_set_mode(vd, IO_MODE_HYBRID), 0);
	CHECK_EQ(busy, 0);
	CHECK(!t.dev.q[0].masked && !t.dev.q[1].masked);
	device_poll(vd);
	CHECK_EQ(td.ngot, 1); /* no interrupt will ever come for it */
	CHECK_EQ(virtio_set_mode(vd, IO_MODE_IRQ), 0);
	post(0, 2);
	complete(0);
	device_poll(vd);
	CHECK_EQ(td.ngot, 2);
	CHECK_EQ(td.irqs_on_in_poll, 1);
	CHECK_EQ(virtio_set_mode(vd, IO_MODE_POLL), 0);
	CHECK_EQ(virtio_set_mode(vd, IO_MODE_POLL), 0);
	CHECK_EQ(busy, 1);
	CHECK(t.dev.q[0].masked && !sim_irq_wanted(ring(0)));
	post(0, 3);
	complete(0);
	device_poll(vd);
	CHECK_EQ(td.ngot, 3);
	CHECK_EQ(virtio_set_mode(vd, IO_MODE_IRQ), 0);
	CHECK_EQ(busy, 0);
	CHECK(vdev_ok());
}

/*
 * The race NAPI must not lose (virtio 1.2 §2.7.10, §2.8.21): the device uses a buffer
 * after the driver's last look at the ring and before interrupts are on again. No
 * interrupt comes for it (they were off, or with EVENT_IDX the event index was behind),
 * so only vq_enable_cb's look at the ring finds it. The device here completes the second
 * request exactly then; it must be taken in the same turn.
 */
static void test_hybrid_race(void)
{
	static const struct {
		enum io_mode mode;
		uint64_t features;
	} cases[] = {
		{ IO_MODE_HYBRID, 0 },
		{ IO_MODE_HYBRID, BIT(VIRTIO_F_EVENT_IDX) },
		{ IO_MODE_HYBRID, BIT(VIRTIO_F_RING_PACKED) },
		{ IO_MODE_HYBRID, BIT(VIRTIO_F_RING_PACKED) | BIT(VIRTIO_F_EVENT_IDX) },
		{ IO_MODE_IRQ, BIT(VIRTIO_F_EVENT_IDX) },
		{ IO_MODE_IRQ, BIT(VIRTIO_F_RING_PACKED) | BIT(VIRTIO_F_EVENT_IDX) },
	};
	for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		fresh(V1 | cases[c].features, false, cases[c].mode);
		CHECK_EQ(probe(), 0);
		device_poll(vd);
		post(0, 1);
		post(0, 2);
		complete(0); /* the first, with its interrupt */
		unsigned irqs = t.dev.q[0].irqs;
		CHECK_EQ(irqs, 1);
		td.hook = complete_from_hook; /* the second, in the window */
		device_poll(vd);
		CHECK_EQ(t.dev.q[0].irqs, irqs); /* no interrupt came for it */
		if (td.ngot != 2) {
			printf("  case %u: %u of 2 taken in the turn\n", c, td.ngot);
			CHECK(0);
		}
		for (int i = 0; i < 3; i++)
			device_poll(vd);
		CHECK_EQ(td.ngot, 2);
		CHECK(vdev_ok());
	}
}

/* -- resets ------------------------------------------------------------------------- */

/*
 * DEVICE_NEEDS_RESET (§2.1.2): the requests in flight fail (taken or not by the device),
 * the device is reset and brought up again with the same handshake, its queues made
 * afresh, in the mode it had; then it works.
 */
static void test_needs_reset(void)
{
	static const enum io_mode modes[] = { IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };
	for (unsigned m = 0; m < 3; m++) {
		fresh(V1 | BIT(VIRTIO_F_EVENT_IDX), false, modes[m]);
		CHECK_EQ(probe(), 0);
		device_poll(vd);
		post(0, 1);
		post(0, 2);
		post(1, 3);
		sim_vdev_run(&t.dev); /* the device takes them */
		post(0, 4);           /* and not this one */
		unsigned n0 = t.dev.nstatus;
		sim_vdev_needs_reset(&t.dev);
		CHECK_EQ(t.dev.config_irqs, 1);
		device_poll(vd);
		CHECK_EQ(td.nfailed, 4);
		CHECK_EQ(td.ngot, 0);
		CHECK_EQ(vd->resets, 1);
		CHECK_EQ(td.probes, 2);
		CHECK(!vd->broken);
		/* reset (once to take the queues away, once more as the handshake's first step), then the
		 * handshake again */
		static const uint8_t again[] = {
			0, 0, S_A, S_A | S_D, S_A | S_D | S_F, S_A | S_D | S_F | S_OK
		};
		CHECK_EQ(t.dev.nstatus - n0, sizeof again);
		CHECK(!memcmp(t.dev.status_log + n0, again, sizeof again));
		CHECK(t.dev.q[0].enabled && t.dev.q[1].enabled);
		CHECK_EQ(vd->mode, modes[m]);
		CHECK_EQ(busy, modes[m] == IO_MODE_POLL);
		CHECK_EQ(t.dev.q[0].masked, modes[m] == IO_MODE_POLL);
		CHECK_EQ(sim_irq_wanted(ring(0)), modes[m] != IO_MODE_POLL);
		post(0, 5);
		complete(0);
		device_poll(vd);
		CHECK_EQ(td.ngot, 1);
		CHECK_EQ(td.got[0], 5);
		CHECK(vdev_ok());
	}
}

/* A reset whose status never reads 0 is bounded: the device is given up (broken), its
 * rings stay allocated (it may still write them), its requests fail, and nothing more is
 * taken from it. */
static void test_reset_never_completes(void)
{
	static const enum io_mode modes[] = { IO_MODE_POLL, IO_MODE_HYBRID };
	for (unsigned m = 0; m < 2; m++) {
		fresh(V1, false, modes[m]);
		CHECK_EQ(probe(), 0);
		device_poll(vd);
		post(0, 1);
		post(0, 2);
		sim_vdev_run(&t.dev);
		t.dev.bad = SIM_BAD(SIM_RESET_STUCK);
		sim_vdev_needs_reset(&t.dev);
		device_poll(vd);
		CHECK(vd->broken);
		CHECK_EQ(busy, 0);
		CHECK(t.dev.q[0].enabled);
		CHECK(sim_dma_ptr(vq_desc_addr(vd->q[0].vq), 16)); /* not freed */
		CHECK_EQ(td.nfailed, 2); /* their callers hear of it (docs/hardening.md) */
		sim_use(ring(0), 0, 8);
		CHECK_EQ(device_poll(vd), 0);
		CHECK_EQ(td.ngot, 0);
		CHECK_EQ(virtio_set_mode(vd, IO_MODE_IRQ), -EIO);
		CHECK(vdev_ok());
	}
}

/* The same at probe time: the status left by whoever drove the device before never
 * clears. Probe fails, bounded, with FAILED set. A slow reset is waited for. */
static void test_reset_at_probe(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	t.dev.status = S_A | S_D | S_F | S_OK;
	t.dev.bad = SIM_BAD(SIM_RESET_STUCK);
	check_failed_cleanly(probe(), -ETIMEDOUT);
	CHECK_EQ(td.probes, 0);

	fresh(V1, false, IO_MODE_HYBRID);
	t.dev.status = S_A | S_D | S_F | S_OK;
	t.dev.reset_reads = 50;
	CHECK_EQ(probe(), 0);
	CHECK(vdev_ok());
}

/* Config whose generation changes on every read (§2.5.1): at probe the device is FAILED;
 * at run time it is reset, and given up if that does not help. */
static void test_config_never_settles(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	td.config_reads = 4;
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	check_failed_cleanly(probe(), -EIO);

	fresh(V1, false, IO_MODE_HYBRID);
	td.config_reads = 4;
	CHECK_EQ(probe(), 0);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	uint8_t b = 1;
	sim_vdev_config_change(&t.dev, 0, &b, 1);
	device_poll(vd);
	CHECK_EQ(td.config_changes, 1);
	CHECK(vd->broken); /* the reset did not help: the probe after it failed too */
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(vdev_ok());

	fresh(V1, false, IO_MODE_HYBRID);
	td.config_reads = 4;
	CHECK_EQ(probe(), 0);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	td.settle = true; /* the reset helps */
	sim_vdev_config_change(&t.dev, 0, &b, 1);
	device_poll(vd);
	CHECK(!vd->broken);
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(vd->config_error, 0);
	post(0, 1);
	complete(0);
	device_poll(vd);
	CHECK_EQ(td.ngot, 1);
	CHECK(vdev_ok());
}

static void test_config_change_reaches_the_driver(void)
{
	fresh(V1, false, IO_MODE_POLL);
	CHECK_EQ(probe(), 0);
	uint8_t b = 7;
	sim_vdev_config_change(&t.dev, 3, &b, 1);
	CHECK_EQ(t.dev.config_irqs, 1);
	device_poll(vd);
	CHECK_EQ(td.config_changes, 1);
	CHECK_EQ(virtio_config_read(vd, 3, 1), 7);
	device_poll(vd);
	CHECK_EQ(td.config_changes, 1);
	CHECK_EQ(vd->resets, 0);
	CHECK(vdev_ok());
}

/* An IOMMU fault on anything but a request's buffer (kernel/dma_fault.c): nothing the
 * device reports is believed; the device is reset and everything in flight fails. */
static dma_addr_t fault_page;
static void fault_when_synced(struct dma_dev *d)
{
	sim_dma_sync_hook = NULL;
	dma_fault_record(d, fault_page, true);
}

static void test_iommu_fault_resets(void)
{
	for (int fenced = 0; fenced < 2; fenced++) {
		fresh(V1 | BIT(VIRTIO_F_ACCESS_PLATFORM), false, IO_MODE_HYBRID);
		sim_dma_iommu = true;
		CHECK_EQ(probe(), 0);
		device_poll(vd);
		post(0, 1);
		post(0, 2);
		complete(0); /* "done": but its data may not have got through */
		fault_page = vq_desc_addr(vd->q[0].vq) & ~4095ull;
		if (fenced) /* the unit has the record already; the driver reads it before believing */
			sim_dma_sync_hook = fault_when_synced;
		else
			dma_fault_record(vd->dma, fault_page, true);
		device_poll(vd);
		CHECK_EQ(td.ngot, 0);
		if (!vd->resets) /* a fault found while polling: the reset comes on the next turn */
			device_poll(vd);
		CHECK_EQ(td.ngot, 0);
		CHECK_EQ(td.nfailed, 2);
		CHECK_EQ(vd->resets, 1);
		CHECK(!vd->dma->fault_reset);
		CHECK(t.dev.q[0].enabled);
		post(0, 3);
		complete(0);
		device_poll(vd);
		CHECK_EQ(td.ngot, 1);
		CHECK(vdev_ok());
		sim_dma_iommu = false;
		sim_dma_sync_hook = NULL;
	}
}

/* -- queues and interrupts ---------------------------------------------------------- */

static void test_queue_sizes(void)
{
	fresh(V1, false, IO_MODE_HYBRID); /* split: a power of two, at most the device's */
	t.dev.q[0].max = 100;
	t.dev.q[1].max = 1024;
	td.max_size = 256;
	CHECK_EQ(probe(), 0);
	CHECK_EQ(t.dev.q[0].size, 64);
	CHECK_EQ(t.dev.q[1].size, 256);
	CHECK(vdev_ok());

	fresh(V1 | BIT(VIRTIO_F_RING_PACKED), false, IO_MODE_HYBRID); /* packed: any size */
	t.dev.q[0].max = 100;
	CHECK_EQ(probe(), 0);
	CHECK_EQ(t.dev.q[0].size, 100);
	CHECK(vdev_ok());

	fresh(0, true, IO_MODE_HYBRID); /* legacy: the device's size, whatever the driver asks */
	td.max_size = 64;
	CHECK_EQ(probe(), 0);
	CHECK_EQ(t.dev.q[0].size, 256);
	CHECK(vdev_ok());

	fresh(0, true, IO_MODE_HYBRID); /* legacy, not a power of two: no size of ours matches its layout */
	t.dev.q[0].max = 100;
	check_failed_cleanly(probe(), -ENODEV);

	fresh(V1, false, IO_MODE_HYBRID); /* a queue the device does not have */
	t.dev.q[1].max = 0;
	check_failed_cleanly(probe(), -ENODEV);

	fresh(V1 | BIT(VIRTIO_F_RING_PACKED), false, IO_MODE_HYBRID); /* more than §2.6 allows */
	t.dev.q[0].max = 40000;
	int r = probe();
	CHECK(r < 0);
	check_failed_cleanly(r, r);

	fresh(V1, false, IO_MODE_HYBRID); /* more queues than the device has */
	td.nq = 3;
	check_failed_cleanly(probe(), -EINVAL);
}

/* Interrupt vectors the device refuses: for the device, or for one queue once another is
 * already live. */
static void test_vectors_refused(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_REFUSE_VECTORS);
	check_failed_cleanly(probe(), -EIO);
	CHECK(!t.dev.q[0].enabled);

	fresh(V1, false, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_REFUSE_QUEUE_VECTOR);
	t.dev.bad_queue = 1;
	check_failed_cleanly(probe(), -EIO);
}

/* A probe that fails after its queues went live: the device lets go of them (a reset)
 * before they are freed. */
static void test_probe_failure_after_queues(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	td.fail = -ENOMEM;
	check_failed_cleanly(probe(), -ENOMEM);
	CHECK(!t.dev.q[0].enabled);
}

static void test_irq_for_a_queue_it_lacks(void)
{
	fresh(V1, false, IO_MODE_HYBRID);
	CHECK_EQ(probe(), 0);
	virtio_queue_irq(vd, 2);
	virtio_queue_irq(vd, 1000);
	CHECK(vdev_ok());
}

int main(void)
{
	RUN(test_handshake_order_modern);
	RUN(test_probe_posts_announced_after_driver_ok);
	RUN(test_handshake_legacy);
	RUN(test_feature_negotiation);
	RUN(test_modern_without_version_1_fails);
	RUN(test_features_ok_refused);
	RUN(test_dma_attach_failure);
	RUN(test_poll_mode);
	RUN(test_irq_mode);
	RUN(test_hybrid_mode);
	RUN(test_budget_per_turn);
	RUN(test_mode_switches);
	RUN(test_hybrid_race);
	RUN(test_needs_reset);
	RUN(test_reset_never_completes);
	RUN(test_reset_at_probe);
	RUN(test_config_never_settles);
	RUN(test_config_change_reaches_the_driver);
	RUN(test_iommu_fault_resets);
	RUN(test_queue_sizes);
	RUN(test_vectors_refused);
	RUN(test_probe_failure_after_queues);
	RUN(test_irq_for_a_queue_it_lacks);
	unplug();
	UNIT_DONE();
}
