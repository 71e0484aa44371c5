#!/usr/bin/env python3
"""mkdisk.py - the default disk: a text label in sector 0, then a pattern.

Usage: mkdisk.py OUT MIB. Sector n (n >= 1) holds the bytes of its own
number repeated, so a read of the wrong sector is easy to see.
"""
import struct
import sys

out, mib = sys.argv[1], int(sys.argv[2])
with open(out + ".tmp", "wb") as f:
    label = b"ringside default disk: sector n holds n as 64-bit little-endian words\n"
    f.write(label + bytes(512 - len(label)))
    for n in range(1, mib * 2048):
        f.write(struct.pack("<Q", n) * 64)
import os

os.replace(out + ".tmp", out)
