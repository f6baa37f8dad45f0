"""Benchmark scores, one sync: lock -> source -> ingest -> SyncRun (the job and
`manage.py sync benchmarks` call it).

Two lists feed it: the model list's `benchmarks` objects, as the last catalogue
poll stored them (the raw payload), and upstream's /benchmarks, which needs an
API key (without OPENROUTER_API_KEY it is not asked). An answer of 401, 403 or
404 there means upstream does not serve it to us: the run says so in its item
errors and keeps the scores stored; other failures fail the run as any poll's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from catalog.ingest.batch import IngestResult
from catalog.ingest.benchmarks import (
    Cited,
    Key,
    benchmark_scores_replace,
    scores_of_item,
    scores_of_model,
)
from catalog.models import BenchmarkVia, LanguageModel, Origin, SyncKind, SyncRun
from catalog.runs import run_guarded
from catalog.sources import benchmarks_source
from catalog.sources.base import ItemError, PermanentError
from catalog.sources.benchmarks import (
    SOURCE,
    BenchmarkList,
    BenchmarksSource,
    parse_model_benchmarks,
)

# Statuses of /benchmarks that mean "not served to us", not "broken".
NOT_SERVED = ("HTTP 401", "HTTP 403", "HTTP 404")


@contextmanager
def _owned(source: BenchmarksSource | None) -> Iterator[BenchmarksSource]:
    if source is not None:
        yield source
        return
    source = benchmarks_source()
    try:
        yield source
    finally:
        source.http.close()


def sync_benchmarks(source: BenchmarksSource | None = None) -> SyncRun:
    """Store the model list's benchmark scores, then /benchmarks' where served."""
    with _owned(source) as source:

        def work(run: SyncRun) -> IngestResult:
            now = timezone.now()
            result = benchmarks_from_model_list(now)
            if settings.OPENROUTER_API_KEY:
                result.add(benchmarks_from_list(source, now))
            return result

        return run_guarded(SyncKind.BENCHMARKS, source.url, work, source=SOURCE)


def _listed() -> Any:
    return LanguageModel.objects.filter(
        delisted_at__isnull=True, origin=Origin.UPSTREAM
    ).order_by("pk")


def benchmarks_from_model_list(now: datetime) -> IngestResult:
    """The scores in the listed models' `benchmarks`, as last polled: a model
    without one has none; a malformed one keeps what was stored."""
    rows = _listed().annotate(sent=KeyTransform("benchmarks", "raw"))
    pairs = {
        slug: (pk, sent) for pk, slug, sent in rows.values_list("pk", "slug", "sent")
    }
    found, errors = parse_model_benchmarks([(s, p[1]) for s, p in pairs.items()])
    refused = {e.item.removesuffix(" benchmarks") for e in errors}
    scores = {pairs[f.slug][0]: scores_of_model(f.scores) for f in found}
    read = [pk for slug, (pk, _) in pairs.items() if slug not in refused]
    result = benchmark_scores_replace(BenchmarkVia.MODELS, scores, models=read, now=now)
    result.failed += len(errors)
    result.errors = errors + result.errors
    return result


def benchmarks_from_list(source: BenchmarksSource, now: datetime) -> IngestResult:
    """/benchmarks' scores of the catalogue's models, by permaslug (a variant
    shares its model's); a model it no longer scores loses its scores."""
    try:
        lists = source.fetch_lists()
    except PermanentError as exc:
        if not str(exc).startswith(NOT_SERVED):
            raise
        result = IngestResult()
        result.errors.append(ItemError(source.url, f"not served: {exc}"))
        return result
    by_slug: dict[str, list[int]] = defaultdict(list)
    for pk, slug, canonical in _listed().values_list("pk", "slug", "canonical_slug"):
        by_slug[canonical or slug.split(":", 1)[0]].append(pk)
    scores, refused = _scores_by_model(lists, by_slug)
    read = [pk for slug, pks in by_slug.items() if slug not in refused for pk in pks]
    result = benchmark_scores_replace(
        BenchmarkVia.BENCHMARKS, scores, models=read, now=now
    )
    errors = [e for found in lists for e in found.errors]
    result.failed += len(errors)
    result.errors = errors + result.errors
    return result


def _scores_by_model(
    lists: list[BenchmarkList], by_slug: dict[str, list[int]]
) -> tuple[dict[int, dict[Key, Any]], set[str]]:
    scores: dict[int, dict[Key, Any]] = defaultdict(dict)
    refused: set[str] = set()
    for found in lists:
        refused |= found.refused
        cited = Cited(found.as_of, found.citation, found.source_url)
        for item in found.items:
            # A Design Arena id upstream could not map to a model: none of ours.
            for pk in by_slug.get(item.model_permaslug, ()):
                scores[pk].update(scores_of_item(item, cited))
    return scores, refused
