/* traceport.h - the ring trace's own output channel, so the shell on COM1 stays readable. */
#ifndef KERNEL_TRACEPORT_H
#define KERNEL_TRACEPORT_H

/* Where records go: QEMU's debugcon (port 0xe9) if present, else COM2,
 * else the console. Probed once, on first use. */
const char *traceport_name(void);
/* One record line, "rt SEQ " then the formatted text and a newline; SEQ
 * counts records, so a reader can tell that none was lost. Safe anywhere,
 * even in an interrupt handler: the line goes out whole. */
void traceport_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
