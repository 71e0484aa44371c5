/* test_net.h - the net stack on the host: a fake interface that captures frames, a fake clock, frame builders. */
#ifndef TESTS_UNIT_TEST_NET_H
#define TESTS_UNIT_TEST_NET_H
#include "unit.h"

#include "net/arp.c"
#include "net/dhcp.c"
#include "net/echo.c"
#include "net/icmp.c"
#include "net/ip.c"
#include "net/netif.c"
#include "net/udp.c"
#include <string.h>

#define SEC_NS          1000000000ull
#define MS_NS           1000000ull
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static uint64_t fake_now;
uint64_t now_ns(void) { return fake_now; }

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t peer_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint32_t our_ip = IP4(10, 0, 2, 15), peer_ip = IP4(10, 0, 2, 2);

/* What the fake device was given to send, flattened. */
#define CAP_MAX   64
#define FRAME_MAX 9100
static struct captured {
	uint8_t data[FRAME_MAX];
	size_t len;
	uint8_t flags;
	uint16_t csum_start, csum_offset;
} cap[CAP_MAX];
static int ncap, xmit_error;
static struct netif nif;

static int fake_xmit(struct netif *n, const struct net_tx *tx)
{
	if (xmit_error)
		return xmit_error;
	if (ncap == CAP_MAX || tx->hdr_len + tx->payload_len > FRAME_MAX)
		abort();
	struct captured *c = &cap[ncap++];
	memcpy(c->data, tx->hdr, tx->hdr_len);
	if (tx->payload_len)
		memcpy(c->data + tx->hdr_len, tx->payload, tx->payload_len);
	c->len = tx->hdr_len + tx->payload_len;
	c->flags = tx->flags;
	c->csum_start = tx->csum_start;
	c->csum_offset = tx->csum_offset;
	return 0;
}

/* A fresh stack: one interface, nothing bound, no address unless configured. */
static void net_setup(int configured)
{
	if (netif_default())
		netif_remove(&nif);
	memset(&nif, 0, sizeof nif);
	memset(udp_ports, 0, sizeof udp_ports);
	icmp_ping_close();
	strcpy(nif.name, "net0");
	memcpy(nif.mac, our_mac, 6);
	nif.mtu = 1500;
	nif.link_up = true;
	nif.xmit = fake_xmit;
	fake_now = 1000 * SEC_NS;
	netif_add(&nif);
	if (configured)
		netif_set_addr(&nif, our_ip, 24, peer_ip);
	ncap = 0;
	xmit_error = 0;
}

static __attribute__((unused)) struct eth_hdr *cap_eth(int i) { return (struct eth_hdr *)cap[i].data; }
static struct ip_hdr *cap_ip(int i) { return (struct ip_hdr *)(cap[i].data + 14); }
static uint8_t *cap_l4(int i) { return cap[i].data + 14 + (cap_ip(i)->vihl & 15) * 4; }

/* Frame builders: from the peer to us, headers correct unless a test breaks them. */
static size_t put_eth(uint8_t *f, uint16_t type)
{
	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = type >> 8;
	f[13] = type & 255;
	return 14;
}

static size_t build_arp(uint8_t *f, uint16_t op, const uint8_t *sha, uint32_t spa, uint32_t tpa)
{
	size_t n = put_eth(f, ETH_TYPE_ARP);
	if (op == 1)
		memset(f, 0xff, 6);
	struct arp_pkt *a = (struct arp_pkt *)(f + n);
	memset(a, 0, sizeof *a);
	a->htype = be16(1);
	a->ptype = be16(ETH_TYPE_IPV4);
	a->hlen = 6;
	a->plen = 4;
	a->op = be16(op);
	memcpy(a->sha, sha, 6);
	put_be32(a->spa, spa);
	if (op == 2)
		memcpy(a->tha, our_mac, 6);
	put_be32(a->tpa, tpa);
	return n + sizeof *a;
}

static void fix_ip_csum(struct ip_hdr *h)
{
	h->csum = 0;
	h->csum = be16(ip_csum_fold(ip_csum_add(0, h, (h->vihl & 15) * 4)));
}

static size_t build_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id, uint16_t frag,
		       const void *payload, size_t len)
{
	size_t n = put_eth(f, ETH_TYPE_IPV4);
	struct ip_hdr *h = (struct ip_hdr *)(f + n);
	memset(h, 0, sizeof *h);
	h->vihl = 0x45;
	h->len = be16(sizeof *h + len);
	h->id = be16(id);
	h->frag = be16(frag);
	h->ttl = 64;
	h->proto = proto;
	h->src = be32(src);
	h->dst = be32(dst);
	fix_ip_csum(h);
	memcpy(h + 1, payload, len);
	return n + sizeof *h + len;
}

static __attribute__((unused)) size_t build_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
						uint16_t dport, const void *data, size_t len)
{
	static uint8_t d[FRAME_MAX];
	struct udp_hdr *u = (struct udp_hdr *)d;
	u->sport = be16(sport);
	u->dport = be16(dport);
	u->len = be16(8 + len);
	u->csum = 0;
	memcpy(u + 1, data, len);
	uint16_t c = ip_csum_fold(ip_csum_add(ip_csum_pseudo(src, dst, IP_PROTO_UDP, 8 + len), d, 8 + len));
	u->csum = be16(c ? c : 0xffff);
	return build_ip(f, src, dst, IP_PROTO_UDP, 1, 0, d, 8 + len);
}

/* Tells the stack the peer's MAC, as its ARP reply would. */
static void learn_peer(uint32_t ip)
{
	uint8_t f[64];
	size_t n = build_arp(f, 2, peer_mac, ip, our_ip);
	net_input(&nif, f, n);
}

/* The last UDP datagram a bound port got. */
static struct {
	int count;
	uint32_t src, dst;
	uint16_t sport, dport;
	size_t len;
	uint8_t data[70000];
} got;

static __attribute__((unused)) void got_udp(const struct udp_rx *rx, void *arg)
{
	got.count++;
	got.src = rx->src;
	got.dst = rx->dst;
	got.sport = rx->sport;
	got.dport = rx->dport;
	got.len = rx->len;
	memcpy(got.data, rx->data, rx->len);
}
#endif
