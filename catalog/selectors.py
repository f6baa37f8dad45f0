"""Reads for pages and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import (
    Author,
    CatalogEvent,
    Endpoint,
    EventKind,
    FieldOverride,
    LanguageModel,
    Provider,
    SyncRun,
    SyncStatus,
)

# stats reads: the brief for these pages asks for tokens, latency and throughput; the
# design's "stats may import catalog, never the reverse" is bent here, in read-only
# selectors, and nowhere else in catalog.
from stats.models import (
    App,
    AppRanking,
    AppUsage,
    EndpointSample,
    TokenUsageDaily,
    UptimeHistory,
)
from stats.selectors import endpoint_latest_samples

LIST_COLUMNS = (
    "slug",
    "featured",
    "origin",
    "name",
    "author_id",
    "context_length",
    "price_prompt",
    "price_completion",
    "is_variable_price",
    "input_modalities",
    "output_modalities",
    "created",
    "delisted_at",
)
# Latency/throughput sorts read samples of the last day: older ones say little.
PERF_WINDOW = timedelta(days=1)
WEEK = timedelta(days=7)


def _tokens_week(today: date) -> Coalesce:
    def source_total(source: str) -> Subquery:
        # Served by usage-natural-key (model, date, source).
        return Subquery(
            TokenUsageDaily.objects.filter(
                model=OuterRef("pk"),
                source=source,
                date__gt=today - WEEK,
                date__lte=today,
            )
            .values("model")
            .annotate(total=Sum("total"))
            .values("total")[:1]
        )

    # Both sources count the same tokens: prefer the per-model website series.
    return Coalesce(source_total("website"), source_total("rankings"))


def _perf(attribute: str, best: type[Max] | type[Min], now: datetime) -> Subquery:
    # Served by sample-endpoint-window (endpoint, window_start).
    return Subquery(
        EndpointSample.objects.filter(
            endpoint__model=OuterRef("pk"),
            endpoint__delisted_at__isnull=True,
            window_start__gte=now - PERF_WINDOW,
            **{f"{attribute}__isnull": False},
        )
        .values("endpoint__model")
        .annotate(best=best(attribute))
        .values("best")[:1]
    )


def _sorted(models: QuerySet[LanguageModel], sort: str) -> QuerySet[LanguageModel]:
    now = timezone.now()
    if sort == "price_asc":
        return models.order_by(
            F("price_prompt").asc(nulls_last=True),
            F("price_completion").asc(nulls_last=True),
            "slug",
        )
    if sort == "price_desc":
        return models.order_by(
            F("price_prompt").desc(nulls_last=True),
            F("price_completion").desc(nulls_last=True),
            "slug",
        )
    if sort == "context":
        return models.order_by(F("context_length").desc(nulls_last=True), "slug")
    if sort == "tokens_week":
        models = models.annotate(tokens_week=_tokens_week(now.date()))
        return models.order_by(F("tokens_week").desc(nulls_last=True), "slug")
    if sort == "throughput":
        models = models.annotate(throughput=_perf("throughput_p50", Max, now))
        return models.order_by(F("throughput").desc(nulls_last=True), "slug")
    if sort == "latency":
        models = models.annotate(latency=_perf("latency_p50", Min, now))
        return models.order_by(F("latency").asc(nulls_last=True), "slug")
    return models.order_by(F("created").desc(nulls_last=True), "slug")


def model_list(
    *,
    q: str = "",
    include_delisted: bool = False,
    input_modality: str = "",
    output_modality: str = "",
    min_context: int | None = None,
    max_price: Decimal | None = None,
    max_output_price: Decimal | None = None,
    provider: str = "",
    author: str = "",
    parameter: str = "",
    free: bool = False,
    sort: str = "newest",
) -> QuerySet[LanguageModel]:
    """Models for the catalogue list and its exports, filtered and sorted."""
    # Hidden models are off the list (their page is for staff only).
    models = LanguageModel.objects.filter(hidden=False)
    if not include_delisted:
        models = models.filter(delisted_at__isnull=True)
    if q:
        models = models.filter(
            Q(name__icontains=q) | Q(slug__icontains=q) | Q(description__icontains=q)
        )
    # JSON lists are matched as text ('"image"' inside '["text", "image"]'): the
    # `contains` lookup is not available on SQLite, and the quotes keep it exact.
    if input_modality:
        models = models.filter(input_modalities__icontains=f'"{input_modality}"')
    if output_modality:
        models = models.filter(output_modalities__icontains=f'"{output_modality}"')
    if parameter:
        models = models.filter(supported_parameters__icontains=f'"{parameter}"')
    if min_context is not None:
        models = models.filter(context_length__gte=min_context)
    if max_price is not None:
        models = models.filter(price_prompt__lte=max_price)
    if max_output_price is not None:
        models = models.filter(price_completion__lte=max_output_price)
    if free:
        models = models.filter(price_prompt=0, price_completion=0)
    if author:
        models = models.filter(author__slug=author)
    if provider:
        serves = Endpoint.objects.filter(
            model=OuterRef("pk"), provider__slug=provider, delisted_at__isnull=True
        )
        models = models.filter(Exists(serves))
    ordered = _sorted(models.only(*LIST_COLUMNS), sort)
    # Editors' featured models are pinned first, whatever the sort.
    return ordered.order_by(F("featured").desc(), *ordered.query.order_by)


def list_choices() -> dict[str, list[tuple[str, str]]]:
    """Providers and authors for the filter form's selects (two queries)."""
    providers = Provider.objects.filter(delisted_at__isnull=True).values_list(
        "slug", "name"
    )
    authors = Author.objects.annotate(
        n=Count("models", filter=Q(models__delisted_at__isnull=True))
    ).filter(n__gt=0)
    return {
        "providers": sorted(providers, key=lambda p: p[1].lower()),
        "authors": [(a.slug, a.slug) for a in authors.order_by("slug")],
    }


def model_get(slug: str) -> LanguageModel | None:
    """One model with its listed endpoints and their providers, or None."""
    overrides = FieldOverride.objects.select_related("author")
    endpoints = (
        Endpoint.objects.filter(delisted_at__isnull=True)
        .select_related("provider")
        .prefetch_related(Prefetch("overrides", queryset=overrides))
        .order_by("price_prompt", "provider_name")
    )
    return (
        LanguageModel.objects.select_related("author")
        .prefetch_related(
            Prefetch("endpoints", queryset=endpoints, to_attr="listed"),
            Prefetch("overrides", queryset=overrides),
        )
        .filter(slug=slug)
        .first()
    )


def model_variants(model: LanguageModel) -> QuerySet[LanguageModel]:
    """Other variants of the same model (`x`, `x:free`, `x:thinking`)."""
    base = model.slug.split(":", 1)[0]
    return (
        LanguageModel.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}:"))
        .exclude(pk=model.pk)
        .only("slug", "name")
        .order_by("slug")
    )


def last_success(kind: str) -> SyncRun | None:
    """The latest successful run of a sync kind (for "data as of" notes)."""
    return (
        SyncRun.objects.filter(kind=kind, status=SyncStatus.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )


# --- the model page's providers table ------------------------------------------------


@dataclass
class ProviderOffer:
    """One endpoint of a model with its latest stats sample and badges."""

    endpoint: Endpoint
    latency: float | None = None
    throughput: float | None = None
    uptime: float | None = None
    cheapest: bool = False
    fastest: bool = False

    @property
    def price_total(self) -> Decimal | None:
        e = self.endpoint
        if e.is_variable_price or e.price_prompt is None:
            return None
        return e.price_prompt + (e.price_completion or 0)


def provider_offers(endpoints: list[Endpoint]) -> list[ProviderOffer]:
    """Endpoints with their latest latency/throughput/uptime (one query)."""
    samples = endpoint_latest_samples(e.pk for e in endpoints)
    offers = []
    for e in endpoints:
        s = samples.get(e.pk)
        offers.append(
            ProviderOffer(
                e,
                latency=s.latency_p50 if s else None,
                throughput=s.throughput_p50 if s else None,
                uptime=(s.uptime_1d if s.uptime_1d is not None else s.uptime_30m)
                if s
                else None,
            )
        )
    priced = [o for o in offers if o.price_total is not None]
    if len(offers) > 1 and priced:
        low = min(o.price_total for o in priced)
        for o in priced:
            o.cheapest = o.price_total == low
    timed = [o for o in offers if o.throughput is not None]
    if len(offers) > 1 and timed:
        max(timed, key=lambda o: o.throughput).fastest = True
    return offers


# --- price history ---------------------------------------------------------------------

MILLION = Decimal(1_000_000)
MODEL_SERIES = "Model price"


@dataclass(frozen=True)
class PricePoint:
    """The price of one series from `at` on (until the next point)."""

    series: str
    at: datetime
    prompt: Decimal | None
    completion: Decimal | None
    current: bool = False


def _per_million(prices: Any, key: str) -> Decimal | None:
    # Events keep upstream's raw per-token strings; "-1" is variable, not a price.
    if not isinstance(prices, dict) or prices.get(key) in (None, ""):
        return None
    try:
        value = Decimal(str(prices[key]))
    except ArithmeticError:
        return None
    return None if value < 0 else (value * MILLION).normalize()


def _series_points(
    name: str,
    since: datetime,
    events: list[CatalogEvent],
    now_prices: tuple,
    now: datetime,
) -> list[PricePoint]:
    points: list[PricePoint] = []
    if events:
        first = events[0].before
        points.append(
            PricePoint(
                name,
                since,
                _per_million(first, "prompt"),
                _per_million(first, "completion"),
            )
        )
    for ev in events:
        points.append(
            PricePoint(
                name,
                ev.observed_at,
                _per_million(ev.after, "prompt"),
                _per_million(ev.after, "completion"),
            )
        )
    if not events:
        points.append(PricePoint(name, since, *now_prices))
    points.append(PricePoint(name, now, *now_prices, current=True))
    return points


def price_history_points(
    model: LanguageModel, endpoints: list[Endpoint] | None = None
) -> list[PricePoint]:
    """Input/output $/M per series (the model, then each provider) over time.

    Each series starts at the first sighting with the price before its first change,
    steps at every price event and ends with today's price (marked `current`).
    """
    now = timezone.now()
    events = list(
        CatalogEvent.objects.filter(
            model=model, kind__in=[EventKind.PRICE, EventKind.ENDPOINT_PRICE]
        )
        .select_related("endpoint__provider")
        .order_by("observed_at", "id")
    )
    by_endpoint: dict[int, list[CatalogEvent]] = defaultdict(list)
    model_events = []
    for ev in events:
        if ev.kind == EventKind.PRICE:
            model_events.append(ev)
        elif ev.endpoint is not None:
            by_endpoint[ev.endpoint_id].append(ev)
    points = _series_points(
        MODEL_SERIES,
        model.first_seen_at,
        model_events,
        (model.price_prompt, model.price_completion),
        now,
    )
    listed = {e.pk: e for e in (endpoints or [])}
    for ev_list in by_endpoint.values():
        listed.setdefault(ev_list[0].endpoint_id, ev_list[0].endpoint)
    for pk, e in listed.items():
        if e.delisted_at is not None and not by_endpoint.get(pk):
            continue
        current = (e.price_prompt, e.price_completion)
        tagged = e.tag and e.tag != e.provider.slug
        name = f"{e.provider.name} ({e.tag})" if tagged else e.provider.name
        points += _series_points(
            name, e.first_seen_at, by_endpoint.get(pk, []), current, now
        )
    return points


def price_changes(points: list[PricePoint]) -> list[PricePoint]:
    """The points worth a table row: each first price and each change."""
    return sorted((p for p in points if not p.current), key=lambda p: (p.at, p.series))


# --- provider, author, compare and rankings pages -----------------------------------


def provider_get(slug: str) -> Provider | None:
    """One provider with its active endpoints and their models."""
    endpoints = (
        Endpoint.objects.filter(
            delisted_at__isnull=True, model__delisted_at__isnull=True
        )
        .select_related("model")
        .order_by("model__name", "key")
    )
    return (
        Provider.objects.prefetch_related(
            Prefetch("endpoints", queryset=endpoints, to_attr="serving")
        )
        .filter(slug=slug)
        .first()
    )


def author_get(slug: str) -> Author | None:
    """An author with its models (listed first, newest first)."""
    models = LanguageModel.objects.only(*LIST_COLUMNS).order_by(
        F("delisted_at").desc(nulls_first=True), F("created").desc(nulls_last=True)
    )
    return (
        Author.objects.prefetch_related(
            Prefetch("models", queryset=models, to_attr="all_models")
        )
        .filter(slug=slug)
        .first()
    )


@dataclass
class Compared:
    """One model of a comparison with its cheapest active endpoint."""

    model: LanguageModel
    cheapest: Endpoint | None = None
    providers: int = 0


def models_compare(slugs: list[str]) -> tuple[list[Compared], list[str]]:
    """The models asked for, in the order asked, and the ids not found."""
    endpoints = Endpoint.objects.filter(delisted_at__isnull=True).select_related(
        "provider"
    )
    found = {
        m.slug: m
        for m in LanguageModel.objects.select_related("author")
        .prefetch_related(Prefetch("endpoints", queryset=endpoints, to_attr="listed"))
        .filter(slug__in=slugs)
    }
    compared = []
    for slug in slugs:
        if slug not in found:
            continue
        m = found[slug]
        priced = [
            e
            for e in m.listed
            if e.price_prompt is not None and not e.is_variable_price
        ]
        cheapest = min(
            priced,
            key=lambda e: (e.price_prompt + (e.price_completion or 0), e.provider.name),
            default=None,
        )
        compared.append(Compared(m, cheapest, len(m.listed)))
    return compared, [s for s in slugs if s not in found]


@dataclass
class RankedModel:
    model: LanguageModel
    tokens: int
    previous: int | None

    @property
    def change(self) -> float | None:
        """Week-over-week change in percent (None without a previous week)."""
        if not self.previous:
            return None
        return round((self.tokens - self.previous) * 100 / self.previous, 1)


@dataclass
class Rankings:
    week_end: date | None
    models: list[RankedModel] = field(default_factory=list)
    apps: list[Any] = field(default_factory=list)
    apps_date: date | None = None


def _weekly_totals(start: date, end: date) -> dict[int, int]:
    # Per model and source, then the larger source: the website and the rankings
    # dataset count the same tokens, so adding them would double them.
    rows = (
        TokenUsageDaily.objects.filter(date__gte=start, date__lte=end)
        .values("model_id", "source")
        .annotate(total=Sum("total"))
    )
    totals: dict[int, int] = {}
    for r in rows:
        totals[r["model_id"]] = max(totals.get(r["model_id"], 0), r["total"] or 0)
    return totals


def rankings_get(limit: int = 20) -> Rankings:
    """Top models by tokens in the latest 7 days of data, and top apps (5 queries)."""
    end = TokenUsageDaily.objects.aggregate(end=Max("date"))["end"]
    result = Rankings(week_end=end)
    if end is not None:
        week = _weekly_totals(end - WEEK + timedelta(days=1), end)
        previous = _weekly_totals(end - 2 * WEEK + timedelta(days=1), end - WEEK)
        top = sorted(week.items(), key=lambda kv: -kv[1])[:limit]
        models = LanguageModel.objects.only(*LIST_COLUMNS).in_bulk(
            [pk for pk, _ in top]
        )
        result.models = [
            RankedModel(models[pk], tokens, previous.get(pk)) for pk, tokens in top
        ]
    result.apps, result.apps_date = _top_apps(limit)
    return result


def _top_apps(limit: int) -> tuple[list[Any], date | None]:
    latest = AppRanking.objects.aggregate(d=Max("date"))["d"]
    if latest is not None:
        ranked = AppRanking.objects.filter(date=latest).select_related("app")
        return [(r.app, r.tokens) for r in ranked.order_by("rank")[:limit]], latest
    # Without the datasets API: add up each app's tokens over the models it uses in
    # the latest week polled from the model pages.
    week = AppUsage.objects.aggregate(d=Max("period_start"))["d"]
    if week is None:
        return [], None
    rows = (
        AppUsage.objects.filter(period_start=week)
        .values("app")
        .annotate(tokens=Coalesce(Sum("tokens"), Value(0)))
        .order_by("-tokens")[:limit]
    )
    apps = App.objects.in_bulk([r["app"] for r in rows])
    return [(apps[r["app"]], r["tokens"]) for r in rows], week


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
    for r in TokenUsageDaily.objects.filter(
        model_id__in=list(names), date__gte=since.date()
    ).order_by("date"):
        by_source[(r.model_id, r.source)].append((r.date, r.total))
    tokens = {}
    for pk, name in names.items():
        tokens[name] = by_source.get((pk, "website")) or by_source.get(
            (pk, "rankings"), []
        )
    uptime: dict[str, list[tuple[datetime, float | None]]] = {
        n: [] for n in names.values()
    }
    # Served by uptime-natural-key (model, series, hour).
    for h in UptimeHistory.objects.filter(
        model_id__in=list(names), series="", hour__gte=since
    ).order_by("hour"):
        uptime[names[h.model_id]].append((h.hour, h.uptime))
    return CompareSeries(tokens, uptime)


def overrides_attach(objects: list[LanguageModel]) -> None:
    """Give each model an `edited` dict {field: FieldOverride} (one query)."""
    edited: dict[int, dict[str, FieldOverride]] = {obj.pk: {} for obj in objects}
    overrides = FieldOverride.objects.filter(model__in=edited).select_related("author")
    for override in overrides:
        edited[override.model_id][override.field] = override
    for obj in objects:
        obj.edited = edited[obj.pk]
