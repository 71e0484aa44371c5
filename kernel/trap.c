/* trap.c - exception dump with registers and backtrace, and interrupt dispatch. */
#include "kernel/trap.h"
#include "kernel/acct.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/poll.h"
#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
};

static struct {
	irq_handler_t fn;
	void *arg;
	struct irq_info info;
} vectors[256];

void (*irq_eoi)(void);

int irq_register(int vector, irq_handler_t fn, void *arg, const char *owner)
{
	if (vector < IRQ_VECTOR_FIRST || vector > 0xff)
		return -EINVAL;
	uint64_t flags = irq_save();
	int r = 0;
	if (vectors[vector].fn) {
		r = -EBUSY;
	} else {
		vectors[vector].arg = arg;
		vectors[vector].info = (struct irq_info){ owner, 0 };
		vectors[vector].fn = fn;
	}
	irq_restore(flags);
	return r;
}

void irq_unregister(int vector)
{
	if (vector < IRQ_VECTOR_FIRST || vector > 0xff)
		return;
	uint64_t flags = irq_save();
	vectors[vector].fn = NULL;
	vectors[vector].info.owner = NULL;
	irq_restore(flags);
}

int irq_alloc_vector(void)
{
	/* 0x30 and up: 0x20-0x2f stay for the legacy ISA IRQs (kernel/apic.c) */
	for (int v = 0x30; v < IRQ_VECTOR_SPURIOUS; v++)
		if (!vectors[v].fn && !vectors[v].info.owner)
			return v;
	return -ENOSPC;
}

const struct irq_info *irq_info(int vector)
{
	if (vector < 0 || vector > 0xff || !vectors[vector].fn)
		return NULL;
	return &vectors[vector].info;
}

static void print_addr(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		kprintf("0x%016llx %s+0x%llx\n", (unsigned long long)addr, name, (unsigned long long)off);
	else
		kprintf("0x%016llx ?\n", (unsigned long long)addr);
}

/* Walk the frame-pointer chain; stop at anything that is not on a kernel
 * stack. leaf_ret, if not 0, is the return address of a function that had
 * no frame of its own when it stopped (see trap_backtrace). */
void backtrace_from(uint64_t rbp, uint64_t rip, uint64_t leaf_ret)
{
	int depth = 1;
	kprintf("backtrace:\n  #0 ");
	print_addr(rip);
	if (leaf_ret) {
		kprintf("  #1 ");
		print_addr(leaf_ret - 1);
		depth++;
	}
	for (; depth < 32; depth++) {
		if (!rbp || (rbp & 7) || !cpu_on_kernel_stack(rbp) || !cpu_on_kernel_stack(rbp + 15))
			break;
		uint64_t next = ((uint64_t *)rbp)[0], ret = ((uint64_t *)rbp)[1];
		if (!ret)
			break;
		kprintf("  #%d ", depth);
		print_addr(ret - 1); /* the call, not the instruction after it */
		if (next <= rbp)
			break;
		rbp = next;
	}
}

/*
 * GCC gives leaf functions that use no stack no frame, whatever the flags;
 * and any function can stop inside its prologue. Then %rbp is still the
 * caller's, and the caller's return address is found from %rsp.
 */
static void trap_backtrace(const struct trapframe *tf)
{
	static const uint8_t prologue[4] = { 0x55, 0x48, 0x89, 0xe5 }; /* push %rbp; mov %rsp,%rbp */
	uint64_t off, leaf_ret = 0;
	const uint64_t *sp = (const uint64_t *)tf->rsp;

	bool code = ksym_lookup(tf->rip, &off) != NULL;
	if (!code && cpu_on_kernel_stack(tf->rsp) && cpu_on_kernel_stack(tf->rsp + 15)) {
		leaf_ret = sp[0]; /* a call or jump to something that is not code: its return address */
	} else if (code && cpu_on_kernel_stack(tf->rsp) && cpu_on_kernel_stack(tf->rsp + 15)) {
		const uint8_t *fn = (const uint8_t *)(tf->rip - off);
		int framed = !memcmp(fn, prologue, sizeof prologue);
		if (!framed || off == 0)
			leaf_ret = sp[0]; /* nothing pushed yet */
		else if (off < sizeof prologue)
			leaf_ret = sp[1]; /* %rbp pushed, not yet moved */
	}
	backtrace_from(tf->rbp, tf->rip, leaf_ret);
}

/* What a page fault (or the double fault one can turn into) was about. */
static void explain_fault(const struct trapframe *tf)
{
	uint64_t cr2 = read_cr2();
	const char *guard = cpu_stack_guard(cr2);
	if (tf->vector != 14 && tf->vector != 8)
		return;
	if (guard)
		kprintf("stack overflow: CR2 is in the guard page below %s\n", guard);
	else if (tf->vector == 14 && cr2 < 4096)
		kprintf("a NULL pointer: page 0 is not mapped\n");
	else if (tf->vector == 14 && (tf->error & 0x10))
		kprintf("an instruction fetch from a page that is not executable\n");
	else if (tf->vector == 14 && (tf->error & 0x3) == 0x3)
		kprintf("a write to a read-only page\n");
}

__attribute__((noreturn)) static void exception(struct trapframe *tf)
{
	uint64_t off = 0;
	const char *fn = ksym_lookup(tf->rip, &off);
	const char *what = tf->vector < 32 && exception_names[tf->vector] ? exception_names[tf->vector] : "?";

	irq_disable();
	console_sync(); /* what was queued, then the dump, straight to the UART */
	kprintf("\npanic: exception %llu (%s) error=0x%llx at rip=0x%llx in %s+0x%llx\n",
		(unsigned long long)tf->vector, what, (unsigned long long)tf->error,
		(unsigned long long)tf->rip, fn ? fn : "?", (unsigned long long)off);
	kprintf("RIP=%016llx RSP=%016llx RFLAGS=%016llx CR2=%016llx\n", (unsigned long long)tf->rip,
		(unsigned long long)tf->rsp, (unsigned long long)tf->rflags, (unsigned long long)read_cr2());
	kprintf("RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n", (unsigned long long)tf->rax,
		(unsigned long long)tf->rbx, (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	kprintf("RSI=%016llx RDI=%016llx RBP=%016llx R8 =%016llx\n", (unsigned long long)tf->rsi,
		(unsigned long long)tf->rdi, (unsigned long long)tf->rbp, (unsigned long long)tf->r8);
	kprintf("R9 =%016llx R10=%016llx R11=%016llx R12=%016llx\n", (unsigned long long)tf->r9,
		(unsigned long long)tf->r10, (unsigned long long)tf->r11, (unsigned long long)tf->r12);
	kprintf("R13=%016llx R14=%016llx R15=%016llx CR3=%016llx\n", (unsigned long long)tf->r13,
		(unsigned long long)tf->r14, (unsigned long long)tf->r15, (unsigned long long)read_cr3());
	kprintf("CS=%04llx SS=%04llx\n", (unsigned long long)tf->cs, (unsigned long long)tf->ss);
	explain_fault(tf);
	trap_backtrace(tf);
	kprintf("halted.\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

static const struct trapframe *irq_frame; /* the interrupt being handled */

uint64_t trap_interrupted_rip(void) { return irq_frame ? irq_frame->rip : 0; }

void trap(struct trapframe *tf);
void trap(struct trapframe *tf)
{
	uint64_t v = tf->vector;

	if (v < IRQ_VECTOR_FIRST)
		exception(tf);
	if (v == IRQ_VECTOR_SPURIOUS)
		return; /* no EOI for a spurious interrupt (SDM vol. 3 §11.9) */
	const struct trapframe *outer = irq_frame;
	irq_frame = tf;
	int acct = acct_open(&acct_cpu.irq);
	if (vectors[v].fn) {
		vectors[v].info.count++;
		completion_enter(); /* a handler may not wait (kernel/poll.c) */
		vectors[v].fn(vectors[v].arg);
		completion_leave();
	}
	if (irq_eoi)
		irq_eoi();
	acct_close(acct);
	irq_frame = outer;
}
