"""A run's outcome: skipped (it never started), succeeded with its counts and the
items it skipped, or failed with a reason a person can read. What a run stores
never carries a secret from a URL, nor a character no column can hold."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from catalog.models.runs import SyncRun, SyncStatus
from catalog.runs.owners import current_cadence
from catalog.sources.base import ItemError
from catalog.sources.fields import clean_text
from catalog.sources.redact import redact_text

logger = logging.getLogger(__name__)


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
        every_seconds=current_cadence(),
    )


def sync_run_succeed(
    run: SyncRun, counts: dict[str, int], item_errors: Sequence[ItemError]
) -> SyncRun:
    """Close a run that did its job (some items may have been skipped)."""
    # as_dict cleans what upstream text they quote; URLs in them lose any secret.
    stored_errors = [
        {**e.as_dict(), "error": redact_text(e.as_dict()["error"])}
        for e in item_errors[:500]
    ]
    closed = _close(
        run,
        status=SyncStatus.SUCCEEDED,
        counts=counts,
        item_errors=stored_errors,
    )
    if closed.status == SyncStatus.SUCCEEDED:
        for error in item_errors[:50]:
            logger.warning("sync %s skipped %s: %s", run.kind, error.item, error.error)
    return closed


def sync_run_fail(
    run: SyncRun, error: str, counts: dict[str, int] | None = None
) -> SyncRun:
    """Close a run that failed, with a reason a person can read."""
    reason = clean_text(redact_text(error))[:2000]
    closed = _close(run, status=SyncStatus.FAILED, error=reason, counts=counts or {})
    if closed.status == SyncStatus.FAILED:
        logger.error("sync %s failed: %s", run.kind, reason)
    return closed


def _close(run: SyncRun, **fields: Any) -> SyncRun:
    """Write a run's terminal state once: compare-and-set on `running`. A run
    already closed (the reaper abandoned it while its worker was paused, say)
    keeps that outcome, and the stored run is returned."""
    fields["finished_at"] = timezone.now()
    # Where a run that ran out of its window stopped, set by its work.
    fields["stopped_after"] = run.stopped_after
    written = SyncRun.objects.filter(pk=run.pk, status=SyncStatus.RUNNING).update(
        **fields
    )
    if written:
        for name, value in fields.items():
            setattr(run, name, value)
        return run
    stored = SyncRun.objects.get(pk=run.pk)
    logger.warning(
        "sync %s run %s was already closed as %s; its %s outcome is not recorded",
        run.kind,
        run.pk,
        stored.status,
        fields["status"],
    )
    return stored
