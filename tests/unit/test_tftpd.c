/* test_tftpd.c - the TFTP server over the real net stack and main loop, with a disk that completes later:
 * sessions that end with requests in flight, reassembled packets, timeouts while the disk works. */
#define _GNU_SOURCE /* memmem */
#include "test_net.h"

#include "apps/tftpd.c"
#include "block/blkdev.c"
#include "kernel/poll.c"
#include "lib/errname.c" /* the power-off flush names its errors */
#include "tests/sim/sim_disk.c"
#include "tests/sim/sim_dma.c"
#include <sys/wait.h>
#include <unistd.h>

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr, (void)offset;
	return NULL;
}
void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }

#define SECTORS 1024 /* 512 KiB */
#define CLIENT  4000
static struct sim_disk disk;

/* A datagram from the client, through Ethernet, IP (fragmented when it is
 * larger than the MTU, as the peer's stack would) and UDP, as virtio-net's
 * poller hands frames over: inside a completion. */
static void client_send(uint16_t dport, const void *data, size_t len)
{
	static uint8_t dgram[70000], frame[FRAME_MAX];
	struct udp_hdr *u = (struct udp_hdr *)dgram;
	u->sport = be16(CLIENT);
	u->dport = be16(dport);
	u->len = be16(8 + len);
	u->csum = 0; /* none: allowed over IPv4 */
	memcpy(u + 1, data, len);
	size_t total = 8 + len, per = 1480, off = 0;
	static uint16_t id = 100;
	id++;
	completion_enter();
	while (off < total) {
		size_t n = total - off > per ? per : total - off;
		bool more = off + n < total;
		size_t fl = build_ip(frame, peer_ip, our_ip, IP_PROTO_UDP, id,
				     (uint16_t)((more ? 0x2000 : 0) | off / 8), dgram + off, n);
		net_input(&nif, frame, fl);
		off += n;
	}
	completion_leave();
}

/* What the server sent back: the newest UDP datagram to the client. */
static const uint8_t *reply(size_t *len, uint16_t *sport)
{
	for (int i = ncap - 1; i >= 0; i--) {
		if (cap_ip(i)->proto != IP_PROTO_UDP)
			continue;
		const struct udp_hdr *u = (const struct udp_hdr *)cap_l4(i);
		if (be16(u->dport) != CLIENT)
			continue;
		*len = be16(u->len) - 8;
		if (sport)
			*sport = be16(u->sport);
		return (const uint8_t *)(u + 1);
	}
	return NULL;
}

static int op_of(const uint8_t *p) { return p ? p[0] << 8 | p[1] : -1; }
static int block_of(const uint8_t *p) { return p ? p[2] << 8 | p[3] : -1; }

static void setup(void)
{
	static bool once;
	net_setup(1);
	learn_peer(peer_ip);
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].state != S_FREE)
			abort(); /* the last test left a session behind */
	if (!once) {
		once = true;
		sim_disk_init(&disk, "blk0", SECTORS);
		blkdev_register(&disk.bd);
		for (int i = 0; i < SECTORS * 512; i++)
			disk.data[i] = (uint8_t)(i * 7 + i / 512);
		poll_register(net_poll, NULL, "net");
	}
	if (tftpd_start()) /* port 69 again: net_setup unbound everything */
		abort();
	ncap = 0;
	memset(&tftpd_stats, 0, sizeof tftpd_stats);
}

/* RRQ or WRQ for "disk" with a block size; returns the session's port. */
static uint16_t start(int op, unsigned blksize)
{
	char req[64];
	int n = snprintf(req + 2, sizeof req - 2, "disk%coctet%cblksize%c%u", 0, 0, 0, blksize);
	req[0] = 0, req[1] = (char)op;
	client_send(69, req, (size_t)n + 3);
	size_t len;
	uint16_t port = 0;
	const uint8_t *p = reply(&len, &port);
	CHECK_EQ(op_of(p), OP_OACK);
	return port;
}

static void ack(uint16_t port, uint16_t block)
{
	uint8_t p[4] = { 0, OP_ACK, (uint8_t)(block >> 8), (uint8_t)block };
	client_send(port, p, 4);
}

static void error_pkt(uint16_t port)
{
	uint8_t p[] = { 0, OP_ERROR, 0, 0, 'b', 'y', 'e', 0 };
	client_send(port, p, sizeof p);
}

static void data(uint16_t port, uint16_t block, const uint8_t *bytes, size_t len)
{
	static uint8_t p[70000];
	p[0] = 0, p[1] = OP_DATA, p[2] = (uint8_t)(block >> 8), p[3] = (uint8_t)block;
	memcpy(p + 4, bytes, len);
	client_send(port, p, 4 + len);
}

static bool all_free(void)
{
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].state != S_FREE)
			return false;
	return true;
}

static bool port_bound(uint16_t port)
{
	for (int i = 0; i < UDP_PORTS; i++)
		if (udp_ports[i].fn && udp_ports[i].port == port)
			return true;
	return false;
}

/* Bug 1 of the issue: a read that the client aborts while chunks are still
 * on the ring kept its port and served later ACKs from freed chunks (DATA
 * from address 0). Now: what comes meanwhile is dropped and counted, and
 * the session is freed when its last chunk comes back. */
static void test_read_aborted_with_chunks_in_flight(void)
{
	setup();
	uint16_t port = start(OP_RRQ, 1024);
	CHECK(disk.npending >= 2); /* read-ahead on the ring */
	ack(port, 0);
	sim_disk_complete(&disk, 0, 0); /* the first chunk: DATA 1 goes */
	size_t len;
	const uint8_t *p = reply(&len, NULL);
	CHECK_EQ(op_of(p), OP_DATA);
	CHECK_EQ(block_of(p), 1);
	CHECK(p && !memcmp(p + 4, disk.data, 1024));
	error_pkt(port); /* the client gives up */
	CHECK(!all_free());
	int sent = ncap;
	ack(port, 1);
	ack(port, 2);
	CHECK_EQ(ncap, sent); /* nothing served from a session that ended */
	CHECK_EQ(tftpd_stats.late_packets, 2);
	CHECK(port_bound(port));
	sim_disk_complete_all(&disk);
	CHECK(all_free());
	CHECK(!port_bound(port));
	ack(port, 3);
	CHECK_EQ(ncap, sent); /* the port is gone */
}

/* The same for a write: DATA after the client's ERROR must not be written
 * anywhere (it was written to address 0). */
static void test_write_aborted_with_chunks_in_flight(void)
{
	setup();
	static uint8_t block[8192];
	uint16_t port = start(OP_WRQ, 8192);
	unsigned writes = 0;
	for (uint16_t b = 1; b <= 9; b++) { /* 72 KiB: the first 64 KiB chunk goes to the disk */
		memset(block, b, sizeof block);
		data(port, b, block, sizeof block);
	}
	for (unsigned i = 0; i < disk.npending; i++)
		writes += disk.pending[i]->op == BLK_WRITE;
	CHECK_EQ(writes, 1);
	size_t len;
	CHECK_EQ(block_of(reply(&len, NULL)), 9); /* ACKed: the chunk was taken */
	error_pkt(port);
	int sent = ncap;
	memset(block, 0xee, sizeof block);
	data(port, 10, block, sizeof block);
	CHECK_EQ(ncap, sent);
	CHECK_EQ(tftpd_stats.late_packets, 1);
	sim_disk_complete_all(&disk);
	CHECK(all_free());
	CHECK_EQ(disk.data[0], 1);
	CHECK_EQ(disk.data[65535], 8);
	CHECK(disk.data[65536] != 0xee);
}

/* Bug 2: a DATA packet that came reassembled from fragments points into the
 * reassembly buffer; waiting for the disk inside the handler let the
 * network timer free that buffer, and the handler then wrote freed memory
 * to the disk. Now the handler copies and returns: a disk that takes longer
 * than the reassembly timeout still gets the client's bytes. */
static void test_reassembled_data_outlives_the_timer(void)
{
	setup();
	static uint8_t blocks[9][8192];
	uint16_t port = start(OP_WRQ, 8192);
	for (uint16_t b = 1; b <= 9; b++) {
		for (size_t i = 0; i < sizeof blocks[0]; i++)
			blocks[b - 1][i] = (uint8_t)(b * 31 + i);
		data(port, b, blocks[b - 1], b == 9 ? 100 : sizeof blocks[0]); /* six fragments each */
	}
	CHECK_EQ(nif.stats.reassembled, 8); /* the last block fits in one frame */
	fake_now += 60 * SEC_NS;            /* every reassembly slot times out */
	poll_run_once();
	learn_peer(peer_ip);          /* so did the ARP entry */
	sim_disk_complete_all(&disk); /* the chunk, then the tail sector's read */
	sim_disk_complete_all(&disk); /* the tail's write */
	sim_disk_complete_all(&disk); /* the flush */
	size_t len;
	const uint8_t *p = reply(&len, NULL);
	CHECK_EQ(op_of(p), OP_ACK);
	CHECK_EQ(block_of(p), 9); /* the final ACK, after the flush */
	CHECK(disk.flushes >= 1);
	for (int b = 0; b < 8; b++)
		CHECK(!memcmp(disk.data + b * 8192, blocks[b], 8192));
	CHECK(!memcmp(disk.data + 8 * 8192, blocks[8], 100));
	CHECK(all_free());
}

/* Bug 3: the server's timeout ended a session whose handler was still
 * waiting for its disk. Now a session waiting for its disk does not time
 * out: the final ACK of a write waits for the flush, however long. */
static void test_no_timeout_while_the_disk_works(void)
{
	setup();
	static uint8_t block[512];
	uint8_t old = disk.data[512 + 10];
	uint16_t port = start(OP_WRQ, 512);
	memset(block, 0x42, sizeof block);
	data(port, 1, block, sizeof block);
	data(port, 2, block, 10);      /* the last block: a partial sector */
	for (int i = 0; i < 20; i++) { /* 20 s: far past 5 retries of a 1 s timeout */
		fake_now += SEC_NS;
		poll_run_once();
	}
	learn_peer(peer_ip);
	CHECK(!all_free());
	CHECK_EQ(tftpd_stats.retransmits, 0);
	for (int i = 0; i < 4 && disk.npending; i++)
		sim_disk_complete_all(&disk);
	size_t len;
	const uint8_t *p = reply(&len, NULL);
	CHECK_EQ(op_of(p), OP_ACK);
	CHECK_EQ(block_of(p), 2);
	CHECK(all_free());
	CHECK_EQ(disk.data[512 + 9], 0x42);
	CHECK_EQ(disk.data[512 + 10], old); /* the sector's old bytes after the client's */
}

/* A client that goes silent: the session times out, and is freed only when
 * the chunks it read ahead have come back. */
static void test_silent_client_times_out(void)
{
	setup();
	uint16_t port = start(OP_RRQ, 512);
	ack(port, 0);
	sim_disk_complete(&disk, 0, 0); /* DATA 1 goes, then the client says nothing more */
	for (int i = 0; i < 10; i++) {
		fake_now += 2 * SEC_NS;
		poll_run_once();
	}
	CHECK_EQ(tftpd_stats.retransmits, 5);
	size_t len;
	CHECK_EQ(op_of(reply(&len, NULL)), OP_ERROR);
	CHECK(!all_free()); /* its read-ahead is still with the disk */
	sim_disk_complete_all(&disk);
	CHECK(all_free());
}

/* A request from a forged source: nobody answers the first DATA, which is
 * sent again once, not five times; then the session ends. */
static void test_spoofed_request_draws_two_packets(void)
{
	setup();
	uint16_t port = start(OP_RRQ, 512);
	(void)port;
	sim_disk_complete_all(&disk);
	int packets = 0;
	for (int i = 0; i < 20; i++) {
		int before = ncap;
		fake_now += SEC_NS;
		poll_run_once();
		learn_peer(peer_ip);
		for (int k = before; k < ncap; k++)
			packets += cap_ip(k)->proto == IP_PROTO_UDP;
	}
	CHECK_EQ(tftpd_stats.retransmits, 1);
	CHECK_EQ(packets, 2); /* the retransmitted OACK, and the ERROR that ends it */
	CHECK(all_free());
}

/* RFC 2349 lets a client ask for 255 s; the server leaves out what it does
 * not take, and retransmits on its own 1 s. */
static void test_timeout_option_capped(void)
{
	setup();
	char req[64];
	int n = snprintf(req + 2, sizeof req - 2, "disk%coctet%ctimeout%c255%cblksize%c512", 0, 0, 0, 0, 0);
	req[0] = 0, req[1] = OP_RRQ;
	client_send(69, req, (size_t)n + 3);
	size_t len;
	const uint8_t *p = reply(&len, NULL);
	CHECK_EQ(op_of(p), OP_OACK);
	CHECK(p && !memmem(p, len, "timeout", 7));
	CHECK(p && memmem(p, len, "blksize", 7));
	fake_now += 1100 * MS_NS;
	poll_run_once();
	CHECK_EQ(tftpd_stats.retransmits, 1); /* after 1 s, not 255 */
	for (int i = 0; i < 5; i++) {
		fake_now += 2 * SEC_NS;
		poll_run_once();
	}
	sim_disk_complete_all(&disk);
	CHECK(all_free());
}

/* One address holds at most two sessions: a third is refused with an ERROR,
 * and another client still gets one. */
static void test_sessions_per_client(void)
{
	setup();
	start(OP_RRQ, 512);
	start(OP_RRQ, 512);
	char req[32];
	int n = snprintf(req + 2, sizeof req - 2, "disk%coctet", 0);
	req[0] = 0, req[1] = OP_RRQ;
	client_send(69, req, (size_t)n + 3);
	size_t len;
	const uint8_t *p = reply(&len, NULL);
	CHECK_EQ(op_of(p), OP_ERROR);
	CHECK_EQ(tftpd_stats.refused, 1);
	int used = 0;
	for (int i = 0; i < MAX_SESSIONS; i++)
		used += sessions[i].state != S_FREE;
	CHECK_EQ(used, PER_CLIENT);
	for (int i = 0; i < 10; i++) { /* the client goes: its sessions time out */
		fake_now += 2 * SEC_NS;
		poll_run_once();
	}
	sim_disk_complete_all(&disk);
	CHECK(all_free());
}

/* A client that keeps a read alive forever, one ACK at a time, is cut off. */
static void test_session_lifetime_bounded(void)
{
	setup();
	uint16_t port = start(OP_RRQ, 8);
	ack(port, 0);
	int b = 0;
	while (!all_free() && b < 5000) {
		sim_disk_complete_all(&disk);
		fake_now += 900 * MS_NS; /* just inside the timeout, every time */
		poll_run_once();
		learn_peer(peer_ip);
		ncap = 0;
		ack(port, (uint16_t)++b);
	}
	sim_disk_complete_all(&disk);
	CHECK(all_free());
	CHECK(b > 1900 && b < 2100); /* 30 minutes of 0.9 s */
}

/* A whole read, the disk completing in reverse order. */
static void test_read_out_of_order(void)
{
	setup();
	unsigned blksize = 1468, blocks = SECTORS * 512 / blksize + 1;
	uint16_t port = start(OP_RRQ, blksize);
	ack(port, 0);
	for (unsigned b = 1; b <= blocks; b++) {
		size_t len;
		const uint8_t *p = reply(&len, NULL);
		while (block_of(p) != (int)(b & 0xffff) && disk.npending) {
			sim_disk_complete(&disk, disk.npending - 1, 0); /* newest first */
			p = reply(&len, NULL);
		}
		CHECK_EQ(block_of(p), (int)b);
		size_t want = b * blksize <= SECTORS * 512 ? blksize : SECTORS * 512 - (b - 1) * blksize;
		CHECK_EQ(len, 4 + want);
		CHECK(p && !memcmp(p + 4, disk.data + (size_t)(b - 1) * blksize, want));
		ncap = 0;
		ack(port, (uint16_t)b);
	}
	sim_disk_complete_all(&disk);
	CHECK_EQ(tftpd_stats.reads, 1);
	CHECK(all_free());
}

/* The rule itself: waiting inside a completion panics, naming the caller. */
static bool waited;
static bool never(void *arg)
{
	(void)arg;
	return false;
}
static bool tick(void *arg) /* the clock moves while it waits */
{
	(void)arg;
	fake_now += MS_NS;
	return false;
}
static int waiting_poller(void *arg)
{
	(void)arg;
	kwait(never, NULL, 1);
	waited = true;
	return 0;
}

static void test_kwait_in_a_completion_panics(void)
{
	int fds[2];
	char out[4096] = { 0 };
	fflush(stdout);
	if (pipe(fds))
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		setvbuf(stdout, NULL, _IONBF, 0);
		poll_register(waiting_poller, NULL, "waiter");
		poll_run_once();
		_exit(waited ? 0 : 3); /* not reached: panic aborts */
	}
	close(fds[1]);
	for (size_t n = 0, r; n < sizeof out - 1 &&
			      (r = (size_t)read(fds[0], out + n, sizeof out - 1 - n)) > 0 && r != (size_t)-1;
	     n += r)
		;
	close(fds[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	CHECK(strstr(out, "kwait called by") && strstr(out, "inside a completion (waiter)"));
	CHECK(!kwait(tick, NULL, 5 * MS_NS)); /* at the top level it may wait, and times out */
}

int main(void)
{
	RUN(test_read_aborted_with_chunks_in_flight);
	RUN(test_write_aborted_with_chunks_in_flight);
	RUN(test_reassembled_data_outlives_the_timer);
	RUN(test_no_timeout_while_the_disk_works);
	RUN(test_silent_client_times_out);
	RUN(test_spoofed_request_draws_two_packets);
	RUN(test_timeout_option_capped);
	RUN(test_sessions_per_client);
	RUN(test_session_lifetime_bounded);
	RUN(test_read_out_of_order);
	RUN(test_kwait_in_a_completion_panics);
	UNIT_DONE();
}
