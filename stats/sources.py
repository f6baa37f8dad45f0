"""Stats upstreams: fetch and parse into typed records (httpx + pydantic, no ORM).

Two separate sources with separate failure domains:
- the website's undocumented `/api/frontend/...` endpoints (no key, unstable; paths
  gained a `/v1` segment mid-2026, so each call tries `/v1` first, then the old path
  on 404);
- the documented Data API (`/datasets/*`, `/activity`), which needs a key.
Bodies of the wrong shape raise PermanentError with a readable reason; one bad row is
reported as an ItemError and skipped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from catalog.sources.base import (
    Fetched,
    HttpClient,
    PermanentError,
    data_list,
    parse_items,
)
from catalog.sources.fields import (
    BigCount,
    Day,
    Hour,
    Label,
    Lenient,
    LongLabel,
    Measure,
    Percent,
    Strings,
    Text200,
    UpstreamId,
)

FRONTEND = "/api/frontend"
AppId = Annotated[UpstreamId, Field(min_length=1)]


class ActivityDay(Lenient):
    """One day of a model's public token usage (website model-activity)."""

    date: Day
    prompt: BigCount = Field(None, alias="total_prompt_tokens")
    completion: BigCount = Field(None, alias="total_completion_tokens")
    reasoning: BigCount = Field(None, alias="total_native_tokens_reasoning")
    requests: BigCount = Field(None, alias="count")


class AppInfo(Lenient):
    id: AppId
    title: Label = ""
    slug: Label = ""
    description: LongLabel = ""
    main_url: Label = ""
    origin_url: Label = ""
    source_code_url: Label = ""
    categories: Strings = []


class TopApp(Lenient):
    """One app of a model's top apps (website top-apps-for-model)."""

    rank: Annotated[int, Field(ge=1, le=10_000)]
    tokens: BigCount = Field(None, alias="total_tokens")
    requests: BigCount = Field(None, alias="total_requests")
    app: AppInfo


class UptimePoint(Lenient):
    """One hour of uptime, percent (null when upstream had too little traffic)."""

    hour: Hour = Field(alias="date")
    uptime: Percent = None


class AvailabilityPoint(Lenient):
    hour: Hour = Field(alias="timestamp")
    uptime: Percent = Field(None, alias="availability")


class ModelUptime(BaseModel):
    """A model's hourly availability overall and per provider tag (~72 h)."""

    hourly: list[AvailabilityPoint]
    providers: dict[str, list[AvailabilityPoint]]
    errors: list[str] = []


class WebsiteEndpoint(Lenient):
    """One provider endpoint of a model as the website lists it (stats/endpoint):
    its id, which the history charts key on, and its tag (`provider_slug`)."""

    id: AppId
    provider_slug: Label = ""
    provider_name: Label = ""


def _instant(value: Any) -> datetime:
    # Change points come as ISO 8601 (with or without a zone: UTC) or as epoch
    # seconds or milliseconds.
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"not a time: {str(value)[:40]}") from None
    if not isinstance(value, str):
        raise ValueError("must be a timestamp")
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


Instant = Annotated[datetime, BeforeValidator(_instant)]
# USD per million tokens: finite, not negative, below a million.
PerMillion = Annotated[Decimal, Field(ge=0, lt=10**6, allow_inf_nan=False)]
SeriesKey = Annotated[str, Field(min_length=1, max_length=200)]


class PerformancePoint(Lenient):
    """One time of a performance chart: each endpoint's p50 (`<id>::<tier>`)."""

    hour: Hour = Field(alias="x")
    values: Annotated[dict[SeriesKey, Measure | None], Field(max_length=500)] = Field(
        default_factory=dict, alias="y"
    )


class PriceChange(Lenient):
    at: Instant
    value: PerMillion | None = None


Changes = Annotated[list[PriceChange], Field(max_length=2000)]


class ListedPrices(Lenient):
    """One endpoint's listed-price change log since its first listing (website
    listed-pricing): per price, the points where it changed."""

    endpoint_id: AppId = Field(alias="endpointId")
    provider_slug: Label = Field("", alias="providerSlug")
    provider_name: Label = Field("", alias="providerName")
    input: Changes = []
    output: Changes = []


class RankingDay(Lenient):
    """One row of the Data API's daily model rankings (top 50 + "other")."""

    date: Day
    permaslug: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        alias="model_permaslug"
    )
    tokens: BigCount = Field(None, alias="total_tokens")


class AppRankingRow(Lenient):
    """One row of the Data API's global app leaderboard."""

    rank: Annotated[int, Field(ge=1)]
    app_id: AppId
    app_name: Label = ""
    tokens: BigCount = Field(None, alias="total_tokens")
    requests: BigCount = Field(None, alias="total_requests")


class AccountActivity(Lenient):
    """One (day, model, endpoint) row of the account's own usage."""

    date: Day
    model: Annotated[Text200, Field(min_length=1)]
    model_permaslug: Label = ""
    endpoint_id: UpstreamId = ""
    provider_name: Label = ""
    # USD, stored in 10 integer digits: finite, not negative, below a billion.
    usage: Annotated[Decimal, Field(ge=0, lt=10**9)] = Decimal(0)
    requests: BigCount = 0
    prompt_tokens: BigCount = 0
    completion_tokens: BigCount = 0
    reasoning_tokens: BigCount = 0


# ---------------------------------------------------------------- website


def frontend_get(
    http: HttpClient, site_url: str, path: str, params: dict[str, Any]
) -> tuple[Any, str]:
    """GET a website stats path, `/v1` form first, the 2025 form on 404."""
    base = f"{site_url.rstrip('/')}{FRONTEND}"
    try:
        url = f"{base}/v1/{path}"
        return http.get_json(url, params=params), url
    except PermanentError as exc:
        if not str(exc).startswith("HTTP 404"):
            raise
    url = f"{base}/{path}"
    return http.get_json(url, params=params), url


def fetch_model_activity(
    http: HttpClient, site_url: str, permaslug: str, variant: str, days: int = 90
) -> Fetched[ActivityDay]:
    """Tokens per day of one model variant (the model page's activity chart)."""
    # Reference: https://openrouter.ai/api/frontend/v1/stats/model-activity (undocumented)
    params = {"permaslug": permaslug, "variant": variant, "days": days}
    body, url = frontend_get(http, site_url, "stats/model-activity", params)
    items = data_list(body, url, "data", "analytics")
    return parse_items(items, ActivityDay, _date_label, url=url)


def fetch_top_apps(
    http: HttpClient, site_url: str, permaslug: str, variant: str
) -> Fetched[TopApp]:
    """The public apps using one model most (the model page's "Apps" section)."""
    # Reference: https://openrouter.ai/api/frontend/stats/top-apps-for-model (undocumented)
    params = {"permaslug": permaslug, "variant": variant}
    body, url = frontend_get(http, site_url, "stats/top-apps-for-model", params)
    items = data_list(body, url, "data", "top_apps")
    return parse_items(items, TopApp, _rank_label, url=url)


def fetch_endpoint_uptime(
    http: HttpClient, site_url: str, endpoint_id: str
) -> Fetched[UptimePoint]:
    """Hourly uptime of one endpoint over the last ~72 hours."""
    # Reference: https://openrouter.ai/api/frontend/stats/uptime-hourly (undocumented)
    body, url = frontend_get(http, site_url, "stats/uptime-hourly", {"id": endpoint_id})
    items = data_list(body, url, "data", "history")
    return parse_items(items, UptimePoint, _date_label, url=url)


def fetch_model_uptime(
    http: HttpClient, site_url: str, permaslug: str, variant: str = "standard"
) -> ModelUptime:
    """Hourly availability of a model overall and per provider tag (~72 hours)."""
    # Reference: https://openrouter.ai/api/frontend/v1/stats/model-uptime-recent
    # (used by the official docs' UptimeChart widget; undocumented). The variant
    # is asked for as the other model-page endpoints take it.
    params = {"permaslug": permaslug, "variant": variant}
    body, url = frontend_get(http, site_url, "stats/model-uptime-recent", params)
    hourly = parse_items(
        data_list(body, url, "data", "hourly"), AvailabilityPoint, _date_label, url=url
    )
    data = body["data"]
    raw_providers = data.get("providers") or {}
    if not isinstance(raw_providers, dict):
        raise PermanentError("expected data.providers to be an object", url=url)
    providers, errors = {}, [f"{e.item}: {e.error}" for e in hourly.errors]
    for tag, points in raw_providers.items():
        if not isinstance(points, list):
            errors.append(f"provider {tag}: not a list")
            continue
        parsed = parse_items(points, AvailabilityPoint, _date_label, url=url)
        providers[str(tag)[:200]] = parsed.records
    return ModelUptime(hourly=hourly.records, providers=providers, errors=errors)


def fetch_website_endpoints(
    http: HttpClient, site_url: str, permaslug: str, variant: str
) -> Fetched[WebsiteEndpoint]:
    """A model's provider endpoints as the website names them (ids and tags)."""
    # Reference: https://openrouter.ai/api/frontend/stats/endpoint (undocumented;
    # a recording of its shape: tests/fixtures/openrouter/frontend-stats-endpoint-*)
    params = {"permaslug": permaslug, "variant": variant}
    body, url = frontend_get(http, site_url, "stats/endpoint", params)
    return parse_items(data_list(body, url), WebsiteEndpoint, _id_label, url=url)


PERFORMANCE = {"latency": "latency-comparison", "throughput": "throughput-comparison"}


def fetch_performance(
    http: HttpClient, site_url: str, permaslug: str, variant: str, metric: str
) -> Fetched[PerformancePoint]:
    """Hourly p50 `metric` ("latency" in ms, "throughput" in tokens/s) of each of a
    model's endpoints over the last 3 days (the model page's performance tab)."""
    # Reference: https://openrouter.ai/api/frontend/v1/stats/latency-comparison and
    # .../throughput-comparison (undocumented): {"data": [{"x": time, "y":
    # {"<endpoint id>::<tier>": p50}}]}; timeRange 3d is hourly, 1w daily.
    params = {"permaslug": permaslug, "variant": variant, "timeRange": "3d"}
    body, url = frontend_get(http, site_url, f"stats/{PERFORMANCE[metric]}", params)
    return parse_items(data_list(body, url), PerformancePoint, _x_label, url=url)


def performance_by_endpoint(
    points: list[PerformancePoint],
) -> dict[str, list[tuple[datetime, float]]]:
    """Each endpoint id's (hour, value) points, oldest first. Only an endpoint's
    standard line (`<id>::default`, or a bare id): its flex and priority service
    tiers are other offers than the one the board lists."""
    found: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for point in sorted(points, key=lambda p: p.hour):
        for key, value in point.values.items():
            endpoint_id, _, tier = key.partition("::")
            if value is not None and tier in ("", "default") and endpoint_id:
                found[endpoint_id[:64]].append((point.hour, value))
    return dict(found)


def fetch_listed_prices(
    http: HttpClient, site_url: str, permaslug: str, variant: str
) -> Fetched[ListedPrices]:
    """Each endpoint's listed-price changes since its first listing."""
    # Reference: https://openrouter.ai/api/frontend/v1/stats/listed-pricing
    # (undocumented): {"data": {"series": [{"endpointId", "providerSlug", "input":
    # [{"at", "value"}], "output": [...], ...}]}}, USD per million, discount applied.
    params = {"permaslug": permaslug, "variant": variant, "shape": "v4", "range": "all"}
    body, url = frontend_get(http, site_url, "stats/listed-pricing", params)
    items = data_list(body, url, "data", "series")
    return parse_items(items, ListedPrices, _id_label, url=url)


# ---------------------------------------------------------------- Data API


def fetch_rankings_daily(
    http: HttpClient, base_url: str, start: date, end: date
) -> Fetched[RankingDay]:
    """Tokens per day of the top 50 models a day (+ an "other" row); key needed."""
    # Reference: https://openrouter.ai/docs/api-reference/datasets/rankings-daily
    url = f"{base_url.rstrip('/')}/datasets/rankings-daily"
    params = {"start_date": start.isoformat(), "end_date": end.isoformat()}
    body = http.get_json(url, params=params)
    return parse_items(data_list(body, url), RankingDay, _date_label, url=url)


def fetch_app_rankings(
    http: HttpClient, base_url: str, start: date, end: date, limit: int = 100
) -> Fetched[AppRankingRow]:
    """The global app leaderboard over a window; key needed."""
    # Reference: https://openrouter.ai/docs/api-reference/datasets/app-rankings
    url = f"{base_url.rstrip('/')}/datasets/app-rankings"
    params = {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "limit": limit,
    }
    body = http.get_json(url, params=params)
    return parse_items(data_list(body, url), AppRankingRow, _rank_label, url=url)


def fetch_account_activity(http: HttpClient, base_url: str) -> Fetched[AccountActivity]:
    """The account's own usage per model and day (last 30 days); management key."""
    # Reference: https://openrouter.ai/docs/api-reference/analytics/get-activity
    url = f"{base_url.rstrip('/')}/activity"
    body = http.get_json(url)
    return parse_items(data_list(body, url), AccountActivity, _date_label, url=url)


def _date_label(item: Any, index: int) -> str:
    value = None
    if isinstance(item, dict):
        value = item.get("date") or item.get("timestamp")
    return f"row {str(value)[:40]}" if value else f"row #{index}"


def _id_label(item: Any, index: int) -> str:
    value = None
    if isinstance(item, dict):
        value = item.get("id") or item.get("endpointId")
    return f"endpoint {str(value)[:64]}" if value else f"row #{index}"


def _x_label(item: Any, index: int) -> str:
    value = item.get("x") if isinstance(item, dict) else None
    return f"row {str(value)[:40]}" if value else f"row #{index}"


def _rank_label(item: Any, index: int) -> str:
    value = item.get("rank") if isinstance(item, dict) else None
    return f"rank {str(value)[:20]}" if value else f"row #{index}"
