/* mm.c - a bitmap page allocator over the multiboot memory map, and the heap. */
#include "kernel/mm.h"
#include "kernel/boot_info.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include <stdbool.h>
#include <string.h>

/*
 * Physical memory (identity mapped):
 *
 *   0          1 MiB           __image_end          heap_end          top of RAM
 *   | BIOS, MBI | kernel image | heap (malloc) ...  |    ... pages (page_alloc) |
 *
 * Pages below 1 MiB are never handed out. The bitmap covers the first
 * 4 GiB, which is all the RAM a guest of this kernel is given.
 *
 * The heap grows up from the image and pages are taken from the top of RAM
 * down (as Linux's memblock does), so what the boot touches lies in few
 * 2 MiB stretches of guest memory: the image's, and the top one, where
 * the firmware's tables already are. Under QEMU a stretch of guest RAM the
 * guest touches for the first time is a host huge-page fault, which on a
 * host that is itself a VM costs milliseconds (docs/PERFORMANCE.md,
 * "Reading the numbers").
 */
#define MAX_PAGES (1ull << 20)
#define HEAP_MAX  (256ull << 20)

static uint64_t bitmap[MAX_PAGES / 64] NOINIT; /* 1: used; the first nwords set by mm_init */
static uint64_t npages, nwords, nfree, ram_bytes;
static uint64_t low_free;  /* no page below this one is free: where a search up starts */
static uint64_t high_free; /* no page at or above this one is free: where a search down starts */
static uint8_t *heap_start, *heap_brk, *heap_end;
extern char __image_end[];
#ifndef MM_IMAGE_END
#define MM_IMAGE_END ((uint64_t)__image_end) /* the host test puts the image elsewhere */
#endif

static void *alloc_range(size_t n, size_t align_pages);
static int test_page(uint64_t i) { return (bitmap[i / 64] >> (i % 64)) & 1; }

/* Mark [first, first+n) used or free, a word of 64 pages at a time: the
 * cost is in words, not pages (512 MiB is 2048 words). */
static void mark(uint64_t first, uint64_t n, int used)
{
	uint64_t end = first + n < npages ? first + n : npages;
	for (uint64_t i = first; i < end;) {
		uint64_t k = 64 - i % 64 < end - i ? 64 - i % 64 : end - i;
		uint64_t m = (k == 64 ? ~0ull : (1ull << k) - 1) << (i % 64), *w = &bitmap[i / 64];
		if (used) {
			nfree -= (uint64_t)__builtin_popcountll(m & ~*w);
			*w |= m;
		} else {
			nfree += (uint64_t)__builtin_popcountll(m & *w);
			*w &= ~m;
		}
		i += k;
	}
	if (!used && first < low_free)
		low_free = first;
	if (!used && end > high_free)
		high_free = end;
}

void mm_init(void)
{
	const struct boot_info *bi = &boot_info_data;
	uint64_t top = 0;

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
	nwords = (npages + 63) / 64;
	/* Everything used (the holes, and the tail of the last word), then the RAM freed. */
	memset(bitmap, 0xff, nwords * sizeof bitmap[0]);
	low_free = npages, high_free = 0;
	for (int i = 0; i < bi->nram; i++) {
		uint64_t first = (bi->ram[i].base + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t last = (bi->ram[i].base + bi->ram[i].len) / PAGE_SIZE;
		if (last > first)
			mark(first, last - first, 0);
	}
	uint64_t image_pages = (MM_IMAGE_END + PAGE_SIZE - 1) / PAGE_SIZE;
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

static uint64_t align_up(uint64_t i, uint64_t a) { return (i + a - 1) & ~(a - 1); }

/* How many pages from i on are free, up to n; whole free words at once. */
static uint64_t free_run(uint64_t i, uint64_t n)
{
	uint64_t j = 0;
	while (j < n) {
		if ((i + j) % 64 == 0 && n - j >= 64 && !bitmap[(i + j) / 64]) {
			j += 64;
			continue;
		}
		if (test_page(i + j))
			break;
		j++;
	}
	return j;
}

/* First fit from low_free; a word with no free page is passed over whole. */
static void *alloc_range(size_t n, size_t align_pages)
{
	if (!n || !align_pages || (align_pages & (align_pages - 1)))
		return NULL;
	uint64_t flags = irq_save();
	void *r = NULL;
	uint64_t i = align_up(low_free, align_pages);
	bool gap = i != low_free; /* a page below the range may be free (or was not looked at) */
	while (i + n <= npages) {
		if (bitmap[i / 64] == ~0ull) {
			uint64_t next = align_up((i / 64 + 1) * 64, align_pages);
			gap |= next != (i / 64 + 1) * 64;
			i = next;
			continue;
		}
		uint64_t j = free_run(i, n);
		if (j == n) {
			mark(i, n, 1);
			if (!gap)
				low_free = i + n; /* every page below the range is used */
			r = (void *)(uintptr_t)(i * PAGE_SIZE);
			break;
		}
		gap |= j > 0 || align_pages > 1;
		i = align_up(i + j + 1, align_pages);
	}
	irq_restore(flags);
	return r;
}

/* Last fit from high_free down: the highest run of n free pages that
 * starts on a multiple of align_pages; a word with no free page is passed
 * over whole. NULL when there is none. */
static void *alloc_top(size_t n, size_t align_pages)
{
	if (!n || !align_pages || (align_pages & (align_pages - 1)))
		return NULL;
	uint64_t flags = irq_save();
	void *r = NULL;
	uint64_t end = high_free; /* a run must end at or below this page */
	bool gap = false;         /* a page between the run and high_free may be free */
	while (end >= n) {
		if (bitmap[(end - 1) / 64] == ~0ull) {
			end = (end - 1) / 64 * 64;
			continue;
		}
		uint64_t i = (end - n) & ~(uint64_t)(align_pages - 1);
		uint64_t j = free_run(i, n);
		if (j == n) {
			mark(i, n, 1);
			if (!gap && i + n == end)
				high_free = i; /* every page above the run is used */
			r = (void *)(uintptr_t)(i * PAGE_SIZE);
			break;
		}
		/* page i + j is used: no aligned run above it fits below end (i was the
		 * highest start that did), so the next one must end at or below it */
		gap = true;
		end = i + j;
	}
	irq_restore(flags);
	return r;
}

void *page_alloc(size_t n, size_t align_pages)
{
	void *r = alloc_top(n, align_pages);
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
