"""/status shows each source's health; /healthz answers liveness and readiness."""

from __future__ import annotations

import pytest

from catalog import syncs
from catalog.runs import SyncFailed
from ops.schedules import schedules_ensure
from tests.support import snapshots

pytestmark = pytest.mark.django_db


def _colour(client, kind: str) -> str:
    html = client.get("/status").content.decode()
    row = html.split(f'id="source-{kind}"', 1)[1]
    return row.split('data-colour="', 1)[1].split('"', 1)[0]


def test_status_turns_red_on_failure_and_green_after_a_clean_run(upstream, client):
    """A fault injected upstream turns the source red; the next clean run, green."""
    schedules_ensure()
    syncs.sync_catalog()
    assert _colour(client, "catalog") == "green"
    upstream.inject("500", path="/api/v1/models")
    with pytest.raises(SyncFailed):
        syncs.sync_catalog()
    assert _colour(client, "catalog") == "red"
    assert "HTTP 500" in client.get("/status").content.decode()
    upstream.clear_faults()
    syncs.sync_catalog()
    assert _colour(client, "catalog") == "green"


def test_status_is_amber_before_any_run(client):
    """A source that never ran is not claimed healthy."""
    assert _colour(client, "providers") == "amber"


def test_healthz_liveness_and_readiness(client):
    """Liveness needs nothing; readiness checks the database and the broker."""
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/healthz?ready=1")
    assert ready.status_code == 200
    body = ready.json()
    # A shared cache (CACHE_URL) answers "ok"; without one each process keeps its own.
    assert body.pop("cache") in ("ok", "ok (per process)")
    assert body == {"status": "ok", "database": "ok", "broker": "ok"}


def test_status_lists_stats_sources_and_their_counts(client):
    """Stats sources appear too, counts shown whatever their names ("items")."""
    from django.utils import timezone

    from catalog.models import SyncRun

    now = timezone.now()
    SyncRun.objects.create(
        kind="stats-activity",
        status="succeeded",
        started_at=now,
        finished_at=now,
        counts={"items": 3, "updated": 270, "failed": 0},
    )
    page = client.get("/status")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="source-stats-activity"' in html and "items 3" in html
    assert _colour(client, "stats-activity") == "green"


@pytest.mark.backend
@pytest.mark.slow
def test_an_endpoints_sync_skips_behind_a_catalogue_sync_still_writing(
    client, mock_upstream
):
    """The endpoints are polled for the catalogue's rows: while a catalogue sync
    is still writing them, the endpoints job skips (its next run goes on), and
    /status says why."""
    from django.utils import timezone

    from catalog.models import Endpoint, SyncRun
    from ops.jobs import sync_endpoints

    schedules_ensure()
    snapshots.load("synced")  # the catalogue and its endpoints polled
    assert Endpoint.objects.exists()
    now = timezone.now()
    writing = SyncRun.objects.create(kind="catalog", started_at=now, heartbeat_at=now)
    polled = Endpoint.objects.count()
    run = sync_endpoints()
    assert run.status == "skipped"
    assert f"the catalogue sync (run {writing.pk}) is still writing" in run.error
    assert Endpoint.objects.count() == polled
    page = client.get("/status").content.decode()
    row = page.split('id="source-endpoints"', 1)[1].split("</tr>", 1)[0]
    assert "is still writing" in row
    SyncRun.objects.filter(pk=writing.pk).update(status="succeeded", finished_at=now)
    assert sync_endpoints().status == "succeeded"
