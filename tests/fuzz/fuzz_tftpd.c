/* fuzz_tftpd.c - the TFTP server fed hostile packets on port 69 and on its transfer ports, over a RAM
 * disk that completes its requests later, in an order the input chooses, with timer ticks between.
 * The server runs under the real main loop's rule (kernel/poll.c): waiting inside a completion aborts.
 * ASan sees overflows between objects, not inside one: a session overrunning its own packet buffer
 * into its own chunks is caught by the MTU-9000 QEMU test. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL_LOG_H /* quiet logging on the host */
static int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static int kprintf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf(__VA_ARGS__)
#define log_err(...)  kprintf(__VA_ARGS__)
#define panic(...)    (kprintf(__VA_ARGS__), abort())

#include "apps/tftpd.c"
#include "block/blkdev.c"
#include "kernel/poll.c"
#include "lib/errname.c" /* the power-off flush names its errors */
#include "tests/sim/sim_disk.c"
#include "tests/sim/sim_dma.c"

/* -- the rest of the kernel ----------------------------------------------------- */
static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns; }
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr, (void)offset;
	return NULL;
}
void power_register_flush(int (*fn)(void *), void *arg) { (void)fn, (void)arg; }

static struct sim_disk disk;
#define DISK_SECTORS 256

/* -- UDP: ports bound to callbacks, and what the server sends ------------------- */
static struct netif nif = { .name = "net0", .mtu = 9000 }; /* jumbo: the largest blocks */
static struct {
	uint16_t port;
	udp_recv_fn fn;
	void *arg;
} ports[16];
int udp_bind(uint16_t port, udp_recv_fn fn, void *arg)
{
	for (int i = 0; i < 16; i++)
		if (ports[i].fn && ports[i].port == port)
			abort(); /* the server binds a port twice */
	for (int i = 0; i < 16; i++)
		if (!ports[i].fn) {
			ports[i].port = port, ports[i].fn = fn, ports[i].arg = arg;
			return 0;
		}
	return -ENOBUFS;
}
void udp_unbind(uint16_t port)
{
	for (int i = 0; i < 16; i++)
		if (ports[i].fn && ports[i].port == port)
			ports[i].fn = NULL;
}
static size_t sent_bytes;
int udp_send(struct netif *n, uint16_t sport, uint32_t dst, uint16_t dport, const void *data, size_t len)
{
	(void)n, (void)sport, (void)dst, (void)dport;
	const volatile uint8_t *p = data;
	for (size_t i = 0; i < len; i++) /* every byte of what it sends is readable */
		sent_bytes += p[i];
	return 0;
}

/* A datagram arrives as virtio-net's poller would hand it over: as a completion. */
static void deliver(int slot, uint16_t sport, const uint8_t *data, size_t len)
{
	uint8_t *pkt = malloc(len ? len : 1); /* its own allocation: ASan sees over-reads and later reads */
	memcpy(pkt, data, len);
	struct udp_rx rx = { .nif = &nif,
			     .src = 0x0a000001,
			     .dst = 0x0a000002,
			     .sport = sport,
			     .dport = ports[slot].port,
			     .data = pkt,
			     .len = len };
	completion_enter();
	ports[slot].fn(&rx, ports[slot].arg);
	completion_leave();
	memset(pkt, 0xdd, len); /* the frame's buffer goes back to the device */
	free(pkt);
}

static bool all_free(void)
{
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].state != S_FREE)
			return false;
	return true;
}

/* Let everything finish: the disk completes, the clock runs, the client is gone. */
static void drain(void)
{
	for (int round = 0; round < 16 && !all_free(); round++) {
		sim_disk_complete_all(&disk);
		clock_ns += 300ull * 1000000000; /* past the largest timeout */
		poll_run_once();
	}
	sim_disk_complete_all(&disk);
	if (!all_free() || disk.npending)
		abort(); /* a session that never ends, or a request nobody takes back */
	for (int i = 0; i < 16; i++)
		if (ports[i].fn && ports[i].port != TFTP_PORT)
			abort(); /* a freed session kept its port */
}

static bool started;
static void setup(void)
{
	if (started)
		return;
	started = true;
	sim_dma_iommu = sim_dma_iommu_strict = true; /* no pool: buffers of exact size, for ASan */
	sim_disk_init(&disk, "blk0", DISK_SECTORS);
	blkdev_register(&disk.bd);
	if (tftpd_start())
		abort();
}

/* Input: a flags byte (bit 0: read-only disk; bits 1, 2: begin with a read
 * or a write request whose blksize is 8 * (1 + the next byte)), then events,
 * each a byte e and what it needs:
 *   e % 4 == 0: a packet: [port choice][length][bytes]; bit 7 of the port choice: another source port
 *   e % 4 == 1: complete pending request [k] (modulo how many), with an error if [k] & 0xe0 == 0xe0
 *   e % 4 == 2: the clock moves e / 4 * 100 ms, and the pollers run
 *   e % 4 == 3: every pending request completes */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	setup();
	disk.bd.info.ro = data[0] & 1;
	if (data[0] & 6) { /* start with a well-formed request, so the fuzzer works on the transfer */
		char req[64];
		int n = snprintf(req + 2, sizeof req - 2, "disk%coctet%cblksize%c%u%ctsize%c0", 0, 0, 0,
				 8 + (size > 1 ? data[1] : 0) * 8, 0, 0);
		req[0] = 0, req[1] = data[0] & 2 ? OP_RRQ : OP_WRQ;
		deliver(0, 3000, (const uint8_t *)req, (size_t)n + 3);
	}
	size_t i = 1;
	while (i < size) {
		uint8_t e = data[i++];
		if (e % 4 == 0 && i + 2 <= size) {
			uint8_t which = data[i], len = data[i + 1];
			i += 2;
			if (len > size - i)
				len = (uint8_t)(size - i);
			int slot = which % 16;
			if (!ports[slot].fn)
				slot = 0;
			if (ports[slot].fn)
				deliver(slot, (uint16_t)(which & 0x80 ? 4000 : 3000), data + i, len);
			i += len;
		} else if (e % 4 == 1 && i < size) {
			uint8_t k = data[i++];
			if (disk.npending)
				sim_disk_complete(&disk, k % disk.npending, (k & 0xe0) == 0xe0 ? -EIO : 0);
		} else if (e % 4 == 2) {
			clock_ns += (uint64_t)(e / 4) * 100000000ull;
			poll_run_once();
		} else if (e % 4 == 3) {
			sim_disk_complete_all(&disk);
		}
	}
	drain();
	return 0;
}
