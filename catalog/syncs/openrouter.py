"""OpenRouter's catalogue, providers and endpoints, one sync each: lock -> source
-> ingest -> SyncRun.

The jobs (ops.jobs) and so both the Celery tasks and the `sync` command call these:
one data path for each job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone

from catalog.ingest import (
    IngestResult,
    ShrinkGuardError,
    endpoint_upsert_many,
    endpoints_baseline_event,
    model_upsert_batches,
    provider_upsert_many,
)
from catalog.ingest.statistics import tables_analyse
from catalog.models import (
    CatalogEvent,
    Endpoint,
    LanguageModel,
    ModelRank,
    ModelSearch,
    Origin,
    SyncKind,
    SyncRun,
)
from catalog.runs import run_guarded, runs_live, shrink_holding, sync_run_skipped
from catalog.sources import openrouter_source
from catalog.sources.base import Fetched, ItemError, SourceError
from catalog.sources.fanout import CHUNK, Progress, all_failed, fan_out
from catalog.sources.openrouter import (
    EndpointRecord,
    ModelRecord,
    OpenRouterSource,
    listed_ids,
    parse_models,
)
from catalog.syncs.benchmarks import benchmarks_from_model_list
from catalog.syncs.polling import endpoints_plan, endpoints_polled

T = TypeVar("T")

# Upstream's model items parsed and written per round.
MODEL_BATCH = 1000
# What each sync writes (the ranks by trigger), analysed after many rows changed.
MODEL_TABLES = (LanguageModel, ModelRank, ModelSearch, CatalogEvent)
ENDPOINT_TABLES = (Endpoint, ModelRank, CatalogEvent)

# Called after an endpoints poll is stored, with what was fetched: how the stats
# app snapshots each poll's rolling uptime, latency and throughput (ops wires it).
EndpointsObserver = Callable[[dict[str, list[EndpointRecord]], SyncRun], None]


@contextmanager
def _owned(source: OpenRouterSource | None) -> Iterator[OpenRouterSource]:
    """The given source, or a new one from settings that is closed afterwards."""
    if source is not None:
        yield source
        return
    source = openrouter_source()
    try:
        yield source
    finally:
        source.http.close()


def _with_fetch_errors(result: IngestResult, fetched: Fetched[T]) -> IngestResult:
    result.failed += len(fetched.errors)
    result.errors = list(fetched.errors) + result.errors
    return result


def _held(kind: str) -> SyncRun | None:
    """A skipped run when another list's refused shrink holds this one (see
    catalog/runs/shrink.py: the catalogue, providers and endpoints move together)."""
    refusal = shrink_holding(kind)
    if refusal is None:
        return None
    return sync_run_skipped(
        kind,
        reason=f"held: the {refusal.what} shrink refused by run {refusal.run_id} "
        "awaits an editor's decision (admin: Shrink refusals); the catalogue, "
        "providers and endpoints move together",
    )


def sync_catalog(source: OpenRouterSource | None = None) -> SyncRun:
    """Poll the model list into LanguageModel rows."""
    if held := _held(SyncKind.CATALOG):
        return held
    with _owned(source) as source:

        def work(run: SyncRun) -> IngestResult:
            items, url = source.fetch_model_items()
            fetched = Fetched[ModelRecord](records=[], url=url)
            listed = listed_ids(items)
            result = model_upsert_batches(
                _parsed_batches(items, fetched),
                ids=listed,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            written = result.created + result.updated + result.delisted
            tables_analyse(MODEL_TABLES, written + result.relisted)
            # The list's benchmark scores follow it at once (the sorts and
            # filters read them); its bad entries are this run's item errors.
            scored = benchmarks_from_model_list(timezone.now())
            result.failed += scored.failed
            result.errors += scored.errors
            return _with_fetch_errors(result, fetched)

        return run_guarded(SyncKind.CATALOG, f"{source.base_url}/models", work)


def _parsed_batches(
    items: Iterable[Any], fetched: Fetched[ModelRecord]
) -> Iterator[list[ModelRecord]]:
    """Upstream's items decoded and parsed a batch at a time, each let go once
    written (no list of every item is ever held); item errors are collected in
    `fetched`."""
    decoded = iter(items)
    start = 0
    while chunk := list(islice(decoded, MODEL_BATCH)):
        part = parse_models(chunk, fetched.url, start)
        fetched.errors += part.errors
        start += len(chunk)
        del chunk
        yield part.records


def sync_providers(source: OpenRouterSource | None = None) -> SyncRun:
    """Poll the provider list into Provider rows."""
    if held := _held(SyncKind.PROVIDERS):
        return held
    with _owned(source) as source:

        def work(run: SyncRun) -> IngestResult:
            fetched = source.fetch_providers()
            result = provider_upsert_many(
                fetched.records,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            return _with_fetch_errors(result, fetched)

        return run_guarded(SyncKind.PROVIDERS, f"{source.base_url}/providers", work)


def listed_upstream_slugs() -> list[str]:
    """Ids of the listed models that upstream knows (hand-added ones excluded)."""
    return list(
        LanguageModel.objects.filter(delisted_at__isnull=True, origin=Origin.UPSTREAM)
        .order_by("slug")
        .values_list("slug", flat=True)
    )


@dataclass
class EndpointsResult(IngestResult):
    """An endpoints run's counts: its plan, and what it left to the next run."""

    planned: int = 0
    polled: int = 0
    handed_over: int = 0
    plan: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return (
            super().counts()
            | self.plan
            | {
                "polled": self.polled,
                "handed_over": self.handed_over,
            }
        )


def _behind_catalogue(kind: str) -> SyncRun | None:
    """A skipped run while a catalogue sync is still writing: endpoints are
    polled for the catalogue's rows, which would move under the poll. The next
    endpoints run goes on (its plan puts the longest unpolled first)."""
    writing = runs_live().filter(kind=SyncKind.CATALOG).order_by("pk").first()
    if writing is None:
        return None
    return sync_run_skipped(
        kind,
        reason=f"skipped: the catalogue sync (run {writing.pk}) is still writing; "
        "the next endpoints run goes on",
    )


def sync_endpoints(
    source: OpenRouterSource | None = None,
    *,
    slugs: list[str] | None = None,
    progress: Progress | None = None,
    observers: Sequence[EndpointsObserver] = (),
    clock: Callable[[], float] = time.monotonic,
) -> SyncRun:
    """Poll the endpoints of the models this run's plan picks (or of `slugs`),
    fanned out, writing each chunk as it arrives (memory stays flat)."""
    kind = SyncKind.ENDPOINTS if slugs is None else SyncKind.ENDPOINTS_SOME
    if held := _held(kind) or _behind_catalogue(kind):
        return held
    with _owned(source) as source:

        def work(run: SyncRun) -> EndpointsResult:
            result = EndpointsResult()
            if slugs is None:
                plan = endpoints_plan(timezone.now())
                targets, result.plan = plan.slugs, plan.as_counts()
            else:
                targets = slugs
            _poll_endpoints(source, targets, run, result, observers, progress, clock)
            return result

        return run_guarded(kind, f"{source.base_url}/models/…/endpoints", work)


def _poll_endpoints(
    source: OpenRouterSource,
    targets: list[str],
    run: SyncRun,
    result: EndpointsResult,
    observers: Sequence[EndpointsObserver],
    progress: Progress | None,
    clock: Callable[[], float],
) -> None:
    """Fetch, store and observe `targets` a chunk at a time until the window ends."""
    deadline = clock() + settings.SYNC_WINDOW_SECONDS
    failures: list[tuple[str, SourceError]] = []
    refused: list[ShrinkGuardError] = []
    done = 0
    workers = settings.SYNC_ENDPOINTS_CONCURRENCY
    # Decided once: a first import written a chunk at a time is one baseline.
    baseline = not Endpoint.objects.exists()
    for chunk in fan_out(targets, source.fetch_endpoints, workers=workers, progress=progress):  # fmt: skip
        fetched = _chunk_outcomes(chunk, failures, result)
        done += len(chunk)
        try:
            _store_endpoints(fetched, run, result, observers, baseline)
        except ShrinkGuardError as exc:
            refused.append(exc)
            result.errors.append(ItemError(f"{len(fetched)} models", str(exc)))
        if clock() >= deadline and done < len(targets):
            # Out of time: the rest waits for the next run (its plan puts the
            # longest unpolled first), instead of this one outliving its lock.
            result.handed_over = len(targets) - done
            run.stopped_after = chunk[-1][0][:200]
            break
    if targets and len(failures) == done:
        raise all_failed(failures, len(targets), "endpoint fetches")
    if refused and len(refused) * CHUNK >= done:
        raise refused[0]
    if baseline and result.created:
        endpoints_baseline_event(timezone.now(), run)
        result.events += 1
    tables_analyse(ENDPOINT_TABLES, result.created + result.updated + result.delisted)


def _chunk_outcomes(
    chunk: list[tuple[str, Fetched[EndpointRecord] | SourceError]],
    failures: list[tuple[str, SourceError]],
    result: EndpointsResult,
) -> dict[str, list[EndpointRecord]]:
    fetched: dict[str, list[EndpointRecord]] = {}
    for slug, outcome in chunk:
        if isinstance(outcome, SourceError):
            failures.append((slug, outcome))
            result.failed += 1
            result.errors.append(ItemError(slug, str(outcome)))
            continue
        fetched[slug] = outcome.records
        result.errors += [
            ItemError(f"{slug} {e.item}", e.error) for e in outcome.errors
        ]
        result.failed += len(outcome.errors)
    return fetched


def _store_endpoints(
    fetched: dict[str, list[EndpointRecord]],
    run: SyncRun,
    result: EndpointsResult,
    observers: Sequence[EndpointsObserver],
    baseline: bool,
) -> None:
    if not fetched:
        return
    now = timezone.now()
    result.add(
        endpoint_upsert_many(
            fetched,
            now=now,
            run=run,
            shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            baseline=baseline,
        )
    )
    endpoints_polled(list(fetched), now)
    result.polled += len(fetched)
    for observe in observers:
        observe(fetched, run)
