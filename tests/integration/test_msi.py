"""test_msi.py - interrupts end to end before any virtio driver: QEMU's edu device by MSI and INTx."""
import re

import pytest


def edu_guest(boot, machine=None, extra=("-device", "edu")):
    return boot(machine=machine, extra=list(extra))


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_edu_msi(boot, machine):
    g = edu_guest(boot, machine)
    out = g.cmd("edu raise 20")
    assert "raised 20, received 20" in out, out
    assert re.search(r"mode=msi vector=0x[0-9a-f]+ irqs=20$", out.strip()), out
    assert re.search(r"^0x[0-9a-f]+\s+edu0\s+20\s+msi", g.cmd("irq"), re.M)


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_edu_intx_through_ioapic(boot, machine):
    g = edu_guest(boot, machine)
    out = g.cmd("edu intx raise 10")
    assert "raised 10, received 10" in out, out
    assert re.search(r"^0x[0-9a-f]+\s+edu0\s+10\s+gsi \d+ level", g.cmd("irq"), re.M)
    # and back to MSI
    assert "raised 3, received 3" in g.cmd("edu msi raise 3")


def test_edu_intx_behind_bridges(boot):
    """The pin is swizzled by each bridge's device number on the way to the root."""
    g = edu_guest(boot, extra=["-device", "pcie-pci-bridge,id=br1,bus=pcie.0,addr=6",
                               "-device", "pci-bridge,id=br2,bus=br1,addr=2,chassis_nr=2",
                               "-device", "edu,bus=br2,addr=3"])
    out = g.cmd("edu intx raise 5")
    assert "raised 5, received 5" in out, out


def test_edu_bad_arguments(boot):
    g = edu_guest(boot)
    assert g.cmd("edu raise 0").startswith("error: usage: EINVAL")
    assert g.cmd("edu raise").startswith("error: usage: EINVAL")
    assert g.cmd("edu").startswith("edu0 ")
    assert boot(name="noedu").cmd("edu").startswith("error: edu0: ENODEV")
