/* test_mptable.c - the MP table as qboot (QEMU microvm, acpi=off) and SeaBIOS write it, and broken ones. */
#include "unit.h"

#include "kernel/mptable.c"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct acpi_info acpi;
const void *acpi_map_phys(uint64_t phys, uint64_t len) { return phys ? (const void *)(uintptr_t)phys : NULL; }
void low_memory_read(uint64_t phys, void *buf, size_t len) { abort(); } /* mptable_init is not run here */

static void seal(void *p, size_t len, uint8_t *field)
{
	uint8_t s = 0;
	*field = 0;
	for (size_t i = 0; i < len; i++)
		s += ((uint8_t *)p)[i];
	*field = (uint8_t)-s;
}

/* A floating pointer followed by its table, in one KiB below 4 GiB (base
 * memory, say), where the pointer's 32 bits reach. */
#define MEM_LEN 1024
static uint8_t *mem;

static struct mpc *build(int count_entries, int irq0_override)
{
	if (!mem) {
		mem = mmap(NULL, MEM_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
			   0);
		if (mem == MAP_FAILED)
			abort();
	}
	memset(mem, 0, MEM_LEN);
	struct mpf *f = (struct mpf *)(mem + 32); /* not at the start: the scan must look */
	struct mpc *h = (struct mpc *)(f + 1);
	memcpy(f->signature, "_MP_", 4);
	f->config = (uint32_t)(uintptr_t)h;
	f->length = 1;
	f->spec_rev = 4;
	memcpy(h->signature, "PCMP", 4);
	h->spec_rev = 4;
	h->lapic_addr = 0xfee00000;
	uint8_t *p = (uint8_t *)(h + 1);
	unsigned n = 0;
	*(struct mp_cpu *)p = (struct mp_cpu){ .type = MP_CPU, .lapic_id = 0, .flags = 3 }, p += 20, n++;
	*(struct mp_cpu *)p = (struct mp_cpu){ .type = MP_CPU, .lapic_id = 1, .flags = 0 }, p += 20, n++;
	*(struct mp_bus *)p = (struct mp_bus){ MP_BUS, 0, "ISA   " }, p += 8, n++;
	*(struct mp_bus *)p = (struct mp_bus){ MP_BUS, 1, "PCI   " }, p += 8, n++;
	*(struct mp_ioapic *)p = (struct mp_ioapic){ MP_IOAPIC, 2, 0x14, 1, 0xfec00000 }, p += 8, n++;
	for (uint8_t irq = 0; irq < 16; irq++) { /* qboot: identity, IRQ 0 on pin 2 and no IRQ 2 */
		if (irq0_override && irq == 2)
			continue;
		uint8_t pin = irq0_override && irq == 0 ? 2 : irq;
		*(struct mp_int *)p = (struct mp_int){ MP_IOINT, MP_INT_VECTORED, 0, 0, irq, 2, pin }, p += 8,
				n++;
	}
	/* PCI INTA of device 3 on pin 11, level low: not an ISA interrupt, not an override */
	*(struct mp_int *)p = (struct mp_int){ MP_IOINT, MP_INT_VECTORED, 0xf, 1, 3 << 2, 2, 11 }, p += 8,
			n++;
	*(struct mp_int *)p = (struct mp_int){ MP_LINT, 3, 0, 0, 0, 0, 0 }, p += 8, n++; /* ExtINT */
	*(struct mp_int *)p = (struct mp_int){ MP_LINT, MP_INT_NMI, 0, 0, 0, 0xff, 1 }, p += 8, n++; /* NMI */
	h->length = (uint16_t)(p - (uint8_t *)h);
	h->entry_count = count_entries ? (uint16_t)n : 0;
	seal(h, h->length, &h->checksum);
	seal(f, sizeof *f, &f->checksum);
	return h;
}

static const void *found(void) { return mptable_scan(mem, MEM_LEN); }

static void test_qboot_table(void)
{
	memset(&acpi, 0, sizeof acpi);
	build(0, 1); /* as qboot writes it: no entry count */
	const void *f = found();
	CHECK(f == mem + 32);
	CHECK_EQ(mptable_parse(f, acpi_map_phys), 0);
	CHECK_EQ(acpi.lapic_addr, 0xfee00000);
	CHECK_EQ(acpi.ncpus, 1); /* the disabled one is not counted */
	CHECK_EQ(acpi.nioapics, 1);
	CHECK_EQ(acpi.ioapics[0].id, 2);
	CHECK_EQ(acpi.ioapics[0].addr, 0xfec00000);
	CHECK_EQ(acpi.ioapics[0].gsi_base, 0);
	CHECK_EQ(acpi.noverrides, 1); /* IRQ 0 on GSI 2; the rest are identity, the PCI one not ISA */
	CHECK_EQ(acpi.overrides[0].bus_irq, 0);
	CHECK_EQ(acpi.overrides[0].gsi, 2);
	CHECK_EQ(acpi.nnmis, 1);
	CHECK_EQ(acpi.nmis[0].cpu_uid, 0xff);
	CHECK_EQ(acpi.nmis[0].lint, 1);
}

static void test_counted_table_without_override(void)
{
	memset(&acpi, 0, sizeof acpi);
	build(1, 0); /* SeaBIOS fills the count in; the same answer */
	CHECK_EQ(mptable_parse(found(), acpi_map_phys), 0);
	CHECK_EQ(acpi.ncpus, 1);
	CHECK_EQ(acpi.noverrides, 0);
}

static void test_broken_tables(void)
{
	memset(&acpi, 0, sizeof acpi);
	struct mpc *h = build(0, 1);
	h->checksum ^= 1;
	CHECK_EQ(mptable_parse(found(), acpi_map_phys), -EINVAL);
	CHECK_EQ(acpi.nioapics, 0);

	/* the pointer's own checksum: not found at all */
	build(0, 1);
	mem[32 + 10] ^= 1;
	CHECK(found() == NULL);

	/* no table, a default configuration instead */
	h = build(0, 1);
	struct mpf *f = (struct mpf *)(mem + 32);
	f->config = 0;
	f->feature1 = 5;
	seal(f, sizeof *f, &f->checksum);
	CHECK_EQ(mptable_parse(found(), acpi_map_phys), -EINVAL);

	/* an entry of an unknown type: what came before it is kept, the rest not */
	memset(&acpi, 0, sizeof acpi);
	h = build(0, 1);
	uint8_t *e = (uint8_t *)(h + 1) + 20 + 20 + 8 + 8 + 8; /* the first interrupt entry */
	e[0] = 0x80;
	seal(h, h->length, &h->checksum);
	int before = unit_log_lines;
	CHECK_EQ(mptable_parse(found(), acpi_map_phys), 0);
	CHECK_EQ(unit_log_lines - before, 1);
	CHECK_EQ(acpi.nioapics, 1);
	CHECK_EQ(acpi.noverrides, 0);

	/* a length shorter than its own header */
	memset(&acpi, 0, sizeof acpi);
	h = build(0, 1);
	h->length = 3;
	seal(h, sizeof *h, &h->checksum);
	CHECK_EQ(mptable_parse(found(), acpi_map_phys), -EINVAL);
}

int main(void)
{
	RUN(test_qboot_table);
	RUN(test_counted_table_without_override);
	RUN(test_broken_tables);
	UNIT_DONE();
}
