/* ivrs.c - parse the IVRS table (AMD IOMMU spec 48882 §5.2): IVHD units with their device entries, IVMDs. */
#include "drivers/iommu/ivrs.h"
#include "drivers/iommu/acpi_le.h"
#include <errno.h>
#include <string.h>

/*
 *   0  ACPI header (36), IVinfo (4), reserved (8)
 *  48  IVHD and IVMD blocks: { type (1), flags (1), length (2), ... }
 *
 * IVHD 0x10 is 24 bytes before its device entries, 0x11 and 0x40 are 40
 * (they add the EFR image). One unit may be described by several IVHD
 * types; software uses the richest type it knows and ignores the others
 * (§5.2.2.1), so blocks are told apart by their register base.
 *
 * Device entries (§5.2.2.2, table 92): types 0-63 take 4 bytes, 64-127
 * take 8, 0xf0 (ACPI HID) 22 plus its UID; others are not ringside's.
 */
#define IVRS_HEADER_LEN 48
#define IVHD_10         0x10
#define IVHD_11         0x11
#define IVHD_40         0x40
#define IVMD_ALL        0x20
#define IVMD_ONE        0x21
#define IVMD_RANGE      0x22

enum {
	DEV_PAD = 0,
	DEV_ALL = 1,
	DEV_SELECT = 2,
	DEV_START = 3,
	DEV_END = 4,
	DEV_ALIAS_SELECT = 0x42,
	DEV_ALIAS_START = 0x43,
	DEV_EXT_SELECT = 0x46,
	DEV_EXT_START = 0x47,
	DEV_SPECIAL = 0x48,
	DEV_ACPI_HID = 0xf0,
};

static int rank(uint8_t type) { return type == IVHD_10 ? 1 : type == IVHD_11 ? 2 : type == IVHD_40 ? 3 : 0; }

static int add_range(struct ivrs_unit *u, uint16_t first, uint16_t last, uint8_t setting, bool aliased,
		     uint16_t alias)
{
	if (last < first)
		return -EINVAL;
	struct ivrs_devs *prev = u->nranges ? &u->ranges[u->nranges - 1] : NULL;
	/* consecutive selects of the same kind fold into one range */
	if (prev && !aliased && !prev->aliased && prev->last + 1u == first && prev->setting == setting) {
		prev->last = last;
		return 0;
	}
	if (u->nranges == IVRS_MAX_RANGES)
		return -EINVAL; /* more than ringside keeps: refuse rather than drop devices */
	u->ranges[u->nranges++] =
		(struct ivrs_devs){ first, last, aliased ? alias : first, aliased, setting };
	return 0;
}

/* Device entries of one IVHD fill [p, end). */
static int parse_entries(struct ivrs_unit *u, const uint8_t *p, const uint8_t *end)
{
	int open = 0; /* inside a start..end range: its start, setting, alias */
	uint16_t start = 0, alias = 0;
	uint8_t setting = 0;
	bool aliased = false;
	while (p < end) {
		uint8_t type = p[0];
		size_t elen = type < 0x40 ? 4 : type < 0x80 ? 8 : 0;
		if (type == DEV_ACPI_HID) {
			if (end - p < 22)
				return -EINVAL;
			elen = 22u + p[21];
		}
		if (!elen || elen > (size_t)(end - p))
			return -EINVAL;
		uint16_t devid = rd_le16(p + 1);
		if (open && type != DEV_END)
			return -EINVAL; /* a range start must be followed by its end */
		switch (type) {
		case DEV_ALL:
			u->all = true;
			u->all_setting = p[3];
			break;
		case DEV_SELECT:
		case DEV_EXT_SELECT:
			if (add_range(u, devid, devid, p[3], false, 0))
				return -EINVAL;
			break;
		case DEV_ALIAS_SELECT:
			if (add_range(u, devid, devid, p[3], true, rd_le16(p + 5)))
				return -EINVAL;
			break;
		case DEV_START:
		case DEV_EXT_START:
		case DEV_ALIAS_START:
			open = 1, start = devid, setting = p[3];
			aliased = type == DEV_ALIAS_START;
			alias = aliased ? rd_le16(p + 5) : 0;
			break;
		case DEV_END:
			if (!open || add_range(u, start, devid, setting, aliased, alias))
				return -EINVAL;
			open = 0;
			break;
		default: /* padding, IOAPIC/HPET (interrupt remapping), ACPI devices: not DMA ringside drives */
			break;
		}
		p += elen;
	}
	return open ? -EINVAL : 0;
}

static int parse_ivhd(struct ivrs_info *out, const uint8_t *p, size_t len)
{
	uint8_t type = p[0];
	size_t hdr = type == IVHD_10 ? 24 : 40;
	if (len < hdr)
		return -EINVAL;
	uint64_t base = rd_le64(p + 8);
	if (!base || base & 0x3fff)
		return -EINVAL; /* §3.4: the register set is 16 KiB aligned */
	struct ivrs_unit *u = NULL;
	for (int i = 0; i < out->nunits; i++)
		if (out->units[i].base == base)
			u = &out->units[i];
	if (u && rank(u->type) >= rank(type))
		return 0; /* a richer block for this unit is already taken */
	if (!u) {
		if (out->nunits == IVRS_MAX_UNITS)
			return -EINVAL;
		u = &out->units[out->nunits++];
	}
	memset(u, 0, sizeof *u);
	u->type = type;
	u->flags = p[1];
	u->devid = rd_le16(p + 4);
	u->cap_off = rd_le16(p + 6);
	u->base = base;
	u->segment = rd_le16(p + 16);
	u->info = rd_le16(p + 18);
	u->features = rd_le32(p + 20);
	if (hdr == 40)
		u->efr = rd_le64(p + 24);
	return parse_entries(u, p + hdr, p + len);
}

int ivrs_parse(const void *table, size_t len, struct ivrs_info *out)
{
	const uint8_t *t = table;
	memset(out, 0, sizeof *out);
	if (!t || len < IVRS_HEADER_LEN || memcmp(t, "IVRS", 4) || rd_le32(t + 4) != len)
		return -EINVAL;
	out->ivinfo = rd_le32(t + 36);
	const uint8_t *p = t + IVRS_HEADER_LEN, *end = t + len;
	while (p < end) {
		if (end - p < 4)
			return -EINVAL;
		uint8_t type = p[0];
		uint16_t blen = rd_le16(p + 2);
		if (blen < 4 || blen > end - p)
			return -EINVAL;
		if (rank(type)) {
			if (parse_ivhd(out, p, blen))
				return -EINVAL;
		} else if (type == IVMD_ALL || type == IVMD_ONE || type == IVMD_RANGE) {
			if (blen < 32 || out->nmems == IVRS_MAX_MEMS)
				return -EINVAL;
			struct ivrs_mem *m = &out->mems[out->nmems++];
			m->type = type;
			m->flags = p[1];
			m->first = type == IVMD_ALL ? 0 : rd_le16(p + 4);
			m->last = type == IVMD_ALL ? 0xffff : type == IVMD_RANGE ? rd_le16(p + 6) : m->first;
			m->start = rd_le64(p + 16);
			m->length = rd_le64(p + 24);
			if (m->last < m->first || m->start & 0xfff || m->length & 0xfff)
				return -EINVAL;
		} /* other block types: a later revision's; skipped by their length */
		p += blen;
	}
	return out->nunits ? 0 : -EINVAL;
}

int ivrs_unit_for(const struct ivrs_info *iv, uint16_t seg, uint16_t devid, uint16_t *requester)
{
	for (int i = 0; i < iv->nunits; i++) {
		const struct ivrs_unit *u = &iv->units[i];
		if (u->segment != seg || devid == u->devid)
			continue; /* the IOMMU's own function is not translated by it */
		for (int k = 0; k < u->nranges; k++) {
			const struct ivrs_devs *r = &u->ranges[k];
			if (devid >= r->first && devid <= r->last) {
				*requester = r->aliased ? r->alias : devid; /* a bridge's range: all as one */
				return i;
			}
		}
	}
	for (int i = 0; i < iv->nunits; i++) /* then a unit that takes every device */
		if (iv->units[i].segment == seg && iv->units[i].all && devid != iv->units[i].devid) {
			*requester = devid;
			return i;
		}
	return -1;
}
