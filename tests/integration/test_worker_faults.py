"""A real worker under faults, on Redis and on RabbitMQ: its pool child or the whole
worker SIGKILLed mid-sync, or the broker cut mid-task through a TCP proxy. Each ends
with the sync completed within one heartbeat period, no run left running, no
duplicate row, and alert dispatch moving on."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from catalog.models import CatalogEvent, Endpoint, SyncRun, SyncStatus
from catalog.syncs import sync_catalog, sync_endpoints, sync_providers
from changes.models import DispatchCursor
from tests.conftest import Worker, _worker_env, wait_for
from tests.support.brokers import Broker
from tests.support.proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Short, so a dead run is noticed quickly even where no owner check can help.
HEARTBEAT = 20
# Each poll of a model's endpoints waits this long: the sync lasts ~8 s, a window
# wide enough to strike mid-sync.
SLOW = 0.2


@pytest.fixture
def synced_catalogue(upstream):
    """Providers and models stored; their endpoints are what the worker polls."""
    for sync in (sync_providers, sync_catalog):
        assert sync().status == "succeeded"
    return upstream


def worker_for(broker_url: str, upstream, tmp_path: Path, name: str) -> Worker:
    env = _worker_env(upstream, tmp_path) | {
        "CELERY_BROKER_URL": broker_url,
        "SYNC_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT),
        # Longer than any sync here: a running task is never handed out twice.
        "CELERY_VISIBILITY_TIMEOUT": "300",
    }
    return Worker(env, tmp_path / f"{name}.log")


def log_of(worker: Worker) -> str:
    return worker.log.read_text(errors="replace")


def wait_ready(worker: Worker) -> None:
    wait_for(lambda: "ready." in log_of(worker), timeout=60)


def endpoints_mid_sync() -> SyncRun | None:
    """The running endpoints run, once it has written some rows."""
    run = SyncRun.objects.filter(kind="endpoints", status=SyncStatus.RUNNING).first()
    return run if run and run.owner_pid and Endpoint.objects.exists() else None


def endpoints_done() -> SyncRun | None:
    return SyncRun.objects.filter(kind="endpoints", status=SyncStatus.SUCCEEDED).first()


def assert_complete_and_single() -> None:
    """Nothing running; every endpoint stored once: a fresh poll adds nothing."""
    assert not SyncRun.objects.filter(status=SyncStatus.RUNNING).exists()
    assert not SyncRun.objects.filter(kind="endpoints", status="skipped").exists()
    stored = Endpoint.objects.count()
    assert stored == Endpoint.objects.values("model", "key").distinct().count()
    again = sync_endpoints()
    assert again.counts["created"] == 0 and again.counts["failed"] == 0
    assert again.counts["delisted"] == 0 and Endpoint.objects.count() == stored


def dispatch_moves_on(worker: Worker, broker: Broker) -> None:
    """A dispatch queued now matches every event: nothing holds alerts back."""
    last = CatalogEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    worker.send("changes.dispatch_events", broker=broker.url)
    wait_for(
        lambda: DispatchCursor.objects.filter(last_event_id=last).exists(), timeout=30
    )


def test_killed_pool_child_is_redelivered_and_takes_its_run_over(
    broker, synced_catalogue, tmp_path
):
    """The broker hands the killed child's task out again; it finishes the same run
    at once (its owner is gone) instead of being recorded as skipped."""
    worker = worker_for(broker.url, synced_catalogue, tmp_path, "worker").start()
    try:
        synced_catalogue.inject("slow", path="/api/v1/models/", delay=SLOW)
        worker.send("catalog.sync_endpoints")
        run = wait_for(endpoints_mid_sync, timeout=60, interval=0.05)
        os.kill(run.owner_pid, signal.SIGKILL)
        killed = time.monotonic()
        synced_catalogue.clear_faults()
        done = wait_for(endpoints_done, timeout=HEARTBEAT, interval=0.1)
        print(
            f"{broker.name}: completed {time.monotonic() - killed:.1f} s after the kill"
        )
        assert done.pk == run.pk and done.takeovers == 1
        assert done.owner_pid != run.owner_pid
        assert worker.alive()
        dispatch_moves_on(worker, broker)
    finally:
        worker.stop()
    assert_complete_and_single()


def test_killed_worker_comes_back_and_the_job_completes(
    broker, synced_catalogue, tmp_path
):
    """The whole worker is SIGKILLed mid-sync and started again (what its process
    manager does). The dead run holds neither alerts nor the job: on RabbitMQ the
    requeued task takes it over; on Redis the task waits for the visibility
    timeout, so the next beat's run completes the job."""
    worker = worker_for(broker.url, synced_catalogue, tmp_path, "worker").start()
    synced_catalogue.inject("slow", path="/api/v1/models/", delay=SLOW)
    worker.send("catalog.sync_endpoints")
    orphan = wait_for(endpoints_mid_sync, timeout=60, interval=0.05)
    worker.kill_all(signal.SIGKILL)
    killed = time.monotonic()
    synced_catalogue.clear_faults()
    worker.start()
    try:
        if broker.name == "redis":
            dispatch_moves_on(worker, broker)  # the dead run is closed, not waited on
            worker.send("catalog.sync_endpoints")  # the next beat
        done = wait_for(endpoints_done, timeout=HEARTBEAT, interval=0.1)
        print(
            f"{broker.name}: completed {time.monotonic() - killed:.1f} s after the kill"
        )
        orphan.refresh_from_db()
        if broker.name == "rabbitmq":
            assert done.pk == orphan.pk and done.takeovers == 1
        else:
            assert orphan.status == "abandoned" and "is gone" in orphan.error
        dispatch_moves_on(worker, broker)
    finally:
        worker.stop()
    assert_complete_and_single()


def test_worker_survives_a_broker_cut_mid_task(broker, synced_catalogue, tmp_path):
    """The broker connection is reset mid-sync and refused for a while: the worker
    reconnects, the sync completes, and the worker consumes new tasks."""
    with TcpProxy(broker.port) as proxy:
        worker = worker_for(broker.through(proxy), synced_catalogue, tmp_path, "w")
        worker.start()
        try:
            wait_ready(worker)
            synced_catalogue.inject("slow", path="/api/v1/models/", delay=SLOW)
            worker.send("catalog.sync_endpoints", broker=broker.url)
            wait_for(endpoints_mid_sync, timeout=60, interval=0.05)
            proxy.cut()
            cut = time.monotonic()
            wait_for(lambda: "onnection to broker lost" in log_of(worker), timeout=30)
            proxy.restore()
            synced_catalogue.clear_faults()
            wait_for(endpoints_done, timeout=HEARTBEAT + 10, interval=0.1)
            print(
                f"{broker.name}: completed {time.monotonic() - cut:.1f} s after the cut"
            )
            assert worker.alive(), log_of(worker)[-3000:]
            dispatch_moves_on(worker, broker)
            assert worker.alive()
            assert "Unrecoverable error" not in log_of(worker)
        finally:
            worker.stop()
    assert_complete_and_single()
