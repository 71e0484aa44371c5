#!/usr/bin/python3
"""bench.py - ringside against a Linux guest on the same QEMU, side by side.

Run through scripts/bench/run.sh (or `make bench`); --help lists the options.
Every guest is started through scripts/qemu.sh with the same devices, memory,
CPU count and accelerator; one guest at a time; ringside and Linux alternate
within each repetition. Results: a table of medians on stdout, the raw
samples in build/bench/results.json, docs/PERFORMANCE.md and PNG plots.
"""
import argparse
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

GUEST_IP, GUEST_GW = "10.0.2.15/24", "10.0.2.2"
NULL_SIZE = 1 << 30
RAW_SIZE = 512 << 20

# name, rw, block size, queue depth
BLK_WORKLOADS = [
    ("randread-4k-qd1", "randread", 4096, 1),
    ("randread-4k-qd32", "randread", 4096, 32),
    ("read-128k-qd1", "read", 131072, 1),
    ("randwrite-4k-qd1", "randwrite", 4096, 1),
]
RINGSIDE_MODES = ["poll", "irq", "hybrid"]
LINUX_ENGINES = ["libaio", "io_uring", "io_uring_hipri"]
BACKENDS = ["null-co", "raw-file"]
QD_SCAN = [1, 2, 4, 8, 16, 32, 64, 128]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# -- guests ---------------------------------------------------------------
def pin_threads(pid, vcpu_cpu, other_cpus, stop):
    """Pin QEMU's vCPU thread to one host CPU and its other threads to the rest."""
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
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    comm = f.read().strip()
                cpus = {vcpu_cpu} if comm.startswith("CPU ") else other_cpus
                os.sched_setaffinity(int(tid), cpus)
                seen.add(tid)
            except OSError:
                pass
        stop.wait(0.05)


class Guest:
    """One QEMU through scripts/qemu.sh; t0 is taken just before the spawn."""

    def __init__(self, cfg, name, qemu_args, timeout=120):
        self.cfg = cfg
        os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
        self.log = open(os.path.join(OUT, "logs", name + ".log"), "w")
        args = ["--accel", cfg.accel, "--mem", cfg.mem] + qemu_args
        self.t0 = time.monotonic()
        self.child = pexpect.spawn(QEMU_SH, args, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout, echo=False, maxread=65536)
        self.child.logfile_read = self.log
        self.stop = threading.Event()
        self.pinner = None
        if cfg.pin:
            self.pinner = threading.Thread(target=pin_threads, daemon=True,
                                           args=(self.child.pid, cfg.vcpu_cpu, cfg.other_cpus, self.stop))
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


def disk_args(cfg, backend):
    """The same virtio-blk device for both guests; only the backend changes."""
    if backend == "null-co":
        node = f"null-co,node-name=n0,size={NULL_SIZE},read-zeroes=on"
    else:
        node = f"driver=raw,node-name=n0,file.driver=file,file.filename={cfg.raw},cache.no-flush=on"
    return ["-blockdev", node, "-device", "virtio-blk-pci,drive=n0,num-queues=2"]


def common_args(cfg, kernel, append):
    return ["--kernel", kernel, "--append", append, "--net", "user"]


def extra(cfg, backend, more=()):
    # maxcpus=2: one vCPU runs, but Linux sizes its queues by the possible CPUs and
    # needs two queues to give virtio_blk.poll_queues=1 one of them.
    return ["--", "-smp", "1,maxcpus=2", *disk_args(cfg, backend), *more]


def ringside_append(mode="hybrid"):
    return f"ip={GUEST_IP} gw={GUEST_GW} mode={mode}"


# -- workloads --------------------------------------------------------------
def boot_floor(cfg, rep):
    g = Guest(cfg, f"boot-floor-{rep}", common_args(cfg, cfg.empty, "") + extra(cfg, "null-co"))
    return {"exit_s": g.wait_exit(30)}


def boot_ringside(cfg, rep):
    g = Guest(cfg, f"boot-ringside-{rep}",
              common_args(cfg, cfg.ringside, ringside_append()) + extra(cfg, "null-co"))
    try:
        m, t = g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        g.child.send("poweroff\r")
        return {"ready_s": t, "boot_us": int(m.group(1)), "exit_s": g.wait_exit(30)}
    finally:
        g.close()


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


def linux_append(cfg, jobs):
    return subprocess.run([LINUX_SH, "--out", cfg.linux_dir, "--print-append", jobs],
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


def qd_scan(cfg, depths):
    """ringside IOPS against queue depth (hybrid, null-co), with kicks and irqs per request."""
    g = Guest(cfg, "qdscan-ringside", common_args(cfg, cfg.ringside, ringside_append()) + extra(cfg, "null-co"))
    out = []
    try:
        g.expect(READY, 60)
        g.child.expect_exact(PROMPT)
        for qd in depths:
            s0 = STATS.search(g.cmd("stats blk0"))
            r = bench_cmd(g, "randread", 4096, qd, cfg.secs)
            s1 = STATS.search(g.cmd("stats blk0"))
            d = [int(b) - int(a) for a, b in zip(s0.groups(), s1.groups())]
            used = max(d[1], 1)
            r.update(qd=qd, kicks_per_req=d[2] / used, irqs_per_req=d[4] / used)
            out.append(r)
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
        except (pexpect.EOF, pexpect.TIMEOUT, RuntimeError) as e:
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
    res = {"boot": {"floor": [], "ringside": [], "linux": []}, "blk": {}, "qdscan": [], "retries": [],
           "other_qemu_samples": []}
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
    return "\n".join(lines)


def targets(cfg, res):
    """The issue's targets against this run's medians."""
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
    rows.append("| UDP echo round trip, packets per second, TFTP read against tftpd-hpa | not measured | "
                "not in this run |")
    return "\n".join(["| target | this run | |", "|---|---:|---|", *rows])


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
    pin_note = (f"QEMU's vCPU thread pinned to host CPU {cfg.vcpu_cpu}, its other threads to CPU(s) {others}"
                " (sched_setaffinity as the threads appear)." if cfg.pin else "No pinning.")
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

## The machine

- CPU: {mi['cpu']}, {mi['cores']} cores; {mi['mem_gib']} GiB; {mi['host']}
- {mi['qemu']}
- Load average when the report was written: {mi['load'][0]:.2f} {mi['load'][1]:.2f} {mi['load'][2]:.2f}.
  Caveat: other work (builds and test runs of other branches) may have shared this two-core machine during
  the run ({busy}); the alternation of ringside and Linux within every repetition spreads that noise over both sides,
  and the medians damp it, but single numbers can be off.

## Results

{table}

### The targets of the issue (#8)

{targets(cfg, res)}

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
- ringside's poll mode is slower than irq and hybrid under TCG, by far at qd=32. The likely cause, not yet
  confirmed with perf: poll mode spins on the used ring with `pause` (cpu_relax), and TCG's `pause` helper
  leaves the translated code to let another CPU run (`do_pause` in QEMU's target/i386/tcg/misc_helper.c),
  so every spin goes through QEMU's vCPU loop and the big QEMU lock that the main loop thread needs to
  complete requests. In irq and hybrid mode the vCPU sits in `hlt` while the device works. If that is it,
  it is TCG's cost, not the ring's: under KVM a `pause` stays in the guest unless pause-loop exiting
  triggers.
- Linux's polled queue (`io_uring --hipri` on `virtio_blk.poll_queues=1`) is no faster than interrupts
  here, for the same reason: under TCG a spinning guest steals the time of the emulated device.
- Boot: the Linux figure is QEMU start to the first line of /init with a 1.4 MiB initramfs (busybox and
  the modules only); decompressing and starting the kernel are what ringside does not have. The floor is
  what QEMU costs per boot (creating the machine, SeaBIOS, loading the kernel over fw_cfg, tearing down) and no
  guest can go under it: above the floor, the ratio is much larger than the raw one.
- The kicks and interrupts per request in the queue-depth scan come from ringside's `stats blk0` before and
  after each run: both fall as 1/qd, one kick and one interrupt covering a whole queue's worth of requests.
- Not in this run: the network workloads (UDP echo round trip and packets per second, TFTP reads against
  tftpd-hpa). The Linux guest carries in.tftpd and configures eth0, but run.sh does not drive them yet."""


def main():
    global OUT
    ap = argparse.ArgumentParser(description="ringside against a Linux guest on the same QEMU")
    ap.add_argument("--reps", type=int, help="repetitions of every block workload (3, QUICK 1)")
    ap.add_argument("--boot-reps", type=int, help="boots of each guest for the boot times (5, QUICK 2)")
    ap.add_argument("--secs", type=int, help="seconds per block run (3, QUICK 1)")
    ap.add_argument("--quick", action="store_true", help="1 repetition, 1 s runs, fewer boots")
    ap.add_argument("--accel", default="auto", choices=["auto", "kvm", "tcg"])
    ap.add_argument("--mem", default="512M", help="guest RAM for both guests (512M: fio's libraries are large)")
    ap.add_argument("--parts", default="boot,blk,qdscan", help="comma list of boot, blk, qdscan")
    ap.add_argument("--workloads", default="", help="comma list of block workload names (all): " +
                    ",".join(w[0] for w in BLK_WORKLOADS))
    ap.add_argument("--backends", default=",".join(BACKENDS), help="comma list of null-co, raw-file")
    ap.add_argument("--qd-scan", default=",".join(map(str, QD_SCAN)), help="queue depths of the qd scan")
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
        if p not in ("boot", "blk", "qdscan"):
            ap.error(f"unknown part {p!r}")
    cfg.backends = [b for b in cfg.backends.split(",") if b]
    for b in cfg.backends:
        if b not in BACKENDS:
            ap.error(f"unknown backend {b!r}")
    cfg.workloads = [w for w in cfg.workloads.split(",") if w]
    for w in cfg.workloads:
        if w not in [x[0] for x in BLK_WORKLOADS]:
            ap.error(f"unknown workload {w!r}")
    cfg.qd_scan = [int(q) for q in cfg.qd_scan.split(",") if q]
    if cfg.secs is None:
        cfg.secs = 1 if cfg.quick else 3
    if cfg.boot_reps is None:
        cfg.boot_reps = 2 if cfg.quick else 5
    if cfg.accel == "auto":
        cfg.accel = subprocess.run([QEMU_SH, "--print"], capture_output=True, text=True,
                                   check=True).stdout.split("-accel ")[1].split()[0]
    cpus = sorted(os.sched_getaffinity(0))
    cfg.pin = not cfg.no_pin and len(cpus) >= 2
    cfg.vcpu_cpu = cpus[-1]
    cfg.other_cpus = set(cpus[:-1])
    cfg.notes = NOTES
    plan = (f"bench: accel={cfg.accel} reps={cfg.reps} boot_reps={cfg.boot_reps} secs={cfg.secs} "
            f"parts={','.join(cfg.parts)} backends={','.join(cfg.backends)} "
            f"workloads={','.join(cfg.workloads) or 'all'} guests={'ringside' if cfg.ringside_only else 'ringside,linux'} "
            f"pin={'vcpu:%d other:%s' % (cfg.vcpu_cpu, ','.join(map(str, sorted(cfg.other_cpus)))) if cfg.pin else 'off'}")
    if cfg.from_results:
        with open(cfg.from_results) as f:
            saved = json.load(f)
        keep = {"doc": cfg.doc, "from_results": cfg.from_results, "notes": cfg.notes, "note": cfg.note}
        vars(cfg).update(saved["config"])
        vars(cfg).update(keep)
        cfg.other_cpus = set(cfg.other_cpus)
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
