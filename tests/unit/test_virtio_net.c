/* test_virtio_net.c - virtio-net over the fake transport and the real net stack: receive (one buffer,
 * merged buffers, lengths and num_buffers that lie), transmit, link changes, resets. */
#include "test_virtio.h"

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

const struct virtio_driver virtio_blk_driver = { .prefix = "blk" };
const struct virtio_driver virtio_rng_driver = { .prefix = "rng" };

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint32_t our_ip = IP4(10, 0, 2, 15), peer_ip = IP4(10, 0, 2, 2);

#define F(bit) BIT(VIRTIO_NET_F_##bit)
#define BASE \
	(BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_F_EVENT_IDX) | F(MAC) | F(STATUS) | F(CSUM) | F(GUEST_CSUM))
#define HDR      sizeof(struct virtio_net_hdr)
#define RXQ_SIZE 256

static struct vnet *n;

static void unplug(void)
{
	if (t.vd.ops && (n = vd->priv)) {
		netif_remove(&n->nif);
		dma_free(vd->dma, n->rx, (size_t)n->nrx * n->rx_size, n->rx_h);
		dma_free(vd->dma, n->tx, (size_t)n->ntx * n->tx_size, n->tx_h);
		free(n->tx_free);
		free(n->merge);
		free(n);
		vd->priv = NULL;
	}
	n = NULL;
	vdev_unplug();
}

/* A device with our MAC, link up, MTU mtu (when offered); before it is probed. */
static void fresh(uint64_t offered, uint16_t mtu)
{
	unplug();
	memset(udp_ports, 0, sizeof udp_ports);
	vdev_fresh(VIRTIO_ID_NET, offered, false, IO_MODE_HYBRID);
	struct virtio_net_config c = { .status = VIRTIO_NET_S_LINK_UP, .max_virtqueue_pairs = 1, .mtu = mtu };
	memcpy(c.mac, our_mac, 6);
	memcpy(t.dev.config, &c, sizeof c);
	t.dev.config_size = sizeof c;
}

/* Probe; the interface gets its address; the device takes the receive buffers. */
static int up(void)
{
	int r = sim_virtio_probe(&t);
	if (r)
		return r;
	n = vd->priv;
	netif_set_addr(&n->nif, our_ip, 24, 0);
	device_poll(vd);
	sim_vdev_run(&t.dev);
	return 0;
}

/* -- frames from the peer, through the device's receive ring ----------------------- */

static uint8_t frame[16384];

static size_t eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = (uint8_t)(type >> 8), f[13] = (uint8_t)type;
	return 14;
}

static size_t arp_request_frame(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t l = eth(frame, bcast, ETH_TYPE_ARP);
	struct arp_pkt a = {
		.htype = be16(1), .ptype = be16(ETH_TYPE_IPV4), .hlen = 6, .plen = 4, .op = be16(1)
	};
	memcpy(a.sha, peer_mac, 6);
	put_be32(a.spa, peer_ip);
	put_be32(a.tpa, our_ip);
	memcpy(frame + l, &a, sizeof a);
	return l + sizeof a;
}

/* A UDP datagram from the peer to our port, of len bytes (byte i is i * 7), with the
 * checksum given (0: none). */
static size_t udp_frame(uint16_t dport, size_t len, uint16_t csum)
{
	size_t l = eth(frame, our_mac, ETH_TYPE_IPV4);
	struct ip_hdr *ip = (struct ip_hdr *)(frame + l);
	*ip = (struct ip_hdr){ .vihl = 0x45,
			       .len = be16((uint16_t)(20 + 8 + len)),
			       .ttl = 64,
			       .proto = IP_PROTO_UDP,
			       .src = be32(peer_ip),
			       .dst = be32(our_ip) };
	ip->csum = be16(ip_csum_fold(ip_csum_add(0, ip, 20)));
	struct udp_hdr *u = (struct udp_hdr *)(ip + 1);
	*u = (struct udp_hdr){
		.sport = be16(4000), .dport = be16(dport), .len = be16((uint16_t)(8 + len)), .csum = csum
	};
	for (size_t i = 0; i < len; i++)
		((uint8_t *)(u + 1))[i] = (uint8_t)(i * 7);
	return l + 20 + 8 + len;
}

/* The device puts a frame in the oldest receive buffer it holds: its header, then the
 * frame; the length it reports is len (the real one when 0). */
static void deliver_hdr(const struct virtio_net_hdr *h, const void *f, size_t flen, uint32_t len)
{
	static uint8_t b[16384];
	memcpy(b, h, HDR);
	memcpy(b + HDR, f, flen);
	sim_use_data(ring(RXQ), 0, b, len ? len : (uint32_t)(HDR + flen));
}

static void deliver(size_t flen)
{
	struct virtio_net_hdr h = { .num_buffers = 1 };
	deliver_hdr(&h, frame, flen, 0);
}

/* The same frame over as many receive buffers as it takes (MRG_RXBUF, §5.1.6.4), num_buffers
 * saying nbuf (0: the truth). */
static unsigned deliver_merged(size_t flen, unsigned nbuf)
{
	static uint8_t b[16384];
	size_t total = HDR + flen, per = ring(RXQ)->pending[0].in_len;
	unsigned used = (unsigned)((total + per - 1) / per);
	struct virtio_net_hdr h = { .num_buffers = (uint16_t)(nbuf ? nbuf : used) };
	memcpy(b, &h, HDR);
	memcpy(b + HDR, frame, flen);
	for (unsigned k = 0; k < used; k++) {
		size_t l = total - k * per < per ? total - k * per : per;
		sim_use_data(ring(RXQ), 0, b + k * per, (uint32_t)l);
	}
	return used;
}

/* What a bound port got. */
static struct {
	unsigned count;
	size_t len;
	uint8_t data[16384];
} got;

static void got_udp(const struct udp_rx *rx, void *arg)
{
	(void)arg;
	got.count++;
	got.len = rx->len;
	memcpy(got.data, rx->data, rx->len);
}

static bool got_pattern(size_t len)
{
	if (got.len != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (got.data[i] != (uint8_t)(i * 7))
			return false;
	return true;
}

/* Every receive buffer is back with the device. */
static bool rx_ring_full(void)
{
	sim_vdev_run(&t.dev);
	return ring(RXQ)->npending == RXQ_SIZE;
}

/* -- frames to the peer, through the device's transmit ring ------------------------- */

/* The oldest transmit chain: its header and frame, copied out; then the device uses it. */
static struct virtio_net_hdr sent_hdr;
static uint8_t sent[16384];
static size_t sent_len;

static bool take_sent(void)
{
	sim_vdev_run(&t.dev);
	struct sim_dev *s = ring(TXQ);
	if (!s->npending)
		return false;
	struct sim_chain *c = &s->pending[0];
	size_t l = 0;
	for (unsigned i = 0; i < c->nseg; i++) {
		memcpy(sent + l, c->seg[i].p, c->seg[i].len);
		l += c->seg[i].len;
	}
	memcpy(&sent_hdr, sent, HDR);
	sent_len = l - HDR;
	memmove(sent, sent + HDR, sent_len);
	sim_use(s, 0, 0);
	return true;
}

/* -- probe ---------------------------------------------------------------------------- */

/* The MAC, link and MTU from config space; the receive ring full of buffers of the size
 * the features call for, announced only once the device is live (§3.1.1). */
static void test_probe(void)
{
	fresh(BASE | F(MTU), 1400);
	CHECK_EQ(up(), 0);
	CHECK(!memcmp(n->nif.mac, our_mac, 6));
	CHECK(n->nif.link_up);
	CHECK_EQ(n->nif.mtu, 1400);
	CHECK(n->nif.features & NETIF_F_TX_CSUM);
	CHECK(netif_find(vd->name) == &n->nif);
	CHECK_EQ(ring(RXQ)->npending, RXQ_SIZE);
	CHECK_EQ(ring(RXQ)->pending[0].in_len, 2048);
	CHECK(ring(RXQ)->pending[0].seg[0].write);
	CHECK(t.dev.q[RXQ].notifies >= 1);
	CHECK(vdev_ok());

	fresh(BASE | F(MTU) | F(MRG_RXBUF), 9000); /* jumbo frames in 2 KiB buffers */
	CHECK_EQ(up(), 0);
	CHECK_EQ(n->nif.mtu, 9000);
	CHECK_EQ(ring(RXQ)->pending[0].in_len, 2048);
	CHECK_EQ(n->tx_size, (HDR + 14 + 4 + 9000 + 63) & ~63u);
	CHECK(vdev_ok());

	fresh(BASE | F(MTU), 100); /* an MTU out of range: 1500 */
	CHECK_EQ(up(), 0);
	CHECK_EQ(n->nif.mtu, 1500);
	CHECK(vdev_ok());

	fresh(BASE & ~F(MAC), 0); /* no MAC: one of our own, unicast and locally administered */
	CHECK_EQ(up(), 0);
	CHECK_EQ(n->nif.mac[0] & 3, 2);
	CHECK(vdev_ok());
}

/* -- receive -------------------------------------------------------------------------- */

static void test_receive_one_buffer(void)
{
	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	deliver(udp_frame(5000, 1000, 0));
	device_poll(vd);
	CHECK_EQ(got.count, 1);
	CHECK(got_pattern(1000));
	CHECK(rx_ring_full()); /* the buffer went back */
	/* the device's checksum verdict: DATA_VALID lets a datagram with a bad checksum in
	 * (GUEST_CSUM negotiated); without it the stack checks, and drops it */
	size_t l = udp_frame(5000, 100, be16(0x1234));
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID, .num_buffers = 1 };
	deliver_hdr(&h, frame, l, 0);
	device_poll(vd);
	CHECK_EQ(got.count, 2);
	h.flags = 0;
	deliver_hdr(&h, frame, l, 0);
	device_poll(vd);
	CHECK_EQ(got.count, 2);
	CHECK_EQ(n->nif.stats.drops[NET_DROP_UDP_CSUM], 1);
	CHECK(rx_ring_full());
	CHECK(vdev_ok());

	fresh(BASE & ~F(GUEST_CSUM), 0); /* DATA_VALID from a device not asked for it: a bad header */
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	h.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	deliver_hdr(&h, frame, udp_frame(5000, 100, be16(0x1234)), 0);
	device_poll(vd);
	CHECK_EQ(got.count, 0);
	CHECK_EQ(n->nif.driver_stats.rx_bad_header, 1);
	CHECK(rx_ring_full());
	CHECK(vdev_ok());
}

/* MRG_RXBUF: one frame over several buffers, each given back once copied. */
static void test_receive_merged_buffers(void)
{
	fresh(BASE | F(MTU) | F(MRG_RXBUF), 9000);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	static const size_t sizes[] = { 100, 2048 - HDR - 14 - 28, 5000, 9000 - 28 };
	for (unsigned i = 0; i < 4; i++) {
		memset(&got, 0, sizeof got);
		unsigned used = deliver_merged(udp_frame(5000, sizes[i], 0), 0);
		device_poll(vd);
		CHECK_EQ(got.count, 1);
		CHECK(got_pattern(sizes[i]));
		CHECK_EQ(used, i < 2 ? 1 : i == 2 ? 3 : 5);
		CHECK(rx_ring_full());
	}
	CHECK_EQ(n->nif.driver_stats.rx_bad_len + n->nif.driver_stats.rx_bad_num_buffers, 0);
	CHECK(vdev_ok());
}

/* Lengths the device writes that cannot be a frame: counted, dropped, buffer back. */
static void test_receive_bad_lengths(void)
{
	fresh(BASE | F(MTU) | F(MRG_RXBUF), 9000);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	struct virtio_net_hdr h = { .num_buffers = 1 };
	size_t l = udp_frame(5000, 100, 0);
	deliver_hdr(&h, frame, l, HDR + 13); /* shorter than an Ethernet header */
	deliver_hdr(&h, frame, l, 0 + 4);    /* shorter than its own header */
	device_poll(vd);
	CHECK_EQ(n->nif.driver_stats.rx_bad_len, 2);
	/* five full buffers: more than the largest frame */
	memset(frame, 0, sizeof frame);
	CHECK_EQ(deliver_merged(5 * 2048 - HDR, 0), 5);
	device_poll(vd);
	CHECK_EQ(n->nif.driver_stats.rx_bad_len, 3);
	CHECK_EQ(got.count, 0);
	CHECK(rx_ring_full());
	deliver(udp_frame(5000, 100, 0)); /* and the next frame is fine */
	device_poll(vd);
	CHECK_EQ(got.count, 1);
	CHECK(vdev_ok());
}

/* num_buffers that lie (§5.1.6.4): 0, more than a frame can take, more than the device
 * used. Each is counted and dropped, and every buffer goes back. Without MRG_RXBUF the
 * field means nothing. */
static void test_receive_num_buffers_lies(void)
{
	fresh(BASE | F(MTU) | F(MRG_RXBUF), 9000);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	size_t l = udp_frame(5000, 100, 0);
	struct virtio_net_hdr h = { .num_buffers = 0 };
	deliver_merged(l, 0xffff); /* huge; a good frame right behind it */
	deliver_merged(l, 0);
	deliver_hdr(&h, frame, l, 0); /* none; and a good frame */
	deliver_merged(l, 0);
	device_poll(vd);
	CHECK_EQ(n->nif.driver_stats.rx_bad_num_buffers, 2);
	CHECK_EQ(got.count, 2); /* the good frames were not taken as the rest of the bad */
	deliver_merged(l, 3);   /* says 3, used 1 */
	device_poll(vd);
	CHECK_EQ(n->nif.driver_stats.rx_bad_num_buffers, 3);
	CHECK_EQ(got.count, 2);
	CHECK(rx_ring_full());
	deliver_merged(udp_frame(5000, 5000, 0), 0);
	device_poll(vd);
	CHECK_EQ(got.count, 3);
	CHECK(got_pattern(5000));

	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	h.num_buffers = 77;
	deliver_hdr(&h, frame, udp_frame(5000, 100, 0), 0);
	device_poll(vd);
	CHECK_EQ(got.count, 1);
	CHECK(rx_ring_full());
	CHECK(vdev_ok());
}

/* -- transmit ------------------------------------------------------------------------- */

/* What the stack sends goes out behind a virtio header: an ARP reply (no offload), a UDP
 * echo with the checksum left to the device (CSUM, §5.1.6.2). */
static void test_transmit(void)
{
	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	CHECK(take_sent()); /* the address announced */
	CHECK_EQ(sent_hdr.flags, 0);
	CHECK_EQ(sent_len, 42);
	CHECK(sent[12] == 0x08 && sent[13] == 0x06);
	deliver(arp_request_frame());
	device_poll(vd);
	CHECK(take_sent());
	CHECK_EQ(sent_len, 42);
	CHECK(!memcmp(sent, peer_mac, 6));
	CHECK(sent[21] == 2); /* a reply */
	CHECK_EQ(echo_start(), 0);
	deliver(udp_frame(ECHO_PORT, 300, 0));
	device_poll(vd);
	CHECK(take_sent());
	CHECK_EQ(sent_hdr.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(sent_hdr.csum_start, 14 + 20);
	CHECK_EQ(sent_hdr.csum_offset, 6);
	CHECK_EQ(sent_len, 14 + 20 + 8 + 300);
	CHECK(!memcmp(sent, peer_mac, 6) && !memcmp(sent + 6, our_mac, 6));
	for (size_t i = 0; i < 300; i++)
		if (sent[42 + i] != (uint8_t)(i * 7)) {
			CHECK(0);
			break;
		}
	CHECK(!take_sent());
	device_poll(vd); /* the device's completions reclaimed */
	CHECK_EQ(n->ntx_free, n->ntx);
	CHECK(vdev_ok());
}

/* A transmit ring the device does not empty: the frame is refused and counted; once the
 * device has used some, the next frame reclaims them and goes. Too long: refused. */
static void test_transmit_ring_full(void)
{
	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	while (take_sent())
		;
	device_poll(vd);
	struct net_tx tx = { .hdr_len = 14 };
	memcpy(tx.hdr, peer_mac, 6);
	unsigned ok = 0;
	int r;
	while ((r = n->nif.xmit(&n->nif, &tx)) == 0)
		ok++;
	CHECK_EQ(r, -ENOBUFS);
	CHECK_EQ(ok, n->ntx);
	CHECK_EQ(n->nif.driver_stats.tx_ring_full, 1);
	sim_vdev_run(&t.dev);
	for (int i = 0; i < 10; i++)
		sim_use(ring(TXQ), 0, 0);
	for (int i = 0; i < 10; i++) /* reclaimed inside xmit: no poll ran */
		CHECK_EQ(n->nif.xmit(&n->nif, &tx), 0);
	CHECK_EQ(n->nif.xmit(&n->nif, &tx), -ENOBUFS);
	tx.payload = frame;
	tx.payload_len = n->tx_size; /* with the headers, more than a buffer */
	CHECK_EQ(n->nif.xmit(&n->nif, &tx), -EMSGSIZE);
	CHECK_EQ(n->nif.driver_stats.tx_too_long, 1);
	CHECK(vdev_ok());
}

/* -- config and resets ---------------------------------------------------------------- */

static void test_link_changes(void)
{
	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	CHECK(n->nif.link_up);
	uint16_t status = 0;
	sim_vdev_config_change(&t.dev, offsetof(struct virtio_net_config, status), &status, 2);
	device_poll(vd);
	CHECK(!n->nif.link_up);
	status = VIRTIO_NET_S_LINK_UP;
	sim_vdev_config_change(&t.dev, offsetof(struct virtio_net_config, status), &status, 2);
	device_poll(vd);
	CHECK(n->nif.link_up);
	CHECK(vdev_ok());

	fresh(BASE & ~F(STATUS), 0); /* no STATUS: the link is up, whatever the field says */
	status = 0;
	memcpy(t.dev.config + offsetof(struct virtio_net_config, status), &status, 2);
	CHECK_EQ(up(), 0);
	CHECK(n->nif.link_up);
}

/* DEVICE_NEEDS_RESET with frames in flight both ways: the interface stays, with its address;
 * the receive ring is filled again, and traffic flows. */
static void test_reset(void)
{
	fresh(BASE, 0);
	CHECK_EQ(up(), 0);
	CHECK_EQ(udp_bind(5000, got_udp, NULL), 0);
	memset(&got, 0, sizeof got);
	struct net_tx tx = { .hdr_len = 14 };
	for (int i = 0; i < 5; i++)
		CHECK_EQ(n->nif.xmit(&n->nif, &tx), 0);
	sim_vdev_run(&t.dev);
	sim_vdev_needs_reset(&t.dev);
	device_poll(vd);
	CHECK_EQ(vd->resets, 1);
	CHECK(netif_find(vd->name) == &n->nif);
	CHECK_EQ(n->nif.ip, our_ip);
	CHECK_EQ(n->ntx_free, n->ntx);
	CHECK(rx_ring_full());
	deliver(udp_frame(5000, 64, 0));
	device_poll(vd);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(n->nif.xmit(&n->nif, &tx), 0);
	CHECK(take_sent());
	CHECK(vdev_ok());
}

/* A reset that does not bring the device back (FEATURES_OK refused after it, or a reset that
 * never completes): the interface stays, but what the stack sends fails with an error. */
static void test_reset_that_fails(void)
{
	for (int stuck = 0; stuck < 2; stuck++) {
		fresh(BASE, 0);
		CHECK_EQ(up(), 0);
		struct net_tx tx = { .hdr_len = 14 };
		CHECK_EQ(n->nif.xmit(&n->nif, &tx), 0);
		t.dev.bad = SIM_BAD(stuck ? SIM_RESET_STUCK : SIM_REFUSE_FEATURES_OK);
		sim_vdev_needs_reset(&t.dev);
		device_poll(vd);
		CHECK(vd->broken);
		CHECK_EQ(n->nif.xmit(&n->nif, &tx), -EIO);
		CHECK_EQ(n->nif.xmit(&n->nif, &tx), -EIO);
		CHECK(vdev_ok());
	}
}

/* Config that never settles at probe: the device is FAILED, and the stack must not be left
 * holding an interface whose device the transport frees. */
static void test_probe_config_never_settles(void)
{
	fresh(BASE | F(MTU), 1500);
	t.dev.bad = SIM_BAD(SIM_GENERATION_CHURN);
	CHECK_EQ(sim_virtio_probe(&t), -EIO);
	CHECK(netif_find(vd->name) == NULL);
	CHECK(netif_default() == NULL);
	CHECK(vdev_ok());
}

/* A first probe that fails frees all it allocated: the transport frees the device. */
static void test_failed_probe_leaves_nothing(void)
{
	for (int how = 0; how < 2; how++) {
		fresh(BASE | F(MTU), 1500);
		t.dev.bad = SIM_BAD(how ? SIM_GENERATION_CHURN : SIM_REFUSE_QUEUE_VECTOR);
		t.dev.bad_queue = 1;
		CHECK(sim_virtio_probe(&t) < 0);
		CHECK(vd->priv == NULL);
		CHECK_EQ(sim_dma_live(), live_before);
		CHECK(vdev_ok());
	}
}

int main(void)
{
	RUN(test_probe);
	RUN(test_receive_one_buffer);
	RUN(test_receive_merged_buffers);
	RUN(test_receive_bad_lengths);
	RUN(test_receive_num_buffers_lies);
	RUN(test_transmit);
	RUN(test_transmit_ring_full);
	RUN(test_link_changes);
	RUN(test_reset);
	RUN(test_reset_that_fails);
	RUN(test_probe_config_never_settles);
	RUN(test_failed_probe_leaves_nothing);
	unplug();
	UNIT_DONE();
}
