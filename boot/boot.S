/* boot.S - multiboot 1 and 2 headers, 32-bit entry, page tables, long mode. */
#include "boot/multiboot.h"

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define BOOT_STACK_SIZE 65536

	.section .multiboot, "a"
/*
 * Multiboot 1 (QEMU -kernel). QEMU refuses a 64-bit ELF unless bit 16 is set
 * and the header carries the load addresses itself (the "a.out kludge").
 */
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header	/* header_addr */
	.long __image_start	/* load_addr */
	.long __load_end	/* load_end_addr */
	.long __bss_end		/* bss_end_addr */
	.long _start		/* entry_addr */

/* Multiboot 2 (GRUB from the ISO): the ELF gives the load addresses. */
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0			/* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	/* information request: command line, memory map, both RSDP tags */
	.align 8
	.short 1, 0
	.long 24
	.long MB2_TAG_CMDLINE, MB2_TAG_MMAP, MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW
	/* end tag */
	.align 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.global _start
_start:
	/* First instruction of the kernel: boot_us counts from here. */
	mov %eax, boot_magic	/* .data: survives clearing .bss */
	mov %ebx, boot_info
	rdtsc
	mov %eax, boot_tsc
	mov %edx, boot_tsc + 4

	/* Clear .bss (the boot page tables are in it): GRUB and QEMU
	 * both zero it, but do not rely on that. Both ends are page aligned
	 * (linker.ld): 4 bytes a step, where TCG runs each step of a rep on
	 * its own. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	cld
	rep stosl
	mov $boot_stack_top, %esp

	/* Long mode present? (CPUID 0x80000001 EDX bit 29) */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode

	/*
	 * Page tables: one PML4 entry, one PDPT with four page directories of
	 * 2 MiB pages, an identity map of the first 4 GiB. That covers RAM and
	 * the 32-bit PCI windows (MMIO, ECAM, LAPIC, IOAPIC); kernel/paging.c
	 * maps anything above 4 GiB on demand.
	 */
	mov $boot_pdpt, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 1b
	xor %ecx, %ecx		/* 2048 entries of 2 MiB */
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %eax, boot_pd(, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax		/* bits 32+ of the physical address */
	mov %eax, boot_pd + 4(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $EFER_MSR, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	and $~CR0_EM, %eax	/* SSE on: newlib is compiled with it */
	or $(CR0_PG | CR0_PE | CR0_MP), %eax
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $8, $long_mode

no_long_mode:
	mov $msg_no_lm, %esi
	mov $0x3f8, %dx
3:	lodsb
	test %al, %al
	jz 4f
	out %al, %dx
	jmp 3b
4:	cli
	hlt
	jmp 4b

	.code64
long_mode:
	mov $16, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	mov $boot_stack_top, %rsp
	xor %rbp, %rbp		/* the backtrace stops here */
	mov boot_magic(%rip), %edi
	mov boot_info(%rip), %esi
	call kmain
5:	cli
	hlt
	jmp 5b

	.section .rodata
msg_no_lm:
	.asciz "ringside: this CPU has no long mode\r\n"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 64-bit code */
	.quad 0x00cf92000000ffff	/* data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

	.section .data
	.global boot_tsc, boot_magic, boot_info
	.align 8
boot_tsc:	.quad 0
boot_magic:	.long 0
boot_info:	.long 0

	.section .bss
	.align 4096
	.global boot_pml4, boot_pdpt, boot_pd
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096

	/* Not cleared (linker.ld's .noinit): a stack is written before it is read. */
	.section .bss.noinit, "aw", @nobits
	.global boot_stack, boot_stack_top
	.balign 4096
	.global boot_stack_guard
boot_stack_guard:	.skip 4096	/* never mapped (kernel/paging.c): an overflow faults */
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:
