"""The model page: one read of each owner's data, composed here."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel, SyncKind
from catalog.pricing import prices
from catalog.pricing.costs import Workload, cost_of, tiers_of
from catalog.reads.benchmarks import model_score_lines
from catalog.reads.history import PricePoint, price_changes, price_history_points
from catalog.reads.selectors import model_get
from catalog.runs import runs_latest
from catalog.versions import data_version
from changes.selectors import model_changes
from front import chartrules as rules
from front import charts
from front.chartrules import ChartSection
from front.direct import direct_rows, mark_gaps
from front.firstsync import catalogue_empty, first_sync_page
from front.offers import has_perf, provider_offers
from front.polls import next_polls
from front.samples import PARAMETER_DOCS, REQUEST_DOCS, sample_code
from front.uptime import uptime_wording
from front.views import public
from front.workload import workload_state
from stats.models import UsageSource
from stats.selectors import (
    ModelSeries,
    listed_price_points,
    model_apps_get,
    model_series_get,
)

# Charts are keyed by the data version: this only bounds what an idle cache keeps.
CHARTS_CACHE_SECONDS = 6 * 3600

# The runs whose freshness the page's sections show.
RUN_KINDS = (
    SyncKind.CATALOG,
    SyncKind.ENDPOINTS,
    SyncKind.LITELLM,
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


@public
def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    # Hidden models keep their page for staff only.
    found = model_get(f"{author}/{slug}", request.user)
    if found is None and catalogue_empty():
        return first_sync_page(request)
    if found is None:
        raise Http404(f"No model {author}/{slug} in the catalogue.")
    model, endpoints = found.model, found.endpoints
    drawn = _drawn(model, endpoints)
    apps, apps_week = model_apps_get(model)  # the 7 days they count
    offers = provider_offers(endpoints, of_one_model=True)
    costing = workload_state(request.GET, default=True)
    workload = costing.workload or Workload()
    for offer in offers:
        offer.cost = cost_of(offer.endpoint, workload)
    direct = direct_rows(model, timezone.now().date())
    for row in direct:
        row.cost = cost_of(row.offer, workload)
    mark_gaps(offers, direct)
    runs = runs_latest(RUN_KINDS)
    expires_in = None
    if model.expiration_date:
        expires_in = (model.expiration_date - timezone.now().date()).days
    from_rankings = drawn.token_source == UsageSource.RANKINGS
    sections = _with_polls(
        drawn.sections, next_polls(runs), from_rankings, timezone.now()
    )
    if any(e.stats_at for e in endpoints):
        # Endpoints were polled (in the last day: stats.figures clears older
        # figures), yet no latency came back: say why, not "no data".
        for name in ("latency", "throughput"):
            sections[name] = dataclasses.replace(
                sections[name], empty_note=NO_PERF.format(what=name)
            )
    stats = {
        "apps": apps,
        "apps_week": apps_week,
        "uptime_overall": drawn.uptime_overall,
        "token_source": drawn.token_source,
        "uptime_definition": uptime_wording(drawn.uptime_from, timezone.now()),
    }
    scores = model_score_lines(model)
    context = {
        "model": model,
        "scores": scores,
        "citations": sorted({s.citation for s in scores if s.citation}),
        "offers": offers,
        "direct_rows": direct,
        "direct_as_of": runs[SyncKind.LITELLM].succeeded,
        "has_perf": has_perf(offers),
        "variants": found.variants,
        "last_sync": runs[SyncKind.ENDPOINTS].succeeded,
        "samples": sample_code(model.slug),
        "request_docs": REQUEST_DOCS,
        "parameter_docs": PARAMETER_DOCS,
        "price_changes": price_changes(drawn.price_points),
        "price_section": sections.pop("price"),
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
        "sections": sections,
        "costing": costing,
        "model_cost": cost_of(model, workload),
        "model_tiers": [t.sentence() for t in tiers_of(model).entries],
    }
    # A bad workload still shows the page (priced for chat), with what was wrong.
    status = 400 if costing.form.errors else 200
    return render(request, "front/model_detail.html", context, status=status)


@dataclass
class Drawn:
    """A model page's chart sections (without their next poll, which moves with
    the clock), and the few figures read beside them."""

    sections: dict[str, ChartSection]
    price_points: list[PricePoint]
    uptime_overall: float | None
    token_source: str
    # The earliest time the uptime chart draws (None: no point).
    uptime_from: datetime | None = None


def _drawn(model: LanguageModel, endpoints: list[Endpoint]) -> Drawn:
    """The charts, cached by the data version (and the hour: the price chart's
    closing points are stamped now), so the rows behind them are read only when
    something they draw changed."""
    now = timezone.now()
    key = f"model-charts:{data_version().token}:{now:%Y%m%d%H}:{model.pk}"
    drawn = cache.get(key)
    if isinstance(drawn, Drawn):
        return drawn
    series = model_series_get(model, endpoints, now)
    # The board's own price events, then upstream's listed-price log beside them.
    points = price_history_points(model, endpoints) + listed_price_points(
        endpoints, now
    )
    sections = _stats_sections(series)
    sections["price"] = _price_section(points)
    drawn = Drawn(
        sections=sections,
        price_points=points,
        uptime_overall=series.uptime_overall,
        token_source=series.token_source,
        uptime_from=charts.series_start(series.uptime),
    )
    cache.set(key, drawn, CHARTS_CACHE_SECONDS)
    return drawn


def _with_polls(
    sections: dict[str, ChartSection],
    polls: dict[str, datetime | None],
    from_rankings: bool,
    now: datetime,
) -> dict[str, ChartSection]:
    """Each section with the next poll of the job that feeds it, and when a chart
    still waiting for data will draw."""
    feeds = {
        "tokens": SyncKind.STATS_DATASETS if from_rankings else SyncKind.STATS_ACTIVITY,
        "uptime": SyncKind.STATS_UPTIME,
        "latency": SyncKind.ENDPOINTS,
        "throughput": SyncKind.ENDPOINTS,
        "price": SyncKind.CATALOG,
    }
    found = {}
    for name, section in sections.items():
        poll = polls.get(feeds[name])
        fills = rules.fills_in(section.rule, section.first_at, poll, now)
        found[name] = dataclasses.replace(section, next_poll=poll, fills=fills)
    return found


def _stats_sections(series: ModelSeries) -> dict[str, ChartSection]:
    days = series.token_days
    latest_day = (
        [(f"{days[-1].date:%b %-d}", f"{days[-1].total:,} tokens")] if days else []
    )
    lines = (
        ("uptime", "Uptime", series.uptime, charts.uptime_figure, rules.percent),
        (
            "latency",
            "Latency",
            series.latency,
            charts.latency_figure,
            rules.milliseconds,
        ),
        (
            "throughput",
            "Throughput",
            series.throughput,
            charts.throughput_figure,
            rules.tokens_per_second,
        ),
    )
    sections = {
        "tokens": ChartSection(
            "tokens",
            "Tokens per day",
            _drawn_chart(days, rules.tokens_ready(days), charts.tokens_figure),
            rules.tokens_table(days) if days else None,
            latest_day,
            first_at=days[0].date if days else None,
        )
    }
    for name, label, lines_of, figure, fmt in lines:
        sections[name] = ChartSection(
            name,
            label,
            _drawn_chart(lines_of, rules.series_ready(name, lines_of), figure),
            rules.series_table(label, lines_of, fmt) if lines_of else None,
            rules.current_values(lines_of, fmt),
            first_at=rules.first_time(lines_of),
        )
    return sections


def _drawn_chart(data: Any, ready: bool, figure: Callable[[Any], Any]) -> str:
    """The chart's markup once its data means something, else ""."""
    return charts.render_figure(figure(data)) if ready else ""


def _price_section(points: list[PricePoint]) -> ChartSection:
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
    chart = charts.render_figure(charts.price_history_figure(points)) if ready else ""
    first = min((p.at for p in points if not p.current), default=None)
    return ChartSection("price", "Price history", chart, None, current, first_at=first)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else prices.money(value)
