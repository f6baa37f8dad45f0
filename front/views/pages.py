"""Provider, author, rankings and compare pages, and the small ones."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from django.utils import timezone

from catalog.models import ModelScores
from catalog.pricing.costs import Cost, Workload, cost_of
from catalog.reads.benchmarks import model_scores_of, points_per_dollar
from catalog.reads.direct import retirements_upcoming
from catalog.reads.selectors import (
    Compared,
    author_get,
    models_compare,
    provider_get,
    provider_uptime,
)
from catalog.reads.selectors import provider_list as catalog_provider_list
from front import chartrules as rules
from front import charts
from front.chartrules import ChartSection
from front.direct import DirectBeside, direct_beside
from front.firstsync import catalogue_empty, first_sync_page
from front.forms import CompareQuery, PageQuery
from front.offers import provider_offers
from front.rows import model_rows, offer_rows
from front.views import public
from front.workload import workload_state
from stats.selectors import (
    Series,
    compare_series,
    rankings_get,
)

PAGE_SIZE = 100

M = TypeVar("M", bound=Model)


class CountedPaginator(Paginator[M]):
    """A paginator told how many rows there are (counted with other figures)."""

    def __init__(self, rows: QuerySet[M], per_page: int, count: int):
        super().__init__(rows, per_page)
        self.known = count

    @property
    def count(self) -> int:
        return self.known


def _page(
    request: HttpRequest, rows: QuerySet[M], count: int | None = None
) -> tuple[Paginator[M], Page[M] | None]:
    """One page of `rows` (the database reads only it); past the end, None."""
    form = PageQuery(request.GET)
    if not form.is_valid():
        raise BadPage(form)
    if count is None:
        paginator = Paginator(rows, PAGE_SIZE)
    else:
        paginator = CountedPaginator(rows, PAGE_SIZE, count)
    number = form.cleaned_data["page"] or 1
    return paginator, paginator.page(number) if number <= paginator.num_pages else None


class BadPage(Exception):
    """?page= did not validate: a 400 naming it."""

    def __init__(self, form: PageQuery):
        super().__init__("bad page")
        self.form = form


def _bad_page(request: HttpRequest, error: BadPage) -> HttpResponse:
    return render(
        request, "front/bad_query.html", {"errors": error.form.errors}, status=400
    )


@public
def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = provider_get(slug)
    if found is None and catalogue_empty():
        return first_sync_page(request)
    if found is None:
        raise Http404(f"No provider {slug} in the catalogue.")
    provider, serving = found
    uptime = provider_uptime(serving)
    try:
        paginator, page = _page(request, serving, count=uptime.endpoints)
    except BadPage as error:
        return _bad_page(request, error)
    rows = list(page.object_list) if page else []
    offers = provider_offers(rows)
    context = {
        "provider": provider,
        "offers": offers,
        "rows": offer_rows(offers),
        "page": page,
        "paginator": paginator,
        "uptime_avg": uptime.average,
        "uptime_min": uptime.lowest,
        "sampled": uptime.sampled,
    }
    return render(request, "front/provider_detail.html", context)


@public
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = list(catalog_provider_list())
    return render(request, "front/provider_list.html", {"providers": providers})


@public
def author_detail(request: HttpRequest, author: str) -> HttpResponse:
    found = author_get(author)
    if found is None and catalogue_empty():
        return first_sync_page(request)
    if found is None:
        raise Http404(f"No author {author} in the catalogue.")
    who, models = found
    try:
        paginator, page = _page(request, models)
    except BadPage as error:
        return _bad_page(request, error)
    shown = list(page.object_list) if page else []
    context = {
        "author": who,
        "models": shown,
        "rows": model_rows(shown),
        "page": page,
        "paginator": paginator,
        "listed": models.filter(delisted_at__isnull=True).count(),
    }
    return render(request, "front/author_detail.html", context)


@public
def rankings(request: HttpRequest) -> HttpResponse:
    return render(request, "front/rankings.html", {"rankings": rankings_get()})


@public
def deprecations(request: HttpRequest) -> HttpResponse:
    today = timezone.now().date()
    rows = [(r, (r.day - today).days) for r in retirements_upcoming(today)]
    return render(request, "front/deprecations.html", {"rows": rows})


@public
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareQuery(request.GET)
    costing = workload_state(request.GET, default=True)
    if "models" not in request.GET:
        context = {"form": CompareQuery(), "costing": costing}
        return render(request, "front/compare.html", context)
    if not form.is_valid() or costing.form.errors:
        context = {"form": form, "costing": costing}
        return render(request, "front/compare.html", context, status=400)
    compared, missing = models_compare(form.cleaned_data["models"], request.user)
    if missing:
        context = {"form": form, "missing": missing, "costing": costing}
        return render(request, "front/compare.html", context, status=400)
    series = compare_series([c.model for c in compared])
    uptime = [Series(name, points) for name, points in series.uptime.items() if points]
    scale = form.cleaned_data["scale"]
    log = scale == "log" or (
        not scale and charts.spans_orders_of_magnitude(series.tokens)
    )
    token_lines = [
        Series(name, [(datetime.combine(d, time.min, UTC), float(v)) for d, v in days])
        for name, days in series.tokens.items()
        if days
    ]
    tokens_chart = ""
    if any(rules.RULES["tokens"].met([d for d, _ in s.points]) for s in token_lines):
        tokens_chart = str(
            charts.render_figure(charts.tokens_overlay_figure(series.tokens, log=log))
        )
    uptime_chart = ""
    if rules.series_ready("uptime", uptime):
        uptime_chart = str(charts.render_figure(charts.uptime_figure(uptime)))
    workload = costing.workload or Workload()
    scores = model_scores_of([c.model.pk for c in compared])
    context = {
        "form": form,
        "compared": compared,
        "figures": _figures_all(compared, workload, scores),
        "costing": costing,
        "log": log,
        "other_scale": "linear" if log else "log",
        "tokens": ChartSection(
            "tokens",
            "Tokens per day",
            tokens_chart,
            rules.series_table("Tokens per day", token_lines, _tokens),
            rules.current_values(token_lines, _tokens),
            dom_name="compare-tokens",
        ),
        "uptime": ChartSection(
            "uptime",
            "Uptime across all providers",
            uptime_chart,
            rules.series_table("Uptime across all providers", uptime, rules.percent),
            rules.current_values(uptime, rules.percent),
            dom_name="compare-uptime",
        ),
    }
    return render(request, "front/compare.html", context)


@dataclass
class CompareFigures:
    """The compare table's workload cost and current figures of one model."""

    cost: Cost
    uptime: float | None
    latency: float | None
    throughput: float | None
    # The cheapest direct offer's cost and its gap to `cost` (None: none listed).
    direct: DirectBeside | None = None
    # The benchmark figures (None: no score), and the intelligence index's points
    # per dollar of one request of the workload.
    scores: ModelScores | None = None
    per_dollar: float | None = None


def _figures_all(
    compared: list[Compared], workload: Workload, scores: dict[int, ModelScores]
) -> list[CompareFigures]:
    figures = [_figures(c, workload, scores.get(c.model.pk)) for c in compared]
    routed = {c.model.pk: f.cost for c, f in zip(compared, figures, strict=True)}
    beside = direct_beside([c.model for c in compared], routed, workload)
    for c, f in zip(compared, figures, strict=True):
        f.direct = beside.get(c.model.pk)
    return figures


def _figures(
    compared: Compared, workload: Workload, scores: ModelScores | None = None
) -> CompareFigures:
    # The best listed endpoint's figures, as the list's stats sorts read them.
    m = compared.model
    uptimes = [e.uptime for e in getattr(m, "endpoints_listed", [])]
    cost = cost_of(m, workload)
    index = scores.intelligence_index if scores else None
    return CompareFigures(
        cost=cost,
        uptime=max(filter(_finite, uptimes), default=None),
        latency=m.latency_p50 if _finite(m.latency_p50) else None,
        throughput=m.throughput_p50 if _finite(m.throughput_p50) else None,
        scores=scores,
        per_dollar=points_per_dollar(index, cost.total, workload),
    )


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _tokens(value: float) -> str:
    return f"{value:,.0f}"


def without_slash(request: HttpRequest, path: str) -> HttpResponse:
    """A trailing-slash URL of a page that has none: a permanent redirect to it."""
    target = "/" + path
    try:
        match = resolve(target)
    except Resolver404:
        match = None
    if match is None or match.func is without_slash:
        raise Http404(f"No page at /{path}/.")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """A trivial page (crawlers welcome), also the benchmark's baseline."""
    return HttpResponse("User-agent: *\nAllow: /\n", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return HttpResponseRedirect(static("favicon.svg"))
