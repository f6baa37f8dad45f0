"""One sync per upstream entity: lock -> source -> ingest -> SyncRun.

The Celery tasks and the `sync` management command both call these, so there is one
data path for each job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from catalog.endpoint_ingest import endpoint_upsert_many
from catalog.ingest import (
    IngestResult,
    ShrinkGuardError,
    model_upsert_many,
    provider_upsert_many,
)
from catalog.models import LanguageModel, Origin, SyncRun
from catalog.runs import (
    sync_run_fail,
    sync_run_skipped,
    sync_run_start,
    sync_run_succeed,
)
from catalog.sources import openrouter_source
from catalog.sources.base import Fetched, ItemError, SourceError
from catalog.sources.openrouter import EndpointRecord, OpenRouterSource

Progress = Callable[[int, int], None]


class SyncFailed(Exception):
    """A sync ran and failed; `run` says why, `transient` says if a retry may help."""

    def __init__(self, run: SyncRun, *, transient: bool, retry_after: float | None):
        super().__init__(run.error)
        self.run = run
        self.transient = transient
        self.retry_after = retry_after


class RunResult(Protocol):
    errors: list[ItemError]

    def counts(self) -> dict[str, int]: ...


def run_guarded(
    kind: str,
    url: str,
    work: Callable[[SyncRun], RunResult],
    *,
    source: str = "openrouter",
) -> SyncRun:
    """Take the kind's lock, do the work, and close the SyncRun with its outcome."""
    run = sync_run_start(kind, source=source, url=url)
    if run is None:
        return sync_run_skipped(kind, source=source)
    try:
        result = work(run)
    except SourceError as exc:
        sync_run_fail(run, f"{exc} ({exc.url})" if exc.url else str(exc))
        raise SyncFailed(
            run, transient=exc.transient, retry_after=exc.retry_after
        ) from exc
    except ShrinkGuardError as exc:
        sync_run_fail(run, str(exc))
        raise SyncFailed(run, transient=False, retry_after=None) from exc
    except Exception as exc:
        sync_run_fail(run, f"internal error: {exc.__class__.__name__}: {exc}")
        raise
    return sync_run_succeed(run, result.counts(), result.errors)


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


def sync_catalog(source: OpenRouterSource | None = None) -> SyncRun:
    """Poll the model list into LanguageModel rows."""
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

        return run_guarded("catalog", f"{source.base_url}/models", work)


def sync_providers(source: OpenRouterSource | None = None) -> SyncRun:
    """Poll the provider list into Provider rows."""
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

        return run_guarded("providers", f"{source.base_url}/providers", work)


def sync_endpoints(
    source: OpenRouterSource | None = None,
    *,
    slugs: list[str] | None = None,
    progress: Progress | None = None,
) -> SyncRun:
    """Poll the endpoints of every listed model (or of `slugs`), fanned out."""
    with _owned(source) as source:

        def work(run: SyncRun) -> IngestResult:
            targets = slugs or list(
                LanguageModel.objects.filter(
                    delisted_at__isnull=True, origin=Origin.UPSTREAM
                )
                .order_by("slug")
                .values_list("slug", flat=True)
            )
            fetched, errors = fetch_endpoints_many(source, targets, progress)
            if targets and len(errors) == len(targets):
                raise errors_as_failure(errors)
            result = endpoint_upsert_many(
                fetched,
                now=timezone.now(),
                run=run,
                shrink_ratio=settings.SYNC_SHRINK_GUARD_RATIO,
            )
            result.failed += len(errors)
            result.errors = errors + result.errors
            for hook in ENDPOINT_OBSERVERS:
                hook(fetched, run)
            return result

        kind = "endpoints" if slugs is None else "endpoints-some"
        return run_guarded(kind, f"{source.base_url}/models/…/endpoints", work)


# Other apps (stats) register here to see every endpoints poll; catalog stays
# unaware of them.
ENDPOINT_OBSERVERS: list[
    Callable[[dict[str, list[EndpointRecord]], SyncRun], None]
] = []


def fetch_endpoints_many(
    source: OpenRouterSource, slugs: list[str], progress: Progress | None = None
) -> tuple[dict[str, list[EndpointRecord]], list[ItemError]]:
    """Fetch many models' endpoints with bounded concurrency; failures are per model."""
    fetched: dict[str, list[EndpointRecord]] = {}
    errors: list[ItemError] = []

    def one(slug: str) -> tuple[str, Fetched[EndpointRecord] | SourceError]:
        try:
            return slug, source.fetch_endpoints(slug)
        except SourceError as exc:
            return slug, exc

    workers = settings.SYNC_ENDPOINTS_CONCURRENCY
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, (slug, outcome) in enumerate(pool.map(one, slugs), start=1):
            if isinstance(outcome, SourceError):
                errors.append(ItemError(slug, str(outcome)))
            else:
                fetched[slug] = outcome.records
                errors += [
                    ItemError(f"{slug} {e.item}", e.error) for e in outcome.errors
                ]
            if progress:
                progress(done, len(slugs))
    return fetched, errors


def errors_as_failure(errors: list[ItemError]) -> SourceError:
    """Every model failed: fail the run with the first reason."""
    first = errors[0]
    return SourceError(
        f"all {len(errors)} endpoint fetches failed; first: {first.item}: {first.error}"
    )
