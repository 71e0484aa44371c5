/* test_iommu.c - the DMAR, IVRS and VIOT parsers, the IOVA allocator and the page tables in both formats, on the host. */
#include "unit.h"

#include "drivers/iommu/dmar.c"
#include "drivers/iommu/iopt.c"
#include "drivers/iommu/ivrs.c"
#include "drivers/iommu/viot.c"
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

/* ---- IVRS ---- */

/* As QEMU 7.2 builds it for -device amd-iommu on q35: an IVHD 0x10 for the
 * unit at 00:03.0, select entries for the functions, a range start/end,
 * an alias select, an IOAPIC special entry; then an IVHD 0x11 for the same
 * unit (richer: it wins) and an IVMD. */
static size_t build_ivrs(uint8_t *t, bool with_11)
{
	memset(t, 0, 512);
	memcpy(t, "IVRS", 4);
	put32(t + 36, 40u << 8); /* IVinfo: PAsize 40 */
	size_t n = 48;
	uint8_t *h = t + n;
	h[0] = 0x10, h[1] = 0x20; /* Coherent */
	put16(h + 4, 0x0018), put16(h + 6, 0x40), put64(h + 8, 0xfed80000), put16(h + 16, 0);
	size_t e = 24;
	h[e] = 2, put16(h + e + 1, 0x0000), e += 4; /* select 00:00.0 */
	h[e] = 2, put16(h + e + 1, 0x0008), e += 4; /* select 00:01.0 */
	h[e] = 2, put16(h + e + 1, 0x0010), e += 4; /* 00:02.0 */
	h[e] = 2, put16(h + e + 1, 0x0011), e += 4; /* 00:02.1: folds into one range with it */
	h[e] = 3, put16(h + e + 1, 0x0100), e += 4; /* start of range bus 1 */
	h[e] = 4, put16(h + e + 1, 0x01ff), e += 4; /* end of range */
	h[e] = 0x42, put16(h + e + 1, 0x0300), put16(h + e + 5, 0x00f0), e += 8; /* 03:00.0 as 00:1e.0 */
	h[e] = 0x48, put16(h + e + 1, 0x00a0), h[e + 7] = 1, e += 8;             /* IOAPIC: not DMA */
	h[e] = 0xf0, h[e + 21] = 2, e += 24; /* ACPI HID with a 2-byte UID */
	put16(h + 2, (uint16_t)e);
	n += e;
	if (with_11) {
		h = t + n;
		h[0] = 0x11;
		put16(h + 4, 0x0018), put64(h + 8, 0xfed80000), put64(h + 24, 0x29d3);
		h[40] = 1, h[43] = 0; /* select all */
		put16(h + 2, 44);
		n += 44;
	}
	h = t + n; /* IVMD for device 00:1d.0 */
	h[0] = 0x21, h[1] = 1, put16(h + 2, 32), put16(h + 4, 0x00e8), put64(h + 16, 0xe0000),
	put64(h + 24, 0x10000);
	n += 32;
	put32(t + 4, (uint32_t)n);
	return n;
}

static void test_ivrs_good(void)
{
	uint8_t t[512];
	struct ivrs_info iv;
	uint16_t rq = 0;
	size_t n = build_ivrs(t, false);
	CHECK_EQ(ivrs_parse(t, n, &iv), 0);
	CHECK_EQ(iv.nunits, 1);
	const struct ivrs_unit *u = &iv.units[0];
	CHECK_EQ(u->type, 0x10);
	CHECK_EQ(u->devid, 0x18);
	CHECK_EQ(u->base, 0xfed80000);
	CHECK_EQ(u->nranges, 5); /* 00:00.0, 00:01.0, 00:02.0-1, bus 1, the alias */
	CHECK_EQ(u->ranges[2].first, 0x10);
	CHECK_EQ(u->ranges[2].last, 0x11);
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0010, &rq), 0);
	CHECK_EQ(rq, 0x0010);
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0123, &rq), 0);
	CHECK_EQ(rq, 0x0123);
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0300, &rq), 0);
	CHECK_EQ(rq, 0x00f0);                             /* its DMA carries the alias */
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0018, &rq), -1); /* the unit itself */
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0020, &rq), -1); /* not listed */
	CHECK_EQ(ivrs_unit_for(&iv, 1, 0x0010, &rq), -1); /* another segment */
	CHECK_EQ(iv.nmems, 1);
	CHECK_EQ(iv.mems[0].first, 0xe8);
	CHECK_EQ(iv.mems[0].length, 0x10000);
	/* with a 0x11 block for the same unit, that one describes it: all devices */
	n = build_ivrs(t, true);
	CHECK_EQ(ivrs_parse(t, n, &iv), 0);
	CHECK_EQ(iv.nunits, 1);
	CHECK_EQ(iv.units[0].type, 0x11);
	CHECK_EQ(iv.units[0].efr, 0x29d3);
	CHECK(iv.units[0].all);
	CHECK_EQ(ivrs_unit_for(&iv, 0, 0x0020, &rq), 0);
}

static void test_ivrs_bad(void)
{
	uint8_t t[512], u[512];
	struct ivrs_info iv;
	size_t n = build_ivrs(t, false);
	for (size_t k = 0; k < n; k++) /* every truncation is refused */
		CHECK(ivrs_parse(t, k, &iv) != 0);
	memcpy(u, t, n), put32(u + 4, (uint32_t)n + 1);
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), put16(u + 48 + 2, 200); /* IVHD past the end */
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), put64(u + 48 + 8, 0xfed81000); /* registers not 16 KiB aligned */
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), u[48 + 32] = 3; /* a range start followed by another start */
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), u[48 + 28] = 4; /* an end without a start */
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), u[48 + 28] = 0x90; /* a variable-length entry ringside does not know */
	CHECK(ivrs_parse(u, n, &iv) != 0);
	memcpy(u, t, n), u[0] = 'X';
	CHECK(ivrs_parse(u, n, &iv) != 0);
	srand(11);
	for (int i = 0; i < 20000; i++) { /* garbage: never a crash, and an accepted one has a unit */
		memcpy(u, t, n);
		for (int k = 0; k < 4; k++)
			u[48 + rand() % (int)(n - 48)] = (uint8_t)rand();
		if (ivrs_parse(u, n, &iv) == 0)
			CHECK(iv.nunits > 0);
	}
}

/* ---- VIOT ---- */

/* As QEMU builds it for -device virtio-iommu-pci on q35: a PCI range for
 * bus 0-255 whose output is the virtio-pci IOMMU node at 00:03.0 (here
 * after the range, so the parser must look ahead). */
static size_t build_viot(uint8_t *t)
{
	memset(t, 0, 128);
	memcpy(t, "VIOT", 4);
	put16(t + 36, 2), put16(t + 38, 48);
	uint8_t *r = t + 48;
	r[0] = 1, put16(r + 2, 24), put32(r + 4, 0), put16(r + 8, 0), put16(r + 10, 0);
	put16(r + 12, 0x0000), put16(r + 14, 0xffff), put16(r + 16, 72);
	uint8_t *m = t + 72;
	m[0] = 3, put16(m + 2, 16), put16(m + 4, 0), put16(m + 6, 0x0018);
	put32(t + 4, 88);
	return 88;
}

static void test_viot(void)
{
	uint8_t t[128], u[128];
	struct viot_info vi;
	uint32_t ep = 0;
	size_t n = build_viot(t);
	CHECK_EQ(viot_parse(t, n, &vi), 0);
	CHECK_EQ(vi.niommus, 1);
	CHECK_EQ(vi.iommus[0].bdf, 0x18);
	CHECK_EQ(viot_iommu_at(&vi, 0, 0x18), 0);
	CHECK_EQ(viot_iommu_at(&vi, 0, 0x20), -1);
	CHECK_EQ(viot_pci_endpoint(&vi, 0, 0x0028, &ep), 0);
	CHECK_EQ(ep, 0x28); /* endpoint ids are the BDFs from endpoint_start */
	CHECK_EQ(viot_pci_endpoint(&vi, 1, 0x0028, &ep), -1);
	memcpy(u, t, n), put32(u + 48 + 4, 1000), put16(u + 48 + 12, 0x0100);
	CHECK_EQ(viot_parse(u, n, &vi), 0);
	CHECK_EQ(viot_pci_endpoint(&vi, 0, 0x0105, &ep), 0);
	CHECK_EQ(ep, 1005); /* endpoint_start + (bdf - bdf_start) */
	CHECK_EQ(viot_pci_endpoint(&vi, 0, 0x0005, &ep), -1);
	for (size_t k = 0; k < n; k++)
		CHECK(viot_parse(t, k, &vi) != 0);
	memcpy(u, t, n), put16(u + 48 + 16, 60); /* output is not an IOMMU node */
	CHECK(viot_parse(u, n, &vi) != 0);
	memcpy(u, t, n), put16(u + 48 + 14, 0); /* bdf end before start... */
	put16(u + 48 + 12, 1);
	CHECK(viot_parse(u, n, &vi) != 0);
	memcpy(u, t, n), put16(u + 36, 3); /* a node count past the table */
	CHECK(viot_parse(u, n, &vi) != 0);
	memcpy(u, t, n), put16(u + 38, 200);
	CHECK(viot_parse(u, n, &vi) != 0);
	srand(13);
	for (int i = 0; i < 20000; i++) {
		memcpy(u, t, n);
		for (int k = 0; k < 3; k++)
			u[36 + rand() % (int)(n - 36)] = (uint8_t)rand();
		if (viot_parse(u, n, &vi) == 0)
			CHECK(vi.niommus > 0);
	}
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

/* The VT-d format: R bit 0, W bit 1, PS bit 7 for a large leaf. */
static void test_pt_vtd(void)
{
	struct iopt pt;
	CHECK_EQ(iopt_init(&pt, &iopt_vtd, 2, host_page, NULL), -EINVAL);
	CHECK_EQ(iopt_init(&pt, &iopt_vtd, 3, host_page, NULL), 0);
	uint64_t phys = 0x12345000;
	unsigned lv;
	CHECK_EQ(iopt_map(&pt, BASE, phys, 3, IOPT_R | IOPT_W), 0);
	CHECK_EQ(pt.tables, 3); /* root, one middle, one leaf table */
	CHECK_EQ(iopt_lookup(&pt, BASE + 4096 + 123, &lv), (phys + 4096) | 3);
	CHECK_EQ(lv, 1);
	CHECK_EQ(iopt_lookup(&pt, BASE + 3 * 4096, &lv), 0);
	CHECK_EQ(iopt_map(&pt, BASE + 2 * 4096, phys, 2, IOPT_R), -EEXIST);
	CHECK_EQ(iopt_lookup(&pt, BASE + 3 * 4096, &lv), 0); /* the failed map left nothing */
	CHECK_EQ(iopt_map(&pt, BASE + 100, phys, 1, IOPT_R), -EINVAL);
	CHECK_EQ(iopt_map(&pt, BASE, phys, 1, 0), -EINVAL);
	CHECK_EQ(iopt_map(&pt, BASE, phys, 1, 4), -EINVAL);
	CHECK_EQ(iopt_map(&pt, 1ull << 39, phys, 1, IOPT_R), -EINVAL); /* past 39 bits */
	CHECK_EQ(iopt_map(&pt, (1ull << 39) - 4096, phys, 2, IOPT_R), -EINVAL);
	/* a range across a 2 MiB table boundary */
	uint64_t edge = BASE + (2ull << 20) - 4096;
	CHECK_EQ(iopt_map(&pt, edge, 0x40000000, 2, IOPT_W), 0);
	CHECK_EQ(iopt_lookup(&pt, edge + 4096, &lv), 0x40001000 | 2);
	CHECK_EQ(pt.mapped, 5);
	CHECK_EQ(iopt_unmap(&pt, BASE, 4), 3);
	CHECK_EQ(iopt_lookup(&pt, BASE, &lv), 0);
	CHECK_EQ(iopt_unmap(&pt, BASE, 1), 0);
	CHECK_EQ(pt.mapped, 2);
	CHECK_EQ(iopt_map(&pt, BASE, phys, 1, IOPT_R), 0); /* reuse after unmap */
	iopt_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
	CHECK_EQ(iopt_init(&pt, &iopt_vtd, 4, host_page, NULL), 0);
	CHECK_EQ(iopt_map(&pt, 1ull << 40, phys, 1, IOPT_R), 0); /* 48 bits reach it */
	CHECK_EQ(iopt_lookup(&pt, 1ull << 40, &lv), phys | 1);
	iopt_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
}

/* Large leaves: as large as alignment and length allow, never past max_level. */
static void test_pt_large(void)
{
	struct iopt pt;
	unsigned lv;
	const uint64_t M2 = 2ull << 20, G1 = 1ull << 30;
	CHECK_EQ(iopt_init(&pt, &iopt_vtd, 3, host_page, NULL), 0);
	/* 8 MiB window, 2 MiB aligned both sides: four 2 MiB leaves, one middle table */
	CHECK_EQ(iopt_map_large(&pt, 32 * G1, 0x1000000, 4 * M2, IOPT_R | IOPT_W, 2), 0);
	CHECK_EQ(pt.tables, 2);
	CHECK_EQ(iopt_lookup(&pt, 32 * G1 + M2 + 5, &lv), (0x1000000 + M2) | 3 | 0x80);
	CHECK_EQ(lv, 2);
	CHECK_EQ(pt.mapped, 4 * M2 / 4096);
	CHECK_EQ(iopt_unmap(&pt, 32 * G1, 1), 0);                            /* a large leaf is not split */
	CHECK_EQ(iopt_map(&pt, 32 * G1 + 4096, 0x5000, 1, IOPT_R), -ENOMEM); /* nor mapped under */
	/* physical 4 KiB aligned only: 4 KiB leaves, and the map still ends exactly */
	CHECK_EQ(iopt_map_large(&pt, 33 * G1, 0x1001000, M2, IOPT_R | IOPT_W, 2), 0);
	CHECK_EQ(iopt_lookup(&pt, 33 * G1 + M2 - 4096, &lv), (0x1001000 + M2 - 4096) | 3);
	CHECK_EQ(lv, 1);
	CHECK_EQ(iopt_lookup(&pt, 33 * G1 + M2, &lv), 0);
	/* the floor: 1 GiB leaves in the root where allowed, 2 MiB then 4 KiB for the rest */
	CHECK_EQ(iopt_map_large(&pt, 0, 0, G1 + M2 + 8192, IOPT_R | IOPT_W, 3), 0);
	CHECK_EQ(iopt_lookup(&pt, 12345, &lv), 3 | 0x80);
	CHECK_EQ(lv, 3);
	CHECK_EQ(iopt_lookup(&pt, G1 + 5, &lv), G1 | 3 | 0x80);
	CHECK_EQ(lv, 2);
	CHECK_EQ(iopt_lookup(&pt, G1 + M2 + 4096, &lv), (G1 + M2 + 4096) | 3);
	CHECK_EQ(lv, 1);
	CHECK_EQ(iopt_lookup(&pt, G1 + M2 + 8192, &lv), 0);
	CHECK_EQ(iopt_map_large(&pt, 0, 0, 4096, IOPT_R, 4), -EINVAL); /* no level 4 leaf in 3 levels */
	CHECK_EQ(iopt_map_large(&pt, 0, 0, 100, IOPT_R, 2), -EINVAL);
	iopt_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
}

/* The AMD-Vi v1 format: PR bit 0, NextLevel 11:9, IR 61, IW 62; table
 * entries name the level below and grant both; NextLevel 0 is a leaf. */
static void test_pt_amd(void)
{
	struct iopt pt;
	unsigned lv;
	const uint64_t PR = 1, IR = 1ull << 61, IW = 1ull << 62;
	CHECK_EQ(iopt_init(&pt, &iopt_amd, 3, host_page, NULL), 0);
	CHECK_EQ(iopt_map(&pt, BASE + 4096, 0x7000, 2, IOPT_W), 0);
	const uint64_t *root = (const uint64_t *)(uintptr_t)pt.root;
	uint64_t l3 = root[BASE >> 30 & 511];
	CHECK_EQ(l3 & ~IOPT_ADDR, PR | 2ull << 9 | IR | IW); /* points at a level 2 table */
	const uint64_t *t2 = (const uint64_t *)(uintptr_t)(l3 & IOPT_ADDR);
	uint64_t l2 = t2[BASE >> 21 & 511];
	CHECK_EQ(l2 & ~IOPT_ADDR, PR | 1ull << 9 | IR | IW);
	CHECK_EQ(iopt_lookup(&pt, BASE + 8192, &lv), 0x8000 | PR | IW);
	CHECK_EQ(lv, 1);
	CHECK_EQ(iopt_lookup(&pt, BASE, &lv), 0);
	CHECK_EQ(iopt_unmap(&pt, BASE, 3), 2);
	CHECK_EQ(iopt_map_large(&pt, 32ull << 30, 0x200000, 2ull << 20, IOPT_R | IOPT_W, 2), 0);
	CHECK_EQ(iopt_lookup(&pt, (32ull << 30) + 4096, &lv), 0x200000 | PR | IR | IW); /* NextLevel 0 */
	CHECK_EQ(lv, 2);
	iopt_destroy(&pt, host_free);
	CHECK_EQ(pages_live, 0);
}

static void test_page_counts(void)
{
	CHECK_EQ(iopt_count(0x1000, 4096, 4096), 1);
	CHECK_EQ(iopt_count(0x1001, 4096, 4096), 2); /* unaligned: the next page too */
	CHECK_EQ(iopt_count(0x1fff, 2, 4096), 2);
	CHECK_EQ(iopt_count(0x1fff, 1, 4096), 1);
	CHECK_EQ(iopt_count(0x1000, 0, 4096), 0);
	CHECK_EQ(iopt_count(0x10200, 0x10000, 0x10000), 2); /* a 64 KiB granule */
	CHECK_EQ(iopt_first(0x10200, 0x10000), 0x10000);
	uint64_t bm[2] = { 0, 0 };
	struct iova_space s;
	iova_init(&s, BASE, 128, bm);
	iova_reserve(&s, BASE + 4096, 2);
	iova_reserve(&s, BASE - 4096, 2); /* the part below the space is ignored */
	CHECK_EQ(s.used, 3);
	CHECK_EQ(iova_alloc(&s, 1, 1), BASE + 3 * 4096);
}

int main(void)
{
	RUN(test_dmar_good);
	RUN(test_dmar_bad);
	RUN(test_dmar_paths);
	RUN(test_ivrs_good);
	RUN(test_ivrs_bad);
	RUN(test_viot);
	RUN(test_iova);
	RUN(test_pt_vtd);
	RUN(test_pt_large);
	RUN(test_pt_amd);
	RUN(test_page_counts);
	UNIT_DONE();
}
