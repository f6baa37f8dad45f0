"""SyncRun lifecycle. The database is the lock: at most one running run per kind.

Every sync goes through `run_guarded`: take the kind's lock, do the work, close the
run with its counts, or with a reason a person can read when it failed. A running
run names its owner and keeps a heartbeat (catalog/owners.py): a run whose process
died is abandoned within the heartbeat timeout, and a redelivered task takes over
its own run instead of being turned away by it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from celery.exceptions import SoftTimeLimitExceeded
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from catalog.ingest import ShrinkGuardError
from catalog.models import SyncRun, SyncStatus
from catalog.owners import (
    Heartbeat,
    Owner,
    current_cadence,
    current_owner,
    heartbeat_timeout,
    owner_gone,
)
from catalog.sources.base import ItemError, SourceError
from catalog.sources.fields import clean_text
from catalog.sources.redact import redact_text, redact_url

logger = logging.getLogger(__name__)


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


class RunBusy(Exception):
    """This task's own run is still worked on by a live process: try again later."""

    def __init__(self, run: SyncRun, retry_after: float):
        super().__init__(f"run {run.pk} of {run.kind} is still running elsewhere")
        self.run = run
        self.retry_after = retry_after


def _stale(now: datetime) -> Q:
    cutoff = now - heartbeat_timeout()
    return Q(heartbeat_at__lt=cutoff) | Q(
        heartbeat_at__isnull=True, started_at__lt=cutoff
    )


def runs_live(now: datetime | None = None) -> QuerySet[SyncRun]:
    """Runs really in progress: running, with a fresh heartbeat."""
    now = now or timezone.now()
    return SyncRun.objects.filter(status=SyncStatus.RUNNING).exclude(_stale(now))


def runs_abandon_dead(now: datetime | None = None, *, kind: str = "") -> int:
    """Close running runs whose process died: no heartbeat within the timeout, or
    an owner process on this host that is gone. Returns how many were closed."""
    now = now or timezone.now()
    running = SyncRun.objects.filter(status=SyncStatus.RUNNING)
    if kind:
        running = running.filter(kind=kind)
    seconds = int(heartbeat_timeout().total_seconds())
    closed = running.filter(_stale(now)).update(
        status=SyncStatus.ABANDONED,
        finished_at=now,
        error=f"abandoned: no heartbeat for {seconds} s (its process died or lost "
        "the database)",
    )
    for run in running.filter(owner_host=current_owner().host):
        if owner_gone(run):
            # Compare-and-set: a run taken over meanwhile has a new heartbeat.
            closed += running.filter(pk=run.pk, heartbeat_at=run.heartbeat_at).update(
                status=SyncStatus.ABANDONED,
                finished_at=now,
                error=f"abandoned: its process ({run.owner_pid} on {run.owner_host}) "
                "is gone",
            )
    if closed:
        logger.warning("closed %s abandoned sync run(s)", closed)
    return closed


def run_done_by_this_task(kind: str) -> SyncRun | None:
    """The run this Celery task already finished, when the task is a redelivery of
    one that succeeded but was not acknowledged (its worker or broker went away)."""
    task_id = current_owner().task_id
    if not task_id:
        return None
    return SyncRun.objects.filter(
        task_id=task_id, kind=kind, status=SyncStatus.SUCCEEDED
    ).first()


def _take_over(kind: str, owner: Owner, now: datetime) -> SyncRun | None:
    """This task's own running run, taken over when its first process died."""
    run = SyncRun.objects.filter(
        kind=kind, status=SyncStatus.RUNNING, task_id=owner.task_id
    ).first()
    if run is None:
        return None
    beat = run.heartbeat_at or run.started_at
    retry_after = heartbeat_timeout().total_seconds()
    if not owner_gone(run) and beat >= now - heartbeat_timeout():
        raise RunBusy(run, retry_after)
    taken = SyncRun.objects.filter(
        pk=run.pk, status=SyncStatus.RUNNING, heartbeat_at=run.heartbeat_at
    ).update(
        owner_host=owner.host,
        owner_pid=owner.pid,
        heartbeat_at=now,
        takeovers=F("takeovers") + 1,
    )
    if not taken:
        raise RunBusy(run, retry_after)
    logger.warning(
        "run %s of %s: its process (%s on %s) stopped working on it; its task, delivered again, takes over",
        run.pk,
        kind,
        run.owner_pid,
        run.owner_host,
    )
    run.refresh_from_db()
    return run


def sync_run_start(
    kind: str, *, source: str = "openrouter", url: str = ""
) -> SyncRun | None:
    """Open a run of `kind` owned by this process, or return None when a live one
    is running. A redelivered task takes over its own run whose process died."""
    now = timezone.now()
    owner = current_owner()
    if owner.task_id and (mine := _take_over(kind, owner, now)) is not None:
        return mine
    runs_abandon_dead(now, kind=kind)
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                kind=kind,
                source=source,
                started_at=now,
                upstream_url=redact_url(url)[:500],
                owner_host=owner.host,
                owner_pid=owner.pid,
                task_id=owner.task_id,
                heartbeat_at=now,
                every_seconds=current_cadence(),
            )
    except IntegrityError:
        logger.info("sync %s already running; skipping", kind)
        return None


def sync_run_skipped(
    kind: str,
    *,
    source: str = "openrouter",
    reason: str = "another run of this kind was still running",
) -> SyncRun:
    """Record a run that did not start: another was running, or it is switched off."""
    now = timezone.now()
    return SyncRun.objects.create(
        kind=kind,
        source=source,
        status=SyncStatus.SKIPPED,
        started_at=now,
        finished_at=now,
        error=reason,
        every_seconds=current_cadence(),
    )


def sync_run_succeed(
    run: SyncRun, counts: dict[str, int], item_errors: list[ItemError]
) -> SyncRun:
    """Close a run that did its job (some items may have been skipped)."""
    run.status = SyncStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.counts = counts
    # as_dict cleans what upstream text they quote; URLs in them lose any secret.
    run.item_errors = [
        {**e.as_dict(), "error": redact_text(e.as_dict()["error"])}
        for e in item_errors[:500]
    ]
    run.save()
    for error in item_errors[:50]:
        logger.warning("sync %s skipped %s: %s", run.kind, error.item, error.error)
    return run


def sync_run_fail(
    run: SyncRun, error: str, counts: dict[str, int] | None = None
) -> SyncRun:
    """Close a run that failed, with a reason a person can read."""
    run.status = SyncStatus.FAILED
    run.finished_at = timezone.now()
    run.error = clean_text(redact_text(error))[:2000]
    run.counts = counts or {}
    run.save()
    logger.error("sync %s failed: %s", run.kind, run.error)
    return run


def _fail_quietly(run: SyncRun, error: str) -> None:
    """Close a failed run even when the failure was the database connection: once
    more on a fresh connection, else leave it to the heartbeat timeout."""
    for attempt in (1, 2):
        try:
            sync_run_fail(run, error)
            return
        except DatabaseError as exc:
            if attempt == 2 or connection.in_atomic_block:
                logger.error(
                    "sync %s failed (%s) and its run %s could not be closed (%s); "
                    "it is abandoned when its heartbeat stops",
                    run.kind,
                    error,
                    run.pk,
                    exc,
                )
                return
            connection.close()  # the next query opens a new connection


def interruption_reason(exc: BaseException) -> str:
    """A readable reason for a sync stopped from outside (signal, time limit)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return "stopped: the job ran past its soft time limit (see the job's limits)"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted: the process was asked to stop (Ctrl-C or SIGTERM)"
    if isinstance(exc, SystemExit):
        # A worker terminating its task: shutting down, or (RabbitMQ) cancelling a
        # task that the lost broker connection requeued.
        return (
            "interrupted: the worker stopped this task (shutting down, or its broker "
            "connection was lost and the task requeued)"
        )
    return f"internal error: {exc.__class__.__name__}: {exc}"


def run_guarded(
    kind: str,
    url: str,
    work: Callable[[SyncRun], RunResult],
    *,
    source: str = "openrouter",
) -> SyncRun:
    """Take the kind's lock, do the work, and close the SyncRun with its outcome."""
    if (done := run_done_by_this_task(kind)) is not None:
        return done
    run = sync_run_start(kind, source=source, url=url)
    if run is None:
        return sync_run_skipped(kind, source=source)
    try:
        with Heartbeat(run):
            result = work(run)
    except SourceError as exc:
        sync_run_fail(run, f"{exc} ({exc.url})" if exc.url else str(exc))
        raise SyncFailed(
            run, transient=exc.transient, retry_after=exc.retry_after
        ) from exc
    except ShrinkGuardError as exc:
        sync_run_fail(run, str(exc))
        raise SyncFailed(run, transient=False, retry_after=None) from exc
    except (OperationalError, InterfaceError) as exc:
        _fail_quietly(run, f"database unavailable: {exc.__class__.__name__}: {exc}")
        raise SyncFailed(run, transient=True, retry_after=None) from exc
    except BaseException as exc:
        _fail_quietly(run, interruption_reason(exc))
        raise
    return sync_run_succeed(run, result.counts(), result.errors)


# --- reading runs back -----------------------------------------------------------


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
def _latest_sql(alias: str, kinds: tuple[str, ...]) -> tuple[str, tuple]:
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
    return query.get_compiler(alias).as_sql()


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
