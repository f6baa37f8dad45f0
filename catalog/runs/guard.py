"""run_guarded: the one way a job runs, and what it hands the kernel.

A job's work is a function of its open SyncRun that returns a RunResult. The
failures the kernel understands: a SourceError (catalog/sources/base.py: it says
whether a retry may help, and when), a refused shrink, a lost database. Any other
exception closes the run with a readable reason and goes on up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError, connection

from catalog.models.runs import SyncRun
from catalog.runs.lock import run_done_by_this_task, sync_run_start
from catalog.runs.owners import Heartbeat
from catalog.runs.shrink import ShrinkGuardError
from catalog.runs.state import sync_run_fail, sync_run_skipped, sync_run_succeed
from catalog.sources.base import ItemError, SourceError

logger = logging.getLogger(__name__)


class SyncFailed(Exception):
    """A sync ran and failed; `run` says why, `transient` says if a retry may help."""

    def __init__(self, run: SyncRun, *, transient: bool, retry_after: float | None):
        super().__init__(run.error)
        self.run = run
        self.transient = transient
        self.retry_after = retry_after


class RunResult(Protocol):
    """What a job's work hands back: the run's counts (stored as they are, shown on
    /status and by `manage.py sync`) and the items it skipped (stored, at most
    500, each an item and why)."""

    @property
    def errors(self) -> Sequence[ItemError]: ...

    def counts(self) -> dict[str, int]: ...


# A job's work: given its open run, do the job and say what it did.
Work = Callable[[SyncRun], RunResult]


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
    work: Work,
    *,
    source: str = "openrouter",
) -> SyncRun:
    """Take the kind's lock, do the work, and close the SyncRun with its outcome.

    Returns the run that succeeded; a skipped run when a live run of the kind
    holds the lock; or, for a redelivered task, the run it already finished.
    Raises SyncFailed, the run closed as failed, for a SourceError (transient as
    it says), a refused shrink (permanent) or a lost database (transient); RunBusy
    when this task's own run is still worked on elsewhere. Any other exception (a
    time limit, a signal, a bug) closes the run with the reason and goes on up.
    """
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
