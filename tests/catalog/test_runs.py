"""Run ownership: a running run names its process and keeps a heartbeat, so a run
whose process died stops blocking its job (and alerts) within seconds, and a
redelivered task takes its own run over instead of being turned away by it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from catalog.models import SyncRun, SyncStatus
from catalog.runs import (
    RunBusy,
    SyncFailed,
    run_guarded,
    runs_abandon_dead,
    task_running,
)
from catalog.syncs import sync_catalog
from changes.alerts import events_dispatch

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

HOST = socket.gethostname()


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def running(**fields) -> SyncRun:
    now = timezone.now()
    defaults = {"kind": "catalog", "started_at": now, "heartbeat_at": now}
    return SyncRun.objects.create(**(defaults | fields))


class Result:
    errors: list = []

    def counts(self) -> dict[str, int]:
        return {"created": 0}


@pytest.mark.slow
def test_a_run_names_its_owner_and_task(mock_upstream):
    """Host, process id and Celery task id are recorded with the run."""
    with task_running("task-1"):
        run = sync_catalog()
    assert run.status == "succeeded"
    assert (run.owner_host, run.owner_pid, run.task_id) == (HOST, os.getpid(), "task-1")
    assert run.heartbeat_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_heartbeat_is_refreshed_while_the_sync_works(settings):
    """A thread refreshes the heartbeat while the work runs, however long one step
    takes: a live run never looks dead."""
    settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS = 2  # a beat every 0.5 s
    beats = []

    def work(run: SyncRun) -> Result:
        first = SyncRun.objects.get(pk=run.pk).heartbeat_at
        time.sleep(1.6)
        beats.append((first, SyncRun.objects.get(pk=run.pk).heartbeat_at))
        return Result()

    run = run_guarded("catalog", "http://upstream.test/models", work)
    assert run.status == "succeeded"
    [(first, later)] = beats
    assert later > first + timedelta(seconds=0.9)


@pytest.mark.integration
def test_run_of_a_dead_process_on_this_host_is_abandoned_at_once(mock_upstream):
    """No waiting for the heartbeat to age: the owner's process is gone."""
    dead = running(owner_host=HOST, owner_pid=dead_pid())
    run = sync_catalog()
    dead.refresh_from_db()
    assert dead.status == "abandoned" and "is gone" in dead.error
    assert run.status == "succeeded" and run.counts["created"] == 321


def test_run_of_a_live_process_with_a_fresh_heartbeat_still_blocks(mock_upstream):
    """A run of a live process (here: the parent of this test) keeps its lock."""
    live = running(owner_host=HOST, owner_pid=os.getppid())
    assert sync_catalog().status == "skipped"
    live.refresh_from_db()
    assert live.status == "running"


@pytest.mark.slow
def test_run_on_another_host_is_judged_by_its_heartbeat(mock_upstream, settings):
    """A process elsewhere cannot be checked: its heartbeat decides."""
    other = running(owner_host="elsewhere", owner_pid=1)
    assert sync_catalog().status == "skipped"
    timeout = settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS
    with time_machine.travel(timedelta(seconds=timeout + 1)):
        assert sync_catalog().status == "succeeded"
    other.refresh_from_db()
    assert other.status == "abandoned" and "no heartbeat" in other.error


@pytest.mark.integration
def test_redelivered_task_takes_over_its_own_dead_run(mock_upstream):
    """The task of a killed pool child comes back with the same id: it finishes
    the same run instead of being recorded as skipped (the sync is not lost)."""
    orphan = running(owner_host=HOST, owner_pid=dead_pid(), task_id="t-42")
    with task_running("t-42"):
        run = sync_catalog()
    assert run.pk == orphan.pk
    assert run.status == "succeeded" and run.takeovers == 1
    assert run.owner_pid == os.getpid()
    assert not SyncRun.objects.exclude(pk=orphan.pk).exists()


def test_redelivered_task_waits_while_its_run_is_alive_elsewhere(mock_upstream):
    """A broker that hands a task out twice while the first copy still runs gets
    a RunBusy (the task looks again later), not a second concurrent sync."""
    running(owner_host="elsewhere", owner_pid=1, task_id="t-7")
    with task_running("t-7"), pytest.raises(RunBusy) as busy:
        sync_catalog()
    assert busy.value.retry_after > 0
    assert SyncRun.objects.count() == 1


def test_redelivered_task_of_a_finished_run_does_not_sync_again(mock_upstream):
    """A task acknowledged too late (its worker died after finishing) is a no-op."""
    with task_running("t-9"):
        first = sync_catalog()
        requests = len(mock_upstream.requests)
        again = sync_catalog()
    assert again.pk == first.pk and len(mock_upstream.requests) == requests


@pytest.mark.parametrize(
    ("raised", "reason"),
    [
        (SoftTimeLimitExceeded(), "soft time limit"),
        (KeyboardInterrupt(), "interrupted"),
        (SystemExit(1), "interrupted"),
    ],
)
def test_interrupted_sync_closes_its_run_with_a_reason(raised, reason):
    """A time limit or a signal closes the run with a readable reason."""

    def work(run: SyncRun) -> Result:
        raise raised

    with pytest.raises(type(raised)):
        run_guarded("catalog", "http://upstream.test/models", work)
    run = SyncRun.objects.get()
    assert run.status == "failed" and reason in run.error


def test_database_error_fails_the_run_as_transient():
    """A dropped database connection is worth a retry, with the run closed."""

    def work(run: SyncRun) -> Result:
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(SyncFailed) as failed:
        run_guarded("catalog", "http://upstream.test/models", work)
    assert failed.value.transient
    run = SyncRun.objects.get()
    assert run.status == "failed" and "database unavailable" in run.error


@pytest.mark.integration
def test_dead_run_does_not_hold_alert_dispatch_back():
    """Dispatch waits for live syncs only: a dead process's run is closed first."""
    running(owner_host=HOST, owner_pid=dead_pid())
    assert not events_dispatch().skipped
    assert not SyncRun.objects.filter(status=SyncStatus.RUNNING).exists()
    running(kind="providers", owner_host=HOST, owner_pid=os.getppid())
    assert events_dispatch().skipped


@pytest.mark.integration
def test_abandon_closes_only_dead_runs():
    """One sweep closes stale and orphaned runs and keeps live ones."""
    now = timezone.now()
    running(kind="catalog", owner_host=HOST, owner_pid=dead_pid())
    running(kind="providers", heartbeat_at=now - timedelta(hours=1))
    running(kind="endpoints", owner_host=HOST, owner_pid=os.getppid())
    assert runs_abandon_dead(now) == 2
    assert list(
        SyncRun.objects.filter(status="running").values_list("kind", flat=True)
    ) == ["endpoints"]


def test_the_latest_runs_of_each_kind_follow_new_runs():
    """Each kind's latest run, latest attempt (not skipped), success and failure;
    asked again after more runs (the query is compiled once), the newer ones."""
    from catalog.runs import runs_latest

    start = timezone.now() - timedelta(hours=5)

    def finished(kind: str, status: str, hours: int) -> SyncRun:
        at = start + timedelta(hours=hours)
        return SyncRun.objects.create(
            kind=kind, status=status, started_at=at, finished_at=at
        )

    ok = finished("catalog", SyncStatus.SUCCEEDED, 0)
    failed = finished("catalog", SyncStatus.FAILED, 1)
    skipped = finished("catalog", SyncStatus.SKIPPED, 2)
    other = finished("endpoints", SyncStatus.SUCCEEDED, 0)
    first = runs_latest(iter(["catalog", "endpoints", "catalog"]))
    assert list(first) == ["catalog", "endpoints"]
    catalog = first["catalog"]
    assert (catalog.latest, catalog.attempted) == (skipped, failed)
    assert (catalog.succeeded, catalog.failed) == (ok, failed)
    assert catalog.failing
    assert first["endpoints"].latest == first["endpoints"].succeeded == other
    assert first["endpoints"].failed is None

    newer = finished("catalog", SyncStatus.SUCCEEDED, 3)
    again = runs_latest(["catalog", "endpoints"])["catalog"]
    assert again.latest == again.attempted == again.succeeded == newer
    assert again.failed == failed and not again.failing
    assert runs_latest([]) == {}
