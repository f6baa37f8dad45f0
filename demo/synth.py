"""Deterministic synthesis of `/models/{author}/{slug}/endpoints` bodies."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from demo import uptime
from demo.providers import BY_SLUG, CLOSED_AUTHORS, FIRST_PARTY, OPEN_HOSTS
from demo.seeded import rng, unit, uuid_for
from demo.snapshots import Model, permaslug

ROLLING_BUCKET_SECONDS = (
    300  # upstream caches for 5 min, so rolling windows move per 5 min
)
DEFAULT_PARAMETERS = ["max_tokens", "temperature", "top_p", "stop", "seed"]
PRICE_FACTORS = ("0.8", "0.9", "1", "1", "1", "1.1", "1.25")
# Open-weight families published by otherwise closed authors, hosted by anyone.
OPEN_WEIGHT_MARKERS = ("gemma", "gpt-oss", "whisper")
QUANTIZATIONS = (None, "fp8", "fp8", "bf16", "bf16", "fp4", "unknown")


class Spec(NamedTuple):
    """The fixed (non-rolling) facts of one synthesised endpoint."""

    slug: str
    tag: str
    quantization: str | None
    price_factor: Decimal
    context_length: int | None
    max_completion_tokens: int | None
    latency_ms: float
    throughput: float


# lfm-40b is the project's seed model: pin it to the providers the real site showed.
PINNED: dict[str, tuple[Spec, ...]] = {
    "liquid/lfm-40b": (
        Spec("liquid", "liquid", None, Decimal(1), 32768, None, 386.0, 238.0),
        Spec("lambda", "lambda", None, Decimal(1), 65536, 65536, 5989.0, 19.6),
    ),
}


def is_router(model: Model) -> bool:
    """Tell whether a model is a router or alias (no endpoints of its own)."""
    prompt = str(model.get("pricing", {}).get("prompt", "0"))
    return prompt == "-1" or model["id"].startswith("~") or "alias_target" in model


def is_closed(model_id: str) -> bool:
    """Tell whether only the author (or its cloud partners) can serve a model."""
    author = model_id.split("/", 1)[0].lstrip("~")
    open_weights = any(word in model_id for word in OPEN_WEIGHT_MARKERS)
    return author in CLOSED_AUTHORS and not open_weights


def provider_slugs(model_id: str) -> list[str]:
    """Pick 1-5 provider slugs for a model, first-party first."""
    author = model_id.split("/", 1)[0].lstrip("~")
    r = rng("providers", model_id)
    if is_closed(model_id):
        candidates = CLOSED_AUTHORS[author]
        return list(candidates[: r.randint(1, len(candidates))])
    first = [FIRST_PARTY[author]] if author in FIRST_PARTY else []
    hosts = [h for h in OPEN_HOSTS if h not in first]
    return first + r.sample(hosts, max(0, r.randint(1, 5) - len(first)))


def spec_for(model: Model, slug: str, first: bool) -> Spec:
    """Derive the fixed facts of one (model, provider) endpoint."""
    r = rng("spec", model["id"], slug)
    closed = is_closed(model["id"])
    quant = None if closed else r.choice(QUANTIZATIONS)
    tag = f"{slug}/fp8" if quant == "fp8" and r.random() < 0.5 else slug
    factor = Decimal(1) if first else Decimal(r.choice(PRICE_FACTORS))
    context = model.get("context_length")
    if context and not first and r.random() < 0.3:
        context //= 2  # some hosts serve a shorter context than the reference one
    top_max = (model.get("top_provider") or {}).get("max_completion_tokens")
    max_out = top_max if first else r.choice([None, 4096, 8192, 16384, top_max])
    return Spec(
        slug, tag, quant, factor, context, max_out,
        latency_ms=r.uniform(200, 3000), throughput=r.uniform(10, 250),
    )  # fmt: skip


def specs_for(model: Model) -> tuple[Spec, ...]:
    """Return the endpoint specs of a model (empty for routers and aliases)."""
    if is_router(model):
        return ()
    if model["id"] in PINNED:
        return PINNED[model["id"]]
    slugs = provider_slugs(model["id"])
    return tuple(spec_for(model, s, i == 0) for i, s in enumerate(slugs))


def scale_price(value: Any, factor: Decimal) -> Any:
    """Scale a per-token price string, keeping "-1", zeros and non-strings intact."""
    if not isinstance(value, str) or value in ("0", "-1") or factor == 1:
        return value
    scaled = (Decimal(value) * factor).quantize(Decimal("1e-15")).normalize()
    return format(scaled, "f")


def endpoint_pricing(model: Model, factor: Decimal) -> dict[str, Any]:
    """Return the model's pricing scaled by an endpoint factor, plus `discount`."""
    pricing = model.get("pricing") or {}
    scaled = {k: scale_price(v, factor) for k, v in pricing.items() if k != "overrides"}
    scaled["discount"] = 0
    return scaled


def percentiles(r: random.Random, p50: float, digits: int) -> dict[str, float]:
    """Return ordered p50<=p75<=p90<=p99 values starting from p50."""
    p75 = p50 * r.uniform(1.05, 1.4)
    p90 = p75 * r.uniform(1.05, 1.5)
    p99 = p90 * r.uniform(1.1, 2.5)
    values = {"p50": p50, "p75": p75, "p90": p90, "p99": p99}
    return {k: round(v, digits) if digits else int(round(v)) for k, v in values.items()}


def endpoint_id(model_id: str, tag: str) -> str:
    """The stable id of one (model, tag) endpoint: keys its uptime series too."""
    return uuid_for("endpoint", model_id, tag)


def request_weight(model_id: str, tag: str) -> float:
    """An endpoint's share of a model's requests (relative): what the "all
    providers" uptime is weighted by."""
    return round(0.2 + unit("requests", model_id, tag), 4)


def rolling_fields(model_id: str, spec: Spec, now: datetime) -> dict[str, Any]:
    """Return the fields that change every 5-minute bucket: uptime read off the
    endpoint's hourly series, latency and throughput around its typical values."""
    r = rng("rolling", model_id, spec.tag, bucket_of(now))
    key = endpoint_id(model_id, spec.tag)
    current = uptime.uptime_now(key, now)
    return {
        "uptime_last_5m": current,
        "uptime_last_30m": current,
        "uptime_last_1d": uptime.uptime_last_1d(key, now),
        "latency_last_30m": percentiles(r, spec.latency_ms * r.uniform(0.7, 1.4), 0),
        "throughput_last_30m": percentiles(r, spec.throughput * r.uniform(0.7, 1.3), 1),
    }


def endpoint_json(model: Model, spec: Spec, now: datetime) -> dict[str, Any]:
    """Render one synthesised PublicEndpoint (plus the website's `id`)."""
    r = rng("static", model["id"], spec.tag)
    params = model.get("supported_parameters") or DEFAULT_PARAMETERS
    provider = BY_SLUG[spec.slug]
    return {
        "id": endpoint_id(model["id"], spec.tag),
        "name": f"{provider.name} | {permaslug(model)}",
        "model_id": permaslug(model),
        "model_name": model.get("name"),
        "context_length": spec.context_length,
        "pricing": endpoint_pricing(model, spec.price_factor),
        "provider_name": provider.name,
        "tag": spec.tag,
        "quantization": spec.quantization,
        "max_completion_tokens": spec.max_completion_tokens,
        "max_prompt_tokens": None if r.random() < 0.9 else spec.context_length,
        "supported_parameters": list(params),
        "status": 0 if r.random() < 0.9 else r.choice([-1, -2]),
        **rolling_fields(model["id"], spec, now),
        "supports_implicit_caching": r.random() < 0.35,
    }


def bucket_of(now: datetime) -> int:
    """Return the 5-minute bucket number of a timestamp."""
    return int(now.timestamp()) // ROLLING_BUCKET_SECONDS


def endpoints_payload(model: Model, now: datetime) -> dict[str, Any]:
    """Return the `/endpoints` body of a model at time `now`."""
    return {
        "data": {
            "id": model["id"],
            "name": model.get("name"),
            "created": model.get("created"),
            "description": model.get("description"),
            "architecture": model.get("architecture") or {},
            "endpoints": [endpoint_json(model, s, now) for s in specs_for(model)],
        }
    }
