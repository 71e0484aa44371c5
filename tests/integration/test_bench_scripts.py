"""test_bench_scripts.py - the benchmark scripts parse their arguments, and tiny ringside-only runs work.

The full comparison against Linux (`make bench`) is slow and not part of `make test`; nothing here
downloads anything (the Linux guest is never built).
"""
import json
import os
import re
import subprocess

import pytest
from guest import ROOT

RUN = os.path.join(ROOT, "scripts", "bench", "run.sh")
LINUX = os.path.join(ROOT, "scripts", "bench", "linux-guest.sh")
UDPECHO = os.path.join(ROOT, "scripts", "bench", "udpecho.c")
AB = os.path.join(ROOT, "scripts", "bench", "ab.py")
ELF = os.path.join(ROOT, "build", "ringside.elf")


def sh(*args, env=None, timeout=60):
    e = {k: v for k, v in os.environ.items() if k not in ("QUICK", "REPS")}
    e.update(env or {})
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=e)


def test_run_help_lists_options():
    r = sh(RUN, "--help")
    assert r.returncode == 0, r.stderr
    for opt in ("--reps", "--quick", "--accel", "--parts", "--workloads", "--ringside-only", "--from-results",
                "--net-scan", "--tftp-blksizes", "--iommu-modes", "--floor-qds"):
        assert opt in r.stdout


def test_run_plan_defaults_and_quick():
    r = sh(RUN, "--dry-run", "--accel", "tcg")
    assert r.returncode == 0, r.stderr
    assert "accel=tcg reps=3 boot_reps=5 secs=3 parts=boot,blk,qdscan,floor,net,netscan,iommu" in r.stderr
    r = sh(RUN, "--dry-run", "--accel", "tcg", env={"QUICK": "1"})
    assert "reps=1 boot_reps=2 secs=1" in r.stderr, r.stderr
    r = sh(RUN, "--dry-run", "--accel", "tcg", env={"QUICK": "1", "REPS": "2"})
    assert "reps=2 " in r.stderr, r.stderr


def test_run_rejects_bad_arguments():
    for bad in (["--parts", "boot,nope"], ["--backends", "tmpfs"], ["--workloads", "randread-1k"],
                ["--reps", "0"], ["--accel", "hvf"], ["--net-scan", "64,1500"], ["--net-scan", "x"],
                ["--tftp-blksizes", "4"], ["--iommu-modes", "lazy,loose"], ["--iommu-modes", "arm-pool"],
                ["--floor-qds", "0"], ["--floor-qds", "x"]):
        r = sh(RUN, "--dry-run", *bad)
        assert r.returncode == 2, (bad, r.stderr)
        assert "error" in r.stderr


def test_linux_guest_append_and_options():
    r = sh(LINUX, "--print-append", "libaio:randread:4096:1:2,io_uring_hipri:read:131072:8:1")
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip()
    assert "console=ttyS0" in line and "virtio_blk.poll_queues=1" in line
    assert line.endswith("rsb.jobs=libaio:randread:4096:1:2,io_uring_hipri:read:131072:8:1")
    r = sh(LINUX, "--print-append", "", "rsb.net=1", "rsb.ip=192.168.76.2/24")
    assert r.stdout.strip().endswith("rsb.jobs= rsb.net=1 rsb.ip=192.168.76.2/24"), r.stdout
    assert sh(LINUX, "--print-append").returncode == 2
    assert sh(LINUX, "--bogus").returncode == 2
    assert "apt-get download" in sh(LINUX, "--help").stdout


def test_tiny_ringside_only_run(tmp_path):
    doc = tmp_path / "PERFORMANCE.md"
    r = sh(RUN, "--ringside-only", "--accel", "tcg", "--parts", "boot,blk,qdscan,floor", "--boot-reps", "1",
           "--backends", "null-co", "--workloads", "randread-4k-qd1", "--secs", "1", "--reps", "1",
           "--qd-scan", "1,4", "--floor-qds", "4", "--doc", str(doc), "--work", str(tmp_path / "work"), timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    text = doc.read_text()
    assert "accelerator: **TCG**" in text
    for row in ("ringside-poll", "ringside-irq", "ringside-hybrid", "empty guest (floor)",
                "empty guest on microvm (floor)", "ringside on microvm (virtio-mmio)"):
        assert row in text
    assert "| 4 |" in text  # the qd scan
    assert "| linux-" not in text
    assert (tmp_path / "work" / "results.json").exists()
    # how close to the floor: boot against the empty guest, narrated and quiet, on both machines
    assert "## How close to the floor" in text
    for m in ("q35", "microvm"):
        for log in ("narrated", "quiet"):
            # ready − floor from the medians and boot by boot; boot_us, median and fastest
            row = re.search(rf"^\| {m} \| {log} \| [\d.]+ \| [\d.]+ \| -?[\d.]+ \| -?[\d.]+ \| ([\d.]+) \| "
                            rf"([\d.]+) \| [\d.]+ \| \d+ \|$", text, re.M)
            assert row and float(row.group(2)) <= float(row.group(1)), (m, log, text)
    assert "within 15 ms of the empty guest on q35 (paired)" in text
    assert re.search(r"^\| boot_us under 10 ms \(microvm, quiet; fastest, median\) \| [\d.]+ ms, [\d.]+ ms \| "
                     r"(met|not met) \|$", text, re.M)
    # each step of the boot, from `boot -v`: PCI on q35 only
    assert re.search(r"^\| pci-scan \| \d+ \| \d+ \| — \| — \|$", text, re.M), text
    assert re.search(r"^\| blk0 \| \d+ \| \d+ \| \d+ \| \d+ \|$", text, re.M)
    # the floor against the full path, the ticks per request of both, and a profile of each
    m = re.search(r"^\| 4 \| (\d+) \| (\d+) \| \*\*[\d.]+\*\* \| \d+ \| \*\*[\d.]+\*\* \|$", text, re.M)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, text
    for path in ("full path", "floor"):
        row = re.search(rf"^\| blk qd=4, {path} \| (\d+) \| (\d+) \| (\d+) \|", text, re.M)
        assert row and int(row.group(1)) > 0 and int(row.group(3)) > 0, (path, text)
        assert f"blk qd=4, {path}:" in text  # its profile table
    assert re.search(r"^\| blk qd=4, floor \| \d+ \| 0 \|", text, re.M)  # the floor submits nothing
    assert "| vq_republish_used |" in text
    assert "full path at least 0.90 of the floor's IOPS, qd=4" in text


def test_ab_two_builds_take_turns(tmp_path):
    """ab.py boots each build, runs the commands, and reports each bench command per build."""
    other = tmp_path / "b.elf"
    other.write_bytes(open(ELF, "rb").read())
    r = sh(AB, "--boots", "2", ELF, str(other), "--", "stats blk0",
           "bench blk blk0 rw=randread bs=4096 qd=4 secs=1", timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    # the builds alternate: A B, then B A
    order = re.findall(r"boot \d of 2: (\S+) done", r.stderr)
    assert order == ["ringside.elf", "b.elf", "b.elf", "ringside.elf"], r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "bench blk blk0 rw=randread bs=4096 qd=4 secs=1", r.stdout  # stats gives no row
    for line, elf in zip(lines[1:], (ELF, str(other))):
        m = re.match(rf"  {re.escape(elf)}: median (\d+) \(([\d.]+)\), fastest (\d+) \(([\d.]+)\), runs (\d+) (\d+)$",
                     line)
        assert m and int(m.group(1)) > 0, r.stdout
    assert " (1.000), fastest " in lines[1]
    # a bench command that fails is an error, not a missing number
    r = sh(AB, "--boots", "1", ELF, str(other), "--", "bench blk blk9 qd=1 secs=1", timeout=120)
    assert r.returncode != 0 and "printed no iops=" in r.stderr, r.stderr[-2000:]
    assert sh(AB, ELF, "--", "stats").returncode != 0  # one build is no comparison


@pytest.fixture(scope="module")
def udpecho(tmp_path_factory):
    exe = tmp_path_factory.mktemp("udpecho") / "udpecho"
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", str(exe), UDPECHO], check=True)
    return str(exe)


def test_udpecho_arguments(udpecho):
    for bad in ([], ["rtt"], ["rtt", "1.2.3.4", "7", "0", "1"], ["pps", "nohost", "7", "64", "1"],
                ["rtt", "127.0.0.1", "7", "64", "1", "32"], ["serve", "70000"], ["flood", "127.0.0.1", "7", "64", "1"]):
        r = sh(udpecho, *bad)
        assert r.returncode == 2, (bad, r.stderr)
        assert "udpecho" in r.stderr


def test_udpecho_both_ends_on_loopback(udpecho):
    """The guest's server and the host's client, against each other: one second each."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    srv = subprocess.Popen([udpecho, "serve", port], stderr=subprocess.PIPE)
    try:
        r = sh(udpecho, "rtt", "127.0.0.1", port, "100", "1")
        assert r.returncode == 0, r.stderr
        assert re.fullmatch(r"rtt size=100 n=\d+ lost=0 p50_us=[\d.]+ p99_us=[\d.]+ mean_us=[\d.]+ "
                            r"min_us=[\d.]+ max_us=[\d.]+\n", r.stdout), r.stdout
        r = sh(udpecho, "pps", "127.0.0.1", port, "3", "1", "8")  # shorter than the sequence number
        assert r.returncode == 0, r.stderr
        m = re.fullmatch(r"pps size=3 window=8 sent=(\d+) received=(\d+) lost=\d+ bad=0 secs=[\d.]+ "
                         r"pps=\d+ mbps=[\d.]+\n", r.stdout)
        assert m and int(m.group(2)) > 100, r.stdout
    finally:
        srv.kill()
        srv.wait()
    r = sh(udpecho, "rtt", "127.0.0.1", port, "64", "1", timeout=20)  # nobody echoes now
    assert r.returncode == 1 and "no echo" in r.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="the network parts need root (ip netns)")
def test_tiny_ringside_network_run(tmp_path):
    """net, netscan and iommu against ringside on a tap device: echo, TFTP reads of 64 MiB, three IOMMU boots;
    then the report again from its results.json with a made-up Linux sample, for the ratios and targets."""
    doc, work = tmp_path / "PERFORMANCE.md", tmp_path / "work"
    r = sh(RUN, "--ringside-only", "--accel", "tcg", "--parts", "net,netscan,iommu", "--secs", "1", "--reps", "1",
           "--net-scan", "64,1472", "--tftp-blksizes", "1468", "--iommu-modes", "none,virtio-pool,strict",
           "--doc", str(doc), "--work", str(work), timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    text = doc.read_text()
    assert re.search(r"\| UDP echoes per second, 64 B, 32 in flight \| \d+ \| — \| — \|", text), text
    assert re.search(r"TFTP read of the 64 MiB disk \(MB/s\), blksize 1468 asked, granted 1468 / — \| [\d.]+ \|", text)
    assert re.search(r"^\| 1472 \| \d+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$", text, re.M), text  # the net scan
    assert re.search(r"^\| none \(no IOMMU\) \|  \| \d+ \| \*\*1.00\*\* \|", text, re.M), text
    assert re.search(r"^\| VT-d \| strict \| \d+ \| \*\*[\d.]+\*\* \|", text, re.M), text
    assert "dmar0 kind=vtd" in text and "translation=on mode=strict" in text
    assert re.search(r"^\| virtio-iommu \| pool \| \d+ \|", text, re.M) and "viommu0 kind=virtio-iommu" in text
    assert re.search(r"^\| virtio-iommu pool, 4 KiB randread qd=1: at least 0.90 of no IOMMU \| [\d.]+ \|", text, re.M)
    assert "not measured | not in this run" in text  # no Linux: no targets
    # the echo's ticks per echo (both of net0's queues) and its profile
    row = re.search(r"^\| UDP echo, 64 B, 32 in flight \(per echo, both queues\) \| (\d+) \| (\d+) \| (\d+) \|",
                    text, re.M)
    assert row and int(row.group(1)) > 0 and int(row.group(2)) > 0 and int(row.group(3)) > 0, text
    assert "UDP echo (64 B, 32 in flight), per echo:" in text
    saved = json.loads((work / "results.json").read_text())
    rs = saved["results"]["net"]["ringside"][0]
    assert rs["tftp-1468"]["granted"] == 1468 and rs["rtt"]["lost"] == 0
    lx = json.loads(json.dumps(rs))
    lx["rtt"]["p50_us"] = rs["rtt"]["p50_us"] * 1.2  # ringside at 0.83 of it: not met
    lx["pps"]["pps"] = rs["pps"]["pps"] / 2  # 2x: met
    lx["tftp-1468"]["mbps"] = rs["tftp-1468"]["mbps"] / 3  # 3x: met
    saved["results"]["net"]["linux"] = [lx]
    saved["config"]["ringside_only"] = False
    (tmp_path / "r.json").write_text(json.dumps(saved))
    r = sh(RUN, "--from-results", str(tmp_path / "r.json"), "--doc", str(doc))
    assert r.returncode == 0, r.stderr[-3000:]
    text = doc.read_text()
    assert "| UDP echo round trip (p50) at most 2/3 of Linux's | 0.83 of Linux's | not met |" in text, text
    assert "| UDP echo packets per second at least 1.5x Linux's | 2.00x | met |" in text
    assert re.search(r"\| TFTP read at least 2x tftpd-hpa \(blksize 1468 asked, granted 1468 / 1468\) \| 3.00x \| met \|",
                     text)
    assert (tmp_path / "bench-net.png").exists() and (tmp_path / "bench-netscan.png").exists()
