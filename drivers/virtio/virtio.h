/* virtio.h - the virtio core: devices, the transport ops table, feature names, modes. */
#ifndef DRIVERS_VIRTIO_VIRTIO_H
#define DRIVERS_VIRTIO_VIRTIO_H
#include "drivers/virtio/virtqueue.h"
#include "kernel/cmdline.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Device status bits (virtio 1.2 §2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER      0x02
#define VIRTIO_STATUS_DRIVER_OK   0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED      0x80

/* Reserved feature bits (virtio 1.2 §6). */
#define VIRTIO_F_NOTIFY_ON_EMPTY   24
#define VIRTIO_F_ANY_LAYOUT        27
#define VIRTIO_F_INDIRECT_DESC     28
#define VIRTIO_F_EVENT_IDX         29
#define VIRTIO_F_VERSION_1         32
#define VIRTIO_F_ACCESS_PLATFORM   33
#define VIRTIO_F_RING_PACKED       34
#define VIRTIO_F_IN_ORDER          35
#define VIRTIO_F_ORDER_PLATFORM    36
#define VIRTIO_F_SR_IOV            37
#define VIRTIO_F_NOTIFICATION_DATA 38
#define VIRTIO_F_RING_RESET        40
#define BIT(n)                     (1ull << (n))

/* Device ids (virtio 1.2 §5). */
#define VIRTIO_ID_NET   1
#define VIRTIO_ID_BLK   2
#define VIRTIO_ID_RNG   4
#define VIRTIO_ID_IOMMU 23

struct virtio_dev;

/* What a transport (virtio_pci.c, virtio_mmio.c) provides. Interrupt routing (MSI-X
 * entries, INTx) is the transport's own business: the core only asks for
 * a queue's interrupts to be set up, masked or freed. */
struct virtio_ops {
	/* Reset, and wait for the device to read back 0: 0, or -ETIMEDOUT after
	 * VIRTIO_DEVICE_WAIT_NS (the device may still own what it was given). */
	int (*reset)(struct virtio_dev *vd);
	uint8_t (*get_status)(struct virtio_dev *vd);
	void (*set_status)(struct virtio_dev *vd, uint8_t status);
	uint64_t (*get_features)(struct virtio_dev *vd);
	void (*set_features)(struct virtio_dev *vd, uint64_t features);
	/* device-specific configuration, one field at a time (width 1, 2, 4, 8);
	 * a read that never settles (VIRTIO_CONFIG_TRIES) sets config_error */
	uint64_t (*read_config)(struct virtio_dev *vd, unsigned off, int width);
	void (*write_config)(struct virtio_dev *vd, unsigned off, int width, uint64_t v);
	uint32_t (*config_generation)(struct virtio_dev *vd);
	size_t (*config_size)(struct virtio_dev *vd);
	unsigned (*max_queues)(struct virtio_dev *vd);
	/* Largest size the device allows for queue q (0: no such queue). */
	unsigned (*queue_max)(struct virtio_dev *vd, unsigned q);
	/* Tell the device where queue q lives, route its interrupt, enable it. */
	int (*queue_activate)(struct virtio_dev *vd, unsigned q, struct virtqueue *vq);
	/* The doorbell for vq (vq_config.notify; priv is the virtio_dev). */
	void (*notify)(struct virtqueue *vq, void *priv);
	/* Interrupts for config changes and nqueues queues; they call
	 * virtio_queue_irq and virtio_config_irq. */
	int (*setup_irqs)(struct virtio_dev *vd, unsigned nqueues);
	void (*free_irqs)(struct virtio_dev *vd);
	void (*mask_queue_irq)(struct virtio_dev *vd, unsigned q, bool mask); /* may be NULL */
	/* Where the device is, for `virtio`: "00:03.0", "mmio@0xfeb00000". */
	void (*location)(struct virtio_dev *vd, char *buf, size_t len);
	const char *name; /* "modern" or "legacy" */
	/* A legacy interface (virtio 1.2 §4.1.4.8 and friends): 32 feature
	 * bits, no FEATURES_OK, one contiguous split ring per queue. */
	bool legacy;
	/* Legacy, but the driver picks each queue's size (virtio-mmio version
	 * 1's QueueNum, §4.2.4); legacy PCI's sizes are the device's. */
	bool legacy_sized;
};

/* What a device driver provides. */
struct virtio_driver {
	const char *prefix; /* devices are named prefix0, prefix1, ... */
	uint16_t device_id;
	uint64_t features; /* device-type features it understands */
	/* After FEATURES_OK: read config, create queues, post buffers (the core
	 * kicks them once DRIVER_OK is set: no notification may go before).
	 * Also after a reset, with vd->priv as the last probe left it. */
	int (*probe)(struct virtio_dev *vd);
	/* Take up to budget used buffers from queue q; returns how many. Runs
	 * as a completion: it may post more, never wait. */
	int (*poll)(struct virtio_dev *vd, unsigned q, int budget);
	void (*config_changed)(struct virtio_dev *vd); /* may be NULL */
	/* The device was reset: fail every request in flight (may be NULL). */
	void (*reset_fail)(struct virtio_dev *vd);
	/* Every VIRTIO_TICK_NS or so, from the device's poller: deadlines (may be NULL). */
	void (*tick)(struct virtio_dev *vd, uint64_t now_ns);
	const char *(*feature_name)(unsigned bit); /* device-type bits, or NULL */
	/* Queues (bit q) whose used buffers the driver takes itself, spinning
	 * for them where it sent the request (virtio-iommu's request queue):
	 * no interrupts from them, and the core never polls them. */
	uint32_t self_polled;
};

#define VIRTIO_MAX_QUEUES     16
/* Every wait on a device is bounded: a reset that does not read back 0 in
 * this long, or a config field that reads differently every time for this
 * many tries, and the device is given up (FAILED) or reset. */
#define VIRTIO_DEVICE_WAIT_NS 100000000ull /* 100 ms */
#define VIRTIO_CONFIG_TRIES   64
#define VIRTIO_TICK_NS        10000000ull /* 10 ms */
/* Resets: at most one per RESET_GAP_NS; RESETS_PER_WINDOW of them within
 * RESET_WINDOW_NS and the device is given up (FAILED). */
#define RESET_GAP_NS          100000000ull   /* 100 ms */
#define RESET_WINDOW_NS       10000000000ull /* 10 s */
#define RESETS_PER_WINDOW     5

struct virtio_queue {
	struct virtqueue *vq;
	volatile bool pending; /* an interrupt came; the poller has work */
	bool irq_on;           /* interrupts enabled on the ring */
};

struct virtio_dev {
	char name[16];
	const struct virtio_ops *ops;
	const struct virtio_driver *drv;
	struct dma_dev *dma;
	void *transport;            /* the transport's own state */
	void *priv;                 /* the driver's */
	uint64_t offered, features; /* device features; negotiated ones */
	unsigned nqueues;
	struct virtio_queue q[VIRTIO_MAX_QUEUES];
	enum io_mode mode;
	volatile bool config_pending; /* config interrupt came */
	uint8_t status;               /* what the driver has written to device status, bit by bit */
	bool broken;
	unsigned resets;                      /* recoveries: DEVICE_NEEDS_RESET, an IOMMU fault */
	int config_error;                     /* a wait on the device hit its bound (the transport sets it) */
	const char *reset_why;                /* virtio_request_reset: device_poll resets the device */
	unsigned breaks_seen;                 /* vq_breaks when device_poll last looked for a broken ring */
	uint64_t reset_at[RESETS_PER_WINDOW]; /* when the last resets were, by resets % N */
	uint64_t next_tick;
	struct virtio_dev *next;
};

extern struct virtio_dev *virtio_devices;

/* Called by the transport: runs the handshake of virtio 1.2 §3.1.1 with
 * the driver for this device id. 0, or a negative errno (device FAILED). */
int virtio_probe(struct virtio_dev *vd, uint16_t device_id);

/* For drivers, from probe: create n queues of at most max_size entries
 * each (0: the device's maximum), with interrupts per the device's mode. */
int virtio_setup_queues(struct virtio_dev *vd, unsigned n, unsigned max_size);
static inline bool virtio_has(const struct virtio_dev *vd, unsigned bit) { return vd->features & BIT(bit); }
/* 0, or -EIO if a config read never settled: nothing read from config holds. */
static inline int virtio_config_error(const struct virtio_dev *vd) { return vd->config_error; }
/* Config fields by offset (use offsetof on the device's config struct). */
uint64_t virtio_config_read(struct virtio_dev *vd, unsigned off, int width);
void virtio_config_write(struct virtio_dev *vd, unsigned off, int width, uint64_t v);

/* For drivers: the device cannot be trusted with what it holds (a request
 * it never completes): the device's poller resets it, failing everything
 * in flight, on its next turn. */
void virtio_request_reset(struct virtio_dev *vd, const char *why);

/* One turn of queue q, as its mode says (the device's poller runs it). */
int virtio_poll_queue(struct virtio_dev *vd, unsigned q);

int virtio_set_mode(struct virtio_dev *vd, enum io_mode mode);
struct virtio_dev *virtio_find(const char *name);
const char *virtio_feature_name(const struct virtio_dev *vd, unsigned bit);
void virtio_format_features(const struct virtio_dev *vd, uint64_t f, char *buf, size_t len);

/* Interrupt entry points for the transport. */
void virtio_queue_irq(struct virtio_dev *vd, unsigned q);
void virtio_config_irq(struct virtio_dev *vd);

/* The drivers, for the table in virtio.c. */
extern const struct virtio_driver virtio_rng_driver;
extern const struct virtio_driver virtio_blk_driver;
extern const struct virtio_driver virtio_net_driver;
extern const struct virtio_driver virtio_iommu_vdriver; /* drivers/iommu/virtio_iommu.c */
#endif
