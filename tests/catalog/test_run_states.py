"""A run's terminal state is written once. Running goes to succeeded, failed or
abandoned; skipped is terminal from the start; nothing leaves a terminal state:
each close is a compare-and-set on `running`, so a worker that was paused while
the reaper abandoned its run cannot overwrite that afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import SyncRun, SyncStatus
from catalog.runs import (
    SyncFailed,
    run_guarded,
    runs_abandon_dead,
    sync_run_skipped,
)
from catalog.runs.state import sync_run_fail, sync_run_succeed
from catalog.sources.base import TransientError

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

TERMINAL = [
    SyncStatus.SUCCEEDED,
    SyncStatus.FAILED,
    SyncStatus.ABANDONED,
    SyncStatus.SKIPPED,
]


class Result:
    errors: list = []

    def counts(self) -> dict[str, int]:
        return {"created": 1}


def run_in(status: str) -> SyncRun:
    now = timezone.now()
    return SyncRun.objects.create(
        kind="catalog",
        status=status,
        started_at=now,
        heartbeat_at=now,
        finished_at=None if status == SyncStatus.RUNNING else now,
        error="" if status == SyncStatus.RUNNING else f"closed as {status}",
    )


def reap_everything() -> int:
    """The reaper, an hour from now: every running run's heartbeat is stale."""
    return runs_abandon_dead(timezone.now() + timedelta(hours=1))


def test_running_to_succeeded():
    run = sync_run_succeed(run_in(SyncStatus.RUNNING), {"created": 1}, [])
    stored = SyncRun.objects.get(pk=run.pk)
    assert stored.status == run.status == SyncStatus.SUCCEEDED
    assert stored.counts == {"created": 1} and stored.finished_at is not None


def test_running_to_failed():
    run = sync_run_fail(run_in(SyncStatus.RUNNING), "upstream said no")
    stored = SyncRun.objects.get(pk=run.pk)
    assert stored.status == run.status == SyncStatus.FAILED
    assert stored.error == "upstream said no"


def test_running_to_abandoned():
    run = run_in(SyncStatus.RUNNING)
    assert reap_everything() == 1
    assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.ABANDONED


def test_skipped_is_terminal_from_the_start():
    run = sync_run_skipped("catalog", reason="switched off")
    assert (run.status, run.finished_at is not None) == (SyncStatus.SKIPPED, True)


@pytest.mark.parametrize("status", TERMINAL)
@pytest.mark.parametrize("close", ["succeed", "fail", "abandon"])
def test_a_terminal_state_is_never_written_again(status, close):
    """Every terminal state against every close: the first one stands, and the
    closer is handed the run as stored."""
    run = run_in(status)
    before = SyncRun.objects.filter(pk=run.pk).values().get()
    if close == "succeed":
        handed = sync_run_succeed(run, {"created": 9}, [])
    elif close == "fail":
        handed = sync_run_fail(run, "late failure")
    else:
        assert reap_everything() == 0
        handed = run
    assert SyncRun.objects.filter(pk=run.pk).values().get() == before
    assert handed.status == status


def test_a_paused_worker_finishing_after_the_reaper_leaves_its_run_abandoned():
    """Paused mid-run (SIGSTOP, a VM frozen): the reaper abandons the run; when
    the worker wakes and finishes, the run stays abandoned with its reason."""

    def work(run: SyncRun) -> Result:
        assert reap_everything() == 1  # while this worker is "paused"
        return Result()

    run = run_guarded("catalog", "http://upstream.test/models", work)
    stored = SyncRun.objects.get(pk=run.pk)
    assert stored.status == run.status == SyncStatus.ABANDONED
    assert stored.error.startswith("abandoned: no heartbeat")
    assert stored.counts == {}


def test_a_paused_worker_failing_after_the_reaper_leaves_its_run_abandoned():
    def work(run: SyncRun) -> Result:
        assert reap_everything() == 1
        raise TransientError("timed out", url="http://upstream.test/models")

    with pytest.raises(SyncFailed) as failed:
        run_guarded("catalog", "http://upstream.test/models", work)
    stored = SyncRun.objects.get(pk=failed.value.run.pk)
    assert stored.status == SyncStatus.ABANDONED
    assert stored.error.startswith("abandoned: no heartbeat")
