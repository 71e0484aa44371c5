/* test_virtio_iommu.c - virtio_iommu.c against a simulated virtio-iommu: the requests it sends, the faults it reads. */
#include "unit.h"

#include "drivers/iommu/iopt.c"
#include "drivers/iommu/viot.c"
#include "drivers/iommu/virtio_iommu.c"
#include "drivers/virtio/virtqueue.c"
#include "tests/sim/sim_dev.c"
#include "tests/sim/sim_dma.c"
#include <string.h>

/*
 * The device side: the request queue is served during the notify, as QEMU
 * does under TCG (each request parsed, its effect kept in a table of
 * mappings, its status written); the event queue only holds buffers until
 * a test writes a fault report into one. A device can also be made mute.
 */
static struct viommu_config cfg;
static struct sim_dev reqq, evq;
static bool mute;
static unsigned kicks_served;

#define MAXMAP 256
static struct mapping {
	uint32_t domain;
	uint64_t start, end, phys;
	uint32_t flags;
} maps[MAXMAP];
static int nmaps;
static uint32_t attached_ep, attached_dom;
static unsigned nunmap_reqs, nmap_reqs;

static uint8_t serve_one(const uint8_t *in, uint8_t *props, size_t props_len)
{
	uint64_t gran = cfg.page_size_mask & -cfg.page_size_mask;
	switch (in[0]) {
	case T_ATTACH: {
		const struct req_attach *a = (const void *)in;
		attached_ep = a->endpoint, attached_dom = a->domain;
		return 0;
	}
	case T_MAP: {
		const struct req_map *m = (const void *)in;
		nmap_reqs++;
		if ((m->virt_start | m->phys_start | (m->virt_end + 1)) & (gran - 1) ||
		    m->virt_end <= m->virt_start)
			return 5; /* RANGE */
		if (nmaps == MAXMAP)
			return 8;
		maps[nmaps++] =
			(struct mapping){ m->domain, m->virt_start, m->virt_end, m->phys_start, m->flags };
		return 0;
	}
	case T_UNMAP: {
		const struct req_unmap *u = (const void *)in;
		nunmap_reqs++;
		for (int i = 0; i < nmaps; i++)
			if (maps[i].domain == u->domain && maps[i].start <= u->virt_end &&
			    maps[i].end >= u->virt_start &&
			    (maps[i].start < u->virt_start || maps[i].end > u->virt_end))
				return 5; /* would split a mapping */
		for (int i = 0; i < nmaps;)
			if (maps[i].domain == u->domain && maps[i].start >= u->virt_start &&
			    maps[i].end <= u->virt_end)
				maps[i] = maps[--nmaps];
			else
				i++;
		return 0;
	}
	case T_PROBE: { /* one RESV_MEM property: the MSI doorbell */
		uint8_t p[24] = { PROBE_T_RESV_MEM, 0, 20, 0, RESV_T_MSI };
		uint64_t s = 0xfee00000, e = 0xfeefffff;
		memcpy(p + 8, &s, 8), memcpy(p + 16, &e, 8);
		if (props_len >= sizeof p)
			memcpy(props, p, sizeof p);
		return 0;
	}
	}
	return 2;
}

static void serve(struct virtqueue *vq, void *priv)
{
	reqq.kicks++;
	if (mute)
		return;
	kicks_served++;
	sim_fetch(&reqq);
	while (reqq.npending) {
		struct sim_chain *c = &reqq.pending[0];
		uint8_t *in = c->seg[0].p, *out = c->seg[c->nseg - 1].p;
		uint32_t out_len = c->seg[c->nseg - 1].len;
		out[out_len - 4] = serve_one(in, out, out_len - 4);
		sim_use_as_is(&reqq, 0, out_len);
	}
}

/* ---- the virtio core, as far as the driver uses it ---- */
uint64_t virtio_config_read(struct virtio_dev *vd, unsigned off, int width)
{
	uint64_t v = 0;
	memcpy(&v, (const char *)&cfg + off, (size_t)width);
	return v;
}
void virtio_config_write(struct virtio_dev *vd, unsigned off, int width, uint64_t v)
{
	memcpy((char *)&cfg + off, &v, (size_t)width);
}
int virtio_setup_queues(struct virtio_dev *vd, unsigned n, unsigned max)
{
	struct vq_config r = { .name = vd->name, .index = 0, .num = 256, .notify = serve, .priv = &reqq },
			 e = { .name = vd->name, .index = 1, .num = 16, .notify = sim_notify, .priv = &evq };
	memset(&reqq, 0, sizeof reqq), memset(&evq, 0, sizeof evq);
	vd->q[0].vq = vq_create(&r);
	vd->q[1].vq = vq_create(&e);
	if (!vd->q[0].vq || !vd->q[1].vq || sim_attach(&reqq, vd->q[0].vq, 0) ||
	    sim_attach(&evq, vd->q[1].vq, 0))
		return -ENOMEM;
	vd->nqueues = 2;
	return 0;
}
static uint64_t clock_ns;
uint64_t now_ns(void) { return clock_ns += 1000; }
struct acpi_info acpi;
const char *iommu_mode_name(void) { return "test"; }
static struct {
	struct dma_dev *d;
	dma_addr_t page;
	bool write;
} rec[4];
static int nrec;
void dma_fault_record(struct dma_dev *d, dma_addr_t page, bool write)
{
	if (nrec < 4)
		rec[nrec].d = d, rec[nrec].page = page, rec[nrec].write = write;
	nrec++;
}

/* A VIOT: the virtio-iommu at 00:03.0 for every BDF of segment 0. */
static uint8_t viot_table[88];
static struct dma_dev self = { .bus = 0, .dev = 3, .fn = 0, .ops = &sim_backend };
static struct virtio_dev vd;
static struct dma_dev dev = { .bus = 0, .dev = 5, .fn = 0, .name = "blk0" };

static void device_with(uint64_t page_mask, enum dma_iommu_mode mode)
{
	if (vd.q[0].vq) {
		sim_detach(&reqq), sim_detach(&evq);
		vq_destroy(vd.q[0].vq), vq_destroy(vd.q[1].vq);
	}
	struct viommu *old = vd.priv;
	if (old) {
		dma_free(&self, old->slots, NSLOTS * SLOT_BYTES, old->slots_h);
		dma_free(&self, old->events, NEVENTS * EVENT_BYTES, old->events_h);
		dma_free(&self, old->probe_buf, PROBE_IN_OFF + old->probe_size + 4, old->probe_h);
		free(old);
	}
	while (domains) {
		struct domain *dm = domains;
		domains = dm->next;
		free(dm->iova.bitmap);
		free(dm);
	}
	memset(units, 0, sizeof units);
	memset(&vd, 0, sizeof vd);
	nmaps = 0, nrec = 0, mute = false, nunmap_reqs = nmap_reqs = 0;
	memset(viot_table, 0, sizeof viot_table);
	memcpy(viot_table, "VIOT", 4);
	viot_table[4] = 88, viot_table[36] = 2, viot_table[38] = 48;
	uint8_t *r = viot_table + 48, *m = viot_table + 72;
	r[0] = 1, r[2] = 24, r[14] = 0xff, r[15] = 0xff, r[16] = 72;
	m[0] = 3, m[2] = 16, m[6] = 0x18;
	acpi.viot = viot_table, acpi.viot_len = 88;
	CHECK_EQ(virtio_iommu_driver.init(mode), 1);
	cfg = (struct viommu_config){ .page_size_mask = page_mask,
				      .input_end = ~0ull,
				      .domain_end = 1000,
				      .probe_size = 512,
				      .bypass = 1 };
	strcpy(vd.name, "viommu0");
	vd.dma = &self;
	vd.features = BIT(F_INPUT_RANGE) | BIT(F_DOMAIN_RANGE) | BIT(F_MAP_UNMAP) | BIT(F_PROBE) |
		      BIT(F_BYPASS_CONFIG) | BIT(VIRTIO_F_VERSION_1);
	CHECK_EQ(virtio_iommu_vdriver.probe(&vd), 0);
	CHECK_EQ(cfg.bypass, 0); /* the driver took over: unattached endpoints fault */
	CHECK(virtio_iommu_driver.is_unit(0, 0, 3, 0));
	void *dom = NULL;
	dev.domain = NULL;
	CHECK_EQ(virtio_iommu_driver.attach(&dev, &dom), 0);
	CHECK(dom != NULL);
	dev.domain = dom;
	dev.ops = ((struct dma_domain *)dom)->ops;
	CHECK_EQ(attached_ep, 0x28); /* 00:05.0 */
	CHECK_EQ(attached_dom, ((struct domain *)dom)->id);
}

static const struct mapping *find(uint64_t iova)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].start <= iova && iova <= maps[i].end)
			return &maps[i];
	return NULL;
}

/* A buffer's granules are mapped, no more; the handle keeps its offset;
 * the PROBE's MSI range is kept out of the IOVAs; strict UNMAPs at once. */
static void test_map_4k(void)
{
	device_with(~0xfffull, DMA_IOMMU_STRICT);
	struct domain *dm = dev.domain;
	CHECK_EQ(dm->nresv, 1);
	CHECK(iova_allocated(&dm->iova, 0x1000000000) == false);
	dma_addr_t h = vi_backend.map(&dev, 0x3456789, 0x2100, DMA_FROM_DEVICE);
	CHECK_EQ(h & 0xfff, 0x789);
	const struct mapping *m = find(h);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->start, h & ~0xfffull);
	CHECK_EQ(m->end, (h & ~0xfffull) + 3 * 4096 - 1); /* 0x789 + 0x2100 ends in the third page */
	CHECK_EQ(m->phys, 0x3456000);
	CHECK_EQ(m->flags, MAP_F_WRITE);
	unsigned kicks = reqq.kicks;
	vi_backend.unmap(&dev, h, 0x2100, DMA_FROM_DEVICE);
	CHECK_EQ(reqq.kicks, kicks + 1);
	CHECK_EQ(nmaps, 0);
	CHECK(!iova_allocated(&dm->iova, h & ~0xfffull));
}

/* A 64 KiB granule: IOVAs and physical starts aligned to it, the offset in the handle. */
static void test_map_64k(void)
{
	device_with(~0xffffull, DMA_IOMMU_STRICT);
	dma_addr_t h = vi_backend.map(&dev, 0x123f000, 0x2000, DMA_TO_DEVICE); /* crosses a 64 KiB line */
	CHECK(h != DMA_MAPPING_ERROR);
	CHECK_EQ(h & 0xffff, 0xf000);
	const struct mapping *m = find(h);
	CHECK(m && m->phys == 0x1230000 && m->end - m->start + 1 == 0x20000 && m->flags == MAP_F_READ);
	CHECK_EQ(m->start & 0xffff, 0);
	vi_backend.unmap(&dev, h, 0x2000, DMA_TO_DEVICE);
	CHECK_EQ(nmaps, 0);
}

/* Lazy: UNMAPs wait; the 64th sends all of them with one notify. */
static void test_lazy_batch(void)
{
	device_with(~0xfffull, DMA_IOMMU_LAZY);
	struct domain *dm = dev.domain;
	dma_addr_t h[LAZY_DEFER];
	for (int i = 0; i < LAZY_DEFER; i++)
		h[i] = vi_backend.map(&dev, 0x200000 + (uint64_t)i * 8192, 6000, DMA_BIDIRECTIONAL);
	CHECK_EQ(nmaps, LAZY_DEFER);
	unsigned kicks = reqq.kicks;
	for (int i = 0; i < LAZY_DEFER - 1; i++)
		vi_backend.unmap(&dev, h[i], 6000, DMA_BIDIRECTIONAL);
	CHECK_EQ(reqq.kicks, kicks);
	CHECK_EQ(nmaps, LAZY_DEFER);
	CHECK(!vi_lent(&dev, h[0] & ~0xfffull) && vi_lent(&dev, h[LAZY_DEFER - 1] & ~0xfffull));
	nunmap_reqs = 0;
	vi_backend.unmap(&dev, h[LAZY_DEFER - 1], 6000, DMA_BIDIRECTIONAL);
	CHECK_EQ(reqq.kicks, kicks + 1);
	CHECK_EQ(nunmap_reqs, LAZY_DEFER);
	CHECK_EQ(nmaps, 0);
	CHECK_EQ(dm->iova.used, 0);
}

/* The window: one MAP of the whole range, read and write. */
static void test_map_fixed(void)
{
	device_with(~0xfffull, DMA_IOMMU_POOL);
	CHECK_EQ(vi_backend.map_fixed(&dev, 32ull << 30, 0x4000000, 8u << 20), 0);
	CHECK_EQ(nmaps, 1);
	CHECK(maps[0].start == 32ull << 30 && maps[0].end == (32ull << 30) + (8u << 20) - 1 &&
	      maps[0].flags == (MAP_F_READ | MAP_F_WRITE));
	CHECK_EQ(vi_backend.map_fixed(&dev, 0xfee00000, 0xfee00000, 4096), -EINVAL); /* reserved: MSI */
}

/* A fault report on the event queue reaches dma_fault_record; the buffer goes back. */
static void test_fault_event(void)
{
	device_with(~0xfffull, DMA_IOMMU_STRICT);
	CHECK_EQ(sim_fetch(&evq), NEVENTS);
	struct viommu_fault f = { .reason = 2,
				  .flags = FAULT_F_WRITE | FAULT_F_ADDRESS,
				  .endpoint = 0x28,
				  .address = 0x1000001234 };
	memcpy(evq.pending[0].seg[0].p, &f, sizeof f);
	sim_use_as_is(&evq, 0, sizeof f);
	virtio_iommu_driver.sync_faults(&dev);
	CHECK_EQ(nrec, 1);
	CHECK(rec[0].d == &dev && rec[0].page == 0x1000001000 && rec[0].write);
	CHECK_EQ(sim_fetch(&evq), 1); /* posted again */
	CHECK_EQ(virtio_iommu_driver.faultlog(&dev)->count, 1);
	CHECK_EQ(virtio_iommu_driver.faultlog(&dev)->last_addr, 0x1000001000);
	/* a short report is not believed */
	sim_use_as_is(&evq, 0, 8);
	nrec = 0;
	virtio_iommu_driver.sync_faults(&dev);
	CHECK_EQ(nrec, 0);
}

/* A device that does not answer: the map fails, bounded, and the unit is given up. */
static void test_mute_device(void)
{
	device_with(~0xfffull, DMA_IOMMU_STRICT);
	mute = true;
	CHECK_EQ(vi_backend.map(&dev, 0x5000, 100, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK(((struct domain *)dev.domain)->v->dead);
	mute = false;
	CHECK_EQ(vi_backend.map(&dev, 0x5000, 100, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
}

/* What the driver cannot use is refused, and nothing of the attempt is kept. */
static void test_refused_devices(void)
{
	device_with(~0xfffull, DMA_IOMMU_STRICT); /* a unit as the tests have it, to tear down below */
	static const struct {
		uint64_t mask, features;
		int r;
	} bad[] = {
		{ 0, 0, -EINVAL },                        /* no page size at all */
		{ ~0x1ffffull, 0, -EINVAL },              /* a 128 KiB granule */
		{ ~0xfffull, BIT(F_MAP_UNMAP), -ENODEV }, /* no MAP_UNMAP: nothing to drive */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct virtio_dev other = { .name = "viommu1", .dma = &self };
		cfg.page_size_mask = bad[i].mask;
		other.features = (BIT(F_MAP_UNMAP) | BIT(F_INPUT_RANGE)) & ~bad[i].features;
		CHECK_EQ(virtio_iommu_vdriver.probe(&other), bad[i].r);
		CHECK(other.priv == NULL);
		if (other.q[0].vq)
			sim_detach(&reqq), sim_detach(&evq), vq_destroy(other.q[0].vq),
				vq_destroy(other.q[1].vq);
	}
}

int main(void)
{
	RUN(test_map_4k);
	RUN(test_map_64k);
	RUN(test_lazy_batch);
	RUN(test_map_fixed);
	RUN(test_fault_event);
	RUN(test_mute_device);
	RUN(test_refused_devices);
	UNIT_DONE();
}
