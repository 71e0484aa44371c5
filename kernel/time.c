/* time.c - the TSC as the clock: its rate from CPUID, else measured against the PM timer, HPET or PIT. */
#include "kernel/time.h"
#include "kernel/acpi.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "lib/fmt.h"
#include <stdbool.h>
#include <string.h>

static uint64_t hz;
uint64_t time_tsc0, time_mult;
static const char *source = "none";
static uint64_t refined_us; /* over how long time_refine measured again (0: it did not) */

/*
 * Where the rate comes from, first that answers sensibly wins:
 * 1. CPUID: leaf 0x15 (TSC/crystal ratio and crystal Hz), 0x16 (base MHz),
 *    or a hypervisor's timing leaf 0x40000010 (TSC kHz). Nothing to measure.
 * 2. A clock of known rate, counted against the TSC over two short windows:
 *    the ACPI PM timer (FADT), the HPET (its ACPI table), the PIT's channel
 *    0. QEMU's microvm has none of the first two, and no PIT with pit=off.
 *    That rate is a start: the clock keeps counting, and time_refine, later
 *    in the boot, measures again over all the time in between (the device
 *    probes: milliseconds, not a fraction of one; time_init waits for none
 *    of it).
 * 3. Under QEMU (TCG) or KVM only: the local APIC timer, whose input both
 *    clock at 1 GHz. Said as such in the boot log: it is not a measurement
 *    of anything the platform describes.
 * A rate outside TSC_MIN_HZ..TSC_MAX_HZ, or two windows that disagree, is
 * refused and the next source is tried: a clock that is not there (port
 * reads of 0xff, a PIT gate that never opens) would otherwise give nonsense.
 */
#define TSC_MIN_HZ 100000000ull   /* no x86-64 CPU runs its TSC slower */
#define TSC_MAX_HZ 20000000000ull /* nor faster */
#define CAL_US     150            /* each of the two windows: time_refine makes the rate exact */
#define AGREE_PCT  2              /* the two windows agree this closely */
#define STUCK_TSC  2000000ull     /* TSC ticks without a change: the clock is not counting */
#define WINDOW_TSC (1ull << 32)   /* a window longer than this: the clock is far too slow */

/* An up-counter of known rate; read() returns its low bits, mask says how many. */
struct refclock {
	const char *name;
	uint64_t hz;
	uint32_t mask;
	uint32_t (*read)(void);
};

static bool plausible(uint64_t f) { return f >= TSC_MIN_HZ && f <= TSC_MAX_HZ; }

/* A clock that has not changed over this many reads and TSC ticks is not
 * counting. Both, because a vCPU that the host deschedules sees the TSC
 * jump between two reads of a clock that is counting. */
#define STUCK_READS 1000

/* TSC ticks per second over us microseconds of c, from one of its edges to
 * another; 0 if c does not count. Both ends are taken on an edge, so the
 * error is the time between reading c and reading the TSC (an exit under
 * QEMU: a microsecond or two, under 1% of a window; time_refine's window
 * makes it a few hundredths of a percent). */
static uint64_t measure(const struct refclock *c, unsigned us)
{
	uint64_t need = c->hz * us / 1000000, got = 0, t0 = 0, t = rdtsc(), now;
	uint32_t prev = c->read(), cur;
	for (unsigned same = 0;; prev = cur) {
		cur = c->read();
		now = rdtsc();
		if (cur == prev) {
			if (++same > STUCK_READS && now - t > STUCK_TSC)
				return 0;
			continue;
		}
		same = 0, t = now;
		if (!t0) {
			t0 = now; /* the window opens on this edge */
			continue;
		}
		got += (cur - prev) & c->mask;
		if (got >= need)
			return (now - t0) * c->hz / got;
		if (now - t0 > WINDOW_TSC)
			return 0;
	}
}

/* The clock the rate came from, and where it and the TSC stood then. */
static struct refclock refine_from;
static uint32_t refine_count;
static uint64_t refine_tsc;

/* An edge of c and the TSC just after it: the edge fell between the read
 * before and the read that saw it, so the TSC is only as close to it as the
 * two reads were to each other. An edge whose reads the host held apart (a
 * stall between them: under TCG, tens of microseconds) is passed over for
 * the next, EDGE_TRIES times at most; a clock that stops is given up on
 * after STUCK_TSC ticks. hz must be known: the bound is EDGE_US of it. */
#define EDGE_US    20
#define EDGE_TRIES 50
static void edge(const struct refclock *c, uint32_t *count, uint64_t *tsc)
{
	uint64_t start = rdtsc(), before = start, after;
	uint64_t close = hz * EDGE_US / 1000000;
	uint32_t prev = c->read(), cur;
	for (int edges = 0;; prev = cur, before = after) {
		cur = c->read();
		after = rdtsc();
		if (cur == prev) {
			if (after - start >= STUCK_TSC)
				break;
			continue;
		}
		if (after - before <= close || ++edges == EDGE_TRIES)
			break;
	}
	*count = cur;
	*tsc = after;
}

/* Two windows that agree, within three tries: a window the host stalled
 * for longer than the clock takes to wrap (the PIT's 55 ms) reads short. */
static bool try_clock(const struct refclock *c)
{
	uint64_t a = 0, b = 0;
	/* A first window, thrown away: under TCG the first always came out
	 * 2-4% short, and its retry cost the boot another two windows. */
	measure(c, CAL_US / 5);
	for (int tries = 0; tries < 3; tries++) {
		a = measure(c, CAL_US), b = a ? measure(c, CAL_US) : 0;
		if (!a || !b) {
			log_info("time: no %s counts here\n", c->name);
			return false;
		}
		uint64_t diff = a > b ? a - b : b - a;
		if (plausible(a) && plausible(b) && diff * 100 <= a * AGREE_PCT) {
			hz = (a + b) / 2;
			source = c->name;
			refine_from = *c;
			edge(c, &refine_count, &refine_tsc);
			return true;
		}
	}
	log_warn("time: the %s gives a TSC of %llu then %llu kHz; refused\n", c->name,
		 (unsigned long long)(a / 1000), (unsigned long long)(b / 1000));
	return false;
}

/* -- 1. CPUID ----------------------------------------------------------------- */

static uint64_t cpuid_rate(const char **from)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max = r[0];
	if (max >= 0x15) {
		cpuid(0x15, 0, r); /* SDM vol. 2A: TSC = crystal (ecx) * ebx / eax */
		if (r[0] && r[1] && r[2] && plausible((uint64_t)r[2] * r[1] / r[0]))
			return *from = "cpuid 0x15", (uint64_t)r[2] * r[1] / r[0];
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, r); /* processor base frequency, MHz */
		if (plausible((uint64_t)r[0] * 1000000))
			return *from = "cpuid 0x16", (uint64_t)r[0] * 1000000;
	}
	cpuid(1, 0, r);
	if (r[2] & (1u << 31)) { /* a hypervisor: its leaves start at 0x40000000 */
		cpuid(0x40000000, 0, r);
		if (r[0] >= 0x40000010 && r[0] < 0x40010000) {
			cpuid(0x40000010, 0, r); /* the timing leaf VMware defined, KVM copies: TSC kHz */
			if (plausible((uint64_t)r[0] * 1000))
				return *from = "cpuid 0x40000010", (uint64_t)r[0] * 1000;
		}
	}
	return 0;
}

/* -- 2. clocks of known rate --------------------------------------------------- */

#define PM_TMR_HZ      3579545ull /* ACPI 6.5 §4.8.3.3 */
#define FADT_TMR_32BIT (1u << 8)  /* TMR_VAL_EXT, §5.2.9 table 5.10 */
static uint32_t pm_read(void) { return inl((uint16_t)acpi.fadt.pm_tmr); }

/* IA-PC HPET 1.0a §2.3: capabilities (period in fs in the high half), config, main counter */
#define HPET_CAP        0x000
#define HPET_CONF       0x010
#define HPET_COUNTER    0x0f0
#define HPET_ENABLE     1u
#define HPET_MAX_PERIOD 100000000u /* fs: §2.3.4, at most 100 ns */
static volatile uint8_t *hpet;
static uint32_t hpet_read(void) { return mmio_read32(hpet + HPET_COUNTER); }

/* 8254 (Intel 82C54 datasheet): channel 0 counts down at 1.193182 MHz with
 * its gate always open on a PC; a latch command freezes the count for two
 * byte reads. Channel 2, whose gate and output are in port 0x61, is not
 * used: QEMU's microvm has no port 0x61, and reads of 0xff there passed
 * for an expired count. */
#define PIT_HZ    1193182ull
#define PIT_CH0   0x40
#define PIT_CMD   0x43
#define PIT_MODE2 0x34 /* channel 0, low then high byte, mode 2 (rate generator), binary */
#define PIT_LATCH 0x00 /* channel 0, counter latch */
static uint32_t pit_read(void)
{
	outb(PIT_CMD, PIT_LATCH);
	uint32_t lo = inb(PIT_CH0), hi = inb(PIT_CH0);
	return -(lo | hi << 8); /* counts down: negated, it counts up */
}

/* -- 3. the local APIC timer, at the 1 GHz QEMU and KVM give it ------------------ */

#define LAPIC_TIMER_LVT 0x320
#define LAPIC_TIMER_ICR 0x380
#define LAPIC_TIMER_CCR 0x390
#define LAPIC_TIMER_DCR 0x3e0
#define LAPIC_DIV1      0xb
#define LVT_MASKED      (1u << 16)
static volatile uint8_t *lapic;
static uint32_t lapic_read(void) { return ~mmio_read32(lapic + LAPIC_TIMER_CCR); }

static bool hypervisor_is(const char *sig)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 31)))
		return false;
	cpuid(0x40000000, 0, r);
	char name[12];
	memcpy(name, &r[1], 4), memcpy(name + 4, &r[2], 4), memcpy(name + 8, &r[3], 4);
	return !memcmp(name, sig, 12);
}

static bool try_lapic(void)
{
	if (!hypervisor_is("TCGTCGTCGTCG") && !hypervisor_is("KVMKVMKVM\0\0\0"))
		return false;
	lapic = mmio_map(rdmsr(0x1b) & 0xffffff000ull, PAGE_SIZE); /* IA32_APIC_BASE */
	if (!lapic)
		return false;
	mmio_write32(lapic + LAPIC_TIMER_LVT, LVT_MASKED);
	mmio_write32(lapic + LAPIC_TIMER_DCR, LAPIC_DIV1);
	mmio_write32(lapic + LAPIC_TIMER_ICR, 0xffffffffu); /* 4.3 s to count down: enough */
	struct refclock c = { "local APIC timer at the 1 GHz of QEMU and KVM", 1000000000ull, 0xffffffffu,
			      lapic_read };
	bool ok = try_clock(&c);
	mmio_write32(lapic + LAPIC_TIMER_ICR, 0);
	return ok;
}

void time_init(void)
{
	const char *from = NULL;
	hz = cpuid_rate(&from);
	if (hz)
		source = from;
	if (!hz && acpi.have_fadt && acpi.fadt.pm_tmr) {
		bool ext = acpi.fadt.flags & FADT_TMR_32BIT;
		struct refclock c = { "ACPI PM timer", PM_TMR_HZ, ext ? 0xffffffffu : 0xffffffu, pm_read };
		try_clock(&c);
	}
	if (!hz && acpi.hpet && (hpet = mmio_map(acpi.hpet, 1024))) {
		uint32_t period = (uint32_t)(mmio_read64(hpet + HPET_CAP) >> 32);
		uint64_t conf = mmio_read64(hpet + HPET_CONF);
		if (period && period <= HPET_MAX_PERIOD) {
			mmio_write64(hpet + HPET_CONF, conf | HPET_ENABLE);
			struct refclock c = { "HPET", 1000000000000000ull / period, 0xffffffffu, hpet_read };
			if (!try_clock(&c)) /* else it counts on for time_refine, which leaves it on */
				mmio_write64(hpet + HPET_CONF, conf);
		} else {
			log_warn("time: HPET period %u fs is not one; not used\n", period);
		}
	}
	if (!hz) {
		outb(PIT_CMD, PIT_MODE2);
		outb(PIT_CH0, 0); /* a count of 0 is 65536: 55 ms a round, read far more often */
		outb(PIT_CH0, 0);
		struct refclock c = { "PIT", PIT_HZ, 0xffffu, pit_read };
		try_clock(&c);
	}
	if (!hz && !try_lapic()) /* the timer apic_init takes over: not measured again */
		panic("time: no clock to calibrate the TSC against (no CPUID leaf, PM timer, HPET or PIT)");
	time_mult = (1000000000ull << 32) / hz;
	time_tsc0 = rdtsc();
}

void time_refine(void)
{
	const struct refclock *c = &refine_from;
	if (!c->read)
		return; /* from CPUID, or from the APIC timer: nothing to measure again */
	uint32_t count;
	uint64_t tsc;
	edge(c, &count, &tsc);
	uint64_t ticks = tsc - refine_tsc, got = (count - refine_count) & c->mask;
	uint64_t expect = (uint64_t)((unsigned __int128)ticks * c->hz / hz);
	refine_from.read = NULL;
	if (expect > c->mask / 2 || !got) /* it may have wrapped (the PIT does every 55 ms) */
		return;
	uint64_t f = (uint64_t)((unsigned __int128)ticks * c->hz / got);
	uint64_t diff = f > hz ? f - hz : hz - f;
	if (!plausible(f) || diff * 100 > hz * AGREE_PCT) {
		log_warn("time: the %s gave a TSC of %llu kHz, then %llu kHz over %llu us; the first kept\n",
			 c->name, (unsigned long long)(hz / 1000), (unsigned long long)(f / 1000),
			 (unsigned long long)(tsc_to_ns(ticks) / 1000));
		return;
	}
	/* now_ns goes on from where it is, at the new rate */
	uint64_t flags = irq_save();
	uint64_t t = rdtsc(), ns = tsc_to_ns(t - time_tsc0);
	hz = f;
	time_mult = (1000000000ull << 32) / hz;
	time_tsc0 = t - (uint64_t)(((unsigned __int128)ns << 32) / time_mult);
	irq_restore(flags);
	refined_us = tsc_to_ns(ticks) / 1000;
}

uint64_t tsc_hz(void) { return hz; }
/* Formatted when asked for (the boot log asks only when it is not quiet). */
const char *time_source(void)
{
	static char buf[96];
	if (!refined_us)
		return source;
	ksnprintf(buf, sizeof buf, "%s, again over %llu us", source, (unsigned long long)refined_us);
	return buf;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * hz / 1000000;
	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}
