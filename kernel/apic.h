/* apic.h - the interrupt controller: local APIC (EOI, timer, MSI), IOAPIC routing, the 8259 masked. */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H
#include "kernel/trap.h"
#include <stdint.h>

#define APIC_TICK_HZ        100                        /* the periodic tick counted in apic_ticks */
#define APIC_TIMER_VECTOR   0xf0                       /* local APIC timer */
#define ISA_IRQ_VECTOR(irq) (IRQ_VECTOR_FIRST + (irq)) /* 0x20-0x2f: ISA IRQs through the IOAPIC */

/* Masks the 8259s, enables the local APIC, masks every IOAPIC entry, sets
 * the timer counting for its calibration, and turns interrupts on. */
void apic_init(void);
/* Later in the boot: the timer's rate from what it counted since apic_init
 * (the boot's own work is the calibration's window), the periodic tick,
 * and a one-shot 2 ms on (and again from a top-level job once the boot is
 * done) whose interrupt calls poll_irqs_ready(). Until then waits spin on
 * the TSC instead of sleeping in hlt (the job warns if no interrupt
 * comes). */
void apic_timer_start(void);
uint8_t apic_id(void);
extern volatile uint64_t apic_ticks; /* APIC_TICK_HZ per second, since apic_init */
uint64_t apic_timer_hz(void);        /* the local APIC timer's input clock, as calibrated */

/* One-shot deadlines: make the timer interrupt (and poll_kick) at or just
 * after deadline_ns on the now_ns() clock, besides the periodic tick. */
void apic_timer_wake_at(uint64_t deadline_ns);
/* The profiler's clock (kernel/prof.c): fn(rip of what the timer interrupted)
 * every period_ns, from the timer interrupt; period 0 or fn NULL stops it. */
void apic_timer_sample(uint64_t period_ns, void (*fn)(uint64_t rip));
/* Sleeps at least us microseconds, in hlt between interrupts (pollers run). */
void sleep_us(uint64_t us);

/*
 * IOAPIC routing of a GSI (global system interrupt) to a vector on this CPU.
 * How a device's GSI is found:
 * - ISA devices: IRQ n is GSI n unless the MADT overrides it (QEMU: IRQ 0 is
 *   GSI 2; IRQ 5, 9, 10, 11 are level, active high); isa_irq_gsi() applies it.
 * - PCI INTx on QEMU `-M pc` (PIIX): INTA-D go through the four PIRQ links
 *   that the DSDT's _PRT and link devices describe; SeaBIOS points them at
 *   ISA IRQs 10, 11, 5 (and 10/11 again) and writes the choice into each
 *   function's Interrupt Line register (config 0x3c). Without an AML
 *   interpreter the Interrupt Line is the reliable answer: route
 *   isa_irq_gsi(line) level-triggered, active high as QEMU's MADT overrides say.
 * - PCI INTx on `-M q35` (ICH9): PIRQA-H are wired straight to IOAPIC pins
 *   16-23 (GSI 16 + PIRQ), level, active low in ACPI terms; SeaBIOS also
 *   writes that GSI into Interrupt Line. Route it GSI_LEVEL | GSI_LOW.
 * - Better still, use MSI/MSI-X (msi_compose) and skip the IOAPIC.
 */
#define GSI_EDGE  0x0
#define GSI_LEVEL 0x1
#define GSI_HIGH  0x0
#define GSI_LOW   0x2

/* Programs the entry (fixed delivery to this CPU) and leaves it unmasked.
 * -ENODEV if no IOAPIC has that GSI, -EINVAL for a bad vector. */
int ioapic_route(uint32_t gsi, int vector, unsigned mode);
int ioapic_mask(uint32_t gsi);
int ioapic_unmask(uint32_t gsi);
/* The GSI and mode of ISA IRQ irq after MADT overrides; dflt is the mode
 * when the override (or its absence) says "conforms to the bus". */
uint32_t isa_irq_gsi(int irq, unsigned dflt, unsigned *mode);
/* Handler on ISA_IRQ_VECTOR(irq), routed as the MADT says; the vector or -errno. */
int isa_irq_register(int irq, unsigned dflt, irq_handler_t fn, void *arg, const char *owner);
/* The GSI a vector was routed from, or -1 (for the irq command). */
int apic_vector_gsi(int vector, unsigned *mode);

/* PCI MSI / MSI-X message for vector: fixed delivery, edge, physical
 * destination this CPU (Intel SDM vol. 3 §11.11). */
void msi_compose(int vector, uint64_t *addr, uint32_t *data);
#endif
