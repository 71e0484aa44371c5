/* isr.S - the 256 interrupt entry stubs and the common path that saves all state. */
#include "kernel/trap_layout.h"

	.text
/* Vectors where the CPU pushes an error code: 8, 10-14, 17, 21, 29, 30. */
.macro stub n
	.align 16
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	push $0
	.endif
	push $\n
	jmp trap_common
.endm

	.align 16
	.global isr_stubs
isr_stubs:
	.altmacro
.set i, 0
.rept 256
	stub %i
.set i, i + 1
.endr
	.noaltmacro

/*
 * Save the general registers (struct trapframe, kernel/trap.h), then the
 * SSE state with fxsave, since handlers may call code compiled with SSE.
 */
trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	cld
	mov %rsp, %rdi		/* argument: the trapframe */
	mov %rsp, %rbx		/* callee-saved: to restore %rsp */
	sub $512, %rsp
	and $~15, %rsp		/* fxsave needs 16-byte alignment */
	fxsave (%rsp)
	/* A frame record so the backtrace walks from the handler into the
	 * interrupted code: return address = interrupted RIP. */
	push TF_RIP(%rdi)
	push %rbp
	mov %rsp, %rbp
	call trap
	add $16, %rsp
	fxrstor (%rsp)
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp		/* vector and error code */
	iretq
