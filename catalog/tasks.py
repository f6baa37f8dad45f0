"""Celery tasks: thin interfaces over catalog.syncs, retried only when it may help."""

from __future__ import annotations

import random

from celery import Task, chain, shared_task, signature
from django.conf import settings

from catalog import syncs

MAX_RETRIES = 5


def _retry(task: Task, exc: syncs.SyncFailed) -> None:
    """Retry transient failures with exponential backoff and jitter, honouring 429s."""
    if not exc.transient or task.request.retries >= MAX_RETRIES:
        return
    backoff = min(settings.SYNC_RETRY_BASE_SECONDS * 2**task.request.retries, 3600)
    countdown = max(exc.retry_after or 0, random.uniform(backoff / 2, backoff))
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES)


def _run(task: Task, sync, **kwargs) -> dict:
    try:
        run = sync(**kwargs)
    except syncs.SyncFailed as exc:
        _retry(task, exc)
        return {"run": exc.run.pk, "status": exc.run.status}
    return {"run": run.pk, "status": run.status}


@shared_task(bind=True, acks_late=True, name="catalog.sync_catalog")
def sync_catalog(self: Task) -> dict:
    """Poll the model list."""
    return _run(self, syncs.sync_catalog)


@shared_task(bind=True, acks_late=True, name="catalog.sync_providers")
def sync_providers(self: Task) -> dict:
    """Poll the provider list."""
    return _run(self, syncs.sync_providers)


@shared_task(bind=True, acks_late=True, name="catalog.sync_endpoints")
def sync_endpoints(self: Task, slugs: list[str] | None = None) -> dict:
    """Poll the endpoints of every listed model (or of the given slugs)."""
    return _run(self, syncs.sync_endpoints, slugs=slugs)


# Tasks other apps add to a full sync, by name (stats registers its own).
FULL_SYNC_EXTRA: list[str] = []


@shared_task(name="catalog.sync_all")
def sync_all() -> None:
    """Providers, catalogue, endpoints, then the others, each its own task and run."""
    steps = [sync_providers.si(), sync_catalog.si(), sync_endpoints.si()]
    steps += [signature(name, immutable=True) for name in FULL_SYNC_EXTRA]
    chain(*steps).delay()
