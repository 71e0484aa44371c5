/* iopt.c - IOVA allocation and second-level page tables (Intel VT-d 4.1 §3.6, §9.8): no hardware access. */
#include "drivers/iommu/iopt.h"
#include <errno.h>

/* ---- IOVA allocator ---- */

void iova_init(struct iova_space *s, uint64_t base, uint32_t npages, uint64_t *bitmap)
{
	*s = (struct iova_space){ .base = base, .npages = npages, .bitmap = bitmap };
}

static int bit(const struct iova_space *s, uint32_t i) { return (int)(s->bitmap[i / 64] >> (i % 64) & 1); }
static void set_bits(struct iova_space *s, uint32_t i, uint32_t n, int v)
{
	for (; n; n--, i++) {
		if (v)
			s->bitmap[i / 64] |= 1ull << (i % 64);
		else
			s->bitmap[i / 64] &= ~(1ull << (i % 64));
	}
}

/* First fit in [from, to): the index of a free aligned run of n, or -1. */
static int64_t find_run(const struct iova_space *s, uint32_t from, uint32_t to, uint32_t n, uint32_t align)
{
	uint64_t i = ((uint64_t)from + align - 1) & ~(uint64_t)(align - 1);
	while (i + n <= to) {
		if (s->bitmap[i / 64] == ~0ull && i % 64 == 0) {
			i += 64; /* a full word: skip it whole */
			continue;
		}
		uint32_t k = 0;
		while (k < n && !bit(s, (uint32_t)(i + k)))
			k++;
		if (k == n)
			return (int64_t)i;
		i = (i + k + 1 + align - 1) & ~(uint64_t)(align - 1); /* past the page in use */
	}
	return -1;
}

uint64_t iova_alloc(struct iova_space *s, uint32_t n, uint32_t align)
{
	if (n == 0 || n > s->npages - s->used || align == 0 || (align & (align - 1)))
		return 0;
	int64_t i = find_run(s, s->hint, s->npages, n, align);
	if (i < 0)
		i = find_run(s, 0, s->npages, n, align); /* wrap: the start may have freed up */
	if (i < 0)
		return 0;
	set_bits(s, (uint32_t)i, n, 1);
	s->used += n;
	s->hint = (uint32_t)i + n;
	if (s->hint >= s->npages)
		s->hint = 0;
	return s->base + (uint64_t)i * IOPT_PAGE;
}

bool iova_allocated(const struct iova_space *s, uint64_t iova)
{
	if (iova < s->base || (iova - s->base) / IOPT_PAGE >= s->npages)
		return false;
	return bit(s, (uint32_t)((iova - s->base) / IOPT_PAGE));
}

int iova_free(struct iova_space *s, uint64_t iova, uint32_t n)
{
	if (iova < s->base || (iova - s->base) % IOPT_PAGE)
		return -EINVAL;
	uint64_t i = (iova - s->base) / IOPT_PAGE;
	if (n == 0 || i + n > s->npages)
		return -EINVAL;
	for (uint32_t k = 0; k < n; k++)
		if (!bit(s, (uint32_t)(i + k)))
			return -EINVAL; /* a double free is our bug: change nothing */
	set_bits(s, (uint32_t)i, n, 0);
	s->used -= n;
	return 0;
}

/* ---- second-level page table ---- */

static uint64_t *table(uint64_t phys) { return (uint64_t *)(uintptr_t)phys; }
static unsigned index_at(uint64_t iova, unsigned level)
{
	return (unsigned)(iova >> (12 + 9 * (level - 1)) & 511);
}

int sl_init(struct sl_pt *pt, unsigned levels, void *(*alloc_page)(void), void (*flush)(const void *, size_t))
{
	if (levels < 3 || levels > SL_MAX_LVLS)
		return -EINVAL;
	*pt = (struct sl_pt){ .levels = levels, .alloc_page = alloc_page, .flush = flush };
	void *root = alloc_page();
	if (!root)
		return -ENOMEM;
	pt->root = (uint64_t)(uintptr_t)root;
	pt->tables = 1;
	return 0;
}

static void flush(const struct sl_pt *pt, const void *p, size_t len)
{
	if (pt->flush)
		pt->flush(p, len);
}

/* The leaf entry for iova; with alloc, the tables on the way are made. */
static uint64_t *walk(struct sl_pt *pt, uint64_t iova, int alloc)
{
	uint64_t *t = table(pt->root);
	for (unsigned level = pt->levels; level > 1; level--) {
		uint64_t *e = &t[index_at(iova, level)];
		if (!(*e & (SL_R | SL_W))) {
			if (!alloc)
				return NULL;
			void *next = pt->alloc_page();
			if (!next)
				return NULL;
			pt->tables++;
			/* §9.8: a non-leaf entry grants R and W; the leaf decides */
			*e = ((uint64_t)(uintptr_t)next & SL_ADDR) | SL_R | SL_W;
			flush(pt, e, sizeof *e);
		}
		t = table(*e & SL_ADDR);
	}
	return &t[index_at(iova, 1)];
}

static int in_width(const struct sl_pt *pt, uint64_t a, uint64_t n)
{
	unsigned bits = 12 + 9 * pt->levels;
	return n <= (1ull << (bits - 12)) && a < (1ull << bits) && a + n * IOPT_PAGE <= (1ull << bits);
}

int sl_map(struct sl_pt *pt, uint64_t iova, uint64_t phys, uint64_t n, uint64_t prot)
{
	if ((iova | phys) % IOPT_PAGE || !n || !(prot & (SL_R | SL_W)) || (prot & ~(SL_R | SL_W)) ||
	    !in_width(pt, iova, n) || phys > SL_ADDR || n > (SL_ADDR - phys) / IOPT_PAGE + 1)
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *e = walk(pt, iova + i * IOPT_PAGE, 1);
		int r = !e ? -ENOMEM : (*e & (SL_R | SL_W)) ? -EEXIST : 0;
		if (r) {
			if (i)
				sl_unmap(pt, iova, i);
			return r;
		}
		*e = ((phys + i * IOPT_PAGE) & SL_ADDR) | prot;
		flush(pt, e, sizeof *e);
		pt->mapped++;
	}
	return 0;
}

uint64_t sl_unmap(struct sl_pt *pt, uint64_t iova, uint64_t n)
{
	uint64_t cleared = 0;
	if (iova % IOPT_PAGE || !in_width(pt, iova, n))
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *e = walk(pt, iova + i * IOPT_PAGE, 0);
		if (!e || !(*e & (SL_R | SL_W)))
			continue;
		*e = 0;
		flush(pt, e, sizeof *e);
		cleared++;
	}
	pt->mapped -= cleared;
	return cleared;
}

uint64_t sl_lookup(const struct sl_pt *pt, uint64_t iova)
{
	if (!in_width(pt, iova & ~(IOPT_PAGE - 1), 1))
		return 0;
	uint64_t *e = walk((struct sl_pt *)pt, iova, 0); /* without alloc the walk writes nothing */
	return e ? *e : 0;
}

static void destroy(uint64_t phys, unsigned level, void (*free_page)(void *))
{
	uint64_t *t = table(phys);
	if (level > 1)
		for (unsigned i = 0; i < 512; i++)
			if (t[i] & (SL_R | SL_W))
				destroy(t[i] & SL_ADDR, level - 1, free_page);
	free_page(t);
}

void sl_destroy(struct sl_pt *pt, void (*free_page)(void *))
{
	if (pt->root)
		destroy(pt->root, pt->levels, free_page);
	pt->root = 0;
	pt->tables = pt->mapped = 0;
}
