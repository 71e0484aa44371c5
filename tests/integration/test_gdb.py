"""test_gdb.py - gdb against QEMU's gdbstub: a breakpoint in the kernel, bt, variables."""
import os
import socket
import subprocess

from guest import BUILD, ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gdb_breakpoint_backtrace_and_variables(boot):
    port = free_port()
    g = boot(append="mode=poll trace=off", gdb_port=port, wait_ready=False)
    gdb = [
        "gdb", "-q", "-batch", "-nx",
        "-x", os.path.join(ROOT, "scripts", "gdb", "init.gdb"),
        "-ex", "file " + os.path.join(BUILD, "ringside.elf"),
        "-ex", f"target remote :{port}",
        "-ex", "hbreak cmdline_parse",
        "-ex", "continue",
        "-ex", "bt",
        "-ex", "print line",
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
    assert '"mode=poll trace=off"' in out, out
    assert "= IO_MODE_POLL" in out, out
    assert "= 0" in out, out
    # detached, the guest runs on to the prompt
    g.wait_ready()
    assert g.cmd("version").startswith("ringside ")
