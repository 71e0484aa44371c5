/* virtio_ring.h - the ring structures of the virtio 1.2 spec, split (§2.7) and packed (§2.8). */
#ifndef DRIVERS_VIRTIO_VIRTIO_RING_H
#define DRIVERS_VIRTIO_VIRTIO_RING_H
#include <stdint.h>

/*
 * Every field is little-endian in the spec (le16, le32, le64). ringside runs
 * on x86-64 only, which is little-endian, so plain fixed-width types are the
 * spec's types. Legacy devices use guest-native order: the same, here.
 */
typedef uint16_t le16;
typedef uint32_t le32;
typedef uint64_t le64;

/* Descriptor flags, shared by both layouts (§2.7.5, §2.8.3, §2.8.6, §2.8.7). */
#define VRING_DESC_F_NEXT         1 /* the chain continues (split: at next) */
#define VRING_DESC_F_WRITE        2 /* device-writable (otherwise device-readable) */
#define VRING_DESC_F_INDIRECT     4 /* addr/len hold a table of descriptors */
/* Packed only: the two bits that say available and used (§2.8.1). */
#define VRING_PACKED_DESC_F_AVAIL (1u << 7)
#define VRING_PACKED_DESC_F_USED  (1u << 15)

/* The largest queue either layout allows (§2.7, §2.8). */
#define VRING_MAX_SIZE 32768u

/* ---- split ring (§2.7) ---- */

struct vring_desc { /* virtio 1.2 §2.7.5 */
	le64 addr;
	le32 len;
	le16 flags;
	le16 next;
};
_Static_assert(sizeof(struct vring_desc) == 16, "virtio 1.2 §2.7.5");

#define VRING_AVAIL_F_NO_INTERRUPT 1 /* §2.7.7: no used buffer notification, please */
struct vring_avail {                 /* virtio 1.2 §2.7.6; used_event follows ring[num] */
	le16 flags;
	le16 idx;
	le16 ring[];
};
_Static_assert(sizeof(struct vring_avail) == 4, "virtio 1.2 §2.7.6");

struct vring_used_elem { /* virtio 1.2 §2.7.8 */
	le32 id;         /* head of the chain that was used */
	le32 len;        /* bytes the device wrote into it */
};
_Static_assert(sizeof(struct vring_used_elem) == 8, "virtio 1.2 §2.7.8");

#define VRING_USED_F_NO_NOTIFY 1 /* §2.7.10: no available buffer notification, please */
struct vring_used {              /* virtio 1.2 §2.7.8; avail_event follows ring[num] */
	le16 flags;
	le16 idx;
	struct vring_used_elem ring[];
};
_Static_assert(sizeof(struct vring_used) == 4, "virtio 1.2 §2.7.8");

/* Bytes of each part for a queue of num entries (§2.7 table), the event
 * index at the end of the avail and used rings included. */
#define VRING_DESC_SIZE(num)  (16u * (num))
#define VRING_AVAIL_SIZE(num) (6u + 2u * (num))
#define VRING_USED_SIZE(num)  (6u + 8u * (num))
/* Legacy transports place the used ring at the next 4096-byte boundary
 * after the avail ring (§2.7.2); ringside uses that layout everywhere. */
#define VRING_LEGACY_ALIGN    4096u

/*
 * EVENT_IDX (§2.7.7, §2.7.10): a side that has moved its index from old to
 * new_idx notifies if it passed the other side's event index, that is if
 * event is in [old, new_idx). All arithmetic wraps at 16 bits.
 */
static inline int vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* ---- packed ring (§2.8) ---- */

struct vring_packed_desc { /* virtio 1.2 §2.8.13 */
	le64 addr;
	le32 len;
	le16 id; /* buffer id */
	le16 flags;
};
_Static_assert(sizeof(struct vring_packed_desc) == 16, "virtio 1.2 §2.8.13");

/* Event suppression flags (§2.8.10). */
#define VRING_PACKED_EVENT_FLAG_ENABLE  0x0
#define VRING_PACKED_EVENT_FLAG_DISABLE 0x1
#define VRING_PACKED_EVENT_FLAG_DESC    0x2 /* only with EVENT_IDX */
#define VRING_PACKED_EVENT_WRAP_SHIFT   15  /* off_wrap: offset in bits 0-14, wrap counter in bit 15 */

struct vring_packed_event { /* virtio 1.2 §2.8.14 */
	le16 off_wrap;
	le16 flags;
};
_Static_assert(sizeof(struct vring_packed_event) == 4, "virtio 1.2 §2.8.14");
#endif
