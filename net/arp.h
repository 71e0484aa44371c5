/* arp.h - the ARP cache (RFC 826): resolving next hops, answering for our address. */
#ifndef NET_ARP_H
#define NET_ARP_H
#include <stddef.h>
#include <stdint.h>

struct netif;
struct net_tx;

#define ARP_ENTRIES     16
#define ARP_PENDING_MAX 4                    /* resolutions at once: they never evict a resolved entry */
#define ARP_QUEUE_MAX   8                    /* frames waiting for an answer, per interface */
#define ARP_TTL_NS      (60ull * 1000000000) /* a resolved entry lives this long */
#define ARP_RETRY_NS    (1000ull * 1000000)  /* between requests for a pending entry */
#define ARP_RETRIES     3                    /* requests before giving up */
#define ARP_LOCK_NS     (1000ull * 1000000)  /* an entry's address changes at most this often */

enum arp_state { ARP_FREE, ARP_PENDING, ARP_VALID };

struct arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	uint8_t state, tries;
	uint64_t deadline; /* VALID: expiry; PENDING: next request */
	uint64_t changed;  /* when the MAC was last set (ARP_LOCK_NS) */
	uint32_t seq;      /* order of allocation: the oldest goes first */
};

struct arp_queued; /* a frame copied while its next hop resolves */

struct arp_cache {
	struct arp_entry e[ARP_ENTRIES];
	struct arp_queued *queue;
	int queued;
	uint32_t seq;
	uint64_t evicted_pending, refused_changes; /* counted, for `net -v` and the tests */
};

void arp_input(struct netif *nif, const void *pkt, size_t len);
/* Fills in the destination MAC of the frame in tx and sends it, or queues a
 * copy and asks who has next_hop. 0 when sent or queued, or -errno. */
int arp_output(struct netif *nif, uint32_t next_hop, struct net_tx *tx);
int arp_request(struct netif *nif, uint32_t ip); /* resolve ip ahead of need; 0 or -ENOBUFS */
void arp_announce(struct netif *nif);            /* RFC 5227 §2.3 */
void arp_tick(struct netif *nif, uint64_t now);
const struct arp_entry *arp_lookup(const struct netif *nif, uint32_t ip); /* VALID only */
void arp_flush(struct netif *nif);
#endif
