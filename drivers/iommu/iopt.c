/* iopt.c - IOVA allocation and I/O page tables (VT-d 4.1 §9.8 and AMD IOMMU 48882 §2.2.3): no hardware access. */
#include "drivers/iommu/iopt.h"
#include <errno.h>

/* ---- IOVA allocator ---- */

void iova_init(struct iova_space *s, uint64_t base, uint32_t npages, uint64_t *bitmap)
{
	*s = (struct iova_space){ .base = base, .npages = npages, .bitmap = bitmap };
}

static int iova_bit(const struct iova_space *s, uint32_t i)
{
	return (int)(s->bitmap[i / 64] >> (i % 64) & 1);
}
static void iova_set(struct iova_space *s, uint32_t i, uint32_t n, int v)
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
		while (k < n && !iova_bit(s, (uint32_t)(i + k)))
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
	iova_set(s, (uint32_t)i, n, 1);
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
	return iova_bit(s, (uint32_t)((iova - s->base) / IOPT_PAGE));
}

int iova_free(struct iova_space *s, uint64_t iova, uint32_t n)
{
	if (iova < s->base || (iova - s->base) % IOPT_PAGE)
		return -EINVAL;
	uint64_t i = (iova - s->base) / IOPT_PAGE;
	if (n == 0 || i + n > s->npages)
		return -EINVAL;
	for (uint32_t k = 0; k < n; k++)
		if (!iova_bit(s, (uint32_t)(i + k)))
			return -EINVAL; /* a double free is our bug: change nothing */
	iova_set(s, (uint32_t)i, n, 0);
	s->used -= n;
	return 0;
}

void iova_reserve(struct iova_space *s, uint64_t iova, uint64_t n)
{
	for (uint64_t k = 0; k < n; k++) {
		uint64_t a = iova + k * IOPT_PAGE;
		if (a < s->base || (a - s->base) / IOPT_PAGE >= s->npages || iova_allocated(s, a))
			continue;
		iova_set(s, (uint32_t)((a - s->base) / IOPT_PAGE), 1, 1);
		s->used++;
	}
}

/* ---- the two entry formats ---- */

#define VTD_R  (1ull << 0)
#define VTD_W  (1ull << 1)
#define VTD_PS (1ull << 7)

static uint64_t vtd_table(uint64_t phys, unsigned level) { return (phys & IOPT_ADDR) | VTD_R | VTD_W; }
static uint64_t vtd_leaf(uint64_t phys, unsigned level, unsigned prot)
{
	return (phys & IOPT_ADDR) | (prot & IOPT_R ? VTD_R : 0) | (prot & IOPT_W ? VTD_W : 0) |
	       (level > 1 ? VTD_PS : 0);
}
static bool vtd_present(uint64_t e) { return e & (VTD_R | VTD_W); }
static bool vtd_large(uint64_t e) { return e & VTD_PS; }
const struct iopt_format iopt_vtd = { "vt-d", vtd_table, vtd_leaf, vtd_present, vtd_large, 0 };

#define AMD_PR        (1ull << 0)
#define AMD_NEXT(lvl) ((uint64_t)(lvl) << 9)
#define AMD_NEXT_MASK (7ull << 9)
#define AMD_IR        (1ull << 61)
#define AMD_IW        (1ull << 62)

static uint64_t amd_table(uint64_t phys, unsigned level)
{
	return (phys & IOPT_ADDR) | AMD_PR | AMD_NEXT(level - 1) | AMD_IR | AMD_IW;
}
static uint64_t amd_leaf(uint64_t phys, unsigned level, unsigned prot)
{
	/* NextLevel 0: this entry maps a page of its own level's size */
	return (phys & IOPT_ADDR) | AMD_PR | (prot & IOPT_R ? AMD_IR : 0) | (prot & IOPT_W ? AMD_IW : 0);
}
static bool amd_present(uint64_t e) { return e & AMD_PR; }
static bool amd_large(uint64_t e) { return !(e & AMD_NEXT_MASK); }
/* Not present, NextLevel 1: hardware ignores all but PR when PR=0; QEMU
 * 7.2 reports a fault only for a not-present entry that is not zero (it
 * stops its walk silently at a zero one), so empty entries carry this. */
#define AMD_EMPTY AMD_NEXT(1)
const struct iopt_format iopt_amd = { "amd-vi", amd_table, amd_leaf, amd_present, amd_large, AMD_EMPTY };

/* ---- the tree ---- */

static uint64_t *table(uint64_t phys) { return (uint64_t *)(uintptr_t)phys; }

/* A new table: every entry empty as the format has it. */
static void *new_table(struct iopt *pt)
{
	uint64_t *t = pt->alloc_page();
	if (t && pt->fmt->empty)
		for (unsigned i = 0; i < 512; i++)
			t[i] = pt->fmt->empty;
	return t;
}
static unsigned index_at(uint64_t iova, unsigned level)
{
	return (unsigned)(iova >> (12 + 9 * (level - 1)) & 511);
}
static uint64_t level_bytes(unsigned level) { return IOPT_PAGE << (9 * (level - 1)); }

int iopt_init(struct iopt *pt, const struct iopt_format *fmt, unsigned levels, void *(*alloc_page)(void),
	      void (*flush)(const void *, size_t))
{
	if (levels < 3 || levels > IOPT_MAX_LVLS)
		return -EINVAL;
	*pt = (struct iopt){ .fmt = fmt, .levels = levels, .alloc_page = alloc_page, .flush = flush };
	void *root = new_table(pt);
	if (!root)
		return -ENOMEM;
	pt->root = (uint64_t)(uintptr_t)root;
	pt->tables = 1;
	return 0;
}

static void flush(const struct iopt *pt, const void *p, size_t len)
{
	if (pt->flush)
		pt->flush(p, len);
}

/* The entry for iova at level stop (1: the 4 KiB leaf); with alloc, the
 * tables on the way are made. NULL when a table is missing (no alloc), out
 * of memory, or a large leaf sits on the way. */
static uint64_t *walk(struct iopt *pt, uint64_t iova, unsigned stop, int alloc)
{
	uint64_t *t = table(pt->root);
	for (unsigned level = pt->levels; level > stop; level--) {
		uint64_t *e = &t[index_at(iova, level)];
		if (!pt->fmt->present(*e)) {
			if (!alloc)
				return NULL;
			void *next = new_table(pt);
			if (!next)
				return NULL;
			pt->tables++;
			*e = pt->fmt->table((uint64_t)(uintptr_t)next, level);
			flush(pt, e, sizeof *e);
		} else if (pt->fmt->large(*e)) {
			return NULL;
		}
		t = table(*e & IOPT_ADDR);
	}
	return &t[index_at(iova, stop)];
}

static int in_width(const struct iopt *pt, uint64_t a, uint64_t bytes)
{
	unsigned bits = 12 + 9 * pt->levels;
	return bytes <= (1ull << bits) && a < (1ull << bits) && a + bytes <= (1ull << bits);
}

static int check_range(const struct iopt *pt, uint64_t iova, uint64_t phys, uint64_t bytes, unsigned prot)
{
	if ((iova | phys | bytes) % IOPT_PAGE || !bytes || !(prot & (IOPT_R | IOPT_W)) ||
	    (prot & ~(IOPT_R | IOPT_W)) || !in_width(pt, iova, bytes) || phys > IOPT_ADDR ||
	    bytes - IOPT_PAGE > IOPT_ADDR - phys)
		return -EINVAL;
	return 0;
}

int iopt_map(struct iopt *pt, uint64_t iova, uint64_t phys, uint64_t n, unsigned prot)
{
	if (n > (1ull << 52) / IOPT_PAGE || check_range(pt, iova, phys, n * IOPT_PAGE, prot))
		return -EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *e = walk(pt, iova + i * IOPT_PAGE, 1, 1);
		int r = !e ? -ENOMEM : pt->fmt->present(*e) ? -EEXIST : 0;
		if (r) {
			if (i)
				iopt_unmap(pt, iova, i);
			return r;
		}
		*e = pt->fmt->leaf(phys + i * IOPT_PAGE, 1, prot);
		flush(pt, e, sizeof *e);
		pt->mapped++;
	}
	return 0;
}

int iopt_map_large(struct iopt *pt, uint64_t iova, uint64_t phys, uint64_t len, unsigned prot,
		   unsigned max_level)
{
	if (check_range(pt, iova, phys, len, prot) || max_level < 1 || max_level > pt->levels)
		return -EINVAL;
	for (uint64_t done = 0; done < len;) {
		unsigned level = max_level;
		while (level > 1 && (((iova + done) | (phys + done)) % level_bytes(level) ||
				     len - done < level_bytes(level)))
			level--;
		uint64_t *e = walk(pt, iova + done, level, 1);
		if (!e || pt->fmt->present(*e))
			return e ? -EEXIST
				 : -ENOMEM; /* what was mapped stays: the caller destroys the domain */
		*e = pt->fmt->leaf(phys + done, level, prot);
		flush(pt, e, sizeof *e);
		pt->mapped += level_bytes(level) / IOPT_PAGE;
		done += level_bytes(level);
	}
	return 0;
}

uint64_t iopt_unmap(struct iopt *pt, uint64_t iova, uint64_t n)
{
	uint64_t cleared = 0;
	if (iova % IOPT_PAGE || n > (1ull << 52) / IOPT_PAGE || !in_width(pt, iova, n * IOPT_PAGE))
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *e = walk(pt, iova + i * IOPT_PAGE, 1, 0);
		if (!e || !pt->fmt->present(*e))
			continue;
		*e = pt->fmt->empty;
		flush(pt, e, sizeof *e);
		cleared++;
	}
	pt->mapped -= cleared;
	return cleared;
}

uint64_t iopt_lookup(const struct iopt *pt, uint64_t iova, unsigned *level)
{
	*level = 0;
	if (!in_width(pt, iova & ~(IOPT_PAGE - 1), IOPT_PAGE))
		return 0;
	const uint64_t *t = table(pt->root);
	for (unsigned lv = pt->levels; lv >= 1; lv--) {
		uint64_t e = t[index_at(iova, lv)];
		if (!pt->fmt->present(e))
			return 0;
		if (lv == 1 || pt->fmt->large(e)) {
			*level = lv;
			return e;
		}
		t = table(e & IOPT_ADDR);
	}
	return 0;
}

static void destroy(const struct iopt *pt, uint64_t phys, unsigned level, void (*free_page)(void *))
{
	uint64_t *t = table(phys);
	if (level > 1)
		for (unsigned i = 0; i < 512; i++)
			if (pt->fmt->present(t[i]) && !pt->fmt->large(t[i]))
				destroy(pt, t[i] & IOPT_ADDR, level - 1, free_page);
	free_page(t);
}

void iopt_destroy(struct iopt *pt, void (*free_page)(void *))
{
	if (pt->root)
		destroy(pt, pt->root, pt->levels, free_page);
	pt->root = 0;
	pt->tables = pt->mapped = 0;
}
