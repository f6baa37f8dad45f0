"""A watch's source: routed prices (OpenRouter's), direct ones (the providers'
list prices) or both; the form keeps it as the kinds the watch hears, and alerts
go by it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalog.models import Author, CatalogEvent, EventKind, LanguageModel
from changes import tasks
from changes.models import Delivery, Watch, WatchSource, source_kinds
from changes.watches import watch_kinds

pytestmark = pytest.mark.django_db

DIRECT_KINDS = [
    EventKind.DIRECT_ADDED,
    EventKind.DIRECT_REMOVED,
    EventKind.DIRECT_PRICE,
    EventKind.DIRECT_DEPRECATION,
]


@pytest.fixture
def model() -> LanguageModel:
    now = timezone.now()
    return LanguageModel.objects.create(
        slug="acme/one",
        author=Author.objects.create(slug="acme"),
        name="Acme: One",
        first_seen_at=now,
        updated_at=now,
    )


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Deliveries queued instead of sent to a broker (their ids)."""
    calls: list[int] = []
    monkeypatch.setattr(
        tasks.deliver_email,
        "apply_async",
        lambda args, countdown=0, **kwargs: calls.append(args[0]),
    )
    return calls


def test_each_source_hears_its_own_kinds():
    assert source_kinds(WatchSource.DIRECT) == DIRECT_KINDS
    routed = source_kinds(WatchSource.ROUTED)
    assert EventKind.PRICE in routed and EventKind.ENDPOINT_PRICE in routed
    assert not set(routed) & set(DIRECT_KINDS)
    assert EventKind.BASELINE not in source_kinds(WatchSource.BOTH)
    assert sorted(source_kinds(WatchSource.BOTH)) == sorted(routed + DIRECT_KINDS)


def test_a_watch_keeps_its_source_as_the_kinds_it_hears():
    assert watch_kinds([], WatchSource.BOTH) == []
    assert watch_kinds([], WatchSource.DIRECT) == DIRECT_KINDS
    ticked = [EventKind.PRICE, EventKind.DIRECT_PRICE]
    assert watch_kinds(ticked, WatchSource.ROUTED) == [EventKind.PRICE]
    assert watch_kinds(ticked, WatchSource.DIRECT) == [EventKind.DIRECT_PRICE]
    assert watch_kinds([EventKind.PRICE], WatchSource.DIRECT) == []
    for source in WatchSource:
        events = watch_kinds([], source)
        assert Watch(events=events).source == source


def test_alerts_follow_the_source(model, queued):
    confirmed = timezone.now()
    watches = {
        source: Watch.objects.create(
            model=model,
            events=watch_kinds([], source),
            email=f"{source}@example.com",
            email_confirmed_at=confirmed,
        )
        for source in WatchSource
    }
    routed = CatalogEvent.objects.create(
        kind=EventKind.PRICE, model=model, observed_at=timezone.now()
    )
    direct = CatalogEvent.objects.create(
        kind=EventKind.DIRECT_PRICE, model=model, observed_at=timezone.now()
    )
    tasks.dispatch_pending()
    heard = {
        (d.watch.source, d.event_id) for d in Delivery.objects.select_related("watch")
    }
    assert heard == {
        (WatchSource.ROUTED, routed.pk),
        (WatchSource.DIRECT, direct.pk),
        (WatchSource.BOTH, routed.pk),
        (WatchSource.BOTH, direct.pk),
    }
    assert len(queued) == 4
    assert watches[WatchSource.BOTH].events == []


def test_the_form_creates_a_watch_of_direct_prices(client, model):
    response = client.post(
        "/watch",
        {"target": model.slug, "source": "direct", "email": "a@example.com"},
    )
    assert response.status_code == 201
    watch = Watch.objects.get()
    assert watch.events == DIRECT_KINDS
    assert (
        "prices from Direct (providers&#x27; list prices)" in response.content.decode()
    )
    manage = client.get(watch.get_absolute_url()).content.decode()
    assert "Prices from: Direct (providers&#x27; list prices)" in manage


def test_the_form_without_a_source_hears_both(client, model):
    data = {"target": model.slug, "events": ["price"], "email": "a@example.com"}
    assert client.post("/watch", data).status_code == 201
    assert Watch.objects.get().events == ["price"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"source": "direct", "events": ["price"]},
            "None of the ticked kinds comes from the source Direct",
        ),
        ({"source": "sideways"}, "Select a valid choice"),
    ],
)
def test_a_source_the_kinds_contradict_is_a_400(client, model, data, message):
    data = {"target": model.slug, "email": "a@example.com", **data}
    response = client.post("/watch", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Watch.objects.exists()


def test_a_provider_watch_cannot_hear_direct_prices(client):
    from catalog.models import Provider

    now = timezone.now()
    Provider.objects.create(slug="acme", name="Acme", first_seen_at=now, updated_at=now)
    data = {"target": "acme", "source": "direct", "email": "a@example.com"}
    response = client.post("/watch", data)
    assert response.status_code == 400
    assert "watch a model for its direct prices" in response.content.decode()
