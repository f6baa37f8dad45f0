"""The model page: one read of each owner's data, composed here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from catalog import prices
from catalog.history import PricePoint, price_changes, price_history_points
from catalog.models import LanguageModel, SyncKind
from catalog.runs import runs_latest
from catalog.selectors import model_get, model_variants
from changes.selectors import model_changes
from front import chartrules as rules
from front import charts
from front.chartrules import ChartSection
from front.firstsync import catalogue_empty, first_sync_page
from front.offers import has_perf, provider_offers
from front.polls import next_polls
from front.samples import PARAMETER_DOCS, REQUEST_DOCS, sample_code
from stats.models import UsageSource
from stats.selectors import ModelStats, model_stats_get

# The runs whose freshness the page's sections show.
RUN_KINDS = (
    SyncKind.CATALOG,
    SyncKind.ENDPOINTS,
    SyncKind.STATS_ACTIVITY,
    SyncKind.STATS_APPS,
    SyncKind.STATS_UPTIME,
    SyncKind.STATS_DATASETS,
)

# Upstream sends latency and throughput only to polls made with an API key, and only
# for providers with recent traffic: more polls without a key will not fill these.
NO_PERF = (
    "Upstream reported no {what} for this model's providers: it sends latency and "
    "throughput to polls made with an API key (OPENROUTER_API_KEY), for providers "
    "with recent traffic."
)


def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    # Hidden models keep their page for staff only.
    found = model_get(f"{author}/{slug}", request.user)
    if found is None and catalogue_empty():
        return first_sync_page(request)
    if found is None:
        raise Http404(f"No model {author}/{slug} in the catalogue.")
    model, endpoints = found
    stats = model_stats_get(model, endpoints)
    offers = provider_offers(endpoints, stats.samples)
    points = price_history_points(model, endpoints)
    runs = runs_latest(RUN_KINDS)
    polls = next_polls(runs)
    expires_in = None
    if model.expiration_date:
        expires_in = (model.expiration_date - timezone.now().date()).days
    from_rankings = stats.token_source == UsageSource.RANKINGS
    context = {
        "model": model,
        "offers": offers,
        "has_perf": has_perf(offers),
        "variants": list(model_variants(model, request.user)),
        "last_sync": runs[SyncKind.ENDPOINTS].succeeded,
        "samples": sample_code(model.slug),
        "request_docs": REQUEST_DOCS,
        "parameter_docs": PARAMETER_DOCS,
        "price_changes": price_changes(points),
        "price_section": _price_section(model, points, polls.get(SyncKind.CATALOG)),
        "expires_in": expires_in,
        "changes": model_changes(model, limit=20),
        "changes_feed": reverse("model-changes-feed", args=[author, slug]),
        "stats": stats,
        "from_rankings": from_rankings,
        "apps_run": runs[SyncKind.STATS_APPS],
        "activity_run": runs[
            SyncKind.STATS_DATASETS if from_rankings else SyncKind.STATS_ACTIVITY
        ],
        "uptime_run": runs[SyncKind.STATS_UPTIME],
        "samples_run": runs[SyncKind.ENDPOINTS],
        "sections": _stats_charts(stats, polls, from_rankings),
    }
    return render(request, "front/model_detail.html", context)


def _stats_charts(
    stats: ModelStats, polls: dict[str, datetime | None], from_rankings: bool
) -> dict[str, ChartSection]:
    days = stats.token_days
    latest_day = (
        [(f"{days[-1].date:%b %-d}", f"{days[-1].total:,} tokens")] if days else []
    )
    # Endpoints were polled, yet no latency came back: say why, not "no data yet".
    polled = bool(stats.samples)
    token_kind = SyncKind.STATS_DATASETS if from_rankings else SyncKind.STATS_ACTIVITY
    lines = (
        ("uptime", "Uptime", stats.uptime, charts.uptime_figure, rules.percent),
        (
            "latency",
            "Latency",
            stats.latency,
            charts.latency_figure,
            rules.milliseconds,
        ),
        (
            "throughput",
            "Throughput",
            stats.throughput,
            charts.throughput_figure,
            rules.tokens_per_second,
        ),
    )
    sections = {
        "tokens": ChartSection(
            "tokens",
            "Tokens per day",
            _drawn("tokens", days, rules.tokens_ready(days), charts.tokens_figure),
            rules.tokens_table(days) if days else None,
            latest_day,
            polls.get(token_kind),
        )
    }
    for name, label, series, figure, fmt in lines:
        kind = SyncKind.STATS_UPTIME if name == "uptime" else SyncKind.ENDPOINTS
        sections[name] = ChartSection(
            name,
            label,
            _drawn(name, series, rules.series_ready(name, series), figure),
            rules.series_table(label, series, fmt) if series else None,
            rules.current_values(series, fmt),
            polls.get(kind),
            empty_note=NO_PERF.format(what=name) if polled and name != "uptime" else "",
        )
    return sections


def _drawn(name: str, data: Any, ready: bool, figure: Callable[[Any], Any]) -> str:
    """The chart's markup once its data means something, else ""."""
    if not ready:
        return ""
    return charts.render_cached(name, data, lambda: figure(data))


def _price_section(
    model: LanguageModel, points: list[PricePoint], next_poll: datetime | None
) -> ChartSection:
    """The price history: a step chart once it spans a day, else today's prices."""
    current = [
        (p.series, f"{_money(p.prompt)}/M in, {_money(p.completion)}/M out")
        for p in points
        if p.current
    ]
    by_series: dict[str, list[datetime]] = {}
    for p in points:
        by_series.setdefault(p.series, []).append(p.at)
    ready = any(rules.RULES["price"].met(times) for times in by_series.values())
    return ChartSection(
        "price",
        "Price history",
        _price_chart(model, points) if ready else "",
        None,
        current,
        next_poll,
    )


def _money(value: Decimal | None) -> str:
    return "—" if value is None else prices.money(value)


def _price_chart(model: LanguageModel, points: list[PricePoint]) -> str:
    """The price history chart, cached while its points stay the same."""
    # The closing "current" points are stamped now: their time stays out of the key,
    # and the hour in it bounds how stale they can get.
    steps = [
        (p.series, None if p.current else p.at, p.prompt, p.completion) for p in points
    ]
    key = (model.pk, f"{timezone.now():%Y%m%d%H}", steps)
    return charts.render_cached(
        "price", key, lambda: charts.price_history_figure(points)
    )
