/* wire.h - Ethernet, ARP, IPv4, ICMP, UDP and DHCP headers as they are on the wire. */
#ifndef NET_WIRE_H
#define NET_WIRE_H
#include <stddef.h>
#include <stdint.h>

/* Network byte order is big-endian; x86 is little-endian. The swap is its own inverse. */
static inline uint16_t be16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t be32(uint32_t x) { return __builtin_bswap32(x); }
/* Addresses kept as byte arrays (ARP, DHCP options), unaligned. */
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put_be32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24;
	p[1] = x >> 16;
	p[2] = x >> 8;
	p[3] = x;
}

#define ETH_ALEN       6
#define ETH_TYPE_IPV4  0x0800
#define ETH_TYPE_ARP   0x0806
#define IP_PROTO_ICMP  1
#define IP_PROTO_UDP   17
#define IP_BROADCAST   0xffffffffu
#define IP_MAX_LEN     65535 /* RFC 791 §3.1: Total Length is 16 bits */
#define IP_FLAG_MF     0x2000
#define IP_FLAG_DF     0x4000
#define IP_OFFSET_MASK 0x1fff

/* IEEE 802.3 MAC header, without the FCS the device strips. */
struct eth_hdr {
	uint8_t dst[ETH_ALEN], src[ETH_ALEN];
	uint16_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct eth_hdr) == 14, "IEEE 802.3 §3.1.1");

/* RFC 826 "Packet format", for Ethernet and IPv4. */
struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[ETH_ALEN], spa[4], tha[ETH_ALEN], tpa[4];
} __attribute__((packed));
_Static_assert(sizeof(struct arp_pkt) == 28, "RFC 826");

/* RFC 791 §3.1 "Internet Header Format"; options follow when ihl > 5. */
struct ip_hdr {
	uint8_t vihl, tos;
	uint16_t len, id, frag;
	uint8_t ttl, proto;
	uint16_t csum;
	uint32_t src, dst;
} __attribute__((packed));
_Static_assert(sizeof(struct ip_hdr) == 20, "RFC 791 §3.1");

/* RFC 792 "Echo or Echo Reply Message"; other types share the first 4 bytes. */
struct icmp_echo {
	uint8_t type, code;
	uint16_t csum, id, seq;
} __attribute__((packed));
_Static_assert(sizeof(struct icmp_echo) == 8, "RFC 792");

/* RFC 768 "Format". */
struct udp_hdr {
	uint16_t sport, dport, len, csum;
} __attribute__((packed));
_Static_assert(sizeof(struct udp_hdr) == 8, "RFC 768");

/* RFC 2131 §2 "Protocol Summary", up to and including the RFC 2132 §3 magic cookie. */
struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16], sname[64], file[128];
	uint32_t magic;
} __attribute__((packed));
_Static_assert(sizeof(struct dhcp_msg) == 240, "RFC 2131 §2");

/* The Internet checksum (RFC 1071): add 16-bit big-endian words, fold, invert.
 * Only the last piece added may have an odd length. */
uint32_t ip_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t ip_csum_fold(uint32_t sum); /* folded and inverted, ready to store with be16 */
/* RFC 768 / RFC 793 §3.1 pseudo-header: addresses in host order. */
uint32_t ip_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
#endif
