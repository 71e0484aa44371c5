/* sim_dev.c - the device side of split (§2.7) and packed (§2.8) rings, checking what the driver wrote. */
#include "tests/sim/sim.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static int sim_fail(struct sim_dev *s, const char *fmt, ...)
{
	if (!s->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(s->err, sizeof s->err, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void sim_notify(struct virtqueue *vq, void *priv) { ((struct sim_dev *)priv)->kicks++; }

int sim_attach_ring(struct sim_dev *s, unsigned num, unsigned flags, dma_addr_t desc, dma_addr_t driver,
		    dma_addr_t device)
{
	unsigned n = num;
	s->num = n;
	s->flags = flags;
	s->packed = flags & VQ_F_PACKED;
	s->avail_wrap = s->used_wrap = true;
	s->last_avail = s->used_idx = 0;
	s->npending = 0;
	s->err[0] = 0;
	s->pending = calloc(n, sizeof *s->pending);
	s->busy = calloc(n, 1);
	if (s->packed) {
		s->pdesc = sim_dma_ptr(desc, VRING_DESC_SIZE(n));
		s->driver = sim_dma_ptr(driver, sizeof *s->driver);
		s->device = sim_dma_ptr(device, sizeof *s->device);
		if (!s->pdesc || !s->driver || !s->device)
			return sim_fail(s, "ring handles do not resolve");
	} else {
		s->desc = sim_dma_ptr(desc, VRING_DESC_SIZE(n));
		s->avail = sim_dma_ptr(driver, VRING_AVAIL_SIZE(n));
		s->used = sim_dma_ptr(device, VRING_USED_SIZE(n));
		if (!s->desc || !s->avail || !s->used)
			return sim_fail(s, "ring handles do not resolve");
		if ((desc & 15) || (driver & 1) || (device & 3))
			return sim_fail(s, "ring parts misaligned (§2.7)");
	}
	return 0;
}

int sim_attach(struct sim_dev *s, struct virtqueue *vq, unsigned flags)
{
	s->vq = vq;
	return sim_attach_ring(s, vq_size(vq), flags, vq_desc_addr(vq), vq_driver_addr(vq),
			       vq_device_addr(vq));
}

void sim_detach(struct sim_dev *s)
{
	for (unsigned k = 0; k < s->npending; k++)
		free(s->pending[k].seg);
	free(s->pending);
	free(s->busy);
	s->pending = NULL;
	s->busy = NULL;
}

/* ---- reading chains ---- */

static int add_seg(struct sim_dev *s, struct sim_chain *c, uint64_t addr, uint32_t len, uint16_t flags)
{
	bool write = flags & VRING_DESC_F_WRITE;
	if (len == 0)
		return sim_fail(s, "zero-length segment");
	unsigned char *p = sim_dma_ptr(addr, len);
	if (!p)
		return sim_fail(s, "segment 0x%llx+%u is not mapped", (unsigned long long)addr, len);
	if (!write && c->in_len)
		return sim_fail(s, "readable segment after a writable one");
	if (c->nseg == s->num)
		return sim_fail(s, "chain longer than the queue size");
	c->seg = realloc(c->seg, (c->nseg + 1) * sizeof *c->seg);
	c->seg[c->nseg++] = (struct sim_seg){ p, len, write };
	if (write)
		c->in_len += len;
	else
		c->out_len += len;
	return 0;
}

/* An indirect table: split chains by next, packed ones in order; only WRITE in packed ones. */
static int read_indirect(struct sim_dev *s, struct sim_chain *c, uint64_t addr, uint32_t len)
{
	unsigned n = len / 16;
	if (!(s->flags & VQ_F_INDIRECT))
		return sim_fail(s, "indirect descriptor without INDIRECT_DESC");
	if (len == 0 || len % 16 || n > s->num)
		return sim_fail(s, "indirect table length %u", len);
	const unsigned char *t = sim_dma_ptr(addr, len);
	if (!t)
		return sim_fail(s, "indirect table is not mapped");
	c->indirect = true;
	if (s->packed) {
		for (unsigned k = 0; k < n; k++) {
			struct vring_packed_desc d; /* copied: a hostile test may misalign the table */
			memcpy(&d, t + 16 * k, sizeof d);
			if (d.flags & ~VRING_DESC_F_WRITE)
				return sim_fail(s, "packed indirect flags 0x%x", d.flags);
			if (add_seg(s, c, d.addr, d.len, d.flags))
				return -1;
		}
		return 0;
	}
	for (unsigned i = 0, k = 0;; k++) {
		struct vring_desc d;
		memcpy(&d, t + 16 * i, sizeof d);
		if (k == n || (d.flags & VRING_DESC_F_INDIRECT))
			return sim_fail(s, "indirect chain loops or nests");
		if (add_seg(s, c, d.addr, d.len, d.flags))
			return -1;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return k + 1 == n ? 0 : sim_fail(s, "indirect table has unused entries");
		if ((i = d.next) >= n)
			return sim_fail(s, "indirect next %u out of the table", i);
	}
}

static int split_take(struct sim_dev *s, struct sim_chain *c)
{
	uint16_t i = s->avail->ring[s->last_avail % s->num];
	c->id = i;
	for (unsigned k = 0;; k++) {
		if (i >= s->num)
			return sim_fail(s, "descriptor %u out of range", i);
		if (s->busy[i] || k == s->num)
			return sim_fail(s, "descriptor %u reused while the device holds it", i);
		s->busy[i] = 1;
		c->ndesc++;
		struct vring_desc d = { s->desc[i].addr, s->desc[i].len, s->desc[i].flags, s->desc[i].next };
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if ((d.flags & VRING_DESC_F_NEXT) || k)
				return sim_fail(s, "INDIRECT with NEXT, or inside a chain");
			return read_indirect(s, c, d.addr, d.len);
		}
		if (add_seg(s, c, d.addr, d.len, d.flags))
			return -1;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		i = d.next;
	}
}

static bool packed_avail(const struct sim_dev *s, uint16_t flags, bool wrap)
{
	return (bool)(flags & VRING_PACKED_DESC_F_AVAIL) == wrap &&
	       (bool)(flags & VRING_PACKED_DESC_F_USED) != wrap;
}

static int packed_take(struct sim_dev *s, struct sim_chain *c)
{
	for (;;) {
		volatile struct vring_packed_desc *pd = &s->pdesc[s->last_avail];
		struct vring_packed_desc d = { pd->addr, pd->len, pd->id, pd->flags };
		if (!packed_avail(s, d.flags, s->avail_wrap))
			return sim_fail(s, "slot %u inside a chain is not available", s->last_avail);
		c->ndesc++;
		if (++s->last_avail == s->num) {
			s->last_avail = 0;
			s->avail_wrap = !s->avail_wrap;
		}
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if ((d.flags & VRING_DESC_F_NEXT) || c->nseg)
				return sim_fail(s, "INDIRECT with NEXT, or inside a chain");
			if (read_indirect(s, c, d.addr, d.len))
				return -1;
		} else if (add_seg(s, c, d.addr, d.len, d.flags)) {
			return -1;
		}
		if (!(d.flags & VRING_DESC_F_NEXT)) {
			c->id = d.id; /* §2.8.6: the buffer id is in the last descriptor */
			if (d.id >= s->num || s->busy[d.id])
				return sim_fail(s, "buffer id %u out of range or in use", d.id);
			s->busy[d.id] = 1;
			return 0;
		}
		if (c->ndesc == s->num)
			return sim_fail(s, "chain longer than the queue size");
	}
}

static bool available(struct sim_dev *s)
{
	if (s->packed)
		return packed_avail(s, s->pdesc[s->last_avail].flags, s->avail_wrap);
	return s->avail->idx != s->last_avail;
}

/* Ask for the next notification, or for none (§2.7.10, §2.8.10). */
static void publish_want(struct sim_dev *s)
{
	if (s->packed) {
		if (s->no_notify) {
			s->device->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
		} else if (s->flags & VQ_F_EVENT_IDX) {
			s->device->off_wrap =
				s->last_avail | (uint16_t)(s->avail_wrap << VRING_PACKED_EVENT_WRAP_SHIFT);
			s->device->flags = VRING_PACKED_EVENT_FLAG_DESC;
		} else {
			s->device->flags = VRING_PACKED_EVENT_FLAG_ENABLE;
		}
	} else if (s->flags & VQ_F_EVENT_IDX) {
		*(volatile le16 *)&s->used->ring[s->num] = s->no_notify ? s->last_avail - 1 : s->last_avail;
	} else {
		s->used->flags = s->no_notify ? VRING_USED_F_NO_NOTIFY : 0;
	}
}

void sim_want_kicks(struct sim_dev *s, bool on)
{
	s->no_notify = !on;
	publish_want(s);
}

int sim_fetch(struct sim_dev *s)
{
	int taken = 0;
	if (!s->packed && (uint16_t)(s->avail->idx - s->last_avail) > s->num)
		return sim_fail(s, "avail idx %u is more than a queue ahead of %u", s->avail->idx,
				s->last_avail);
	while (available(s)) {
		if (s->npending == s->num)
			return sim_fail(s, "more chains available than the queue holds");
		struct sim_chain *c = &s->pending[s->npending];
		*c = (struct sim_chain){ 0 };
		int r = s->packed ? packed_take(s, c) : split_take(s, c);
		if (!s->packed)
			s->last_avail++;
		if (r) {
			free(c->seg);
			return -1;
		}
		s->npending++;
		taken++;
	}
	publish_want(s);
	return taken;
}

/* ---- using chains ---- */

/* §2.7.7 and §2.8.10: does the driver want an interrupt for moving from old to new_idx? */
static bool need_irq(const struct sim_dev *s, uint16_t old, uint16_t new_idx)
{
	if (s->packed) {
		uint16_t flags = s->driver->flags;
		if (flags != VRING_PACKED_EVENT_FLAG_DESC)
			return flags != VRING_PACKED_EVENT_FLAG_DISABLE;
		uint16_t off_wrap = s->driver->off_wrap, event = off_wrap & 0x7fff;
		if ((bool)(off_wrap >> VRING_PACKED_EVENT_WRAP_SHIFT) != s->used_wrap)
			event -= s->num;
		return vring_need_event(event, new_idx, old);
	}
	if (s->flags & VQ_F_EVENT_IDX)
		return vring_need_event(s->avail->ring[s->num], new_idx, old);
	return !(s->avail->flags & VRING_AVAIL_F_NO_INTERRUPT);
}

bool sim_irq_wanted(const struct sim_dev *s) { return need_irq(s, s->used_idx, (uint16_t)(s->used_idx + 1)); }

/* Write one used element and raise the interrupt the driver asked for. */
static void put_used(struct sim_dev *s, uint32_t id, uint32_t len, unsigned skip, bool write)
{
	uint16_t old = s->used_idx;
	if (s->packed) {
		volatile struct vring_packed_desc *d = &s->pdesc[s->used_idx];
		uint16_t bits = s->used_wrap ? VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED : 0;
		d->id = (uint16_t)id;
		d->len = len;
		__atomic_thread_fence(__ATOMIC_RELEASE); /* id and len before the flags that say used */
		d->flags = bits | (write ? VRING_DESC_F_WRITE : 0);
		unsigned next = s->used_idx + skip;
		if (next >= s->num) {
			next -= s->num;
			s->used_wrap = !s->used_wrap;
		}
		s->used_idx = (uint16_t)next;
		old = (uint16_t)(s->used_idx - skip);
	} else {
		s->used->ring[s->used_idx % s->num].id = id;
		s->used->ring[s->used_idx % s->num].len = len;
		__atomic_thread_fence(__ATOMIC_RELEASE); /* the element before the index */
		s->used->idx = ++s->used_idx;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* our index before the driver's suppression state */
	if (need_irq(s, old, s->used_idx)) {
		s->irqs++;
		if (s->irq)
			s->irq(s); /* through a transport */
		else
			vq_irq(s->vq);
	}
}

void sim_use(struct sim_dev *s, unsigned k, uint32_t len) { sim_use_data(s, k, NULL, len); }

void sim_use_data(struct sim_dev *s, unsigned k, const void *data, uint32_t len)
{
	struct sim_chain *c = &s->pending[k];
	uint32_t left = len < c->in_len ? len : c->in_len;
	const unsigned char *from = data;
	for (unsigned i = 0; i < c->nseg && left; i++) {
		if (!c->seg[i].write)
			continue;
		uint32_t n = left < c->seg[i].len ? left : c->seg[i].len;
		if (from) {
			memcpy(c->seg[i].p, from, n);
			from += n;
		} else {
			memset(c->seg[i].p, 0xa5, n);
		}
		left -= n;
	}
	sim_use_as_is(s, k, len);
}

void sim_use_as_is(struct sim_dev *s, unsigned k, uint32_t len)
{
	struct sim_chain *c = &s->pending[k];
	if (s->packed) {
		s->busy[c->id] = 0;
	} else {
		uint16_t i = c->id; /* a hostile test may have rewritten next: stay in range */
		for (unsigned n = 0; n < c->ndesc && i < s->num; n++, i = s->desc[i].next)
			s->busy[i] = 0;
	}
	put_used(s, c->id, len, c->ndesc, c->in_len > 0);
	free(c->seg);
	memmove(c, c + 1, (s->npending - k - 1) * sizeof *c);
	s->npending--;
}

void sim_push_used(struct sim_dev *s, uint32_t id, uint32_t len, unsigned skip)
{
	put_used(s, id, len, skip ? 1 + (skip - 1) % s->num : 1, true);
}

void sim_set_used_idx(struct sim_dev *s, uint16_t idx)
{
	s->used_idx = idx;
	s->used->idx = idx;
}

void sim_set_flags(struct sim_dev *s, unsigned slot, uint16_t flags)
{
	s->pdesc[slot % s->num].flags = flags;
}
