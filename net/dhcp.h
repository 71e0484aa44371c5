/* dhcp.h - the DHCP client (RFC 2131): discover, request, bound, renew at T1, rebind at T2. */
#ifndef NET_DHCP_H
#define NET_DHCP_H
#include <stdint.h>

struct netif;

#define DHCP_RETRY_NS      (4ull * 1000000000)  /* RFC 2131 §4.1: 4 s, doubling */
#define DHCP_RETRY_MAX_NS  (64ull * 1000000000) /* ... up to 64 s */
#define DHCP_RENEW_MIN_NS  (60ull * 1000000000) /* RFC 2131 §4.4.5: retransmit no faster */
#define DHCP_REQUEST_TRIES 4                    /* REQUESTs before starting over */

enum dhcp_state { DHCP_OFF, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING, DHCP_REBINDING };

struct dhcp_client {
	uint8_t state, tries;
	uint32_t xid;
	uint32_t offered, server; /* host order */
	uint32_t lease_s;
	uint64_t next_send; /* when to (re)transmit in the current state */
	uint64_t retry_ns;  /* the current backoff */
	uint64_t start;     /* of this exchange, for the secs field */
	uint64_t bound_at, t1, t2, expires;
	uint64_t rng;
};

void dhcp_start(struct netif *nif);
void dhcp_stop(struct netif *nif);
void dhcp_tick(struct netif *nif, uint64_t now);
const char *dhcp_state_name(int state);
#endif
