"""Models added by hand are never delisted or touched by polls."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import syncs
from catalog.models import Author, LanguageModel, Origin
from catalog.search.index import search_index_refresh

pytestmark = pytest.mark.django_db


def _hand_model() -> LanguageModel:
    now = timezone.now()
    model = LanguageModel.objects.create(
        slug="acme/house-llm",
        author=Author.objects.create(slug="acme"),
        name="Acme: House LLM",
        description="Runs on our own GPUs.",
        context_length=65536,
        price_prompt=Decimal("0.05"),
        price_completion=Decimal("0.10"),
        origin=Origin.HAND,
        first_seen_at=now,
        updated_at=now,
        created=now,
    )
    search_index_refresh([model])  # as the admin does when it adds one
    return model


def test_hand_added_model_survives_a_sync_that_does_not_list_it(upstream, client):
    """A sync of a catalogue without it neither delists nor changes it."""
    syncs.sync_catalog()
    model = _hand_model()
    before = model.updated_at
    upstream.set_snapshot("2025-05-12")
    run = syncs.sync_catalog()
    model.refresh_from_db()
    assert model.delisted_at is None and model.updated_at == before
    assert run.counts["delisted"] > 0  # the sync did delist upstream models
    page = client.get("/acme/house-llm")
    assert page.status_code == 200
    assert "Acme: House LLM" in page.content.decode()
    assert "acme/house-llm" in client.get("/?q=house").content.decode()
    listed = client.get("/api/v1/models", {"q": "house llm"}).json()["data"]
    assert "acme/house-llm" in [m["id"] for m in listed]
    one = client.get("/api/v1/models/acme/house-llm").json()["data"]
    assert one["context_length"] == 65536
    assert one["pricing"]["prompt"] == "0.00000005"


def test_endpoint_polls_skip_hand_added_models(upstream):
    """Nobody upstream serves it, so it is not polled (no 404 noise)."""
    syncs.sync_catalog()
    _hand_model()
    run = syncs.sync_endpoints()
    assert not any("acme/house-llm" in e["item"] for e in run.item_errors)
    assert not any("house-llm" in path for _, path, _ in upstream.requests)


def test_upstream_model_with_a_hand_added_id_is_reported_not_merged(upstream):
    """If upstream starts listing the same id, the hand-made row is kept as is."""
    syncs.sync_catalog()
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        origin=Origin.HAND, name="Ours"
    )
    run = syncs.sync_catalog()
    assert LanguageModel.objects.get(slug="liquid/lfm-40b").name == "Ours"
    assert any(e["item"] == "liquid/lfm-40b" for e in run.item_errors)
