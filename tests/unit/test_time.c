/* test_time.c - TSC calibration against reference clocks that count right, not at all, or wrong. */
#include "unit.h"

#include "kernel/acpi.h"
#include "kernel/time.c"
#include <time.h>

struct acpi_info acpi;
void *mmio_map(uint64_t phys, uint64_t len) { return NULL; }

/* Host time, as a counter of the given rate. */
static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t at_1mhz(void) { return (uint32_t)(host_ns() / 1000); }
static uint32_t at_100mhz(void) { return (uint32_t)(host_ns() / 10); }
static uint32_t never(void) { return 0xff; } /* a port with nothing behind it */
/* A clock that speeds up: 1 MHz at first, twice that 10 ms later, and so on;
 * no two windows in a row agree. */
static uint64_t drift_start;
static uint32_t drifting(void)
{
	uint64_t us = (host_ns() - drift_start) / 1000;
	return (uint32_t)(us + us * us / 20000);
}

static void fresh(void) { hz = 0, source = "none"; }

static void test_a_clock_that_counts(void)
{
	fresh();
	struct refclock c = { "test clock", 1000000, 0xffffffffu, at_1mhz };
	CHECK(try_clock(&c));
	CHECK(plausible(hz)); /* the host's own TSC rate, whatever it is */
	CHECK(!strcmp(source, "test clock"));
	/* the same TSC against a faster clock: the same rate within 2% */
	uint64_t first = hz;
	struct refclock f = { "fast clock", 100000000, 0xffffffffu, at_100mhz };
	fresh();
	CHECK(try_clock(&f));
	CHECK(hz > first * 98 / 100 && hz < first * 102 / 100);
	/* a 16-bit counter that wraps (as the PIT's does) measures the same */
	struct refclock w = { "wrapping clock", 1000000, 0xffffu, at_1mhz };
	fresh();
	CHECK(try_clock(&w));
	CHECK(hz > first * 98 / 100 && hz < first * 102 / 100);
}

static void test_a_clock_that_does_not_count(void)
{
	fresh();
	int before = unit_log_lines;
	struct refclock c = { "absent clock", 1193182, 0xffffu, never };
	CHECK(!try_clock(&c));
	CHECK_EQ(hz, 0);
	CHECK_EQ(unit_log_lines - before, 1);
}

static void test_nonsense_is_refused(void)
{
	/* a clock that runs 100 times faster than it claims: a TSC of a few
	 * tens of MHz, which no x86-64 has */
	fresh();
	struct refclock c = { "lying clock", 1000000, 0xffffffffu, at_100mhz };
	CHECK(!try_clock(&c));
	CHECK_EQ(hz, 0);
	CHECK(!strcmp(source, "none"));
	/* two windows 20% apart: refused after its tries */
	fresh();
	drift_start = host_ns();
	struct refclock d = { "drifting clock", 1000000, 0xffffffffu, drifting };
	int before = unit_log_lines;
	CHECK(!try_clock(&d));
	CHECK_EQ(hz, 0);
	CHECK_EQ(unit_log_lines - before, 1);
}

int main(void)
{
	RUN(test_a_clock_that_counts);
	RUN(test_a_clock_that_does_not_count);
	RUN(test_nonsense_is_refused);
	UNIT_DONE();
}
