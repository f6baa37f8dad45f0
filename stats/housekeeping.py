"""The stats tables' upkeep: rollups of endpoint samples, retention, and the
snapshot of every endpoints poll's rolling stats."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import SyncRun
from catalog.sources.openrouter import EndpointRecord
from stats import figures, ingest
from stats.models import EndpointRollup, EndpointSample, Period

logger = logging.getLogger(__name__)

# Hourly rollups feed the 7-day performance charts; daily ones are kept for good.
HOURLY_ROLLUP_DAYS = 90


def stats_rollup(now: datetime | None = None) -> dict[str, int]:
    """Recompute the recent hourly and daily rollups (a safety net for the snapshot),
    clear figures older than a day, refresh tokens this week and the rankings."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = figures.figures_expire(now)
    return {
        "hour": ingest.rollup_build(Period.HOUR, now - timedelta(hours=3)),
        "day": ingest.rollup_build(Period.DAY, now - timedelta(days=1)),
        "figures_expired": expired,
        **figures.usage_figures_refresh(now.date()),
    }


def stats_prune(now: datetime | None = None) -> dict[str, int]:
    """Delete raw samples past retention, after making sure their rollups exist."""
    now = now or timezone.now()
    # Whole days only, so a day's rollup is never recomputed from half its samples.
    retention = timedelta(days=settings.STATS_RAW_RETENTION_DAYS)
    cutoff = ingest.period_floor(now - retention, Period.DAY)
    oldest = (
        EndpointSample.objects.filter(window_start__lt=cutoff)
        .order_by("window_start")
        .values_list("window_start", flat=True)
        .first()
    )
    if oldest is not None:
        ingest.rollup_build(Period.HOUR, oldest, until=cutoff)
        ingest.rollup_build(Period.DAY, oldest, until=cutoff)
    hourly, _ = EndpointRollup.objects.filter(
        period=Period.HOUR, start__lt=now - timedelta(days=HOURLY_ROLLUP_DAYS)
    ).delete()
    return {"deleted": ingest.samples_prune(cutoff), "hourly_rollups_deleted": hourly}


def samples_snapshot(fetched: dict[str, list[EndpointRecord]], run: SyncRun) -> None:
    """Snapshot an endpoints poll's rolling stats and roll up the current hour/day."""
    try:
        now = timezone.now()
        samples = ingest.samples_upsert(fetched, now)
        with transaction.atomic():
            figures.endpoint_figures_store(samples)
        ids = [s.endpoint_id for s in samples]
        for start in range(0, len(ids), 900):
            batch = ids[start : start + 900]
            ingest.rollup_build(Period.HOUR, now, endpoint_ids=batch)
            ingest.rollup_build(Period.DAY, now, endpoint_ids=batch)
    except Exception:
        # Stats must never fail the catalogue's endpoints poll.
        logger.exception("stats: storing endpoint samples failed (run %s)", run.pk)
