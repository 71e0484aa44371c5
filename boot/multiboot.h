/* multiboot.h - multiboot 1 and 2 constants and the structures kernel/boot_info.c reads. */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#define MB1_MAGIC      0x1badb002
#define MB1_BOOT_MAGIC 0x2badb002 /* in %eax at entry */
/* page-align modules, memory info, a.out kludge (load addresses in header) */
#define MB1_FLAGS      ((1 << 0) | (1 << 1) | (1 << 16))

#define MB2_MAGIC        0xe85250d6
#define MB2_BOOT_MAGIC   0x36d76289
#define MB2_TAG_END      0
#define MB2_TAG_CMDLINE  1
#define MB2_TAG_MMAP     6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Multiboot 1 specification §3.3: the boot information structure. */
struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline; /* flags bit 2 */
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr; /* flags bit 6 */
} __attribute__((packed));

struct mb1_mmap_entry {
	uint32_t size; /* of the rest of the entry, not counting this field */
	uint64_t addr, len;
	uint32_t type; /* 1: available RAM */
} __attribute__((packed));

/* Multiboot 2 specification §3.6: a fixed header, then 8-byte aligned tags. */
struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type, reserved;
};
#endif
#endif
