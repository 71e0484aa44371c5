"""test_microvm.py - QEMU's microvm: virtio-mmio (versions 2 and 1) under the same drivers, no PCI,
no PIT, 8259, RTC or ACPI when asked. Each boot varies one thing from the default: microvm with ACPI,
virtio-mmio version 2, hybrid mode, split rings with EVENT_IDX; rng, blk and net on user networking."""
import hashlib
import os
import re
import socket
import subprocess
import time

import pytest
from guest import ROOT

SECTORS = 2048  # a 1 MiB disk
# microvm fills its slots from the top in the order of QEMU's command line: net (qemu.sh), blk, rng
DEV = {"net": "0xfeb02e00", "blk": "0xfeb02c00", "rng": "0xfeb02a00"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def microvm(boot, path, machine="microvm", mmio="modern", props="", append=None, net=None, more=(), **kw):
    """rng, blk on path and net on user networking (DHCP from QEMU), props on all three."""
    p = "," + props if props else ""
    extra = ["-drive", f"file={path},if=none,id=d0,format=raw,cache=unsafe",
             "-device", f"virtio-blk-device,drive=d0{p}", "-device", f"virtio-rng-device{p}", *more]
    return boot(machine=machine, mmio=mmio, net=net or "user", net_props=props or None, extra=extra,
                append=append, **kw)


def virtio_lines(g):
    return {line.split()[0]: line for line in g.cmd("virtio").strip().splitlines()}


def sha(data, lba, count):
    return hashlib.sha256(data[lba * 512:(lba + count) * 512]).hexdigest()


def random_bytes(g, n=32):
    out = g.cmd(f"rng rng0 {n}").strip()
    assert re.fullmatch(rf"[0-9a-f]{{{2 * n}}}", out), out
    return out


def stats(g, dev):
    lines = g.cmd(f"stats {dev}").strip().splitlines()
    return [{k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)} for line in lines]


def check_rng_blk_net(g, data):
    """Each device does its work: random bytes, disk data against the host's hashes, DHCP and ping."""
    assert random_bytes(g) != random_bytes(g)
    for lba, count in [(0, 1), (7, 9), (SECTORS - 1, 1), (0, SECTORS)]:
        assert g.cmd(f"blk blk0 sha256 {lba} {count}").strip() == sha(data, lba, count), (lba, count)
    assert "ip=10.0.2.15/24" in g.cmd("net")
    out = g.cmd("ping 10.0.2.2 2", timeout=60)
    assert "2 sent, 2 received" in out, out


def curl_tftp(port, *args):
    return subprocess.run(["curl", "-s", "-S", "--max-time", "120", *args], capture_output=True)


@pytest.mark.parametrize("mmio", ["modern", "legacy"])
def test_microvm_devices(boot, image, tmp_path, mmio):
    """One boot per virtio-mmio version: found in the DSDT, the handshake narrated, no PCI, and every
    device at work: rng, blk against the host (sha256, fill), net (DHCP, ping, TFTP read and write)."""
    path, data = image
    port = free_port()
    second = tmp_path / "second.img"  # given after the rng: in the next slot down, and named blk1
    data2 = os.urandom(64 * 512)
    second.write_bytes(data2)
    g = microvm(boot, path, mmio=mmio, net=f"user,hostfwd=udp:127.0.0.1:{port}-:69",
                more=["-drive", f"file={second},if=none,id=d1,format=raw", "-device", "virtio-blk-device,drive=d1"])
    version = 2 if mmio == "modern" else 1
    for kind, base in DEV.items():
        assert re.search(rf"^virtio-mmio@{base}: version {version} \({mmio}\), device \d+ \(virtio-{kind}\), "
                         r"GSI \d+, from ACPI$", g.output, re.M), kind
    steps = ["reset", "ACKNOWLEDGE", "DRIVER", "offers", "accepts"] + ["FEATURES_OK"] * (mmio == "modern")
    for step in steps + ["interrupt on GSI 46 \\(level, active high\\)", "DRIVER_OK"]:
        assert re.search(rf"^virtio blk0: {step}", g.output, re.M), step
    assert g.cmd("lspci").strip() == "no PCI on this machine"
    lines = virtio_lines(g)
    for kind, base in DEV.items():
        line = lines[f"{kind}0"]
        assert line.startswith(f"{kind}0 mmio@{base} {mmio} split "), line
        assert ("VERSION_1" in line) == (mmio == "modern"), line
    assert lines["blk1"].startswith(f"blk1 mmio@0xfeb02800 {mmio} "), lines["blk1"]
    assert g.cmd("blk blk1 sha256 0 64").strip() == sha(data2, 0, 64)
    check_rng_blk_net(g, data)
    # the ring commands: a trace of one rng request, and the queue it went through
    g.cmd("trace on")
    out = g.cmd("rng rng0 4")
    g.cmd("trace off")
    for ev in ("add", "kick", "irq", "used"):
        assert re.search(rf"^trace rng0 q0 {ev} ", out, re.M), (ev, out)
    out = g.cmd("vq rng0 0")
    assert re.match(r"rng0 q0: split size=\d+ free=\d+ inflight=0 features=\S+ broken=0\n  avail_idx=3 used_idx=3 ",
                    out), out
    if mmio == "modern":  # QEMU raises DEVICE_NEEDS_RESET on VERSION_1 devices only
        g.cmd("vq rng0 0 inject-reset")
        g.expect(r"virtio rng0: reset and running again \(1 resets\)")
        random_bytes(g)
        assert virtio_lines(g)["rng0"].endswith("resets=1")
    # TFTP through QEMU's user network: read the whole disk, write its start, read it back
    got = tmp_path / "got"
    r = curl_tftp(port, "--tftp-blksize", "1468", "-o", str(got), f"tftp://127.0.0.1:{port}/disk")
    assert r.returncode == 0 and got.read_bytes() == data, r.stderr
    new = os.urandom(100 * 512 + 77)
    (tmp_path / "new").write_bytes(new)
    r = curl_tftp(port, "-T", str(tmp_path / "new"), f"tftp://127.0.0.1:{port}/disk")
    assert r.returncode == 0, r.stderr
    data = new + data[len(new):]
    assert g.cmd(f"blk blk0 sha256 0 {SECTORS}").strip() == sha(data, 0, SECTORS)
    # fill, then power off: the host's file holds what the guest wrote
    assert g.cmd("blk blk0 fill 1000 24 171").strip() == "wrote 24 sectors of 0xab at 1000"
    data = data[:1000 * 512] + bytes([171]) * 24 * 512 + data[1024 * 512:]
    assert g.cmd("blk blk0 sha256 990 40").strip() == sha(data, 990, 40)
    r = curl_tftp(port, "-o", str(got), f"tftp://127.0.0.1:{port}/disk1")
    assert r.returncode == 0 and got.read_bytes() == data2, r.stderr
    for dev in ("rng0", "blk0", "net0"):
        assert stats(g, dev)[0]["irqs"] > 0, dev
    g.send("poweroff\r")
    assert g.wait_exit() == 1
    assert path.read_bytes() == data


def test_microvm_modes(boot, image):
    """Polling from boot (no interrupt at all), then interrupts, switched at run time. Without
    isa-debug-exit, poweroff goes through hardware-reduced ACPI's sleep control register."""
    path, data = image
    g = microvm(boot, path, append="mode=poll", debug_exit=False)
    check_rng_blk_net(g, data)
    for dev in ("rng0", "blk0", "net0"):
        assert "mode=poll" in virtio_lines(g)[dev]
        assert all(q["irqs"] == 0 for q in stats(g, dev)), dev
        assert g.cmd(f"mode {dev} irq").strip() == f"{dev} mode=irq"
    check_rng_blk_net(g, data)
    for dev in ("rng0", "blk0", "net0"):
        assert stats(g, dev)[0]["irqs"] > 0, dev
    assert "acpi: hardware-reduced; S5 through the sleep control register, no power button" in g.output
    g.send("poweroff\r")
    assert g.wait_exit() == 0  # QEMU's own shutdown, not isa-debug-exit's 2N+1


@pytest.mark.parametrize("props,feature", [("packed=on", "RING_PACKED"), ("event_idx=off", "EVENT_IDX")])
def test_microvm_ring_features(boot, image, props, feature):
    """The packed ring; and the split ring without EVENT_IDX (every interrupt and kick asked for)."""
    path, data = image
    g = microvm(boot, path, props=props)
    for dev, line in virtio_lines(g).items():
        assert (feature in line) == (props == "packed=on"), line
        assert (" packed " in line) == (props == "packed=on"), line
    check_rng_blk_net(g, data)


def test_microvm_minimal(boot, image):
    """No ACPI, PIT, 8259 or RTC: the MP table, the TSC against the local APIC timer, the devices
    found by probing microvm's slots, on the one IOAPIC's GSIs 5 and up."""
    path, data = image
    g = microvm(boot, path, machine="microvm,acpi=off,pit=off,pic=off,rtc=off")
    out = g.output
    assert re.search(r"^mptable: MP 1\.4 table at 0x[0-9a-f]+: 1 CPU, 1 IOAPIC", out, re.M), out
    assert "time: no PIT counts here" in out
    assert re.search(r"^time: TSC \d+ kHz \(local APIC timer at the 1 GHz of QEMU and KVM\)$", out, re.M)
    assert re.search(r"^apic: .*8259 absent$", out, re.M)
    assert re.search(r"^virtio-mmio@0xfeb00c00: version 2 \(modern\), device 2 \(virtio-blk\), GSI 11, "
                     r"from microvm's slots$", out, re.M), out
    assert "3 devices in microvm's 8 slots" in out
    check_rng_blk_net(g, data)
    # the TSC so calibrated keeps the host's time: 2 s of sleep in the guest takes 2 s here, not 1 or 4
    t0 = time.monotonic()
    assert re.search(r"slept_us=\d+", g.cmd("sleep 2000"))
    assert 1.6 < time.monotonic() - t0 < 3.4


def test_microvm_command_line(boot, image):
    """acpi=off and a virtio_mmio.device= entry: the command line is believed, and no slot is probed
    (the net and rng devices that are there go unseen)."""
    path, data = image
    g = microvm(boot, path, machine="microvm,acpi=off", append="ip=10.0.2.15/24 gw=10.0.2.2 "
                "virtio_mmio.device=512@0xfeb00c00:11")
    assert re.search(r"^virtio-mmio@0xfeb00c00: version 2 \(modern\), device 2 \(virtio-blk\), GSI 11, "
                     r"from the command line$", g.output, re.M), g.output
    assert set(virtio_lines(g)) == {"blk0"}
    assert g.cmd("blk blk0 sha256 0 16").strip() == sha(data, 0, 16)


def test_drivers_have_no_transport_code():
    """The rng, blk and net drivers name no transport: no PCI, MMIO, interrupt routing or port I/O,
    no look at the ops table or the transport's state, and no header of either transport."""
    # the core's headers, the kernel's services (not its interrupt controller or firmware tables),
    # the block and network interfaces above, lib/'s helpers (formatting, hashes)
    allowed = re.compile(r'#include (<\w+\.h>|"(drivers/virtio/(virtio|virtqueue|virtio_ring|virtio_rng|virtio_blk)\.h|'
                         r'kernel/(?!apic|acpi|mptable|trap)\w+\.h|block/\w+\.h|net/\w+\.h|lib/\w+\.h)")')
    forbidden = re.compile(r"\b(pci|mmio|msi|msix|intx|isr|ioapic|gsi|apic|acpi|irq_register|"
                           r"(in|out)[bwl]|virtio_ops|transport)\b|\bvd->ops\b|"
                           r"\b(pci|mmio|msix|vp|vm)_\w+", re.I)
    for name in ("virtio_blk.c", "virtio_net.c", "virtio_rng.c"):
        src = open(os.path.join(ROOT, "drivers", "virtio", name)).read()
        for line in src.splitlines():
            if line.startswith("#include"):
                assert allowed.fullmatch(line.strip()), (name, line)
        hits = [m.group(0) for m in forbidden.finditer(src)]
        assert not hits, (name, hits)


# make test-full: the cross products the tests above vary one at a time
MATRIX = [(mmio, mode, props)
          for mmio in ("modern", "legacy")
          for mode in ("poll", "irq", "hybrid")
          for props in ("", "packed=on", "event_idx=off")
          if not (mmio == "legacy" and props == "packed=on")]  # a packed ring needs version 2


@pytest.mark.skipif(os.environ.get("RINGSIDE_FULL") != "1", reason="the cross product: make test-full")
@pytest.mark.parametrize("mmio,mode,props", MATRIX, ids=["-".join(filter(None, m)) for m in MATRIX])
def test_microvm_matrix(boot, image, mmio, mode, props):
    path, data = image
    g = microvm(boot, path, mmio=mmio, props=props, append=f"mode={mode}")
    for dev, line in virtio_lines(g).items():
        assert f" {mmio} " in line and f"mode={mode}" in line, line
        assert (" packed " in line) == (props == "packed=on"), line
    check_rng_blk_net(g, data)
    for dev in ("rng0", "blk0", "net0"):
        assert (stats(g, dev)[0]["irqs"] == 0) == (mode == "poll"), dev


@pytest.mark.skipif(os.environ.get("RINGSIDE_FULL") != "1", reason="the cross product: make test-full")
@pytest.mark.parametrize("machine", ["microvm,acpi=off", "microvm,acpi=off,pit=off,pic=off,rtc=off",
                                     "microvm,pit=off", "microvm,pic=off", "microvm,rtc=off"])
@pytest.mark.parametrize("mmio", ["modern", "legacy"])
def test_microvm_machines(boot, image, machine, mmio):
    path, data = image
    g = microvm(boot, path, machine=machine, mmio=mmio)
    assert len(virtio_lines(g)) == 3
    check_rng_blk_net(g, data)
