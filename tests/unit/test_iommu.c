/* test_iommu.c - the DMAR parser, the IOVA allocator and the VT-d second-level page table, on the host. */
#include "unit.h"

#include "drivers/iommu/dmar.c"
#include "drivers/iommu/iopt.c"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- DMAR ---- */

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
	return 2;
}
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v), put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v), put32(p + 4, (uint32_t)(v >> 32)); }

/* A table like QEMU's q35 one: a DRHD with INCLUDE_PCI_ALL and an IOAPIC
 * scope, a DRHD for 00:05.0 only, and an RMRR for 00:1d.0. */
static size_t build(uint8_t *t)
{
	memset(t, 0, 256);
	memcpy(t, "DMAR", 4);
	t[36] = 38; /* HAW 39 */
	t[37] = 1;
	size_t n = 48;
	/* DRHD for 00:05.0 */
	put16(t + n, 0), put16(t + n + 2, 24), t[n + 4] = 0, put16(t + n + 6, 0),
						     put64(t + n + 8, 0xfed91000);
	t[n + 16] = DMAR_SCOPE_PCI_ENDPOINT, t[n + 17] = 8, t[n + 21] = 0, t[n + 22] = 5, t[n + 23] = 0;
	n += 24;
	/* DRHD INCLUDE_PCI_ALL, IOAPIC scope */
	put16(t + n, 0), put16(t + n + 2, 24), t[n + 4] = 1, put64(t + n + 8, 0xfed90000);
	t[n + 16] = DMAR_SCOPE_IOAPIC, t[n + 17] = 8, t[n + 20] = 0, t[n + 21] = 0xff, t[n + 22] = 0,
	      t[n + 23] = 0;
	n += 24;
	/* RMRR 0xe0000-0xeffff for 00:1d.0 */
	put16(t + n, 1), put16(t + n + 2, 32), put64(t + n + 8, 0xe0000), put64(t + n + 16, 0xeffff);
	t[n + 24] = DMAR_SCOPE_PCI_ENDPOINT, t[n + 25] = 8, t[n + 30] = 0x1d, t[n + 31] = 0;
	n += 32;
	put32(t + 4, (uint32_t)n);
	return n;
}

static void test_dmar_good(void)
{
	uint8_t t[256];
	struct dmar_info di;
	size_t n = build(t);
	CHECK_EQ(dmar_parse(t, n, &di), 0);
	CHECK_EQ(di.haw, 39);
	CHECK_EQ(di.nunits, 2);
	CHECK_EQ(di.units[0].base, 0xfed91000);
	CHECK_EQ(di.units[1].include_all, 1);
	CHECK_EQ(di.units[1].scopes[0].type, DMAR_SCOPE_IOAPIC);
	CHECK_EQ(di.nrmrrs, 1);
	CHECK_EQ(di.rmrrs[0].limit, 0xeffff);
	CHECK_EQ(dmar_unit_for(&di, 0, 0, 5, 0, NULL), 0);  /* its own unit */
	CHECK_EQ(dmar_unit_for(&di, 0, 0, 3, 0, NULL), 1);  /* INCLUDE_PCI_ALL */
	CHECK_EQ(dmar_unit_for(&di, 1, 0, 3, 0, NULL), -1); /* another segment: nobody */
	CHECK(dmar_scope_match(&di.rmrrs[0].scopes[0], 0, 0x1d, 0, NULL));
	CHECK(!dmar_scope_match(&di.rmrrs[0].scopes[0], 0, 0x1d, 1, NULL));
}

static void test_dmar_bad(void)
{
	uint8_t t[256], u[256];
	struct dmar_info di;
	size_t n = build(t);
	for (size_t k = 0; k < n; k++) /* every truncation is refused */
		CHECK(dmar_parse(t, k, &di) != 0);
	memcpy(u, t, n), put32(u + 4, (uint32_t)n + 1); /* length field past the buffer given */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), put16(u + 48 + 2, 2); /* structure shorter than its header */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), put16(u + 48 + 2, 200); /* structure past the end */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), u[48 + 17] = 7; /* scope length odd */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), u[48 + 17] = 30; /* scope past its structure */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), u[48 + 22] = 32; /* device number 32 */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), put64(u + 48 + 8, 0xfed91800); /* registers not page aligned */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), put64(u + 96 + 16, 0xefffe); /* RMRR limit not at a page end */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), u[36] = 10; /* host address width 11 */
	CHECK(dmar_parse(u, n, &di) != 0);
	memcpy(u, t, n), u[0] = 'X';
	CHECK(dmar_parse(u, n, &di) != 0);
	CHECK(dmar_parse(NULL, n, &di) != 0);
	/* garbage: never a crash (ASan watches), and an accepted one has a unit */
	srand(7);
	for (int i = 0; i < 20000; i++) {
		memcpy(u, t, n);
		for (int k = 0; k < 4; k++)
			u[48 + rand() % (int)(n - 48)] = (uint8_t)rand();
		if (dmar_parse(u, n, &di) == 0)
			CHECK(di.nunits > 0);
	}
}

/* A bridge at 00:1e.0 leads to bus 2 (subordinate 3). */
static int bridge(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *sub)
{
	if (bus == 0 && dev == 0x1e && fn == 0) {
		*sub = 3;
		return 2;
	}
	return -1;
}

static void test_dmar_paths(void)
{
	struct dmar_scope s = {
		.type = DMAR_SCOPE_PCI_ENDPOINT, .start_bus = 0, .npath = 2, .path = { { 0x1e, 0 }, { 4, 1 } }
	};
	CHECK(dmar_scope_match(&s, 2, 4, 1, bridge));
	CHECK(!dmar_scope_match(&s, 0, 4, 1, bridge));
	CHECK(!dmar_scope_match(&s, 2, 4, 1, NULL)); /* the path cannot be followed */
	struct dmar_scope t = {
		.type = DMAR_SCOPE_PCI_SUBTREE, .start_bus = 0, .npath = 1, .path = { { 0x1e, 0 } }
	};
	CHECK(dmar_scope_match(&t, 0, 0x1e, 0, bridge)); /* the bridge itself */
	CHECK(dmar_scope_match(&t, 3, 9, 0, bridge));    /* below it */
	CHECK(!dmar_scope_match(&t, 4, 0, 0, bridge));
}

/* ---- IOVA allocator ---- */

#define BASE (64ull << 30)

static void test_iova(void)
{
	uint64_t bm[2] = { 0, 0 };
	struct iova_space s;
	iova_init(&s, BASE, 128, bm);
	uint64_t a = iova_alloc(&s, 1, 1), b = iova_alloc(&s, 3, 1);
	CHECK_EQ(a, BASE);
	CHECK_EQ(b, BASE + 4096);
	CHECK_EQ(s.used, 4);
	uint64_t c = iova_alloc(&s, 4, 4); /* aligned to 4 pages */
	CHECK_EQ((c - BASE) % (4 * 4096), 0);
	CHECK(c >= b + 3 * 4096);
	CHECK_EQ(iova_free(&s, b, 3), 0);
	CHECK_EQ(iova_free(&s, b, 3), -EINVAL);          /* double free */
	CHECK_EQ(iova_free(&s, BASE + 100, 1), -EINVAL); /* not a page */
	CHECK_EQ(iova_free(&s, BASE - 4096, 1), -EINVAL);
	CHECK_EQ(iova_free(&s, BASE + 127 * 4096, 2), -EINVAL); /* past the end */
	CHECK_EQ(iova_alloc(&s, 0, 1), 0);
	CHECK_EQ(iova_alloc(&s, 1, 3), 0); /* alignment not a power of two */
	/* exhaustion, then reuse of what was freed */
	int got = 0;
	while (iova_alloc(&s, 1, 1))
		got++;
	CHECK_EQ(got, 128 - 1 - 4);
	CHECK_EQ(s.used, 128);
	CHECK_EQ(iova_alloc(&s, 1, 1), 0);
	CHECK_EQ(iova_free(&s, BASE + 70 * 4096, 1), 0);
	CHECK_EQ(iova_alloc(&s, 2, 1), 0); /* one page free is not two */
	CHECK_EQ(iova_alloc(&s, 1, 1), BASE + 70 * 4096);
	CHECK_EQ(iova_alloc(&s, 129, 1), 0);
}

/* ---- page table ---- */

static int pages_live;
static void *host_page(void)
{
	void *p = aligned_alloc(4096, 4096);
	if (p)
		memset(p, 0, 4096), pages_live++;
	return p;
}
static void host_free(void *p) { free(p), pages_live--; }

static void test_pt(void)
{
	struct sl_pt pt;
	CHECK_EQ(sl_init(&pt, 2, host_page, NULL), -EINVAL);
	CHECK_EQ(sl_init(&pt, 3, host_page, NULL), 0);
	uint64_t phys = 0x12345000;
	CHECK_EQ(sl_map(&pt, BASE, phys, 3, SL_R | SL_W), 0);
	CHECK_EQ(pt.tables, 3); /* root, one middle, one leaf table */
	CHECK_EQ(sl_lookup(&pt, BASE + 4096 + 123), (phys + 4096) | SL_R | SL_W);
	CHECK_EQ(sl_lookup(&pt, BASE + 3 * 4096), 0);
	CHECK_EQ(sl_map(&pt, BASE + 2 * 4096, phys, 2, SL_R), -EEXIST);
	CHECK_EQ(sl_lookup(&pt, BASE + 3 * 4096), 0); /* the failed map left nothing */
	CHECK_EQ(sl_map(&pt, BASE + 100, phys, 1, SL_R), -EINVAL);
	CHECK_EQ(sl_map(&pt, BASE, phys, 1, 0), -EINVAL);
	CHECK_EQ(sl_map(&pt, BASE, phys, 1, 4), -EINVAL);
	CHECK_EQ(sl_map(&pt, 1ull << 39, phys, 1, SL_R), -EINVAL); /* past 39 bits */
	CHECK_EQ(sl_map(&pt, (1ull << 39) - 4096, phys, 2, SL_R), -EINVAL);
	/* a range across a 2 MiB table boundary */
	uint64_t edge = BASE + (2ull << 20) - 4096;
	CHECK_EQ(sl_map(&pt, edge, 0x40000000, 2, SL_W), 0);
	CHECK_EQ(sl_lookup(&pt, edge + 4096), 0x40001000 | SL_W);
	CHECK_EQ(pt.mapped, 5);
	CHECK_EQ(sl_unmap(&pt, BASE, 4), 3);
	CHECK_EQ(sl_lookup(&pt, BASE), 0);
	CHECK_EQ(sl_unmap(&pt, BASE, 1), 0);
	CHECK_EQ(pt.mapped, 2);
	CHECK_EQ(sl_map(&pt, BASE, phys, 1, SL_R), 0); /* reuse after unmap */
	sl_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
	CHECK_EQ(sl_init(&pt, 4, host_page, NULL), 0);
	CHECK_EQ(sl_map(&pt, 1ull << 40, phys, 1, SL_R), 0); /* 48 bits reach it */
	CHECK_EQ(sl_lookup(&pt, 1ull << 40), phys | SL_R);
	sl_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
}

int main(void)
{
	RUN(test_dmar_good);
	RUN(test_dmar_bad);
	RUN(test_dmar_paths);
	RUN(test_iova);
	RUN(test_pt);
	UNIT_DONE();
}
