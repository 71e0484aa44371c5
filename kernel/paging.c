/* paging.c - identity mappings of device memory above the 4 GiB the boot map covers. */
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"

#define PTE_P       0x1ull
#define PTE_W       0x2ull
#define PTE_PWT     0x8ull
#define PTE_PCD     0x10ull
#define PTE_PS      0x80ull
#define PTE_ADDR    0x000ffffffffff000ull
#define HUGE        (2ull << 20)
#define BOOT_MAPPED (4ull << 30)
#define PHYS_LIMIT  (1ull << 46) /* leave room below the 48-bit canonical hole */

extern uint64_t boot_pml4[512];

/* The next-level table behind *e, made (zeroed) if absent. */
static uint64_t *next_table(uint64_t *e)
{
	if (!(*e & PTE_P)) {
		void *t = page_alloc(1, 1);
		if (!t)
			return NULL;
		*e = virt_to_phys(t) | PTE_P | PTE_W;
	}
	return (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
}

void *mmio_map(uint64_t phys, uint64_t len)
{
	if (!len || phys + len < phys || phys + len > PHYS_LIMIT)
		return NULL;
	if (phys + len <= BOOT_MAPPED)
		return (void *)(uintptr_t)phys;
	for (uint64_t a = phys & ~(HUGE - 1); a < phys + len; a += HUGE) {
		if (a < BOOT_MAPPED)
			continue;
		uint64_t *pdpt = next_table(&boot_pml4[(a >> 39) & 511]);
		uint64_t *pd = pdpt ? next_table(&pdpt[(a >> 30) & 511]) : NULL;
		if (!pd)
			return NULL;
		uint64_t *e = &pd[(a >> 21) & 511];
		if (!(*e & PTE_P))
			*e = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT; /* uncached */
	}
	/* Only new entries were written, none changed: no TLB entry is stale. */
	return (void *)(uintptr_t)phys;
}
