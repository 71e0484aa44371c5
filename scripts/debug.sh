#!/bin/sh
# debug.sh - start QEMU halted with the gdbstub and attach gdb, stopped at kmain.
# Usage: scripts/debug.sh [qemu.sh options]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
port=${GDB_PORT:-1234}
log="$here/build/debug-serial.log"
"$here/scripts/qemu.sh" --gdb "$port" "$@" </dev/null >"$log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
echo "debug.sh: QEMU pid $qemu, serial output in $log (tail -f it in another terminal)"
gdb -q -x "$here/scripts/gdb/init.gdb" -ex "target remote :$port" -ex "hbreak kmain" -ex continue \
	"$here/build/ringside.elf"
