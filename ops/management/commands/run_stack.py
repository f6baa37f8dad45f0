from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from catalog.models import LanguageModel, SyncRun, SyncStatus
from demo import litellm
from ops.jobs import JOBS

DEMO_PORT = 8001
# `OPENROUTER_API_KEY=demo make run`: no real key is spelt so, and the live API would
# refuse it; the demo upstream accepts any key and serves the account's /activity.
DEMO_KEY = "demo"
# Celery warns when a worker runs as root; the folder it works in tells who should.
CELERY_ROOT_WARNING = "ignore:You're running the worker with superuser privileges"


class Command(BaseCommand):
    help = (
        "Run web, a Celery worker and beat together, and trigger a first sync "
        "(migrating the database, collecting static files when none are and "
        "creating the schedules first). Falls back to the bundled demo upstream "
        "when the live one is unreachable (always with --demo or "
        "OPENROUTER_API_KEY=demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="always use the demo")
        parser.add_argument("--snapshot", default="2025-05-22")
        parser.add_argument("--demo-port", type=int, default=DEMO_PORT)

    def handle(
        self,
        *args: Any,
        port: int,
        demo: bool,
        snapshot: str,
        demo_port: int,
        **options: Any,
    ) -> None:
        env = dict(os.environ)
        self.children: list[subprocess.Popen[bytes]] = []
        self.url = f"http://127.0.0.1:{port}"
        if settings.SECRET_KEY_REFUSAL:
            # Everything on this one machine: its processes share a key made once
            # and kept in var/, as under `make run` (MODELBOARD_LOCAL=1).
            env["MODELBOARD_LOCAL"] = "1"
            self.stdout.write(
                "No SECRET_KEY set: using a key made once for this machine and "
                "kept in var/secret_key"
            )
        self._prepare()
        if self._wants_demo(demo):
            env |= self._start_demo(snapshot, demo_port)
        elif not self._prices_reachable():
            env |= self._start_demo(snapshot, demo_port, prices_only=True)
        py = sys.executable
        celery = [py, "-m", "celery", "-A", "config"]
        worker_env, as_user = self._unprivileged(env)
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
                # Django loaded once, before the workers fork: a start sooner.
                "--preload",
                "--access-logfile",
                "-",
            ],
            env,
        )
        # Syncs and alerts on separate workers: a slow upstream holding the sync
        # slots never delays alert dispatch (the queues are in config/settings.py).
        self._spawn(
            [*celery, "worker", "-l", "info", "--concurrency", "2", "-n", "sync@%h"]
            + ["-Q", settings.CELERY_TASK_DEFAULT_QUEUE, *as_user],
            worker_env,
        )
        self._spawn(
            [*celery, "worker", "-l", "info", "--concurrency", "1", "-n", "alerts@%h"]
            + ["-Q", settings.ALERTS_QUEUE, *as_user],
            worker_env,
        )
        self._spawn([*celery, "beat", "-l", "info", *as_user], worker_env)
        self.started = timezone.now()
        from ops.tasks import sync_all

        sync_all.delay()
        self.stdout.write(
            self.style.SUCCESS(
                f"modelboard on {self.url} — first sync queued "
                "(models in seconds, their stats within a minute). Ctrl-C stops."
            )
        )
        self._wait()

    def _prepare(self) -> None:
        """What the processes need first, in this process (each command of its own
        would start Django again): the database migrated, the static files
        collected when there are none (`make run` collects them anyway), the
        schedules."""
        call_command("migrate", interactive=False, verbosity=0)
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            self.stdout.write("collecting static files (once)")
            call_command("collectstatic", interactive=False, verbosity=0)
        call_command("ensure_schedules", stdout=self.stdout)

    def _unprivileged(self, env: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """How to run the worker and beat: as the owner of the project folder when
        we are root and it is not (as Celery intends); as root only when the folder
        is root's too, then without Celery's warning about it."""
        if os.geteuid() != 0:
            return env, []
        owner = Path(settings.VAR_DIR).stat().st_uid
        if owner != 0:
            user = pwd.getpwuid(owner)
            return env, ["--uid", str(user.pw_uid), "--gid", str(user.pw_gid)]
        warnings = ",".join(
            filter(None, [env.get("PYTHONWARNINGS"), CELERY_ROOT_WARNING])
        )
        return env | {"PYTHONWARNINGS": warnings}, []

    def _first_sync_done(self, since: datetime) -> bool:
        """Every job of the full sync has finished a run since `since`."""
        kinds = {str(job.kind) for job in JOBS if job.full_sync and job.kind}
        done = SyncRun.objects.filter(started_at__gte=since, kind__in=kinds).exclude(
            status=SyncStatus.RUNNING
        )
        return set(done.values_list("kind", flat=True)) >= kinds

    def _report_ready(self) -> None:
        count = LanguageModel.objects.filter(delisted_at__isnull=True).count()
        self.stdout.write(self.style.SUCCESS(f"ready: {count} models — {self.url}"))

    def _wants_demo(self, demo: bool) -> bool:
        """--demo, the demo key, or a live upstream that cannot be reached."""
        if demo:
            return True
        if settings.OPENROUTER_API_KEY == DEMO_KEY:
            self.stdout.write(
                "OPENROUTER_API_KEY=demo: using the bundled demo upstream"
            )
            return True
        return not self._reachable(settings.OPENROUTER_BASE_URL)

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

    def _prices_reachable(self) -> bool:
        """Whether LiteLLM's price map can be fetched (a HEAD is enough)."""
        try:
            httpx.head(
                settings.LITELLM_PRICES_URL, timeout=5, follow_redirects=True
            ).raise_for_status()
        except httpx.HTTPError as exc:
            self.stdout.write(
                f"LiteLLM's price map unreachable ({exc.__class__.__name__}); "
                "using the demo upstream's recorded copy"
            )
            return False
        return True

    def _start_demo(
        self, snapshot: str, port: int, *, prices_only: bool = False
    ) -> dict[str, str]:
        self._spawn(
            [
                sys.executable,
                "manage.py",
                "demo_upstream",
                "--port",
                str(port),
                "--snapshot",
                snapshot,
            ],
            dict(os.environ),
        )
        site = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                httpx.get(f"{site}/_demo/state", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        prices = {"LITELLM_PRICES_URL": f"{site}{litellm.PATH}"}
        if prices_only:
            return prices
        return prices | {
            "OPENROUTER_BASE_URL": f"{site}/api/v1",
            "OPENROUTER_SITE_URL": site,
            "MODELBOARD_DEMO_UPSTREAM": "1",
            # A server of our own on loopback: no rate to keep to (a first sync
            # asks it some 3,000 questions).
            "SYNC_REQUESTS_PER_SECOND": "1000",
        }

    def _spawn(self, argv: list[str], env: dict[str, str]) -> None:
        self.children.append(subprocess.Popen(argv, env=env))

    def _wait(self) -> None:
        stop = {"now": False}

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop["now"] = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        ready = False
        try:
            while not stop["now"] and all(c.poll() is None for c in self.children):
                time.sleep(0.5)
                if not ready and self._first_sync_done(self.started):
                    ready = True
                    self._report_ready()
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
