"""A hidden model is absent from every anonymous surface, and a hidden id answers
exactly like an unknown one; staff still reach its page and feed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from catalog.models import CatalogEvent, EventKind
from changes.models import Watch
from stats.models import TokenUsageDaily
from tests.support.factories import make_endpoint, make_model
from tests.support.recordings import body_text

pytestmark = pytest.mark.django_db

SECRET = "Zebra Secret Model"
NOW = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.fixture
def catalogue():
    hidden = make_model("acme/zebra-secret", name=SECRET, hidden=True)
    shown = make_model("acme/open", name="Open Model")
    lonely = make_model("lonely/zebra-secret", name=SECRET, hidden=True)
    for model in (hidden, shown, lonely):
        endpoint = make_endpoint(model, "hostco")
        for kind in (EventKind.ADDED, EventKind.PRICE):
            CatalogEvent.objects.create(
                kind=kind,
                model=model,
                before={"prompt": "0.1"} if kind == EventKind.PRICE else None,
                after={"prompt": "0.2"} if kind == EventKind.PRICE else None,
                observed_at=NOW,
            )
        CatalogEvent.objects.create(
            kind=EventKind.ENDPOINT_ADDED,
            model=model,
            endpoint=endpoint,
            provider=endpoint.provider,
            observed_at=NOW,
        )
        for day in range(7):
            TokenUsageDaily.objects.create(
                model=model,
                date=date(2026, 6, 24) + timedelta(days=day),
                source="website",
                total=10**9 if model.hidden else 10,
            )
    return hidden


ANONYMOUS_SURFACES = [
    "/",
    "/?q=zebra",
    "/?format=json",
    "/?format=csv",
    "/?sort=tokens_week",
    "/acme",
    "/providers/hostco",
    "/rankings",
    "/changes",
    "/changes?author=acme",
    "/changes?provider=hostco",
    "/changes/feed.rss",
    "/changes/feed.atom",
    "/changes/new.rss",
    "/changes/prices.rss",
    "/changes/provider/hostco.rss",
    "/api/v1/models",
    "/api/v1/models?q=zebra&include_delisted=true",
    "/api/v1/providers",
]


@pytest.mark.parametrize("path", ANONYMOUS_SURFACES)
def test_hidden_model_is_absent_from_every_anonymous_surface(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 200
    body = body_text(response)
    assert SECRET not in body and "zebra-secret" not in body
    assert "Open Model" in body or path in (
        "/api/v1/providers",
        "/?q=zebra",
        "/api/v1/models?q=zebra&include_delisted=true",
        "/rankings",
    )


HIDDEN_ROUTES = [
    ("/acme/zebra-secret", "/acme/zebra-unknown"),
    ("/lonely", "/nobody"),
    ("/changes/model/acme/zebra-secret.rss", "/changes/model/acme/zebra-unknown.rss"),
    ("/api/v1/models/acme/zebra-secret", "/api/v1/models/acme/zebra-unknown"),
    (
        "/api/v1/models/acme/zebra-secret/endpoints",
        "/api/v1/models/acme/zebra-unknown/endpoints",
    ),
    (
        "/api/v1/models/acme/zebra-secret/prices.csv",
        "/api/v1/models/acme/zebra-unknown/prices.csv",
    ),
    (
        "/api/v1/models/acme/zebra-secret/tokens.csv",
        "/api/v1/models/acme/zebra-unknown/tokens.csv",
    ),
    (
        "/compare?models=acme/open,acme/zebra-secret",
        "/compare?models=acme/open,acme/zebra-unknown",
    ),
]


@pytest.mark.parametrize(("hidden", "unknown"), HIDDEN_ROUTES)
def test_a_hidden_id_answers_like_an_unknown_one(client, catalogue, hidden, unknown):
    shown, missing = client.get(hidden), client.get(unknown)
    assert shown.status_code == missing.status_code
    assert shown.status_code in (400, 404)
    assert SECRET not in shown.content.decode()
    assert _same(shown, missing)


def test_watching_a_hidden_id_answers_like_an_unknown_one(client, catalogue):
    """The watch form: same status, same message, no watch created."""
    form = {"webhook_url": "https://hooks.example.com/x"}
    shown = client.post("/watch", form | {"target": "acme/zebra-secret"})
    missing = client.post("/watch", form | {"target": "acme/zebra-unknown"})
    assert shown.status_code == missing.status_code == 400
    assert _same(shown, missing)
    assert not Watch.objects.exists()


def test_watches_are_not_told_about_hidden_models(catalogue):
    """Events of a hidden model reach no watch (a provider watch included)."""
    from changes.alerts import watches_matching

    watch = Watch.objects.create(
        provider=catalogue.endpoints.get().provider, webhook_url="https://h.example/x"
    )
    pairs = watches_matching(list(CatalogEvent.objects.all()))
    assert pairs and all(event.model.hidden is False for _, event in pairs)
    assert {w.pk for w, _ in pairs} == {watch.pk}


def test_staff_still_reach_a_hidden_models_page_and_feed(client, catalogue):
    client.force_login(User.objects.create_user("sam", is_staff=True))
    assert client.get("/acme/zebra-secret").status_code == 200
    assert client.get("/changes/model/acme/zebra-secret.rss").status_code == 200
    assert client.get("/compare?models=acme/open,acme/zebra-secret").status_code == 200
    # The lists show what the public sees, whoever asks.
    assert SECRET not in client.get("/").content.decode()


def _same(a, b) -> bool:
    """Two answers alike once the asked id (and the per-render CSRF token) is out."""
    ta = a.content.decode().replace("zebra-secret", "X").replace("lonely", "X")
    tb = b.content.decode().replace("zebra-unknown", "X").replace("nobody", "X")
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    return token.sub("", ta) == token.sub("", tb)
