"""A stalled upstream with a real worker: a task's soft time limit closes its run
with the reason, and syncs holding every sync slot do not hold alerts back (they
have their own queue and worker)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import CatalogEvent, EventKind, SyncRun, SyncStatus
from changes.models import Channel, Delivery, Watch
from tests.conftest import Worker, wait_for
from tests.support.factories import make_model
from tests.support.receiver import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# The soft time limit stops it, not the deadline.
@pytest.mark.worker_env(HTTP_DEADLINE_SECONDS="600")
def test_soft_time_limit_closes_the_run_with_the_reason(celery_worker, upstream):
    """An answer trickling in a byte at a time outlives no task: at the soft limit
    the run is closed as stopped, and the worker goes on."""
    upstream.inject("drip", path="/api/v1/models", delay=0.5)
    celery_worker.send("catalog.sync_catalog", soft_time_limit=2, time_limit=20)
    run = wait_for(
        lambda: SyncRun.objects.filter(kind="catalog", status="failed").first(),
        timeout=30,
    )
    assert "stopped: the job ran past its soft time limit" in run.error
    assert run.duration_seconds is not None and run.duration_seconds < 10
    upstream.clear_faults()
    celery_worker.send("catalog.sync_providers")
    wait_for(lambda: SyncRun.objects.filter(kind="providers", status="succeeded"))


def test_stalled_syncs_do_not_starve_alert_deliveries(upstream, tmp_path):
    """Two syncs stuck on a dripping upstream hold both sync slots; a delivery due
    meanwhile is still sent, by the alerts worker."""
    from tests.conftest import _worker_env

    env = _worker_env(upstream, tmp_path) | {
        "HTTP_DEADLINE_SECONDS": "600",
        "CHANGES_WEBHOOK_ALLOW_PRIVATE": "1",
    }
    syncs = Worker(env, tmp_path / "syncs.log", queues=("sync",)).start()
    alerts = Worker(env, tmp_path / "alerts.log", queues=("alerts",), concurrency=1)
    alerts.start()
    try:
        upstream.inject("drip", path="/api/v1/", delay=1)
        syncs.send("catalog.sync_catalog")
        syncs.send("catalog.sync_providers")
        wait_for(lambda: SyncRun.objects.filter(status=SyncStatus.RUNNING).count() == 2)
        with Receiver() as receiver:
            _overdue_delivery(receiver.url)
            syncs.send("changes.dispatch_events")
            wait_for(lambda: receiver.received, timeout=30)
        assert SyncRun.objects.filter(status=SyncStatus.RUNNING).count() == 2
    finally:
        syncs.stop()
        alerts.stop()


def _overdue_delivery(url: str) -> Delivery:
    """A webhook delivery that nobody picked up (its task was lost)."""
    model = make_model("acme/one")
    watch = Watch.objects.create(model=model, webhook_url=url)
    event = CatalogEvent.objects.create(
        kind=EventKind.PRICE, model=model, observed_at=timezone.now()
    )
    return Delivery.objects.create(
        watch=watch,
        event=event,
        channel=Channel.WEBHOOK,
        scheduled_for=timezone.now() - timedelta(minutes=10),
    )
