"""A legitimate large shrink: refused, held together, accepted by an editor with a
reason (audited), applied exactly once by the next sync; endpoints follow their
model out and back in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.editorial.permissions import editor_group_ensure
from catalog.ingest import endpoint_upsert_many, model_upsert_many
from catalog.models import Endpoint, LanguageModel, ShrinkRefusal
from catalog.runs import SyncFailed
from catalog.sources.openrouter import EndpointRecord, ModelRecord
from catalog.syncs import sync_catalog, sync_providers
from ops.jobs import sync_endpoints

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(synced) -> ShrinkRefusal:
    """2025-05-22 synced, then upstream serves 2026-02-27: 53% of models gone."""
    synced.set_snapshot("history:0")
    with pytest.raises(SyncFailed, match="refused"):
        sync_catalog()
    return ShrinkRefusal.objects.get()


def test_the_refusal_records_exactly_what_would_be_delisted(refused):
    listed = set(
        LanguageModel.objects.filter(delisted_at__isnull=True).values_list(
            "slug", flat=True
        )
    )
    assert refused.kind == "catalog" and refused.run.status == "failed"
    assert len(refused.missing) > refused.active / 2
    assert set(refused.missing) <= listed
    assert "Shrink refusals" in refused.run.error


def test_providers_and_endpoints_are_held_while_the_refusal_waits(refused):
    """No list moves against another's stale state."""
    before = list(Endpoint.objects.order_by("pk").values("pk", "delisted_at"))
    for sync in (sync_endpoints, sync_providers):
        run = sync()
        assert run.status == "skipped" and "held" in run.error
    assert list(Endpoint.objects.order_by("pk").values("pk", "delisted_at")) == before


@pytest.mark.slow
def test_an_editor_accepts_the_shrink_and_the_next_sync_applies_it(
    refused, client, queued_tasks
):
    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(editor_group_ensure())
    client.force_login(editor)
    url = reverse("admin:catalog_shrinkrefusal_accept", args=[refused.pk])
    assert client.get(url).status_code == 200
    # A reason is required.
    assert client.post(url, {"reason": " "}).status_code == 200
    response = client.post(url, {"reason": "upstream retired the 2025 models"})
    assert response.status_code == 302
    # The catalogue sync that applies it.
    assert queued_tasks == [("catalog.sync_catalog", {})]
    refused.refresh_from_db()
    assert refused.accepted_by == editor and refused.accepted_at is not None
    assert refused.reason == "upstream retired the 2025 models"
    entry = LogEntry.objects.get(object_id=str(refused.pk))
    assert "Accepted the shrink" in entry.get_change_message()

    run = sync_catalog()
    assert run.status == "succeeded"
    assert run.counts["delisted"] == len(refused.missing)
    refused.refresh_from_db()
    assert refused.applied_run == run
    gone = LanguageModel.objects.filter(slug__in=refused.missing)
    assert not gone.filter(delisted_at__isnull=True).exists()
    # Their endpoints went with them; the others' syncs are no longer held.
    assert not Endpoint.objects.filter(
        model__in=gone, delisted_at__isnull=True
    ).exists()
    assert sync_endpoints().status == "succeeded"
    assert sync_providers().status == "succeeded"


def test_an_acceptance_covers_that_change_and_no_more(refused, synced):
    """Accepted once; a fetch losing everything is refused all the same."""
    refused.accepted_at = refused.created_at
    refused.reason = "real"
    refused.save()
    synced.inject("empty", path="/api/v1/models")
    with pytest.raises(SyncFailed, match="refused"):
        sync_catalog()
    refused.refresh_from_db()
    assert refused.applied_run is None
    assert ShrinkRefusal.objects.count() == 2


def test_a_relisted_model_brings_its_endpoints_back():
    """Delisting a model delists its listed endpoints; relisting it relists those
    (and only those: one delisted before stays delisted)."""
    now = [datetime(2026, 7, d, tzinfo=UTC) for d in (1, 2, 3, 4)]
    acme, other = record("acme/a"), record("acme/b")
    model_upsert_many([acme, other], now=now[0])
    endpoint_upsert_many({"acme/a": [endpoint("one"), endpoint("two")]}, now=now[0])
    endpoint_upsert_many({"acme/a": [endpoint("one")]}, now=now[1], shrink_ratio=1)
    model_upsert_many([other], now=now[2], shrink_ratio=1)
    model = LanguageModel.objects.get(slug="acme/a")
    assert model.delisted_at == now[2]
    assert dict(model.endpoints.values_list("key", "delisted_at")) == {
        "one": now[2],
        "two": now[1],
    }
    model_upsert_many([acme, other], now=now[3])
    assert dict(model.endpoints.values_list("key", "delisted_at")) == {
        "one": None,
        "two": now[1],
    }


def record(slug: str) -> ModelRecord:
    return ModelRecord.model_validate(
        {"id": slug, "name": slug, "pricing": {"prompt": "0", "completion": "0"}}
    )


def endpoint(tag: str) -> EndpointRecord:
    return EndpointRecord.model_validate(
        {"provider_name": tag.title(), "tag": tag, "pricing": {"prompt": "0"}}
    )
