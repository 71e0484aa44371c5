/* cmd_iommu.c - the iommu command: units and domains, and a test that a device cannot reach unmapped memory. */
#include "apps/cmds.h"
#include "apps/shell.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtqueue.h"
#include "kernel/dma.h"
#include "kernel/poll.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY   0x5a
#define TEST_LEN 4096

struct stale_wait {
	struct virtio_dev *vd;
	uint64_t faults;
	unsigned free;
};

/* Done when the IOMMU has reported a fault for the device and the ring has
 * the buffer back (QEMU completes a faulted small request itself). */
static bool stale_done(void *arg)
{
	struct stale_wait *w = arg;
	return dma_faults(w->vd->dma, NULL, NULL) > w->faults && vq_num_free(w->vd->q[0].vq) == w->free;
}

/*
 * iommu test rngN: lend a canary page to the device, take it back (strict:
 * the IOTLB is invalidated before dma_unmap returns), then post the stale
 * handle as a device-writable buffer. The IOMMU must refuse the write and
 * report it; the canary must be untouched; the request is failed here
 * because the device itself does not notice (QEMU bounces a small buffer).
 */
static int stale_handle_test(struct virtio_dev *vd)
{
	if (strncmp(vd->name, "rng", 3) || !vd->nqueues)
		return shell_err(vd->name, -EOPNOTSUPP, "the test posts to a virtio-rng device");
	if (!dma_translated(vd->dma))
		return shell_err(vd->name, -ENODEV, "no IOMMU translates for this device");
	if (!dma_strict())
		return shell_err(vd->name, -EOPNOTSUPP,
				 "needs iommu=strict (lazy unmaps may stay reachable)");
	struct virtqueue *vq = vd->q[0].vq;
	uint8_t *mem = malloc(2 * TEST_LEN); /* a whole page inside, so the handle covers only it */
	if (!mem)
		return shell_err(vd->name, -ENOMEM, "no memory");
	uint8_t *canary = (uint8_t *)(((uintptr_t)mem + TEST_LEN - 1) & ~(uintptr_t)(TEST_LEN - 1));
	memset(canary, CANARY, TEST_LEN);
	dma_addr_t h = dma_map(vd->dma, canary, TEST_LEN, DMA_FROM_DEVICE);
	if (h == DMA_MAPPING_ERROR) {
		free(mem);
		return shell_err(vd->name, -ENOMEM, "cannot map the canary");
	}
	dma_unmap(vd->dma, h, TEST_LEN, DMA_FROM_DEVICE);
	printf("iommu: %s: canary mapped at 0x%llx, unmapped; posting the stale handle\n", vd->name,
	       (unsigned long long)h);

	struct stale_wait w = { vd, dma_faults(vd->dma, NULL, NULL), vq_num_free(vq) };
	struct vq_sg in = { h, TEST_LEN };
	/* the token is the driver's own state, so its poller takes the completion as one of its own */
	int r = vq_add(vq, NULL, 0, &in, 1, vd->priv);
	if (r) {
		free(mem);
		return shell_err(vd->name, r, "cannot post the request");
	}
	vq_kick(vq);
	bool faulted = kwait(stale_done, &w, 5000000000ull);
	uint64_t addr = 0;
	unsigned reason = 0;
	dma_faults(vd->dma, &addr, &reason);
	size_t changed = 0;
	for (size_t i = 0; i < TEST_LEN; i++)
		changed += canary[i] != CANARY;
	free(mem);
	if (!faulted)
		return shell_err(vd->name, -ETIMEDOUT, "no IOMMU fault reported for the stale handle");
	printf("iommu: %s: fault at 0x%llx reason %u; canary %s\n", vd->name, (unsigned long long)addr,
	       reason, changed ? "CHANGED" : "intact");
	if (changed)
		return shell_err(vd->name, -EFAULT, "the device wrote through a stale handle");
	return shell_err(vd->name, -EIO, "request failed: DMA to unmapped handle blocked by the IOMMU");
}

int cmd_iommu(int argc, char **argv)
{
	if (argc == 1) {
		dma_show();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "test")) {
		struct virtio_dev *vd = virtio_find(argv[2]);
		if (!vd)
			return shell_err(argv[2], -ENODEV, "no such device");
		return stale_handle_test(vd);
	}
	return shell_usage("iommu [test rngN]");
}
