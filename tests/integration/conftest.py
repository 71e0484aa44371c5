"""conftest.py - fixtures shared by the QEMU integration tests."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from guest import Guest  # noqa: E402

FULL = os.environ.get("RINGSIDE_FULL") == "1"


@pytest.fixture
def boot(request):
    """boot(**kwargs) starts a Guest named after the test; all are closed at the end."""
    guests = []

    def start(**kwargs):
        kwargs.setdefault("name", request.node.name)
        ready = kwargs.pop("wait_ready", True)
        g = Guest(wait_ready=False, **kwargs)
        guests.append(g)  # closed even if it never becomes ready
        if ready:
            g.wait_ready(kwargs.get("timeout", 60))
        return g

    yield start
    for g in guests:
        g.close()


@pytest.fixture
def image(request, tmp_path):
    """A disk of random bytes, SECTORS long (the test module's own constant): (path, data)."""
    path = tmp_path / "disk.img"
    data = os.urandom(getattr(request.module, "SECTORS") * 512)
    path.write_bytes(data)
    return path, data
