"""The Celery task of every job in ops/jobs.py: a thin interface over its runner.

Task names keep the domain they poll for ("catalog.sync_catalog"): they are what
the schedules and queued messages of existing deployments name. Every sync is
idempotent (upserts on natural keys), so `acks_late` is safe: a task redelivered
after its worker died rewrites the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from celery import Signature, Task, chain, group, shared_task, signature
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections

from catalog.models import SyncKind, SyncRun
from catalog.runs import RunBusy, SyncFailed, task_running
from ops.jobs import BY_NAME, JOBS, Job
from ops.schedules import schedule_every

MAX_RETRIES = 5
# A redelivered task whose run is still heartbeating elsewhere looks again later;
# a live run ends within its job's time limit, so a few looks are enough.
MAX_BUSY_RETRIES = 10

# What a job's task returns (a JSON object): a sync's run id and status, or what
# the job counted.
Outcome = Mapping[str, object]


def retry_transient(task: Task[..., object], exc: SyncFailed) -> None:
    """Retry transient failures with exponential backoff and jitter, honouring a
    429's Retry-After; permanent ones and the last attempt are left as they are."""
    if not exc.transient or task.request.retries >= MAX_RETRIES:
        return
    countdown = max(exc.retry_after or 0, backoff(task))
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES)


def backoff(task: Task[..., object]) -> float:
    """Seconds before the next retry: exponential from the base, capped, jittered."""
    ceiling = min(settings.SYNC_RETRY_BASE_SECONDS * 2**task.request.retries, 3600)
    return random.uniform(ceiling / 2, ceiling)


def run_job(task: Task[..., Outcome], name: str, **kwargs: Any) -> Outcome:
    """Run one job's runner; a sync's outcome comes back as its run id and status."""
    job = BY_NAME[name]
    try:
        with task_running(task.request.id, schedule_every(job)):
            outcome: SyncRun | Outcome = job.runner(**kwargs)
    except SyncFailed as exc:
        retry_transient(task, exc)
        outcome = exc.run
    except RunBusy as exc:
        # The broker handed this task out again while its first delivery still
        # runs: look again once that run's heartbeat would have timed out.
        raise task.retry(
            exc=exc, countdown=exc.retry_after, max_retries=MAX_BUSY_RETRIES
        ) from exc
    except (OperationalError, InterfaceError) as exc:
        # The database went away before a run could even open: drop the broken
        # connection and try again, like any transient failure.
        close_old_connections()
        if task.request.retries >= MAX_RETRIES:
            raise
        raise task.retry(
            exc=exc, countdown=backoff(task), max_retries=MAX_RETRIES
        ) from exc
    if isinstance(outcome, SyncRun):
        return {"run": outcome.pk, "status": outcome.status}
    return outcome


def job_task(
    name: str,
) -> Callable[[Callable[..., Outcome]], Task[..., Outcome]]:
    """The Celery task of job `name`: its task name and time limits from JOBS."""
    job = BY_NAME[name]
    return shared_task(
        bind=True,
        acks_late=True,
        name=job.task,
        soft_time_limit=job.soft_time_limit,
        time_limit=job.time_limit,
    )


@job_task("sync-providers")
def sync_providers(self: Task[..., Outcome]) -> Outcome:
    """Poll the provider list."""
    return run_job(self, "sync-providers")


@job_task("sync-catalog")
def sync_catalog(self: Task[..., Outcome]) -> Outcome:
    """Poll the model list."""
    return run_job(self, "sync-catalog")


@job_task("sync-endpoints")
def sync_endpoints(self: Task[..., Outcome], slugs: list[str] | None = None) -> Outcome:
    """Poll the endpoints of every listed model (or of the given slugs)."""
    return run_job(self, "sync-endpoints", slugs=slugs)


@job_task("sync-litellm")
def sync_litellm(self: Task[..., Outcome]) -> Outcome:
    """Poll LiteLLM's price map of direct providers' list prices."""
    return run_job(self, "sync-litellm")


@job_task("sync-categories")
def sync_categories(self: Task[..., Outcome]) -> Outcome:
    """Poll upstream's task classifications (the models' categories)."""
    return run_job(self, "sync-categories")


@job_task("sync-zdr")
def sync_zdr(self: Task[..., Outcome]) -> Outcome:
    """Poll the zero-data-retention endpoint list."""
    return run_job(self, "sync-zdr")


@job_task("sync-embeddings")
def sync_embeddings(self: Task[..., Outcome]) -> Outcome:
    """Poll the embedding models."""
    return run_job(self, "sync-embeddings")


@job_task("sync-images")
def sync_images(self: Task[..., Outcome]) -> Outcome:
    """Poll the image generation models and their endpoints."""
    return run_job(self, "sync-images")


@job_task("sync-videos")
def sync_videos(self: Task[..., Outcome]) -> Outcome:
    """Poll the video generation models."""
    return run_job(self, "sync-videos")


@job_task("sync-benchmarks")
def sync_benchmarks(self: Task[..., Outcome]) -> Outcome:
    """Store the model list's benchmark scores and poll /benchmarks."""
    return run_job(self, "sync-benchmarks")


@job_task("stats-activity")
def sync_activity(self: Task[..., Outcome]) -> Outcome:
    """Poll every listed model's tokens per day (website)."""
    return run_job(self, "stats-activity")


@job_task("stats-apps")
def sync_apps(self: Task[..., Outcome]) -> Outcome:
    """Poll every listed model's top apps (website)."""
    return run_job(self, "stats-apps")


@job_task("stats-uptime")
def sync_uptime(self: Task[..., Outcome]) -> Outcome:
    """Backfill every listed model's hourly uptime (website)."""
    return run_job(self, "stats-uptime")


@job_task("stats-history")
def sync_history(self: Task[..., Outcome]) -> Outcome:
    """Backfill every listed model's latency, throughput and price history."""
    return run_job(self, "stats-history")


@job_task("stats-datasets")
def sync_datasets(self: Task[..., Outcome]) -> Outcome:
    """Poll the Data API rankings and the account's own usage."""
    return run_job(self, "stats-datasets")


@job_task("stats-rollup")
def rollup(self: Task[..., Outcome]) -> Outcome:
    """Recompute recent hourly and daily endpoint rollups."""
    return run_job(self, "stats-rollup")


@job_task("stats-prune")
def prune(self: Task[..., Outcome]) -> Outcome:
    """Delete raw endpoint samples past retention (rollups stay)."""
    return run_job(self, "stats-prune")


@job_task("changes-dispatch-events")
def dispatch_events(self: Task[..., Outcome]) -> Outcome:
    """Match new catalogue events to watches and queue their deliveries."""
    return run_job(self, "changes-dispatch-events")


@shared_task(name="catalog.sync_all")
def sync_all() -> None:
    """Every job of a full sync, each its own task and run: the catalogue's in
    table order (providers, catalogue, endpoints: each joins to the one before),
    then the stats in two lanes side by side, so a first sync is ready sooner:
    the polls that rebuild the rankings (tokens, apps, the datasets) one after
    another, and the backfills (uptime, history) beside them."""
    full = [job for job in JOBS if job.full_sync]
    backfills = {SyncKind.STATS_UPTIME, SyncKind.STATS_HISTORY}
    catalogue = [job for job in full if job.target != "stats"]
    lanes = [
        [job for job in full if job.target == "stats" and job.kind not in backfills],
        [job for job in full if job.kind in backfills],
    ]
    chain(
        *(_step(job) for job in catalogue),
        group(chain(*(_step(job) for job in lane)) for lane in lanes if lane),
    ).delay()


def _step(job: Job) -> Signature:
    return signature(job.task, immutable=True)
