/* cmd_virtio.c - `virtio`, `vq`, `mode`, `stats`, `trace`, `rng`: the virtio layer from the shell. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "drivers/inspect.h"
#include "kernel/acct.h"
#include "kernel/time.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct virtio_dev *find(const char *name)
{
	struct virtio_dev *vd = vdev_find(name);
	if (!vd)
		shell_err(name, -ENODEV, "no such virtio device");
	return vd;
}

int cmd_virtio(int argc, char **argv)
{
	char feats[512];
	(void)argv;
	if (argc != 1)
		return shell_usage("virtio");
	for (struct virtio_dev *vd = vdev_first(); vd; vd = vdev_next(vd)) {
		struct vdev_info in;
		vdev_info(vd, &in);
		vdev_features(vd, in.features, feats, sizeof feats);
		printf("%s %s %s %s queues=%u mode=%s features=%s resets=%u%s\n", in.name, in.location,
		       in.transport, in.packed ? "packed" : "split", in.nqueues, io_mode_name(in.mode), feats,
		       in.resets, in.broken ? " FAILED" : "");
	}
	return 0;
}

int cmd_vq(int argc, char **argv)
{
	uint64_t q;
	bool inject = argc == 4 && !strcmp(argv[3], "inject-reset");
	if ((argc != 3 && !inject) || parse_u64(argv[2], &q))
		return shell_usage("vq DEV Q [inject-reset]");
	struct virtio_dev *vd = find(argv[1]);
	if (!vd)
		return -ENODEV;
	struct vdev_info in;
	vdev_info(vd, &in);
	if (q >= in.nqueues)
		return shell_err(argv[1], -EINVAL, "no queue %llu (it has %u)", (unsigned long long)q,
				 in.nqueues);
	if (inject) { /* break the ring on purpose: the device must ask for a reset */
		int r = vdev_queue_break(vd, (unsigned)q);
		return r ? shell_err(argv[1], r, "only split rings can be broken this way") : 0;
	}
	return vdev_queue_dump(vd, (unsigned)q);
}

int cmd_mode(int argc, char **argv)
{
	enum io_mode m;
	if (argc != 3 || io_mode_parse(argv[2], &m))
		return shell_usage("mode DEV poll|irq|hybrid");
	struct virtio_dev *vd = find(argv[1]);
	if (!vd)
		return -ENODEV;
	int r = vdev_set_mode(vd, m);
	if (r)
		return shell_err(argv[1], r, "cannot change mode");
	printf("%s mode=%s\n", argv[1], io_mode_name(m));
	return 0;
}

/* `stats acct on|off`: the TSC accounting of kernel/acct.h; on, it starts afresh. */
static int stats_acct(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off")))
		return shell_usage("stats acct on|off");
	acct_set(!strcmp(argv[2], "on"));
	printf("acct=%s\n", argv[2]);
	return 0;
}

/* `stats [DEV] [-v]`: the counters of docs/interface.md; -v adds them per request,
 * which is what the modes and EVENT_IDX change, and the TSC ticks of each path
 * while accounting was on. */
static double per(uint64_t tsc, uint64_t n) { return n ? (double)tsc / (double)n : 0; }

int cmd_stats(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "acct"))
		return stats_acct(argc, argv);
	bool verbose = argc > 1 && !strcmp(argv[argc - 1], "-v");
	int nargs = argc - verbose;
	const char *dev = nargs == 2 ? argv[1] : NULL;
	if (nargs > 2)
		return shell_usage("stats [DEV] [-v] | stats acct on|off");
	if (dev && !find(dev))
		return -ENODEV;
	for (struct virtio_dev *vd = vdev_first(); vd; vd = vdev_next(vd)) {
		struct vdev_info in;
		struct vq_stats st;
		const struct vq_stats *s = &st;
		vdev_info(vd, &in);
		if (dev && strcmp(dev, in.name))
			continue;
		for (unsigned q = 0; !vdev_queue_stats(vd, q, &st); q++) {
			printf("%s q%u added=%llu used=%llu kicks=%llu kicks_suppressed=%llu irqs=%llu "
			       "polls=%llu "
			       "empty_polls=%llu errors=%llu max_inflight=%u\n",
			       in.name, q, (unsigned long long)s->added, (unsigned long long)s->used,
			       (unsigned long long)s->kicks, (unsigned long long)s->kicks_suppressed,
			       (unsigned long long)s->irqs, (unsigned long long)s->polls,
			       (unsigned long long)s->empty_polls, (unsigned long long)s->errors,
			       s->max_inflight);
			if (verbose && s->used) {
				double u = (double)s->used, k = (double)(s->kicks + s->kicks_suppressed);
				printf("  per request: kicks=%.2f irqs=%.2f polls=%.2f empty_polls=%.2f; "
				       "kicks saved by suppression: %.0f%%\n",
				       s->kicks / u, s->irqs / u, s->polls / u, s->empty_polls / u,
				       k ? 100.0 * s->kicks_suppressed / k : 0.0);
			}
			if (verbose && (s->submit_tsc || s->complete_tsc || s->notify_tsc))
				printf("  tsc: submit=%llu complete=%llu notify=%llu; per request: "
				       "submit=%.0f "
				       "complete=%.0f notify=%.0f\n",
				       (unsigned long long)s->submit_tsc, (unsigned long long)s->complete_tsc,
				       (unsigned long long)s->notify_tsc, per(s->submit_tsc, s->used),
				       per(s->complete_tsc, s->used), per(s->notify_tsc, s->used));
		}
	}
	if (verbose)
		printf("cpu acct=%s tsc_khz=%llu idle=%llu irq=%llu other=%llu\n", acct_on ? "on" : "off",
		       (unsigned long long)(tsc_hz() / 1000), (unsigned long long)acct_cpu.idle,
		       (unsigned long long)acct_cpu.irq, (unsigned long long)acct_cpu.other);
	return 0;
}

int cmd_rng(int argc, char **argv)
{
	uint64_t n;
	static uint8_t buf[4096];
	if (argc != 3 || parse_u64(argv[2], &n) || n == 0 || n > sizeof buf)
		return shell_usage("rng DEV N, N from 1 to %u", (unsigned)sizeof buf);
	struct virtio_dev *vd = find(argv[1]);
	if (!vd)
		return -ENODEV;
	size_t got = 0;
	while (got < n) {
		int r = vdev_rng_read(vd, buf + got, n - got);
		if (r == -ENODEV)
			return shell_err(argv[1], -EINVAL, "not a virtio-rng device");
		if (r < 0)
			return shell_err(argv[1], r, "read failed");
		if (r == 0)
			return shell_err(argv[1], -EIO, "the device returned no bytes");
		got += (size_t)r;
	}
	for (size_t i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}

/* `on` adds console lines, `ring` adds the replayable records, `off` stops both. */
int cmd_trace(int argc, char **argv)
{
	static const char *const words[] = { "off", "on", "ring" }; /* 0, VDEV_TRACE_LINES, VDEV_TRACE_RING */
	unsigned w = 0;
	while (w < 3 && argc >= 2 && strcmp(argv[1], words[w]))
		w++;
	if (argc < 2 || argc > 3 || w == 3)
		return shell_usage("trace on|ring|off [DEV]");
	if (argc == 3 && !find(argv[2]))
		return -ENODEV;
	const char *chan = vdev_trace(w ? vdev_trace_mode() | w : 0, argc == 3 ? argv[2] : NULL);
	if (w == 2)
		printf("trace: ring records to %s\n", chan);
	return 0;
}
