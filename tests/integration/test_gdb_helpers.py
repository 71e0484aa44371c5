"""test_gdb_helpers.py - the gdb helpers on a live guest stopped in the middle of a 4 KiB block read,
right after the chain went on the ring and before the device was told."""
import os
import re
import socket
import subprocess

from guest import BUILD, ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kick_line():
    """The line of virtio_blk.c's dispatch() that kicks: the chain is on the ring there."""
    src = open(os.path.join(ROOT, "drivers", "virtio", "virtio_blk.c")).read().splitlines()
    return next(i + 1 for i, ln in enumerate(src) if "vq_kick(vd->q[qi].vq);" in ln)


import pytest  # noqa: E402


@pytest.mark.parametrize("ring,machine", [("split", "q35"), ("packed", "q35"), ("split", "microvm")])
def test_helpers_on_a_block_read(boot, tmp_path, ring, machine):
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 20))
    port = free_port()
    props = ",packed=on" if ring == "packed" else ""
    rng = "virtio-rng-device" if machine == "microvm" else "virtio-rng-pci"
    g = boot(disks=[f"{disk}{props}"], machine=machine, extra=["-gdb", f"tcp::{port}", "-device", rng])
    g.cmd("blk blk0 info")  # GET_ID now, so the next request is the read
    gdb = subprocess.Popen([
        "gdb", "-q", "-batch", "-nx", "-x", os.path.join(ROOT, "scripts", "gdb", "init.gdb"),
        "-ex", "file " + os.path.join(BUILD, "ringside.elf"),
        "-ex", "source " + os.path.join(ROOT, "scripts", "gdb", "ringside.py"),
        "-ex", f"target remote :{port}",
        "-ex", f"hbreak drivers/virtio/virtio_blk.c:{kick_line()}",
        "-ex", "continue",
        "-ex", "rs-devices", "-ex", "rs-pci", "-ex", "rs-vq blk0 0",
        # the head in flight, found with the helpers' own functions (sourced into gdb's __main__)
        "-ex", "python gdb.execute('rs-chain blk0 0 %d' % next(heads(queue(find_device('blk0'), 0))))",
        "-ex", "delete", "-ex", "detach"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    head = []
    for line in gdb.stdout:  # wait until the breakpoint is in place
        head.append(line)
        if "breakpoint 1 at" in line:
            break
    g.send("blk blk0 sha256 0 8\r")  # a 4 KiB read
    out, _ = gdb.communicate(timeout=120)
    out = "".join(head) + out
    g.expect(r"[0-9a-f]{64}")  # detached, the read completes
    # rs-devices: every device by name and place, with decoded status and features
    where = r"mmio@0xfeb02e00" if machine == "microvm" else r"00:\w\w\.0"
    assert re.search(rf"^blk0 {where} modern queues=1 status=ACKNOWLEDGE\|DRIVER\|DRIVER_OK\|FEATURES_OK "
                     r"mode=hybrid features=\S*FLUSH\S*VERSION_1", out, re.M), out
    assert re.search(r"^rng0 .* modern", out, re.M), out
    # rs-pci: functions and BARs, or none
    if machine == "microvm":
        assert re.search(r"^no PCI on this machine$", out, re.M), out
    else:
        assert re.search(r"^00:\w\w\.0 1af4:1001 class 010000 driver=virtio-pci", out, re.M), out
        assert re.search(r"BAR4 mem64 addr=0x\w+ size=0x4000", out), out
    # rs-vq: the chain in flight: a 16-byte header, 4096 bytes of data, a status byte
    assert re.search(rf"^blk0 q0: {ring} size=", out, re.M), out
    m = re.search(r"chain head=\d+ token=0x\w+ writable=4097\n((?:    handle=.*\n)+)", out)
    assert m, out
    segs = re.findall(r"handle=0x\w+ len=(\d+) ([RW])", m.group(1))
    assert segs[0] == ("16", "R") and segs[-1] == ("1", "W"), segs
    assert sum(int(n) for n, rw in segs[1:-1]) == 4096 and all(rw == "W" for _, rw in segs[1:-1]), segs
    # rs-chain: the header decoded, the status not yet written
    assert re.search(r"header: type=IN \(read\) sector=0", out), out
    assert re.search(r"status: 0xff \(not written yet\)", out), out
