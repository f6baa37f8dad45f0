"""Reads for the model page's stats sections: a fixed number of queries per page,
whatever the number of providers, days or samples."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel, SyncRun, SyncStatus
from stats.charts import Series, TokenDay
from stats.models import (
    AppUsage,
    EndpointRollup,
    EndpointSample,
    Period,
    TokenUsageDaily,
    UptimeHistory,
    UsageSource,
)
from stats.syncs import KINDS

TOKEN_DAYS = 90
HOURLY_SPAN = timedelta(hours=72)
PERF_SPAN = timedelta(days=7)
UPTIME_DAYS = 90
TOP_APPS = 10
ENDPOINTS_KIND = "endpoints"


@dataclass
class ProviderRow:
    """One provider of the model with its latest sample (None before the first)."""

    endpoint: Endpoint
    sample: EndpointSample | None


@dataclass
class Freshness:
    """The last run of a sync kind, and the last one that worked."""

    latest: SyncRun | None = None
    succeeded: SyncRun | None = None

    @property
    def failing(self) -> bool:
        return self.latest is not None and self.latest.status == SyncStatus.FAILED


@dataclass
class ModelStats:
    """Everything the stats sections of one model page show."""

    apps: list[AppUsage]
    apps_week: date | None
    token_days: list[TokenDay]
    token_source: str
    uptime: list[Series]
    uptime_overall: float | None
    latency: list[Series]
    throughput: list[Series]
    providers: list[ProviderRow]
    runs: dict[str, Freshness] = field(default_factory=dict)

    def run(self, kind: str) -> Freshness:
        return self.runs.get(kind, Freshness())


def endpoint_latest_samples(endpoint_ids: Iterable[int]) -> dict[int, EndpointSample]:
    """The newest sample of each endpoint, in one query (for the providers table)."""
    newest = (
        EndpointSample.objects.filter(endpoint_id=OuterRef("endpoint_id"))
        .order_by("-window_start")
        .values("window_start")[:1]
    )
    # Served by the (endpoint, window_start) unique index.
    samples = EndpointSample.objects.filter(
        endpoint_id__in=list(endpoint_ids), window_start=Subquery(newest)
    )
    return {s.endpoint_id: s for s in samples}


def sync_freshness(kinds: Iterable[str]) -> dict[str, Freshness]:
    """The latest and latest successful run of each kind, in one query."""

    def newest(runs) -> Subquery:
        return Subquery(
            runs.filter(kind=OuterRef("kind"))
            .order_by("-started_at", "-id")
            .values("pk")[:1]
        )

    # Served by syncrun-kind-time (kind, -started_at).
    attempted = SyncRun.objects.exclude(status=SyncStatus.SKIPPED)
    succeeded = SyncRun.objects.filter(status=SyncStatus.SUCCEEDED)
    runs = SyncRun.objects.filter(kind__in=list(kinds)).filter(
        Q(pk=newest(attempted)) | Q(pk=newest(succeeded))
    )
    found: dict[str, Freshness] = defaultdict(Freshness)
    for run in runs:
        fresh = found[run.kind]
        if fresh.latest is None or run.started_at > fresh.latest.started_at:
            fresh.latest = run
        if run.status == SyncStatus.SUCCEEDED:
            fresh.succeeded = run
    return dict(found)


def _token_days(model: LanguageModel, today: date) -> tuple[list[TokenDay], str]:
    rows = TokenUsageDaily.objects.filter(
        model=model, date__gte=today - timedelta(days=TOKEN_DAYS)
    ).order_by("date")
    by_source: dict[str, list[TokenDay]] = defaultdict(list)
    for r in rows:
        by_source[r.source].append(
            TokenDay(r.date, r.total, r.prompt, r.completion, r.reasoning, r.requests)
        )
    # The website splits prompt/completion/reasoning for every model; the rankings
    # dataset only has totals of the top 50.
    for source in (UsageSource.WEBSITE, UsageSource.RANKINGS):
        if by_source.get(source):
            return by_source[source], source
    return [], ""


def _apps(model: LanguageModel) -> tuple[list[AppUsage], date | None]:
    latest = (
        AppUsage.objects.filter(model=model)
        .order_by("-period_start")
        .values("period_start")[:1]
    )
    # Served by app-usage-model-week (model, -period_start, rank).
    apps = list(
        AppUsage.objects.filter(model=model, period_start=Subquery(latest))
        .select_related("app")
        .order_by("rank")[:TOP_APPS]
    )
    return apps, (apps[0].period_start if apps else None)


def _label(endpoint: Endpoint, names: dict[str, int]) -> str:
    name = endpoint.provider.name
    return f"{name} ({endpoint.tag})" if names[name] > 1 and endpoint.tag else name


def model_stats_get(model: LanguageModel, now: datetime | None = None) -> ModelStats:
    """The stats sections of one model page (7 queries, whatever the sizes)."""
    now = now or timezone.now()
    endpoints = list(
        Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        .select_related("provider")
        .order_by("provider__name", "key")
    )
    names: dict[str, int] = defaultdict(int)
    for e in endpoints:
        names[e.provider.name] += 1
    labels = {e.pk: _label(e, names) for e in endpoints}
    samples = endpoint_latest_samples(labels)
    rollups = _rollups(labels, now)
    uptime, overall = _uptime(model, endpoints, labels, rollups, now)
    token_days, token_source = _token_days(model, now.date())
    apps, week = _apps(model)
    hourly = {
        pk: [r for r in rs if r.period == Period.HOUR] for pk, rs in rollups.items()
    }
    return ModelStats(
        apps=apps,
        apps_week=week,
        token_days=token_days,
        token_source=token_source,
        uptime=uptime,
        uptime_overall=overall,
        latency=_perf(hourly, labels, "latency_p50_avg", now),
        throughput=_perf(hourly, labels, "throughput_p50_avg", now),
        providers=[ProviderRow(e, samples.get(e.pk)) for e in endpoints],
        runs=sync_freshness([*KINDS, ENDPOINTS_KIND]),
    )


def _rollups(labels: dict[int, str], now: datetime) -> dict[int, list[EndpointRollup]]:
    # Served by rollup-natural-key (endpoint, period, start).
    rows = (
        EndpointRollup.objects.filter(endpoint_id__in=list(labels))
        .filter(
            Q(period=Period.HOUR, start__gte=now - PERF_SPAN)
            | Q(period=Period.DAY, start__gte=now - timedelta(days=UPTIME_DAYS))
        )
        .order_by("start")
    )
    found: dict[int, list[EndpointRollup]] = defaultdict(list)
    for r in rows:
        found[r.endpoint_id].append(r)
    return found


def _uptime(
    model: LanguageModel,
    endpoints: list[Endpoint],
    labels: dict[int, str],
    rollups: dict[int, list[EndpointRollup]],
    now: datetime,
) -> tuple[list[Series], float | None]:
    """Overall + per provider: hourly for the last 72 h, daily before that."""
    cutoff = now - HOURLY_SPAN
    history: dict[str, list[tuple[datetime, float | None]]] = defaultdict(list)
    for h in UptimeHistory.objects.filter(model=model, hour__gte=cutoff).order_by(
        "hour"
    ):
        history[h.series].append((h.hour, h.uptime))
    series = []
    overall = history.pop("", [])
    if overall:
        series.append(Series("All providers", overall))
    for e in endpoints:
        mine = rollups.get(e.pk, [])
        daily = [
            (r.start, r.uptime_avg)
            for r in mine
            if r.period == Period.DAY and r.start < cutoff
        ]
        hourly = history.get(e.key) or [
            (r.start, r.uptime_avg) for r in mine if r.period == Period.HOUR and r.start >= cutoff
        ]  # fmt: skip
        if daily or hourly:
            series.append(Series(labels[e.pk], daily + hourly))
    values = [v for _, v in overall if v is not None]
    return series, (round(sum(values) / len(values), 2) if values else None)


def _perf(
    hourly: dict[int, list[EndpointRollup]],
    labels: dict[int, str],
    attribute: str,
    now: datetime,
) -> list[Series]:
    series = []
    for pk, label in labels.items():
        points = [(r.start, getattr(r, attribute)) for r in hourly.get(pk, [])]
        if any(v is not None for _, v in points):
            series.append(Series(label, points))
    return series
