/* mptable.h - the MP table (MP spec 1.4): CPUs, IOAPICs and ISA wiring where there are no ACPI tables. */
#ifndef KERNEL_MPTABLE_H
#define KERNEL_MPTABLE_H
#include <stddef.h>
#include <stdint.h>

/* Looks where §4 says (the EBDA's first KiB, the last KiB of base memory,
 * the BIOS ROM) and fills `acpi` as the MADT would; 0 or a negative errno. */
int mptable_init(void);
/* The floating pointer on a 16-byte boundary in [start, start+len), checksum
 * verified; NULL if there is none. */
const void *mptable_scan(const void *start, size_t len);
/* Parses the configuration table the pointer leads to (reached through map,
 * acpi_map_phys in the kernel) into acpi. 0 or -EINVAL. */
int mptable_parse(const void *mpf, const void *(*map)(uint64_t phys, uint64_t len));
#endif
