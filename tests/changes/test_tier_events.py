"""Price tiers that appear, change and go are price events: replaying the two 2026
pricing recordings gives exactly those three, in the changelog, its feeds, a
watch's alert and the price history "as of a date"."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from catalog.models import CatalogEvent, EventKind, LanguageModel
from changes import tasks
from changes.models import Watch

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
APPEARS = "anthropic/claude-sonnet-4"
CHANGES = "google/gemini-2.5-pro"
GOES = "deepseek/deepseek-v3.2"


def _overrides(name: str) -> dict[str, list]:
    body = json.loads((DATA / f"models-{name}.json").read_text())
    return {m["id"]: m["pricing"].get("overrides", []) for m in body["data"]}


@pytest.fixture
def replayed_tiers(mock_upstream, monkeypatch):
    """The earlier recording synced a day ago, a watch on the model whose tier
    appears, then the later recording synced: the events of the second sync."""
    from catalog.syncs import sync_catalog

    monkeypatch.setattr(
        tasks.deliver_email, "apply_async", lambda args, **kw: queued.append(args[0])
    )
    monkeypatch.setattr(tasks.deliver_webhook, "apply_async", lambda *a, **kw: None)
    queued: list[int] = []
    mock_upstream.set_snapshot("2026-pricing-before")
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=True):
        assert sync_catalog().status == "succeeded"
    tasks.dispatch_pending()
    Watch.objects.create(
        model=LanguageModel.objects.get(slug=APPEARS),
        events=[EventKind.PRICE],
        email="ops@example.com",
        email_confirmed_at=timezone.now(),
    )
    first = CatalogEvent.objects.latest("pk").pk
    mock_upstream.set_snapshot("2026-pricing")
    run = sync_catalog()
    assert run.status == "succeeded" and run.item_errors == []
    return CatalogEvent.objects.filter(pk__gt=first).order_by("model__slug"), queued


def test_a_tier_appearing_changing_and_going_are_exactly_three_events(
    replayed_tiers,
):
    events, _ = replayed_tiers
    before, after = _overrides("2026-pricing-before"), _overrides("2026-pricing")
    got = [(e.kind, e.model.slug, e.before, e.after) for e in events]
    assert got == [
        ("price", APPEARS, {"overrides": []}, {"overrides": after[APPEARS]}),
        ("price", GOES, {"overrides": before[GOES]}, {"overrides": []}),
        (
            "price",
            CHANGES,
            {"overrides": before[CHANGES]},
            {"overrides": after[CHANGES]},
        ),
    ]


SENTENCE = (
    "price tiers none → prompts over 200,000 tokens: $6.00/M in, $22.50/M out, "
    "$0.60/M cache read, $7.50/M cache write"
)


@pytest.mark.slow
def test_the_changelog_and_its_feeds_say_what_the_tiers_did(client, replayed_tiers):
    page = client.get("/changes").content.decode()
    assert SENTENCE in page
    assert "price tiers 16:30–00:30 UTC: $0.126/M in, $0.189/M out → none" in page
    assert (
        "price tiers prompts over 200,000 tokens: $2.50/M in, $15.00/M out → "
        "prompts over 200,000 tokens: $2.50/M in, $15.00/M out, $0.25/M cache read"
    ) in page
    feed = client.get("/changes/feed.rss", {"limit": 1000}).content.decode()
    assert SENTENCE in feed and feed.count("price tiers") == 3
    model_feed = client.get("/changes/model/anthropic/claude-sonnet-4.rss")
    assert SENTENCE in model_feed.content.decode()


def test_a_watch_on_the_model_is_alerted(replayed_tiers):
    _, queued = replayed_tiers
    assert tasks.dispatch_pending()["events"] == 3
    [delivery] = queued
    tasks.deliver_email(delivery)
    [message] = mail.outbox
    assert APPEARS in message.subject
    assert SENTENCE in message.body


def test_the_price_as_of_a_date_has_the_tiers_in_force_that_day(client, replayed_tiers):
    before, after = _overrides("2026-pricing-before"), _overrides("2026-pricing")
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    today = timezone.now().date().isoformat()
    for slug, then, now in ((CHANGES, before, after), (GOES, before, after)):
        old = client.get(f"/api/v1/model/{slug}", {"at": yesterday}).json()["data"]
        assert old["pricing"]["overrides"] == then[slug]
        new = client.get(f"/api/v1/model/{slug}", {"at": today}).json()["data"]
        assert new["pricing"].get("overrides", []) == now[slug]
    old = client.get(f"/api/v1/model/{APPEARS}", {"at": yesterday}).json()["data"]
    assert "overrides" not in old["pricing"]
