"""GET /models/{author}/{slug}/offers: every way to buy a model, routed (its
OpenRouter endpoints) and direct (the providers' list prices), in one shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from api.prices import overrides_of, pricing_of
from api.shapes import Offer, OfferMode
from catalog.models import DirectOffer, Endpoint, LanguageModel
from catalog.sources.litellm import BASE_KEYS


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def routed_offer(endpoint: Endpoint) -> Offer:
    """An OpenRouter endpoint as an offer."""
    pricing = {k: v for k, v in pricing_of(endpoint).items() if isinstance(v, str)}
    return {
        "source": "openrouter",
        "provider": endpoint.provider.slug,
        "key": endpoint.key,
        "pricing": pricing,
        "tiers": overrides_of(endpoint.pricing_overrides),
        "modes": {},
        "limits": {
            "max_input_tokens": endpoint.context_length,
            "max_output_tokens": endpoint.max_completion_tokens,
        },
        "deprecation_date": None,
        "successor": None,
        "as_of": _iso(endpoint.model.endpoints_polled_at or endpoint.updated_at),
        "source_url": None,
        "match": "endpoint",
        "match_rule": "",
    }


def direct_pricing(raw: Any) -> dict[str, str]:
    """The list prices by OpenRouter's keys, the source's exact text."""
    if not isinstance(raw, dict):
        return {}
    return {
        ours: str(raw[theirs]) for theirs, ours in BASE_KEYS.items() if theirs in raw
    }


def _modes(stored: Any) -> dict[str, OfferMode]:
    modes: dict[str, OfferMode] = {}
    if not isinstance(stored, dict):
        return modes
    for name, mode in stored.items():
        if not isinstance(mode, dict):
            continue
        entry: OfferMode = {"pricing": dict(mode.get("pricing") or {})}
        if isinstance(mode.get("overrides"), list):
            entry["overrides"] = list(mode["overrides"])
        modes[str(name)] = entry
    return modes


def direct_offer(
    offer: DirectOffer, successor: LanguageModel | None, as_of: datetime | None
) -> Offer:
    """A provider's list price as an offer."""
    return {
        "source": "litellm",
        "provider": offer.provider,
        "key": offer.key,
        "pricing": direct_pricing(offer.pricing_raw),
        "tiers": overrides_of(offer.pricing_overrides),
        "modes": _modes(offer.modes),
        "limits": {
            "max_input_tokens": offer.max_input_tokens,
            "max_output_tokens": offer.max_output_tokens,
        },
        "deprecation_date": _iso(offer.deprecation_date),
        "successor": successor.slug if successor else offer.successor_model or None,
        "as_of": _iso(as_of),
        "source_url": offer.source_url or None,
        "match": _match(offer.match),
        "match_rule": offer.match_rule,
    }


def _match(how: str) -> Literal["exact", "alias", "rule"]:
    """How a model's offer was matched (a model's offers are all matched)."""
    if how == "exact":
        return "exact"
    return "alias" if how == "alias" else "rule"
