"""The model page: one read of each owner's data, composed here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from catalog.history import PricePoint, price_changes, price_history_points
from catalog.models import LanguageModel, SyncKind
from catalog.runs import runs_latest
from catalog.selectors import model_get, model_variants
from changes.selectors import model_changes
from front import charts
from front.offers import has_perf, provider_offers
from front.samples import sample_code
from stats.models import UsageSource
from stats.selectors import ModelStats, model_stats_get

# The runs whose freshness the page's sections show.
RUN_KINDS = (
    SyncKind.ENDPOINTS,
    SyncKind.STATS_ACTIVITY,
    SyncKind.STATS_APPS,
    SyncKind.STATS_UPTIME,
    SyncKind.STATS_DATASETS,
)


def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    # Hidden models keep their page for staff only.
    found = model_get(f"{author}/{slug}", request.user)
    if found is None:
        raise Http404(f"No model {author}/{slug} in the catalogue.")
    model, endpoints = found
    stats = model_stats_get(model, endpoints)
    offers = provider_offers(endpoints, stats.samples)
    points = price_history_points(model, endpoints)
    runs = runs_latest(RUN_KINDS)
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
        "price_changes": price_changes(points),
        "price_chart": _price_chart(model, points),
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
        **_stats_charts(stats),
    }
    return render(request, "front/model_detail.html", context)


def _stats_charts(stats: ModelStats) -> dict[str, str]:
    return {
        "tokens_chart": charts.render_cached(
            "tokens", stats.token_days, lambda: charts.tokens_figure(stats.token_days)
        ),
        "uptime_chart": charts.render_cached(
            "uptime", stats.uptime, lambda: charts.uptime_figure(stats.uptime)
        ),
        "latency_chart": charts.render_cached(
            "latency", stats.latency, lambda: charts.latency_figure(stats.latency)
        ),
        "throughput_chart": charts.render_cached(
            "throughput",
            stats.throughput,
            lambda: charts.throughput_figure(stats.throughput),
        ),
    }


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
