/* console.h - the 16550 serial console on COM1: all output, and the shell's input. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(void);
/* Queue output (\n becomes \r\n); it reaches the UART in order, from the
 * main loop, or at once after console_sync. Safe in any context. */
void console_write(const char *s, size_t n);
void console_flush(void); /* everything queued to the UART now */
void console_sync(void);  /* flush, and write through from now on (panic, exception, power-off) */
bool console_pending(void);
uint64_t console_tsc(void);    /* TSC ticks spent writing to the UART so far */
uint64_t console_bytes(void);  /* bytes queued so far (with the \r of each \n) */
int console_getc(void);        /* next input byte, or -1 when none is waiting */
void console_rx_poll(void);    /* move bytes from the UART into the input buffer */
void console_enable_irq(void); /* receive by interrupt from now on; drain output from the main loop */
int console_irq_enabled(void);
#endif
