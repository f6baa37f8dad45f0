"""When the next poll of a source comes, from its schedule (django-celery-beat's
table, kept by ops from the jobs table) and its latest run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from catalog.models import SyncKind
from catalog.runs import LatestRuns

# The Celery task of each polling kind (the task names are a stable contract of
# the schedules; see ops/tasks.py).
TASKS: dict[str, str] = {
    SyncKind.PROVIDERS: "catalog.sync_providers",
    SyncKind.CATALOG: "catalog.sync_catalog",
    SyncKind.ENDPOINTS: "catalog.sync_endpoints",
    SyncKind.STATS_ACTIVITY: "stats.sync_activity",
    SyncKind.STATS_APPS: "stats.sync_apps",
    SyncKind.STATS_UPTIME: "stats.sync_uptime",
    SyncKind.STATS_DATASETS: "stats.sync_datasets",
}


def next_polls(
    runs: Mapping[str, LatestRuns], now: datetime | None = None
) -> dict[str, datetime | None]:
    """The next poll of each kind in `runs` (None when it has no enabled schedule);
    one query."""
    now = now or timezone.now()
    wanted = {TASKS[kind]: kind for kind in runs if kind in TASKS}
    found: dict[str, datetime | None] = dict.fromkeys(runs)
    schedules = PeriodicTask.objects.filter(
        task__in=list(wanted), enabled=True, interval__isnull=False
    ).select_related("interval")
    for task in schedules:
        kind = wanted[task.task]
        assert task.interval is not None
        every = task.interval.schedule.run_every
        latest = runs[kind].latest
        starts = [t for t in (task.last_run_at, latest and latest.started_at) if t]
        found[kind] = max(max(starts) + every, now) if starts else now + every
    return found
