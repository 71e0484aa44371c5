"""test_iommu.py - virtio devices behind QEMU's intel-iommu: handles are IOVAs, data stays right, stale handles fault."""
import hashlib
import os
import re

import pytest

SECTORS = 8192
MACHINE = "q35,kernel-irqchip=split"
PROPS = "iommu_platform=on,disable-legacy=on"
IOVA_BASE = 0x1000000000  # drivers/iommu/vtd.c: 64 GiB, far above guest RAM


def iommu_guest(boot, tmp_path, append="", iommu_props="", blk=True, net=True):
    extra = ["-device", "intel-iommu,intremap=on" + iommu_props, "-device", "virtio-rng-pci," + PROPS]
    data = None
    if blk:
        data = os.urandom(SECTORS * 512)
        (tmp_path / "disk.img").write_bytes(data)
        extra += ["-drive", f"file={tmp_path / 'disk.img'},if=none,id=d0,format=raw,cache=unsafe",
                  "-device", "virtio-blk-pci,drive=d0," + PROPS]
    g = boot(machine=MACHINE, append=append, extra=extra, net="user" if net else "none",
             net_props=PROPS if net else None)
    return g, data


def handles(text):
    return [int(h, 16) for h in re.findall(r"handle=0x([0-9a-f]+)", text)]


@pytest.mark.parametrize("append,iommu_props", [("", ""), ("iommu=strict", ",caching-mode=on")],
                         ids=["lazy", "strict-cm"])
def test_devices_work_through_iommu(boot, tmp_path, append, iommu_props):
    g, data = iommu_guest(boot, tmp_path, append, iommu_props)
    log = g.output
    assert "iommu: dmar0: translation enabled" in log, log
    assert ("cm=1" in log) == ("caching-mode" in iommu_props)
    table = g.cmd("iommu")
    for dev in ("blk0", "net0", "rng0"):
        assert re.search(rf"domain \d+ {dev} ", table), table
    assert "ACCESS_PLATFORM" in g.cmd("virtio")
    rx = handles(g.cmd("vq net0 0"))  # the posted receive buffers
    assert rx and all(h >= IOVA_BASE for h in rx), rx[:4]
    for lba, count in [(0, 1), (100, 600), (SECTORS - 1, 1), (0, SECTORS)]:
        out = g.cmd(f"blk blk0 sha256 {lba} {count}").strip()
        assert out == hashlib.sha256(data[lba * 512:(lba + count) * 512]).hexdigest(), (lba, count)
    assert re.fullmatch(r"[0-9a-f]{32}", g.cmd("rng rng0 16").strip())
    g.cmd("blk blk0 fill 8 8 165")
    assert g.cmd("blk blk0 sha256 8 8").strip() == hashlib.sha256(b"\xa5" * 4096).hexdigest()
    out = g.cmd("ping 10.0.2.2 3")
    assert "3 received" in out, out
    assert re.search(r"dmar0 .*faults=0", g.cmd("iommu"))


def domain_maps(g, dev):
    m = re.search(rf"domain \d+ {dev} .* maps=(\d+) unmaps=(\d+)", g.cmd("iommu"))
    return int(m.group(1)), int(m.group(2))


def test_pool_buffers_are_mapped_once(boot, tmp_path):
    """Requests into the blk pool take no mapping each; heap buffers take one per page."""
    g, _ = iommu_guest(boot, tmp_path, net=False)
    maps = {}
    for pool in ("on", "off"):
        before = domain_maps(g, "blk0")
        out = g.cmd(f"bench blk blk0 rw=randread bs=4096 qd=4 secs=1 pool={pool}", timeout=30)
        n = int(re.search(r"(\d+) requests in", out).group(1))
        assert n > 100 and f"buffers={'pool' if pool == 'on' else 'heap'}:" in out, out
        after = domain_maps(g, "blk0")
        maps[pool] = (after[0] - before[0], n)
    assert maps["on"][0] <= 2, maps  # the pool itself, once, on first use
    assert maps["off"][0] >= maps["off"][1], maps  # a mapping per request


@pytest.mark.parametrize("sectors,reset", [(8, False), (16, True)], ids=["bounced", "needs-reset"])
def test_stale_handle_faults(boot, tmp_path, sectors, reset):
    """A read through revoked handles: the IOMMU blocks and reports it, the
    driver fails the request, guest memory is untouched, the disk works after.
    One page QEMU bounces (it drops the write and says OK: only the matched
    fault fails the request); two pages it cannot, and asks for a reset."""
    g, data = iommu_guest(boot, tmp_path, "iommu=strict", ",caching-mode=on", net=False)
    out = g.cmd(f"iommu test blk0 {sectors}", timeout=30)
    faults = re.findall(r"fault: blk0 00:[0-9a-f]{2}\.\d write at 0x([0-9a-f]+): reason 5", out)
    assert faults and all(int(a, 16) >= IOVA_BASE for a in faults), out
    m = re.search(r"request (\w+); (\d+) fault\(s\), last at 0x([0-9a-f]+) reason 5; (\d+) matched to "
                  r"the request; device reset (\d+) time\(s\); canary (\w+)", out)
    assert m, out
    assert m.group(1) == "EIO" and m.group(6) == "intact", out
    assert int(m.group(4)) >= 1, "the fault was matched to the request in flight"
    assert (int(m.group(5)) > 0) == reset, out
    assert "a read with good handles afterwards: OK" in out, out
    assert "stale handles blocked, reported and failed; nothing written" in out, out
    assert "error: blk0:" not in out, out  # the log's error lines are the fault reports
    assert g.cmd("blk blk0 sha256 0 64").strip() == hashlib.sha256(data[:64 * 512]).hexdigest()
    assert re.search(r"dmar0\s+[1-9]", g.cmd("irq")), "the fault came by interrupt"
    table = g.cmd("iommu")
    assert re.search(r"domain \d+ blk0 .*faults=[1-9]", table), table
    if not reset:  # strict mode keeps no pre-mapped pool: every handle dies with its request
        out = g.cmd("bench blk blk0 rw=randread bs=4096 qd=2 secs=1 pool=on", timeout=30)
        assert "buffers=heap:" in out and " 0 errors" in out, out


def test_unmatched_fault_resets_device(boot, tmp_path):
    """A fault on a page no request in flight covers (the rng's buffer, revoked
    in place): the completion the device reports is not believed, the device is
    reset, the read fails, and with a fresh buffer the device serves again."""
    g, _ = iommu_guest(boot, tmp_path, "iommu=strict", ",caching-mode=on", blk=False, net=False)
    out = g.cmd("iommu test rng0", timeout=30)
    assert re.search(r"fault: rng0 00:[0-9a-f]{2}\.\d write at 0x[0-9a-f]+: reason 5", out), out
    assert "matches no request in flight" in out and "resetting the device: an IOMMU fault matched no request in flight" in out, out
    assert re.search(r"read EIO; [1-9]\d* fault\(s\) matched no request; device reset 1 time\(s\)", out), out
    assert "a read afterwards: OK" in out and "error: rng0:" not in out, out
    assert re.fullmatch(r"[0-9a-f]{32}", g.cmd("rng rng0 16").strip())


def test_stale_handle_test_refuses(boot, tmp_path):
    g, _ = iommu_guest(boot, tmp_path, net=False)
    assert "error: blk0: EOPNOTSUPP" in g.cmd("iommu test blk0"), "lazy mode cannot promise a fault"
    assert "error: rng0: EOPNOTSUPP" in g.cmd("iommu test rng0")
    assert "error: 12: EINVAL" in g.cmd("iommu test blk0 12")
