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
/* A clock that speeds up: 1 MHz at first, twice that 1 ms later, and so on;
 * no two windows in a row agree. */
static uint64_t drift_start;
static uint32_t drifting(void)
{
	uint64_t us = (host_ns() - drift_start) / 1000;
	return (uint32_t)(us + us * us / 2000);
}

/* 1 MHz until change_ns, then half as fast again. */
static uint64_t change_ns;
static uint32_t changing(void)
{
	uint64_t ns = host_ns();
	if (!change_ns || ns < change_ns)
		return (uint32_t)(ns / 1000);
	return (uint32_t)(change_ns / 1000 + (ns - change_ns) * 3 / 2000);
}

/* 1 MHz, but the next stall_reads reads are held up for 300 us after the
 * count is taken, as a host that stops the vCPU between a port read and
 * the next instruction does. */
static int stall_reads;
static uint32_t stalling(void)
{
	uint32_t v = (uint32_t)(host_ns() / 1000);
	if (stall_reads > 0) {
		stall_reads--;
		for (uint64_t t = host_ns(); host_ns() - t < 300000;)
			;
	}
	return v;
}

static void fresh(void) { hz = 0, source = "none", refined_us = 0; }

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

/* The kernel's clock, as time.h gives it outside the host tests. */
uint64_t tsc_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * time_mult) >> 32); }
static uint64_t kernel_ns(void) { return tsc_to_ns(rdtsc() - time_tsc0); }

static void start(const struct refclock *c)
{
	fresh();
	CHECK(try_clock(c));
	time_mult = (1000000000ull << 32) / hz;
	time_tsc0 = rdtsc();
}

static void sleep_ms(unsigned ms) { nanosleep(&(struct timespec){ 0, ms * 1000000l }, NULL); }

static void test_refined_over_the_time_since(void)
{
	struct refclock c = { "test clock", 1000000, 0xffffffffu, at_1mhz };
	start(&c);
	uint64_t first = hz;
	/* short windows can be a little off: say by 1.5% (within AGREE_PCT) */
	hz = first * 1015 / 1000;
	time_mult = (1000000000ull << 32) / hz;
	sleep_ms(30);
	uint64_t before = kernel_ns();
	time_refine();
	uint64_t after = kernel_ns();
	CHECK(!strncmp(time_source(), "test clock, again over ", 23));
	CHECK(hz > first * 995 / 1000 && hz < first * 1005 / 1000);
	/* the clock goes on from where it was: no step back, none forward (the
	 * new rate from time_tsc0 would be 1.5% of 30 ms, 450 us, back) */
	CHECK(after >= before && after - before < 100000);
	/* once only: the clock it came from is let go */
	uint64_t now = hz;
	sleep_ms(2);
	time_refine();
	CHECK_EQ(hz, now);
}

/* The refine's last edge seen 300 us late (6% of a 5 ms window): that edge
 * is passed over for one whose two reads were close, and the rate holds. */
static void test_refine_passes_over_a_stalled_edge(void)
{
	struct refclock c = { "stalling clock", 1000000, 0xffffffffu, stalling };
	start(&c);
	uint64_t first = hz;
	sleep_ms(5);
	stall_reads = 2;
	int before = unit_log_lines;
	time_refine();
	CHECK_EQ(stall_reads, 0);
	CHECK_EQ(unit_log_lines - before, 0); /* no "first kept" warning */
	CHECK(!strncmp(time_source(), "stalling clock, again over ", 27));
	CHECK(hz > first * 995 / 1000 && hz < first * 1005 / 1000);
}

static void test_refine_keeps_the_first_rate_when_unsure(void)
{
	/* a 16-bit count at 1 MHz wraps every 65 ms: after longer, the count says nothing */
	struct refclock w = { "wrapping clock", 1000000, 0xffffu, at_1mhz };
	start(&w);
	uint64_t first = hz;
	sleep_ms(40);
	time_refine();
	CHECK_EQ(hz, first);
	CHECK(!strcmp(time_source(), "wrapping clock"));
	/* a clock whose rate has changed since: warned of, the first rate kept */
	struct refclock d = { "changing clock", 1000000, 0xffffffffu, changing };
	change_ns = 0;
	start(&d);
	first = hz;
	change_ns = host_ns();
	sleep_ms(50);
	int before = unit_log_lines;
	time_refine();
	CHECK_EQ(hz, first);
	CHECK_EQ(unit_log_lines - before, 1);
}

int main(void)
{
	RUN(test_a_clock_that_counts);
	RUN(test_a_clock_that_does_not_count);
	RUN(test_nonsense_is_refused);
	RUN(test_refined_over_the_time_since);
	RUN(test_refine_passes_over_a_stalled_edge);
	RUN(test_refine_keeps_the_first_rate_when_unsure);
	UNIT_DONE();
}
