"""Reads for the JSON API: filters and orders answered by the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject, Lower

from catalog.models import Endpoint, LanguageModel, Provider
from catalog.search import Suggestion, by_relevance, model_suggestions, models_matching
from catalog.selectors import models_visible
from stats.selectors import endpoint_latest_samples

ORDERS = ("relevance", "newest", "name", "context", "price")


@dataclass(frozen=True)
class ModelQuery:
    """The validated filters of GET /api/v1/models."""

    output_modalities: frozenset[str] | None = None  # None means all
    supported_parameters: frozenset[str] = frozenset()
    q: str = ""
    order: str = "newest"  # "relevance" when a search gives no order
    include_delisted: bool = False


# The upstream fields we keep no column for: read from the raw payload alone.
RAW_EXTRAS = (
    "per_request_limits",
    "supported_voices",
    "reasoning",
    "benchmarks",
    "alias_target",
)


def model_api_list(query: ModelQuery) -> QuerySet[LanguageModel]:
    """Models matching the API filters, in the requested order: one index scan
    (api-* indexes) for a page, the raw payload's few used keys only."""
    # Editors can hide a model "off the list and the API" (catalog curation).
    models: QuerySet[LanguageModel] = (
        models_visible()
        .defer("raw")
        .annotate(
            raw_extras=JSONObject(**{k: KeyTransform(k, "raw") for k in RAW_EXTRAS})
        )
        .prefetch_related("overrides")
    )
    if not query.include_delisted:
        models = models.filter(delisted_at__isnull=True)
    if query.q:
        models = models_matching(models, query.q)
    if query.output_modalities is not None:
        any_of = Q()
        for modality in sorted(query.output_modalities):
            any_of |= Q(output_modalities__has=modality)
        models = models.filter(any_of)
    for parameter in sorted(query.supported_parameters):
        models = models.filter(supported_parameters__has=parameter)
    if query.order == "relevance":
        # Without a search there is nothing to rank: newest, as by default.
        return by_relevance(models) if query.q else models.order_by(*NEWEST)
    return models.order_by(*ORDERINGS[query.order])


def model_suggest(q: str) -> list[Suggestion]:
    """The header's suggestions: the best listed, visible models for `q`."""
    return model_suggestions(models_visible().filter(delisted_at__isnull=True), q)


# Ties keep the newest first, then the id, so pages never overlap.
NEWEST = (F("created").desc(nulls_last=True), "slug")
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "newest": NEWEST,
    "name": (Lower("name"), "slug"),
    "context": (F("context_length").desc(nulls_last=True), *NEWEST),
    # Variable (router) and unknown prices last.
    "price": (
        F("price_prompt").asc(nulls_last=True),
        F("price_completion").asc(nulls_last=True),
        *NEWEST,
    ),
}


def model_api_get(slug: str, *, include_delisted: bool = False) -> LanguageModel | None:
    """One model by id, else by canonical slug (upstream's links use it)."""
    models = models_visible().select_related("author").prefetch_related("overrides")
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


def endpoint_samples(endpoint_ids: list[int]) -> dict[int, Any]:
    """The latest stats sample of each endpoint."""
    return endpoint_latest_samples(endpoint_ids)
