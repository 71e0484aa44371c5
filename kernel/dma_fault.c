/* dma_fault.c - IOMMU faults attributed: a request's buffer fails the requests in flight, anything else resets the device. */
#include "kernel/dma.h"
#include "kernel/dma_backend.h"
#include "kernel/mm.h"

/*
 * The one policy, for every driver (kernel/dma.h):
 *
 *   fault on a page of a buffer lent per request  -> fault_gen moves: each
 *        request in flight when it moved fails (dma_faulted_since)
 *   fault on a coherent range (rings, headers, the pool) or on no mapping -> fault_reset:
 *        the owner takes nothing more from the device and resets it
 *
 * The owner (the virtio core) is told through fault_notify, and reads the
 * records itself (dma_sync_faults) before it believes a completion.
 */

static bool coherent(const struct dma_dev *d, dma_addr_t page)
{
	for (const struct dma_region *r = d->coherent; r; r = r->next)
		if (page + PAGE_SIZE > r->handle && page < r->handle + r->len)
			return true;
	return false;
}

void dma_fault_record(struct dma_dev *d, dma_addr_t page, bool write)
{
	(void)write; /* the IOMMU driver has printed it */
	bool lent = page != DMA_MAPPING_ERROR && !coherent(d, page) &&
		    (dma_pool_is_window(d) ? dma_pool_lent(d, page)
					   : d->ops && d->ops->lent && d->ops->lent(d, page));
	if (lent) {
		d->fault_gen++;
		d->faults_matched++;
	} else {
		d->fault_reset = true;
		d->faults_unmatched++;
	}
	d->fault_last = page;
	if (d->fault_notify)
		d->fault_notify(d);
}

void dma_fault_clear(struct dma_dev *d)
{
	dma_sync_faults(d); /* what the old queues faulted on went with them */
	d->fault_reset = false;
}
