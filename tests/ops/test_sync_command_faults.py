"""`manage.py sync` as a real process under faults: a readable reason instead of a
traceback, its run closed when it is stopped, and memory bounded by the size cap."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.models import LanguageModel, SyncRun
from tests.conftest import ROOT, _worker_env, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

MB = 1024 * 1024


def _start(upstream, tmp_path: Path, *args: str, **env: str) -> subprocess.Popen:
    environ = _worker_env(upstream, tmp_path) | env
    return subprocess.Popen(
        [sys.executable, "manage.py", "sync", *args, "--no-progress"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(upstream, tmp_path: Path, *args: str, **env: str) -> tuple[int, str, float]:
    """Run the command to its end: exit code, output, peak resident memory in MB."""
    log = tmp_path / "sync.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "sync", *args, "--no-progress"],
            cwd=ROOT,
            env=_worker_env(upstream, tmp_path) | env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        # wait4 reports the peak memory of this one child (ru_maxrss, in KiB).
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, log.read_text(), usage.ru_maxrss / 1024


def test_oversized_body_fails_readably_within_the_memory_cap(upstream, tmp_path):
    """A 400 MB answer stops at the 8 MB cap: the command says so in one line, and
    its peak memory stays within a few caps of an ordinary sync's."""
    code, output, baseline = _run(upstream, tmp_path, "catalog")
    assert code == 0, output
    upstream.inject("huge", path="/api/v1/models", size=400 * MB)
    code, output, peak = _run(upstream, tmp_path, "catalog", HTTP_MAX_RESPONSE_MB="8")
    print(f"peak RSS: ordinary sync {baseline:.0f} MB, 400 MB body {peak:.0f} MB")
    assert code != 0
    assert "catalog: failed: response too large: over the 8 MB cap" in output
    assert "Traceback" not in output
    assert peak < baseline + 4 * 8, (baseline, peak)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopped_sync_closes_its_run_and_says_so(upstream, tmp_path, sig):
    """SIGTERM or Ctrl-C mid-sync: the run is closed as interrupted, the command
    prints a reason and exits non-zero, no traceback."""
    upstream.inject("drip", path="/api/v1/models", delay=0.5)
    process = _start(upstream, tmp_path, "catalog", HTTP_DEADLINE_SECONDS="60")
    wait_for(lambda: SyncRun.objects.filter(status="running").exists(), timeout=30)
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode != 0
    assert "interrupted; the running sync was closed" in stderr
    assert "Traceback" not in stdout + stderr
    run = SyncRun.objects.get(kind="catalog")
    assert run.status == "failed" and "interrupted" in run.error


def test_killed_sync_does_not_block_the_next_one(upstream, tmp_path):
    """SIGKILL leaves the run behind; the next sync on this host sees its process
    is gone and proceeds at once instead of waiting for a timeout."""
    upstream.inject("drip", path="/api/v1/models", delay=0.5)
    process = _start(upstream, tmp_path, "catalog", HTTP_DEADLINE_SECONDS="60")
    orphan = wait_for(
        lambda: SyncRun.objects.filter(status="running").first(), timeout=30
    )
    process.kill()
    process.communicate(timeout=30)
    upstream.clear_faults()
    code, output, _ = _run(upstream, tmp_path, "catalog")
    assert code == 0, output
    assert "catalog: 321 created" in output
    orphan.refresh_from_db()
    assert orphan.status == "abandoned" and "is gone" in orphan.error


def tiny_items_body(size: int) -> bytes:
    """A model list of about `size` bytes of the smallest items: ids alone."""
    count = (size - 12) // len(b'{"id":"t/0000000"},')
    items = b",".join(b'{"id":"t/%07d"}' % n for n in range(count))
    return b'{"data":[' + items + b"]}"


# Run in the child: its own peak resident memory, printed as it exits. VmHWM is
# the peak of this program alone; ru_maxrss would also count the test process
# it was forked from.
MEASURED = """
import atexit, runpy, sys
def peak():
    status = open("/proc/self/status").read()
    kb = status.split("VmHWM:")[1].split()[0]
    print(f"peak-rss-kb: {kb}", file=sys.stderr)
atexit.register(peak)
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def _run_measured(
    upstream, tmp_path: Path, *args: str, **env: str
) -> tuple[int, str, float]:
    """Run `manage.py sync` to its end: exit code, output, its own peak memory (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "sync", *args, "--no-progress"],
        cwd=ROOT,
        env=_worker_env(upstream, tmp_path) | env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    peak = int(output.split("peak-rss-kb: ")[1].split()[0]) / 1024
    return done.returncode, output, peak


def test_a_catalogue_of_many_tiny_items_stays_within_memory(upstream, tmp_path):
    """16 MB of tiny items (some 880,000 of them) under a 16 MB cap: the sync
    decodes them an item at a time and refuses the list past SYNC_MAX_ITEMS, so
    its peak memory stays under 400 MB, and the stored catalogue is untouched."""
    code, output, baseline = _run_measured(upstream, tmp_path, "catalog")
    assert code == 0, output
    stored = list(
        LanguageModel.objects.order_by("pk").values_list("slug", "delisted_at")
    )
    upstream.serve_body("/api/v1/models", tiny_items_body(16 * MB))
    code, output, peak = _run_measured(
        upstream, tmp_path, "catalog", HTTP_MAX_RESPONSE_MB="16"
    )
    print(
        f"peak RSS: ordinary sync {baseline:.0f} MB, 16 MB of tiny items {peak:.0f} MB"
    )
    assert peak < 400, (baseline, peak)
    assert code != 0
    assert "over the limit of 200000 items (SYNC_MAX_ITEMS)" in output
    assert "Traceback" not in output
    after = LanguageModel.objects.order_by("pk").values_list("slug", "delisted_at")
    assert list(after) == stored
