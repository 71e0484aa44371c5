#!/bin/sh
# mkiso.sh - a GRUB ISO that boots the kernel with multiboot2, console on COM1.
# Usage: scripts/mkiso.sh KERNEL.elf OUT.iso [CMDLINE]
set -eu
kernel=$1 out=$2 cmdline=${3:-}
dir=$(dirname "$out")/iso
rm -rf "$dir"
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/ringside.elf"
cat > "$dir/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
menuentry "ringside" {
	multiboot2 /boot/ringside.elf $cmdline
	boot
}
CFG
grub-mkrescue -o "$out" "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; exit 1; }
