/* virtio_iommu.c - virtio-iommu (virtio 1.2 §5.13): not yet driven; no units. */
#include "drivers/iommu/iommu.h"

static int vi_init(enum dma_iommu_mode mode) { return 0; }
static bool vi_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn) { return false; }
static int vi_attach(struct dma_dev *d, void **domain)
{
	*domain = 0;
	return 0;
}
static void vi_show(void) {}
static uint64_t vi_faults(const struct dma_dev *d, uint64_t *a, unsigned *r) { return 0; }
static void vi_sync(const struct dma_dev *d) {}
const struct iommu_driver virtio_iommu_driver = { "virtio-iommu", vi_init,   vi_is_unit, vi_attach,
						  vi_show,        vi_faults, vi_sync };
