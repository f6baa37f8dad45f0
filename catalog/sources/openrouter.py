"""OpenRouter's public catalogue API: fetch and parse into typed records (no ORM).

Parsing is lenient where upstream drifts (fields come and go across eras, unknown ones
are ignored) and strict where a value would be wrong (a price that is not a number).
One bad model is reported and skipped; only a body of the wrong shape fails the fetch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from catalog import ids
from catalog.pricing import prices, tiers
from catalog.sources.base import (
    Fetched,
    HttpClient,
    ListItems,
    data_list,
    parse_items,
)
from catalog.sources.fields import (
    Count,
    IsoDate,
    Lenient,
    Percent,
    Percentiles,
    ShortText,
    ShortTextAsSent,
    Strings,
    Text60,
    Text200,
    TextAsSent,
    clean_json,
    clean_text,
    text,
)


class Prices(BaseModel):
    """Upstream pricing normalised: token prices per million, others per unit;
    its tiers (`overrides`) as sent, and what is wrong with any of them."""

    token: dict[str, Decimal]
    unit: dict[str, Decimal]
    variable: bool
    discount: Decimal = Decimal(0)
    raw: dict[str, Any]
    # Upstream's `overrides` as sent (cleaned of what no column holds), None when
    # absent: kept verbatim for the API; catalog.pricing.tiers parses it to price.
    overrides: Any = None
    # Malformed entries, one message each: stored all the same, never priced.
    problems: list[str] = []


# Entries kept of a longer list (tiers.MAX_ENTRIES of them are priced).
MAX_OVERRIDES = 100


def parse_pricing(raw: Any) -> Prices:
    """Turn upstream's pricing strings (USD per token) into exact Decimals."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValueError("pricing must be an object")
    values: dict[str, Decimal] = {}
    for key in prices.COLUMN_KEYS:
        value = _price(raw, key)
        if value is not None:
            values[key] = value
    variable = any(v == prices.VARIABLE for v in values.values())
    token = {
        k: prices.per_million(v)
        for k, v in values.items()
        if k in prices.TOKEN_COLUMN_KEYS
    }
    unit = {k: v for k, v in values.items() if k in prices.UNIT_COLUMN_KEYS}
    if variable:
        token = {k: v for k, v in token.items() if v >= 0}
        unit = {k: v for k, v in unit.items() if v >= 0}
    raw_kept = clean_json(
        {
            str(k): v
            for k, v in raw.items()
            if isinstance(v, str | int | float) and not isinstance(v, bool)
        }
    )
    overrides, problems = _overrides(raw)
    return Prices(
        token=token,
        unit=unit,
        variable=variable,
        discount=_discount(raw),
        raw=raw_kept,
        overrides=overrides,
        problems=problems,
    )


def _overrides(raw: dict[str, Any]) -> tuple[Any, list[str]]:
    """Upstream's price tiers as sent (None when absent), and their problems. A
    malformed entry is kept and reported; the item keeps its base price."""
    value = raw.get("overrides")
    if value is None:
        return None, []
    problems = []
    if isinstance(value, list) and len(value) > MAX_OVERRIDES:
        problems.append(
            f"pricing.overrides holds {len(value)} entries: the first "
            f"{MAX_OVERRIDES} kept"
        )
        value = value[:MAX_OVERRIDES]
    kept = clean_json(value)
    return kept, [*problems, *tiers.parse(kept).problems]


def _discount(raw: dict[str, Any]) -> Decimal:
    value = raw.get("discount")
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= 1
    ):
        return Decimal(str(value))
    return Decimal(0)


def _price(raw: dict[str, Any], key: str) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None  # 2026 payloads omit zero prices: not applicable
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"pricing.{key} must be a number string")
    number = prices.to_decimal(value)
    if number is None:
        raise ValueError(f"pricing.{key} is not a number: {str(value)[:40]!r}")
    # A token price is stored per million in 12 integer digits: below 10^6 per token.
    if (number < 0 and number != prices.VARIABLE) or number >= 10**6:
        raise ValueError(f"pricing.{key} is out of range: {str(value)[:40]!r}")
    return number


class Architecture(Lenient):
    modality: Text200 = ""
    input_modalities: Strings = []
    output_modalities: Strings = []
    tokenizer: Text60 = ""
    instruct_type: Text60 = ""


class TopProvider(Lenient):
    context_length: Count = None
    max_completion_tokens: Count = None
    is_moderated: bool | None = None


class ModelRecord(Lenient):
    """One model of GET /models, every era (2025 without canonical_slug included)."""

    # Only ids our URLs can route (catalog.ids); others are refused as item errors.
    id: str
    canonical_slug: str = ""
    name: ShortTextAsSent = ""
    created: datetime | None = None
    description: TextAsSent = ""
    context_length: Count = None
    architecture: Architecture = Architecture()
    pricing: Prices
    top_provider: TopProvider = TopProvider()
    hugging_face_id: ShortText = ""
    supported_parameters: Strings = []
    default_parameters: dict[str, Any] | None = None
    knowledge_cutoff: IsoDate = None
    expiration_date: IsoDate = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        problem = ids.model_id_problem(value)
        if problem:
            raise ValueError(f"id {problem}")
        return value

    @field_validator("canonical_slug", mode="before")
    @classmethod
    def _canonical(cls, value: Any) -> Any:
        if value is None or value == "":
            return ""
        problem = ids.model_id_problem(value)
        if problem:
            raise ValueError(f"canonical_slug {problem}")
        return value

    @field_validator("created", mode="before")
    @classmethod
    def _created(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            try:
                return datetime.fromtimestamp(value, tz=UTC)
            except (OverflowError, OSError, ValueError):
                raise ValueError("created is out of range") from None
        raise ValueError("created must be a unix timestamp")

    @field_validator("pricing", mode="before")
    @classmethod
    def _pricing(cls, value: Any) -> Prices:
        return parse_pricing(value)

    @field_validator("architecture", "top_provider", mode="before")
    @classmethod
    def _object(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def variant(self) -> str:
        return self.id.partition(":")[2][:40]


class ProviderRecord(Lenient):
    """One provider of GET /providers."""

    slug: str
    name: Text200
    privacy_policy_url: ShortText = ""
    terms_of_service_url: ShortText = ""
    status_page_url: ShortText = ""
    headquarters: Annotated[str, BeforeValidator(text(8))] = ""
    datacenters: Strings = []

    @field_validator("slug", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> Any:
        problem = ids.provider_slug_problem(value)
        if problem:
            raise ValueError(f"slug {problem}")
        return value


TOOL_CHOICES = ("auto", "none", "required", "function")


def _tier(value: Any) -> str:
    # "flex", "priority", "ultrafast" today; an open vocabulary, null = standard.
    return clean_text(value.strip()[:20]) if isinstance(value, str) else ""


def _tools(value: Any) -> dict[str, dict[str, str]]:
    """`{"openrouter:web_search": {"type": "web_search_20250305"}}`: well-formed
    entries only, at most 50."""
    if not isinstance(value, dict):
        return {}
    tools = {
        clean_text(name[:100]): {"type": clean_text(tool["type"][:100])}
        for name, tool in value.items()
        if isinstance(name, str)
        and isinstance(tool, dict)
        and isinstance(tool.get("type"), str)
    }
    return dict(list(tools.items())[:50])


def _tool_choice(value: Any) -> dict[str, bool] | None:
    """Upstream's per-value tool_choice flags, when all four are booleans."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(value.get(key), bool) for key in TOOL_CHOICES):
        return None
    return {key: bool(value[key]) for key in TOOL_CHOICES}


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


Flag = Annotated[bool | None, BeforeValidator(_flag)]


class EndpointRecord(Lenient):
    """One provider serving a model, from GET /models/{author}/{slug}/endpoints.

    The rolling-window stats are kept here so the stats app can snapshot them.
    """

    name: ShortText = ""
    provider_name: Text200
    tag: Text200 = ""
    id: ShortText = ""
    model_id: ShortText = ""
    quantization: ShortText = ""
    context_length: Count = None
    max_completion_tokens: Count = None
    max_prompt_tokens: Count = None
    pricing: Prices
    supported_parameters: Strings = []
    supports_implicit_caching: bool | None = None
    status: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    uptime_last_5m: Percent = None
    uptime_last_30m: Percent = None
    uptime_last_1d: Percent = None
    # Milliseconds and tokens per second: finite, not negative, believable.
    latency_last_30m: Percentiles = None
    throughput_last_30m: Percentiles = None
    # Capabilities of 2026 payloads (absent before): a value of the wrong shape is
    # dropped (unknown), never a reason to drop the endpoint.
    service_tier: Annotated[str, BeforeValidator(_tier)] = ""
    native_tools: Annotated[dict[str, dict[str, str]], BeforeValidator(_tools)] = {}
    supports_tool_choice: Annotated[
        dict[str, bool] | None, BeforeValidator(_tool_choice)
    ] = None
    supports_diarization: Flag = None
    supports_voice_cloning: Flag = None
    supports_image_reference: Flag = None
    supports_multiple_audio_references: Flag = None

    @field_validator("pricing", mode="before")
    @classmethod
    def _pricing(cls, value: Any) -> Prices:
        return parse_pricing(value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        # Some SDK pages show "default" and a fixture saw "0" as a string.
        if isinstance(value, str):
            return int(value) if value.lstrip("-").isdigit() else None
        return value


class ModelEndpoints(BaseModel):
    """The endpoints of one model, as fetched."""

    model_slug: str
    endpoints: list[EndpointRecord]


def listed_ids(items: Iterable[Any]) -> set[str]:
    """The ids a model list names, as its records will carry them (cleaned, strip-
    ped), whether or not the rest of each item parses."""
    found = set()
    for item in items:
        value = item.get("id") if isinstance(item, dict) else None
        if isinstance(value, str):
            found.add(clean_text(value).strip())
    return found


class OpenRouterSource:
    """Fetches OpenRouter's catalogue through one configured HttpClient."""

    name = "openrouter"

    def __init__(self, http: HttpClient, *, base_url: str, site_url: str = ""):
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.site_url = site_url.rstrip("/")

    def fetch_models(self) -> Fetched[ModelRecord]:
        """Every model, whatever its output modality."""
        items, url = self.fetch_model_items()
        return parse_models(list(items), url)

    def fetch_model_items(self) -> tuple[ListItems, str]:
        """The model list's items as upstream sent them, decoded one at a time
        each time they are iterated (parse_models checks them, a batch at a time
        if need be), and the URL."""
        # Reference: https://openrouter.ai/docs/api-reference/models/get-models
        url = f"{self.base_url}/models"
        items = self.http.get_items(url, {"output_modalities": "all"}, "data")
        return items, url

    def fetch_providers(self) -> Fetched[ProviderRecord]:
        """Every provider OpenRouter routes to."""
        # Reference: https://openrouter.ai/docs/api-reference/providers/list-providers
        url = f"{self.base_url}/providers"
        body = self.http.get_json(url)
        return parse_items(data_list(body, url), ProviderRecord, _slug_label, url=url)

    def fetch_endpoints(self, model_slug: str) -> Fetched[EndpointRecord]:
        """The providers serving one model, with their prices and rolling stats."""
        # Reference: https://openrouter.ai/docs/api-reference/endpoints/list-endpoints
        # Quoted segment by segment: an id can never become another path.
        url = f"{self.base_url}/models/{ids.path_quote(model_slug)}/endpoints"
        body = self.http.get_json(url)
        items = data_list(body, url, "data", "endpoints")
        return parse_items(items, EndpointRecord, _endpoint_label, url=url)


def parse_models(
    items: list[Any], url: str = "", start: int = 0
) -> Fetched[ModelRecord]:
    """Models from upstream items (`start`: the first item's place in the list)."""
    return parse_items(
        items, ModelRecord, lambda item, i: _model_label(item, start + i), url=url
    )


def _model_label(item: Any, index: int) -> str:
    value = item.get("id") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"item #{index}"


def _slug_label(item: Any, index: int) -> str:
    value = item.get("slug") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"item #{index}"


def _endpoint_label(item: Any, index: int) -> str:
    value = item.get("name") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"endpoint #{index}"
