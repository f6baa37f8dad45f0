"""The lock: at most one running run per kind, and the database is the lock.

Opening a run inserts it as running; a unique constraint on the running runs of a
kind turns a second one away. A redelivered Celery task (same task id) does not
open a second run: it finds the run it already finished, or takes over its own
run whose process died.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models.runs import SyncRun, SyncStatus
from catalog.runs.owners import (
    Owner,
    current_cadence,
    current_owner,
    heartbeat_timeout,
    owner_gone,
)
from catalog.runs.reaper import runs_abandon_dead
from catalog.sources.redact import redact_url

logger = logging.getLogger(__name__)


class RunBusy(Exception):
    """This task's own run is still worked on by a live process: try again later."""

    def __init__(self, run: SyncRun, retry_after: float):
        super().__init__(f"run {run.pk} of {run.kind} is still running elsewhere")
        self.run = run
        self.retry_after = retry_after


def run_done_by_this_task(kind: str) -> SyncRun | None:
    """The run this Celery task already finished, when the task is a redelivery of
    one that succeeded but was not acknowledged (its worker or broker went away)."""
    task_id = current_owner().task_id
    if not task_id:
        return None
    return SyncRun.objects.filter(
        task_id=task_id, kind=kind, status=SyncStatus.SUCCEEDED
    ).first()


def _take_over(kind: str, owner: Owner, now: datetime) -> SyncRun | None:
    """This task's own running run, taken over when its first process died."""
    run = SyncRun.objects.filter(
        kind=kind, status=SyncStatus.RUNNING, task_id=owner.task_id
    ).first()
    if run is None:
        return None
    beat = run.heartbeat_at or run.started_at
    retry_after = heartbeat_timeout().total_seconds()
    if not owner_gone(run) and beat >= now - heartbeat_timeout():
        raise RunBusy(run, retry_after)
    taken = SyncRun.objects.filter(
        pk=run.pk, status=SyncStatus.RUNNING, heartbeat_at=run.heartbeat_at
    ).update(
        owner_host=owner.host,
        owner_pid=owner.pid,
        heartbeat_at=now,
        takeovers=F("takeovers") + 1,
    )
    if not taken:
        raise RunBusy(run, retry_after)
    logger.warning(
        "run %s of %s: its process (%s on %s) stopped working on it; its task, delivered again, takes over",
        run.pk,
        kind,
        run.owner_pid,
        run.owner_host,
    )
    run.refresh_from_db()
    return run


def sync_run_start(
    kind: str, *, source: str = "openrouter", url: str = ""
) -> SyncRun | None:
    """Open a run of `kind` owned by this process, or return None when a live one
    is running. A redelivered task takes over its own run whose process died."""
    now = timezone.now()
    owner = current_owner()
    if owner.task_id and (mine := _take_over(kind, owner, now)) is not None:
        return mine
    runs_abandon_dead(now, kind=kind)
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                kind=kind,
                source=source,
                started_at=now,
                upstream_url=redact_url(url)[:500],
                owner_host=owner.host,
                owner_pid=owner.pid,
                task_id=owner.task_id,
                heartbeat_at=now,
                every_seconds=current_cadence(),
            )
    except IntegrityError:
        logger.info("sync %s already running; skipping", kind)
        return None
