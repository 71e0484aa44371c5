/* trap_layout.h - offsets into struct trapframe shared by isr.S and trap.c. */
#ifndef KERNEL_TRAP_LAYOUT_H
#define KERNEL_TRAP_LAYOUT_H
#define TF_VECTOR (15 * 8)
#define TF_ERROR  (16 * 8)
#define TF_RIP    (17 * 8)
#endif
