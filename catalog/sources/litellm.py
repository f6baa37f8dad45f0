"""LiteLLM's price map (model_prices_and_context_window.json, MIT): the list prices
of direct providers (OpenAI, Anthropic, Google, Bedrock, Azure, …), fetched and
parsed into typed records (no ORM).

The map is one JSON object, an entry per model key. Every price is read from the
JSON text as an exact Decimal (json.loads with parse_float=Decimal): `1e-06` is
exactly 0.000001, never the float next to it. One bad entry (no provider, a price
that is no number, a key given twice) is reported by its key and skipped; only a
body that is no JSON object fails the fetch.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ValidationError, field_validator

from catalog.pricing import prices
from catalog.sources.base import HttpClient, ItemError, PermanentError
from catalog.sources.fields import (
    Count,
    Text60,
    clean_text,
    text,
)

SOURCE = "litellm"
# The map documents its own fields in an entry of this name: no model.
SAMPLE_SPEC = "sample_spec"
MAX_KEY = 200
# A provider is a short lower-case name ("openai", "vertex_ai-language-models").
PROVIDER = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")

# LiteLLM's price keys (per token, or per unit) -> ours (catalog.pricing.prices).
BASE_KEYS = {
    "input_cost_per_token": "prompt",
    "output_cost_per_token": "completion",
    "output_cost_per_reasoning_token": "internal_reasoning",
    "cache_read_input_token_cost": "input_cache_read",
    "cache_creation_input_token_cost": "input_cache_write",
    "cache_creation_input_token_cost_above_1hr": "input_cache_write_1h",
    "input_cost_per_request": "request",
    "input_cost_per_image": "image",
    "input_cost_per_audio_token": "audio",
    "output_cost_per_audio_token": "audio_output",
    "input_cost_per_image_token": "image_token",
    "output_cost_per_image_token": "image_output",
}
# Service tiers priced apart: LiteLLM's suffix -> our name for the mode.
MODES = {"batches": "batch", "priority": "priority", "flex": "flex"}
_MODE = re.compile(r"^(?P<base>.+)_(?P<mode>batches|priority|flex)$")
# `*_above_200k_tokens`: the price of prompts longer than 200,000 tokens.
_TIER = re.compile(r"^(?P<base>.+)_above_(?P<k>\d{1,6})k_tokens$")
# A price per token of 10^6 dollars or more is no list price (as for OpenRouter).
PRICE_BOUND = Decimal(10**6)


@dataclass
class Priced:
    """One entry's prices in our vocabulary: USD per token (or per unit) as exact
    Decimals, the long-context tiers as OpenRouter's `overrides` entries, and the
    batch/priority/flex modes in the same shape."""

    base: dict[str, Decimal] = field(default_factory=dict)
    tiers: dict[int, dict[str, str]] = field(default_factory=dict)
    modes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Every cost key of the entry as plain strings, the entry's own names.
    raw: dict[str, str] = field(default_factory=dict)

    def overrides(self) -> list[dict[str, Any]] | None:
        """The tiers as OpenRouter's pricing.overrides entries (None: none)."""
        if not self.tiers:
            return None
        return [
            {"min_prompt_tokens": above, **self.tiers[above]}
            for above in sorted(self.tiers)
        ]


def _number(key: str, value: Any) -> Decimal:
    """An exact price from the JSON text, else ValueError naming the key."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{key} is not a number: {str(value)[:40]!r}")
    number = Decimal(value)
    if not number.is_finite() or number < 0 or number >= PRICE_BOUND:
        raise ValueError(f"{key} is out of range: {str(value)[:40]!r}")
    return number + Decimal(0)


def split_price_key(key: str) -> tuple[str | None, int | None, str | None]:
    """(our price key, tier threshold, mode) of one LiteLLM cost key:
    `cache_read_input_token_cost_above_272k_tokens_priority` is
    (input_cache_read, 272000, priority); our key is None for costs we have no
    name for (kept raw)."""
    mode = None
    if match := _MODE.match(key):
        key, mode = match["base"], MODES[match["mode"]]
    above = None
    if match := _TIER.match(key):
        key, above = match["base"], int(match["k"]) * 1000
    return BASE_KEYS.get(key), above, mode


def _place(priced: Priced, key: str, number: Decimal) -> None:
    """Put one LiteLLM price where it belongs: base, a tier, or a mode."""
    ours, above, mode = split_price_key(key)
    if ours is None:
        return  # kept in raw only
    text = prices.plain(number) or "0"
    if mode is not None:
        target = priced.modes.setdefault(mode, {"pricing": {}})
        if above is None:
            target["pricing"][ours] = text
        else:
            target.setdefault("overrides", [])
            tiers = {t["min_prompt_tokens"]: t for t in target["overrides"]}
            tiers.setdefault(above, {"min_prompt_tokens": above})[ours] = text
            target["overrides"] = [tiers[k] for k in sorted(tiers)]
    elif above is not None:
        priced.tiers.setdefault(above, {})[ours] = text
    else:
        priced.base[ours] = number


def parse_prices(entry: dict[str, Any]) -> Priced:
    """Every cost of one entry, exact; ValueError for one that is no number."""
    priced = Priced()
    for key, value in entry.items():
        if "cost" not in key:
            continue
        if isinstance(value, dict):
            # search_context_cost_per_query: {size: price}; kept raw.
            for inner, price in value.items():
                name = f"{key}.{inner}"
                priced.raw[name] = prices.plain(_number(name, price)) or "0"
            continue
        number = _number(key, value)
        priced.raw[key] = prices.plain(number) or "0"
        _place(priced, key, number)
    return priced


def _day(value: Any) -> date | None:
    """A YYYY-MM-DD date, else None: a date the map garbles is unknown, never a
    reason to drop the entry's prices."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _url(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return clean_text(value[:500])
    return ""


class PriceEntry(BaseModel):
    """One entry of the map: who sells the model, at what list prices, until when."""

    key: str
    provider: str
    mode: Text60 = ""
    max_input_tokens: Count = None
    max_output_tokens: Count = None
    deprecation_date: date | None = None
    successor_model: Annotated[str, BeforeValidator(text(200, coerce=True))] = ""
    source_url: str = ""
    priced: Priced

    @field_validator("provider", mode="before")
    @classmethod
    def _provider(cls, value: Any) -> Any:
        if not isinstance(value, str) or not PROVIDER.match(value):
            raise ValueError(f"litellm_provider is no provider name: {value!r:.60}")
        return value

    @property
    def prices(self) -> dict[str, Decimal]:
        return self.priced.base


def parse_entry(key: str, entry: Any) -> PriceEntry:
    """One entry of the map as a record; ValueError says what is wrong with it."""
    if key == SAMPLE_SPEC:
        raise ValueError("the map's field documentation, no model")
    if not key.strip() or len(key) > MAX_KEY or clean_text(key) != key:
        raise ValueError("the key is empty, too long or holds control characters")
    if not isinstance(entry, dict):
        raise ValueError("the entry is no object")
    try:
        return PriceEntry.model_validate(
            {
                "key": key,
                "provider": entry.get("litellm_provider"),
                "mode": entry.get("mode"),
                "max_input_tokens": entry.get("max_input_tokens"),
                "max_output_tokens": entry.get("max_output_tokens"),
                "deprecation_date": _day(entry.get("deprecation_date")),
                "successor_model": entry.get("successor_model"),
                "source_url": _url(entry.get("source")),
                "priced": parse_prices(entry),
            }
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ValueError(f"{where}: {error['msg']}") from None


@dataclass
class PriceMap:
    """The parsed map: its entries, the ones skipped and why, every key listed."""

    entries: list[PriceEntry]
    errors: list[ItemError]
    keys: set[str]
    url: str
    # `{"alias_of": key}` entries (a moving name such as claude-opus-latest): no
    # price of their own, so no offer; their target's entry is.
    aliases: dict[str, str] = field(default_factory=dict)


def _decoded(text: bytes, url: str) -> tuple[dict[str, Any], list[str]]:
    """The map's top-level object, numbers as Decimals, and the keys it gives
    more than once (json keeps the last of them silently)."""
    # Objects that gave a key twice, with those keys: rare, so only they are
    # kept aside (keeping every object's pairs would double a big map's memory).
    doubled: list[tuple[dict[str, Any], list[str]]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(items)
        if len(built) != len(items):
            counts = Counter(k for k, _ in items)
            doubled.append((built, [k for k, n in counts.items() if n > 1]))
        return built

    try:
        body = json.loads(text, parse_float=Decimal, object_pairs_hook=pairs)
    except RecursionError:
        raise PermanentError("JSON nested too deep", url=url) from None
    except ValueError as exc:
        raise PermanentError(f"unparseable JSON: {exc}", url=url) from exc
    if not isinstance(body, dict):
        raise PermanentError("expected a JSON object of model keys", url=url)
    twice = [key for obj, keys in doubled if obj is body for key in keys]
    return body, twice


def parse_map(text: bytes, url: str = "", max_items: int = 200_000) -> PriceMap:
    """The whole map from its JSON text: good entries kept, bad ones reported."""
    body, twice = _decoded(text, url)
    if len(body) > max_items:
        raise PermanentError(
            f"too many items: over the limit of {max_items} entries (SYNC_MAX_ITEMS)",
            url=url,
        )
    result = PriceMap(entries=[], errors=[], keys=set(body), url=url)
    # Each raw entry is let go once parsed: a big map is not held twice.
    for key in list(body):
        entry = body.pop(key)
        if key in twice:
            result.errors.append(
                ItemError(key, "given more than once in the map: none of it used")
            )
            continue
        if isinstance(entry, dict) and isinstance(entry.get("alias_of"), str):
            result.aliases[key] = entry["alias_of"][:MAX_KEY]
            continue
        try:
            result.entries.append(parse_entry(key, entry))
        except ValueError as exc:
            result.errors.append(ItemError(key, str(exc)))
    result.keys.discard(SAMPLE_SPEC)
    return result


class LiteLLMSource:
    """Fetches LiteLLM's price map through one configured HttpClient."""

    name = SOURCE

    def __init__(self, http: HttpClient, *, url: str):
        self.http = http
        self.url = url

    def fetch_map(self) -> PriceMap:
        """Every entry of the map, parsed."""
        # Reference: https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json
        body = self.http.get_body(self.url)
        return parse_map(body, self.url, self.http.max_items)
