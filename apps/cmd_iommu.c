/* cmd_iommu.c - the iommu command: units and domains, and a test that a device cannot reach unmapped memory. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "block/blkdev.h"
#include "drivers/inspect.h"
#include "kernel/dma.h"
#include "lib/errname.h"
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY     0x5a
#define PAGE       4096u
#define MAX_SECTS  (DMA_STALE_MAX * PAGE / 512)
#define TEST_SECTS 8u /* one page: QEMU bounces it and reports the request done */

static size_t changed_bytes(const uint8_t *p, size_t n)
{
	size_t changed = 0;
	for (size_t i = 0; i < n; i++)
		changed += p[i] != CANARY;
	return changed;
}

/*
 * iommu test blkN [sectors]: read sectors from the disk into a canary
 * buffer whose every page the driver maps as usual, except that the DMA
 * layer revokes each mapping before the handle reaches the ring
 * (dma_inject_stale): the handles are stale, as after a use-after-unmap.
 * Under iommu=pool the buffer (not from the pool) would be bounced through
 * the device's window; instead each page gets a handle just past the
 * window's end, where nothing is mapped: an access outside the window.
 * The IOMMU must refuse the device's writes and report them; the driver
 * must match the fault to the request and fail it (one page: QEMU drops
 * the write and says OK), or fail it when the device asks for a reset
 * (more pages: QEMU cannot bounce them and sets DEVICE_NEEDS_RESET); the
 * canary must be intact; and the device must serve a read afterwards.
 */
static unsigned resets_of(struct virtio_dev *vd)
{
	struct vdev_info in;
	vdev_info(vd, &in);
	return in.resets;
}

static int stale_read_test(struct virtio_dev *vd, const char *name, uint32_t sects)
{
	struct dma_dev *dma = vdev_dma(vd);
	struct blkdev *bd = blkdev_find(name);
	if (!bd)
		return shell_err(name, -EOPNOTSUPP, "the test reads from a virtio-blk device");
	if (!dma_translated(dma))
		return shell_err(bd->name, -ENODEV, "no IOMMU translates for this device");
	bool window = dma_window_mode();
	if (!dma_strict() && !window)
		return shell_err(bd->name, -EOPNOTSUPP,
				 "needs iommu=strict or pool (lazy unmaps may stay reachable)");
	size_t bytes = (size_t)sects * 512, pages = (bytes + PAGE - 1) / PAGE;
	uint8_t *buf = memalign(PAGE, pages * PAGE); /* whole pages: nothing else of ours in them */
	uint8_t *check = malloc(bytes);
	if (!buf || !check) {
		free(buf);
		free(check);
		return shell_err(bd->name, -ENOMEM, "no memory");
	}
	memset(buf, CANARY, pages * PAGE);
	uint64_t faults = dma_faults(dma, NULL, NULL), matched = dma->faults_matched;
	unsigned resets = resets_of(vd);
	int r = dma_inject_stale(dma, (unsigned)pages);
	if (r) {
		free(buf);
		free(check);
		return shell_err(bd->name, r, "cannot inject stale handles");
	}
	printf("iommu: %s: reading %u sectors through %zu %s\n", bd->name, sects, pages,
	       window ? "handle(s) outside the device's window" : "revoked handle(s)");
	r = blk_io(bd, BLK_READ, 0, sects, buf);
	dma_inject_cancel(dma); /* in case the request never got as far as mapping */
	uint64_t addr = 0;
	unsigned reason = 0;
	uint64_t nf = dma_faults(dma, &addr, &reason) - faults;
	size_t changed = changed_bytes(buf, pages * PAGE);
	printf("iommu: %s: request %s; %llu fault(s), last at 0x%llx reason %u; %llu matched to the "
	       "request; device reset %u time(s); canary %s\n",
	       bd->name, r ? errno_name(r) : "OK", (unsigned long long)nf, (unsigned long long)addr, reason,
	       (unsigned long long)(dma->faults_matched - matched), resets_of(vd) - resets,
	       changed ? "CHANGED" : "intact");
	int after = blk_io(bd, BLK_READ, 0, sects, check);
	printf("iommu: %s: a read with good handles afterwards: %s\n", bd->name,
	       after ? errno_name(after) : "OK");
	free(buf);
	free(check);
	if (changed)
		return shell_err(bd->name, -EFAULT, "the device wrote %zu bytes through stale handles",
				 changed);
	if (!nf)
		return shell_err(bd->name, -ETIMEDOUT, "no IOMMU fault reported for the stale handles");
	if (r != -EIO)
		return shell_err(bd->name, r ? r : -EPROTO, "the request did not fail with EIO");
	if (after)
		return shell_err(bd->name, after, "the device does not serve reads afterwards");
	printf("iommu: %s: %s blocked, reported and failed; nothing written\n", bd->name,
	       window ? "handles outside the window" : "stale handles");
	return 0;
}

/*
 * iommu test rngN: revoke the buffer the rng driver keeps lent to its device,
 * in place, as if the platform took it back, then ask for random bytes. The
 * device's write faults; no request's data covers that page as far as the
 * driver knows (rng matches no faults), so the core must not believe the
 * completion the device reports (QEMU bounces the write and says done): it
 * resets the device, which fails the read, and lends a fresh buffer.
 */
static int revoked_buffer_test(struct virtio_dev *vd, const char *name)
{
	size_t len;
	uint8_t buf[16];
	struct dma_dev *dma = vdev_dma(vd);
	if (!dma_translated(dma))
		return shell_err(name, -ENODEV, "no IOMMU translates for this device");
	if (dma_window_mode())
		return shell_err(name, -EOPNOTSUPP, "pool mode maps the window whole: use iommu test blkN");
	if (!dma_strict())
		return shell_err(name, -EOPNOTSUPP, "needs iommu=strict (lazy unmaps may stay reachable)");
	dma_addr_t h = vdev_rng_buffer(vd, &len);
	uint64_t unmatched = dma->faults_unmatched;
	unsigned resets = resets_of(vd);
	int r = h == DMA_MAPPING_ERROR ? -ENODEV : dma_inject_revoke(dma, h, len);
	if (r)
		return shell_err(name, r, "cannot revoke the device's buffer");
	printf("iommu: %s: buffer at 0x%llx revoked; reading\n", name, (unsigned long long)h);
	r = vdev_rng_read(vd, buf, sizeof buf);
	printf("iommu: %s: read %s; %llu fault(s) matched no request; device reset %u time(s)\n", name,
	       r < 0 ? errno_name(r) : "OK", (unsigned long long)(dma->faults_unmatched - unmatched),
	       resets_of(vd) - resets);
	int after = vdev_rng_read(vd, buf, sizeof buf);
	printf("iommu: %s: a read afterwards: %s\n", name, after < 0 ? errno_name(after) : "OK");
	if (r >= 0)
		return shell_err(name, -EPROTO, "the read through a revoked buffer was believed");
	if (dma->faults_unmatched == unmatched || resets_of(vd) == resets)
		return shell_err(name, -EPROTO, "the fault did not reset the device");
	if (after != (int)sizeof buf)
		return shell_err(name, after < 0 ? after : -EIO, "the device does not serve afterwards");
	printf("iommu: %s: revoked buffer blocked; the device was reset and serves again\n", name);
	return 0;
}

int cmd_iommu(int argc, char **argv)
{
	if (argc == 1) {
		dma_show();
		return 0;
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "test")) {
		struct virtio_dev *vd = vdev_find(argv[2]);
		if (!vd)
			return shell_err(argv[2], -ENODEV, "no such device");
		struct vdev_info in;
		vdev_info(vd, &in);
		if (!strcmp(in.type, "rng") && argc == 3)
			return revoked_buffer_test(vd, argv[2]);
		uint32_t sects = TEST_SECTS;
		if (argc == 4) {
			char *end;
			unsigned long v = strtoul(argv[3], &end, 0);
			if (*end || v == 0 || v > MAX_SECTS || v % 8)
				return shell_err(argv[3], -EINVAL, "sectors: a multiple of 8, 8..%u",
						 MAX_SECTS);
			sects = (uint32_t)v;
		}
		return stale_read_test(vd, argv[2], sects);
	}
	return shell_usage("iommu [test blkN [sectors] | test rngN]");
}
