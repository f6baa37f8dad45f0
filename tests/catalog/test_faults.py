"""Upstream faults fail a run cleanly: a readable reason, and the stored data untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from catalog.models import CatalogEvent, Endpoint, Provider, SyncRun
from catalog.runs import SyncFailed
from catalog.syncs import sync_catalog, sync_endpoints, sync_providers
from tests.support import snapshots
from tests.support.recordings import stored_models

pytestmark = pytest.mark.django_db

# What each injected fault must make the run say, so a person knows what happened.
REASONS = {
    "500": "HTTP 500",
    "503": "HTTP 503",
    "429": "429",
    "slow": "timed out",
    "truncated": "JSON",
    "html": "text/html",
    "empty": "refused",
    "garbage": "expected {data",
    "404": "HTTP 404",
}
TRANSIENT = {"500", "503", "429", "slow"}


def inject(upstream, kind: str, path: str, **kwargs) -> None:
    if kind == "slow":
        kwargs["delay"] = 3
    upstream.inject(kind, path=path, **kwargs)


def latest(kind: str) -> SyncRun:
    return SyncRun.objects.filter(kind=kind).order_by("-pk").first()


def stored_providers() -> list[dict]:
    return list(Provider.objects.order_by("slug").values())


def stored_endpoints(**filters) -> list[dict]:
    return list(Endpoint.objects.filter(**filters).order_by("pk").values())


@pytest.mark.parametrize("kind", REASONS)
def test_model_list_fault_fails_the_run_and_changes_nothing(upstream, settings, kind):
    """Every fault kind on /models: a failed run with a reason, no row or event touched."""
    settings.HTTP_TIMEOUT_SECONDS = 1
    snapshots.load("catalogued")  # what a first sync_catalog() stores
    rows, events = stored_models(), CatalogEvent.objects.count()
    assert rows
    inject(upstream, kind, "/api/v1/models")

    with pytest.raises(SyncFailed) as caught:
        sync_catalog()
    run = latest("catalog")
    assert caught.value.run == run
    assert caught.value.transient is (kind in TRANSIENT)
    assert run.status == "failed"
    assert REASONS[kind] in run.error
    assert run.finished_at is not None
    assert stored_models() == rows
    assert CatalogEvent.objects.count() == events

    upstream.clear_faults()
    again = sync_catalog()
    assert again.status == "succeeded"
    assert again.counts["unchanged"] == 321


def test_rate_limit_passes_retry_after_on(upstream):
    """A 429's Retry-After reaches the caller, so a task can wait that long."""
    sync_catalog()
    upstream.inject("429", path="/api/v1/models", retry_after=42)
    with pytest.raises(SyncFailed) as caught:
        sync_catalog()
    assert caught.value.retry_after == 42


@pytest.mark.parametrize("kind", REASONS)
def test_provider_list_fault_fails_the_run_and_changes_nothing(
    upstream, settings, kind
):
    """Every fault kind on /providers fails the providers run and keeps the providers."""
    settings.HTTP_TIMEOUT_SECONDS = 1
    assert sync_providers().status == "succeeded"
    rows, events = stored_providers(), CatalogEvent.objects.count()
    inject(upstream, kind, "/api/v1/providers")

    with pytest.raises(SyncFailed):
        sync_providers()
    run = latest("providers")
    assert run.status == "failed"
    assert REASONS[kind] in run.error
    assert stored_providers() == rows
    assert CatalogEvent.objects.count() == events

    upstream.clear_faults()
    assert sync_providers().status == "succeeded"


@pytest.mark.slow
def test_all_endpoint_fetches_failing_fails_the_run(synced):
    """When no model's endpoints can be fetched, the run fails and says how many."""
    rows, events = stored_endpoints(), CatalogEvent.objects.count()
    synced.inject("503", path="/api/v1/models/")
    with pytest.raises(SyncFailed):
        sync_endpoints()
    run = latest("endpoints")
    assert run.status == "failed"
    assert "all 321 endpoint fetches failed" in run.error
    assert stored_endpoints() == rows
    assert CatalogEvent.objects.count() == events


@pytest.mark.slow
def test_one_model_endpoints_failing_is_counted_not_fatal(synced):
    """A fault on one model's endpoints: the run succeeds and that model keeps its rows."""
    lfm = {"model__slug": "liquid/lfm-40b"}
    before = stored_endpoints(**lfm)
    assert len(before) == 2
    synced.inject("500", path="/api/v1/models/liquid/lfm-40b/endpoints")
    run = sync_endpoints()
    assert run.status == "succeeded"
    assert run.counts["failed"] == 1
    assert [e["item"] for e in run.item_errors] == ["liquid/lfm-40b"]
    assert "HTTP 500" in run.item_errors[0]["error"]
    assert stored_endpoints(**lfm) == before
    assert not Endpoint.objects.filter(delisted_at__isnull=False).exists()


def test_second_run_while_one_runs_is_skipped(upstream):
    """The lock: a catalogue sync that finds one running records a skip and fetches nothing."""
    SyncRun.objects.create(kind="catalog", started_at=timezone.now())
    requests = len(upstream.requests)
    run = sync_catalog()
    assert run.status == "skipped"
    assert len(upstream.requests) == requests
    assert SyncRun.objects.filter(kind="catalog", status="running").count() == 1


def test_lock_of_another_kind_does_not_block(upstream):
    """A running providers sync does not stop a catalogue sync."""
    SyncRun.objects.create(kind="providers", started_at=timezone.now())
    assert sync_catalog().status == "succeeded"


def test_stale_running_run_is_abandoned_and_a_new_one_proceeds(upstream, settings):
    """A run whose worker died stops blocking once its heartbeat is too old."""
    stuck = SyncRun.objects.create(kind="catalog", started_at=timezone.now())
    timeout = settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS
    with time_machine.travel(timedelta(seconds=timeout + 60)):
        run = sync_catalog()
    stuck.refresh_from_db()
    assert stuck.status == "abandoned"
    assert stuck.finished_at is not None
    assert run.status == "succeeded"
    assert run.counts["created"] == 321


def test_running_run_within_heartbeat_timeout_is_not_abandoned(upstream, settings):
    """Just before its heartbeat times out, the running run still wins."""
    stuck = SyncRun.objects.create(kind="catalog", started_at=timezone.now())
    timeout = settings.SYNC_HEARTBEAT_TIMEOUT_SECONDS
    with time_machine.travel(timedelta(seconds=timeout - 60)):
        assert sync_catalog().status == "skipped"
    stuck.refresh_from_db()
    assert stuck.status == "running"
