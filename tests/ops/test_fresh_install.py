"""A fresh install after its full first sync (every job `make run` queues, against
the demo upstream): /changes shows one baseline per list instead of hundreds of
"Added", /status is green (grey for what is switched off), watches never fire for
a baseline, and later additions are ordinary events again."""

from __future__ import annotations

import re

import pytest

from catalog.models import CatalogEvent, EventKind, LanguageModel
from changes.alerts import events_dispatch
from changes.models import Delivery, Watch
from ops.jobs import JOBS
from ops.schedules import schedules_ensure
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COLOUR = re.compile(r'id="source-([a-z-]+)" data-colour="([a-z]+)"')


def first_sync(*, stats: bool = True) -> None:
    """Every job of the full sync; without `stats`, all but the website's and
    the Data API's statistics (which write no catalogue event)."""
    schedules_ensure()
    for job in JOBS:
        if job.full_sync and (stats or job.target != "stats"):
            job.runner()


@snapshots.state("first-sync")
def _first_sync(demo) -> None:
    first_sync()


@pytest.fixture
def first_synced(mock_upstream) -> None:
    """The state `first_sync()` leaves (restored from this run's snapshot of it)."""
    schedules_ensure()
    snapshots.load("first-sync")


def test_changes_shows_the_baselines_not_a_flood(first_synced, client):
    events = CatalogEvent.objects.all()
    assert sorted(events.values_list("kind", flat=True)) == ["baseline"] * 4
    body = client.get("/changes").content.decode()
    assert "4 changes" in body
    assert body.count('data-kind="baseline"') == 4
    assert "imported 321 models from" in body
    assert "imported 39 providers" in body
    assert re.search(r"imported [\d,]+ provider endpoints of \d+ models at", body)
    assert "Added" not in body.split("<tbody>", 1)[1]
    # The model page starts its history with the imports it was part of.
    page = client.get("/liquid/lfm-40b").content.decode()
    changes = page.split('id="changes-h"', 1)[1].split("</section>", 1)[0]
    assert "First import" in changes and "imported 321 models" in changes
    assert "Added" not in changes


def test_status_is_green_or_grey_on_a_healthy_fresh_install(first_synced, client):
    body = client.get("/status").content.decode()
    colours = dict(COLOUR.findall(body))
    assert set(colours) >= {"providers", "catalog", "endpoints", "stats-datasets"}
    # Switched off without an API key (none here): the datasets and upstream's
    # task classifications (the categories).
    assert colours.pop("stats-datasets") == "grey"
    assert colours.pop("categories") == "grey"
    assert set(colours.values()) == {"green"}, colours
    assert "switched off: needs OPENROUTER_API_KEY" in body
    assert "every 30 minutes" in body and "hourly" in body and "daily" in body
    assert "every 6 hours" in body and "0:00:00" not in body
    assert 'aria-label="overall green"' in body


def test_a_switched_off_website_source_is_grey(mock_upstream, client, settings):
    settings.STATS_WEBSITE_ENABLED = False
    first_sync()
    colours = dict(COLOUR.findall(client.get("/status").content.decode()))
    for kind in ("stats-activity", "stats-apps", "stats-uptime"):
        assert colours[kind] == "grey", kind


def test_watches_skip_baselines_and_hear_later_additions(mock_upstream):
    mock_upstream.set_snapshot("2025-05-12")
    # The statistics jobs (target "stats": tokens per day, apps, uptime, latency
    # history, datasets) write no CatalogEvent, so no baseline and nothing a
    # watch could hear (stats/ never imports it): the first sync here runs every
    # other job of it, the ones that import the catalogue.
    first_sync(stats=False)
    provider = LanguageModel.objects.get(slug="liquid/lfm-40b").endpoints.first()
    Watch.objects.create(provider=provider.provider, webhook_url="https://x.test/h")
    assert events_dispatch().events == 4  # the four first imports
    assert not Delivery.objects.exists()

    mock_upstream.set_snapshot("2025-05-22")
    for job in JOBS:
        if job.name in ("sync-catalog", "sync-endpoints"):
            job.runner()
    added = CatalogEvent.objects.filter(kind=EventKind.ADDED)
    assert added.exists()
    assert (
        not CatalogEvent.objects.filter(kind=EventKind.BASELINE)
        .exclude(sync_run__started_at__lt=added.first().observed_at)
        .exists()
    )
    new_endpoints = CatalogEvent.objects.filter(kind=EventKind.ENDPOINT_ADDED)
    assert new_endpoints.count() >= added.count()
    events_dispatch()
    delivered = set(Delivery.objects.values_list("event__kind", flat=True))
    assert EventKind.ENDPOINT_ADDED in delivered
    assert EventKind.BASELINE not in delivered
