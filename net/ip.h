/* ip.h - IPv4 (RFC 791): input checks, routing to the next hop, fragmentation and reassembly. */
#ifndef NET_IP_H
#define NET_IP_H
#include "net/wire.h"
#include <stddef.h>
#include <stdint.h>

struct netif;

#define IP_TTL              64
#define IP_REASS_SLOTS      4                    /* datagrams reassembled at once, per interface */
#define IP_REASS_TIMEOUT_NS (30ull * 1000000000) /* Linux's value; RFC 1122 §3.3.2 suggests 60-120 s */
#define IP_REASS_BLOCKS     (IP_MAX_LEN / 8 + 1) /* 8-byte fragment blocks, RFC 791 §3.2 */

/* One datagram being put together; a bitmap of 8-byte blocks finds overlaps. */
struct ip_reass {
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto, used;
	uint32_t total; /* payload length once the last fragment came, else 0 */
	uint32_t have;  /* payload bytes received */
	uint32_t hi;    /* the highest end of a fragment so far */
	uint64_t expires;
	uint8_t *buf; /* IP_MAX_LEN bytes while used */
	uint8_t map[(IP_REASS_BLOCKS + 7) / 8];
};

/* What the transport layers learn about a datagram. */
struct ip_info {
	uint32_t src, dst; /* host order */
	uint8_t proto, ttl;
	uint8_t bcast; /* sent to a broadcast address */
	int flags;     /* NET_RX_* from the driver */
};

void ip_input(struct netif *nif, const void *pkt, size_t len, int flags);
/* Sends hdr (the transport header, at most IP_L4_HDR_MAX bytes) then payload
 * to dst, fragmenting above the MTU. NET_TX_CSUM in tx_flags asks the device
 * for the checksum at csum_offset in hdr; only for a datagram that fits one
 * frame (ip_fits). 0 when sent or waiting for ARP, or -errno. */
#define IP_L4_HDR_MAX 16
int ip_send(struct netif *nif, uint32_t dst, uint8_t proto, const void *hdr, size_t hdr_len,
	    const void *payload, size_t payload_len, int tx_flags, uint16_t csum_offset);
int ip_fits(const struct netif *nif, size_t len); /* a payload of len goes in one frame */
void ip_reass_tick(struct netif *nif, uint64_t now);
void ip_reass_flush(struct netif *nif);
int ip_is_bcast(const struct netif *nif, uint32_t ip);
#endif
