/* bench.c - `bench blk`: qd requests really in flight, IOPS, MB/s and latency from the TSC. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "block/blkdev.h"
#include "drivers/inspect.h"
#include "kernel/acct.h"
#include "kernel/io.h"
#include "kernel/poll.h"
#include "kernel/prof.h"
#include "kernel/time.h"
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QD      1024
#define MAX_SAMPLES (1u << 22)

enum pattern { RANDREAD, RANDWRITE, READ, WRITE };

struct bench {
	struct blkdev *bd;
	enum pattern rw;
	uint32_t sectors; /* per request */
	uint64_t blocks;  /* request-sized slots on the disk */
	uint64_t next_seq, rng, deadline, ops, errors;
	uint32_t *lat_ns;
	uint32_t nlat;
	unsigned inflight;
	int first_error;
	bool stopping;
};

struct slot {
	struct blk_req req;
	struct bench *b;
	uint64_t start;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int issue(struct slot *s, uint64_t now);

static void done(struct blk_req *r, int status)
{
	struct slot *s = (struct slot *)r;
	struct bench *b = s->b;
	uint64_t t = now_ns();
	b->inflight--;
	if (status) {
		b->errors++;
		if (!b->first_error)
			b->first_error = status;
	} else {
		b->ops++;
		if (b->nlat < MAX_SAMPLES) {
			uint64_t l = t - s->start;
			b->lat_ns[b->nlat++] = l > UINT32_MAX ? UINT32_MAX : (uint32_t)l;
		}
	}
	if (!b->stopping && t < b->deadline && !b->first_error)
		issue(s, t); /* keep the queue depth: the slot goes straight back */
}

/* now: the clock just read (by the completion that reissues the slot): one
 * TSC read per request, which under TCG is a call out of translated code */
static int issue(struct slot *s, uint64_t now)
{
	struct bench *b = s->b;
	uint64_t block = b->rw == RANDREAD || b->rw == RANDWRITE ? xorshift(&b->rng) % b->blocks
								 : b->next_seq++ % b->blocks;
	s->req.op = b->rw == RANDREAD || b->rw == READ ? BLK_READ : BLK_WRITE;
	s->req.sector = block * b->sectors;
	s->req.count = b->sectors;
	s->start = now;
	b->inflight++;
	int r = blk_submit(b->bd, &s->req);
	if (r) {
		b->inflight--;
		b->first_error = r;
	}
	return r;
}

static bool all_back(void *arg) { return ((struct bench *)arg)->inflight == 0; }

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_us(const struct bench *b, double p)
{
	if (!b->nlat)
		return 0;
	uint32_t i = (uint32_t)(p * (b->nlat - 1));
	return b->lat_ns[i] / 1000.0;
}

static void free_slots(struct bench *b, struct slot *slots, uint64_t n, uint64_t bs)
{
	for (uint64_t i = 0; slots && i < n; i++)
		if (slots[i].req.buf)
			blk_buf_free(b->bd, slots[i].req.buf, bs);
	free(slots);
	free(b->lat_ns);
}

static enum io_mode mode_of(const char *name);

/* What the TSC accounting (kernel/acct.h) said over a run: the queue's
 * buckets and the CPU's, and the TSC itself. */
struct acct_snap {
	struct vq_stats q;
	struct acct_cpu cpu;
	uint64_t tsc;
};

static void acct_snap(struct virtio_dev *vd, unsigned queue, struct acct_snap *s)
{
	s->q = (struct vq_stats){ 0 };
	if (vd)
		vdev_queue_stats(vd, queue, &s->q);
	s->cpu = acct_cpu;
	s->tsc = rdtsc();
}

/* Ticks per request on each path, each tick counted once (kernel/acct.h):
 * own is ringside's code (submit, completion, interrupt handlers, the loop
 * and everything else), device the doorbell exits and the sleep in hlt
 * while the device works. */
static unsigned long long per_req(uint64_t ticks, uint64_t ops) { return (ticks + ops / 2) / ops; }

static void acct_print(const struct acct_snap *a, const struct acct_snap *b, uint64_t ops)
{
	uint64_t n = ops ? ops : 1;
	unsigned long long sub = per_req(b->q.submit_tsc - a->q.submit_tsc, n),
			   comp = per_req(b->q.complete_tsc - a->q.complete_tsc, n),
			   noti = per_req(b->q.notify_tsc - a->q.notify_tsc, n),
			   irq = per_req(b->cpu.irq - a->cpu.irq, n),
			   idle = per_req(b->cpu.idle - a->cpu.idle, n),
			   other = per_req(b->cpu.other - a->cpu.other, n);
	printf("acct: tsc per request: wall=%llu submit=%llu complete=%llu notify=%llu irq=%llu idle=%llu "
	       "other=%llu own=%llu device=%llu tsc_khz=%llu\n",
	       per_req(b->tsc - a->tsc, n), sub, comp, noti, irq, idle, other, sub + comp + irq + other,
	       noti + idle, (unsigned long long)(tsc_hz() / 1000));
}

/* `bench blk DEV floor ...`: the least a driver can do per request on the
 * same queue, with the same buffers (drivers/inspect.h, vdev_blk_floor). */
static int bench_floor(struct bench *b, struct virtio_dev *vd, struct slot *slots, uint64_t qd, uint64_t bs,
		       uint64_t secs, unsigned queue)
{
	void **bufs = calloc(qd, sizeof *bufs);
	if (!bufs)
		return -ENOMEM;
	for (uint64_t i = 0; i < qd; i++)
		bufs[i] = slots[i].req.buf;
	struct vdev_floor f = { .queue = queue,
				.qd = (unsigned)qd,
				.bytes = (uint32_t)bs,
				.write = b->rw == RANDWRITE || b->rw == WRITE,
				.ns = secs * 1000000000ull,
				.bufs = bufs };
	int r = vd ? vdev_blk_floor(vd, &f) : -ENODEV;
	free(bufs);
	b->ops = f.completions;
	double s = f.elapsed_ns / 1e9;
	if (!r)
		printf("floor: iops=%llu mbps=%.1f qd=%llu mode=%s queue=%u\n",
		       (unsigned long long)(b->ops / s), b->ops * bs / s / 1e6, (unsigned long long)qd,
		       io_mode_name(mode_of(b->bd->name)), queue);
	return r;
}

/* The mode of the device under a block device of the same name. */
static enum io_mode mode_of(const char *name)
{
	struct vdev_info in = { .mode = kconfig.mode };
	struct virtio_dev *vd = vdev_find(name);
	if (vd)
		vdev_info(vd, &in);
	return in.mode;
}

static int bench_blk(int argc, char **argv)
{
	static const char *const names[] = { "randread", "randwrite", "read", "write" };
	uint64_t bs = 4096, qd = 1, secs = 5, queue = 0;
	bool pool = true, acct = false, prof = false, floor = argc > 3 && !strcmp(argv[3], "floor");
	struct bench b = { .rw = RANDREAD, .rng = 0x9e3779b97f4a7c15ull };
	if (argc < 3)
		return shell_usage(
			"bench blk DEV [floor] [rw=randread|randwrite|read|write] [bs=BYTES] [qd=N] "
			"[secs=S] [queue=Q] [pool=on|off] [acct=on|off]");
	b.bd = blkdev_find(argv[2]);
	if (!b.bd)
		return shell_err(argv[2], -ENODEV, "no such block device");
	const struct blk_info in = b.bd->info;
	for (int i = 3 + floor; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		uint64_t *v = NULL;
		if (!eq)
			return shell_usage("bench: '%s' is not key=value", argv[i]);
		*eq = 0;
		if (!strcmp(argv[i], "rw")) {
			int k;
			for (k = 0; k < 4 && strcmp(eq + 1, names[k]); k++)
				;
			if (k == 4)
				return shell_usage("bench: rw=randread|randwrite|read|write");
			b.rw = (enum pattern)k;
			continue;
		}
		if (!strcmp(argv[i], "pool") || !strcmp(argv[i], "acct") || !strcmp(argv[i], "prof")) {
			/* pool: buffers from the driver's pre-mapped pool, or the heap;
			 * acct: the TSC accounting of kernel/acct.h, on for the run;
			 * prof: the sampling profiler of kernel/prof.h, every 50 us */
			if (strcmp(eq + 1, "on") && strcmp(eq + 1, "off"))
				return shell_usage("bench: %s=on|off", argv[i]);
			*(!strcmp(argv[i], "pool")   ? &pool
			  : !strcmp(argv[i], "acct") ? &acct
						     : &prof) = !strcmp(eq + 1, "on");
			continue;
		}
		if (!strcmp(argv[i], "bs"))
			v = &bs;
		else if (!strcmp(argv[i], "qd"))
			v = &qd;
		else if (!strcmp(argv[i], "secs"))
			v = &secs;
		else if (!strcmp(argv[i], "queue"))
			v = &queue;
		if (!v || parse_u64(eq + 1, v))
			return shell_usage("bench: bad option '%s=%s'", argv[i], eq + 1);
	}
	if (bs == 0 || bs % in.block_size || bs > (1u << 20) || bs > in.capacity * 512)
		return shell_usage("bench: bs must be a multiple of %u bytes, at most 1 MiB and the disk",
				   in.block_size);
	if (qd == 0 || qd > MAX_QD || secs == 0 || secs > 3600 || queue >= in.queues)
		return shell_usage("bench: qd 1..%d, secs 1..3600, queue below %u", MAX_QD, in.queues);
	if ((b.rw == RANDWRITE || b.rw == WRITE) && in.ro)
		return shell_err(argv[2], -EROFS, "device is read-only");

	b.sectors = (uint32_t)(bs / 512);
	b.blocks = in.capacity / b.sectors;
	struct slot *slots = calloc(qd, sizeof *slots);
	b.lat_ns = malloc(MAX_SAMPLES * sizeof *b.lat_ns);
	uint64_t pooled = 0;
	bool ok = slots && b.lat_ns;
	for (uint64_t i = 0; ok && i < qd; i++) {
		void *buf = pool ? blk_buf_alloc(b.bd, bs) : memalign(4096, bs);
		slots[i] = (struct slot){ .req = { .buf = buf, .queue = (unsigned)queue, .done = done },
					  .b = &b };
		if ((ok = buf != NULL)) {
			memset(buf, 0xa5, bs);
			pooled += blk_buf_pooled(b.bd, buf);
		}
	}
	if (!ok) {
		free_slots(&b, slots, qd, bs);
		return shell_err(argv[2], -ENOMEM, "no memory for %llu buffers", (unsigned long long)qd);
	}
	struct virtio_dev *vd = vdev_find(b.bd->name);
	struct acct_snap a0, a1;
	acct_snap(vd, (unsigned)queue, &a0);
	if (acct)
		acct_set(true);
	if (prof && prof_begin(50))
		prof = false;
	if (floor) {
		uint64_t f0 = now_ns();
		int r = bench_floor(&b, vd, slots, qd, bs, secs, (unsigned)queue);
		uint64_t f1 = now_ns();
		if (prof)
			prof_stop();
		if (acct)
			acct_set(false);
		acct_snap(vd, (unsigned)queue, &a1);
		if (!r && acct)
			acct_print(&a0, &a1, b.ops);
		if (prof && !r)
			prof_report(15, b.ops, f1 - f0);
		free_slots(&b, slots, qd, bs);
		return r ? shell_err(argv[2], r, "the floor benchmark failed") : 0;
	}
	uint64_t t0 = now_ns();
	b.deadline = t0 + secs * 1000000000ull;
	for (uint64_t i = 0; i < qd; i++)
		if (issue(&slots[i], now_ns()))
			break;
	kwait(all_back, &b, 0);
	uint64_t elapsed = now_ns() - t0;
	if (prof)
		prof_stop();
	if (acct)
		acct_set(false);
	acct_snap(vd, (unsigned)queue, &a1);
	qsort(b.lat_ns, b.nlat, sizeof *b.lat_ns, cmp_u32);
	double s = elapsed / 1e9;
	printf("%s bs=%llu qd=%llu buffers=%s: %llu requests in %.2f s, %llu errors\n", names[b.rw],
	       (unsigned long long)bs, (unsigned long long)qd,
	       pooled == qd ? "pool"
	       : pooled     ? "pool+heap"
			    : "heap",
	       (unsigned long long)b.ops, s, (unsigned long long)b.errors);
	printf("iops=%llu mbps=%.1f p50_us=%.1f p99_us=%.1f max_us=%.1f qd=%llu mode=%s queue=%llu\n",
	       (unsigned long long)(b.ops / s), b.ops * bs / s / 1e6, pct_us(&b, 0.50), pct_us(&b, 0.99),
	       pct_us(&b, 1.0), (unsigned long long)qd, io_mode_name(mode_of(b.bd->name)),
	       (unsigned long long)queue);
	if (acct)
		acct_print(&a0, &a1, b.ops);
	if (prof)
		prof_report(15, b.ops, elapsed);
	int err = b.first_error;
	free_slots(&b, slots, qd, bs);
	if (err)
		return shell_err(argv[2], err, "requests failed during the benchmark");
	return 0;
}

/* `bench rng DEV [count=N]`: N requests of 16 bytes, one at a time; what the
 * queue counters did meanwhile shows what the mode and EVENT_IDX change. */
static int bench_rng(int argc, char **argv)
{
	uint64_t count = 10000;
	uint8_t buf[16];
	if (argc < 3 || argc > 4 ||
	    (argc == 4 && (strncmp(argv[3], "count=", 6) || parse_u64(argv[3] + 6, &count))) || count == 0 ||
	    count > 10000000)
		return shell_usage("bench rng DEV [count=N], N from 1 to 10000000");
	struct virtio_dev *vd = vdev_find(argv[2]);
	struct vq_stats before, after;
	struct vdev_info in;
	if (vd)
		vdev_info(vd, &in);
	if (!vd || strcmp(in.type, "rng") || vdev_queue_stats(vd, 0, &before))
		return shell_err(argv[2], -ENODEV, "no such virtio-rng device");
	uint64_t t0 = now_ns();
	for (uint64_t i = 0; i < count; i++) {
		int r = vdev_rng_read(vd, buf, sizeof buf);
		if (r <= 0)
			return shell_err(argv[2], r ? r : -EIO, "request %llu failed", (unsigned long long)i);
	}
	double s = (now_ns() - t0) / 1e9;
	vdev_queue_stats(vd, 0, &after);
	const struct vq_stats *a = &after;
	printf("requests=%llu secs=%.2f per_sec=%.0f kicks=%llu kicks_suppressed=%llu irqs=%llu polls=%llu "
	       "empty_polls=%llu mode=%s\n",
	       (unsigned long long)count, s, count / s, (unsigned long long)(a->kicks - before.kicks),
	       (unsigned long long)(a->kicks_suppressed - before.kicks_suppressed),
	       (unsigned long long)(a->irqs - before.irqs), (unsigned long long)(a->polls - before.polls),
	       (unsigned long long)(a->empty_polls - before.empty_polls), io_mode_name(in.mode));
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "blk"))
		return bench_blk(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "rng"))
		return bench_rng(argc, argv);
	return shell_usage("bench blk DEV [floor] [rw=...] [bs=BYTES] [qd=N] [secs=S] [queue=Q] [acct=on] | "
			   "bench rng DEV [count=N]");
}
