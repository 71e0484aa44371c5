/* dmar.c - parse the DMAR table (Intel VT-d 4.1 §8): every length checked before it is used. */
#include "drivers/iommu/dmar.h"
#include "drivers/iommu/acpi_le.h"
#include <errno.h>
#include <string.h>

#define DMAR_HEADER_LEN      48 /* §8.1: the ACPI header (36), HAW, flags, 10 reserved */
#define DMAR_TYPE_DRHD       0  /* §8.3 */
#define DMAR_TYPE_RMRR       1  /* §8.4 */
#define DRHD_SCOPES_OFF      16
#define RMRR_SCOPES_OFF      24
#define SCOPE_PATH_OFF       6 /* §8.3.1: type, length, reserved(2), enumeration id, start bus */
#define DRHD_INCLUDE_PCI_ALL 0x1

/* Device scopes fill [p, end) exactly (§8.3.1); each is 6 bytes plus 2 per path hop. */
static int parse_scopes(const uint8_t *p, const uint8_t *end, struct dmar_scope *out, int *n)
{
	*n = 0;
	while (p < end) {
		if (end - p < SCOPE_PATH_OFF)
			return -EINVAL;
		unsigned len = p[1];
		if (len < SCOPE_PATH_OFF + 2 || (len - SCOPE_PATH_OFF) % 2 || len > (size_t)(end - p))
			return -EINVAL;
		unsigned hops = (len - SCOPE_PATH_OFF) / 2;
		if (*n >= DMAR_MAX_SCOPES || hops > DMAR_MAX_PATH)
			return -EINVAL; /* more than ringside keeps: refuse rather than drop a scope */
		struct dmar_scope *s = &out[(*n)++];
		memset(s, 0, sizeof *s);
		s->type = p[0];
		s->enum_id = p[4];
		s->start_bus = p[5];
		s->npath = (uint8_t)hops;
		for (unsigned i = 0; i < hops; i++) {
			s->path[i][0] = p[SCOPE_PATH_OFF + 2 * i];
			s->path[i][1] = p[SCOPE_PATH_OFF + 2 * i + 1];
			if (s->path[i][0] > 31 || s->path[i][1] > 7)
				return -EINVAL;
		}
		p += len;
	}
	return 0;
}

int dmar_parse(const void *table, size_t len, struct dmar_info *out)
{
	const uint8_t *t = table;
	memset(out, 0, sizeof *out);
	if (!t || len < DMAR_HEADER_LEN || memcmp(t, "DMAR", 4) || rd_le32(t + 4) != len)
		return -EINVAL;
	out->haw = (unsigned)t[36] + 1u;
	out->flags = t[37];
	if (out->haw < 32 || out->haw > 64)
		return -EINVAL;
	const uint8_t *p = t + DMAR_HEADER_LEN, *end = t + len;
	while (p < end) {
		if (end - p < 4)
			return -EINVAL;
		uint16_t type = rd_le16(p), slen = rd_le16(p + 2);
		if (slen < 4 || slen > end - p)
			return -EINVAL;
		if (type == DMAR_TYPE_DRHD) {
			if (slen < DRHD_SCOPES_OFF || out->nunits >= DMAR_MAX_UNITS)
				return -EINVAL;
			struct dmar_unit *u = &out->units[out->nunits++];
			u->include_all = p[4] & DRHD_INCLUDE_PCI_ALL;
			u->segment = rd_le16(p + 6);
			u->base = rd_le64(p + 8);
			if (!u->base || u->base & 0xfff)
				return -EINVAL;
			if (parse_scopes(p + DRHD_SCOPES_OFF, p + slen, u->scopes, &u->nscopes))
				return -EINVAL;
		} else if (type == DMAR_TYPE_RMRR) {
			if (slen < RMRR_SCOPES_OFF || out->nrmrrs >= DMAR_MAX_RMRRS)
				return -EINVAL;
			struct dmar_rmrr *r = &out->rmrrs[out->nrmrrs++];
			r->segment = rd_le16(p + 6);
			r->base = rd_le64(p + 8);
			r->limit = rd_le64(p + 16);
			/* §8.4: base 4 KiB aligned, limit + 1 a 4 KiB multiple, base below limit */
			if (r->base & 0xfff || (r->limit & 0xfff) != 0xfff || r->limit < r->base)
				return -EINVAL;
			if (parse_scopes(p + RMRR_SCOPES_OFF, p + slen, r->scopes, &r->nscopes))
				return -EINVAL;
		} /* ATSR, RHSA, ANDD, SATC, SIDP: nothing ringside needs */
		p += slen;
	}
	return out->nunits ? 0 : -EINVAL;
}

int dmar_scope_match(const struct dmar_scope *s, uint8_t bus, uint8_t dev, uint8_t fn, dmar_bridge_fn sec_bus)
{
	if ((s->type != DMAR_SCOPE_PCI_ENDPOINT && s->type != DMAR_SCOPE_PCI_SUBTREE) || !s->npath ||
	    s->npath > DMAR_MAX_PATH)
		return 0;
	/* §8.3.1.1: every hop but the last is a bridge whose secondary bus the next hop sits on */
	uint8_t b = s->start_bus, sub = 0;
	for (unsigned i = 0; i + 1 < s->npath; i++) {
		int next = sec_bus ? sec_bus(b, s->path[i][0], s->path[i][1], &sub) : -1;
		if (next < 0)
			return 0;
		b = (uint8_t)next;
	}
	uint8_t d = s->path[s->npath - 1][0], f = s->path[s->npath - 1][1];
	if (b == bus && d == dev && f == fn)
		return 1;
	if (s->type != DMAR_SCOPE_PCI_SUBTREE || !sec_bus)
		return 0;
	int sec = sec_bus(b, d, f, &sub); /* the bridge itself, and every bus below it */
	return sec >= 0 && bus >= sec && bus <= sub;
}

int dmar_unit_for(const struct dmar_info *di, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
		  dmar_bridge_fn sec_bus)
{
	for (int i = 0; i < di->nunits; i++)
		for (int j = 0; j < di->units[i].nscopes; j++)
			if (di->units[i].segment == seg &&
			    dmar_scope_match(&di->units[i].scopes[j], bus, dev, fn, sec_bus))
				return i;
	/* §8.3: an INCLUDE_PCI_ALL unit takes what no other unit of its segment lists */
	for (int i = 0; i < di->nunits; i++)
		if (di->units[i].segment == seg && di->units[i].include_all)
			return i;
	return -1;
}
