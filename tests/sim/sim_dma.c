/* sim_dma.c - kernel/dma.c for host tests: handles that are not pointers, checked on every device access. */
#include "kernel/dma_backend.h"
#include "kernel/traceport.h"
#include "tests/sim/sim.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A handle is the pointer with high bits flipped: never a valid pointer, so
 * code that hands the device a pointer, or dereferences a handle, fails.
 * Every allocation and mapping is a region; the simulated device reaches
 * memory only through sim_dma_ptr, which insists on a range inside one.
 */
#define SIM_DMA_XOR 0x3c00000000000000ull
#define SIM_REGIONS 4096

struct sim_region {
	dma_addr_t handle;
	size_t len;
	char *p;
	bool lent; /* from dma_map, not dma_alloc */
};
static struct sim_region sim_regions[SIM_REGIONS];
static int sim_nregions, sim_allocs;
int sim_dma_fail_after = -1;              /* dma_alloc calls that succeed before one fails; -1: none fails */
bool sim_dma_iommu, sim_dma_iommu_strict; /* what dma_translated and dma_strict answer */

bool dma_translated(const struct dma_dev *d) { return sim_dma_iommu; }
bool dma_strict(void) { return sim_dma_iommu && sim_dma_iommu_strict; }

/* A legacy virtio-pci device takes its ring as a 32-bit page number: with sim_dma_low,
 * handles are handed out below 2^44 instead, from a range no host pointer has (under ASan,
 * its shadow gap: nothing there is mapped). */
bool sim_dma_low;
static dma_addr_t sim_low_next = 0x100000000ull;

static dma_addr_t sim_add_region(const void *p, size_t len, bool lent)
{
	if (sim_nregions == SIM_REGIONS) {
		fprintf(stderr, "sim_dma: too many regions\n");
		abort();
	}
	dma_addr_t h = (dma_addr_t)(uintptr_t)p ^ SIM_DMA_XOR;
	if (sim_dma_low) {
		h = sim_low_next + ((uintptr_t)p & 4095);
		sim_low_next += (len + 8191) & ~(dma_addr_t)4095;
	}
	sim_regions[sim_nregions++] = (struct sim_region){ h, len, (char *)p, lent };
	return h;
}

static void sim_del_region(dma_addr_t h)
{
	for (int i = 0; i < sim_nregions; i++)
		if (sim_regions[i].handle == h) {
			sim_regions[i] = sim_regions[--sim_nregions];
			return;
		}
	fprintf(stderr, "sim_dma: release of unknown handle 0x%llx\n", (unsigned long long)h);
	abort();
}

void *sim_dma_ptr(dma_addr_t h, size_t len)
{
	for (int i = 0; i < sim_nregions; i++) {
		const struct sim_region *r = &sim_regions[i];
		if (h >= r->handle && len <= r->len && h - r->handle <= r->len - len)
			return r->p + (h - r->handle);
	}
	return NULL;
}

int sim_dma_live(void) { return sim_allocs; }

void *dma_alloc(struct dma_dev *d, size_t size, dma_addr_t *handle)
{
	if (sim_dma_fail_after >= 0 && sim_dma_fail_after-- == 0)
		return NULL;
	size_t rounded = (size + 4095) & ~(size_t)4095;
	void *p = aligned_alloc(4096, rounded);
	if (!p)
		return NULL;
	memset(p, 0, rounded);
	*handle = sim_add_region(p, size, false);
	sim_allocs++;
	return p;
}

void dma_free(struct dma_dev *d, void *p, size_t size, dma_addr_t handle)
{
	if (!p)
		return;
	if (sim_dma_ptr(handle, size) != p) {
		fprintf(stderr, "sim_dma: dma_free of %p with a handle or size that does not match\n", p);
		abort();
	}
	sim_del_region(handle);
	sim_allocs--;
	free(p);
}

dma_addr_t dma_map_slow(struct dma_dev *d, const void *p, size_t len, enum dma_dir dir)
{
	if (!p || len == 0)
		return DMA_MAPPING_ERROR;
	if (d && d->pool) { /* as kernel/dma.c: the pool is mapped already */
		dma_addr_t h = dma_pool_handle(d, p, len);
		if (h != DMA_MAPPING_ERROR)
			return h;
	}
	return sim_add_region(p, len, true);
}

void dma_unmap_slow(struct dma_dev *d, dma_addr_t handle, size_t len, enum dma_dir dir)
{
	if (handle == DMA_MAPPING_ERROR || (d && d->pool && dma_pool_owns_handle(d, handle)))
		return;
	sim_del_region(handle);
}

/* The IOMMU's fault records, read now: a test may report a fault from here, as a unit that
 * recorded it before the device marked the buffer used (kernel/dma.h). */
void (*sim_dma_sync_hook)(struct dma_dev *d);
void dma_sync_faults(struct dma_dev *d)
{
	if (sim_dma_sync_hook)
		sim_dma_sync_hook(d);
}

/* The virtio core attaches each device before its first dma_alloc. */
int sim_dma_attach_error; /* what dma_attach returns */
int dma_attach(struct dma_dev *d, bool translated)
{
	(void)d, (void)translated;
	return sim_dma_attach_error;
}

/* For kernel/dma_fault.c: a page of a region dma_map made. */
static bool sim_lent(struct dma_dev *d, dma_addr_t page)
{
	for (int i = 0; i < sim_nregions; i++) {
		const struct sim_region *r = &sim_regions[i];
		if (r->lent && page + 4096 > r->handle && page < r->handle + r->len)
			return true;
	}
	return false;
}
const struct dma_backend sim_backend = { "sim", NULL, NULL, sim_lent, NULL, NULL, NULL };

/* kernel/traceport.c for host tests: the ring trace's records, kept in a
 * buffer (the oldest dropped when it fills) for the tests to read back. */
char sim_trace[1 << 16];
size_t sim_trace_len;
static unsigned sim_trace_seq;

const char *traceport_name(void) { return "sim"; }

void traceport_printf(const char *fmt, ...)
{
	char line[256];
	int n = snprintf(line, sizeof line, "rt %u ", sim_trace_seq++);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (sim_trace_len + (size_t)n >= sizeof sim_trace)
		sim_trace_len = 0;
	memcpy(sim_trace + sim_trace_len, line, (size_t)n);
	sim_trace_len += (size_t)n;
	sim_trace[sim_trace_len] = 0;
}

/* kernel/mm.c's pages, for the pool mode window (never made by the sim's dma_attach). */
void *page_alloc(size_t n, size_t align_pages)
{
	void *p = aligned_alloc(4096 * align_pages, n * 4096);
	if (p)
		memset(p, 0, n * 4096);
	return p;
}
void page_free(void *p, size_t n) { (void)n, free(p); }

/* The pool is kernel/dma_pool.c itself, over the allocations above. */
#include "kernel/dma_pool.c"
