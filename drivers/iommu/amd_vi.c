/* amd_vi.c - AMD-Vi (AMD I/O Virtualization Technology, spec 48882): not yet driven; no units. */
#include "drivers/iommu/iommu.h"

static int amd_init(enum dma_iommu_mode mode) { return 0; }
static bool amd_is_unit(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn) { return false; }
static int amd_attach(struct dma_dev *d, void **domain)
{
	*domain = 0;
	return 0;
}
static void amd_show(void) {}
static uint64_t amd_faults(const struct dma_dev *d, uint64_t *a, unsigned *r) { return 0; }
static void amd_sync(const struct dma_dev *d) {}
const struct iommu_driver amd_vi_driver = { "amd-vi", amd_init,   amd_is_unit, amd_attach,
					    amd_show, amd_faults, amd_sync };
