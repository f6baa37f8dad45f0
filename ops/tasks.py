"""The Celery task of every job in ops/jobs.py: a thin interface over its runner.

Task names keep the domain they poll for ("catalog.sync_catalog"): they are what
the schedules and queued messages of existing deployments name. Every sync is
idempotent (upserts on natural keys), so `acks_late` is safe: a task redelivered
after its worker died rewrites the same rows.
"""

from __future__ import annotations

import random
from typing import Any

from celery import Task, chain, shared_task, signature
from django.conf import settings

from catalog.models import SyncRun
from catalog.runs import SyncFailed
from ops.jobs import BY_NAME, JOBS

MAX_RETRIES = 5


def retry_transient(task: Task, exc: SyncFailed) -> None:
    """Retry transient failures with exponential backoff and jitter, honouring a
    429's Retry-After; permanent ones and the last attempt are left as they are."""
    if not exc.transient or task.request.retries >= MAX_RETRIES:
        return
    backoff = min(settings.SYNC_RETRY_BASE_SECONDS * 2**task.request.retries, 3600)
    countdown = max(exc.retry_after or 0, random.uniform(backoff / 2, backoff))
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES)


def run_job(task: Task, name: str, **kwargs: Any) -> Any:
    """Run one job's runner; a sync's outcome comes back as its run id and status."""
    try:
        outcome = BY_NAME[name].runner(**kwargs)
    except SyncFailed as exc:
        retry_transient(task, exc)
        outcome = exc.run
    if isinstance(outcome, SyncRun):
        return {"run": outcome.pk, "status": outcome.status}
    return outcome


@shared_task(bind=True, acks_late=True, name="catalog.sync_providers")
def sync_providers(self: Task) -> dict:
    """Poll the provider list."""
    return run_job(self, "sync-providers")


@shared_task(bind=True, acks_late=True, name="catalog.sync_catalog")
def sync_catalog(self: Task) -> dict:
    """Poll the model list."""
    return run_job(self, "sync-catalog")


@shared_task(bind=True, acks_late=True, name="catalog.sync_endpoints")
def sync_endpoints(self: Task, slugs: list[str] | None = None) -> dict:
    """Poll the endpoints of every listed model (or of the given slugs)."""
    return run_job(self, "sync-endpoints", slugs=slugs)


@shared_task(bind=True, acks_late=True, name="stats.sync_activity")
def sync_activity(self: Task) -> dict:
    """Poll every listed model's tokens per day (website)."""
    return run_job(self, "stats-activity")


@shared_task(bind=True, acks_late=True, name="stats.sync_apps")
def sync_apps(self: Task) -> dict:
    """Poll every listed model's top apps (website)."""
    return run_job(self, "stats-apps")


@shared_task(bind=True, acks_late=True, name="stats.sync_uptime")
def sync_uptime(self: Task) -> dict:
    """Backfill every listed model's hourly uptime (website)."""
    return run_job(self, "stats-uptime")


@shared_task(bind=True, acks_late=True, name="stats.sync_datasets")
def sync_datasets(self: Task) -> dict:
    """Poll the Data API rankings and the account's own usage."""
    return run_job(self, "stats-datasets")


@shared_task(bind=True, acks_late=True, name="stats.rollup")
def rollup(self: Task) -> dict:
    """Recompute recent hourly and daily endpoint rollups."""
    return run_job(self, "stats-rollup")


@shared_task(bind=True, acks_late=True, name="stats.prune")
def prune(self: Task) -> dict:
    """Delete raw endpoint samples past retention (rollups stay)."""
    return run_job(self, "stats-prune")


@shared_task(bind=True, acks_late=True, name="changes.dispatch_events")
def dispatch_events(self: Task) -> dict:
    """Match new catalogue events to watches and queue their deliveries."""
    return run_job(self, "changes-dispatch-events")


@shared_task(name="catalog.sync_all")
def sync_all() -> None:
    """Every job of a full sync, in table order (providers, catalogue, endpoints,
    then the stats), each its own task and run."""
    steps = [signature(job.task, immutable=True) for job in JOBS if job.full_sync]
    chain(*steps).delay()
