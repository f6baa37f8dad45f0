"""Reads for the JSON API: one query for a list, Python for the JSON-list filters.

`output_modalities` and `supported_parameters` are JSON lists, which SQLite cannot
filter on; the catalogue is a few thousand rows at most, so the list is read once and
filtered in memory (the query count stays constant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Max, Q, QuerySet

from catalog.models import (
    CatalogEvent,
    Endpoint,
    EventKind,
    LanguageModel,
    Provider,
    SyncRun,
    SyncStatus,
)

ORDERS = ("newest", "name", "context", "price")
_FAR = Decimal("1e18")


@dataclass(frozen=True)
class ModelQuery:
    """The validated filters of GET /api/v1/models."""

    output_modalities: frozenset[str] | None = None  # None means all
    supported_parameters: frozenset[str] = frozenset()
    q: str = ""
    order: str = "newest"
    include_delisted: bool = False


def _visible(models: QuerySet[LanguageModel]) -> QuerySet[LanguageModel]:
    # Editors can hide a model "off the list and the API" (catalog curation).
    return models.filter(hidden=False)


def model_api_list(query: ModelQuery) -> list[LanguageModel]:
    """Models matching the API filters, in the requested order."""
    models = _visible(LanguageModel.objects.prefetch_related("overrides"))
    if not query.include_delisted:
        models = models.filter(delisted_at__isnull=True)
    if query.q:
        models = models.filter(
            Q(name__icontains=query.q)
            | Q(slug__icontains=query.q)
            | Q(description__icontains=query.q)
        )
    rows = [m for m in models.order_by("-created", "slug") if _matches(m, query)]
    return _ordered(rows, query.order)


def _matches(model: LanguageModel, query: ModelQuery) -> bool:
    if query.output_modalities is not None and not query.output_modalities & set(
        model.output_modalities or []
    ):
        return False
    return query.supported_parameters <= set(model.supported_parameters or [])


def _ordered(rows: list[LanguageModel], order: str) -> list[LanguageModel]:
    # Rows arrive newest first; Python's sort is stable, so ties stay newest first.
    if order == "name":
        rows.sort(key=lambda m: (m.name.casefold(), m.slug))
    elif order == "context":
        rows.sort(key=lambda m: -(m.context_length or 0))
    elif order == "price":
        # Variable (router) and unknown prices last.
        rows.sort(
            key=lambda m: (
                m.price_prompt if m.price_prompt is not None else _FAR,
                m.price_completion if m.price_completion is not None else _FAR,
            )
        )
    return rows


def model_api_get(slug: str, *, include_delisted: bool = False) -> LanguageModel | None:
    """One model by id, else by canonical slug (upstream's links use it)."""
    models = _visible(
        LanguageModel.objects.select_related("author").prefetch_related("overrides")
    )
    if not include_delisted:
        models = models.filter(delisted_at__isnull=True)
    return (
        models.filter(slug=slug).first()
        or models.filter(canonical_slug=slug).order_by("slug").first()
    )


def model_with_endpoints(model: LanguageModel) -> list[Endpoint]:
    """A model's listed endpoints with their providers, cheapest first."""
    return list(
        Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        .select_related("provider")
        .prefetch_related("overrides")
        .order_by("price_prompt", "provider_name", "key")
    )


def provider_api_list(*, include_delisted: bool = False) -> QuerySet[Provider]:
    """Providers from the upstream list (not those only seen in endpoints)."""
    providers = Provider.objects.filter(listed=True)
    if not include_delisted:
        providers = providers.filter(delisted_at__isnull=True)
    return providers.order_by("name", "slug")


def catalog_modified_at() -> datetime | None:
    """When the data last changed: the finish of the latest successful sync."""
    return SyncRun.objects.filter(status=SyncStatus.SUCCEEDED).aggregate(
        at=Max("finished_at")
    )["at"]


def price_events(model: LanguageModel) -> list[CatalogEvent]:
    """A model's price changes, oldest first (what price history is made of)."""
    return list(
        CatalogEvent.objects.filter(model=model, kind=EventKind.PRICE).order_by(
            "observed_at", "id"
        )
    )


def prices_at(
    current: dict[str, str], events: list[CatalogEvent], day: date
) -> dict[str, str]:
    """Per-token prices in force at the end of `day`, rebuilt from price events.

    Per key: the value after the last change on or before `day`; else the value
    before the first change after it; else today's. Events hold only changed keys,
    with "0" for a price that was absent.
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
        if value in ("0", "") and key not in pricing:
            continue
        pricing[key] = str(value)
    return dict(sorted(pricing.items()))


def endpoint_samples(endpoint_ids: list[int]) -> dict[int, Any]:
    """The latest stats sample of each endpoint, when the stats app is installed."""
    if not apps.is_installed("stats"):
        return {}
    try:
        from stats.selectors import endpoint_latest_samples
    except ImportError:  # stats is optional: the API then reports null stats
        return {}
    return endpoint_latest_samples(endpoint_ids)
