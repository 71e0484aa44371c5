#!/bin/sh
# linux-init.sh - /init of the Linux benchmark guest (scripts/bench/linux-guest.sh).
# Its first output is the line "RSB init": run.sh times QEMU start to it.
echo "RSB init"
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "RSB uptime $(cut -d' ' -f1 /proc/uptime)"

arg() { # arg KEY DEFAULT: the value of KEY=... on the kernel command line
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1)
	echo "${v:-$2}"
}
pollq=$(arg virtio_blk.poll_queues 0)
for m in $(cat /lib/modules/order); do
	case $m in
	virtio_blk) insmod /lib/modules/$m.ko poll_queues="$pollq" ;;
	*) insmod /lib/modules/$m.ko ;;
	esac
done

ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
	ip link set eth0 up
	ip addr add "$(arg rsb.ip 10.0.2.15/24)" dev eth0
	ip route add default via "$(arg rsb.gw 10.0.2.2)"
fi
n=0
while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
echo "RSB uptime-ready $(cut -d' ' -f1 /proc/uptime) vda=$([ -b /dev/vda ] && echo yes || echo no)"
[ -b /dev/vda ] && echo "RSB queues $(ls /sys/block/vda/mq | wc -l) poll_queues=$pollq"

for job in $(arg rsb.jobs "" | tr ',' ' '); do
	IFS=: read -r engine rw bs qd secs <<JOB
$job
JOB
	extra=""
	case $engine in
	io_uring_hipri) engine=io_uring extra="--hipri=1" ;;
	esac
	echo "RSB job $job"
	echo "RSB json-begin"
	fio --name=j --filename=/dev/vda --direct=1 --ioengine="$engine" $extra \
		--rw="$rw" --bs="$bs" --iodepth="$qd" --runtime="$secs" --time_based=1 \
		--lat_percentiles=1 --percentile_list=50:99 --randrepeat=0 \
		--output-format=json 2>&1
	echo "RSB json-end"
done
if [ "$(arg rsb.net 0)" = 1 ]; then
	# tftpd-hpa serves the disk itself: a device node for /dev/vda inside its
	# chroot, read through the page cache (which `drop` empties between reads).
	mknod -m 0444 /srv/tftp/disk b "$(cut -d: -f1 /sys/block/vda/dev)" "$(cut -d: -f2 /sys/block/vda/dev)"
	udpecho serve 7 2>/dev/null &
	# --refuse tsize: for a device tftpd-hpa offers tsize=0, which curl rejects.
	in.tftpd --listen --user root --address 0.0.0.0:69 --secure --refuse tsize /srv/tftp
	echo "RSB net-ready"
	while read -r cmd; do
		case $cmd in
		drop) sync; echo 3 > /proc/sys/vm/drop_caches; echo "RSB dropped" ;;
		stat) echo "RSB stat"; grep virtio /proc/interrupts; echo "RSB stat-end" ;;
		quit) break ;;
		*) echo "RSB unknown command $cmd" ;;
		esac
	done
fi
echo "RSB done"
poweroff -f
