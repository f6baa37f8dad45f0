"""Past direct prices from a dated timeline (the `model-prices` package's
`snapshot.json`, demo/data/README.md): each price a provider listed before the
board first polled its offer becomes a direct price event at its date, marked as
backfilled. Loading the same timeline again writes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from catalog.ingest.batch import price_change
from catalog.models import CatalogEvent, DirectOffer, EventKind
from catalog.pricing import prices

logger = logging.getLogger(__name__)

# The timeline's providers -> LiteLLM's provider and the prefix of its keys, for
# the makers whose offers the board matches (docs/sources.md).
PROVIDERS = {
    "openai": ("openai", ""),
    "anthropic": ("anthropic", ""),
    "google": ("gemini", "gemini/"),
    "mistral": ("mistral", "mistral/"),
    "deepseek": ("deepseek", "deepseek/"),
    "xai": ("xai", "xai/"),
}
# Its rates (USD per million tokens) -> the LiteLLM per-token names the direct
# offers' prices and events use.
RATES = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
}
MILLION = Decimal(1_000_000)


@dataclass
class Backfilled:
    """What a backfill did: events written, already there, and what it skipped."""

    created: int = 0
    existing: int = 0
    # Timeline models with no stored offer of that provider and key.
    no_offer: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Point:
    """One dated price of a timeline: per-token strings under LiteLLM's names."""

    at: datetime
    pricing: dict[str, str]


def timeline_points(periods: Any) -> list[Point]:
    """A model's dated prices, oldest first (periods without rates, a withdrawn
    price, are left out). Raises ValueError on a malformed period."""
    if not isinstance(periods, list):
        raise ValueError("its periods are not a list")
    points = []
    for period in periods:
        if not isinstance(period, dict):
            raise ValueError("a period is not an object")
        rates = period.get("rates")
        if rates is None:
            continue
        if not isinstance(rates, dict):
            raise ValueError("rates are not an object")
        moment = parse_datetime(str(period.get("start") or period.get("valid_from")))
        if moment is None:
            raise ValueError(f"no date in {period.get('start')!r}")
        points.append(Point(moment, _per_token(rates)))
    points.sort(key=lambda p: p.at)
    return points


def _per_token(rates: dict[str, Any]) -> dict[str, str]:
    pricing = {}
    for rate, key in RATES.items():
        if rates.get(rate) is None:
            continue
        value = prices.to_decimal(rates[rate])
        if value is None or value < 0:
            raise ValueError(f"{rate} is not a price: {str(rates[rate])[:40]!r}")
        pricing[key] = prices.plain(value / MILLION) or "0"
    return pricing


def direct_backfill(timeline: dict[str, Any], label: str) -> Backfilled:
    """Load a timeline's past prices as backfilled direct price events of the
    stored offers (only before each offer was first polled); idempotent."""
    result = Backfilled()
    by_provider = timeline.get("prices")
    if not isinstance(by_provider, dict):
        raise ValueError("the timeline has no prices object")
    for source_provider, (provider, prefix) in PROVIDERS.items():
        models = by_provider.get(source_provider) or {}
        if not isinstance(models, dict):
            result.errors.append(f"{source_provider}: not an object")
            continue
        offers = {
            o.key: o
            for o in DirectOffer.objects.filter(
                provider=provider, key__in=[prefix + k for k in models]
            )
        }
        for name, periods in models.items():
            offer = offers.get(prefix + name)
            if offer is None:
                result.no_offer += 1
                continue
            try:
                points = timeline_points(periods)
            except ValueError as exc:
                result.errors.append(f"{source_provider}/{name}: {exc}")
                logger.warning("backfill %s/%s: %s", source_provider, name, exc)
                continue
            _offer_backfill(offer, points, label, result)
    return result


@transaction.atomic
def _offer_backfill(
    offer: DirectOffer, points: list[Point], label: str, result: Backfilled
) -> None:
    # The first dated price is where the history starts; each later one that
    # moved a price is an event, as a poll would have written it then.
    past = [p for p in points if p.at < offer.first_seen_at]
    held = set(
        CatalogEvent.objects.filter(
            direct_offer=offer, kind=EventKind.DIRECT_PRICE, backfill=label
        ).values_list("observed_at", flat=True)
    )
    new = []
    for before, after in zip(past, past[1:], strict=False):
        moved = price_change(before.pricing, after.pricing)
        if moved is None:
            continue
        if after.at in held:
            result.existing += 1
            continue
        new.append(
            CatalogEvent(
                kind=EventKind.DIRECT_PRICE,
                model_id=offer.model_id,
                direct_offer=offer,
                before=moved[0],
                after=moved[1],
                observed_at=after.at,
                backfill=label,
            )
        )
    CatalogEvent.objects.bulk_create(new)
    result.created += len(new)
