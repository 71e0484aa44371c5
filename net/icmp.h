/* icmp.h - ICMP (RFC 792): answering echo requests, and ping. */
#ifndef NET_ICMP_H
#define NET_ICMP_H
#include <stddef.h>
#include <stdint.h>

struct netif;
struct ip_info;

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8
#define ICMP_PING_WINDOW  64 /* sequence numbers in flight that a reply can match */

void icmp_input(struct netif *nif, const struct ip_info *ip, const void *msg, size_t len);

/* One ping session at a time: open it with the function to call per reply,
 * send requests numbered by seq, close it. rtt_ns is from our send time. */
typedef void (*icmp_reply_fn)(uint32_t from, uint16_t seq, uint64_t rtt_ns, void *arg);
void icmp_ping_open(icmp_reply_fn fn, void *arg);
int icmp_ping_send(struct netif *nif, uint32_t dst, uint16_t seq, size_t data_len); /* 0 or -errno */
void icmp_ping_close(void);
#endif
