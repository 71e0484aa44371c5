/* virtio_rng.h - random bytes from a virtio-rng device. */
#ifndef DRIVERS_VIRTIO_VIRTIO_RNG_H
#define DRIVERS_VIRTIO_VIRTIO_RNG_H
#include <stddef.h>

struct virtio_dev;
/* Up to n random bytes into buf; how many came, or a negative errno. */
int virtio_rng_read(struct virtio_dev *vd, void *buf, size_t n);
#endif
