"""Price history: each series' prices over time, rebuilt from price events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from catalog.models import CatalogEvent, Endpoint, EventKind, LanguageModel
from catalog.pricing import prices

MODEL_SERIES = "Model price"
EVENT_COLUMNS = (
    "kind",
    "before",
    "after",
    "observed_at",
    "endpoint__first_seen_at",
    "endpoint__delisted_at",
    "endpoint__price_prompt",
    "endpoint__price_completion",
    "endpoint__tag",
    "endpoint__provider__slug",
    "endpoint__provider__name",
)


@dataclass(frozen=True)
class PricePoint:
    """The price of one series from `at` on (until the next point)."""

    series: str
    at: datetime
    prompt: Decimal | None
    completion: Decimal | None
    current: bool = False


def _per_million(raw: Any, key: str) -> Decimal | None:
    # Events keep upstream's raw per-token strings; "-1" is variable, not a price.
    value = prices.to_decimal(raw.get(key)) if isinstance(raw, dict) else None
    return None if value is None or value < 0 else prices.per_million(value)


def _series_points(
    name: str,
    since: datetime,
    events: list[CatalogEvent],
    now_prices: tuple[Decimal | None, Decimal | None],
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
        # What the series read: an event's prices and time, and for an endpoint no
        # longer listed its current prices and name (not its raw payloads).
        .only(*EVENT_COLUMNS)
        .order_by("observed_at", "id")
    )
    by_endpoint: dict[int, list[CatalogEvent]] = defaultdict(list)
    model_events = []
    # An event of price tiers alone moves no base price: the series skip it.
    events = [e for e in events if set(e.after or {}) - {"overrides"}]
    for ev in events:
        if ev.kind == EventKind.PRICE:
            model_events.append(ev)
        elif ev.endpoint is not None:
            by_endpoint[ev.endpoint.pk].append(ev)
    points = _series_points(
        MODEL_SERIES,
        model.first_seen_at,
        model_events,
        (model.price_prompt, model.price_completion),
        now,
    )
    listed: dict[int, Endpoint] = {e.pk: e for e in (endpoints or [])}
    for ev_list in by_endpoint.values():
        endpoint = ev_list[0].endpoint
        if endpoint is not None:
            listed.setdefault(endpoint.pk, endpoint)
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


def price_events(model: LanguageModel) -> list[CatalogEvent]:
    """A model's own price changes, oldest first."""
    return list(
        CatalogEvent.objects.filter(model=model, kind=EventKind.PRICE).order_by(
            "observed_at", "id"
        )
    )


def prices_at(
    current: dict[str, Any], events: list[CatalogEvent], day: date
) -> dict[str, Any]:
    """Upstream pricing (per-token strings) in force at the end of `day`.

    Per key: the value after the last change on or before `day`; else the value
    before the first change after it; else today's. Events hold only changed keys,
    with "0" for a price that was absent, and the price tiers (`overrides`) as
    upstream's lists, [] for none.
    """
    before_day = [e for e in events if e.observed_at.date() <= day]
    after_day = [e for e in events if e.observed_at.date() > day]
    found: dict[str, str] = {}
    for event in reversed(before_day):
        for key, value in (event.after or {}).items():
            found.setdefault(key, value)
    for event in after_day:
        for key, value in (event.before or {}).items():
            found.setdefault(key, value)
    pricing = dict(current)
    for key, value in found.items():
        if key == "overrides":
            if value:
                pricing[key] = value
            else:
                pricing.pop(key, None)
            continue
        if value in ("0", "") and key not in pricing:
            continue
        pricing[key] = str(value)
    return dict(sorted(pricing.items()))
