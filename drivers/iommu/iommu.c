/* iommu.c - the IOMMU drivers behind kernel/dma.c: each finds its own units; a device's domain names its driver. */
#include "drivers/iommu/iommu.h"
#include "kernel/dma_backend.h"
#include "kernel/log.h"
#include <stdio.h>

static const struct iommu_driver *const drivers[] = { &vtd_driver, &amd_vi_driver, &virtio_iommu_driver };
#define NDRIVERS (int)(sizeof drivers / sizeof drivers[0])

static bool active[NDRIVERS]; /* drivers with units */
static enum dma_iommu_mode mode;

const char *iommu_mode_name(void)
{
	static const char *const names[] = { [DMA_IOMMU_LAZY] = "lazy",
					     [DMA_IOMMU_STRICT] = "strict",
					     [DMA_IOMMU_OFF] = "off",
					     [DMA_IOMMU_POOL] = "pool",
					     [DMA_IOMMU_FLOOR] = "floor" };
	return names[mode];
}

int iommu_init(enum dma_iommu_mode m)
{
	int units = 0;
	mode = m;
	for (int i = 0; i < NDRIVERS; i++) {
		int n = drivers[i]->init(m);
		active[i] = n > 0;
		units += n > 0 ? n : 0;
	}
	return units;
}

bool iommu_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (int i = 0; i < NDRIVERS; i++)
		if (active[i] && drivers[i]->is_unit(seg, bus, dev, fn))
			return true;
	return false;
}

int iommu_attach(struct dma_dev *d, void **domain)
{
	*domain = NULL;
	if (iommu_is_unit(d->segment, d->bus, d->dev, d->fn))
		return 0; /* an IOMMU does its own DMA untranslated */
	for (int i = 0; i < NDRIVERS; i++) {
		if (!active[i])
			continue;
		int r = drivers[i]->attach(d, domain);
		if (r || *domain)
			return r;
	}
	return 0;
}

static const struct iommu_driver *driver_of(const struct dma_dev *d)
{
	const struct dma_domain *dom = d->domain;
	return dom ? dom->drv : NULL;
}

void iommu_show(void)
{
	bool any = false;
	for (int i = 0; i < NDRIVERS; i++)
		if (active[i]) {
			drivers[i]->show();
			any = true;
		}
	if (!any)
		printf("iommu: none (every device sees guest-physical addresses)\n");
}

uint64_t iommu_faults(const struct dma_dev *d, uint64_t *last_addr, unsigned *last_reason)
{
	const struct iommu_driver *drv = driver_of(d);
	if (!drv)
		return 0;
	drv->sync_faults(d); /* count what the interrupt has not reported yet */
	const struct iommu_faultlog *f = drv->faultlog(d);
	if (last_addr)
		*last_addr = f->last_addr;
	if (last_reason)
		*last_reason = f->last_reason;
	return f->count;
}

void iommu_sync_faults(const struct dma_dev *d)
{
	const struct iommu_driver *drv = driver_of(d);
	if (drv)
		drv->sync_faults(d);
}
