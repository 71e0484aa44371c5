"""test_ringview.py - the ring trace from a real guest, and the ring viewer in a real browser.

The guest half runs scripts/ringview/capture.py's scenario (what `make ringview` runs) and reads the
trace with ringtrace.py; the browser half drives Debian's chromium through chromedriver's W3C
WebDriver API (urllib; no Selenium) over the examples shipped in scripts/ringview/examples and checks
what the page draws against ringtrace.py's replay. A screenshot is kept in build/test-artifacts/."""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from guest import BUILD, ROOT, Guest
import ringtrace

VIEWER = os.path.join(ROOT, "scripts", "ringview")
sys.path.insert(0, VIEWER)
import capture  # noqa: E402


def vq_fields(out):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)\b", out)}


# ---- the trace, from a guest ------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["split", "packed"])
def test_ring_trace_redraws_the_queue(tmp_path, layout):
    text, console, vq = capture.capture(layout, str(tmp_path))
    recs = ringtrace.parse(text)
    # one channel of its own: nothing of it on the console, and no record lost
    assert not re.search(r"(^|\s)rt \d+ ", console), console[-2000:]
    assert [r["seq"] for r in recs] == list(range(len(recs)))
    # the 4 KiB read: a 16-byte header the device reads, 4096 bytes and a status byte it writes
    adds = [i for i, r in enumerate(recs) if r["dev"] == "blk0" and r["kind"] == "add" and r["f"]["in"] == 4097]
    assert len(adds) == 1, adds
    chain = ringtrace.replay(recs, adds[0] + 8)["blk0 q0"].inflight[recs[adds[0]]["f"]["head"]]
    assert chain["segs"][0] == (16, "R") and chain["segs"][-1] == (1, "W"), chain
    assert sum(n for n, rw in chain["segs"][1:-1] if rw == "W") == 4096, chain
    # the TFTP read: every DATA went out on the transmit ring, every ACK came in on the receive ring
    assert sum(r["kind"] == "add" and r["dev"] == "net0" and r["q"] == "q1" for r in recs) >= 17
    # after the last record the replay is the queue the guest shows (`vq blk0 0`)
    q, v = ringtrace.replay(recs)["blk0 q0"], vq_fields(vq)
    assert not q.inflight and v["inflight"] == 0, vq
    if layout == "split":
        # (not avail_event: the device moves it when it takes a chain; the driver sees it only at a kick)
        for k in ("avail_idx", "used_idx", "last_used", "used_event"):
            assert q.v[k] == v[k], (k, q.v, vq)
    else:
        m = re.search(r"avail=(\d+) wrap=(\d) last_used=(\d+) wrap=(\d) driver_event=(\d+)/(\d+)", vq)
        assert (q.v["next"], q.v["wrap"], q.v["last_used"], q.v["used_wrap"], q.v["drv_off"], q.v["drv_flags"]) == \
            tuple(int(x) for x in m.groups()), (q.v, vq)


def test_ring_trace_on_com2_and_one_device(boot, tmp_path):
    """The other channel (a second serial port), and `trace ring DEV`."""
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 16))
    out = tmp_path / "com2.trace"
    g = boot(disks=[str(disk)], net="user", trace_out=str(out), trace_port="com2")
    assert "ring records to COM2" in g.cmd("trace ring blk0")
    assert re.search(r"^[0-9a-f]{64}$", g.cmd("blk blk0 sha256 0 8"), re.M)
    g.cmd("ping 10.0.2.2 1")
    g.cmd("trace off")
    assert "error: usage" in g.cmd("trace sideways")
    assert "ENODEV" in g.cmd("trace ring nosuch0")
    g.send("poweroff\r")
    g.wait_exit()
    recs = ringtrace.parse(out.read_text())
    assert {r["dev"] for r in recs} == {"-", "blk0"}, {r["dev"] for r in recs}
    assert any(r["kind"] == "used" and r["f"]["len"] == 4097 for r in recs)


def test_ring_trace_from_boot(boot, tmp_path):
    """trace=ring: each queue is described as it is created, and its first request follows."""
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 16))
    out = tmp_path / "boot.trace"
    g = boot(disks=[str(disk)], append="trace=ring", trace_out=str(out))
    g.cmd("blk blk0 info")
    recs = ringtrace.parse(out.read_text())
    created = next(i for i, r in enumerate(recs) if r["kind"] == "queue" and r["dev"] == "blk0")
    assert "avail_idx=0 used_idx=0 last_used=0 inflight=0" in " ".join(
        f"{k}={v}" for k, v in recs[created + 1]["f"].items()), recs[created + 1]
    assert any(r["kind"] == "add" and r["dev"] == "blk0" and r["f"]["req"] == 1 for r in recs[created:])
    assert not re.search(r"(^|\s)rt \d+ ", g.output)


# ---- the page, in a browser -------------------------------------------------------------------

CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--window-size=1400,1000"]


class WebDriver:
    """The few W3C WebDriver commands the test needs, over HTTP to chromedriver."""

    def __init__(self, tmp):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([shutil.which("chromedriver"), f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.05)
        caps = {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium"), "args": CHROME_ARGS + [f"--user-data-dir={tmp}"]}}
        self.sid = self.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})["sessionId"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())["value"]

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.sid}{path}", body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, css):
        e = self.s("POST", "/element", {"using": "css selector", "value": css})
        self.s("POST", f"/element/{next(iter(e.values()))}/click", {})

    def wait(self, script, timeout=15):
        deadline = time.monotonic() + timeout
        while not self.js(script):
            assert time.monotonic() < deadline, f"timed out waiting for {script}"
            time.sleep(0.05)

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.sid}")
        finally:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    tmp = tempfile.mkdtemp(prefix="ringview-chromium-")
    wd = WebDriver(tmp)
    yield wd
    wd.close()
    shutil.rmtree(tmp, ignore_errors=True)


# What each drawn queue shows: its in-flight count, chain rows, and every hand with its value.
DRAWN = """return [...document.querySelectorAll('.queue')].map(b => ({
  key: b.dataset.dev + ' q' + b.dataset.q, inflight: Number(b.querySelector('.n-inflight').textContent),
  rows: b.querySelectorAll('.chain').length, chains: [...b.querySelectorAll('.chain')].map(c => c.textContent),
  hands: Object.fromEntries([...b.querySelectorAll('.ring text.hand')].map(t => [t.dataset.name, Number(t.dataset.value)]))}));"""

SPLIT_HANDS = {"avail.idx": "avail_idx", "used.idx": "used_idx", "last_used": "last_used", "used_event": "used_event",
               "avail_event": "avail_event"}
PACKED_HANDS = {"next": "next", "last_used": "last_used"}


@pytest.mark.parametrize("layout", ["split", "packed"])
def test_viewer_draws_what_the_trace_says(browser, layout):
    recs = ringtrace.parse(ringtrace.from_js(os.path.join(VIEWER, "examples", f"{layout}.js")))
    url = f"file://{VIEWER}/index.html?trace=examples/{layout}.js"
    browser.s("POST", "/url", {"url": url})
    browser.wait("return window.ringview && window.ringview.count > 0")
    assert browser.js("return ringview.count") == len(recs)
    read = next(i for i, r in enumerate(recs) if r["kind"] == "add" and r["f"]["in"] == 4097)
    # checkpoints: around the 4 KiB read (added, published, kicked, used), and spread over the trace
    marks = sorted({read, read + 8, *(i for i in range(read, read + 14) if recs[i]["kind"] in ("notify", "used")),
                    *range(0, len(recs), len(recs) // 5), len(recs) - 1})
    for i in marks:
        browser.js("ringview.go(arguments[0])", i)
        assert browser.js("return Number(document.body.dataset.seq)") == recs[i]["seq"]
        want = ringtrace.replay(recs, i)
        drawn = {d["key"]: d for d in browser.js(DRAWN)}
        assert set(drawn) == set(want), (i, drawn.keys(), want.keys())
        for key, q in want.items():
            d = drawn[key]
            assert d["inflight"] == len(q.inflight), (i, key, d["inflight"], len(q.inflight))
            assert d["rows"] == min(len(q.inflight), 6), (i, key, d["rows"])
            for hand, field in (SPLIT_HANDS if q.layout == "split" else PACKED_HANDS).items():
                if field in q.v:  # a value the trace has shown by then
                    assert d["hands"].get(hand) == q.v[field] % 65536, (i, key, hand, d["hands"], q.v)
    # the read in flight: one chain of 16 R, 4096 bytes W in pieces, 1 W
    browser.js("ringview.go(arguments[0])", read + 8)
    blk = next(d for d in browser.js(DRAWN) if d["key"] == "blk0 q0")
    assert len(blk["chains"]) == 1 and "writable 4097" in blk["chains"][0], blk
    segs = re.findall(r"(\d+) ([RW])", blk["chains"][0].split(":", 1)[1])
    assert segs[0] == ("16", "R") and segs[-1] == ("1", "W"), segs
    assert sum(int(n) for n, rw in segs[1:-1] if rw == "W") == 4096, segs
    # the buttons step, and the filter leaves only one device's queues and records
    before = browser.js("return ringview.pos")
    browser.click("#fwd")
    browser.click("#fwd")
    browser.click("#back")
    assert browser.js("return ringview.pos") == before + 1
    browser.js("const s = document.getElementById('fdev'); s.value = 'blk0'; s.dispatchEvent(new Event('change'));")
    assert {d["key"] for d in browser.js(DRAWN)} <= {"blk0 q0"}
    assert browser.js("return ringview.count") == sum(r["dev"] in ("blk0", "-") for r in recs)
    # every function the records link to is defined in the file named (lines move as the code changes)
    src = browser.js("return TRACE.src")
    assert {"vq_add", "split_publish", "vq_kick_prepare", "vq_get"} <= set(src), src
    for fn, where in src.items():
        assert re.search(rf"^\S.*\b{fn}\(.*[^;]$", open(os.path.join(ROOT, where.split(":")[0])).read(), re.M), where
    browser.js("const s = document.getElementById('fdev'); s.value = '*'; s.dispatchEvent(new Event('change'));")
    browser.js("ringview.go(arguments[0])", read + 8)
    os.makedirs(os.path.join(BUILD, "test-artifacts"), exist_ok=True)
    png = base64.b64decode(browser.s("GET", "/screenshot"))
    with open(os.path.join(BUILD, "test-artifacts", f"ringview-{layout}.png"), "wb") as f:
        f.write(png)
    assert png.startswith(b"\x89PNG")
