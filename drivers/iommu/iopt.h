/* iopt.h - I/O address space of one domain: the IOVA allocator and the VT-d second-level page table. */
#ifndef DRIVERS_IOMMU_IOPT_H
#define DRIVERS_IOMMU_IOPT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOPT_PAGE 4096ull

/* IOVAs are handed out in pages from [base, base + npages * 4 KiB), first
 * fit from a moving hint, tracked by one bit per page. */
struct iova_space {
	uint64_t base;
	uint32_t npages, hint, used;
	uint64_t *bitmap; /* npages bits, caller-provided, zeroed */
};
void iova_init(struct iova_space *s, uint64_t base, uint32_t npages, uint64_t *bitmap);
/* n pages at a multiple of align pages (a power of two) from base; 0 when
 * the space has no such run (0 is never an IOVA: base is above it). */
uint64_t iova_alloc(struct iova_space *s, uint32_t n, uint32_t align);
/* The page at iova is allocated. */
bool iova_allocated(const struct iova_space *s, uint64_t iova);
/* Gives back n pages at iova; -EINVAL if any of them was not allocated. */
int iova_free(struct iova_space *s, uint64_t iova, uint32_t n);

/* Second-level paging entries, VT-d 4.1 §9.8 (4 KiB leaves only) */
#define SL_R        (1ull << 0)
#define SL_W        (1ull << 1)
#define SL_ADDR     0x000ffffffffff000ull /* bits 51:12 */
#define SL_MAX_LVLS 5

/* Memory for tables: a zeroed 4 KiB page whose pointer is its physical
 * address (the kernel's identity map; host tests use their own memory). */
struct sl_pt {
	uint64_t root;   /* physical address of the top table */
	unsigned levels; /* 3: 39-bit, 4: 48-bit, 5: 57-bit (§3.6, SAGAW) */
	void *(*alloc_page)(void);
	void (*flush)(const void *p, size_t len); /* make table writes visible to a non-coherent walker */
	uint64_t tables, mapped;                  /* counts, for `iommu` */
};
/* 0, -EINVAL for a bad level count, -ENOMEM. */
int sl_init(struct sl_pt *pt, unsigned levels, void *(*alloc_page)(void),
	    void (*flush)(const void *, size_t));
/* Map n pages at iova to phys with SL_R/SL_W in prot. 0; -EINVAL when a
 * range is misaligned or past the address width; -EEXIST when a page is
 * already mapped; -ENOMEM. On error nothing is left mapped by this call. */
int sl_map(struct sl_pt *pt, uint64_t iova, uint64_t phys, uint64_t n, uint64_t prot);
/* Clears n pages from iova; how many were mapped. */
uint64_t sl_unmap(struct sl_pt *pt, uint64_t iova, uint64_t n);
/* The leaf entry for iova (0 when not mapped). */
uint64_t sl_lookup(const struct sl_pt *pt, uint64_t iova);
/* Frees every table (free_page gets each one). */
void sl_destroy(struct sl_pt *pt, void (*free_page)(void *));
#endif
