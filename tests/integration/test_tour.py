"""test_tour.py - the commands docs/tour.md shows still print what the tour says, in shape."""
import re


def test_tour_block_read(boot, tmp_path):
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 20))
    g = boot(disks=[str(disk)], append="mode=irq")
    g.cmd("trace on")
    out = g.cmd("blk blk0 sha256 0 8")
    g.cmd("trace off")
    assert re.search(r"^trace blk0 q0 add id=\d+ len=4097$", out, re.M), out
    assert re.search(r"^trace blk0 q0 kick id=\d+ len=0$", out, re.M), out
    assert re.search(r"^trace blk0 q0 irq id=\d+ len=0$", out, re.M), out
    assert re.search(r"^trace blk0 q0 used id=\d+ len=4097$", out, re.M), out
    vq = g.cmd("vq blk0 0")
    assert re.search(r"blk0 q0: split size=\d+ free=\d+ inflight=0 features=EVENT_IDX,INDIRECT_DESC", vq), vq
    # one chain: the read (GET_ID is asked only by `blk blk0 info`)
    assert re.search(r"avail_idx=1 used_idx=1 last_used=1 used_event=1 avail_event=1", vq), vq
    assert re.search(r"blk0 q0 added=1 used=1 kicks=1 kicks_suppressed=0 irqs=1 ", g.cmd("stats blk0"))


def test_tour_ping(boot):
    g = boot(net="user", append="mode=irq")
    g.cmd("trace on")
    out = g.cmd("ping 10.0.2.2 1")
    g.cmd("trace off")
    assert re.search(r"^trace net0 q1 add id=\d+ len=0$", out, re.M), out
    assert re.search(r"^trace net0 q0 used id=\d+ len=(\d+)$", out, re.M), out
    assert re.search(r"^trace net0 q0 add id=\d+ len=2048$", out, re.M), out
    assert re.search(r"^reply from 10\.0\.2\.2 seq=1 time_us=\d+$", out, re.M), out
