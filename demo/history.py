"""Deterministic synthesis of the website's model-page history: each endpoint's
latency and throughput over time (the performance tab's charts), its listed-price
change log since its first listing, and the endpoint list that names them by id
(the shape of the recorded `stats/endpoint` body in demo/data).

An endpoint's values scatter around the typical latency and throughput of its
synthesised spec, as the endpoints API's rolling figures do; its price log ends
at the price the endpoints API lists now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from demo.providers import BY_SLUG
from demo.seeded import rng, unit
from demo.snapshots import Model, permaslug
from demo.synth import Spec, endpoint_id, endpoint_pricing, specs_for
from demo.uptime import floor_time

# timeRange: (points, step). Upstream draws 3 days by the hour, a week by the day.
RANGES = {"3d": (72, timedelta(hours=1)), "1w": (7, timedelta(days=1))}
GAP = 0.04  # an hour without enough traffic has no point
MILLION = Decimal(1_000_000)


class Member(NamedTuple):
    """One endpoint of a model as the history endpoints key it."""

    id: str
    tag: str
    provider: str
    latency_ms: float
    throughput: float
    pricing: dict[str, Any]


def members(
    model: Model | None, recorded: dict[str, Any] | None = None
) -> list[Member]:
    """A model's endpoints: a recorded endpoints body's, else its synthesised specs."""
    if model is None:
        return []
    if recorded is None:
        return [_member(model, spec) for spec in specs_for(model)]
    found = []
    for endpoint in recorded["data"]["endpoints"]:
        tag = endpoint.get("tag") or ""
        r = rng("history-spec", model["id"], tag)
        found.append(
            Member(
                endpoint_id(model["id"], tag),
                tag,
                endpoint.get("provider_name") or tag,
                r.uniform(200, 3000),
                r.uniform(10, 250),
                endpoint.get("pricing") or {},
            )
        )
    return found


def _member(model: Model, spec: Spec) -> Member:
    return Member(
        endpoint_id(model["id"], spec.tag),
        spec.tag,
        BY_SLUG[spec.slug].name,
        spec.latency_ms,
        spec.throughput,
        endpoint_pricing(model, spec.price_factor),
    )


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S")


def website_endpoints(
    model: Model | None, var: str, recorded: dict[str, Any] | None = None
) -> dict[str, Any]:
    """GET stats/endpoint: each endpoint's id, provider and tag, and its stats."""
    rows = []
    for m in members(model, recorded):
        assert model is not None
        r = rng("website-endpoint", m.id)
        rows.append(
            {
                "id": m.id,
                "name": f"{m.provider} | {permaslug(model)}",
                "context_length": model.get("context_length"),
                "model_variant_slug": model["id"],
                "model_variant_permaslug": permaslug(model),
                "provider_name": m.provider,
                "provider_display_name": m.provider,
                "provider_slug": m.tag,
                "variant": var,
                "is_free": var == "free",
                "pricing": m.pricing,
                "stats": {
                    "endpoint_id": m.id,
                    "p50_latency": round(m.latency_ms * r.uniform(0.8, 1.2)),
                    "p50_throughput": round(m.throughput * r.uniform(0.8, 1.2), 1),
                    "request_count": r.randint(50, 50_000),
                },
            }
        )
    return {"data": rows}


def performance(
    model: Model | None,
    metric: str,
    time_range: str,
    now: datetime,
    recorded: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """GET stats/latency-comparison or throughput-comparison: each endpoint's p50
    at each hour (3d) or day (1w) up to the current one."""
    points, step = RANGES.get(time_range, RANGES["3d"])
    end = floor_time(now, 60)
    if step == timedelta(days=1):
        end = end.replace(hour=0)
    times = [end - step * n for n in range(points - 1, -1, -1)]
    endpoints = members(model, recorded)
    return {
        "data": [
            {
                "x": stamp(t),
                "y": {f"{m.id}::default": _p50(m, metric, t) for m in endpoints},
            }
            for t in times
        ]
    }


def _p50(member: Member, metric: str, at: datetime) -> float | None:
    key = (member.id, metric, at.isoformat())
    if unit("perf-gap", *key) < GAP:
        return None
    r = rng("perf", *key)
    if metric == "latency":
        return round(member.latency_ms * r.uniform(0.7, 1.4))
    return round(member.throughput * r.uniform(0.7, 1.3), 1)


def listed_pricing(
    model: Model | None, now: datetime, recorded: dict[str, Any] | None = None
) -> dict[str, Any]:
    """GET stats/listed-pricing: each endpoint's input and output prices (USD per
    million, discount applied) at its first listing and at each change since,
    ending at today's. About a third of endpoints changed price once."""
    if model is None:
        return {"data": {"series": []}}
    created = model.get("created")
    listed = (
        datetime.fromtimestamp(created, tz=UTC)
        if isinstance(created, int) and created > 0
        else now - timedelta(days=90)
    )
    series = []
    for m in members(model, recorded):
        found = {k: _per_million(m.pricing.get(k)) for k in ("prompt", "completion")}
        prices = {k: v for k, v in found.items() if v is not None}
        if len(prices) < len(found):
            continue  # a variable price has no log
        points = {k: [(listed, v)] for k, v in prices.items()}
        if unit("price-change", m.id) < 0.35 and now - listed > timedelta(days=2):
            # Listed dearer at first, cut to today's price since.
            changed = listed + (now - listed) * (0.2 + 0.6 * unit("price-when", m.id))
            factor = Decimal(1) + Decimal(str(round(0.1 + 0.4 * unit("cut", m.id), 2)))
            points = {
                k: [(listed, (v * factor).quantize(Decimal("1e-6"))), (changed, v)]
                for k, v in prices.items()
            }
        series.append(
            {
                "endpointId": m.id,
                "providerName": m.provider,
                "providerSlug": m.tag,
                "input": _points(points["prompt"]),
                "output": _points(points["completion"]),
                "discount": [],
            }
        )
    return {"data": {"series": series}}


def _per_million(value: Any) -> Decimal | None:
    if not isinstance(value, str) or value.startswith("-"):
        return None
    return (Decimal(value) * MILLION).normalize()


def _points(points: list[tuple[datetime, Decimal]]) -> list[dict[str, Any]]:
    return [
        {"at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "value": float(value)}
        for at, value in points
    ]
