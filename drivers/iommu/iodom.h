/* iodom.h - what VT-d and AMD-Vi domains share: IOVAs, a page table, lazy or strict unmapping. */
#ifndef DRIVERS_IOMMU_IODOM_H
#define DRIVERS_IOMMU_IODOM_H
#include "drivers/iommu/iopt.h"
#include "kernel/dma.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IODOM_IOVA_BASE  (64ull << 30) /* 64 GiB: far above RAM, never mistaken for an address */
#define IODOM_IOVA_PAGES 65536u        /* 256 MiB of handles per device */
#define IODOM_LAZY_DEFER 64            /* lazy mode: unmaps per invalidation of the domain */

/*
 * A page-table IOMMU is told about a mapping by the table, and about the
 * end of one by an invalidation; the unit-specific part is only how to
 * invalidate. A unit driver provides that as ops, each of which queues
 * work and commit waits for all of it (one wait per batch).
 */
struct iodom_ops {
	void (*range)(void *unit, uint16_t domain, uint64_t iova, uint64_t pages);
	void (*all)(void *unit, uint16_t domain);
	void (*commit)(void *unit);
	/* a mapping was written: what the unit needs then (one that caches
	 * not-present entries, VT-d CM or AMD-Vi NpCache, is told as of a
	 * changed one; VT-d with RWBF flushes its write buffer) */
	void (*mapped)(void *unit, uint16_t domain, uint64_t iova, uint64_t pages);
};

struct iodom {
	const struct iodom_ops *ops;
	void *unit;
	uint16_t id;
	const struct dma_dev *dev; /* whose: for logs */
	struct iopt pt;
	struct iova_space iova;
	uint64_t maps, unmaps;
	struct {
		uint64_t iova;
		uint32_t n;
	} defer[IODOM_LAZY_DEFER];
	int ndefer;
};

/* The IOVA space and an empty table. 0 or -ENOMEM. */
int iodom_init(struct iodom *dm, const struct dma_dev *dev, const struct iodom_ops *ops, void *unit,
	       uint16_t id, const struct iopt_format *fmt, unsigned levels, void *(*alloc_page)(void),
	       void (*flush)(const void *, size_t));
/* Its tables and IOVA bitmap (host tests; the kernel never detaches). */
void iodom_destroy(struct iodom *dm, void (*free_page)(void *));
/* dma_backend's calls, for the domain's device (strict: every unmap
 * invalidated before it returns; else batched). */
dma_addr_t iodom_map(struct iodom *dm, uint64_t phys, size_t len, enum dma_dir dir);
void iodom_unmap(struct iodom *dm, dma_addr_t handle, size_t len, bool strict);
void iodom_revoke(struct iodom *dm, dma_addr_t handle, size_t len);
void iodom_release(struct iodom *dm, dma_addr_t handle, size_t len);
bool iodom_lent(const struct iodom *dm, dma_addr_t page);
int iodom_map_fixed(struct iodom *dm, uint64_t iova, uint64_t phys, uint64_t len, unsigned max_level);
#endif
