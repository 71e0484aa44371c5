/* acpi_tables.c - RSDP, XSDT/RSDT, MADT, MCFG, FADT, HPET, DMAR, IVRS, VIOT and \_S5: checked, then parsed. */
#include "kernel/acpi.h"
#include "kernel/log.h"
#include <errno.h>
#include <string.h>

struct acpi_info acpi;

/* ACPI 6.5 §5.2.5.3: Root System Description Pointer */
struct rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* of the first 20 bytes */
	char oem_id[6];
	uint8_t revision; /* 0: ACPI 1.0, RSDT only; 2: the fields below exist */
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum; /* of all length bytes */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct rsdp) == 36, "ACPI 6.5 §5.2.5.3");
#define RSDP_V1_LEN 20

/* §5.2.6: System Description Table Header */
struct sdt_header {
	char signature[4];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision, creator_id, creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct sdt_header) == 36, "ACPI 6.5 §5.2.6");

#define TABLE_MAX_LEN (1u << 20) /* nothing we read is near this; larger is corrupt */

/* §5.2.12: MADT, then interrupt controller structures of (type, length) */
struct madt {
	struct sdt_header h;
	uint32_t lapic_addr;
	uint32_t flags; /* bit 0 PCAT_COMPAT: there are 8259s to mask */
} __attribute__((packed));
_Static_assert(sizeof(struct madt) == 44, "ACPI 6.5 §5.2.12");

enum {
	MADT_LAPIC = 0,      /* §5.2.12.2 */
	MADT_IOAPIC = 1,     /* §5.2.12.3 */
	MADT_OVERRIDE = 2,   /* §5.2.12.5 */
	MADT_NMI_SOURCE = 3, /* §5.2.12.6 */
	MADT_LAPIC_NMI = 4,  /* §5.2.12.7 */
	MADT_LAPIC_ADDR = 5, /* §5.2.12.8 */
	MADT_X2APIC = 9,     /* §5.2.12.12 */
};

struct madt_lapic {
	uint8_t type, len, uid, apic_id;
	uint32_t flags; /* bit 0 enabled, bit 1 online capable */
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic) == 8, "ACPI 6.5 §5.2.12.2");

struct madt_ioapic {
	uint8_t type, len, id, reserved;
	uint32_t addr, gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_ioapic) == 12, "ACPI 6.5 §5.2.12.3");

struct madt_override {
	uint8_t type, len, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_override) == 10, "ACPI 6.5 §5.2.12.5");

struct madt_lapic_nmi {
	uint8_t type, len, uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "ACPI 6.5 §5.2.12.7");

struct madt_lapic_addr {
	uint8_t type, len;
	uint16_t reserved;
	uint64_t addr;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic_addr) == 12, "ACPI 6.5 §5.2.12.8");

/* PCI Firmware Specification 3.2 §4.1.2: MCFG, 8 reserved bytes, then entries */
struct mcfg_entry {
	uint64_t base;
	uint16_t segment;
	uint8_t bus_start, bus_end;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mcfg_entry) == 16, "PCI Firmware 3.2 §4.1.2");
#define MCFG_ENTRIES_OFF 44

/* Intel VT-d 4.1 §8.1: DMAR header, then remapping structures from offset 48 */
#define DMAR_UNITS_OFF 48
#define DMAR_DRHD      0 /* §8.3 */

/* §5.3.5 Generic Address Structure, for the FADT's X_ fields */
struct gas {
	uint8_t space; /* 0 memory, 1 system I/O */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t addr;
} __attribute__((packed));
_Static_assert(sizeof(struct gas) == 12, "ACPI 6.5 §5.2.3.2");

/* §5.2.9 table 5.9: FADT, up to the fields we read */
struct fadt {
	struct sdt_header h;
	uint32_t firmware_ctrl, dsdt;
	uint8_t reserved0, preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk, pm2_cnt_blk, pm_tmr_blk;
	uint32_t gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len, gpe0_blk_len, gpe1_blk_len;
	uint8_t gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
	struct gas sleep_control, sleep_status; /* ACPI 5.0: hardware-reduced sleep (§4.8.3.7) */
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct fadt, sci_int) == 46, "ACPI 6.5 §5.2.9");
_Static_assert(__builtin_offsetof(struct fadt, pm_tmr_blk) == 76, "ACPI 6.5 §5.2.9");
_Static_assert(__builtin_offsetof(struct fadt, flags) == 112, "ACPI 6.5 §5.2.9");
_Static_assert(__builtin_offsetof(struct fadt, x_dsdt) == 140, "ACPI 6.5 §5.2.9");
_Static_assert(__builtin_offsetof(struct fadt, x_pm2_cnt_blk) == 196, "ACPI 6.5 §5.2.9");
_Static_assert(__builtin_offsetof(struct fadt, sleep_control) == 244, "ACPI 6.5 §5.2.9");
_Static_assert(sizeof(struct fadt) == 268, "ACPI 6.5 §5.2.9");
#define FADT_V1_LEN   116 /* ACPI 1.0: everything up to and including flags */
#define FADT_X_PM1    __builtin_offsetof(struct fadt, x_pm2_cnt_blk) /* the X_PM1 blocks end here */
#define GAS_SYSTEM_IO 1
#define GAS_MEMORY    0

/* IA-PC HPET 1.0a §3.2.4: the HPET description table */
struct hpet_table {
	struct sdt_header h;
	uint32_t block_id;
	struct gas base; /* the timer block's registers, in memory space */
	uint8_t number;
	uint16_t min_tick;
	uint8_t attributes;
} __attribute__((packed));
_Static_assert(sizeof(struct hpet_table) == 56, "IA-PC HPET 1.0a table 3");

int acpi_checksum_ok(const void *p, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

/* The table at phys, with its length and checksum checked; NULL (and a
 * warning) if it is unreachable, short or corrupt. */
static const struct sdt_header *table_at(uint64_t phys)
{
	const struct sdt_header *h = acpi_map_phys(phys, sizeof *h);
	if (!h) {
		log_warn("acpi: table at 0x%llx cannot be mapped; skipped\n", (unsigned long long)phys);
		return NULL;
	}
	if (h->length < sizeof *h || h->length > TABLE_MAX_LEN) {
		log_warn("acpi: %.4s at 0x%llx has bad length %u; skipped\n", h->signature,
			 (unsigned long long)phys, h->length);
		return NULL;
	}
	h = acpi_map_phys(phys, h->length);
	if (!h)
		return NULL;
	if (!acpi_checksum_ok(h, h->length)) {
		log_warn("acpi: %.4s at 0x%llx has a bad checksum; skipped\n", h->signature,
			 (unsigned long long)phys);
		return NULL;
	}
	return h;
}

static void add_override(const struct madt_override *o)
{
	if (o->bus != 0) { /* §5.2.12.5: 0 is ISA, the only bus defined */
		log_warn("acpi: MADT override on bus %u ignored\n", o->bus);
		return;
	}
	if (acpi.noverrides == ACPI_MAX_OVERRIDES) {
		log_warn("acpi: more than %d MADT overrides; IRQ %u ignored\n", ACPI_MAX_OVERRIDES,
			 o->source);
		return;
	}
	acpi.overrides[acpi.noverrides++] =
		(struct acpi_override){ .bus_irq = o->source, .gsi = o->gsi, .flags = o->flags };
}

int acpi_parse_madt(const void *t, uint32_t len)
{
	const struct madt *m = t;
	if (len < sizeof *m) {
		log_warn("acpi: APIC table too short (%u bytes); skipped\n", len);
		return -EINVAL;
	}
	acpi.lapic_addr = m->lapic_addr;
	const uint8_t *p = (const uint8_t *)t + sizeof *m, *end = (const uint8_t *)t + len;
	while (end - p >= 2) {
		uint8_t type = p[0], elen = p[1];
		if (elen < 2 || elen > end - p) {
			log_warn("acpi: MADT entry type %u has bad length %u; rest ignored\n", type, elen);
			return -EINVAL;
		}
		switch (type) {
		case MADT_LAPIC: {
			const struct madt_lapic *e = (const void *)p;
			if (elen < sizeof *e || !(e->flags & 3)) /* neither enabled nor online capable */
				break;
			if (acpi.ncpus == ACPI_MAX_CPUS) {
				log_warn("acpi: more than %d CPUs; APIC id %u ignored\n", ACPI_MAX_CPUS,
					 e->apic_id);
				break;
			}
			acpi.cpu_uids[acpi.ncpus] = e->uid;
			acpi.lapic_ids[acpi.ncpus++] = e->apic_id;
			break;
		}
		case MADT_IOAPIC: {
			const struct madt_ioapic *e = (const void *)p;
			if (elen < sizeof *e)
				break;
			if (acpi.nioapics == ACPI_MAX_IOAPICS) {
				log_warn("acpi: more than %d IOAPICs; id %u ignored\n", ACPI_MAX_IOAPICS,
					 e->id);
				break;
			}
			acpi.ioapics[acpi.nioapics++] =
				(struct acpi_ioapic){ .id = e->id, .addr = e->addr, .gsi_base = e->gsi_base };
			break;
		}
		case MADT_OVERRIDE:
			if (elen >= sizeof(struct madt_override))
				add_override((const void *)p);
			break;
		case MADT_LAPIC_NMI: {
			const struct madt_lapic_nmi *e = (const void *)p;
			if (elen < sizeof *e || e->lint > 1 || acpi.nnmis == ACPI_MAX_NMIS)
				break;
			acpi.nmis[acpi.nnmis++] =
				(struct acpi_nmi){ .cpu_uid = e->uid, .lint = e->lint, .flags = e->flags };
			break;
		}
		case MADT_LAPIC_ADDR: {
			const struct madt_lapic_addr *e = (const void *)p;
			if (elen >= sizeof *e)
				acpi.lapic_addr = e->addr;
			break;
		}
		default:
			break; /* NMI sources, x2APIC (ids above 255: one CPU is all we run) and others */
		}
		p += elen;
	}
	return 0;
}

static void parse_mcfg(const struct sdt_header *h)
{
	const uint8_t *p = (const uint8_t *)h + MCFG_ENTRIES_OFF, *end = (const uint8_t *)h + h->length;
	if (h->length < MCFG_ENTRIES_OFF) {
		log_warn("acpi: MCFG too short (%u bytes); skipped\n", h->length);
		return;
	}
	for (; end - p >= (long)sizeof(struct mcfg_entry); p += sizeof(struct mcfg_entry)) {
		struct mcfg_entry e;
		memcpy(&e, p, sizeof e);
		if (e.bus_end < e.bus_start || !e.base) {
			log_warn("acpi: MCFG entry for segment %u is invalid; skipped\n", e.segment);
			continue;
		}
		if (acpi.nmcfg == ACPI_MAX_MCFG) {
			log_warn("acpi: more than %d MCFG entries; rest ignored\n", ACPI_MAX_MCFG);
			return;
		}
		acpi.mcfg[acpi.nmcfg++] = (struct acpi_mcfg){
			.base = e.base, .segment = e.segment, .bus_start = e.bus_start, .bus_end = e.bus_end
		};
	}
}

static void parse_dmar(const struct sdt_header *h)
{
	if (h->length < DMAR_UNITS_OFF) {
		log_warn("acpi: DMAR too short (%u bytes); skipped\n", h->length);
		return;
	}
	int ndrhd = 0;
	const uint8_t *p = (const uint8_t *)h + DMAR_UNITS_OFF, *end = (const uint8_t *)h + h->length;
	while (end - p >= 4) {
		uint16_t type, len;
		memcpy(&type, p, 2);
		memcpy(&len, p + 2, 2);
		if (len < 4 || len > end - p) {
			log_warn("acpi: DMAR structure type %u has bad length %u; skipped\n", type, len);
			return;
		}
		if (type == DMAR_DRHD)
			ndrhd++;
		p += len;
	}
	acpi.dmar = h;
	acpi.dmar_len = h->length;
	acpi.ndrhd = ndrhd;
	log_info("acpi: DMAR found, %d DRHD units\n", ndrhd);
}

/* IVRS and VIOT are parsed by their IOMMU drivers (drivers/iommu/ivrs.c,
 * viot.c); here they are only found and kept. */
static void keep_iommu_table(const struct sdt_header *h, const void **table, uint32_t *len)
{
	if (*table) {
		log_warn("acpi: a second %.4s; the first is used\n", h->signature);
		return;
	}
	*table = h;
	*len = h->length;
	log_info("acpi: %.4s found, %u bytes\n", h->signature, h->length);
}

/* A PM block's port: the 32-bit field, else the X_ field if it is in I/O space. */
static uint32_t pm_port(uint32_t legacy, const struct gas *x, int have_x)
{
	if (legacy || !have_x)
		return legacy;
	if (x->space == GAS_SYSTEM_IO && x->addr <= 0xffff)
		return (uint32_t)x->addr;
	return 0;
}

static void parse_fadt(const struct sdt_header *h)
{
	const struct fadt *f = (const void *)h;
	if (h->length < FADT_V1_LEN) {
		log_warn("acpi: FACP too short (%u bytes); skipped\n", h->length);
		return;
	}
	int have_x = h->length >= FADT_X_PM1;
	struct acpi_fadt_info *o = &acpi.fadt;
	o->sci_irq = f->sci_int;
	o->smi_cmd = f->smi_cmd;
	o->acpi_enable = f->acpi_enable;
	o->pm1a_evt = pm_port(f->pm1a_evt_blk, &f->x_pm1a_evt_blk, have_x);
	o->pm1b_evt = pm_port(f->pm1b_evt_blk, &f->x_pm1b_evt_blk, have_x);
	o->pm1a_cnt = pm_port(f->pm1a_cnt_blk, &f->x_pm1a_cnt_blk, have_x);
	o->pm1b_cnt = pm_port(f->pm1b_cnt_blk, &f->x_pm1b_cnt_blk, have_x);
	o->pm1_evt_len = f->pm1_evt_len;
	o->pm_tmr = pm_port(f->pm_tmr_blk, &f->x_pm_tmr_blk,
			    h->length >= __builtin_offsetof(struct fadt, x_gpe0_blk));
	if (h->length >= sizeof *f && f->sleep_control.addr) {
		o->sleep_ctl = f->sleep_control.addr;
		o->sleep_ctl_io = f->sleep_control.space == GAS_SYSTEM_IO;
	}
	o->gpe0_blk = f->gpe0_blk;
	o->gpe0_len = f->gpe0_blk_len;
	o->flags = f->flags;
	/* §5.2.9: X_DSDT, when there and not zero, wins over DSDT */
	o->dsdt = h->length >= __builtin_offsetof(struct fadt, x_dsdt) + 8 && f->x_dsdt ? f->x_dsdt : f->dsdt;
	acpi.have_fadt = 1;

	const struct sdt_header *d = o->dsdt ? table_at(o->dsdt) : NULL;
	if (d && memcmp(d->signature, "DSDT", 4)) {
		log_warn("acpi: FADT's DSDT is a %.4s; skipped\n", d->signature);
		d = NULL;
	}
	if (!d)
		return;
	acpi.dsdt = d;
	acpi.dsdt_len = d->length;
	uint8_t a, b;
	if (!acpi_s5_parse((const uint8_t *)(d + 1), d->length - sizeof *d, &a, &b)) {
		acpi.have_s5 = 1;
		acpi.s5_typa = a;
		acpi.s5_typb = b;
	}
	acpi.nmmio = acpi_virtio_mmio_parse((const uint8_t *)(d + 1), d->length - sizeof *d, acpi.mmio,
					    ACPI_MAX_MMIO);
}

static void parse_hpet(const struct sdt_header *h)
{
	const struct hpet_table *t = (const void *)h;
	if (h->length < sizeof *t || t->base.space != GAS_MEMORY || !t->base.addr || t->base.addr & 0x3ff) {
		log_warn("acpi: HPET table is short or names no usable register block; skipped\n");
		return;
	}
	acpi.hpet = t->base.addr; /* the first timer block: the only one the time code reads */
}

static void parse_table(uint64_t phys)
{
	const struct sdt_header *h = table_at(phys);
	if (!h)
		return;
	if (!memcmp(h->signature, "APIC", 4))
		acpi_parse_madt(h, h->length);
	else if (!memcmp(h->signature, "MCFG", 4))
		parse_mcfg(h);
	else if (!memcmp(h->signature, "DMAR", 4))
		parse_dmar(h);
	else if (!memcmp(h->signature, "IVRS", 4))
		keep_iommu_table(h, &acpi.ivrs, &acpi.ivrs_len);
	else if (!memcmp(h->signature, "VIOT", 4))
		keep_iommu_table(h, &acpi.viot, &acpi.viot_len);
	else if (!memcmp(h->signature, "FACP", 4))
		parse_fadt(h);
	else if (!memcmp(h->signature, "HPET", 4))
		parse_hpet(h);
}

int acpi_parse_rsdp(const void *p, size_t len)
{
	const struct rsdp *r = p;
	if (len < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8) || !acpi_checksum_ok(r, RSDP_V1_LEN)) {
		log_warn("acpi: RSDP is short or has a bad checksum\n");
		return -EINVAL;
	}
	/* §5.2.5.3: revision 2 adds the XSDT, covered by the extended checksum */
	int xsdt = r->revision >= 2 && len >= sizeof *r && r->length >= sizeof *r && r->length <= len &&
		   r->xsdt && acpi_checksum_ok(r, r->length);
	if (r->revision >= 2 && !xsdt)
		log_warn("acpi: RSDP's XSDT part is short or corrupt; using the RSDT\n");

	const struct sdt_header *root = NULL;
	if (xsdt) {
		root = table_at(r->xsdt);
		if (root && memcmp(root->signature, "XSDT", 4))
			root = NULL;
	}
	int width = 8;
	if (!root) {
		width = 4;
		root = r->rsdt ? table_at(r->rsdt) : NULL;
		if (root && memcmp(root->signature, "RSDT", 4))
			root = NULL;
	}
	if (!root) {
		log_warn("acpi: no usable XSDT or RSDT\n");
		return -EINVAL;
	}
	acpi.found = 1;
	const uint8_t *e = (const uint8_t *)(root + 1);
	size_t n = (root->length - sizeof *root) / width;
	for (size_t i = 0; i < n; i++) {
		uint64_t addr = 0;
		memcpy(&addr, e + i * width, width); /* entries are not aligned; little endian */
		if (addr)
			parse_table(addr);
	}
	return 0;
}

/*
 * \_S5 in AML (ACPI 6.5 §20.2): NameOp '_S5_' PackageOp PkgLength NumElements
 * then the elements, each a ZeroOp, OneOp, BytePrefix b, WordPrefix w... as
 * ASL compilers emit Name(_S5, Package() { a, b, ... }). A byte search, as
 * small kernels do, instead of an AML interpreter; every read bounds-checked.
 */
#define AML_ZERO    0x00
#define AML_ONE     0x01
#define AML_NAME    0x08
#define AML_BYTE    0x0a
#define AML_WORD    0x0b
#define AML_DWORD   0x0c
#define AML_PACKAGE 0x12
#define AML_ONES    0xff

/* One integer element at *p; advances *p. 0 or -EINVAL. */
static int aml_int(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	const uint8_t *q = *p;
	if (q >= end)
		return -EINVAL;
	int n;
	switch (*q++) {
	case AML_ZERO:
		*v = 0;
		n = 0;
		break;
	case AML_ONE:
		*v = 1;
		n = 0;
		break;
	case AML_ONES:
		*v = 0xffffffff;
		n = 0;
		break;
	case AML_BYTE:
		n = 1;
		break;
	case AML_WORD:
		n = 2;
		break;
	case AML_DWORD:
		n = 4;
		break;
	default:
		return -EINVAL;
	}
	if (n) {
		if (end - q < n)
			return -EINVAL;
		*v = 0;
		for (int i = 0; i < n; i++)
			*v |= (uint32_t)q[i] << (8 * i);
		q += n;
	}
	*p = q;
	return 0;
}

static int s5_at(const uint8_t *p, const uint8_t *end, uint8_t *typa, uint8_t *typb)
{
	if (p >= end || *p++ != AML_PACKAGE || p >= end)
		return -EINVAL;
	/* §20.2.4 PkgLength: bits 6-7 of the lead byte count the bytes that follow */
	int follow = *p >> 6;
	uint32_t pkglen = follow ? *p & 0x0f : *p & 0x3f;
	const uint8_t *start = p;
	if (end - p < 1 + follow)
		return -EINVAL;
	for (int i = 1; i <= follow; i++)
		pkglen |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	if (pkglen > (uint32_t)(end - start))
		return -EINVAL;
	end = start + pkglen; /* the package's own bound from here on */
	p += 1 + follow;
	if (p >= end)
		return -EINVAL;
	uint8_t nelem = *p++;
	uint32_t a, b = 0;
	if (nelem < 1 || aml_int(&p, end, &a))
		return -EINVAL;
	if (nelem >= 2 && aml_int(&p, end, &b))
		return -EINVAL;
	*typa = a & 7; /* SLP_TYP is three bits of PM1_CNT (§4.8.4.2.1) */
	*typb = b & 7;
	return 0;
}

int acpi_s5_parse(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		/* memchr to the next '_': under TCG a loop of calls per byte costs a
		 * millisecond over a DSDT of 8 KiB */
		const uint8_t *u = memchr(aml + i, '_', len - 3 - i);
		if (!u)
			break;
		i = (size_t)(u - aml);
		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* NameOp right before, or NameOp '\' for a name given from the root */
		if (aml[i - 1] != AML_NAME && !(aml[i - 1] == '\\' && i >= 2 && aml[i - 2] == AML_NAME))
			continue;
		if (!s5_at(aml + i + 4, aml + len, typa, typb))
			return 0;
	}
	return -ENOENT;
}
