#!/bin/sh
# newlib.sh - build newlib once from Debian's newlib-source into build/newlib.
# Usage: scripts/newlib.sh BUILD_DIR
# The version is pinned: the stamp names the tarball it came from, and a
# present stamp means nothing is rebuilt.
set -eu
out=$(cd "${1:-build}" 2>/dev/null && pwd || (mkdir -p "${1:-build}" && cd "${1:-build}" && pwd))
tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
prefix="$out/newlib"
stamp="$prefix/.built-newlib-3.3.0"
[ -f "$stamp" ] && exit 0
[ -f "$tarball" ] || { echo "newlib.sh: $tarball missing: run scripts/deps.sh" >&2; exit 1; }
echo "  NEWLIB  building newlib 3.3.0 into $prefix (once, about a minute)"
work="$out/newlib-build"
rm -rf "$work" "$prefix"
mkdir -p "$work"
tar -xJf "$tarball" -C "$work"
cd "$work"
mkdir obj && cd obj
../newlib-salsa/newlib/configure --host=x86_64-elf --prefix="$prefix" \
	--disable-multilib \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	CC="gcc -ffreestanding -fno-pic -fno-pie -mno-red-zone -fno-stack-protector -fno-omit-frame-pointer -O2 -g" \
	AR=ar RANLIB=ranlib >"$work/configure.log" 2>&1 ||
	{ tail -20 "$work/configure.log"; exit 1; }
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log"; exit 1; }
make install >"$work/install.log" 2>&1 || { tail -20 "$work/install.log"; exit 1; }
# The install puts headers and libraries under the target triple.
rm -rf "$work"
touch "$stamp"
echo "  NEWLIB  done"
