/* cmd_net.c - `net` and `ping`: the interface and the stack from the shell. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "apps/tftpd.h"
#include "kernel/cmdline.h"
#include "kernel/poll.h"
#include "kernel/time.h"
#include "net/icmp.h"
#include "net/netif.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define IP4(a) (a) >> 24, ((a) >> 16) & 255, ((a) >> 8) & 255, (a)&255

static uint64_t driver_drops(const struct netif *nif)
{
	const struct netif_driver_stats *d = &nif->driver_stats;
	return d->rx_bad_len + d->rx_bad_num_buffers + d->rx_bad_header + d->tx_too_long + d->tx_ring_full;
}

static void show(const struct netif *nif, bool verbose)
{
	const uint8_t *m = nif->mac;
	printf("%s mac=%02x:%02x:%02x:%02x:%02x:%02x link=%s ip=%u.%u.%u.%u/%d gw=%u.%u.%u.%u mtu=%u rx=%llu "
	       "tx=%llu "
	       "drops=%llu\n",
	       nif->name, m[0], m[1], m[2], m[3], m[4], m[5], nif->link_up ? "up" : "down", IP4(nif->ip),
	       netif_prefix(nif), IP4(nif->gw), nif->mtu, (unsigned long long)nif->stats.rx_frames,
	       (unsigned long long)nif->stats.tx_frames,
	       (unsigned long long)(netif_drops(nif) + driver_drops(nif)));
	if (!verbose)
		return;
	for (int i = 1; i < NET_DROP_COUNT; i++)
		if (nif->stats.drops[i])
			printf("  drop %s=%llu\n", net_drop_names[i],
			       (unsigned long long)nif->stats.drops[i]);
	const struct netif_driver_stats *d = &nif->driver_stats;
	printf("  driver rx_bad_len=%llu rx_bad_num_buffers=%llu rx_ring_dry=%llu tx_too_long=%llu "
	       "tx_ring_full=%llu\n",
	       (unsigned long long)d->rx_bad_len, (unsigned long long)d->rx_bad_num_buffers,
	       (unsigned long long)d->rx_ring_dry, (unsigned long long)d->tx_too_long,
	       (unsigned long long)d->tx_ring_full);
	printf("  tftpd requests=%llu reads=%llu writes=%llu blocks_sent=%llu retransmits=%llu "
	       "errors_sent=%llu bad_packets=%llu late_packets=%llu refused=%llu\n",
	       (unsigned long long)tftpd_stats.requests, (unsigned long long)tftpd_stats.reads,
	       (unsigned long long)tftpd_stats.writes, (unsigned long long)tftpd_stats.blocks_sent,
	       (unsigned long long)tftpd_stats.retransmits, (unsigned long long)tftpd_stats.errors_sent,
	       (unsigned long long)tftpd_stats.bad_packets, (unsigned long long)tftpd_stats.late_packets,
	       (unsigned long long)tftpd_stats.refused);
	printf("  arp evicted_pending=%llu refused_changes=%llu\n",
	       (unsigned long long)nif->arp.evicted_pending, (unsigned long long)nif->arp.refused_changes);
	printf("  frags_tx=%llu frags_rx=%llu reassembled=%llu dhcp=%s\n",
	       (unsigned long long)nif->stats.frags_tx, (unsigned long long)nif->stats.frags_rx,
	       (unsigned long long)nif->stats.reassembled, dhcp_state_name(nif->dhcp.state));
}

int cmd_net(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[argc - 1], "-v");
	int nargs = argc - verbose;
	if (nargs > 2)
		return shell_usage("net [DEV] [-v]");
	if (nargs == 2) {
		struct netif *nif = netif_find(argv[1]);
		if (!nif)
			return shell_err(argv[1], -ENODEV, "no such network interface");
		show(nif, verbose);
		return 0;
	}
	if (!netif_default())
		return shell_err("net", -ENODEV, "no network interface");
	for (struct netif *nif = netif_default(); nif; nif = nif->next)
		show(nif, verbose);
	return 0;
}

struct ping {
	unsigned received;
	uint16_t waiting_for;
	bool got;
};

static void on_reply(uint32_t from, uint16_t seq, uint64_t rtt_ns, void *arg)
{
	struct ping *p = arg;
	printf("reply from %u.%u.%u.%u seq=%u time_us=%llu\n", IP4(from), seq,
	       (unsigned long long)(rtt_ns / 1000));
	p->received++;
	if (seq == p->waiting_for)
		p->got = true;
}

static bool got_reply(void *arg) { return ((struct ping *)arg)->got; }

int cmd_ping(int argc, char **argv)
{
	uint32_t dst;
	uint64_t count = 4;
	if (argc < 2 || argc > 3 || parse_ipv4(argv[1], &dst) || (argc == 3 && parse_u64(argv[2], &count)) ||
	    count == 0 || count > 1000)
		return shell_usage("ping A.B.C.D [COUNT], COUNT from 1 to 1000");
	struct netif *nif = netif_default();
	if (!nif)
		return shell_err("ping", -ENODEV, "no network interface");
	if (!nif->ip)
		return shell_err(nif->name, -ENETDOWN, "no address yet");
	struct ping p = { 0 };
	icmp_ping_open(on_reply, &p);
	unsigned sent = 0;
	for (uint16_t seq = 1; seq <= count; seq++) {
		p.got = false;
		p.waiting_for = seq;
		int r = icmp_ping_send(nif, dst, seq, 56);
		if (r) {
			shell_err(nif->name, r, "cannot send echo request %u", seq);
			continue;
		}
		sent++;
		/* up to a second for the reply; the next request goes when it comes */
		kwait(got_reply, &p, 1000000000ull);
	}
	icmp_ping_close();
	printf("%u sent, %u received, %u%% loss\n", sent, p.received,
	       sent ? (sent - (p.received < sent ? p.received : sent)) * 100 / sent : 0);
	return p.received ? 0 : shell_err(nif->name, -EHOSTUNREACH, "no reply from %u.%u.%u.%u", IP4(dst));
}
