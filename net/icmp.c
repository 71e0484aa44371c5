/* icmp.c - ICMP (RFC 792): echo replies for anyone, echo requests for ping. */
#include "net/icmp.h"
#include "kernel/time.h"
#include "net/netif.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct {
	icmp_reply_fn fn;
	void *arg;
	uint16_t id;
	uint32_t dst;
	uint16_t seq[ICMP_PING_WINDOW];
	uint8_t waiting[ICMP_PING_WINDOW];
	uint64_t sent[ICMP_PING_WINDOW];
} ping;

static enum net_drop icmp_process(struct netif *nif, const struct ip_info *ip, const uint8_t *msg, size_t len)
{
	const struct icmp_echo *m = (const struct icmp_echo *)msg;
	if (len < sizeof *m)
		return NET_DROP_ICMP_SHORT;
	if (ip_csum_fold(ip_csum_add(0, msg, len)))
		return NET_DROP_ICMP_CSUM;
	const uint8_t *data = msg + sizeof *m;
	size_t data_len = len - sizeof *m;

	if (m->type == ICMP_ECHO_REQUEST && m->code == 0) {
		/* RFC 1122 §3.2.2.6: one to a broadcast address MAY be discarded; we do, no smurf
		 * amplifier. Without an address we have nothing to answer from either. */
		if (ip->bcast || !nif->ip)
			return NET_DROP_ICMP_BCAST;
		nif->stats.icmp_echo_rx++;
		/* RFC 792: the reply has the request's identifier, sequence and data; only the type changes. */
		struct icmp_echo r = *m;
		r.type = ICMP_ECHO_REPLY;
		r.csum = 0;
		r.csum = be16(ip_csum_fold(ip_csum_add(ip_csum_add(0, &r, sizeof r), data, data_len)));
		ip_send(nif, ip->src, IP_PROTO_ICMP, &r, sizeof r, data, data_len, 0, 0);
		return NET_DROP_NONE;
	}
	if (m->type == ICMP_ECHO_REPLY && m->code == 0) {
		nif->stats.icmp_echo_reply_rx++;
		uint16_t seq = be16(m->seq);
		int i = seq % ICMP_PING_WINDOW;
		if (!ping.fn || be16(m->id) != ping.id || ip->src != ping.dst || !ping.waiting[i] ||
		    ping.seq[i] != seq)
			return NET_DROP_ICMP_UNMATCHED; /* late, duplicated, or someone else's */
		ping.waiting[i] = 0;
		ping.fn(ip->src, seq, now_ns() - ping.sent[i], ping.arg);
		return NET_DROP_NONE;
	}
	return NET_DROP_ICMP_TYPE;
}

void icmp_input(struct netif *nif, const struct ip_info *ip, const void *msg, size_t len)
{
	net_drop(nif, icmp_process(nif, ip, msg, len));
}

void icmp_ping_open(icmp_reply_fn fn, void *arg)
{
	uint16_t id = ping.id + 1;
	memset(&ping, 0, sizeof ping);
	ping.fn = fn;
	ping.arg = arg;
	ping.id = id; /* a new identifier: replies to an earlier session do not match */
}

void icmp_ping_close(void) { ping.fn = 0; }

int icmp_ping_send(struct netif *nif, uint32_t dst, uint16_t seq, size_t data_len)
{
	if (!nif)
		nif = netif_default();
	if (!ping.fn || !nif)
		return !ping.fn ? -EINVAL : -ENETDOWN;
	if (data_len > IP_MAX_LEN - sizeof(struct ip_hdr) - sizeof(struct icmp_echo))
		return -EMSGSIZE;
	uint8_t *data = malloc(data_len ? data_len : 1);
	if (!data)
		return -ENOMEM;
	for (size_t i = 0; i < data_len; i++)
		data[i] = (uint8_t)i;
	struct icmp_echo m = { .type = ICMP_ECHO_REQUEST, .id = be16(ping.id), .seq = be16(seq) };
	m.csum = be16(ip_csum_fold(ip_csum_add(ip_csum_add(0, &m, sizeof m), data, data_len)));
	int i = seq % ICMP_PING_WINDOW;
	ping.dst = dst;
	ping.seq[i] = seq;
	ping.waiting[i] = 1;
	ping.sent[i] = now_ns();
	int err = ip_send(nif, dst, IP_PROTO_ICMP, &m, sizeof m, data, data_len, 0, 0);
	free(data);
	return err;
}
