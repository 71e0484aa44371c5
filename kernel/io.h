/* io.h - port I/O, MMIO accessors, barriers and a few privileged instructions. */
#ifndef KERNEL_IO_H
#define KERNEL_IO_H
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* MMIO: volatile accesses of exactly the named width. */
static inline uint8_t mmio_read8(const volatile void *p) { return *(const volatile uint8_t *)p; }
static inline uint16_t mmio_read16(const volatile void *p) { return *(const volatile uint16_t *)p; }
static inline uint32_t mmio_read32(const volatile void *p) { return *(const volatile uint32_t *)p; }
static inline uint64_t mmio_read64(const volatile void *p) { return *(const volatile uint64_t *)p; }
static inline void mmio_write8(volatile void *p, uint8_t v) { *(volatile uint8_t *)p = v; }
static inline void mmio_write16(volatile void *p, uint16_t v) { *(volatile uint16_t *)p = v; }
static inline void mmio_write32(volatile void *p, uint32_t v) { *(volatile uint32_t *)p = v; }
static inline void mmio_write64(volatile void *p, uint64_t v) { *(volatile uint64_t *)p = v; }

/* An access of width 1, 2, 4 or 8 bytes; 8 is done as two 32-bit halves,
 * low first, which both PCI config space and virtio config space accept. */
static inline uint64_t mmio_read_width(const volatile void *p, int width)
{
	switch (width) {
	case 1:
		return mmio_read8(p);
	case 2:
		return mmio_read16(p);
	case 4:
		return mmio_read32(p);
	default:
		return mmio_read32(p) | (uint64_t)mmio_read32((const volatile uint8_t *)p + 4) << 32;
	}
}

static inline void mmio_write_width(volatile void *p, int width, uint64_t v)
{
	switch (width) {
	case 1:
		mmio_write8(p, (uint8_t)v);
		break;
	case 2:
		mmio_write16(p, (uint16_t)v);
		break;
	case 4:
		mmio_write32(p, (uint32_t)v);
		break;
	default:
		mmio_write32(p, (uint32_t)v);
		mmio_write32((volatile uint8_t *)p + 4, (uint32_t)(v >> 32));
	}
}

/*
 * Barriers. x86 keeps stores in order with stores and loads with loads, so
 * ordering memory shared with a device needs only the compiler barrier;
 * a store followed by a load of another location needs mfence.
 */
#define barrier() __asm__ volatile("" ::: "memory")
#define dma_wmb() barrier()
#define dma_rmb() barrier()
#define dma_mb()  __asm__ volatile("mfence" ::: "memory")

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
#ifdef HOST_TEST /* host tests: one thread, no interrupts to mask or to wait for */
static inline void irq_enable(void) {}
static inline void irq_disable(void) {}
static inline uint64_t irq_save(void) { return 0; }
static inline void cpu_wait_for_irq(void) {}
#else
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

static inline uint64_t irq_save(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/* With interrupts off: enable them and halt. sti takes effect only after
 * the next instruction, so an interrupt already pending wakes the hlt
 * instead of slipping in before it. */
static inline void cpu_wait_for_irq(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
#endif

static inline void irq_restore(uint64_t flags)
{
	if (flags & (1 << 9))
		irq_enable();
}

#endif
