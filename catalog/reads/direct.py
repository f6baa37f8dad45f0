"""Reads of direct-provider offers: a model's offers, its routed/direct price gaps,
upcoming retirements, and the matching report the admin prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q

from catalog.models import (
    DirectOffer,
    Endpoint,
    LanguageModel,
    SyncKind,
    SyncRun,
    SyncStatus,
)
from catalog.pricing.costs import Cost, Workload, cost_of

# LiteLLM's providers -> OpenRouter's provider slug for the same company's offer:
# a routed row of that provider is compared with this direct list price.
ROUTED_PROVIDER = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google-ai-studio",
    "vertex_ai-language-models": "google-vertex",
    "vertex_ai-anthropic_models": "google-vertex",
    "vertex_ai-mistral_models": "google-vertex",
    "bedrock": "amazon-bedrock",
    "bedrock_converse": "amazon-bedrock",
    "azure": "azure",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "xai": "xai",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "deepinfra": "deepinfra",
    "groq": "groq",
    "novita": "novita",
    "nebius": "nebius",
    "cohere_chat": "cohere",
    "perplexity": "perplexity",
    "cloudflare": "cloudflare",
    "sambanova": "sambanova",
    "hyperbolic": "hyperbolic",
}
# What people call each provider of the map.
PROVIDER_NAMES = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "gemini": "Google AI Studio",
    "vertex_ai-language-models": "Google Vertex",
    "vertex_ai-anthropic_models": "Google Vertex",
    "vertex_ai-mistral_models": "Google Vertex",
    "bedrock": "Amazon Bedrock",
    "bedrock_converse": "Amazon Bedrock",
    "azure": "Azure OpenAI",
    "azure_ai": "Azure AI",
    "mistral": "Mistral",
    "deepseek": "DeepSeek",
    "xai": "xAI",
}


def provider_name(provider: str) -> str:
    """The name people know a map's provider by."""
    return PROVIDER_NAMES.get(provider, provider.replace("_", " "))


def direct_offers_of(model: LanguageModel) -> list[DirectOffer]:
    """A model's listed direct offers: the maker's first, then by provider, the
    key with fewest segments and shortest (the provider's global price, not a
    region's) first."""
    # Sorted here: the table's own order (provider, key) would sort twice.
    offers = list(
        DirectOffer.objects.filter(
            model_id=model.pk, delisted_at__isnull=True
        ).order_by()
    )
    offers.sort(
        key=lambda o: (not o.maker, o.provider, o.key.count("/"), len(o.key), o.key)
    )
    return offers


def canonical_offers(offers: list[DirectOffer]) -> list[DirectOffer]:
    """One offer per provider (the first of direct_offers_of's order): region and
    commitment variants of a Bedrock or Azure price stay in the API."""
    seen: set[str] = set()
    kept = []
    for offer in offers:
        name = provider_name(offer.provider)
        if name not in seen:
            seen.add(name)
            kept.append(offer)
    return kept


def successors_of(offers: list[DirectOffer]) -> dict[int, LanguageModel]:
    """The catalogue model each offer's `successor_model` names (by offer pk), as
    the sync resolved it (catalog.ingest.direct.successors_resolve): one query,
    none when no offer names a model the catalogue has."""
    ids = {o.successor_id for o in offers if o.successor_id is not None}
    if not ids:
        return {}
    found = LanguageModel.objects.only("slug", "name").in_bulk(ids)
    return {o.pk: found[o.successor_id] for o in offers if o.successor_id in found}


def cheapest_direct(
    models: Iterable[LanguageModel], workload: Workload
) -> dict[int, tuple[Cost, DirectOffer]]:
    """Each model's cheapest priced direct offer for the workload and its cost (by
    model pk); in one query."""
    offers = DirectOffer.objects.filter(
        model__in=[m.pk for m in models], delisted_at__isnull=True
    ).exclude(price_prompt=None)
    best: dict[int, tuple[Cost, DirectOffer]] = {}
    # Ties go to the offer direct_offers_of lists first (the maker's, global).
    for offer in sorted(offers, key=lambda o: (not o.maker, o.provider, o.key)):
        cost = cost_of(offer, workload)
        if cost.total is None or offer.model_id is None:
            continue
        held = best.get(offer.model_id)
        if held is None or cost.total < (held[0].total or 0):
            best[offer.model_id] = (cost, offer)
    return best


def direct_as_of() -> datetime | None:
    """When the direct prices were last confirmed: the latest successful poll."""
    run = (
        SyncRun.objects.filter(kind=SyncKind.LITELLM, status=SyncStatus.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )
    return run.finished_at if run else None


@dataclass(frozen=True)
class MatchRow:
    """One provider of the map: its offers matched to a model and not."""

    provider: str
    matched: int
    unmatched: int


def direct_match_report() -> list[MatchRow]:
    """Listed offers matched and unmatched, by provider, most matched first."""
    rows = (
        DirectOffer.objects.filter(delisted_at__isnull=True)
        .values("provider")
        .annotate(
            matched=Count("pk", filter=Q(model__isnull=False)),
            unmatched=Count("pk", filter=Q(model__isnull=True)),
        )
        .order_by("-matched", "provider")
    )
    return [MatchRow(r["provider"], r["matched"], r["unmatched"]) for r in rows]


def deprecations_upcoming(today: date, limit: int = 200) -> list[DirectOffer]:
    """Listed offers of catalogue models that retire today or later, soonest
    first."""
    return list(
        DirectOffer.objects.filter(
            delisted_at__isnull=True,
            model__isnull=False,
            model__delisted_at__isnull=True,
            model__hidden=False,
            deprecation_date__gte=today,
        )
        .select_related("model")
        .order_by("deprecation_date", "model__slug", "provider", "key")[:limit]
    )


@dataclass(frozen=True)
class Retirement:
    """A model one source says retires on a date: OpenRouter (its expiration
    date) or a provider's direct offer."""

    day: date
    model: LanguageModel
    source: str
    provider: str
    key: str
    successor: LanguageModel | None
    successor_name: str


def retirements_upcoming(today: date, limit: int = 200) -> list[Retirement]:
    """Upcoming retirements across both sources, soonest first."""
    offers = deprecations_upcoming(today, limit)
    successors = successors_of(offers)
    found = [
        Retirement(
            o.deprecation_date,
            o.model,
            "litellm",
            provider_name(o.provider),
            o.key,
            successors.get(o.pk),
            o.successor_model,
        )
        for o in offers
        if o.deprecation_date is not None and o.model is not None
    ]
    routed = LanguageModel.objects.filter(
        delisted_at__isnull=True, hidden=False, expiration_date__gte=today
    ).order_by("expiration_date", "slug")[:limit]
    found += [
        Retirement(m.expiration_date, m, "openrouter", "OpenRouter", m.slug, None, "")
        for m in routed
        if m.expiration_date is not None
    ]
    found.sort(key=lambda r: (r.day, r.model.slug, r.source, r.key))
    return found[:limit]


@dataclass(frozen=True)
class PriceGap:
    """A routed endpoint priced otherwise than its provider's own list price."""

    model: LanguageModel
    provider: str
    key: str
    routed: tuple[Decimal | None, Decimal | None]
    direct: tuple[Decimal | None, Decimal | None]


def price_gaps(limit: int = 200) -> list[PriceGap]:
    """The current routed/direct discrepancies: each listed standard endpoint
    whose input or output price is not the same provider's direct list price
    (its global one), by model id."""
    offers = list(
        DirectOffer.objects.filter(
            delisted_at__isnull=True,
            provider__in=ROUTED_PROVIDER,
            model__delisted_at__isnull=True,
            model__hidden=False,
        ).select_related("model")
    )
    offers.sort(key=lambda o: (o.provider, o.key.count("/"), len(o.key), o.key))
    listed: dict[tuple[int, str], DirectOffer] = {}
    for offer in offers:
        if offer.model_id is not None:
            listed.setdefault((offer.model_id, ROUTED_PROVIDER[offer.provider]), offer)
    endpoints = Endpoint.objects.filter(
        delisted_at__isnull=True,
        service_tier="",
        is_variable_price=False,
        model_id__in={model for model, _ in listed},
        provider__slug__in=set(ROUTED_PROVIDER.values()),
    ).select_related("provider")
    gaps = []
    for e in endpoints:
        direct = listed.get((e.model_id, e.provider.slug))
        if direct is None or direct.model is None:
            continue
        pairs = (
            (e.price_prompt, direct.price_prompt),
            (e.price_completion, direct.price_completion),
        )
        if any(a is not None and b is not None and a != b for a, b in pairs):
            gaps.append(
                PriceGap(
                    direct.model,
                    e.provider.name,
                    direct.key,
                    (e.price_prompt, e.price_completion),
                    (direct.price_prompt, direct.price_completion),
                )
            )
    gaps.sort(key=lambda g: (g.model.slug, g.provider))
    return gaps[:limit]
