/* fuzz_virtio_net.c - libFuzzer: virtio-net receive against a hostile device; the input plays the device
 * (used ids and lengths, headers, num_buffers, frame bytes, resets) under the real core and net stack. */
#include "tests/fuzz/fuzz_virtio.h"

#include "drivers/virtio/virtio_net.c"
#include "net/arp.c"
#include "net/dhcp.c"
#include "net/echo.c"
#include "net/icmp.c"
#include "net/ip.c"
#include "net/netif.c"
#include "net/udp.c"

const struct virtio_driver virtio_blk_driver = { .prefix = "blk" };
const struct virtio_driver virtio_rng_driver = { .prefix = "rng" };
const struct virtio_driver virtio_iommu_vdriver = { .prefix = "viommu" };

#define F(bit) BIT(VIRTIO_NET_F_##bit)
#define QSIZE  16

static volatile uint8_t sink;

/* What the stack hands a bound port: every byte read, so the sanitizers see each one. */
static void got_udp(const struct udp_rx *rx, void *arg)
{
	(void)arg;
	uint8_t x = 0;
	for (size_t i = 0; i < rx->len; i++)
		x ^= ((const uint8_t *)rx->data)[i];
	sink = x;
}

/* Every receive buffer is the device's or on its way back: none is lost. */
static void ensure_rx_ring_full(struct vnet *n)
{
	if (vd->broken || !vd->nqueues)
		return;
	struct virtqueue *rx = vd->q[RXQ].vq;
	if (!vq_broken(rx))
		ENSURE(vq_num_free(rx) == 0 || n->nif.driver_stats.rx_repost_failed);
}

/* The device uses its oldest (or k-th) receive buffer with a header and frame from the input,
 * reporting a length of its choosing (it may lie). */
static void deliver(struct input *in)
{
	static uint8_t frame[4096];
	struct sim_dev *s = sim_vdev_ring(&t.dev, RXQ);
	if (!t.dev.q[RXQ].enabled || !s->npending)
		return;
	unsigned k = byte(in) % s->npending;
	struct virtio_net_hdr h = { 0 };
	h.flags = (uint8_t)(byte(in) & 3 ? 0 : byte(in));
	h.gso_type = (uint8_t)(byte(in) & 7 ? 0 : byte(in));
	h.num_buffers = (uint16_t)(byte(in) % 4 ? 1 + byte(in) % 6 : word(in));
	/* a frame that the stack may take: to us, IPv4 or ARP, then bytes from the input */
	size_t flen = 14 + byte(in) * 8u;
	memcpy(frame, (const uint8_t[]){ 0x52, 0x54, 0, 0x12, 0x34, 0x56, 2, 0, 0, 0, 0, 1 }, 12);
	frame[12] = 0x08, frame[13] = byte(in) & 1 ? 0x06 : 0x00;
	for (size_t i = 14; i < flen && in->n; i++)
		frame[i] = (uint8_t)byte(in);
	memcpy(frame + 14, (const uint8_t[]){ 0x45, 0, 0, 0 }, byte(in) & 1 ? 4 : 0);
	static uint8_t b[4096 + 16];
	memcpy(b, &h, sizeof h);
	memcpy(b + sizeof h, frame, flen);
	uint32_t len = (uint32_t)(sizeof h + flen);
	if (!(byte(in) & 7))
		len = word(in); /* a length of its own */
	sim_use_data(s, k, b, len);
}

/* The stack sends; the device takes and completes transmit buffers as the input says. */
static void transmit(struct vnet *n, struct input *in)
{
	struct net_tx tx = { .hdr_len = 14 };
	memset(tx.hdr, 0xff, 14);
	n->nif.xmit(&n->nif, &tx);
	struct sim_dev *s = sim_vdev_ring(&t.dev, TXQ);
	if (t.dev.q[TXQ].enabled && s->npending && byte(in) & 1)
		sim_use(s, byte(in) % s->npending,
			byte(in) & 1 ? 0 : byte(in)); /* 0 is right: nothing to write */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned cfg = byte(&in);
	uint64_t offered = BIT(VIRTIO_F_VERSION_1) | F(MAC) | F(STATUS);
	if (cfg & 1)
		offered |= F(MRG_RXBUF);
	if (cfg & 2)
		offered |= F(GUEST_CSUM);
	if (cfg & 4)
		offered |= BIT(VIRTIO_F_RING_PACKED);
	if (cfg & 8)
		offered |= BIT(VIRTIO_F_EVENT_IDX);
	static const enum io_mode modes[] = { IO_MODE_HYBRID, IO_MODE_POLL, IO_MODE_IRQ, IO_MODE_HYBRID };
	fuzz_fresh(VIRTIO_ID_NET, offered, QSIZE, modes[cfg >> 4 & 3]);
	memset(udp_ports, 0, sizeof udp_ports);
	struct virtio_net_config c = { .mac = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, .status = 1 };
	memcpy(t.dev.config, &c, sizeof c);
	t.dev.config_size = sizeof c;
	if (sim_virtio_probe(&t))
		return 0;
	struct vnet *n = vd->priv;
	netif_set_addr(&n->nif, 0x0a00020f, 24, 0);
	udp_bind(5000, got_udp, NULL);
	echo_start();

	for (unsigned ops = 0; in.n && ops < 400; ops++) {
		unsigned op = byte(&in) % 12, q = op & 1 ? TXQ : RXQ;
		if (!ring_op(&in, op, q))
			switch (op) {
			case 0:
			case 5:
			case 6:
				sim_vdev_run(&t.dev);
				deliver(&in);
				break;
			case 7:
			case 8:
				poll_run_once(); /* the driver's turn: device_poll */
				ensure_rx_ring_full(n);
				break;
			case 9:
				transmit(n, &in);
				break;
			case 10: { /* a config change: the link, or the status byte itself */
				uint16_t st = (uint16_t)byte(&in);
				sim_vdev_config_change(&t.dev, offsetof(struct virtio_net_config, status),
						       &st, 2);
				break;
			}
			case 11:
				fake_now += (uint64_t)byte(&in) * 10000000; /* up to 2.5 s */
				break;
			}
		ensure_driver_kept_the_rules();
	}
	poll_run_once();
	ensure_rx_ring_full(n);
	ensure_driver_kept_the_rules();

	netif_remove(&n->nif);
	dma_free(vd->dma, n->rx, (size_t)n->nrx * n->rx_size, n->rx_h);
	dma_free(vd->dma, n->tx, (size_t)n->ntx * n->tx_size, n->tx_h);
	free(n->tx_free);
	free(n->merge);
	free(n);
	fuzz_unplug();
	ENSURE(sim_dma_live() == 0);
	return 0;
}
