"""test_blk_campaign.py - a seeded blkdebug campaign: EIO and ENOSPC on reads, writes, write-zeroes and
flushes at random sectors, driven from the shell and over TFTP, against a model of what the disk must hold.

A seed picks the faults (QEMU's blkdebug, below the raw format, which raises read_aio, write_aio and
flush_to_disk on it; the block layer raises pwritev_zero for a write-zeroes) and a sequence of
operations: shell reads, fills, flushes and zeroes; TFTP reads and writes with curl (several block
sizes) or tftp-hpa; TFTP writes while the shell reads elsewhere on the disk, or while another
session reads the whole disk. Each operation is checked on its own, once nothing of it is with the
disk any more (operations that overlap fail different kinds of request, so each failure still has
one caller):

- QEMU's own count of failed requests (query-blockstats; one BLOCK_IO_ERROR event each) moved during
  the operation if and only if its caller saw an error: `error: blk0: EIO: I/O failed` in the shell,
  an ERROR packet ("disk read error", "disk write error") at the TFTP client. virtio-blk has one error
  status for all of them (VIRTIO_BLK_S_IOERR), so an injected ENOSPC reaches the guest, and its
  callers, as EIO; the events' `reason` says which errno QEMU had.
- what a read returned is what the model says the disk holds.

The model keeps, for each sector, what it may hold. A write that was acknowledged (the shell command
printed no error; the TFTP client got the final ACK, which follows the flush) leaves one possibility;
one that failed adds one (it may have reached the disk in part). At the end the guest reads the whole
disk over TFTP until that succeeds (every TFTP read passes every sector, and the read faults fire
once each), which must match the model; it still answers ping and a shell read, and powers off; the
image must then hold what it read.
"""
import hashlib
import os
import random
import re
import subprocess

import pytest
from test_net import GUEST_IP, in_ns, tap  # noqa: F401 (tap is a fixture)

SECTORS = 4096  # a 2 MiB disk
EIO, ENOSPC = 5, 28
# the event that makes each kind of rule active, and the request type it fails (blkdebug's iotype)
EVENT = {"read": "read_aio", "write": "write_aio", "zero": "pwritev_zero", "flush": "flush_to_disk"}
IOTYPE = {"read": "read", "write": "write", "zero": "write-zeroes", "flush": "flush"}
FULL = os.environ.get("RINGSIDE_FULL") == "1"
SHELL_EIO = "error: blk0: EIO: I/O failed"


# -- the plan: faults and operations, from the seed ----------------------------

def plan_faults(rng, scale=1):
    """Read faults fire once each (a TFTP read passes every sector: a lasting one would fail them all);
    one write fault is a bad sector that fails every write over it, the others fire once; a zero fault
    is a bad sector for write-zeroes (`blk zero`); flush faults fire once each, at the first flushes
    that reach blkdebug (QEMU passes a flush down only when something was written since the last one
    that succeeded). Each kind but zero gets both errnos."""
    def errnos(n):
        e = [EIO, ENOSPC] + [rng.choice((EIO, ENOSPC)) for _ in range(n - 2)]
        rng.shuffle(e)
        return e

    faults = [dict(kind="read", errno=e, sector=rng.randrange(SECTORS), once=True) for e in errnos(3 * scale)]
    we = errnos(1 + 2 * scale)
    # the bad sector past the first quarter: TFTP writes shorter than that can succeed
    faults.append(dict(kind="write", errno=we[0], sector=rng.randrange(SECTORS // 4, SECTORS), once=False))
    faults += [dict(kind="write", errno=e, sector=rng.randrange(SECTORS), once=True) for e in we[1:]]
    faults.append(dict(kind="zero", errno=rng.choice((EIO, ENOSPC)), sector=rng.randrange(SECTORS), once=False))
    faults += [dict(kind="flush", errno=e, sector=None, once=True) for e in errnos(2 * scale)]
    return faults


def blkdebug_conf(faults):
    """iotype keeps a rule to its own kind: the rules an event makes active stay active until the next
    event that has rules, and without iotype a read rule would also fail the writes that follow."""
    out = []
    for f in faults:
        lines = ["[inject-error]", f'event = "{EVENT[f["kind"]]}"', f'iotype = "{IOTYPE[f["kind"]]}"',
                 f'errno = "{f["errno"]}"']
        if f["sector"] is not None:
            lines.append(f'sector = "{f["sector"]}"')
        if f["once"]:
            lines.append('once = "on"')
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def plan_ops(rng, faults, n):
    """Half the shell reads and writes cover a fault's sector; half the TFTP writes stop short of the
    bad sector."""
    bad = next(f["sector"] for f in faults if f["kind"] == "write" and not f["once"])
    ops = []
    for _ in range(n):
        kind = rng.choices(["read", "fill", "zero", "flush", "tftp_read", "tftp_write", "tftp_write_reading",
                            "tftp_two_sessions"], [5, 5, 2, 2, 3, 3, 1, 1])[0]
        if kind in ("read", "fill", "zero"):
            count = min(SECTORS, rng.randint(1, rng.choice((8, 128, 1024, 3000))))
            targets = [f["sector"] for f in faults if f["kind"] == {"fill": "write"}.get(kind, kind)]
            if rng.random() < 0.5:
                s = rng.choice(targets)
                lba = rng.randint(max(0, s - count + 1), min(s, SECTORS - count))
            else:
                lba = rng.randrange(SECTORS - count + 1)
            op = dict(kind=kind, lba=lba, count=count)
            if kind == "fill":
                op["byte"] = rng.randrange(256)
        elif kind == "flush":
            op = dict(kind=kind)
        else:
            client = "tftp-hpa" if rng.random() < 0.2 else "curl"
            op = dict(kind=kind, client=client,
                      blksize=512 if client == "tftp-hpa" else rng.choice((512, 1468, 8192, 65464)))
            limit = bad * 512 if rng.random() < 0.5 else SECTORS * 512 * 3 // 4
            if kind == "tftp_write":
                op["data"] = rng.randbytes(rng.randint(1, limit))
            elif kind == "tftp_two_sessions":  # whole sectors, and a whole-disk read
                op["data"] = rng.randbytes(rng.randint(1, limit // 512) * 512)
                op["read_blksize"] = rng.choice((512, 1468, 8192, 65464))
            elif kind == "tftp_write_reading":  # whole sectors, and reads above them
                top = rng.randint(1, limit // 512)
                op["data"] = rng.randbytes(top * 512)
                op["reads"] = []
                for _ in range(40):
                    count = rng.randint(1, min(SECTORS - top, rng.choice((8, 256, 2048))))
                    op["reads"].append((rng.randint(top, SECTORS - count), count))
        ops.append(op)
    return ops


# -- the model: what each sector may hold ---------------------------------------

class Model:
    def __init__(self, data):
        self.may = [[data[i * 512:(i + 1) * 512]] for i in range(SECTORS)]

    def write(self, lba, sectors, acked):
        """sectors: for each sector from lba, what the write may have left there."""
        for i, cands in enumerate(sectors):
            if acked:
                self.may[lba + i] = list(dict.fromkeys(cands))
            else:
                self.may[lba + i] += [c for c in cands if c not in self.may[lba + i]]

    def tftp_sectors(self, data):
        """A TFTP write from sector 0: whole sectors, and a last partial one merged with what was there."""
        full, rest = divmod(len(data), 512)
        sectors = [[data[i * 512:(i + 1) * 512]] for i in range(full)]
        if rest:
            sectors.append([data[full * 512:] + old[rest:] for old in self.may[full]])
        return sectors

    def sha256(self, lba, count):
        """The hash the range must have, or None while some sector in it may hold more than one thing."""
        if any(len(self.may[s]) > 1 for s in range(lba, lba + count)):
            return None
        return hashlib.sha256(b"".join(self.may[s][0] for s in range(lba, lba + count))).hexdigest()

    def settle(self, disk):
        """The whole disk as read: each sector must be one of its possibilities, and is now that."""
        wrong = [s for s in range(SECTORS) if disk[s * 512:(s + 1) * 512] not in self.may[s]]
        for s in range(SECTORS):
            self.may[s] = [disk[s * 512:(s + 1) * 512]]
        return wrong


# -- the campaign ----------------------------------------------------------------

class Campaign:
    def __init__(self, g, ns, tmp, model):
        self.g, self.ns, self.tmp, self.model = g, ns, tmp, model
        self.failed = self.blockstats()
        self.nevents = 0
        self.totals = dict(rd=0, wr=0, flush=0, nospace=0, eio=0, shell_errors=0, curl_errors=0,
                           tftp_hpa_errors=0, ops=0, unverified_reads=0, reads_during_tftp=0)

    def blockstats(self):
        for d in self.g.qmp.execute("query-blockstats"):
            if d.get("device") == "d0":
                return {k: d["stats"][f"failed_{k}_operations"] for k in ("rd", "wr", "flush")}
        raise AssertionError("no blockstats for d0")

    def settle(self):
        """Wait until nothing is with the disk: a TFTP client leaves at an ERROR, while the session's
        other requests may still be in flight. Shell commands wait for their own."""
        for _ in range(100):
            qs = [dict(re.findall(r"(\w+)=(\d+)", line)) for line in self.g.cmd("stats blk0").splitlines()
                  if line.startswith("blk0 q")]
            assert qs, "no queue in stats blk0"
            if all(q["added"] == q["used"] for q in qs):
                return
        raise AssertionError("requests still with the disk")

    def account(self, what):
        """QEMU's failed requests since the last call, by kind, checked against its events."""
        now = self.blockstats()
        delta = {k: now[k] - self.failed[k] for k in now}
        self.failed = now
        events = [e for e in self.g.qmp.events[self.nevents:] if e["event"] == "BLOCK_IO_ERROR"]
        self.nevents = len(self.g.qmp.events)
        assert sum(delta.values()) == len(events), (what, delta, events)
        for k in delta:
            self.totals[k] += delta[k]
        for e in events:
            assert e["data"]["action"] == "report", e
            # `nospace` is there only for devices with an I/O status, which virtio-blk has not
            reason = {"No space left on device": "nospace", "Input/output error": "eio"}[e["data"]["reason"]]
            self.totals[reason] += 1
        self.totals["ops"] += 1
        return delta

    # shell ----------------------------------------------------------------------
    def cmd(self, line):
        """A shell command's answer. While it waits for the disk the main loop serves TFTP, and what
        tftpd logs meanwhile comes between the command and its answer."""
        out = self.g.cmd(line)
        return "\n".join(x for x in out.splitlines() if not x.startswith("tftpd: ")).strip()

    def shell(self, line, delta_kinds):
        out = self.cmd(line)
        delta = self.account(line)
        assert all(delta[k] == 0 for k in delta if k not in delta_kinds), (line, delta)
        failed = sum(delta.values()) > 0
        if failed or out.startswith("error:"):
            assert failed and out == SHELL_EIO, f"{line}: QEMU failed {delta}, the shell said {out!r}"
            self.totals["shell_errors"] += 1
        return out, failed

    def op_read(self, op):
        lba, count = op["lba"], op["count"]
        out, failed = self.shell(f"blk blk0 sha256 {lba} {count}", ("rd",))
        self.check_read(lba, count, out, failed)

    def check_read(self, lba, count, out, failed, delta=None):
        if failed or out.startswith("error:"):
            assert failed and out == SHELL_EIO, f"sha256 {lba} {count}: QEMU failed {delta}, the shell said {out!r}"
            if delta is not None:  # shell() counted its own
                self.totals["shell_errors"] += 1
            return
        want = self.model.sha256(lba, count)
        if want is None:
            assert re.fullmatch(r"[0-9a-f]{64}", out), out
            self.totals["unverified_reads"] += 1
        else:
            assert out == want, f"sectors {lba}+{count} do not hold what was acknowledged"

    def op_fill(self, op):
        lba, count, byte = op["lba"], op["count"], op["byte"]
        out, failed = self.shell(f"blk blk0 fill {lba} {count} {byte}", ("wr", "flush"))
        if not failed:
            assert out == f"wrote {count} sectors of 0x{byte:02x} at {lba}", out
        self.model.write(lba, [[bytes([byte]) * 512]] * count, acked=not failed)

    def op_zero(self, op):
        lba, count = op["lba"], op["count"]
        out, failed = self.shell(f"blk blk0 zero {lba} {count}", ("wr",))
        if not failed:
            assert out == "", out
        self.model.write(lba, [[bytes(512)]] * count, acked=not failed)

    def op_flush(self, op):
        out, failed = self.shell("blk blk0 flush", ("flush",))
        if not failed:
            assert out == "", out

    # TFTP -----------------------------------------------------------------------
    def tftp_start(self, op, put):
        """Start one transfer with the op's client; tftp_finish waits for it."""
        local = self.tmp / ("put" if put else "got")
        if put:
            local.write_bytes(op["data"])
        elif local.exists():
            local.unlink()
        if op["client"] == "curl":
            blk = ["--tftp-blksize", str(op["blksize"])] if op["blksize"] != 512 else []
            args = ["curl", "-v", "-s", "-S", "--max-time", "60", *blk, "-T" if put else "-o", str(local),
                    f"tftp://{GUEST_IP}/disk"]
        else:
            args = ["tftp", "-m", "binary", GUEST_IP, "-c", *(["put", str(local), "disk"] if put else
                                                             ["get", "disk", str(local)])]
        verb = "write" if put else "read"
        ended = self.g.output.count(f"ended: disk {verb} error")
        proc = subprocess.Popen(["ip", "netns", "exec", self.ns, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        return op, proc, verb, ended

    def tftp_finish(self, transfer):
        """The client's verdict: (succeeded, the ERROR packet's message or None)."""
        op, proc, _, _ = transfer
        out, err = proc.communicate(timeout=90)
        said = (out + err).decode(errors="replace")
        if op["client"] == "curl":
            m = re.search(r"TFTP error: (.*)", said)
            # an ERROR packet with code 0 is CURLE_TFTP_ILLEGAL (71)
            assert proc.returncode == 0 or (proc.returncode == 71 and m), (proc.returncode, said[-2000:])
            return proc.returncode == 0, m[1].strip() if m else None
        m = re.search(r"Error code (\d+): (.*)", said)  # tftp-hpa: its exit status does not tell
        assert not m or m[1] == "0", said
        assert m or not re.search(r"(?i)timed out|refused|error", said), said
        return not m, m[2].strip() if m else None

    def tftp_check(self, transfer, ok, said, delta):
        """QEMU failed requests (delta) during the transfer if and only if its client got an ERROR."""
        op, _, verb, ended = transfer
        failed = sum(delta.values()) > 0
        assert failed == (not ok), f"{op['kind']}: QEMU failed {delta}, the client said {said!r}"
        if failed:
            assert said == f"disk {verb} error", said
            assert self.g.output.count(f"ended: disk {verb} error") == ended + 1
            self.totals[op["client"].replace("-", "_") + "_errors"] += 1
        return failed

    def tftp(self, op, put):
        t = self.tftp_start(op, put)
        ok, said = self.tftp_finish(t)
        self.settle()
        return self.tftp_check(t, ok, said, self.account(op["kind"]))

    def op_tftp_read(self, op):
        if self.tftp(op, put=False):
            return False
        disk = (self.tmp / "got").read_bytes()
        assert len(disk) == SECTORS * 512
        wrong = self.model.settle(disk)
        assert not wrong, f"{len(wrong)} sectors read over TFTP are not what was written, from {wrong[:8]}"
        return True

    def op_tftp_write(self, op):
        failed = self.tftp(op, put=True)
        self.model.write(0, self.model.tftp_sectors(op["data"]), acked=not failed)

    def op_tftp_write_reading(self, op):
        """A TFTP write of whole sectors while the shell reads above it: the shell waits for its reads
        while the main loop serves the transfer. The write fails only writes and flushes, the reads
        only reads, so each failure still has one caller."""
        t = self.tftp_start(op, put=True)
        theirs = dict(rd=0, wr=0, flush=0)
        for lba, count in op["reads"]:
            if t[1].poll() is not None:
                break
            out = self.cmd(f"blk blk0 sha256 {lba} {count}")
            delta = self.account("read during a TFTP write")
            self.totals["reads_during_tftp"] += 1
            theirs = {k: theirs[k] + (delta[k] if k != "rd" else 0) for k in theirs}
            self.check_read(lba, count, out, delta["rd"] > 0, delta)
        ok, said = self.tftp_finish(t)
        self.settle()
        delta = self.account(op["kind"])
        assert delta["rd"] == 0, delta
        failed = self.tftp_check(t, ok, said, {k: theirs[k] + delta[k] for k in theirs})
        self.model.write(0, self.model.tftp_sectors(op["data"]), acked=not failed)

    def op_tftp_two_sessions(self, op):
        """A TFTP read of the whole disk and a TFTP write of whole sectors at once: two sessions on one
        disk. The read fails only reads, the write only writes and flushes. What the read got where
        the write goes may be either (or, within a sector, both), so only the rest is checked."""
        w = self.tftp_start(op, put=True)
        r = self.tftp_start(dict(kind="tftp_read", client="curl", blksize=op["read_blksize"]), put=False)
        ok_r, said_r = self.tftp_finish(r)
        ok_w, said_w = self.tftp_finish(w)
        self.settle()
        delta = self.account(op["kind"])
        failed = self.tftp_check(w, ok_w, said_w, dict(delta, rd=0))
        if not self.tftp_check(r, ok_r, said_r, dict(delta, wr=0, flush=0)):
            disk, top = (self.tmp / "got").read_bytes(), len(op["data"]) // 512
            assert len(disk) == SECTORS * 512
            wrong = [s for s in range(top, SECTORS) if disk[s * 512:(s + 1) * 512] not in self.model.may[s]]
            assert not wrong, f"{len(wrong)} sectors read over TFTP are not what was written, from {wrong[:8]}"
        self.model.write(0, self.model.tftp_sectors(op["data"]), acked=not failed)

    def run(self, i, op):
        before = dict(self.totals)
        getattr(self, "op_" + op["kind"])(op)
        failed = {k: self.totals[k] - before[k] for k in ("rd", "wr", "flush") if self.totals[k] != before[k]}
        shown = {k: len(v) if k in ("data", "reads") else v for k, v in op.items()}
        print(f"op {i}: {shown} failed={failed}")


def run_campaign(boot, ns, tmp_path, seed, nops, props=""):
    rng = random.Random(seed)
    faults = plan_faults(rng, 2 if nops > 20 else 1)
    ops = plan_ops(rng, faults, nops)
    data = rng.randbytes(SECTORS * 512)
    img, conf = tmp_path / "disk.img", tmp_path / "blkdebug.conf"
    img.write_bytes(data)
    conf.write_text(blkdebug_conf(faults))
    # werror/rerror=report: QEMU fails the request to the guest instead of stopping the VM (the
    # default for ENOSPC on writes); no cache=unsafe, which would drop every flush before blkdebug
    drive = (f"if=none,id=d0,format=raw,file.driver=blkdebug,file.config={conf},file.image.filename={img},"
             "werror=report,rerror=report")
    g = boot(netns=ns, net="tap,ifname=rstap0,script=no,downscript=no", qmp=True,
             extra=["-drive", drive, "-device", "virtio-blk-pci,drive=d0" + props],
             append=f"ip={GUEST_IP}/24 gw=192.168.76.1")
    c = Campaign(g, ns, tmp_path, Model(data))
    for i, op in enumerate(ops):
        try:
            c.run(i, op)
        except AssertionError as e:
            raise AssertionError(f"seed {seed}, op {i}: {e}") from e

    # the end: every read fault has fired once a whole-disk read succeeds
    nread = sum(f["kind"] == "read" for f in faults)
    for _ in range(nread + 1):
        if c.op_tftp_read(dict(kind="tftp_read", client="curl", blksize=65464)):
            break
    else:
        raise AssertionError(f"no whole-disk TFTP read succeeded in {nread + 1} tries")
    if "request-merging=off" in props:  # one QEMU request per guest request, one rule each
        assert c.totals["rd"] == nread, c.totals
    else:  # a failing request fails those merged with it
        assert c.totals["rd"] >= nread, c.totals
    r = in_ns(ns, "ping", "-c", "3", "-W", "5", GUEST_IP)
    assert b"3 received" in r.stdout, r.stdout + r.stderr
    assert g.cmd(f"blk blk0 sha256 0 {SECTORS}").strip() == c.model.sha256(0, SECTORS)
    # what the campaign reached: errors of each kind, both errnos, through both callers
    t = c.totals
    print(f"seed {seed}: {t}")
    assert t["wr"] and t["flush"] and t["nospace"] and t["eio"], t
    assert t["shell_errors"] and t["curl_errors"] + t["tftp_hpa_errors"], t
    poweroff(g)
    disk = img.read_bytes()
    wrong = [s for s in range(SECTORS) if disk[s * 512:(s + 1) * 512] != c.model.may[s][0]]
    assert not wrong, f"{len(wrong)} sectors of the image differ from what the guest read, from {wrong[:8]}"


def poweroff(g):
    """poweroff flushes the disk first; a flush QEMU failed then (its BLOCK_IO_ERROR comes before
    QEMU exits) is said on the console, naming the disk, and the power goes off anyway."""
    g.send("poweroff\r")
    assert g.wait_exit() == 1
    events = []
    try:
        while True:
            events.append(g.qmp._read())
    except (EOFError, OSError):
        pass
    failed = [e for e in events if e.get("event") == "BLOCK_IO_ERROR"]
    said = g.output.count("error: blk0: EIO: flush before power-off failed")
    assert said == len(failed) <= 1, (said, failed)
    return failed


SEEDS = list(range(1, 13)) if FULL else [1, 2]


@pytest.mark.parametrize("seed", SEEDS)
def test_campaign(boot, tap, tmp_path, seed):
    run_campaign(boot, tap, tmp_path, seed, 40 if FULL else 18)


@pytest.mark.skipif(not FULL, reason="more seeds: make test-full")
@pytest.mark.parametrize("seed", [101, 102, 103, 104])
def test_campaign_unmerged(boot, tap, tmp_path, seed):
    """QEMU's virtio-blk request merging off: each guest request is one request below, and each read
    fault fails exactly one."""
    run_campaign(boot, tap, tmp_path, seed, 40, props=",request-merging=off")


def test_poweroff_flush_error(boot, tmp_path):
    """An ENOSPC on the flush poweroff makes: what was written without a flush (a write-zeroes) is on
    the disk, and the failure is said, naming the disk (as EIO: virtio-blk has no ENOSPC)."""
    data = os.urandom(SECTORS * 512)
    img, conf = tmp_path / "disk.img", tmp_path / "blkdebug.conf"
    img.write_bytes(data)
    conf.write_text(blkdebug_conf([dict(kind="flush", errno=ENOSPC, sector=None, once=True)]))
    drive = (f"if=none,id=d0,format=raw,file.driver=blkdebug,file.config={conf},file.image.filename={img},"
             "werror=report,rerror=report")
    g = boot(qmp=True, extra=["-drive", drive, "-device", "virtio-blk-pci,drive=d0"])
    g.qmp.execute("query-status")  # connected: events from here on reach the test
    assert g.cmd("blk blk0 zero 8 8").strip() == ""
    failed = poweroff(g)
    assert [e["data"]["reason"] for e in failed] == ["No space left on device"], failed
    assert img.read_bytes() == data[:8 * 512] + bytes(8 * 512) + data[16 * 512:]
