/* time.h - the TSC as the clock: now_ns, delays, deadlines. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H
#include <stdint.h>

void time_init(void);   /* calibrates the TSC */
void time_refine(void); /* later in the boot: the rate again, over the time since time_init */
uint64_t tsc_hz(void);
#ifdef HOST_TEST
uint64_t now_ns(void); /* each host test keeps its own clock */
uint64_t tsc_to_ns(uint64_t ticks);
#else
#include "kernel/io.h"
/* Inline: a completion reads the clock for every request, and under TCG a
 * call and its return are each a jump QEMU looks up. */
extern uint64_t time_tsc0, time_mult; /* ns = ticks * time_mult >> 32 */
static inline uint64_t tsc_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * time_mult) >> 32);
}
static inline uint64_t now_ns(void) { return tsc_to_ns(rdtsc() - time_tsc0); } /* since time_init */
#endif
void udelay(uint64_t us);      /* spins on the TSC */
const char *time_source(void); /* how the TSC was calibrated */
#endif
