"""GET /api/v1/benchmarks in upstream's unified shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse

from api.forms import ApiParams, BooleanParam, TextParam, form_error_message
from api.http import ApiError, api_view, json_response
from api.prices import upstream_price
from api.shapes import (
    BenchmarkAAItem,
    BenchmarkDAItem,
    BenchmarkList,
    BenchmarkPricing,
    TournamentStats,
)
from catalog.models import BenchmarkScore, LanguageModel
from catalog.reads.benchmarks import benchmark_rows_listed
from catalog.versions import data_version

AA, DA = "artificial-analysis", "design-arena"
SOURCES = (AA, DA, "openrouter")
TASK_TYPES = ("coding", "intelligence", "agentic", "search")
BENCHMARK_TYPES = (
    "gpqa_diamond",
    "tau_bench_verified_airline",
    "search_browsecomp",
    "search_hle",
    "search_dsqa",
    "search_widesearch",
)
ARENAS = ("models", "builders", "agents")
SURFACES = ("server-tool", "plugin")
# Design Arena's category a task type maps to (others have none).
TASK_CATEGORY = {"coding": "codecategories"}
CITED = {
    AA: "https://artificialanalysis.ai",
    DA: "https://www.designarena.ai",
}


def _choice(
    values: tuple[str, ...], help_text: str, *, max_length: int = 40
) -> TextParam:
    return TextParam(
        required=False,
        max_length=max_length,
        accepts=lambda: {"enum": list(values)},
        help_text=help_text,
    )


class BenchmarkParams(ApiParams):
    """GET /benchmarks: upstream's parameters."""

    NOT_EMPTY = ("max_results",)

    source = _choice(
        SOURCES,
        "One source's items (`artificial-analysis`, `design-arena`); "
        "`openrouter` (OpenRouter's own evals, not kept here) lists none.",
    )
    task_type = _choice(
        TASK_TYPES,
        "Artificial Analysis: models with that index, best first; Design Arena: "
        "`coding` is its `codecategories` category; `search` lists none.",
    )
    benchmark_type = _choice(
        BENCHMARK_TYPES,
        "OpenRouter's own evals (not kept here): a `search_*` value lists none, "
        "others leave the other sources' items as they are.",
    )
    include_run_config = BooleanParam(
        required=False, help_text="Search benchmarks only (none are kept here)."
    )
    search_engine = forms.CharField(
        required=False, max_length=60, help_text="Search benchmarks only."
    )
    search_surface = _choice(SURFACES, "Search benchmarks only.")
    arena = _choice(
        ARENAS,
        "Design Arena only: one arena; `models` by default when source is "
        "`design-arena`.",
    )
    category = forms.CharField(
        required=False,
        max_length=60,
        help_text="Design Arena only: one category (`codecategories`, `website`, …).",
    )
    max_results = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="At most this many items (all by default).",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, allowed in (
            ("source", SOURCES),
            ("task_type", TASK_TYPES),
            ("benchmark_type", BENCHMARK_TYPES),
            ("arena", ARENAS),
            ("search_surface", SURFACES),
        ):
            value = (data.get(name) or "").strip()
            if value and value not in allowed:
                self.add_error(
                    name,
                    f"unknown value {value[:40]!r}; use one of {', '.join(allowed)}",
                )
            data[name] = value
        return data


def _pricing(model: LanguageModel) -> BenchmarkPricing | None:
    if model.is_variable_price or None in (model.price_prompt, model.price_completion):
        return None
    assert model.price_prompt is not None and model.price_completion is not None
    return {
        "prompt": upstream_price("prompt", model.price_prompt),
        "completion": upstream_price("completion", model.price_completion),
    }


def _permaslug(model: LanguageModel) -> str:
    return model.canonical_slug or model.slug.split(":", 1)[0]


def _aa_item(model: LanguageModel, rows: list[BenchmarkScore]) -> BenchmarkAAItem:
    values = {r.metric: r.value for r in rows}
    name = next((r.details.get("display_name") for r in rows if r.details), None)
    return {
        "source": "artificial-analysis",
        "model_permaslug": _permaslug(model),
        "display_name": name if isinstance(name, str) else model.name,
        "intelligence_index": values.get("intelligence_index"),
        "coding_index": values.get("coding_index"),
        "agentic_index": values.get("agentic_index"),
        "pricing": _pricing(model),
    }


def _stats(details: dict[str, Any]) -> TournamentStats:
    sent = details.get("tournament_stats") or {}
    keys = ("first_place", "second_place", "third_place", "fourth_place", "total")
    return {  # type: ignore[return-value]  # the five keys, each int or None
        k: sent.get(k) if isinstance(sent.get(k), int) else None for k in keys
    }


def _da_item(model: LanguageModel, row: BenchmarkScore) -> BenchmarkDAItem:
    name = row.details.get("display_name")
    took = row.details.get("avg_generation_time_ms")
    return {
        "source": "design-arena",
        "model_permaslug": _permaslug(model),
        "display_name": name if isinstance(name, str) else model.name,
        "arena": row.arena,
        "category": row.category,
        "elo": row.value,
        "win_rate": row.win_rate if row.win_rate is not None else 0.0,
        "avg_generation_time_ms": took if isinstance(took, int | float) else None,
        "tournament_stats": _stats(row.details),
        "pricing": _pricing(model),
    }


def _wanted_da(row: BenchmarkScore, data: dict[str, Any]) -> bool:
    task = data["task_type"]
    if task and row.category != TASK_CATEGORY.get(task):
        return False
    arena = data["arena"] or ("models" if data["source"] == DA else "")
    category = data["category"]
    return (not arena or row.arena == arena) and (
        not category or row.category == category
    )


def benchmark_items(data: dict[str, Any]) -> tuple[list[Any], list[BenchmarkScore]]:
    """The items the query asks for, one per model and source (a variant is its
    model), upstream's order; and the scores they come from."""
    source, task = data["source"], data["task_type"]
    if source == "openrouter" or task == "search":
        return [], []
    if data["benchmark_type"].startswith("search_"):
        return [], []
    aa: list[tuple[BenchmarkAAItem, list[BenchmarkScore]]] = []
    da: list[tuple[BenchmarkDAItem, BenchmarkScore]] = []
    seen: set[tuple[str, str]] = set()
    for rows in benchmark_rows_listed(source or None).values():
        model = rows[0].model
        if (_permaslug(model), "") in seen:
            continue
        seen.add((_permaslug(model), ""))
        indices = [r for r in rows if r.source == AA]
        if indices and (not task or any(r.metric == f"{task}_index" for r in indices)):
            aa.append((_aa_item(model, indices), indices))
        da += [
            (_da_item(model, r), r)
            for r in rows
            if r.source == DA and _wanted_da(r, data)
        ]
    if task:
        aa.sort(key=lambda pair: -(pair[0][f"{task}_index"] or 0))  # type: ignore[literal-required]
        da.sort(key=lambda pair: -pair[0]["elo"])
    items = [item for item, _ in aa] + [item for item, _ in da]
    used = [r for _, rows in aa for r in rows] + [r for _, r in da]
    if data["max_results"]:
        items = items[: data["max_results"]]
    return items, used


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@api_view
def benchmark_list(request: HttpRequest) -> HttpResponse:
    form = BenchmarkParams(request.GET)
    if not form.is_valid():
        raise ApiError(400, form_error_message(form))
    data = form.cleaned_data
    items, used = benchmark_items(data)
    source = data["source"] or None
    cited = next((r for r in used if r.citation), None) if source else None
    as_of = max((r.as_of for r in used), default=data_version().changed_at)
    body: BenchmarkList = {
        "data": items,
        "meta": {
            "as_of": _iso(as_of),
            "version": "v1",
            "source": source,
            "source_url": CITED.get(source or ""),
            "citation": cited.citation if cited else None,
            "model_count": len({i["model_permaslug"] for i in items}),
            "task_type": data["task_type"] or None,
        },
    }
    return json_response(request, body, modified=data_version().changed_at)
