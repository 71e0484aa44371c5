/* sim_transport.h - a simulated virtio device, and a fake transport (a struct virtio_ops) in front of it. */
#ifndef TESTS_SIM_SIM_TRANSPORT_H
#define TESTS_SIM_SIM_TRANSPORT_H
#include "drivers/virtio/virtio.h"
#include "tests/sim/sim.h"

/*
 * Two halves, so that the core and every driver run on the host:
 *
 *   struct sim_vdev, the device: status, feature bits, config space with
 *   its generation, queues (each with a sim_dev playing the ring's device
 *   side), interrupts. It holds the driver to virtio 1.2's rules (the
 *   order of §3.1.1, no status bit cleared, no notification before
 *   DRIVER_OK, rings kept alive while the device holds them...) and writes
 *   the first one broken to err.
 *
 *   struct sim_virtio, the fake transport: a struct virtio_dev whose ops
 *   call straight into the device, as virtio_pci.c does through registers.
 *   A test of a real transport (test_virtio_pci.c) puts its registers in
 *   front of the same device instead.
 *
 * Misbehaviour: each way a device breaks its side of the rules is a bit in
 * sim_vdev.bad, named for what the device does, and checked at the one place
 * in sim_transport.c where the device does it. Adding one is a name here,
 * that line there, and a test of what ringside does about it. Queue sizes
 * are plain numbers (sim_queue.max: 0, not a power of two, too big).
 */
enum sim_bad {
	SIM_RESET_STUCK,         /* status never reads 0 after a reset: the device keeps its rings */
	SIM_GENERATION_CHURN,    /* the config generation changes on every read (legacy, which has
				  * none: the config bytes do) */
	SIM_REFUSE_FEATURES_OK,  /* FEATURES_OK never sticks, whatever the driver accepted */
	SIM_REFUSE_VECTORS,      /* interrupt vectors refused (MSI-X NO_VECTOR read back): setup fails */
	SIM_REFUSE_QUEUE_VECTOR, /* queue bad_queue refuses its vector: its activation fails */
	SIM_NBAD
};
#define SIM_BAD(b) (1u << (b))

#define SIM_CONFIG_MAX  256
#define SIM_STATUS_LOG  64
#define SIM_RESET_POLLS 1000 /* the fake transport's bound on a reset (VIRTIO_DEVICE_WAIT_NS) */

struct sim_queue {
	unsigned max; /* what queue_max reads */
	bool enabled;
	unsigned size;
	dma_addr_t desc, driver, device;
	bool masked, pending; /* the driver masked the interrupt; one came meanwhile */
	unsigned notifies, irqs, lost_irqs;
	struct sim_dev ring; /* the device side of the ring, while enabled */
};

struct sim_vdev {
	uint16_t id; /* device type (virtio 1.2 §5) */
	bool legacy; /* 32 feature bits, no FEATURES_OK, queue sizes fixed */
	uint64_t offered, accepted;
	bool features_written;
	uint8_t status;
	uint8_t status_log[SIM_STATUS_LOG]; /* every status the driver wrote; 0 is a reset */
	unsigned nstatus;
	uint8_t config[SIM_CONFIG_MAX];
	size_t config_size;
	uint32_t generation;
	unsigned nqueues; /* what max_queues reads */
	struct sim_queue q[VIRTIO_MAX_QUEUES];
	bool irqs; /* the driver has interrupts set up */
	unsigned irq_setups, config_irqs, resets;
	unsigned reset_reads;                /* a reset reads as done only after this many status reads */
	unsigned reset_left, bad, bad_queue; /* SIM_BAD() bits; the queue a per-queue one hits */
	uint8_t old_status;
	/* the transport in front: how an interrupt reaches the driver (q -1: config change) */
	void (*raise)(struct sim_vdev *d, int q);
	void *transport;
	/* the device's work on queue q when it runs (sim_vdev_run), after taking what was made
	 * available: use chains (sim_use) or not */
	void (*serve)(struct sim_vdev *d, unsigned q);
	char err[200]; /* the first rule the driver broke; empty if none */
};

/* The device, for whatever transport is in front of it. */
void sim_vdev_init(struct sim_vdev *d, uint16_t id, uint64_t offered, unsigned nqueues, unsigned max);
uint8_t sim_vdev_status(struct sim_vdev *d);
void sim_vdev_set_status(struct sim_vdev *d, uint8_t s); /* 0 resets */
uint64_t sim_vdev_features(struct sim_vdev *d);
void sim_vdev_accept(struct sim_vdev *d, uint64_t f);
uint32_t sim_vdev_generation(struct sim_vdev *d);
uint64_t sim_vdev_config_read(struct sim_vdev *d, unsigned off, int width);
void sim_vdev_config_write(struct sim_vdev *d, unsigned off, int width, uint64_t v);
unsigned sim_vdev_queue_max(struct sim_vdev *d, unsigned q);
void sim_vdev_queue_enable(struct sim_vdev *d, unsigned q, unsigned size, dma_addr_t desc, dma_addr_t driver,
			   dma_addr_t device);
void sim_vdev_notify(struct sim_vdev *d, unsigned q);

/* What the test does as the device. */
/* New config bytes at off: the generation moves and, once live, a config change interrupt. */
void sim_vdev_config_change(struct sim_vdev *d, unsigned off, const void *p, size_t len);
void sim_vdev_needs_reset(struct sim_vdev *d); /* DEVICE_NEEDS_RESET, and the interrupt */
/* The device's turn: takes the chains made available on each live queue, then serve. A
 * poll_fn, so that a test can run the device inside kwait's loop. */
int sim_vdev_run(void *d);
struct sim_dev *sim_vdev_ring(struct sim_vdev *d, unsigned q);
/* The first rule the driver broke, on the device or on any ring; NULL if none. */
const char *sim_vdev_error(struct sim_vdev *d);

/* The fake transport. */
struct sim_virtio {
	struct virtio_dev vd; /* what the core and the driver hold */
	struct dma_dev dma;
	struct sim_vdev dev;
};
/* A device of type id offering these features, with 2 queues of 256 (change dev before probing). */
void sim_virtio_init(struct sim_virtio *t, uint16_t id, uint64_t offered, bool legacy);
int sim_virtio_probe(struct sim_virtio *t); /* virtio_probe, as a transport's probe calls it */
/* The device lets go of its rings (whatever state they are in), then they are freed. */
void sim_virtio_unplug(struct sim_virtio *t);
#endif
