"""OpenRouter's other catalogues: embedding models (`/embeddings/models`), image
generation models (`/images/models`, each with its endpoints) and video generation
models (`/videos/models`), fetched and parsed into typed records (no ORM).

Each item is checked against the spec's schema of it (OpenAPI 2026-08-22:
ModelsListResponse's Model, ImageModelListItem with ImageEndpoint, VideoModel)
and kept as sent, so the API serves it back in upstream's shape. What a model
costs is read into unit prices: what is billed (`billable`), per what (`unit`)
and the price in USD (`cost_usd`, as exact decimal text), per provider when the
kind has endpoints. One bad item is reported and skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from catalog import ids
from catalog.pricing import prices
from catalog.sources.base import (
    HttpClient,
    ItemError,
    SourceError,
    data_list,
    parse_items,
)
from catalog.sources.fields import clean_json, clean_text

Kind = Literal["embeddings", "images", "videos"]
KINDS: tuple[Kind, ...] = ("embeddings", "images", "videos")
PATHS: dict[Kind, str] = {kind: f"/{kind}/models" for kind in KINDS}
# A price of 10^6 dollars a unit or more is no list price.
PRICE_BOUND = Decimal(10**6)


def _string(limit: int) -> BeforeValidator:
    """Text as sent (never stripped: clients compare with upstream), cleaned and
    clipped; anything but a string (null included) is refused."""

    def clip(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return clean_text(value[:limit])

    return BeforeValidator(clip)


# Values as sent: no "5" read as 5, no "true" as True; unknown keys kept.
STRICT = ConfigDict(extra="allow", strict=True)
Name = Annotated[str, _string(300)]
Description = Annotated[str, _string(100_000)]
Word = Annotated[str, _string(200)]
Whole = Annotated[int, Field(ge=0, le=10**12, strict=True)]


class Item(BaseModel):
    """An item of one of these lists: strict on what the spec requires, its
    other keys passed through as sent."""

    model_config = STRICT

    @field_validator("id", check_fields=False)
    @classmethod
    def _model_id(cls, value: str) -> str:
        problem = ids.model_id_problem(value)
        if problem:
            raise ValueError(f"id {problem}")
        return value

    def as_sent(self) -> dict[str, Any]:
        """The item as upstream sent it, cleaned of what no column can hold."""
        return dict(clean_json(self.model_dump(mode="json", exclude_unset=True)))


class Architecture(BaseModel):
    model_config = STRICT
    modality: Word | None
    input_modalities: list[Word]
    output_modalities: list[Word]
    tokenizer: Word | None = None
    instruct_type: Word | None = None


class TopProvider(BaseModel):
    model_config = STRICT
    context_length: Whole | None = None
    max_completion_tokens: Whole | None = None
    is_moderated: bool


class Links(BaseModel):
    model_config = STRICT
    details: Word


class EmbeddingModel(Item):
    """One embedding model: OpenRouter's Model schema."""

    id: str
    canonical_slug: Word
    name: Name
    created: Whole
    description: Description = ""
    context_length: Whole | None
    architecture: Architecture
    pricing: dict[str, Any]
    top_provider: TopProvider
    per_request_limits: dict[str, Whole] | None
    supported_parameters: list[Word]
    default_parameters: dict[str, Any] | None
    supported_voices: list[Word] | None
    links: Links
    hugging_face_id: Word | None = None
    knowledge_cutoff: Word | None = None
    expiration_date: Word | None = None

    @field_validator("pricing")
    @classmethod
    def _pricing(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in ("prompt", "completion"):
            if key not in value:
                raise ValueError(f"pricing.{key} is missing")
        for key, price in value.items():
            if key in prices.COLUMN_KEYS or key == "discount":
                _usd(f"pricing.{key}", price)
        return value


class Capability(BaseModel):
    """A supported parameter's descriptor (enum, range or boolean)."""

    model_config = STRICT
    type: Literal["enum", "range", "boolean"]


class ImageArchitecture(BaseModel):
    model_config = STRICT
    input_modalities: list[Word]
    output_modalities: list[Word]


class ImageModel(Item):
    """One image generation model: OpenRouter's ImageModelListItem."""

    id: str
    name: Name
    description: Description
    created: Whole
    architecture: ImageArchitecture
    supported_parameters: dict[str, Capability]
    supports_streaming: bool
    endpoints: Word


class PriceLine(BaseModel):
    """One billable line of an image endpoint: ImagePricingEntry."""

    model_config = STRICT
    billable: Word
    unit: Word
    # An int stays an int (0 is not sent back as 0.0).
    cost_usd: int | float
    variant: Word | None = None

    @field_validator("cost_usd")
    @classmethod
    def _cost(cls, value: float) -> float:
        if not math.isfinite(value) or not 0 <= value < PRICE_BOUND:
            raise ValueError(f"not a price in USD: {value!r:.40}")
        return value


class ImageEndpoint(BaseModel):
    """One provider of an image model: OpenRouter's ImageEndpoint."""

    model_config = STRICT
    provider_name: Word
    provider_slug: Word
    provider_tag: Word | None
    supported_parameters: dict[str, Capability]
    allowed_passthrough_parameters: list[Word]
    supports_streaming: bool
    pricing: list[PriceLine]

    def as_sent(self) -> dict[str, Any]:
        return dict(clean_json(self.model_dump(mode="json", exclude_unset=True)))


class VideoModel(Item):
    """One video generation model: OpenRouter's VideoModel."""

    id: str
    canonical_slug: Word
    name: Name
    created: Whole
    description: Description = ""
    hugging_face_id: Word | None = None
    supported_resolutions: list[Word] | None
    supported_aspect_ratios: list[Word] | None
    supported_sizes: list[Word] | None
    supported_durations: list[Whole] | None
    supported_frame_images: list[Word] | None
    upscale_factor: dict[str, int | float | None] | None
    creativity: list[int] | None
    generate_audio: bool | None
    seed: bool | None
    allowed_passthrough_parameters: list[Word]
    pricing_skus: dict[str, str] | None = None

    @field_validator("pricing_skus")
    @classmethod
    def _skus(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for sku, price in (value or {}).items():
            _usd(f"pricing_skus.{sku}", price)
        return value


def _usd(where: str, value: Any) -> Decimal:
    """An exact price in USD from upstream's text (or number); ValueError else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{where} must be a number string")
    number = prices.to_decimal(value)
    if number is None or not number.is_finite() or abs(number) >= PRICE_BOUND:
        raise ValueError(f"{where} is not a price: {str(value)[:40]!r}")
    return number


UnitPrice = dict[str, str]


def unit_price(billable: str, unit: str, usd: Decimal, **more: str) -> UnitPrice:
    """One unit price as stored: what is billed, per what, USD as exact text."""
    return {
        "billable": billable,
        "unit": unit,
        "cost_usd": prices.plain(usd) or "0",
        **more,
    }


def embedding_prices(model: EmbeddingModel) -> list[UnitPrice]:
    """An embedding model's non-zero prices: per input token, per request, ..."""
    billed = {"prompt": ("input_text", "token"), "request": ("request", "request")}
    lines = []
    for key, value in model.pricing.items():
        if key not in prices.COLUMN_KEYS:
            continue
        usd = _usd(key, value)
        # "0" is not billed; "-1" (a router's variable price) has no unit price.
        if usd > 0:
            billable, unit = billed.get(key, (key, prices.KEY[key].unit))
            lines.append(unit_price(billable, unit, usd))
    return lines


def image_prices(endpoints: list[ImageEndpoint]) -> list[UnitPrice]:
    """Every endpoint's billable lines, with the provider that bills them."""
    return [
        unit_price(
            line.billable,
            line.unit,
            Decimal(str(line.cost_usd)),
            provider=endpoint.provider_name,
            **({"variant": line.variant} if line.variant else {}),
        )
        for endpoint in endpoints
        for line in endpoint.pricing
    ]


def video_prices(model: VideoModel) -> list[UnitPrice]:
    """A video model's SKUs: the price of each (a generation, or as named)."""
    return [
        unit_price(sku, "sku", _usd(sku, price))
        for sku, price in (model.pricing_skus or {}).items()
    ]


@dataclass
class KindRecord:
    """One model of a kind: its id, what the pages show, its unit prices, the
    item (and for images, its endpoints) as upstream sent them."""

    kind: Kind
    id: str
    name: str
    description: str
    created: int
    unit_prices: list[UnitPrice]
    payload: dict[str, Any]
    endpoints: list[dict[str, Any]] | None = None


@dataclass
class KindFetch:
    """One complete fetch of a kind: its models in upstream's order, the items
    skipped, every id the list named (skipped ones too)."""

    kind: Kind
    records: list[KindRecord]
    errors: list[ItemError] = field(default_factory=list)
    listed: set[str] = field(default_factory=set)
    url: str = ""
    # Image models whose endpoints could not be read this time (kept as stored).
    stale_endpoints: set[str] = field(default_factory=set)


def _label(item: Any, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])[:200]
    return f"item {index}"


def _listed(items: list[Any]) -> set[str]:
    return {
        i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)
    }


class KindsSource:
    """Fetches the other catalogues through one configured HttpClient."""

    name = "openrouter"

    def __init__(self, http: HttpClient, *, base_url: str):
        self.http = http
        self.base_url = base_url.rstrip("/")

    def url_of(self, kind: Kind) -> str:
        return self.base_url + PATHS[kind]

    def fetch(self, kind: Kind) -> KindFetch:
        """Every model of one kind, parsed (images with their endpoints)."""
        fetchers: dict[Kind, Callable[[], KindFetch]] = {
            "embeddings": self.fetch_embeddings,
            "images": self.fetch_images,
            "videos": self.fetch_videos,
        }
        return fetchers[kind]()

    def _items(self, kind: Kind) -> tuple[str, list[Any]]:
        url = self.url_of(kind)
        return url, data_list(self.http.get_json(url), url)

    def fetch_embeddings(self) -> KindFetch:
        """GET /embeddings/models: every embedding model (the whole list)."""
        # Reference: https://openrouter.ai/docs/api/api-reference/embeddings/list-embeddings-models
        url, items = self._items("embeddings")
        parsed = parse_items(items, EmbeddingModel, _label, url=url)
        result = KindFetch("embeddings", [], list(parsed.errors), _listed(items), url)
        for model in parsed.records:
            self._keep(result, model, partial(embedding_prices, model))
        return result

    def fetch_videos(self) -> KindFetch:
        """GET /videos/models: every video generation model."""
        # Reference: https://openrouter.ai/docs/api/api-reference/video-generation/list-videos-models
        url, items = self._items("videos")
        parsed = parse_items(items, VideoModel, _label, url=url)
        result = KindFetch("videos", [], list(parsed.errors), _listed(items), url)
        for model in parsed.records:
            self._keep(result, model, partial(video_prices, model))
        return result

    def fetch_images(self) -> KindFetch:
        """GET /images/models, then each model's endpoints (its providers and
        their billable lines). A model whose endpoints cannot be read keeps the
        ones stored (`stale_endpoints`) and is reported."""
        # Reference: https://openrouter.ai/docs/api/api-reference/images/list-image-models
        url, items = self._items("images")
        parsed = parse_items(items, ImageModel, _label, url=url)
        result = KindFetch("images", [], list(parsed.errors), _listed(items), url)
        for model in parsed.records:
            endpoints = self._image_endpoints(model.id, result)
            if endpoints is None:
                result.stale_endpoints.add(model.id)
            lines = image_prices(endpoints or [])
            record = self._keep(result, model, partial(list, lines))
            if record is not None and endpoints is not None:
                record.endpoints = [e.as_sent() for e in endpoints]
        return result

    def _image_endpoints(
        self, model_id: str, result: KindFetch
    ) -> list[ImageEndpoint] | None:
        # Reference: https://openrouter.ai/docs/api/api-reference/images/list-image-model-endpoints
        url = f"{self.base_url}/images/models/{quote(model_id, safe='/:')}/endpoints"
        try:
            items = data_list(self.http.get_json(url), url, "endpoints")
        except SourceError as exc:
            result.errors.append(ItemError(model_id, f"endpoints: {exc}"))
            return None
        parsed = parse_items(
            items, ImageEndpoint, lambda i, n: f"{model_id} endpoint {n}", url=url
        )
        result.errors.extend(parsed.errors)
        return parsed.records

    def _keep(
        self,
        result: KindFetch,
        model: EmbeddingModel | ImageModel | VideoModel,
        priced: Callable[[], list[UnitPrice]],
    ) -> KindRecord | None:
        try:
            lines = priced()
        except ValueError as exc:
            result.errors.append(ItemError(model.id, str(exc)))
            return None
        record = KindRecord(
            kind=result.kind,
            id=model.id,
            name=model.name,
            description=model.description,
            created=model.created,
            unit_prices=lines,
            payload=model.as_sent(),
        )
        result.records.append(record)
        return record
