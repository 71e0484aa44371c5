/* viot.c - parse the VIOT (ACPI 6.5 §5.2.32): virtio-iommu nodes and the endpoint ranges behind them. */
#include "drivers/iommu/viot.h"
#include "drivers/iommu/acpi_le.h"
#include <errno.h>
#include <string.h>

/*
 *   0  ACPI header (36)
 *  36  node_count (2), node_offset (2), reserved (8)
 *  node_offset: nodes, each { type (1), reserved (1), length (2), ... }
 *     1 PCI range           24 B: endpoint_start (4), segment start/end (2+2),
 *                                 bdf start/end (2+2), output_node (2), reserved (6)
 *     2 single MMIO endpoint 24 B: endpoint (4), base (8), output_node (2), reserved (6)
 *     3 virtio-pci IOMMU    16 B: segment (2), bdf (2), reserved (8)
 *     4 virtio-mmio IOMMU   16 B: reserved (4), base (8)
 * output_node is the table offset of the IOMMU node that translates.
 */
#define VIOT_HEADER_LEN  48
#define NODE_PCI_RANGE   1
#define NODE_MMIO        2
#define NODE_VIRTIO_PCI  3
#define NODE_VIRTIO_MMIO 4

static int iommu_by_node(const struct viot_info *vi, uint16_t node)
{
	for (int i = 0; i < vi->niommus; i++)
		if (vi->iommus[i].node == node)
			return i;
	return -1;
}

int viot_parse(const void *table, size_t len, struct viot_info *out)
{
	const uint8_t *t = table;
	uint16_t outputs[VIOT_MAX_RANGES];
	memset(out, 0, sizeof *out);
	if (!t || len < VIOT_HEADER_LEN || memcmp(t, "VIOT", 4) || rd_le32(t + 4) != len)
		return -EINVAL;
	unsigned count = rd_le16(t + 36), off = rd_le16(t + 38);
	if (off < VIOT_HEADER_LEN || off > len)
		return -EINVAL;
	/* The IOMMU nodes first (a range may name one that comes after it), then the ranges. */
	for (int pass = 0; pass < 2; pass++) {
		size_t p = off;
		for (unsigned n = 0; n < count; n++) {
			if (len - p < 4)
				return -EINVAL;
			const uint8_t *e = t + p;
			unsigned type = e[0], elen = rd_le16(e + 2);
			if (elen < 4 || elen > len - p)
				return -EINVAL;
			if (pass == 0 && (type == NODE_VIRTIO_PCI || type == NODE_VIRTIO_MMIO)) {
				if (elen < 16 || out->niommus == VIOT_MAX_IOMMUS)
					return -EINVAL;
				struct viot_iommu *u = &out->iommus[out->niommus++];
				u->node = (uint16_t)p;
				u->mmio = type == NODE_VIRTIO_MMIO;
				if (u->mmio)
					u->base = rd_le64(e + 8);
				else
					u->segment = rd_le16(e + 4), u->bdf = rd_le16(e + 6);
			} else if (pass == 1 && (type == NODE_PCI_RANGE || type == NODE_MMIO)) {
				if (elen < 24 || out->nranges == VIOT_MAX_RANGES)
					return -EINVAL;
				struct viot_range *r = &out->ranges[out->nranges];
				r->mmio = type == NODE_MMIO;
				r->endpoint_start = rd_le32(e + 4);
				if (r->mmio) {
					r->base = rd_le64(e + 8);
					outputs[out->nranges] = rd_le16(e + 16);
				} else {
					r->seg_start = rd_le16(e + 8), r->seg_end = rd_le16(e + 10);
					r->bdf_start = rd_le16(e + 12), r->bdf_end = rd_le16(e + 14);
					outputs[out->nranges] = rd_le16(e + 16);
					if (r->seg_end < r->seg_start || r->bdf_end < r->bdf_start)
						return -EINVAL;
					/* the ids must not run past 32 bits */
					if ((uint64_t)r->endpoint_start +
						    (uint64_t)(r->seg_end - r->seg_start) * 0x10000u +
						    (r->bdf_end - r->bdf_start) >
					    UINT32_MAX)
						return -EINVAL;
				}
				if ((r->iommu = iommu_by_node(out, outputs[out->nranges])) < 0)
					return -EINVAL; /* output is not a virtio-iommu node */
				out->nranges++;
			}
			p += elen;
		}
	}
	return out->niommus ? 0 : -EINVAL;
}

int viot_pci_endpoint(const struct viot_info *vi, uint16_t seg, uint16_t bdf, uint32_t *endpoint)
{
	for (int i = 0; i < vi->nranges; i++) {
		const struct viot_range *r = &vi->ranges[i];
		if (r->mmio || seg < r->seg_start || seg > r->seg_end || bdf < r->bdf_start ||
		    bdf > r->bdf_end)
			continue;
		/* §5.2.32.2: the endpoint id is endpoint_start plus the BDF's offset in the range
		 * (segments beyond the first each add 0x10000) */
		*endpoint =
			r->endpoint_start + (uint32_t)(seg - r->seg_start) * 0x10000u + (bdf - r->bdf_start);
		return r->iommu;
	}
	return -1;
}

int viot_iommu_at(const struct viot_info *vi, uint16_t seg, uint16_t bdf)
{
	for (int i = 0; i < vi->niommus; i++)
		if (!vi->iommus[i].mmio && vi->iommus[i].segment == seg && vi->iommus[i].bdf == bdf)
			return i;
	return -1;
}
