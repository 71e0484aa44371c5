/* ksyms.h - the symbol table embedded in the image, for backtraces. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H
#include <stdint.h>

/* The function containing addr and the offset into it; NULL if none. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* The address of a function by name, 0 if none. */
uint64_t ksym_address(const char *name);
#endif
