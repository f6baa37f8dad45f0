from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DEMO_PORT = 8001


class Command(BaseCommand):
    help = (
        "Run web, a Celery worker and beat together, and trigger a first sync. "
        "Falls back to the bundled demo upstream when the live one is unreachable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="always use the demo")
        parser.add_argument("--snapshot", default="2025-05-22")

    def handle(self, *args, port: int, demo: bool, snapshot: str, **options) -> None:
        env = dict(os.environ)
        self.children: list[subprocess.Popen] = []
        if demo or not self._reachable(settings.OPENROUTER_BASE_URL):
            env |= self._start_demo(snapshot)
        py = sys.executable
        celery = [py, "-m", "celery", "-A", "config"]
        self._spawn(
            [
                py,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--access-logfile",
                "-",
            ],
            env,
        )
        # Syncs and alerts on separate workers: a slow upstream holding the sync
        # slots never delays alert dispatch (the queues are in config/settings.py).
        self._spawn(
            [*celery, "worker", "-l", "info", "--concurrency", "2", "-n", "sync@%h"]
            + ["-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
            env,
        )
        self._spawn(
            [*celery, "worker", "-l", "info", "--concurrency", "1", "-n", "alerts@%h"]
            + ["-Q", settings.ALERTS_QUEUE],
            env,
        )
        self._spawn([*celery, "beat", "-l", "info"], env)
        subprocess.run(
            [
                py,
                "manage.py",
                "shell",
                "-c",
                "from ops.tasks import sync_all; sync_all.delay()",
            ],
            env=env,
            check=True,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"modelboard on http://127.0.0.1:{port}/ — first sync queued. Ctrl-C stops."
            )
        )
        self._wait()

    def _reachable(self, base_url: str) -> bool:
        try:
            httpx.get(
                f"{base_url}/models", params={"output_modalities": "all"}, timeout=5
            ).raise_for_status()
        except httpx.HTTPError as exc:
            self.stdout.write(
                f"live upstream unreachable ({exc.__class__.__name__}); "
                "using the bundled demo upstream"
            )
            return False
        return True

    def _start_demo(self, snapshot: str) -> dict[str, str]:
        self._spawn(
            [
                sys.executable,
                "manage.py",
                "demo_upstream",
                "--port",
                str(DEMO_PORT),
                "--snapshot",
                snapshot,
            ],
            dict(os.environ),
        )
        site = f"http://127.0.0.1:{DEMO_PORT}"
        for _ in range(50):
            try:
                httpx.get(f"{site}/_demo/state", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        return {
            "OPENROUTER_BASE_URL": f"{site}/api/v1",
            "OPENROUTER_SITE_URL": site,
            "MODELBOARD_DEMO_UPSTREAM": "1",
            "SYNC_REQUESTS_PER_SECOND": "100",
        }

    def _spawn(self, argv: list[str], env: dict[str, str]) -> None:
        self.children.append(subprocess.Popen(argv, env=env))

    def _wait(self) -> None:
        stop = {"now": False}

        def on_signal(signum, frame) -> None:
            stop["now"] = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        try:
            while not stop["now"] and all(c.poll() is None for c in self.children):
                time.sleep(0.5)
        finally:
            self._stop_all()

    def _stop_all(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in self.children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("stopped")
