/* virtio_inspect.c - drivers/inspect.h: the virtio layer as the shell sees it. */
#include "drivers/inspect.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_blk.h"
#include "drivers/virtio/virtio_rng.h"
#include <errno.h>

struct virtio_dev *vdev_first(void) { return virtio_devices; }
struct virtio_dev *vdev_next(const struct virtio_dev *vd) { return vd->next; }
struct virtio_dev *vdev_find(const char *name) { return virtio_find(name); }
struct dma_dev *vdev_dma(struct virtio_dev *vd) { return vd->dma; }
_Static_assert(VDEV_TRACE_LINES == VQ_TRACE_LINES && VDEV_TRACE_RING == VQ_TRACE_RING,
	       "one set of trace bits");
const char *vdev_trace(unsigned what, const char *dev) { return vq_trace(what, dev); }
unsigned vdev_trace_mode(void) { return vq_trace_mode(); }

void vdev_info(const struct virtio_dev *vd, struct vdev_info *out)
{
	*out = (struct vdev_info){
		.name = vd->name,
		.type = vd->drv->prefix,
		.transport = vd->ops->name,
		.packed = virtio_has(vd, VIRTIO_F_RING_PACKED),
		.broken = vd->broken,
		.nqueues = vd->nqueues,
		.resets = vd->resets,
		.mode = vd->mode,
		.features = vd->features,
	};
	vd->ops->location((struct virtio_dev *)vd, out->location, sizeof out->location);
}

void vdev_features(const struct virtio_dev *vd, uint64_t f, char *buf, size_t len)
{
	virtio_format_features(vd, f, buf, len);
}

int vdev_set_mode(struct virtio_dev *vd, enum io_mode mode) { return virtio_set_mode(vd, mode); }

int vdev_queue_stats(struct virtio_dev *vd, unsigned q, struct vq_stats *out)
{
	if (q >= vd->nqueues)
		return -EINVAL;
	*out = *vq_stats(vd->q[q].vq);
	return 0;
}

int vdev_queue_dump(struct virtio_dev *vd, unsigned q)
{
	if (q >= vd->nqueues)
		return -EINVAL;
	vq_dump(vd->q[q].vq);
	return 0;
}

int vdev_queue_break(struct virtio_dev *vd, unsigned q)
{
	if (q >= vd->nqueues)
		return -EINVAL;
	return vq_inject_bad_avail(vd->q[q].vq);
}

int vdev_rng_read(struct virtio_dev *vd, void *buf, size_t n)
{
	return vd->drv == &virtio_rng_driver ? virtio_rng_read(vd, buf, n) : -ENODEV;
}

int vdev_blk_floor(struct virtio_dev *vd, struct vdev_floor *f)
{
	if (vd->drv != &virtio_blk_driver)
		return -ENODEV;
	struct blk_floor b = { f->queue, f->qd, f->bytes, f->write, f->ns, f->bufs, 0, 0 };
	int r = virtio_blk_floor(vd, &b);
	f->completions = b.completions;
	f->elapsed_ns = b.elapsed_ns;
	return r;
}

dma_addr_t vdev_rng_buffer(struct virtio_dev *vd, size_t *len)
{
	*len = 0;
	return vd->drv == &virtio_rng_driver ? virtio_rng_buffer(vd, len) : DMA_MAPPING_ERROR;
}
