"""OpenRouter's public catalogue API: fetch and parse into typed records (no ORM).

Parsing is lenient where upstream drifts (fields come and go across eras, unknown ones
are ignored) and strict where a value would be wrong (a price that is not a number).
One bad model is reported and skipped; only a body of the wrong shape fails the fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from catalog.sources.base import Fetched, HttpClient, ItemError, PermanentError

R = TypeVar("R", bound=BaseModel)
MILLION = Decimal(1_000_000)
PRICE_PLACES = Decimal("0.000000000001")
VARIABLE = Decimal(-1)
MAX_TEXT = 100_000
# Keys priced per token (stored per million); the others are per request/image/search.
TOKEN_KEYS = (
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
)
UNIT_KEYS = ("request", "image", "web_search")


def _none_if_blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _int_or_none(value: Any) -> Any:
    value = _none_if_blank(value)
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


def _clip(limit: int):
    def clip(value: Any) -> Any:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value[:limit]

    return clip


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("must be a list of strings")
    return [str(item)[:100] for item in value if isinstance(item, str | int)][:200]


def _iso_date(value: Any) -> date | None:
    value = _none_if_blank(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be a YYYY-MM-DD date")
    return date.fromisoformat(value[:10])


Count = Annotated[
    Annotated[int, Field(ge=0, le=10**12)] | None, BeforeValidator(_int_or_none)
]
Text = Annotated[str, BeforeValidator(_clip(MAX_TEXT))]
ShortText = Annotated[str, BeforeValidator(_clip(300))]
# Clipped to the database column each one lands in (PostgreSQL enforces lengths).
Text200 = Annotated[str, BeforeValidator(_clip(200))]
Text60 = Annotated[str, BeforeValidator(_clip(60))]
Strings = Annotated[list[str], BeforeValidator(_string_list)]
Percent = Annotated[float, Field(ge=0, le=100)] | None
IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]


class Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    # The upstream object as received, kept for the record's raw payload.
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw


class Prices(BaseModel):
    """Upstream pricing normalised: token prices per million, others per unit."""

    token: dict[str, Decimal]
    unit: dict[str, Decimal]
    variable: bool
    discount: Decimal = Decimal(0)
    raw: dict[str, Any]


def parse_pricing(raw: Any) -> Prices:
    """Turn upstream's pricing strings (USD per token) into exact Decimals."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValueError("pricing must be an object")
    values = {key: _price(raw, key) for key in (*TOKEN_KEYS, *UNIT_KEYS)}
    variable = any(v == VARIABLE for v in values.values())
    token = {k: _per_million(values[k]) for k in TOKEN_KEYS if values[k] is not None}
    unit = {k: values[k] for k in UNIT_KEYS if values[k] is not None}
    if variable:
        token = {k: v for k, v in token.items() if v >= 0}
        unit = {k: v for k, v in unit.items() if v >= 0}
    raw_kept = {k: v for k, v in raw.items() if isinstance(v, str | int | float)}
    return Prices(
        token=token, unit=unit, variable=variable, discount=_discount(raw), raw=raw_kept
    )


def _discount(raw: dict[str, Any]) -> Decimal:
    value = raw.get("discount")
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= 1
    ):
        return Decimal(str(value))
    return Decimal(0)


def normalized_prices(raw: dict[str, Any]) -> dict[str, str]:
    """Every numeric price in a raw pricing object, zeros dropped (missing means 0).

    2025 payloads list zero prices, 2026 payloads omit them: comparing these
    normalised dicts sees only real price changes across the two eras.
    """
    prices = {}
    for key, value in raw.items():
        if key == "discount" or isinstance(value, bool):
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            continue
        if number.is_finite() and number != 0:
            prices[key] = str(number.normalize())
    return dict(sorted(prices.items()))


def _price(raw: dict[str, Any], key: str) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None  # 2026 payloads omit zero prices: not applicable
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"pricing.{key} must be a number string")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(
            f"pricing.{key} is not a number: {str(value)[:40]!r}"
        ) from None
    if not number.is_finite() or (number < 0 and number != VARIABLE) or number > 10**6:
        raise ValueError(f"pricing.{key} is out of range: {str(value)[:40]!r}")
    return number


def _per_million(value: Decimal) -> Decimal:
    if value == VARIABLE:
        return VARIABLE
    return (value * MILLION).quantize(PRICE_PLACES).normalize() + Decimal("0")


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

    id: str = Field(pattern=r"^[~\w.\-]+/[\w.\-:]+$", max_length=200)
    canonical_slug: str = Field("", max_length=200)
    name: ShortText = ""
    created: datetime | None = None
    description: Text = ""
    context_length: Count = None
    architecture: Architecture = Architecture()
    pricing: Prices
    top_provider: TopProvider = TopProvider()
    hugging_face_id: ShortText = ""
    supported_parameters: Strings = []
    default_parameters: dict[str, Any] | None = None
    knowledge_cutoff: IsoDate = None
    expiration_date: IsoDate = None

    @field_validator("canonical_slug", mode="before")
    @classmethod
    def _canonical(cls, value: Any) -> Any:
        return "" if value is None else value

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

    slug: str = Field(pattern=r"^[\w.\-]+$", max_length=100)
    name: Text200
    privacy_policy_url: ShortText = ""
    terms_of_service_url: ShortText = ""
    status_page_url: ShortText = ""
    headquarters: str = Field("", max_length=8)
    datacenters: Strings = []

    @field_validator("headquarters", mode="before")
    @classmethod
    def _hq(cls, value: Any) -> Any:
        return "" if value is None else value


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
    status: int | None = None
    uptime_last_5m: Percent = None
    uptime_last_30m: Percent = None
    uptime_last_1d: Percent = None
    latency_last_30m: dict[str, float | None] | None = None
    throughput_last_30m: dict[str, float | None] | None = None

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


class OpenRouterSource:
    """Fetches OpenRouter's catalogue through one configured HttpClient."""

    name = "openrouter"

    def __init__(self, http: HttpClient, *, base_url: str, site_url: str = ""):
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.site_url = site_url.rstrip("/")

    def fetch_models(self) -> Fetched[ModelRecord]:
        """Every model, whatever its output modality."""
        # Reference: https://openrouter.ai/docs/api-reference/models/get-models
        url = f"{self.base_url}/models"
        body = self.http.get_json(url, params={"output_modalities": "all"})
        return parse_items(_data_list(body, url), ModelRecord, _model_label, url=url)

    def fetch_providers(self) -> Fetched[ProviderRecord]:
        """Every provider OpenRouter routes to."""
        # Reference: https://openrouter.ai/docs/api-reference/providers/list-providers
        url = f"{self.base_url}/providers"
        body = self.http.get_json(url)
        return parse_items(_data_list(body, url), ProviderRecord, _slug_label, url=url)

    def fetch_endpoints(self, model_slug: str) -> Fetched[EndpointRecord]:
        """The providers serving one model, with their prices and rolling stats."""
        # Reference: https://openrouter.ai/docs/api-reference/endpoints/list-endpoints
        url = f"{self.base_url}/models/{quote(model_slug, safe='/:')}/endpoints"
        body = self.http.get_json(url)
        data = body.get("data") if isinstance(body, dict) else None
        items = data.get("endpoints") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise PermanentError("expected {data: {endpoints: [...]}}", url=url)
        return parse_items(items, EndpointRecord, _endpoint_label, url=url)


def _data_list(body: Any, url: str) -> list[Any]:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise PermanentError("expected {data: [...]}", url=url)
    return data


def parse_items(
    items: list[Any],
    record: type[R],
    label: Callable[[Any, int], str],
    *,
    url: str = "",
) -> Fetched[R]:
    """Validate every item; keep the good ones and report the others."""
    fetched: Fetched[R] = Fetched(records=[], url=url)
    for index, item in enumerate(items):
        try:
            parsed = record.model_validate(item)
        except ValidationError as exc:
            fetched.errors.append(ItemError(label(item, index), _short(exc)))
            continue
        parsed._raw = item
        fetched.records.append(parsed)
    return fetched


def _short(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "item"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _model_label(item: Any, index: int) -> str:
    value = item.get("id") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"item #{index}"


def _slug_label(item: Any, index: int) -> str:
    value = item.get("slug") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"item #{index}"


def _endpoint_label(item: Any, index: int) -> str:
    value = item.get("name") if isinstance(item, dict) else None
    return str(value)[:200] if value else f"endpoint #{index}"
