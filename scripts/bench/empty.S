/* empty.S - the floor of the boot benchmark: a multiboot 1 guest that does
 * nothing but write 0 to isa-debug-exit (port 0xf4), so QEMU exits at once.
 * Built by scripts/bench/bench.py with `as --32` and `ld -m elf_i386`. */
	.section .text
	.align 4
	.long 0x1BADB002 /* multiboot magic */
	.long 0 /* flags: QEMU loads the ELF segments */
	.long -0x1BADB002 /* checksum */
	.globl _start
_start:
	mov $0xf4, %dx
	xor %eax, %eax
	out %eax, %dx
1:	cli
	hlt
	jmp 1b
