"""ringside.py - gdb helpers that read ringside's own structures: devices, PCI functions, live rings.

Loaded by scripts/gdb/init.gdb (`make debug`). They only read memory, so they
work wherever the guest is stopped, even in the exception handler:

  rs-devices            every virtio device: PCI address or MMIO base, transport, status, features
  rs-pci                every PCI function and its BARs
  rs-vq DEV Q           one queue: indices, descriptor table, avail and used rings, chains in flight
  rs-chain DEV Q HEAD   one chain, segment by segment, decoding a virtio-blk or virtio-net header

Handles are read back from the driver's own bookkeeping (struct vq_entry), as
posted. Reading the bytes behind a handle assumes the identity DMA backend
(handle = guest-physical = kernel address), which is what runs without an IOMMU.
"""
import struct

import gdb

STATUS = [(0x01, "ACKNOWLEDGE"), (0x02, "DRIVER"), (0x04, "DRIVER_OK"), (0x08, "FEATURES_OK"),
          (0x40, "NEEDS_RESET"), (0x80, "FAILED")]
RING_FEATURES = {24: "NOTIFY_ON_EMPTY", 27: "ANY_LAYOUT", 28: "INDIRECT_DESC", 29: "EVENT_IDX",
                 32: "VERSION_1", 33: "ACCESS_PLATFORM", 34: "RING_PACKED", 35: "IN_ORDER",
                 36: "ORDER_PLATFORM", 37: "SR_IOV", 38: "NOTIFICATION_DATA", 40: "RING_RESET"}
DEVICE_FEATURES = {
    "blk": {1: "SIZE_MAX", 2: "SEG_MAX", 4: "GEOMETRY", 5: "RO", 6: "BLK_SIZE", 9: "FLUSH", 10: "TOPOLOGY",
            11: "CONFIG_WCE", 12: "MQ", 13: "DISCARD", 14: "WRITE_ZEROES"},
    "net": {0: "CSUM", 1: "GUEST_CSUM", 3: "MTU", 5: "MAC", 15: "MRG_RXBUF", 16: "STATUS", 17: "CTRL_VQ"},
    "rng": {},
}
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4
BLK_TYPES = {0: "IN (read)", 1: "OUT (write)", 4: "FLUSH", 8: "GET_ID", 11: "DISCARD", 13: "WRITE_ZEROES"}


def devices():
    vd = gdb.parse_and_eval("virtio_devices")
    while int(vd):
        yield vd.dereference()
        vd = vd["next"]


def find_device(name):
    for vd in devices():
        if vd["name"].string() == name:
            return vd
    raise gdb.GdbError(f"no virtio device {name}")


def feature_names(prefix, bits):
    table = {**RING_FEATURES, **DEVICE_FEATURES.get(prefix, {})}
    return ",".join(table.get(b, f"bit{b}") for b in range(64) if bits >> b & 1)


def read(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def queue(vd, q):
    if q >= int(vd["nqueues"]):
        raise gdb.GdbError(f"{vd['name'].string()} has {int(vd['nqueues'])} queues")
    # struct virtqueue is private to virtqueue.c; its debug info still describes it
    vq_t = gdb.lookup_type("struct virtqueue").pointer()
    return vd["q"][q]["vq"].cast(vq_t).dereference()


def is_mmio(vd):
    """Whether vd's ops table is one of virtio_mmio.c's (its tables are static there)."""
    for table in ("virtio_mmio_v2_ops", "virtio_mmio_v1_ops"):
        sym = gdb.lookup_static_symbol(table)
        if sym and int(sym.value().address) == int(vd["ops"]):
            return True
    return False


def transport(vd):
    """Where the device is, and its status register (None where gdb cannot read it)."""
    if is_mmio(vd):
        # the virtio-mmio transport's own state (drivers/virtio/virtio_mmio.c): its register block
        vm = vd["transport"].cast(gdb.lookup_type("struct vm").pointer()).dereference()
        return f"mmio@0x{int(vm['where']['base']):x}", int(vm["regs"]["status"]) & 0xff
    # the PCI transport's own state (drivers/virtio/virtio_pci.c)
    vp = vd["transport"].cast(gdb.lookup_type("struct vp").pointer())
    pci = vp["pci"].dereference()
    where = f"{int(pci['bus']):02x}:{int(pci['dev']):02x}.{int(pci['fn'])}"
    # legacy: the status is behind an I/O port gdb cannot read
    return where, int(vp["common"]["device_status"]) if int(vp["common"]) else None


class RsDevices(gdb.Command):
    """rs-devices: every virtio device with its transport, status and features by name."""

    def __init__(self):
        super().__init__("rs-devices", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        for vd in devices():
            name = vd["name"].string()
            prefix = name.rstrip("0123456789")
            where, status = transport(vd)
            st = "?" if status is None else "|".join(n for b, n in STATUS if status & b) or "0"
            print(f"{name} {where} "
                  f"{vd['ops']['name'].string()} queues={int(vd['nqueues'])} status={st} "
                  f"mode={str(vd['mode']).replace('IO_MODE_', '').lower()} "
                  f"features={feature_names(prefix, int(vd['features']))}")


class RsPci(gdb.Command):
    """rs-pci: every PCI function and its BARs."""

    def __init__(self):
        super().__init__("rs-pci", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not int(gdb.parse_and_eval("pci_present")):
            print("no PCI on this machine")
            return
        d = gdb.parse_and_eval("pci_devices")
        kinds = {0: None, 1: "io", 2: "mem32", 3: "mem64"}
        while int(d):
            p = d.dereference()
            print(f"{int(p['bus']):02x}:{int(p['dev']):02x}.{int(p['fn'])} "
                  f"{int(p['vendor']):04x}:{int(p['device']):04x} class "
                  f"{int(p['class']):02x}{int(p['subclass']):02x}{int(p['prog_if']):02x}"
                  + (f" driver={p['driver'].string()}" if int(p["driver"]) else ""))
            for i in range(6):
                b = p["bar"][i]
                kind = kinds[int(b["type"])]
                if kind:
                    print(f"    BAR{i} {kind} addr=0x{int(b['addr']):x} size=0x{int(b['size']):x}")
            d = p["next"]


def chain(vq, head):
    """The segments of the chain at head, from the driver's own record: (handle, len, flags)."""
    ent = vq["ent"]
    segs, i, n = [], head, 0
    while n < int(vq["num"]):
        e = ent[i]
        flags = int(e["flags"])
        if flags & F_INDIRECT:  # a table of descriptors in the indirect pool
            off = int(e["addr"]) - int(vq["ind_dma"])
            table = int(vq["ind"].cast(gdb.lookup_type("unsigned long"))) + off
            for k in range(int(e["len"]) // 16):
                # split: addr, len, flags, next (§2.7.5); packed: addr, len, id, flags (§2.8.13)
                addr, ln, a, b = struct.unpack("<QIHH", read(table + 16 * k, 16))
                segs.append((addr, ln, (b if bool(vq["packed"]) else a) & ~F_NEXT))
            break
        segs.append((int(e["addr"]), int(e["len"]), flags))
        n += 1
        if not (flags & F_NEXT) or bool(vq["packed"]) and n >= int(ent[head]["ndesc"]):
            break
        i = int(e["next"])
    return segs


def heads(vq):
    ent = vq["ent"]
    for i in range(int(vq["num"])):
        if int(ent[i]["token"]) and int(ent[i]["ndesc"]):
            yield i


class RsVq(gdb.Command):
    """rs-vq DEV Q: a queue's indices, rings and every chain in flight."""

    def __init__(self):
        super().__init__("rs-vq", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = arg.split()
        if len(a) != 2:
            raise gdb.GdbError("usage: rs-vq DEV Q")
        vd = find_device(a[0])
        vq = queue(vd, int(a[1], 0))
        num = int(vq["num"])
        packed = bool(vq["packed"])
        print(f"{a[0]} q{a[1]}: {'packed' if packed else 'split'} size={num} free={int(vq['num_free'])} "
              f"inflight={int(vq['inflight'])} broken={int(vq['broken'])}")
        print(f"  desc=0x{int(vq['desc_dma']):x} driver=0x{int(vq['driver_dma']):x} "
              f"device=0x{int(vq['device_dma']):x}")
        if packed:
            print(f"  next_avail={int(vq['avail_idx'])} wrap={int(vq['avail_wrap'])} "
                  f"last_used={int(vq['last_used'])} wrap={int(vq['used_wrap'])}")
        else:
            s = vq["s"]
            avail, used = s["avail"].dereference(), s["used"].dereference()
            aidx, uidx = int(avail["idx"]), int(used["idx"])
            print(f"  avail: flags={int(avail['flags'])} idx={aidx}   used: flags={int(used['flags'])} idx={uidx} "
                  f"last_seen={int(vq['last_used'])}")
            recent = [int(avail["ring"][(aidx - k - 1) % num]) for k in range(min(4, num))]
            print(f"  avail.ring, newest first: {recent}")
            for k in range(min(4, num)):
                e = used["ring"][(uidx - k - 1) % num]
                print(f"  used.ring[{(uidx - k - 1) % num}]: id={int(e['id'])} len={int(e['len'])}")
        for h in heads(vq):
            print(f"  chain head={h} token=0x{int(vq['ent'][h]['token']):x} "
                  f"writable={int(vq['ent'][h]['in_len'])}")
            for addr, ln, fl in chain(vq, h):
                print(f"    handle=0x{addr:x} len={ln} {'W' if fl & F_WRITE else 'R'}")


class RsChain(gdb.Command):
    """rs-chain DEV Q HEAD: one chain, decoding a virtio-blk request or a virtio-net header."""

    def __init__(self):
        super().__init__("rs-chain", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        a = arg.split()
        if len(a) != 3:
            raise gdb.GdbError("usage: rs-chain DEV Q HEAD")
        vd = find_device(a[0])
        vq = queue(vd, int(a[1], 0))
        head = int(a[2], 0)
        if head >= int(vq["num"]) or not int(vq["ent"][head]["token"]):
            raise gdb.GdbError(f"no chain in flight at {head}")
        segs = chain(vq, head)
        kind = a[0].rstrip("0123456789")
        for k, (addr, ln, fl) in enumerate(segs):
            what = ""
            if kind == "blk" and k == 0 and ln == 16 and not fl & F_WRITE:
                t, _, sector = struct.unpack("<IIQ", read(addr, 16))
                what = f"  header: type={BLK_TYPES.get(t, t)} sector={sector}"
            elif kind == "blk" and k == len(segs) - 1 and ln == 1 and fl & F_WRITE:
                s = read(addr, 1)[0]
                what = "  status: " + {0: "OK", 1: "IOERR", 2: "UNSUPP"}.get(s, f"0x{s:02x} (not written yet)")
            elif kind == "blk":
                what = "  data"
            elif kind == "net" and k == 0 and ln >= 10:
                f, gso, hl, gs, cs, co = struct.unpack("<BBHHHH", read(addr, 10))
                what = f"  virtio_net_hdr: flags={f} gso_type={gso} csum_start={cs} csum_offset={co}"
            print(f"seg {k}: handle=0x{addr:x} len={ln} {'device-writable' if fl & F_WRITE else 'device-readable'}"
                  + what)


RsDevices()
RsPci()
RsVq()
RsChain()
