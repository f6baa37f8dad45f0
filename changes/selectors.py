"""Reads for the changelog, the feeds and model pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db.models import Q, QuerySet

from catalog.models import CatalogEvent, EventKind, LanguageModel
from catalog.reads.selectors import models_visible
from changes.summaries import event_summary

# Columns of the joined rows that no changelog line reads.
HEAVY = (
    "model__raw",
    "model__description",
    "model__pricing_raw",
    "model__default_parameters",
    "model__supported_parameters",
    "provider__raw",
    "provider__datacenters",
    "endpoint__pricing_raw",
    "endpoint__supported_parameters",
)


def change_list(
    *,
    kinds: list[str] | None = None,
    provider: str = "",
    author: str = "",
    model: str = "",
    source: str = "",
    since: date | None = None,
) -> QuerySet[CatalogEvent]:
    """Catalogue events newest first, filtered; rows carry model, provider, endpoint.

    Events of hidden models are left out: the changelog and feeds show what the
    public sees."""
    events = (
        CatalogEvent.objects.filter(
            Q(model__isnull=True) | Q(model__in=models_visible())
        )
        .select_related("model", "provider", "endpoint", "direct_offer")
        # A page shows names and links: not the models' and providers' payloads.
        .defer(*HEAVY)
        .order_by("-observed_at", "-id")
    )
    if kinds:
        events = events.filter(kind__in=kinds)
    if provider:
        # provider_* events point at the provider; endpoint_* events carry it too.
        events = events.filter(
            Q(provider__slug=provider) | Q(endpoint__provider__slug=provider)
        )
    if author:
        events = events.filter(model__author__slug=author)
    if model:
        events = events.filter(model__slug=model)
    if source:
        events = events.filter(source_filter(source))
    if since:
        start = datetime.combine(since, time.min, tzinfo=UTC)
        events = events.filter(observed_at__gte=start)
    return events


# The changelog's sources: OpenRouter's routed catalogue, the direct list prices.
SOURCES = ("openrouter", "litellm")


def source_filter(source: str) -> Q:
    """The events of one source: direct offers' (and their first import) are
    LiteLLM's, the others OpenRouter's."""
    direct = Q(direct_offer__isnull=False) | Q(kind__startswith="direct_")
    direct |= Q(kind=EventKind.BASELINE, after__sync="litellm")
    return direct if source == "litellm" else ~direct


@dataclass(frozen=True)
class ChangeRow:
    """An event with its one-line text, for templates."""

    event: CatalogEvent
    summary: str


def model_changes(model: LanguageModel, limit: int = 20) -> list[ChangeRow]:
    """A model's latest events, newest first (for its page; event-model-time index).

    Render with {% include "changes/_model_changes.html" with changes=... %}.
    """
    # The first imports this model was part of, so its page starts with them
    # rather than with nothing (their rows got no event of their own).
    baselines = Q(kind=EventKind.BASELINE, observed_at__gte=model.first_seen_at) & ~Q(
        after__sync__in=["providers", "litellm"]
    )
    events = (
        CatalogEvent.objects.filter(Q(model=model) | baselines)
        # The one-line texts name the provider only (the model is the page's).
        .select_related("provider", "direct_offer")
        .defer("provider__raw")
        .order_by("-observed_at", "-id")[:limit]
    )
    return [ChangeRow(e, event_summary(e)) for e in events]
