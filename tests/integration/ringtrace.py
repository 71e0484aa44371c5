"""ringtrace.py - a second reading of the ring trace (`trace ring`), independent of scripts/ringview:
the state of each queue after any record, to check the guest's records and what the page draws."""
import re

LINE = re.compile(r"(?:^|\s)rt (\d+) (\S+) (\S+) (\S+)(.*)$")


def parse(text):
    """Records as dicts: seq, dev, q, kind, and the key=value fields (numbers as ints)."""
    recs = []
    for line in text.splitlines():
        m = LINE.search(line.rstrip("\r"))
        if not m:
            continue
        f = {}
        for kv in m.group(5).split():
            k, _, v = kv.partition("=")
            f[k] = int(v, 0) if re.fullmatch(r"0x[0-9a-f]+|-?\d+", v) else v
        recs.append(dict(seq=int(m.group(1)), dev=m.group(2), q=m.group(3), kind=m.group(4), f=f))
    return recs


def from_js(path):
    """The trace text inside a viewer script (ringviewTrace({... text: `...`}))."""
    src = open(path).read()
    return src[src.index("text: `") + 7:src.rindex("`")]


class Queue:
    def __init__(self, f):
        self.layout, self.size = f["layout"], f["size"]
        self.inflight = {}  # head -> the add record's fields, and the segments written for it
        self.v = {}
        self.current = None


def replay(recs, upto=None):
    """{"DEV qN": Queue} after the records up to index upto (all by default)."""
    qs = {}
    for r in recs[:None if upto is None else upto + 1]:
        key, f, kind = f"{r['dev']} {r['q']}", r["f"], r["kind"]
        if kind == "queue":
            qs[key] = Queue(f)
            continue
        q = qs.get(key)
        if q is None:
            continue
        if kind == "state":
            q.v.update(f)
        elif kind == "add":
            q.inflight[f["head"]] = dict(f, segs=[])
            q.current = q.inflight[f["head"]]
        elif kind in ("desc", "idesc", "pdesc"):
            # a split descriptor follows its chain's add; the others name their chain
            chain = q.current if kind == "desc" else q.inflight.get(f["head" if kind == "idesc" else "id"])
            if chain is not None and not f["flags"] & 4:  # an indirect head is no segment
                chain["segs"].append((f["len"], "W" if f["flags"] & 2 else "R"))
        elif kind == "avail_idx":
            q.v["avail_idx"], q.current = f["idx"], None
        elif kind == "publish":
            q.v.update(next=f["next"], wrap=f["wrap"])
            q.current = None
        elif kind == "irq" and "used_idx" in f:
            q.v["used_idx"] = f["used_idx"]
        elif kind == "used":
            q.inflight.pop(f["id"], None)
            for k in ("used_idx", "last_used", "used_wrap"):
                if k in f:
                    q.v[k] = f[k]
        elif kind == "event":
            q.v.update({k: f[k] for k in ("used_event", "avail_flags", "drv_flags", "drv_off") if k in f})
        elif kind == "kick_prepare":
            q.v.update({k: f[k] for k in ("avail_event", "dev_flags", "dev_off") if k in f})
        elif kind in ("reclaim", "destroy"):
            if kind == "destroy":
                q.inflight.clear()
            else:
                q.inflight.pop(f["head"], None)
    return qs
