/* traceport.c - the ring trace's channel: QEMU debugcon at port 0xe9, or COM2, or the console. */
#include "kernel/traceport.h"
#include "kernel/console.h"
#include "kernel/io.h"
#include "lib/fmt.h"
#include <stdarg.h>
#include <stdio.h>

#define DEBUGCON 0xe9  /* QEMU isa-debugcon: a byte out is a byte in its chardev */
#define COM2     0x2f8 /* the second 16550 (the first is the console, kernel/console.c) */

enum chan { CHAN_UNPROBED, CHAN_DEBUGCON, CHAN_COM2, CHAN_CONSOLE };
static enum chan chan;
static unsigned seq;

/* Reading the debugcon port gives its readback value (0xe9 in QEMU); with
 * no device there the read floats to 0xff. A 16550 keeps what is written to
 * its scratch register (offset 7); an empty port does not. */
static enum chan probe(void)
{
	if (inb(DEBUGCON) == DEBUGCON)
		return CHAN_DEBUGCON;
	outb(COM2 + 7, 0x5a);
	if (inb(COM2 + 7) != 0x5a)
		return CHAN_CONSOLE;
	outb(COM2 + 1, 0);    /* no interrupts */
	outb(COM2 + 3, 0x80); /* DLAB on: divisor 1, 115200 baud */
	outb(COM2 + 0, 1);
	outb(COM2 + 1, 0);
	outb(COM2 + 3, 0x03); /* 8N1 */
	outb(COM2 + 2, 0xc7); /* FIFOs on and cleared */
	return CHAN_COM2;
}

const char *traceport_name(void)
{
	static const char *const names[] = { "?", "debugcon (port 0xe9)", "COM2 (port 0x2f8)", "console" };
	if (chan == CHAN_UNPROBED)
		chan = probe();
	return names[chan];
}

static void out(const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		if (chan == CHAN_DEBUGCON) {
			outb(DEBUGCON, (uint8_t)s[i]);
			continue;
		}
		while (!(inb(COM2 + 5) & 0x20)) /* line status: transmitter empty */
			cpu_relax();
		outb(COM2, (uint8_t)s[i]);
	}
}

void traceport_printf(const char *fmt, ...)
{
	char line[224];
	uint64_t flags = irq_save(); /* one record whole, and numbered in the order it goes out */
	if (chan == CHAN_UNPROBED)
		chan = probe();
	int n = ksnprintf(line, sizeof line, "rt %u ", seq++);
	va_list ap;
	va_start(ap, fmt);
	n += kvsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (chan == CHAN_CONSOLE)
		console_write(line, (size_t)n);
	else
		out(line, n);
	irq_restore(flags);
}
