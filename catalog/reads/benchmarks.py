"""Reads of benchmark scores: a model's scores with their source and date (the
model page, compare), and every listed model's for the API's /benchmarks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F

from catalog.models import BenchmarkScore, BenchmarkVia, LanguageModel, ModelScores
from catalog.models.benchmarks import AA_INDICES, BenchmarkSource
from catalog.pricing.costs import Workload
from catalog.reads.selectors import models_visible

LABELS = {
    "intelligence_index": "Intelligence index",
    "coding_index": "Coding index",
    "agentic_index": "Agentic index",
    "elo": "Design Arena Elo",
}


@dataclass(frozen=True)
class ScoreLine:
    """One score as a page shows it."""

    label: str
    value: float
    source: str
    where: str  # a Design Arena arena/category, else ""
    as_of: datetime
    citation: str
    source_url: str


def scores_in_use(rows: Iterable[BenchmarkScore]) -> list[BenchmarkScore]:
    """Of one model's rows, those its figures come from: /benchmarks' per source
    where it has any (it dates and cites them), else the model list's."""
    rows = list(rows)
    listed = {r.source for r in rows if r.via == BenchmarkVia.BENCHMARKS}
    return [
        r for r in rows if r.via == BenchmarkVia.BENCHMARKS or r.source not in listed
    ]


def model_score_lines(model: LanguageModel) -> list[ScoreLine]:
    """A model's scores, the Artificial Analysis indices first, then each Design
    Arena rating, best first (one query)."""
    rows = scores_in_use(BenchmarkScore.objects.filter(model=model))
    order = {metric: n for n, metric in enumerate(AA_INDICES)}
    rows.sort(key=lambda r: (order.get(r.metric, 9), -r.value))
    return [
        ScoreLine(
            label=LABELS.get(r.metric, r.metric),
            value=r.value,
            source=BenchmarkSource(r.source).label,
            where=f"{r.arena} / {r.category}" if r.arena else "",
            as_of=r.as_of,
            citation=r.citation,
            source_url=r.source_url,
        )
        for r in rows
    ]


def benchmark_rows_listed(source: str | None) -> dict[int, list[BenchmarkScore]]:
    """Every listed, visible model's scores in use (of one source), by model
    id, the models in upstream's order (one query, the models' rows joined)."""
    rows = (
        BenchmarkScore.objects.filter(
            model__in=models_visible().filter(delisted_at__isnull=True)
        )
        .select_related("model")
        .order_by(F("model__upstream_position").asc(nulls_last=True), "model_id")
    )
    if source:
        rows = rows.filter(source=source)
    by_model: dict[int, list[BenchmarkScore]] = defaultdict(list)
    for row in rows:
        by_model[row.model_id].append(row)
    return {m: scores_in_use(found) for m, found in by_model.items()}


def intelligence_of(model_ids: list[int]) -> dict[int, float | None]:
    """The intelligence index of each of these models that has figures (one
    query)."""
    found = ModelScores.objects.filter(model_id__in=model_ids)
    return dict(found.values_list("model_id", "intelligence_index"))


def model_scores_of(model_ids: list[int]) -> dict[int, ModelScores]:
    """The benchmark figures of each of these models that has some (one query)."""
    return ModelScores.objects.in_bulk(model_ids)


def points_per_dollar(
    index: float | None, monthly: Decimal | None, workload: Workload
) -> float | None:
    """Index points per dollar of one request of `workload`: the index over what a
    request costs (the month's cost over its requests). None without an index or
    a cost, or when a request costs nothing (free: no ratio ranks it)."""
    requests = workload.requests_per_month
    if index is None or not monthly or requests <= 0:
        return None
    return index / float(monthly / requests)
