/* test_net_dhcp.c - the DHCP client against a scripted server: the exchange, renewal, rebinding, retries. */
#include "test_net.h"

static const uint32_t server_ip = IP4(10, 0, 2, 2);

/* The DHCP message in captured frame i, or 0 if it is not one. */
static const struct dhcp_msg *cap_dhcp(int i)
{
	if (be16(cap_eth(i)->type) != ETH_TYPE_IPV4 || cap_ip(i)->proto != IP_PROTO_UDP)
		return 0;
	const struct udp_hdr *u = (const struct udp_hdr *)cap_l4(i);
	if (be16(u->sport) != 68 || be16(u->dport) != 67)
		return 0;
	return (const struct dhcp_msg *)(u + 1);
}

/* The value of option code in m, or 0. */
static const uint8_t *opt(const struct dhcp_msg *m, uint8_t code)
{
	const uint8_t *p = (const uint8_t *)(m + 1);
	for (int i = 0; i < 60 && p[i] != OPT_END;) {
		if (p[i] == code)
			return p + i + 2;
		i += p[i] ? p[i + 1] + 2 : 1;
	}
	return 0;
}

/* The last DHCP message sent, and how many there were. */
static const struct dhcp_msg *last_dhcp(int *count)
{
	const struct dhcp_msg *m = 0;
	*count = 0;
	for (int i = 0; i < ncap; i++) {
		if (cap_dhcp(i)) {
			m = cap_dhcp(i);
			(*count)++;
		}
	}
	return m;
}

/* A reply from the server: type, for xid, offering yiaddr, with a lease (0: no option). */
static size_t server_reply(uint8_t *f, uint8_t type, uint32_t xid, uint32_t yiaddr, uint32_t lease,
			   uint32_t dst)
{
	uint8_t d[300] = { 0 };
	struct dhcp_msg *m = (struct dhcp_msg *)d;
	m->op = 2;
	m->htype = 1;
	m->hlen = 6;
	m->xid = be32(xid);
	m->yiaddr = be32(yiaddr);
	memcpy(m->chaddr, our_mac, 6);
	m->magic = be32(DHCP_MAGIC);
	uint8_t *o = d + sizeof *m;
	*o++ = OPT_TYPE, *o++ = 1, *o++ = type;
	*o++ = OPT_SERVER, *o++ = 4, put_be32(o, server_ip), o += 4;
	*o++ = OPT_MASK, *o++ = 4, put_be32(o, 0xffffff00), o += 4;
	*o++ = OPT_ROUTER, *o++ = 4, put_be32(o, peer_ip), o += 4;
	if (lease)
		*o++ = OPT_LEASE, *o++ = 4, put_be32(o, lease), o += 4;
	*o++ = OPT_END;
	return build_udp(f, server_ip, dst, 67, 68, d, sizeof d);
}

static uint32_t discover(void)
{
	net_setup(0);
	dhcp_start(&nif);
	int n;
	const struct dhcp_msg *m = last_dhcp(&n);
	CHECK_EQ(n, 1);
	return m ? be32(m->xid) : 0;
}

/* DISCOVER, OFFER, REQUEST, ACK: bound. */
static void bind_lease(uint32_t lease)
{
	uint32_t xid = discover();
	uint8_t f[400];
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid, our_ip, lease, IP_BROADCAST));
	net_input(&nif, f, server_reply(f, DHCPACK, xid, our_ip, lease, our_ip));
	CHECK_EQ(nif.dhcp.state, DHCP_BOUND);
	learn_peer(server_ip);
	ncap = 0;
}

static void test_dhcp_exchange_and_renew(void)
{
	uint32_t xid = discover();
	int n;
	const struct dhcp_msg *m = last_dhcp(&n);
	CHECK(!memcmp(cap_eth(0)->dst, "\xff\xff\xff\xff\xff\xff", 6));
	CHECK_EQ(be32(cap_ip(0)->src), 0);
	CHECK_EQ(be32(cap_ip(0)->dst), IP_BROADCAST);
	CHECK_EQ(cap[0].len, 14 + 20 + 8 + 300);
	CHECK_EQ(m->op, 1);
	CHECK(!memcmp(m->chaddr, our_mac, 6));
	CHECK_EQ(be32(m->magic), DHCP_MAGIC);
	CHECK(opt(m, OPT_TYPE) && *opt(m, OPT_TYPE) == DHCPDISCOVER);
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);

	/* The offer, sent straight to the address offered: we take it though we have no address yet. */
	uint8_t f[400];
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid, our_ip, 3600, our_ip));
	m = last_dhcp(&n);
	CHECK_EQ(n, 2);
	CHECK_EQ(nif.dhcp.state, DHCP_REQUESTING);
	CHECK_EQ(be32(m->xid), xid);
	CHECK(opt(m, OPT_TYPE) && *opt(m, OPT_TYPE) == DHCPREQUEST);
	CHECK(opt(m, OPT_REQ_IP) && get_be32(opt(m, OPT_REQ_IP)) == our_ip);
	CHECK(opt(m, OPT_SERVER) && get_be32(opt(m, OPT_SERVER)) == server_ip);
	CHECK_EQ(m->ciaddr, 0);
	CHECK_EQ(nif.ip, 0);

	net_input(&nif, f, server_reply(f, DHCPACK, xid, our_ip, 3600, IP_BROADCAST));
	CHECK_EQ(nif.dhcp.state, DHCP_BOUND);
	CHECK_EQ(nif.ip, our_ip);
	CHECK_EQ(nif.netmask, 0xffffff00);
	CHECK_EQ(nif.gw, peer_ip);
	CHECK_EQ(netif_prefix(&nif), 24);
	CHECK_EQ(be16(cap_eth(ncap - 1)->type), ETH_TYPE_ARP); /* announced, and the gateway asked for */
	learn_peer(server_ip);

	/* T1 is half the lease: RENEWING asks the server directly. */
	uint64_t bound = fake_now;
	ncap = 0;
	net_tick(bound + 1799 * SEC_NS);
	last_dhcp(&n);
	CHECK_EQ(n, 0);
	fake_now = bound + 1800 * SEC_NS;
	learn_peer(server_ip); /* the ARP entry has long expired; the peer answers again */
	net_tick(fake_now);
	CHECK_EQ(nif.dhcp.state, DHCP_RENEWING);
	m = last_dhcp(&n);
	CHECK_EQ(n, 1);
	int i = ncap - 1;
	CHECK(!memcmp(cap_eth(i)->dst, peer_mac, 6));
	CHECK_EQ(be32(cap_ip(i)->src), our_ip);
	CHECK_EQ(be32(cap_ip(i)->dst), server_ip);
	CHECK_EQ(be32(m->ciaddr), our_ip);
	CHECK(opt(m, OPT_REQ_IP) == 0); /* RFC 2131 §4.3.2: not in RENEWING */
	CHECK(opt(m, OPT_TYPE) && *opt(m, OPT_TYPE) == DHCPREQUEST);
	uint32_t renew_xid = be32(m->xid);

	net_input(&nif, f, server_reply(f, DHCPACK, renew_xid, our_ip, 3600, our_ip));
	CHECK_EQ(nif.dhcp.state, DHCP_BOUND);
	CHECK_EQ(nif.dhcp.t1, fake_now + 1800 * SEC_NS);
	CHECK_EQ(nif.ip, our_ip);
}

static void test_dhcp_retries_with_backoff(void)
{
	uint32_t xid = discover();
	uint64_t t0 = fake_now;
	int n;
	/* RFC 2131 §4.1: 4 s, 8 s, 16 s, 32 s, 64 s, 64 s..., each within a second either way. */
	const uint64_t waits[] = { 4, 8, 16, 32, 64, 64 };
	uint64_t t = t0;
	for (int k = 0; k < 6; k++) {
		net_tick(t + (waits[k] - 1) * SEC_NS - 1);
		last_dhcp(&n);
		CHECK_EQ(n, k + 1);
		for (uint64_t s = t + (waits[k] - 1) * SEC_NS; n == k + 1 && s <= t + (waits[k] + 1) * SEC_NS;
		     s += 10 * MS_NS) {
			fake_now = s;
			net_tick(s);
			last_dhcp(&n);
		}
		CHECK_EQ(n, k + 2);
		t = fake_now;
	}
	const struct dhcp_msg *m = last_dhcp(&n);
	CHECK_EQ(be32(m->xid), xid);
	CHECK(be16(m->secs) >= 4 + 8 + 16 + 32 + 64 + 64 - 6);
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);
}

static void test_dhcp_request_unanswered(void)
{
	uint32_t xid = discover();
	uint8_t f[400];
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid, our_ip, 3600, IP_BROADCAST));
	CHECK_EQ(nif.dhcp.state, DHCP_REQUESTING);
	for (int i = 0; i < 200 && nif.dhcp.state == DHCP_REQUESTING; i++)
		net_tick(fake_now += SEC_NS);
	int n;
	const struct dhcp_msg *m = last_dhcp(&n);
	CHECK_EQ(n, 1 + DHCP_REQUEST_TRIES + 1); /* DISCOVER, the REQUESTs, a new DISCOVER */
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);
	CHECK(opt(m, OPT_TYPE) && *opt(m, OPT_TYPE) == DHCPDISCOVER);
	CHECK(be32(m->xid) != xid);
}

static void test_dhcp_rebind_and_expiry(void)
{
	bind_lease(100); /* T1 50 s, T2 87.5 s */
	uint64_t bound = fake_now;
	fake_now = bound + 50 * SEC_NS;
	learn_peer(server_ip);
	net_tick(fake_now);
	CHECK_EQ(nif.dhcp.state, DHCP_RENEWING);
	net_tick(fake_now = bound + 87 * SEC_NS);
	CHECK_EQ(nif.dhcp.state, DHCP_RENEWING);
	ncap = 0;
	net_tick(fake_now = bound + 87500 * MS_NS);
	CHECK_EQ(nif.dhcp.state, DHCP_REBINDING);
	int n;
	const struct dhcp_msg *m = last_dhcp(&n);
	CHECK_EQ(n, 1);
	CHECK(!memcmp(cap_eth(ncap - 1)->dst, "\xff\xff\xff\xff\xff\xff", 6)); /* any server now */
	CHECK_EQ(be32(cap_ip(ncap - 1)->dst), IP_BROADCAST);
	CHECK_EQ(be32(m->ciaddr), our_ip);
	ncap = 0;
	net_tick(fake_now = bound + 100 * SEC_NS);
	CHECK_EQ(nif.ip, 0);
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);
	m = last_dhcp(&n);
	CHECK_EQ(n, 1);
	CHECK(opt(m, OPT_TYPE) && *opt(m, OPT_TYPE) == DHCPDISCOVER);
}

static void test_dhcp_rejects(void)
{
	uint32_t xid = discover();
	uint8_t f[400];
	/* Another client's exchange, and a reply that is not a BOOTREPLY. */
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid + 1, our_ip, 3600, IP_BROADCAST));
	CHECK_EQ(nif.stats.drops[NET_DROP_DHCP_OTHER], 1);
	size_t n = server_reply(f, DHCPOFFER, xid, our_ip, 3600, IP_BROADCAST);
	f[42] = 1;
	fix_ip_csum((struct ip_hdr *)(f + 14));
	((struct udp_hdr *)(f + 34))->csum = 0;
	net_input(&nif, f, n);
	/* An option that runs past the end of the message. */
	n = server_reply(f, DHCPOFFER, xid, our_ip, 3600, IP_BROADCAST);
	memset(f + 42 + 240, 0, 300 - 240);
	f[n - 2] = OPT_SERVER, f[n - 1] = 200;
	((struct udp_hdr *)(f + 34))->csum = 0;
	net_input(&nif, f, n);
	/* Offering a broadcast address; an ACK without a lease. */
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid, IP_BROADCAST, 3600, IP_BROADCAST));
	CHECK_EQ(nif.stats.drops[NET_DROP_DHCP_BAD], 3);
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);
	net_input(&nif, f, server_reply(f, DHCPOFFER, xid, our_ip, 3600, IP_BROADCAST));
	net_input(&nif, f, server_reply(f, DHCPACK, xid, our_ip, 0, IP_BROADCAST));
	CHECK_EQ(nif.stats.drops[NET_DROP_DHCP_BAD], 4);
	CHECK_EQ(nif.dhcp.state, DHCP_REQUESTING);
	/* A NAK: start over. */
	net_input(&nif, f, server_reply(f, DHCPNAK, xid, 0, 0, IP_BROADCAST));
	CHECK_EQ(nif.dhcp.state, DHCP_SELECTING);
	CHECK(nif.dhcp.xid != xid);
	CHECK_EQ(nif.ip, 0);
	dhcp_stop(&nif);
	CHECK_EQ(nif.dhcp.state, DHCP_OFF);
}

int main(void)
{
	RUN(test_dhcp_exchange_and_renew);
	RUN(test_dhcp_retries_with_backoff);
	RUN(test_dhcp_request_unanswered);
	RUN(test_dhcp_rebind_and_expiry);
	RUN(test_dhcp_rejects);
	net_setup(0);
	netif_remove(&nif);
	UNIT_DONE();
}
