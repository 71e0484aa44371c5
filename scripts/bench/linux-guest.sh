#!/bin/bash
# linux-guest.sh - build the Linux guest that ringside is compared against.
#
# Usage: scripts/bench/linux-guest.sh [--out DIR] [--force] [--print-append JOBS [K=V...]]
#   --out DIR             where to build (build/linux-guest)
#   --force               download and unpack again
#   --print-append JOBS [K=V...]
#                         print the kernel command line that runs JOBS (with the
#                         parameters K=V added), and exit
#
# Everything comes from Debian packages that are downloaded (apt-get download)
# and unpacked (dpkg-deb -x) under DIR, never installed on the host: the
# kernel and virtio modules of linux-image-amd64, busybox-static, fio with
# the shared libraries ldd lists, and in.tftpd from tftpd-hpa. One program is
# built here: scripts/bench/udpecho.c, with the host's gcc -static (busybox-static
# has no UDP echo server), the same source as the host's benchmark client. Results:
#   DIR/vmlinuz           the kernel (DIR/version: its package and version)
#   DIR/initramfs.gz      busybox, fio, in.tftpd, udpecho, the modules, and /init
#   DIR/initramfs-boot.gz the same without fio, in.tftpd, udpecho and their
#                         libraries (for the boot time: Linux at its best)
#
# The guest's /init reads its work from the kernel command line:
#   rsb.jobs=J1,J2,...    each J is ENGINE:RW:BS:QD:SECS, ENGINE one of
#                         libaio, io_uring, io_uring_hipri (polled queue),
#                         RW one of randread, randwrite, read, write
#   rsb.ip=A.B.C.D/N rsb.gw=A.B.C.D   eth0's address (10.0.2.15/24, gw 10.0.2.2)
#   rsb.net=1             after the jobs, serve the network: udpecho on UDP
#                         port 7, in.tftpd (tftpd-hpa, Debian's default --secure,
#                         and --refuse tsize: curl rejects the tsize=0 it offers
#                         for a device) on port 69 with /dev/vda as the file `disk`, then
#                         obey commands on the console, one a line: `drop`
#                         (sync, drop the page cache; answers `RSB dropped`),
#                         `stat` (`RSB stat` and eth0's /proc/interrupts lines),
#                         `quit`
#   virtio_blk.poll_queues=N   passed on to the virtio_blk module
# and prints, on the serial console (ttyS0):
#   RSB init uptime=S                 its first line
#   RSB job J                         then fio's JSON between
#   RSB json-begin / RSB json-end
#   RSB net-ready                     (rsb.net=1) the servers listen
#   RSB done                          and powers off.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/build/linux-guest"
force=0
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift ;;
	--force) force=1 ;;
	--print-append)
		[ $# -ge 2 ] || { echo "linux-guest.sh: --print-append JOBS [K=V...]" >&2; exit 2; }
		jobs=$2
		shift 2
		echo "console=ttyS0 quiet loglevel=1 panic=-1 virtio_blk.poll_queues=1 rsb.jobs=$jobs${*:+ $*}"
		exit 0 ;;
	-h | --help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "linux-guest.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

stamp="$out/.built-v2"
if [ "$force" = 0 ] && [ -f "$stamp" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.gz" ] && [ -f "$out/initramfs-boot.gz" ] &&
	[ "$stamp" -nt "$0" ] && [ "$stamp" -nt "$here/scripts/bench/linux-init.sh" ] &&
	[ "$stamp" -nt "$here/scripts/bench/udpecho.c" ]; then
	exit 0
fi

for tool in apt-get dpkg-deb cpio gzip ldd gcc; do
	command -v "$tool" >/dev/null || { echo "linux-guest.sh: needs $tool" >&2; exit 1; }
done

debs="$out/debs" unpack="$out/unpack" root="$out/initramfs"
mkdir -p "$debs"
rm -rf "$unpack" "$root"
mkdir -p "$unpack"

# The kernel package that the meta package linux-image-amd64 points at.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
[ -n "$kpkg" ] || { echo "linux-guest.sh: apt-cache does not know linux-image-amd64 (apt-get update?)" >&2; exit 1; }
# fio's libraries that a Debian host does not usually have.
pkgs="$kpkg busybox-static fio tftpd-hpa libnbd0 libpmemblk1 libpmem1 libaio1 liburing2 libnuma1 libwrap0"
echo "linux-guest.sh: downloading $pkgs into $debs" >&2
aptopt=()
[ "$(id -u)" = 0 ] && aptopt=(-o APT::Sandbox::User=root) # _apt cannot write into build/
(cd "$debs" && for p in $pkgs; do
	ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "${aptopt[@]}" "$p" >/dev/null
done)
for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$unpack"; done

kver=$(basename "$(ls -d "$unpack"/lib/modules/*/ | head -1)")
kdeb=$(ls "$debs/${kpkg}"_*.deb | head -1)
echo "$kpkg $(dpkg-deb -f "$kdeb" Version)" > "$out/version"
cp "$unpack/boot/vmlinuz-$kver" "$out/vmlinuz"

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/modules,srv/tftp,usr/bin,usr/sbin}
cp "$unpack/bin/busybox" "$root/bin/busybox"
for a in sh mount umount mkdir ln cat echo sleep insmod ip ifconfig route poweroff \
	grep sed awk tr date head cut kill dd seq udhcpc nc ls uname mknod sync; do
	ln -sf busybox "$root/bin/$a"
done

# The virtio modules, each after those it needs: init insmods them in this
# order, and insmod, unlike modprobe, loads no dependencies.
mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk failover net_failover virtio_net"
for m in $mods; do
	f=$(find "$unpack/lib/modules/$kver" -name "$m.ko*" | head -1)
	[ -n "$f" ] || { echo "linux-guest.sh: module $m not found in $kpkg" >&2; exit 1; }
	case "$f" in
	*.xz) xz -dc "$f" > "$root/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" > "$root/lib/modules/$m.ko" ;;
	*) cp "$f" "$root/lib/modules/$m.ko" ;;
	esac
done
echo "$mods" > "$root/lib/modules/order"

# fio and in.tftpd, with every shared library ldd finds (the unpacked ones first).
cp "$unpack/usr/bin/fio" "$root/usr/bin/fio"
cp "$unpack/usr/sbin/in.tftpd" "$root/usr/sbin/in.tftpd"
# The UDP echo server: static, so it needs nothing else (glibc's libc.a, package libc6-dev).
gcc -O2 -static -o "$root/usr/bin/udpecho" "$here/scripts/bench/udpecho.c" ||
	{ echo "linux-guest.sh: gcc -static failed (libc6-dev installed?)" >&2; exit 1; }
libpath=$(find "$unpack" -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
for bin in "$root/usr/bin/fio" "$root/usr/sbin/in.tftpd"; do
	LD_LIBRARY_PATH="$libpath" ldd "$bin" | awk '/=> not found/ { print "missing " $1; next }
		/=>/ { print $3; next } /^\t\// { print $1 }' | while read -r lib rest; do
		if [ "$lib" = missing ]; then
			echo "linux-guest.sh: $(basename "$bin") needs $rest, which no package here holds" >&2
			exit 1
		fi
		dest="$root$(dirname "$lib")" # where ldd found it: RUNPATHs (ceph/) keep working
		case "$lib" in "$unpack"/*) dest="$root${lib#"$unpack"}" dest=${dest%/*} ;; esac
		mkdir -p "$dest"
		cp -L "$lib" "$dest/"
	done
done
# The loader where the binaries look for it, on merged-/usr hosts too.
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
echo "root:x:0:0:root:/:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >> "$root/etc/passwd"
echo "nogroup:x:65534:" >> "$root/etc/group"

cp "$here/scripts/bench/linux-init.sh" "$root/init"
chmod 755 "$root/init"

mkcpio() { (cd "$root" && find "$@" | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1); }
mkcpio . > "$out/initramfs.gz"
# The boot measurement uses an initramfs without fio and its libraries (ceph,
# gluster, ICU: 80 MiB that the kernel would otherwise unpack before init).
mkcpio . -path ./lib/x86_64-linux-gnu -prune -o -path ./usr/lib -prune -o -path ./usr/bin/fio -prune -o -path ./usr/bin/udpecho -prune -o -path ./usr/sbin -prune -o -print > "$out/initramfs-boot.gz"
rm -rf "$unpack"
touch "$stamp"
echo "linux-guest.sh: $out/vmlinuz ($kver) and $out/initramfs.gz ($(du -h "$out/initramfs.gz" | cut -f1))" >&2
