"""Writes for benchmark scores: make one upstream list's scores (the model list's
`benchmarks`, or /benchmarks) match what it sent, and keep each model's current
figures (ModelScores) that the lists sort and filter on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import transaction

from catalog.ingest.batch import IngestResult
from catalog.ingest.rows import objects_update
from catalog.models import BenchmarkScore, BenchmarkVia, ModelScores
from catalog.models.benchmarks import AA_INDICES, ELO, BenchmarkSource
from catalog.sources import benchmarks as source
from catalog.versions import data_version_bump

# Models whose scores are compared and written at a time.
CHUNK = 500
# What identifies a score within one model and one list.
Key = tuple[str, str, str, str]
# The columns of a score that come from upstream (as_of apart: see below).
VALUES = ("value", "win_rate", "rank", "citation", "source_url", "details")


@dataclass(frozen=True)
class Cited:
    """Where a list's scores come from: its date (None: the poll's time, kept
    while the value holds), citation and URL."""

    as_of: datetime | None = None
    citation: str = ""
    source_url: str = ""


MODEL_LIST = {
    BenchmarkSource.ARTIFICIAL_ANALYSIS: Cited(
        source_url="https://artificialanalysis.ai",
        citation="Source: Artificial Analysis (artificialanalysis.ai) via "
        "OpenRouter's model list.",
    ),
    BenchmarkSource.DESIGN_ARENA: Cited(
        source_url="https://www.designarena.ai",
        citation="Source: Design Arena (designarena.ai) via OpenRouter's model list.",
    ),
}


def scores_of_model(found: source.ModelBenchmarks) -> dict[Key, dict[str, Any]]:
    """One model's scores from its `benchmarks` object (a null index is none)."""
    scores: dict[Key, dict[str, Any]] = {}
    cited = MODEL_LIST[BenchmarkSource.ARTIFICIAL_ANALYSIS]
    if aa := found.artificial_analysis:
        for metric in AA_INDICES:
            value = getattr(aa, metric)
            if value is not None:
                key = (source.AA, metric, "", "")
                scores[key] = _score(value, cited)
    cited = MODEL_LIST[BenchmarkSource.DESIGN_ARENA]
    for entry in found.design_arena:
        key = (source.DA, ELO, entry.arena, entry.category)
        scores[key] = _score(entry.elo, cited, win_rate=entry.win_rate, rank=entry.rank)
    return scores


def scores_of_item(item: source.BenchmarkItem, cited: Cited) -> dict[Key, Any]:
    """One /benchmarks item's scores."""
    details = {
        k: v
        for k, v in item.raw.items()
        if k in ("display_name", "avg_generation_time_ms", "tournament_stats")
    }
    if item.source == source.DA and item.elo is not None:
        key = (source.DA, ELO, item.arena, item.category)
        return {key: _score(item.elo, cited, win_rate=item.win_rate, details=details)}
    return {
        (source.AA, metric, "", ""): _score(value, cited, details=details)
        for metric in AA_INDICES
        if (value := getattr(item, metric)) is not None
    }


def _score(value: float, cited: Cited, **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "win_rate": extra.get("win_rate"),
        "rank": extra.get("rank"),
        "citation": cited.citation[:300],
        "source_url": cited.source_url[:300],
        "details": extra.get("details") or {},
        "as_of": cited.as_of,
    }


def benchmark_scores_replace(
    via: BenchmarkVia,
    scores: dict[int, dict[Key, dict[str, Any]]],
    *,
    models: Iterable[int],
    now: datetime,
) -> IngestResult:
    """Make the `via` scores of `models` (those the list was read for) the ones
    given, model id -> scores; others' scores are left as they are. Writes only
    what changed; the changed models' current figures follow."""
    result = IngestResult()
    ids = iter(sorted(set(models)))
    while chunk := list(islice(ids, CHUNK)):
        with transaction.atomic():
            changed = _replace_chunk(via, chunk, scores, now, result)
            if changed:
                model_scores_refresh(changed)
                data_version_bump()
    return result


def _replace_chunk(
    via: BenchmarkVia,
    chunk: list[int],
    scores: dict[int, dict[Key, dict[str, Any]]],
    now: datetime,
    result: IngestResult,
) -> set[int]:
    stored = {
        (row.model_id, (row.source, row.metric, row.arena, row.category)): row
        for row in BenchmarkScore.objects.filter(via=via, model_id__in=chunk)
    }
    wanted = {
        (m, key): score for m in chunk for key, score in scores.get(m, {}).items()
    }
    gone = [row.pk for k, row in stored.items() if k not in wanted]
    changed = {model_id for model_id, key in stored if (model_id, key) not in wanted}
    new, changed_rows = [], []
    for (model_id, key), score in wanted.items():
        as_of = score["as_of"]
        row = stored.get((model_id, key))
        if row is None:
            new.append(_row(via, model_id, key, score, as_of or now, now))
            changed.add(model_id)
        elif _differs(row, score):
            for name in VALUES:
                setattr(row, name, score[name])
            # The model list dates no score: it is as of when its value was seen.
            row.as_of, row.updated_at = as_of or now, now
            changed_rows.append(row)
            changed.add(model_id)
        else:
            result.unchanged += 1
    BenchmarkScore.objects.filter(pk__in=gone).delete()
    BenchmarkScore.objects.bulk_create(new)
    objects_update(changed_rows, [*VALUES, "as_of", "updated_at"])
    result.created += len(new)
    result.updated += len(changed_rows)
    result.delisted += len(gone)
    return changed


def _differs(row: BenchmarkScore, score: dict[str, Any]) -> bool:
    if any(getattr(row, name) != score[name] for name in VALUES):
        return True
    return score["as_of"] is not None and row.as_of != score["as_of"]


def _row(
    via: BenchmarkVia,
    model_id: int,
    key: Key,
    score: dict[str, Any],
    as_of: datetime,
    now: datetime,
) -> BenchmarkScore:
    src, metric, arena, category = key
    fields = {name: score[name] for name in VALUES}
    return BenchmarkScore(
        model_id=model_id,
        source=src,
        metric=metric,
        arena=arena,
        category=category,
        via=via,
        as_of=as_of,
        updated_at=now,
        **fields,
    )


def model_scores_refresh(model_ids: Iterable[int]) -> None:
    """Each model's current figures from its stored scores: /benchmarks' where it
    has one (it dates and cites them), else the model list's; the best Elo of the
    preferred list across arenas and categories."""
    ids = sorted(set(model_ids))
    rows = BenchmarkScore.objects.filter(model_id__in=ids).values_list(
        "model_id", "source", "metric", "via", "value"
    )
    found: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    for model_id, src, metric, via, value in rows:
        if src == source.DA:
            # Each list's best Elo across arenas and categories.
            best = found[model_id].get((via, ELO))
            found[model_id][(via, ELO)] = value if best is None else max(best, value)
        else:
            found[model_id][(via, metric)] = value
    figures = [_figures(model_id, found[model_id]) for model_id in ids]
    ModelScores.objects.filter(model_id__in=ids).delete()
    ModelScores.objects.bulk_create([f for f in figures if f is not None])


def _figures(model_id: int, found: dict[tuple[str, str], float]) -> ModelScores | None:
    def pick(metric: str) -> float | None:
        return found.get(
            (BenchmarkVia.BENCHMARKS, metric), found.get(("models", metric))
        )

    values = {
        "intelligence_index": pick("intelligence_index"),
        "coding_index": pick("coding_index"),
        "agentic_index": pick("agentic_index"),
        "design_arena_elo": pick(ELO),
    }
    if all(v is None for v in values.values()):
        return None
    return ModelScores(model_id=model_id, **values)
