"""Reads of the stats tables: a model page's stats sections, rankings, compare
series and the list's stats sorts. A fixed number of queries per call, whatever the
number of providers, days or samples.

The series types here (TokenDay, Series) are what front/charts.py draws.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel
from catalog.reads.history import PricePoint
from catalog.reads.selectors import LIST_COLUMNS, models_visible
from stats.models import (
    AppUsage,
    EndpointRollup,
    EndpointSample,
    ListedPriceHistory,
    PerformanceHistory,
    Period,
    TokenUsageDaily,
    TopApp,
    TopModel,
    UptimeHistory,
    UsageSource,
)

TOKEN_DAYS = 90
HOURLY_SPAN = timedelta(hours=72)
# How a series backfilled from upstream's model page is named beside the board's
# own: "Lambda (from upstream's history)".
UPSTREAM = "from upstream's history"
PERF_SPAN = timedelta(days=7)
UPTIME_DAYS = 90
TOP_APPS = 10


@dataclass(frozen=True)
class TokenDay:
    """One day of a model's tokens (prompt/completion/reasoning None if unknown)."""

    date: date
    total: int
    prompt: int | None = None
    completion: int | None = None
    reasoning: int | None = None
    requests: int | None = None


@dataclass(frozen=True)
class Series:
    """One line: a provider (or "All providers") and its (time, value) points."""

    name: str
    points: Sequence[tuple[datetime, float | None]]


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


def provider_label(endpoint: Endpoint, repeats: dict[str, int]) -> str:
    """A provider's name, with the endpoint's tag when the provider has several."""
    name = endpoint.provider.name
    return f"{name} ({endpoint.tag})" if repeats[name] > 1 and endpoint.tag else name


def provider_labels(endpoints: Sequence[Endpoint]) -> dict[int, str]:
    """Each endpoint's line label, by endpoint id."""
    repeats: dict[str, int] = defaultdict(int)
    for e in endpoints:
        repeats[e.provider.name] += 1
    return {e.pk: provider_label(e, repeats) for e in endpoints}


@dataclass
class ModelSeries:
    """What a model page's stats charts draw (read only when they are drawn)."""

    token_days: list[TokenDay]
    token_source: str
    uptime: list[Series]
    uptime_overall: float | None
    latency: list[Series]
    throughput: list[Series]


def model_series_get(
    model: LanguageModel, endpoints: Sequence[Endpoint], now: datetime | None = None
) -> ModelSeries:
    """The series behind a model page's charts: rollups, uptime history, tokens
    per day and upstream's performance history, read as values (4 queries).
    Upstream's history is a line of its own per provider, beside the board's."""
    now = now or timezone.now()
    endpoints = sorted(endpoints, key=lambda e: (e.provider.name, e.key))
    labels = provider_labels(endpoints)
    rollups = _rollups(labels, now)
    uptime, overall = _uptime(model, endpoints, labels, rollups, now)
    token_days, token_source = _token_days(model, now.date())
    hourly = {pk: [r for r in rs if r[0] == Period.HOUR] for pk, rs in rollups.items()}
    upstream = _performance_history(labels, now)
    return ModelSeries(
        token_days=token_days,
        token_source=token_source,
        uptime=uptime,
        uptime_overall=overall,
        latency=_perf(hourly, labels, 3) + _upstream_perf(upstream, labels, 1),
        throughput=_perf(hourly, labels, 4) + _upstream_perf(upstream, labels, 2),
    )


# (hour, latency_p50, throughput_p50)
HistoryHour = tuple[datetime, float | None, float | None]


def _performance_history(
    labels: dict[int, str], now: datetime
) -> dict[int, list[HistoryHour]]:
    # Served by performance-history-natural-key (endpoint, hour).
    rows = (
        PerformanceHistory.objects.filter(
            endpoint_id__in=list(labels), hour__gte=now - PERF_SPAN
        )
        .order_by("hour")
        .values_list("endpoint_id", "hour", "latency_p50", "throughput_p50")
    )
    found: dict[int, list[HistoryHour]] = defaultdict(list)
    for endpoint_id, *hour in rows:
        found[endpoint_id].append(tuple(hour))  # type: ignore[arg-type]
    return found


def _upstream_perf(
    history: dict[int, list[HistoryHour]], labels: dict[int, str], index: int
) -> list[Series]:
    series = []
    for pk, label in labels.items():
        points = [(h[0], h[1] if index == 1 else h[2]) for h in history.get(pk, [])]
        if any(v is not None for _, v in points):
            series.append(Series(f"{label} ({UPSTREAM})", points))
    return series


def listed_price_points(
    endpoints: Sequence[Endpoint], now: datetime | None = None
) -> list[PricePoint]:
    """Upstream's listed-price log of each endpoint as price-history points, a
    series per provider named as upstream's, each held to `now` (1 query)."""
    now = now or timezone.now()
    labels = provider_labels(endpoints)
    # Served by listed-price-history-natural-key (endpoint, at).
    rows = (
        ListedPriceHistory.objects.filter(endpoint_id__in=list(labels))
        .order_by("endpoint_id", "at")
        .values_list("endpoint_id", "at", "prompt", "completion")
    )
    points: list[PricePoint] = []
    last: PricePoint | None = None
    for endpoint_id, at, prompt, completion in rows:
        name = f"{labels[endpoint_id]} ({UPSTREAM})"
        if last is not None and last.series != name:
            points.append(PricePoint(last.series, now, last.prompt, last.completion))
        last = PricePoint(name, at, prompt, completion)
        points.append(last)
    if last is not None:
        points.append(PricePoint(last.series, now, last.prompt, last.completion))
    return points


# "This week": the last 7 complete days (stats.figures.week_window), as
# (first, last) day.
Window = tuple[date, date]


def days_to(end: date) -> Window:
    """The 7 days that end on `end`."""
    return end - timedelta(days=6), end


def model_apps_get(model: LanguageModel) -> tuple[list[AppUsage], Window | None]:
    """A model's top apps as last polled, and the 7 days they count (1 query): the
    7 complete days before the poll (the apps' last update)."""
    apps, _ = _apps(model)
    if not apps:
        return apps, None
    polled = max(a.app.updated_at for a in apps)
    return apps, days_to(polled.date() - timedelta(days=1))


def tokens_week_window() -> Window | None:
    """The days "tokens this week" counts, as the figures were last built with
    the rankings (1 query)."""
    end = TopModel.objects.values_list("week_end", flat=True).first()
    return None if end is None else days_to(end)


def _token_days(model: LanguageModel, today: date) -> tuple[list[TokenDay], str]:
    rows = (
        TokenUsageDaily.objects.filter(
            model=model, date__gte=today - timedelta(days=TOKEN_DAYS)
        )
        .order_by("date")
        .values_list(
            "source", "date", "total", "prompt", "completion", "reasoning", "requests"
        )
    )
    by_source: dict[str, list[TokenDay]] = defaultdict(list)
    for source, day, total, prompt, completion, reasoning, requests in rows:
        by_source[source].append(
            TokenDay(day, total, prompt, completion, reasoning, requests)
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


# (period, start, uptime_avg, latency_p50_avg, throughput_p50_avg)
Rollup = tuple[str, datetime, float | None, float | None, float | None]


def _value(rollup: Rollup, index: int) -> float | None:
    value = rollup[index]
    return value if isinstance(value, float | int) else None


def _rollups(labels: dict[int, str], now: datetime) -> dict[int, list[Rollup]]:
    # Served by rollup-natural-key (endpoint, period, start). Read as tuples: the
    # charts drawn from them are cached, so model instances would be wasted work.
    rows = (
        EndpointRollup.objects.filter(endpoint_id__in=list(labels))
        .filter(
            Q(period=Period.HOUR, start__gte=now - PERF_SPAN)
            | Q(period=Period.DAY, start__gte=now - timedelta(days=UPTIME_DAYS))
        )
        .order_by("start")
        .values_list(
            "endpoint_id",
            "period",
            "start",
            "uptime_avg",
            "latency_p50_avg",
            "throughput_p50_avg",
        )
    )
    found: dict[int, list[Rollup]] = defaultdict(list)
    for endpoint_id, *rollup in rows:
        found[endpoint_id].append(tuple(rollup))  # type: ignore[arg-type]
    return found


def _uptime(
    model: LanguageModel,
    endpoints: Sequence[Endpoint],
    labels: dict[int, str],
    rollups: dict[int, list[Rollup]],
    now: datetime,
) -> tuple[list[Series], float | None]:
    """Overall + per provider: hourly for the last 72 h, daily before that."""
    cutoff = now - HOURLY_SPAN
    history: dict[str, list[tuple[datetime, float | None]]] = defaultdict(list)
    rows = UptimeHistory.objects.filter(model=model, hour__gte=cutoff).order_by("hour")
    for series, hour, uptime in rows.values_list("series", "hour", "uptime"):
        history[series].append((hour, uptime))
    result = []
    overall = history.pop("", [])
    if overall:
        result.append(Series("All providers", overall))
    for e in endpoints:
        mine = rollups.get(e.pk, [])
        daily = [(r[1], r[2]) for r in mine if r[0] == Period.DAY and r[1] < cutoff]
        hourly = history.get(e.key) or [
            (r[1], r[2]) for r in mine if r[0] == Period.HOUR and r[1] >= cutoff
        ]
        if daily or hourly:
            result.append(Series(labels[e.pk], daily + hourly))
    values = [v for _, v in overall if v is not None]
    return result, (round(sum(values) / len(values), 2) if values else None)


def _perf(
    hourly: dict[int, list[Rollup]], labels: dict[int, str], index: int
) -> list[Series]:
    series = []
    for pk, label in labels.items():
        points = [(r[1], _value(r, index)) for r in hourly.get(pk, [])]
        if any(v is not None for _, v in points):
            series.append(Series(label, points))
    return series


# --- the catalogue list's stats sorts ------------------------------------------------

STATS_SORTS = ("tokens_week", "throughput", "latency")
# The current figures stats keeps on each model (stats/figures.py); each order has
# its index (catalog.models.LIST_ORDERS), so a sorted page is an index scan.
STATS_ORDERS = {
    "tokens_week": F("tokens_week").desc(nulls_last=True),
    "throughput": F("throughput_p50").desc(nulls_last=True),
    "latency": F("latency_p50").asc(nulls_last=True),
}


def models_sorted_by_stats(
    models: QuerySet[LanguageModel], sort: str
) -> QuerySet[LanguageModel]:
    """`models` ordered by a stats figure (STATS_SORTS), unknown figures last."""
    return models.order_by(STATS_ORDERS[sort], "slug")


# --- rankings ------------------------------------------------------------------------


@dataclass
class RankedModel:
    model: LanguageModel
    tokens: int
    previous: int | None

    @property
    def change(self) -> float | None:
        """Week-over-week change in percent (None without a previous week); a
        change that rounds to nothing is 0.0, never -0.0."""
        if not self.previous:
            return None
        return round((self.tokens - self.previous) * 100 / self.previous, 1) + 0.0


@dataclass
class Rankings:
    week_end: date | None
    models: list[RankedModel] = field(default_factory=list)
    apps: list[Any] = field(default_factory=list)
    apps_date: date | None = None

    @property
    def week(self) -> Window | None:
        return days_to(self.week_end) if self.week_end else None

    @property
    def apps_week(self) -> Window | None:
        return days_to(self.apps_date) if self.apps_date else None


def rankings_get(limit: int = 20) -> Rankings:
    """Top models by tokens in the latest 7 days of data, and top apps, as built by
    stats.figures.rankings_build (2 queries)."""
    # Hidden models are not ranked (the rankings show what the public sees); one
    # hidden since the last build is left out here.
    top = list(
        TopModel.objects.filter(model__in=models_visible())
        .select_related("model")
        .only("rank", "tokens", "previous", "week_end", *_model_columns())
        .order_by("rank")[:limit]
    )
    result = Rankings(week_end=top[0].week_end if top else None)
    result.models = [RankedModel(t.model, t.tokens, t.previous) for t in top]
    apps = list(TopApp.objects.select_related("app").order_by("rank")[:limit])
    result.apps = [(t.app, t.tokens) for t in apps]
    result.apps_date = apps[0].as_of if apps else None
    return result


def _model_columns() -> list[str]:
    return [f"model__{name}" for name in LIST_COLUMNS]


# --- compare -------------------------------------------------------------------------


@dataclass
class CompareSeries:
    tokens: dict[str, list[tuple[date, int]]]
    uptime: dict[str, list[tuple[datetime, float | None]]]


def compare_series(models: list[LanguageModel], days: int = 90) -> CompareSeries:
    """Tokens per day and all-provider uptime of each model (two queries)."""
    since = timezone.now() - timedelta(days=days)
    names = {m.pk: m.name for m in models}
    by_source: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
    # Served by usage-natural-key (model, date, source).
    rows = TokenUsageDaily.objects.filter(
        model_id__in=list(names), date__gte=since.date()
    ).order_by("date")
    for model_id, source, day, total in rows.values_list(
        "model_id", "source", "date", "total"
    ):
        by_source[(model_id, source)].append((day, total))
    tokens = {}
    for pk, name in names.items():
        tokens[name] = by_source.get((pk, "website")) or by_source.get(
            (pk, "rankings"), []
        )
    uptime: dict[str, list[tuple[datetime, float | None]]] = {
        n: [] for n in names.values()
    }
    # Served by uptime-natural-key (model, series, hour).
    history = UptimeHistory.objects.filter(
        model_id__in=list(names), series="", hour__gte=since
    ).order_by("hour")
    for model_id, hour, value in history.values_list("model_id", "hour", "uptime"):
        uptime[names[model_id]].append((hour, value))
    return CompareSeries(tokens, uptime)
