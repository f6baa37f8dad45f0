"""Reads for /status and /healthz: how fresh each source is, and what is reachable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from catalog.models import FieldOverride, SyncKind, SyncRun, SyncStatus
from catalog.runs import LatestRuns, runs_latest
from catalog.sources.redact import redact_text
from catalog.syncs.classifications import categories_switched_off
from ops.jobs import JOBS
from stats.syncs import switched_off

# Item errors shown per source on /status; the admin's sync run page has them all.
ITEM_ERRORS = 20


@dataclass
class SourceStatus:
    kind: str
    colour: str  # green, amber, red; grey for a source switched off
    summary: str
    last_run: SyncRun | None
    last_success: SyncRun | None
    last_failure: SyncRun | None
    every: timedelta | None

    @property
    def last_counts(self) -> list[tuple[str, int]]:
        # A list, not the dict: a template's `counts.items` would find a count
        # named "items" before the method.
        return list(self.last_run.counts.items()) if self.last_run else []

    @property
    def item_errors(self) -> list[dict[str, str]]:
        """Items the latest attempt refused or could not store (first ITEM_ERRORS)."""
        errors = self.last_run.item_errors if self.last_run else []
        return errors[:ITEM_ERRORS] if isinstance(errors, list) else []

    @property
    def item_errors_more(self) -> int:
        errors = self.last_run.item_errors if self.last_run else []
        return max(len(errors) - ITEM_ERRORS, 0) if isinstance(errors, list) else 0

    @property
    def failure_reason(self) -> str:
        # Runs recorded before URLs were redacted on write may still hold secrets.
        return redact_text(self.last_failure.error) if self.last_failure else ""

    @property
    def fresh_until(self) -> datetime | None:
        if self.last_success is None or self.every is None:
            return None
        finished = self.last_success.finished_at or self.last_success.started_at
        return finished + 2 * self.every

    @property
    def cadence(self) -> str:
        return cadence(self.every) if self.every else "not scheduled"


def cadence(every: timedelta) -> str:
    """A schedule in words: "every minute", "hourly", "every 6 hours", "daily"."""
    seconds = int(every.total_seconds())
    for size, one, unit in (
        (86400, "daily", "day"),
        (3600, "hourly", "hour"),
        (60, "every minute", "minute"),
    ):
        if seconds % size == 0:
            n = seconds // size
            return one if n == 1 else f"every {n} {unit}s"
    return f"every {seconds} second{'s' if seconds != 1 else ''}"


def source_status_list(now: datetime | None = None) -> list[SourceStatus]:
    """One status per polling job, from two queries whatever the number of runs."""
    now = now or timezone.now()
    jobs = [job for job in JOBS if job.kind is not None]
    runs = runs_latest(job.kind for job in jobs if job.kind)
    every = _schedules()
    statuses = []
    for job in jobs:
        status = _status(str(job.kind), runs[str(job.kind)], every.get(job.task), now)
        off = switched_off(str(job.kind))
        if job.kind == SyncKind.CATEGORIES:
            off = categories_switched_off()
        if off:
            # Off on purpose is not a fault: grey, with the reason.
            status.colour, status.summary = "grey", off
        statuses.append(status)
    return statuses


def _schedules() -> dict[str, timedelta]:
    every = {}
    for task in PeriodicTask.objects.filter(enabled=True).select_related("interval"):
        if task.interval is not None:
            every[task.task] = task.interval.schedule.run_every
    return every


def _status(
    kind: str, runs: LatestRuns, every: timedelta | None, now: datetime
) -> SourceStatus:
    last, success = runs.attempted, runs.succeeded
    status = SourceStatus(kind, "green", "", last, success, runs.failed, every)
    if last is None:
        status.colour, status.summary = "amber", "never run yet"
    elif last.status == SyncStatus.RUNNING:
        status.colour, status.summary = "green", "running now"
    elif last.status != SyncStatus.SUCCEEDED:
        status.colour = "red"
        status.summary = f"last run {last.status}: {redact_text(last.error)}"
    elif status.fresh_until is not None and status.fresh_until < now:
        status.colour, status.summary = "amber", "stale: no success for two periods"
    else:
        status.summary = "up to date"
    if runs.latest is not None and runs.latest.status == SyncStatus.SKIPPED:
        # Skipped since (held, or behind another sync): say why.
        status.summary += f"; latest run {redact_text(runs.latest.error)}"
    return status


def overrides_flagged_count() -> int:
    """Editors' overrides whose upstream value changed since the edit."""
    return FieldOverride.objects.filter(upstream_changed_at__isnull=False).count()


def health_check() -> dict[str, str]:
    """ "ok" or the error for each dependency the app needs to serve and to poll."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_check()
    checks["cache"] = cache_check()
    return checks


# What /healthz reports for the cache without making the answer "unavailable":
# pages are built from the database while it is down, only slower.
OPTIONAL_CHECKS = ("cache",)


def cache_check() -> str:
    """ "ok", "per process" (no shared cache configured) or the error."""
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    if client is None:
        return "ok (per process)"
    try:
        # The raw client: the cache itself ignores errors so pages keep working.
        client.get_client(write=False).ping()
    except Exception as exc:  # redis raises many kinds
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_check() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many kinds
        return f"error: {exc.__class__.__name__}"
    return "ok"
