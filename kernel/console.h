/* console.h - the 16550 serial console on COM1: all output, and the shell's input. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include <stddef.h>

void console_init(void);
void console_write(const char *s, size_t n); /* \n becomes \r\n */
int console_getc(void);                      /* next input byte, or -1 when none is waiting */
void console_rx_poll(void);                  /* move bytes from the UART into the input buffer */
void console_enable_irq(void);               /* receive by interrupt from now on */
int console_irq_enabled(void);
#endif
