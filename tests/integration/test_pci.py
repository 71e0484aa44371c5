"""test_pci.py - the guest's lspci -v against QEMU's own view (QMP query-pci)."""
import re

import pytest

CONFIGS = {
    "pc": dict(machine="pc", disks=["{disk}"], net="user"),
    "q35": dict(machine="q35", disks=["{disk}"], net="user"),
    "q35-root-port": dict(extra=["-device", "pcie-root-port,id=rp1,chassis=1,slot=1",
                                 "-device", "virtio-rng-pci,bus=rp1"]),
    "q35-pci-bridge": dict(extra=["-device", "pcie-pci-bridge,id=br1,bus=pcie.0,addr=6",
                                  "-device", "virtio-rng-pci,bus=br1,addr=1",
                                  "-device", "pci-bridge,id=br2,bus=br1,addr=2,chassis_nr=2",
                                  "-device", "virtio-rng-pci,bus=br2,addr=3"]),
    "multifunction": dict(extra=["-device", "virtio-rng-pci,addr=5.0,multifunction=on",
                                 "-device", "virtio-rng-pci,addr=5.1",
                                 "-device", "edu,addr=5.2"]),
    "several-virtio": dict(disks=["{disk}"], net="user",
                           extra=["-device", "virtio-rng-pci", "-device", "edu"]),
}


def qemu_functions(qmp):
    """Every function QEMU reports, keyed by (bus, dev, fn)."""
    out = {}

    def walk(devices):
        for d in devices:
            bars = set()
            for r in d.get("regions", []):
                if r["bar"] > 5:
                    continue  # the expansion ROM: not a BAR ringside sizes
                bars.add((r["bar"], "io" if r["type"] == "io" else
                          ("mem64" if r.get("mem_type_64") else "mem32"),
                          bool(r.get("prefetch")), r["address"], r["size"]))
            out[(d["bus"], d["slot"], d["function"])] = dict(
                vendor=d["id"]["vendor"], device=d["id"]["device"],
                cls=d["class_info"]["class"], bars=bars)
            br = d.get("pci_bridge")
            if br:
                walk(br.get("devices", []))

    for bus in qmp.execute("query-pci"):
        walk(bus["devices"])
    return out


def guest_functions(text):
    """Every function lspci -v lists, keyed by (bus, dev, fn); and the name it gives each."""
    out, names = {}, {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ([0-9a-f]{4}):([0-9a-f]{4}) class ([0-9a-f]{6}) (\S+)$",
                     line)
        if m:
            cur = dict(vendor=int(m[4], 16), device=int(m[5], 16), cls=int(m[6], 16) >> 8, bars=set())
            bdf = (int(m[1], 16), int(m[2], 16), int(m[3], 16))
            out[bdf], names[bdf] = cur, m[7]
            continue
        m = re.match(r"\s+BAR(\d) (io|mem32|mem64)( prefetch)? addr=0x([0-9a-f]+) size=0x([0-9a-f]+)$", line)
        if m:
            cur["bars"].add((int(m[1]), m[2], bool(m[3]), int(m[4], 16), int(m[5], 16)))
    return out, names


def virtio_expected(kw):
    """The virtio functions a config asks QEMU for, by the name lspci should give them."""
    names = ["virtio-blk"] * len(kw.get("disks", [])) + (["virtio-net"] if kw.get("net") else [])
    names += [re.match(r"(virtio-\w+)-pci", a)[1] for a in kw.get("extra", []) if a.startswith("virtio-")]
    return sorted(names)


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_lspci_matches_qemu(boot, tmp_path, config):
    kw = dict(CONFIGS[config])
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 20))
    kw["disks"] = [d.format(disk=disk) for d in kw.get("disks", [])]
    g = boot(qmp=True, **kw)
    guest, names = guest_functions(g.cmd("lspci -v"))
    qemu = qemu_functions(g.qmp)
    assert sorted(guest) == sorted(qemu)
    for bdf, q in qemu.items():
        assert guest[bdf] == q, bdf
    # named for the device QEMU put there: transitional (1af4:1005) on a plain PCI
    # bus, modern (1af4:1044) behind a PCIe root port
    virtio = sorted(n for bdf, n in names.items() if guest[bdf]["vendor"] == 0x1af4)
    assert virtio == virtio_expected(kw), names


def test_lspci_plain_format(boot):
    out = boot().cmd("lspci")
    lines = out.strip().splitlines()
    assert lines and all(re.match(r"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [0-9a-f]{4}:[0-9a-f]{4} class [0-9a-f]{6} \S+$",
                                  ln) for ln in lines), out


def test_lspci_bad_argument(boot):
    assert boot().cmd("lspci -x").startswith("error: usage: EINVAL:")
