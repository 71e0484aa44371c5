/* netif.h - what a network driver fills in to carry the stack's frames, and the stack's entry points. */
#ifndef NET_NETIF_H
#define NET_NETIF_H
#include "net/arp.h"
#include "net/dhcp.h"
#include "net/ip.h"
#include "net/wire.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A frame to send: headers built by the stack in hdr, then a payload the stack
 * does not copy (a UDP payload, an echoed ICMP body). Both are only valid
 * during xmit: a driver that sends later copies them into its own buffers.
 * The NETIF_HEADROOM bytes before hdr are the driver's to write, so a device
 * header (virtio 1.2 §5.1.6 struct virtio_net_hdr) can go in front of the frame
 * without a copy. */
#define NETIF_HEADROOM 32
#define NET_HDR_MAX    64 /* Ethernet + IPv4 + UDP or ICMP headers, or a whole ARP packet */
#define NET_TX_CSUM    1  /* the device fills the checksum: csum_start, csum_offset as virtio 1.2 §5.1.6.2 */
struct net_tx {
	uint8_t headroom[NETIF_HEADROOM];
	uint8_t hdr[NET_HDR_MAX];
	size_t hdr_len;
	const void *payload;
	size_t payload_len;
	uint8_t flags;
	uint16_t csum_start, csum_offset; /* from the start of hdr */
};

/* Features a driver sets in netif.features. */
#define NETIF_F_TX_CSUM 1 /* it honours NET_TX_CSUM */
/* Flags a driver passes to net_input_flags. */
#define NET_RX_CSUM_OK  1 /* the device verified the UDP checksum (virtio DATA_VALID) */

/* Why frames were dropped; net_drop_names has what `net` and the stats print.
 * NONE is not a drop: the input functions return it for a frame they took. */
enum net_drop {
	NET_DROP_NONE,
	NET_DROP_ETH_SHORT,
	NET_DROP_ETH_DST,
	NET_DROP_ETH_TYPE,
	NET_DROP_ARP_BAD,
	NET_DROP_ARP_NOT_US,
	NET_DROP_ARP_QUEUE_FULL,
	NET_DROP_ARP_UNRESOLVED,
	NET_DROP_IP_SHORT,
	NET_DROP_IP_VERSION,
	NET_DROP_IP_IHL,
	NET_DROP_IP_LEN,
	NET_DROP_IP_CSUM,
	NET_DROP_IP_SRC,
	NET_DROP_IP_DST,
	NET_DROP_IP_PROTO,
	NET_DROP_IP_NO_ROUTE,
	NET_DROP_FRAG_BAD,
	NET_DROP_FRAG_OVERLAP,
	NET_DROP_FRAG_OVERSIZE,
	NET_DROP_FRAG_TIMEOUT,
	NET_DROP_FRAG_EVICTED,
	NET_DROP_FRAG_NOMEM,
	NET_DROP_ICMP_SHORT,
	NET_DROP_ICMP_CSUM,
	NET_DROP_ICMP_TYPE,
	NET_DROP_ICMP_BCAST,
	NET_DROP_ICMP_UNMATCHED,
	NET_DROP_UDP_SHORT,
	NET_DROP_UDP_LEN,
	NET_DROP_UDP_CSUM,
	NET_DROP_UDP_PORT,
	NET_DROP_DHCP_BAD,
	NET_DROP_DHCP_OTHER,
	NET_DROP_TX_ERR,
	NET_DROP_COUNT
};
extern const char *const net_drop_names[NET_DROP_COUNT];

struct netif_stats {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
	uint64_t arp_requests_rx, arp_replies_rx, arp_requests_tx, arp_replies_tx;
	uint64_t ip_rx, ip_tx, frags_tx, frags_rx, reassembled;
	uint64_t icmp_echo_rx, icmp_echo_reply_rx, udp_rx, udp_tx;
	uint64_t drops[NET_DROP_COUNT];
};

/* The driver's own counters: frames it refused before the stack saw them,
 * and ring events. A driver counts what applies to it. */
struct netif_driver_stats {
	uint64_t rx_bad_len, rx_bad_num_buffers, rx_bad_header, rx_ring_dry, rx_repost_failed;
	uint64_t tx_too_long, tx_ring_full;
};

struct netif {
	/* Filled by the driver before netif_add. */
	char name[8]; /* "net0" */
	uint8_t mac[ETH_ALEN];
	uint16_t mtu; /* IP bytes per frame, 1500 on Ethernet */
	uint32_t features;
	bool link_up;
	int (*xmit)(struct netif *nif, const struct net_tx *tx); /* 0 or -errno */
	void *driver;
	struct netif_driver_stats driver_stats;
	/* Owned by the stack. Addresses in host byte order; ip 0: not configured. */
	uint32_t ip, netmask, gw;
	struct netif_stats stats;
	struct arp_cache arp;
	struct ip_reass reass[IP_REASS_SLOTS];
	struct dhcp_client dhcp;
	struct netif *next;
};

void netif_add(struct netif *nif);    /* the first one added is the default */
void netif_remove(struct netif *nif); /* frees what it holds */
struct netif *netif_default(void);
struct netif *netif_find(const char *name);
/* ip=A.B.C.D/N gw=A.B.C.D (ip 0: none), said in the boot log. */
void netif_config(struct netif *nif, uint32_t ip, int prefix, uint32_t gw);
/* The address announced (RFC 5227 §2.3) and the gateway's asked for: two frames sent, nothing waited for. */
void netif_announce(struct netif *nif);
/* Both. */
void netif_set_addr(struct netif *nif, uint32_t ip, int prefix, uint32_t gw);
int netif_prefix(const struct netif *nif);
uint64_t netif_drops(const struct netif *nif); /* every reason added up */
/* One line for the shell's `net` (docs/interface.md), and the drops by reason; snprintf's count. */
int netif_format(const struct netif *nif, char *buf, size_t size);
int netif_format_drops(const struct netif *nif, char *buf, size_t size);

/* The driver calls this for every frame received; frame is only read, and only
 * during the call. Replies are sent from inside it: xmit may be called then. */
void net_input_flags(struct netif *nif, const void *frame, size_t len, int flags);
static inline void net_input(struct netif *nif, const void *frame, size_t len)
{
	net_input_flags(nif, frame, len, 0);
}
/* Timers of every interface: ARP retries and expiry, reassembly timeouts, DHCP. */
void net_tick(uint64_t now_ns);
int net_poll(void *arg); /* register once with poll_register (kernel/poll.h): it calls net_tick */

/* Counting drops, for the protocol modules. */
static inline void net_drop(struct netif *nif, enum net_drop why)
{
	if (why != NET_DROP_NONE)
		nif->stats.drops[why]++;
}
/* Sends an Ethernet frame whose header is at the start of tx->hdr. */
int eth_xmit(struct netif *nif, struct net_tx *tx);
#endif
