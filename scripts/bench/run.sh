#!/bin/bash
# run.sh - ringside against a Linux guest on the same QEMU (`make bench`).
#
# Usage: scripts/bench/run.sh [--reps N] [--quick] [bench.py options]
#   REPS=N and QUICK=1 in the environment do the same as --reps N and --quick.
#   --help lists every option of scripts/bench/bench.py.
#
# Builds what is missing (ringside, the Linux guest), then runs every
# workload on both guests, one guest at a time, and writes docs/PERFORMANCE.md
# and its plots from this run. Full run: about 15 minutes under TCG, the Linux
# guest built from scratch included (about 20 s of it); QUICK=1: about 3. The
# network parts (net, netscan, iommu) need root: a network namespace with a tap.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
args=()
[ -n "${REPS:-}" ] && args+=(--reps "$REPS")
[ "${QUICK:-0}" = 1 ] && args+=(--quick)
for a in "$@"; do
	case "$a" in
	-h | --help) exec "$PYTHON" "$here/scripts/bench/bench.py" --help ;;
	esac
done
exec "$PYTHON" "$here/scripts/bench/bench.py" "${args[@]}" "$@"
