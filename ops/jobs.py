"""Every periodic job of the board, in one frozen table.

Each job says what it runs (`runner`, called by its Celery task and by
`manage.py sync`), how often by default, and how it shows up: on /status, in a
full sync, with a progress bar. Adding a job is one entry here plus its task in
ops/tasks.py; `manage.py ensure_schedules` then creates its schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from catalog import syncs as catalog_syncs
from catalog.models import SyncKind, SyncRun
from changes import tasks as changes_tasks
from stats import housekeeping
from stats import syncs as stats_syncs


@dataclass(frozen=True)
class Job:
    """One periodic job."""

    # The schedule's name in django-celery-beat (PeriodicTask.name).
    name: str
    # The Celery task that runs it (ops/tasks.py).
    task: str
    runner: Callable[..., Any]
    every: timedelta
    description: str
    # The SyncRun kind it records, for jobs that poll upstream (None otherwise).
    kind: SyncKind | None = None
    # `manage.py sync <target>` runs every job of its target.
    target: str = ""
    # Unit of the command's progress bar ("model"); empty for none.
    progress: str = ""
    # Part of `sync_all`, the full sync `make run` starts with.
    full_sync: bool = False
    # Celery time limits (seconds). At the soft one the task's run is closed with
    # the reason; the hard one kills a task that ignores it. Both stay below the
    # job's period, and below CELERY_VISIBILITY_TIMEOUT so a broker never hands a
    # running task to a second worker.
    soft_time_limit: int = 10 * 60
    time_limit: int = 12 * 60


def sync_endpoints(**kwargs: Any) -> SyncRun:
    """The endpoints poll, with each poll's rolling stats snapshotted by stats."""
    return catalog_syncs.sync_endpoints(
        observers=[housekeeping.samples_snapshot], **kwargs
    )


MINUTE = 60  # time limits are in seconds
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

JOBS: tuple[Job, ...] = (
    Job(
        name="sync-providers",
        task="catalog.sync_providers",
        runner=catalog_syncs.sync_providers,
        every=6 * HOUR,
        description="Poll the provider list.",
        kind=SyncKind.PROVIDERS,
        target="providers",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-catalog",
        task="catalog.sync_catalog",
        runner=catalog_syncs.sync_catalog,
        every=HOUR,
        description="Poll the model list.",
        kind=SyncKind.CATALOG,
        target="catalog",
        full_sync=True,
        soft_time_limit=10 * MINUTE,
        time_limit=12 * MINUTE,
    ),
    Job(
        name="sync-endpoints",
        task="catalog.sync_endpoints",
        runner=sync_endpoints,
        every=30 * timedelta(minutes=1),
        description="Poll every model's providers, prices and rolling stats.",
        kind=SyncKind.ENDPOINTS,
        target="endpoints",
        progress="model",
        full_sync=True,
        soft_time_limit=25 * MINUTE,
        time_limit=28 * MINUTE,
    ),
    Job(
        name="sync-litellm",
        task="catalog.sync_litellm",
        runner=catalog_syncs.sync_litellm,
        every=DAY,
        description="Poll the direct providers' list prices (LiteLLM's price map).",
        kind=SyncKind.LITELLM,
        target="litellm",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-categories",
        task="catalog.sync_categories",
        runner=catalog_syncs.sync_categories,
        every=DAY,
        description="Poll upstream's task classifications (the models' categories; needs a key).",
        kind=SyncKind.CATEGORIES,
        target="categories",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-zdr",
        task="catalog.sync_zdr",
        runner=catalog_syncs.sync_zdr,
        every=6 * HOUR,
        description="Poll the zero-data-retention endpoint list.",
        kind=SyncKind.ZDR,
        target="zdr",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-embeddings",
        task="catalog.sync_embeddings",
        runner=catalog_syncs.sync_embeddings,
        every=6 * HOUR,
        description="Poll the embedding models and their unit prices.",
        kind=SyncKind.EMBEDDINGS,
        target="embeddings",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-images",
        task="catalog.sync_images",
        runner=catalog_syncs.sync_images,
        every=6 * HOUR,
        description="Poll the image generation models, their endpoints and prices.",
        kind=SyncKind.IMAGES,
        target="images",
        full_sync=True,
        soft_time_limit=10 * MINUTE,
        time_limit=12 * MINUTE,
    ),
    Job(
        name="sync-videos",
        task="catalog.sync_videos",
        runner=catalog_syncs.sync_videos,
        every=6 * HOUR,
        description="Poll the video generation models and their prices.",
        kind=SyncKind.VIDEOS,
        target="videos",
        full_sync=True,
        soft_time_limit=5 * MINUTE,
        time_limit=6 * MINUTE,
    ),
    Job(
        name="sync-benchmarks",
        task="catalog.sync_benchmarks",
        runner=catalog_syncs.sync_benchmarks,
        every=HOUR,
        description=(
            "Store the model list's benchmark scores, and poll /benchmarks "
            "(needs a key)."
        ),
        kind=SyncKind.BENCHMARKS,
        target="benchmarks",
        full_sync=True,
        soft_time_limit=10 * MINUTE,
        time_limit=12 * MINUTE,
    ),
    Job(
        name="stats-activity",
        task="stats.sync_activity",
        runner=stats_syncs.sync_activity,
        every=DAY,
        description="Poll every model's tokens per day from the OpenRouter website.",
        kind=SyncKind.STATS_ACTIVITY,
        target="stats",
        progress="model",
        full_sync=True,
        soft_time_limit=50 * MINUTE,
        time_limit=55 * MINUTE,
    ),
    Job(
        name="stats-apps",
        task="stats.sync_apps",
        runner=stats_syncs.sync_apps,
        every=DAY,
        description="Poll every model's top public apps from the OpenRouter website.",
        kind=SyncKind.STATS_APPS,
        target="stats",
        progress="model",
        full_sync=True,
        soft_time_limit=50 * MINUTE,
        time_limit=55 * MINUTE,
    ),
    Job(
        name="stats-uptime",
        task="stats.sync_uptime",
        runner=stats_syncs.sync_uptime,
        every=6 * HOUR,
        description="Backfill every model's hourly uptime (last 72 h) from the website.",
        kind=SyncKind.STATS_UPTIME,
        target="stats",
        progress="model",
        full_sync=True,
        soft_time_limit=50 * MINUTE,
        time_limit=55 * MINUTE,
    ),
    Job(
        name="stats-history",
        task="stats.sync_history",
        runner=stats_syncs.sync_history,
        every=6 * HOUR,
        description=(
            "Backfill every provider's latency and throughput (last 72 h) and "
            "listed-price changes from the website."
        ),
        kind=SyncKind.STATS_HISTORY,
        target="stats",
        progress="model",
        full_sync=True,
        soft_time_limit=50 * MINUTE,
        time_limit=55 * MINUTE,
    ),
    Job(
        name="stats-datasets",
        task="stats.sync_datasets",
        runner=stats_syncs.sync_datasets,
        every=DAY,
        description="Poll the Data API rankings and the account's own usage (needs a key).",
        kind=SyncKind.STATS_DATASETS,
        target="stats",
        full_sync=True,
        soft_time_limit=10 * MINUTE,
        time_limit=12 * MINUTE,
    ),
    Job(
        name="stats-rollup",
        task="stats.rollup",
        runner=housekeeping.stats_rollup,
        every=HOUR,
        description="Recompute hourly and daily rollups of endpoint samples.",
        soft_time_limit=20 * MINUTE,
        time_limit=25 * MINUTE,
    ),
    Job(
        name="stats-prune",
        task="stats.prune",
        runner=housekeeping.stats_prune,
        every=DAY,
        description="Delete raw endpoint samples older than STATS_RAW_RETENTION_DAYS.",
        soft_time_limit=30 * MINUTE,
        time_limit=35 * MINUTE,
    ),
    Job(
        name="changes-dispatch-events",
        task="changes.dispatch_events",
        runner=changes_tasks.dispatch_pending,
        every=timedelta(minutes=1),
        description="Match new catalogue events to watches and send webhooks and e-mails.",
        soft_time_limit=MINUTE,
        time_limit=2 * MINUTE,
    ),
)

BY_NAME = {job.name: job for job in JOBS}
BY_KIND = {job.kind: job for job in JOBS if job.kind is not None}
# What `manage.py sync` accepts, in the order a full sync runs them.
TARGETS: dict[str, tuple[Job, ...]] = {}
for _job in JOBS:
    if _job.target:
        TARGETS[_job.target] = (*TARGETS.get(_job.target, ()), _job)
del _job


def job_for_kind(kind: str) -> Job:
    """The job that records runs of `kind` ("endpoints-some" belongs to endpoints)."""
    if kind == SyncKind.ENDPOINTS_SOME:
        kind = SyncKind.ENDPOINTS
    return BY_KIND[SyncKind(kind)]
