"""One upstream request per item, with bounded concurrency: the shape of every
per-model poll (endpoints, activity, apps, uptime)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from catalog.sources.base import SourceError

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]
CHUNK = 50


def fan_out(
    items: Sequence[T],
    fetch: Callable[[T], R],
    *,
    workers: int,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> Iterator[list[tuple[T, R | SourceError]]]:
    """Fetch every item, `workers` at a time, yielding results a chunk at a time.

    A SourceError is returned in place of its item's result, so one failing item
    never stops the others. Chunks let the caller write as it goes: a killed worker
    keeps what it finished, and memory stays bounded by two chunks (the next one is
    fetched while the caller writes this one). A caller that stops early leaves at
    most one chunk fetched and unused.
    """

    def one(item: T) -> tuple[T, R | SourceError]:
        try:
            return item, fetch(item)
        except SourceError as exc:
            return item, exc

    done = 0
    pool = ThreadPoolExecutor(max_workers=max(workers, 1))
    try:
        # The next chunk is fetched while the caller writes this one.
        pending: list[Future[tuple[T, R | SourceError]]] = []
        for start in range(0, len(items), chunk):
            ahead = [pool.submit(one, item) for item in items[start : start + chunk]]
            if pending:
                done += len(pending)
                yield _collected(pending, done, len(items), progress)
            pending = ahead
        if pending:
            done += len(pending)
            yield _collected(pending, done, len(items), progress)
    finally:
        # Stopped early (a window, a time limit, a signal, an error): queued fetches
        # are dropped, not waited for; ones in flight end at their own deadline.
        pool.shutdown(wait=False, cancel_futures=True)


def _collected(
    futures: list[Future[tuple[T, R | SourceError]]],
    done: int,
    total: int,
    progress: Progress | None,
) -> list[tuple[T, R | SourceError]]:
    outcomes = [future.result() for future in futures]
    if progress:
        progress(done, total)
    return outcomes


def all_failed(
    failures: list[tuple[str, SourceError]], total: int, what: str = "fetches"
) -> SourceError:
    """Every item failed: one error for the run, of the first failure's kind (so a
    transient outage is retried), naming how many and the first reason."""
    item, first = failures[0]
    return first.__class__(
        f"all {total} {what} failed; first: {item}: {first}",
        url=first.url,
        retry_after=first.retry_after,
    )
