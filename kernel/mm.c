/* mm.c - a bitmap page allocator over the multiboot memory map, and the heap. */
#include "kernel/mm.h"
#include "kernel/boot_info.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include <string.h>

/*
 * Physical memory (identity mapped):
 *
 *   0          1 MiB           __image_end          heap_end          top of RAM
 *   | BIOS, MBI | kernel image | heap (malloc) ...  | pages (page_alloc) ... |
 *
 * Pages below 1 MiB are never handed out. The bitmap covers the first
 * 4 GiB, which is all the RAM a guest of this kernel is given.
 */
#define MAX_PAGES (1ull << 20)
#define HEAP_MAX  (256ull << 20)

static uint64_t bitmap[MAX_PAGES / 64]; /* 1: used */
static uint64_t npages, nfree, ram_bytes;
static uint8_t *heap_start, *heap_brk, *heap_end;
extern char __image_end[];

static void *alloc_range(size_t n, size_t align_pages);
static int test_page(uint64_t i) { return (bitmap[i / 64] >> (i % 64)) & 1; }
static void set_page(uint64_t i) { bitmap[i / 64] |= 1ull << (i % 64); }
static void clear_page(uint64_t i) { bitmap[i / 64] &= ~(1ull << (i % 64)); }

static void mark(uint64_t first, uint64_t n, int used)
{
	for (uint64_t i = first; i < first + n && i < npages; i++) {
		if (used && !test_page(i)) {
			set_page(i);
			nfree--;
		} else if (!used && test_page(i)) {
			clear_page(i);
			nfree++;
		}
	}
}

void mm_init(void)
{
	const struct boot_info *bi = &boot_info_data;
	uint64_t top = 0;

	memset(bitmap, 0xff, sizeof bitmap);
	for (int i = 0; i < bi->nram; i++) {
		uint64_t end = bi->ram[i].base + bi->ram[i].len;
		ram_bytes += bi->ram[i].len;
		if (end > top)
			top = end;
	}
	if (top > MAX_PAGES * PAGE_SIZE) {
		log_warn("mm: RAM above 4 GiB is not used\n");
		top = MAX_PAGES * PAGE_SIZE;
	}
	npages = top / PAGE_SIZE;
	for (int i = 0; i < bi->nram; i++) {
		uint64_t first = (bi->ram[i].base + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t last = (bi->ram[i].base + bi->ram[i].len) / PAGE_SIZE;
		if (last > first)
			mark(first, last - first, 0);
	}
	uint64_t image_pages = ((uint64_t)__image_end + PAGE_SIZE - 1) / PAGE_SIZE;
	mark(0, image_pages, 1); /* low memory and the kernel */

	/* The heap: half of what is free, at most HEAP_MAX, contiguous. */
	uint64_t heap_pages = nfree / 2;
	if (heap_pages > HEAP_MAX / PAGE_SIZE)
		heap_pages = HEAP_MAX / PAGE_SIZE;
	heap_start = alloc_range(heap_pages, 1); /* not zeroed: calloc does its own */
	if (!heap_start)
		panic("mm: no contiguous %llu KiB for the heap", (unsigned long long)heap_pages * 4);
	heap_brk = heap_start;
	heap_end = heap_start + heap_pages * PAGE_SIZE;
	log_info("mm: %llu MiB of RAM, heap %llu MiB, %llu pages free\n",
		 (unsigned long long)(ram_bytes >> 20), (unsigned long long)(heap_pages * PAGE_SIZE >> 20),
		 (unsigned long long)nfree);
}

static void *alloc_range(size_t n, size_t align_pages)
{
	if (!n || !align_pages || (align_pages & (align_pages - 1)))
		return NULL;
	uint64_t flags = irq_save();
	void *r = NULL;
	for (uint64_t i = 0; i + n <= npages;) {
		if (i % align_pages) {
			i = (i + align_pages) & ~(uint64_t)(align_pages - 1);
			continue;
		}
		uint64_t j = 0;
		while (j < n && !test_page(i + j))
			j++;
		if (j == n) {
			mark(i, n, 1);
			r = (void *)(uintptr_t)(i * PAGE_SIZE);
			break;
		}
		i += j + 1;
	}
	irq_restore(flags);
	return r;
}

void *page_alloc(size_t n, size_t align_pages)
{
	void *r = alloc_range(n, align_pages);
	if (r)
		memset(r, 0, n * PAGE_SIZE);
	return r;
}

void page_free(void *p, size_t n)
{
	uint64_t first = (uint64_t)(uintptr_t)p / PAGE_SIZE;
	uint64_t flags = irq_save();
	mark(first, n, 0);
	irq_restore(flags);
}

size_t page_free_count(void) { return nfree; }

void *heap_sbrk(intptr_t incr)
{
	uint8_t *old = heap_brk;
	if ((incr > 0 && incr > heap_end - heap_brk) || (incr < 0 && -incr > heap_brk - heap_start))
		return NULL;
	heap_brk += incr;
	return old;
}

void mm_stats(struct mm_stats *s)
{
	s->ram_bytes = ram_bytes;
	s->pages_total = npages;
	s->pages_free = nfree;
	s->heap_bytes = (uint64_t)(heap_end - heap_start);
	s->heap_used = (uint64_t)(heap_brk - heap_start);
}
