/* iopt.h - I/O address spaces: the IOVA allocator, and radix page tables in the VT-d and AMD-Vi formats. */
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
/* Marks n pages at iova allocated for good (a range the platform reserves);
 * pages outside the space are ignored. */
void iova_reserve(struct iova_space *s, uint64_t iova, uint64_t n);

/* The pages a buffer [addr, addr + len) touches at granule gran (a power
 * of two): where the first starts, and how many. */
static inline uint64_t iopt_first(uint64_t addr, uint64_t gran) { return addr & ~(gran - 1); }
static inline uint64_t iopt_count(uint64_t addr, uint64_t len, uint64_t gran)
{
	return len ? ((addr & (gran - 1)) + len + gran - 1) / gran : 0;
}

/*
 * A page table is a radix tree of 4 KiB tables of 512 entries; level 1
 * maps 4 KiB pages, level 2 2 MiB, level 3 1 GiB. The two formats differ
 * only in what an entry holds:
 *
 *   VT-d second level (VT-d 4.1 §9.8): R bit 0, W bit 1, PS bit 7 (a large
 *     leaf at level 2 or 3), address 51:12. A table entry grants R and W.
 *   AMD-Vi v1 (AMD IOMMU spec 48882 §2.2.3): PR bit 0, NextLevel 11:9,
 *     address 51:12, IR bit 61, IW bit 62. A table entry names the level
 *     below it; NextLevel 0 at level 2 or 3 is a large leaf. Permissions
 *     are ANDed down the walk, so table entries grant IR and IW.
 */
#define IOPT_R        1u
#define IOPT_W        2u
#define IOPT_ADDR     0x000ffffffffff000ull /* bits 51:12 in both formats */
#define IOPT_MAX_LVLS 5

struct iopt_format {
	const char *name;
	uint64_t (*table)(uint64_t phys, unsigned level); /* in a table of this level */
	uint64_t (*leaf)(uint64_t phys, unsigned level, unsigned prot);
	bool (*present)(uint64_t e);
	bool (*large)(uint64_t e); /* a present entry above level 1 that is a leaf */
	uint64_t empty;            /* what a not-present entry holds */
};
extern const struct iopt_format iopt_vtd, iopt_amd;

/* Tables are zeroed 4 KiB pages whose pointer is their physical address
 * (the kernel's identity map; host tests use their own memory). */
struct iopt {
	const struct iopt_format *fmt;
	uint64_t root;   /* physical address of the top table */
	unsigned levels; /* 3: 39-bit, 4: 48-bit, 5: 57-bit */
	void *(*alloc_page)(void);
	void (*flush)(const void *p, size_t len); /* make table writes visible to a non-coherent walker */
	uint64_t tables, mapped;                  /* counts for `iommu`; mapped in 4 KiB pages */
};
/* 0, -EINVAL for a bad level count, -ENOMEM. */
int iopt_init(struct iopt *pt, const struct iopt_format *fmt, unsigned levels, void *(*alloc_page)(void),
	      void (*flush)(const void *, size_t));
/* Map n 4 KiB pages at iova to phys with IOPT_R/IOPT_W in prot. 0; -EINVAL
 * when a range is misaligned or past the address width; -EEXIST when a page
 * is already mapped; -ENOMEM. On error nothing is left mapped by this call. */
int iopt_map(struct iopt *pt, uint64_t iova, uint64_t phys, uint64_t n, unsigned prot);
/* Map len bytes (a multiple of 4 KiB) with the largest leaves up to
 * max_level that iova and phys allow. For mappings that live as long as
 * the domain (a pool window, the floor): iopt_unmap does not split them. */
int iopt_map_large(struct iopt *pt, uint64_t iova, uint64_t phys, uint64_t len, unsigned prot,
		   unsigned max_level);
/* Clears n 4 KiB leaves from iova; how many were mapped. */
uint64_t iopt_unmap(struct iopt *pt, uint64_t iova, uint64_t n);
/* The leaf entry that maps iova, and its level (0 when not mapped). */
uint64_t iopt_lookup(const struct iopt *pt, uint64_t iova, unsigned *level);
/* Frees every table (free_page gets each one). */
void iopt_destroy(struct iopt *pt, void (*free_page)(void *));
#endif
