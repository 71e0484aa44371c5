#!/bin/bash
# qemu.sh - the one place that holds ringside's QEMU command line.
#
# Usage: scripts/qemu.sh [options] [-- extra QEMU arguments]
#   --accel auto|kvm|tcg   KVM only when the CPU has vmx/svm and /dev/kvm opens (auto)
#   --machine q35|pc|microvm|...  machine type (q35); extra properties after a comma.
#                          On microvm the virtio devices are virtio-mmio (-device
#                          virtio-X-device) instead of PCI, and there is no CD-ROM.
#   --mmio modern|legacy   virtio-mmio version 2 (modern, default) or QEMU's own default,
#                          version 1 (legacy: no -global virtio-mmio.force-legacy=false)
#   --kernel FILE          boot FILE with -kernel, multiboot 1 (build/ringside.elf)
#   --iso FILE             boot FILE (GRUB, multiboot 2) from -cdrom instead
#   --append "K=V ..."     kernel command line (with --kernel)
#   --disk FILE[,PROPS]    a virtio-blk disk (raw); repeatable; PROPS go to the device
#   --net user|none|ARGS   virtio-net on user networking (default), none, or a -netdev spec
#   --net-props PROPS      extra virtio-net properties
#   --mem SIZE             guest RAM (256M)
#   --gdb [PORT]           gdbstub on tcp::PORT (1234), CPU halted at the start
#   --qmp PATH             QMP on a unix socket at PATH
#   --serial SPEC          where the console (COM1) goes: a -serial backend (mon:stdio)
#   --console-pty LOG      the console on a new pty instead (QEMU prints its name), logged to LOG
#   --trace-out FILE       the ring trace's own channel (`trace ring`, trace=ring) into FILE
#   --trace-port debugcon|com2  that channel: QEMU's debugcon at port 0xe9 (default), or COM2
#   --no-debug-exit        leave out isa-debug-exit: poweroff then goes through ACPI S5
#   --print                print the command instead of running it
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

accel=auto machine=q35 mmio=modern kernel="$here/build/ringside.elf" iso="" append="" mem=256M
net=user net_props="" gdb="" qmp="" print=0 debug_exit=1
serial=mon:stdio console_pty="" trace_out="" trace_port=debugcon
disks=()
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--accel) accel=$2; shift ;;
	--machine) machine=$2; shift ;;
	--mmio) mmio=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--iso) iso=$2; shift ;;
	--append) append=$2; shift ;;
	--disk) disks+=("$2"); shift ;;
	--net) net=$2; shift ;;
	--net-props) net_props=$2; shift ;;
	--mem) mem=$2; shift ;;
	--gdb)
		gdb=1234
		if [ $# -gt 1 ] && [[ $2 =~ ^[0-9]+$ ]]; then gdb=$2; shift; fi ;;
	--qmp) qmp=$2; shift ;;
	--serial) serial=$2; shift ;;
	--console-pty) console_pty=$2; shift ;;
	--trace-out) trace_out=$2; shift ;;
	--trace-port) trace_port=$2; shift ;;
	--no-debug-exit) debug_exit=0 ;;
	--print) print=1 ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "qemu.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# Hardware virtualisation is what makes KVM fast; without vmx/svm it is far
# slower than TCG (on a machine with a software /dev/kvm, a loop of 10 million
# memory increments took 33 s under KVM and 0.14 s under TCG).
have_kvm() {
	grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		exec 3<>/dev/kvm 2>/dev/null
}
case "$accel" in
auto) if have_kvm; then accel=kvm; else accel=tcg; fi ;;
kvm | tcg) ;;
*) echo "qemu.sh: --accel auto|kvm|tcg" >&2; exit 2 ;;
esac
if [ "$accel" = kvm ]; then cpu=host; else cpu=qemu64; fi
# PCI functions, or virtio-mmio transports on microvm (which has no PCI)
bus=pci
case "$machine" in
microvm | microvm,*) bus=device ;;
esac
case "$mmio" in
modern | legacy) ;;
*) echo "qemu.sh: --mmio modern|legacy" >&2; exit 2 ;;
esac
if [ "$bus" = device ] && [ -n "$iso" ]; then
	echo "qemu.sh: microvm has no CD-ROM; boot it with --kernel" >&2
	exit 2
fi

if [ -n "$console_pty" ]; then
	pre=(-chardev "pty,id=console,logfile=$console_pty,logappend=off")
	serial=chardev:console
else
	pre=()
fi
args=(qemu-system-x86_64 "${pre[@]}" -machine "$machine" -accel "$accel" -cpu "$cpu" -m "$mem"
	-display none -serial "$serial" -no-reboot)
[ "$debug_exit" = 1 ] && args+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
[ "$bus" = device ] && [ "$mmio" = modern ] && args+=(-global virtio-mmio.force-legacy=false)
if [ -n "$iso" ]; then
	args+=(-cdrom "$iso" -boot d)
else
	args+=(-kernel "$kernel")
	[ -n "$append" ] && args+=(-append "$append")
fi
i=0
for d in "${disks[@]}"; do
	file=${d%%,*} props=""
	[ "$file" != "$d" ] && props=,${d#*,}
	args+=(-drive "file=$file,if=none,id=disk$i,format=raw,cache=unsafe"
		-device "virtio-blk-$bus,drive=disk$i$props")
	i=$((i + 1))
done
case "$net" in
none) args+=(-nic none) ;; # else QEMU adds its default NIC
user) args+=(-netdev user,id=net0 -device "virtio-net-$bus,netdev=net0${net_props:+,$net_props}") ;;
*) args+=(-netdev "$net,id=net0" -device "virtio-net-$bus,netdev=net0${net_props:+,$net_props}") ;;
esac
# The ring trace on a channel of its own, so the shell on COM1 stays readable.
if [ -n "$trace_out" ]; then
	case "$trace_port" in
	debugcon) args+=(-chardev "file,id=ringtrace,path=$trace_out" -device isa-debugcon,iobase=0xe9,chardev=ringtrace) ;;
	com2) args+=(-serial "file:$trace_out") ;;
	*) echo "qemu.sh: --trace-port debugcon|com2" >&2; exit 2 ;;
	esac
fi
[ -n "$gdb" ] && args+=(-gdb "tcp::$gdb" -S)
[ -n "$qmp" ] && args+=(-qmp "unix:$qmp,server=on,wait=off")
args+=("${extra[@]}")

if [ "$print" = 1 ]; then
	printf '%q ' "${args[@]}"
	echo
	exit 0
fi
echo "qemu.sh: accel=$accel machine=$machine$([ "$bus" = device ] && echo " virtio-mmio=$mmio") (Ctrl-A x quits)" >&2
exec "${args[@]}"
