"""Writes for stats: idempotent bulk upserts keyed on each table's natural key.

Every write here is an INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL), so
polling the same window, day or week twice overwrites rows instead of adding any.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db import DatabaseError, models, transaction
from django.db.models import Avg, Count, Min
from django.db.models.functions import Coalesce, TruncDay, TruncHour

from catalog.ingest import endpoint_keys
from catalog.ingest.batch import short_error
from catalog.ingest.rows import rows_upsert
from catalog.models import Endpoint, LanguageModel
from catalog.sources.base import ItemError
from catalog.sources.openrouter import EndpointRecord
from catalog.versions import data_version_bump
from stats.definitions import uptime_definition_at
from stats.models import (
    AccountUsageDaily,
    App,
    AppRanking,
    AppUsage,
    EndpointRollup,
    EndpointSample,
    ListedPriceHistory,
    PerformanceHistory,
    Period,
    TokenUsageDaily,
    UptimeHistory,
    UsageSource,
)
from stats.sources import (
    AccountActivity,
    ActivityDay,
    AppInfo,
    AppRankingRow,
    RankingDay,
    TopApp,
)

logger = logging.getLogger(__name__)
WINDOW = timedelta(minutes=5)  # upstream caches the rolling stats for 300 s


def _upsert(
    model: type[models.Model],
    rows: Sequence[models.Model],
    unique: list[str],
    errors: list[ItemError] | None = None,
) -> int:
    """Insert rows, or overwrite every other column where the natural key exists.

    When the database refuses the batch, each row is written in its own savepoint:
    the refused ones are reported in `errors` (by natural key), the rest stored.
    """
    if not rows:
        return 0
    update = [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in unique
    ]

    def write(some: Sequence[models.Model]) -> None:
        with transaction.atomic():
            rows_upsert(model, some, unique, update)

    try:
        write(rows)
        data_version_bump()
        return len(rows)
    except DatabaseError as exc:
        logger.warning("bulk upsert of %s refused (%s)", model.__name__, exc)
    stored = 0
    for row in rows:
        try:
            write([row])
            stored += 1
        except DatabaseError as exc:
            error = ItemError(row_label(row, unique), f"not stored: {short_error(exc)}")
            logger.warning("%s %s", error.item, error.error)
            if errors is not None:
                errors.append(error)
    if stored:
        data_version_bump()
    return stored


def row_label(row: models.Model, unique: list[str]) -> str:
    """A row named by its natural key, for item errors."""
    parts = []
    for name in unique:
        value = getattr(row, f"{name}_id", None) or getattr(row, name, None)
        parts.append(f"{name}={value}")
    return f"{type(row).__name__} " + " ".join(parts)


def window_start(at: datetime) -> datetime:
    """Floor a time to upstream's 5-minute cache window."""
    floored = at.replace(second=0, microsecond=0)
    return floored - timedelta(minutes=floored.minute % 5)


def stats_key(model: LanguageModel) -> tuple[str, str]:
    """(permaslug, variant) the website stats key on: canonical slug, else the id."""
    base = model.canonical_slug or model.slug.split(":", 1)[0]
    return base.split(":", 1)[0], model.variant or "standard"


def rankings_key(model: LanguageModel) -> str:
    """How the Data API names a model: permaslug, with ":variant" unless standard."""
    base, variant = stats_key(model)
    return base if variant == "standard" else f"{base}:{variant}"


# ---------------------------------------------------------------- samples


def _percentiles(values: dict[str, float | None] | None) -> list[float | None]:
    values = values or {}
    return [values.get(p) for p in ("p50", "p75", "p90", "p99")]


def sample_for(
    endpoint_id: int, record: EndpointRecord, now: datetime
) -> EndpointSample:
    """An EndpointSample from one endpoint record's rolling-window fields."""
    lat = _percentiles(record.latency_last_30m)
    thr = _percentiles(record.throughput_last_30m)
    return EndpointSample(
        endpoint_id=endpoint_id,
        window_start=window_start(now),
        polled_at=now,
        status=record.status,
        uptime_5m=record.uptime_last_5m,
        uptime_30m=record.uptime_last_30m,
        uptime_1d=record.uptime_last_1d,
        uptime_definition=uptime_definition_at(now),
        latency_p50=lat[0],
        latency_p75=lat[1],
        latency_p90=lat[2],
        latency_p99=lat[3],
        throughput_p50=thr[0],
        throughput_p75=thr[1],
        throughput_p90=thr[2],
        throughput_p99=thr[3],
    )


def samples_upsert(
    fetched: dict[str, list[EndpointRecord]], now: datetime
) -> list[EndpointSample]:
    """Snapshot every fetched endpoint's rolling stats; return the samples."""
    ids = {
        (slug, key): pk
        for pk, slug, key in Endpoint.objects.filter(
            model__slug__in=list(fetched)
        ).values_list("pk", "model__slug", "key")
    }
    samples = [
        sample_for(ids[(slug, key)], record, now)
        for slug, records in fetched.items()
        for key, record in endpoint_keys(records)
        if (slug, key) in ids
    ]
    with transaction.atomic():
        _upsert(EndpointSample, samples, ["endpoint", "window_start"])
    return samples


# ---------------------------------------------------------------- rollups


def period_floor(at: datetime, period: str) -> datetime:
    """The start of the hour or day holding `at`."""
    hour = at.replace(minute=0, second=0, microsecond=0)
    return hour if period == Period.HOUR else hour.replace(hour=0)


def rollup_build(
    period: str,
    since: datetime,
    until: datetime | None = None,
    endpoint_ids: Iterable[int] | None = None,
) -> int:
    """(Re)compute hourly or daily averages of samples from `since`'s period on."""
    trunc = TruncHour if period == Period.HOUR else TruncDay
    samples = EndpointSample.objects.filter(
        window_start__gte=period_floor(since, period)
    )
    if until is not None:
        samples = samples.filter(window_start__lt=until)
    if endpoint_ids is not None:
        samples = samples.filter(endpoint_id__in=list(endpoint_ids))
    uptime = Coalesce("uptime_30m", "uptime_5m")
    groups = (
        samples.annotate(bucket=trunc("window_start"))
        .values("endpoint_id", "bucket")
        .annotate(
            n=Count("pk"),
            uptime=Avg(uptime),
            uptime_low=Min(uptime),
            latency=Avg("latency_p50"),
            throughput=Avg("throughput_p50"),
        )
    )
    rows = [
        EndpointRollup(
            endpoint_id=g["endpoint_id"],
            period=period,
            start=g["bucket"],
            samples=g["n"],
            uptime_avg=g["uptime"],
            uptime_min=g["uptime_low"],
            # The cut-over is at midnight UTC: no hour or day holds both.
            uptime_definition=uptime_definition_at(g["bucket"]),
            latency_p50_avg=g["latency"],
            throughput_p50_avg=g["throughput"],
        )
        for g in groups
    ]
    with transaction.atomic():
        return _upsert(EndpointRollup, rows, ["endpoint", "period", "start"])


def samples_prune(older_than: datetime) -> int:
    """Delete raw samples older than `older_than`; their rollups stay."""
    deleted, _ = EndpointSample.objects.filter(window_start__lt=older_than).delete()
    return deleted


# ---------------------------------------------------------------- usage


def token_usage_upsert(
    model: LanguageModel,
    days: list[ActivityDay],
    errors: list[ItemError] | None = None,
) -> int:
    """Store a model's website tokens-per-day rows."""
    rows = [
        TokenUsageDaily(
            model=model,
            date=d.date,
            source=UsageSource.WEBSITE,
            prompt=d.prompt,
            completion=d.completion,
            reasoning=d.reasoning,
            # Reasoning tokens are part of completion upstream; not added twice.
            total=(d.prompt or 0) + (d.completion or 0),
            requests=d.requests,
        )
        for d in days
    ]
    return _upsert(TokenUsageDaily, rows, ["model", "date", "source"], errors)


def rankings_upsert(
    rows: list[RankingDay],
    models: dict[str, LanguageModel],
    errors: list[ItemError] | None = None,
) -> int:
    """Store the Data API's daily totals for the models we list ("other" skipped)."""
    usage = [
        TokenUsageDaily(
            model=models[r.permaslug],
            date=r.date,
            source=UsageSource.RANKINGS,
            total=r.tokens or 0,
        )
        for r in rows
        if r.permaslug in models
    ]
    with transaction.atomic():
        return _upsert(TokenUsageDaily, usage, ["model", "date", "source"], errors)


def account_usage_upsert(
    rows: list[AccountActivity],
    models: dict[str, LanguageModel],
    errors: list[ItemError] | None = None,
) -> int:
    """Store the account's own usage rows, linked to our models when known."""
    usage = [
        AccountUsageDaily(
            date=r.date,
            model_slug=r.model,
            model=models.get(r.model),
            endpoint_upstream_id=r.endpoint_id,
            provider_name=r.provider_name,
            requests=r.requests or 0,
            prompt=r.prompt_tokens or 0,
            completion=r.completion_tokens or 0,
            reasoning=r.reasoning_tokens or 0,
            usage_usd=r.usage,
        )
        for r in rows
    ]
    with transaction.atomic():
        return _upsert(
            AccountUsageDaily,
            usage,
            ["date", "model_slug", "endpoint_upstream_id"],
            errors,
        )


# ---------------------------------------------------------------- apps


def week_start(day: date) -> date:
    """Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def apps_upsert(
    apps: Iterable[AppInfo], now: datetime, errors: list[ItemError] | None = None
) -> dict[str, int]:
    """Create or refresh apps by upstream id; return their primary keys."""
    rows = {
        a.id: App(
            upstream_id=a.id,
            title=a.title or a.slug or a.id,
            slug=a.slug,
            description=a.description,
            main_url=a.main_url if a.main_url.startswith("http") else "",
            origin_url=a.origin_url if a.origin_url.startswith("http") else "",
            source_code_url=a.source_code_url
            if a.source_code_url.startswith("http")
            else "",
            categories=[str(c)[:60] for c in a.categories][:20],
            updated_at=now,
        )
        for a in apps
    }
    _upsert(App, list(rows.values()), ["upstream_id"], errors)
    return dict(
        App.objects.filter(upstream_id__in=list(rows)).values_list("upstream_id", "pk")
    )


def app_usage_replace(
    model: LanguageModel,
    top: list[TopApp],
    now: datetime,
    errors: list[ItemError] | None = None,
) -> int:
    """Make a model's ranking for this week exactly what upstream listed."""
    period = week_start(now.date())
    with transaction.atomic():
        ids = apps_upsert([t.app for t in top], now, errors)
        rows = [
            AppUsage(
                app_id=ids[t.app.id],
                model=model,
                period="week",
                period_start=period,
                rank=t.rank,
                tokens=t.tokens or 0,
                requests=t.requests,
            )
            for t in top
            if t.app.id in ids
        ]
        # An app that fell out of the top this week must not keep its old rank.
        dropped, _ = (
            AppUsage.objects.filter(model=model, period_start=period)
            .exclude(app_id__in=[r.app_id for r in rows])
            .delete()
        )
        if dropped:
            data_version_bump()
        return _upsert(AppUsage, rows, ["app", "model", "period_start"], errors)


def app_rankings_upsert(
    rows: list[AppRankingRow],
    day: date,
    now: datetime,
    errors: list[ItemError] | None = None,
) -> int:
    """Store the global app leaderboard as of `day` (apps created by id and name)."""
    infos = [AppInfo(id=r.app_id, title=r.app_name) for r in rows]
    known = dict(
        App.objects.filter(upstream_id__in=[i.id for i in infos]).values_list(
            "upstream_id", "pk"
        )
    )
    with transaction.atomic():
        # Never overwrite a richer app row (from the website) with a bare name.
        ids = known | apps_upsert([i for i in infos if i.id not in known], now, errors)
        ranking = [
            AppRanking(
                app_id=ids[r.app_id],
                date=day,
                rank=r.rank,
                tokens=r.tokens or 0,
                requests=r.requests,
            )
            for r in rows
            if r.app_id in ids
        ]
        return _upsert(AppRanking, ranking, ["app", "date"], errors)


# ---------------------------------------------------------------- uptime


def uptime_upsert(
    rows: list[UptimeHistory], errors: list[ItemError] | None = None
) -> int:
    """Store backfilled hourly uptime (the same hour re-polled overwrites)."""
    for row in rows:
        row.uptime_definition = uptime_definition_at(row.hour)
    with transaction.atomic():
        return _upsert(UptimeHistory, rows, ["model", "series", "hour"], errors)


def performance_history_upsert(
    rows: list[PerformanceHistory], errors: list[ItemError] | None = None
) -> int:
    """Store upstream's hourly latency and throughput (an hour re-polled
    overwrites: upstream's last three days move with every poll)."""
    with transaction.atomic():
        return _upsert(PerformanceHistory, rows, ["endpoint", "hour"], errors)


def listed_prices_replace(
    endpoint_ids: Iterable[int],
    rows: list[ListedPriceHistory],
    errors: list[ItemError] | None = None,
) -> int:
    """Make these endpoints' listed-price logs what upstream has now: a change
    upstream no longer lists is not kept."""
    with transaction.atomic():
        kept = {(r.endpoint_id, r.at) for r in rows}
        stale = [
            pk
            for pk, endpoint_id, at in ListedPriceHistory.objects.filter(
                endpoint_id__in=list(endpoint_ids)
            ).values_list("pk", "endpoint_id", "at")
            if (endpoint_id, at) not in kept
        ]
        if stale:
            ListedPriceHistory.objects.filter(pk__in=stale).delete()
            data_version_bump()
        return _upsert(ListedPriceHistory, rows, ["endpoint", "at"], errors)
