#!/bin/sh
# deps.sh - install the Debian 12 packages ringside needs, if any are missing.
# Idempotent and quick when everything is present (one dpkg-query).
set -eu
PKGS="make gcc binutils git newlib-source
qemu-system-x86 qemu-utils grub-pc-bin grub-common xorriso mtools
gdb python3 python3-pytest python3-pexpect python3-scapy
clang libclang-rt-14-dev clang-format cppcheck
curl tftp-hpa iproute2 iputils-ping dnsmasq-base cpio gnuplot-nox
chromium chromium-driver screen"

missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: these packages are missing and I am neither root nor have sudo:" >&2
	echo "    apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing
echo "deps.sh: installed:$missing"
