"""One sync per stats kind: lock -> source -> ingest -> SyncRun.

The Celery tasks and `manage.py sync stats` both call these. Each kind is its own
SyncRun and failure domain: a broken website endpoint fails only its own run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel, SyncKind, SyncRun
from catalog.runs import resume_after, run_guarded, sync_run_skipped
from catalog.sources import http_client
from catalog.sources.base import HttpClient, ItemError, SourceError
from catalog.sources.fanout import Progress, all_failed, fan_out
from stats import figures, ingest, sources
from stats.models import UptimeHistory

logger = logging.getLogger(__name__)

# The clock a poll's window is measured by (tests replace it).
clock = time.monotonic

WEBSITE = "openrouter-website"
DATA_API = "openrouter-datasets"
ACTIVITY_DAYS = 90


def website_enabled() -> bool:
    return bool(settings.STATS_WEBSITE_ENABLED)


def datasets_enabled() -> bool:
    return bool(settings.STATS_DATASETS_ENABLED)


WEBSITE_KINDS = (SyncKind.STATS_ACTIVITY, SyncKind.STATS_APPS, SyncKind.STATS_UPTIME)


def switched_off(kind: str) -> str:
    """Why a stats source is switched off by the settings, or "" when it is on."""
    if kind in WEBSITE_KINDS and not website_enabled():
        return "switched off: STATS_WEBSITE_ENABLED is false"
    if kind == SyncKind.STATS_DATASETS and not datasets_enabled():
        if not settings.OPENROUTER_API_KEY:
            return "switched off: needs OPENROUTER_API_KEY"
        return "switched off: STATS_DATASETS_ENABLED is false"
    return ""


@dataclass
class StatsResult:
    """What one stats sync did; becomes a SyncRun's counts."""

    items: int = 0
    rows: int = 0
    failed: int = 0
    handed_over: int = 0
    errors: list[ItemError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        # "updated" keeps the sync command's summary meaningful: rows upserted.
        counts = {"updated": self.rows, "items": self.items, "failed": self.failed}
        return counts | ({"handed_over": self.handed_over} if self.handed_over else {})


def listed_models(after: str = "") -> list[LanguageModel]:
    """Listed models by id, those after `after` first (a handed-over run goes on
    where the previous one stopped, then wraps round)."""
    models = list(
        LanguageModel.objects.filter(delisted_at__isnull=True)
        .only("slug", "canonical_slug", "variant")
        .order_by("slug")
    )
    cut = next((i for i, m in enumerate(models) if m.slug > after), 0) if after else 0
    return models[cut:] + models[:cut]


def _per_model(
    run: SyncRun,
    fetch: Callable[[LanguageModel], Any],
    store: Callable[[LanguageModel, Any, list[ItemError]], int],
    progress: Progress | None,
) -> StatsResult:
    """Fan a fetch out over listed models and store each chunk; fail if all failed.

    Past SYNC_WINDOW_SECONDS no new chunk starts: the run records the last model it
    did and the next run of its kind goes on from there.
    """
    models = listed_models(resume_after(run.kind))
    deadline = clock() + settings.SYNC_WINDOW_SECONDS
    result, failures, done = StatsResult(), [], 0
    workers = settings.SYNC_ENDPOINTS_CONCURRENCY
    for chunk in fan_out(models, fetch, workers=workers, progress=progress):
        for model, outcome in chunk:
            if isinstance(outcome, SourceError):
                failures.append((model.slug, outcome))
                result.errors.append(ItemError(model.slug, str(outcome)))
                continue
            result.items += 1
            result.errors += [
                ItemError(f"{model.slug} {e.item}", e.error)
                for e in getattr(outcome, "errors", [])
                if isinstance(e, ItemError)
            ]
            refused: list[ItemError] = []
            try:
                # One model's rows in a savepoint: a refusal stays that model's.
                with transaction.atomic():
                    result.rows += store(model, outcome, refused)
            except DatabaseError as exc:
                refused.append(ItemError(model.slug, f"not stored: {exc}"[:300]))
            result.errors += [
                ItemError(f"{model.slug} {e.item}", e.error) for e in refused
            ]
        done += len(chunk)
        if clock() >= deadline and done < len(models):
            result.handed_over = len(models) - done
            run.stopped_after = chunk[-1][0].slug[:200]
            break
    result.failed = len(result.errors)
    if models and len(failures) == done:
        raise all_failed(failures, len(models))
    return result


def sync_activity(progress: Progress | None = None) -> SyncRun:
    """Poll each listed model's tokens per day from the website."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return sync_run_skipped(
            SyncKind.STATS_ACTIVITY,
            source=WEBSITE,
            reason="disabled by STATS_WEBSITE_ENABLED",
        )

    def work(run: SyncRun) -> StatsResult:
        http = http_client()
        try:
            result = _per_model(
                run,
                lambda m: sources.fetch_model_activity(
                    http, site, *ingest.stats_key(m), days=ACTIVITY_DAYS
                ),
                lambda m, fetched, errors: ingest.token_usage_upsert(
                    m, fetched.records, errors
                ),
                progress,
            )
        finally:
            http.close()
        figures.usage_figures_refresh(timezone.now().date())
        return result

    return run_guarded(
        SyncKind.STATS_ACTIVITY,
        f"{site}/api/frontend/…/model-activity",
        work,
        source=WEBSITE,
    )


def sync_apps(progress: Progress | None = None) -> SyncRun:
    """Poll each listed model's top public apps from the website."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return sync_run_skipped(
            SyncKind.STATS_APPS,
            source=WEBSITE,
            reason="disabled by STATS_WEBSITE_ENABLED",
        )

    def work(run: SyncRun) -> StatsResult:
        http, now = http_client(), timezone.now()
        try:
            result = _per_model(
                run,
                lambda m: sources.fetch_top_apps(http, site, *ingest.stats_key(m)),
                lambda m, fetched, errors: ingest.app_usage_replace(
                    m, fetched.records, now, errors
                ),
                progress,
            )
        finally:
            http.close()
        figures.rankings_build()
        return result

    return run_guarded(
        SyncKind.STATS_APPS,
        f"{site}/api/frontend/…/top-apps-for-model",
        work,
        source=WEBSITE,
    )


@dataclass
class UptimeFetched:
    rows: list[UptimeHistory]
    errors: list[ItemError]


def _uptime_for(
    http: HttpClient, site: str, model: LanguageModel, endpoints: list[Endpoint]
) -> UptimeFetched:
    """One model's overall series, per-provider series by tag, else by endpoint id."""
    permaslug, variant = ingest.stats_key(model)
    recent = sources.fetch_model_uptime(http, site, permaslug, variant)
    source = "model-uptime-recent"
    rows = [
        UptimeHistory(
            model=model, series="", hour=p.hour, uptime=p.uptime, source=source
        )
        for p in recent.hourly
    ]
    errors = [ItemError("overall", e) for e in recent.errors]
    by_tag: dict[str, Sequence[sources.AvailabilityPoint | sources.UptimePoint]] = dict(
        recent.providers
    )
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
        return sync_run_skipped(
            SyncKind.STATS_UPTIME,
            source=WEBSITE,
            reason="disabled by STATS_WEBSITE_ENABLED",
        )

    def work(run: SyncRun) -> StatsResult:
        endpoints: dict[int, list[Endpoint]] = {}
        for e in Endpoint.objects.filter(
            delisted_at__isnull=True, model__delisted_at__isnull=True
        ).only("pk", "model_id", "key", "tag", "upstream_id"):
            endpoints.setdefault(e.model_id, []).append(e)
        http = http_client()
        try:
            return _per_model(
                run,
                lambda m: _uptime_for(http, site, m, endpoints.get(m.pk, [])),
                lambda m, fetched, errors: ingest.uptime_upsert(fetched.rows, errors),
                progress,
            )
        finally:
            http.close()

    return run_guarded(
        SyncKind.STATS_UPTIME, f"{site}/api/frontend/…/uptime", work, source=WEBSITE
    )


def sync_datasets(progress: Progress | None = None) -> SyncRun:
    """Poll the Data API: daily model rankings, app rankings, the account's usage."""
    base = settings.OPENROUTER_BASE_URL
    if not datasets_enabled():
        return sync_run_skipped(
            SyncKind.STATS_DATASETS,
            source=DATA_API,
            reason="disabled: needs OPENROUTER_API_KEY (or STATS_DATASETS_ENABLED)",
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
            result.rows += ingest.rankings_upsert(ranked.records, by_key, result.errors)
            apps = sources.fetch_app_rankings(http, base, end - timedelta(days=6), end)
            result.rows += ingest.app_rankings_upsert(
                apps.records, end, timezone.now(), result.errors
            )
            result.errors += ranked.errors + apps.errors
            result.items = len(ranked.records) + len(apps.records)
            result.rows += _account_usage(http, base, result)
        finally:
            http.close()
        result.failed = len(result.errors)
        figures.usage_figures_refresh(timezone.now().date())
        return result

    return run_guarded(
        SyncKind.STATS_DATASETS, f"{base}/datasets/…", work, source=DATA_API
    )


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
    return ingest.account_usage_upsert(fetched.records, models, result.errors)
