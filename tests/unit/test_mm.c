/* test_mm.c - the page bitmap: ranges marked a word at a time, first fit (the heap) and last fit (pages), alignment, freeing. */
#include "unit.h"

#define MM_IMAGE_END 0x200000ull /* the kernel image ends at 2 MiB, as on QEMU */
#include "kernel/mm.c"

struct boot_info boot_info_data;

/* A fresh allocator over the given RAM regions (base, length in bytes). */
static void fresh(const struct mem_region *ram, int n)
{
	memset(&boot_info_data, 0, sizeof boot_info_data);
	memset(bitmap, 0, sizeof bitmap);
	npages = nwords = nfree = ram_bytes = low_free = high_free = 0;
	for (int i = 0; i < n; i++)
		boot_info_data.ram[boot_info_data.nram++] = ram[i];
	mm_init();
}

/* Pages free, counted one at a time: what mark's popcounts must agree with. */
static uint64_t count_free(void)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < npages; i++)
		n += !test_page(i);
	return n;
}

static uint64_t page_of(void *p) { return (uint64_t)(uintptr_t)p / PAGE_SIZE; }

static void test_init_frees_ram_only(void)
{
	/* QEMU's map: 0-636 KiB, then 1 MiB to 64 MiB; the image to 2 MiB is used */
	struct mem_region ram[] = { { 0, 0x9fc00 }, { 0x100000, (64 << 20) - 0x100000 } };
	fresh(ram, 2);
	CHECK_EQ(npages, (64 << 20) / PAGE_SIZE);
	CHECK_EQ(nwords, npages / 64);
	CHECK_EQ(nfree, count_free());
	/* below the image nothing is free; the heap took half of the rest */
	for (uint64_t i = 0; i < 0x200; i++)
		CHECK(test_page(i));
	uint64_t after_image = npages - 0x200;
	CHECK_EQ(nfree, after_image - after_image / 2);
	CHECK_EQ(page_of(heap_start), 0x200);
}

static void test_first_fit_and_free(void)
{
	struct mem_region ram[] = { { 0x100000, (16 << 20) - 0x100000 } };
	fresh(ram, 1);
	uint64_t before = nfree;
	void *a = alloc_range(1, 1), *b = alloc_range(3, 1), *c = alloc_range(70, 1);
	CHECK(a && b && c);
	CHECK_EQ(page_of(b), page_of(a) + 1);
	CHECK_EQ(page_of(c), page_of(b) + 3);
	CHECK_EQ(nfree, before - 74);
	CHECK_EQ(nfree, count_free());
	/* a hole below low_free is found again, first fit */
	page_free(b, 3);
	CHECK_EQ(nfree, count_free());
	CHECK_EQ(page_of(alloc_range(2, 1)), page_of(b));
	CHECK_EQ(page_of(alloc_range(2, 1)), page_of(c) + 70); /* one page left in the hole: too small */
	CHECK_EQ(page_of(alloc_range(1, 1)), page_of(b) + 2);
	CHECK_EQ(nfree, count_free());
}

static void test_alignment_and_words(void)
{
	struct mem_region ram[] = { { 0x100000, (16 << 20) - 0x100000 } };
	fresh(ram, 1);
	void *a = alloc_range(1, 1);
	void *b = alloc_range(16, 16);
	CHECK(a && b);
	CHECK_EQ(page_of(b) % 16, 0);
	CHECK(page_of(b) > page_of(a));
	/* the pages skipped for alignment are still handed out */
	CHECK_EQ(page_of(alloc_range(1, 1)), page_of(a) + 1);
	/* a run across several whole words, aligned to 64 */
	void *c = alloc_range(200, 64);
	CHECK(c);
	CHECK_EQ(page_of(c) % 64, 0);
	for (uint64_t i = 0; i < 200; i++)
		CHECK(test_page(page_of(c) + i));
	CHECK_EQ(nfree, count_free());
	CHECK(!alloc_range(3, 3)); /* not a power of two */
	CHECK(!alloc_range(0, 1));
}

static void test_exhaustion_and_the_last_word(void)
{
	/* RAM that ends in the middle of a word: the pages past the end are never given */
	struct mem_region ram[] = { { 0x100000, 0x100000 + 10 * PAGE_SIZE } };
	fresh(ram, 1);
	CHECK_EQ(npages, 0x200 + 10);
	CHECK_EQ(nwords, (npages + 63) / 64);
	uint64_t n = nfree;
	void *all = alloc_range(n, 1);
	CHECK(all);
	CHECK_EQ(nfree, 0);
	CHECK(!alloc_range(1, 1));
	page_free(all, n);
	CHECK_EQ(nfree, n);
	CHECK(!alloc_range(n + 1, 1));
	CHECK_EQ(nfree, count_free());
}

/* page_alloc takes pages from the top of RAM down, so the boot's pages lie
 * together at the top, away from the heap that grows up from the image. */
static void test_pages_from_the_top(void)
{
	struct mem_region ram[] = { { 0x100000, (16 << 20) - 0x100000 } };
	fresh(ram, 1);
	uint64_t top = (16 << 20) / PAGE_SIZE, before = nfree;
	void *a = alloc_top(1, 1), *b = alloc_top(3, 1), *c = alloc_top(70, 1);
	CHECK(a && b && c);
	CHECK_EQ(page_of(a), top - 1);
	CHECK_EQ(page_of(b), top - 4);
	CHECK_EQ(page_of(c), top - 74);
	CHECK_EQ(high_free, top - 74);
	CHECK_EQ(nfree, before - 74);
	CHECK_EQ(nfree, count_free());
	/* a hole above high_free is found again; one too small is passed over */
	page_free(b, 3);
	CHECK_EQ(high_free, top - 1);
	CHECK_EQ(page_of(alloc_top(2, 1)), top - 3);
	CHECK_EQ(page_of(alloc_top(2, 1)), top - 76); /* one page left in the hole: too small */
	CHECK_EQ(page_of(alloc_top(1, 1)), top - 4);
	CHECK_EQ(nfree, count_free());
	/* aligned: the highest start on a multiple, the pages above it still handed out */
	void *d = alloc_top(16, 16);
	CHECK(d);
	CHECK_EQ(page_of(d) % 16, 0);
	CHECK_EQ(page_of(d), (top - 76 - 16) & ~15ull);
	CHECK_EQ(page_of(alloc_top(1, 1)), top - 77);
	/* across whole words, aligned to 64, and never into the heap */
	void *e = alloc_top(200, 64);
	CHECK(e);
	CHECK_EQ(page_of(e) % 64, 0);
	CHECK(page_of(e) >= page_of(heap_end));
	for (uint64_t i = 0; i < 200; i++)
		CHECK(test_page(page_of(e) + i));
	CHECK_EQ(nfree, count_free());
	CHECK(!alloc_top(3, 3));
	CHECK(!alloc_top(0, 1));
	/* everything that is left, then nothing */
	uint64_t n = nfree;
	while (nfree && alloc_top(1, 1))
		;
	CHECK_EQ(nfree, 0);
	CHECK(!alloc_top(1, 1));
	CHECK(n > 0);
}

int main(void)
{
	RUN(test_init_frees_ram_only);
	RUN(test_first_fit_and_free);
	RUN(test_alignment_and_words);
	RUN(test_exhaustion_and_the_last_word);
	RUN(test_pages_from_the_top);
	UNIT_DONE();
}
