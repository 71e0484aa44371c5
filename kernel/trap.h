/* trap.h - exceptions, the interrupt vector table and irq_register. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H
#include <stdint.h>

/* What isr.S pushes, lowest address first. */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define IRQ_VECTOR_FIRST    32 /* 0-31 are exceptions */
#define IRQ_VECTOR_SPURIOUS 0xff

typedef void (*irq_handler_t)(void *arg);

void trap_init(void);
/* Inside an interrupt handler: where the CPU was when the interrupt came. */
uint64_t trap_interrupted_rip(void);
/* Route a vector to a handler; -EBUSY if taken, -EINVAL if not an IRQ vector. */
int irq_register(int vector, irq_handler_t fn, void *arg, const char *owner);
void irq_unregister(int vector);
/* A free vector (32..0xfe), or -ENOSPC. */
int irq_alloc_vector(void);
/* Called for every interrupt after its handler: the interrupt controller's EOI. */
extern void (*irq_eoi)(void);

struct irq_info {
	const char *owner;
	uint64_t count;
};
const struct irq_info *irq_info(int vector);

void backtrace_from(uint64_t rbp, uint64_t rip, uint64_t leaf_ret);
#endif
