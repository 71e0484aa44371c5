/* test_virtqueue.c - the virtqueue against a simulated device: both layouts, suppression, and a misbehaving device. */
#include "unit.h"

#include "drivers/virtio/virtqueue.c"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#define SEG_SPACE 64 /* bytes of the buffer each segment may use */

/* A queue, the device behind it, and one mapped buffer the segments come from. */
struct rig {
	struct sim_dev sim;
	struct virtqueue *vq;
	unsigned char *buf;
	dma_addr_t h;
	size_t len;
};

static const unsigned layouts[] = { 0,
				    VQ_F_INDIRECT,
				    VQ_F_EVENT_IDX,
				    VQ_F_PACKED,
				    VQ_F_PACKED | VQ_F_INDIRECT,
				    VQ_F_PACKED | VQ_F_EVENT_IDX };
#define NLAYOUTS (sizeof layouts / sizeof layouts[0])

static bool rig_open(struct rig *r, unsigned num, unsigned flags)
{
	memset(r, 0, sizeof *r);
	struct vq_config cfg = {
		.name = "test0", .index = 1, .num = num, .flags = flags, .notify = sim_notify, .priv = &r->sim
	};
	r->vq = vq_create(&cfg);
	if (!r->vq)
		return false;
	r->len = (size_t)num * SEG_SPACE * 2;
	r->buf = calloc(1, r->len);
	r->h = dma_map(NULL, r->buf, r->len, DMA_BIDIRECTIONAL);
	CHECK_EQ(sim_attach(&r->sim, r->vq, flags), 0);
	return true;
}

static void rig_close(struct rig *r)
{
	sim_detach(&r->sim);
	vq_destroy(r->vq);
	dma_unmap(NULL, r->h, r->len, DMA_BIDIRECTIONAL);
	free(r->buf);
	CHECK_EQ(sim_dma_live(), 0);
}

/* Segment k of a chain: its own slice of the buffer, lengths 1..SEG_SPACE. */
static struct vq_sg sg_at(struct rig *r, unsigned slice, unsigned k)
{
	return (struct vq_sg){ r->h + (dma_addr_t)slice * SEG_SPACE, 1 + (k * 7 + slice) % SEG_SPACE };
}

/* Post a chain of nout + nin segments starting at buffer slice first. */
static int post(struct rig *r, unsigned first, int nout, int nin, void *token, uint32_t *in_len)
{
	struct vq_sg out[nout + 1], in[nin + 1];
	uint32_t w = 0;
	for (int k = 0; k < nout; k++)
		out[k] = sg_at(r, first + k, k);
	for (int k = 0; k < nin; k++) {
		in[k] = sg_at(r, first + nout + k, nout + k);
		w += in[k].len;
	}
	if (in_len)
		*in_len = w;
	return vq_add(r->vq, out, nout, in, nin, token);
}

static void *tok(uintptr_t n) { return (void *)(n + 1); }

/* The device saw exactly the chain we posted. */
static void check_chain_seen(struct rig *r, const struct sim_chain *c, unsigned first, int nout, int nin)
{
	CHECK_EQ(c->nseg, nout + nin);
	for (int k = 0; k < nout + nin && (unsigned)k < c->nseg; k++) {
		struct vq_sg sg = sg_at(r, first + k, k);
		CHECK(c->seg[k].p == r->buf + (sg.addr - r->h));
		CHECK_EQ(c->seg[k].len, sg.len);
		CHECK_EQ(c->seg[k].write, k >= nout);
	}
}

/* ---- well-behaved device ---- */

static void test_every_chain_length(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		const unsigned num = 64;
		CHECK(rig_open(&r, num, layouts[l]));
		for (int n = 1; n <= (int)num; n++) {
			int nout = n / 2, nin = n - nout;
			uint32_t in_len;
			CHECK_EQ(post(&r, 0, nout, nin, tok(n), &in_len), 0);
			vq_kick(r.vq);
			if (sim_fetch(&r.sim) != 1) {
				printf("  layout %u length %d: %s\n", l, n, r.sim.err);
				CHECK(0);
				break;
			}
			CHECK_EQ(r.sim.pending[0].indirect, (layouts[l] & VQ_F_INDIRECT) && n > 1 && n <= 32);
			check_chain_seen(&r, &r.sim.pending[0], 0, nout, nin);
			sim_use(&r.sim, 0, in_len);
			uint32_t len = 0;
			CHECK(vq_get(r.vq, &len) == tok(n));
			CHECK_EQ(len, in_len);
			CHECK(vq_get(r.vq, &len) == NULL);
			CHECK_EQ(vq_num_free(r.vq), num);
		}
		CHECK_EQ(r.sim.err[0], 0);
		CHECK(!vq_broken(r.vq));
		CHECK_EQ(vq_stats(r.vq)->added, num);
		CHECK_EQ(vq_stats(r.vq)->used, num);
		CHECK_EQ(vq_stats(r.vq)->max_inflight, 1);
		rig_close(&r);
	}
}

/* 70000 round trips: split indices pass 65535, packed wrap counters flip
 * thousands of times, on a queue whose size is not a power of two. */
static void test_wraparound(void)
{
	static const unsigned cfgs[][2] = {
		{ 4, 0 }, { 4, VQ_F_EVENT_IDX }, { 3, VQ_F_PACKED }, { 5, VQ_F_PACKED | VQ_F_EVENT_IDX }
	};
	for (unsigned c = 0; c < 4; c++) {
		struct rig r;
		CHECK(rig_open(&r, cfgs[c][0], cfgs[c][1]));
		unsigned posted = 0, got = 0;
		for (unsigned i = 0; i < 70000 && !r.sim.err[0]; i++) {
			int nin = 1 + (int)(i % 2); /* chains of one and two descriptors */
			while (post(&r, 0, 0, nin, tok(posted), NULL) == 0)
				posted++;
			vq_kick(r.vq);
			sim_fetch(&r.sim);
			if (r.sim.npending)
				sim_use(&r.sim, 0, 1);
			void *t;
			while ((t = vq_get(r.vq, NULL)) != NULL)
				CHECK(t == tok(got++));
		}
		CHECK_EQ(r.sim.err[0], 0);
		CHECK(posted > 65536 / 2);
		CHECK(got + vq_size(r.vq) >= posted);
		CHECK(!vq_broken(r.vq));
		rig_close(&r);
	}
}

static void test_full_ring(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		const unsigned num = 8;
		CHECK(rig_open(&r, num, layouts[l]));
		bool ind = layouts[l] & VQ_F_INDIRECT;
		unsigned n = 0;
		while (post(&r, 0, 1, 2, tok(n), NULL) == 0)
			n++;
		CHECK_EQ(n,
			 ind ? num : num / 3); /* one descriptor each with indirect tables, three without */
		CHECK_EQ(post(&r, 0, 1, 2, tok(99), NULL), -ENOSPC);
		CHECK_EQ(vq_num_free(r.vq), ind ? 0 : num % 3);
		vq_kick(r.vq);
		CHECK_EQ(sim_fetch(&r.sim), (int)n);
		sim_use(&r.sim, 0, 0);
		CHECK(vq_get(r.vq, NULL) == tok(0));
		CHECK_EQ(post(&r, 0, 1, 2, tok(99), NULL), 0);
		CHECK_EQ(vq_stats(r.vq)->max_inflight, n);
		CHECK_EQ(r.sim.err[0], 0);
		rig_close(&r);
	}
}

static void test_out_of_order(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 16, layouts[l]));
		for (unsigned round = 0; round < 5; round++) {
			for (unsigned i = 0; i < 5; i++)
				CHECK_EQ(post(&r, i * 3, 1, 1 + (int)i % 2, tok(i), NULL), 0);
			vq_kick(r.vq);
			CHECK_EQ(sim_fetch(&r.sim), 5);
			/* use the third, then the last, then the rest from the first */
			static const unsigned pick[] = { 2, 3, 0, 0, 0 };
			static const unsigned expect[] = { 2, 4, 0, 1, 3 };
			for (unsigned i = 0; i < 5; i++) {
				sim_use(&r.sim, pick[i], 1);
				uint32_t len = 0;
				CHECK(vq_get(r.vq, &len) == tok(expect[i]));
				CHECK_EQ(len, 1);
			}
			CHECK_EQ(vq_num_free(r.vq), 16);
		}
		CHECK_EQ(r.sim.err[0], 0);
		CHECK(!vq_broken(r.vq));
		rig_close(&r);
	}
}

/* vq_used_ready counts exactly what vq_get will hand out, chains of any
 * length, across ring laps, capped by max. */
static void test_used_ready(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 16, layouts[l]));
		for (unsigned round = 0; round < 9; round++) {
			for (unsigned i = 0; i < 4; i++) /* 2..5 descriptors: packed slots skip by chain */
				CHECK_EQ(post(&r, i * 5, 1, 1 + (int)((i + round) % 4), tok(i), NULL), 0);
			vq_kick(r.vq);
			CHECK_EQ(sim_fetch(&r.sim), 4);
			CHECK_EQ(vq_used_ready(r.vq, 64), 0);
			for (unsigned i = 0; i < 3; i++)
				sim_use(&r.sim, 0, 1);
			CHECK_EQ(vq_used_ready(r.vq, 64), 3);
			CHECK_EQ(vq_used_ready(r.vq, 2), 2);
			CHECK(vq_get(r.vq, NULL) == tok(0));
			CHECK_EQ(vq_used_ready(r.vq, 64), 2);
			sim_use(&r.sim, 0, 1);
			CHECK_EQ(vq_used_ready(r.vq, 64), 3);
			for (unsigned i = 1; i < 4; i++)
				CHECK(vq_get(r.vq, NULL) == tok(i));
			CHECK_EQ(vq_used_ready(r.vq, 64), 0);
		}
		CHECK_EQ(r.sim.err[0], 0);
		CHECK(!vq_broken(r.vq));
		rig_close(&r);
	}
}

/* A device that wants no kicks gets none; kicks_suppressed counts them. */
static void test_kick_suppression_flags(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 8, layouts[l]));
		CHECK_EQ(post(&r, 0, 1, 0, tok(0), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(r.sim.kicks, 1);
		sim_fetch(&r.sim);
		sim_want_kicks(&r.sim, false);
		CHECK_EQ(post(&r, 0, 1, 0, tok(1), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(r.sim.kicks, 1);
		CHECK_EQ(vq_stats(r.vq)->kicks_suppressed, 1);
		sim_want_kicks(&r.sim, true);
		sim_fetch(&r.sim); /* a device turning kicks back on looks at the ring again */
		CHECK_EQ(post(&r, 0, 1, 0, tok(2), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(r.sim.kicks, 2);
		CHECK_EQ(vq_stats(r.vq)->kicks, 2);
		vq_kick(r.vq); /* nothing new: no kick, nothing counted */
		CHECK_EQ(r.sim.kicks, 2);
		CHECK_EQ(vq_stats(r.vq)->kicks_suppressed, 1);
		rig_close(&r);
	}
}

/* EVENT_IDX: the device asks for a kick at the next buffer after the ones it
 * took, so buffers added while it has not looked cost no kicks. */
static void test_kick_event_idx(void)
{
	static const unsigned cfgs[] = { VQ_F_EVENT_IDX, VQ_F_PACKED | VQ_F_EVENT_IDX };
	for (unsigned c = 0; c < 2; c++) {
		struct rig r;
		CHECK(rig_open(&r, (cfgs[c] & VQ_F_PACKED) ? 7 : 8,
			       cfgs[c])); /* 7: the wrap moves every round */
		sim_want_kicks(&r.sim, true);
		for (unsigned round = 0; round < 20; round++) {
			unsigned before = r.sim.kicks;
			for (unsigned i = 0; i < 3; i++) { /* chains of 3, 2, 1 descriptors */
				CHECK_EQ(post(&r, i * 3, 1, 2 - (int)i, tok(i), NULL), 0);
				vq_kick(r.vq);
			}
			CHECK_EQ(r.sim.kicks, before + 1); /* the first only */
			CHECK_EQ(sim_fetch(&r.sim), 3);
			while (r.sim.npending)
				sim_use(&r.sim, 0, 0);
			while (vq_get(r.vq, NULL))
				;
		}
		CHECK_EQ(vq_stats(r.vq)->kicks, 20);
		CHECK_EQ(vq_stats(r.vq)->kicks_suppressed, 40);
		CHECK_EQ(r.sim.err[0], 0);
		rig_close(&r);
	}
}

/* Deferred kicks: buffers added while deferring are published at once but
 * notified by the flush, with one kick for all of them, and only if the
 * device wants one; after the flush vq_kick notifies again. */
static void test_deferred_kicks(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 8, layouts[l]));
		vq_defer_kicks(r.vq);
		for (unsigned i = 0; i < 3; i++) {
			CHECK_EQ(post(&r, i, 1, 0, tok(i), NULL), 0);
			vq_kick(r.vq);
		}
		CHECK_EQ(r.sim.kicks, 0);
		CHECK_EQ(vq_stats(r.vq)->kicks + vq_stats(r.vq)->kicks_suppressed, 0);
		vq_flush_kicks(r.vq);
		CHECK_EQ(r.sim.kicks, 1);
		CHECK_EQ(vq_stats(r.vq)->kicks, 1);
		CHECK_EQ(sim_fetch(&r.sim), 3); /* all three behind the one kick */
		vq_flush_kicks(r.vq);           /* nothing new: no kick, nothing counted */
		CHECK_EQ(r.sim.kicks, 1);
		CHECK_EQ(vq_stats(r.vq)->kicks_suppressed, 0);

		sim_want_kicks(&r.sim, true); /* the flush ended the deferral */
		CHECK_EQ(post(&r, 3, 1, 0, tok(3), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(r.sim.kicks, 2);
		CHECK_EQ(sim_fetch(&r.sim), 1);

		sim_want_kicks(&r.sim, false); /* a device that wants none gets none from a flush */
		vq_defer_kicks(r.vq);
		for (unsigned i = 4; i < 6; i++) {
			CHECK_EQ(post(&r, i, 1, 0, tok(i), NULL), 0);
			vq_kick(r.vq);
		}
		vq_flush_kicks(r.vq);
		CHECK_EQ(r.sim.kicks, 2);
		CHECK_EQ(vq_stats(r.vq)->kicks_suppressed, 1); /* one decision for both */
		CHECK_EQ(sim_fetch(&r.sim), 2);
		CHECK_EQ(r.sim.err[0], 0);
		rig_close(&r);
	}
}

/* Interrupts: none while disabled; enable_cb reports buffers used meanwhile;
 * with EVENT_IDX one interrupt per enable, not one per buffer. */
static void test_interrupt_suppression(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bool ev = layouts[l] & VQ_F_EVENT_IDX;
		CHECK(rig_open(&r, 8, layouts[l]));
		for (unsigned i = 0; i < 6; i++)
			CHECK_EQ(post(&r, i, 0, 1, tok(i), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(sim_fetch(&r.sim), 6);

		CHECK(vq_enable_cb(r.vq)); /* nothing used yet */
		sim_use(&r.sim, 0, 1);
		CHECK_EQ(r.sim.irqs, 1);
		sim_use(&r.sim, 0, 1);
		CHECK_EQ(r.sim.irqs, ev ? 1 : 2); /* EVENT_IDX: the event index was passed already */

		vq_disable_cb(r.vq);
		sim_use(&r.sim, 0, 1);
		CHECK_EQ(r.sim.irqs, ev ? 1 : 2);
		CHECK(!vq_enable_cb(r.vq)); /* three used meanwhile: poll first */
		for (unsigned i = 0; i < 3; i++)
			CHECK(vq_get(r.vq, NULL) == tok(i));
		CHECK(vq_enable_cb(r.vq));
		sim_use(&r.sim, 0, 1);
		CHECK_EQ(r.sim.irqs, ev ? 2 : 3);
		CHECK_EQ(vq_stats(r.vq)->irqs, r.sim.irqs);
		CHECK_EQ(r.sim.err[0], 0);
		rig_close(&r);
	}
}

static void test_detach_unused(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 16, layouts[l]));
		unsigned seen = 0;
		for (unsigned i = 0; i < 5; i++)
			CHECK_EQ(post(&r, i, 1, 1, tok(i), NULL), 0);
		void *t;
		while ((t = vq_detach_unused(r.vq)) != NULL)
			seen |= 1u << ((uintptr_t)t - 1);
		CHECK_EQ(seen, 0x1f);
		CHECK_EQ(vq_num_free(r.vq), 16);
		rig_close(&r);
	}
}

static void test_bad_arguments(void)
{
	struct rig r;
	CHECK(rig_open(&r, 8, VQ_F_INDIRECT));
	struct vq_sg sg[9] = { 0 };
	for (unsigned k = 0; k < 9; k++)
		sg[k] = sg_at(&r, k, k);
	CHECK_EQ(vq_add(r.vq, sg, 1, NULL, 0, NULL), -EINVAL);
	CHECK_EQ(vq_add(r.vq, sg, 0, sg, 0, tok(0)), -EINVAL);
	CHECK_EQ(vq_add(r.vq, sg, -1, sg, 2, tok(0)), -EINVAL);
	CHECK_EQ(vq_add(r.vq, sg, 5, sg, 4, tok(0)), -EINVAL); /* longer than the queue, even indirect */
	CHECK_EQ(vq_add(r.vq, NULL, 1, NULL, 0, tok(0)), -EINVAL);
	struct vq_sg zero = { r.h, 0 }, unmapped = { DMA_MAPPING_ERROR, 4 };
	struct vq_sg huge[2] = { { r.h, 0xc0000000u }, { r.h, 0xc0000000u } };
	CHECK_EQ(vq_add(r.vq, &zero, 1, NULL, 0, tok(0)), -EINVAL);
	CHECK_EQ(vq_add(r.vq, &unmapped, 1, NULL, 0, tok(0)), -EINVAL);
	CHECK_EQ(vq_add(r.vq, huge, 2, NULL, 0, tok(0)), -EINVAL); /* over 2^32 bytes */
	CHECK_EQ(vq_num_free(r.vq), 8);
	CHECK_EQ(vq_stats(r.vq)->added, 0);
	CHECK(!vq_broken(r.vq));
	rig_close(&r);
}

static void test_create(void)
{
	static const unsigned bad[][2] = {
		{ 0, 0 }, { 3, 0 }, { 65536, 0 }, { 32769, VQ_F_PACKED }, { 0, VQ_F_PACKED }
	};
	for (unsigned i = 0; i < 5; i++) {
		int logs = unit_log_lines;
		struct vq_config cfg = { .name = "bad0", .num = bad[i][0], .flags = bad[i][1] };
		CHECK(vq_create(&cfg) == NULL);
		CHECK_EQ(unit_log_lines - logs, 1);
	}
	CHECK(vq_create(NULL) == NULL);
	struct vq_config cfg = { .name = "ok0", .num = 32768, .flags = 0 };
	struct virtqueue *vq = vq_create(&cfg);
	CHECK(vq != NULL);
	CHECK_EQ(vq_size(vq), 32768);
	vq_destroy(vq);
	cfg = (struct vq_config){ .name = "ok1", .num = 1, .flags = VQ_F_PACKED | VQ_F_INDIRECT };
	vq = vq_create(&cfg);
	CHECK(vq != NULL);
	vq_destroy(vq);
	/* ring parts at the alignments §2.7 and §2.8 ask for */
	cfg = (struct vq_config){ .name = "al0", .num = 256 };
	vq = vq_create(&cfg);
	CHECK_EQ(vq_desc_addr(vq) & 15, 0);
	CHECK_EQ(vq_device_addr(vq) - vq_desc_addr(vq), 8192); /* legacy layout: used at the next 4096 */
	vq_destroy(vq);
	CHECK_EQ(sim_dma_live(), 0);
}

/* Out of memory: for the rings, no queue; for the indirect tables, a queue of direct chains. */
static void test_out_of_memory(void)
{
	struct vq_config cfg = { .name = "oom0", .num = 8, .flags = VQ_F_INDIRECT };
	sim_dma_fail_after = 0;
	CHECK(vq_create(&cfg) == NULL);
	CHECK_EQ(sim_dma_live(), 0);
	struct rig r;
	int logs = unit_log_lines;
	sim_dma_fail_after = 1;
	CHECK(rig_open(&r, 8, VQ_F_INDIRECT));
	CHECK_EQ(unit_log_lines - logs, 1); /* the warning */
	r.sim.flags = 0;                    /* the device would refuse an indirect descriptor now */
	CHECK_EQ(post(&r, 0, 1, 2, tok(0), NULL), 0);
	CHECK_EQ(vq_num_free(r.vq), 5);
	vq_kick(r.vq);
	CHECK_EQ(sim_fetch(&r.sim), 1);
	CHECK_EQ(r.sim.err[0], 0);
	rig_close(&r);
	sim_dma_fail_after = -1;
}

/* stdout into memory, for checking what vq_dump and the trace print. */
static FILE *real_stdout;
static char *captured;
static size_t captured_len;

static void capture_begin(void)
{
	fflush(stdout);
	real_stdout = stdout;
	stdout = open_memstream(&captured, &captured_len);
}

static const char *capture_end(void)
{
	fclose(stdout);
	stdout = real_stdout;
	return captured;
}

/* text has a line that is exactly the formatted one. */
__attribute__((format(printf, 2, 3))) static bool has_line(const char *text, const char *fmt, ...)
{
	char want[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	size_t n = strlen(want);
	for (const char *p = text; (p = strstr(p, want)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
	printf("  no line \"%s\" in:\n%s", want, text);
	return false;
}

static unsigned count_lines(const char *text, const char *prefix)
{
	unsigned n = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

/*
 * The dump against ring state known from what was posted: a chain of one
 * readable and two writable segments (slices 0-2: lengths 1, 9, 17; 26
 * writable bytes), and a chain of one writable segment (slice 3, 4 bytes).
 * On a fresh queue entries are handed out in order: the first chain takes
 * 0-2 (or just 0, with an indirect table of three), the second the next.
 */
static void test_dump_and_trace(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bool packed = layouts[l] & VQ_F_PACKED, ind = layouts[l] & VQ_F_INDIRECT;
		const char *layout = packed ? "packed" : "split", *head = packed ? "id" : "head",
			   *entry = packed ? "entry" : "desc";
		static const char *const feats[] = { "-", "INDIRECT_DESC", "EVENT_IDX" };
		bool ev = layouts[l] & VQ_F_EVENT_IDX;
		const char *feat = feats[ind ? 1 : ev ? 2 : 0];
		unsigned a = 0, b = ind ? 1 : 3; /* the chains' heads */
		unsigned slots = ind ? 2 : 4;    /* packed: ring slots the two chains fill */
		CHECK(rig_open(&r, 8, layouts[l]));
		unsigned long long h = r.h;
		CHECK_EQ(post(&r, 0, 1, 2, tok(0), NULL), 0);
		CHECK_EQ(post(&r, 3, 0, 1, tok(1), NULL), 0);
		vq_kick(r.vq);
		CHECK_EQ(sim_fetch(&r.sim), 2); /* both with the device now */
		CHECK_EQ(r.sim.pending[0].id, a);
		CHECK_EQ(r.sim.pending[1].id, b);

		capture_begin();
		vq_dump(r.vq);
		const char *out = capture_end();
		CHECK(has_line(out, "test0 q1: %s size=8 free=%u inflight=2 features=%s broken=0", layout,
			       ind ? 6 : 4, feat));
		/* with EVENT_IDX the device asks for a kick at the next buffer it has
		 * not taken (packed: slot | wrap counter << 15, flags DESC) */
		if (packed)
			CHECK(has_line(
				out,
				"  avail=%u wrap=1 last_used=0 wrap=1 driver_event=0/0 device_event=%u/%u",
				slots, ev ? slots | 0x8000 : 0, ev ? 2 : 0));
		else
			CHECK(has_line(out,
				       "  avail_idx=2 used_idx=0 last_used=0 used_event=0 avail_event=%u "
				       "avail_flags=0 used_flags=0",
				       ev ? 2 : 0));
		CHECK(has_line(out, "  %s %u: descs=%u writable=26 token=0x1", head, a, ind ? 1 : 3));
		if (ind) { /* one descriptor pointing at a table of three; packed tables chain by position */
			CHECK_EQ(count_lines(out, "    desc ") + count_lines(out, "    entry "), 2);
			CHECK_EQ(count_lines(out, "      ["), 3);
			CHECK(strstr(out, " len=48 flags=--I\n") != NULL);
			CHECK(has_line(out, "      [0] handle=0x%llx len=1 flags=%s", h,
				       packed ? "---" : "N--"));
			CHECK(has_line(out, "      [1] handle=0x%llx len=9 flags=%s", h + 64,
				       packed ? "-W-" : "NW-"));
			CHECK(has_line(out, "      [2] handle=0x%llx len=17 flags=-W-", h + 128));
		} else {
			CHECK_EQ(count_lines(out, "    desc ") + count_lines(out, "    entry "), 4);
			CHECK_EQ(count_lines(out, "      ["), 0);
			CHECK(has_line(out, "    %s 0 handle=0x%llx len=1 flags=N--", entry, h));
			CHECK(has_line(out, "    %s 1 handle=0x%llx len=9 flags=NW-", entry, h + 64));
			CHECK(has_line(out, "    %s 2 handle=0x%llx len=17 flags=-W-", entry, h + 128));
		}
		CHECK(has_line(out, "  %s %u: descs=1 writable=4 token=0x2", head, b));
		CHECK(has_line(out, "    %s %u handle=0x%llx len=4 flags=-W-", entry, b, h + 192));
		free(captured);

		/* The device uses the first chain: the trace shows the kick, the
		 * interrupt and the used buffer; the dump, what is left. */
		capture_begin();
		vq_set_trace(true);
		CHECK_EQ(post(&r, 4, 0, 1, tok(2), NULL), 0);
		vq_kick(r.vq);
		sim_use(&r.sim, 0, 20);
		CHECK(vq_get(r.vq, NULL) == tok(0));
		vq_set_trace(false);
		sim_fetch(&r.sim);
		sim_use(&r.sim, 1, 4); /* the third chain, untraced */
		CHECK(vq_get(r.vq, NULL) == tok(2));
		vq_dump(r.vq);
		out = capture_end();
		unsigned c = b + 1; /* the third chain's entry */
		CHECK(has_line(out, "    log: trace test0 q1 add id=%u len=%u", c,
			       1 + (0 * 7 + 4) % SEG_SPACE));
		CHECK(has_line(out, "    log: trace test0 q1 kick id=%u len=0", packed ? slots + 1 : 3));
		CHECK(has_line(out, "    log: trace test0 q1 used id=%u len=20", a));
		CHECK_EQ(count_lines(out, "    log: trace "), 4); /* add, kick, irq, used; none once off */
		CHECK(has_line(out, "test0 q1: %s size=8 free=7 inflight=1 features=%s broken=0", layout,
			       feat));
		if (packed) /* a used chain moves last_used on by the slots it filled */
			CHECK(has_line(
				out,
				"  avail=%u wrap=1 last_used=%u wrap=1 driver_event=0/0 device_event=%u/%u",
				slots + 1, (ind ? 1 : 3) + 1, ev ? (slots + 1) | 0x8000 : 0, ev ? 2 : 0));
		else
			CHECK(has_line(out,
				       "  avail_idx=3 used_idx=2 last_used=2 used_event=0 avail_event=%u "
				       "avail_flags=0 used_flags=0",
				       ev ? 3 : 0));
		CHECK_EQ(count_lines(out, "  head ") + count_lines(out, "  id "), 1);
		CHECK(has_line(out, "  %s %u: descs=1 writable=4 token=0x2", head, b));
		free(captured);
		rig_close(&r);
	}
}

/* The segments a chain's records name after the line at from: (len, WRITE) of
 * each desc, idesc or pdesc that is not an indirect head, in order. */
static int trace_segs(const char *from, uint32_t *len, int *write, int max)
{
	int n = 0;
	for (const char *l = strchr(from, '\n') + 1; *l && n < max; l = strchr(l, '\n') + 1) {
		const char *kind = strstr(l, " q1 ") + 4;
		if (!strncmp(kind, "avail", 5) || !strncmp(kind, "publish", 7))
			break; /* the chain is written */
		if (strncmp(kind + (*kind == 'i' || *kind == 'p'), "desc ", 5))
			continue;
		unsigned ln, f;
		if (sscanf(strstr(l, "len="), "len=%u flags=0x%x", &ln, &f) != 2)
			return -1;
		if (f & VRING_DESC_F_INDIRECT)
			continue;
		len[n] = ln;
		write[n++] = (f & VRING_DESC_F_WRITE) != 0;
	}
	return n;
}

/* `trace ring`: a queue already in use describes itself first (its chain in
 * flight included), then each add names every segment the device will read
 * and the index that publishes it; a used record names the chain taken. */
static void test_ring_trace_records(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		uint32_t in_a, in_b;
		char want[96];
		CHECK(rig_open(&r, 8, layouts[l]));
		CHECK_EQ(post(&r, 0, 1, 2, tok(0), &in_a), 0);
		sim_trace_len = 0;
		CHECK(vq_trace(VQ_TRACE_RING, NULL) != NULL);
		CHECK(strstr(sim_trace, " - - start dev=*\n"));
		CHECK_EQ(post(&r, 3, 1, 2, tok(1), &in_b), 0);
		bool packed = layouts[l] & VQ_F_PACKED;
		snprintf(want, sizeof want, "test0 q1 queue layout=%s size=8 ", packed ? "packed" : "split");
		const char *queue = strstr(sim_trace, want), *state = strstr(sim_trace, "test0 q1 state ");
		const char *add_a = strstr(sim_trace, "test0 q1 add head=0 ");
		CHECK(queue && state && add_a && queue < state && state < add_a);
		snprintf(want, sizeof want, " ndesc=%u in=%u ", (layouts[l] & VQ_F_INDIRECT) ? 1 : 3, in_b);
		const char *add_b =
			strstr(sim_trace, " req=2\n"); /* the second request; the first was in flight */
		while (add_b && add_b[-1] != '\n')
			add_b--;
		CHECK(add_b && strstr(add_b, want) && strstr(add_b, want) < strchr(add_b, '\n'));
		uint32_t len[8];
		int write[8];
		CHECK_EQ(trace_segs(add_b, len, write, 8), 3);
		for (int k = 0; k < 3; k++) {
			CHECK_EQ(len[k], sg_at(&r, 3 + k, k).len);
			CHECK_EQ(write[k], k >= 1);
		}
		CHECK(strstr(add_b ? add_b : "", packed ? " publish id=" : " avail_idx idx=2\n"));
		vq_kick(r.vq);
		CHECK(strstr(sim_trace, " kick_prepare need="));
		CHECK_EQ(sim_fetch(&r.sim), 2);
		sim_use(&r.sim, 0, in_a);
		CHECK(vq_get(r.vq, NULL) == tok(0));
		snprintf(want, sizeof want, " id=0 len=%u ", in_a);
		const char *used = strstr(sim_trace, "test0 q1 used slot=");
		CHECK(used && strstr(used, want) && strstr(used, want) < strchr(used, '\n'));
		snprintf(want, sizeof want, "last_used=%u used_wrap=1\n",
			 (layouts[l] & VQ_F_INDIRECT) ? 1 : 3);
		CHECK(strstr(used ? used : "", packed ? want : "used_idx=1 last_used=1\n"));
		vq_trace(0, NULL);
		CHECK(strstr(sim_trace, " - - stop\n"));
		rig_close(&r);
	}
}

/* ---- misbehaving device: each ends with one error and a broken queue ---- */

/* Two chains in flight, one of three descriptors and one of one; the device took both. */
static void bad_setup(struct rig *r, unsigned flags)
{
	CHECK(rig_open(r, 8, flags));
	CHECK_EQ(post(r, 0, 1, 2, tok(0), NULL), 0);
	CHECK_EQ(post(r, 3, 0, 1, tok(1), NULL), 0);
	vq_kick(r->vq);
	CHECK_EQ(sim_fetch(&r->sim), 2);
}

/* The queue is broken, said so once, and gives back what was in flight. */
static void expect_broken(struct rig *r, unsigned inflight)
{
	CHECK(vq_get(r->vq, NULL) == NULL); /* breaks it, if that has not happened yet */
	int logs = unit_log_lines;
	CHECK(vq_broken(r->vq));
	CHECK_EQ(vq_stats(r->vq)->errors, 1);
	CHECK_EQ(post(r, 0, 1, 0, tok(7), NULL), -EIO);
	CHECK(vq_get(r->vq, NULL) == NULL);
	CHECK(!vq_has_used(r->vq));
	CHECK_EQ(vq_used_ready(r->vq, 64), 0);
	CHECK(vq_enable_cb(r->vq));
	CHECK(!vq_kick_prepare(r->vq));
	CHECK_EQ(unit_log_lines, logs); /* logged once, when it broke */
	unsigned n = 0;
	while (vq_detach_unused(r->vq))
		n++;
	CHECK_EQ(n, inflight);
	CHECK_EQ(vq_num_free(r->vq), vq_size(r->vq));
	rig_close(r);
}

static void test_bad_used_id_out_of_range(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bad_setup(&r, layouts[l]);
		sim_push_used(&r.sim, 8, 0, 1);
		int logs = unit_log_lines;
		CHECK(vq_has_used(r.vq));
		CHECK(vq_get(r.vq, NULL) == NULL);
		CHECK_EQ(unit_log_lines - logs, 1);
		expect_broken(&r, 2);
	}
	struct rig r;
	bad_setup(&r, 0);
	sim_push_used(&r.sim, 0x10000, 0, 1); /* split ids are 32 bits wide */
	expect_broken(&r, 2);
}

static void test_bad_used_id_not_in_flight(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bad_setup(&r, layouts[l]);
		sim_push_used(&r.sim, 6, 0, 1); /* a free entry */
		expect_broken(&r, 2);
	}
	struct rig r;
	bad_setup(&r, 0);
	sim_push_used(&r.sim, 1, 0, 1); /* inside the first chain, not its head */
	expect_broken(&r, 2);
}

static void test_bad_duplicate_completion(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bad_setup(&r, layouts[l]);
		uint16_t id = r.sim.pending[1].id;
		unsigned ndesc = r.sim.pending[1].ndesc;
		sim_use(&r.sim, 1, 1);
		CHECK(vq_get(r.vq, NULL) == tok(1));
		sim_push_used(&r.sim, id, 1, ndesc); /* the same chain again */
		expect_broken(&r, 1);
	}
}

static void test_bad_length(void)
{
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		bad_setup(&r, layouts[l]);
		uint32_t in_len = r.sim.pending[0].in_len;
		sim_use(&r.sim, 0, in_len + 1);
		expect_broken(&r, 2);
	}
}

static void test_bad_used_idx_jump(void)
{
	static const uint16_t jumps[] = { 3, 9, 0x8000, 0xffff };
	for (unsigned j = 0; j < 4; j++) {
		struct rig r;
		bad_setup(&r, j % 2 ? VQ_F_EVENT_IDX : 0);
		sim_set_used_idx(&r.sim, jumps[j]);   /* 2 in flight: any jump past 2 is a lie */
		CHECK_EQ(vq_used_ready(r.vq, 64), 1); /* a lie counts once, so that vq_get meets it */
		expect_broken(&r, 2);
	}
}

static void test_bad_packed_wrap_bit(void)
{
	static const unsigned flags[] = { VQ_F_PACKED, VQ_F_PACKED | VQ_F_EVENT_IDX | VQ_F_INDIRECT };
	for (unsigned l = 0; l < 2; l++) {
		struct rig r;
		bad_setup(&r, flags[l]);
		sim_set_flags(&r.sim, 0, VRING_PACKED_DESC_F_USED); /* USED for wrap 1, AVAIL for wrap 0 */
		CHECK(vq_has_used(r.vq));
		CHECK_EQ(vq_used_ready(r.vq, 64), 1);
		expect_broken(&r, 2);
	}
	/* after a lap: wrap 0, so USED clear and AVAIL set is the inconsistent one */
	struct rig r;
	CHECK(rig_open(&r, 2, VQ_F_PACKED));
	for (unsigned i = 0; i < 2; i++) {
		CHECK_EQ(post(&r, 0, 0, 1, tok(i), NULL), 0);
		vq_kick(r.vq);
		sim_fetch(&r.sim);
		sim_use(&r.sim, 0, 1);
		CHECK(vq_get(r.vq, NULL) == tok(i));
	}
	CHECK_EQ(post(&r, 0, 0, 1, tok(5), NULL), 0);
	CHECK(vq_get(r.vq, NULL) == NULL); /* available (AVAIL 0, USED 1): not used yet */
	CHECK(!vq_broken(r.vq));
	sim_set_flags(&r.sim, 0, VRING_DESC_F_WRITE); /* both 0: used in lap 2 */
	CHECK(vq_get(r.vq, NULL) == tok(5));
	CHECK(!vq_broken(r.vq));
	CHECK_EQ(post(&r, 0, 0, 1, tok(6), NULL), 0);
	sim_set_flags(&r.sim, 1, VRING_PACKED_DESC_F_AVAIL | VRING_DESC_F_WRITE); /* AVAIL from lap 1 */
	CHECK(vq_has_used(r.vq));
	CHECK(vq_get(r.vq, NULL) == NULL);
	CHECK(vq_broken(r.vq));
	rig_close(&r);
}

static void test_bad_device_after_good_work(void)
{
	/* a device that worked for a while, then lies: the in-flight ones come back */
	for (unsigned l = 0; l < NLAYOUTS; l++) {
		struct rig r;
		CHECK(rig_open(&r, 8, layouts[l]));
		for (unsigned i = 0; i < 100; i++) {
			CHECK_EQ(post(&r, 0, 1, 1, tok(i), NULL), 0);
			vq_kick(r.vq);
			sim_fetch(&r.sim);
			sim_use(&r.sim, 0, 1);
			CHECK(vq_get(r.vq, NULL) == tok(i));
		}
		CHECK_EQ(post(&r, 0, 1, 1, tok(200), NULL), 0);
		CHECK_EQ(post(&r, 2, 1, 1, tok(201), NULL), 0);
		vq_kick(r.vq);
		sim_fetch(&r.sim);
		sim_use(&r.sim, 0, 1000);
		int logs = unit_log_lines;
		CHECK(vq_get(r.vq, NULL) == NULL);
		CHECK_EQ(unit_log_lines - logs, 1);
		expect_broken(&r, 2);
	}
}

int main(void)
{
	RUN(test_create);
	RUN(test_out_of_memory);
	RUN(test_every_chain_length);
	RUN(test_wraparound);
	RUN(test_full_ring);
	RUN(test_out_of_order);
	RUN(test_used_ready);
	RUN(test_kick_suppression_flags);
	RUN(test_kick_event_idx);
	RUN(test_deferred_kicks);
	RUN(test_interrupt_suppression);
	RUN(test_detach_unused);
	RUN(test_bad_arguments);
	RUN(test_dump_and_trace);
	RUN(test_ring_trace_records);
	RUN(test_bad_used_id_out_of_range);
	RUN(test_bad_used_id_not_in_flight);
	RUN(test_bad_duplicate_completion);
	RUN(test_bad_length);
	RUN(test_bad_used_idx_jump);
	RUN(test_bad_packed_wrap_bit);
	RUN(test_bad_device_after_good_work);
	UNIT_DONE();
}
