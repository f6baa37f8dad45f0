"""One upstream request per item, with bounded concurrency: the shape of every
per-model poll (endpoints, activity, apps, uptime)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
    keeps what it finished, and memory stays bounded by the chunk.
    """

    def one(item: T) -> tuple[T, R | SourceError]:
        try:
            return item, fetch(item)
        except SourceError as exc:
            return item, exc

    done = 0
    pool = ThreadPoolExecutor(max_workers=max(workers, 1))
    try:
        for start in range(0, len(items), chunk):
            outcomes = list(pool.map(one, items[start : start + chunk]))
            done += len(outcomes)
            if progress:
                progress(done, len(items))
            yield outcomes
    finally:
        # Stopped early (a time limit, a signal, an error): queued fetches are
        # dropped, not waited for; ones in flight end at their own deadline.
        pool.shutdown(wait=False, cancel_futures=True)


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
