"""SyncRun lifecycle. The database is the lock: at most one running run per kind."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import SyncRun, SyncStatus
from catalog.sources.base import ItemError

logger = logging.getLogger(__name__)


def sync_run_start(
    kind: str, *, source: str = "openrouter", url: str = ""
) -> SyncRun | None:
    """Open a run of `kind`, or return None when one is already running."""
    now = timezone.now()
    # A run whose worker was killed never finishes; after the lock period it stops
    # blocking new runs (marked abandoned, kept for the record).
    stale = now - timedelta(seconds=settings.SYNC_LOCK_SECONDS)
    SyncRun.objects.filter(
        kind=kind, status=SyncStatus.RUNNING, started_at__lt=stale
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
