/* prof.c - the interrupted RIP, sampled from the timer interrupt; counted by function afterwards. */
#include "kernel/prof.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/ksyms.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t *samples;
static uint32_t nsamples, cap;

/* In the timer interrupt: one store. */
static void sample(uint64_t rip)
{
	if (nsamples < cap)
		samples[nsamples++] = rip;
}

int prof_start(uint64_t period_ns, uint32_t max_samples)
{
	prof_stop();
	free(samples);
	samples = malloc((size_t)max_samples * sizeof *samples);
	if (!samples)
		return -ENOMEM;
	nsamples = 0, cap = max_samples;
	apic_timer_sample(period_ns, sample);
	return 0;
}

void prof_stop(void) { apic_timer_sample(0, NULL); }

static int by_address(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int by_samples(const void *a, const void *b)
{
	const struct prof_entry *x = a, *y = b;
	return x->samples < y->samples ? 1 : x->samples > y->samples ? -1 : 0;
}

/* Sorted, the samples of one function are next to each other: one symbol
 * lookup per function, not per sample. */
int prof_top(struct prof_entry *out, int max, uint64_t *total)
{
	*total = nsamples;
	if (!samples || max <= 0)
		return 0;
	qsort(samples, nsamples, sizeof *samples, by_address);
	struct prof_entry *all = calloc(nsamples ? nsamples : 1, sizeof *all);
	if (!all)
		return -ENOMEM;
	int n = 0;
	uint64_t start = 1; /* the current function's first address; 1: none yet */
	for (uint32_t i = 0; i < nsamples; i++) {
		uint64_t off = 0;
		const char *name = ksym_lookup(samples[i], &off);
		uint64_t f = name ? samples[i] - off : 0;
		if (!n || f != start) {
			all[n++] = (struct prof_entry){ name ? name : "?", 0 };
			start = f;
		}
		all[n - 1].samples++;
	}
	qsort(all, (size_t)n, sizeof *all, by_samples);
	if (n > max)
		n = max;
	memcpy(out, all, (size_t)n * sizeof *out);
	free(all);
	return n;
}
