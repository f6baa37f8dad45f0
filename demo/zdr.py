"""The demo's `/endpoints/zdr`: spec-shaped demo data, not a recording.

Upstream lists every endpoint that retains no data as a PublicEndpoint (the
spec's `listEndpointsZdr`). No recording of it exists, so the demo lists a
stable share of the endpoints it serves itself, each exactly as its model's
endpoints list gives it: the same name, model_id, tag, prices and rolling stats.
Which endpoints qualify is seeded by (permaslug, tag), so every variant of a
model agrees, and the same endpoints qualify on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from demo.seeded import unit
from demo.snapshots import Model

# About this share of the demo's endpoints retain no data (upstream lists some
# 900 of a few thousand in 2026).
SHARE = 0.3
# Keys of the served endpoints that are not PublicEndpoint's (the website's id).
NOT_PUBLIC = ("id",)


def is_zdr(model_id: str, tag: str) -> bool:
    """Tell whether the demo lists the endpoint (model permaslug, tag) as ZDR."""
    return unit("zdr", model_id, tag) < SHARE


def zdr_payload(
    models: Iterable[Model], served: Callable[[Model], dict[str, Any]]
) -> dict[str, Any]:
    """The `/endpoints/zdr` body over `models`, whose endpoints body (its
    "data") `served` gives: each (model_id, tag) once, in the models' order."""
    listed: dict[tuple[str, str], dict[str, Any]] = {}
    for model in models:
        try:
            endpoints = served(model).get("endpoints") or []
        except (ArithmeticError, AttributeError, KeyError, TypeError, ValueError):
            continue  # a hostile custom catalogue's model serves no endpoints
        for endpoint in endpoints:
            key = (endpoint.get("model_id"), endpoint.get("tag"))
            # The 2025 recording's endpoints name no model_id, which every
            # item of this list has: they are not listed.
            if not all(isinstance(part, str) and part for part in key):
                continue
            if key not in listed and is_zdr(*key):
                listed[key] = {k: v for k, v in endpoint.items() if k not in NOT_PUBLIC}
    return {"data": list(listed.values())}
