/* dhcp.c - the DHCP client (RFC 2131) with the options of RFC 2132, driven by net_tick. */
#include "net/dhcp.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include "net/netif.h"
#include "net/udp.h"
#include <string.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_MAGIC       0x63825363 /* RFC 2132 §2 */
#define DHCP_MSG_LEN     300        /* RFC 1542 §3.1.1: some relays drop shorter BOOTP messages */
#define SEC              1000000000ull

/* RFC 2132 option codes and §9.6 message types. */
enum { OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_REQ_IP = 50, OPT_LEASE = 51, OPT_TYPE = 53 };
enum { OPT_SERVER = 54, OPT_PARAMS = 55, OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255 };
enum { DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK };

static void dhcp_recv(const struct udp_rx *rx, void *arg);

struct dhcp_opts {
	uint8_t type;
	uint32_t mask, router, server, lease, t1, t2;
};

const char *dhcp_state_name(int state)
{
	static const char *const names[] = { "off",   "selecting", "requesting",
					     "bound", "renewing",  "rebinding" };
	return state >= 0 && state <= DHCP_REBINDING ? names[state] : "?";
}

static uint32_t dhcp_rand(struct dhcp_client *c) /* xorshift64: xids and jitter need no more */
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return (uint32_t)(c->rng >> 16);
}

/* RFC 2131 §4.1: 4 s, 8 s, ... 64 s, each randomized by -1 to +1 s. */
static uint64_t dhcp_backoff(struct dhcp_client *c)
{
	uint64_t wait = c->retry_ns - SEC + dhcp_rand(c) % (2 * SEC);
	c->retry_ns = c->retry_ns * 2 > DHCP_RETRY_MAX_NS ? DHCP_RETRY_MAX_NS : c->retry_ns * 2;
	return wait;
}

/* RFC 2131 §4.4.5: in RENEWING and REBINDING, wait half the time left, at least 60 s. */
static uint64_t dhcp_half(uint64_t now, uint64_t until)
{
	uint64_t half = until > now ? (until - now) / 2 : 0;
	return half < DHCP_RENEW_MIN_NS ? DHCP_RENEW_MIN_NS : half;
}

/* Builds and sends a DISCOVER or REQUEST; RFC 2131 §4.4.1 table 5 says what each state puts in it. */
static void dhcp_send(struct netif *nif, int type, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	uint8_t buf[DHCP_MSG_LEN] = { 0 };
	struct dhcp_msg *m = (struct dhcp_msg *)buf;
	m->op = 1; /* BOOTREQUEST */
	m->htype = 1;
	m->hlen = ETH_ALEN;
	m->xid = be32(c->xid);
	uint64_t secs = (now - c->start) / SEC;
	m->secs = be16(secs > 0xffff ? 0xffff : secs);
	memcpy(m->chaddr, nif->mac, ETH_ALEN);
	m->magic = be32(DHCP_MAGIC);
	uint8_t *o = buf + sizeof *m;
	*o++ = OPT_TYPE, *o++ = 1, *o++ = type;
	if (c->state == DHCP_RENEWING || c->state == DHCP_REBINDING) {
		m->ciaddr = be32(nif->ip);
	} else if (type == DHCPREQUEST) {
		*o++ = OPT_REQ_IP, *o++ = 4, put_be32(o, c->offered), o += 4;
		*o++ = OPT_SERVER, *o++ = 4, put_be32(o, c->server), o += 4;
	}
	*o++ = OPT_PARAMS, *o++ = 5, *o++ = OPT_MASK, *o++ = OPT_ROUTER, *o++ = OPT_LEASE, *o++ = OPT_T1;
	*o++ = OPT_T2, *o++ = OPT_END;
	uint32_t dst = c->state == DHCP_RENEWING ? c->server : IP_BROADCAST;
	udp_send(nif, DHCP_CLIENT_PORT, dst, DHCP_SERVER_PORT, buf, sizeof buf);
}

static void dhcp_restart(struct netif *nif, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	c->state = DHCP_SELECTING;
	c->xid = dhcp_rand(c);
	c->start = now;
	c->tries = 0;
	c->retry_ns = DHCP_RETRY_NS;
	c->next_send = now; /* the next tick sends the DISCOVER */
}

void dhcp_start(struct netif *nif)
{
	struct dhcp_client *c = &nif->dhcp;
	c->rng = now_ns() ^ ((uint64_t)get_be32(nif->mac + 2) << 16) ^ 0x9e3779b97f4a7c15ull;
	udp_bind(DHCP_CLIENT_PORT, dhcp_recv, 0); /* -EADDRINUSE: bound already, for another interface */
	dhcp_restart(nif, now_ns());
	dhcp_tick(nif, now_ns());
}

void dhcp_stop(struct netif *nif) { nif->dhcp.state = DHCP_OFF; }

void dhcp_tick(struct netif *nif, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	if (c->state == DHCP_OFF)
		return;
	if (c->state >= DHCP_BOUND && now >= c->expires) {
		log_info("net %s: dhcp lease expired\n", nif->name);
		netif_set_addr(nif, 0, 0, 0);
		dhcp_restart(nif, now);
	} else if ((c->state == DHCP_BOUND || c->state == DHCP_RENEWING) && now >= c->t2) {
		c->state = DHCP_REBINDING; /* RFC 2131 §4.4.5: any server may extend the lease now */
		c->next_send = now;
	} else if (c->state == DHCP_BOUND && now >= c->t1) {
		c->state = DHCP_RENEWING; /* ask the server that gave the lease, by unicast */
		c->xid = dhcp_rand(c);
		c->start = now;
		c->next_send = now;
	}
	if (c->state == DHCP_BOUND || now < c->next_send)
		return;
	switch (c->state) {
	case DHCP_REQUESTING:
		if (++c->tries <= DHCP_REQUEST_TRIES) {
			dhcp_send(nif, DHCPREQUEST, now);
			c->next_send = now + dhcp_backoff(c);
			break;
		}
		dhcp_restart(nif, now); /* RFC 2131 §3.1.5: no answer, start over */
					/* fall through */
	case DHCP_SELECTING:
		dhcp_send(nif, DHCPDISCOVER, now);
		c->next_send = now + dhcp_backoff(c);
		break;
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		dhcp_send(nif, DHCPREQUEST, now);
		c->next_send = now + dhcp_half(now, c->state == DHCP_RENEWING ? c->t2 : c->expires);
		break;
	}
}

/* RFC 2132 §2: code, length, value; pad and end have no length. 0, or -1 if an option runs past the end. */
static int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_opts *o)
{
	for (size_t i = 0; i < len;) {
		uint8_t code = p[i++];
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len || p[i] > len - i - 1)
			return -1;
		uint8_t n = p[i++];
		const uint8_t *v = p + i;
		i += n;
		uint32_t x = n >= 4 ? get_be32(v) : 0;
		if (code == OPT_TYPE && n == 1)
			o->type = v[0];
		else if (code == OPT_ROUTER && n >= 4) /* the first router is the preferred one */
			o->router = x;
		else if (n != 4)
			continue;
		else if (code == OPT_MASK)
			o->mask = x;
		else if (code == OPT_SERVER)
			o->server = x;
		else if (code == OPT_LEASE)
			o->lease = x;
		else if (code == OPT_T1)
			o->t1 = x;
		else if (code == OPT_T2)
			o->t2 = x;
	}
	return 0;
}

static int dhcp_usable(uint32_t ip)
{
	uint8_t a = ip >> 24;
	return ip && ip != IP_BROADCAST && a != 127 && a < 224;
}

/* RFC 2131 §3.1 step 5: an ACK binds the address, with the lease and its T1 and T2 (§4.4.5 defaults). */
static void dhcp_bind(struct netif *nif, const struct dhcp_msg *m, const struct dhcp_opts *o, uint64_t now)
{
	struct dhcp_client *c = &nif->dhcp;
	uint32_t ip = be32(m->yiaddr), mask = o->mask;
	if (!mask || (~mask & (~mask + 1))) /* absent or not contiguous: the address class's */
		mask = ip < 0x80000000u ? 0xff000000u : ip < 0xc0000000u ? 0xffff0000u : 0xffffff00u;
	uint64_t lease = o->lease * SEC, t1 = o->t1 ? o->t1 * SEC : lease / 2;
	uint64_t t2 = o->t2 ? o->t2 * SEC : lease / 8 * 7;
	if (t2 > lease || t1 > t2) /* inconsistent: the defaults, 0.5 and 0.875 of the lease */
		t1 = lease / 2, t2 = lease / 8 * 7;
	int infinite = o->lease == 0xffffffffu;
	c->lease_s = o->lease;
	c->bound_at = now;
	c->t1 = infinite ? UINT64_MAX : now + t1;
	c->t2 = infinite ? UINT64_MAX : now + t2;
	c->expires = infinite ? UINT64_MAX : now + lease;
	if (o->server)
		c->server = o->server;
	int changed = ip != nif->ip || mask != nif->netmask || o->router != nif->gw;
	c->state = DHCP_BOUND;
	if (changed) {
		log_info("net %s: dhcp bound, lease %u s from %u.%u.%u.%u\n", nif->name, o->lease,
			 c->server >> 24, (c->server >> 16) & 255, (c->server >> 8) & 255, c->server & 255);
		netif_set_addr(nif, ip, __builtin_popcount(mask), o->router);
	} else {
		log_info("net %s: dhcp renewed, lease %u s\n", nif->name, o->lease);
	}
}

static enum net_drop dhcp_process(struct netif *nif, const uint8_t *p, size_t len)
{
	struct dhcp_client *c = &nif->dhcp;
	const struct dhcp_msg *m = (const struct dhcp_msg *)p;
	struct dhcp_opts o = { 0 };
	uint64_t now = now_ns();
	if (len < sizeof *m || m->op != 2 || m->htype != 1 || m->hlen != ETH_ALEN ||
	    be32(m->magic) != DHCP_MAGIC || dhcp_parse(p + sizeof *m, len - sizeof *m, &o))
		return NET_DROP_DHCP_BAD;
	if (c->state == DHCP_OFF || be32(m->xid) != c->xid || memcmp(m->chaddr, nif->mac, ETH_ALEN))
		return NET_DROP_DHCP_OTHER; /* another client's exchange */
	uint32_t yiaddr = be32(m->yiaddr);
	switch (o.type) {
	case DHCPOFFER:
		if (c->state != DHCP_SELECTING)
			return NET_DROP_DHCP_OTHER; /* a later offer: RFC 2131 §4.4.1 lets us take the first */
		if (!dhcp_usable(yiaddr) || !o.server) /* §4.3.1: an offer names its server */
			return NET_DROP_DHCP_BAD;
		c->offered = yiaddr;
		c->server = o.server;
		c->state = DHCP_REQUESTING;
		c->tries = 0;
		c->retry_ns = DHCP_RETRY_NS;
		c->next_send = now; /* the REQUEST goes out now */
		dhcp_tick(nif, now);
		return NET_DROP_NONE;
	case DHCPACK:
		if (c->state < DHCP_REQUESTING || c->state == DHCP_BOUND)
			return NET_DROP_DHCP_OTHER;
		if (!dhcp_usable(yiaddr) || !o.lease)
			return NET_DROP_DHCP_BAD; /* §3.1 step 5: an ACK carries the lease */
		dhcp_bind(nif, m, &o, now);
		return NET_DROP_NONE;
	case DHCPNAK:
		if (c->state < DHCP_REQUESTING || c->state == DHCP_BOUND)
			return NET_DROP_DHCP_OTHER;
		log_info("net %s: dhcp NAK, starting over\n", nif->name);
		if (nif->ip)
			netif_set_addr(nif, 0, 0, 0);
		dhcp_restart(nif, now);
		return NET_DROP_NONE;
	default:
		return NET_DROP_DHCP_BAD;
	}
}

static void dhcp_recv(const struct udp_rx *rx, void *arg)
{
	net_drop(rx->nif, dhcp_process(rx->nif, rx->data, rx->len));
}
