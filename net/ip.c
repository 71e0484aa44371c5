/* ip.c - IPv4 (RFC 791): checksums, input checks, routing, fragmentation out and reassembly in. */
#include "net/ip.h"
#include "kernel/time.h"
#include "net/icmp.h"
#include "net/netif.h"
#include "net/udp.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint16_t ip_next_id;

uint32_t ip_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return (sum & 0xffff) + (sum >> 16); /* below 2^17: 64 KiB more cannot overflow */
}

uint16_t ip_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

uint32_t ip_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

/* The limited broadcast, or the directed broadcast of our subnet (RFC 919, RFC 922). */
int ip_is_bcast(const struct netif *nif, uint32_t ip)
{
	if (ip == IP_BROADCAST)
		return 1;
	uint32_t host = ~nif->netmask;
	return nif->ip && host && host != IP_BROADCAST && (ip & host) == host &&
	       ((ip ^ nif->ip) & nif->netmask) == 0;
}

static int ip_is_mcast(uint32_t ip) { return (ip >> 28) == 14; } /* 224.0.0.0/4, RFC 1112 §4 */

int ip_fits(const struct netif *nif, size_t len) { return len + sizeof(struct ip_hdr) <= nif->mtu; }

static void ip_deliver(struct netif *nif, const struct ip_info *info, const uint8_t *data, size_t len)
{
	switch (info->proto) {
	case IP_PROTO_ICMP:
		icmp_input(nif, info, data, len);
		break;
	case IP_PROTO_UDP:
		udp_input(nif, info, data, len);
		break;
	default:
		net_drop(nif, NET_DROP_IP_PROTO);
	}
}

static void reass_free(struct ip_reass *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}

/* The slot for this datagram, a free one, or else the oldest, evicted. */
static struct ip_reass *reass_slot(struct netif *nif, const struct ip_info *info, uint16_t id)
{
	struct ip_reass *slot = 0;
	for (int i = 0; i < IP_REASS_SLOTS; i++) {
		struct ip_reass *r = &nif->reass[i];
		if (r->used && r->src == info->src && r->dst == info->dst && r->id == id &&
		    r->proto == info->proto)
			return r;
		if (!slot || !r->used || (slot->used && r->expires < slot->expires))
			slot = r;
	}
	if (slot->used) {
		net_drop(nif, NET_DROP_FRAG_EVICTED);
		reass_free(slot);
	}
	slot->buf = malloc(IP_MAX_LEN);
	if (!slot->buf)
		return 0;
	slot->used = 1;
	slot->src = info->src;
	slot->dst = info->dst;
	slot->id = id;
	slot->proto = info->proto;
	slot->expires = now_ns() + IP_REASS_TIMEOUT_NS;
	return slot;
}

/* RFC 791 §3.2 "Fragmentation and Reassembly", with the bounds an untrusted
 * network needs: a fragment that overlaps another, ends past 64 KiB, or
 * disagrees about where the datagram ends, ends the whole reassembly. */
static enum net_drop ip_reass(struct netif *nif, struct ip_info *info, uint16_t id, uint16_t frag,
			      const uint8_t *data, size_t len)
{
	size_t off = (size_t)(frag & IP_OFFSET_MASK) * 8, end = off + len;
	int more = frag & IP_FLAG_MF;
	nif->stats.frags_rx++;
	if (more && (len == 0 || len % 8)) /* all but the last carry 8-byte blocks */
		return NET_DROP_FRAG_BAD;
	if (end > IP_MAX_LEN - sizeof(struct ip_hdr))
		return NET_DROP_FRAG_OVERSIZE;
	struct ip_reass *r = reass_slot(nif, info, id);
	if (!r)
		return NET_DROP_FRAG_NOMEM;
	enum net_drop why = NET_DROP_NONE;
	if ((more && r->total && end > r->total) || (!more && ((r->total && r->total != end) || end < r->hi)))
		why = NET_DROP_FRAG_BAD;
	for (size_t b = off / 8; b < (end + 7) / 8 && !why; b++)
		if (r->map[b / 8] & (1u << (b % 8)))
			why = NET_DROP_FRAG_OVERLAP;
	if (why) {
		reass_free(r);
		return why;
	}
	for (size_t b = off / 8; b < (end + 7) / 8; b++)
		r->map[b / 8] |= 1u << (b % 8);
	if (len)
		memcpy(r->buf + off, data, len);
	r->have += len;
	if (end > r->hi)
		r->hi = end;
	if (!more)
		r->total = end;
	if (r->total && r->have == r->total) {
		nif->stats.reassembled++;
		info->flags = 0; /* no device checks a checksum across fragments */
		ip_deliver(nif, info, r->buf, r->total);
		reass_free(r);
	}
	return NET_DROP_NONE;
}

static enum net_drop ip_process(struct netif *nif, const uint8_t *pkt, size_t len, int flags)
{
	const struct ip_hdr *h = (const struct ip_hdr *)pkt;
	if (len < sizeof *h)
		return NET_DROP_IP_SHORT;
	if (h->vihl >> 4 != 4)
		return NET_DROP_IP_VERSION;
	size_t hlen = (size_t)(h->vihl & 15) * 4, total = be16(h->len);
	if (hlen < sizeof *h || hlen > len)
		return NET_DROP_IP_IHL;
	if (total < hlen || total > len) /* len beyond total is Ethernet padding */
		return NET_DROP_IP_LEN;
	if (ip_csum_fold(ip_csum_add(0, h, hlen)))
		return NET_DROP_IP_CSUM;
	struct ip_info info = { .src = be32(h->src), .dst = be32(h->dst), .proto = h->proto, .ttl = h->ttl };
	info.flags = flags;
	/* RFC 1122 §3.2.1.3: a broadcast or multicast source is silently discarded. */
	if (ip_is_bcast(nif, info.src) || ip_is_mcast(info.src))
		return NET_DROP_IP_SRC;
	/* Ours, a broadcast, or, while we have no address, anything sent to our
	 * MAC (a DHCP server may unicast its offer to the address it offers). */
	info.bcast = ip_is_bcast(nif, info.dst);
	if (ip_is_mcast(info.dst) || (!info.bcast && nif->ip && info.dst != nif->ip))
		return NET_DROP_IP_DST;
	nif->stats.ip_rx++;
	uint16_t frag = be16(h->frag);
	if (frag & (IP_FLAG_MF | IP_OFFSET_MASK))
		return ip_reass(nif, &info, be16(h->id), frag, pkt + hlen, total - hlen);
	ip_deliver(nif, &info, pkt + hlen, total - hlen);
	return NET_DROP_NONE;
}

void ip_input(struct netif *nif, const void *pkt, size_t len, int flags)
{
	net_drop(nif, ip_process(nif, pkt, len, flags));
}

void ip_reass_tick(struct netif *nif, uint64_t now)
{
	for (int i = 0; i < IP_REASS_SLOTS; i++) {
		if (nif->reass[i].used && now >= nif->reass[i].expires) {
			net_drop(nif, NET_DROP_FRAG_TIMEOUT);
			reass_free(&nif->reass[i]);
		}
	}
}

void ip_reass_flush(struct netif *nif)
{
	for (int i = 0; i < IP_REASS_SLOTS; i++)
		reass_free(&nif->reass[i]);
}

/* One frame: Ethernet and IPv4 headers, l4 (part of the transport header), then a payload slice. */
static int ip_frame(struct netif *nif, uint32_t hop, uint32_t dst, uint8_t proto, uint16_t id, uint16_t frag,
		    const void *l4, size_t l4_len, const void *payload, size_t payload_len, int tx_flags,
		    uint16_t csum_offset)
{
	struct net_tx tx = { .payload = payload, .payload_len = payload_len };
	struct eth_hdr *eth = (struct eth_hdr *)tx.hdr;
	struct ip_hdr *h = (struct ip_hdr *)(eth + 1);
	eth->type = be16(ETH_TYPE_IPV4);
	h->vihl = 0x45;
	h->len = be16(sizeof *h + l4_len + payload_len);
	h->id = be16(id);
	h->frag = be16(frag);
	h->ttl = IP_TTL;
	h->proto = proto;
	h->src = be32(nif->ip);
	h->dst = be32(dst);
	h->csum = be16(ip_csum_fold(ip_csum_add(0, h, sizeof *h)));
	if (l4_len)
		memcpy(h + 1, l4, l4_len);
	tx.hdr_len = sizeof *eth + sizeof *h + l4_len;
	if (tx_flags & NET_TX_CSUM) {
		tx.flags = NET_TX_CSUM;
		tx.csum_start = sizeof *eth + sizeof *h;
		tx.csum_offset = csum_offset;
	}
	nif->stats.ip_tx++;
	return arp_output(nif, hop, &tx);
}

int ip_send(struct netif *nif, uint32_t dst, uint8_t proto, const void *hdr, size_t hdr_len,
	    const void *payload, size_t payload_len, int tx_flags, uint16_t csum_offset)
{
	size_t len = hdr_len + payload_len;
	if (!nif)
		return -ENETDOWN;
	if (hdr_len > IP_L4_HDR_MAX || nif->mtu < 68) /* RFC 791 §3.2: every host takes 68 */
		return -EINVAL;
	if (len > IP_MAX_LEN - sizeof(struct ip_hdr))
		return -EMSGSIZE;
	/* The next hop (RFC 1122 §3.3.1.1): the destination itself on our subnet, else the gateway. */
	uint32_t hop = dst;
	if (!ip_is_bcast(nif, dst)) {
		if (!nif->ip || ip_is_mcast(dst) || (((dst ^ nif->ip) & nif->netmask) && !nif->gw)) {
			net_drop(nif, NET_DROP_IP_NO_ROUTE);
			return -ENETUNREACH;
		}
		if ((dst ^ nif->ip) & nif->netmask)
			hop = nif->gw;
	}
	uint16_t id = ip_next_id++;
	if (ip_fits(nif, len))
		return ip_frame(nif, hop, dst, proto, id, 0, hdr, hdr_len, payload, payload_len, tx_flags,
				csum_offset);
	if (tx_flags & NET_TX_CSUM)
		return -EINVAL; /* a device checksums one frame, not a datagram across several */
	/* RFC 791 §3.2: every fragment but the last carries a multiple of 8 bytes. */
	size_t room = (nif->mtu - sizeof(struct ip_hdr)) & ~(size_t)7;
	for (size_t off = 0; off < len; off += room) {
		size_t n = len - off < room ? len - off : room;
		size_t l4 = off < hdr_len ? hdr_len - off : 0; /* the transport header goes in the first */
		size_t from = off + l4 - hdr_len;
		uint16_t frag = (uint16_t)(off / 8) | (off + n < len ? IP_FLAG_MF : 0);
		const uint8_t *l4_part = l4 ? (const uint8_t *)hdr + off : 0;
		int err = ip_frame(nif, hop, dst, proto, id, frag, l4_part, l4,
				   (const uint8_t *)payload + from, n - l4, 0, 0);
		if (err)
			return err;
		nif->stats.frags_tx++;
	}
	return 0;
}
