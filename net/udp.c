/* udp.c - UDP (RFC 768): a table of bound ports, checksums in software or by the device. */
#include "net/udp.h"
#include "net/netif.h"
#include <errno.h>
#include <stddef.h>
#include <string.h>

static struct {
	uint16_t port;
	udp_recv_fn fn;
	void *arg;
} udp_ports[UDP_PORTS];

int udp_bind(uint16_t port, udp_recv_fn fn, void *arg)
{
	int free_slot = -1;
	if (!port || !fn)
		return -EINVAL;
	for (int i = 0; i < UDP_PORTS; i++) {
		if (udp_ports[i].port == port)
			return -EADDRINUSE;
		if (!udp_ports[i].port && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return -ENOBUFS;
	udp_ports[free_slot].port = port;
	udp_ports[free_slot].fn = fn;
	udp_ports[free_slot].arg = arg;
	return 0;
}

void udp_unbind(uint16_t port)
{
	for (int i = 0; i < UDP_PORTS; i++)
		if (udp_ports[i].port == port)
			memset(&udp_ports[i], 0, sizeof udp_ports[i]);
}

static enum net_drop udp_process(struct netif *nif, const struct ip_info *ip, const uint8_t *dgram,
				 size_t len)
{
	const struct udp_hdr *u = (const struct udp_hdr *)dgram;
	if (len < sizeof *u)
		return NET_DROP_UDP_SHORT;
	size_t ulen = be16(u->len); /* header and data; what follows it in the IP datagram is ignored */
	if (ulen < sizeof *u || ulen > len)
		return NET_DROP_UDP_LEN;
	/* RFC 768 "Fields": a zero checksum means the sender computed none. */
	if (u->csum && !(ip->flags & NET_RX_CSUM_OK)) {
		uint32_t sum = ip_csum_pseudo(ip->src, ip->dst, IP_PROTO_UDP, ulen);
		if (ip_csum_fold(ip_csum_add(sum, dgram, ulen)))
			return NET_DROP_UDP_CSUM;
	}
	uint16_t dport = be16(u->dport);
	for (int i = 0; i < UDP_PORTS; i++) {
		if (!dport || udp_ports[i].port != dport) /* port 0 is no one's: free slots hold it */
			continue;
		nif->stats.udp_rx++;
		struct udp_rx rx = {
			.nif = nif, .src = ip->src, .dst = ip->dst, .sport = be16(u->sport), .dport = dport
		};
		rx.bcast = ip->bcast;
		rx.data = u + 1;
		rx.len = ulen - sizeof *u;
		udp_ports[i].fn(&rx, udp_ports[i].arg);
		return NET_DROP_NONE;
	}
	return NET_DROP_UDP_PORT;
}

void udp_input(struct netif *nif, const struct ip_info *ip, const void *dgram, size_t len)
{
	net_drop(nif, udp_process(nif, ip, dgram, len));
}

int udp_send(struct netif *nif, uint16_t sport, uint32_t dst, uint16_t dport, const void *data, size_t len)
{
	if (!nif)
		nif = netif_default();
	if (!nif)
		return -ENETDOWN;
	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	uint16_t ulen = sizeof(struct udp_hdr) + len;
	struct udp_hdr u = { .sport = be16(sport), .dport = be16(dport), .len = be16(ulen) };
	uint32_t sum = ip_csum_pseudo(nif->ip, dst, IP_PROTO_UDP, ulen);
	int flags = 0;
	if ((nif->features & NETIF_F_TX_CSUM) && ip_fits(nif, ulen)) {
		/* virtio 1.2 §5.1.6.2: the field holds the pseudo-header sum, folded
		 * but not inverted; the device adds the rest and inverts. */
		u.csum = be16(~ip_csum_fold(sum) & 0xffff);
		flags = NET_TX_CSUM;
	} else {
		uint16_t c = ip_csum_fold(ip_csum_add(ip_csum_add(sum, &u, sizeof u), data, len));
		u.csum = be16(c ? c : 0xffff); /* RFC 768: a computed zero is sent as all ones */
	}
	nif->stats.udp_tx++;
	return ip_send(nif, dst, IP_PROTO_UDP, &u, sizeof u, data, len, flags,
		       offsetof(struct udp_hdr, csum));
}

int udp_reply(const struct udp_rx *rx, const void *data, size_t len)
{
	return udp_send(rx->nif, rx->dport, rx->src, rx->sport, data, len);
}
