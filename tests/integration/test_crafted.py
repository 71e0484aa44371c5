"""test_crafted.py - hostile frames built with scapy, fed to virtio-net over -netdev dgram (no
privileges): each is dropped and counted, and the guest still answers ping afterwards."""
import os
import re
import socket
import time

import pytest

scapy = pytest.importorskip("scapy.all")
from scapy.all import ARP, ICMP, IP, UDP, Ether, Raw, fragment, raw  # noqa: E402

GUEST_IP, PEER_IP, PEER_MAC = "10.1.0.2", "10.1.0.1", "02:00:00:00:00:01"
BCAST = "ff:ff:ff:ff:ff:ff"


class Wire:
    """The other end of the guest's cable: a UDP socket QEMU's dgram backend talks to."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            self.qemu_port = s.getsockname()[1]
        self.guest_mac = None

    def netdev(self):
        return (f"dgram,local.type=inet,local.host=127.0.0.1,local.port={self.qemu_port},"
                f"remote.type=inet,remote.host=127.0.0.1,remote.port={self.sock.getsockname()[1]}")

    def send(self, frame):
        data = raw(frame) if not isinstance(frame, bytes) else frame
        assert data, "never send QEMU an empty datagram: QEMU 7.2's dgram netdev stops receiving after one"
        self.sock.sendto(data, ("127.0.0.1", self.qemu_port))

    def recv_until(self, pred, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            f = Ether(data)
            if pred(f):
                return f
        return None

    def resolve(self):
        self.send(Ether(src=PEER_MAC, dst=BCAST) / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst=GUEST_IP))
        r = self.recv_until(lambda f: ARP in f and f[ARP].op == 2 and f[ARP].psrc == GUEST_IP)
        assert r is not None, "no ARP reply"
        self.guest_mac = r[ARP].hwsrc

    def ping(self, seq):
        self.send(Ether(src=PEER_MAC, dst=self.guest_mac) / IP(src=PEER_IP, dst=GUEST_IP) /
                  ICMP(type=8, id=0x77, seq=seq) / Raw(b"ringside" * 4))
        r = self.recv_until(lambda f: ICMP in f and f[ICMP].type == 0 and f[ICMP].seq == seq)
        return r is not None


@pytest.fixture
def wire(boot):
    w = Wire()
    g = boot(net=w.netdev(), append=f"ip={GUEST_IP}/24 gw={PEER_IP}")
    w.resolve()
    assert w.ping(1)
    yield w, g
    w.sock.close()


def drops(g):
    out = g.cmd("net net0 -v")
    d = {k: int(v) for k, v in re.findall(r"drop (\w+)=(\d+)", out)}
    # runts and oversize frames stop in the driver
    d["driver_rx_bad_len"] = int(re.search(r"rx_bad_len=(\d+)", out).group(1))
    d["driver_rx_bad_num_buffers"] = int(re.search(r"rx_bad_num_buffers=(\d+)", out).group(1))
    return d, out


def to_guest(w, proto=None):
    return Ether(src=PEER_MAC, dst=w.guest_mac) / IP(src=PEER_IP, dst=GUEST_IP, **(proto or {}))


def test_hostile_frames_dropped_and_counted(wire):
    w, g = wire
    before, _ = drops(g)
    # runts: one byte (the shortest a dgram backend may carry), and a header cut short
    w.send(b"\x01")
    w.send(raw(Ether(src=PEER_MAC, dst=w.guest_mac))[:10])
    # an oversize frame: 12000 bytes, past what the driver takes even merged over several buffers
    w.send(raw(to_guest(w) / UDP(sport=9, dport=7) / Raw(b"o" * 11950)))
    # an IP header with a wrong checksum
    bad = bytearray(raw(to_guest(w) / ICMP() / Raw(b"x" * 8)))
    bad[14 + 10] ^= 0xff
    w.send(bytes(bad))
    # a datagram longer than the frame that carries it
    p = bytearray(raw(to_guest(w) / UDP(sport=1, dport=7) / Raw(b"y" * 20)))
    p[14 + 2:14 + 4] = (2000).to_bytes(2, "big")
    w.send(bytes(p))
    # ARP for an address that is not ours
    # (from a sender not in the cache: RFC 826 would merge a known one)
    w.send(Ether(src=PEER_MAC, dst=BCAST) / ARP(op=1, hwsrc=PEER_MAC, psrc="10.1.0.99", pdst="10.1.0.77"))
    # UDP to a closed port
    w.send(to_guest(w) / UDP(sport=1234, dport=4444) / Raw(b"hello"))
    # overlapping fragments
    frags = fragment(to_guest(w) / UDP(sport=5, dport=7) / Raw(b"z" * 3000), fragsize=1000)
    w.send(frags[0])
    o = frags[1].copy()
    o[IP].frag = 50  # overlaps the first
    w.send(o)
    # a datagram that would reassemble past 64 KiB
    big = to_guest(w, {"id": 99, "flags": 1, "frag": 8180}) / Raw(b"q" * 1400)
    w.send(big)
    # a broadcast storm of junk EtherTypes
    for i in range(200):
        w.send(Ether(src=PEER_MAC, dst=BCAST, type=0x88b5) / Raw(bytes([i]) * 46))
    # malformed DHCP (to our client port) and TFTP (opcode 0, no name)
    w.send(to_guest(w) / UDP(sport=67, dport=68) / Raw(b"\x02\x01\x06"))
    w.send(to_guest(w) / UDP(sport=2000, dport=69) / Raw(b"\x00\x01"))
    assert w.ping(2), "the guest stopped answering"
    after, out = drops(g)
    grew = {k for k in after if after[k] > before.get(k, 0)}
    assert after["driver_rx_bad_len"] + after["driver_rx_bad_num_buffers"] >= \
        before["driver_rx_bad_len"] + before["driver_rx_bad_num_buffers"] + 3, out  # two runts, one oversize
    for reason in ("driver_rx_bad_len", "ip_csum", "ip_len", "arp_not_us", "udp_port", "frag_overlap", "frag_oversize",
                   "eth_type"):
        assert reason in grew, (reason, out)


def test_never_completed_fragments_time_out(wire):
    w, g = wire
    frags = fragment(to_guest(w, {"id": 4242}) / UDP(sport=5, dport=7) / Raw(b"r" * 3000), fragsize=1000)
    w.send(frags[0])  # the rest never comes
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        d, out = drops(g)
        if d.get("frag_timeout", 0) >= 1:
            break
        g.cmd("sleep 1000", timeout=30)
    assert d.get("frag_timeout", 0) >= 1, out
    assert w.ping(3)


def test_ip_options_and_fragments_reassemble(wire):
    """IP options are skipped; fragments in any order reassemble; UDP echo answers the whole datagram."""
    w, g = wire
    payload = bytes(range(256)) * 12
    pkt = to_guest(w, {"id": 777, "options": [scapy.IPOption_NOP()] * 4}) / UDP(sport=3333, dport=7) / Raw(payload)
    frags = fragment(pkt, fragsize=1000)
    for f in reversed(frags):
        w.send(f)
    got = bytearray()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(got) < len(payload) + 8:
        f = w.recv_until(lambda f: IP in f and f[IP].src == GUEST_IP, timeout=2)
        if f is None:
            continue
        got[f[IP].frag * 8:f[IP].frag * 8 + len(raw(f[IP].payload))] = raw(f[IP].payload)
    assert bytes(got[8:]) == payload


def test_arp_reply_for_another_host_changes_nothing(wire):
    """RFC 826's merge rule would let any reply that names a known sender
    rewrite its entry; only ARP addressed to the guest may."""
    w, g = wire
    evil = "02:00:00:00:0e:71"
    w.send(Ether(src=evil, dst=w.guest_mac) /
           ARP(op=2, hwsrc=evil, psrc=PEER_IP, hwdst="02:00:00:00:00:77", pdst="10.1.0.77"))
    w.send(to_guest(w) / ICMP(type=8, id=0x77, seq=9) / Raw(b"ringside"))
    r = w.recv_until(lambda f: ICMP in f and f[ICMP].type == 0 and f[ICMP].seq == 9)
    assert r is not None and r[Ether].dst == PEER_MAC, r
    assert "drop arp_not_us=" in g.cmd("net net0 -v")


def test_spoofed_tftp_request_draws_two_packets(boot, tmp_path):
    """A read request from a forged source: the address it names never
    answers, so it gets the first DATA and one retransmission, then an
    ERROR, and nothing more (it used to get six)."""
    from guest import blk_args
    disk = tmp_path / "d.img"
    disk.write_bytes(os.urandom(64 * 1024))
    w = Wire()
    g = boot(net=w.netdev(), append=f"ip={GUEST_IP}/24 gw={PEER_IP}", extra=blk_args(str(disk)))
    w.resolve()
    victim, victim_mac = "10.1.0.99", "02:00:00:00:00:99"
    w.send(Ether(src=victim_mac, dst=w.guest_mac) / IP(src=victim, dst=GUEST_IP) /
           UDP(sport=40000, dport=69) / Raw(b"\x00\x01disk\x00octet\x00"))
    ops = []
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        f = w.recv_until(lambda f: (ARP in f and f[ARP].pdst == victim) or
                         (UDP in f and f[IP].dst == victim), timeout=0.5)
        if f is None:
            continue
        if ARP in f:  # the victim's address resolves: the worst case
            w.send(Ether(src=victim_mac, dst=w.guest_mac) /
                   ARP(op=2, hwsrc=victim_mac, psrc=victim, hwdst=w.guest_mac, pdst=GUEST_IP))
        else:
            ops.append(raw(f[UDP].payload)[1])
    assert ops == [3, 3, 5], ops  # DATA, DATA again, ERROR
    w.sock.close()
