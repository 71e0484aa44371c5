"""test_irq.py - ACPI tables, the APIC timer and IOAPIC routing, the power button and S5 poweroff."""
import os
import re

import pytest
from guest import BUILD

MACHINES = ["q35", "pc"]


def uptime(g):
    m = re.search(r"up (\d+)\.(\d+) s ticks=(\d+) hz=(\d+)", g.cmd("uptime"))
    assert m, "uptime prints ticks"
    return int(m.group(1)) + int(m.group(2)) / 1e6, int(m.group(3)), int(m.group(4))


@pytest.mark.parametrize("machine", MACHINES)
def test_boot_finds_acpi_and_apic(boot, machine):
    g = boot(machine=machine)
    out = g.output
    assert re.search(r"acpi: RSDP from .* 1 CPU, 1 IOAPIC, \d+ overrides", out), out
    assert re.search(r"apic: LAPIC id 0 at 0xfee00000, IOAPIC 0 at 0xfec00000 gsi 0-23, 8259 masked", out)
    # the timer's rate, counted over the boot between apic_init and apic_timer_start (at least 500 us):
    # QEMU's local APIC timer input is 1 GHz, 62,500 kHz after the divider of 16
    m = re.search(r"apic: timer (\d+) Hz \((\d+) kHz input, counted over the (\d+) us since apic_init\)", out)
    assert m, out
    assert int(m.group(1)) == 100 and int(m.group(3)) >= 500
    assert abs(int(m.group(2)) - 62500) <= 62500 * 0.02, m.group(0)
    assert "console: COM1 input by interrupt: yes" in out
    assert re.search(r"acpi: power button on SCI irq 9 gsi 9 \(level, active high\), S5 ready", out)
    if machine == "q35":
        assert re.search(r"\b1 MCFG\b", out)
    assert "warning" not in out


def test_rsdp_from_multiboot2_tag(boot):
    g = boot(iso=os.path.join(BUILD, "ringside.iso"))
    assert re.search(r"acpi: RSDP from multiboot2 .* 1 IOAPIC", g.output)
    assert "S5 ready" in g.output


def test_rsdp_found_by_scan_under_multiboot1(boot):
    g = boot()
    assert re.search(r"acpi: RSDP from (EBDA|BIOS ROM) ", g.output)


@pytest.mark.parametrize("machine", MACHINES)
def test_timer_ticks_at_its_rate(boot, machine):
    g = boot(machine=machine)
    # in-guest: sleep_us in hlt, ticks counted against the TSC
    m = re.search(r"slept_us=(\d+) ticks=(\d+) hz=(\d+)", g.cmd("sleep 1000"))
    assert m
    slept, ticks, hz = (int(x) for x in m.groups())
    assert slept >= 1000000
    expected = slept * hz / 1e6
    assert 0.5 * expected <= ticks <= 1.5 * expected, (ticks, expected)
    # two uptime readings: ticks follow the TSC clock
    t0, k0, hz = uptime(g)
    g.cmd("sleep 500")
    t1, k1, _ = uptime(g)
    expected = (t1 - t0) * hz
    assert 0.5 * expected <= k1 - k0 <= 1.5 * expected, (k1 - k0, expected)


def test_sleep_rejects_bad_arguments(boot):
    g = boot()
    for arg in ("", "x", "60001"):
        assert g.cmd(("sleep " + arg).strip()).startswith("error: usage: EINVAL:"), arg


@pytest.mark.parametrize("machine", MACHINES)
def test_irq_lists_timer_and_serial_with_counts(boot, machine):
    g = boot(machine=machine)
    for _ in range(3):
        g.cmd("version")
    out = g.cmd("irq")
    rows = {m.group(2): (int(m.group(1), 16), int(m.group(3)), m.group(4))
            for m in re.finditer(r"^0x([0-9a-f]{2})\s+(\S+)\s+(\d+)\s+(.*)$", out, re.M)}
    assert rows["lapic-timer"][1] > 0, out
    vec, count, route = rows["serial"]
    assert vec == 0x24 and count > 0 and route == "gsi 4 edge high", out
    assert rows["acpi-sci"][2] == "gsi 9 level high", out


@pytest.mark.parametrize("machine", MACHINES)
@pytest.mark.parametrize("shell", ["on", "off"])
def test_power_button_powers_off(boot, machine, shell):
    g = boot(machine=machine, qmp=True, append=f"shell={shell}", wait_ready=False)
    g.expect(r"acpi: power button on SCI", timeout=60)
    g.expect(r"ringside: ready", timeout=60)
    if shell == "on":
        g.expect("ringside> ")
    g.qmp.fire("system_powerdown")  # the guest may end QEMU before the reply is read
    g.expect(r"acpi: power button pressed")
    g.expect(r"ringside: power off \(0\)")
    assert g.wait_exit() == 1  # isa-debug-exit: power_off(0)
    if shell == "off":
        assert "ringside> " not in g.output


@pytest.mark.parametrize("machine", MACHINES)
def test_poweroff_without_debug_exit_uses_acpi_s5(boot, machine):
    g = boot(machine=machine, debug_exit=False)
    g.send("poweroff 3\r")
    g.expect(r"ringside: power off \(3\)")
    # QEMU ends with 0 on an ACPI shutdown; 7 would mean isa-debug-exit
    assert g.wait_exit() == 0
    assert "S5 did not power off" not in g.output
    assert "halted" not in g.output


def test_power_button_without_debug_exit(boot):
    g = boot(qmp=True, debug_exit=False, append="shell=off", wait_ready=False)
    g.expect(r"ringside: ready", timeout=60)
    g.qmp.fire("system_powerdown")  # the guest may end QEMU before the reply is read
    g.expect(r"acpi: power button pressed")
    assert g.wait_exit() == 0
