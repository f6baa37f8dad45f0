from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from catalog import selectors
from catalog.forms import COMMON_PARAMETERS, CompareQuery, ModelListQuery
from catalog.models import LanguageModel
from catalog.samples import sample_code
from changes.selectors import model_changes
from stats import charts
from stats.charts import Series

PAGE_SIZE = 50
EXPORT_COLUMNS = (
    "id",
    "name",
    "context_length",
    "input_usd_per_m",
    "output_usd_per_m",
    "variable_price",
    "input_modalities",
    "output_modalities",
    "created",
    "delisted_at",
    "edited_fields",
)


def _list_context(form: ModelListQuery) -> dict:
    return {"form": form, "parameters": COMMON_PARAMETERS, **selectors.list_choices()}


def model_list(request: HttpRequest) -> HttpResponse:
    form = ModelListQuery(request.GET)
    if not form.is_valid():
        context = _list_context(form) | {"errors": form.errors}
        return render(request, "catalog/model_list.html", context, status=400)
    query = form.cleaned_data
    models = selectors.model_list(**form.filters())
    if query["format"]:
        return _export(models, query["format"])
    paginator = Paginator(models, PAGE_SIZE)
    page_number = query["page"] or 1
    # Past the last page: an empty page that says so, not a 404 or a 500.
    page = paginator.page(page_number) if page_number <= paginator.num_pages else None
    if page is not None:
        page.object_list = list(page.object_list)
        selectors.overrides_attach(page.object_list)
    state = request.GET.copy()
    state.pop("page", None)
    context = _list_context(form) | {
        "page": page,
        "paginator": paginator,
        "query": query,
        "state": state.urlencode(),
        "narrowed": _narrowing(query),
        "last_sync": selectors.last_success("catalog"),
    }
    return render(request, "catalog/model_list.html", context)


def _narrowing(query: dict) -> list[str]:
    """Names of the filters in use, so an empty result can say what to widen."""
    labels = {
        "q": "search",
        "input_modality": "input modality",
        "output_modality": "output modality",
        "min_context": "minimum context",
        "max_price": "maximum input price",
        "max_output_price": "maximum output price",
        "provider": "provider",
        "author": "author",
        "parameter": "supported parameter",
        "free": "free only",
    }
    return [
        label
        for key, label in labels.items()
        if query.get(key) not in (None, "", False)
    ]


def _row(m: LanguageModel) -> dict:
    def price(value: Decimal | None) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    return {
        "id": m.slug,
        "name": m.name,
        "context_length": m.context_length,
        "input_usd_per_m": price(m.price_prompt),
        "output_usd_per_m": price(m.price_completion),
        "variable_price": m.is_variable_price,
        "input_modalities": m.input_modalities,
        "output_modalities": m.output_modalities,
        "created": m.created.isoformat() if m.created else None,
        "delisted_at": m.delisted_at.isoformat() if m.delisted_at else None,
        # Fields an editor overrode (their values above are the edited ones).
        "edited_fields": sorted(m.edited),
    }


def _export(models, fmt: str) -> HttpResponse:
    models = list(models)
    selectors.overrides_attach(models)
    rows = [_row(m) for m in models]
    stamp = date.today().isoformat()
    if fmt == "json":
        response = JsonResponse({"data": rows, "count": len(rows)})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in rows:
            row["input_modalities"] = " ".join(row["input_modalities"] or [])
            row["output_modalities"] = " ".join(row["output_modalities"] or [])
            row["edited_fields"] = " ".join(row["edited_fields"])
            writer.writerow(row)
    response["Content-Disposition"] = f'attachment; filename="models-{stamp}.{fmt}"'
    return response


def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    model = selectors.model_get(f"{author}/{slug}")
    # Hidden models keep their page for staff only.
    if model is None or (model.hidden and not request.user.is_staff):
        raise Http404(f"No model {author}/{slug} in the catalogue.")
    offers = selectors.provider_offers(model.listed)
    points = selectors.price_history_points(model, model.listed)
    expires_in = None
    if model.expiration_date:
        expires_in = (model.expiration_date - timezone.now().date()).days
    context = {
        "model": model,
        "endpoints": model.listed,
        "offers": offers,
        "has_perf": any(
            o.latency is not None or o.throughput is not None or o.uptime is not None
            for o in offers
        ),
        "variants": selectors.model_variants(model),
        "last_sync": selectors.last_success("endpoints"),
        "samples": sample_code(model.slug),
        "price_changes": selectors.price_changes(points),
        "price_chart": _price_chart(model, points),
        "expires_in": expires_in,
        "changes": model_changes(model, limit=20),
        "changes_feed": reverse("model-changes-feed", args=[author, slug]),
    }
    return render(request, "catalog/model_detail.html", context)


def _price_chart(model: LanguageModel, points: list[selectors.PricePoint]) -> str:
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


def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_get(slug)
    if provider is None:
        raise Http404(f"No provider {slug} in the catalogue.")
    offers = selectors.provider_offers(provider.serving)
    uptimes = [o.uptime for o in offers if o.uptime is not None]
    context = {
        "provider": provider,
        "offers": offers,
        "uptime_avg": round(sum(uptimes) / len(uptimes), 2) if uptimes else None,
        "uptime_min": min(uptimes) if uptimes else None,
        "sampled": len(uptimes),
    }
    return render(request, "catalog/provider_detail.html", context)


def author_detail(request: HttpRequest, author: str) -> HttpResponse:
    found = selectors.author_get(author)
    if found is None:
        raise Http404(f"No author {author} in the catalogue.")
    listed = [m for m in found.all_models if m.delisted_at is None]
    context = {"author": found, "models": found.all_models, "listed": len(listed)}
    return render(request, "catalog/author_detail.html", context)


def rankings(request: HttpRequest) -> HttpResponse:
    context = {"rankings": selectors.rankings_get()}
    return render(request, "catalog/rankings.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    form = CompareQuery(request.GET)
    if "models" not in request.GET:
        return render(request, "catalog/compare.html", {"form": CompareQuery()})
    if not form.is_valid():
        return render(request, "catalog/compare.html", {"form": form}, status=400)
    compared, missing = selectors.models_compare(form.cleaned_data["models"])
    if missing:
        context = {"form": form, "missing": missing}
        return render(request, "catalog/compare.html", context, status=400)
    series = selectors.compare_series([c.model for c in compared])
    uptime = [Series(name, points) for name, points in series.uptime.items() if points]
    context = {
        "form": form,
        "compared": compared,
        "tokens_chart": charts.render_figure(
            charts.tokens_overlay_figure(series.tokens)
        ),
        "uptime_chart": charts.render_figure(charts.uptime_figure(uptime)),
    }
    return render(request, "catalog/compare.html", context)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """A trivial page (crawlers welcome), also the benchmark's baseline."""
    return HttpResponse("User-agent: *\nAllow: /\n", content_type="text/plain")
