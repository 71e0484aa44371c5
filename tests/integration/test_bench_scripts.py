"""test_bench_scripts.py - the benchmark scripts parse their arguments, and a tiny ringside-only run works.

The full comparison against Linux (`make bench`) is slow and not part of `make test`.
"""
import os
import subprocess

from guest import ROOT

RUN = os.path.join(ROOT, "scripts", "bench", "run.sh")
LINUX = os.path.join(ROOT, "scripts", "bench", "linux-guest.sh")


def sh(*args, env=None, timeout=60):
    e = {k: v for k, v in os.environ.items() if k not in ("QUICK", "REPS")}
    e.update(env or {})
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=e)


def test_run_help_lists_options():
    r = sh(RUN, "--help")
    assert r.returncode == 0, r.stderr
    for opt in ("--reps", "--quick", "--accel", "--parts", "--workloads", "--ringside-only", "--from-results"):
        assert opt in r.stdout


def test_run_plan_defaults_and_quick():
    r = sh(RUN, "--dry-run", "--accel", "tcg")
    assert r.returncode == 0, r.stderr
    assert "accel=tcg reps=3 boot_reps=5 secs=3 parts=boot,blk,qdscan" in r.stderr
    r = sh(RUN, "--dry-run", "--accel", "tcg", env={"QUICK": "1"})
    assert "reps=1 boot_reps=2 secs=1" in r.stderr, r.stderr
    r = sh(RUN, "--dry-run", "--accel", "tcg", env={"QUICK": "1", "REPS": "2"})
    assert "reps=2 " in r.stderr, r.stderr


def test_run_rejects_bad_arguments():
    for bad in (["--parts", "boot,nope"], ["--backends", "tmpfs"], ["--workloads", "randread-1k"],
                ["--reps", "0"], ["--accel", "hvf"]):
        r = sh(RUN, "--dry-run", *bad)
        assert r.returncode == 2, (bad, r.stderr)
        assert "error" in r.stderr


def test_linux_guest_append_and_options():
    r = sh(LINUX, "--print-append", "libaio:randread:4096:1:2,io_uring_hipri:read:131072:8:1")
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip()
    assert "console=ttyS0" in line and "virtio_blk.poll_queues=1" in line
    assert line.endswith("rsb.jobs=libaio:randread:4096:1:2,io_uring_hipri:read:131072:8:1")
    assert sh(LINUX, "--print-append").returncode == 2
    assert sh(LINUX, "--bogus").returncode == 2
    assert "apt-get download" in sh(LINUX, "--help").stdout


def test_tiny_ringside_only_run(tmp_path):
    doc = tmp_path / "PERFORMANCE.md"
    r = sh(RUN, "--ringside-only", "--accel", "tcg", "--parts", "boot,blk,qdscan", "--boot-reps", "1",
           "--backends", "null-co", "--workloads", "randread-4k-qd1", "--secs", "1", "--reps", "1",
           "--qd-scan", "1,4", "--doc", str(doc), "--work", str(tmp_path / "work"), timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    text = doc.read_text()
    assert "accelerator: **TCG**" in text
    for row in ("ringside-poll", "ringside-irq", "ringside-hybrid", "empty guest (floor)"):
        assert row in text
    assert "| 4 |" in text  # the qd scan
    assert "| linux-" not in text
    assert (tmp_path / "work" / "results.json").exists()
