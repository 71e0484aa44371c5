/* boot_phase.c - the boot's steps with the TSC at the end of each, from the first instruction on. */
#include "kernel/boot_phase.h"
#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/time.h"
#include <string.h>

static struct boot_phase phases[BOOT_MAX_PHASES];
static int nphases;
static uint64_t ready_tsc, drained_tsc, ready_bytes;

/* The TSC is read before time_init knows its rate: ticks are kept, and
 * turned into microseconds only when printed. */
static void record(const char *name, uint64_t tsc)
{
	if (ready_tsc || nphases == BOOT_MAX_PHASES)
		return;
	struct boot_phase *p = &phases[nphases++];
	p->end_tsc = tsc;
	p->console_tsc = console_tsc();
	strncpy(p->name, name, sizeof p->name - 1);
}

void boot_phase(const char *name) { record(name, rdtsc()); }

/* One TSC read: the last step ends where boot_us is taken. */
uint64_t boot_ready(void)
{
	uint64_t now = rdtsc();
	record("ready", now);
	ready_tsc = now;
	ready_bytes = console_bytes();
	return tsc_to_ns(ready_tsc - boot_tsc) / 1000;
}

void boot_console_drained(void)
{
	if (!drained_tsc)
		drained_tsc = rdtsc();
}

void boot_record(struct boot_record *r)
{
	r->phases = phases;
	r->nphases = nphases;
	r->ready_tsc = ready_tsc;
	r->drained_tsc = drained_tsc;
	r->console_bytes = ready_bytes;
}
