#!/usr/bin/python3
"""capture.py - boot ringside, run a scenario with `trace ring` on, and write the ring viewer with the traces.

Usage: scripts/ringview/capture.py [--out DIR] [--layout split|packed ...]

For each ring layout it boots one guest (q35, mode=irq, a small disk, user networking) with the ring
trace on QEMU's debugcon (scripts/qemu.sh --trace-out), then: `trace ring`, a 4 KiB block read
(`blk blk0 sha256 0 8`), one ping to the user-net gateway, and a TFTP read of the disk by curl from
the host; then `trace off` and poweroff. It writes DIR/examples/LAYOUT.js (the trace, with the line of
each function the viewer links to) and, unless DIR is scripts/ringview itself, DIR/index.html.
Open DIR/index.html in a browser; nothing is fetched from the network.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from guest import Guest  # noqa: E402

DISK_BYTES = 8192  # 16 TFTP blocks of 512: a short transfer that still shows both rings at work


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def source_lines():
    """Where each function the viewer names (its WHY table) is defined: {name: "path:line"}."""
    page = open(os.path.join(HERE, "index.html")).read()
    names = set(re.findall(r'^\s+\w+: \["(\w+)"', page, re.M)) | set(re.findall(r'fn = "(\w+)"', page))
    names |= {"split_next_used", "packed_next_used"}
    where = {}
    for path in ("drivers/virtio/virtqueue.c", "drivers/virtio/virtio.c"):
        for n, line in enumerate(open(os.path.join(ROOT, path)), 1):
            m = re.match(r"^(?:static |__attribute__\(\(.*?\)\) )*[\w ]+?\**\b(\w+)\(", line)
            if m and m.group(1) in names and not line.rstrip().endswith(";") and m.group(1) not in where:
                where[m.group(1)] = f"{path}:{n}"
    return where


def js_trace(name, text):
    """The trace as a script the page loads (file:// pages cannot fetch)."""
    body = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    src = ",\n".join(f'  "{k}": "{v}"' for k, v in sorted(source_lines().items()))
    return f"ringviewTrace({{\nname: \"{name}\",\nsrc: {{\n{src}\n}},\ntext: `\n{body}`}});\n"


def capture(layout, tmp):
    disk = os.path.join(tmp, f"{layout}.img")
    with open(disk, "wb") as f:
        f.write(bytes((i * 7 + i // 512) & 0xff for i in range(DISK_BYTES)))
    trace = os.path.join(tmp, f"{layout}.trace")
    port = free_udp_port()
    props = ",packed=on" if layout == "packed" else ""
    with Guest(disks=[disk + props], net=f"user,hostfwd=udp:127.0.0.1:{port}-:69",
               net_props=props.lstrip(",") or None, append="mode=irq", trace_out=trace,
               name=f"ringview-{layout}") as g:
        out = g.cmd("trace ring")
        assert "ring records to debugcon" in out, out
        sha = g.cmd("blk blk0 sha256 0 8")
        assert re.search(r"^[0-9a-f]{64}$", sha, re.M), sha
        ping = g.cmd("ping 10.0.2.2 1", timeout=30)
        assert "reply from 10.0.2.2" in ping, ping
        copy = os.path.join(tmp, f"{layout}.copy")
        subprocess.run(["curl", "-s", "--max-time", "30", "-o", copy, f"tftp://127.0.0.1:{port}/disk"], check=True)
        with open(copy, "rb") as a, open(disk, "rb") as b:
            assert a.read() == b.read(), "the TFTP copy differs from the disk"
        g.cmd("trace off")
        vq = g.cmd("vq blk0 0")
        g.send("poweroff\r")
        g.wait_exit()
    text = open(trace).read()
    assert text.startswith("rt 0 - - start") and "- - stop" in text, text[:200]
    return text, g.output, vq


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "ringview"))
    ap.add_argument("--layout", action="append", choices=["split", "packed"])
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "examples"), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ringview-") as tmp:
        for layout in args.layout or ["split", "packed"]:
            text, _, _ = capture(layout, tmp)
            name = f"{layout} ring: blk read 4 KiB, ping, TFTP read of an 8 KiB disk (mode=irq)"
            path = os.path.join(args.out, "examples", f"{layout}.js")
            with open(path, "w") as f:
                f.write(js_trace(name, text))
            print(f"ringview: {path}: {text.count(chr(10))} records")
    if os.path.abspath(args.out) != HERE:
        shutil.copy(os.path.join(HERE, "index.html"), os.path.join(args.out, "index.html"))
    print(f"ringview: open {os.path.join(os.path.abspath(args.out), 'index.html')}")


if __name__ == "__main__":
    main()
