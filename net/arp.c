/* arp.c - ARP for IPv4 over Ethernet (RFC 826): a cache with expiry, requests with retries, a queue. */
#include "net/arp.h"
#include "kernel/time.h"
#include "net/netif.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ARP_HTYPE_ETH  1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

/* A frame waiting for its next hop's MAC: headers and a copy of the payload. */
struct arp_queued {
	struct arp_queued *next;
	uint32_t next_hop;
	struct net_tx tx;
	uint8_t data[];
};

static const uint8_t mac_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_zero[ETH_ALEN];

static struct arp_entry *arp_find(struct netif *nif, uint32_t ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (nif->arp.e[i].state != ARP_FREE && nif->arp.e[i].ip == ip)
			return &nif->arp.e[i];
	return 0;
}

const struct arp_entry *arp_lookup(const struct netif *nif, uint32_t ip)
{
	const struct arp_entry *e = arp_find((struct netif *)nif, ip);
	return e && e->state == ARP_VALID ? e : 0;
}

static void arp_release(struct netif *nif, uint32_t ip, const uint8_t *mac);

static int count(const struct netif *nif, uint8_t state)
{
	int n = 0;
	for (int i = 0; i < ARP_ENTRIES; i++)
		n += nif->arp.e[i].state == state;
	return n;
}

/*
 * Slots: at most ARP_PENDING_MAX resolutions at once, and the rest for
 * resolved entries. So unanswered requests never push out a resolved entry:
 * a new resolution takes a free slot or the oldest pending one (whose
 * queued frames are dropped). A resolved entry beyond its share pushes out
 * the one closest to expiry, never the gateway's.
 */
#define ARP_VALID_MAX (ARP_ENTRIES - ARP_PENDING_MAX)

static struct arp_entry *oldest(struct netif *nif, uint8_t state, const struct arp_entry *skip)
{
	struct arp_entry *o = 0;
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.e[i];
		if (e->state != state || (skip && e == skip) || (state == ARP_VALID && e->ip == nif->gw))
			continue;
		/* pending: the first asked for; resolved: the closest to expiry */
		if (!o || (state == ARP_PENDING ? (int32_t)(e->seq - o->seq) < 0 : e->deadline < o->deadline))
			o = e;
	}
	return o;
}

static void evict(struct netif *nif, struct arp_entry *e)
{
	if (e->state == ARP_PENDING) {
		nif->arp.evicted_pending++;
		arp_release(nif, e->ip, 0);
	}
	e->state = ARP_FREE;
}

static struct arp_entry *arp_alloc(struct netif *nif, uint32_t ip, uint8_t state)
{
	int max = state == ARP_PENDING ? ARP_PENDING_MAX : ARP_VALID_MAX;
	if (count(nif, state) >= max) {
		struct arp_entry *o = oldest(nif, state, 0);
		if (!o)
			return 0; /* every resolved slot is the gateway's: cannot happen with more than one */
		evict(nif, o);
	}
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.e[i];
		if (e->state == ARP_FREE) {
			memset(e, 0, sizeof *e);
			e->ip = ip;
			e->seq = nif->arp.seq++;
			return e;
		}
	}
	return 0; /* not reached: the two shares add up to the slots */
}

static int arp_send(struct netif *nif, uint16_t op, const uint8_t *tha, uint32_t tpa, uint32_t spa)
{
	struct net_tx tx = { .hdr_len = sizeof(struct eth_hdr) + sizeof(struct arp_pkt) };
	struct eth_hdr *eth = (struct eth_hdr *)tx.hdr;
	struct arp_pkt *a = (struct arp_pkt *)(eth + 1);
	memcpy(eth->dst, op == ARP_OP_REQUEST ? mac_bcast : tha, ETH_ALEN);
	eth->type = be16(ETH_TYPE_ARP);
	a->htype = be16(ARP_HTYPE_ETH);
	a->ptype = be16(ETH_TYPE_IPV4);
	a->hlen = ETH_ALEN;
	a->plen = 4;
	a->op = be16(op);
	memcpy(a->sha, nif->mac, ETH_ALEN);
	put_be32(a->spa, spa);
	memcpy(a->tha, op == ARP_OP_REQUEST ? mac_zero : tha, ETH_ALEN);
	put_be32(a->tpa, tpa);
	if (op == ARP_OP_REQUEST)
		nif->stats.arp_requests_tx++;
	else
		nif->stats.arp_replies_tx++;
	return eth_xmit(nif, &tx);
}

static int arp_who_has(struct netif *nif, uint32_t ip)
{
	return arp_send(nif, ARP_OP_REQUEST, 0, ip, nif->ip);
}

/* A pending entry for ip, asked for now and retried by arp_tick; 0 if one exists. */
static struct arp_entry *arp_resolve(struct netif *nif, uint32_t ip)
{
	struct arp_entry *e = arp_find(nif, ip);
	if (e)
		return e;
	e = arp_alloc(nif, ip, ARP_PENDING);
	if (e) {
		e->state = ARP_PENDING;
		e->tries = 1;
		e->deadline = now_ns() + ARP_RETRY_NS;
		arp_who_has(nif, ip);
	}
	return e;
}

int arp_request(struct netif *nif, uint32_t ip) { return arp_resolve(nif, ip) ? 0 : -ENOBUFS; }

/* RFC 5227 §2.3: a request with our address as both sender and target tells
 * the link where it lives now. */
void arp_announce(struct netif *nif) { arp_send(nif, ARP_OP_REQUEST, 0, nif->ip, nif->ip); }

/* Sends (ok) or drops (!ok) every queued frame for ip, in the order queued. */
static void arp_release(struct netif *nif, uint32_t ip, const uint8_t *mac)
{
	struct arp_queued **p = &nif->arp.queue;
	while (*p) {
		struct arp_queued *q = *p;
		if (q->next_hop != ip) {
			p = &q->next;
			continue;
		}
		*p = q->next;
		nif->arp.queued--;
		if (mac) {
			memcpy(((struct eth_hdr *)q->tx.hdr)->dst, mac, ETH_ALEN);
			eth_xmit(nif, &q->tx);
		} else {
			net_drop(nif, NET_DROP_ARP_UNRESOLVED);
		}
		free(q);
	}
}

static void arp_learn(struct netif *nif, struct arp_entry *e, const uint8_t *mac)
{
	if (e->state == ARP_PENDING && count(nif, ARP_VALID) >= ARP_VALID_MAX) {
		struct arp_entry *o = oldest(nif, ARP_VALID, e);
		if (o)
			evict(nif, o); /* resolved: it joins the resolved share */
	}
	if (e->state != ARP_VALID || memcmp(e->mac, mac, ETH_ALEN))
		e->changed = now_ns();
	memcpy(e->mac, mac, ETH_ALEN);
	e->state = ARP_VALID;
	e->tries = 0;
	e->deadline = now_ns() + ARP_TTL_NS;
	arp_release(nif, e->ip, e->mac);
}

static enum net_drop arp_process(struct netif *nif, const struct arp_pkt *a, size_t len)
{
	if (len < sizeof *a || be16(a->htype) != ARP_HTYPE_ETH || be16(a->ptype) != ETH_TYPE_IPV4 ||
	    a->hlen != ETH_ALEN || a->plen != 4)
		return NET_DROP_ARP_BAD;
	uint16_t op = be16(a->op);
	if ((op != ARP_OP_REQUEST && op != ARP_OP_REPLY) || (a->sha[0] & 1)) /* a multicast sender */
		return NET_DROP_ARP_BAD;
	if (op == ARP_OP_REQUEST)
		nif->stats.arp_requests_rx++;
	else
		nif->stats.arp_replies_rx++;

	/* RFC 826 "Packet Reception" would update the sender's entry from any
	 * packet (the merge flag). On a shared link that lets anyone rewrite our
	 * entries, so, as Linux does: only ARP addressed to us teaches us, and
	 * an entry's MAC changes at most once per ARP_LOCK_NS (its locktime).
	 * A probe (sender 0), a broadcast or our own address is never learnt. */
	uint32_t spa = get_be32(a->spa), tpa = get_be32(a->tpa);
	int for_us = nif->ip && tpa == nif->ip;
	struct arp_entry *e = arp_find(nif, spa);
	int learnable = spa && spa != nif->ip && !ip_is_bcast(nif, spa) && (spa >> 28) != 14;
	if (!for_us)
		return NET_DROP_ARP_NOT_US;
	if (learnable && e && e->state == ARP_VALID && memcmp(e->mac, a->sha, ETH_ALEN) &&
	    now_ns() - e->changed < ARP_LOCK_NS) {
		nif->arp.refused_changes++; /* a second answer with another MAC, too soon */
	} else if (learnable) {
		if (!e)
			e = arp_alloc(nif, spa, ARP_VALID);
		if (e)
			arp_learn(nif, e, a->sha);
	}
	if (op == ARP_OP_REQUEST)
		arp_send(nif, ARP_OP_REPLY, a->sha, spa, nif->ip);
	return NET_DROP_NONE;
}

void arp_input(struct netif *nif, const void *pkt, size_t len) { net_drop(nif, arp_process(nif, pkt, len)); }

int arp_output(struct netif *nif, uint32_t next_hop, struct net_tx *tx)
{
	struct eth_hdr *eth = (struct eth_hdr *)tx->hdr;
	if (ip_is_bcast(nif, next_hop)) {
		memcpy(eth->dst, mac_bcast, ETH_ALEN);
		return eth_xmit(nif, tx);
	}
	struct arp_entry *e = arp_resolve(nif, next_hop);
	if (e && e->state == ARP_VALID) {
		memcpy(eth->dst, e->mac, ETH_ALEN);
		return eth_xmit(nif, tx);
	}
	struct arp_queued *q = e && nif->arp.queued < ARP_QUEUE_MAX ? malloc(sizeof *q + tx->payload_len) : 0;
	if (!q) {
		net_drop(nif, NET_DROP_ARP_QUEUE_FULL);
		return -ENOBUFS;
	}
	q->next = 0;
	q->next_hop = next_hop;
	q->tx = *tx;
	if (tx->payload_len)
		memcpy(q->data, tx->payload, tx->payload_len);
	q->tx.payload = q->data;
	struct arp_queued **p = &nif->arp.queue;
	while (*p)
		p = &(*p)->next;
	*p = q;
	nif->arp.queued++;
	return 0;
}

/* RFC 1122 §2.3.2.1: at most one request per second per address, and give up after a few. */
void arp_tick(struct netif *nif, uint64_t now)
{
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &nif->arp.e[i];
		if (e->state == ARP_FREE || now < e->deadline)
			continue;
		if (e->state == ARP_VALID) {
			e->state = ARP_FREE;
		} else if (e->tries >= ARP_RETRIES) {
			e->state = ARP_FREE;
			arp_release(nif, e->ip, 0);
		} else {
			e->tries++;
			e->deadline = now + ARP_RETRY_NS;
			arp_who_has(nif, e->ip);
		}
	}
}

void arp_flush(struct netif *nif)
{
	while (nif->arp.queue) {
		struct arp_queued *q = nif->arp.queue;
		nif->arp.queue = q->next;
		free(q);
	}
	memset(&nif->arp, 0, sizeof nif->arp);
}
