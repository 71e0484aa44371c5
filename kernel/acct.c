/* acct.c - a stack of open buckets; the TSC ticks since the last change go to the one on top. */
#include "kernel/acct.h"
#include "kernel/io.h"

#ifndef ACCT_NOW
#define ACCT_NOW() rdtsc() /* the host test brings a clock of its own */
#endif
#define DEPTH 16 /* main loop, poller, completion, submit, doorbell, interrupt... */

bool acct_on;
struct acct_cpu acct_cpu;
static uint64_t *stack[DEPTH] = { &acct_cpu.other };
static int depth = 1;
static uint64_t last;
static uint64_t overflows; /* opens past DEPTH: charged to the bucket below */

/* With interrupts off: an interrupt opens and closes a bucket of its own,
 * and must find the stack and `last` whole. */
int acct_open_slow(uint64_t *bucket)
{
	uint64_t flags = irq_save();
	uint64_t now = ACCT_NOW();
	int token = depth;
	*stack[depth - 1] += now - last;
	last = now;
	if (depth < DEPTH)
		stack[depth++] = bucket;
	else
		overflows++;
	irq_restore(flags);
	return token;
}

/* Back to the depth the matching open found: what was opened inside and
 * not closed (it cannot happen, but a wrong token must not corrupt the
 * stack) is closed with it. */
void acct_close_slow(int token)
{
	uint64_t flags = irq_save();
	uint64_t now = ACCT_NOW();
	if (acct_on) /* else acct_set turned it off meanwhile, and emptied the stack */
		*stack[depth - 1] += now - last;
	last = now;
	if (token >= 1 && token < depth)
		depth = token;
	irq_restore(flags);
}

void acct_set(bool on)
{
	uint64_t flags = irq_save();
	uint64_t now = ACCT_NOW();
	if (acct_on)
		*stack[depth - 1] += now - last;
	depth = 1;
	last = now;
	acct_on = on;
	irq_restore(flags);
}
