/* test_hostile.c - the catalogue of docs/hardening.md: a hostile simulated device beside a good one,
 * through the real core, drivers and net stack. Each test names one misbehaviour and checks: no crash
 * (ASan/UBSan), no hang (an alarm), an error said and counted, and the good device still serving. */
#include "unit.h"
#include <unistd.h>

/* Error lines, counted apart from the rest of the log. */
static int unit_errors;
#undef log_err
#define log_err(...) (unit_errors++, kprintf("error: " __VA_ARGS__))

#include "test_virtio.h"

#define tail blk_tail /* blkdev.c and virtio.c each keep a static list tail */
#include "block/blkdev.c"
#undef tail
#include "drivers/virtio/virtio_blk.c"
#undef CFG
/* netif names hold 7 characters, device names 15: the host's gcc warns that "net0" might not fit */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "drivers/virtio/virtio_net.c"
#pragma GCC diagnostic warning "-Wformat-truncation"
#include "net/arp.c"
#include "net/dhcp.c"
#include "net/echo.c"
#include "net/icmp.c"
#include "net/ip.c"
#include "net/netif.c"
#include "net/udp.c"

const struct virtio_driver virtio_rng_driver = { .prefix = "rng" };
void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define V1              BIT(VIRTIO_F_VERSION_1)
#define PACKED          BIT(VIRTIO_F_RING_PACKED)
#define NF(bit)         BIT(VIRTIO_NET_F_##bit)
#define NET_BASE        (V1 | NF(MAC) | NF(STATUS) | NF(GUEST_CSUM))
#define HDR             sizeof(struct virtio_net_hdr)

static const uint8_t peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint32_t peer_ip = IP4(10, 0, 2, 2);

/* -- the good device: a virtio-net of its own, which must keep answering ------------------- */

static struct sim_virtio g;
static const uint8_t good_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
static const uint32_t good_ip = IP4(10, 0, 3, 15);

static void free_net(struct virtio_dev *d)
{
	struct vnet *n = d->priv;
	if (!n)
		return;
	netif_remove(&n->nif);
	dma_free(d->dma, n->rx, (size_t)n->nrx * n->rx_size, n->rx_h);
	dma_free(d->dma, n->tx, (size_t)n->ntx * n->tx_size, n->tx_h);
	free(n->tx_free);
	free(n->merge);
	free(n);
	d->priv = NULL;
}

static void free_blk(struct virtio_dev *d)
{
	struct vblk *b = d->priv;
	if (!b)
		return;
	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
		queue_free(d, &b->q[i]);
	free(b);
	d->priv = NULL;
}

static void unplug_sim(struct sim_virtio *s)
{
	if (!s->vd.ops)
		return;
	if (s->vd.drv == &virtio_net_driver)
		free_net(&s->vd);
	else if (s->vd.drv == &virtio_blk_driver)
		free_blk(&s->vd);
	sim_virtio_unplug(s);
	s->vd.ops = NULL;
}

static void net_config(struct sim_virtio *s, const uint8_t *mac)
{
	struct virtio_net_config c = { .status = VIRTIO_NET_S_LINK_UP, .max_virtqueue_pairs = 1 };
	memcpy(c.mac, mac, 6);
	memcpy(s->dev.config, &c, sizeof c);
	s->dev.config_size = sizeof c;
}

/* The main loop's turn: every poller (each device's device_poll) once. */
static void turn(void) { poll_run_once(); }

/* A frame from the peer into the oldest receive buffer of s: header (num_buffers 1), then it. */
static void deliver_to(struct sim_virtio *s, const void *f, size_t flen)
{
	static uint8_t b[4096];
	struct virtio_net_hdr h = { .num_buffers = 1 };
	sim_vdev_run(&s->dev);
	memcpy(b, &h, HDR);
	memcpy(b + HDR, f, flen);
	sim_use_data(sim_vdev_ring(&s->dev, 0), 0, b, (uint32_t)(HDR + flen));
}

static size_t peer_asks_for(uint8_t *f, uint32_t tpa)
{
	memset(f, 0xff, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	struct arp_pkt a = {
		.htype = be16(1), .ptype = be16(ETH_TYPE_IPV4), .hlen = 6, .plen = 4, .op = be16(1)
	};
	memcpy(a.sha, peer_mac, 6);
	put_be32(a.spa, peer_ip);
	put_be32(a.tpa, tpa);
	memcpy(f + 14, &a, sizeof a);
	return 14 + sizeof a;
}

/* The good device still serves: an ARP request for its address gets a reply on its wire. */
static bool good_serves(void)
{
	struct sim_dev *tx = sim_vdev_ring(&g.dev, 1);
	sim_vdev_run(&g.dev);
	while (tx->npending)
		sim_use(tx, 0, 0);
	turn();
	uint8_t f[64];
	deliver_to(&g, f, peer_asks_for(f, good_ip));
	turn();
	sim_vdev_run(&g.dev);
	bool ok = false;
	for (unsigned k = 0; k < tx->npending; k++) {
		const struct sim_chain *c = &tx->pending[k];
		uint8_t frame[128] = { 0 };
		size_t l = 0;
		for (unsigned i = 0; i < c->nseg && l + c->seg[i].len <= sizeof frame; i++)
			memcpy(frame + l, c->seg[i].p, c->seg[i].len), l += c->seg[i].len;
		const uint8_t *e = frame + HDR;
		if (l >= HDR + 42 && !memcmp(e, peer_mac, 6) && e[12] == 0x08 && e[13] == 0x06 && e[21] == 2)
			ok = true;
	}
	while (tx->npending)
		sim_use(tx, 0, 0);
	turn();
	if (!ok)
		printf("  the good device did not answer\n");
	return ok && !sim_vdev_error(&g.dev);
}

/* -- the hostile device (t, of test_virtio.h) ----------------------------------------------- */

static int errors_before;

/* Both devices afresh: the good one first, then the hostile one of type id (not probed). */
static void fresh(uint16_t id, uint64_t offered, enum io_mode mode)
{
	alarm(20); /* a hang is a failure */
	unplug_sim(&t);
	unplug_sim(&g);
	vdev_fresh(id, offered, false, mode); /* the core and main loop forget the last test */
	devices = NULL, blk_tail = &devices;
	memset(udp_ports, 0, sizeof udp_ports);
	kconfig.blk_timeout_ms = 1000;
	sim_virtio_init(&g, VIRTIO_ID_NET, NET_BASE, false);
	net_config(&g, good_mac);
	CHECK_EQ(sim_virtio_probe(&g), 0);
	netif_set_addr(&((struct vnet *)g.vd.priv)->nif, good_ip, 24, 0);
	sim_vdev_run(&g.dev);
	if (id == VIRTIO_ID_BLK) {
		struct virtio_blk_config c = { .capacity = 4096 };
		memcpy(t.dev.config, &c, sizeof c);
		t.dev.config_size = sizeof c;
	} else if (id == VIRTIO_ID_NET) {
		static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
		net_config(&t, mac);
	}
	errors_before = unit_errors;
	live_before = sim_dma_live();
}

/* An error was said (at least one line), and the device never saw the driver break a rule. */
static bool said(void) { return unit_errors > errors_before; }

/* -- blk on the hostile device -------------------------------------------------------------- */

#define NREQ 8
static struct blk_req req[NREQ];
static int st[NREQ];
static uint8_t bufs[NREQ][4096] __attribute__((aligned(4096)));

static void req_done(struct blk_req *r, int status) { *(int *)r->arg = status; }
static struct blkdev *hbd(void) { return blkdev_find(vd->name); }
static struct vblk *hb(void) { return vd->priv; }

static int blk_up(uint64_t features)
{
	fresh(VIRTIO_ID_BLK, V1 | features, IO_MODE_HYBRID);
	return sim_virtio_probe(&t);
}

/* Read request k (8 sectors at 8k) on the hostile disk; st[k] is 1 until it completes. */
static void read_req(unsigned k)
{
	req[k] = (struct blk_req){
		.op = BLK_READ, .sector = 8 * k, .count = 8, .buf = bufs[k], .done = req_done, .arg = &st[k]
	};
	st[k] = 1;
	CHECK_EQ(blk_submit(hbd(), &req[k]), 0);
}

/* A new read on the given-up disk is refused at once. */
static bool refused(void)
{
	struct blk_req r = { .op = BLK_READ, .count = 8, .buf = bufs[0], .done = req_done, .arg = &st[0] };
	return blk_submit(hbd(), &r) == -EIO;
}

/* The device answers pending chain k: writes len bytes (all it may: -1), and status (or none). */
#define NO_STATUS 0x100
static void answer(unsigned k, int64_t len, unsigned status)
{
	struct sim_dev *s = ring(0);
	struct sim_chain *c = &s->pending[k];
	uint8_t *p = c->seg[c->nseg - 1].p;
	uint8_t before = *p;
	sim_use(s, k, len < 0 ? c->in_len : (uint32_t)len);
	*p = status == NO_STATUS ? before : (uint8_t)status;
}

/* The hostile disk works (after whatever it did and ringside did about it): a read goes through. */
static bool disk_works(void)
{
	read_req(NREQ - 1);
	sim_vdev_run(&t.dev);
	if (ring(0)->npending)
		answer(ring(0)->npending - 1, -1, VIRTIO_BLK_S_OK);
	turn();
	return st[NREQ - 1] == 0;
}

/* Two reads in flight, taken by the device; returns their chains' ids. */
static void two_in_flight(uint16_t id[2])
{
	read_req(0);
	read_req(1);
	sim_vdev_run(&t.dev);
	CHECK_EQ(ring(0)->npending, 2);
	id[0] = ring(0)->pending[0].id, id[1] = ring(0)->pending[1].id;
}

/* A ring the device broke: said, counted, the device reset (once), the two requests ending as
 * given (EIO for those in flight: the reset fails them), then it works again, and so does the
 * good device. */
static void expect_ring_recovery_of(int first, int second)
{
	turn(); /* the queue breaks */
	turn(); /* the device is reset */
	CHECK(said());
	CHECK_EQ(vq_stats(vd->q[0].vq)->errors, 0); /* a new queue after the reset */
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(st[0], first);
	CHECK_EQ(st[1], second);
	CHECK(!vd->broken);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void expect_ring_recovery(void) { expect_ring_recovery_of(-EIO, -EIO); }

static const uint64_t ring_layouts[] = { 0, BIT(VIRTIO_F_EVENT_IDX), PACKED,
					 PACKED | BIT(VIRTIO_F_INDIRECT_DESC) };
#define NLAYOUTS (sizeof ring_layouts / sizeof ring_layouts[0])

/* How the broken ring shows before the reset: the queue's own error count. */
static void break_and_count(void)
{
	unsigned long long before = vq_stats(vd->q[0].vq)->errors;
	turn();
	CHECK_EQ(vq_stats(vd->q[0].vq)->errors, before + 1);
	CHECK(vq_broken(vd->q[0].vq));
}

/* -- used ring ------------------------------------------------------------------------------- */

static void test_used_id_out_of_range(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		sim_push_used(ring(0), l == 1 ? 0x10000 : 256, 4097, 1); /* split ids are 32 bits wide */
		break_and_count();
		expect_ring_recovery();
	}
}

static void test_used_id_not_in_flight(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		sim_push_used(ring(0), 200, 4097, 1); /* a free entry */
		break_and_count();
		expect_ring_recovery();
	}
}

static void test_used_id_inside_a_chain(void)
{
	for (unsigned l = 0; l < 2; l++) { /* split: every descriptor has an id; only heads complete */
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		sim_push_used(ring(0), id[0] + 1u, 4097, 1);
		break_and_count();
		expect_ring_recovery();
	}
}

static void test_used_id_duplicated(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		unsigned ndesc = ring(0)->pending[1].ndesc;
		answer(1, -1, VIRTIO_BLK_S_OK);
		turn();
		CHECK_EQ(st[1], 0);
		sim_push_used(ring(0), id[1], 4097, ndesc); /* the same chain again */
		break_and_count();
		expect_ring_recovery_of(-EIO, 0); /* the first completion stands */
	}
}

static void test_used_len_larger_than_posted(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		answer(0, 4098, VIRTIO_BLK_S_OK); /* 4096 of data and 1 of status posted */
		break_and_count();
		expect_ring_recovery();
	}
}

/* Shorter than data and status: the request fails (the rest never came); nothing else does. */
static void test_used_len_shorter_than_required(void)
{
	static const uint32_t lens[] = { 4096, 100, 1, 0 }; /* the status missing .. nothing at all */
	for (unsigned i = 0; i < 4; i++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[i % NLAYOUTS]), 0);
		two_in_flight(id);
		answer(0, lens[i], VIRTIO_BLK_S_OK);
		answer(0, -1, VIRTIO_BLK_S_OK);
		turn();
		CHECK_EQ(st[0], -EIO);
		CHECK_EQ(st[1], 0);
		CHECK_EQ(hb()->short_used, 1);
		CHECK(said());
		CHECK_EQ(vd->resets, 0);
		CHECK(disk_works());
		CHECK(good_serves());
		CHECK(vdev_ok());
	}
}

static void test_used_idx_jumps_ahead(void)
{
	static const uint16_t jumps[] = { 3, 300, 0x8000 };
	for (unsigned j = 0; j < 3; j++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(j == 1 ? BIT(VIRTIO_F_EVENT_IDX) : 0), 0);
		two_in_flight(id);
		sim_set_used_idx(ring(0), jumps[j]); /* 2 in flight: past 2 is a lie */
		t.dev.raise(&t.dev, 0);
		break_and_count();
		expect_ring_recovery();
	}
}

static void test_used_idx_goes_back(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	answer(0, -1, VIRTIO_BLK_S_OK);
	turn();
	CHECK_EQ(st[0], 0);
	sim_set_used_idx(ring(0), 0); /* back to before what we took: 0xffff ahead */
	t.dev.raise(&t.dev, 0);
	break_and_count();
	expect_ring_recovery_of(0, -EIO);
}

/*
 * A stale element: the device publishes an element naming a chain still in flight, without
 * having done its work (an old element left in the slot, or one written too early). Nothing
 * in the ring tells it from a real one; the status byte does: the driver sets it to 0xff on
 * every request, and no device leaves that. When the device later completes the chain for
 * real, the id is no longer in flight: the ring is broken, and the device reset.
 */
static void test_stale_used_element(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(ring_layouts[l]), 0);
		two_in_flight(id);
		sim_push_used(ring(0), id[0], 4097, ring(0)->pending[0].ndesc); /* full length, no work */
		turn();
		CHECK_EQ(st[0], -EIO);
		CHECK_EQ(hb()->bad_status, 1);
		CHECK(said());
		CHECK_EQ(st[1], 1);
		answer(0, -1, VIRTIO_BLK_S_OK); /* the real completion, of a chain no longer in flight */
		break_and_count();
		expect_ring_recovery();
	}
}

/* -- packed ring ---------------------------------------------------------------------------- */

static void test_packed_wrap_counter_lies(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(PACKED), 0);
	two_in_flight(id);
	sim_set_flags(ring(0), 0, VRING_PACKED_DESC_F_USED); /* AVAIL from the last lap */
	break_and_count();
	expect_ring_recovery();
}

/* Used flags that still say "available" (the USED bit not flipped): never taken, so the
 * request runs into its deadline; the reset fails it with ETIMEDOUT, the other with EIO. */
static void expect_timeout_recovery(int first, int second)
{
	fake_now += 2000000000ull; /* past blk_timeout_ms */
	turn();                    /* the deadline: a reset asked for */
	turn();                    /* the reset */
	CHECK(said());
	CHECK_EQ(hb()->timeouts, 1);
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(st[0], first);
	CHECK_EQ(st[1], second);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_packed_used_bit_not_flipped(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(PACKED), 0);
	two_in_flight(id);
	answer(0, -1, VIRTIO_BLK_S_OK);
	sim_set_flags(ring(0), 0, VRING_PACKED_DESC_F_AVAIL | VRING_DESC_F_WRITE); /* wrap 1: AVAIL only */
	turn();
	CHECK_EQ(st[0], 1); /* not taken */
	expect_timeout_recovery(-ETIMEDOUT, -ETIMEDOUT);
}

/* The device skips a number of slots other than the chain's (§2.8.6): the driver keeps to
 * its own count, so the element it waits for is never where the device put it. */
static void test_packed_skip_disagrees(void)
{
	for (unsigned skip = 1; skip <= 5; skip += 4) { /* the chains take 3 slots */
		uint16_t id[2];
		CHECK_EQ(blk_up(PACKED), 0);
		two_in_flight(id);
		uint8_t *s0 = ring(0)->pending[0].seg[ring(0)->pending[0].nseg - 1].p;
		uint8_t *s1 = ring(0)->pending[1].seg[ring(0)->pending[1].nseg - 1].p;
		*s0 = *s1 = VIRTIO_BLK_S_OK;
		sim_push_used(ring(0), id[0], 4097, skip);
		sim_push_used(ring(0), id[1], 4097, skip);
		turn();
		CHECK_EQ(st[0], 0); /* the first is where both agree */
		CHECK_EQ(st[1], 1);
		CHECK(!vq_broken(vd->q[0].vq));
		expect_timeout_recovery(0, -ETIMEDOUT);
	}
}

/* -- config and status ---------------------------------------------------------------------- */

static void test_config_generation_churn_at_probe(void)
{
	fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	CHECK(sim_virtio_probe(&t) < 0);
	CHECK(said());
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(hbd() == NULL);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_config_generation_churn_at_run_time(void)
{
	CHECK_EQ(blk_up(0), 0);
	read_req(0);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	uint64_t cap = 8192;
	sim_vdev_config_change(&t.dev, 0, &cap, 8);
	turn();
	CHECK(said());
	CHECK(vd->broken); /* the reset's probe read it again, and failed: given up */
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(hbd()->info.capacity, 4096); /* nothing read from it was believed */
	CHECK(refused());
	CHECK(good_serves());
	CHECK(vdev_ok());

	fresh(VIRTIO_ID_NET, NET_BASE, IO_MODE_HYBRID); /* net: the link it says is down is not believed */
	CHECK_EQ(sim_virtio_probe(&t), 0);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	uint16_t down = 0;
	sim_vdev_config_change(&t.dev, offsetof(struct virtio_net_config, status), &down, 2);
	turn();
	CHECK(said());
	CHECK_EQ(vd->resets, 1); /* its probe after the reset reads no config: it comes back */
	CHECK(((struct vnet *)vd->priv)->nif.link_up);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_reset_never_reads_zero_at_probe(void)
{
	fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
	t.dev.status = VIRTIO_STATUS_ACKNOWLEDGE;
	t.dev.bad = SIM_BAD(SIM_RESET_STUCK);
	uint64_t t0 = fake_now;
	CHECK_EQ(sim_virtio_probe(&t), -ETIMEDOUT);
	CHECK(fake_now - t0 < 10 * VIRTIO_DEVICE_WAIT_NS);
	CHECK(said());
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_reset_never_reads_zero_at_run_time(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	t.dev.bad = SIM_BAD(SIM_RESET_STUCK);
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK(said());
	CHECK(vd->broken);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(st[1], -EIO);
	CHECK(t.dev.q[0].enabled); /* its rings stay: it may still write them */
	answer(0, -1, VIRTIO_BLK_S_OK);
	turn(); /* nothing more is taken from it */
	CHECK_EQ(st[0], -EIO);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

/* The device drops FEATURES_OK, or DRIVER_OK, by itself: reset, requests fail, it comes back. */
static void test_device_drops_status_bits(void)
{
	static const uint8_t bits[] = { VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_DRIVER_OK };
	for (unsigned i = 0; i < 2; i++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(0), 0);
		two_in_flight(id);
		t.dev.status &= (uint8_t)~bits[i];
		t.dev.raise(&t.dev, -1); /* and says so with a config interrupt */
		turn();
		CHECK(said());
		CHECK_EQ(vd->resets, 1);
		CHECK_EQ(st[0], -EIO);
		CHECK_EQ(st[1], -EIO);
		CHECK(disk_works());
		CHECK(good_serves());
		CHECK(vdev_ok());
	}
}

static void test_features_ok_refused(void)
{
	fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
	t.dev.bad = SIM_BAD(SIM_REFUSE_FEATURES_OK);
	CHECK_EQ(sim_virtio_probe(&t), -EPROTO);
	CHECK(said());
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK_EQ(sim_dma_live(), live_before);
	CHECK(good_serves());
	CHECK(vdev_ok());

	uint16_t id[2]; /* after a reset: the handshake again, refused this time */
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	t.dev.bad = SIM_BAD(SIM_REFUSE_FEATURES_OK);
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK(vd->broken);
	CHECK_EQ(st[0], -EIO);
	CHECK(refused());
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_modern_without_version_1(void)
{
	fresh(VIRTIO_ID_BLK, BIT(VIRTIO_BLK_F_FLUSH), IO_MODE_HYBRID);
	CHECK_EQ(sim_virtio_probe(&t), -EPROTO);
	CHECK(said());
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(good_serves());
}

/* -- DEVICE_NEEDS_RESET, and storms of it ------------------------------------------------- */

static void test_needs_reset(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK(said());
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(st[1], -EIO);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
}

/* One reset per RESET_GAP_NS: a NEEDS_RESET right after a reset waits (the device is not
 * polled meanwhile); the next one within the gap still waits; once the gap is over, it goes. */
static void test_needs_reset_storm_rate_limited(void)
{
	CHECK_EQ(blk_up(0), 0);
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK_EQ(vd->resets, 1);
	for (int i = 0; i < 20; i++) { /* a storm: 20 within a few ms */
		sim_vdev_needs_reset(&t.dev);
		turn();
	}
	CHECK_EQ(vd->resets, 1);
	CHECK(!vd->broken);
	CHECK(t.dev.status & VIRTIO_STATUS_NEEDS_RESET); /* waiting for its turn */
	CHECK(good_serves());
	fake_now += RESET_GAP_NS;
	turn();
	CHECK_EQ(vd->resets, 2);
	CHECK(!(t.dev.status & VIRTIO_STATUS_NEEDS_RESET));
	fake_now += RESET_GAP_NS;
	CHECK(disk_works());
	CHECK(vdev_ok());
}

/* RESETS_PER_WINDOW resets within RESET_WINDOW_NS, and the next need gives the device up:
 * FAILED, its requests fail, new ones are refused; the good device serves on. Spaced wider
 * than the window allows, resets never give it up. */
static void test_needs_reset_storm_given_up(void)
{
	CHECK_EQ(blk_up(0), 0);
	for (int i = 0; i < RESETS_PER_WINDOW; i++) {
		sim_vdev_needs_reset(&t.dev);
		turn();
		fake_now += RESET_GAP_NS; /* one per gap: 5 in half a second */
	}
	CHECK_EQ(vd->resets, RESETS_PER_WINDOW);
	CHECK(!vd->broken);
	read_req(0);
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK(said());
	CHECK(vd->broken);
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK_EQ(st[0], -EIO);
	CHECK(refused());
	CHECK(good_serves());
	CHECK(vdev_ok());

	CHECK_EQ(blk_up(0), 0); /* slower than 5 in 10 s: as many resets as it needs */
	for (int i = 0; i < 3 * RESETS_PER_WINDOW; i++) {
		sim_vdev_needs_reset(&t.dev);
		turn();
		fake_now += RESET_WINDOW_NS / RESETS_PER_WINDOW + RESET_GAP_NS;
	}
	CHECK_EQ(vd->resets, 3 * RESETS_PER_WINDOW);
	CHECK(!vd->broken);
	CHECK(disk_works());
	CHECK(vdev_ok());
}

/* -- queues and interrupts ------------------------------------------------------------------ */

static void expect_refused(int r)
{
	CHECK(r < 0);
	CHECK(said());
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK_EQ(sim_dma_live(), live_before);
	CHECK(hbd() == NULL);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_queue_size_zero(void)
{
	fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
	t.dev.q[0].max = 0;
	expect_refused(sim_virtio_probe(&t));
}

/* Not a power of two: a split ring takes the power of two below (the device allows any size up
 * to its maximum); a legacy device, whose size is fixed, is refused. */
static void test_queue_size_not_power_of_two(void)
{
	fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
	t.dev.q[0].max = 100;
	CHECK_EQ(sim_virtio_probe(&t), 0);
	CHECK_EQ(t.dev.q[0].size, 64);
	CHECK(disk_works());
	CHECK(vdev_ok());

	fresh(VIRTIO_ID_BLK, 0, IO_MODE_HYBRID);
	sim_virtio_init(&t, VIRTIO_ID_BLK, 0, true);
	struct virtio_blk_config c = { .capacity = 4096 };
	memcpy(t.dev.config, &c, sizeof c);
	t.dev.config_size = sizeof c;
	t.dev.q[0].max = 100;
	expect_refused(sim_virtio_probe(&t));
}

static void test_queue_size_above_maximum(void)
{
	fresh(VIRTIO_ID_BLK, V1 | PACKED, IO_MODE_HYBRID);
	t.dev.q[0].max = 40000; /* §2.6: 32768 at most */
	expect_refused(sim_virtio_probe(&t));
}

/* The device says it has more queues (num_queues in config) than it lets the driver set up. */
static void test_fewer_queues_than_it_says(void)
{
	fresh(VIRTIO_ID_BLK, V1 | BIT(VIRTIO_BLK_F_MQ), IO_MODE_HYBRID);
	struct virtio_blk_config c = { .capacity = 4096, .num_queues = 4 };
	memcpy(t.dev.config, &c, sizeof c);
	expect_refused(sim_virtio_probe(&t));
}

static void test_vectors_refused(void)
{
	for (int which = 0; which < 2; which++) {
		fresh(VIRTIO_ID_BLK, V1, IO_MODE_HYBRID);
		t.dev.bad = SIM_BAD(which ? SIM_REFUSE_QUEUE_VECTOR : SIM_REFUSE_VECTORS);
		t.dev.bad_queue = 0;
		expect_refused(sim_virtio_probe(&t));
	}
}

/* Interrupts with nothing behind them: each costs one look (counted as an empty poll), no more. */
static void test_interrupt_storm(void)
{
	CHECK_EQ(blk_up(0), 0);
	turn();
	unsigned long long empty = vq_stats(vd->q[0].vq)->empty_polls;
	for (int i = 0; i < 1000; i++) {
		t.dev.raise(&t.dev, 0);
		t.dev.raise(&t.dev, 5); /* a queue it does not have */
		turn();
	}
	CHECK_EQ(vq_stats(vd->q[0].vq)->empty_polls - empty, 1000);
	CHECK_EQ(vq_stats(vd->q[0].vq)->irqs, 1000);
	CHECK_EQ(vd->resets, 0);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
}

/* -- blk: status byte, requests never completed, config --------------------------------------- */

static void test_blk_status_never_written(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	answer(0, -1, NO_STATUS);
	turn();
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(hb()->bad_status, 1);
	CHECK(said());
	CHECK_EQ(vd->resets, 0);
	answer(0, -1, VIRTIO_BLK_S_OK);
	turn();
	CHECK_EQ(st[1], 0);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_blk_status_undefined(void)
{
	static const unsigned bad[] = { 3, 0x80, 0xfe };
	for (unsigned i = 0; i < 3; i++) {
		uint16_t id[2];
		CHECK_EQ(blk_up(0), 0);
		two_in_flight(id);
		answer(0, -1, bad[i]);
		answer(0, -1, VIRTIO_BLK_S_OK);
		turn();
		CHECK_EQ(st[0], -EIO);
		CHECK_EQ(st[1], 0);
		CHECK_EQ(hb()->bad_status, 1);
		CHECK(said());
		CHECK(good_serves());
		CHECK(vdev_ok());
	}
}

static void test_blk_request_never_completed(void)
{
	uint16_t id[2];
	CHECK_EQ(blk_up(0), 0);
	two_in_flight(id);
	turn();
	CHECK_EQ(st[0], 1);
	expect_timeout_recovery(-ETIMEDOUT, -ETIMEDOUT);
}

/* A device that completes nothing, ever: a timeout and a reset each time, until it is given up. */
static void test_blk_device_completes_nothing(void)
{
	CHECK_EQ(blk_up(0), 0);
	int rounds = 0;
	while (!vd->broken && rounds++ < 20) {
		read_req(0);
		sim_vdev_run(&t.dev);
		fake_now += 1100000000ull;
		turn();
		turn();
		CHECK(st[0] == -ETIMEDOUT || st[0] == -EIO);
	}
	CHECK(vd->broken);
	CHECK_EQ(rounds, RESETS_PER_WINDOW + 1);
	CHECK_EQ(hb()->timeouts, RESETS_PER_WINDOW + 1);
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

static void test_blk_config_refused(void)
{
	static const struct {
		uint64_t features;
		struct virtio_blk_config c;
	} cases[] = {
		{ 0, { .capacity = UINT64_MAX >> 8 } },                               /* bytes overflow */
		{ BIT(VIRTIO_BLK_F_BLK_SIZE), { .capacity = 64, .blk_size = 1000 } }, /* not a power of 2 */
		{ BIT(VIRTIO_BLK_F_SIZE_MAX), { .capacity = 64, .size_max = 100 } },  /* below a sector */
	};
	for (unsigned i = 0; i < 3; i++) {
		fresh(VIRTIO_ID_BLK, V1 | cases[i].features, IO_MODE_HYBRID);
		memcpy(t.dev.config, &cases[i].c, sizeof cases[i].c);
		expect_refused(sim_virtio_probe(&t));
	}
}

/* -- IOMMU faults --------------------------------------------------------------------------- */

/* A fault on a page that was never mapped: nothing the device reports is believed; it is reset,
 * everything in flight fails; counted as unmatched. */
static void test_iommu_fault_unmapped(void)
{
	uint16_t id[2];
	sim_dma_iommu = true;
	CHECK_EQ(blk_up(BIT(VIRTIO_F_ACCESS_PLATFORM)), 0);
	two_in_flight(id);
	answer(0, -1, VIRTIO_BLK_S_OK); /* "done", but the fault came first */
	dma_fault_record(vd->dma, 0x7f0000000000ull, true);
	turn();
	turn();
	CHECK(said());
	CHECK_EQ(vd->dma->faults_unmatched, 1);
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(st[1], -EIO);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
	sim_dma_iommu = false;
}

/* A flood: thousands of records at once cost one reset; floods that keep coming are storms,
 * rate-limited and given up like any other. Records of the overflow (no page) count the same. */
static void test_iommu_fault_flood(void)
{
	sim_dma_iommu = true;
	CHECK_EQ(blk_up(BIT(VIRTIO_F_ACCESS_PLATFORM)), 0);
	for (int i = 0; i < 5000; i++)
		dma_fault_record(vd->dma, i % 2 ? DMA_MAPPING_ERROR : (dma_addr_t)i << 12, true);
	turn();
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(vd->dma->faults_unmatched, 5000);
	CHECK(disk_works());
	int floods = 0;
	while (!vd->broken && floods++ < 20) {
		fake_now += RESET_GAP_NS;
		for (int i = 0; i < 100; i++)
			dma_fault_record(vd->dma, DMA_MAPPING_ERROR, true);
		turn();
	}
	CHECK(vd->broken);
	CHECK_EQ(floods, RESETS_PER_WINDOW);
	CHECK(t.dev.status & VIRTIO_STATUS_FAILED);
	CHECK(good_serves());
	CHECK(vdev_ok());
	sim_dma_iommu = false;
}

/* A fault on a request's own buffer: that request fails (counted as matched), nothing is reset. */
static void test_iommu_fault_on_a_request(void)
{
	uint16_t id[2];
	sim_dma_iommu = true;
	CHECK_EQ(blk_up(BIT(VIRTIO_F_ACCESS_PLATFORM)), 0);
	two_in_flight(id);
	dma_addr_t data = DMA_MAPPING_ERROR;
	for (unsigned i = 0; i < hb()->q[0].nslots; i++)
		if (hb()->q[0].ios[i].req == &req[0])
			data = hb()->q[0].ios[i].sg[hb()->q[0].ios[i].data].addr;
	dma_fault_record(vd->dma, data & ~4095ull, true);
	answer(0, -1, VIRTIO_BLK_S_OK);
	answer(0, -1, VIRTIO_BLK_S_OK);
	turn();
	CHECK(said());
	CHECK_EQ(vd->dma->faults_matched, 1);
	CHECK_EQ(st[0], -EIO);
	CHECK_EQ(st[1], -EIO); /* in flight when it came: which one faulted is not known */
	CHECK_EQ(vd->resets, 0);
	CHECK(disk_works());
	CHECK(good_serves());
	CHECK(vdev_ok());
	sim_dma_iommu = false;
}

/* -- net on the hostile device -------------------------------------------------------------- */

static struct vnet *hn;
static struct {
	unsigned count;
	size_t len;
	uint8_t data[2048];
} got;

static void got_udp(const struct udp_rx *rx, void *arg)
{
	(void)arg;
	got.count++;
	got.len = rx->len;
	memcpy(got.data, rx->data, rx->len < sizeof got.data ? rx->len : sizeof got.data);
	if (arg) { /* the device rewrites every receive buffer while the stack holds the frame */
		memset(hn->rx, 0x5a, (size_t)hn->nrx * hn->rx_size);
		for (size_t i = 0; i < rx->len; i++)
			if (((const uint8_t *)rx->data)[i] != (uint8_t)(i * 7))
				got.count += 1000;
	}
}

static uint8_t frame[8192];
static const uint32_t hostile_ip = IP4(10, 0, 2, 15);

static size_t udp_frame(size_t len)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	memcpy(frame, mac, 6);
	memcpy(frame + 6, peer_mac, 6);
	frame[12] = 0x08, frame[13] = 0x00;
	struct ip_hdr *ip = (struct ip_hdr *)(frame + 14);
	*ip = (struct ip_hdr){ .vihl = 0x45,
			       .len = be16((uint16_t)(20 + 8 + len)),
			       .ttl = 64,
			       .proto = IP_PROTO_UDP,
			       .src = be32(peer_ip),
			       .dst = be32(hostile_ip) };
	ip->csum = be16(ip_csum_fold(ip_csum_add(0, ip, 20)));
	struct udp_hdr *u = (struct udp_hdr *)(ip + 1);
	*u = (struct udp_hdr){ .sport = be16(4000), .dport = be16(5000), .len = be16((uint16_t)(8 + len)) };
	for (size_t i = 0; i < len; i++)
		((uint8_t *)(u + 1))[i] = (uint8_t)(i * 7);
	return 14 + 20 + 8 + len;
}

static void net_up(uint64_t extra)
{
	fresh(VIRTIO_ID_NET, NET_BASE | extra, IO_MODE_HYBRID);
	CHECK_EQ(sim_virtio_probe(&t), 0);
	hn = vd->priv;
	netif_set_addr(&hn->nif, hostile_ip, 24, 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	turn();
	sim_vdev_run(&t.dev);
}

/* The device puts header h and frame f (flen bytes) in its oldest receive buffer, reporting len
 * (TRUE_LEN: the true length). */
#define TRUE_LEN UINT32_MAX
static void deliver_hdr(const struct virtio_net_hdr *h, size_t flen, uint32_t len)
{
	static uint8_t b[8192];
	sim_vdev_run(&t.dev);
	memcpy(b, h, HDR);
	memcpy(b + HDR, frame, flen);
	sim_use_data(ring(0), 0, b, len != TRUE_LEN ? len : (uint32_t)(HDR + flen));
}

/* The hostile interface still takes a good frame, its ring is full again, and the good one serves. */
static bool net_recovers(void)
{
	unsigned before = got.count;
	struct virtio_net_hdr h = { .num_buffers = 1 };
	deliver_hdr(&h, udp_frame(64), TRUE_LEN);
	turn();
	sim_vdev_run(&t.dev);
	bool ok = got.count == before + 1 && ring(0)->npending == vq_size(vd->q[0].vq);
	if (!ok)
		printf("  the hostile interface did not come back (%u frames)\n", got.count - before);
	return ok && good_serves() && vdev_ok();
}

static void test_net_num_buffers(void)
{
	static const uint16_t lies[] = { 3, 0, 0xffff }; /* more than used, none, more than a frame */
	for (unsigned i = 0; i < 3; i++) {
		net_up(NF(MRG_RXBUF));
		struct virtio_net_hdr h = { .num_buffers = lies[i] };
		deliver_hdr(&h, udp_frame(100), TRUE_LEN);
		turn();
		CHECK_EQ(got.count, 0);
		CHECK_EQ(hn->nif.driver_stats.rx_bad_num_buffers, 1);
		CHECK(net_recovers());
	}
}

static void test_net_bogus_header(void)
{
	static const struct {
		uint64_t features;
		uint8_t flags, gso;
	} cases[] = {
		{ 0, 0x80, 0 },                            /* a flag no spec defines */
		{ 0, 0, 1 },                               /* GSO, never negotiated */
		{ 0, VIRTIO_NET_HDR_F_NEEDS_CSUM | 4, 0 }, /* a known flag beside an unknown one */
	};
	for (unsigned i = 0; i < 3; i++) {
		net_up(cases[i].features);
		struct virtio_net_hdr h = { .flags = cases[i].flags,
					    .gso_type = cases[i].gso,
					    .num_buffers = 1 };
		deliver_hdr(&h, udp_frame(100), TRUE_LEN);
		turn();
		CHECK_EQ(got.count, 0);
		CHECK_EQ(hn->nif.driver_stats.rx_bad_header, 1);
		CHECK(net_recovers());
	}
	/* DATA_VALID from a device not asked for checksums (no GUEST_CSUM) */
	fresh(VIRTIO_ID_NET, NET_BASE & ~NF(GUEST_CSUM), IO_MODE_HYBRID);
	CHECK_EQ(sim_virtio_probe(&t), 0);
	hn = vd->priv;
	netif_set_addr(&hn->nif, hostile_ip, 24, 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID, .num_buffers = 1 };
	deliver_hdr(&h, udp_frame(100), TRUE_LEN);
	turn();
	CHECK_EQ(got.count, 0);
	CHECK_EQ(hn->nif.driver_stats.rx_bad_header, 1);
	CHECK(net_recovers());
}

static void test_net_bad_lengths(void)
{
	static const uint32_t lens[] = { 0, 4, HDR + 13 }; /* none; short of its header; of Ethernet's */
	for (unsigned i = 0; i < 3; i++) {
		net_up(0);
		struct virtio_net_hdr h = { .num_buffers = 1 };
		deliver_hdr(&h, udp_frame(100), lens[i]);
		turn();
		CHECK_EQ(got.count, 0);
		CHECK_EQ(hn->nif.driver_stats.rx_bad_len, 1);
		CHECK(net_recovers());
	}
	/* merged buffers adding up to more than the largest frame */
	net_up(NF(MRG_RXBUF) | NF(MTU));
	struct virtio_net_hdr h = { .num_buffers = 5 }; /* five full buffers: past 9216 bytes */
	static uint8_t b[2048];
	memcpy(b, &h, HDR);
	sim_vdev_run(&t.dev);
	for (int k = 0; k < 5; k++)
		sim_use_data(ring(0), 0, b, 2048);
	turn();
	CHECK_EQ(got.count, 0);
	CHECK_EQ(hn->nif.driver_stats.rx_bad_len, 1);
	CHECK(net_recovers());
}

/* The device rewrites a receive buffer after using it, while the stack parses the frame: the
 * stack never sees it (the frame was copied out first). */
static void test_net_rewrites_after_use(void)
{
	net_up(0);
	udp_unbind(5000);
	CHECK_EQ(udp_bind(5000, got_udp, (void *)1), 0);
	struct virtio_net_hdr h = { .num_buffers = 1 };
	deliver_hdr(&h, udp_frame(1000), TRUE_LEN);
	turn();
	CHECK_EQ(got.count, 1); /* +1000 had a byte changed under it */
	CHECK(good_serves());
	CHECK(vdev_ok());
}

/* A used length on a transmit buffer, which has nothing device-writable: the ring is broken, the
 * device reset; the interface keeps its address and comes back. */
static void test_net_tx_used_length(void)
{
	net_up(0);
	struct net_tx tx = { .hdr_len = 14 };
	CHECK_EQ(hn->nif.xmit(&hn->nif, &tx), 0);
	sim_vdev_run(&t.dev);
	struct sim_dev *s = sim_vdev_ring(&t.dev, 1);
	while (s->npending > 1)
		sim_use(s, 0, 0);
	sim_use(s, 0, 60);
	turn();
	turn();
	CHECK(said());
	CHECK_EQ(vd->resets, 1);
	CHECK_EQ(hn->nif.ip, hostile_ip);
	sim_vdev_run(&t.dev);
	CHECK(net_recovers());
}

/* Transmit buffers never given back: the stack's sends fail with ENOBUFS, counted; receiving
 * goes on. */
static void test_net_tx_never_completed(void)
{
	net_up(0);
	struct net_tx tx = { .hdr_len = 14 };
	int r;
	unsigned sent = 0;
	while ((r = hn->nif.xmit(&hn->nif, &tx)) == 0 && sent < 1000)
		sent++;
	CHECK_EQ(r, -ENOBUFS);
	CHECK(hn->nif.driver_stats.tx_ring_full >= 1);
	CHECK(net_recovers());
}

/* A MAC address in config that no interface may have as its own (broadcast, multicast, zero):
 * said, and a locally administered unicast one used instead; the interface works. */
static void test_net_mac_not_unicast(void)
{
	static const uint8_t macs[3][6] = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
					    { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
					    { 0 } };
	for (unsigned i = 0; i < 3; i++) {
		fresh(VIRTIO_ID_NET, NET_BASE, IO_MODE_HYBRID);
		net_config(&t, macs[i]);
		CHECK_EQ(sim_virtio_probe(&t), 0);
		hn = vd->priv;
		CHECK(said());
		CHECK_EQ(hn->nif.mac[0] & 3, 2);
		CHECK(memcmp(hn->nif.mac, macs[i], 6));
		netif_set_addr(&hn->nif, hostile_ip, 24, 0);
		CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
		memset(&got, 0, sizeof got);
		turn();
		sim_vdev_run(&t.dev);
		size_t l = udp_frame(64);
		memcpy(frame, hn->nif.mac, 6); /* to the address it took */
		struct virtio_net_hdr h = { .num_buffers = 1 };
		deliver_hdr(&h, l, TRUE_LEN);
		turn();
		CHECK_EQ(got.count, 1);
		CHECK(good_serves());
		CHECK(vdev_ok());
	}
}

/* Queue sizes that change across a reset: the interface cannot come back as it was; the device
 * is given up, sends fail, the stack and the good device go on. */
static void test_net_queue_size_changes_across_reset(void)
{
	net_up(0);
	t.dev.q[0].max = 64;
	sim_vdev_needs_reset(&t.dev);
	turn();
	CHECK(said());
	CHECK(vd->broken);
	struct net_tx tx = { .hdr_len = 14 };
	CHECK_EQ(hn->nif.xmit(&hn->nif, &tx), -EIO);
	CHECK(good_serves());
	CHECK(vdev_ok());
}

int main(void)
{
	RUN(test_used_id_out_of_range);
	RUN(test_used_id_not_in_flight);
	RUN(test_used_id_inside_a_chain);
	RUN(test_used_id_duplicated);
	RUN(test_used_len_larger_than_posted);
	RUN(test_used_len_shorter_than_required);
	RUN(test_used_idx_jumps_ahead);
	RUN(test_used_idx_goes_back);
	RUN(test_stale_used_element);
	RUN(test_packed_wrap_counter_lies);
	RUN(test_packed_used_bit_not_flipped);
	RUN(test_packed_skip_disagrees);
	RUN(test_config_generation_churn_at_probe);
	RUN(test_config_generation_churn_at_run_time);
	RUN(test_reset_never_reads_zero_at_probe);
	RUN(test_reset_never_reads_zero_at_run_time);
	RUN(test_device_drops_status_bits);
	RUN(test_features_ok_refused);
	RUN(test_modern_without_version_1);
	RUN(test_needs_reset);
	RUN(test_needs_reset_storm_rate_limited);
	RUN(test_needs_reset_storm_given_up);
	RUN(test_queue_size_zero);
	RUN(test_queue_size_not_power_of_two);
	RUN(test_queue_size_above_maximum);
	RUN(test_fewer_queues_than_it_says);
	RUN(test_vectors_refused);
	RUN(test_interrupt_storm);
	RUN(test_blk_status_never_written);
	RUN(test_blk_status_undefined);
	RUN(test_blk_request_never_completed);
	RUN(test_blk_device_completes_nothing);
	RUN(test_blk_config_refused);
	RUN(test_iommu_fault_unmapped);
	RUN(test_iommu_fault_flood);
	RUN(test_iommu_fault_on_a_request);
	RUN(test_net_num_buffers);
	RUN(test_net_bogus_header);
	RUN(test_net_bad_lengths);
	RUN(test_net_rewrites_after_use);
	RUN(test_net_tx_used_length);
	RUN(test_net_tx_never_completed);
	RUN(test_net_queue_size_changes_across_reset);
	RUN(test_net_mac_not_unicast);
	unplug_sim(&t);
	unplug_sim(&g);
	UNIT_DONE();
}
