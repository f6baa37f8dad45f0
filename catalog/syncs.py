"""One sync per upstream entity: lock -> source -> ingest -> SyncRun.

The jobs (ops.jobs) and so both the Celery tasks and the `sync` command call these:
one data path for each job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

from catalog.fanout import Progress, all_failed, fan_out
from catalog.ingest import (
    IngestResult,
    endpoint_upsert_many,
    model_upsert_many,
    provider_upsert_many,
)
from catalog.models import LanguageModel, Origin, SyncKind, SyncRun
from catalog.runs import run_guarded, sync_run_skipped
from catalog.shrink import shrink_holding
from catalog.sources import openrouter_source
from catalog.sources.base import Fetched, ItemError, SourceError
from catalog.sources.openrouter import EndpointRecord, OpenRouterSource

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


def _with_fetch_errors(result: IngestResult, fetched: Fetched) -> IngestResult:
    result.failed += len(fetched.errors)
    result.errors = list(fetched.errors) + result.errors
    return result


def _held(kind: str) -> SyncRun | None:
    """A skipped run when another list's refused shrink holds this one (see
    catalog.shrink: the catalogue, providers and endpoints move together)."""
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
            fetched = source.fetch_models()
            result = model_upsert_many(
                fetched.records,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            return _with_fetch_errors(result, fetched)

        return run_guarded(SyncKind.CATALOG, f"{source.base_url}/models", work)


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


def sync_endpoints(
    source: OpenRouterSource | None = None,
    *,
    slugs: list[str] | None = None,
    progress: Progress | None = None,
    observers: Sequence[EndpointsObserver] = (),
) -> SyncRun:
    """Poll the endpoints of every listed model (or of `slugs`), fanned out."""
    kind = SyncKind.ENDPOINTS if slugs is None else SyncKind.ENDPOINTS_SOME
    if held := _held(kind):
        return held
    with _owned(source) as source:

        def work(run: SyncRun) -> IngestResult:
            targets = slugs or listed_upstream_slugs()
            fetched, errors = fetch_endpoints_many(source, targets, progress)
            result = endpoint_upsert_many(
                fetched,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            result.failed += len(errors)
            result.errors = errors + result.errors
            for observe in observers:
                observe(fetched, run)
            return result

        return run_guarded(kind, f"{source.base_url}/models/…/endpoints", work)


def fetch_endpoints_many(
    source: OpenRouterSource, slugs: list[str], progress: Progress | None = None
) -> tuple[dict[str, list[EndpointRecord]], list[ItemError]]:
    """Fetch many models' endpoints with bounded concurrency; failures are per model.

    Raises when every model failed: then upstream is down, not one model odd.
    """
    fetched: dict[str, list[EndpointRecord]] = {}
    errors: list[ItemError] = []
    failures: list[tuple[str, SourceError]] = []
    workers = settings.SYNC_ENDPOINTS_CONCURRENCY
    for chunk in fan_out(
        slugs, source.fetch_endpoints, workers=workers, progress=progress
    ):
        for slug, outcome in chunk:
            if isinstance(outcome, SourceError):
                failures.append((slug, outcome))
                errors.append(ItemError(slug, str(outcome)))
                continue
            fetched[slug] = outcome.records
            errors += [ItemError(f"{slug} {e.item}", e.error) for e in outcome.errors]
    if slugs and len(failures) == len(slugs):
        raise all_failed(failures, len(slugs), "endpoint fetches")
    return fetched, errors
