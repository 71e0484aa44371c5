/* time.h - the TSC as the clock: now_ns, delays, deadlines. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H
#include <stdint.h>

void time_init(void);  /* calibrates the TSC */
uint64_t now_ns(void); /* since time_init */
uint64_t tsc_hz(void);
uint64_t tsc_to_ns(uint64_t ticks);
void udelay(uint64_t us);      /* spins on the TSC */
const char *time_source(void); /* how the TSC was calibrated */
#endif
