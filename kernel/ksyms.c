/* ksyms.c - look up the function names the build embedded (scripts/ksyms.sh). */
#include "kernel/ksyms.h"
#include <string.h>

/* Generated: addresses sorted ascending, each with an offset into the names. */
struct ksym {
	uint64_t addr;
	uint32_t name;
	uint32_t size;
};
extern const struct ksym ksyms[];
extern const uint64_t ksyms_count;
extern const char ksyms_names[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	extern char __text_start[], __text_end[];
	uint64_t lo = 0, hi = ksyms_count;

	if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end)
		return NULL; /* not code: no function's name fits */
	while (lo < hi) {    /* the last symbol at or below addr */
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym *s = &ksyms[lo - 1];
	if (s->size && addr - s->addr >= s->size)
		return NULL;
	*offset = addr - s->addr;
	return ksyms_names + s->name;
}

uint64_t ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (!strcmp(ksyms_names + ksyms[i].name, name))
			return ksyms[i].addr;
	return 0;
}
