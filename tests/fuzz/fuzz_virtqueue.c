/* fuzz_virtqueue.c - libFuzzer: the input plays driver calls and a device, good and hostile, on both layouts. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kernel logging, silenced: the fuzzer provokes errors on purpose. */
#define KERNEL_LOG_H
static int fuzz_logs;
__attribute__((format(printf, 1, 2))) static int kprintf(const char *fmt, ...)
{
	fuzz_logs++;
	return 0;
}
#define log_info(...) kprintf(__VA_ARGS__)
#define log_warn(...) kprintf(__VA_ARGS__)
#define log_err(...)  kprintf(__VA_ARGS__)

#include "drivers/virtio/virtqueue.c"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"

#include "tests/fuzz/fuzz_input.h"

#define MAXTOK 64
#define BUFLEN 8192

struct run {
	struct sim_dev sim;
	struct virtqueue *vq;
	unsigned char *buf;
	dma_addr_t h;
	bool live[MAXTOK];
	uint32_t in_len[MAXTOK];
	unsigned nlive;
	unsigned kicks_at_fetch; /* the device's kick count when it last looked and asked for the next */
	bool hostile; /* rings scribbled on, or used elements made up: the device's view no longer holds */
};

/* The device looks at the ring, and asks for a kick at the next buffer. */
static void device_fetch(struct run *r)
{
	sim_fetch(&r->sim);
	r->kicks_at_fetch = r->sim.kicks;
}

/* A kick is never lost: a buffer published after the device asked for one
 * (EVENT_IDX, or no NO_NOTIFY) gets one, however the suppression is set up. */
static void op_kick(struct run *r)
{
	vq_kick(r->vq);
	if (!r->hostile && !r->sim.err[0] && !r->sim.no_notify && !vq_broken(r->vq) && available(&r->sim))
		ENSURE(r->sim.kicks != r->kicks_at_fetch);
}

static void op_add(struct run *r, struct input *in)
{
	unsigned a = byte(in), b = byte(in);
	int nout = a % 4, nin = b % 4;
	if (a & 0x80) /* now and then a long chain, past the indirect table size and the queue */
		nin = (int)(b % (vq_size(r->vq) + 34));
	struct vq_sg *sg = calloc((size_t)(nout + nin) + 1, sizeof *sg);
	uint32_t w = 0;
	for (int k = 0; k < nout + nin; k++) {
		unsigned off = byte(in) * 31 % (BUFLEN - 64), len = 1 + byte(in) % 64;
		sg[k] = (struct vq_sg){ r->h + off, len };
		if (k >= nout)
			w += len;
	}
	unsigned t = 0;
	while (t < MAXTOK && r->live[t])
		t++;
	ENSURE(t < MAXTOK); /* never more in flight than the queue holds */
	int err = vq_add(r->vq, sg, nout, sg + nout, nin, (void *)(uintptr_t)(t + 1));
	free(sg);
	ENSURE(err == 0 || err == -ENOSPC || err == -EINVAL || err == -EIO);
	if (vq_broken(r->vq))
		ENSURE(err == -EIO);
	else if (nout + nin == 0 || nout + nin > (int)vq_size(r->vq))
		ENSURE(err == -EINVAL);
	if (err == 0) {
		r->live[t] = true;
		r->in_len[t] = w;
		r->nlive++;
	}
}

static void op_get(struct run *r)
{
	uint32_t len = 0xdeadbeef;
	void *tk = vq_get(r->vq, &len);
	if (!tk)
		return;
	uintptr_t t = (uintptr_t)tk - 1;
	ENSURE(!vq_broken(r->vq));
	ENSURE(t < MAXTOK && r->live[t]); /* only a token in flight comes back, once */
	ENSURE(len <= r->in_len[t]);
	r->live[t] = false;
	r->nlive--;
}

/* Any bytes anywhere in the rings: the device may write what it likes. */
static void op_scribble(struct run *r, struct input *in)
{
	unsigned char *ring = r->vq->ring;
	size_t off = (byte(in) << 8 | byte(in)) % r->vq->ring_size;
	unsigned n = 1 + byte(in) % 8;
	r->hostile = true;
	for (unsigned k = 0; k < n && off + k < r->vq->ring_size; k++)
		ring[off + k] = (unsigned char)byte(in);
}

static void step(struct run *r, struct input *in)
{
	unsigned op = byte(in) % 14;
	switch (op) {
	case 0:
	case 1:
		op_add(r, in);
		break;
	case 2:
		op_kick(r);
		break;
	case 3:
	case 4:
		op_get(r);
		break;
	case 5:
		vq_disable_cb(r->vq);
		break;
	case 6:
		if (!vq_enable_cb(r->vq))
			ENSURE(!vq_broken(r->vq));
		break;
	case 7:
		device_fetch(r);
		break;
	case 8: { /* the device uses a chain it took, with a length of the input's choosing */
		unsigned k = byte(in), how = byte(in);
		if (r->sim.npending) {
			k %= r->sim.npending;
			uint32_t in_len = r->sim.pending[k].in_len;
			sim_use(&r->sim, k, how < 200 ? in_len * how / 200 : in_len + how - 199);
		}
		break;
	}
	case 9: {
		unsigned id = byte(in), len = byte(in), skip = byte(in);
		sim_push_used(&r->sim, id % (vq_size(r->vq) + 2), len, skip % 4);
		r->hostile = true;
		break;
	}
	case 10:
	case 11:
		op_scribble(r, in);
		break;
	case 12: /* a device turning kicks back on looks at the ring once more */
		sim_want_kicks(&r->sim, byte(in) & 1);
		if (!r->sim.no_notify)
			device_fetch(r);
		break;
	case 13:
		if (byte(in) == 0x5a)
			vq_dump(r->vq);
		break;
	}
	ENSURE(vq_num_free(r->vq) <= vq_size(r->vq));
	if (!r->hostile) /* the driver never broke a rule the device checks */
		ENSURE(!r->sim.err[0]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!freopen("/dev/null", "w", stdout)) /* vq_dump's output */
		return 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned cfg = byte(&in), sz = byte(&in);
	unsigned flags = cfg & (VQ_F_EVENT_IDX | VQ_F_INDIRECT | VQ_F_PACKED);
	unsigned num = (flags & VQ_F_PACKED) ? 1 + sz % 40 : 1u << (sz % 6);
	static struct run r;
	memset(&r, 0, sizeof r);
	struct vq_config c = {
		.name = "fuzz", .num = num, .flags = flags, .notify = sim_notify, .priv = &r.sim
	};
	r.vq = vq_create(&c);
	ENSURE(r.vq);
	r.buf = calloc(1, BUFLEN);
	r.h = dma_map(NULL, r.buf, BUFLEN, DMA_BIDIRECTIONAL);
	ENSURE(sim_attach(&r.sim, r.vq, flags) == 0);

	while (in.n)
		step(&r, &in);

	/* Whatever happened, every token in flight comes back exactly once. */
	void *tk;
	while ((tk = vq_detach_unused(r.vq)) != NULL) {
		uintptr_t t = (uintptr_t)tk - 1;
		ENSURE(t < MAXTOK && r.live[t]);
		r.live[t] = false;
		r.nlive--;
	}
	ENSURE(r.nlive == 0);
	ENSURE(vq_num_free(r.vq) == vq_size(r.vq));
	if (vq_broken(r.vq))
		ENSURE(vq_stats(r.vq)->errors == 1 && vq_get(r.vq, NULL) == NULL);

	sim_detach(&r.sim);
	vq_destroy(r.vq);
	dma_unmap(NULL, r.h, BUFLEN, DMA_BIDIRECTIONAL);
	free(r.buf);
	ENSURE(sim_dma_live() == 0);
	return 0;
}
