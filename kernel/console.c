/* console.c - 16550 UART on COM1 (0x3f8), 115200 8N1: output through a buffer, input through a ring. */
#include "kernel/console.h"
#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/mm.h"
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
#define UART_FIFO      16 /* bytes the transmit FIFO takes once THR_EMPTY says it is empty */

static char rx_buf[256];
static volatile unsigned rx_head, rx_tail; /* free-running; the mask indexes */
static int irq_mode;

/*
 * Output. A write goes into tx_buf and returns; the UART is fed from it by
 * the main loop's poller (console_poll), before a top-level job starts, and
 * before the CPU sleeps. Under QEMU each byte to the UART is an exit and a
 * write on the host (several microseconds under TCG), so boot and the shell
 * do not wait for it. Everything comes out, in the order it was written:
 * one ring, one reader. A full ring is drained on the spot; a panic, an
 * exception dump or a power-off drains it and writes through from then on
 * (console_sync), with interrupts off or not.
 */
#define TX_SIZE   65536u
#define TX_BUDGET 256               /* bytes per turn of the main loop */
static char tx_buf[TX_SIZE] NOINIT; /* bytes between tx_tail and tx_head only */
static uint64_t tx_head, tx_tail;   /* free-running; written with interrupts off */
static bool tx_sync;
static uint64_t tx_tsc; /* TSC ticks spent feeding the UART */

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

/* Up to max bytes from tx_buf to the UART, a FIFO's worth per wait for THR
 * empty. Interrupts off. Returns how many went out. */
static unsigned uart_feed(unsigned max)
{
	unsigned n = 0;
	uint64_t t0 = rdtsc();
	while (n < max && tx_tail != tx_head) {
		while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
			cpu_relax();
		for (unsigned i = 0; i < UART_FIFO && n < max && tx_tail != tx_head; i++, n++)
			outb(COM1 + UART_DATA, (uint8_t)tx_buf[tx_tail++ % TX_SIZE]);
	}
	tx_tsc += rdtsc() - t0;
	return n;
}

static void put(char c)
{
	if (tx_head - tx_tail == TX_SIZE)
		uart_feed(UART_FIFO * 4); /* full: make room now */
	tx_buf[tx_head++ % TX_SIZE] = c;
}

/* With interrupts off, so a line printed by an interrupt handler (the ring
 * trace) comes whole, between lines, never in the middle of one. */
void console_write(const char *s, size_t n)
{
	uint64_t flags = irq_save();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
	if (tx_sync)
		uart_feed(~0u);
	irq_restore(flags);
}

void console_flush(void)
{
	uint64_t flags = irq_save();
	uart_feed(~0u);
	irq_restore(flags);
}

void console_sync(void)
{
	uint64_t flags = irq_save();
	tx_sync = true;
	uart_feed(~0u);
	irq_restore(flags);
}

static int console_poll(void *arg)
{
	(void)arg;
	if (tx_tail == tx_head)
		return 0;
	unsigned n = 0;
	while (n < TX_BUDGET && tx_tail != tx_head) { /* interrupts on between FIFOs */
		uint64_t flags = irq_save();
		n += uart_feed(UART_FIFO);
		irq_restore(flags);
	}
	return 1;
}

bool console_pending(void) { return tx_tail != tx_head; }
uint64_t console_tsc(void) { return tx_tsc; }
uint64_t console_bytes(void) { return tx_head; }

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
	poll_register(console_poll, NULL, "console");
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
