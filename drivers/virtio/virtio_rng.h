/* virtio_rng.h - random bytes from a virtio-rng device. */
#ifndef DRIVERS_VIRTIO_VIRTIO_RNG_H
#define DRIVERS_VIRTIO_VIRTIO_RNG_H
#include "kernel/dma.h"
#include <stddef.h>

struct virtio_dev;
/* Up to n random bytes into buf; how many came, or a negative errno. It
 * waits for the device: the top level only (a shell command). */
int virtio_rng_read(struct virtio_dev *vd, void *buf, size_t n);
/* The handle of the buffer lent to the device, and its size (`iommu test`). */
dma_addr_t virtio_rng_buffer(struct virtio_dev *vd, size_t *len);
#endif
