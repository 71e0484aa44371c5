/* console.c - 16550 UART on COM1 (0x3f8), 115200 8N1, with a receive ring. */
#include "kernel/console.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/poll.h"

#define COM1           0x3f8
/* 16550 registers, as offsets from the base port */
#define UART_DATA      0
#define UART_IER       1 /* interrupt enable (DLAB=0) */
#define UART_FCR       2 /* FIFO control */
#define UART_LCR       3 /* line control; bit 7 is DLAB */
#define UART_MCR       4 /* modem control; OUT2 gates the IRQ line */
#define UART_LSR       5 /* line status */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

static char rx_buf[256];
static volatile unsigned rx_head, rx_tail; /* free-running; the mask indexes */
static int irq_mode;

void console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80); /* DLAB on: the next two are the divisor */
	outb(COM1 + UART_DATA, 1);   /* 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1, DLAB off */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on and cleared, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 */
}

static void putc_raw(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* With interrupts off, so a line printed by an interrupt handler (the ring
 * trace) comes whole, between lines, never in the middle of one. */
void console_write(const char *s, size_t n)
{
	uint64_t flags = irq_save();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
	irq_restore(flags);
}

void console_rx_poll(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);
		if (rx_head - rx_tail < sizeof rx_buf) /* a full ring drops the byte */
			rx_buf[rx_head++ % sizeof rx_buf] = c;
	}
}

int console_getc(void)
{
	uint64_t flags = irq_save();
	if (!irq_mode)
		console_rx_poll();
	int c = -1;
	if (rx_tail != rx_head)
		c = (unsigned char)rx_buf[rx_tail++ % sizeof rx_buf];
	irq_restore(flags);
	return c;
}

#define COM1_IRQ 4 /* ISA IRQ of COM1 */

/* Received data: move it to the ring; the shell's poller takes it from there. */
static void console_irq(void *arg)
{
	(void)arg;
	console_rx_poll();
	poll_kick();
}

void console_enable_irq(void)
{
	int v = isa_irq_register(COM1_IRQ, GSI_EDGE | GSI_HIGH, console_irq, NULL, "serial");
	if (v < 0) {
		log_warn("console: IRQ %d cannot be routed (%d); polling the UART\n", COM1_IRQ, v);
		return;
	}
	uint64_t flags = irq_save();
	irq_mode = 1;
	outb(COM1 + UART_IER, 0x01); /* received data available */
	console_rx_poll();           /* bytes that came before the interrupt was on */
	irq_restore(flags);
}

int console_irq_enabled(void) { return irq_mode; }
