"""One sync per stats kind: lock -> source -> ingest -> SyncRun.

The Celery tasks and `manage.py sync stats` both call these. Each kind is its own
SyncRun and failure domain: a broken website endpoint fails only its own run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
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
from stats.models import ListedPriceHistory, PerformanceHistory, UptimeHistory

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


WEBSITE_KINDS = (
    SyncKind.STATS_ACTIVITY,
    SyncKind.STATS_APPS,
    SyncKind.STATS_UPTIME,
    SyncKind.STATS_HISTORY,
)


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
        # Tokens this week with the rankings: one window for both (week_window).
        figures.usage_figures_refresh(now.date())
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


WebsiteFetch = Callable[[HttpClient, str, LanguageModel, list[Endpoint]], Any]


def _website_sync(
    kind: str,
    what: str,
    fetch: WebsiteFetch,
    store: Callable[[LanguageModel, Any, list[ItemError]], int],
    progress: Progress | None,
) -> SyncRun:
    """A per-model read of upstream's website for every listed model, given the
    listed endpoints of each (skipped when the website source is switched off)."""
    site = settings.OPENROUTER_SITE_URL
    if not website_enabled():
        return sync_run_skipped(
            kind, source=WEBSITE, reason="disabled by STATS_WEBSITE_ENABLED"
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
                lambda m: fetch(http, site, m, endpoints.get(m.pk, [])),
                store,
                progress,
            )
        finally:
            http.close()

    return run_guarded(kind, f"{site}/api/frontend/…/{what}", work, source=WEBSITE)


def sync_uptime(progress: Progress | None = None) -> SyncRun:
    """Backfill each listed model's hourly uptime (~72 h) from the website."""
    return _website_sync(
        SyncKind.STATS_UPTIME,
        "uptime",
        _uptime_for,
        lambda m, fetched, errors: ingest.uptime_upsert(fetched.rows, errors),
        progress,
    )


@dataclass
class HistoryFetched:
    """One model's history from upstream's model page, ready to store."""

    performance: list[PerformanceHistory]
    prices: list[ListedPriceHistory]
    endpoint_ids: list[int]
    errors: list[ItemError]


class _Endpoints:
    """A model's listed endpoints found by the website's ids: the id the endpoints
    API gave (`upstream_id`), else the tag the website names it by."""

    def __init__(self, endpoints: list[Endpoint]):
        self.by_id = {e.upstream_id: e for e in endpoints if e.upstream_id}
        self.by_tag = {e.tag: e for e in endpoints if e.tag}

    def named(self, listed: list[sources.WebsiteEndpoint]) -> None:
        for w in listed:
            if w.id not in self.by_id and w.provider_slug in self.by_tag:
                self.by_id[w.id] = self.by_tag[w.provider_slug]

    def get(self, endpoint_id: str, tag: str = "") -> Endpoint | None:
        return self.by_id.get(endpoint_id) or (self.by_tag.get(tag) if tag else None)


def _history_for(
    http: HttpClient, site: str, model: LanguageModel, endpoints: list[Endpoint]
) -> HistoryFetched:
    """A model's latency, throughput and listed prices per endpoint, as upstream's
    model page has them. Each of its four requests is its own item: one that
    fails is reported and the others are stored; all four failing fail the model."""
    permaslug, variant = ingest.stats_key(model)
    ours, errors, failures = _Endpoints(endpoints), [], []
    parts: dict[str, Any] = {}
    calls: dict[str, Callable[[], Any]] = {
        "endpoints": lambda: sources.fetch_website_endpoints(
            http, site, permaslug, variant
        ),
        **{
            metric: partial(
                sources.fetch_performance, http, site, permaslug, variant, metric
            )
            for metric in sources.PERFORMANCE
        },
        "prices": lambda: sources.fetch_listed_prices(http, site, permaslug, variant),
    }
    for name, call in calls.items():
        try:
            parts[name] = fetched = call()
        except SourceError as exc:
            failures.append(exc)
            errors.append(ItemError(name, str(exc)))
            continue
        errors += [ItemError(f"{name} {e.item}", e.error) for e in fetched.errors]
    if len(failures) == len(calls):
        raise failures[0]
    if "endpoints" in parts:
        ours.named(parts["endpoints"].records)
    performance = _performance_rows(ours, parts)
    prices = _price_rows(ours, parts["prices"].records) if "prices" in parts else []
    return HistoryFetched(performance, prices, [e.pk for e in endpoints], errors)


def _performance_rows(
    ours: _Endpoints, parts: dict[str, Any]
) -> list[PerformanceHistory]:
    """One row per endpoint and hour, latency and throughput side by side."""
    rows: dict[tuple[int, datetime], PerformanceHistory] = {}
    for metric in sources.PERFORMANCE:
        if metric not in parts:
            continue
        by_endpoint = sources.performance_by_endpoint(parts[metric].records)
        for endpoint_id, points in by_endpoint.items():
            endpoint = ours.get(endpoint_id)
            if endpoint is None:
                continue  # an endpoint the board does not list
            for hour, value in points:
                row = rows.setdefault(
                    (endpoint.pk, hour),
                    PerformanceHistory(endpoint=endpoint, hour=hour),
                )
                setattr(row, f"{metric}_p50", value)
    return list(rows.values())


def _price_rows(
    ours: _Endpoints, listed: list[sources.ListedPrices]
) -> list[ListedPriceHistory]:
    """Each endpoint's prices from each change on: a price that did not change at
    that moment keeps its value from before (None before its first listing)."""
    rows: dict[tuple[int, datetime], ListedPriceHistory] = {}
    for series in listed:
        endpoint = ours.get(series.endpoint_id, series.provider_slug)
        if endpoint is None:
            continue
        changes: dict[datetime, dict[str, Decimal | None]] = {}
        for key, points in (("prompt", series.input), ("completion", series.output)):
            for point in points:
                changes.setdefault(point.at, {})[key] = point.value
        current: dict[str, Decimal | None] = {"prompt": None, "completion": None}
        for at in sorted(changes):
            current |= changes[at]
            # Two series of one endpoint (found by its tag twice): the last wins.
            rows[endpoint.pk, at] = ListedPriceHistory(
                endpoint=endpoint, at=at, **current
            )
    return list(rows.values())


def _history_store(
    model: LanguageModel, fetched: HistoryFetched, errors: list[ItemError]
) -> int:
    stored = ingest.performance_history_upsert(fetched.performance, errors)
    if fetched.prices or not any(e.item == "prices" for e in fetched.errors):
        # A price log that could not be read leaves the one stored as it was.
        stored += ingest.listed_prices_replace(
            fetched.endpoint_ids, fetched.prices, errors
        )
    return stored


def sync_history(progress: Progress | None = None) -> SyncRun:
    """Backfill each listed model's hourly latency and throughput (last 3 days)
    and its listed-price changes per provider from upstream's model page, so a
    fresh board draws them at once; kept apart from the board's own samples."""
    return _website_sync(
        SyncKind.STATS_HISTORY,
        "stats (performance, listed prices)",
        _history_for,
        _history_store,
        progress,
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
