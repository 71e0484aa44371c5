/* acpi_aml.c - virtio-mmio devices in the DSDT: a bounded walk over AML bytes, not an interpreter. */
#define _GNU_SOURCE /* memmem */
#include "kernel/acpi.h"
#include <errno.h>
#include <stdbool.h>
#include <string.h>

/*
 * QEMU's microvm describes each virtio-mmio transport that has a device as
 * (hw/i386/acpi-microvm.c):
 *
 *   Device (VR23) {
 *     Name (_HID, "LNRO0005")
 *     Name (_UID, 23)
 *     Name (_CCA, One)
 *     Name (_CRS, ResourceTemplate () {
 *       Memory32Fixed (ReadWrite, 0xFEB02E00, 0x200)
 *       Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 47 }
 *     })
 *   }
 *
 * Without an AML interpreter, as with \_S5: find each DeviceOp, look in
 * its own bytes (not its nested devices') for Name(_HID, "LNRO0005") and
 * Name(_CRS, Buffer), and read the two resource descriptors from the
 * buffer. Every read is bounded by the enclosing package.
 */
#define AML_NAME   0x08
#define AML_BYTE   0x0a
#define AML_WORD   0x0b
#define AML_DWORD  0x0c
#define AML_STRING 0x0d
#define AML_BUFFER 0x11
#define AML_EXT    0x5b
#define AML_DEVICE 0x82 /* after AML_EXT */
#define AML_ROOT   '\\'
#define AML_PARENT '^'
#define AML_DUAL   0x2e
#define AML_MULTI  0x2f
#define VIRTIO_HID "LNRO0005"

/* ACPI 6.5 §6.4: resource descriptors in a _CRS buffer */
#define RES_LARGE      0x80
#define RES_END        0x0f /* small item name */
#define RES_MEM32FIXED 0x86 /* §6.4.3.4, 9 bytes: info, base, length */
#define RES_EXT_IRQ    0x89 /* §6.4.3.6: flags, count, then count 32-bit GSIs */
#define EXT_IRQ_EDGE   (1u << 1)
#define EXT_IRQ_LOW    (1u << 2)

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* §20.2.4 PkgLength at p: its value (counted from p) and its own size in bytes. */
static int pkglen(const uint8_t *p, const uint8_t *end, uint32_t *len, unsigned *size)
{
	if (p >= end)
		return -EINVAL;
	unsigned follow = *p >> 6;
	if ((unsigned)(end - p) < 1 + follow)
		return -EINVAL;
	uint32_t v = follow ? *p & 0x0f : *p & 0x3f;
	for (unsigned i = 1; i <= follow; i++)
		v |= (uint32_t)p[i] << (4 + 8 * (i - 1));
	if (v < 1 + follow || v > (uint32_t)(end - p))
		return -EINVAL;
	*len = v, *size = 1 + follow;
	return 0;
}

/* A NameString (§20.2.2) at p: the bytes after it, or NULL. */
static const uint8_t *skip_name(const uint8_t *p, const uint8_t *end)
{
	while (p < end && (*p == AML_ROOT || *p == AML_PARENT))
		p++;
	size_t n = 4;
	if (p < end && *p == AML_DUAL)
		p++, n = 8;
	else if (p + 1 < end && *p == AML_MULTI)
		n = 4u * p[1], p += 2;
	else if (p < end && *p == 0) /* NullName */
		n = 1;
	return (size_t)(end - p) >= n ? p + n : NULL;
}

/* The object after Name(name, ...) among [p, end)'s own terms, or NULL. A
 * nested device is stepped over: its names are its own. */
static const uint8_t *find_name(const uint8_t *p, const uint8_t *end, const char name[4])
{
	while (end - p >= 5) {
		uint32_t len;
		unsigned size;
		if (p[0] == AML_EXT && p[1] == AML_DEVICE && !pkglen(p + 2, end, &len, &size)) {
			p += 2 + len;
			continue;
		}
		if (p[0] == AML_NAME && !memcmp(p + 1, name, 4))
			return p + 5;
		p++;
	}
	return NULL;
}

/* Name(_CRS, ResourceTemplate () {...}): a Buffer whose bytes are
 * descriptors, up to the end tag. The first Memory32Fixed and the first
 * Extended Interrupt are the transport's. */
static int parse_crs(const uint8_t *p, const uint8_t *end, struct acpi_mmio *m)
{
	uint32_t len, n;
	unsigned size;
	if (p >= end || *p++ != AML_BUFFER || pkglen(p, end, &len, &size))
		return -EINVAL;
	const uint8_t *bend = p + len;
	p += size;
	if (p >= bend)
		return -EINVAL;
	switch (*p++) { /* BufferSize: an integer */
	case AML_BYTE:
		n = p < bend ? *p : 0, p += 1;
		break;
	case AML_WORD:
		n = bend - p >= 2 ? (uint32_t)(p[0] | p[1] << 8) : 0, p += 2;
		break;
	case AML_DWORD:
		n = bend - p >= 4 ? le32(p) : 0, p += 4;
		break;
	default:
		return -EINVAL;
	}
	if (p > bend || n > (uint32_t)(bend - p))
		return -EINVAL;
	bool mem = false, irq = false;
	for (const uint8_t *d = p, *dend = p + n; d < dend;) {
		if (!(*d & RES_LARGE)) { /* small item: name in bits 3-6, length in 0-2 */
			if ((*d >> 3 & 0xf) == RES_END)
				break;
			d += 1 + (*d & 7);
			continue;
		}
		if (dend - d < 3)
			break;
		uint32_t l = d[1] | d[2] << 8;
		const uint8_t *b = d + 3;
		if (l > (uint32_t)(dend - b))
			break;
		if (*d == RES_MEM32FIXED && l >= 9 && !mem) {
			m->base = le32(b + 1), m->size = le32(b + 5), mem = true;
		} else if (*d == RES_EXT_IRQ && l >= 6 && b[1] >= 1 && !irq) {
			m->gsi = le32(b + 2);
			m->level = !(b[0] & EXT_IRQ_EDGE), m->low = !!(b[0] & EXT_IRQ_LOW);
			irq = true;
		}
		d = b + l;
	}
	return mem && irq && m->size ? 0 : -ENOENT;
}

int acpi_virtio_mmio_parse(const uint8_t *aml, size_t len, struct acpi_mmio *out, int max)
{
	const uint8_t *end = aml + len;
	int n = 0;
	/* No "LNRO0005" anywhere, no such device: a q35 DSDT of 8 KiB has none,
	 * and the walk below looks into every device's bytes for a _HID
	 * (a quarter of a millisecond under TCG). */
	if (!memmem(aml, len, VIRTIO_HID, sizeof VIRTIO_HID))
		return 0;
	for (const uint8_t *p = aml; end - p >= 2 && n < max; p++) {
		uint32_t plen;
		unsigned size;
		if (!(p = memchr(p, AML_EXT, (size_t)(end - p) - 1))) /* to the next ExtOpPrefix */
			break;
		if (p[1] != AML_DEVICE || pkglen(p + 2, end, &plen, &size))
			continue;
		const uint8_t *dend = p + 2 + plen, *body = skip_name(p + 2 + size, dend);
		const uint8_t *hid = body ? find_name(body, dend, "_HID") : NULL;
		if (!hid || dend - hid < 2 + (long)strlen(VIRTIO_HID) || *hid != AML_STRING ||
		    memcmp(hid + 1, VIRTIO_HID, sizeof VIRTIO_HID))
			continue;
		struct acpi_mmio m = { 0 };
		const uint8_t *crs = find_name(body, dend, "_CRS");
		if (!crs || parse_crs(crs, dend, &m))
			continue;
		bool dup = false;
		for (int i = 0; i < n; i++)
			dup |= out[i].base == m.base;
		if (!dup)
			out[n++] = m;
	}
	return n;
}
