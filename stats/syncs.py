"""One sync per stats kind: lock -> source -> ingest -> SyncRun.

The Celery tasks and `manage.py sync stats` both call these. Each kind is its own
SyncRun and failure domain: a broken website endpoint fails only its own run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel, SyncRun
from catalog.runs import sync_run_skipped
from catalog.sources import http_client
from catalog.sources.base import HttpClient, ItemError, SourceError
from catalog.sources.openrouter import EndpointRecord
from catalog.syncs import run_guarded
from stats import ingest, sources
from stats.models import Period, UptimeHistory

logger = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]

KIND_ACTIVITY = "stats-activity"
KIND_APPS = "stats-apps"
KIND_UPTIME = "stats-uptime"
KIND_DATASETS = "stats-datasets"
KINDS = (KIND_ACTIVITY, KIND_APPS, KIND_UPTIME, KIND_DATASETS)
WEBSITE = "openrouter-website"
DATA_API = "openrouter-datasets"
ACTIVITY_DAYS = 90
# Models fetched (concurrently) and then written (one transaction) per chunk, so a
# killed worker keeps what it finished and a rerun overwrites the rest.
CHUNK = 50
# Hourly rollups feed the 7-day performance charts; daily ones are kept for good.
HOURLY_ROLLUP_DAYS = 90


def website_enabled() -> bool:
    return bool(getattr(settings, "STATS_WEBSITE_ENABLED", True))


def datasets_enabled() -> bool:
    default = bool(getattr(settings, "OPENROUTER_API_KEY", ""))
    return bool(getattr(settings, "STATS_DATASETS_ENABLED", default))


def retention_days() -> int:
    return int(getattr(settings, "STATS_RAW_RETENTION_DAYS", 14))


@dataclass
class StatsResult:
    """What one stats sync did; becomes a SyncRun's counts."""

    items: int = 0
    rows: int = 0
    failed: int = 0
    errors: list[ItemError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        # "updated" keeps the sync command's summary meaningful: rows upserted.
        return {"updated": self.rows, "items": self.items, "failed": self.failed}


def _guarded(
    kind: str, source: str, url: str, work: Callable[[SyncRun], StatsResult]
) -> SyncRun:
    return run_guarded(kind, url, work, source=source)


def _not_run(kind: str, source: str, reason: str) -> SyncRun:
    return sync_run_skipped(kind, source=source, reason=reason)


def fetch_chunks(
    items: list[T],
    fetch: Callable[[T], Any],
    progress: Progress | None = None,
) -> Iterator[list[tuple[T, Any]]]:
    """Fetch items with bounded concurrency, a chunk at a time; errors are returned."""

    def one(item: T) -> tuple[T, Any]:
        try:
            return item, fetch(item)
        except SourceError as exc:
            return item, exc

    done = 0
    workers = settings.SYNC_ENDPOINTS_CONCURRENCY
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(items), CHUNK):
            outcomes = list(pool.map(one, items[start : start + CHUNK]))
            done += len(outcomes)
            if progress:
                progress(done, len(items))
            yield outcomes


def listed_models() -> list[LanguageModel]:
    return list(
        LanguageModel.objects.filter(delisted_at__isnull=True)
        .only("slug", "canonical_slug", "variant")
        .order_by("slug")
    )


def _per_model(
    fetch: Callable[[LanguageModel], Any],
    store: Callable[[LanguageModel, Any], int],
    progress: Progress | None,
) -> StatsResult:
    """Fan a fetch out over listed models and store each chunk; fail if all failed."""
    models = listed_models()
    result, failures = StatsResult(), []
    for chunk in fetch_chunks(models, fetch, progress):
        with transaction.atomic():
            for model, outcome in chunk:
                if isinstance(outcome, SourceError):
                    failures.append(outcome)
                    result.errors.append(ItemError(model.slug, str(outcome)))
                    continue
                result.items += 1
                result.rows += store(model, outcome)
                result.errors += [
                    ItemError(f"{model.slug} {e.item}", e.error)
                    for e in getattr(outcome, "errors", [])
                    if isinstance(e, ItemError)
                ]
    result.failed = len(result.errors)
    if models and len(failures) == len(models):
        first = failures[0]
        raise first.__class__(
            f"all {len(models)} fetches failed; first: {models[0].slug}: {first}",
            url=first.url,
            retry_after=first.retry_after,
        )
    return result


def sync_activity(progress: Progress | None = None) -> SyncRun:
    """Poll each listed model's tokens per day from the website."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return _not_run(KIND_ACTIVITY, WEBSITE, "disabled by STATS_WEBSITE_ENABLED")

    def work(run: SyncRun) -> StatsResult:
        http = http_client()
        try:
            return _per_model(
                lambda m: sources.fetch_model_activity(
                    http, site, *ingest.stats_key(m), days=ACTIVITY_DAYS
                ),
                lambda m, fetched: ingest.token_usage_upsert(m, fetched.records),
                progress,
            )
        finally:
            http.close()

    return _guarded(
        KIND_ACTIVITY, WEBSITE, f"{site}/api/frontend/…/model-activity", work
    )


def sync_apps(progress: Progress | None = None) -> SyncRun:
    """Poll each listed model's top public apps from the website."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return _not_run(KIND_APPS, WEBSITE, "disabled by STATS_WEBSITE_ENABLED")

    def work(run: SyncRun) -> StatsResult:
        http, now = http_client(), timezone.now()
        try:
            return _per_model(
                lambda m: sources.fetch_top_apps(http, site, *ingest.stats_key(m)),
                lambda m, fetched: ingest.app_usage_replace(m, fetched.records, now),
                progress,
            )
        finally:
            http.close()

    return _guarded(
        KIND_APPS, WEBSITE, f"{site}/api/frontend/…/top-apps-for-model", work
    )


@dataclass
class UptimeFetched:
    rows: list[UptimeHistory]
    errors: list[ItemError]


def _uptime_for(
    http: HttpClient, site: str, model: LanguageModel, endpoints: list[Endpoint]
) -> UptimeFetched:
    """One model's overall series, per-provider series by tag, else by endpoint id."""
    permaslug, _ = ingest.stats_key(model)
    recent = sources.fetch_model_uptime(http, site, permaslug)
    source = "model-uptime-recent"
    rows = [
        UptimeHistory(
            model=model, series="", hour=p.hour, uptime=p.uptime, source=source
        )
        for p in recent.hourly
    ]
    errors = [ItemError("overall", e) for e in recent.errors]
    by_tag: dict[str, list] = dict(recent.providers)
    for endpoint in endpoints:
        points = by_tag.pop(endpoint.tag, None) if endpoint.tag else None
        if points is None and endpoint.upstream_id:
            try:
                fetched = sources.fetch_endpoint_uptime(
                    http, site, endpoint.upstream_id
                )
            except SourceError as exc:
                errors.append(ItemError(endpoint.key, str(exc)))
                continue
            points, src = fetched.records, "uptime-hourly"
        else:
            src = source
        rows += [
            UptimeHistory(
                model=model,
                endpoint=endpoint,
                series=endpoint.key,
                hour=p.hour,
                uptime=p.uptime,
                source=src,
            )
            for p in points or []
        ]
    return UptimeFetched(rows, errors)


def sync_uptime(progress: Progress | None = None) -> SyncRun:
    """Backfill each listed model's hourly uptime (~72 h) from the website."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return _not_run(KIND_UPTIME, WEBSITE, "disabled by STATS_WEBSITE_ENABLED")

    def work(run: SyncRun) -> StatsResult:
        endpoints: dict[int, list[Endpoint]] = {}
        for e in Endpoint.objects.filter(
            delisted_at__isnull=True, model__delisted_at__isnull=True
        ).only("pk", "model_id", "key", "tag", "upstream_id"):
            endpoints.setdefault(e.model_id, []).append(e)
        http = http_client()
        try:
            return _per_model(
                lambda m: _uptime_for(http, site, m, endpoints.get(m.pk, [])),
                lambda m, fetched: ingest.uptime_upsert(fetched.rows),
                progress,
            )
        finally:
            http.close()

    return _guarded(KIND_UPTIME, WEBSITE, f"{site}/api/frontend/…/uptime", work)


def sync_datasets(progress: Progress | None = None) -> SyncRun:
    """Poll the Data API: daily model rankings, app rankings, the account's usage."""
    base = settings.OPENROUTER_BASE_URL
    if not datasets_enabled():
        return _not_run(
            KIND_DATASETS,
            DATA_API,
            "disabled: needs OPENROUTER_API_KEY (or STATS_DATASETS_ENABLED)",
        )

    def work(run: SyncRun) -> StatsResult:
        end = timezone.now().date() - timedelta(days=1)
        models = LanguageModel.objects.only("slug", "canonical_slug", "variant")
        by_key = {ingest.rankings_key(m): m for m in models}
        result = StatsResult()
        http = http_client()
        try:
            ranked = sources.fetch_rankings_daily(
                http, base, end - timedelta(days=29), end
            )
            result.rows += ingest.rankings_upsert(ranked.records, by_key)
            apps = sources.fetch_app_rankings(http, base, end - timedelta(days=6), end)
            result.rows += ingest.app_rankings_upsert(apps.records, end, timezone.now())
            result.errors += ranked.errors + apps.errors
            result.items = len(ranked.records) + len(apps.records)
            result.rows += _account_usage(http, base, result)
        finally:
            http.close()
        result.failed = len(result.errors)
        return result

    return _guarded(KIND_DATASETS, DATA_API, f"{base}/datasets/…", work)


def _account_usage(http: HttpClient, base: str, result: StatsResult) -> int:
    # /activity needs a management key; an ordinary key gets 401/403, which must
    # not cost us the public datasets above.
    try:
        fetched = sources.fetch_account_activity(http, base)
    except SourceError as exc:
        result.errors.append(ItemError("activity", str(exc)))
        return 0
    models = {m.slug: m for m in LanguageModel.objects.only("slug")}
    result.errors += fetched.errors
    return ingest.account_usage_upsert(fetched.records, models)


# ---------------------------------------------------------------- housekeeping


def stats_rollup(now: datetime | None = None) -> dict[str, int]:
    """Recompute the recent hourly and daily rollups (a safety net for the observer)."""
    now = now or timezone.now()
    return {
        "hour": ingest.rollup_build(Period.HOUR, now - timedelta(hours=3)),
        "day": ingest.rollup_build(Period.DAY, now - timedelta(days=1)),
    }


def stats_prune(now: datetime | None = None) -> dict[str, int]:
    """Delete raw samples past retention, after making sure their rollups exist."""
    now = now or timezone.now()
    # Whole days only, so a day's rollup is never recomputed from half its samples.
    cutoff = ingest.period_floor(now - timedelta(days=retention_days()), Period.DAY)
    oldest = (
        ingest.EndpointSample.objects.filter(window_start__lt=cutoff)
        .order_by("window_start")
        .values_list("window_start", flat=True)
        .first()
    )
    if oldest is not None:
        ingest.rollup_build(Period.HOUR, oldest, until=cutoff)
        ingest.rollup_build(Period.DAY, oldest, until=cutoff)
    hourly, _ = ingest.EndpointRollup.objects.filter(
        period=Period.HOUR, start__lt=now - timedelta(days=HOURLY_ROLLUP_DAYS)
    ).delete()
    return {"deleted": ingest.samples_prune(cutoff), "hourly_rollups_deleted": hourly}


def endpoints_observed(fetched: dict[str, list[EndpointRecord]], run: SyncRun) -> None:
    """Snapshot an endpoints poll's rolling stats and roll up the current hour/day."""
    try:
        now = timezone.now()
        ids = ingest.samples_upsert(fetched, now)
        for start in range(0, len(ids), 900):
            batch = ids[start : start + 900]
            ingest.rollup_build(Period.HOUR, now, endpoint_ids=batch)
            ingest.rollup_build(Period.DAY, now, endpoint_ids=batch)
    except Exception:
        # Stats must never fail the catalogue's endpoints poll.
        logger.exception("stats: storing endpoint samples failed (run %s)", run.pk)
