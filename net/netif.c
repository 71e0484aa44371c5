/* netif.c - interfaces: the list, Ethernet in and out (IEEE 802.3), addresses, timers, counters. */
#include "net/netif.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <stdio.h>
#include <string.h>

const char *const net_drop_names[NET_DROP_COUNT] = {
	[NET_DROP_NONE] = "none",
	[NET_DROP_ETH_SHORT] = "eth_short",
	[NET_DROP_ETH_DST] = "eth_dst",
	[NET_DROP_ETH_TYPE] = "eth_type",
	[NET_DROP_ARP_BAD] = "arp_bad",
	[NET_DROP_ARP_NOT_US] = "arp_not_us",
	[NET_DROP_ARP_QUEUE_FULL] = "arp_queue_full",
	[NET_DROP_ARP_UNRESOLVED] = "arp_unresolved",
	[NET_DROP_IP_SHORT] = "ip_short",
	[NET_DROP_IP_VERSION] = "ip_version",
	[NET_DROP_IP_IHL] = "ip_ihl",
	[NET_DROP_IP_LEN] = "ip_len",
	[NET_DROP_IP_CSUM] = "ip_csum",
	[NET_DROP_IP_SRC] = "ip_src",
	[NET_DROP_IP_DST] = "ip_dst",
	[NET_DROP_IP_PROTO] = "ip_proto",
	[NET_DROP_IP_NO_ROUTE] = "ip_no_route",
	[NET_DROP_FRAG_BAD] = "frag_bad",
	[NET_DROP_FRAG_OVERLAP] = "frag_overlap",
	[NET_DROP_FRAG_OVERSIZE] = "frag_oversize",
	[NET_DROP_FRAG_TIMEOUT] = "frag_timeout",
	[NET_DROP_FRAG_EVICTED] = "frag_evicted",
	[NET_DROP_FRAG_NOMEM] = "frag_nomem",
	[NET_DROP_ICMP_SHORT] = "icmp_short",
	[NET_DROP_ICMP_CSUM] = "icmp_csum",
	[NET_DROP_ICMP_TYPE] = "icmp_type",
	[NET_DROP_ICMP_BCAST] = "icmp_bcast",
	[NET_DROP_ICMP_UNMATCHED] = "icmp_unmatched",
	[NET_DROP_UDP_SHORT] = "udp_short",
	[NET_DROP_UDP_LEN] = "udp_len",
	[NET_DROP_UDP_CSUM] = "udp_csum",
	[NET_DROP_UDP_PORT] = "udp_port",
	[NET_DROP_DHCP_BAD] = "dhcp_bad",
	[NET_DROP_DHCP_OTHER] = "dhcp_other",
	[NET_DROP_TX_ERR] = "tx_err",
};

static struct netif *netifs;

void netif_add(struct netif *nif)
{
	struct netif **p = &netifs;
	while (*p)
		p = &(*p)->next;
	nif->next = 0;
	*p = nif;
	log_info("net %s: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", nif->name, nif->mac[0], nif->mac[1],
		 nif->mac[2], nif->mac[3], nif->mac[4], nif->mac[5], nif->mtu);
}

void netif_remove(struct netif *nif)
{
	for (struct netif **p = &netifs; *p; p = &(*p)->next) {
		if (*p == nif) {
			*p = nif->next;
			break;
		}
	}
	dhcp_stop(nif);
	arp_flush(nif);
	ip_reass_flush(nif);
}

struct netif *netif_default(void) { return netifs; }

struct netif *netif_find(const char *name)
{
	for (struct netif *n = netifs; n; n = n->next)
		if (!strcmp(n->name, name))
			return n;
	return 0;
}

void netif_config(struct netif *nif, uint32_t ip, int prefix, uint32_t gw)
{
	nif->ip = ip;
	nif->netmask = prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~0u << (32 - prefix);
	nif->gw = gw;
	if (ip)
		log_info("net %s: ip %u.%u.%u.%u/%d gw %u.%u.%u.%u\n", nif->name, ip >> 24, (ip >> 16) & 255,
			 (ip >> 8) & 255, ip & 255, prefix, gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255,
			 gw & 255);
}

void netif_announce(struct netif *nif)
{
	if (!nif->ip)
		return;
	arp_announce(nif);
	if (nif->gw)
		arp_request(nif, nif->gw); /* so the first packet off the subnet need not wait */
}

void netif_set_addr(struct netif *nif, uint32_t ip, int prefix, uint32_t gw)
{
	netif_config(nif, ip, prefix, gw);
	netif_announce(nif);
}

int netif_prefix(const struct netif *nif) { return __builtin_popcount(nif->netmask); }

uint64_t netif_drops(const struct netif *nif)
{
	uint64_t n = 0;
	for (int i = 0; i < NET_DROP_COUNT; i++)
		n += nif->stats.drops[i];
	return n;
}

/* docs/interface.md `net`: DEV mac=M link=up|down ip=A.B.C.D/N gw=A.B.C.D mtu=N rx=N tx=N drops=N */
int netif_format(const struct netif *nif, char *buf, size_t size)
{
	const uint8_t *m = nif->mac;
	uint32_t ip = nif->ip, gw = nif->gw;
	return ksnprintf(
		buf, size,
		"%s mac=%02x:%02x:%02x:%02x:%02x:%02x link=%s ip=%u.%u.%u.%u/%d gw=%u.%u.%u.%u mtu=%u "
		"rx=%llu tx=%llu drops=%llu",
		nif->name, m[0], m[1], m[2], m[3], m[4], m[5], nif->link_up ? "up" : "down", ip >> 24,
		(ip >> 16) & 255, (ip >> 8) & 255, ip & 255, netif_prefix(nif), gw >> 24, (gw >> 16) & 255,
		(gw >> 8) & 255, gw & 255, nif->mtu, (unsigned long long)nif->stats.rx_frames,
		(unsigned long long)nif->stats.tx_frames, (unsigned long long)netif_drops(nif));
}

/* The reasons that counted, as "name=N name=N", or "none". */
int netif_format_drops(const struct netif *nif, char *buf, size_t size)
{
	int n = 0;
	for (int i = 1; i < NET_DROP_COUNT; i++) {
		if (!nif->stats.drops[i])
			continue;
		int k = ksnprintf(buf + n, size - n, "%s%s=%llu", n ? " " : "", net_drop_names[i],
				  (unsigned long long)nif->stats.drops[i]);
		if (k < 0 || (size_t)k >= size - n)
			return n; /* what fitted */
		n += k;
	}
	return n ? n : ksnprintf(buf, size, "none");
}

static const uint8_t eth_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void net_input_flags(struct netif *nif, const void *frame, size_t len, int flags)
{
	const struct eth_hdr *eth = frame;
	nif->stats.rx_frames++;
	nif->stats.rx_bytes += len;
	if (len < sizeof *eth) {
		net_drop(nif, NET_DROP_ETH_SHORT);
		return;
	}
	/* Our unicast address or broadcast; we join no multicast group. */
	if (memcmp(eth->dst, nif->mac, ETH_ALEN) && memcmp(eth->dst, eth_bcast, ETH_ALEN)) {
		net_drop(nif, NET_DROP_ETH_DST);
		return;
	}
	const uint8_t *payload = (const uint8_t *)frame + sizeof *eth;
	len -= sizeof *eth; /* may include padding up to the 60-byte minimum: IP and ARP know their length */
	switch (be16(eth->type)) {
	case ETH_TYPE_ARP:
		arp_input(nif, payload, len);
		break;
	case ETH_TYPE_IPV4:
		ip_input(nif, payload, len, flags);
		break;
	default:
		net_drop(nif, NET_DROP_ETH_TYPE);
	}
}

int eth_xmit(struct netif *nif, struct net_tx *tx)
{
	struct eth_hdr *eth = (struct eth_hdr *)tx->hdr;
	memcpy(eth->src, nif->mac, ETH_ALEN);
	int err = nif->xmit(nif, tx);
	if (err) {
		net_drop(nif, NET_DROP_TX_ERR);
		return err;
	}
	nif->stats.tx_frames++;
	nif->stats.tx_bytes += tx->hdr_len + tx->payload_len;
	return 0;
}

void net_tick(uint64_t now)
{
	for (struct netif *n = netifs; n; n = n->next) {
		arp_tick(n, now);
		ip_reass_tick(n, now);
		dhcp_tick(n, now);
	}
}

int net_poll(void *arg)
{
	static uint64_t last;
	uint64_t now = now_ns();
	if (now - last < 1000000) /* timers have millisecond needs at most */
		return 0;
	last = now;
	net_tick(now);
	return 0;
}
