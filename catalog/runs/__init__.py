"""The runs kernel: every job that polls an upstream runs through it.

A job hands `run_guarded` its kind, the URL it polls and its work: a function of
the open SyncRun that returns a RunResult (its counts and the items it skipped).
The kernel takes the kind's lock (one running run per kind), names the run's owner
and keeps its heartbeat while the work runs, and closes the run: succeeded, failed
with a reason a person can read (raised as SyncFailed, transient when a retry may
help), or skipped. A source's failures (SourceError) and skipped items (ItemError)
reach it through the sources' shared base, catalog/sources/base.py. A run whose
process died is closed by the reaper, or taken over by its redelivered task.

The models it keeps, SyncRun and ShrinkRefusal, live in catalog.models. Import
from here, never from the modules inside (an import contract checks both).
"""

from catalog.runs.guard import RunResult, SyncFailed, Work, run_guarded
from catalog.runs.lock import RunBusy
from catalog.runs.owners import task_running
from catalog.runs.queueing import task_queue
from catalog.runs.reads import LatestRuns, resume_after, run_last_succeeded, runs_latest
from catalog.runs.reaper import runs_abandon_dead, runs_live
from catalog.runs.shrink import (
    ShrinkGuardError,
    shrink_accept,
    shrink_applied,
    shrink_guard,
    shrink_holding,
)
from catalog.runs.state import sync_run_skipped

__all__ = [
    "LatestRuns",
    "RunBusy",
    "RunResult",
    "ShrinkGuardError",
    "SyncFailed",
    "Work",
    "resume_after",
    "run_guarded",
    "run_last_succeeded",
    "runs_abandon_dead",
    "runs_latest",
    "runs_live",
    "shrink_accept",
    "shrink_applied",
    "shrink_guard",
    "shrink_holding",
    "sync_run_skipped",
    "task_queue",
    "task_running",
]
