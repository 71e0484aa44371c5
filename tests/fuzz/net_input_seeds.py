#!/usr/bin/env python3
"""net_input_seeds.py - writes seed inputs for net_input_fuzz (its input format) into a directory."""
import os
import struct
import sys

MAC = bytes.fromhex("525400123456")
PEER = bytes.fromhex("52550a000202")
US, GW = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])
BCAST = b"\xff" * 4


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(t, payload, dst=MAC):
    return dst + PEER + struct.pack("!H", t) + payload


def arp(op, spa, tpa):
    return eth(0x0806, struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + PEER + spa + b"\0" * 6 + tpa)


def ip(proto, payload, dst=US, ident=1, frag=0, src=GW):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return eth(0x0800, h + payload)


def udp(sport, dport, data, dst=US, src=GW):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = csum(src + dst + struct.pack("!HH", 17, len(u)) + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def icmp(typ, ident, seq, data):
    m = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def record(frame, ticks=0):
    return struct.pack("!HB", len(frame), ticks) + frame


def dhcp_xid():
    """The client's first xid, as dhcp.c draws it at the fuzzer's fixed time."""
    m64 = (1 << 64) - 1
    rng = 1000000000000 ^ (struct.unpack("!I", MAC[2:])[0] << 16) ^ 0x9E3779B97F4A7C15
    rng ^= (rng << 13) & m64
    rng ^= rng >> 7
    rng ^= (rng << 17) & m64
    return (rng >> 16) & 0xFFFFFFFF


def dhcp(typ, xid):
    m = struct.pack("!BBBBIHH4s4s4s4s", 2, 1, 6, 0, xid, 0, 0, b"\0" * 4, US, GW, b"\0" * 4)
    m += MAC + b"\0" * 10 + b"\0" * 192 + struct.pack("!I", 0x63825363)
    m += bytes([53, 1, typ, 54, 4]) + GW + bytes([1, 4, 255, 255, 255, 0, 3, 4]) + GW
    m += bytes([51, 4, 0, 0, 0, 100, 255])
    return ip(17, udp(67, 68, m, BCAST), BCAST)


def main(out):
    os.makedirs(out, exist_ok=True)
    big = udp(1234, 9, bytes(range(256)) * 8)
    seeds = {
        "arp": b"\0" + record(arp(1, GW, US)) + record(arp(2, GW, US), 20),
        "echo": b"\0" + record(ip(17, udp(1234, 7, b"hello"))) + record(ip(1, icmp(8, 1, 1, b"x" * 56))),
        "frag": b"\0" + record(ip(17, big[1000:], frag=125)) + record(ip(17, big[:1000], frag=0x2000)),
        "ping": b"\x02" + record(arp(2, GW, US)) + record(ip(1, icmp(0, 1, 1, bytes(range(56))))),
        "dhcp": b"\x01" + record(dhcp(2, dhcp_xid())) + record(dhcp(5, dhcp_xid()), 255),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
