/* test_acpi.c - ACPI table checks, the RSDT/XSDT walk, MADT, MCFG, FADT, HPET, and the AML byte parsers (\_S5, virtio-mmio). */
#define _GNU_SOURCE /* memmem, which kernel/acpi_aml.c uses: before unit.h includes <string.h> */
#include "unit.h"

#include "kernel/acpi_aml.c"
#include "kernel/acpi_tables.c"
#include "microvm_dsdt.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Host memory is its own "physical" memory; above 2^47 cannot be mapped. */
const void *acpi_map_phys(uint64_t phys, uint64_t len)
{
	if (!phys || phys >= (1ull << 47))
		return NULL;
	return (const void *)(uintptr_t)phys;
}

/* Tables live below 4 GiB, where the RSDT's 32-bit pointers reach. */
static uint8_t *arena;
static size_t arena_used;

static void *low_alloc(size_t n)
{
	if (!arena) {
		arena = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
			     -1, 0);
		if (arena == MAP_FAILED)
			abort();
	}
	void *p = arena + arena_used;
	memset(p, 0, n);
	arena_used += (n + 15) & ~15ul;
	return p;
}

static void fix_checksum(void *p, size_t len, uint8_t *sum_field)
{
	*sum_field = 0;
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += ((uint8_t *)p)[i];
	*sum_field = (uint8_t)-s;
}

static struct sdt_header *table(const char *sig, uint32_t len)
{
	struct sdt_header *h = low_alloc(len);
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = 1;
	return h;
}

static void seal(struct sdt_header *h) { fix_checksum(h, h->length, &h->checksum); }

static uint64_t addr(const void *p) { return (uint64_t)(uintptr_t)p; }

static void reset(void) { memset(&acpi, 0, sizeof acpi); }

/* A MADT as QEMU builds it, plus a disabled CPU and a broken last entry. */
static struct sdt_header *make_madt(int broken_tail)
{
	uint8_t body[] = {
		0,    8,  0,    0,    1, 0, 0,    0, /* LAPIC uid 0 id 0 enabled */
		0,    8,  1,    1,    0, 0, 0,    0, /* LAPIC uid 1 id 1 disabled: not counted */
		0,    8,  2,    5,    2, 0, 0,    0, /* LAPIC uid 2 id 5 online capable */
		1,    12, 7,    0,    0, 0, 0xc0, 0xfe, 0,    0, 0, 0, /* IOAPIC 7 at 0xfec00000 gsi 0 */
		2,    10, 0,    0,    2, 0, 0,    0,    0,    0,       /* IRQ 0 -> GSI 2, conforms */
		2,    10, 0,    9,    9, 0, 0,    0,    0x0d, 0,       /* IRQ 9 -> GSI 9, level high */
		2,    10, 1,    4,    4, 0, 0,    0,    0,    0,       /* bus 1: not ISA, ignored */
		4,    6,  0xff, 0x05, 0, 1,                            /* LAPIC NMI, all CPUs, LINT1 */
		5,    12, 0,    0,    0, 0, 0xe0, 0xfe, 0,    0, 0, 0, /* LAPIC address override 0xfee00000 */
		0x7f, 3,  0,                                           /* unknown type: skipped */
		0,    40,                                              /* length past the end */
	};
	size_t n = sizeof body - (broken_tail ? 0 : 2);
	struct sdt_header *h = table("APIC", (uint32_t)(sizeof(struct madt) + n));
	struct madt *m = (struct madt *)h;
	m->lapic_addr = 0x12345000;
	m->flags = 1;
	memcpy(m + 1, body, n);
	seal(h);
	return h;
}

static void test_checksum(void)
{
	struct sdt_header *h = table("TEST", 40);
	seal(h);
	CHECK(acpi_checksum_ok(h, h->length));
	((uint8_t *)h)[38] ^= 1;
	CHECK(!acpi_checksum_ok(h, h->length));
	reset();
	int before = unit_log_lines;
	CHECK(table_at(addr(h)) == NULL); /* corrupt */
	h->length = 20;
	seal(h);
	CHECK(table_at(addr(h)) == NULL); /* shorter than its own header */
	h->length = 40;
	seal(h);
	CHECK(table_at(addr(h)) == h);
	CHECK(table_at(1ull << 50) == NULL); /* unreachable */
	CHECK_EQ(unit_log_lines - before, 3);
}

static void test_madt(void)
{
	reset();
	struct sdt_header *h = make_madt(0);
	CHECK_EQ(acpi_parse_madt(h, h->length), 0);
	CHECK_EQ(acpi.lapic_addr, 0xfee00000); /* the override wins */
	CHECK_EQ(acpi.ncpus, 2);
	CHECK_EQ(acpi.lapic_ids[0], 0);
	CHECK_EQ(acpi.lapic_ids[1], 5);
	CHECK_EQ(acpi.cpu_uids[1], 2);
	CHECK_EQ(acpi.nioapics, 1);
	CHECK_EQ(acpi.ioapics[0].id, 7);
	CHECK_EQ(acpi.ioapics[0].addr, 0xfec00000);
	CHECK_EQ(acpi.ioapics[0].gsi_base, 0);
	CHECK_EQ(acpi.noverrides, 2);
	CHECK_EQ(acpi.overrides[0].bus_irq, 0);
	CHECK_EQ(acpi.overrides[0].gsi, 2);
	CHECK_EQ(acpi.overrides[1].bus_irq, 9);
	CHECK_EQ(acpi.overrides[1].flags, ACPI_INTI_POL_HIGH | ACPI_INTI_TRIG_LEVEL);
	CHECK_EQ(acpi.nnmis, 1);
	CHECK_EQ(acpi.nmis[0].cpu_uid, 0xff);
	CHECK_EQ(acpi.nmis[0].lint, 1);
	CHECK_EQ(acpi.nmis[0].flags, 5);

	/* an entry running past the end stops the walk, with what came before kept */
	reset();
	h = make_madt(1);
	CHECK_EQ(acpi_parse_madt(h, h->length), -EINVAL);
	CHECK_EQ(acpi.ncpus, 2);
	CHECK_EQ(acpi.noverrides, 2);

	/* shorter than the fixed MADT fields */
	reset();
	CHECK_EQ(acpi_parse_madt(h, 40), -EINVAL);
	CHECK_EQ(acpi.ncpus, 0);
}

static struct sdt_header *make_mcfg(int n)
{
	struct sdt_header *h = table("MCFG", (uint32_t)(MCFG_ENTRIES_OFF + 16 * n));
	struct mcfg_entry e = { .base = 0xb0000000, .segment = 0, .bus_start = 0, .bus_end = 255 };
	for (int i = 0; i < n; i++) {
		e.segment = (uint16_t)i;
		memcpy((uint8_t *)h + MCFG_ENTRIES_OFF + 16 * i, &e, sizeof e);
	}
	seal(h);
	return h;
}

/* AML of Name(_S5, Package(4) { 0x05, One, Zero, Zero }) inside some other bytes */
static const uint8_t s5_aml[] = { 0x10, 0x05, '\\', '_',  'S',  'B',  '_',  0x08, '_',  'S',  '5',
				  '_',  0x12, 0x08, 0x04, 0x0a, 0x05, 0x01, 0x00, 0x00, 0x5b, 0x80 };

static struct sdt_header *make_fadt(uint64_t dsdt)
{
	struct sdt_header *h = table("FACP", sizeof(struct fadt));
	struct fadt *f = (struct fadt *)h;
	f->sci_int = 9;
	f->smi_cmd = 0xb2;
	f->acpi_enable = 0xf1;
	f->pm1a_evt_blk = 0x600;
	f->pm1a_cnt_blk = 0x604;
	f->pm1_evt_len = 4;
	f->gpe0_blk = 0x620;
	f->gpe0_blk_len = 16;
	f->x_dsdt = dsdt;
	f->x_pm1b_cnt_blk = (struct gas){ .space = GAS_SYSTEM_IO, .addr = 0x704 };
	f->x_pm_tmr_blk = (struct gas){ .space = GAS_SYSTEM_IO, .addr = 0x608 };
	f->sleep_control = (struct gas){ .space = GAS_MEMORY, .addr = 0xfea00200 };
	seal(h);
	return h;
}

static struct sdt_header *make_dsdt(void)
{
	struct sdt_header *h = table("DSDT", (uint32_t)(sizeof *h + sizeof s5_aml));
	memcpy(h + 1, s5_aml, sizeof s5_aml);
	seal(h);
	return h;
}

static void test_rsdt_walk_skips_bad_tables(void)
{
	reset();
	struct sdt_header *madt = make_madt(0), *mcfg = make_mcfg(2), *bad = make_mcfg(1);
	struct sdt_header *shorttab = table("MCFG", 30), *fadt = make_fadt(addr(make_dsdt()));
	((uint8_t *)bad)[MCFG_ENTRIES_OFF] ^= 0x10; /* checksum now wrong */
	seal(shorttab);
	uint32_t ptrs[] = { (uint32_t)addr(bad),  (uint32_t)addr(madt), (uint32_t)addr(shorttab),
			    (uint32_t)addr(mcfg), (uint32_t)addr(fadt), 0 };
	struct sdt_header *rsdt = table("RSDT", (uint32_t)(sizeof *rsdt + sizeof ptrs));
	memcpy(rsdt + 1, ptrs, sizeof ptrs);
	seal(rsdt);

	struct rsdp *r = low_alloc(sizeof *r);
	memcpy(r->signature, "RSD PTR ", 8);
	r->rsdt = (uint32_t)addr(rsdt);
	fix_checksum(r, RSDP_V1_LEN, &r->checksum);

	int before = unit_log_lines;
	CHECK_EQ(acpi_parse_rsdp(r, RSDP_V1_LEN), 0);
	CHECK_EQ(unit_log_lines - before, 3); /* the bad table, the short one, the bus 1 override */
	CHECK(acpi.found);
	CHECK_EQ(acpi.ncpus, 2);
	CHECK_EQ(acpi.nmcfg, 2);
	CHECK_EQ(acpi.mcfg[1].segment, 1);
	CHECK_EQ(acpi.mcfg[1].base, 0xb0000000);
	CHECK_EQ(acpi.mcfg[1].bus_end, 255);
	CHECK(acpi.have_fadt);
	CHECK_EQ(acpi.fadt.sci_irq, 9);
	CHECK_EQ(acpi.fadt.pm1a_evt, 0x600);
	CHECK_EQ(acpi.fadt.pm1a_cnt, 0x604);
	CHECK_EQ(acpi.fadt.pm1b_cnt, 0x704); /* from X_PM1b_CNT_BLK */
	CHECK_EQ(acpi.fadt.smi_cmd, 0xb2);
	CHECK_EQ(acpi.fadt.pm_tmr, 0x608); /* from X_PM_TMR_BLK */
	CHECK_EQ(acpi.fadt.sleep_ctl, 0xfea00200);
	CHECK(!acpi.fadt.sleep_ctl_io);
	CHECK(acpi.have_s5);
	CHECK_EQ(acpi.s5_typa, 5);
	CHECK_EQ(acpi.s5_typb, 1);

	/* a revision 2 RSDP whose extended checksum is wrong: the RSDT still works */
	reset();
	struct rsdp *r2 = low_alloc(sizeof *r2);
	*r2 = *r;
	r2->revision = 2;
	r2->length = sizeof *r2;
	r2->xsdt = addr(rsdt);
	fix_checksum(r2, RSDP_V1_LEN, &r2->checksum);
	r2->ext_checksum = 1; /* wrong on purpose (sum is then not 0 unless by chance) */
	if (acpi_checksum_ok(r2, sizeof *r2))
		r2->ext_checksum = 2;
	CHECK_EQ(acpi_parse_rsdp(r2, sizeof *r2), 0);
	CHECK_EQ(acpi.ncpus, 2);

	/* a bad RSDP checksum, or too few bytes of it */
	reset();
	r->checksum ^= 0xff;
	CHECK_EQ(acpi_parse_rsdp(r, RSDP_V1_LEN), -EINVAL);
	r->checksum ^= 0xff;
	CHECK_EQ(acpi_parse_rsdp(r, 19), -EINVAL);
	CHECK(!acpi.found);
}

static void test_xsdt_and_dmar(void)
{
	reset();
	struct sdt_header *dmar = table("DMAR", DMAR_UNITS_OFF + 16 + 8 + 16);
	uint8_t *u = (uint8_t *)dmar + DMAR_UNITS_OFF;
	u[0] = DMAR_DRHD, u[2] = 16;   /* DRHD */
	u[16] = 1, u[18] = 8;          /* RMRR (shortened) */
	u[24] = DMAR_DRHD, u[26] = 16; /* DRHD */
	seal(dmar);
	struct hpet_table *hpet = (void *)table("HPET", sizeof *hpet),
			  *bad = (void *)table("HPET", sizeof *hpet);
	hpet->base = (struct gas){ .space = GAS_MEMORY, .addr = 0xfed00000 };
	bad->base = (struct gas){ .space = GAS_SYSTEM_IO, .addr = 0x500 }; /* not where an HPET can be */
	seal(&hpet->h);
	seal(&bad->h);
	/* the other IOMMUs' tables are kept whole for their drivers; a second one is ignored */
	struct sdt_header *ivrs = table("IVRS", 48), *viot = table("VIOT", 48), *viot2 = table("VIOT", 64);
	seal(ivrs), seal(viot), seal(viot2);
	uint64_t ptrs[] = { addr(dmar), addr(bad),  addr(hpet), addr(make_madt(0)),
			    addr(ivrs), addr(viot), addr(viot2) };
	struct sdt_header *xsdt = table("XSDT", (uint32_t)(sizeof *xsdt + sizeof ptrs));
	memcpy(xsdt + 1, ptrs, sizeof ptrs);
	seal(xsdt);
	struct rsdp *r = low_alloc(sizeof *r);
	memcpy(r->signature, "RSD PTR ", 8);
	r->revision = 2;
	r->length = sizeof *r;
	r->xsdt = addr(xsdt);
	fix_checksum(r, RSDP_V1_LEN, &r->checksum);
	fix_checksum(r, sizeof *r, &r->ext_checksum);
	CHECK_EQ(acpi_parse_rsdp(r, sizeof *r), 0);
	CHECK(acpi.dmar == dmar);
	CHECK_EQ(acpi.ndrhd, 2);
	CHECK_EQ(acpi.ncpus, 2);
	CHECK_EQ(acpi.hpet, 0xfed00000);
	CHECK(acpi.ivrs == ivrs && acpi.ivrs_len == 48);
	CHECK(acpi.viot == viot && acpi.viot_len == 48);
}

/* The parsers run on exact-size heap copies, so ASan sees any overread. */
static uint8_t *exact_copy(const uint8_t *aml, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, aml, len);
	return copy;
}

static int s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = exact_copy(aml, len);
	int r = acpi_s5_parse(copy, len, a, b);
	free(copy);
	return r;
}

static void test_s5_parser(void)
{
	uint8_t a = 9, b = 9;
	CHECK_EQ(s5(s5_aml, sizeof s5_aml, &a, &b), 0);
	CHECK_EQ(a, 5);
	CHECK_EQ(b, 1);

	/* QEMU's own: Name(\_S5, Package(4) { Zero, Zero, Zero, Zero }) */
	static const uint8_t qemu[] = { 0x08, '\\', '_',  'S',  '5',  '_', 0x12,
					0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	a = b = 9;
	CHECK_EQ(s5(qemu, sizeof qemu, &a, &b), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(b, 0);

	/* a two-byte PkgLength and word elements, masked to three bits */
	static const uint8_t wide[] = { 0x08, '_',  'S',  '5',  '_',  0x12, 0x4b, 0x00, 0x02,
					0x0b, 0x07, 0x01, 0x0c, 0x06, 0,    0,    0 };
	CHECK_EQ(s5(wide, sizeof wide, &a, &b), 0);
	CHECK_EQ(a, 7);
	CHECK_EQ(b, 6);

	/* every truncation of a valid encoding fails cleanly */
	for (size_t n = 0; n < sizeof qemu - 2; n++)
		CHECK_EQ(s5(qemu, n, &a, &b), -ENOENT);
	for (size_t n = 0; n < sizeof s5_aml - 5; n++)
		CHECK_EQ(s5(s5_aml, n, &a, &b), -ENOENT);

	/* a PkgLength running past the buffer */
	static const uint8_t longpkg[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x0a, 0x05, 0x0a, 0x05
	};
	CHECK_EQ(s5(longpkg, sizeof longpkg, &a, &b), -ENOENT);
	/* _S5_ that is not a name being defined (a reference, say) */
	static const uint8_t ref[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	CHECK_EQ(s5(ref, sizeof ref, &a, &b), -ENOENT);
	/* not a package, or an element that is not an integer */
	static const uint8_t notpkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
	CHECK_EQ(s5(notpkg, sizeof notpkg, &a, &b), -ENOENT);
	static const uint8_t notint[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x0d, 0x41, 0x00 };
	CHECK_EQ(s5(notint, sizeof notint, &a, &b), -ENOENT);
}

static int mmio_scan(const uint8_t *aml, size_t len, struct acpi_mmio *out, int max)
{
	uint8_t *copy = exact_copy(aml, len);
	int n = acpi_virtio_mmio_parse(copy, len, out, max);
	free(copy);
	return n;
}

static void test_virtio_mmio_in_microvm_dsdt(void)
{
	struct acpi_mmio m[4];
	const uint8_t *aml = microvm_dsdt + 36; /* past the table header */
	size_t len = sizeof microvm_dsdt - 36;
	CHECK_EQ(mmio_scan(aml, len, m, 4), 2);
	CHECK_EQ(m[0].base, 0xfeb02e00); /* VR23: the blk device, listed first */
	CHECK_EQ(m[0].size, 0x200);
	CHECK_EQ(m[0].gsi, 47);
	CHECK(m[0].level && !m[0].low);
	CHECK_EQ(m[1].base, 0xfeb02c00);
	CHECK_EQ(m[1].gsi, 46);
	CHECK_EQ(mmio_scan(aml, len, m, 1), 1); /* no more than asked for */
	/* every truncation parses cleanly, finding at most what was whole */
	for (size_t n = 0; n < len; n++)
		CHECK(mmio_scan(aml, n, m, 4) <= 2);
	/* the same DSDT reached from the FADT: the \_S5 and the devices */
	reset();
	struct sdt_header *dsdt = table("DSDT", sizeof microvm_dsdt);
	memcpy(dsdt, microvm_dsdt, sizeof microvm_dsdt);
	struct sdt_header *fadt = make_fadt(addr(dsdt));
	parse_fadt(fadt);
	CHECK_EQ(acpi.nmmio, 2);
	CHECK_EQ(acpi.mmio[1].base, 0xfeb02c00);
	CHECK(acpi.have_s5);
	CHECK_EQ(acpi.s5_typa, 5);
}

static void test_virtio_mmio_variants(void)
{
	/* Device (VR00) { Name (_HID, "LNRO0005") Name (_CRS, ResourceTemplate () {
	 *   Memory32Fixed (ReadWrite, 0xD0000000, 0x1000)
	 *   Interrupt (ResourceConsumer, Edge, ActiveLow) { 33 } }) }, with a nested
	 * Device (INNR) { Name (_HID, "QEMU0002") } before its own names */
	static const uint8_t dev[] = {
		0x5b, 0x82, 0x4b, 0x04, 'V',  'R',  '0',  '0',  0x5b, 0x82, 0x14, 'I',  'N',
		'N',  'R',  0x08, '_',  'H',  'I',  'D',  0x0d, 'Q',  'E',  'M',  'U',  '0',
		'0',  '0',  '2',  0x00, 0x08, '_',  'H',  'I',  'D',  0x0d, 'L',  'N',  'R',
		'O',  '0',  '0',  '0',  '5',  0x00, 0x08, '_',  'C',  'R',  'S',  0x11, 0x1a,
		0x0a, 0x17, 0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0xd0, 0x00, 0x10, 0x00,
		0x00, 0x89, 0x06, 0x00, 0x07, 0x01, 0x21, 0x00, 0x00, 0x00, 0x79, 0x00,
	};
	/* a two-byte PkgLength (§20.2.4): 0x4b 0x04 is 0x4b, counted from itself */
	_Static_assert(sizeof dev == 2 + 0x4b, "the outer PkgLength covers the device");
	struct acpi_mmio m[2];
	CHECK_EQ(mmio_scan(dev, sizeof dev, m, 2), 1);
	CHECK_EQ(m[0].base, 0xd0000000);
	CHECK_EQ(m[0].size, 0x1000);
	CHECK_EQ(m[0].gsi, 33);
	CHECK(!m[0].level && m[0].low);

	uint8_t bad[sizeof dev];
	/* another _HID: not a virtio-mmio device */
	memcpy(bad, dev, sizeof dev);
	bad[43] = '6';
	CHECK_EQ(mmio_scan(bad, sizeof bad, m, 2), 0);
	/* no interrupt descriptor (the end tag where it was): not usable */
	memcpy(bad, dev, sizeof dev);
	bad[66] = 0x79;
	CHECK_EQ(mmio_scan(bad, sizeof bad, m, 2), 0);
	/* a descriptor length running past the buffer */
	memcpy(bad, dev, sizeof dev);
	bad[67] = 0x40;
	CHECK_EQ(mmio_scan(bad, sizeof bad, m, 2), 0);
	/* the device's PkgLength running past the table */
	memcpy(bad, dev, sizeof dev);
	bad[2] = 0x4c; /* one byte more than there is */
	CHECK_EQ(mmio_scan(bad, sizeof bad, m, 2), 0);
	/* the _HID inside the nested device alone does not make the outer one virtio */
	memcpy(bad, dev, sizeof dev);
	memcpy(bad + 21, "LNRO0005", 8);
	bad[43] = '6';
	CHECK_EQ(mmio_scan(bad, sizeof bad, m, 2), 0);
}

int main(void)
{
	RUN(test_checksum);
	RUN(test_madt);
	RUN(test_rsdt_walk_skips_bad_tables);
	RUN(test_xsdt_and_dmar);
	RUN(test_s5_parser);
	RUN(test_virtio_mmio_in_microvm_dsdt);
	RUN(test_virtio_mmio_variants);
	UNIT_DONE();
}
