"""Deterministic synthesis of the website stats and Data API bodies.

Daily figures depend only on (snapshot, permaslug, variant, date), never on the
clock, so two polls of the same day return identical rows; `now` only picks the
window. How much a model draws is the snapshot's popularity prior
(demo.popularity); every total is a sum of the same daily figures, so they agree:
a model's apps never add up to more than its tokens, and an app's total on the
leaderboard is its tokens over every model it uses.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from demo.popularity import popularity
from demo.providers import BY_SLUG
from demo.seeded import rng, unit
from demo.snapshots import Model, models_for, permaslug, variant
from demo.synth import endpoint_id, request_weight, specs_for
from demo.uptime import availability, floor_time, hourly, mean, series, weighted

EPOCH = date(2024, 1, 1)
TEN_MINUTE_POINTS = 144
MAX_ACTIVITY_DAYS = 400
DEFAULT_ACTIVITY_DAYS = 90
MAX_RANKING_SPAN_DAYS = 366


class App(NamedTuple):
    """One app from the fixed pool that "uses" models."""

    title: str
    slug: str
    url: str
    categories: tuple[str, ...]
    source_code_url: str | None


APPS: tuple[App, ...] = (
    App("Cline", "cline", "https://cline.bot", ("coding",), "https://github.com/cline/cline"),
    App("Roo Code", "roo-code", "https://roocode.com", ("coding",), "https://github.com/RooCodeInc/Roo-Code"),
    App("Kilo Code", "kilo-code", "https://kilocode.ai", ("coding",), "https://github.com/Kilo-Org/kilocode"),
    App("SillyTavern", "sillytavern", "https://sillytavern.app", ("roleplay",), "https://github.com/SillyTavern/SillyTavern"),
    App("Janitor AI", "janitor-ai", "https://janitorai.com", ("roleplay",), None),
    App("Chub AI", "chub-ai", "https://chub.ai", ("roleplay",), None),
    App("Open WebUI", "open-webui", "https://openwebui.com", ("chat",), "https://github.com/open-webui/open-webui"),
    App("LibreChat", "librechat", "https://librechat.ai", ("chat",), "https://github.com/danny-avila/LibreChat"),
    App("Aider", "aider", "https://aider.chat", ("coding", "cli"), "https://github.com/Aider-AI/aider"),
    App("Continue", "continue", "https://continue.dev", ("coding",), "https://github.com/continuedev/continue"),
    App("Zed", "zed", "https://zed.dev", ("coding",), "https://github.com/zed-industries/zed"),
    App("Goose", "goose", "https://block.github.io/goose", ("agents",), "https://github.com/block/goose"),
    App("OpenHands", "openhands", "https://all-hands.dev", ("agents", "coding"), "https://github.com/All-Hands-AI/OpenHands"),
    App("Novelcrafter", "novelcrafter", "https://novelcrafter.com", ("writing",), None),
    App("ChatBox", "chatbox", "https://chatboxai.app", ("chat",), "https://github.com/chatboxai/chatbox"),
    App("LobeChat", "lobechat", "https://lobehub.com", ("chat",), "https://github.com/lobehub/lobe-chat"),
    App("Agnai", "agnai", "https://agnai.chat", ("roleplay",), "https://github.com/agnaistic/agnai"),
    App("TypingMind", "typingmind", "https://typingmind.com", ("chat",), None),
    App("Obsidian Copilot", "obsidian-copilot", "https://obsidiancopilot.com", ("productivity",), "https://github.com/logancyang/obsidian-copilot"),
    App("n8n", "n8n", "https://n8n.io", ("automation",), "https://github.com/n8n-io/n8n"),
)  # fmt: skip


# ---------------------------------------------------------------- daily tokens


def split_permaslug(slug: str, requested_variant: str | None) -> tuple[str, str]:
    """Split "x:free" into ("x", "free"); an explicit variant query param wins."""
    base, _, suffix = slug.partition(":")
    return base, requested_variant or suffix or "standard"


def daily_tokens(snapshot: str, slug: str, var: str, day: date) -> int:
    """Return total tokens for a model variant on a day: its popularity's level,
    weekly rhythm, growth and occasional slow weeks."""
    level = 10 ** (6.5 + 3.5 * popularity(snapshot, slug, var))
    growth = 1.0 + 0.003 * max(0, (day - EPOCH).days)
    weekly = 1.0 if day.weekday() < 5 else 0.72
    year, week, _ = day.isocalendar()
    slow = 0.45 if unit("slow", slug, var, year, week) < 0.08 else 1.0
    noise = 0.85 + 0.3 * unit("noise", slug, var, day.isoformat())
    return max(1, int(level * growth * weekly * slow * noise))


def token_split(snapshot: str, slug: str, var: str, day: date) -> dict[str, int]:
    """Split a day's tokens into prompt/completion/reasoning and a request count."""
    total = daily_tokens(snapshot, slug, var, day)
    completion = int(total * (0.12 + 0.2 * unit("completion-share", slug)))
    reasons = unit("reasons", slug) < 0.5
    reasoning = (
        int(completion * (0.1 + 0.4 * unit("reasoning-share", slug))) if reasons else 0
    )
    per_request = 800 + 6000 * unit("tokens-per-request", slug)
    return {
        "total_prompt_tokens": total - completion,
        "total_completion_tokens": completion,
        "total_native_tokens_reasoning": reasoning,
        "count": max(1, int(total / per_request)),
    }


def completed_days(now: datetime, days: int) -> list[date]:
    """Return the last `days` completed UTC days, oldest first."""
    today = now.date()
    return [today - timedelta(days=n) for n in range(days, 0, -1)]


def model_activity(
    snapshot: str, slug: str, var: str | None, now: datetime, days: int
) -> dict[str, Any]:
    """Return the model-activity body: one row a day for `days` completed days."""
    base, var = split_permaslug(slug, var)
    variant_slug = base if var == "standard" else f"{base}:{var}"
    rows = [
        {
            "date": f"{day.isoformat()} 00:00:00",
            "model_permaslug": base,
            "variant": var,
            "variant_permaslug": variant_slug,
            **token_split(snapshot, base, var, day),
        }
        for day in completed_days(now, days)
    ]
    return {"data": {"analytics": rows}}


# ---------------------------------------------------------------- uptime


def stamp(at: datetime) -> str:
    """Format a UTC time the way the website does (no T, no zone)."""
    return at.strftime("%Y-%m-%d %H:%M:%S")


def uptime_hourly(endpoint_id: str, now: datetime) -> dict[str, Any]:
    """Return 72 hourly uptime points of one endpoint."""
    history = [{"date": stamp(t), "uptime": v} for t, v in hourly(endpoint_id, now)]
    return {"data": {"history": history}}


def without_routing(key: str, at: datetime, value: float | None) -> float | None:
    """Availability without fallback routing is a little lower than with it."""
    if value is None:
        return None
    return round(max(0.0, value - 2.0 * unit("no-routing", key, at.isoformat())), 2)


class Member(NamedTuple):
    """One endpoint of a model as the uptime endpoints see it."""

    tag: str
    endpoint_id: str
    weight: float


def roster(model: Model | None, recorded: dict[str, Any] | None = None) -> list[Member]:
    """A model's endpoints (a recorded endpoints body's when given), weighted by
    their share of the model's requests."""
    if model is None:
        return []
    if recorded is not None:
        tags = [e.get("tag") or "" for e in recorded["data"]["endpoints"]]
    else:
        tags = [spec.tag for spec in specs_for(model)]
    return [
        Member(tag, endpoint_id(model["id"], tag), request_weight(model["id"], tag))
        for tag in tags
    ]


def mixed(
    slug: str, members: list[Member], times: list[datetime]
) -> list[tuple[datetime, float | None]]:
    """The "all providers" line: the request-weighted mix of the members' lines
    (a model with no endpoints of its own, a router, has a line of its own)."""
    if not members:
        return [(t, availability(slug, t)) for t in times]
    return [
        (t, weighted([(m.weight, availability(m.endpoint_id, t)) for m in members]))
        for t in times
    ]


def model_uptime_recent(
    slug: str,
    model: Model | None,
    now: datetime,
    recorded: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the model-uptime-recent body (72 hourly + 144 ten-minute points)."""
    members = roster(model, recorded)
    hours = [t for t, _ in hourly(slug, now)]
    tens = [
        t
        for t, _ in series(
            slug, floor_time(now, 10), timedelta(minutes=10), TEN_MINUTE_POINTS
        )
    ]
    buckets = [
        {
            "timestamp": stamp(t),
            "availability": v,
            "availabilityWithoutRouting": without_routing(slug, t, v),
        }
        for t, v in mixed(slug, members, tens)
    ]
    return {
        "data": {
            "availability": mean(b["availability"] for b in buckets),  # type: ignore[misc]  # floats or None by construction
            "uptime": mean(b["availabilityWithoutRouting"] for b in buckets),  # type: ignore[misc]
            "hourly": [
                {"timestamp": stamp(t), "availability": v}
                for t, v in mixed(slug, members, hours)
            ],
            "buckets": buckets,
            "providers": {
                m.tag: [
                    {"timestamp": stamp(t), "availability": v}
                    for t, v in hourly(m.endpoint_id, now)
                ]
                for m in members
            },
        }
    }


# ---------------------------------------------------------------- apps


def app_id(app: App) -> int:
    """Return a stable numeric id for an app."""
    return 10_000 + int(unit("app-id", app.slug) * 900_000)


def app_json(app: App) -> dict[str, Any]:
    """Render an app object as the website does."""
    created = datetime(2023, 6, 1) + timedelta(
        days=int(600 * unit("app-created", app.slug))
    )
    return {
        "id": app_id(app),
        "title": app.title,
        "slug": app.slug,
        "description": f"{app.title} ({', '.join(app.categories)})",
        "origin_url": app.url + "/",
        "main_url": app.url,
        "source_code_url": app.source_code_url,
        "favicon_url": None,
        "categories": list(app.categories),
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


APP_WINDOW_DAYS = 7


def app_shares(base: str, var: str) -> list[tuple[App, float]]:
    """The 3-8 apps of a model variant and the share of its tokens each sends,
    largest first (together at most 85 %: the rest is unattributed traffic)."""
    r = rng("apps", base, var)
    chosen = r.sample(APPS, r.randint(3, 8))
    raw = [r.uniform(0.02, 0.3) for _ in chosen]
    share = 0.3 + 0.55 * unit("apps-share", base, var)
    weights = [w * share / sum(raw) for w in raw]
    return sorted(zip(chosen, weights, strict=True), key=lambda p: p[1], reverse=True)


def app_tokens(
    snapshot: str, base: str, var: str, days: list[date]
) -> list[tuple[App, int]]:
    """Each app's tokens on a model variant over `days` (whole tokens, as listed)."""
    total = sum(daily_tokens(snapshot, base, var, d) for d in days)
    return [(app, int(total * w)) for app, w in app_shares(base, var)]


def top_apps(
    snapshot: str, slug: str, var: str | None, now: datetime
) -> dict[str, Any]:
    """Return top-apps-for-model: the model's apps over the last 7 completed days
    (never more than the model had)."""
    base, var = split_permaslug(slug, var)
    per_request = 800 + 6000 * unit("tokens-per-request", base)
    week = completed_days(now, APP_WINDOW_DAYS)
    rows = [
        {
            "rank": rank,
            "total_tokens": str(tokens),
            "total_requests": max(1, int(tokens / per_request)),
            "app": app_json(app),
        }
        for rank, (app, tokens) in enumerate(
            app_tokens(snapshot, base, var, week), start=1
        )
    ]
    chart = [chart_row(snapshot, base, var, d) for d in completed_days(now, 30)]
    return {"data": {"top_apps": rows, "top_apps_chart": chart}}


def chart_row(snapshot: str, slug: str, var: str, day: date) -> dict[str, Any]:
    """Return one daily model-total row of top_apps_chart."""
    split = token_split(snapshot, slug, var, day)
    return {
        "date": f"{day.isoformat()} 00:00:00",
        **split,
        "total_native_tokens_cached": int(split["total_prompt_tokens"] * 0.2),
        "total_tool_calls": int(split["count"] * 0.1),
        "requests_with_tool_call_errors": int(split["count"] * 0.004),
        "num_media_prompt": 0,
        "num_media_completion": 0,
        "num_audio_prompt": 0,
    }


# ---------------------------------------------------------------- Data API


def meta(now: datetime, start: date, end: date) -> dict[str, Any]:
    """Return the Data API `meta` object."""
    return {
        "as_of": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "version": "v1",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }


def date_window(start: str | None, end: str | None, now: datetime) -> tuple[date, date]:
    """Parse start/end (default: last 30 completed days); raise ValueError if invalid."""
    end_day = date.fromisoformat(end) if end else now.date() - timedelta(days=1)
    start_day = date.fromisoformat(start) if start else end_day - timedelta(days=29)
    if start_day > end_day or (end_day - start_day).days >= MAX_RANKING_SPAN_DAYS:
        raise ValueError("start_date must be <= end_date and span at most 366 days")
    return start_day, end_day


def ranking_keys(models: Sequence[Model]) -> list[tuple[str, str, str]]:
    """Return unique (listed permaslug, base permaslug, variant) for a snapshot."""
    keys: dict[str, tuple[str, str, str]] = {}
    for model in models:
        # A catalogue handed over as data may hold anything: models only.
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            continue
        if not isinstance(permaslug(model), str):
            continue
        base, var = permaslug(model).partition(":")[0], variant(model["id"])
        listed = base if var == "standard" else f"{base}:{var}"
        keys.setdefault(listed, (listed, base, var))
    return list(keys.values())


def rankings_for_day(
    snapshot: str, keys: list[tuple[str, str, str]], day: date
) -> list[dict[str, Any]]:
    """Return the top 50 models of a day plus an "other" row."""
    totals = sorted(
        ((daily_tokens(snapshot, b, v, day), s) for s, b, v in keys), reverse=True
    )
    rows = [
        {"date": day.isoformat(), "model_permaslug": s, "total_tokens": str(t)}
        for t, s in totals[:50]
    ]
    other = sum(t for t, _ in totals[50:])
    rows.append(
        {
            "date": day.isoformat(),
            "model_permaslug": "other",
            "total_tokens": str(other),
        }
    )
    return rows


def rankings_daily(
    snapshot: str, models: Sequence[Model], start: date, end: date, now: datetime
) -> dict[str, Any]:
    """Return the rankings-daily body for a window."""
    keys = ranking_keys(models)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rows = [row for day in days for row in rankings_for_day(snapshot, keys, day)]
    return {"data": rows, "meta": meta(now, start, end)}


@functools.cache
def app_totals(snapshot: str, start: date, end: date) -> list[tuple[int, App]]:
    """Each app's tokens over every model of the snapshot in [start, end], most
    first: the sum of what each model's page lists for it over the same days."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    totals: dict[str, int] = dict.fromkeys((a.slug for a in APPS), 0)
    for _, base, var in ranking_keys(models_for(snapshot)):
        for app, tokens in app_tokens(snapshot, base, var, days):
            totals[app.slug] += tokens
    return sorted(
        ((totals[a.slug], a) for a in APPS if totals[a.slug]),
        key=lambda pair: (-pair[0], pair[1].slug),
    )


def app_rankings(
    snapshot: str, start: date, end: date, now: datetime, limit: int, offset: int
) -> dict[str, Any]:
    """Return the global app leaderboard over a window."""
    totals = app_totals(snapshot, start, end)
    rows = [
        {
            "rank": rank,
            "app_id": app_id(app),
            "app_name": app.title,
            "total_tokens": str(tokens),
            "total_requests": max(1, tokens // 3000),
        }
        for rank, (tokens, app) in enumerate(totals, start=1)
    ]
    return {"data": rows[offset : offset + limit], "meta": meta(now, start, end)}


def activity_models(models: Sequence[Model], count: int = 5) -> list[Model]:
    """Pick a stable handful of models with endpoints for the account activity."""
    usable = [m for m in models if specs_for(m)]
    return sorted(usable, key=lambda m: unit("activity-pick", m["id"]))[:count]


def activity_row(model: Model, day: date) -> dict[str, Any]:
    """Return one account-activity row (one model, one day)."""
    spec = specs_for(model)[0]
    r = rng("activity", model["id"], day.isoformat())
    requests = r.randint(1, 40)
    prompt, completion = requests * r.randint(200, 4000), requests * r.randint(50, 800)
    pricing = model.get("pricing") or {}
    usage = prompt * Decimal(pricing.get("prompt") or 0)
    usage += completion * Decimal(pricing.get("completion") or 0)
    return {
        "date": day.isoformat(),
        "model": model["id"],
        "model_permaslug": permaslug(model),
        "endpoint_id": endpoint_id(model["id"], spec.tag),
        "provider_name": BY_SLUG[spec.slug].name,
        "usage": float(usage),
        "byok_usage_inference": 0,
        "requests": requests,
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "reasoning_tokens": int(completion * 0.1 * r.random()),
    }


def account_activity(models: Sequence[Model], now: datetime) -> dict[str, Any]:
    """Return /api/v1/activity: last 30 completed days for a handful of models."""
    picked = activity_models(models)
    rows = [activity_row(m, d) for d in completed_days(now, 30) for m in picked]
    return {"data": rows}
