"""The OpenRouter URL shapes served by the demo upstream (GET only)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

from demo import classifications, history, kinds, stats, zdr
from demo.benchmarks import benchmarks_payload, problem
from demo.faults import Response, error
from demo.providers import providers_payload
from demo.snapshots import (
    GEMINI_ID,
    PRICING,
    RECORDED_DATES,
    Model,
    gemini_endpoints,
    model_index,
    models_for,
    pricing_endpoints,
)
from demo.synth import endpoints_payload

ENDPOINTS_PATH = re.compile(r"^/api/v1/models/(?P<model>.+)/endpoints/?$")


class BadRequest(ValueError):
    """A missing or malformed query parameter (answered with 400)."""


Route = Callable[["Context"], Response]


@dataclass(frozen=True)
class Context:
    """Everything a route needs to answer one request."""

    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    snapshot: str
    now: datetime

    def param(self, name: str) -> str:
        """Return a required query parameter or raise BadRequest."""
        value = self.query.get(name)
        if not value:
            raise BadRequest(f"missing query parameter {name!r}")
        return value

    def int_param(self, name: str, default: int, low: int, high: int) -> int:
        """Return an optional integer parameter clamped to [low, high]."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return max(low, min(high, int(raw)))
        except ValueError as exc:
            raise BadRequest(f"{name} must be an integer") from exc

    def authorized(self) -> bool:
        """Tell whether a bearer key was sent (any value is accepted)."""
        auth = self.headers.get("authorization") or ""
        return auth.startswith("Bearer ") and len(auth.strip()) > len("Bearer")


@functools.cache
def encoded_models(name: str) -> bytes:
    """Return the encoded `/models` body of a snapshot (encoded once per process)."""
    return json.dumps({"data": list(models_for(name))}).encode("utf-8")


def models(ctx: Context) -> Response:
    """GET /api/v1/models: the recorded objects of the current snapshot."""
    return Response(200, body=encoded_models(ctx.snapshot))


def providers(ctx: Context) -> Response:
    """GET /api/v1/providers."""
    return Response(200, providers_payload())


def endpoints(ctx: Context, key: str) -> Response:
    """GET /api/v1/models/{author}/{slug}/endpoints (id or canonical slug)."""
    model = model_index(ctx.snapshot).get(unquote(key))
    if model is None:
        return error(404, "Model not found")
    return Response(200, endpoints_body(ctx, model))


def endpoints_body(ctx: Context, model: Model) -> dict[str, Any]:
    """The endpoints body of one model of the current snapshot."""
    if model["id"] == GEMINI_ID and ctx.snapshot in RECORDED_DATES:
        return gemini_endpoints()  # a real recording beats synthesis
    payload = endpoints_payload(model, ctx.now)
    if ctx.snapshot in PRICING and model["id"] in pricing_endpoints():
        # The tiered models' endpoints as recorded: tiers and service tiers.
        payload["data"]["endpoints"] = pricing_endpoints()[model["id"]]
    return payload


def endpoints_zdr(ctx: Context) -> Response:
    """GET /api/v1/endpoints/zdr: the served endpoints demo/zdr.py marks ZDR."""
    models = {id(m): m for m in model_index(ctx.snapshot).values()}.values()
    return Response(
        200, zdr.zdr_payload(models, lambda m: endpoints_body(ctx, m)["data"])
    )


def uptime_hourly(ctx: Context) -> Response:
    """GET /api/frontend/stats/uptime-hourly?id=."""
    return Response(200, stats.uptime_hourly(ctx.param("id"), ctx.now))


def model_uptime_recent(ctx: Context) -> Response:
    """GET /api/frontend/v1/stats/model-uptime-recent?permaslug=&variant=."""
    slug = ctx.param("permaslug")
    var = ctx.query.get("variant") or "standard"
    index = model_index(ctx.snapshot)
    # A variant's providers are its own (":free" endpoints are not the paid ones).
    model = index.get(slug if var == "standard" else f"{slug}:{var}") or index.get(slug)
    recorded = None
    if model and model["id"] == GEMINI_ID and ctx.snapshot in RECORDED_DATES:
        recorded = gemini_endpoints()  # its providers are the recorded ones
    return Response(200, stats.model_uptime_recent(slug, model, ctx.now, recorded))


def _model_of(ctx: Context) -> tuple[Model | None, str, dict[str, Any] | None]:
    """The model a website stats request names (its variant's own entry first),
    its variant, and its recorded endpoints body when there is one."""
    slug = ctx.param("permaslug")
    var = ctx.query.get("variant") or "standard"
    index = model_index(ctx.snapshot)
    model = index.get(slug if var == "standard" else f"{slug}:{var}") or index.get(slug)
    recorded = None
    if model and model["id"] == GEMINI_ID and ctx.snapshot in RECORDED_DATES:
        recorded = gemini_endpoints()
    return model, var, recorded


def website_endpoints(ctx: Context) -> Response:
    """GET /api/frontend/(v1/)stats/endpoint?permaslug=&variant=."""
    model, var, recorded = _model_of(ctx)
    return Response(200, history.website_endpoints(model, var, recorded))


def performance(metric: str) -> Route:
    def answer(ctx: Context) -> Response:
        """GET /api/frontend/(v1/)stats/{metric}-comparison?permaslug=&timeRange=."""
        model, _, recorded = _model_of(ctx)
        time_range = ctx.query.get("timeRange") or "3d"
        body = history.performance(model, metric, time_range, ctx.now, recorded)
        return Response(200, body)

    return answer


def listed_pricing(ctx: Context) -> Response:
    """GET /api/frontend/(v1/)stats/listed-pricing?permaslug=&variant=."""
    model, _, recorded = _model_of(ctx)
    return Response(200, history.listed_pricing(model, ctx.now, recorded))


def top_apps(ctx: Context) -> Response:
    """GET /api/frontend/(v1/)stats/top-apps-for-model?permaslug=&variant=."""
    payload = stats.top_apps(
        ctx.snapshot, ctx.param("permaslug"), ctx.query.get("variant"), ctx.now
    )
    return Response(200, payload)


def model_activity(ctx: Context) -> Response:
    """GET /api/frontend/v1/stats/model-activity?permaslug=&variant=&days=."""
    days = ctx.int_param(
        "days", stats.DEFAULT_ACTIVITY_DAYS, 1, stats.MAX_ACTIVITY_DAYS
    )
    payload = stats.model_activity(
        ctx.snapshot, ctx.param("permaslug"), ctx.query.get("variant"), ctx.now, days
    )
    return Response(200, payload)


def window(ctx: Context) -> tuple[date, date]:
    """Parse the Data API date window."""
    try:
        return stats.date_window(
            ctx.query.get("start_date"), ctx.query.get("end_date"), ctx.now
        )
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


def rankings_daily(ctx: Context) -> Response:
    """GET /api/v1/datasets/rankings-daily (key required)."""
    start, end = window(ctx)
    return Response(
        200,
        stats.rankings_daily(
            ctx.snapshot, models_for(ctx.snapshot), start, end, ctx.now
        ),
    )


def app_rankings(ctx: Context) -> Response:
    """GET /api/v1/datasets/app-rankings (key required)."""
    start, end = window(ctx)
    limit = ctx.int_param("limit", 50, 1, 100)
    offset = ctx.int_param("offset", 0, 0, 100)
    return Response(
        200, stats.app_rankings(ctx.snapshot, start, end, ctx.now, limit, offset)
    )


def benchmarks(ctx: Context) -> Response:
    """GET /api/v1/benchmarks (key required): spec-shaped demo scores."""
    if found := problem(ctx.query):
        raise BadRequest(found)
    return Response(200, benchmarks_payload(models_for(ctx.snapshot), ctx.query))


def activity(ctx: Context) -> Response:
    """GET /api/v1/activity (key required)."""
    return Response(200, stats.account_activity(models_for(ctx.snapshot), ctx.now))


def task_classifications(ctx: Context) -> Response:
    """GET /api/v1/classifications/task (key required; spec-shaped demo data)."""
    window = ctx.query.get("window") or "7d"
    if window not in classifications.WINDOWS:
        raise BadRequest(f"window must be one of {', '.join(classifications.WINDOWS)}")
    return Response(200, classifications.classifications_payload())


PUBLIC: dict[str, Route] = {
    "/api/v1/models": models,
    "/api/v1/providers": providers,
    "/api/v1/endpoints/zdr": endpoints_zdr,
    "/api/frontend/stats/uptime-hourly": uptime_hourly,
    "/api/frontend/v1/stats/uptime-hourly": uptime_hourly,
    "/api/frontend/stats/model-uptime-recent": model_uptime_recent,
    "/api/frontend/v1/stats/model-uptime-recent": model_uptime_recent,
    "/api/frontend/stats/top-apps-for-model": top_apps,
    "/api/frontend/v1/stats/top-apps-for-model": top_apps,
    "/api/frontend/stats/model-activity": model_activity,
    "/api/frontend/v1/stats/model-activity": model_activity,
    "/api/frontend/stats/endpoint": website_endpoints,
    "/api/frontend/v1/stats/endpoint": website_endpoints,
    "/api/frontend/stats/latency-comparison": performance("latency"),
    "/api/frontend/v1/stats/latency-comparison": performance("latency"),
    "/api/frontend/stats/throughput-comparison": performance("throughput"),
    "/api/frontend/v1/stats/throughput-comparison": performance("throughput"),
    "/api/frontend/stats/listed-pricing": listed_pricing,
    "/api/frontend/v1/stats/listed-pricing": listed_pricing,
}
KEYED: dict[str, Route] = {
    "/api/v1/datasets/rankings-daily": rankings_daily,
    "/api/v1/datasets/app-rankings": app_rankings,
    "/api/v1/activity": activity,
    classifications.PATH: task_classifications,
    "/api/v1/benchmarks": benchmarks,
}


def route(ctx: Context) -> Response:
    """Answer a GET for the upstream URL shapes; 404 JSON for anything else."""
    try:
        return dispatch(ctx)
    except BadRequest as exc:
        return error(400, str(exc))


def dispatch(ctx: Context) -> Response:
    """Pick the route for a path."""
    if ctx.path in PUBLIC:
        return PUBLIC[ctx.path](ctx)
    if ctx.path in KEYED:
        if not ctx.authorized():
            return error(401, "No auth credentials found")
        return KEYED[ctx.path](ctx)
    other = kinds.route(ctx.path, dict(ctx.query))
    if other is not None:
        return other
    match = ENDPOINTS_PATH.match(ctx.path)
    if match:
        return endpoints(ctx, match.group("model"))
    return error(404, "Not Found")
