from __future__ import annotations

from django.apps import AppConfig

# name -> (task, every N minutes, description); merged into catalog's SCHEDULES.
SCHEDULES = {
    "stats-activity": (
        "stats.sync_activity",
        1440,
        "Poll every model's tokens per day from the OpenRouter website.",
    ),
    "stats-apps": (
        "stats.sync_apps",
        1440,
        "Poll every model's top public apps from the OpenRouter website.",
    ),
    "stats-uptime": (
        "stats.sync_uptime",
        360,
        "Backfill every model's hourly uptime (last 72 h) from the website.",
    ),
    "stats-datasets": (
        "stats.sync_datasets",
        1440,
        "Poll the Data API rankings and the account's own usage (needs a key).",
    ),
    "stats-rollup": (
        "stats.rollup",
        60,
        "Recompute hourly and daily rollups of endpoint samples.",
    ),
    "stats-prune": (
        "stats.prune",
        1440,
        "Delete raw endpoint samples older than STATS_RAW_RETENTION_DAYS.",
    ),
}


# Run after the catalogue's own syncs by `catalog.sync_all` (make run's first sync).
FULL_SYNC_TASKS = (
    "stats.sync_activity",
    "stats.sync_apps",
    "stats.sync_uptime",
    "stats.sync_datasets",
)


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Live stats"

    def ready(self) -> None:
        # catalog must not import stats, so stats plugs itself in here.
        from catalog import schedules, status, syncs, tasks
        from catalog.management.commands import sync
        from stats import syncs as stats_syncs

        schedules.SCHEDULES.update(SCHEDULES)
        runners = {
            stats_syncs.KIND_ACTIVITY: stats_syncs.sync_activity,
            stats_syncs.KIND_APPS: stats_syncs.sync_apps,
            stats_syncs.KIND_UPTIME: stats_syncs.sync_uptime,
            stats_syncs.KIND_DATASETS: stats_syncs.sync_datasets,
        }
        sync.TARGETS["stats"] = list(runners)
        sync.RUNNERS.update(runners)
        sync.PROGRESS.update(runners)
        tasks.FULL_SYNC_EXTRA.extend(
            name for name in FULL_SYNC_TASKS if name not in tasks.FULL_SYNC_EXTRA
        )
        status.STATUS_KINDS.extend(k for k in runners if k not in status.STATUS_KINDS)
        if stats_syncs.endpoints_observed not in syncs.ENDPOINT_OBSERVERS:
            syncs.ENDPOINT_OBSERVERS.append(stats_syncs.endpoints_observed)
