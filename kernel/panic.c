/* panic.c - kprintf, safe in any context (lib/fmt.c formats, nothing allocates), and panic. */
#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "kernel/trap.h"
#include "lib/fmt.h"
#include <stdarg.h>

int log_quiet;

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
	return n;
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	irq_disable();
	console_sync(); /* what was queued, then this, straight to the UART */
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kprintf("\npanic: %s\n", buf);
	/* start at our caller: its frame, and where it called us from */
	backtrace_from(*(uint64_t *)__builtin_frame_address(0), (uint64_t)__builtin_return_address(0) - 1, 0);
	kprintf("halted.\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
