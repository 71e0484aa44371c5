/* test_virtio_pci.c - virtio_pci.c over a fake PCI function: capability parsing, and the modern and legacy
 * registers in front of the simulated device, driven end to end by virtio-rng. */
#include "unit.h"

#include "tests/sim/sim_pci.c"

/* Another device beside the function under test, behind the fake transport: the kernel keeps
 * serving it (an rng read goes through) whatever that function did. Called last in a test. */
static bool bystander_serves(void)
{
	static struct sim_virtio by;
	sim_virtio_init(&by, VIRTIO_ID_RNG, V1, false);
	by.dev.serve = serve;
	by.dev.config_size = 16;
	int r = sim_virtio_probe(&by);
	uint8_t out[8] = { 0 };
	if (!r) {
		poll_register(sim_vdev_run, &by.dev, "bystander");
		r = virtio_rng_read(&by.vd, out, sizeof out) == (int)sizeof out && out[0] == 0xa5 ? 0 : -1;
	}
	/* it leaves: out of the core's list, its rings and buffer freed */
	tail = &virtio_devices;
	while (*tail && *tail != &by.vd)
		tail = &(*tail)->next;
	if (*tail)
		*tail = by.vd.next;
	for (tail = &virtio_devices; *tail;)
		tail = &(*tail)->next;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		if (by.dev.q[q].enabled)
			sim_detach(&by.dev.q[q].ring);
		vq_destroy(by.vd.q[q].vq);
	}
	struct rng *rng = by.vd.priv;
	if (rng) {
		dma_free(by.vd.dma, rng->buf, RNG_BUF, rng->handle);
		free(rng);
	}
	npollers = 0; /* the next fresh() registers what it needs */
	if (r || sim_vdev_error(&by.dev))
		printf("  the bystander did not serve\n");
	return !r && !sim_vdev_error(&by.dev);
}

/* -- tests ------------------------------------------------------------------------------- */

/* The modern layout (§4.1.4): each structure found where its capability says, the queue
 * programmed through the common configuration, its doorbell at notify_off times the
 * multiplier, its interrupt on its own MSI-X entry; a read goes through. */
static void test_modern(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1 | BIT(VIRTIO_F_EVENT_IDX))), 0);
	struct vp *vp = vp_of();
	CHECK(virtio_devices && virtio_devices->ops == &modern_ops);
	CHECK(vp && (const uint8_t *)vp->common == bar4 + COMMON_AT);
	CHECK(vp && vp->isr == bar4 + ISR_AT && vp->device == bar4 + DEVICE_AT);
	CHECK(vp && vp->notify_base == bar4 + NOTIFY_AT && vp->notify_mult == NOTIFY_MULT);
	CHECK_EQ(dev.status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
				     VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(dev.accepted, V1 | BIT(VIRTIO_F_EVENT_IDX));
	CHECK(dev.q[0].enabled);
	CHECK_EQ(reg.config_vector, 0);
	CHECK_EQ(reg.qvector[0], 1);
	CHECK(cfg16(PCI_COMMAND) & PCI_COMMAND_MASTER);
	CHECK_EQ(rng_read(16), 16);
	CHECK_EQ(rng_read(40), 40);
	CHECK(dev.q[0].notifies >= 2);
	CHECK_EQ(reg.lost_irqs, 0);
	/* poll mode masks the queue's own entry; hybrid unmasks it */
	CHECK_EQ(virtio_set_mode(virtio_devices, IO_MODE_POLL), 0);
	CHECK_EQ(bar1[1 * 4 + 3] & 1, 1);
	CHECK_EQ(rng_read(8), 8);
	CHECK_EQ(virtio_set_mode(virtio_devices, IO_MODE_HYBRID), 0);
	CHECK_EQ(bar1[1 * 4 + 3] & 1, 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());
}

/* Without MSI-X: INTx, the ISR saying why and clearing as it is read. */
static void test_intx(void)
{
	lay = modern;
	lay.msix_vectors = 0;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK(intx_vector > 0);
	CHECK(!(cfg16(PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE));
	CHECK_EQ(rng_read(16), 16);
	CHECK_EQ(reg.isr, 0);
	uint64_t irqs = vq_stats(virtio_devices->q[0].vq)->irqs;
	uint8_t b = 1;
	sim_vdev_config_change(&dev, 0, &b, 1); /* the ISR says config: no queue is told */
	CHECK(virtio_devices->config_pending);
	CHECK_EQ(vq_stats(virtio_devices->q[0].vq)->irqs, irqs);
	CHECK(dev_ok());
	lay = modern;
	lay.msix_vectors = 1; /* too few for config and a queue: INTx too */
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK(!vp_of()->msix);
	CHECK_EQ(rng_read(16), 16);
	CHECK(dev_ok());
}

/* Legacy (§4.1.4.8): a transitional device with no usable capabilities, through its I/O BAR,
 * with MSI-X (config moves to 0x18) and without. */
static void test_legacy(void)
{
	for (unsigned nvec = 0; nvec <= 2; nvec += 2) {
		lay = (struct layout){ .msix_vectors = nvec, .io_bar = true };
		CHECK_EQ(virtio_pci_probe(fresh(0x1005, VIRTIO_ID_RNG, V1 | BIT(VIRTIO_F_EVENT_IDX))), 0);
		CHECK(virtio_devices && virtio_devices->ops == &legacy_ops);
		CHECK_EQ(dev.accepted, BIT(VIRTIO_F_EVENT_IDX));
		CHECK_EQ(dev.q[0].size, 256);
		CHECK_EQ(rng_read(16), 16);
		/* config: each width, a write, and a field that reads differently every time */
		struct virtio_dev *vd = virtio_devices;
		uint8_t b[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
		sim_vdev_config_change(&dev, 0, b, 16);
		CHECK_EQ(vd->ops->config_size(vd), 0x40 - (nvec ? 0x18 : 0x14));
		CHECK_EQ(vd->ops->read_config(vd, 0, 4), 0x04030201);
		CHECK_EQ(vd->ops->read_config(vd, 4, 2), 0x0605);
		CHECK_EQ(vd->ops->read_config(vd, 7, 1), 8);
		CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x100f0e0d0c0b0a09ull);
		CHECK_EQ(vd->ops->read_config(vd, (unsigned)vd->ops->config_size(vd) - 2, 4),
			 0); /* past it */
		vd->ops->write_config(vd, 8, 8, 0x8877665544332211ull);
		vd->ops->write_config(vd, 2, 2, 0xbbaa);
		vd->ops->write_config(vd, 0, 1, 0xcc);
		CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x8877665544332211ull);
		CHECK_EQ(vd->ops->read_config(vd, 0, 4), 0xbbaa02cc);
		CHECK_EQ(vd->config_error, 0);
		dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
		vd->ops->read_config(vd, 0, 4);
		CHECK_EQ(vd->config_error, -EIO);
		dev.bad = 0;
		CHECK(dev_ok());
	}
	/* a size the legacy layout cannot have (it is the device's, and must be a power of two) */
	lay = (struct layout){ .io_bar = true };
	struct pci_dev *d = fresh(0x1005, VIRTIO_ID_RNG, 0);
	dev.q[0].max = 100;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(dev_ok());
	/* a ring past what a 32-bit page number reaches */
	d = fresh(0x1005, VIRTIO_ID_RNG, 0);
	sim_dma_low = false;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	sim_dma_low = true;
	CHECK(!dev.q[0].enabled);
	CHECK(dev_ok());
}

/* §4.1.4: each capability is checked before it is used; one that cannot be (too short,
 * a BAR that does not exist or is not memory, outside its BAR, too small for its
 * structure) is skipped, and the next one of the same type may serve. Without a usable
 * set, a transitional device falls back to its legacy BAR, a modern one is refused. */
static void test_capabilities_checked(void)
{
	static const struct {
		const char *what;
		unsigned cap;
		uint8_t bar, cap_len;
		uint32_t at, len;
		bool works;
	} cases[] = {
		{ "common: no such BAR", 0, 6, 16, COMMON_AT, 0x38, false },
		{ "common: an I/O BAR", 0, 0, 16, COMMON_AT, 0x38, false },
		{ "common: shorter than a capability", 0, 4, 12, COMMON_AT, 0x38, false },
		{ "common: smaller than its structure", 0, 4, 16, COMMON_AT, 0x20, false },
		{ "common: past the end of its BAR", 0, 4, 16, 0x3ff0, 0x38, false },
		{ "common: offset wraps", 0, 4, 16, 0xfffffff0, 0x38, false },
		{ "notify: without its multiplier", 1, 4, 16, NOTIFY_AT, 0x1000, false },
		{ "isr: past the end of its BAR", 2, 4, 16, 0x4000, 4, false },
		{ "device: absent is fine", 3, 4, 16, DEVICE_AT, 0, true },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int transitional = 0; transitional < 2; transitional++) {
			lay = modern;
			lay.io_bar = true;
			lay.caps[cases[i].cap].bar = cases[i].bar;
			lay.caps[cases[i].cap].cap_len = cases[i].cap_len;
			lay.caps[cases[i].cap].at = cases[i].at;
			lay.caps[cases[i].cap].len = cases[i].len;
			struct pci_dev *d =
				transitional ? fresh(0x1005, VIRTIO_ID_RNG, V1) : fresh(0x1044, 0, V1);
			dev.legacy = transitional && !cases[i].works;
			int r = virtio_pci_probe(d);
			const struct virtio_ops *want = cases[i].works ? &modern_ops
							: transitional ? &legacy_ops
								       : NULL;
			const struct virtio_ops *got = r ? NULL : virtio_devices->ops;
			if (got != want) {
				printf("  %s (%s): %s, not %s\n", cases[i].what,
				       transitional ? "transitional" : "modern", got ? got->name : "refused",
				       want ? want->name : "refused");
				CHECK(0);
			}
			if (!r)
				CHECK_EQ(rng_read(8), 8);
			CHECK(dev_ok());
		}
	}
	/* the first usable one of each type wins: of two good common capabilities the first
	 * (where the registers are); after a broken one, the good one */
	for (int broken = 0; broken < 2; broken++) {
		lay = modern;
		lay.caps[4] = lay.caps[0];
		lay.ncaps = 5;
		if (broken)
			lay.caps[0].bar = 7;
		else
			lay.caps[4].at = 0x800;
		CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
		CHECK(vp_of() && (const uint8_t *)vp_of()->common == bar4 + COMMON_AT);
		CHECK_EQ(rng_read(8), 8);
		CHECK(dev_ok());
	}
	CHECK(bystander_serves());
}

/* A capability list that loops ends the walk (drivers/pci/pci.c); what was found still
 * serves. */
static void test_capability_loop(void)
{
	lay = modern;
	fresh(0x1044, 0, V1);
	space[MSIX_AT + 12 + 3 * 20 + 1] = MSIX_AT + 12; /* the last points back at the first vendor cap */
	CHECK_EQ(virtio_pci_probe(&pdev), 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());
	CHECK(bystander_serves());
}

/* A capability list that runs past the end: a pointer into the header ends it; a capability
 * whose structure runs past the 256 bytes where capabilities live is skipped (its fields would
 * come from extended config space, whatever the device put there). */
static void test_capability_past_the_end(void)
{
	lay = modern;
	fresh(0x1044, 0, V1);
	space[MSIX_AT + 12 + 3 * 20 + 1] = 0x10; /* the last points into the header */
	CHECK_EQ(virtio_pci_probe(&pdev), 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());

	lay = modern;
	lay.ncaps = 3; /* the device capability moved to the end, where it does not fit */
	struct pci_dev *d = fresh(0x1044, 0, V1);
	dev.config_size = 16;
	space[MSIX_AT + 12 + 2 * 20 + 1] = 0xf8;
	vcap(0xf8, 0, VIRTIO_PCI_CAP_DEVICE_CFG, 4, DEVICE_AT, 0x100, 16); /* fields up to 0x107 */
	CHECK_EQ(virtio_pci_probe(d), 0);
	CHECK(vp_of() && vp_of()->device == NULL);
	CHECK_EQ(virtio_devices->ops->config_size(virtio_devices), 0);
	CHECK_EQ(rng_read(8), 8);
	CHECK(dev_ok());

	lay = modern; /* the common one there: a modern device has none left, and is refused */
	d = fresh(0x1044, 0, V1);
	space[MSIX_AT + 12 + 3 * 20 + 1] = 0xf8;
	vcap(0xf8, 0, VIRTIO_PCI_CAP_COMMON_CFG, 4, COMMON_AT, 0x38, 16);
	space[MSIX_AT + 12 + 0 * 20 + 3] = 0x7f; /* the good common one gone */
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(virtio_devices == NULL);
	CHECK(dev_ok());
	CHECK(bystander_serves());
}

/* Transitional ids carry the type in the subsystem id, modern ones in the device id
 * (§4.1.2); a type without a driver, or an id outside both ranges, is not taken. */
static void test_device_ids(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1005, VIRTIO_ID_RNG, V1)), 0);
	CHECK(virtio_devices && virtio_devices->ops == &modern_ops); /* capabilities: modern */
	CHECK_EQ(virtio_pci_probe(fresh(0x1043, 0, V1)), -ENODEV);   /* a console: no driver */
	CHECK_EQ(dev.nstatus, 0);
	CHECK_EQ(virtio_pci_probe(fresh(0x1080, 0, V1)), -ENODEV);
	CHECK_EQ(virtio_pci_probe(fresh(0x0fff, 0, V1)), -ENODEV);
	CHECK(virtio_devices == NULL);
	CHECK(dev_ok());
}

/* A queue whose doorbell (notify_off x multiplier) lies outside the notify structure: the
 * device is FAILED, after it let go of the queues already set up. */
static void test_notify_offset_outside(void)
{
	lay = modern;
	struct pci_dev *d = fresh(0x1044, 0, V1);
	reg.qnotify_off[0] = 0x1000 / NOTIFY_MULT;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(dev.status & VIRTIO_STATUS_FAILED);
	CHECK(!dev.q[0].enabled);
	CHECK_EQ(sim_dma_live(), live_before);
	CHECK(dev_ok());
	CHECK(bystander_serves());
}

/* MSI-X vectors the device refuses (NO_VECTOR read back, §4.1.5.1.2): for config changes,
 * or for the queue; modern and legacy. */
static void test_vectors_refused(void)
{
	for (int which = 0; which < 4; which++) {
		lay = modern;
		if (which >= 2) /* legacy */
			lay = (struct layout){ .msix_vectors = 2, .io_bar = true };
		struct pci_dev *d = which >= 2 ? fresh(0x1005, VIRTIO_ID_RNG, 0) : fresh(0x1044, 0, V1);
		dev.bad = SIM_BAD(which & 1 ? SIM_REFUSE_QUEUE_VECTOR : SIM_REFUSE_VECTORS);
		CHECK_EQ(virtio_pci_probe(d), -ENODEV);
		CHECK(dev.status & VIRTIO_STATUS_FAILED);
		CHECK(!dev.q[0].enabled);
		CHECK(!(cfg16(MSIX_AT + 2) & 0x8000)); /* MSI-X off again */
		for (int v = first_vector; v < next_vector; v++)
			CHECK(vectors[v].fn == NULL);
		CHECK_EQ(sim_dma_live(), live_before);
		CHECK(dev_ok());
	}
	CHECK(bystander_serves());
}

/* Queue sizes the device writes: 0 is no queue; more than 32768 (§2.7, §2.8) is refused
 * before the ring is made. */
static void test_queue_size_checked(void)
{
	static const unsigned sizes[] = { 0, 40000, 65535 };
	for (unsigned i = 0; i < 3; i++) {
		lay = modern;
		struct pci_dev *d = fresh(0x1044, 0, V1);
		dev.q[0].max = sizes[i];
		CHECK_EQ(virtio_pci_probe(d), -ENODEV);
		CHECK(dev_ok());
	}
	CHECK(bystander_serves());
}

/* A reset whose status never reads 0: given up after VIRTIO_DEVICE_WAIT_NS, not spun on. */
static void test_reset_bounded(void)
{
	lay = modern;
	struct pci_dev *d = fresh(0x1044, 0, V1);
	dev.status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	dev.bad = SIM_BAD(SIM_RESET_STUCK);
	uint64_t t0 = fake_now;
	CHECK_EQ(virtio_pci_probe(d), -ENODEV);
	CHECK(fake_now - t0 >= VIRTIO_DEVICE_WAIT_NS);
	CHECK(fake_now - t0 < 10 * VIRTIO_DEVICE_WAIT_NS);
	CHECK(dev.status & VIRTIO_STATUS_FAILED);
	CHECK(dev_ok());

	d = fresh(0x1044, 0, V1); /* slow, but within the bound */
	dev.status = VIRTIO_STATUS_ACKNOWLEDGE;
	dev.reset_reads = 20;
	CHECK_EQ(virtio_pci_probe(d), 0);
	CHECK(dev_ok());
}

/* Device config (§4.1.4.6): fields read by offset within the structure and no further,
 * 64-bit ones checked against the generation; one that never settles is reported. */
static void test_config_reads(void)
{
	lay = modern;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	struct virtio_dev *vd = virtio_devices;
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x10 + i);
	sim_vdev_config_change(&dev, 0, b, 16);
	dev.config_size = 0x100;
	CHECK_EQ(vd->ops->config_size(vd), 0x100);
	CHECK_EQ(vd->ops->read_config(vd, 8, 8), 0x1f1e1d1c1b1a1918ull);
	CHECK_EQ(vd->ops->read_config(vd, 2, 2), 0x1312);
	CHECK_EQ(vd->ops->read_config(vd, 0xfe, 4), 0); /* past the structure: not read */
	vd->ops->write_config(vd, 0xfe, 4, 0xffffffff);
	CHECK_EQ(vd->ops->config_generation(vd), dev.generation);
	CHECK_EQ(vd->config_error, 0);
	dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	vd->ops->read_config(vd, 8, 8);
	CHECK_EQ(vd->config_error, -EIO);
	dev.bad = 0;
	CHECK(dev_ok());

	lay = modern; /* no device structure: nothing to read */
	lay.ncaps = 3;
	CHECK_EQ(virtio_pci_probe(fresh(0x1044, 0, V1)), 0);
	CHECK_EQ(virtio_devices->ops->config_size(virtio_devices), 0);
	CHECK_EQ(virtio_devices->ops->read_config(virtio_devices, 0, 1), 0);
	CHECK(dev_ok());
}

int main(void)
{
	sim_dma_low = true; /* legacy devices take 32-bit page numbers */
	RUN(test_modern);
	RUN(test_intx);
	RUN(test_legacy);
	RUN(test_capabilities_checked);
	RUN(test_capability_loop);
	RUN(test_capability_past_the_end);
	RUN(test_device_ids);
	RUN(test_notify_offset_outside);
	RUN(test_vectors_refused);
	RUN(test_queue_size_checked);
	RUN(test_reset_bounded);
	RUN(test_config_reads);
	unplug();
	UNIT_DONE();
}
