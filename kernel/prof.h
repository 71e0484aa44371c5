/* prof.h - a sampling profiler: where the CPU is, every few microseconds, by function. */
#ifndef KERNEL_PROF_H
#define KERNEL_PROF_H
#include <stdbool.h>
#include <stdint.h>

/* Sample the interrupted instruction every period_ns (the local APIC timer)
 * into a buffer of max_samples (new samples are dropped once it is full). */
int prof_start(uint64_t period_ns, uint32_t max_samples);
void prof_stop(void);

struct prof_entry {
	const char *name; /* the function, "?" for an address outside every one */
	uint32_t samples;
};
/* The functions sampled, most samples first, at most max of them; how many
 * were written. total gets every sample taken. After prof_stop. */
int prof_top(struct prof_entry *out, int max, uint64_t *total);
#endif
