/* paging.c - the kernel's protection (no page 0, stack guards, W^X) and device memory above 4 GiB. */
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include <string.h>

#define PTE_P       0x1ull
#define PTE_W       0x2ull
#define PTE_PWT     0x8ull
#define PTE_PCD     0x10ull
#define PTE_PS      0x80ull
#define PTE_NX      (1ull << 63)
#define PTE_ADDR    0x000ffffffffff000ull
#define HUGE        (2ull << 20)
#define BOOT_MAPPED (4ull << 30)
#define PHYS_LIMIT  (1ull << 46) /* leave room below the 48-bit canonical hole */

#define EFER_MSR 0xc0000080u
#define EFER_NXE (1ull << 11)
#define CR0_WP   (1ull << 16)

extern uint64_t boot_pml4[512], boot_pd[2048];
extern char __text_start[], __text_end[], __rodata_end[], __image_end[];

static uint64_t nx;      /* PTE_NX once EFER.NXE is on */
static uint64_t *low_pt; /* the 4 KiB entries of the first 2 MiB: page 0 is its entry 0 */

static void flush_tlb(void)
{
	uint64_t cr3;
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

/* What a 4 KiB page of the kernel's low memory may be used for. */
static uint64_t low_entry(uint64_t a)
{
	if (a == 0 || cpu_stack_guard(a))
		return 0; /* NULL, and the page below each stack: not present, so a touch faults */
	if (a >= (uint64_t)__text_start && a < (uint64_t)__text_end)
		return a | PTE_P; /* code: read-only, executable */
	if (a >= (uint64_t)__text_end && a < (uint64_t)__rodata_end)
		return a | PTE_P | nx; /* read-only data and the symbol table */
	return a | PTE_P | PTE_W | nx;
}

/*
 * The boot map (boot/boot.S) is 2 MiB pages, all writable and executable,
 * page 0 included. This replaces the part that holds the kernel with 4 KiB
 * pages: page 0 and the stack guards not present, code read-only, data not
 * executable; every other page of the first 4 GiB becomes not executable,
 * and CR0.WP makes read-only hold for the kernel itself.
 */
void paging_protect(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		if (r[3] & (1u << 20)) { /* EDX.NX */
			wrmsr(EFER_MSR, rdmsr(EFER_MSR) | EFER_NXE);
			nx = PTE_NX;
		}
	}
	uint64_t span = ((uint64_t)__image_end + HUGE - 1) & ~(HUGE - 1);
	for (uint64_t base = 0; base < span; base += HUGE) {
		uint64_t *pt = page_alloc(1, 1);
		if (!pt)
			panic("paging: no page for a page table");
		for (int i = 0; i < 512; i++)
			pt[i] = low_entry(base + (uint64_t)i * PAGE_SIZE);
		if (base == 0)
			low_pt = pt;
		boot_pd[base / HUGE] = virt_to_phys(pt) | PTE_P | PTE_W; /* leaves say the rest */
	}
	for (uint64_t i = span / HUGE; i < 2048; i++)
		boot_pd[i] |= nx;
	uint64_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP) : "memory");
	flush_tlb();
	log_info("paging: page 0 unmapped, stack guard pages, code read-only, data %s\n",
		 nx ? "not executable" : "executable (the CPU has no NX)");
}

/* The BIOS data area is in page 0: read it through a moment's mapping. */
void low_memory_read(uint64_t phys, void *dst, size_t len)
{
	if (!low_pt || phys >= PAGE_SIZE) {
		memcpy(dst, (const void *)(uintptr_t)phys, len);
		return;
	}
	uint64_t flags = irq_save();
	low_pt[0] = PTE_P | nx;
	__asm__ volatile("invlpg (%0)" : : "r"(0ul) : "memory");
	memcpy(dst, (const void *)(uintptr_t)phys, len);
	low_pt[0] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(0ul) : "memory");
	irq_restore(flags);
}

/* The next-level table behind *e, made (zeroed) if absent. */
static uint64_t *next_table(uint64_t *e)
{
	if (!(*e & PTE_P)) {
		void *t = page_alloc(1, 1);
		if (!t)
			return NULL;
		*e = virt_to_phys(t) | PTE_P | PTE_W;
	}
	return (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
}

void *mmio_map(uint64_t phys, uint64_t len)
{
	if (!len || phys + len < phys || phys + len > PHYS_LIMIT)
		return NULL;
	if (phys + len <= BOOT_MAPPED)
		return (void *)(uintptr_t)phys;
	for (uint64_t a = phys & ~(HUGE - 1); a < phys + len; a += HUGE) {
		if (a < BOOT_MAPPED)
			continue;
		uint64_t *pdpt = next_table(&boot_pml4[(a >> 39) & 511]);
		uint64_t *pd = pdpt ? next_table(&pdpt[(a >> 30) & 511]) : NULL;
		if (!pd)
			return NULL;
		uint64_t *e = &pd[(a >> 21) & 511];
		if (!(*e & PTE_P))
			*e = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT | nx; /* uncached */
	}
	/* Only new entries were written, none changed: no TLB entry is stale. */
	return (void *)(uintptr_t)phys;
}
