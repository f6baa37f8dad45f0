"""The catalogue list and its CSV/JSON exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from typing import Any, TypedDict

from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    HttpRequest,
    HttpResponseBase,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render

from catalog.models import LanguageModel, ModelKind, SyncKind
from catalog.pricing import prices
from catalog.pricing.costs import Workload, cost_of
from catalog.ranking import CountedModels, RankedModels
from catalog.reads.benchmarks import intelligence_of, points_per_dollar
from catalog.reads.selectors import list_choices, overrides_attach
from catalog.reads.spreadsheet import csv_cell
from catalog.runs import run_last_succeeded, runs_live
from catalog.search.intent import LISTED_APART, intent_parse
from catalog.versions import data_version
from front.direct import direct_beside
from front.forms import COMMON_PARAMETERS, ModelListQuery
from front.listing import models_listed
from front.rows import model_rows
from front.views import kinds, public
from front.workload import workload_state
from stats.selectors import STATS_SORTS, tokens_week_window

PAGE_SIZE = 50
EXPORT_CHUNK = 500
# Keyed by the data version; this only bounds what an idle cache keeps.
CHOICES_CACHE_SECONDS = 3600
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


class ExportRow(TypedDict):
    """A model in the list's JSON and CSV exports (EXPORT_COLUMNS)."""

    id: str
    name: str
    context_length: int | None
    input_usd_per_m: str | None
    output_usd_per_m: str | None
    variable_price: bool
    input_modalities: list[str] | None
    output_modalities: list[str] | None
    created: str | None
    delisted_at: str | None
    # Fields an editor overrode (their values above are the edited ones).
    edited_fields: list[str]


# The filters in use, named for people, so an empty result can say what to widen.
NARROWING = {
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
    "paid": "exclude free",
}


# The chips above the results: each active filter, by the parameter it drops.
CHIPS = {
    "q": "Search “{}”",
    "input_modality": "Input: {}",
    "output_modality": "Output: {}",
    "min_context": "Context ≥ {} tokens",
    "max_price": "Input ≤ ${}/M",
    "max_output_price": "Output ≤ ${}/M",
    "provider": "Provider: {}",
    "author": "Author: {}",
    "parameter": "Supports: {}",
    "free": "Free only",
    "paid": "Exclude free",
    "delisted": "Including delisted",
}
FLAGS = ("free", "paid", "delisted")


class Chip(TypedDict):
    """An active filter above the results: its words and the list without it."""

    name: str
    label: str
    href: str


def filter_chips(
    params: QueryDict,
    query: dict[str, Any],
    choices: dict[str, list[tuple[str, str]]],
) -> list[Chip]:
    """A removable chip for each filter the (valid) query sets: a link to the same
    list (sort, workload and other filters kept, back to page 1) less that one."""
    names = {key: dict(choices.get(f"{key}s", [])) for key in ("provider", "author")}
    chips: list[Chip] = []
    for name, label in CHIPS.items():
        if query.get(name) in (None, "", False):
            continue
        value = str(params.get(name, "")).strip()
        rest = params.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        left = rest.urlencode()
        shown = names.get(name, {}).get(value, value)
        chips.append(
            {
                "name": name,
                "label": label if name in FLAGS else label.format(shown[:60]),
                "href": f"?{left}" if left else "?",
            }
        )
    return chips


def _list_context(form: ModelListQuery) -> dict[str, Any]:
    return {"form": form, "parameters": COMMON_PARAMETERS, **_choices()}


def _choices() -> dict[str, list[tuple[str, str]]]:
    # The filter form's providers and authors change with the catalogue only.
    key = f"list-choices:{data_version().token}"
    choices: dict[str, list[tuple[str, str]]] | None = cache.get(key)
    if choices is None:
        choices = list_choices()
        cache.set(key, choices, CHOICES_CACHE_SECONDS)
    return choices


@public
def model_list(request: HttpRequest) -> HttpResponseBase:
    kind = request.GET.get("kind") or "chat"
    if kind != "chat":
        # The other catalogues are lists of their own (front.views.kinds).
        if kind in ModelKind.values:
            return kinds.kind_list(request, kind)
        return kinds.kind_unknown(request, kind)
    form = ModelListQuery(request.GET)
    # Sorting by cost prices a workload even when the query names none (chat's).
    by_cost = request.GET.get("sort") in ("cost", "value")
    costing = workload_state(request.GET, default=by_cost)
    if not form.is_valid() or costing.form.errors:
        errors = {**form.errors, **costing.form.errors}
        context = _list_context(form) | {
            "kinds": kinds.kinds_nav("chat"),
            "errors": errors,
            "costing": costing,
            "filters_open": True,
        }
        return render(request, "front/model_list.html", context, status=400)
    query = form.cleaned_data
    models = models_listed(**form.filters(), workload=costing.workload)
    if query["format"]:
        return _export(models, query["format"])
    page_number = query["page"] or 1
    if isinstance(models, RankedModels):
        # Its page first: a search's count comes with it (catalog.ranking).
        models.prefetch((page_number - 1) * PAGE_SIZE, page_number * PAGE_SIZE)
    paginator = Paginator(models, PAGE_SIZE)
    # Past the last page: an empty page that says so, not a 404 or a 500.
    page = paginator.page(page_number) if page_number <= paginator.num_pages else None
    if page is not None:
        page.object_list = list(page.object_list)
        overrides_attach(page.object_list)
        if costing.workload is not None:
            for model in page.object_list:
                # Read by the rows' cost column (front.rows), never stored.
                setattr(model, "workload_cost", cost_of(model, costing.workload))  # noqa: B010
            _direct_attach(page.object_list, costing.workload)
        scores_attach(page.object_list, costing.workload)
    state = request.GET.copy()
    state.pop("page", None)
    # A stats sort shows the figure it sorts by, as a column.
    metric = query["sort"] if query["sort"] in STATS_SORTS else ""
    intent = intent_parse(query["q"]) if query["q"] else None
    listing = _list_context(form)
    context = listing | {
        "kinds": kinds.kinds_nav("chat"),
        # The selects' choices read once a request (not again for the chips).
        "chips": filter_chips(
            request.GET,
            query,
            {"providers": listing["providers"], "authors": listing["authors"]},
        ),
        "page": page,
        "paginator": paginator,
        "query": query,
        "sort": form.filters()["sort"],
        "state": state.urlencode(),
        "narrowed": [
            label
            for key, label in NARROWING.items()
            if query.get(key) not in (None, "", False)
        ],
        "last_sync": run_last_succeeded(SyncKind.CATALOG),
        # Only an empty list says whether the first sync is still running.
        "syncing": not paginator.count and runs_live().exists(),
        "metric": metric,
        # The days a "tokens this week" column counts, named above it.
        "tokens_window": tokens_week_window() if metric == "tokens_week" else None,
        # What the search's words for an order, a filter or a kind did.
        "intent_said": intent.said(
            sorted_here=form.filters()["sort"] == "relevance", found=paginator.count
        )
        if intent is not None
        else "",
        # A kind listed apart that the chat list has none of: a link to its list.
        "intent_kind": LISTED_APART.get(intent.kind, "")
        if intent is not None and not paginator.count
        else "",
        "costing": costing,
        "rows": model_rows(page.object_list, metric, costing) if page else "",
    }
    return render(request, "front/model_list.html", context)


def _direct_attach(models: list[LanguageModel], workload: Workload) -> None:
    # Each row's cheapest direct offer beside its routed cost (front.rows reads
    # it, as the cost column); one query for the page.
    routed = {m.pk: getattr(m, "workload_cost", None) for m in models}
    beside = direct_beside(models, routed, workload)
    for model in models:
        setattr(model, "direct_beside", beside.get(model.pk))  # noqa: B010


def _row(m: LanguageModel) -> ExportRow:
    return {
        "id": m.slug,
        "name": m.name,
        "context_length": m.context_length,
        "input_usd_per_m": prices.plain(m.price_prompt),
        "output_usd_per_m": prices.plain(m.price_completion),
        "variable_price": m.is_variable_price,
        "input_modalities": m.input_modalities,
        "output_modalities": m.output_modalities,
        "created": m.created.isoformat() if m.created else None,
        "delisted_at": m.delisted_at.isoformat() if m.delisted_at else None,
        # Fields an editor overrode (their values above are the edited ones).
        "edited_fields": sorted(m.edited),
    }


def _rows(models: CountedModels) -> Iterator[ExportRow]:
    """Every model's export row, read a chunk at a time (memory stays flat)."""
    chunk: list[LanguageModel] = []
    for model in models.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(model)
        if len(chunk) == EXPORT_CHUNK:
            yield from _chunk_rows(chunk)
            chunk = []
    yield from _chunk_rows(chunk)


def _chunk_rows(chunk: list[LanguageModel]) -> Iterator[ExportRow]:
    overrides_attach(chunk)
    return (_row(m) for m in chunk)


def _json_lines(rows: Iterator[ExportRow]) -> Iterator[str]:
    yield '{"data": ['
    count = 0
    for row in rows:
        yield ("," if count else "") + json.dumps(row, cls=DjangoJSONEncoder)
        count += 1
    yield f'], "count": {count}}}'


class _Line:
    """A write target for csv.writer that hands back each line."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(rows: Iterator[ExportRow]) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=EXPORT_COLUMNS)
    yield writer.writeheader()
    for row in rows:
        # A list is one cell: its words, space-separated.
        cells: dict[str, object] = {
            **row,
            "input_modalities": " ".join(row["input_modalities"] or []),
            "output_modalities": " ".join(row["output_modalities"] or []),
            "edited_fields": " ".join(row["edited_fields"]),
        }
        yield writer.writerow({k: csv_cell(v) for k, v in cells.items()})


def _export(models: CountedModels, fmt: str) -> StreamingHttpResponse:
    """The whole filtered list as JSON or CSV, streamed in constant memory."""
    stamp = date.today().isoformat()
    if fmt == "json":
        lines, content_type = _json_lines(_rows(models)), "application/json"
    else:
        lines, content_type = _csv_lines(_rows(models)), "text/csv; charset=utf-8"
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="models-{stamp}.{fmt}"'
    return response


def scores_attach(models: list[LanguageModel], workload: Workload | None) -> None:
    """Each shown model's intelligence index and, for a workload, its points per
    dollar of one request (read by front.rows, never stored): one query."""
    found = intelligence_of([m.pk for m in models])
    for model in models:
        index = found.get(model.pk)
        setattr(model, "intelligence", index)  # noqa: B010
        monthly = getattr(model, "workload_cost", None)
        total = monthly.total if monthly is not None and workload else None
        per_dollar = points_per_dollar(index, total, workload) if workload else None
        setattr(model, "per_dollar", per_dollar)  # noqa: B010
