"""SyncRun lifecycle. The database is the lock: at most one running run per kind.

Every sync goes through `run_guarded`: take the kind's lock, do the work, close the
run with its counts, or with a reason a person can read when it failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from catalog.ingest import ShrinkGuardError
from catalog.models import SyncRun, SyncStatus
from catalog.sources.base import ItemError, SourceError

logger = logging.getLogger(__name__)


class SyncFailed(Exception):
    """A sync ran and failed; `run` says why, `transient` says if a retry may help."""

    def __init__(self, run: SyncRun, *, transient: bool, retry_after: float | None):
        super().__init__(run.error)
        self.run = run
        self.transient = transient
        self.retry_after = retry_after


class RunResult(Protocol):
    errors: list[ItemError]

    def counts(self) -> dict[str, int]: ...


def stale_before(now: datetime) -> datetime:
    """Runs started before this are abandoned: their worker died without closing
    them, and past the lock period they stop blocking new runs."""
    return now - timedelta(seconds=settings.SYNC_LOCK_SECONDS)


def runs_live(now: datetime | None = None) -> QuerySet[SyncRun]:
    """Runs really in progress (running, and not abandoned)."""
    now = now or timezone.now()
    return SyncRun.objects.filter(
        status=SyncStatus.RUNNING, started_at__gte=stale_before(now)
    )


def sync_run_start(
    kind: str, *, source: str = "openrouter", url: str = ""
) -> SyncRun | None:
    """Open a run of `kind`, or return None when one is already running."""
    now = timezone.now()
    SyncRun.objects.filter(
        kind=kind, status=SyncStatus.RUNNING, started_at__lt=stale_before(now)
    ).update(status=SyncStatus.ABANDONED, finished_at=now, error="worker lost")
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                kind=kind, source=source, started_at=now, upstream_url=url[:500]
            )
    except IntegrityError:
        logger.info("sync %s already running; skipping", kind)
        return None


def sync_run_skipped(
    kind: str,
    *,
    source: str = "openrouter",
    reason: str = "another run of this kind was still running",
) -> SyncRun:
    """Record a run that did not start: another was running, or it is switched off."""
    now = timezone.now()
    return SyncRun.objects.create(
        kind=kind,
        source=source,
        status=SyncStatus.SKIPPED,
        started_at=now,
        finished_at=now,
        error=reason,
    )


def sync_run_succeed(
    run: SyncRun, counts: dict[str, int], item_errors: list[ItemError]
) -> SyncRun:
    """Close a run that did its job (some items may have been skipped)."""
    run.status = SyncStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.counts = counts
    run.item_errors = [e.as_dict() for e in item_errors[:500]]
    run.save()
    for error in item_errors[:50]:
        logger.warning("sync %s skipped %s: %s", run.kind, error.item, error.error)
    return run


def sync_run_fail(
    run: SyncRun, error: str, counts: dict[str, int] | None = None
) -> SyncRun:
    """Close a run that failed, with a reason a person can read."""
    run.status = SyncStatus.FAILED
    run.finished_at = timezone.now()
    run.error = error[:2000]
    run.counts = counts or {}
    run.save()
    logger.error("sync %s failed: %s", run.kind, error)
    return run


def run_guarded(
    kind: str,
    url: str,
    work: Callable[[SyncRun], RunResult],
    *,
    source: str = "openrouter",
) -> SyncRun:
    """Take the kind's lock, do the work, and close the SyncRun with its outcome."""
    run = sync_run_start(kind, source=source, url=url)
    if run is None:
        return sync_run_skipped(kind, source=source)
    try:
        result = work(run)
    except SourceError as exc:
        sync_run_fail(run, f"{exc} ({exc.url})" if exc.url else str(exc))
        raise SyncFailed(
            run, transient=exc.transient, retry_after=exc.retry_after
        ) from exc
    except ShrinkGuardError as exc:
        sync_run_fail(run, str(exc))
        raise SyncFailed(run, transient=False, retry_after=None) from exc
    except Exception as exc:
        sync_run_fail(run, f"internal error: {exc.__class__.__name__}: {exc}")
        raise
    return sync_run_succeed(run, result.counts(), result.errors)


# --- reading runs back -----------------------------------------------------------


@dataclass
class LatestRuns:
    """The latest runs of one kind: any, attempted (not skipped), succeeded, failed."""

    latest: SyncRun | None = None
    attempted: SyncRun | None = None
    succeeded: SyncRun | None = None
    failed: SyncRun | None = None

    @property
    def failing(self) -> bool:
        """The latest attempt failed."""
        return self.attempted is not None and self.attempted.status in FAILURES


FAILURES = (SyncStatus.FAILED, SyncStatus.ABANDONED)


def runs_latest(kinds: Iterable[str]) -> dict[str, LatestRuns]:
    """The latest runs of each kind (see LatestRuns), in one query."""

    def newest(runs: QuerySet[SyncRun]) -> Subquery:
        # Served by syncrun-kind-time (kind, -started_at).
        return Subquery(
            runs.filter(kind=OuterRef("kind"))
            .order_by("-started_at", "-id")
            .values("pk")[:1]
        )

    all_runs = SyncRun.objects.all()
    slots = {
        "latest": all_runs,
        "attempted": all_runs.exclude(status=SyncStatus.SKIPPED),
        "succeeded": all_runs.filter(status=SyncStatus.SUCCEEDED),
        "failed": all_runs.filter(status__in=FAILURES),
    }
    wanted = Q()
    for runs in slots.values():
        wanted |= Q(pk=newest(runs))
    kinds = list(kinds)
    found = {kind: LatestRuns() for kind in kinds}
    for run in SyncRun.objects.filter(kind__in=kinds).filter(wanted):
        latest = found[run.kind]
        for slot in slots:
            if _fits(run, slot) and _newer(run, getattr(latest, slot)):
                setattr(latest, slot, run)
    return found


def _fits(run: SyncRun, slot: str) -> bool:
    if slot == "attempted":
        return run.status != SyncStatus.SKIPPED
    if slot == "succeeded":
        return run.status == SyncStatus.SUCCEEDED
    if slot == "failed":
        return run.status in FAILURES
    return True


def _newer(run: SyncRun, other: SyncRun | None) -> bool:
    return other is None or (run.started_at, run.pk) > (other.started_at, other.pk)


def data_changed_at() -> datetime | None:
    """When the data last changed: the finish of the latest successful sync."""
    return SyncRun.objects.filter(status=SyncStatus.SUCCEEDED).aggregate(
        at=Max("finished_at")
    )["at"]
