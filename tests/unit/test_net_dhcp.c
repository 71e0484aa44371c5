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

/* A reply from the server: type, for xid, offering yiaddr, with a lease, T1 and T2
 * (options 51, 58, 59; each left out when 0). */
static size_t server_reply_times(uint8_t *f, uint8_t type, uint32_t xid, uint32_t yiaddr, uint32_t lease,
				 uint32_t t1, uint32_t t2, uint32_t dst)
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
	if (t1)
		*o++ = OPT_T1, *o++ = 4, put_be32(o, t1), o += 4;
	if (t2)
		*o++ = OPT_T2, *o++ = 4, put_be32(o, t2), o += 4;
	*o++ = OPT_END;
	return build_udp(f, server_ip, dst, 67, 68, d, sizeof d);
}

/* A reply without T1 and T2, as QEMU's user-mode server sends. */
static size_t server_reply(uint8_t *f, uint8_t type, uint32_t xid, uint32_t yiaddr, uint32_t lease,
			   uint32_t dst)
{
	return server_reply_times(f, type, xid, yiaddr, lease, 0, 0, dst);
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

/* DISCOVER, OFFER, REQUEST, ACK (with T1 and T2 unless 0): bound. */
static void bind_lease_times(uint32_t lease, uint32_t t1, uint32_t t2)
{
	uint32_t xid = discover();
	uint8_t f[400];
	net_input(&nif, f, server_reply_times(f, DHCPOFFER, xid, our_ip, lease, t1, t2, IP_BROADCAST));
	net_input(&nif, f, server_reply_times(f, DHCPACK, xid, our_ip, lease, t1, t2, our_ip));
	CHECK_EQ(nif.dhcp.state, DHCP_BOUND);
	learn_peer(server_ip);
	ncap = 0;
}

static void bind_lease(uint32_t lease) { bind_lease_times(lease, 0, 0); }

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

/* The DHCP messages sent while the clock ticks once a second up to until,
 * the server answering ARP throughout: when (seconds after t0), and to whom. */
struct sent {
	int n;
	unsigned at[16];
	uint32_t dst[16], xid;
};

static struct sent sends_until(uint64_t t0, uint64_t until)
{
	struct sent s = { 0 };
	while (fake_now < until) {
		learn_peer(server_ip);
		ncap = 0;
		net_tick(fake_now += SEC_NS);
		for (int i = 0; i < ncap; i++) {
			const struct dhcp_msg *m = cap_dhcp(i);
			if (!m || s.n == 16)
				continue;
			s.at[s.n] = (unsigned)((fake_now - t0) / SEC_NS);
			s.dst[s.n++] = be32(cap_ip(i)->dst);
			s.xid = be32(m->xid);
		}
	}
	return s;
}

/* RFC 2131 §4.4.5, RFC 2132 §9.11-9.12: a server's T1 and T2 (options 58 and
 * 59) replace the defaults of 0.5 and 0.875 of the lease, in the ACK that
 * binds and in one that extends the lease. RENEWING asks the server that gave
 * the lease and asks again after half the time left to T2, 60 s at least;
 * REBINDING asks any server. */
static void test_dhcp_server_renewal_times(void)
{
	bind_lease_times(1000, 300, 600); /* the defaults would be 500 and 875 */
	uint64_t bound = fake_now;
	struct sent s = sends_until(bound, bound + 599 * SEC_NS);
	static const unsigned renew[] = { 300, 450, 525, 585 };
	CHECK_EQ(s.n, 4);
	for (int i = 0; i < 4 && i < s.n; i++) {
		CHECK_EQ(s.at[i], renew[i]);
		CHECK_EQ(s.dst[i], server_ip);
	}
	CHECK_EQ(nif.dhcp.state, DHCP_RENEWING);
	s = sends_until(bound, bound + 600 * SEC_NS);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.at[0], 600);
	CHECK_EQ(s.dst[0], IP_BROADCAST);
	CHECK_EQ(nif.dhcp.state, DHCP_REBINDING);

	uint8_t f[400]; /* extended: 100 s and 200 s from now */
	net_input(&nif, f, server_reply_times(f, DHCPACK, s.xid, our_ip, 1000, 100, 200, IP_BROADCAST));
	CHECK_EQ(nif.dhcp.state, DHCP_BOUND);
	uint64_t extended = fake_now;
	s = sends_until(extended, extended + 200 * SEC_NS);
	static const unsigned again[] = { 100, 160, 200 }; /* 50 s left to T2: 60 */
	CHECK_EQ(s.n, 3);
	for (int i = 0; i < 3 && i < s.n; i++)
		CHECK_EQ(s.at[i], again[i]);
	CHECK_EQ(s.dst[2], IP_BROADCAST);
	CHECK_EQ(nif.dhcp.state, DHCP_REBINDING);
}

/* T1 after T2, or T2 past the lease: inconsistent, so the defaults (RFC 2131
 * §4.4.5), 500 s and 875 s of 1000. And the client asks for both options. */
static void test_dhcp_inconsistent_renewal_times(void)
{
	static const uint32_t times[][2] = { { 900, 800 }, { 300, 1200 } };
	for (int i = 0; i < 2; i++) {
		bind_lease_times(1000, times[i][0], times[i][1]);
		uint64_t bound = fake_now;
		struct sent s = sends_until(bound, bound + 874 * SEC_NS);
		CHECK(s.n > 0 && s.at[0] == 500);
		CHECK_EQ(nif.dhcp.state, DHCP_RENEWING);
		sends_until(bound, bound + 875 * SEC_NS);
		CHECK_EQ(nif.dhcp.state, DHCP_REBINDING);
	}
	int n;
	discover();
	const uint8_t *params = opt(last_dhcp(&n), OPT_PARAMS);
	CHECK(params && memchr(params, OPT_T1, params[-1]) && memchr(params, OPT_T2, params[-1]));
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
	RUN(test_dhcp_server_renewal_times);
	RUN(test_dhcp_inconsistent_renewal_times);
	RUN(test_dhcp_rejects);
	net_setup(0);
	netif_remove(&nif);
	UNIT_DONE();
}
