/* boot_info.h - what the loader handed over, copied out of its structures. */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H
#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_CMDLINE_MAX 512

struct mem_region {
	uint64_t base, len;
};

struct boot_info {
	const char *loader; /* "multiboot1" or "multiboot2" */
	char cmdline[BOOT_CMDLINE_MAX];
	struct mem_region ram[BOOT_MAX_REGIONS]; /* usable RAM only */
	int nram;
	uint8_t rsdp[36]; /* ACPI RSDP from a multiboot2 tag; rsdp_len 0 if none */
	int rsdp_len;
};

extern struct boot_info boot_info_data;
extern uint64_t boot_tsc; /* TSC at the kernel's first instruction (boot/boot.S) */
void boot_info_parse(uint32_t magic, uint32_t info);
#endif
