/* cpu.c - GDT, TSS and IDT for one CPU in long mode. */
#include "kernel/cpu.h"
#include "kernel/mm.h"
#include <string.h>

/* Intel SDM vol. 3 §7.7: the 64-bit task state segment. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "SDM vol. 3 §7.7");

/* Intel SDM vol. 3 §6.14.1: a 64-bit interrupt gate. */
struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM vol. 3 §6.14.1");

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3
#define IST_SIZE          8192
#define STUB_SIZE         16 /* isr.S aligns each stub to 16 bytes */

static uint64_t gdt[5];
static struct tss tss;
static struct idt_gate idt[256];
/* Each IST stack has a guard page below it that kernel/paging.c leaves
 * unmapped. Not cleared at boot: a stack is written before it is read. */
static NOINIT struct {
	uint8_t guard[4096];
	uint8_t stack[IST_SIZE];
} ist_stacks[3] __attribute__((aligned(4096)));
extern char isr_stubs[];
extern char boot_stack_top[];

static void set_gate(int vec, int ist)
{
	uint64_t addr = (uint64_t)(isr_stubs + vec * STUB_SIZE);
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)addr,
		.selector = GDT_KERNEL_CODE,
		.ist = (uint8_t)ist,
		.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

void cpu_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* kernel code: long mode, present, DPL 0 */
	gdt[2] = 0x00cf92000000ffffull; /* kernel data */
	/* a 16-byte system descriptor: available 64-bit TSS */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[4] = base >> 32;

	memset(&tss, 0, sizeof tss);
	tss.rsp[0] = (uint64_t)boot_stack_top;
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)&ist_stacks[0].stack[IST_SIZE];
	tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1].stack[IST_SIZE];
	tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)&ist_stacks[2].stack[IST_SIZE];
	tss.iomap_base = sizeof tss; /* no I/O permission bitmap */

	struct desc_ptr gp = { sizeof gdt - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(gp), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");

	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(2, IST_NMI);
	set_gate(8, IST_DOUBLE_FAULT);
	set_gate(18, IST_MACHINE_CHECK);
	struct desc_ptr ip = { sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ip));
}

int cpu_on_kernel_stack(uint64_t addr)
{
	extern char boot_stack[];
	if (addr >= (uint64_t)boot_stack && addr < (uint64_t)boot_stack_top)
		return 1;
	for (int i = 0; i < 3; i++)
		if (addr >= (uint64_t)ist_stacks[i].stack && addr < (uint64_t)&ist_stacks[i].stack[IST_SIZE])
			return 1;
	return 0;
}

const char *cpu_stack_guard(uint64_t addr)
{
	static const char *const names[3] = { "the double-fault stack", "the NMI stack",
					      "the machine-check stack" };
	extern char boot_stack_guard[];
	if (addr >= (uint64_t)boot_stack_guard && addr < (uint64_t)boot_stack_guard + 4096)
		return "the kernel stack";
	for (int i = 0; i < 3; i++)
		if (addr >= (uint64_t)ist_stacks[i].guard && addr < (uint64_t)ist_stacks[i].guard + 4096)
			return names[i];
	return NULL;
}
