/* power.h - flush every disk, then leave QEMU (isa-debug-exit) or power off (ACPI). */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

/* Disk drivers register a flush; power_off runs them all first. */
void power_register_flush(int (*fn)(void *arg), void *arg);
int power_flush_all(void); /* 0, or the first error */
__attribute__((noreturn)) void power_off(int code);
/* Set by kernel/acpi.c when it finds how to enter S5. */
extern void (*acpi_poweroff_hook)(void);
#endif
