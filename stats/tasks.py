"""Celery tasks: thin interfaces over stats.syncs, retried only when it may help.

Every sync is idempotent (upserts on natural keys), so acks_late is safe: a task
redelivered after its worker died simply rewrites the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from celery import Task, shared_task

from catalog.models import SyncRun
from catalog.syncs import SyncFailed
from stats import syncs

MAX_RETRIES = 5


def _retry(task: Task, exc: SyncFailed) -> None:
    """Retry transient failures with exponential backoff and jitter, honouring 429s."""
    if not exc.transient or task.request.retries >= MAX_RETRIES:
        return
    backoff = min(60 * 2**task.request.retries, 3600)
    countdown = max(exc.retry_after or 0, random.uniform(backoff / 2, backoff))
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES)


def _run(task: Task, sync: Callable[[], SyncRun]) -> dict:
    try:
        run = sync()
    except SyncFailed as exc:
        _retry(task, exc)
        return {"run": exc.run.pk, "status": exc.run.status}
    return {"run": run.pk, "status": run.status}


@shared_task(bind=True, acks_late=True, name="stats.sync_activity")
def sync_activity(self: Task) -> dict:
    """Poll every listed model's tokens per day (website)."""
    return _run(self, syncs.sync_activity)


@shared_task(bind=True, acks_late=True, name="stats.sync_apps")
def sync_apps(self: Task) -> dict:
    """Poll every listed model's top apps (website)."""
    return _run(self, syncs.sync_apps)


@shared_task(bind=True, acks_late=True, name="stats.sync_uptime")
def sync_uptime(self: Task) -> dict:
    """Backfill every listed model's hourly uptime (website)."""
    return _run(self, syncs.sync_uptime)


@shared_task(bind=True, acks_late=True, name="stats.sync_datasets")
def sync_datasets(self: Task) -> dict:
    """Poll the Data API rankings and the account's own usage."""
    return _run(self, syncs.sync_datasets)


@shared_task(acks_late=True, name="stats.rollup")
def rollup() -> dict:
    """Recompute recent hourly and daily endpoint rollups."""
    return syncs.stats_rollup()


@shared_task(acks_late=True, name="stats.prune")
def prune() -> dict:
    """Delete raw endpoint samples past retention (rollups stay)."""
    return syncs.stats_prune()
