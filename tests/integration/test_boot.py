"""test_boot.py - the foundation: boot paths, the ready line, the shell, exit, the crash dump."""
import os
import re

import pytest
from guest import BUILD

ISO = os.path.join(BUILD, "ringside.iso")


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_kernel_boot_reaches_prompt(boot, machine):
    g = boot(machine=machine)
    assert g.boot_us > 0
    out = g.cmd("version")
    assert re.match(r"ringside \d+\.\d+\.\d+ build \S+\n", out), out


def test_iso_boot_with_grub_multiboot2(boot):
    g = boot(iso=ISO)
    assert "loaded by multiboot2" in g.output
    assert g.cmd("version").startswith("ringside ")


def test_kernel_boot_is_multiboot1(boot):
    g = boot()
    assert "loaded by multiboot1" in g.output


def test_help_lists_every_command(boot):
    out = boot().cmd("help")
    for c in ("help", "version", "poweroff", "crash", "uptime"):
        assert re.search(rf"^\s+{c}\s", out, re.M), (c, out)


def test_unknown_command_gets_error_and_shell_goes_on(boot):
    g = boot()
    assert g.cmd("frobnicate now").strip() == "error: usage: EINVAL: unknown command 'frobnicate'"
    assert g.cmd("version").startswith("ringside ")


def test_line_editing_backspace(boot):
    g = boot()
    out = g.cmd("verx\x7fsiom\bn")
    assert "ringside " in out and "error" not in out


def test_bad_poweroff_argument(boot):
    g = boot()
    for arg in ("128", "-1", "x", "1 2"):
        assert g.cmd("poweroff " + arg).startswith("error: usage: EINVAL:"), arg
    assert g.cmd("version").startswith("ringside ")


@pytest.mark.parametrize("code", [0, 3])
def test_poweroff_exit_status(boot, code):
    g = boot()
    g.send(f"poweroff {code}\r")
    assert g.wait_exit() == 2 * code + 1


def test_cmdline_keys_and_unknown_key_warning(boot):
    g = boot(append="mode=poll trace=off colour=blue")
    assert "warning: cmdline: unknown key 'colour' ignored" in g.output
    assert re.search(r"ringside: ready .*mode=poll", g.output)


def test_crash_dump_names_faulting_function(boot):
    g = boot()
    g.send("crash pf\r")
    m = g.expect(r"panic: exception 14 \(#PF page fault\) error=0x\w+ at rip=0x\w+ in (\w+)\+0x")
    assert m.group(1) == "crash_page_fault"
    g.expect(r"CR2=000000dead000000")
    g.expect(r"backtrace:")
    g.expect(r"#\d+ 0x\w+ cmd_crash\+0x")
    g.expect(r"#\d+ 0x\w+ shell_exec\+0x")
    g.expect("halted.")


@pytest.mark.parametrize("kind,function,why", [
    ("null", "crash_null", r"a NULL pointer: page 0 is not mapped"),
    ("wx", "crash_write_code", r"a write to a read-only page"),
    ("nx", r"\?", r"an instruction fetch from a page that is not executable"),
])
def test_memory_protection_faults(boot, kind, function, why):
    """Page 0 is not mapped, code is read-only, data is not executable: each
    broken rule is an exception dump, not a silent read or write."""
    g = boot()
    assert "paging: page 0 unmapped, stack guard pages, code read-only, data not executable" in g.output
    g.send(f"crash {kind}\r")
    # up to the "+0x" after the name: the line may come in pieces, and a match must not end inside it
    m = g.expect(r"panic: exception 14 \(#PF page fault\) error=0x(\w+) at rip=0x\w+ in ([\w?]+)\+0x")
    assert re.fullmatch(function, m.group(2)), m.group(0)
    g.expect(why)
    g.expect(r"#\d+ 0x\w+ cmd_crash\+0x")
    g.expect("halted.")


def test_stack_overflow_hits_the_guard_page(boot):
    g = boot()
    g.send("crash stack\r")
    g.expect(r"panic: exception 8 \(#DF double fault\).* in crash_recurse\+0x")
    g.expect("stack overflow: CR2 is in the guard page below the kernel stack")
    g.expect("halted.", timeout=30)


def test_crash_from_cmdline(boot):
    g = boot(append="crash=pf", wait_ready=False)
    g.expect(r"panic: exception 14 \(#PF page fault\).* in crash_page_fault\+0x")
    g.expect(r"#\d+ 0x\w+ kmain\+0x")


def test_invalid_opcode_dump(boot):
    g = boot()
    g.send("crash ud\r")
    g.expect(r"panic: exception 6 \(#UD invalid opcode\).* in crash_invalid_opcode\+0x")


BOOT_STEP = re.compile(r"^  (\S+)\s+(\d+) us  \(UART (\d+) us\)  ends at (\d+) us$", re.M)


def boot_record(g):
    out = g.cmd("boot -v")
    m = re.search(r"^boot_us=(\d+) drained_us=(\d+) console_bytes=(\d+) quiet=([01])$", out, re.M)
    assert m, out
    return [int(x) for x in m.groups()], BOOT_STEP.findall(out)


def test_boot_steps_add_up_to_boot_us(boot):
    """`boot -v`: each step from the first instruction on, in order, ending at the ready line's boot_us;
    the narration queued meanwhile reaches the UART after it (drained_us)."""
    g = boot()
    (boot_us, drained_us, nbytes, quiet), steps = boot_record(g)
    assert boot_us == g.boot_us and quiet == 0
    names = [s[0] for s in steps]
    for first, then in (("entry", "cpu"), ("cpu", "mm"), ("mm", "paging"), ("acpi", "time"), ("time", "apic"),
                        ("apic", "pci-scan"), ("pci-scan", "services"), ("services", "ready"), ("ready", "console")):
        assert names.index(first) < names.index(then), names
    ready = steps[names.index("ready")]
    assert int(ready[3]) == boot_us
    total = sum(int(s[1]) for s in steps[:names.index("ready") + 1])
    assert abs(total - boot_us) <= len(steps), (total, boot_us)  # each step rounded down
    assert drained_us >= boot_us and int(steps[-1][3]) == drained_us
    # every byte of the narration up to the ready line was counted, \r of each \n included
    before = g.output.split("ringside: ready")[0]
    assert nbytes >= len(before.replace("\n", "\r\n").lstrip("\r\n")) - 2


def test_quiet_holds_the_narration_back(boot):
    g = boot(append="quiet mode=irq")
    before = g.output.split("ringside: ready")[0]
    assert re.search(r"ringside \d+\.\d+\.\d+ build \S+, loaded by multiboot1", before)
    for narration in ("cmdline:", "mm:", "paging:", "acpi:", "time:", "apic:", "pci:"):
        assert narration not in before, narration
    assert re.search(r"ringside: ready boot_us=\d+ mode=irq", g.output)
    (boot_us, _, nbytes, quiet), steps = boot_record(g)
    assert quiet == 1 and nbytes < 200 and boot_us == g.boot_us
    assert "pci-scan" in [s[0] for s in steps]
    assert re.search(r"^00:00\.0 8086:29c0 ", g.cmd("lspci"), re.M)  # and the shell talks as before
