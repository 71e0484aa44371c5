#!/usr/bin/python3
"""ab.py - two or more ringside builds against each other, boot after boot, on the same block workload.

Usage: scripts/bench/ab.py [--boots N] [--cpu C] A.elf B.elf [...] -- "shell command" [...]

Each boot runs the shell commands in order; the `bench blk` ones give an IOPS figure each. The builds
take turns (A B, then B A, ...), so a host that changes speed during the run (docs/PERFORMANCE.md,
"Reading the numbers") slows both sides alike, and every QEMU thread is pinned to one CPU, as
scripts/bench/bench.py pins them. The report gives, per command and build, the median and the fastest
run and their ratios to the first build: a change that costs nothing shows 1.00 on both, within the
spread of the runs, which is printed too.

    scripts/bench/ab.py old.elf build/ringside.elf -- \\
        "bench blk blk0 rw=randread bs=4096 qd=1 secs=3" "bench blk blk0 rw=randread bs=4096 qd=32 secs=3"

The disk is null-co (1 GiB, reads of zeroes), `virtio-blk-pci,num-queues=2`, the machine q35 under TCG
with a static address and `quiet`, as bench.py's block part boots ringside.
"""
import argparse
import os
import re
import statistics
import sys

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU_SH = os.path.join(HERE, "..", "qemu.sh")
PROMPT = "ringside> "
IOPS = re.compile(r"\biops=(\d+)")


def boot(elf, cpu):
    args = ["-c", str(cpu), QEMU_SH, "--accel", "tcg", "--mem", "256M", "--kernel", elf,
            "--append", "ip=10.0.2.15/24 gw=10.0.2.2 mode=hybrid quiet", "--net", "user", "--",
            "-smp", "1,maxcpus=2", "-blockdev", "null-co,node-name=n0,size=1073741824,read-zeroes=on",
            "-device", "virtio-blk-pci,drive=n0,num-queues=2"]
    g = pexpect.spawn("taskset", args, encoding="utf-8", codec_errors="replace", timeout=120)
    g.expect_exact(PROMPT)
    return g


def run(elf, cmds, cpu):
    """One boot: the IOPS of each bench command (None for the others)."""
    g = boot(elf, cpu)
    out = []
    try:
        for c in cmds:
            g.send(c + "\r")
            g.expect_exact(PROMPT)
            m = IOPS.search(g.before)
            if c.startswith("bench") and not m:
                raise RuntimeError(f"{elf}: `{c}` printed no iops=: {g.before.strip()[-300:]}")
            out.append(int(m.group(1)) if m else None)
    finally:
        g.terminate(force=True)
    return out


def main():
    if "--" not in sys.argv:
        sys.exit("usage: ab.py [--boots N] [--cpu C] A.elf B.elf [...] -- \"command\" [...]")
    cut = sys.argv.index("--")
    p = argparse.ArgumentParser(description="ringside builds against each other (see the file's head)")
    p.add_argument("--boots", type=int, default=6, help="boots of each build (6)")
    p.add_argument("--cpu", type=int, default=1, help="the host CPU every QEMU thread runs on (1)")
    p.add_argument("elfs", nargs="+")
    a = p.parse_args(sys.argv[1:cut])
    cmds = sys.argv[cut + 1:]
    if len(a.elfs) < 2 or not cmds or a.boots < 1:
        sys.exit("ab.py: two builds or more, one command or more, one boot or more")
    for e in a.elfs:
        if not os.path.isfile(e):
            sys.exit(f"ab.py: {e}: no such file")
    res = {(e, i): [] for e in a.elfs for i in range(len(cmds))}
    for b in range(a.boots):
        for e in (a.elfs if b % 2 == 0 else a.elfs[::-1]):
            for i, v in enumerate(run(e, cmds, a.cpu)):
                if v is not None:
                    res[(e, i)].append(v)
            print(f"ab: boot {b + 1} of {a.boots}: {os.path.basename(e)} done", file=sys.stderr)
    for i, c in enumerate(cmds):
        if not res[(a.elfs[0], i)]:
            continue
        print(c)
        base_med = statistics.median(res[(a.elfs[0], i)])
        base_max = max(res[(a.elfs[0], i)])
        for e in a.elfs:
            v = res[(e, i)]
            med, top = statistics.median(v), max(v)
            print(f"  {e}: median {med:.0f} ({med / base_med:.3f}), fastest {top} ({top / base_max:.3f}),"
                  f" runs {' '.join(map(str, v))}")


if __name__ == "__main__":
    main()
