/* virtio_rng.c - virtio-rng (virtio 1.2 §5.4), the smallest complete driver: read this one first. */
#include "drivers/virtio/virtio_rng.h"
#include "drivers/virtio/virtio.h"
#include "kernel/poll.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RNG_BUF 4096

/* One request at a time, into a buffer the driver owns and lends to the
 * device once: nothing of the caller's is ever in the device's hands. */
struct rng {
	uint8_t *buf;
	dma_addr_t handle;
	volatile bool done, busy, failed;
	uint32_t len;
};

static int rng_probe(struct virtio_dev *vd)
{
	struct rng *rng = vd->priv;
	bool again = rng != NULL;
	int r = -ENOMEM;
	if (!rng) {
		if (!(rng = calloc(1, sizeof *rng)))
			return -ENOMEM;
		vd->priv = rng;
	}
	/* after a reset the buffer is lent afresh: what the device did with the
	 * old one (a fault, a reset it asked for) stays with the old mapping */
	dma_free(vd->dma, rng->buf, RNG_BUF, rng->handle);
	rng->buf = NULL;
	rng->busy = false;
	/* §5.4.2: a single queue, requestq; no configuration space. */
	if ((rng->buf = dma_alloc(vd->dma, RNG_BUF, &rng->handle)) && !(r = virtio_setup_queues(vd, 1, 0)))
		return 0;
	if (!again) { /* the first probe failed: the transport frees vd, and nothing may stay */
		dma_free(vd->dma, rng->buf, RNG_BUF, rng->handle);
		free(rng);
		vd->priv = NULL;
	}
	return r;
}

/* The used ring gives back the token we posted and how many bytes the device wrote. */
static int rng_poll(struct virtio_dev *vd, unsigned q, int budget)
{
	struct rng *rng;
	uint32_t len;
	int n = 0;
	while (n < budget && (rng = vq_get(vd->q[q].vq, &len))) {
		rng->len = len;
		rng->done = true;
		rng->busy = false;
		n++;
	}
	return n;
}

static void rng_reset_fail(struct virtio_dev *vd)
{
	struct rng *rng;
	while ((rng = vq_detach_unused(vd->q[0].vq))) {
		rng->len = 0;
		rng->failed = true;
		rng->done = true;
		rng->busy = false;
	}
}

/* The wait ends when the request comes back, or when it never will: the device broke
 * the queue's rules, or was given up. Its buffer stays the device's then. */
static bool rng_done(void *arg)
{
	struct virtio_dev *vd = arg;
	struct rng *rng = vd->priv;
	return rng->done || vd->broken || !vd->nqueues || vq_broken(vd->q[0].vq);
}

int virtio_rng_read(struct virtio_dev *vd, void *buf, size_t n)
{
	struct rng *rng = vd->priv;
	struct virtqueue *vq = vd->q[0].vq;

	if (n == 0)
		return -EINVAL;
	if (vd->broken || !vd->nqueues || !rng->buf || vq_broken(vq))
		return -EIO; /* a reset that did not bring it back, or a queue the device broke */
	if (rng->busy)
		return -EBUSY; /* an earlier request timed out and is still the device's */
	if (n > RNG_BUF)
		n = RNG_BUF;
	/* §5.4.6: the driver posts device-writable buffers; the device fills them. */
	struct vq_sg in = { rng->handle, (uint32_t)n };
	rng->done = rng->failed = false;
	int r = vq_add(vq, NULL, 0, &in, 1, rng);
	if (r)
		return r;
	rng->busy = true;
	vq_kick(vq);
	if (!kwait(rng_done, vd, 5000000000ull)) /* the top level's wait: see virtio_rng.h */
		return -ETIMEDOUT;
	if (rng->failed || !rng->done)
		return -EIO; /* reset with the request in flight, or the device broke the rules */
	if (rng->len > n)
		return -EIO; /* the ring checks this too */
	memcpy(buf, rng->buf, rng->len);
	return (int)rng->len;
}

dma_addr_t virtio_rng_buffer(struct virtio_dev *vd, size_t *len)
{
	struct rng *rng = vd->priv;
	*len = RNG_BUF;
	return rng && rng->buf ? rng->handle : DMA_MAPPING_ERROR;
}

const struct virtio_driver virtio_rng_driver = {
	.prefix = "rng",
	.device_id = VIRTIO_ID_RNG,
	.probe = rng_probe,
	.poll = rng_poll,
	.reset_fail = rng_reset_fail,
};
