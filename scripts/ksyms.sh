#!/bin/sh
# ksyms.sh - turn `nm` output of the first link into the embedded symbol table.
# Usage: scripts/ksyms.sh NM_OUTPUT (from nm -n -S --defined-only) > ksyms.S  (NM_OUTPUT may be empty)
# Only functions (t/T) go in: they sit before .ksyms in the image, so the
# second link, with a bigger table, leaves every one at the same address.
set -eu
LC_ALL=C awk '
	BEGIN { n = 0 }
	NF == 4 && $3 ~ /^[tTwW]$/ { addr[n] = $1; size[n] = $2; name[n] = $4; n++ }
	NF == 3 && $2 ~ /^[tTwW]$/ { addr[n] = $1; size[n] = "0"; name[n] = $3; n++ }
	END {
		print "\t.section .ksyms, \"a\""
		print "\t.global ksyms, ksyms_count, ksyms_names"
		print "\t.align 8"
		print "ksyms_count:\t.quad " n + 0
		print "ksyms:"
		off = 0
		for (i = 0; i < n; i++) {
			printf "\t.quad 0x%s\n\t.long %d, 0x%s\n", addr[i], off, size[i]
			off += length(name[i]) + 1
		}
		print "ksyms_names:"
		for (i = 0; i < n; i++)
			printf "\t.asciz \"%s\"\n", name[i]
	}
' "$1"
