"""test_gdb.py - gdb against QEMU's gdbstub: a breakpoint in the kernel, bt, variables."""
import os
import re
import socket
import subprocess

from guest import BUILD, ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gdb_breakpoint_backtrace_and_variables(boot):
    port = free_port()
    # both keys away from their defaults (hybrid, off), so a value left alone shows
    g = boot(append="mode=poll trace=on", gdb_port=port, wait_ready=False)
    gdb = [
        "gdb", "-q", "-batch", "-nx",
        "-x", os.path.join(ROOT, "scripts", "gdb", "init.gdb"),
        "-ex", "file " + os.path.join(BUILD, "ringside.elf"),
        "-ex", f"target remote :{port}",
        "-ex", "hbreak cmdline_parse",
        "-ex", "continue",
        "-ex", "bt",
        "-ex", "print line",
        "-ex", "print kconfig.mode",
        "-ex", "print kconfig.trace",
        "-ex", "finish",
        "-ex", "print kconfig.mode",
        "-ex", "print kconfig.trace",
        "-ex", "delete",
        "-ex", "detach",
    ]
    r = subprocess.run(gdb, capture_output=True, text=True, timeout=120)
    out = r.stdout + r.stderr
    assert "#0  cmdline_parse" in out, out
    assert "kmain" in out, out
    # each value by its number in gdb's value history: $1 is line, then kconfig
    # before the parse ($2, $3) and after it ($4, $5)
    assert re.search(r'^\$1 = 0x[0-9a-f]+(?: <[^>]*>)? "mode=poll trace=on"$', out, re.M), out
    assert re.search(r"^\$2 = IO_MODE_HYBRID$", out, re.M), out
    assert re.search(r"^\$3 = 0$", out, re.M), out
    assert re.search(r"^\$4 = IO_MODE_POLL$", out, re.M), out
    assert re.search(r"^\$5 = 1$", out, re.M), out
    # detached, the guest runs on to the prompt
    g.wait_ready()
    assert g.cmd("version").startswith("ringside ")
