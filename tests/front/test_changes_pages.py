"""The watch form, the manage link, feeds' escaping and the model-page selector."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Author, CatalogEvent, EventKind, LanguageModel, Provider
from changes.models import Watch
from changes.selectors import model_changes

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def model() -> LanguageModel:
    now = timezone.now()
    return LanguageModel.objects.create(
        slug="acme/one:free",
        author=Author.objects.create(slug="acme"),
        name=EVIL,
        first_seen_at=now,
        updated_at=now,
    )


def _event(model: LanguageModel, kind: str = EventKind.PRICE, **kwargs) -> CatalogEvent:
    defaults = {"before": {"prompt": "0.000001"}, "after": {"prompt": "0.0000015"}}
    return CatalogEvent.objects.create(
        kind=kind, model=model, observed_at=timezone.now(), **(defaults | kwargs)
    )


def test_feed_items_escape_upstream_text(client, model):
    _event(model)
    body = client.get("/changes/feed.rss").content.decode()
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body
    item = ET.fromstring(body).find("./channel/item")
    assert item.findtext("title") == f"Price changed: {EVIL} (acme/one:free)"
    assert item.findtext("description") == "prompt $1.00/M → $1.50/M ↑ +50.0%"
    assert item.findtext("link") == "http://testserver/acme/one:free"


def test_changelog_escapes_and_links_to_the_model_page(client, model):
    _event(model)
    body = client.get("/changes").content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert 'href="/acme/one:free"' in body
    assert '<li class="up">prompt $1.00/M → $1.50/M ↑ +50.0%</li>' in body


def test_price_cut_shows_down(client, model):
    _event(model, before={"prompt": "0.000002"}, after={"prompt": "0.0000015"})
    body = client.get("/changes").content.decode()
    assert '<li class="down">prompt $2.00/M → $1.50/M ↓ -25.0%</li>' in body


def test_changelog_query_count_does_not_grow_with_rows(client, model):
    for _ in range(3):
        _event(model)
    with CaptureQueriesContext(connection) as few:
        client.get("/changes")
    for _ in range(30):
        _event(model, kind=EventKind.RENAMED, before="a", after="b")
    with CaptureQueriesContext(connection) as many:
        client.get("/changes")
    assert len(many) == len(few) <= 4


def test_provider_filter_and_feed(client, model):
    now = timezone.now()
    provider = Provider.objects.create(
        slug="acme-cloud", name="Acme Cloud", first_seen_at=now, updated_at=now
    )
    CatalogEvent.objects.create(
        kind=EventKind.PROVIDER_ADDED, provider=provider, observed_at=now
    )
    _event(model)
    rows = client.get("/changes", {"provider": "acme-cloud"}).content.decode()
    assert "Acme Cloud" in rows and "acme/one:free" not in rows
    feed = client.get("/changes/provider/acme-cloud.rss")
    assert feed.status_code == 200
    assert len(ET.fromstring(feed.content).findall("./channel/item")) == 1
    assert client.get("/changes/provider/nobody.rss").status_code == 404


def test_model_changes_selector_is_newest_first_and_limited(model):
    old = _event(model)
    CatalogEvent.objects.filter(pk=old.pk).update(
        observed_at=timezone.now() - timedelta(days=3)
    )
    new = _event(model, kind=EventKind.CONTEXT, before=1000, after=2000)
    rows = model_changes(model, limit=1)
    assert [r.event.pk for r in rows] == [new.pk]
    assert rows[0].summary == "context 1,000 → 2,000 tokens"
    assert [r.event.pk for r in model_changes(model)] == [new.pk, old.pk]


@pytest.fixture
def public_dns(monkeypatch):
    """example.com resolves to a public address without touching the network."""
    import socket

    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_watch_form_creates_a_watch_and_shows_the_secret_once(
    client, model, public_dns
):
    assert client.get("/watch").status_code == 200
    response = client.post(
        "/watch",
        {
            "target": model.slug,
            "events": ["price", "delisted"],
            "webhook_url": "https://example.com/hook",
        },
    )
    assert response.status_code == 201
    watch = Watch.objects.get()
    body = response.content.decode()
    assert watch.secret in body
    assert watch.model == model and watch.events == ["price", "delisted"]
    manage = client.get(watch.get_absolute_url())
    assert manage.status_code == 200 and watch.secret not in manage.content.decode()
    assert (
        client.post(watch.get_absolute_url(), {"action": "delete"}).status_code == 302
    )
    assert not Watch.objects.exists()


def test_watch_a_provider_by_email(client):
    now = timezone.now()
    Provider.objects.create(
        slug="deepinfra", name="DeepInfra", first_seen_at=now, updated_at=now
    )
    response = client.post("/watch", {"target": "deepinfra", "email": "a@example.com"})
    assert response.status_code == 201
    assert Watch.objects.get().provider.slug == "deepinfra"


@pytest.mark.parametrize(
    "data",
    [
        {"target": "nobody/nothing", "email": "a@example.com"},
        {"target": "acme/one:free"},
        {"target": "acme/one:free", "webhook_url": "not a url"},
        {"target": "acme/one:free", "email": "a@b", "events": ["nope"]},
    ],
)
def test_bad_watch_is_a_400(client, model, data):
    response = client.post("/watch", data)
    assert response.status_code == 400
    assert "could not be created" in response.content.decode()
    assert not Watch.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://localhost/x", "http://10.1.2.3/x"]
)
def test_private_webhooks_are_refused_unless_allowed(client, model, settings, url):
    data = {"target": model.slug, "webhook_url": url}
    response = client.post("/watch", data)
    assert response.status_code == 400
    assert "not a public internet address" in response.content.decode()
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = True
    assert client.post("/watch", data).status_code == 201


def test_manage_link_must_be_known(client, db):
    assert client.get("/watch/not-a-token").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/changes/feed.rss",
        "/changes/feed.atom",
        "/changes/new.rss",
        "/changes/model/acme/one:free.rss",
        "/changes/provider/acme-cloud.rss",
    ],
)
def test_characters_xml_forbids_are_replaced_in_feeds_and_kept_stored(client, path):
    """U+FFFE and U+FFFF (and C0 controls but tab and newlines) are not XML 1.0
    characters: every feed replaces them, and the row keeps the name as sent."""
    now = timezone.now()
    name = "Bad\ufffename\uffff end\x01"
    model = LanguageModel.objects.create(
        slug="acme/one:free",
        author=Author.objects.create(slug="acme"),
        name=name,
        description="d\ufffe",
        first_seen_at=now,
        updated_at=now,
    )
    provider = Provider.objects.create(
        slug="acme-cloud", name="Acme\uffff", first_seen_at=now, updated_at=now
    )
    _event(model, provider=provider)
    _event(model, kind=EventKind.ADDED, before=None, after={"name": name})
    response = client.get(path)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # well-formed XML 1.0
    text = "".join(feed.itertext())
    assert "Bad\ufffdname\ufffd" in text
    assert LanguageModel.objects.get(pk=model.pk).name == name
