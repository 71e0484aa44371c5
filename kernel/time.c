/* time.c - TSC calibration (CPUID leaf 0x15/0x16, else the PIT) and now_ns(). */
#include "kernel/time.h"
#include "kernel/io.h"
#include "kernel/log.h"

static uint64_t hz, tsc0;
static uint64_t mult; /* ns = ticks * mult >> 32 */
static const char *source = "none";

#define PIT_HZ   1193182ull
#define PIT_CH2  0x42
#define PIT_CMD  0x43
#define PIT_GATE 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2 */

/* Count TSC ticks while PIT channel 2 counts down ms milliseconds (mode 0). */
static uint64_t calibrate_pit(unsigned ms)
{
	uint32_t count = (uint32_t)(PIT_HZ * ms / 1000);
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		;
	uint64_t t1 = rdtsc();
	outb(PIT_GATE, inb(PIT_GATE) & ~0x01);
	return (t1 - t0) * 1000 / ms;
}

void time_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];

	if (max_leaf >= 0x15) {
		cpuid(0x15, 0, r); /* TSC/crystal ratio eax:ebx, crystal Hz in ecx */
		if (r[0] && r[1] && r[2]) {
			hz = (uint64_t)r[2] * r[1] / r[0];
			source = "cpuid 0x15";
		}
	}
	if (!hz && max_leaf >= 0x16) {
		cpuid(0x16, 0, r); /* base frequency in MHz */
		if (r[0]) {
			hz = (uint64_t)r[0] * 1000000;
			source = "cpuid 0x16";
		}
	}
	if (!hz) {
		hz = calibrate_pit(20);
		source = "pit";
	}
	if (hz < 1000000)
		panic("time: TSC runs at %llu Hz, too slow to use", (unsigned long long)hz);
	mult = (1000000000ull << 32) / hz;
	tsc0 = rdtsc();
}

uint64_t tsc_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * mult) >> 32); }
uint64_t now_ns(void) { return tsc_to_ns(rdtsc() - tsc0); }
uint64_t tsc_hz(void) { return hz; }
const char *time_source(void) { return source; }

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * hz / 1000000;
	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}
