/* poll.c - the one loop every service runs in, NAPI style: poll, then sleep. */
#include "kernel/poll.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/time.h"

#define MAX_POLLERS 32

static struct {
	poll_fn fn;
	void *arg;
	const char *name;
	bool running; /* a poller is never re-entered from its own wait */
} pollers[MAX_POLLERS];
static int npollers, busy, irqs_ready;
static volatile int kicked;

void poll_register(poll_fn fn, void *arg, const char *name)
{
	if (npollers == MAX_POLLERS)
		panic("poll: more than %d pollers (%s)", MAX_POLLERS, name);
	pollers[npollers].fn = fn;
	pollers[npollers].arg = arg;
	pollers[npollers].name = name;
	npollers++;
}

int poll_run_once(void)
{
	int work = 0;
	for (int i = 0; i < npollers; i++) {
		if (pollers[i].running)
			continue;
		pollers[i].running = true;
		work += pollers[i].fn(pollers[i].arg);
		pollers[i].running = false;
	}
	return work;
}

void poll_busy_get(void) { busy++; }
void poll_busy_put(void) { busy--; }
void poll_irqs_ready(void) { irqs_ready = 1; }

void poll_kick(void) { kicked = 1; }

void cpu_idle(bool (*done)(void *), void *arg)
{
	if (busy || !irqs_ready) {
		cpu_relax();
		return;
	}
	/* Check with interrupts off, so none can arrive between the check and
	 * the hlt; sti takes effect only after the next instruction, so one
	 * that is pending wakes the hlt instead of slipping in before it. */
	irq_disable();
	if (kicked || (done && done(arg))) {
		kicked = 0;
		irq_enable();
		return;
	}
	__asm__ volatile("sti; hlt" ::: "memory");
}

bool kwait(bool (*done)(void *), void *arg, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns ? now_ns() + timeout_ns : 0;
	for (;;) {
		if (done(arg))
			return true;
		if (deadline && now_ns() >= deadline)
			return false;
		if (!poll_run_once())
			cpu_idle(done, arg);
	}
}

void main_loop(void)
{
	for (;;)
		if (!poll_run_once())
			cpu_idle(NULL, NULL);
}
