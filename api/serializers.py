"""Our rows as OpenRouter-shaped dicts (spec 2026-08-22), effective values only;
each function returns its shape from api.shapes.

Columns hold the effective values (an editor's override wins), so everything is read
from columns; `raw` only fills fields we keep no column for. Our own additions live in
one object per item, `"modelboard"`, so upstream clients never trip over them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, cast, overload
from urllib.parse import quote

from django.urls import NoReverseMatch, reverse
from django.utils.http import RFC3986_SUBDELIMS

from api.prices import VARIABLE, pricing_of
from api.shapes import (
    EditedField,
    EndpointPricing,
    ListEndpointsArchitecture,
    ListEndpointsResponse,
    Model,
    ModelArchitecture,
    ModelboardModel,
    NativeTool,
    PercentileStats,
    PerRequestLimits,
    Provider,
    PublicEndpoint,
    PublicPricing,
    ToolChoiceSupport,
    UpstreamExtras,
)
from catalog import ids
from catalog.models import Endpoint, FieldOverride, LanguageModel
from catalog.models import Provider as ProviderRow
from catalog.sources.fields import clean_json

# Upstream-only extras of a model, passed through when upstream sent them.
RAW_EXTRAS: tuple[Literal["reasoning", "benchmarks", "alias_target"], ...] = (
    "reasoning",
    "benchmarks",
    "alias_target",
)
# Every key model_data reads from the raw payload.
RAW_USED = ("per_request_limits", "supported_voices", "hugging_face_id", *RAW_EXTRAS)

AbsoluteUrl = Callable[[str], str]


@overload
def _iso(value: date | datetime) -> str: ...
@overload
def _iso(value: date | datetime | None) -> str | None: ...
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _split(slug: str) -> dict[str, str]:
    author, _, rest = slug.partition("/")
    return {"author": author, "slug": rest}


def _model_url(name: str, slug: str) -> str | None:
    """An API or feed URL of a model; None for an id stored before the id rule
    that no route can take (never a 500)."""
    try:
        return reverse(name, kwargs=_split(slug))
    except NoReverseMatch:
        return None


def _timestamp(value: datetime | None) -> int:
    return int(value.timestamp()) if value is not None else 0


def architecture_data(model: LanguageModel) -> ModelArchitecture:
    """A Model's architecture: a tokenizer we do not know is left out (the
    TypeScript SDK takes the key missing but not null)."""
    architecture: ModelArchitecture = {
        "modality": model.modality or None,
        "input_modalities": list(model.input_modalities or []),
        "output_modalities": list(model.output_modalities or []),
        "instruct_type": model.instruct_type or None,
    }
    if model.tokenizer:
        architecture["tokenizer"] = model.tokenizer
    return architecture


def endpoints_architecture_data(model: LanguageModel) -> ListEndpointsArchitecture:
    """The architecture in a model's endpoints list: both SDKs want a tokenizer
    there, null when unknown."""
    return {
        "modality": model.modality or None,
        "input_modalities": list(model.input_modalities or []),
        "output_modalities": list(model.output_modalities or []),
        "tokenizer": model.tokenizer or None,
        "instruct_type": model.instruct_type or None,
    }


def edited_data(obj: LanguageModel | Endpoint) -> dict[str, EditedField]:
    """Fields an editor overrode: upstream's value beside ours, why and when."""
    return {
        o.field: {
            "upstream_value": o.upstream_value,
            "reason": o.reason,
            "edited_at": _iso(o.updated_at),
            "upstream_changed_at": _iso(o.upstream_changed_at),
        }
        for o in _overrides(obj)
    }


def _overrides(obj: LanguageModel | Endpoint) -> Iterable[FieldOverride]:
    # Attached by catalog.reads.selectors.overrides_attach (a list's page, in one
    # query), else read (or prefetched) for this one object.
    attached = getattr(obj, "edited", None)
    return attached.values() if attached is not None else obj.overrides.all()


# Stand-ins reversed once per response, then replaced by each model's id parts.
AUTHOR, SLUG = "author0", "slug0"
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


class ModelLinks:
    """A model's URLs, reversed once per response and filled in per model."""

    NAMES = {
        "page_url": "model-detail",
        "price_history_url": "api-model-prices-csv",
        "changes_url": "model-changes-feed",
    }

    def __init__(self, absolute: AbsoluteUrl):
        self.absolute = absolute
        kwargs = {"author": AUTHOR, "slug": SLUG}
        self.templates = {
            key: absolute(reverse(name, kwargs=kwargs))
            for key, name in self.NAMES.items()
        }
        self.details = reverse("api-model-endpoints", kwargs=kwargs)

    def of(
        self, slug: str, canonical: str = ""
    ) -> tuple[dict[str, str | None], str | None]:
        """The absolute links of a model, and its relative endpoints link (by its
        canonical slug, as upstream's: the endpoints route takes either); None for
        a link no route can take (an id stored before the id rule: never a 500)."""
        if not ids.is_model_id(canonical):
            canonical = slug
        if not ids.is_model_id(slug):
            links = {
                key: self._reversed(name, slug) for key, name in self.NAMES.items()
            }
            return links, _model_url("api-model-endpoints", canonical)
        links = {key: self._filled(t, slug) for key, t in self.templates.items()}
        return links, self._filled(self.details, canonical)

    @staticmethod
    def _filled(template: str, slug: str) -> str:
        # Each part quoted once (quote() is most of the links' cost); a page's
        # models share a few authors.
        author, _, rest = slug.partition("/")
        return template.replace(AUTHOR, _quoted(author)).replace(
            SLUG, quote(rest, safe=URL_SAFE)
        )

    def _reversed(self, name: str, slug: str) -> str | None:
        url = _model_url(name, slug)
        return self.absolute(url) if url else None


@lru_cache(maxsize=1024)
def _quoted(part: str) -> str:
    return quote(part, safe=URL_SAFE)


def absolute_page(model: LanguageModel, links: ModelLinks) -> str:
    """The model's page, or where its link leads when no page route can take its id
    (LanguageModel.get_absolute_url decides)."""
    return links.absolute(model.get_absolute_url())


def model_extra(
    model: LanguageModel,
    links: ModelLinks,
    urls: dict[str, str | None],
) -> ModelboardModel:
    """Our additions to an upstream Model object; `urls` are its links.of()."""
    return {
        "edited": edited_data(model),
        "first_seen_at": _iso(model.first_seen_at),
        "updated_at": _iso(model.updated_at),
        "delisted_at": _iso(model.delisted_at),
        "variable_price": model.is_variable_price,
        "page_url": urls["page_url"] or absolute_page(model, links),
        "price_history_url": urls["price_history_url"],
        "changes_url": urls["changes_url"],
    }


def model_data(
    model: LanguageModel,
    links: ModelLinks | AbsoluteUrl,
    pricing: dict[str, Any] | None = None,
) -> Model:
    """A Model object; `pricing` replaces today's prices (for ?at=). Pass one
    ModelLinks for a list (URLs reversed once), or a request's absolute-URL maker."""
    if not isinstance(links, ModelLinks):
        links = ModelLinks(links)
    urls, details = links.of(model.slug, model.canonical_slug)
    # A list reads only the raw payload's used keys (api.selectors.RAW_EXTRAS).
    raw = _raw_used(model.raw_extras if hasattr(model, "raw_extras") else model.raw)
    return {
        "id": model.slug,
        "canonical_slug": model.canonical_slug or model.slug,
        "hugging_face_id": _hugging_face_id(model, raw),
        "name": model.name,
        "created": _timestamp(model.created),
        "description": model.description,
        "context_length": model.context_length,
        "architecture": architecture_data(model),
        "pricing": _with_token_prices(
            pricing if pricing is not None else pricing_of(model)
        ),
        "top_provider": {
            "context_length": model.top_provider_context_length,
            "max_completion_tokens": model.max_completion_tokens,
            "is_moderated": bool(model.is_moderated),
        },
        "per_request_limits": _limits_or_none(raw.get("per_request_limits")),
        "supported_parameters": list(model.supported_parameters or []),
        # Upstream's {} stays {} (null when it sent none).
        "default_parameters": model.default_parameters,
        "supported_voices": _strings_or_none(raw.get("supported_voices")),
        "knowledge_cutoff": _iso(model.knowledge_cutoff),
        "expiration_date": _iso(model.expiration_date),
        "links": {"details": details or ""},
        **_upstream_extras(raw),
        "modelboard": model_extra(model, links, urls),
    }


def _raw_used(raw: Any) -> dict[str, Any]:
    """The raw payload's keys a Model object sends, cleaned: rows stored before
    sources cleaned their payloads may hold NaN or NUL (only these few keys are
    cleaned, not a whole payload)."""
    if not isinstance(raw, dict):
        return {}
    return {key: clean_json(raw[key]) for key in RAW_USED if raw.get(key) is not None}


def _hugging_face_id(model: LanguageModel, raw: dict[str, Any]) -> str | None:
    """The column (an editor's value wins), else upstream's value as sent: its ""
    stays "" and its null stays null (the column keeps "" for both)."""
    if model.hugging_face_id:
        return model.hugging_face_id
    sent = raw.get("hugging_face_id")
    return sent if sent == "" else None


def _number(value: Decimal) -> int | float:
    """A stored decimal as the JSON number upstream sends: 0 stays 0, not 0.0."""
    return int(value) if value == value.to_integral_value() else float(value)


def _upstream_extras(raw: dict[str, Any]) -> UpstreamExtras:
    extras: UpstreamExtras = {}
    for key in RAW_EXTRAS:
        if isinstance(raw.get(key), dict):
            extras[key] = raw[key]
    return extras


def _with_token_prices(pricing: dict[str, Any]) -> PublicPricing:
    """Clients require a prompt and a completion price. One we do not know (a model
    added by hand without prices) is upstream's "-1", "no fixed price", never 0."""
    return _public({"prompt": VARIABLE, "completion": VARIABLE, **pricing})


def _public(pricing: dict[str, Any]) -> PublicPricing:
    """Prices by upstream's keys: our columns' keys are all PublicPricing's, and
    upstream's other keys pass through (the shape allows new ones)."""
    return cast(PublicPricing, pricing)


def _limits_or_none(value: Any) -> PerRequestLimits | None:
    """Upstream's per-request token limits, when both numbers are there."""
    if not isinstance(value, dict):
        return None
    keys = ("prompt_tokens", "completion_tokens")
    numbers = all(
        isinstance(value.get(k), int | float) and not isinstance(value.get(k), bool)
        for k in keys
    )
    # Upstream's object as sent (a cast: both numbers are checked).
    return cast(PerRequestLimits, value) if numbers else None


def _strings_or_none(value: Any) -> list[str] | None:
    """A list of strings (voice ids) as upstream sent it, else null."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


TOOL_CHOICES = ("auto", "none", "required", "function")


def tool_choice_of(endpoint: Endpoint) -> ToolChoiceSupport:
    """Which `tool_choice` values the endpoint takes: upstream's tested flags when it
    sent them, else every value when `tool_choice` is among its supported
    parameters (what that parameter promised before per-value testing), none if not.
    """
    flags = endpoint.supports_tool_choice
    if not (
        isinstance(flags, dict)
        and all(isinstance(flags.get(k), bool) for k in TOOL_CHOICES)
    ):
        accepted = "tool_choice" in (endpoint.supported_parameters or [])
        flags = dict.fromkeys(TOOL_CHOICES, accepted)
    return {
        "auto": flags["auto"],
        "none": flags["none"],
        "required": flags["required"],
        "function": flags["function"],
    }


def _native_tools(value: Any) -> dict[str, NativeTool]:
    if not isinstance(value, dict):
        return {}
    return {
        str(name): {"type": tool["type"]}
        for name, tool in value.items()
        if isinstance(tool, dict) and isinstance(tool.get("type"), str)
    }


def endpoint_data(
    endpoint: Endpoint, model: LanguageModel, sample: Any | None = None
) -> PublicEndpoint:
    """A PublicEndpoint; rolling stats come from the latest stats sample, if any."""
    pricing: EndpointPricing = {
        **_public(pricing_of(endpoint)),
        "discount": _number(endpoint.discount or Decimal(0)),
    }
    data: PublicEndpoint = {
        "name": endpoint.name,
        "model_id": model.canonical_slug or model.slug,
        "model_name": model.name,
        # Upstream always gives an endpoint's context; a row without one (an
        # editor cleared it) serves the model's, the context it is listed with.
        "context_length": _first_set(endpoint.context_length, model.context_length),
        "pricing": pricing,
        "provider_name": endpoint.provider_name,
        "tag": endpoint.tag or endpoint.provider.slug,
        "quantization": endpoint.quantization or None,
        "max_completion_tokens": endpoint.max_completion_tokens,
        "max_prompt_tokens": endpoint.max_prompt_tokens,
        "supported_parameters": list(endpoint.supported_parameters or []),
        "uptime_last_5m": _finite(getattr(sample, "uptime_5m", None)),
        "uptime_last_30m": _finite(getattr(sample, "uptime_30m", None)),
        "uptime_last_1d": _finite(getattr(sample, "uptime_1d", None)),
        # Capability flags: false when upstream never declared them (its meaning).
        "supports_implicit_caching": bool(endpoint.supports_implicit_caching),
        "supports_diarization": bool(endpoint.supports_diarization),
        "supports_voice_cloning": bool(endpoint.supports_voice_cloning),
        "supports_image_reference": bool(endpoint.supports_image_reference),
        "supports_multiple_audio_references": bool(
            endpoint.supports_multiple_audio_references
        ),
        "supports_tool_choice": tool_choice_of(endpoint),
        "native_tools": _native_tools(endpoint.native_tools),
        "service_tier": endpoint.service_tier or None,
        "latency_last_30m": _percentiles(sample, "latency"),
        "throughput_last_30m": _percentiles(sample, "throughput"),
        # We snapshot the legacy all-requests percentiles only: no per-workload
        # figures to give, so no `perf_last_30m_by_workload` key.
        "modelboard": {
            "edited": edited_data(endpoint),
            "provider_slug": endpoint.provider.slug,
            "first_seen_at": _iso(endpoint.first_seen_at),
            "updated_at": _iso(endpoint.updated_at),
            "stats_polled_at": _iso(getattr(sample, "polled_at", None)),
            "uptime_definition": getattr(sample, "uptime_definition", None),
            "zdr": endpoint.zdr,
        },
    }
    # A status never sampled is left out, not null: the spec makes the key
    # optional, not nullable, and a null fails the TypeScript SDK's parser.
    status = getattr(sample, "status", None)
    if isinstance(status, int):
        data["status"] = status
    return data


def _finite(value: Any) -> float | None:
    """A stored float as JSON allows it: NaN and infinities (older rows) are null."""
    return value if isinstance(value, int | float) and math.isfinite(value) else None


def _first_set(*values: int | None) -> int | None:
    return next((v for v in values if v is not None), None)


def _percentiles(sample: Any | None, metric: str) -> PercentileStats | None:
    """All four percentiles, or null: upstream's shape has no partial one."""
    if sample is None:
        return None
    p50, p75, p90, p99 = (
        _finite(getattr(sample, f"{metric}_{p}", None))
        for p in ("p50", "p75", "p90", "p99")
    )
    if p50 is None or p75 is None or p90 is None or p99 is None:
        return None
    return {"p50": float(p50), "p75": float(p75), "p90": float(p90), "p99": float(p99)}


def model_endpoints_data(
    model: LanguageModel, endpoints: list[Endpoint], samples: dict[int, Any]
) -> ListEndpointsResponse:
    """The body of GET /models/{author}/{slug}/endpoints (without the "data" key)."""
    return {
        "id": model.slug,
        "name": model.name,
        "created": _timestamp(model.created),
        "description": model.description,
        "architecture": endpoints_architecture_data(model),
        "endpoints": [endpoint_data(e, model, samples.get(e.pk)) for e in endpoints],
    }


def provider_data(provider: ProviderRow) -> Provider:
    """A provider as in GET /providers."""
    return {
        "name": provider.name,
        "slug": provider.slug,
        "privacy_policy_url": provider.privacy_policy_url or None,
        "terms_of_service_url": provider.terms_of_service_url or None,
        "status_page_url": provider.status_page_url or None,
        "headquarters": provider.headquarters or None,
        "datacenters": list(provider.datacenters) if provider.datacenters else None,
        "modelboard": {
            "edited": {},
            "first_seen_at": _iso(provider.first_seen_at),
            "delisted_at": _iso(provider.delisted_at),
        },
    }
