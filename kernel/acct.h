/* acct.h - where the CPU's time goes, by TSC: each tick charged to the innermost open bucket. */
#ifndef KERNEL_ACCT_H
#define KERNEL_ACCT_H
#include <stdbool.h>
#include <stdint.h>

/*
 * A bucket is a uint64_t of TSC ticks (a queue's submit path, its
 * completion path, its doorbell; interrupts; sleeping in hlt). Code opens
 * one on entry and closes it on the way out; opened inside another, it
 * takes its ticks from the outer one, so each tick is counted once, in the
 * innermost bucket (a completion that submits the next request: the submit
 * is charged to submit, the rest to the completion). Ticks with no bucket
 * open go to acct_cpu.other (the main loop, the shell, other pollers).
 *
 * Off by default (`stats acct on`, `bench blk ... acct=on`): when off an
 * open or close is a load and a branch. When on, two TSC reads and a few
 * stores per bucket, with interrupts held off meanwhile.
 */
struct acct_cpu {
	uint64_t idle;  /* in hlt, waiting for an interrupt */
	uint64_t irq;   /* interrupt handlers, with trap()'s dispatch */
	uint64_t other; /* no bucket open */
};

#if defined(HOST_TEST) && !defined(ACCT_TEST)
/* host tests of the drivers and the ring: no accounting */
#define acct_open(bucket) (-1)
#define acct_close(token) ((void)(token))
#else
extern bool acct_on;
extern struct acct_cpu acct_cpu;
int acct_open_slow(uint64_t *bucket);
void acct_close_slow(int token);

/* Open bucket; returns the token that closes it (-1: accounting is off). A
 * macro, so that finding the bucket (a call, for a queue's) costs nothing
 * while accounting is off. */
#define acct_open(bucket) (acct_on ? acct_open_slow(bucket) : -1)
static inline void acct_close(int token)
{
	if (token >= 0)
		acct_close_slow(token);
}
/* On or off, from the top level only (no bucket but `other` open): the
 * ticks up to now go to `other`, and counting starts afresh. */
void acct_set(bool on);
#endif
#endif
