/* virtio_blk.h - what virtio_blk.c offers besides its block device: the floor benchmark. */
#ifndef DRIVERS_VIRTIO_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_VIRTIO_BLK_H

struct virtio_dev;
struct vdev_floor;
/* drivers/inspect.h, vdev_blk_floor: the least a driver can do per request, on vd's queue. */
int virtio_blk_floor(struct virtio_dev *vd, struct vdev_floor *f);
#endif
