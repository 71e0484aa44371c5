"""guest.py - boot ringside in QEMU (through scripts/qemu.sh) and drive its serial shell.

Every wait has a timeout and looks for a line on the console: no sleeping.
"""
import json
import os
import re
import socket
import tempfile
import time

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
QEMU_SH = os.path.join(ROOT, "scripts", "qemu.sh")
PROMPT = "ringside> "
READY = re.compile(r"ringside: ready [^\r\n]*boot_us=(\d+)[^\r\n]*\r*\n")
LOGDIR = os.path.join(BUILD, "test-logs")


def blk_args(path, i=0, fmt="raw", drive="", props=""):
    """QEMU arguments for a virtio-blk disk with node d<i> on file path."""
    return ["-drive", f"file={path},if=none,id=d{i},format={fmt}{drive}",
            "-device", f"virtio-blk-pci,drive=d{i}{props}"]


class QMP:
    """A minimal QMP client on a unix socket."""

    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.events = []  # asynchronous events, in the order they came (BLOCK_IO_ERROR, ...)
        self._read()  # greeting
        self.execute("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("QMP closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._read()
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise RuntimeError(f"QMP {cmd}: {r['error']}")
            if "event" in r:  # an event QEMU sent before this reply: kept for whoever asks
                self.events.append(r)

    def fire(self, cmd):
        """Send cmd without waiting for the reply: for a command whose effect
        can end QEMU before the reply is read (system_powerdown)."""
        self.sock.sendall(json.dumps({"execute": cmd}).encode() + b"\n")

    def close(self):
        self.sock.close()


class _Tee:
    """pexpect's logfile: the log on disk, and everything kept for output."""

    def __init__(self, f):
        self.f, self.parts = f, []

    def write(self, s):
        self.parts.append(s)
        self.f.write(s)

    def flush(self):
        self.f.flush()


class Guest:
    """One QEMU running ringside. Use as a context manager, or call close()."""

    def __init__(self, append=None, machine=None, iso=None, disks=(), net="none",
                 net_props=None, extra=(), qmp=False, gdb_port=None, mem=None,
                 name="guest", wait_ready=True, timeout=60, debug_exit=True, netns=None,
                 trace_out=None, trace_port=None, mmio=None):
        args = []
        if machine:
            args += ["--machine", machine]
        if mmio:  # virtio-mmio version on microvm: modern (qemu.sh's default) or legacy
            args += ["--mmio", mmio]
        if iso:
            args += ["--iso", iso]
        if append is not None:
            args += ["--append", append]
        for d in disks:
            args += ["--disk", d]
        args += ["--net", net]
        if net_props:
            args += ["--net-props", net_props]
        if mem:
            args += ["--mem", mem]
        if gdb_port:
            args += ["--gdb", str(gdb_port)]
        if not debug_exit:
            args += ["--no-debug-exit"]
        if trace_out:  # the ring trace's own channel (`trace ring`)
            args += ["--trace-out", trace_out]
        if trace_port:
            args += ["--trace-port", trace_port]
        self.qmp_path = None
        if qmp:
            self.tmpdir = tempfile.mkdtemp(prefix="ringside-")
            self.qmp_path = os.path.join(self.tmpdir, "qmp.sock")
            args += ["--qmp", self.qmp_path]
        args += ["--", *extra]
        os.makedirs(LOGDIR, exist_ok=True)
        self.log = open(os.path.join(LOGDIR, re.sub(r"[^\w.-]", "_", name) + ".log"), "w")
        cmd, argv = QEMU_SH, args
        if netns:  # QEMU inside a network namespace of the test's own
            cmd, argv = "ip", ["netns", "exec", netns, QEMU_SH, *args]
        # QEMU's own messages (stderr) go to a file beside the log: on the
        # console they would land in the middle of a line, even a prompt.
        self.stderr_path = os.path.join(LOGDIR, re.sub(r"[^\w.-]", "_", name) + ".qemu-stderr.log")
        env = dict(os.environ, RINGSIDE_QEMU_STDERR=self.stderr_path)
        self.child = pexpect.spawn("/bin/sh", ["-c", 'exec "$0" "$@" 2>"$RINGSIDE_QEMU_STDERR"', cmd, *argv],
                                   env=env, encoding="utf-8", codec_errors="replace", timeout=timeout,
                                   echo=False)
        self.tee = _Tee(self.log)
        self.child.logfile_read = self.tee
        self._qmp = None
        self.boot_us = None
        if wait_ready:
            self.wait_ready(timeout)

    # -- console --------------------------------------------------------
    def expect(self, pattern, timeout=30):
        """Wait for a regex on the console; returns the match."""
        self.child.expect(pattern, timeout=timeout)
        return self.child.match

    def wait_ready(self, timeout=60):
        m = self.expect(READY, timeout)
        self.boot_us = int(m.group(1))
        self.child.expect_exact(PROMPT, timeout=timeout)
        return self.boot_us

    def cmd(self, line, timeout=30):
        """Run one shell command; returns its output (without echo and prompt)."""
        self.child.send(line + "\r")
        self.child.expect_exact(PROMPT, timeout=timeout)
        out = self.child.before.replace("\r\n", "\n").replace("\r", "")
        # the shell echoes the line first; log lines may come before the echo
        i = out.find(line + "\n")
        if i >= 0:
            return out[i + len(line) + 1:]
        first, _, rest = out.partition("\n")
        return rest

    def send(self, text):
        self.child.send(text)

    def wait_exit(self, timeout=30):
        """Wait for QEMU to exit; returns its exit status."""
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        return self.child.exitstatus

    @property
    def qemu_stderr(self):
        """What QEMU itself printed (its warnings and errors), not the guest."""
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    @property
    def output(self):
        """Everything the guest printed so far, with \\r removed."""
        return "".join(self.tee.parts).replace("\r", "")

    # -- QMP ------------------------------------------------------------
    @property
    def qmp(self):
        if not self._qmp:
            assert self.qmp_path, "start the guest with qmp=True"
            self._qmp = QMP(self.qmp_path)
        return self._qmp

    def close(self):
        if self._qmp:
            try:
                self._qmp.close()
            except OSError:
                pass
        if self.child.isalive():
            self.child.terminate(force=True)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
