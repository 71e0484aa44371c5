"""test_virtio.py - the virtio core through virtio-rng: transports, ring layouts, features, modes."""
import re

import pytest

# Each varies one thing from the default virtio-rng-pci on q35.
VARIANTS = {
    "default": ("", None),
    "legacy": ("disable-modern=on", None),
    "modern-only": ("disable-legacy=on", None),
    "packed": ("packed=on", None),
    "no-event-idx": ("event_idx=off", None),
    "no-indirect": ("indirect_desc=off", None),
    "intx": ("vectors=0", None),
    "pc": ("", "pc"),
}


def rng_guest(boot, props="", machine=None, append=None):
    dev = "virtio-rng-pci" + ("," + props if props else "")
    return boot(machine=machine, append=append, extra=["-device", dev])


def virtio_line(g, name):
    for line in g.cmd("virtio").splitlines():
        if line.startswith(name + " "):
            return line
    raise AssertionError(f"{name} not in virtio output")


def random_bytes(g, n=64):
    out = g.cmd(f"rng rng0 {n}").strip()
    assert re.fullmatch(rf"[0-9a-f]{{{2 * n}}}", out), out
    data = bytes.fromhex(out)
    assert len(set(data)) > 1, "all bytes equal"
    return data


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_rng_bytes(boot, variant):
    props, machine = VARIANTS[variant]
    g = rng_guest(boot, props, machine)
    line = virtio_line(g, "rng0")
    a, b = random_bytes(g), random_bytes(g)
    assert a != b
    feats = re.search(r"features=(\S*)", line).group(1).split(",")
    if variant == "legacy":
        assert " legacy split " in line
        assert "VERSION_1" not in feats
    else:
        assert " modern " in line and "VERSION_1" in feats
    if variant == "packed":
        assert " packed " in line and "RING_PACKED" in feats
    else:
        assert " split " in line
    assert ("EVENT_IDX" in feats) == (variant != "no-event-idx")
    assert ("INDIRECT_DESC" in feats) == (variant != "no-indirect")
    if variant == "intx":
        assert "INTx" in g.output


def stats(g, dev="rng0"):
    line = g.cmd(f"stats {dev}").strip().splitlines()[0]
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


@pytest.mark.parametrize("mode", ["poll", "irq", "hybrid"])
def test_modes_and_counters(boot, mode):
    g = rng_guest(boot, append=f"mode={mode}")
    assert f"mode={mode}" in virtio_line(g, "rng0")
    for _ in range(5):
        random_bytes(g, 16)
    s = stats(g)
    assert s["added"] >= 5 and s["used"] >= 5
    if mode == "poll":
        assert s["irqs"] == 0
    else:
        assert s["irqs"] >= 5


def test_mode_switch_at_run_time(boot):
    g = rng_guest(boot, append="mode=poll")
    random_bytes(g)
    assert stats(g)["irqs"] == 0
    assert g.cmd("mode rng0 irq").strip() == "rng0 mode=irq"
    random_bytes(g)
    assert stats(g)["irqs"] > 0
    assert g.cmd("mode rng0 fast").startswith("error: usage: EINVAL")
    assert g.cmd("mode nope0 poll").startswith("error: nope0: ENODEV")


def test_boot_log_narrates_handshake(boot):
    g = rng_guest(boot)
    for step in ("reset", "ACKNOWLEDGE", "DRIVER", "offers", "accepts", "FEATURES_OK", "DRIVER_OK"):
        assert re.search(rf"virtio rng0: {step}", g.output), step


def test_vq_dump_and_errors(boot):
    """The dump against ring state the test knows: one request done, then one the
    device holds (QEMU's rate limit lets 64 bytes through per 10 minutes)."""
    g = rng_guest(boot, "max-bytes=64,period=600000")
    random_bytes(g)
    out = g.cmd("vq rng0 0")
    m = re.match(r"rng0 q0: split size=(\d+) free=(\d+) inflight=0 features=\S+ broken=0\n"
                 r"  avail_idx=1 used_idx=1 last_used=1 used_event=1 ", out)
    assert m and m[1] == m[2], out
    size = int(m[1])
    assert len(out.strip().splitlines()) == 2, out  # nothing in flight
    g.cmd("trace on")
    out = g.cmd("rng rng0 32", timeout=60)  # the driver gives up after 5 s; the device keeps it
    g.cmd("trace off")
    assert "error: rng0: ETIMEDOUT" in out, out
    head = re.search(r"^trace rng0 q0 add id=(\d+) len=32$", out, re.M)[1]
    out = g.cmd("vq rng0 0")
    m = re.match(rf"rng0 q0: split size={size} free={size - 1} inflight=1 features=\S+ broken=0\n"
                 r"  avail_idx=2 used_idx=1 last_used=1 used_event=1 [^\n]*\n"
                 rf"  head {head}: descs=1 writable=32 token=0x[0-9a-f]+\n"
                 rf"    desc {head} handle=0x([0-9a-f]+) len=32 flags=-W-\n$", out)
    assert m, out
    assert int(m[1], 16) and int(m[1], 16) % 4096 == 0, out  # the driver's own page, lent to the device
    s = stats(g)
    assert (s["added"], s["used"], s["max_inflight"]) == (2, 1, 1), s
    assert g.cmd("rng rng0 4").startswith("error: rng0: EBUSY")  # still the device's
    assert g.cmd("vq rng0 7").startswith("error: rng0: EINVAL")
    assert g.cmd("rng rng0 0").startswith("error: usage: EINVAL")
    assert g.cmd("rng rng0 99999").startswith("error: usage: EINVAL")


def test_trace_shows_ring_events(boot):
    g = rng_guest(boot, append="mode=irq")
    assert g.cmd("trace on").strip() == ""
    out = g.cmd("rng rng0 4")
    for ev in ("add", "kick", "irq", "used"):
        assert re.search(rf"^trace rng0 q0 {ev} ", out, re.M), (ev, out)
    g.cmd("trace off")
    assert "trace" not in g.cmd("rng rng0 4")
    assert g.cmd("trace maybe").startswith("error: usage: EINVAL")


@pytest.mark.parametrize("mode", ["poll", "hybrid"])
def test_bench_rng_counts(boot, mode):
    g = rng_guest(boot, append=f"mode={mode}")
    out = g.cmd("bench rng rng0 count=200", timeout=60)
    s = dict(re.findall(r"(\w+)=([\w.]+)", out))
    assert s["requests"] == "200" and s["mode"] == mode, out
    assert int(s["kicks"]) + int(s["kicks_suppressed"]) == 200
    assert (int(s["irqs"]) == 0) == (mode == "poll"), out


@pytest.mark.parametrize("mode", ["poll", "hybrid"])
def test_device_needs_reset_is_recovered(boot, mode):
    """An impossible avail index makes QEMU set DEVICE_NEEDS_RESET; the core resets and re-initialises."""
    g = rng_guest(boot, append=f"mode={mode}")
    random_bytes(g)
    g.cmd("vq rng0 0 inject-reset")
    g.expect(r"virtio rng0: device needs reset")
    g.expect(r"virtio rng0: reset and running again \(1 resets\)")
    assert "Guest moved" in g.qemu_stderr  # QEMU saw the impossible index
    random_bytes(g)
    assert f"mode={mode}" in virtio_line(g, "rng0")


def test_stats_per_request(boot):
    g = rng_guest(boot, append="mode=poll")
    g.cmd("bench rng rng0 count=100", timeout=60)
    out = g.cmd("stats rng0 -v")
    m = re.search(r"per request: kicks=([\d.]+) irqs=([\d.]+) polls=([\d.]+) empty_polls=([\d.]+); "
                  r"kicks saved by suppression: (\d+)%", out)
    assert m, out
    assert float(m[2]) == 0.0 and float(m[3]) >= 1.0, out  # poll mode: no interrupts, a poll or more each
    assert g.cmd("stats rng0 -x").startswith("error:")


def test_device_that_keeps_breaking_is_given_up(boot):
    """Resets are rate-limited, and the sixth DEVICE_NEEDS_RESET within 10 s
    gives the device up (FAILED); the rest of the kernel goes on."""
    g = rng_guest(boot, append="mode=irq")
    for k in range(1, 6):
        g.cmd("vq rng0 0 inject-reset")
        g.expect(rf"virtio rng0: reset and running again \({k} resets\)")
        random_bytes(g)
    g.cmd("vq rng0 0 inject-reset")
    g.expect(r"virtio rng0: the device keeps breaking \(5 resets in \d+ ms; DEVICE_NEEDS_RESET\): given up, "
             r"marked FAILED")
    assert g.cmd("rng rng0 16").startswith("error: rng0: EIO")
    assert g.cmd("mode rng0 poll").startswith("error: rng0: EIO")
    assert g.cmd("version").startswith("ringside ")
