/* iodom.c - a page-table IOMMU domain: map, unmap lazily or strictly, revoke; the unit only invalidates. */
#include "drivers/iommu/iodom.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include <errno.h>
#include <stdlib.h>

int iodom_init(struct iodom *dm, const struct dma_dev *dev, const struct iodom_ops *ops, void *unit,
	       uint16_t id, const struct iopt_format *fmt, unsigned levels, void *(*alloc_page)(void),
	       void (*flush)(const void *, size_t))
{
	uint64_t *bitmap = calloc(IODOM_IOVA_PAGES / 64, sizeof *bitmap);
	if (!bitmap || iopt_init(&dm->pt, fmt, levels, alloc_page, flush)) {
		free(bitmap);
		return -ENOMEM;
	}
	dm->dev = dev, dm->ops = ops, dm->unit = unit, dm->id = id;
	iova_init(&dm->iova, IODOM_IOVA_BASE, IODOM_IOVA_PAGES, bitmap);
	return 0;
}

void iodom_destroy(struct iodom *dm, void (*free_page)(void *))
{
	iopt_destroy(&dm->pt, free_page);
	free(dm->iova.bitmap);
	dm->iova.bitmap = NULL;
}

static const char *dname(const struct iodom *dm) { return dma_dev_name(dm->dev); }

static unsigned prot_for(enum dma_dir dir)
{
	return dir == DMA_TO_DEVICE ? IOPT_R : dir == DMA_FROM_DEVICE ? IOPT_W : IOPT_R | IOPT_W;
}

/* What lazy unmaps held: one invalidation of the domain, then the IOVAs are free. */
static void drain_deferred(struct iodom *dm)
{
	if (!dm->ndefer)
		return;
	dm->ops->all(dm->unit, dm->id);
	dm->ops->commit(dm->unit);
	for (int i = 0; i < dm->ndefer; i++)
		iova_free(&dm->iova, dm->defer[i].iova, dm->defer[i].n);
	dm->ndefer = 0;
}

dma_addr_t iodom_map(struct iodom *dm, uint64_t phys, size_t len, enum dma_dir dir)
{
	uint64_t off = phys & (IOPT_PAGE - 1), n = iopt_count(phys, len, IOPT_PAGE);
	if (!len || n > IODOM_IOVA_PAGES)
		return DMA_MAPPING_ERROR;
	uint64_t flags = irq_save();
	uint64_t iova = iova_alloc(&dm->iova, (uint32_t)n, 1);
	if (!iova && dm->ndefer) {
		drain_deferred(dm); /* lazy unmaps still hold the space: settle them */
		iova = iova_alloc(&dm->iova, (uint32_t)n, 1);
	}
	int r = iova ? iopt_map(&dm->pt, iova, phys - off, n, prot_for(dir)) : -ENOSPC;
	if (r) {
		if (iova)
			iova_free(&dm->iova, iova, (uint32_t)n);
		irq_restore(flags);
		log_err("iommu: %s: cannot map %llu pages (%d)\n", dname(dm), (unsigned long long)n, r);
		return DMA_MAPPING_ERROR;
	}
	dm->ops->mapped(dm->unit, dm->id, iova, n);
	dm->maps++;
	irq_restore(flags);
	return iova + off; /* the buffer's offset in its first page is the handle's */
}

void iodom_unmap(struct iodom *dm, dma_addr_t handle, size_t len, bool strict)
{
	uint64_t iova = iopt_first(handle, IOPT_PAGE), n = iopt_count(handle, len, IOPT_PAGE);
	uint64_t flags = irq_save();
	if (!len || iova < dm->iova.base || iopt_unmap(&dm->pt, iova, n) != n) {
		irq_restore(flags);
		log_err("iommu: %s: unmap of 0x%llx+%zu that was not mapped\n", dname(dm),
			(unsigned long long)handle, len);
		return;
	}
	dm->unmaps++;
	if (strict) {
		/* the device loses the pages before this returns: a stale handle faults */
		dm->ops->range(dm->unit, dm->id, iova, n);
		dm->ops->commit(dm->unit);
		iova_free(&dm->iova, iova, (uint32_t)n);
	} else {
		/* lazy: the IOTLB may keep the pages until the batch is flushed; the
		 * IOVAs stay allocated until then, so nothing new lands on them */
		dm->defer[dm->ndefer].iova = iova;
		dm->defer[dm->ndefer++].n = (uint32_t)n;
		if (dm->ndefer == IODOM_LAZY_DEFER)
			drain_deferred(dm);
	}
	irq_restore(flags);
}

/* Fault injection (dma_inject_stale): the pages go at once, strict or not,
 * while the IOVAs stay allocated until iodom_release. */
void iodom_revoke(struct iodom *dm, dma_addr_t handle, size_t len)
{
	uint64_t iova = iopt_first(handle, IOPT_PAGE), n = iopt_count(handle, len, IOPT_PAGE);
	uint64_t flags = irq_save();
	if (iopt_unmap(&dm->pt, iova, n)) {
		dm->ops->range(dm->unit, dm->id, iova, n);
		dm->ops->commit(dm->unit);
	}
	dm->unmaps++;
	irq_restore(flags);
}

void iodom_release(struct iodom *dm, dma_addr_t handle, size_t len)
{
	uint64_t flags = irq_save();
	iova_free(&dm->iova, iopt_first(handle, IOPT_PAGE), (uint32_t)iopt_count(handle, len, IOPT_PAGE));
	irq_restore(flags);
}

/* A page of a mapping iodom_map made and iodom_unmap has not given back:
 * its IOVA is allocated and not waiting in the lazy batch. */
bool iodom_lent(const struct iodom *dm, dma_addr_t page)
{
	uint64_t iova = page & ~(IOPT_PAGE - 1);
	if (!iova_allocated(&dm->iova, iova))
		return false;
	for (int i = 0; i < dm->ndefer; i++)
		if (iova >= dm->defer[i].iova && iova < dm->defer[i].iova + dm->defer[i].n * IOPT_PAGE)
			return false;
	return true;
}

/* The window or the floor: read-write, the largest leaves the unit allows. */
int iodom_map_fixed(struct iodom *dm, uint64_t iova, uint64_t phys, uint64_t len, unsigned max_level)
{
	uint64_t flags = irq_save();
	int r = iopt_map_large(&dm->pt, iova, phys, len, IOPT_R | IOPT_W, max_level);
	if (!r) {
		dm->ops->mapped(dm->unit, dm->id, iova, len / IOPT_PAGE);
		dm->maps++;
	}
	irq_restore(flags);
	return r;
}
