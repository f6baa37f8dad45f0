from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from catalog.models import SyncKind, SyncRun, SyncStatus
from catalog.runs import SyncFailed, task_running
from catalog.sources.redact import redact_text, redact_url
from config.collector import settle_collector
from ops.jobs import JOBS, TARGETS, Job
from ops.schedules import schedule_every

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Poll upstream now, with a progress bar and a summary of what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", choices=[*TARGETS, "all"], help="what to poll ('all': everything)"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar"
        )
        parser.add_argument(
            "--switch-upstream",
            action="store_true",
            help="poll the configured upstream even though another one (the demo "
            "upstream, say) filled this database's catalogue",
        )

    def handle(
        self,
        *args: Any,
        target: str,
        no_progress: bool,
        switch_upstream: bool,
        **options: Any,
    ) -> None:
        base = redact_url(settings.OPENROUTER_BASE_URL)
        site = redact_url(settings.OPENROUTER_SITE_URL)
        self.stdout.write(f"Polling {base} (website stats: {site})")
        filled_from = catalogue_upstream()
        if filled_from and filled_from != base and not switch_upstream:
            raise CommandError(mixing_refusal(filled_from, base))
        jobs = [j for j in JOBS if j.target] if target == "all" else TARGETS[target]
        # A sync holds a whole catalogue parsed: see config.collector.
        settle_collector()
        try:
            with _sigterm_interrupts():
                failures = [
                    str(job.kind) for job in jobs if not self._one(job, no_progress)
                ]
        except KeyboardInterrupt:
            # The run was closed as interrupted by run_guarded; no traceback.
            raise CommandError("interrupted; the running sync was closed") from None
        if failures:
            raise CommandError(f"failed: {', '.join(failures)}")

    def _one(self, job: Job, no_progress: bool) -> bool:
        kwargs: dict[str, Any] = {}
        bar = None
        if job.progress and not no_progress:
            bar = tqdm(
                desc=str(job.kind),
                unit=job.progress,
                file=self.stderr._out,
                leave=False,
            )
            kwargs["progress"] = _updater(bar)
        try:
            with task_running(None, schedule_every(job)):
                run = job.runner(**kwargs)
        except SyncFailed as exc:
            run = exc.run
        except DatabaseError as exc:
            # Before a run could even open: nothing to report but the reason.
            reason = redact_text(f"{exc.__class__.__name__}: {exc}".strip())
            self.stdout.write(
                self.style.ERROR(f"{job.kind}: failed: database unavailable: {reason}")
            )
            return False
        except Exception as exc:
            # A bug, not an upstream fault: the run says so too; the traceback goes
            # to the log at debug level, not to the person at the terminal.
            logger.debug("sync %s crashed", job.kind, exc_info=True)
            reason = redact_text(f"{exc.__class__.__name__}: {exc}")
            self.stdout.write(
                self.style.ERROR(f"{job.kind}: failed: internal error: {reason}")
            )
            return False
        finally:
            if bar is not None:
                bar.close()
        self._report(str(job.kind), run)
        return run.status in (SyncStatus.SUCCEEDED, SyncStatus.SKIPPED)

    def _report(self, name: str, run: SyncRun) -> None:
        if run.status == SyncStatus.SKIPPED:
            self.stdout.write(self.style.WARNING(f"{name}: skipped ({run.error})"))
            return
        if run.status == SyncStatus.FAILED:
            self.stdout.write(self.style.ERROR(f"{name}: failed: {run.error}"))
            return
        c = run.counts
        summary = (
            f"{name}: {c.get('created', 0)} created, {c.get('updated', 0)} updated, "
            f"{c.get('unchanged', 0)} unchanged, {c.get('failed', 0)} failed"
        )
        if c.get("delisted"):
            summary += f", {c['delisted']} delisted"
        seconds = run.duration_seconds or 0.0
        self.stdout.write(self.style.SUCCESS(summary) + f" in {seconds:.1f}s")
        for error in run.item_errors[:10]:
            self.stdout.write(f"  skipped {error['item']}: {error['error']}")


def catalogue_upstream() -> str:
    """The upstream (base URL, credentials masked) the catalogue was last synced
    from, or "" before any successful catalogue sync."""
    url = (
        SyncRun.objects.filter(kind=SyncKind.CATALOG, status=SyncStatus.SUCCEEDED)
        .order_by("-started_at", "-id")
        .values_list("upstream_url", flat=True)
        .first()
    )
    return (url or "").removesuffix("/models")


def mixing_refusal(filled_from: str, base: str) -> str:
    """Why this sync would mix two upstreams' catalogues in one database, and what
    to do instead."""
    # The demo upstream (`make run` without a reachable upstream, or --demo)
    # answers on loopback with the 2025 recording: polled live, most of it would
    # be delisted, or refused by the shrink guard.
    same = f"OPENROUTER_BASE_URL={filled_from}"
    if filled_from.endswith("/api/v1"):
        # OpenRouter's shape (the demo's too): the website is the API's root.
        same += f" OPENROUTER_SITE_URL={filled_from.removesuffix('/api/v1')}"
    return (
        f"This database's catalogue was synced from {filled_from}, not from {base} "
        "that this command would poll: their models and stats would be mixed. "
        f"To poll the same upstream again, run with {same}; to move to {base}, "
        "empty var/ first (README, Going live); to poll it into this database "
        "anyway, pass --switch-upstream."
    )


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a process manager stopping us) ends the sync like Ctrl-C does: the
    run is closed with a reason instead of being left running."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _updater(bar: tqdm) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update
