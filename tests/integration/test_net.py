"""test_net.py - virtio-net and the stack against real peers: QEMU's DHCP, and ping, curl and tftp
from a network namespace of the test's own, over a tap device."""
import os
import re
import socket
import subprocess
import time

import pytest
from guest import blk_args

GUEST_IP, HOST_IP = "192.168.76.2", "192.168.76.1"
SECTORS = 2048  # a 1 MiB disk


@pytest.fixture
def tap(request):
    """A network namespace with a tap device the guest's virtio-net plugs into."""
    if os.geteuid() != 0:
        pytest.skip("needs root for ip netns")
    ns = f"rs{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        sh = lambda *a: subprocess.run(["ip", "netns", "exec", ns, *a], check=True)  # noqa: E731
        sh("ip", "link", "set", "lo", "up")
        sh("ip", "tuntap", "add", "dev", "rstap0", "mode", "tap")
        sh("ip", "addr", "add", f"{HOST_IP}/24", "dev", "rstap0")
        sh("ip", "link", "set", "rstap0", "up")
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def in_ns(ns, *args, timeout=120, **kw):
    return subprocess.run(["ip", "netns", "exec", ns, *args], capture_output=True, timeout=timeout, **kw)


def tap_guest(boot, ns, path, drive="", append="", props="", **kw):
    """props go to both virtio devices; kw (machine, extra) to the guest."""
    extra = ["-drive", f"file={path},if=none,id=d0,format=raw,cache=unsafe{drive}",
             "-device", "virtio-blk-pci,drive=d0" + ("," + props if props else "")] + kw.pop("extra", [])
    return boot(netns=ns, net="tap,ifname=rstap0,script=no,downscript=no", extra=extra,
                net_props=props or None, append=f"ip={GUEST_IP}/24 gw={HOST_IP} {append}".strip(), **kw)


# -- QEMU's user-mode network --------------------------------------------------

def test_dhcp_and_ping_gateway(boot):
    g = boot(net="user")
    line = g.cmd("net").strip()
    assert re.match(r"net0 mac=52:54:00:12:34:56 link=up ip=10\.0\.2\.15/24 gw=10\.0\.2\.2 mtu=1500 "
                    r"rx=\d+ tx=\d+ drops=\d+$", line), line
    out = g.cmd("ping 10.0.2.2 3", timeout=60)
    assert len(re.findall(r"^reply from 10\.0\.2\.2 seq=\d+ time_us=\d+$", out, re.M)) == 3, out
    assert "3 sent, 3 received" in out


@pytest.mark.parametrize("queue", [0, 1], ids=["rx", "tx"])
def test_broken_ring_resets_the_interface(boot, queue):
    """An impossible avail index: QEMU's receive path refuses it and asks for
    a reset (DEVICE_NEEDS_RESET) when the next frame comes; its transmit path
    takes it and answers with a used index that breaks the ring's rules.
    Either way virtio-net is reset, comes back with its address, and the
    recovery is counted."""
    g = boot(net="user")
    before = g.cmd("net").strip()
    g.cmd(f"vq net0 {queue} inject-reset")
    g.cmd("ping 10.0.2.2 1", timeout=60)  # a frame each way (its reply may be lost)
    why = "DEVICE_NEEDS_RESET" if queue == 0 else "it broke the rules of a ring"
    assert f"virtio net0: resetting the device: {why}" in g.output
    assert "virtio net0: reset and running again (1 resets)" in g.output
    line = g.cmd("net").strip()
    assert re.match(r"net0 mac=52:54:00:12:34:56 link=up ip=10\.0\.2\.15/24 gw=10\.0\.2\.2 ", line), line
    assert line.split(" rx=")[0] == before.split(" rx=")[0]
    assert re.search(r"^net0 .* resets=1$", g.cmd("virtio"), re.M)
    assert "2 sent, 2 received" in g.cmd("ping 10.0.2.2 2", timeout=60)


def test_no_dhcp_answer(boot, tap, image):
    path, _ = image
    extra = blk_args(path)
    g = boot(netns=tap, net="tap,ifname=rstap0,script=no,downscript=no", extra=extra)
    assert "no DHCP answer within 3 s; still trying in the background" in g.output
    assert "ip=0.0.0.0/0" in g.cmd("net")
    assert g.cmd("ping 10.0.2.2 1").startswith("error: net0: ENETDOWN")


def test_link_down_and_up(boot):
    g = boot(net="user", qmp=True)
    g.qmp.execute("set_link", name="net0", up=False)
    g.expect("virtio net0: link down")
    assert "link=down" in g.cmd("net")
    g.qmp.execute("set_link", name="net0", up=True)
    g.expect("virtio net0: link up")
    assert "link=up" in g.cmd("net")


# -- real peers in a namespace -------------------------------------------------

def test_ping_from_host(boot, tap, image):
    g = tap_guest(boot, tap, image[0])
    r = in_ns(tap, "ping", "-c", "3", "-W", "5", GUEST_IP)
    assert r.returncode == 0, r.stdout + r.stderr
    assert b"3 received" in r.stdout
    # a large ping: fragmented by the host, reassembled by the guest, answered fragmented
    r = in_ns(tap, "ping", "-c", "1", "-W", "5", "-s", "4000", GUEST_IP)
    assert r.returncode == 0, r.stdout + r.stderr
    out = g.cmd(f"ping {HOST_IP} 2", timeout=30)
    assert "2 sent, 2 received" in out, out


def test_static_address_announced_after_ready(boot, tap, image):
    """With a static address the guest asks for its gateway (and announces itself) on its own, just after
    the ready line: the host learns the guest's MAC before it has sent the guest anything."""
    g = tap_guest(boot, tap, image[0])
    mac = re.search(r"mac=([0-9a-f:]{17})", g.cmd("net")).group(1).encode()
    deadline = time.monotonic() + 10
    while True:  # the host's neighbour table, until the entry shows or 10 s pass
        seen = in_ns(tap, "ip", "neigh", "show", GUEST_IP).stdout.lower()
        if mac in seen or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert mac in seen, seen


def test_udp_echo(boot, tap, image):
    tap_guest(boot, tap, image[0])
    code = ("import socket,sys\n"
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(5)\n"
            f"for m in (b'x', b'hello ringside', bytes(range(256))*8):\n"
            f"    s.sendto(m,('{GUEST_IP}',7)); d,a=s.recvfrom(65535)\n"
            "    assert d==m, (d, m)\n"
            "print('ok')\n")
    r = in_ns(tap, "/usr/bin/python3", "-c", code)
    assert r.stdout.strip() == b"ok", r.stdout + r.stderr


def curl(ns, *args):
    return in_ns(ns, "curl", "-s", "-S", "--max-time", "120", *args)


def test_tftp_read_whole_disk(boot, tap, image, tmp_path):
    path, data = image
    tap_guest(boot, tap, path)
    out = tmp_path / "got"
    r = curl(tap, "-o", str(out), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data
    r = curl(tap, "--tftp-blksize", "1468", "-o", str(out), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data


def test_tftp_read_with_tftp_hpa(boot, tap, image, tmp_path):
    path, data = image
    tap_guest(boot, tap, path)
    out = tmp_path / "got"
    r = in_ns(tap, "tftp", "-m", "binary", GUEST_IP, "-c", "get", "disk", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes() == data


def test_tftp_write_then_host_sees_it(boot, tap, image, tmp_path):
    path, data = image
    g = tap_guest(boot, tap, path)
    new = os.urandom(300 * 512 + 100)  # a last partial sector: read, merged, written
    src = tmp_path / "new"
    src.write_bytes(new)
    r = curl(tap, "-T", str(src), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    g.send("poweroff\r")
    assert g.wait_exit() == 1
    assert path.read_bytes() == new + data[len(new):]


def test_tftp_errors(boot, tap, image, tmp_path):
    path, data = image
    tap_guest(boot, tap, path, drive=",readonly=on")
    out = tmp_path / "got"
    r = curl(tap, "-o", str(out), f"tftp://{GUEST_IP}/nosuchfile")
    assert r.returncode == 68, (r.returncode, r.stderr)  # curl: TFTP file not found
    src = tmp_path / "w"
    src.write_bytes(b"x" * 1000)
    r = curl(tap, "-T", str(src), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 69, (r.returncode, r.stderr)  # curl: TFTP permission problem
    # an opcode TFTP does not have: ERROR 4
    code = ("import socket\n"
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(5)\n"
            f"s.sendto(b'\\x00\\x09junk',('{GUEST_IP}',69)); d,a=s.recvfrom(600)\n"
            "print(d[:4].hex())\n")
    r = in_ns(tap, "/usr/bin/python3", "-c", code)
    assert r.stdout.strip() == b"00050004", r.stdout + r.stderr


def test_tftp_write_past_the_end(boot, tap, image, tmp_path):
    path, data = image
    tap_guest(boot, tap, path)
    src = tmp_path / "big"
    src.write_bytes(os.urandom(SECTORS * 512 + 4096))
    r = curl(tap, "-T", str(src), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 70, (r.returncode, r.stderr)  # curl: disk full


def test_tftp_block_numbers_roll_over(boot, tap, tmp_path):
    """70016 blocks of 8 bytes: block numbers pass 65535 and go on from 0, as tftp-hpa does."""
    path = tmp_path / "small.img"
    data = os.urandom(1094 * 512)
    path.write_bytes(data)
    tap_guest(boot, tap, path)
    out = tmp_path / "got"
    r = curl(tap, "--tftp-blksize", "8", "-o", str(out), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data


@pytest.mark.skipif(os.environ.get("RINGSIDE_FULL") != "1", reason="a minute of lease time: make test-full")
def test_dhcp_renewal_against_dnsmasq(boot, tap, image, tmp_path):
    """dnsmasq's shortest lease is 2 minutes: renewal comes at T1, one minute in."""
    dns = subprocess.Popen(["ip", "netns", "exec", tap, "dnsmasq", "--no-daemon", "--port=0", "--no-resolv",
                            "--no-hosts", "--interface=rstap0", "--bind-interfaces", "--leasefile-ro",
                            f"--pid-file={tmp_path}/dnsmasq.pid",
                            "--dhcp-range=192.168.76.50,192.168.76.60,2m"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        path, _ = image
        extra = blk_args(path)
        g = boot(netns=tap, net="tap,ifname=rstap0,script=no,downscript=no", extra=extra)
        assert re.search(r"dhcp bound, lease 120 s from 192\.168\.76\.1", g.output), g.output
        ip = re.search(r"ip=(192\.168\.76\.\d+)/24", g.cmd("net")).group(1)
        g.expect(r"dhcp renewed, lease 120 s", timeout=100)
        assert f"ip={ip}/24" in g.cmd("net")
        r = in_ns(tap, "ping", "-c", "1", "-W", "5", ip)
        assert r.returncode == 0
    finally:
        dns.terminate()
        dns.wait()


# Each varies one thing from the default virtio-net-pci, on user networking.
NET_VARIANTS = {
    "modern": dict(net_props="disable-legacy=on"),
    "legacy": dict(net_props="disable-modern=on"),
    "legacy-no-mrg": dict(net_props="disable-modern=on,mrg_rxbuf=off"),  # the 10-byte header
    "packed": dict(net_props="packed=on"),
    "no-mrg-rxbuf": dict(net_props="mrg_rxbuf=off"),
    "no-csum": dict(net_props="csum=off"),
    "no-event-idx": dict(net_props="event_idx=off"),
    "intx": dict(net_props="vectors=0"),
    "rx-queue-1024": dict(net_props="rx_queue_size=1024"),
    "pc": dict(machine="pc"),
    "poll": dict(append="mode=poll"),
    "irq": dict(append="mode=irq"),
}


@pytest.mark.parametrize("variant", list(NET_VARIANTS))
def test_dhcp_ping_matrix(boot, variant):
    g = boot(net="user", **NET_VARIANTS[variant])
    assert "ip=10.0.2.15/24" in g.cmd("net")
    out = g.cmd("ping 10.0.2.2 2", timeout=60)
    assert "2 sent, 2 received" in out, out


@pytest.mark.parametrize("blksize", [1468, 8192, 65464])
def test_tftp_blksize_options(boot, tap, image, tmp_path, blksize):
    """The block size asked is granted; past one frame, DATA goes out as IP
    fragments (and a write's DATA comes in as fragments), as with tftp-hpa."""
    path, data = image
    g = tap_guest(boot, tap, path)
    out = tmp_path / "got"
    r = curl(tap, "-v", "--tftp-blksize", str(blksize), "-o", str(out), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    assert re.search(rf"got option=\(blksize\) value=\({blksize}\)", r.stderr.decode()), r.stderr
    assert out.read_bytes() == data
    frags = int(re.search(r"frags_tx=(\d+)", g.cmd("net net0 -v")).group(1))
    assert (frags > 0) == (blksize > 1468), frags
    if blksize > 1468:
        new = os.urandom(300 * 512)
        (tmp_path / "new").write_bytes(new)
        r = curl(tap, "--tftp-blksize", str(blksize), "-T", str(tmp_path / "new"), f"tftp://{GUEST_IP}/disk")
        assert r.returncode == 0, r.stderr
        r = curl(tap, "--tftp-blksize", "1468", "-o", str(out), f"tftp://{GUEST_IP}/disk")
        assert r.returncode == 0 and out.read_bytes() == new + data[len(new):], r.stderr
        assert re.search(r"frags_rx=[1-9]", g.cmd("net net0 -v"))


def test_tftp_over_hostfwd(boot, image, tmp_path):
    """Through QEMU's user networking: the host reaches port 69 by hostfwd (UDP)."""
    path, data = image
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    extra = blk_args(path)
    boot(net=f"user,hostfwd=udp:127.0.0.1:{port}-:69", extra=extra)
    out = tmp_path / "got"
    r = subprocess.run(["curl", "-s", "-S", "--max-time", "120", "-o", str(out), f"tftp://127.0.0.1:{port}/disk"],
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data


def test_host_mtu_9000_unfragmented(boot, tap, image, tmp_path):
    path, data = image
    in_ns(tap, "ip", "link", "set", "rstap0", "mtu", "9000")
    extra = blk_args(path)
    g = boot(netns=tap, net="tap,ifname=rstap0,script=no,downscript=no", net_props="host_mtu=9000",
             extra=extra, append=f"ip={GUEST_IP}/24 gw={HOST_IP}")
    assert "mtu=9000" in g.cmd("net")
    # 8000 bytes of ICMP with don't-fragment: it fits one frame each way, or fails
    r = in_ns(tap, "ping", "-c", "2", "-W", "5", "-M", "do", "-s", "8000", GUEST_IP)
    assert r.returncode == 0, r.stdout + r.stderr
    # TFTP blocks of 8192 bytes, one frame each
    out = tmp_path / "got"
    r = curl(tap, "--tftp-blksize", "8192", "-o", str(out), f"tftp://{GUEST_IP}/disk")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data
    v = g.cmd("net net0 -v")
    assert re.search(r"frags_tx=0 frags_rx=0 ", v), v


def test_tftp_option_refused_and_second_disk(boot, tap, image, tmp_path):
    path, data = image
    second = tmp_path / "second.img"
    data2 = os.urandom(64 * 512)
    second.write_bytes(data2)
    extra = ["-drive", f"file={path},if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0",
             "-drive", f"file={second},if=none,id=d1,format=raw", "-device", "virtio-blk-pci,drive=d1"]
    boot(netns=tap, net="tap,ifname=rstap0,script=no,downscript=no", extra=extra,
         append=f"ip={GUEST_IP}/24 gw={HOST_IP}")
    out = tmp_path / "got"
    r = curl(tap, "-o", str(out), f"tftp://{GUEST_IP}/disk1")
    assert r.returncode == 0 and out.read_bytes() == data2, r.stderr
    # blksize 4 is below RFC 2348's 8: ERROR 8, options cannot be honoured
    code = ("import socket\n"
            "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(5)\n"
            f"s.sendto(b'\\x00\\x01disk\\x00octet\\x00blksize\\x004\\x00',('{GUEST_IP}',69)); d,a=s.recvfrom(600)\n"
            "print(d[:4].hex())\n")
    r = in_ns(tap, "/usr/bin/python3", "-c", code)
    assert r.stdout.strip() == b"00050008", r.stdout + r.stderr
