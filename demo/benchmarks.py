"""Benchmark scores for the demo upstream: `Model.benchmarks` on the model list and
the unified `GET /benchmarks`, built from demo/data/benchmarks-spec-shaped.json.

No recording carries benchmarks (upstream added them in 2026): the file holds
illustrative scores in the shape of the spec's `ModelBenchmarks` and
`UnifiedBenchmarksResponse`, and says so.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "benchmarks-spec-shaped.json"
AA, DA = "artificial-analysis", "design-arena"
TASK_INDEX = {
    "intelligence": "intelligence_index",
    "coding": "coding_index",
    "agentic": "agentic_index",
}
# Design Arena's category a task type maps to (the others have none).
TASK_CATEGORY = {"coding": "codecategories"}
VALUES = {
    "source": {AA, DA, "openrouter"},
    "task_type": {*TASK_INDEX, "search"},
    "arena": {"models", "builders", "agents"},
    "search_surface": {"server-tool", "plugin"},
}

Model = dict[str, Any]


@functools.cache
def data() -> dict[str, Any]:
    """The demo's benchmark file (parsed once per process)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


def scores_of(model_id: str) -> dict[str, Any] | None:
    """A model's `benchmarks` object: its own, else its base model's (a variant,
    `:free` or `:thinking`, is the same model)."""
    scores: dict[str, dict[str, Any]] = data()["models"]
    return scores.get(model_id) or scores.get(model_id.split(":", 1)[0])


def with_benchmarks(models: Iterable[Model]) -> tuple[Model, ...]:
    """The models, those the file scores with their `benchmarks` added."""
    out = []
    for model in models:
        found = scores_of(model["id"]) if isinstance(model.get("id"), str) else None
        out.append(dict(model, benchmarks=found) if found else model)
    return tuple(out)


def _pricing(model: Model) -> dict[str, str] | None:
    pricing = model.get("pricing") or {}
    if "prompt" in pricing and "completion" in pricing:
        return {"prompt": pricing["prompt"], "completion": pricing["completion"]}
    return None


def _items(model: Model, scores: dict[str, Any]) -> list[dict[str, Any]]:
    slug = model.get("canonical_slug") or model["id"]
    common = {"model_permaslug": slug, "display_name": model.get("name") or slug}
    items: list[dict[str, Any]] = []
    if aa := scores.get("artificial_analysis"):
        items.append({"source": AA, **common, **aa, "pricing": _pricing(model)})
    for entry in scores.get("design_arena") or []:
        placed = int(entry["win_rate"] // 10)
        stats = {
            "first_place": placed,
            "second_place": placed // 2,
            "third_place": placed // 3,
            "fourth_place": 1,
            "total": placed + placed // 2 + placed // 3 + 1,
        }
        items.append(
            {
                "source": DA,
                **common,
                **{k: entry[k] for k in ("arena", "category", "elo", "win_rate")},
                "avg_generation_time_ms": 2000 + 10 * entry["rank"],
                "tournament_stats": stats,
                "pricing": _pricing(model),
            }
        )
    return items


def _wanted(item: dict[str, Any], query: Mapping[str, str]) -> bool:
    source, task = query.get("source"), query.get("task_type")
    if task == "search" or source == "openrouter":
        return False  # no OpenRouter evals in the demo
    if source and item["source"] != source:
        return False
    if item["source"] == AA:
        return not task or item.get(TASK_INDEX[task]) is not None
    if task and item["category"] != TASK_CATEGORY.get(task):
        return False
    arena = query.get("arena") or ("models" if source == DA else None)
    category = query.get("category")
    return (not arena or item["arena"] == arena) and (
        not category or item["category"] == category
    )


def problem(query: Mapping[str, str]) -> str | None:
    """What is wrong with the query's values, as upstream answers a 400."""
    for name, allowed in VALUES.items():
        value = query.get(name)
        if value and value not in allowed:
            return f"Invalid {name}: {value}"
    limit = query.get("max_results")
    if limit is not None and not (limit.isdigit() and int(limit) >= 1):
        return "Invalid max_results: must be a positive integer"
    return None


def benchmarks_payload(
    models: Iterable[Model], query: Mapping[str, str]
) -> dict[str, Any]:
    """GET /benchmarks: every scored model's items the query asks for."""
    items = [
        item
        for model in models
        if isinstance(model.get("id"), str) and ":" not in model["id"]
        for item in _items(model, scores_of(model["id"]) or {})
        if _wanted(item, query)
    ]
    task = query.get("task_type")
    if task in TASK_INDEX:
        items.sort(key=lambda i: -(i.get(TASK_INDEX[task]) or i.get("elo") or 0))
    if limit := query.get("max_results"):
        items = items[: int(limit)]
    source = query.get("source") or None
    cited = data()["citations"].get(source or "", {})
    meta = {
        "as_of": data()["as_of"],
        "version": "v1",
        "source": source,
        "source_url": cited.get("source_url"),
        "citation": cited.get("citation"),
        "model_count": len({i["model_permaslug"] for i in items}),
        "task_type": task or None,
    }
    return {"data": items, "meta": meta}
