/* poll.h - the main loop: pollers, top-level jobs, waiting with a deadline, and idling in hlt. */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H
#include "kernel/time.h"
#include <stdbool.h>
#include <stdint.h>

/* A poller does a bounded amount of work and returns how much it did. It
 * runs as a completion: it may start work, never wait for it. */
typedef int (*poll_fn)(void *arg);
void poll_register(poll_fn fn, void *arg, const char *name);
int poll_run_once(void); /* every poller once; the work done */

/* Run fn(arg) at the top of the main loop, outside every completion, where
 * it may wait (a shell command, the power button). 0, or -1 when the queue
 * of such jobs is full. */
int poll_toplevel(void (*fn)(void *arg), void *arg);

/* Devices in poll mode keep the CPU from sleeping while they are active. */
void poll_busy_get(void);
void poll_busy_put(void);

/* Interrupt handlers call this when they leave work for a poller, so the
 * main loop does not go to sleep over it. */
void poll_kick(void);
/* Sleep until an interrupt, unless polling is on, no interrupt can wake us
 * yet, work was kicked, or done(arg) became true (done may be NULL). */
void cpu_idle(bool (*done)(void *arg), void *arg);
/* Set once interrupts (a timer at least) are running. */
void poll_irqs_ready(void);

/* Run the pollers and idle until done(arg) is true or timeout_ns passes
 * (0: forever). Returns true if done. Only the top level may wait: called
 * from inside a completion (a poller, an interrupt handler, anything they
 * call) it panics, naming its caller. */
bool kwait(bool (*done)(void *arg), void *arg, uint64_t timeout_ns);

/* The clock as a completion should read it: the time this pass over the
 * pollers began, read once for all of them (a pass lasts microseconds; a
 * deadline taken from it is early by at most that), and the clock itself
 * outside a pass (the top level, or an interrupt that woke us from hlt).
 * For deadlines that a check compares it with; never subtract a time read
 * from now_ns() during the pass from it: the pass began before that. */
#ifdef HOST_TEST
static inline uint64_t poll_now_ns(void) { return now_ns(); } /* each host test's own clock */
#else
extern uint64_t poll_pass_ns;
extern bool poll_in_pass;
static inline uint64_t poll_now_ns(void) { return poll_in_pass ? poll_pass_ns : now_ns(); }
#endif

/* Completions that do not run as pollers (interrupt handlers) say so. */
void completion_enter(void);
void completion_leave(void);
bool in_completion(void);

__attribute__((noreturn)) void main_loop(void);
#endif
