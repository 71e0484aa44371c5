/* mptable.c - the Intel MP table (MP spec 1.4), for machines booted without ACPI tables. */
#include "kernel/mptable.h"
#include "kernel/acpi.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <errno.h>
#include <stdbool.h>
#include <string.h>

/*
 * QEMU's microvm with acpi=off boots qboot, which writes an MP table instead
 * of ACPI tables: CPUs, the IOAPIC and the ISA interrupt wiring. What it says
 * fills the same fields of `acpi` the MADT would, so the interrupt code has
 * one source to read. Without either table, apic.c uses the PC's defaults.
 */

/* MP spec 1.4 §4.1: the floating pointer structure */
struct mpf {
	char signature[4]; /* "_MP_" */
	uint32_t config;   /* physical address of the configuration table; 0: a default config */
	uint8_t length;    /* in 16-byte units: 1 */
	uint8_t spec_rev, checksum, feature1, feature2, reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct mpf) == 16, "MP 1.4 §4.1");

/* §4.2: the configuration table header, then its entries */
struct mpc {
	char signature[4]; /* "PCMP" */
	uint16_t length;   /* of the base table, header included */
	uint8_t spec_rev, checksum;
	char oem[8], product[12];
	uint32_t oem_table;
	uint16_t oem_size, entry_count;
	uint32_t lapic_addr;
	uint16_t ext_length;
	uint8_t ext_checksum, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mpc) == 44, "MP 1.4 §4.2");

enum { MP_CPU = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_IOINT = 3, MP_LINT = 4 }; /* §4.3, table 4-3 */
#define MP_CPU_LEN   20
#define MP_OTHER_LEN 8

struct mp_cpu { /* §4.3.1 */
	uint8_t type, lapic_id, lapic_ver, flags;
	uint32_t signature, features, reserved[2];
} __attribute__((packed));
_Static_assert(sizeof(struct mp_cpu) == MP_CPU_LEN, "MP 1.4 §4.3.1");

struct mp_bus { /* §4.3.2 */
	uint8_t type, id;
	char name[6]; /* "ISA   ", "PCI   " */
} __attribute__((packed));

struct mp_ioapic { /* §4.3.3 */
	uint8_t type, id, version, flags;
	uint32_t addr;
} __attribute__((packed));

/* §4.3.4 and §4.3.5: an I/O or local interrupt assignment. The flags are the
 * MPS INTI flags the MADT's overrides also use (polarity bits 0-1, trigger 2-3). */
struct mp_int {
	uint8_t type, int_type;
	uint16_t flags;
	uint8_t src_bus, src_irq, dst_id, dst_pin;
} __attribute__((packed));
_Static_assert(sizeof(struct mp_int) == MP_OTHER_LEN, "MP 1.4 §4.3.4");

#define MP_INT_VECTORED 0 /* int_type: an ordinary interrupt */
#define MP_INT_NMI      1
#define MP_CPU_EN       1 /* flags of a CPU or IOAPIC entry: usable */
#define MP_MAX_BUSES    32

static int checksum_ok(const void *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s += ((const uint8_t *)p)[i];
	return s == 0;
}

const void *mptable_scan(const void *start, size_t len)
{
	const uint8_t *p = start;
	for (size_t off = 0; off + sizeof(struct mpf) <= len; off += 16) {
		const struct mpf *f = (const void *)(p + off);
		if (!memcmp(f->signature, "_MP_", 4) && f->length == 1 && checksum_ok(f, sizeof *f))
			return f;
	}
	return NULL;
}

static int ioapic_gsi_base(uint8_t id)
{
	for (int i = 0; i < acpi.nioapics; i++)
		if (acpi.ioapics[i].id == id)
			return (int)acpi.ioapics[i].gsi_base;
	return -1;
}

/* An ISA interrupt that does not arrive on the pin of its own number, or not
 * edge-triggered active high: what the MADT would call an override. */
static void add_isa_int(const struct mp_int *e)
{
	int base = ioapic_gsi_base(e->dst_id);
	if (base < 0 || e->src_irq > 15)
		return;
	uint32_t gsi = (uint32_t)base + e->dst_pin;
	if (gsi == e->src_irq && !e->flags)
		return;
	if (acpi.noverrides == ACPI_MAX_OVERRIDES)
		return;
	acpi.overrides[acpi.noverrides++] =
		(struct acpi_override){ .bus_irq = e->src_irq, .gsi = gsi, .flags = e->flags };
}

int mptable_parse(const void *mpf, const void *(*map)(uint64_t phys, uint64_t len))
{
	const struct mpf *f = mpf;
	if (!f->config) {
		log_warn("mptable: a default configuration (feature byte %u), not a table; not used\n",
			 f->feature1);
		return -EINVAL;
	}
	const struct mpc *h = map(f->config, sizeof *h);
	if (!h || memcmp(h->signature, "PCMP", 4) || h->length < sizeof *h) {
		log_warn("mptable: no configuration table at 0x%x\n", f->config);
		return -EINVAL;
	}
	h = map(f->config, h->length);
	if (!h || !checksum_ok(h, h->length)) {
		log_warn("mptable: configuration table at 0x%x has a bad checksum; not used\n", f->config);
		return -EINVAL;
	}
	acpi.lapic_addr = h->lapic_addr;
	/* Two passes: buses and IOAPICs first, since interrupt entries name them by id. */
	bool isa[MP_MAX_BUSES] = { false };
	const uint8_t *start = (const uint8_t *)(h + 1), *end = (const uint8_t *)h + h->length;
	for (int pass = 0; pass < 2; pass++) {
		const uint8_t *p = start;
		/* by length, not entry_count: qboot leaves the count 0, and Linux goes by length too */
		for (unsigned n = 0; p < end; n++) {
			size_t elen = *p == MP_CPU ? MP_CPU_LEN : MP_OTHER_LEN;
			if (*p > MP_LINT || (size_t)(end - p) < elen) {
				if (pass == 0)
					log_warn("mptable: entry %u is of unknown type %u or runs past the "
						 "end; "
						 "the rest is ignored\n",
						 n, *p);
				break;
			}
			const struct mp_int *in = (const void *)p;
			if (pass == 0 && *p == MP_BUS) {
				const struct mp_bus *b = (const void *)p;
				if (b->id < MP_MAX_BUSES)
					isa[b->id] = !memcmp(b->name, "ISA", 3);
			} else if (pass == 0 && *p == MP_IOAPIC) {
				const struct mp_ioapic *io = (const void *)p;
				if ((io->flags & MP_CPU_EN) && acpi.nioapics < ACPI_MAX_IOAPICS) {
					/* the MP table gives no GSI numbers: 24 pins each, in order */
					uint32_t base = (uint32_t)acpi.nioapics * 24;
					acpi.ioapics[acpi.nioapics++] = (struct acpi_ioapic){
						.id = io->id, .addr = io->addr, .gsi_base = base
					};
				}
			} else if (pass == 1 && *p == MP_CPU) {
				const struct mp_cpu *c = (const void *)p;
				if ((c->flags & MP_CPU_EN) && acpi.ncpus < ACPI_MAX_CPUS) {
					acpi.cpu_uids[acpi.ncpus] = c->lapic_id;
					acpi.lapic_ids[acpi.ncpus++] = c->lapic_id;
				}
			} else if (pass == 1 && *p == MP_IOINT && in->int_type == MP_INT_VECTORED &&
				   in->src_bus < MP_MAX_BUSES && isa[in->src_bus]) {
				add_isa_int(in);
			} else if (pass == 1 && *p == MP_LINT && in->int_type == MP_INT_NMI &&
				   in->dst_pin <= 1 && acpi.nnmis < ACPI_MAX_NMIS) {
				acpi.nmis[acpi.nnmis++] = (struct acpi_nmi){ .cpu_uid = in->dst_id,
									     .lint = in->dst_pin,
									     .flags = in->flags };
			}
			p += elen;
		}
	}
	return 0;
}

#define EBDA_PTR  0x40e /* BIOS data area: real-mode segment of the EBDA */
#define BASE_TOP  0xa0000
#define BIOS_ROM  0xf0000
#define BIOS_SIZE 0x10000

int mptable_init(void)
{
	const void *f = NULL;
	uint16_t seg = 0;
	low_memory_read(EBDA_PTR, &seg, 2); /* page 0 is not mapped */
	uint64_t ebda = (uint64_t)seg << 4;
	const void *p;
	if (ebda >= 0x80000 && ebda < BASE_TOP && (p = acpi_map_phys(ebda, 1024)))
		f = mptable_scan(p, 1024);
	if (!f && (p = acpi_map_phys(BASE_TOP - 1024, 1024)))
		f = mptable_scan(p, 1024);
	if (!f && (p = acpi_map_phys(BIOS_ROM, BIOS_SIZE)))
		f = mptable_scan(p, BIOS_SIZE);
	if (!f) {
		log_info("mptable: none either; the PC's defaults will do\n");
		return -ENOENT;
	}
	int r = mptable_parse(f, acpi_map_phys);
	if (!r)
		log_info("mptable: MP 1.%u table at 0x%llx: %d CPU, %d IOAPIC, %d overrides\n",
			 ((const struct mpf *)f)->spec_rev, (unsigned long long)(uintptr_t)f, acpi.ncpus,
			 acpi.nioapics, acpi.noverrides);
	return r;
}
