/* poll.c - the one loop every service runs in, NAPI style: poll, then sleep; and the rule about waiting. */
#include "kernel/poll.h"
#include "kernel/acct.h"
#include "kernel/io.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/time.h"

/*
 * The main loop (docs/design.md, "The main loop"):
 *
 *        +-> top-level job waiting? --yes--> run it (a shell command, the power button):
 *        |        | no                       it may wait: kwait runs this loop's
 *        |        v                          lower half until it is done
 *        |   each poller once  <------------------------------+
 *        |   (device queues, timers, the shell's input):      |
 *        |   completions run to their end, never wait         |
 *        |        |                                           |
 *        |        v                                           |
 *        +-- any work? --no--> hlt until an interrupt --------+
 *
 * One counter says whether we are inside a completion: poll_run_once raises
 * it around every poller, trap() around every interrupt handler. kwait with
 * the counter up is a bug and panics, naming the caller: that is the only
 * guard against re-entry, and with it no poller can ever run inside itself.
 */

#define MAX_POLLERS 32
#define MAX_JOBS    8

static struct {
	poll_fn fn;
	void *arg;
	const char *name;
} pollers[MAX_POLLERS];
static int npollers, busy, irqs_ready;
static volatile int kicked;
static unsigned depth;      /* completions (pollers, interrupt handlers) we are inside */
static const char *running; /* the poller running, for the panic */
uint64_t poll_pass_ns;      /* when this pass over the pollers began: poll_now_ns */
bool poll_in_pass;
static struct {
	void (*fn)(void *);
	void *arg;
} jobs[MAX_JOBS];
static unsigned job_head, job_tail;

void poll_register(poll_fn fn, void *arg, const char *name)
{
	if (npollers == MAX_POLLERS)
		panic("poll: more than %d pollers (%s)", MAX_POLLERS, name);
	pollers[npollers].fn = fn;
	pollers[npollers].arg = arg;
	pollers[npollers].name = name;
	npollers++;
}

void completion_enter(void) { depth++; }
void completion_leave(void) { depth--; }
bool in_completion(void) { return depth != 0; }

int poll_run_once(void)
{
	int work = 0;
	bool outer_pass = poll_in_pass;
	poll_pass_ns = now_ns();
	poll_in_pass = true;
	for (int i = 0; i < npollers; i++) {
		const char *outer = running;
		running = pollers[i].name;
		depth++;
		work += pollers[i].fn(pollers[i].arg);
		depth--;
		running = outer;
	}
	poll_in_pass = outer_pass;
	return work;
}

int poll_toplevel(void (*fn)(void *arg), void *arg)
{
	uint64_t flags = irq_save();
	int r = 0;
	if (job_tail - job_head == MAX_JOBS) {
		r = -1;
	} else {
		jobs[job_tail % MAX_JOBS].fn = fn;
		jobs[job_tail % MAX_JOBS].arg = arg;
		job_tail++;
		kicked = 1;
	}
	irq_restore(flags);
	return r;
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
	 * the hlt (cpu_wait_for_irq). */
	irq_disable();
	if (kicked || (done && done(arg))) {
		kicked = 0;
		irq_enable();
		return;
	}
	int acct = acct_open(&acct_cpu.idle); /* the interrupt that wakes us is charged to irq */
	cpu_wait_for_irq();
	acct_close(acct);
}

__attribute__((noreturn, noinline)) static void waited_in_completion(uint64_t caller)
{
	uint64_t off = 0;
	const char *fn = ksym_lookup(caller, &off);
	panic("kwait called by %s+0x%llx inside a completion (%s): a completion must not wait "
	      "(docs/design.md, \"The main loop\")",
	      fn ? fn : "?", (unsigned long long)off, running ? running : "an interrupt handler");
}

bool kwait(bool (*done)(void *), void *arg, uint64_t timeout_ns)
{
	if (depth)
		waited_in_completion((uint64_t)__builtin_return_address(0) - 1);
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
	for (;;) {
		if (job_head != job_tail) {
			void (*fn)(void *) = jobs[job_head % MAX_JOBS].fn;
			void *arg = jobs[job_head % MAX_JOBS].arg;
			job_head++;
			fn(arg); /* at the top: nothing is running, so it may wait */
			continue;
		}
		if (!poll_run_once())
			cpu_idle(NULL, NULL);
	}
}
