/* virtio_net.h - the virtio-net driver's own counters; frames go through net/netif.h. */
#ifndef DRIVERS_VIRTIO_VIRTIO_NET_H
#define DRIVERS_VIRTIO_VIRTIO_NET_H
#include <stdint.h>

struct netif;

/* Frames the driver refused before the stack saw them, and ring events. */
struct vnet_stats {
	uint64_t rx_bad_len, rx_bad_num_buffers, rx_ring_dry, rx_repost_failed;
	uint64_t tx_too_long, tx_ring_full;
};

/* NULL if nif is not a virtio-net interface. */
const struct vnet_stats *virtio_net_stats(const struct netif *nif);
#endif
