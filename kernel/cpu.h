/* cpu.h - the GDT, TSS (with IST stacks for double fault and NMI) and IDT. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H
#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS         0x18

void cpu_init(void); /* GDT, TSS, IDT loaded; interrupts still off */

/* Stack bounds, for the backtrace to know a frame pointer when it sees one. */
int cpu_on_kernel_stack(uint64_t addr);
/* Which stack's guard page addr is in (the page below it, never mapped), or NULL. */
const char *cpu_stack_guard(uint64_t addr);
#endif
