/* test_net.c - the net stack against a fake interface: Ethernet, ARP, IPv4 checks and fragments, ICMP, UDP. */
#include "test_net.h"

static void test_checksum(void)
{
	/* RFC 1071 §3 example: the sum of 0001 f203 f4f5 f6f7 is ddf2. */
	const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, d, sizeof d)), (uint16_t)~0xddf2);
	/* An odd length pads with a zero byte. */
	const uint8_t odd[] = { 0x12, 0x34, 0x56 };
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, odd, 3)), (uint16_t) ~(0x1234 + 0x5600));
	/* A header with its checksum in place sums to zero. */
	uint8_t f[64];
	build_ip(f, peer_ip, our_ip, IP_PROTO_UDP, 7, 0, "", 0);
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, f + 14, 20)), 0);
}

static void test_arp_answers_request(void)
{
	net_setup(1);
	uint8_t f[64];
	size_t n = build_arp(f, 1, peer_mac, peer_ip, our_ip);
	net_input(&nif, f, n);
	CHECK_EQ(ncap, 1);
	struct arp_pkt *a = (struct arp_pkt *)(cap[0].data + 14);
	CHECK_EQ(cap[0].len, 42);
	CHECK(!memcmp(cap_eth(0)->dst, peer_mac, 6));
	CHECK(!memcmp(cap_eth(0)->src, our_mac, 6));
	CHECK_EQ(be16(cap_eth(0)->type), ETH_TYPE_ARP);
	CHECK_EQ(be16(a->op), 2);
	CHECK(!memcmp(a->sha, our_mac, 6));
	CHECK_EQ(get_be32(a->spa), our_ip);
	CHECK(!memcmp(a->tha, peer_mac, 6));
	CHECK_EQ(get_be32(a->tpa), peer_ip);
	CHECK(arp_lookup(&nif, peer_ip) != 0); /* the requester is learnt */
	CHECK_EQ(nif.stats.arp_requests_rx, 1);
	CHECK_EQ(nif.stats.arp_replies_tx, 1);

	/* Someone else's request: no answer, no entry. */
	n = build_arp(f, 1, peer_mac, IP4(10, 0, 2, 9), IP4(10, 0, 2, 77));
	net_input(&nif, f, n);
	CHECK_EQ(ncap, 1);
	CHECK(arp_lookup(&nif, IP4(10, 0, 2, 9)) == 0);
	CHECK_EQ(nif.stats.drops[NET_DROP_ARP_NOT_US], 1);

	/* Malformed: short, wrong hardware length, multicast sender. */
	net_input(&nif, f, n - 1);
	n = build_arp(f, 1, peer_mac, peer_ip, our_ip);
	f[14 + 4] = 8;
	net_input(&nif, f, n);
	const uint8_t mcast[6] = { 1, 0, 0x5e, 0, 0, 1 };
	n = build_arp(f, 1, mcast, IP4(10, 0, 2, 3), our_ip);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_ARP_BAD], 3);
	CHECK_EQ(ncap, 1);
}

static void test_arp_resolves_and_queues(void)
{
	net_setup(1);
	uint32_t host = IP4(10, 0, 2, 3);
	CHECK_EQ(udp_send(&nif, 1000, host, 2000, "one", 3), 0);
	CHECK_EQ(udp_send(&nif, 1000, host, 2000, "two", 3), 0);
	CHECK_EQ(ncap, 1); /* one request, both datagrams wait */
	struct arp_pkt *a = (struct arp_pkt *)(cap[0].data + 14);
	CHECK_EQ(be16(a->op), 1);
	CHECK(!memcmp(cap_eth(0)->dst, "\xff\xff\xff\xff\xff\xff", 6));
	CHECK_EQ(get_be32(a->tpa), host);
	CHECK_EQ(get_be32(a->spa), our_ip);
	learn_peer(host);
	CHECK_EQ(ncap, 3);
	CHECK(!memcmp(cap_eth(1)->dst, peer_mac, 6));
	CHECK(!memcmp(cap_l4(1) + 8, "one", 3));
	CHECK(!memcmp(cap_l4(2) + 8, "two", 3));
	CHECK_EQ(nif.arp.queued, 0);
	/* Now resolved: straight out. */
	CHECK_EQ(udp_send(&nif, 1000, host, 2000, "three", 5), 0);
	CHECK_EQ(ncap, 4);
}

static void test_arp_retries_then_gives_up(void)
{
	net_setup(1);
	uint32_t host = IP4(10, 0, 2, 4);
	learn_peer(peer_ip); /* the gateway's request would retry alongside */
	nif.stats.arp_requests_tx = 0;
	udp_send(&nif, 1000, host, 2000, "x", 1);
	CHECK_EQ(ncap, 1);
	net_tick(fake_now + 500 * MS_NS);
	CHECK_EQ(ncap, 1); /* at most one request per second */
	net_tick(fake_now += SEC_NS);
	net_tick(fake_now += SEC_NS);
	CHECK_EQ(ncap, 3);
	CHECK_EQ(nif.stats.arp_requests_tx, 3);
	net_tick(fake_now += SEC_NS);
	CHECK_EQ(ncap, 3);
	CHECK_EQ(nif.stats.drops[NET_DROP_ARP_UNRESOLVED], 1);
	CHECK_EQ(nif.arp.queued, 0);
	net_tick(fake_now += 10 * SEC_NS);
	CHECK_EQ(ncap, 3);
}

static void test_arp_queue_is_bounded(void)
{
	net_setup(1);
	for (int i = 0; i < ARP_QUEUE_MAX; i++)
		CHECK_EQ(udp_send(&nif, 1000, IP4(10, 0, 2, 5), 2000, "x", 1), 0);
	CHECK_EQ(udp_send(&nif, 1000, IP4(10, 0, 2, 5), 2000, "x", 1), -ENOBUFS);
	CHECK_EQ(nif.stats.drops[NET_DROP_ARP_QUEUE_FULL], 1);
	/* More resolutions than there are slots for: the oldest pending ones
	 * make room, and their queued frames are dropped, not kept forever. */
	for (int i = 0; i < ARP_ENTRIES; i++)
		arp_output(&nif, IP4(10, 0, 3, i), &(struct net_tx){ .hdr_len = 14 });
	CHECK_EQ(nif.arp.queued, ARP_PENDING_MAX); /* one each for the newest */
	CHECK(nif.arp.evicted_pending >= ARP_ENTRIES - ARP_PENDING_MAX);
	CHECK(nif.stats.drops[NET_DROP_ARP_UNRESOLVED] >= ARP_QUEUE_MAX); /* 10.0.2.5's, for one */
}

/* Issue: 16 pings to unused on-link addresses pushed the gateway out of the
 * cache, and every send then failed with ENOBUFS. Unanswered resolutions now
 * only ever replace each other. */
static void test_arp_resolutions_never_push_out_resolved_entries(void)
{
	net_setup(1);
	learn_peer(peer_ip); /* the gateway */
	uint32_t host = IP4(10, 0, 2, 9);
	uint8_t f[64];
	net_input(&nif, f, build_arp(f, 2, peer_mac, host, our_ip)); /* another resolved host */
	for (int i = 0; i < 4 * ARP_ENTRIES; i++)
		CHECK_EQ(udp_send(&nif, 1000, IP4(10, 0, 2, 100 + i), 2000, "x", 1), 0);
	CHECK(arp_lookup(&nif, peer_ip) != 0);
	CHECK(arp_lookup(&nif, host) != 0);
	ncap = 0;
	CHECK_EQ(udp_send(&nif, 1000, IP4(8, 8, 8, 8), 53, "q", 1), 0); /* via the gateway: straight out */
	CHECK_EQ(ncap, 1);
	CHECK(!memcmp(cap_eth(0)->dst, peer_mac, 6));
	/* resolved entries beyond their share push out the one closest to
	 * expiry, never the gateway's */
	for (int i = 0; i < 2 * ARP_ENTRIES; i++) {
		fake_now += MS_NS;
		net_input(&nif, f, build_arp(f, 1, peer_mac, IP4(10, 0, 2, 200 + i), our_ip));
	}
	CHECK(arp_lookup(&nif, peer_ip) != 0);
	CHECK(arp_lookup(&nif, IP4(10, 0, 2, 200 + 2 * ARP_ENTRIES - 1)) != 0);
}

/* Issue: an unsolicited reply addressed to another host rewrote an existing
 * entry. Only ARP for us teaches us, and a MAC changes at most once a second. */
static void test_arp_entries_change_only_for_us_and_slowly(void)
{
	static const uint8_t evil[6] = { 0x02, 0xee, 0xee, 0xee, 0xee, 0xee };
	uint8_t f[64];
	net_setup(1);
	learn_peer(peer_ip);
	size_t n = build_arp(f, 2, evil, peer_ip,
			     IP4(10, 0, 2, 77)); /* "10.0.2.2 is at evil", to someone else */
	net_input(&nif, f, n);
	CHECK(!memcmp(arp_lookup(&nif, peer_ip)->mac, peer_mac, 6));
	CHECK_EQ(nif.stats.drops[NET_DROP_ARP_NOT_US], 1);
	n = build_arp(f, 2, evil, peer_ip, our_ip); /* to us, but within a second of the last answer */
	net_input(&nif, f, n);
	CHECK(!memcmp(arp_lookup(&nif, peer_ip)->mac, peer_mac, 6));
	CHECK_EQ(nif.arp.refused_changes, 1);
	fake_now += ARP_LOCK_NS;
	net_input(&nif, f, n); /* a second later: the host may really have moved */
	CHECK(!memcmp(arp_lookup(&nif, peer_ip)->mac, evil, 6));
}

static void test_arp_cache_timeout(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	CHECK(arp_lookup(&nif, peer_ip) != 0);
	net_tick(fake_now + ARP_TTL_NS - 1);
	CHECK(arp_lookup(&nif, peer_ip) != 0);
	fake_now += ARP_TTL_NS;
	net_tick(fake_now);
	CHECK(arp_lookup(&nif, peer_ip) == 0);
	ncap = 0;
	udp_send(&nif, 1, peer_ip, 2, "x", 1);
	CHECK_EQ(ncap, 1);
	CHECK_EQ(be16(cap_eth(0)->type), ETH_TYPE_ARP); /* asks again */
}

static void test_gateway(void)
{
	net_setup(0);
	netif_set_addr(&nif, our_ip, 24, peer_ip);
	CHECK_EQ(ncap, 2); /* the announcement, then who has the gateway */
	struct arp_pkt *a = (struct arp_pkt *)(cap[0].data + 14);
	CHECK_EQ(get_be32(a->spa), our_ip);
	CHECK_EQ(get_be32(a->tpa), our_ip);
	a = (struct arp_pkt *)(cap[1].data + 14);
	CHECK_EQ(get_be32(a->tpa), peer_ip);
	/* Off the subnet: it waits for the gateway's MAC, then goes to it. */
	CHECK_EQ(udp_send(&nif, 1000, IP4(8, 8, 8, 8), 53, "q", 1), 0);
	CHECK_EQ(ncap, 2);
	learn_peer(peer_ip);
	CHECK_EQ(ncap, 3);
	CHECK(!memcmp(cap_eth(2)->dst, peer_mac, 6));
	CHECK_EQ(be32(cap_ip(2)->dst), IP4(8, 8, 8, 8));
	/* No gateway: off-subnet is unreachable; so is everything without an address. */
	nif.gw = 0;
	CHECK_EQ(udp_send(&nif, 1000, IP4(8, 8, 8, 8), 53, "q", 1), -ENETUNREACH);
	nif.ip = 0;
	CHECK_EQ(udp_send(&nif, 1000, peer_ip, 53, "q", 1), -ENETUNREACH);
	CHECK_EQ(nif.stats.drops[NET_DROP_IP_NO_ROUTE], 2);
	/* Broadcast needs neither. */
	CHECK_EQ(udp_send(&nif, 68, IP_BROADCAST, 67, "q", 1), 0);
	CHECK(!memcmp(cap_eth(ncap - 1)->dst, "\xff\xff\xff\xff\xff\xff", 6));
}

static void test_eth_rejects(void)
{
	net_setup(1);
	uint8_t f[128];
	size_t n = build_udp(f, peer_ip, our_ip, 1, 7, "x", 1);
	net_input(&nif, f, 13);
	CHECK_EQ(nif.stats.drops[NET_DROP_ETH_SHORT], 1);
	f[0] ^= 1;
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_ETH_DST], 1);
	f[0] ^= 1;
	f[12] = 0x86, f[13] = 0xdd; /* IPv6 */
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_ETH_TYPE], 1);
	CHECK_EQ(nif.stats.rx_frames, 3);
	CHECK_EQ(netif_drops(&nif), 3);
	char line[200];
	netif_format(&nif, line, sizeof line);
	CHECK(!strcmp(
		line,
		"net0 mac=52:54:00:12:34:56 link=up ip=10.0.2.15/24 gw=10.0.2.2 mtu=1500 rx=3 tx=2 drops=3"));
	netif_format_drops(&nif, line, sizeof line);
	CHECK(!strcmp(line, "eth_short=1 eth_dst=1 eth_type=1"));
	CHECK_EQ(netif_format_drops(&nif, line, 12), 11);
	CHECK(!strcmp(line, "eth_short=1"));
}

static void test_ip_rejects(void)
{
	net_setup(1);
	udp_bind(9, got_udp, 0);
	uint8_t f[128], g[128];
	size_t n = build_udp(f, peer_ip, our_ip, 1, 9, "data", 4);
	struct ip_hdr *h = (struct ip_hdr *)(g + 14);
#define BAD(mutate, why)                                    \
	do {                                                \
		memcpy(g, f, n);                            \
		size_t len = n;                             \
		mutate;                                     \
		uint64_t before = nif.stats.drops[why];     \
		net_input(&nif, g, len);                    \
		CHECK_EQ(nif.stats.drops[why], before + 1); \
	} while (0)
	BAD(len = 14 + 19, NET_DROP_IP_SHORT);
	BAD((h->vihl = 0x65, fix_ip_csum(h)), NET_DROP_IP_VERSION);
	BAD((h->vihl = 0x44, h->csum = 0), NET_DROP_IP_IHL);
	BAD((h->vihl = 0x4f, fix_ip_csum(h)), NET_DROP_IP_IHL); /* 60 bytes of header: more than the frame */
	BAD((h->len = be16(n - 14 + 1), fix_ip_csum(h)), NET_DROP_IP_LEN);
	BAD((h->len = be16(19), fix_ip_csum(h)), NET_DROP_IP_LEN);
	BAD(h->csum ^= 1, NET_DROP_IP_CSUM);
	BAD((h->dst = be32(IP4(10, 0, 2, 16)), fix_ip_csum(h)), NET_DROP_IP_DST);
	BAD((h->dst = be32(IP4(224, 0, 0, 1)), fix_ip_csum(h)), NET_DROP_IP_DST);
	BAD((h->src = be32(IP4(10, 0, 2, 255)), fix_ip_csum(h)), NET_DROP_IP_SRC);
	BAD((h->proto = 6, fix_ip_csum(h)), NET_DROP_IP_PROTO);
#undef BAD
	CHECK_EQ(got.count, 0);
	CHECK_EQ(ncap, 0);
	/* Ethernet padding after the datagram is fine; so is a broadcast destination. */
	memcpy(g, f, n);
	memset(g + n, 0xee, 20);
	got.count = 0;
	net_input(&nif, g, n + 20);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.len, 4);
	n = build_udp(f, peer_ip, IP4(10, 0, 2, 255), 1, 9, "data", 4);
	net_input(&nif, f, n);
	CHECK_EQ(got.count, 2);
}

static void test_icmp_echo_reply(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	uint8_t req[8 + 56], f[128];
	req[0] = ICMP_ECHO_REQUEST;
	req[1] = 0;
	req[2] = req[3] = 0;
	req[4] = 0x12, req[5] = 0x34, req[6] = 0x00, req[7] = 0x05; /* id 0x1234 seq 5 */
	for (int i = 0; i < 56; i++)
		req[8 + i] = 0x10 + i;
	uint16_t c = ip_csum_fold(ip_csum_add(0, req, sizeof req));
	req[2] = c >> 8, req[3] = c & 255;
	size_t n = build_ip(f, peer_ip, our_ip, IP_PROTO_ICMP, 99, 0, req, sizeof req);
	net_input(&nif, f, n);
	CHECK_EQ(ncap, 1);
	CHECK_EQ(cap[0].len, 14 + 20 + 8 + 56);
	CHECK(!memcmp(cap_eth(0)->dst, peer_mac, 6));
	struct ip_hdr *h = cap_ip(0);
	CHECK_EQ(h->vihl, 0x45);
	CHECK_EQ(be16(h->len), 20 + 64);
	CHECK_EQ(h->proto, IP_PROTO_ICMP);
	CHECK_EQ(h->ttl, 64);
	CHECK_EQ(be32(h->src), our_ip);
	CHECK_EQ(be32(h->dst), peer_ip);
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, h, 20)), 0);
	uint8_t *r = cap_l4(0);
	CHECK_EQ(r[0], ICMP_ECHO_REPLY);
	CHECK_EQ(r[1], 0);
	CHECK(!memcmp(r + 4, req + 4, 4 + 56)); /* id, seq and data unchanged */
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, r, 64)), 0);
	/* Only the type changed, by 8 in the high byte: RFC 1624 says the checksum moves by the same. */
	CHECK_EQ((r[2] << 8 | r[3]), c + 0x0800);
	CHECK_EQ(nif.stats.icmp_echo_rx, 1);

	/* A bad checksum, a short message, a broadcast request: no reply. */
	req[9] ^= 1;
	n = build_ip(f, peer_ip, our_ip, IP_PROTO_ICMP, 99, 0, req, sizeof req);
	net_input(&nif, f, n);
	req[9] ^= 1;
	n = build_ip(f, peer_ip, our_ip, IP_PROTO_ICMP, 99, 0, req, 7);
	net_input(&nif, f, n);
	n = build_ip(f, peer_ip, IP_BROADCAST, IP_PROTO_ICMP, 99, 0, req, sizeof req);
	memset(f, 0xff, 6);
	net_input(&nif, f, n);
	CHECK_EQ(ncap, 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_ICMP_CSUM], 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_ICMP_SHORT], 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_ICMP_BCAST], 1);
}

static struct {
	int count;
	uint32_t from;
	uint16_t seq;
	uint64_t rtt;
} pong;
static void got_pong(uint32_t from, uint16_t seq, uint64_t rtt_ns, void *arg)
{
	pong.count++;
	pong.from = from;
	pong.seq = seq;
	pong.rtt = rtt_ns;
}

static void test_ping(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	CHECK_EQ(icmp_ping_send(&nif, peer_ip, 1, 56), -EINVAL); /* not open */
	memset(&pong, 0, sizeof pong);
	icmp_ping_open(got_pong, 0);
	CHECK_EQ(icmp_ping_send(&nif, peer_ip, 3, 56), 0);
	CHECK_EQ(ncap, 1);
	uint8_t *q = cap_l4(0);
	CHECK_EQ(q[0], ICMP_ECHO_REQUEST);
	CHECK_EQ(q[6] << 8 | q[7], 3);
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, q, 64)), 0);
	/* The peer answers 2.5 ms later, as Linux would: type 0, the rest unchanged. */
	uint8_t rep[64], f[128];
	memcpy(rep, q, 64);
	rep[0] = ICMP_ECHO_REPLY;
	rep[2] = rep[3] = 0;
	uint16_t c = ip_csum_fold(ip_csum_add(0, rep, 64));
	rep[2] = c >> 8, rep[3] = c & 255;
	size_t n = build_ip(f, peer_ip, our_ip, IP_PROTO_ICMP, 5, 0, rep, 64);
	fake_now += 2500000;
	net_input(&nif, f, n);
	CHECK_EQ(pong.count, 1);
	CHECK_EQ(pong.seq, 3);
	CHECK_EQ(pong.from, peer_ip);
	CHECK_EQ(pong.rtt, 2500000);
	net_input(&nif, f, n); /* a duplicate */
	CHECK_EQ(pong.count, 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_ICMP_UNMATCHED], 1);
	icmp_ping_close();
}

static void test_udp_echo(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	CHECK_EQ(echo_start(), 0);
	CHECK_EQ(echo_start(), -EADDRINUSE);
	uint8_t f[256];
	size_t n = build_udp(f, peer_ip, our_ip, 40000, 7, "hello, ringside", 15);
	net_input(&nif, f, n);
	CHECK_EQ(ncap, 1);
	CHECK_EQ(cap[0].len, n);
	struct ip_hdr *h = cap_ip(0);
	CHECK_EQ(be32(h->dst), peer_ip);
	CHECK_EQ(ip_csum_fold(ip_csum_add(0, h, 20)), 0);
	struct udp_hdr *u = (struct udp_hdr *)cap_l4(0);
	CHECK_EQ(be16(u->sport), 7);
	CHECK_EQ(be16(u->dport), 40000);
	CHECK_EQ(be16(u->len), 8 + 15);
	CHECK(!memcmp(u + 1, "hello, ringside", 15));
	CHECK_EQ(ip_csum_fold(ip_csum_add(ip_csum_pseudo(our_ip, peer_ip, 17, 23), u, 23)), 0);
	CHECK_EQ(nif.stats.udp_rx, 1);
	CHECK_EQ(nif.stats.udp_tx, 1);
}

static void test_udp_bind_send_and_checks(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	CHECK_EQ(udp_bind(0, got_udp, 0), -EINVAL);
	CHECK_EQ(udp_bind(5000, got_udp, 0), 0);
	for (int i = 1; i < UDP_PORTS; i++)
		CHECK_EQ(udp_bind(6000 + i, got_udp, 0), 0);
	CHECK_EQ(udp_bind(7000, got_udp, 0), -ENOBUFS);
	udp_unbind(6001);
	CHECK_EQ(udp_bind(7000, got_udp, 0), 0);

	/* Out: the datagram the peer would get. */
	CHECK_EQ(udp_send(&nif, 5000, peer_ip, 6000, "ping", 4), 0);
	CHECK_EQ(ncap, 1);
	/* Back in, turned around: the callback sees it, pointing into the frame. */
	uint8_t f[256];
	memset(&got, 0, sizeof got);
	size_t n = build_udp(f, peer_ip, our_ip, 6000, 5000, cap_l4(0) + 8, 4);
	net_input(&nif, f, n);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.src, peer_ip);
	CHECK_EQ(got.sport, 6000);
	CHECK_EQ(got.dport, 5000);
	CHECK_EQ(got.len, 4);
	CHECK(!memcmp(got.data, "ping", 4));

	/* A bad checksum is dropped, unless the device says it checked it. */
	f[n - 1] ^= 0x40;
	net_input(&nif, f, n);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_UDP_CSUM], 1);
	net_input_flags(&nif, f, n, NET_RX_CSUM_OK);
	CHECK_EQ(got.count, 2);
	/* Zero: no checksum was sent. */
	struct udp_hdr *u = (struct udp_hdr *)(f + 34);
	u->csum = 0;
	net_input(&nif, f, n);
	CHECK_EQ(got.count, 3);
	/* Lengths: shorter than a header, longer than the datagram. */
	u->len = be16(7);
	net_input(&nif, f, n);
	u->len = be16(n - 34 + 1);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_UDP_LEN], 2);
	n = build_ip(f, peer_ip, our_ip, IP_PROTO_UDP, 1, 0, "abc", 3);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_UDP_SHORT], 1);
	n = build_udp(f, peer_ip, our_ip, 6000, 5999, "x", 1);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_UDP_PORT], 1);
	udp_unbind(5000);
	n = build_udp(f, peer_ip, our_ip, 6000, 0, "x",
		      1); /* port 0 never matches a free slot (found by fuzzing) */
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_UDP_PORT], 2);
	CHECK_EQ(got.count, 3);
	CHECK_EQ(udp_send(&nif, 1, peer_ip, 2, f, UDP_MAX_PAYLOAD + 1), -EMSGSIZE);
	/* A device that fails to send is counted. */
	xmit_error = -EIO;
	CHECK_EQ(udp_send(&nif, 5000, peer_ip, 6000, "x", 1), -EIO);
	CHECK_EQ(nif.stats.drops[NET_DROP_TX_ERR], 1);
}

static void test_udp_checksum_offload(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	nif.features = NETIF_F_TX_CSUM;
	CHECK_EQ(udp_send(&nif, 5000, peer_ip, 6000, "offload", 7), 0);
	CHECK_EQ(cap[0].flags, NET_TX_CSUM);
	CHECK_EQ(cap[0].csum_start, 34);
	CHECK_EQ(cap[0].csum_offset, 6);
	/* Do what the device does (virtio 1.2 §5.1.6.2): checksum from csum_start, store at csum_offset. */
	uint8_t *l4 = cap[0].data + cap[0].csum_start;
	uint16_t c = ip_csum_fold(ip_csum_add(0, l4, cap[0].len - cap[0].csum_start));
	l4[cap[0].csum_offset] = c >> 8;
	l4[cap[0].csum_offset + 1] = c & 255;
	CHECK_EQ(ip_csum_fold(ip_csum_add(ip_csum_pseudo(our_ip, peer_ip, 17, 15), l4, 15)), 0);
}

/* The fragments of one datagram turned around, as if the peer had sent them. */
static size_t reflect(int i, uint8_t *f)
{
	memcpy(f, cap[i].data, cap[i].len);
	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	struct ip_hdr *h = (struct ip_hdr *)(f + 14);
	uint32_t s = h->src;
	h->src = h->dst;
	h->dst = s;
	fix_ip_csum(h);
	return cap[i].len;
}

static uint8_t big[4000];

static void test_fragment_and_reassemble(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = i * 7 + (i >> 8);
	CHECK_EQ(udp_send(&nif, 5000, peer_ip, 5000, big, sizeof big), 0);
	/* 4008 bytes of UDP in 1480-byte pieces: 1480 + 1480 + 1048. */
	CHECK_EQ(ncap, 3);
	CHECK_EQ(nif.stats.frags_tx, 3);
	uint16_t id = be16(cap_ip(0)->id);
	const size_t sizes[3] = { 1480, 1480, 1048 };
	for (int i = 0; i < 3; i++) {
		struct ip_hdr *h = cap_ip(i);
		CHECK_EQ(cap[i].len, 14 + 20 + sizes[i]);
		CHECK_EQ(be16(h->len), 20 + sizes[i]);
		CHECK_EQ(be16(h->id), id);
		CHECK_EQ(be16(h->frag) & IP_OFFSET_MASK, i * 185);
		CHECK_EQ(!!(be16(h->frag) & IP_FLAG_MF), i < 2);
		CHECK_EQ(ip_csum_fold(ip_csum_add(0, h, 20)), 0);
	}
	CHECK(!memcmp(cap[1].data + 34, big + 1480 - 8, 1480));

	/* Back in, out of order: the port sees one datagram of 4000 bytes. */
	udp_bind(5000, got_udp, 0);
	memset(&got, 0, sizeof got);
	static uint8_t f[3][1600];
	size_t n2 = reflect(2, f[2]), n0 = reflect(0, f[0]), n1 = reflect(1, f[1]);
	net_input(&nif, f[2], n2);
	net_input(&nif, f[0], n0);
	CHECK_EQ(got.count, 0);
	net_input(&nif, f[1], n1);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.len, sizeof big);
	CHECK(!memcmp(got.data, big, sizeof big));
	CHECK_EQ(nif.stats.reassembled, 1);
	for (int i = 0; i < IP_REASS_SLOTS; i++)
		CHECK(!nif.reass[i].used);
	/* A checksum offload request cannot span fragments: it is done in software instead. */
	nif.features = NETIF_F_TX_CSUM;
	ncap = 0;
	CHECK_EQ(udp_send(&nif, 5000, peer_ip, 5000, big, sizeof big), 0);
	CHECK_EQ(ncap, 3);
	CHECK_EQ(cap[0].flags, 0);
}

/* A fragment of datagram id from the peer: off in bytes, len bytes of pattern. */
static size_t frag(uint8_t *f, uint16_t id, size_t off, size_t len, int more)
{
	static uint8_t d[2000];
	for (size_t i = 0; i < len; i++)
		d[i] = (uint8_t)(off + i);
	return build_ip(f, peer_ip, our_ip, IP_PROTO_UDP, id, (off / 8) | (more ? IP_FLAG_MF : 0), d, len);
}

static void test_fragment_overlap_and_oversize(void)
{
	net_setup(1);
	uint8_t f[2100];
	size_t n = frag(f, 1, 0, 1000, 1);
	net_input(&nif, f, n);
	n = frag(f, 1, 992, 100, 0); /* overlaps the first by 8 bytes */
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_OVERLAP], 1);
	for (int i = 0; i < IP_REASS_SLOTS; i++)
		CHECK(!nif.reass[i].used); /* the whole datagram went */
	/* An exact duplicate overlaps too. */
	n = frag(f, 2, 0, 1000, 1);
	net_input(&nif, f, n);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_OVERLAP], 2);
	/* Ending past 65535 bytes of datagram. */
	n = frag(f, 3, 65512, 16, 0);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_OVERSIZE], 1);
	n = frag(f, 3, 65512 - 8, 8, 0); /* ends at 65512 + 20 of header: fits */
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_OVERSIZE], 1);
	/* Not a multiple of 8 before the end; two different ends. */
	n = frag(f, 4, 0, 100, 1);
	net_input(&nif, f, n);
	n = frag(f, 5, 800, 100, 0);
	net_input(&nif, f, n);
	n = frag(f, 5, 800, 50, 0);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_BAD], 2);
	CHECK_EQ(nif.stats.reassembled, 0);
}

static void test_reassembly_timeout_and_slots(void)
{
	net_setup(1);
	uint8_t f[2100];
	size_t n = frag(f, 1, 0, 1000, 1);
	net_input(&nif, f, n);
	net_tick(fake_now + IP_REASS_TIMEOUT_NS - 1);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_TIMEOUT], 0);
	net_tick(fake_now + IP_REASS_TIMEOUT_NS);
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_TIMEOUT], 1);
	CHECK(!nif.reass[0].used);
	/* The rest of it now starts a new reassembly that never completes. */
	n = frag(f, 1, 1000, 200, 0);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.reassembled, 0);
	/* More datagrams than slots: the oldest goes. */
	for (int id = 10; id < 10 + IP_REASS_SLOTS; id++) {
		fake_now += SEC_NS;
		n = frag(f, id, 0, 8, 1);
		net_input(&nif, f, n);
	}
	CHECK_EQ(nif.stats.drops[NET_DROP_FRAG_EVICTED], 1);
	/* Datagram 10 is still there and completes. */
	udp_bind(9, got_udp, 0);
	n = frag(f, 10, 8, 8, 0);
	net_input(&nif, f, n);
	CHECK_EQ(nif.stats.reassembled, 1);
}

/* Thousands of mangled copies of good frames: every one is dropped or handled, none crashes. */
static void test_mangled_frames(void)
{
	net_setup(1);
	learn_peer(peer_ip);
	echo_start();
	uint8_t good[4][256], f[256];
	size_t len[4];
	len[0] = build_udp(good[0], peer_ip, our_ip, 1234, 7, "0123456789", 10);
	len[1] = build_arp(good[1], 1, peer_mac, peer_ip, our_ip);
	len[2] = frag(good[2], 77, 8, 16, 1);
	uint8_t icmp[16] = { 8 };
	len[3] = build_ip(good[3], peer_ip, our_ip, IP_PROTO_ICMP, 3, 0, icmp, sizeof icmp);
	srand(1);
	for (int i = 0; i < 20000; i++) {
		int k = rand() % 4;
		memcpy(f, good[k], sizeof f);
		for (int j = rand() % 4; j >= 0; j--)
			f[rand() % len[k]] = rand();
		if (rand() % 8 == 0) /* the header checksum right after mangling, to go deeper */
			fix_ip_csum((struct ip_hdr *)(f + 14));
		ncap = 0;
		net_input(&nif, f, rand() % 3 ? len[k] : rand() % (len[k] + 1));
		fake_now += MS_NS;
		net_tick(fake_now);
	}
	CHECK(nif.stats.rx_frames >= 20000);
	ip_reass_flush(&nif);
}

int main(void)
{
	RUN(test_checksum);
	RUN(test_arp_answers_request);
	RUN(test_arp_resolves_and_queues);
	RUN(test_arp_retries_then_gives_up);
	RUN(test_arp_queue_is_bounded);
	RUN(test_arp_resolutions_never_push_out_resolved_entries);
	RUN(test_arp_entries_change_only_for_us_and_slowly);
	RUN(test_arp_cache_timeout);
	RUN(test_gateway);
	RUN(test_eth_rejects);
	RUN(test_ip_rejects);
	RUN(test_icmp_echo_reply);
	RUN(test_ping);
	RUN(test_udp_echo);
	RUN(test_udp_bind_send_and_checks);
	RUN(test_udp_checksum_offload);
	RUN(test_fragment_and_reassemble);
	RUN(test_fragment_overlap_and_oversize);
	RUN(test_reassembly_timeout_and_slots);
	RUN(test_mangled_frames);
	net_setup(0);
	netif_remove(&nif);
	UNIT_DONE();
}
