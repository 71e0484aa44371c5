"""test_debug.py - `make debug` (scripts/debug.sh) keeps the shell: with gdb attached, a command typed
on the serial console's pty reaches the guest and fires a breakpoint in gdb; gdb lets it go on."""
import os
import re
import select
import socket
import termios
import time
import tty

import pexpect

from guest import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pty:
    """The console's pty, as `screen` would use it: raw, read with a timeout."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd, termios.TCSANOW)
        self.seen = b""

    def expect(self, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} on the console; saw {self.seen[-500:]!r}"
            if select.select([self.fd], [], [], left)[0]:
                self.seen += os.read(self.fd, 4096)
        return re.search(pattern, self.seen)

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        os.close(self.fd)


def test_shell_reachable_while_gdb_is_attached(tmp_path):
    disk = tmp_path / "d.img"
    disk.write_bytes(bytes(1 << 16))
    env = dict(os.environ, GDB_PORT=str(free_port()), NO_TMUX="1", TERM="dumb")  # dumb: gdb without colours
    dbg = pexpect.spawn(os.path.join(ROOT, "scripts", "debug.sh"), ["--disk", str(disk), "--net", "none"],
                        env=env, encoding="utf-8", codec_errors="replace", timeout=60, echo=False)
    console = None
    try:
        dbg.expect(r"serial console on (/dev/pts/\d+)")
        path = dbg.match.group(1)
        dbg.expect(r"screen /dev/pts/\d+ 115200")
        console = Pty(path)
        dbg.expect(r"Breakpoint 1, kmain")  # gdb holds the kernel at its first C function
        dbg.expect_exact("(gdb) ")
        dbg.sendline("break cmd_blk")
        dbg.expect_exact("(gdb) ")
        dbg.sendline("continue")
        console.expect(rb"ringside> ")  # booted, and the prompt came out on the pty
        console.send("blk blk0 sha256 0 8\r")
        dbg.expect(r"Breakpoint 2, cmd_blk \(argc=5")  # the typed command reached the guest
        dbg.expect_exact("(gdb) ")
        dbg.sendline("bt")
        dbg.expect(r"shell_exec")
        dbg.expect_exact("(gdb) ")
        dbg.sendline("continue")
        console.expect(rb"\n[0-9a-f]{64}\r?\n")  # released, the command completes on the console
        assert os.path.getsize(os.path.join(ROOT, "build", "debug-serial.log")) > 0
    finally:
        if console:
            console.close()
        dbg.sendintr()
        dbg.sendline("kill")
        dbg.sendline("quit")
        dbg.expect(pexpect.EOF, timeout=30)
        dbg.close()
