/* udp.h - UDP (RFC 768): ports bound to callbacks, and sending datagrams. */
#ifndef NET_UDP_H
#define NET_UDP_H
#include <stddef.h>
#include <stdint.h>

struct netif;
struct ip_info;

#define UDP_PORTS       16
#define UDP_MAX_PAYLOAD (65535 - 20 - 8)

/* A received datagram. data points into the received frame (or the reassembly
 * buffer) and is valid only during the callback. */
struct udp_rx {
	struct netif *nif;
	uint32_t src, dst; /* host order */
	uint16_t sport, dport;
	int bcast; /* sent to a broadcast address */
	const void *data;
	size_t len;
};
typedef void (*udp_recv_fn)(const struct udp_rx *rx, void *arg);

int udp_bind(uint16_t port, udp_recv_fn fn, void *arg); /* 0, -EINVAL, -EADDRINUSE, -ENOBUFS */
void udp_unbind(uint16_t port);
/* nif NULL: the default interface. 0 when sent or waiting for ARP, or -errno. */
int udp_send(struct netif *nif, uint16_t sport, uint32_t dst, uint16_t dport, const void *data, size_t len);
int udp_reply(const struct udp_rx *rx, const void *data, size_t len); /* back where rx came from */
void udp_input(struct netif *nif, const struct ip_info *ip, const void *dgram, size_t len);
#endif
