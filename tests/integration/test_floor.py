"""test_floor.py - the floor benchmark, the TSC accounting and the profiler, on one small disk in one boot."""
import hashlib
import os
import re

SECTORS = 8192  # a 4 MiB disk

ACCT = re.compile(r"^acct: tsc per request: wall=(\d+) submit=(\d+) complete=(\d+) notify=(\d+) irq=(\d+) "
                  r"idle=(\d+) other=(\d+) own=(\d+) device=(\d+) tsc_khz=(\d+)$", re.M)
TSC = re.compile(r"^blk0 q0 added=(\d+) used=(\d+) .*\n  per request: .*\n"
                 r"  tsc: submit=(\d+) complete=(\d+) notify=(\d+); per request:", re.M)
PROF = re.compile(r"^prof: (\S+)\s+samples=(\d+) share=([\d.]+)% us_per_request=([\d.]+)$", re.M)


def test_floor_accounting_and_profile(boot, tmp_path):
    path = tmp_path / "disk.img"
    data = os.urandom(SECTORS * 512)
    path.write_bytes(data)
    g = boot(extra=["-drive", f"file={path},if=none,id=d0,format=raw,cache=unsafe",
                    "-device", "virtio-blk-pci,drive=d0"])
    digest = hashlib.sha256(data[:64 * 512]).hexdigest()

    # accounting off (the default): no ticks anywhere
    assert g.cmd("blk blk0 sha256 0 64").strip() == digest
    out = g.cmd("stats blk0 -v")
    assert "  tsc:" not in out and re.search(r"^cpu acct=off ", out, re.M), out

    # on: a read's submit, completion and doorbell, each counted
    assert g.cmd("stats acct on").strip() == "acct=on"
    assert g.cmd("blk blk0 sha256 0 64").strip() == digest
    m = TSC.search(g.cmd("stats blk0 -v"))
    assert m and all(int(x) > 0 for x in m.groups()), m
    g.cmd("stats acct off")

    # the floor: chains published again and again, then the queue is the driver's as before
    out = g.cmd("bench blk blk0 floor qd=4 secs=1 acct=on", timeout=60)
    f = re.search(r"^floor: iops=(\d+) mbps=[\d.]+ qd=4 mode=hybrid queue=0$", out, re.M)
    assert f and int(f.group(1)) > 100, out
    a = ACCT.search(out)
    assert a, out
    wall, submit, complete, notify, irq, idle, other, own, device, khz = map(int, a.groups())
    assert submit == 0 and complete > 0 and own == submit + complete + irq + other and device == notify + idle
    assert abs(own + device - wall) <= 8 + wall // 100, a.group(0)  # every tick in one path or another (rounded)
    assert g.cmd("blk blk0 sha256 0 64").strip() == digest
    assert re.search(r"^blk0 q0 .* errors=0 ", g.cmd("stats blk0"), re.M)

    # the full path, its ticks and where they go
    out = g.cmd("bench blk blk0 qd=4 secs=1 acct=on prof=on", timeout=60)
    assert re.search(r"^iops=\d+ mbps=[\d.]+ p50_us=", out, re.M), out
    a = ACCT.search(out)
    wall, submit, complete, notify, irq, idle, other, own, device, khz = map(int, a.groups())
    assert submit > 0 and complete > 0 and own == submit + complete + irq + other
    assert idle > 0, a.group(0)  # hybrid: the CPU sleeps in hlt while the device works
    assert abs(own + device - wall) <= 8 + wall // 100, a.group(0)
    fns = [p[0] for p in PROF.findall(out)]
    assert 3 <= len(fns) <= 15 and "cpu_idle" in fns, out
    assert {"vq_add", "vq_get", "dispatch", "complete", "blk_poll", "virtio_poll_queue"} & set(fns), fns

    # the shell's own profiler, and its errors
    assert g.cmd("prof on 100").strip() == "prof on: a sample every 100 us"
    g.cmd("blk blk0 sha256 0 2048")
    out = g.cmd("prof show 5")
    assert re.search(r"^prof: samples=\d+ requests=0 ", out, re.M) and 1 <= len(PROF.findall(out)) <= 5, out
    assert g.cmd("prof on 5").startswith("error: usage: EINVAL:")
    assert g.cmd("stats acct maybe").startswith("error: usage: EINVAL:")
    assert g.cmd("bench blk blk0 floor qd=4 secs=1 acct=sometimes").startswith("error: usage: EINVAL:")
