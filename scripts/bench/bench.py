#!/usr/bin/python3
"""bench.py - ringside against a Linux guest on the same QEMU, side by side.

Run through scripts/bench/run.sh (or `make bench`); --help lists the options.
Every guest is started through scripts/qemu.sh with the same devices, memory,
CPU count and accelerator; one guest at a time; ringside and Linux alternate
within each repetition. Results: a table of medians on stdout, the raw
samples in build/bench/results.json, docs/PERFORMANCE.md and PNG plots.
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
QEMU_SH = os.path.join(ROOT, "scripts", "qemu.sh")
LINUX_SH = os.path.join(ROOT, "scripts", "bench", "linux-guest.sh")
OUT = os.path.join(BUILD, "bench")
PROMPT = "ringside> "
READY = re.compile(r"ringside: ready [^\r\n]*boot_us=(\d+)")
RESULT = re.compile(r"iops=(\d+) mbps=([\d.]+) p50_us=([\d.]+) p99_us=([\d.]+) max_us=([\d.]+)")
STATS = re.compile(r"blk0 q0 added=(\d+) used=(\d+) kicks=(\d+) kicks_suppressed=(\d+) irqs=(\d+)")
QSTATS = re.compile(r"^(\w+) q(\d+) added=(\d+) used=(\d+) kicks=(\d+) kicks_suppressed=(\d+) irqs=(\d+)", re.M)
UDPECHO_SRC = os.path.join(ROOT, "scripts", "bench", "udpecho.c")

GUEST_IP, GUEST_GW = "10.0.2.15/24", "10.0.2.2"
NULL_SIZE = 1 << 30
RAW_SIZE = 512 << 20

# The network workloads: both guests on a tap device in a network namespace of the run's own.
NET_GUEST, NET_HOST = "192.168.76.2", "192.168.76.1"
TAP = "rsbtap0"
TFTP_SIZE = 64 << 20
TFTP_BLKSIZES = [1468, 65464]
ECHO_SIZE = 64  # UDP payload of the round-trip and packets-per-second runs
ECHO_WINDOW = 32  # datagrams in flight in the packets-per-second run
NET_SCAN = [64, 256, 512, 1024, 1472]
# The IOMMU section (ringside only): each IOMMU QEMU has, under ringside's iommu= policies; none is the
# same machine and device properties with no IOMMU. pool is the isolation to judge; floor maps all of RAM
# once with the largest pages (no isolation): what QEMU's translation costs by itself.
IOMMU_KINDS = {  # name in the table, the QEMU device
    "vtd": ("VT-d", ["-device", "intel-iommu,intremap=on"]),
    "amd": ("AMD-Vi", ["-device", "amd-iommu"]),
    "virtio": ("virtio-iommu", ["-device", "virtio-iommu-pci"]),
}
IOMMU_POLICIES = ["off", "lazy", "strict", "pool", "floor"]
IOMMU_MODES = ["none"] + [f"{k}-{p}" for k in IOMMU_KINDS for p in ("pool", "floor", "strict")]
IOMMU_MACHINE = "q35,kernel-irqchip=split"
IOMMU_PROPS = "iommu_platform=on,disable-legacy=on"

# name, rw, block size, queue depth
BLK_WORKLOADS = [
    ("randread-4k-qd1", "randread", 4096, 1),
    ("randread-4k-qd32", "randread", 4096, 32),
    ("read-128k-qd1", "read", 131072, 1),
    ("randwrite-4k-qd1", "randwrite", 4096, 1),
]
RINGSIDE_MODES = ["poll", "irq", "hybrid"]
PARTS = ["boot", "blk", "qdscan", "floor", "net", "netscan", "iommu"]
FLOOR_QDS = [1, 32]  # the floor against the full path (issue 17)
FLOOR_RESULT = re.compile(r"floor: iops=(\d+) mbps=([\d.]+)")
ACCT = re.compile(r"acct: tsc per request: (.*)")
PROF = re.compile(r"^prof: (\S+)\s+samples=(\d+) share=([\d.]+)% us_per_request=([\d.]+)", re.M)
BOOT_PHASE = re.compile(r"^\s+(\S+)\s+(\d+) us\s+\(UART (\d+) us\)", re.M)
BOOT_SUMMARY = re.compile(r"boot_us=(\d+) drained_us=(\d+) console_bytes=(\d+)")
ACCT_KEYS = ["wall", "submit", "complete", "notify", "irq", "idle", "other", "own", "device"]
NET_PARTS = {"net", "netscan", "iommu"}
LINUX_ENGINES = ["libaio", "io_uring", "io_uring_hipri"]
BACKENDS = ["null-co", "raw-file"]
QD_SCAN = [1, 2, 4, 8, 16, 32, 64, 128]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# -- guests ---------------------------------------------------------------
def pin_threads(pid, qemu_cpu, stop):
    """Pin every QEMU thread (vCPU, main loop, I/O) to one host CPU, as the threads appear.

    One CPU for all of QEMU, the rest for the host's side of a workload (curl,
    udpecho): with the vCPU and QEMU's main loop on different host CPUs, every
    kick and completion became a cross-CPU wake-up, which on the machine these
    numbers come from made both guests 5-8x slower (irq qd=1 8k IOPS instead of
    67k) and measured the host's scheduler more than the guests."""
    seen = set()
    while not stop.is_set():
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return
        for tid in tids:
            if tid in seen:
                continue
            try:
                os.sched_setaffinity(int(tid), {qemu_cpu})
                seen.add(tid)
            except OSError:
                pass
        stop.wait(0.05)


class Guest:
    """One QEMU through scripts/qemu.sh; t0 is taken just before the spawn."""

    def __init__(self, cfg, name, qemu_args, timeout=120, netns=None):
        self.cfg = cfg
        os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
        self.log = open(os.path.join(OUT, "logs", name + ".log"), "w")
        args = ["--accel", cfg.accel, "--mem", cfg.mem] + qemu_args
        cmd = QEMU_SH
        if netns:  # ip netns exec execs qemu.sh, which execs QEMU: the pid stays QEMU's
            cmd, args = "ip", ["netns", "exec", netns, QEMU_SH, *args]
        self.t0 = time.monotonic()
        self.child = pexpect.spawn(cmd, args, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout, echo=False, maxread=65536)
        self.child.logfile_read = self.log
        self.stop = threading.Event()
        self.pinner = None
        if cfg.pin:
            self.pinner = threading.Thread(target=pin_threads, daemon=True,
                                           args=(self.child.pid, cfg.qemu_cpu, self.stop))
            self.pinner.start()

    def expect(self, pattern, timeout=None):
        self.child.expect(pattern, timeout=timeout or self.child.timeout)
        return self.child.match, time.monotonic() - self.t0

    def cmd(self, line, timeout=None):
        self.child.send(line + "\r")
        self.child.expect_exact(PROMPT, timeout=timeout or self.child.timeout)
        return self.child.before.replace("\r", "")

    def wait_exit(self, timeout=None):
        self.child.expect(pexpect.EOF, timeout=timeout or self.child.timeout)
        t = time.monotonic() - self.t0
        self.close()
        return t

    def close(self):
        self.stop.set()
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()
        self.log.close()


def disk_args(cfg, backend, path=None, node="n0", props=""):
    """The same virtio-blk device for both guests; only the backend changes."""
    if backend == "null-co":
        spec = f"null-co,node-name={node},size={NULL_SIZE},read-zeroes=on"
    else:
        spec = f"driver=raw,node-name={node},file.driver=file,file.filename={path or cfg.raw},cache.no-flush=on"
    return ["-blockdev", spec, "-device", f"virtio-blk-pci,drive={node},num-queues=2{props}"]


def common_args(cfg, kernel, append, net="user"):
    return ["--kernel", kernel, "--append", append, "--net", net]


TAP_NET = f"tap,ifname={TAP},script=no,downscript=no"


def extra(cfg, backend, more=()):
    # maxcpus=2: one vCPU runs, but Linux sizes its queues by the possible CPUs and
    # needs two queues to give virtio_blk.poll_queues=1 one of them.
    return ["--", "-smp", "1,maxcpus=2", *disk_args(cfg, backend), *more]


def ringside_append(mode="hybrid", net=False):
    if net:
        return f"ip={NET_GUEST}/24 gw={NET_HOST} mode={mode}"
    return f"ip={GUEST_IP} gw={GUEST_GW} mode={mode}"


# -- workloads --------------------------------------------------------------
def boot_floor(cfg, rep):
    g = Guest(cfg, f"boot-floor-{rep}", common_args(cfg, cfg.empty, "") + extra(cfg, "null-co"))
    return {"exit_s": g.wait_exit(30)}


def boot_ringside(cfg, rep, microvm=False, quiet=False):
    """QEMU start to the ready line; then `boot -v`: each step's time, and when the narration was out."""
    args = common_args(cfg, cfg.ringside, ringside_append() + (" quiet" if quiet else ""))
    args = ["--machine", "microvm"] + args + microvm_extra(cfg) if microvm else args + extra(cfg, "null-co")
    g = Guest(cfg, f"boot-ringside{'-microvm' if microvm else ''}{'-quiet' if quiet else ''}-{rep}", args)
    try:
        m, t = g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        out = {"ready_s": t, "boot_us": int(m.group(1))}
        text = g.cmd("boot -v")
        s = BOOT_SUMMARY.search(text)
        if s:  # an image from before `boot` has none: the boot rows stay, the phase table goes
            out.update(drained_us=int(s.group(2)), console_bytes=int(s.group(3)),
                       phases={n: int(us) for n, us, _ in BOOT_PHASE.findall(text)})
        g.child.send("poweroff\r")
        out["exit_s"] = g.wait_exit(30)
        return out
    finally:
        g.close()


def boot_floor_microvm(cfg, rep):
    g = Guest(cfg, f"boot-floor-microvm-{rep}", ["--machine", "microvm"] + common_args(cfg, cfg.empty, "") +
              microvm_extra(cfg))
    return {"exit_s": g.wait_exit(30)}


def microvm_extra(cfg):
    """The same disk and NIC as on q35, on virtio-mmio (version 2; qemu.sh's default on microvm)."""
    return ["--", "-blockdev", f"null-co,node-name=n0,size={NULL_SIZE},read-zeroes=on",
            "-device", "virtio-blk-device,drive=n0"]


def boot_linux(cfg, rep):
    append = linux_append(cfg, "")
    g = Guest(cfg, f"boot-linux-{rep}", common_args(cfg, cfg.vmlinuz, append) +
              extra(cfg, "null-co", ["-initrd", cfg.initrd_boot]))
    try:
        _, t = g.expect("RSB init", 120)
        m, _ = g.expect(r"RSB uptime ([\d.]+)")
        up = float(m.group(1))
        g.expect("RSB done")
        return {"ready_s": t, "uptime_s": up, "exit_s": g.wait_exit(60)}
    finally:
        g.close()


def linux_append(cfg, jobs, *params):
    return subprocess.run([LINUX_SH, "--out", cfg.linux_dir, "--print-append", jobs, *params],
                          check=True, capture_output=True, text=True).stdout.strip()


def blk_ringside(cfg, backend, rep, workloads):
    """One boot: every mode, every workload. Returns {(mode, workload): sample}."""
    g = Guest(cfg, f"blk-ringside-{backend}-{rep}",
              common_args(cfg, cfg.ringside, ringside_append()) + extra(cfg, backend))
    out = {}
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        for mode in RINGSIDE_MODES:
            g.cmd(f"mode blk0 {mode}")
            for name, rw, bs, qd in workloads:
                r = bench_cmd(g, rw, bs, qd, cfg.secs)
                out[(mode, name)] = r
        g.child.send("poweroff\r")
        g.wait_exit(60)
    finally:
        g.close()
    return out


def bench_cmd(g, rw, bs, qd, secs):
    text = g.cmd(f"bench blk blk0 rw={rw} bs={bs} qd={qd} secs={secs}", timeout=secs + 60)
    m = RESULT.search(text)
    if not m:
        raise RuntimeError(f"ringside bench: no result line in {text!r}")
    iops, mbps, p50, p99, mx = m.groups()
    return {"iops": int(iops), "mbps": float(mbps), "p50_us": float(p50), "p99_us": float(p99),
            "max_us": float(mx)}


def blk_linux(cfg, backend, rep, workloads):
    """One boot: every fio engine, every workload. Returns {(engine, workload): sample}."""
    jobs, keys = [], []
    for engine in LINUX_ENGINES:
        for name, rw, bs, qd in workloads:
            jobs.append(f"{engine}:{rw}:{bs}:{qd}:{cfg.secs}")
            keys.append((engine, name))
    g = Guest(cfg, f"blk-linux-{backend}-{rep}", common_args(cfg, cfg.vmlinuz, linux_append(cfg, ",".join(jobs)))
              + extra(cfg, backend, ["-initrd", cfg.initrd]),
              timeout=120 + len(jobs) * (cfg.secs + 30))
    out = {}
    try:
        for job, key in zip(jobs, keys):
            g.expect("RSB json-begin")
            g.expect("RSB json-end")
            text = g.child.before
            i = text.find("{")
            if i < 0:
                raise RuntimeError(f"fio {job}: no JSON: {text.strip()[:400]}")
            data = json.loads(text[i:text.rindex("}") + 1])
            j = data["jobs"][0]
            side = j["write"] if "write" in key[1] else j["read"]
            if j.get("error"):
                raise RuntimeError(f"fio {job}: error {j['error']}")
            pct = side["lat_ns"].get("percentile", {})
            out[key] = {"iops": side["iops"], "mbps": side["bw"] * 1024 / 1e6,
                        "p50_us": pct.get("50.000000", 0) / 1000, "p99_us": pct.get("99.000000", 0) / 1000,
                        "max_us": side["lat_ns"]["max"] / 1000}
        g.expect("RSB done")
        g.wait_exit(60)
    finally:
        g.close()
    return out


def stats_scan(g, dev, points, measure, cost):
    """One ringside boot, one run per point, each between two readings of `stats DEV`:
    measure(point) gives the sample, cost(before, after) what the run cost per request."""
    out = []
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        for p in points:
            before = g.cmd(f"stats {dev}")
            r = measure(p)
            r.update(cost(before, g.cmd(f"stats {dev}")))
            out.append(r)
        g.child.send("poweroff\r")
        g.wait_exit(60)
    finally:
        g.close()
    return out


def blk_cost(before, after):
    d = [int(b) - int(a) for a, b in zip(STATS.search(before).groups(), STATS.search(after).groups())]
    used = max(d[1], 1)
    return {"kicks_per_req": d[2] / used, "irqs_per_req": d[4] / used}


def qd_scan(cfg, depths):
    """ringside IOPS against queue depth (hybrid, null-co), with kicks and irqs per request."""
    g = Guest(cfg, "qdscan-ringside", common_args(cfg, cfg.ringside, ringside_append()) + extra(cfg, "null-co"))
    return stats_scan(g, "blk0", depths, lambda qd: dict(bench_cmd(g, "randread", 4096, qd, cfg.secs), qd=qd),
                      blk_cost)


def parse_acct(text):
    m = ACCT.search(text)
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())} if m else {}


def parse_prof(text):
    return [{"fn": f, "samples": int(n), "share": float(s), "us": float(us)} for f, n, s, us in PROF.findall(text)]


def floor_run(cfg, rep):
    """One boot (null-co, hybrid): at each queue depth the full path (`bench blk`) and the floor
    (`bench blk ... floor`), alternating, plain; then each with acct=on (ticks per request, and what
    accounting costs); then each with prof=on (the top costs per request)."""
    g = Guest(cfg, f"floor-ringside-{rep}", common_args(cfg, cfg.ringside, ringside_append()) + extra(cfg, "null-co"))
    out = {}
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        for qd in cfg.floor_qds:
            r = out[f"qd{qd}"] = {}
            for what, opt in (("", ""), ("_acct", " acct=on"), ("_prof", " prof=on")):
                for path in ("full", "floor"):
                    line = (f"bench blk blk0{' floor' if path == 'floor' else ''} rw=randread bs=4096 qd={qd} "
                            f"secs={cfg.secs}{opt}")
                    text = g.cmd(line, timeout=cfg.secs + 60)
                    m = (FLOOR_RESULT if path == "floor" else RESULT).search(text)
                    if not m:
                        raise RuntimeError(f"floor: no result from {line!r}: {text[-300:]!r}")
                    r[path + what] = {"iops": int(m.group(1)), "acct": parse_acct(text), "prof": parse_prof(text)}
        g.child.send("poweroff\r")
        g.wait_exit(60)
    finally:
        g.close()
    return out


# -- network ------------------------------------------------------------------
class NetNS:
    """A network namespace of the run's own with a tap device; the guest's virtio-net plugs into
    the tap, and the host's benchmark programs (udpecho, curl) run inside the namespace."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.name = f"rsbench{os.getpid()}"

    def __enter__(self):
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            for cmd in (["ip", "link", "set", "lo", "up"], ["ip", "tuntap", "add", "dev", TAP, "mode", "tap"],
                        ["ip", "addr", "add", f"{NET_HOST}/24", "dev", TAP], ["ip", "link", "set", TAP, "up"]):
                subprocess.run(["ip", "netns", "exec", self.name, *cmd], check=True)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run(["ip", "netns", "del", self.name])

    def run(self, args, timeout):
        """args inside the namespace, on the CPUs that QEMU's vCPU thread does not own."""
        pin = ["taskset", "-c", ",".join(map(str, sorted(self.cfg.other_cpus)))] if self.cfg.pin else []
        return subprocess.run(["ip", "netns", "exec", self.name, *pin, *args], capture_output=True,
                              text=True, timeout=timeout)


ECHO_LINE = re.compile(r"^(rtt|pps) (.*)$", re.M)


def udpecho(cfg, ns, mode, size, secs, window=ECHO_WINDOW):
    args = [cfg.udpecho, mode, NET_GUEST, "7", str(size), str(secs)] + ([str(window)] if mode == "pps" else [])
    r = ns.run(args, timeout=secs + 30)
    m = ECHO_LINE.search(r.stdout)
    if r.returncode or not m:
        raise RuntimeError(f"udpecho {mode} {size}: status {r.returncode}: {r.stderr.strip()[:300]}")
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(2).split())}


def tftp_read(cfg, ns, blksize):
    """curl reads the whole disk; the time is curl's run, the granted block size curl's OACK."""
    out = os.path.join(OUT, "tftp.out")
    t0 = time.monotonic()
    r = ns.run(["curl", "-v", "-s", "-S", "--max-time", "300", "--tftp-blksize", str(blksize), "-o", out,
                f"tftp://{NET_GUEST}/disk"], timeout=330)
    secs = time.monotonic() - t0
    if r.returncode:
        raise RuntimeError(f"curl tftp blksize {blksize}: status {r.returncode}: {r.stderr.strip()[-300:]}")
    m = re.search(r"blksize parsed from OACK \((\d+)\)", r.stderr)
    granted = int(m.group(1)) if m else 512  # no blksize in the OACK: RFC 1350's 512
    with open(out, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    os.unlink(out)
    if digest != cfg.tftp_sha256:
        raise RuntimeError(f"curl tftp blksize {blksize}: the data read is not the disk's")
    return {"secs": secs, "mbps": TFTP_SIZE / secs / 1e6, "requested": blksize, "granted": granted}


def qstats(text):
    """{(dev, queue): (added, used, kicks, kicks_suppressed, irqs)} from `stats`."""
    return {(m[0], int(m[1])): tuple(map(int, m[2:])) for m in QSTATS.findall(text)}


def net_cost(before, after, dev, echoes=None):
    """Kicks and interrupts per echoed datagram over both of dev's queues (receive q0, transmit q1);
    an echo is one datagram the guest transmitted (transmit queue's used count)."""
    d = {k: [b - a for a, b in zip(before[k], after[k])] for k in after if k[0] == dev and k in before}
    sent = echoes or max(d.get((dev, 1), [0, 0])[1], 1)
    return {"kicks_per_echo": sum(v[2] for v in d.values()) / sent,
            "irqs_per_echo": sum(v[4] for v in d.values()) / sent}


def linux_irqs(g):
    """The sum of the Linux guest's virtio-net interrupts (input and output vectors)."""
    g.child.send("stat\n")
    g.expect("RSB stat-end")
    text = g.child.before.rsplit("RSB stat", 1)[-1]
    return sum(sum(int(x) for x in line.split()[1:] if x.isdigit())
               for line in text.splitlines() if "-input." in line or "-output." in line)


def net_args(cfg, props=""):
    """The tap net device and the 64 MiB disk that TFTP serves: the same for both guests."""
    return ["--", "-smp", "1,maxcpus=2", *disk_args(cfg, "raw-file", cfg.tftp_img, props=props)]


def net_echo_and_tftp(cfg, ns, g, out, drop=None, cost=None):
    """The round trip, packets per second and TFTP reads against a booted guest."""
    out["rtt"] = udpecho(cfg, ns, "rtt", ECHO_SIZE, cfg.secs)
    c0 = cost() if cost else None
    out["pps"] = udpecho(cfg, ns, "pps", ECHO_SIZE, cfg.secs)
    if cost:
        out["pps"]["irqs_per_echo"] = (cost() - c0) / max(out["pps"]["received"], 1)
    for bs in cfg.tftp_blksizes:
        if drop:
            drop()
        out[f"tftp-{bs}"] = tftp_read(cfg, ns, bs)


def net_ringside(cfg, ns, rep):
    g = Guest(cfg, f"net-ringside-{rep}", common_args(cfg, cfg.ringside, ringside_append(net=True), TAP_NET)
              + net_args(cfg), netns=ns.name)
    out = {}
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)

        def irqs():
            return sum(v[4] for k, v in qstats(g.cmd("stats net0")).items() if k[0] == "net0")
        net_echo_and_tftp(cfg, ns, g, out, cost=irqs)
        echo_acct(cfg, ns, g, out)
        g.child.send("poweroff\r")
        g.wait_exit(60)
    finally:
        g.close()
    return out


NET_TSC = re.compile(r"^(\w+) q(\d+) .*\n  per request:.*\n  tsc: submit=(\d+) complete=(\d+) notify=(\d+)", re.M)
CPU_TSC = re.compile(r"^cpu acct=\w+ tsc_khz=(\d+) idle=(\d+) irq=(\d+) other=(\d+)", re.M)


def net_tsc(text):
    """Ticks of net0's queues (summed) and of the CPU, from `stats net0 -v`."""
    d = {"submit": 0, "complete": 0, "notify": 0}
    for dev, _, s, c, n in NET_TSC.findall(text):
        if dev == "net0":
            d["submit"] += int(s)
            d["complete"] += int(c)
            d["notify"] += int(n)
    m = CPU_TSC.search(text)
    if m:
        d.update(tsc_khz=int(m.group(1)), idle=int(m.group(2)), irq=int(m.group(3)), other=int(m.group(4)))
    return d


def echo_acct(cfg, ns, g, out):
    """The UDP echo's ticks per echo (`stats acct on`, both of net0's queues and the CPU, around a pps
    run), then its top costs (`prof on`, another pps run)."""
    g.cmd("stats acct on")
    a = net_tsc(g.cmd("stats net0 -v"))
    r = udpecho(cfg, ns, "pps", ECHO_SIZE, cfg.secs)
    b = net_tsc(g.cmd("stats net0 -v"))
    g.cmd("stats acct off")
    n = max(r.get("received", 0), 1)
    acct = {k: (b[k] - a[k]) / n for k in ("submit", "complete", "notify", "idle", "irq", "other") if k in a and k in b}
    if "tsc_khz" in b:
        acct["wall"] = r["secs"] * b["tsc_khz"] * 1000 / n
        acct["own"] = sum(acct.get(k, 0) for k in ("submit", "complete", "irq", "other"))
        acct["device"] = acct.get("notify", 0) + acct.get("idle", 0)
        acct["tsc_khz"] = b["tsc_khz"]
    out["pps_acct"] = {"pps": r["pps"], "acct": acct}
    g.cmd("prof on 50")
    r = udpecho(cfg, ns, "pps", ECHO_SIZE, cfg.secs)
    text = g.cmd("prof show 15")
    prof = parse_prof(text)
    n = max(r.get("received", 0), 1)
    total = sum(p["samples"] for p in prof) or 1
    m = re.search(r"prof: samples=(\d+)", text)
    total = int(m.group(1)) if m else total
    for p in prof:  # prof show knows no request count: the share of the run, per echo
        p["us"] = p["samples"] / total * r["secs"] * 1e6 / n
    out["pps_prof"] = {"pps": r["pps"], "prof": prof}


def net_linux(cfg, ns, rep):
    append = linux_append(cfg, "", "rsb.net=1", f"rsb.ip={NET_GUEST}/24", f"rsb.gw={NET_HOST}")
    g = Guest(cfg, f"net-linux-{rep}", common_args(cfg, cfg.vmlinuz, append, TAP_NET)
              + net_args(cfg) + ["-initrd", cfg.initrd], netns=ns.name, timeout=300)
    out = {}
    try:
        g.expect("RSB net-ready", 180)

        def drop():  # tftpd-hpa reads through the page cache: every read starts from the disk
            g.child.send("drop\n")
            g.expect("RSB dropped", 60)
        net_echo_and_tftp(cfg, ns, g, out, drop=drop, cost=lambda: linux_irqs(g))
        g.child.send("quit\n")
        g.expect("RSB done", 60)
        g.wait_exit(60)
    finally:
        g.close()
    return out


def net_scan(cfg, ns, sizes):
    """ringside UDP echo throughput against payload size, with kicks and interrupts per echo."""
    g = Guest(cfg, "netscan-ringside", common_args(cfg, cfg.ringside, ringside_append(net=True), TAP_NET)
              + net_args(cfg), netns=ns.name)
    return stats_scan(g, "net0", sizes, lambda size: udpecho(cfg, ns, "pps", size, cfg.secs),
                      lambda before, after: net_cost(qstats(before), qstats(after), "net0"))


def iommu_mode(mode):
    """(kind, policy) of a configuration: none, KIND-POLICY, or a bare policy (VT-d's, as before)."""
    if mode == "none":
        return None, None
    kind, _, policy = mode.rpartition("-")
    return kind or "vtd", policy


def iommu_run(cfg, ns, mode, rep):
    """One boot of ringside on the IOMMU machine: blk on null-co (blk1), TFTP of the 64 MiB disk (blk0).
    mode none: the same machine and device properties without an IOMMU device."""
    kind, policy = iommu_mode(mode)
    more = IOMMU_KINDS[kind][1] if kind else []
    append = ringside_append(net=True) + (f" iommu={policy}" if policy else "")
    args = (["--machine", IOMMU_MACHINE, "--net-props", IOMMU_PROPS] +
            common_args(cfg, cfg.ringside, append, TAP_NET) + ["--", "-smp", "1,maxcpus=2", *more,
            *disk_args(cfg, "raw-file", cfg.tftp_img, props="," + IOMMU_PROPS),
            *disk_args(cfg, "null-co", node="n1", props="," + IOMMU_PROPS)])
    g = Guest(cfg, f"iommu-{mode}-{rep}", args, netns=ns.name)
    out = {}
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        unit = [ln for ln in g.cmd("iommu").strip().splitlines()[1:] if ln.strip() and not ln.startswith(" ")]
        out["iommu"] = unit[0] if unit else ""
        # bench's buffers come from the device's pool: under iommu=pool its window, used in place
        for qd in (1, 32):
            text = g.cmd(f"bench blk blk1 rw=randread bs=4096 qd={qd} secs={cfg.secs}", timeout=cfg.secs + 60)
            m = RESULT.search(text)
            if not m:
                raise RuntimeError(f"iommu {mode}: no bench result in {text!r}")
            out[f"blk-qd{qd}"] = {"iops": int(m.group(1)), "p50_us": float(m.group(3)), "p99_us": float(m.group(4))}
        out["tftp-1468"] = tftp_read(cfg, ns, 1468)
        # Each domain's maps and unmaps over the whole boot: per-request mapping shows here.
        out["domains"] = [ln.strip() for ln in g.cmd("iommu").splitlines() if ln.strip().startswith("domain ")]
        g.child.send("poweroff\r")
        g.wait_exit(60)
    finally:
        g.close()
    return out


# -- the run ----------------------------------------------------------------
def prepare(cfg):
    os.makedirs(OUT, exist_ok=True)
    cfg.empty = os.path.join(OUT, "empty.elf")
    obj = os.path.join(OUT, "empty.o")
    subprocess.run(["as", "--32", "-o", obj, os.path.join(ROOT, "scripts", "bench", "empty.S")], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext=0x100000", "-e", "_start", "-o", cfg.empty, obj], check=True)
    if not os.path.exists(cfg.ringside):
        raise SystemExit(f"bench: {cfg.ringside} is missing: run make first")
    cfg.raw = os.path.join(OUT, "raw.img")
    if "raw-file" in cfg.backends and (not os.path.exists(cfg.raw) or os.path.getsize(cfg.raw) != RAW_SIZE):
        # Real data, not a sparse file: reads go through the host's page cache.
        with open(cfg.raw, "wb") as f:
            block = bytes(range(256)) * 4096
            for _ in range(RAW_SIZE // len(block)):
                f.write(block)
    if set(cfg.parts) & NET_PARTS:
        if os.geteuid() != 0:
            raise SystemExit("bench: the network parts need root (a network namespace with a tap device); "
                             "leave them out with --parts")
        for tool in ("curl", "ip", "gcc"):
            if not shutil.which(tool):
                raise SystemExit(f"bench: the network parts need {tool}")
        cfg.udpecho = os.path.join(OUT, "udpecho")
        subprocess.run(["gcc", "-O2", "-Wall", "-o", cfg.udpecho, UDPECHO_SRC], check=True)
        cfg.tftp_img = os.path.join(OUT, "tftp.img")
        # Real data (not zeros), so that a wrong block is seen: every read is checked against it.
        block = bytes((i * 131 + i // 4096) & 0xff for i in range(1 << 16))
        if not os.path.exists(cfg.tftp_img) or os.path.getsize(cfg.tftp_img) != TFTP_SIZE:
            with open(cfg.tftp_img, "wb") as f:
                for _ in range(TFTP_SIZE // len(block)):
                    f.write(block)
        with open(cfg.tftp_img, "rb") as f:
            cfg.tftp_sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    if not cfg.ringside_only:
        subprocess.run([LINUX_SH, "--out", cfg.linux_dir], check=True)
        cfg.vmlinuz = os.path.join(cfg.linux_dir, "vmlinuz")
        cfg.initrd = os.path.join(cfg.linux_dir, "initramfs.gz")
        cfg.initrd_boot = os.path.join(cfg.linux_dir, "initramfs-boot.gz")


def retry(res, fn, *args, tries=3):
    """One guest run, again from the start if QEMU died under it (another process on a
    shared machine may kill it); every retry is recorded and reported."""
    for attempt in range(tries):
        try:
            return fn(*args)
        except (pexpect.EOF, pexpect.TIMEOUT, RuntimeError, subprocess.TimeoutExpired) as e:
            what = f"{fn.__name__}{tuple(a for a in args[1:] if isinstance(a, (str, int)))}"
            why = str(e).splitlines()[0][:200]
            res["retries"].append(f"{what}: {type(e).__name__}: {why}")
            log(f"bench: {what} failed ({type(e).__name__}: {why}); attempt {attempt + 1} of {tries}")
            if attempt == tries - 1:
                raise
    return None


def other_qemus(stop, counts):
    """Samples, once a second, how many QEMUs that are not ours run on the machine."""
    me = os.getpid()
    while not stop.wait(1.0):
        n = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    st = f.read()
                if "(qemu-system-x86" in st and int(st.rsplit(")", 1)[1].split()[1]) != me:
                    n += 1
            except (OSError, ValueError, IndexError):
                pass
        counts.append(n)


def run(cfg):
    res = {"boot": {"floor": [], "ringside": [], "linux": [], "floor_microvm": [], "ringside_microvm": [],
                    "ringside_quiet": [], "ringside_microvm_quiet": []}, "blk": {}, "qdscan": [], "floor": [],
           "retries": [],
           "other_qemu_samples": [], "net": {"ringside": [], "linux": []}, "netscan": [], "iommu": {}}
    res["started"] = time.strftime("%Y-%m-%d %H:%M %Z")
    stop = threading.Event()
    threading.Thread(target=other_qemus, args=(stop, res["other_qemu_samples"]), daemon=True).start()
    workloads = [w for w in BLK_WORKLOADS if not cfg.workloads or w[0] in cfg.workloads]
    guests = ["ringside"] if cfg.ringside_only else ["ringside", "linux"]
    t_start = time.monotonic()
    if "boot" in cfg.parts:
        for rep in range(cfg.boot_reps):
            res["boot"]["floor"].append(retry(res, boot_floor, cfg, rep))
            res["boot"]["ringside"].append(retry(res, boot_ringside, cfg, rep))
            res["boot"]["ringside_quiet"].append(retry(res, boot_ringside, cfg, rep, False, True))
            res["boot"]["floor_microvm"].append(retry(res, boot_floor_microvm, cfg, rep))
            res["boot"]["ringside_microvm"].append(retry(res, boot_ringside, cfg, rep, True))
            res["boot"]["ringside_microvm_quiet"].append(retry(res, boot_ringside, cfg, rep, True, True))
            if "linux" in guests:
                res["boot"]["linux"].append(retry(res, boot_linux, cfg, rep))
            log(f"bench: boot rep {rep + 1}/{cfg.boot_reps} done ({time.monotonic() - t_start:.0f} s)")
    if "blk" in cfg.parts:
        for rep in range(cfg.reps):
            for backend in cfg.backends:
                for guest in guests:
                    fn = blk_ringside if guest == "ringside" else blk_linux
                    for (cfgname, wl), sample in retry(res, fn, cfg, backend, rep, workloads).items():
                        key = f"{backend}|{wl}|{guest}-{cfgname}"
                        res["blk"].setdefault(key, []).append(sample)
                log(f"bench: blk rep {rep + 1}/{cfg.reps} {backend} done ({time.monotonic() - t_start:.0f} s)")
    if "qdscan" in cfg.parts:
        res["qdscan"] = retry(res, qd_scan, cfg, cfg.qd_scan)
        log(f"bench: qd scan done ({time.monotonic() - t_start:.0f} s)")
    if "floor" in cfg.parts:
        for rep in range(cfg.reps):
            res["floor"].append(retry(res, floor_run, cfg, rep))
            log(f"bench: floor rep {rep + 1}/{cfg.reps} done ({time.monotonic() - t_start:.0f} s)")
    if set(cfg.parts) & NET_PARTS:
        with NetNS(cfg) as ns:
            if "net" in cfg.parts:
                for rep in range(cfg.reps):
                    for guest in guests:
                        fn = net_ringside if guest == "ringside" else net_linux
                        res["net"][guest].append(retry(res, fn, cfg, ns, rep))
                    log(f"bench: net rep {rep + 1}/{cfg.reps} done ({time.monotonic() - t_start:.0f} s)")
            if "netscan" in cfg.parts:
                res["netscan"] = retry(res, net_scan, cfg, ns, cfg.net_scan)
                log(f"bench: net scan done ({time.monotonic() - t_start:.0f} s)")
            if "iommu" in cfg.parts:
                for rep in range(cfg.reps):
                    for mode in cfg.iommu_modes:
                        res["iommu"].setdefault(mode, []).append(retry(res, iommu_run, cfg, ns, mode, rep))
                    log(f"bench: iommu rep {rep + 1}/{cfg.reps} done ({time.monotonic() - t_start:.0f} s)")
    stop.set()
    res["elapsed_s"] = time.monotonic() - t_start
    return res


# -- reporting --------------------------------------------------------------
def med(samples, key):
    vals = [s[key] for s in samples if key in s]
    return statistics.median(vals) if vals else float("nan")


def machine_info(cfg):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    osr = platform.freedesktop_os_release().get("PRETTY_NAME", "") if hasattr(platform, "freedesktop_os_release") else ""
    kver = ""
    if not cfg.ringside_only:
        try:
            with open(os.path.join(cfg.linux_dir, "version")) as f:
                kver = f.read().strip()
        except OSError:
            kver = "linux-image-amd64"
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem_gib), "qemu": qemu,
            "host": f"{osr} (kernel {platform.release()})", "load": load, "linux_guest": kver}


def net_med(samples, key, field):
    return med([x[key] for x in samples if key in x], field)


def fmt(x, nd=0):
    return "—" if x != x else f"{x:.{nd}f}"  # NaN: not measured


def ratio(a, b, nd=2):
    return "—" if a != a or b != b or not b else f"**{a / b:.{nd}f}**"


def net_rows(cfg, res):
    """(label, ringside, linux, digits) of the network comparison."""
    n = res.get("net", {})
    rs, lx = n.get("ringside", []), n.get("linux", [])
    if not rs:
        return []
    rows = [(f"UDP echo round trip p50 (us), {ECHO_SIZE} B, one in flight", net_med(rs, "rtt", "p50_us"),
             net_med(lx, "rtt", "p50_us"), 1),
            (f"UDP echo round trip p99 (us), {ECHO_SIZE} B", net_med(rs, "rtt", "p99_us"), net_med(lx, "rtt", "p99_us"), 1),
            (f"UDP echoes per second, {ECHO_SIZE} B, {ECHO_WINDOW} in flight", net_med(rs, "pps", "pps"),
             net_med(lx, "pps", "pps"), 0),
            ("interrupts per echo in that run", net_med(rs, "pps", "irqs_per_echo"),
             net_med(lx, "pps", "irqs_per_echo"), 3)]
    shorts = ["RTT p50 (us)", "RTT p99 (us)", "echoes/s"]
    for bs in cfg.tftp_blksizes:
        key = f"tftp-{bs}"
        gr = net_med(rs, key, "granted")
        gl = net_med(lx, key, "granted")
        rows.append((f"TFTP read of the 64 MiB disk (MB/s), blksize {bs} asked, granted {fmt(gr)} / {fmt(gl)}",
                     net_med(rs, key, "mbps"), net_med(lx, key, "mbps"), 1))
        shorts += [None, f"TFTP {bs} (MB/s)"] if len(shorts) == 3 else [f"TFTP {bs} (MB/s)"]
    net_rows.shorts = shorts
    return rows


IOMMU_MEASURES = (("blk-qd1", "iops", 0), ("blk-qd32", "iops", 0), ("tftp-1468", "mbps", 1))


def iommu_value(samples, key, field, best=False):
    """The median of one measure, or with best the fastest run (every measure here is a rate); runs from
    before this table's keys (blk-qdN-pool-default) count too."""
    vals = [v for v in (x.get(key) or x.get(f"{key}-pool-default") for x in samples) if v]
    if best:
        return max((v[field] for v in vals), default=float("nan"))
    return med(vals, field)


def iommu_order(io):
    known = [m for m in IOMMU_MODES if m in io]
    return known + sorted(m for m in io if m not in known)


def iommu_rows(cfg, res, best=False):
    """The table's rows: each configuration against none, and each IOMMU's pool against its floor; medians,
    or with best each configuration's fastest run."""
    io = res.get("iommu") or {}
    base = io.get("none")
    rows, floors = [], []
    for mode in iommu_order(io):
        kind, policy = iommu_mode(mode)
        cells = []
        for key, field, nd in IOMMU_MEASURES:
            v = iommu_value(io[mode], key, field, best)
            b = iommu_value(base, key, field, best) if base else float("nan")
            cells += [fmt(v, nd), ratio(v, b)]
        name = "none (no IOMMU)" if mode == "none" else IOMMU_KINDS[kind][0]
        rows.append(f"| {name} | {policy or ''} | " + " | ".join(cells) + " |")
        floor = f"{kind}-floor"
        if policy == "pool" and floor in io:
            cells = [ratio(iommu_value(io[mode], k, f, best), iommu_value(io[floor], k, f, best))
                     for k, f, _ in IOMMU_MEASURES]
            floors.append(f"| {IOMMU_KINDS[kind][0]} | " + " | ".join(cells) + " |")
    return rows, floors


def tables(cfg, res):
    """Markdown tables of medians; also what the plots read."""
    acc = f"accelerator: **{cfg.accel.upper()}**"
    lines = []
    b = res["boot"]
    if b["ringside"]:
        lines += [f"### Boot ({acc}, median of {len(b['ringside'])})", "",
                  "| guest | QEMU start to ready / init (ms) | QEMU start to exit (ms) | guest's own clock (ms) |",
                  "|---|---:|---:|---:|"]
        fl = med(b["floor"], "exit_s") * 1000
        lines.append(f"| empty guest (floor) | | {fl:.0f} | |")
        rs = med(b["ringside"], "ready_s") * 1000
        lines.append(f"| ringside (to `ringside: ready`) | {rs:.0f} | {med(b['ringside'], 'exit_s') * 1000:.0f} "
                     f"| boot_us: {med(b['ringside'], 'boot_us') / 1000:.1f} |")
        if b.get("ringside_microvm"):
            mv = b["ringside_microvm"]
            lines.append(f"| empty guest on microvm (floor) | | {med(b['floor_microvm'], 'exit_s') * 1000:.0f} | |")
            lines.append(f"| ringside on microvm (virtio-mmio) | {med(mv, 'ready_s') * 1000:.0f} | "
                         f"{med(mv, 'exit_s') * 1000:.0f} | boot_us: {med(mv, 'boot_us') / 1000:.1f} |")
        if b["linux"]:
            lx = med(b["linux"], "ready_s") * 1000
            lines.append(f"| Linux (to init's first line) | {lx:.0f} | {med(b['linux'], 'exit_s') * 1000:.0f} "
                         f"| /proc/uptime at init: {med(b['linux'], 'uptime_s') * 1000:.0f} |")
            lines += ["", f"ringside/Linux, QEMU start to ready: **{rs / lx:.3f}** (Linux takes {lx / rs:.1f}x as long); "
                      f"above the floor: {(rs - fl) / (lx - fl):.3f} ({(lx - fl) / max(rs - fl, 1e-9):.1f}x).", ""]
    for backend in cfg.backends:
        wls = sorted({k.split("|")[1] for k in res["blk"] if k.startswith(backend + "|")},
                     key=lambda w: [x[0] for x in BLK_WORKLOADS].index(w))
        if not wls:
            continue
        n = len(next(iter(res["blk"].values())))
        lines += [f"### Block, {backend} backend ({acc}, {cfg.secs} s per run, median of {n})", "",
                  "| workload | guest / mode | IOPS | MB/s | p50 us | p99 us |", "|---|---|---:|---:|---:|---:|"]
        ratios = []
        for wl in wls:
            rows = [(k.split("|")[2], v) for k, v in res["blk"].items() if k.startswith(f"{backend}|{wl}|")]
            for name, v in rows:
                lines.append(f"| {wl} | {name} | {med(v, 'iops'):.0f} | {med(v, 'mbps'):.1f} | "
                             f"{med(v, 'p50_us'):.1f} | {med(v, 'p99_us'):.1f} |")
            best_r = max((med(v, "iops"), n) for n, v in rows if n.startswith("ringside"))
            best_l = max(((med(v, "iops"), n) for n, v in rows if n.startswith("linux")), default=None)
            if best_l:
                ratios.append(f"| {wl} | {best_r[1]} {best_r[0]:.0f} | {best_l[1]} {best_l[0]:.0f} | "
                              f"**{best_r[0] / best_l[0]:.2f}** |")
        if ratios:
            lines += ["", f"Best of each side, {backend} ({acc}): ratio ringside/Linux in IOPS", "",
                      "| workload | ringside best | Linux best | ratio |", "|---|---|---|---:|", *ratios]
        lines.append("")
    if res["qdscan"]:
        lines += [f"### ringside IOPS against queue depth (null-co, hybrid, 4 KiB randread, {acc}, one run)", "",
                  "| qd | IOPS | p50 us | p99 us | kicks/request | interrupts/request |", "|---:|---:|---:|---:|---:|---:|"]
        for r in res["qdscan"]:
            lines.append(f"| {r['qd']} | {r['iops']} | {r['p50_us']:.1f} | {r['p99_us']:.1f} | "
                         f"{r['kicks_per_req']:.3f} | {r['irqs_per_req']:.3f} |")
        lines.append("")
    rows = net_rows(cfg, res)
    if rows:
        n = len(res["net"]["ringside"])
        lines += [f"### Network: UDP echo and TFTP ({acc}, {cfg.secs} s per echo run, median of {n})", "",
                  "| workload | ringside | Linux | ringside/Linux |", "|---|---:|---:|---:|"]
        for label, r, x, nd in rows:
            lines.append(f"| {label} | {fmt(r, nd)} | {fmt(x, nd)} | {ratio(r, x)} |")
        lines.append("")
    if res.get("netscan"):
        lines += [f"### ringside UDP echo throughput against payload size (hybrid, {ECHO_WINDOW} in flight, {acc}, one run)",
                  "", "| payload (bytes) | echoes/s | Mbit/s (payload, one way) | kicks/echo | interrupts/echo |",
                  "|---:|---:|---:|---:|---:|"]
        for r in res["netscan"]:
            lines.append(f"| {r['size']:.0f} | {r['pps']:.0f} | {r['mbps']:.1f} | {r['kicks_per_echo']:.3f} | "
                         f"{r['irqs_per_echo']:.3f} |")
        lines.append("")
    rows, floors = iommu_rows(cfg, res)
    if rows:
        n = len(next(iter(res["iommu"].values())))
        lines += [f"### IOMMU overhead (ringside, {acc}, {cfg.secs} s per blk run, median of {n})", "",
                  "Ratios are to `none`, the same machine and devices with no IOMMU (1.00: no overhead; 0.80: 20% "
                  "slower). `pool`: each device reaches one window mapped once; `floor`: all of RAM mapped once with "
                  "the largest pages (no isolation), what QEMU's translation costs by itself; `strict`: a mapping "
                  "per request, invalidated before it is given back.", "",
                  "| IOMMU | policy | 4 KiB randread qd=1 IOPS | ratio | qd=32 IOPS | ratio | TFTP 1468 MB/s | ratio |",
                  "|---|---|---:|---:|---:|---:|---:|---:|", *rows, ""]
        if floors:
            lines += ["Pool mode against the floor of the same IOMMU (1.00: the window costs nothing beyond QEMU's "
                      "own translation):", "", "| IOMMU | qd=1 pool/floor | qd=32 pool/floor | TFTP pool/floor |",
                      "|---|---:|---:|---:|", *floors, ""]
        brows, bfloors = iommu_rows(cfg, res, best=True)
        lines += [f"The same runs, each configuration's fastest of {n}. The host these numbers come from is itself "
                  "a virtual machine, and its runs fall into two speeds about 30% apart, whichever configuration is "
                  "running (the raw samples: results.json); the median of a configuration that drew more slow runs "
                  "than another ranks them by luck, down to a `none` below configurations that do strictly more "
                  "work. Interference only ever slows a run down, so the fastest run is the estimate of what a "
                  "configuration costs by itself; the targets below are judged on it.", "",
                  "| IOMMU | policy | 4 KiB randread qd=1 IOPS | ratio | qd=32 IOPS | ratio | TFTP 1468 MB/s | ratio |",
                  "|---|---|---:|---:|---:|---:|---:|---:|", *brows, ""]
        if bfloors:
            lines += ["| IOMMU | qd=1 pool/floor (fastest) | qd=32 pool/floor | TFTP pool/floor |",
                      "|---|---:|---:|---:|", *bfloors, ""]
        lines += ["What ringside's `iommu` command said in each configuration (first line, then the domains after the runs):",
                  "", "```"]
        for mode in iommu_order(res["iommu"]):
            last = res["iommu"][mode][-1]
            lines.append(f"{mode}: {last.get('iommu', '')}")
            lines += [f"    {d}" for d in last.get("domains", [])]
        lines += ["```", ""]
    return "\n".join(lines)


BOOT_CONFIGS = [("q35", "narrated", "ringside", "floor"), ("q35", "quiet", "ringside_quiet", "floor"),
                ("microvm", "narrated", "ringside_microvm", "floor_microvm"),
                ("microvm", "quiet", "ringside_microvm_quiet", "floor_microvm")]


def acct_med(samples, key):
    """Per-key medians of the acct dicts of samples[*][key]."""
    ds = [s[key]["acct"] for s in samples if s.get(key, {}).get("acct")]
    return {k: statistics.median(d[k] for d in ds if k in d) for k in ds[0]} if ds else {}


def floor_rows(cfg, res):
    """(qd, full IOPS, floor IOPS, full acct=on IOPS) medians of the floor part."""
    fl = res.get("floor") or []
    rows = []
    for qd in cfg.floor_qds:
        s = [r[f"qd{qd}"] for r in fl if f"qd{qd}" in r]
        if s:
            rows.append((qd, med([x["full"] for x in s], "iops"), med([x["floor"] for x in s], "iops"),
                         med([x["full_acct"] for x in s], "iops"), med([x["floor_acct"] for x in s], "iops"), s))
    return rows


def paired(s, f):
    """ringside's ready minus the empty guest's exit, boot by boot of the same repetition (the two boot
    one after the other, so a host that changed speed between repetitions slows both)."""
    return [a["ready_s"] - b["exit_s"] for a, b in zip(s, f) if "ready_s" in a and "exit_s" in b]


def fastest(samples, key):
    vals = [x[key] for x in samples if key in x]
    return min(vals) if vals else float("nan")


def floor_doc(cfg, res):
    """The section "How close to the floor" (issue 17): boot against the empty guest, each boot step, the
    floor benchmark against the full path, ticks per request, the profile, and the targets."""
    acc = f"accelerator: **{cfg.accel.upper()}**"
    b = res["boot"]
    out = []
    boot = [(m, n, b.get(k) or [], b.get(f) or []) for m, n, k, f in BOOT_CONFIGS if b.get(k)]
    if boot:
        out += [f"### Boot against the floor ({acc}, median of {len(boot[0][2])})", "",
                "The floor is the empty guest's QEMU start to exit on the same machine type; `ready − floor` is what "
                "ringside adds. boot_us is the guest's own clock to the ready line (the narration is then still "
                "queued for the UART); `narration out` is when the last queued byte had gone to the UART "
                "(`boot`'s drained_us). `paired`: the median over repetitions of ready minus the empty guest's exit "
                "in the same repetition. The fastest boot_us beside the median: on this host some boots take a "
                "stall of about 4 ms in QEMU's own memory (the host's huge-page faults; the stall stays with "
                "`-mem-prealloc`, so it is not the guest's RAM), which only ever adds, so the fastest boot is the "
                "estimate of what the guest's boot costs by itself; the targets below are judged on it.", "",
                "| machine | log | QEMU start to ready (ms) | empty guest start to exit (ms) | ready − floor (ms) | "
                "ready − floor, paired (ms) | boot_us (ms) | boot_us, fastest (ms) | narration out (ms) | "
                "console bytes |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for m, n, s, f in boot:
            rd, fx = med(s, "ready_s") * 1000, med(f, "exit_s") * 1000
            pd = paired(s, f)
            out.append(f"| {m} | {n} | {rd:.1f} | {fx:.1f} | {rd - fx:.1f} | "
                       f"{fmt(statistics.median(pd) * 1000 if pd else float('nan'), 1)} | "
                       f"{med(s, 'boot_us') / 1000:.2f} | {fastest(s, 'boot_us') / 1000:.2f} | "
                       f"{fmt(med(s, 'drained_us') / 1000, 2)} | {fmt(med(s, 'console_bytes'))} |")
        names = []
        for _, _, s, _ in boot:
            for x in s:
                names += [k for k in x.get("phases", {}) if k not in names]
        if names:
            out += ["", f"Each step of the boot (`boot -v`, microseconds, median; `ready` is the ready line itself):",
                    "", "| step | " + " | ".join(f"{m} {n}" for m, n, _, _ in boot) + " |",
                    "|---|" + "---:|" * len(boot)]
            for name in names:
                cells = []
                for _, _, s, _ in boot:
                    v = [x["phases"][name] for x in s if name in x.get("phases", {})]
                    cells.append(f"{statistics.median(v):.0f}" if v else "—")
                out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    rows = floor_rows(cfg, res)
    if rows:
        out += [f"### The floor against the full path (null-co, 4 KiB randread, hybrid, {acc}, {cfg.secs} s per run, "
                f"median of {len(rows[0][5])})", "",
                "`bench blk blk0 floor`: qd chains (header, the same buffers, status) built once and published again "
                "as the device uses them, nothing else. The full path is `bench blk`: the block layer, the driver's "
                "request, the ring's checks, the completion and the benchmark's own bookkeeping (a latency sample, "
                "the next random sector). Runs alternate.", "",
                "| qd | full path IOPS | floor IOPS | full / floor | full path with acct=on | acct=on / off |",
                "|---:|---:|---:|---:|---:|---:|"]
        for qd, full, floor, fa, _, _ in rows:
            out.append(f"| {qd} | {full:.0f} | {floor:.0f} | {ratio(full, floor)} | {fa:.0f} | {ratio(fa, full)} |")
        out.append("")
    acct_rows = []
    for qd, *_, s in rows:
        for path in ("full", "floor"):
            a = acct_med(s, path + "_acct")
            if a:
                acct_rows.append(acct_row(f"blk qd={qd}, {'full path' if path == 'full' else 'floor'}", a))
    net_rs = res.get("net", {}).get("ringside") or []
    ea = [x["pps_acct"]["acct"] for x in net_rs if x.get("pps_acct", {}).get("acct")]
    if ea:
        a = {k: statistics.median(d[k] for d in ea if k in d) for k in ea[0]}
        acct_rows.append(acct_row(f"UDP echo, {ECHO_SIZE} B, {ECHO_WINDOW} in flight (per echo, both queues)", a))
    if acct_rows:
        out += [f"### Where each request's time goes ({acc}, TSC ticks per request, median)", "",
                "With acct=on (kernel/acct.h; each tick counted once, in the innermost path: what a completion "
                "submits is submit's): own = submit + complete + irq + other (ringside's code: the driver, the ring, "
                "the loop, the benchmark or the network stack), device = notify (the doorbell writes, an exit into "
                "QEMU) + idle (hlt while the device works). wall = own + device.", "",
                "| workload | wall | submit | complete | irq | other | **own** | notify | idle | own (us) | wall (us) |",
                "|---|" + "---:|" * 10, *acct_rows, ""]
    profs = []
    for qd, *_, s in rows:
        for path in ("full", "floor"):
            prof = s[-1].get(path + "_prof", {}).get("prof") or []
            if prof:
                profs += [f"blk qd={qd}, {'full path' if path == 'full' else 'floor'}:", "",
                          "| function | share of samples | us per request |", "|---|---:|---:|"]
                profs += [f"| {p['fn']} | {p['share']:.1f}% | {p['us']:.3f} |" for p in prof[:12]]
                profs.append("")
    ep = [x["pps_prof"] for x in net_rs if x.get("pps_prof", {}).get("prof")]
    if ep:
        profs += [f"UDP echo ({ECHO_SIZE} B, {ECHO_WINDOW} in flight), per echo:", "",
                  "| function | share of samples | us per echo |", "|---|---:|---:|"]
        profs += [f"| {p['fn']} | {p['share']:.1f}% | {p['us']:.3f} |" for p in ep[-1]["prof"][:12]]
        profs.append("")
    if profs:
        out += ["### The top costs per request", "",
                "`prof=on`: the instruction the timer interrupted, every 50 us, by function, in the last repetition. "
                "cpu_idle is the sleep in hlt: waiting for the device. Under TCG an interrupt is taken only between "
                "translated blocks, so a function's share is the share of blocks that ended in it.", "", *profs]
    t = floor_targets(cfg, res)
    if t:
        out += ["### The targets of the issue (#17)", "", t, ""]
    return "\n".join(out)


def acct_row(label, a):
    khz = a.get("tsc_khz") or 1
    own = a.get("own", sum(a.get(k, 0) for k in ("submit", "complete", "irq", "other")))
    return (f"| {label} | " + " | ".join(f"{a.get(k, float('nan')):.0f}" for k in
                                        ("wall", "submit", "complete", "irq", "other")) +
            f" | **{own:.0f}** | {a.get('notify', float('nan')):.0f} | {a.get('idle', float('nan')):.0f} | "
            f"{own / khz * 1000:.2f} | {a.get('wall', float('nan')) / khz * 1000:.2f} |")


def floor_targets(cfg, res):
    rows = []
    b = res["boot"]
    for machine, key, fkey, goal in (("q35", "ringside", "floor", 15), ("microvm", "ringside_microvm", "floor_microvm", 10)):
        pd = paired(b.get(key) or [], b.get(fkey) or [])
        if pd:
            d = statistics.median(pd) * 1000
            rows.append(f"| QEMU start to ready within {goal} ms of the empty guest on {machine} (paired) | "
                        f"{d:.1f} ms | {'met' if d <= goal else 'not met'} |")
    for key, what in (("ringside", "q35"), ("ringside_quiet", "q35, quiet"), ("ringside_microvm", "microvm"),
                      ("ringside_microvm_quiet", "microvm, quiet")):
        if b.get(key):
            us, best = med(b[key], "boot_us") / 1000, fastest(b[key], "boot_us") / 1000
            rows.append(f"| boot_us under 10 ms ({what}; fastest, median) | {best:.2f} ms, {us:.2f} ms | "
                        f"{'met' if best < 10 else 'not met'} |")
    for qd, full, floor, *_ in floor_rows(cfg, res):
        q = full / floor if floor else float("nan")
        rows.append(f"| full path at least 0.90 of the floor's IOPS, qd={qd} | {q:.2f} | {'met' if q >= 0.9 else 'not met'} |")
    return "\n".join(["| target | this run | |", "|---|---:|---|", *rows]) if rows else ""


def targets(cfg, res):
    """The issues' targets against this run's medians (the IOMMU rows: the fastest runs)."""
    rows = []
    b = res["boot"]
    if b["ringside"] and b["linux"]:
        x = med(b["linux"], "ready_s") / med(b["ringside"], "ready_s")
        rows.append(f"| boot to ready at least 25x faster than Linux to its init | {x:.1f}x | "
                    f"{'met' if x >= 25 else 'not met'} |")
    for backend in cfg.backends:
        for wl in ("randread-4k-qd1", "randread-4k-qd32"):
            rs = [med(v, "iops") for k, v in res["blk"].items() if k.startswith(f"{backend}|{wl}|ringside")]
            lx = [med(v, "iops") for k, v in res["blk"].items() if k.startswith(f"{backend}|{wl}|linux")]
            if rs and lx:
                x = max(rs) / max(lx)
                rows.append(f"| {wl} IOPS at least 2x Linux's best fio mode ({backend}) | {x:.2f}x | "
                            f"{'met' if x >= 2 else 'not met'} |")
    nr = {label: (r, x) for label, r, x, _ in net_rows(cfg, res)}
    lx = res.get("net", {}).get("linux")
    if nr and lx:
        r, x = list(nr.values())[0]
        q = r / x
        rows.append(f"| UDP echo round trip (p50) at most 2/3 of Linux's | {q:.2f} of Linux's | "
                    f"{'met' if q <= 2 / 3 else 'not met'} |")
        r, x = list(nr.values())[2]
        q = r / x
        rows.append(f"| UDP echo packets per second at least 1.5x Linux's | {q:.2f}x | {'met' if q >= 1.5 else 'not met'} |")
        for label, (r, x) in nr.items():
            if label.startswith("TFTP"):
                q = r / x
                what = label.split("(MB/s), ")[1]
                rows.append(f"| TFTP read at least 2x tftpd-hpa ({what}) | {q:.2f}x | {'met' if q >= 2 else 'not met'} |")
    else:
        rows.append("| UDP echo round trip, packets per second, TFTP read against tftpd-hpa | not measured | "
                    "not in this run |")
    rows += iommu_targets(res)
    return "\n".join(["| target | this run | |", "|---|---:|---|", *rows])


def iommu_targets(res):
    """Pool mode within 10% of no IOMMU; where even the floor is not, within 5% of the floor. On each
    configuration's fastest run (the IOMMU section says why)."""
    io = res.get("iommu") or {}
    rows = []
    for kind, (name, _) in IOMMU_KINDS.items():
        pool, floor = io.get(f"{kind}-pool"), io.get(f"{kind}-floor")
        if not pool or not io.get("none"):
            continue
        for key, field, _ in IOMMU_MEASURES:
            p, b = iommu_value(pool, key, field, True), iommu_value(io["none"], key, field, True)
            f = iommu_value(floor, key, field, True) if floor else float("nan")
            what = {"blk-qd1": "4 KiB randread qd=1", "blk-qd32": "4 KiB randread qd=32", "tftp-1468": "TFTP 1468"}[key]
            if p / b >= 0.9:
                rows.append(f"| {name} pool, {what}: at least 0.90 of no IOMMU | {p / b:.2f} | met |")
            elif f == f and f / b < 0.9:
                q = p / f
                rows.append(f"| {name} pool, {what}: the floor is {f / b:.2f} of no IOMMU, so at least 0.95 of the "
                            f"floor | {q:.2f} of the floor ({p / b:.2f} of none) | {'met' if q >= 0.95 else 'not met'} |")
            else:
                rows.append(f"| {name} pool, {what}: at least 0.90 of no IOMMU | {p / b:.2f} | not met |")
    return rows


def plots(cfg, res, outdir):
    """gnuplot PNGs; returns the file names written."""
    if not shutil.which("gnuplot"):
        log("bench: no gnuplot (package gnuplot-nox): plots skipped")
        return []
    written = []
    dat = os.path.join(OUT, "plot")
    os.makedirs(dat, exist_ok=True)

    def gp(name, script):
        png = os.path.join(outdir, name)
        subprocess.run(["gnuplot"], input=f"set terminal pngcairo size 900,500 noenhanced font ',10'\n"
                       f"set output '{png}'\n" + script, text=True, check=True)
        written.append(name)

    b = res["boot"]
    if b["ringside"]:
        with open(os.path.join(dat, "boot.dat"), "w") as f:
            f.write(f"\"empty guest\" {med(b['floor'], 'exit_s') * 1000:.1f}\n")
            f.write(f"ringside {med(b['ringside'], 'ready_s') * 1000:.1f}\n")
            if b.get("ringside_microvm"):
                f.write(f"\"empty guest, microvm\" {med(b['floor_microvm'], 'exit_s') * 1000:.1f}\n")
                f.write(f"\"ringside, microvm\" {med(b['ringside_microvm'], 'ready_s') * 1000:.1f}\n")
            if b["linux"]:
                f.write(f"Linux {med(b['linux'], 'ready_s') * 1000:.1f}\n")
        gp("bench-boot.png", f"""set title 'QEMU start to ready (ringside) / to init (Linux) / to exit (empty), {cfg.accel.upper()}'
set ylabel 'ms (log scale)'; set logscale y; set style fill solid 0.6; set boxwidth 0.5; set grid y
set yrange [10:*]; unset key
plot '{dat}/boot.dat' using 0:2:xtic(1) with boxes lc rgb '#4a7ab5', '' using 0:2:(sprintf('%.0f',$2)) with labels offset 0,1
""")
    for backend in cfg.backends:
        keys = [k for k in res["blk"] if k.startswith(backend + "|")]
        if not keys:
            continue
        wls = [w[0] for w in BLK_WORKLOADS if any(k.split("|")[1] == w[0] for k in keys)]
        cols = sorted({k.split("|")[2] for k in keys}, key=lambda c: (not c.startswith("ringside"), c))
        fn = os.path.join(dat, f"blk-{backend}.dat")
        with open(fn, "w") as f:
            f.write("workload " + " ".join(cols) + "\n")
            for wl in wls:
                f.write(wl + " " + " ".join(f"{med(res['blk'].get(f'{backend}|{wl}|{c}', []), 'iops'):.0f}"
                                              for c in cols) + "\n")
        gp(f"bench-blk-{backend}.png", f"""set title 'Block IOPS, {backend} backend, {cfg.accel.upper()} (median)'
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8
set ylabel 'IOPS (log scale)'; set logscale y; set yrange [100:*]; set grid y; set key outside right top
plot for [i=2:{len(cols) + 1}] '{fn}' using i:xtic(1) title columnheader(i)
""")
    rows = net_rows(cfg, res)
    if rows and res["net"].get("linux"):
        fn = os.path.join(dat, "net.dat")
        with open(fn, "w") as f:
            for (label, r, x, _), short in zip(rows, net_rows.shorts):
                if short:
                    f.write(f'"{short}" {r:.2f} {x:.2f}\n')
        gp("bench-net.png", f"""set title 'Network, ringside and Linux ({cfg.accel.upper()}, median): round trip (us, lower is better), echoes/s and TFTP MB/s (higher is better)'
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8
set logscale y; set grid y; set key top right
plot '{fn}' using 2:xtic(1) title 'ringside' lc rgb '#4a7ab5', '' using 3 title 'Linux' lc rgb '#c0504d', \\
     '' using 0:2:(sprintf('%.0f',$2)) with labels offset -2,0.7 notitle, '' using 0:3:(sprintf('%.0f',$3)) with labels offset 2,0.7 notitle
""")
    if res.get("netscan"):
        fn = os.path.join(dat, "netscan.dat")
        with open(fn, "w") as f:
            for r in res["netscan"]:
                f.write(f"{r['size']:.0f} {r['pps']:.0f} {r['kicks_per_echo']:.4f} {r['irqs_per_echo']:.4f}\n")
        gp("bench-netscan.png", f"""set title 'ringside UDP echo against payload size ({ECHO_WINDOW} in flight, hybrid, {cfg.accel.upper()})'
set xlabel 'UDP payload (bytes)'; set ylabel 'echoes/s'; set y2label 'per echo'; set ytics nomirror
set y2tics; set grid; set key bottom left; set yrange [0:*]; set y2range [0:*]
plot '{fn}' using 1:2 with linespoints title 'echoes/s', '' using 1:3 axes x1y2 with linespoints title 'kicks/echo', \\
     '' using 1:4 axes x1y2 with linespoints title 'interrupts/echo'
""")
    if res["qdscan"]:
        fn = os.path.join(dat, "qdscan.dat")
        with open(fn, "w") as f:
            for r in res["qdscan"]:
                f.write(f"{r['qd']} {r['iops']} {r['kicks_per_req']:.4f} {r['irqs_per_req']:.4f}\n")
        gp("bench-qdscan.png", f"""set title 'ringside 4 KiB randread against queue depth (null-co, hybrid, {cfg.accel.upper()})'
set logscale x 2; set xlabel 'queue depth'; set ylabel 'IOPS'; set y2label 'per request'; set ytics nomirror
set y2tics; set grid; set key top left
plot '{fn}' using 1:2 with linespoints title 'IOPS', '' using 1:3 axes x1y2 with linespoints title 'kicks/request', \\
     '' using 1:4 axes x1y2 with linespoints title 'interrupts/request'
""")
    return written


def net_what(cfg, res):
    """The "What was run" items of the network, cost-growth and IOMMU parts present in res."""
    items = []
    others = ",".join(map(str, sorted(cfg.other_cpus)))
    if res["boot"].get("ringside_quiet"):
        items.append("- Boot, ringside also with `quiet` on its command line (the narration held back until the "
                     "ready line) on both machine types, and `boot -v` after each ready line: each step's time by the "
                     "guest's TSC.")
    if res.get("floor"):
        items.append(
            f"- Floor, ringside only: one boot per repetition ({len(res['floor'])}), null-co, hybrid; at each queue "
            f"depth ({', '.join(map(str, cfg.floor_qds))}) `bench blk blk0 rw=randread bs=4096 qd=N secs={cfg.secs}` "
            "and the same with `floor`, alternating; then both with `acct=on`, then both with `prof=on`.")
    if res.get("net", {}).get("ringside") or res.get("netscan") or res.get("iommu"):
        items.append(
            f"- Network, both guests: a tap device in a network namespace of the run's own (host side {NET_HOST}/24,"
            f" guest {NET_GUEST}/24), the same `virtio-net-pci` defaults on `-netdev tap` for both, and a 64 MiB raw file"
            " of patterned data as the virtio-blk disk (`driver=raw,file.driver=file,cache.no-flush=on`,"
            " `num-queues=2`). The host's side runs inside the namespace"
            + (f", pinned to CPU(s) {others} (not QEMU's)" if cfg.pin else "") + ".")
    if res.get("net", {}).get("ringside"):
        items.append(
            f"- UDP echo: one host program for both guests, `scripts/bench/udpecho.c` (built with the host's gcc into"
            f" the work directory). `udpecho rtt {NET_GUEST} 7 {ECHO_SIZE} {cfg.secs}`: one {ECHO_SIZE}-byte datagram in"
            " flight, round-trip times from CLOCK_MONOTONIC, p50 and p99; `udpecho pps ... "
            f"{ECHO_SIZE} {cfg.secs} {ECHO_WINDOW}`: {ECHO_WINDOW} datagrams kept in flight, echoes per second. Every"
            " echo is checked byte for byte. Servers: ringside's UDP echo on port 7; in the Linux guest"
            " `udpecho serve 7`, the same source built with `gcc -static` by linux-guest.sh (busybox-static has no UDP"
            " echo server): a plain recvfrom/sendto loop. Interrupts per echo: ringside's `stats net0` (both queues),"
            " Linux's virtio-net input and output vectors in /proc/interrupts, before and after the pps run.")
        items.append(
            f"- TFTP: `curl --tftp-blksize N -o FILE tftp://{NET_GUEST}/disk` for N in "
            f"{', '.join(map(str, cfg.tftp_blksizes))}, timed from curl's start to its exit; the 64 MiB read is checked"
            " against the disk image (sha256); the granted block size is curl's (`blksize parsed from OACK`). ringside's"
            " TFTP server reads blk0. tftpd-hpa (Debian's in.tftpd, with Debian's default `--secure`, standalone"
            " `--listen`) serves a device node of /dev/vda made inside its chroot, so it reads the same virtio-blk disk"
            " through Linux's page cache, which the guest's init empties (`sync; echo 3 > /proc/sys/vm/drop_caches`)"
            " before every read: each read comes from the disk, as ringside's does. One option differs from Debian's"
            " default: `--refuse tsize`, because for a device tftpd-hpa offers `tsize=0` and curl then aborts"
            " (\"invalid tsize\"); the transfer itself does not use tsize.")
        items.append(f"- Network: {len(res['net']['ringside'])} repetition(s), ringside and Linux alternating, one boot"
                     " of each guest per repetition running every network workload.")
    if res.get("netscan"):
        items.append(
            f"- Cost growth, ringside only: `udpecho pps` ({ECHO_WINDOW} in flight, {cfg.secs} s) at payloads "
            f"{', '.join(str(int(r['size'])) for r in res['netscan'])} bytes, and `bench blk` 4 KiB randread on null-co"
            " at each queue depth of the qd scan; kicks and interrupts per request are the differences of `stats`"
            " before and after each run (for the echo: both of net0's queues, per datagram transmitted).")
    if res.get("iommu"):
        n = len(next(iter(res["iommu"].values())))
        modes = ", ".join(f"`{m}`" for m in iommu_order(res["iommu"]))
        items.append(
            f"- IOMMU overhead, ringside only: `--machine {IOMMU_MACHINE}` with `{IOMMU_PROPS}` on virtio-net and both"
            " disks (blk0: the 64 MiB file, served by TFTP; blk1: null-co, for `bench blk blk1 rw=randread bs=4096"
            f" qd=1|32 secs={cfg.secs}`, its buffers from the device's pool), plus one IOMMU device"
            " (`-device intel-iommu,intremap=on`, `-device amd-iommu` or `-device virtio-iommu-pci`) booted with"
            " ringside's `iommu=` policy; the baseline `none` is the same machine and device properties with no IOMMU"
            f" device. Configurations {modes}. TFTP read of the 64 MiB disk at blksize 1468. {n} repetition(s), the"
            " configurations alternating.")
    return "".join(i + "\n" for i in items)


def write_doc(cfg, res, table, pngs, path):
    mi = machine_info(cfg)
    cmd = "make bench" + (" QUICK=1" if cfg.quick else "") + (f" REPS={cfg.reps}" if not cfg.quick else "")
    boot_reps = len(res["boot"]["ringside"])
    samples = res.get("other_qemu_samples")
    if samples:
        share = sum(1 for n in samples if n) / len(samples)
        busy = (f"sampled once a second, another QEMU, not this benchmark's, was running during "
                f"{share * 100:.0f}% of it")
    else:
        busy = "not sampled"
    if cfg.note:
        busy += "; " + cfg.note
    retries = ""
    if res.get("retries"):
        retries = ("Guest runs that were started again (QEMU died under them, or a run gave no result; "
                   "the failed attempt's numbers are not used):\n\n" +
                   "".join(f"- {r}\n" for r in res["retries"]) + "\n")
    accel_note = (" (this CPU has no vmx/svm, so KVM would be slower than TCG; TCG timings are the emulator's:"
                  " only ratios between guests of the same run mean anything)" if cfg.accel == "tcg" else "")
    others = ",".join(map(str, sorted(cfg.other_cpus)))
    pin_note = (f"Every QEMU thread (vCPU, main loop, I/O) pinned to host CPU {cfg.qemu_cpu} (sched_setaffinity as"
                f" the threads appear); the host's side of the network workloads to CPU(s) {others}. Splitting"
                " the vCPU from QEMU's main loop made every guest several times slower here (each kick and"
                " completion a cross-CPU wake-up)." if cfg.pin else "No pinning.")
    doc = f"""# Performance: ringside against a Linux guest

Written by `scripts/bench/run.sh` (`{cmd}`), run started {res.get('started', time.strftime('%Y-%m-%d %H:%M %Z'))}; the whole run
took {res['elapsed_s'] / 60:.1f} minutes. Every number below comes from that run. Run `make bench` to
measure your own machine (`QUICK=1` for a short run, `REPS=N` for more repetitions).

## What was run

- Accelerator: **{cfg.accel.upper()}**{accel_note}.
- Both guests through `scripts/qemu.sh` with the same QEMU command line apart from the kernel:
  `-M q35 -cpu {'qemu64' if cfg.accel == 'tcg' else 'host'} -m {cfg.mem} -smp 1,maxcpus=2`, one `virtio-net-pci` on user networking,
  one `virtio-blk-pci,num-queues=2` on `-blockdev null-co,size=1G,read-zeroes=on` or on a 512 MiB raw
  file (`driver=raw,file.driver=file,cache.no-flush=on`, host page cache). `maxcpus=2` lets Linux's
  virtio_blk size two queues with one vCPU, so that `virtio_blk.poll_queues=1` gets one.
- One guest at a time; ringside and Linux alternate within every repetition. {pin_note}
- ringside: `build/ringside.elf` booted with `ip={GUEST_IP} gw={GUEST_GW}`; block numbers from the shell's
  `bench blk blk0 rw=... bs=... qd=... secs={cfg.secs}` in each mode (`mode blk0 poll|irq|hybrid`), all in one boot.
- Linux: Debian's kernel ({mi['linux_guest']}) with its virtio modules, a busybox initramfs and
  Debian's fio (scripts/bench/linux-guest.sh): `fio --filename=/dev/vda --direct=1 --time_based --runtime={cfg.secs}
  --lat_percentiles=1` with `--ioengine=libaio`, `io_uring`, and `io_uring --hipri=1` on a polled queue, all in one boot.
  Latency is fio's total latency (submission to completion), as ringside's is.
- Boot: QEMU start (the spawn of scripts/qemu.sh) to ringside's ready line, to the first line of Linux's
  /init (an initramfs with busybox and the modules only: Linux at its best), and to QEMU's exit for an empty
  multiboot guest that only writes isa-debug-exit (scripts/bench/empty.S): the floor, QEMU's own cost.
  {boot_reps} boots of each, alternating.
- Block: {cfg.reps} repetition(s) of each workload on each backend.
{net_what(cfg, res)}
## The machine

- CPU: {mi['cpu']}, {mi['cores']} cores; {mi['mem_gib']} GiB; {mi['host']}
- {mi['qemu']}
- Load average when the report was written: {mi['load'][0]:.2f} {mi['load'][1]:.2f} {mi['load'][2]:.2f}.
  Caveat: other work (builds and test runs of other branches) may have shared this two-core machine during
  the run ({busy}); the alternation of ringside and Linux within every repetition spreads that noise over both sides,
  and the medians damp it, but single numbers can be off.

## Results

{table}

### The targets of the issue (#8, and #16's IOMMU rows)

Medians, except the IOMMU rows: each configuration's fastest run (the IOMMU section says why).

{targets(cfg, res)}

## How close to the floor

{floor_doc(cfg, res) or "Not measured in this run (parts boot and floor)."}

""" + "".join(f"![{p}]({p})\n\n" for p in pngs) + f"""{retries}## Reading the numbers

{cfg.notes}
"""
    with open(path, "w") as f:
        f.write(doc)


NOTES = """- Under TCG every guest instruction is translated, so the guest that runs fewer instructions per
  request wins by far more than it would under KVM: a Linux request goes through the system call, io_uring
  or libaio, the block layer, blk-mq and virtio_blk, all emulated; ringside's goes from the benchmark loop
  straight onto the ring. The device side (QEMU's virtio-blk and block layer, the host page cache for the
  raw file) costs the same for both guests. Under KVM the ratios will be smaller; run `make bench` on a
  machine with vmx/svm to see by how much.
- `null-co` isolates the guests and QEMU's virtqueue handling; the raw file adds QEMU's file I/O through
  the host page cache, the same for both guests.
- ringside's poll mode used to lose to irq by 10x at qd=32 because it sent one doorbell per request: each
  completion resubmitted its request and kicked at once, and under TCG a kick is an exit that takes QEMU's
  big lock and costs one pass of QEMU's main loop, which then found a single request (QEMU's `-trace
  virtio_queue_notify -trace virtio_blk_handle_read`: 1.1 reads per notify in poll mode, 31 in irq mode,
  where the vCPU sleeps in `hlt` until the main loop has completed the whole batch). The virtio core now
  holds a queue's kicks while its completions are taken and sends one for the batch (`vq_defer_kicks`):
  0.03 kicks per request in every mode. What remains is TCG's and the host's: a busy-polling vCPU gives
  its host CPU back only when the scheduler preempts it, so QEMU's main loop, pinned to the same CPU,
  sometimes waits a whole time slice (3-5 ms) to see a kick (`perf record -e sched:sched_switch`: 164 such
  waits in 2 s). Poll mode has the best median latency and the worst tail, and at qd=1 its IOPS stay at
  or below irq's; irq and hybrid hand the CPU to QEMU with `hlt`. `pause` in the spin is not the cause:
  without it nothing changes once kicks are batched. Under KVM the vCPU and QEMU's I/O thread do not
  share one host CPU this way.
- Linux's polled queue (`io_uring --hipri` on `virtio_blk.poll_queues=1`) is no faster than interrupts
  here, for the same reason: under TCG a spinning guest steals the time of the emulated device.
- Boot: the Linux figure is QEMU start to the first line of /init with a 1.4 MiB initramfs (busybox and
  the modules only); decompressing and starting the kernel are what ringside does not have. The floor is
  what QEMU costs per boot (creating the machine, SeaBIOS, loading the kernel over fw_cfg, tearing down) and no
  guest can go under it: above the floor, the ratio is much larger than the raw one.
- The kicks and interrupts per request in the queue-depth scan come from ringside's `stats blk0` before and
  after each run: both fall as 1/qd, one kick and one interrupt covering a whole queue's worth of requests.
- UDP echo: ringside's echo runs in its network stack with no process or system call in between; Linux
  wakes a user process and crosses the system-call boundary twice per echo (recvfrom, sendto), all of it
  emulated under TCG. The interrupts per echo (table) show how many echoes each interrupt covers with 32
  datagrams in flight, on each side. A Linux echo server with recvmmsg/sendmmsg batches would do better than the plain
  loop measured here; the plain loop is what most UDP services are.
- TFTP is lock-step: one block, one ACK, so the read rate is set by the round trip and by the block size.
  Both servers grant the block size asked (ringside up to 65464 since this issue; it used to cap it at one
  frame, 1468 bytes, which lost to tftpd-hpa at 65464); a block larger than a frame goes out as one IP
  datagram of up to 45 fragments. At 1468 the comparison is one of per-packet cost; at 65464 most of the
  time goes into fragmenting, reassembling and copying 64 KiB per round trip. Each tftpd-hpa read starts
  with an empty page cache; Linux's readahead then reads the disk in large requests.
- IOMMU: every translated DMA goes through QEMU's emulated IOMMU (VT-d and AMD-Vi: an IOTLB lookup, a page
  walk on a miss; virtio-iommu: a lookup in its tree of mappings), ring accesses included; that is the
  `floor`, with all of RAM mapped once. `pool` adds what ringside's isolation costs: each device reaches
  only its 8 MiB window, mapped once; bench's and TFTP's buffers are in it, so nothing is mapped, bounced
  or invalidated per request (the `iommu` lines count maps, unmaps and bounces per domain over the boot).
  `strict` maps and unmaps every request's pages and waits for the invalidation (VT-d: queued
  invalidation, one wait descriptor per unmap; AMD-Vi: INVALIDATE_IOMMU_PAGES and one COMPLETION_WAIT;
  virtio-iommu: a MAP and an UNMAP request each, answered during the notify) (docs/iommu.md).
- How close to the floor, boot: the empty guest already pays QEMU's start, SeaBIOS and the multiboot
  load; what ringside adds is the rest. Under TCG four things set it: the first run of any code is
  translated before it runs (QEMU's `info jit` at the ready line: 5,300 blocks, of which the empty
  guest's firmware is 3,100; the guest's own instructions to the ready line are 2.7 million under
  `-icount shift=0`, half of them the TSC calibration's wait), each rebuild of QEMU's memory map (a PCI
  function's memory decoding turned off and on to size its BARs, bus mastering turned on: five per
  virtio device) costs about half a millisecond, the first touch of each 2 MiB of guest RAM is a host
  huge-page fault (QEMU backs guest RAM with transparent huge pages; on this host, itself a VM, one
  costs 4-6 ms when the host must find fresh memory, and much less when it reuses what the last QEMU
  freed: the "random stalls" of single boot steps), and every byte to the 16550 is an exit and a
  write(2) on the host: a narrated boot's 2 KB of lines cost more than the rest of it, which is why
  `quiet` is measured too. ringside's boot touches the image's 2 MiB and the top ones, where the
  firmware's tables already are (kernel/mm.c): 7 huge-page faults in all to the ready line, the empty
  guest 6 (the seventh: TCG's code buffer passing 2 MiB). The console is buffered, so the boot
  does not wait for the UART (boot_us), but the host sees the ready line only after the narration
  before it (`narration out`).
- How close to the floor, requests: the floor and the full path wait for the same device (QEMU's
  virtio-blk on null-co, under the big lock the vCPU also takes for every exit), with the same kicks
  and interrupts per request (`stats`: one of each per 32 requests at qd=32); the difference is the guest's own
  instructions per request, where each call and return is an indirect jump that TCG looks up, and each
  memory access a TLB lookup. At qd=1 that is a small part of a request's round trip; at qd=32 the
  device is fast enough that the guest's own ticks (own, in the tick table) set the rate. The profile
  says where they go: the block layer's checks and the driver's request (dispatch), the ring's checks
  and indirect table (vq_add), the completion (complete, blk_poll, vq_get) and the benchmark's own
  bookkeeping (done, issue: a latency sample and a random sector each)."""


def main():
    global OUT
    ap = argparse.ArgumentParser(description="ringside against a Linux guest on the same QEMU")
    ap.add_argument("--reps", type=int, help="repetitions of every block workload (3, QUICK 1)")
    ap.add_argument("--boot-reps", type=int, help="boots of each guest for the boot times (5, QUICK 2)")
    ap.add_argument("--secs", type=int, help="seconds per block run (3, QUICK 1)")
    ap.add_argument("--quick", action="store_true", help="1 repetition, 1 s runs, fewer boots")
    ap.add_argument("--accel", default="auto", choices=["auto", "kvm", "tcg"])
    ap.add_argument("--mem", default="512M", help="guest RAM for both guests (512M: fio's libraries are large)")
    ap.add_argument("--parts", default=",".join(PARTS), help="comma list of " + ", ".join(PARTS) +
                    " (net, netscan and iommu need root: a network namespace with a tap device)")
    ap.add_argument("--workloads", default="", help="comma list of block workload names (all): " +
                    ",".join(w[0] for w in BLK_WORKLOADS))
    ap.add_argument("--backends", default=",".join(BACKENDS), help="comma list of null-co, raw-file")
    ap.add_argument("--qd-scan", default=",".join(map(str, QD_SCAN)), help="queue depths of the qd scan")
    ap.add_argument("--floor-qds", default=",".join(map(str, FLOOR_QDS)),
                    help="queue depths at which the floor part compares the full path with the floor")
    ap.add_argument("--net-scan", default=",".join(map(str, NET_SCAN)),
                    help="UDP payload sizes of the net scan (1..1472: one frame each)")
    ap.add_argument("--tftp-blksizes", default=",".join(map(str, TFTP_BLKSIZES)),
                    help="TFTP block sizes curl asks for (8..65464)")
    ap.add_argument("--iommu-modes", default=",".join(IOMMU_MODES),
                    help="comma list of none (no IOMMU device) and KIND-POLICY, KIND one of " + ", ".join(IOMMU_KINDS) +
                    ", POLICY one of " + ", ".join(IOMMU_POLICIES) + " (ringside's iommu=; a bare POLICY is VT-d's)")
    ap.add_argument("--ringside-only", action="store_true", help="leave the Linux guest out (smoke runs)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin QEMU's threads")
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "PERFORMANCE.md"),
                    help="report to write, plots next to it ('' for none)")
    ap.add_argument("--ringside", default=os.path.join(BUILD, "ringside.elf"))
    ap.add_argument("--linux-dir", default=os.path.join(BUILD, "linux-guest"))
    ap.add_argument("--from-results", metavar="JSON",
                    help="write the report and plots again from a results.json, without running anything")
    ap.add_argument("--work", default=OUT, help="logs, raw samples and the scratch disk (build/bench)")
    ap.add_argument("--note", default="", help="a sentence added to the report's caveat")
    ap.add_argument("--dry-run", action="store_true", help="print the plan and exit")
    cfg = ap.parse_args()
    OUT = os.path.abspath(cfg.work)
    if cfg.reps is None:
        cfg.reps = 1 if cfg.quick else 3
    if cfg.reps < 1:
        ap.error("--reps must be at least 1")
    cfg.parts = [p for p in cfg.parts.split(",") if p]
    for p in cfg.parts:
        if p not in PARTS:
            ap.error(f"unknown part {p!r}")
    try:
        cfg.net_scan = [int(x) for x in cfg.net_scan.split(",") if x]
        cfg.tftp_blksizes = [int(x) for x in cfg.tftp_blksizes.split(",") if x]
    except ValueError:
        ap.error("--net-scan and --tftp-blksizes take comma lists of numbers")
    if not cfg.net_scan or any(not 1 <= x <= 1472 for x in cfg.net_scan):
        ap.error("--net-scan: sizes in 1..1472")
    if not cfg.tftp_blksizes or any(not 8 <= x <= 65464 for x in cfg.tftp_blksizes):
        ap.error("--tftp-blksizes: sizes in 8..65464")
    cfg.iommu_modes = [m for m in cfg.iommu_modes.split(",") if m]
    for m in cfg.iommu_modes:
        kind, policy = iommu_mode(m)
        if m != "none" and (kind not in IOMMU_KINDS or policy not in IOMMU_POLICIES):
            ap.error(f"unknown IOMMU mode {m!r}")
    cfg.backends = [b for b in cfg.backends.split(",") if b]
    for b in cfg.backends:
        if b not in BACKENDS:
            ap.error(f"unknown backend {b!r}")
    cfg.workloads = [w for w in cfg.workloads.split(",") if w]
    for w in cfg.workloads:
        if w not in [x[0] for x in BLK_WORKLOADS]:
            ap.error(f"unknown workload {w!r}")
    cfg.qd_scan = [int(q) for q in cfg.qd_scan.split(",") if q]
    try:
        cfg.floor_qds = [int(q) for q in cfg.floor_qds.split(",") if q]
    except ValueError:
        ap.error("--floor-qds takes a comma list of numbers")
    if not cfg.floor_qds or any(not 1 <= q <= 256 for q in cfg.floor_qds):
        ap.error("--floor-qds: queue depths in 1..256")
    if cfg.secs is None:
        cfg.secs = 1 if cfg.quick else 3
    if cfg.boot_reps is None:
        cfg.boot_reps = 2 if cfg.quick else 5
    if cfg.accel == "auto":
        cfg.accel = subprocess.run([QEMU_SH, "--print"], capture_output=True, text=True,
                                   check=True).stdout.split("-accel ")[1].split()[0]
    cpus = sorted(os.sched_getaffinity(0))
    cfg.pin = not cfg.no_pin and len(cpus) >= 2
    cfg.qemu_cpu = cpus[-1]  # all of QEMU; the host's side of a workload gets the rest
    cfg.other_cpus = set(cpus[:-1])
    cfg.notes = NOTES
    plan = (f"bench: accel={cfg.accel} reps={cfg.reps} boot_reps={cfg.boot_reps} secs={cfg.secs} "
            f"parts={','.join(cfg.parts)} backends={','.join(cfg.backends)} "
            f"workloads={','.join(cfg.workloads) or 'all'} guests={'ringside' if cfg.ringside_only else 'ringside,linux'} "
            f"pin={'qemu:%d host:%s' % (cfg.qemu_cpu, ','.join(map(str, sorted(cfg.other_cpus)))) if cfg.pin else 'off'}")
    if cfg.from_results:
        with open(cfg.from_results) as f:
            saved = json.load(f)
        keep = {"doc": cfg.doc, "from_results": cfg.from_results, "notes": cfg.notes, "note": cfg.note}
        vars(cfg).update(saved["config"])
        vars(cfg).update(keep)
        cfg.other_cpus = set(cfg.other_cpus)
        cfg.qemu_cpu = saved["config"].get("qemu_cpu", saved["config"].get("vcpu_cpu"))
        return report(cfg, saved["results"])
    log(plan)
    if cfg.dry_run:
        return 0
    prepare(cfg)
    res = run(cfg)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        conf = {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(cfg).items()
                if isinstance(v, (int, str, list, bool, set)) and k != "notes"}
        json.dump({"config": conf, "results": res}, f, indent=1)
    return report(cfg, res)


def report(cfg, res):
    table = tables(cfg, res)
    print(table)
    if cfg.doc:
        os.makedirs(os.path.dirname(os.path.abspath(cfg.doc)), exist_ok=True)
        pngs = plots(cfg, res, os.path.dirname(os.path.abspath(cfg.doc)))
        write_doc(cfg, res, table, pngs, cfg.doc)
        log(f"bench: wrote {cfg.doc} and {len(pngs)} plot(s); raw samples in {OUT}/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
