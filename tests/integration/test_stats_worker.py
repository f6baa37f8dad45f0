"""A real Celery worker killed mid-run loses nothing and duplicates nothing."""

from __future__ import annotations

import time

import pytest

from catalog import syncs as catalog_syncs
from catalog.models import LanguageModel, SyncRun, SyncStatus
from stats.models import TokenUsageDaily
from stats.syncs import ACTIVITY_DAYS
from tests.conftest import Worker, wait_for

HEARTBEAT = 5


def running_with_rows() -> bool:
    running = SyncRun.objects.filter(kind="stats-activity", status=SyncStatus.RUNNING)
    return running.exists() and TokenUsageDaily.objects.exists()


# A killed worker's run stays "running" until its heartbeat times out: a short
# timeout here (refreshed every quarter of it while a sync works).
@pytest.mark.integration
@pytest.mark.worker_env(SYNC_HEARTBEAT_TIMEOUT_SECONDS=str(HEARTBEAT))
def test_activity_survives_a_killed_worker(celery_worker, upstream, tmp_path):
    catalog_syncs.sync_catalog()
    models = LanguageModel.objects.filter(delisted_at__isnull=True).count()
    first, env = celery_worker, celery_worker.env
    try:
        upstream.inject("slow", path="/api/frontend", delay=0.2)  # widen the window
        first.send("stats.sync_activity")
        wait_for(running_with_rows, timeout=90, interval=0.05)
        first.kill(9)
    finally:
        first.stop()
    upstream.clear_faults()
    partial = TokenUsageDaily.objects.count()
    assert 0 < partial < models * ACTIVITY_DAYS
    orphan = SyncRun.objects.get(kind="stats-activity")
    time.sleep(max(0.0, HEARTBEAT + 1 - (time.time() - orphan.started_at.timestamp())))

    second = Worker(env, tmp_path / "second.log").start()
    try:
        second.send("stats.sync_activity")
        run = wait_for(
            lambda: SyncRun.objects.filter(
                kind="stats-activity", status=SyncStatus.SUCCEEDED
            ).first(),
            timeout=120,
        )
    finally:
        second.stop()
    assert run.counts["items"] == models
    assert TokenUsageDaily.objects.count() == models * ACTIVITY_DAYS
    assert TokenUsageDaily.objects.values("model", "date").distinct().count() == (
        models * ACTIVITY_DAYS
    )
    orphan.refresh_from_db()
    # On a broker that redelivers the killed task (Redis, RabbitMQ), the second
    # worker may get that delivery first: it takes over its own dead run and
    # finishes it. Otherwise the dead run is closed and a new one does the work.
    if orphan.status == SyncStatus.SUCCEEDED:
        assert orphan.takeovers >= 1 and orphan.pk == run.pk
    else:
        assert orphan.status == SyncStatus.ABANDONED
    assert not SyncRun.objects.filter(status=SyncStatus.RUNNING).exists()
