/* virtio_net.c - virtio-net (virtio 1.2 §5.1): a receive ring kept full, a transmit ring reclaimed; a struct netif above. */
#include "drivers/virtio/virtio.h"
#include "kernel/acct.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "lib/fmt.h"
#include "net/netif.h"
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Feature bits (§5.1.3). */
#define VIRTIO_NET_F_CSUM       0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU        3
#define VIRTIO_NET_F_MAC        5
#define VIRTIO_NET_F_MRG_RXBUF  15
#define VIRTIO_NET_F_STATUS     16
#define VIRTIO_NET_F_CTRL_VQ    17

/* §5.1.4: device configuration. */
struct virtio_net_config {
	uint8_t mac[6];
	uint16_t status; /* bit 0: link up */
	uint16_t max_virtqueue_pairs;
	uint16_t mtu;
};
_Static_assert(offsetof(struct virtio_net_config, mtu) == 10, "virtio 1.2 §5.1.4");
#define VIRTIO_NET_S_LINK_UP 1

/* §5.1.6: the header before every frame; num_buffers is there with
 * VERSION_1 or MRG_RXBUF (12 bytes), not otherwise (10 bytes). */
struct virtio_net_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset;
	uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio 1.2 §5.1.6");
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE     0

#define RXQ           0
#define TXQ           1
#define MRG_BUF_SIZE  2048u /* one receive buffer, when frames may span several */
#define MAX_MTU       9000u /* jumbo frames, when the device's MTU says so */
#define MAX_FRAME     9216u /* merged receive buffers are refused past this */
#define ETH_MIN_FRAME 14u   /* an Ethernet header, at least */

struct vnet {
	struct netif nif;
	size_t hdr_len;   /* 10 or 12 */
	uint8_t *rx, *tx; /* rx_size and tx_size slots, coherent */
	uint32_t rx_size, tx_size;
	dma_addr_t rx_h, tx_h;
	unsigned nrx, ntx;
	uint16_t *tx_free;
	unsigned ntx_free;
	uint8_t *merge; /* every received frame is copied here, out of the device's reach */
};

#define CFG(field, width) virtio_config_read(vd, offsetof(struct virtio_net_config, field), width)

static const char *net_feature_name(unsigned bit)
{
	static const char *const names[24] = {
		[VIRTIO_NET_F_CSUM] = "CSUM",
		[VIRTIO_NET_F_GUEST_CSUM] = "GUEST_CSUM",
		[VIRTIO_NET_F_MTU] = "MTU",
		[VIRTIO_NET_F_MAC] = "MAC",
		[VIRTIO_NET_F_MRG_RXBUF] = "MRG_RXBUF",
		[VIRTIO_NET_F_STATUS] = "STATUS",
		[VIRTIO_NET_F_CTRL_VQ] = "CTRL_VQ",
		[2] = "CTRL_GUEST_OFFLOADS",
		[18] = "CTRL_RX",
		[19] = "CTRL_VLAN",
		[20] = "CTRL_RX_EXTRA",
		[21] = "GUEST_ANNOUNCE",
		[22] = "MQ",
		[23] = "CTRL_MAC_ADDR",
	};
	return bit < 24 ? names[bit] : NULL;
}

/* Hand receive buffer i to the device: one device-writable descriptor. */
static int post_rx(struct virtio_dev *vd, struct vnet *n, unsigned i)
{
	struct vq_sg sg = { n->rx_h + (dma_addr_t)i * n->rx_size, n->rx_size };
	int acct = acct_open(&vq_stats(vd->q[RXQ].vq)->submit_tsc);
	/* token: the slot number, plus one so that it is never NULL */
	int r = vq_add(vd->q[RXQ].vq, NULL, 0, &sg, 1, (void *)(uintptr_t)(i + 1));
	acct_close(acct);
	return r;
}

static void read_link(struct virtio_dev *vd, struct vnet *n)
{
	bool up = !virtio_has(vd, VIRTIO_NET_F_STATUS) || (CFG(status, 2) & VIRTIO_NET_S_LINK_UP);
	if (virtio_config_error(vd))
		return; /* a read that never settled: not believed (the core resets the device) */
	if (up != n->nif.link_up)
		log_info("virtio %s: link %s\n", vd->name, up ? "up" : "down");
	n->nif.link_up = up;
}

static int xmit(struct netif *nif, const struct net_tx *tx);

/* The MTU (§5.1.4.1: the device's is the most the driver may use), then
 * the buffer sizes it asks for: a frame is header + Ethernet + VLAN tag +
 * MTU; with MRG_RXBUF it may span several 2 KiB receive buffers. */
static void size_buffers(struct virtio_dev *vd, struct vnet *n)
{
	uint16_t mtu = 1500;
	if (virtio_has(vd, VIRTIO_NET_F_MTU)) {
		uint16_t m = (uint16_t)CFG(mtu, 2);
		if (m >= 576 && m <= MAX_MTU)
			mtu = m;
		else
			log_warn("virtio %s: MTU %u out of 576..%u; using 1500\n", vd->name, m, MAX_MTU);
	}
	n->nif.mtu = mtu;
	uint32_t frame = (uint32_t)(n->hdr_len + 14 + 4 + mtu + 63) & ~63u;
	n->tx_size = frame > MRG_BUF_SIZE ? frame : MRG_BUF_SIZE;
	n->rx_size = virtio_has(vd, VIRTIO_NET_F_MRG_RXBUF) ? MRG_BUF_SIZE : n->tx_size;
}

static int net_probe(struct virtio_dev *vd)
{
	struct vnet *n = vd->priv;
	bool again = n != NULL;
	int r;
	if (!n && !(n = vd->priv = calloc(1, sizeof *n)))
		return -ENOMEM;
	/* §5.1.6: the header carries num_buffers with VERSION_1 or MRG_RXBUF */
	n->hdr_len = virtio_has(vd, VIRTIO_F_VERSION_1) || virtio_has(vd, VIRTIO_NET_F_MRG_RXBUF) ? 12 : 10;
	if ((r = virtio_setup_queues(vd, 2, 256)))
		goto fail;
	unsigned nrx = vq_size(vd->q[RXQ].vq), ntx = vq_size(vd->q[TXQ].vq);
	if (!again) {
		size_buffers(vd, n);
		n->nrx = nrx, n->ntx = ntx;
		n->rx = dma_alloc(vd->dma, (size_t)nrx * n->rx_size, &n->rx_h);
		n->tx = dma_alloc(vd->dma, (size_t)ntx * n->tx_size, &n->tx_h);
		n->tx_free = calloc(ntx, sizeof *n->tx_free);
		n->merge = malloc(MAX_FRAME);
		if (!n->rx || !n->tx || !n->tx_free || !n->merge) {
			r = -ENOMEM;
			goto fail;
		}
	} else if (nrx != n->nrx || ntx != n->ntx) {
		return -EPROTO; /* a reset device must come back as it was */
	}
	n->ntx_free = 0;
	for (unsigned i = 0; i < ntx; i++)
		n->tx_free[n->ntx_free++] = (uint16_t)i;
	/* §5.1.6.3: fill the receive queue before DRIVER_OK (the core kicks it after) */
	for (unsigned i = 0; i < nrx; i++)
		if ((r = post_rx(vd, n, i)))
			goto fail;

	struct netif *nif = &n->nif;
	if (!again) {
		ksnprintf(nif->name, sizeof nif->name, "%s", vd->name);
		static const uint8_t zero[6];
		bool own = !virtio_has(vd, VIRTIO_NET_F_MAC);
		if (!own) {
			for (int i = 0; i < 6; i++)
				nif->mac[i] = (uint8_t)virtio_config_read(vd, (unsigned)i, 1);
			/* device-written: the interface's own address must be a unicast one */
			if ((nif->mac[0] & 1) || !memcmp(nif->mac, zero, 6)) {
				log_err("virtio %s: the device's MAC %02x:%02x:%02x:%02x:%02x:%02x is not a "
					"unicast address; using one of our own\n",
					vd->name, nif->mac[0], nif->mac[1], nif->mac[2], nif->mac[3],
					nif->mac[4], nif->mac[5]);
				own = true;
			}
		}
		if (own) { /* locally administered, unicast */
			uint64_t t = rdtsc();
			memcpy(nif->mac, &t, 6);
			nif->mac[0] = (uint8_t)((nif->mac[0] & 0xfe) | 0x02);
		}
		if (virtio_has(vd, VIRTIO_NET_F_CSUM))
			nif->features |= NETIF_F_TX_CSUM;
		nif->xmit = xmit;
		nif->driver = vd;
		read_link(vd, n);
		/* config that never settled fails the probe, and vd is freed with it: the
		 * stack must not be left holding an interface that points at it */
		if ((r = virtio_config_error(vd)))
			goto fail;
		netif_add(nif);
	}
	log_info("virtio %s: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u, %u receive buffers of %u bytes\n",
		 vd->name, nif->mac[0], nif->mac[1], nif->mac[2], nif->mac[3], nif->mac[4], nif->mac[5],
		 nif->mtu, nrx, n->rx_size);
	return 0;
fail: /* the core resets the device and destroys the queues; nothing was used before DRIVER_OK */
	if (again)
		return r; /* the interface stays, with what it holds; the device is given up */
	dma_free(vd->dma, n->rx, (size_t)n->nrx * n->rx_size, n->rx_h);
	dma_free(vd->dma, n->tx, (size_t)n->ntx * n->tx_size, n->tx_h);
	free(n->tx_free);
	free(n->merge);
	free(n);
	vd->priv = NULL; /* vd is freed: nothing of the first probe may stay */
	return r;
}

/* -- transmit ------------------------------------------------------------------ */

static int reclaim_tx(struct virtio_dev *vd, struct vnet *n, int budget)
{
	void *tok;
	uint32_t len;
	int done = 0;
	while (done < budget && (tok = vq_get(vd->q[TXQ].vq, &len))) {
		n->tx_free[n->ntx_free++] = (uint16_t)((uintptr_t)tok - 1);
		done++;
	}
	return done;
}

/* The stack's frame is valid only during this call: it is copied, with its
 * virtio header in front, into a transmit buffer the device then reads. */
static int xmit_one(struct virtio_dev *vd, struct vnet *n, const struct net_tx *tx);

static int xmit(struct netif *nif, const struct net_tx *tx)
{
	struct virtio_dev *vd = nif->driver;
	if (vd->broken || !vd->nqueues)
		return -EIO; /* given up: a reset did not bring it back; its queues are gone or the device's */
	int acct = acct_open(&vq_stats(vd->q[TXQ].vq)->submit_tsc);
	int r = xmit_one(vd, vd->priv, tx);
	acct_close(acct);
	return r;
}

static int xmit_one(struct virtio_dev *vd, struct vnet *n, const struct net_tx *tx)
{
	size_t len = n->hdr_len + tx->hdr_len + tx->payload_len;
	if (len > n->tx_size) {
		n->nif.driver_stats.tx_too_long++;
		return -EMSGSIZE;
	}
	if (!n->ntx_free)
		reclaim_tx(vd, n, (int)n->ntx);
	if (!n->ntx_free) {
		n->nif.driver_stats.tx_ring_full++;
		return -ENOBUFS;
	}
	unsigned slot = n->tx_free[--n->ntx_free];
	uint8_t *buf = n->tx + (size_t)slot * n->tx_size;
	struct virtio_net_hdr h = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	if ((tx->flags & NET_TX_CSUM) && virtio_has(vd, VIRTIO_NET_F_CSUM)) {
		h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM; /* §5.1.6.2: the device completes it */
		h.csum_start = tx->csum_start;
		h.csum_offset = tx->csum_offset;
	}
	memcpy(buf, &h, n->hdr_len);
	memcpy(buf + n->hdr_len, tx->hdr, tx->hdr_len);
	if (tx->payload_len)
		memcpy(buf + n->hdr_len + tx->hdr_len, tx->payload, tx->payload_len);
	struct vq_sg sg = { n->tx_h + (dma_addr_t)slot * n->tx_size, (uint32_t)len };
	int r = vq_add(vd->q[TXQ].vq, &sg, 1, NULL, 0, (void *)(uintptr_t)(slot + 1));
	if (r) {
		n->tx_free[n->ntx_free++] = (uint16_t)slot;
		n->nif.driver_stats.tx_ring_full++;
		return r;
	}
	vq_kick(vd->q[TXQ].vq);
	return 0;
}

/* -- receive ------------------------------------------------------------------- */

static unsigned rx_slot(void *tok) { return (unsigned)((uintptr_t)tok - 1); }

/* The header a device may write to a received frame (§5.1.6.4): with
 * GUEST_CSUM, DATA_VALID or NEEDS_CSUM; nothing else, since ringside
 * negotiates no receive offload. */
static bool header_ok(struct virtio_dev *vd, const struct virtio_net_hdr *h)
{
	uint8_t allowed = virtio_has(vd, VIRTIO_NET_F_GUEST_CSUM)
				  ? VIRTIO_NET_HDR_F_DATA_VALID | VIRTIO_NET_HDR_F_NEEDS_CSUM
				  : 0;
	return !(h->flags & ~allowed) && h->gso_type == VIRTIO_NET_HDR_GSO_NONE;
}

/*
 * One frame: its first buffer is slot, of len bytes. With MRG_RXBUF it may
 * continue in num_buffers - 1 more (§5.1.6.4). The header and the frame are
 * copied out of the buffers first: they are memory the device can still
 * write, and the stack reads some fields twice (a length, then the bytes
 * it covers). Every buffer goes back to the device after.
 */
static void receive(struct virtio_dev *vd, struct vnet *n, unsigned slot, uint32_t len)
{
	const uint8_t *buf = n->rx + (size_t)slot * n->rx_size;
	struct netif_driver_stats *st = &n->nif.driver_stats;
	struct virtio_net_hdr h = { 0 };
	unsigned more = 0;
	size_t flen;

	if (len < n->hdr_len + ETH_MIN_FRAME || len > n->rx_size) {
		st->rx_bad_len++;
		goto repost;
	}
	memcpy(&h, buf, n->hdr_len);
	if (virtio_has(vd, VIRTIO_NET_F_MRG_RXBUF)) {
		if (h.num_buffers == 0 || h.num_buffers > (MAX_FRAME + MRG_BUF_SIZE - 1) / MRG_BUF_SIZE) {
			st->rx_bad_num_buffers++;
			goto repost; /* the rest of the frame is drained as it comes, as frames of its own */
		}
		more = h.num_buffers - 1u;
	}
	flen = len - n->hdr_len;
	memcpy(n->merge, buf + n->hdr_len, flen);
	for (; more; more--) {
		uint32_t l;
		void *tok = vq_get(vd->q[RXQ].vq, &l);
		if (!tok) { /* the device said more buffers than it used */
			st->rx_bad_num_buffers++;
			goto repost;
		}
		unsigned s = rx_slot(tok);
		if (flen + l > MAX_FRAME || l > n->rx_size) {
			st->rx_bad_len++;
			post_rx(vd, n, s);
			while (--more && (tok = vq_get(vd->q[RXQ].vq, &l)))
				post_rx(vd, n, rx_slot(tok));
			goto repost;
		}
		memcpy(n->merge + flen, n->rx + (size_t)s * n->rx_size, l);
		flen += l;
		post_rx(vd, n, s);
	}
	if (!header_ok(vd, &h)) {
		st->rx_bad_header++;
		goto repost;
	}
	int flags = h.flags ? NET_RX_CSUM_OK : 0; /* DATA_VALID, or NEEDS_CSUM: no checksum to check yet */
	net_input_flags(&n->nif, n->merge, flen, flags);
repost:
	if (post_rx(vd, n, slot))
		st->rx_repost_failed++;
}

static int net_poll_queue(struct virtio_dev *vd, unsigned q, int budget)
{
	struct vnet *n = vd->priv;
	if (q == TXQ)
		return reclaim_tx(vd, n, budget);
	struct virtqueue *vq = vd->q[RXQ].vq;
	if (vq_num_free(vq) == vq_size(vq))
		n->nif.driver_stats
			.rx_ring_dry++; /* every buffer was with us: the device had nowhere to put a frame */
	void *tok;
	uint32_t len;
	int done = 0;
	while (done < budget && (tok = vq_get(vq, &len))) {
		receive(vd, n, rx_slot(tok), len);
		done++;
	}
	if (done)
		vq_kick(vq); /* the refilled buffers */
	return done;
}

static void net_config_changed(struct virtio_dev *vd) { read_link(vd, vd->priv); }

static void net_reset_fail(struct virtio_dev *vd)
{
	/* frames in flight are simply lost, as on a wire; the buffers are ours again */
	for (unsigned q = 0; q < vd->nqueues; q++)
		while (vq_detach_unused(vd->q[q].vq))
			;
}

const struct virtio_driver virtio_net_driver = {
	.prefix = "net",
	.device_id = VIRTIO_ID_NET,
	.features = BIT(VIRTIO_NET_F_CSUM) | BIT(VIRTIO_NET_F_GUEST_CSUM) | BIT(VIRTIO_NET_F_MTU) |
		    BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_MRG_RXBUF) | BIT(VIRTIO_NET_F_STATUS),
	.probe = net_probe,
	.poll = net_poll_queue,
	.config_changed = net_config_changed,
	.reset_fail = net_reset_fail,
	.feature_name = net_feature_name,
};
