"""test_blk.py - virtio-blk: data against the host's own hashes, across transports, rings and modes."""
import hashlib
import os
import re
import subprocess

import pytest

SECTORS = 8192  # a 4 MiB disk


def sha(data, lba, count):
    return hashlib.sha256(data[lba * 512:(lba + count) * 512]).hexdigest()


def blk_guest(boot, path, props="", fmt="raw", drive="", **kw):
    dev = "virtio-blk-pci,drive=d0" + ("," + props if props else "")
    extra = ["-drive", f"file={path},if=none,id=d0,format={fmt},cache=unsafe{drive}", "-device", dev]
    return boot(extra=extra + kw.pop("extra", []), **kw)


def check_data(g, data, block=1):
    cases = [(0, 1), (7, 1), (100, 600), (SECTORS - 1, 1), (0, SECTORS)]
    if block > 1:
        cases = [(0, block), (8 * block, 75 * block), (SECTORS - block, block), (0, SECTORS)]
    for lba, count in cases:
        out = g.cmd(f"blk blk0 sha256 {lba} {count}").strip()
        assert out == sha(data, lba, count), (lba, count, out)


VARIANTS = {
    "default": dict(),
    "modern": dict(props="disable-legacy=on"),
    "legacy": dict(props="disable-modern=on"),
    "packed": dict(props="packed=on"),
    "no-event-idx": dict(props="event_idx=off"),
    "no-indirect": dict(props="indirect_desc=off"),
    "num-queues-4": dict(props="num-queues=4"),
    "intx": dict(props="vectors=0"),
    "queue-size-4": dict(props="queue-size=4"),
    "queue-size-1024": dict(props="queue-size=1024"),
    "pc": dict(machine="pc"),
    # behind intel-iommu (q35 and a modern-only device, as QEMU requires), lazy and strict
    "iommu-lazy": dict(props="iommu_platform=on,disable-legacy=on", machine="q35,kernel-irqchip=split",
                       extra=["-device", "intel-iommu,intremap=on,caching-mode=on"]),
    "iommu-strict": dict(props="iommu_platform=on,disable-legacy=on", machine="q35,kernel-irqchip=split",
                         extra=["-device", "intel-iommu,intremap=on,caching-mode=on"], append="iommu=strict"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_data_matches_host(boot, image, variant):
    path, data = image
    g = blk_guest(boot, path, **VARIANTS[variant])
    info = g.cmd("blk blk0 info")
    assert f"capacity={SECTORS} block_size=512" in info, info
    if variant == "num-queues-4":
        assert "queues=4" in info
    check_data(g, data)
    if variant.startswith("iommu"):
        assert re.search(r"domain \d+ blk0 .*maps=[1-9]", g.cmd("iommu")), "the data went through IOVAs"


@pytest.mark.parametrize("mode", ["poll", "irq", "hybrid"])
def test_data_in_each_mode(boot, image, mode):
    path, data = image
    g = blk_guest(boot, path, append=f"mode={mode}")
    check_data(g, data)
    s = dict(re.findall(r"(\w+)=(\d+)", g.cmd("stats blk0").splitlines()[0]))
    assert (int(s["irqs"]) == 0) == (mode == "poll"), s


def test_qcow2(boot, tmp_path, image):
    path, data = image
    q = tmp_path / "disk.qcow2"
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(path), str(q)], check=True)
    g = blk_guest(boot, q, fmt="qcow2")
    check_data(g, data)


def test_4k_logical_blocks(boot, image):
    path, data = image
    g = blk_guest(boot, path, props="logical_block_size=4096,physical_block_size=4096")
    assert "block_size=4096" in g.cmd("blk blk0 info")
    check_data(g, data, block=8)
    assert g.cmd("blk blk0 sha256 1 8").startswith("error: blk0: EINVAL:")
    assert g.cmd("blk blk0 sha256 8 4").startswith("error: blk0: EINVAL:")
    assert g.cmd("blk blk0 fill 3 8 1").startswith("error: blk0: EINVAL:")


def test_fill_changes_exactly_those_sectors(boot, image):
    path, data = image
    g = blk_guest(boot, path)
    assert g.cmd("blk blk0 fill 1000 300 0x5a").startswith("wrote 300 sectors")
    assert g.cmd("blk blk0 sha256 1000 300").strip() == hashlib.sha256(b"\x5a" * 300 * 512).hexdigest()
    g.send("poweroff\r")
    assert g.wait_exit() == 1
    after = path.read_bytes()
    want = data[:1000 * 512] + b"\x5a" * 300 * 512 + data[1300 * 512:]
    assert after == want


def test_flush_reaches_device(boot, image):
    path, _ = image
    g = blk_guest(boot, path, qmp=True)

    def flushes():
        for dev in g.qmp.execute("query-blockstats"):
            if dev.get("device") == "d0" or dev.get("node-name") == "d0" or dev.get("qdev", "").endswith("d0"):
                return dev["stats"]["flush_operations"]
        return g.qmp.execute("query-blockstats")[0]["stats"]["flush_operations"]

    before = flushes()
    assert g.cmd("blk blk0 flush").strip() == ""
    assert flushes() > before


def test_zero_and_discard(boot, image):
    """QEMU passes discards to the file only with discard=unmap (it ignores them
    otherwise): then a discarded range is a hole in the host file, and reads as
    zeros where the disk held random bytes."""
    path, data = image
    g = blk_guest(boot, path, drive=",discard=unmap")
    info = g.cmd("blk blk0 info")
    assert "write_zeroes=1" in info and "discard=1" in info, info
    assert g.cmd("blk blk0 zero 64 32").strip() == ""
    assert g.cmd("blk blk0 sha256 64 32").strip() == hashlib.sha256(bytes(32 * 512)).hexdigest()
    assert g.cmd("blk blk0 discard 512 64").strip() == ""
    g.send("poweroff\r")
    g.wait_exit()
    want = bytearray(data)
    want[64 * 512:96 * 512] = bytes(32 * 512)  # zeroed
    want[512 * 512:576 * 512] = bytes(64 * 512)  # discarded; nothing else changed
    disk = path.read_bytes()
    wrong = [s for s in range(SECTORS) if disk[s * 512:(s + 1) * 512] != want[s * 512:(s + 1) * 512]]
    assert not wrong, f"{len(wrong)} sectors not as expected, from {wrong[:4]}"


def test_readonly_refuses_writes(boot, image):
    path, data = image
    g = blk_guest(boot, path, drive=",readonly=on")
    assert "ro=1" in g.cmd("blk blk0 info")
    assert g.cmd("blk blk0 fill 0 8 1").strip() == "error: blk0: EROFS: device is read-only"
    assert g.cmd("blk blk0 sha256 0 8").strip() == sha(data, 0, 8)
    g.send("poweroff\r")
    g.wait_exit()
    assert path.read_bytes() == data


def test_past_the_end_and_bad_arguments(boot, image):
    path, _ = image
    g = blk_guest(boot, path)
    assert g.cmd(f"blk blk0 sha256 {SECTORS} 1").startswith("error: blk0: EINVAL: sectors")
    assert g.cmd(f"blk blk0 sha256 {SECTORS - 1} 2").startswith("error: blk0: EINVAL:")
    assert g.cmd("blk blk0 fill 0 1 256").startswith("error: usage: EINVAL:")
    assert g.cmd("blk blk9 info").startswith("error: blk9: ENODEV:")
    assert g.cmd("blk blk0 sha256 0 0").startswith("error: usage: EINVAL:")
    assert g.cmd("blk blk0 info").startswith("capacity=")


def test_injected_io_errors(boot, image, tmp_path):
    path, data = image
    conf = tmp_path / "blkdebug.conf"
    conf.write_text(
        '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "200"\n\n'
        '[inject-error]\nevent = "write_aio"\nerrno = "5"\nsector = "300"\n\n'
        '[inject-error]\nevent = "flush_to_disk"\nerrno = "5"\nonce = "on"\n')
    extra = ["-drive", f"file=blkdebug:{conf}:{path},if=none,id=d0,format=raw,werror=report,rerror=report",
             "-device", "virtio-blk-pci,drive=d0"]
    g = boot(extra=extra)
    assert g.cmd("blk blk0 sha256 200 1").strip() == "error: blk0: EIO: I/O failed"
    assert g.cmd("blk blk0 fill 300 1 7").startswith("error: blk0: EIO:")
    assert g.cmd("blk blk0 flush").startswith("error: blk0: EIO:")
    # the shell goes on, and other requests succeed
    assert g.cmd("blk blk0 sha256 0 8").strip() == sha(data, 0, 8)
    assert g.cmd("blk blk0 flush").strip() == ""


@pytest.mark.parametrize("qd", [1, 32])
def test_bench_keeps_qd_in_flight(boot, image, qd):
    path, _ = image
    g = blk_guest(boot, path)
    out = g.cmd(f"bench blk blk0 qd={qd} secs=1", timeout=60)
    m = re.search(r"iops=(\d+) mbps=[\d.]+ p50_us=[\d.]+ p99_us=[\d.]+ max_us=[\d.]+ qd=(\d+) mode=(\w+) queue=0",
                  out)
    assert m and int(m[1]) > 0 and int(m[2]) == qd, out
    s = dict(re.findall(r"(\w+)=(\d+)", g.cmd("stats blk0").splitlines()[0]))
    assert int(s["max_inflight"]) >= qd, s


def test_block_resize_updates_capacity(boot, image):
    path, data = image
    g = blk_guest(boot, path, qmp=True)
    nodes = g.qmp.execute("query-block")
    name = nodes[0]["device"] or nodes[0]["qdev"]
    g.qmp.execute("block_resize", device=name, size=2 * SECTORS * 512)
    g.expect(rf"virtio blk0: capacity now {2 * SECTORS} sectors \(was {SECTORS}\)")
    assert f"capacity={2 * SECTORS} " in g.cmd("blk blk0 info")
    assert g.cmd(f"blk blk0 sha256 {SECTORS} 8").strip() == hashlib.sha256(bytes(8 * 512)).hexdigest()


def test_several_disks_in_pci_order(boot, tmp_path):
    imgs = []
    for i in range(3):
        p = tmp_path / f"d{i}.img"
        p.write_bytes(os.urandom((i + 1) * 1024 * 512))
        imgs.append(p)
    extra = []
    for i, p in enumerate(imgs):
        extra += ["-drive", f"file={p},if=none,id=d{i},format=raw",
                  "-device", f"virtio-blk-pci,drive=d{i},addr={5 + i}"]
    g = boot(extra=extra)
    for i, p in enumerate(imgs):
        data = p.read_bytes()
        assert f"capacity={(i + 1) * 1024} " in g.cmd(f"blk blk{i} info")
        assert g.cmd(f"blk blk{i} sha256 0 {(i + 1) * 1024}").strip() == hashlib.sha256(data).hexdigest()


def test_request_timeout_resets_the_device(boot, image):
    """A request the device holds past blk_timeout_ms fails with ETIMEDOUT, the
    device is reset, and the disk, the shell and the network work afterwards.
    QEMU's disk is throttled to 256 KiB/s: the shell reads 2 MiB as two 1 MiB
    requests, and QEMU holds the second about 4 s. (A request
    held indefinitely cannot be tested: QEMU's virtio-blk reset waits for every
    request in flight, holding the vCPU in the reset's register write.)"""
    path, data = image
    g = blk_guest(boot, path, qmp=True, net="user", append="blk_timeout_ms=1000")
    g.qmp.execute("block_set_io_throttle", id=g.qmp.execute("query-block")[0]["qdev"], bps=262144, bps_rd=0,
                  bps_wr=0, iops=0, iops_rd=0, iops_wr=0)
    out = g.cmd("blk blk0 sha256 0 4096", timeout=60)
    assert "error: blk0: ETIMEDOUT: I/O failed" in out, out
    log = g.output
    assert re.search(r"virtio blk0: request at sector \d+ not completed in 1000 ms", log), log
    assert "virtio blk0: resetting the device: a request timed out" in log
    assert "virtio blk0: reset and running again (1 resets)" in log
    g.qmp.execute("block_set_io_throttle", id=g.qmp.execute("query-block")[0]["qdev"], bps=0, bps_rd=0,
                  bps_wr=0, iops=0, iops_rd=0, iops_wr=0)
    assert g.cmd("blk blk0 sha256 0 4096").strip() == sha(data, 0, 4096)
    assert "1 received" in g.cmd("ping 10.0.2.2 1")
