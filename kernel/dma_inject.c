/* dma_inject.c - `iommu test`: a backend wrapped around the device's own that hands out revoked handles. */
#include "kernel/dma.h"
#include "kernel/dma_backend.h"
#include "kernel/log.h"
#include <errno.h>

/*
 * While something is injected for a device, its d->ops points here and the
 * real backend waits in the slot; when the last revoked handle is given
 * back, d->ops is the real one again. So with nothing injected, dma_map does
 * no work for the tests at all.
 */

#define SLOTS 4

static struct inject {
	struct dma_dev *d;
	const struct dma_backend *real;
	unsigned stale_next, nstale;
	struct {
		dma_addr_t handle;
		size_t len;
	} stale[DMA_STALE_MAX];
} slots[SLOTS];

static struct inject *find(const struct dma_dev *d)
{
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].d == d)
			return &slots[i];
	return NULL;
}

static void done_if_idle(struct inject *in)
{
	if (in->stale_next || in->nstale)
		return;
	in->d->ops = in->real;
	in->d = NULL;
}

static void record(struct inject *in, dma_addr_t h, size_t len)
{
	in->real->revoke(in->d, h, len);
	in->stale[in->nstale].handle = h;
	in->stale[in->nstale++].len = len;
}

static dma_addr_t inj_map(struct dma_dev *d, uint64_t phys, size_t len, enum dma_dir dir)
{
	struct inject *in = find(d);
	dma_addr_t h = in->real->map(d, phys, len, dir);
	if (in->stale_next && h != DMA_MAPPING_ERROR && in->nstale < DMA_STALE_MAX) {
		in->stale_next--;
		record(in, h, len);
		log_warn("dma: %s: handed out the revoked handle 0x%llx+%zu (iommu test)\n", dma_dev_name(d),
			 (unsigned long long)h, len);
	}
	return h;
}

/* A dead handle gives back its IOVAs only; a live one is unmapped as usual. */
static void inj_unmap(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	struct inject *in = find(d);
	const struct dma_backend *real = in->real;
	for (unsigned i = 0; i < in->nstale; i++) {
		if (in->stale[i].handle != handle)
			continue;
		real->release(d, handle, in->stale[i].len);
		in->stale[i] = in->stale[--in->nstale];
		done_if_idle(in);
		return;
	}
	real->unmap(d, handle, len, dir);
}

static bool inj_lent(struct dma_dev *d, dma_addr_t page) { return find(d)->real->lent(d, page); }

static const struct dma_backend inject_backend = { "inject", inj_map, inj_unmap, inj_lent, NULL, NULL, NULL };

/* The device's injection slot, taken over from its real backend if need be. */
static int take(struct dma_dev *d, struct inject **out)
{
	if (!dma_translated(d) || !d->ops || (!find(d) && !d->ops->revoke))
		return -ENODEV;
	if (!dma_strict())
		return -EOPNOTSUPP; /* lazy: an unmapped page may stay in the IOTLB until the batch flush */
	struct inject *in = find(d);
	for (int i = 0; !in && i < SLOTS; i++)
		if (!slots[i].d) {
			in = &slots[i];
			*in = (struct inject){ .d = d, .real = d->ops };
			d->ops = &inject_backend;
		}
	if (!in)
		return -EBUSY;
	*out = in;
	return 0;
}

int dma_inject_stale(struct dma_dev *d, unsigned n)
{
	if (dma_translated(d) && dma_pool_is_window(d))
		return dma_pool_inject_outside(d, n); /* nothing is mapped per request to revoke */
	struct inject *in;
	int r = take(d, &in);
	if (r)
		return r;
	if (n == 0 || n > DMA_STALE_MAX - in->nstale) {
		done_if_idle(in);
		return -EINVAL;
	}
	in->stale_next = n;
	return 0;
}

int dma_inject_revoke(struct dma_dev *d, dma_addr_t handle, size_t len)
{
	if (dma_pool_is_window(d))
		return -EOPNOTSUPP; /* the window is mapped whole, with large pages */
	struct inject *in;
	int r = take(d, &in);
	if (r)
		return r;
	for (unsigned i = 0; i < in->nstale; i++)
		if (in->stale[i].handle == handle)
			return -EALREADY; /* revoked already: one release will give back its IOVAs */
	if (in->nstale >= DMA_STALE_MAX) {
		done_if_idle(in);
		return -ENOSPC;
	}
	record(in, handle, len);
	log_warn("dma: %s: revoked the live handle 0x%llx+%zu (iommu test)\n", dma_dev_name(d),
		 (unsigned long long)handle, len);
	return 0;
}

void dma_inject_cancel(struct dma_dev *d)
{
	dma_pool_inject_cancel(d);
	struct inject *in = find(d);
	if (in) {
		in->stale_next = 0;
		done_if_idle(in);
	}
}
