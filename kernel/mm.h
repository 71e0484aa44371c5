/* mm.h - physical pages, the heap behind malloc, and mappings of device memory. */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull

void mm_init(void);
/* n physically contiguous, zeroed pages, aligned to align_pages (a power of
 * two); the memory is identity mapped, so the pointer is the physical
 * address. NULL when none are free. */
void *page_alloc(size_t n, size_t align_pages);
void page_free(void *p, size_t n);
size_t page_free_count(void);

/* Physical address of kernel memory. The map is the identity: this is for
 * kernel/dma.c and the page tables, never for drivers. */
static inline uint64_t virt_to_phys(const void *p) { return (uint64_t)(uintptr_t)p; }

/* After mm_init: page 0 and the stack guard pages unmapped, code
 * read-only, data not executable (kernel/paging.c). */
void paging_protect(void);
/* Read low memory (the BIOS data area in page 0, too). */
void low_memory_read(uint64_t phys, void *dst, size_t len);

/* Make [phys, phys+len) reachable as uncached device memory, returns the
 * pointer; below 4 GiB the boot map already covers it. NULL on failure. */
void *mmio_map(uint64_t phys, uint64_t len);

struct mm_stats {
	uint64_t ram_bytes, pages_total, pages_free, heap_bytes, heap_used;
};
void mm_stats(struct mm_stats *s);

/* newlib's _sbrk */
void *heap_sbrk(intptr_t incr);
/* Storage that boot.S does not clear: buffers whose every byte is written
 * before it is read. Clearing .bss costs the boot about a nanosecond a byte
 * under TCG (each step of a rep runs on its own); the page bitmap (set by
 * mm_init), the console's ring (written before it is sent) and the stacks
 * (boot.S's and the IST ones, kernel/cpu.c) are 292 KiB of its 380. */
#define NOINIT __attribute__((section(".bss.noinit")))
#endif
