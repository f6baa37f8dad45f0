"""A fresh demo install draws all five charts of a model page within a minute of
`ready:`: `manage.py run_stack --demo` on an empty folder (it migrates, collects
the static files and makes the schedules itself), its first sync backfilling
upstream's history, then Chromium on the pages a newcomer opens first."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.http,
    pytest.mark.slow,
]

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ("tokens", "uptime", "latency", "throughput", "price-history")
MODELS = ("/openai/gpt-4o", "/liquid/lfm-40b", "/google/gemini-2.5-pro-preview")
READY_TIMEOUT = 600
MINUTE = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """`run_stack --demo` in a folder of its own, its output read as it comes."""

    def __init__(self, var_dir: Path):
        self.port, demo_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Nothing of the test run's database, broker or cache: a fresh install.
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/"),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "PYTHONWARNINGS": "ignore",
            "MODELBOARD_VAR_DIR": str(var_dir),
        }
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_stack", "--demo", "--port",
             str(self.port), "--demo-port", str(demo_port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if line.startswith("ready: "):
                self.ready.set()

    def ready_or_ended(self, timeout: float) -> bool:
        """Whether it said `ready:` within `timeout`; False as soon as it ended
        without saying so (its last lines say why)."""
        deadline = time.monotonic() + timeout
        while not self.ready.wait(1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                return self.ready.is_set()
        return True

    def stop(self) -> None:
        if self.process.poll() is not None:
            return  # it ended by itself (the test says why)
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def drawn(page: Page, chart: str) -> bool:
    return page.locator(f'[data-chart="{chart}"] .js-plotly-plot').count() == 1


def test_a_fresh_install_draws_every_chart_within_a_minute_of_ready(
    tmp_path: Path, page: Page
):
    stack = Stack(tmp_path)
    try:
        assert stack.ready_or_ended(READY_TIMEOUT), "\n".join(stack.lines[-40:])
        ready_at = time.monotonic()
        missing: dict[str, list[str]] = {}
        for path in MODELS:
            while True:
                page.goto(stack.url + path)
                missing[path] = [c for c in CHARTS if not drawn(page, c)]
                if not missing[path] or time.monotonic() - ready_at > MINUTE:
                    break
                time.sleep(2)
        waited = time.monotonic() - ready_at
        assert not any(missing.values()), (missing, "\n".join(stack.lines[-40:]))
        assert waited <= MINUTE, waited
        # Upstream's history is drawn as upstream's, beside the board's own.
        names = page.evaluate(
            """() => [...document.querySelectorAll('[data-chart="latency"] .js-plotly-plot')]
                .flatMap(p => p.data.map(t => t.name))"""
        )
        assert any("from upstream's history" in n for n in names), names
    finally:
        stack.stop()
