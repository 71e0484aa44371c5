#!/bin/sh
# debug.sh - QEMU halted with the gdbstub, gdb attached and stopped at kmain, and a console to type into.
# Usage: scripts/debug.sh [qemu.sh options]
#
# The serial console (COM1) is a pty: its name is printed, for `screen PTY 115200` in another
# terminal; inside tmux it opens in a pane of its own. Everything it prints also goes to
# build/debug-serial.log. So a shell command can make a breakpoint fire while gdb holds the kernel.
# GDB_PORT picks the gdbstub's port (1234); NO_TMUX=1 keeps to one pane inside tmux.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
port=${GDB_PORT:-1234}
log="$here/build/debug-serial.log"
qlog="$here/build/debug-qemu.log"
: >"$qlog"
"$here/scripts/qemu.sh" --gdb "$port" --console-pty "$log" "$@" </dev/null >"$qlog" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT

# QEMU names the pty on its standard error: "char device redirected to /dev/pts/N (label console)".
pty=""
for _ in $(seq 100); do
	pty=$(sed -n 's/^char device redirected to \(\/dev\/[^ ]*\) (label console).*/\1/p' "$qlog")
	[ -n "$pty" ] && break
	kill -0 $qemu 2>/dev/null || { cat "$qlog" >&2; exit 1; }
	sleep 0.1
done
[ -n "$pty" ] || { echo "debug.sh: QEMU named no pty for the console" >&2; cat "$qlog" >&2; exit 1; }

echo "debug.sh: QEMU pid $qemu; serial console on $pty (log: $log)"
if [ -n "${TMUX:-}" ] && [ -z "${NO_TMUX:-}" ] && command -v screen >/dev/null; then
	tmux split-window -h "screen $pty 115200"
	echo "debug.sh: the console is in the tmux pane beside this one"
else
	echo "debug.sh: type into the console from another terminal: screen $pty 115200  (Ctrl-A k leaves screen)"
fi
gdb -q -x "$here/scripts/gdb/init.gdb" -ex "target remote :$port" -ex "hbreak kmain" -ex continue \
	"$here/build/ringside.elf"
