/* power.c - orderly exit: flush the disks, then isa-debug-exit or ACPI S5. */
#include "kernel/power.h"
#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/log.h"
#include "lib/errname.h"

#define MAX_FLUSH       16
#define DEBUG_EXIT_PORT 0xf4 /* QEMU isa-debug-exit: exit status (v << 1) | 1 */

static struct {
	int (*fn)(void *);
	void *arg;
} flushers[MAX_FLUSH];
static int nflush;
void (*acpi_poweroff_hook)(void);

void power_register_flush(int (*fn)(void *arg), void *arg)
{
	if (nflush == MAX_FLUSH)
		panic("power: more than %d flush hooks", MAX_FLUSH);
	flushers[nflush].fn = fn;
	flushers[nflush].arg = arg;
	nflush++;
}

int power_flush_all(void)
{
	int first = 0;
	for (int i = 0; i < nflush; i++) {
		int r = flushers[i].fn(flushers[i].arg);
		if (r && !first)
			first = r;
	}
	return first;
}

void power_off(int code)
{
	int r = power_flush_all();
	if (r) /* each flush hook names what failed */
		log_err("poweroff: %s: a disk did not flush; powering off anyway\n", errno_name(r));
	log_info("ringside: power off (%d)\n", code);
	console_sync(); /* every line out before QEMU exits */
	outb(DEBUG_EXIT_PORT, (uint8_t)code);
	/* Still here: no isa-debug-exit device. */
	if (acpi_poweroff_hook)
		acpi_poweroff_hook();
	log_info("ringside: halted (no way to power off)\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
