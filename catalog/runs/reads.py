"""Reading runs back: the latest of each kind (for /status and the pages), and
where a handed-over poll goes on."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.sql.compiler import SQLCompiler

from catalog.models.runs import SyncRun, SyncStatus


@dataclass
class LatestRuns:
    """The latest runs of one kind: any, attempted (not skipped), succeeded, failed."""

    latest: SyncRun | None = None
    attempted: SyncRun | None = None
    succeeded: SyncRun | None = None
    failed: SyncRun | None = None

    @property
    def failing(self) -> bool:
        """The latest attempt failed."""
        return self.attempted is not None and self.attempted.status in FAILURES


FAILURES = (SyncStatus.FAILED, SyncStatus.ABANDONED)


def run_last_succeeded(kind: str) -> SyncRun | None:
    """When the latest successful run of `kind` started and finished (one probe of
    syncrun-kind-time; not its counts and item errors, which can be long)."""
    runs = SyncRun.objects.filter(kind=kind, status=SyncStatus.SUCCEEDED)
    return (
        runs.only("kind", "status", "started_at", "finished_at")
        .order_by("-started_at", "-id")
        .first()
    )


def runs_latest(kinds: Iterable[str]) -> dict[str, LatestRuns]:
    """The latest runs of each kind (see LatestRuns), in one query."""
    kinds = tuple(dict.fromkeys(kinds))
    found = {kind: LatestRuns() for kind in kinds}
    if not kinds:
        return found
    sql, params = _latest_sql(connection.alias, kinds)
    for run in SyncRun.objects.raw(sql, params):
        latest = found[run.kind]
        for slot in LATEST_SLOTS:
            if _fits(run, slot) and _newer(run, getattr(latest, slot)):
                setattr(latest, slot, run)
    return found


# LatestRuns' fields: which of a kind's runs each holds is _fits's.
LATEST_SLOTS = ("latest", "attempted", "succeeded", "failed")


@functools.lru_cache(maxsize=64)
def _latest_sql(alias: str, kinds: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """runs_latest's query, compiled once per database and set of kinds: its four
    correlated subqueries took most of its time to compile on every page view,
    and nothing in it changes between calls."""

    def newest(runs: QuerySet[SyncRun]) -> Subquery:
        # Served by syncrun-kind-time (kind, -started_at).
        return Subquery(
            runs.filter(kind=OuterRef("kind"))
            .order_by("-started_at", "-id")
            .values("pk")[:1]
        )

    all_runs = SyncRun.objects.all()
    slots = {
        "latest": all_runs,
        "attempted": all_runs.exclude(status=SyncStatus.SKIPPED),
        "succeeded": all_runs.filter(status=SyncStatus.SUCCEEDED),
        "failed": all_runs.filter(status__in=FAILURES),
    }
    wanted = Q()
    for runs in slots.values():
        wanted |= Q(pk=newest(runs))
    query = SyncRun.objects.using(alias).filter(kind__in=kinds).filter(wanted).query
    compiler: SQLCompiler = query.get_compiler(alias)
    return compiler.as_sql()


def _fits(run: SyncRun, slot: str) -> bool:
    if slot == "attempted":
        return run.status != SyncStatus.SKIPPED
    if slot == "succeeded":
        return run.status == SyncStatus.SUCCEEDED
    if slot == "failed":
        return run.status in FAILURES
    return True


def _newer(run: SyncRun, other: SyncRun | None) -> bool:
    return other is None or (run.started_at, run.pk) > (other.started_at, other.pk)


def resume_after(kind: str) -> str:
    """Where a per-model poll of `kind` goes on: the last item of the latest run,
    when that run ran out of its window (else "", from the start)."""
    latest = (
        SyncRun.objects.filter(kind=kind, status=SyncStatus.SUCCEEDED)
        .order_by("-started_at", "-id")
        .values_list("stopped_after", flat=True)
        .first()
    )
    return latest or ""
