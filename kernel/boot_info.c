/* boot_info.c - read the multiboot 1 or 2 information into struct boot_info. */
#include "kernel/boot_info.h"
#include "boot/multiboot.h"
#include "kernel/log.h"
#include <string.h>

struct boot_info boot_info_data;

static void add_ram(uint64_t base, uint64_t len)
{
	struct boot_info *bi = &boot_info_data;
	if (bi->nram == BOOT_MAX_REGIONS) {
		log_warn("boot: memory map has more than %d regions; ignoring the rest\n", BOOT_MAX_REGIONS);
		return;
	}
	bi->ram[bi->nram++] = (struct mem_region){ base, len };
}

static void copy_cmdline(const char *s) { strncpy(boot_info_data.cmdline, s, BOOT_CMDLINE_MAX - 1); }

static void parse_mb1(const struct mb1_info *mbi)
{
	boot_info_data.loader = "multiboot1";
	if (mbi->flags & (1 << 2)) {
		/* Multiboot 1 loaders (QEMU, GRUB) put the image's path first. */
		const char *s = (const char *)(uintptr_t)mbi->cmdline;
		s += strcspn(s, " ");
		copy_cmdline(s + strspn(s, " "));
	}
	if (!(mbi->flags & (1 << 6))) {
		/* no map: mem_upper is the KiB of RAM above 1 MiB */
		add_ram(0x100000, (uint64_t)mbi->mem_upper * 1024);
		return;
	}
	uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
	while (p + sizeof(struct mb1_mmap_entry) <= end) {
		const struct mb1_mmap_entry *e = (const void *)p;
		if (e->type == 1)
			add_ram(e->addr, e->len);
		p += e->size + sizeof e->size;
	}
}

static void parse_mb2(uintptr_t info)
{
	uint32_t total = *(const uint32_t *)info;
	uintptr_t p = info + 8, end = info + total;

	boot_info_data.loader = "multiboot2";
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *t = (const void *)p;
		if (t->type == MB2_TAG_END || t->size < sizeof *t)
			break;
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			copy_cmdline((const char *)(t + 1));
			break;
		case MB2_TAG_MMAP: {
			uint32_t esize = ((const uint32_t *)(t + 1))[0];
			uintptr_t e = p + 16;
			if (esize < sizeof(struct mb2_mmap_entry))
				break;
			for (; e + esize <= p + t->size; e += esize) {
				const struct mb2_mmap_entry *m = (const void *)e;
				if (m->type == 1)
					add_ram(m->addr, m->len);
			}
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			uint32_t n = t->size - 8;
			if (n > sizeof boot_info_data.rsdp)
				n = sizeof boot_info_data.rsdp;
			/* prefer the ACPI 2.0 RSDP when both are given */
			if (t->type == MB2_TAG_ACPI_NEW || !boot_info_data.rsdp_len) {
				memcpy(boot_info_data.rsdp, t + 1, n);
				boot_info_data.rsdp_len = (int)n;
			}
			break;
		}
		}
		p += (t->size + 7) & ~7u;
	}
}

void boot_info_parse(uint32_t magic, uint32_t info)
{
	if (magic == MB1_BOOT_MAGIC)
		parse_mb1((const struct mb1_info *)(uintptr_t)info);
	else if (magic == MB2_BOOT_MAGIC)
		parse_mb2(info);
	else
		panic("boot: unknown loader magic 0x%x", magic);
}
