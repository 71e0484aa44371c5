/* boot_phase.h - what each step of the boot took, by TSC: `boot -v` prints it, the bench reads it. */
#ifndef KERNEL_BOOT_PHASE_H
#define KERNEL_BOOT_PHASE_H
#include <stdint.h>

#define BOOT_MAX_PHASES 32

struct boot_phase {
	char name[16];
	uint64_t end_tsc;     /* when the step ended; it started where the one before ended */
	uint64_t console_tsc; /* console_tsc() then: the UART's share is the difference */
};

/* The step that ends now, named (copied, cut to 15 bytes). Ignored once the
 * boot is over: a device reset later goes through the same code. Host tests
 * and fuzz targets keep no record. */
#ifdef HOST_TEST
#define boot_phase(name) ((void)(name))
#else
void boot_phase(const char *name);
#endif
/* The last step ends: returns boot_us, microseconds since the first instruction. */
uint64_t boot_ready(void);
/* After boot_ready: everything queued during the boot has reached the UART. */
void boot_console_drained(void);

struct boot_record {
	const struct boot_phase *phases;
	int nphases;
	uint64_t ready_tsc, drained_tsc; /* 0 until then */
	uint64_t console_bytes;          /* queued for the console up to the ready line */
};
void boot_record(struct boot_record *r);
#endif
