/* fuzz_tftpd.c - the TFTP server fed hostile packets on port 69 and on its transfer ports, over a RAM
 * disk, with time passing between them. ASan sees overflows between objects, not inside one: a
 * session overrunning its own packet buffer into its own chunks is caught by the MTU-9000 QEMU test. */
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

#include "apps/tftpd.c"

/* -- a RAM disk behind the block API, completing at once ----------------------- */
#define DISK_SECTORS 256
static uint8_t disk[DISK_SECTORS * 512];
static struct blk_info disk_info = {
	.capacity = DISK_SECTORS, .block_size = 512, .flush = true, .queues = 1
};
static struct virtio_dev fake_vd;

struct virtio_dev *blk_nth(int n) { return n == 0 ? &fake_vd : NULL; }
int blk_get_info(struct virtio_dev *vd, struct blk_info *info)
{
	(void)vd;
	*info = disk_info;
	return 0;
}
static int do_io(struct blk_req *r)
{
	if (r->op == BLK_FLUSH)
		return 0;
	if (!r->count || r->sector > DISK_SECTORS || r->count > DISK_SECTORS - r->sector)
		return -EINVAL;
	if (r->op == BLK_READ)
		memcpy(r->buf, disk + r->sector * 512, (size_t)r->count * 512);
	else if (r->op == BLK_WRITE)
		memcpy(disk + r->sector * 512, r->buf, (size_t)r->count * 512);
	return 0;
}
int blk_submit(struct virtio_dev *vd, struct blk_req *r)
{
	(void)vd;
	int e = do_io(r);
	if (e == -EINVAL)
		return e;
	r->done(r, e);
	return 0;
}
/* The pool's buffers are the heap's here: exact sizes, so ASan sees every byte past one. */
void *blk_buf_alloc(struct virtio_dev *vd, size_t bytes)
{
	(void)vd;
	return malloc(bytes);
}
void blk_buf_free(struct virtio_dev *vd, void *p, size_t bytes)
{
	(void)vd, (void)bytes;
	free(p);
}
int blk_io(struct virtio_dev *vd, enum blk_op op, uint64_t sector, uint32_t count, void *buf)
{
	(void)vd;
	struct blk_req r = { .op = op, .sector = sector, .count = count, .buf = buf };
	return do_io(&r);
}

/* -- the rest of the kernel ----------------------------------------------------- */
static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns; }
void poll_kick(void) {}
static poll_fn poller;
void poll_register(poll_fn fn, void *arg, const char *name)
{
	(void)arg, (void)name;
	poller = fn;
}
bool kwait(bool (*done)(void *), void *arg, uint64_t timeout_ns)
{
	(void)timeout_ns;
	return done(arg); /* everything completes at once here */
}

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

static void reset(void)
{
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].used) {
			sessions[i].finishing = true;
			end_session(&sessions[i]);
		}
	memset(ports, 0, sizeof ports);
	if (tftpd_start())
		abort();
}

/* Input: a flags byte (bit 0: read-only disk; bits 1, 2: begin with a read
 * or a write request whose blksize is 8 * (1 + the next byte)), then packets of
 * [port choice][time step in 100 ms][length][bytes]. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	disk_info.ro = data[0] & 1;
	reset();
	if (data[0] & 6) { /* start with a well-formed request, so the fuzzer works on the transfer */
		char req[64];
		int n = snprintf(req + 2, sizeof req - 2, "disk%coctet%cblksize%c%u%ctsize%c0", 0, 0, 0,
				 8 + (size > 1 ? data[1] : 0) * 8, 0, 0);
		req[0] = 0, req[1] = data[0] & 2 ? OP_RRQ : OP_WRQ;
		struct udp_rx rx = { .nif = &nif,
				     .src = 0x0a000001,
				     .dst = 0x0a000002,
				     .sport = 3000,
				     .dport = 69,
				     .data = req,
				     .len = (size_t)n + 3 };
		ports[0].fn(&rx, ports[0].arg);
	}
	size_t i = 1;
	while (i + 3 <= size) {
		uint8_t which = data[i], step = data[i + 1], len = data[i + 2];
		i += 3;
		if (len > size - i)
			len = (uint8_t)(size - i);
		uint8_t *pkt = malloc(len ? len : 1); /* its own allocation: ASan sees over-reads */
		memcpy(pkt, data + i, len);
		i += len;
		int slot = which % 16;
		if (!ports[slot].fn)
			slot = 0;
		struct udp_rx rx = { .nif = &nif,
				     .src = 0x0a000001,
				     .dst = 0x0a000002,
				     .sport = (uint16_t)(which & 0x80 ? 4000 : 3000),
				     .dport = ports[slot].port,
				     .data = pkt,
				     .len = len };
		if (ports[slot].fn)
			ports[slot].fn(&rx, ports[slot].arg);
		free(pkt);
		clock_ns += (uint64_t)step * 100000000ull;
		poller(NULL);
	}
	return 0;
}
