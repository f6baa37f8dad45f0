"""The board with its cache (Redis) down, then with its job queue (the Celery
broker) down: every public page and form answers without a server error. What
needs the missing service degrades on purpose: the watch throttle, unable to
count, refuses with a 503 that says when to come back; a task that cannot be
queued is named on the page; an accepted shrink is recorded and waits for the
broker."""

from __future__ import annotations

import re
import socket
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.signing import TimestampSigner
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from kombu.exceptions import OperationalError

from catalog.editorial.permissions import editor_group_ensure
from catalog.models import LanguageModel, ShrinkRefusal, SyncRun
from changes.models import Watch
from changes.watches import email_confirm_token

pytestmark = [pytest.mark.django_db, pytest.mark.http, pytest.mark.slow]

# Each kind of page (its URL name) is visited this many times: a crawl of every
# page the board has, not of every model.
PER_ROUTE = 3
ENTRY_POINTS = [
    "/",
    "/?q=gpt",
    "/?sort=price&free=1",
    "/rankings",
    "/providers",
    "/changes",
    "/changes/feed.rss",
    "/changes/feed.atom",
    "/compare?models=liquid/lfm-40b,openai/gpt-4o",
    "/watch",
    "/status",
    "/healthz",
    "/api/v1/models?limit=5",
    "/api/v1/providers",
]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: nothing listens


@pytest.fixture
def redis_down(settings, synced) -> None:
    """The production cache settings (CACHE_URL) on a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


@pytest.fixture
def broker_down(monkeypatch, synced) -> None:
    """Publishing fails the way kombu fails when the broker refuses connections."""

    def send_task(name, *args, **options):
        raise OperationalError(
            f"Error 111 connecting to 127.0.0.1:{closed_port()}. Connection refused."
        )

    monkeypatch.setattr("celery.current_app.send_task", send_task)


def _links(path: str, body: str) -> list[str]:
    found = re.findall(r'(?:href|action)="([^"]*)"', body)
    found += re.findall(r"<link>([^<]+)</link>", body)
    urls = []
    for link in found:
        parts = urlsplit(urljoin(f"http://testserver{path}", unescape(link)))
        if parts.netloc == "testserver" and not parts.path.startswith(
            ("/static/", "/admin/")
        ):
            urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def _route(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return "404"


def crawl(client: Client) -> dict[str, int]:
    """Every kind of page reachable from the entry points: path -> status."""
    seen: dict[str, int] = {}
    per_route: dict[str, int] = {}
    queue = deque(ENTRY_POINTS)
    while queue:
        path = queue.popleft()
        route = _route(path)
        if path in seen or per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        seen[path] = response.status_code
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        if response.status_code == 200:
            queue.extend(_links(path, body.decode(errors="replace")))
    return seen


def submit_every_form(client: Client) -> dict[str, int]:
    """Each public form posted as a visitor would: the watch form (valid and
    not), a watch's resend and delete, the e-mail confirmation, the admin login."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    answers = {}
    create = {"target": model.slug, "email": "ops@example.com"}
    answers["watch create"] = client.post("/watch", create)
    answers["watch create, invalid"] = client.post("/watch", {"target": "no/such"})
    watch = Watch.objects.create(model=model, email="ops@example.com")
    manage = watch.get_absolute_url()
    answers["watch resend"] = client.post(manage, {"action": "resend-confirmation"})
    token = email_confirm_token(watch)
    confirm = reverse("watch-email-confirm", args=[token])
    answers["watch confirm"] = client.post(confirm)
    answers["watch confirm, forged"] = client.post(
        reverse("watch-email-confirm", args=[TimestampSigner().sign("x")])
    )
    answers["watch delete"] = client.post(manage, {"action": "delete"})
    answers["admin login"] = client.post(
        "/admin/login/", {"username": "nobody", "password": "wrong"}
    )
    return {name: response.status_code for name, response in answers.items()}


def test_with_redis_down_no_page_or_form_is_a_server_error(redis_down):
    """The cache is optional: pages build from the database; the watch throttle,
    which cannot count without it, refuses new watches with a 503 and a
    Retry-After instead of letting everyone through or failing."""
    client = Client()
    seen = crawl(client)
    assert len(seen) > 30
    assert {path: status for path, status in seen.items() if status >= 500} == {}

    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    refused = client.post("/watch", {"target": model.slug, "email": "a@example.com"})
    assert refused.status_code == 503
    assert int(refused["Retry-After"]) > 0
    assert "cannot count" in refused.content.decode()
    assert not Watch.objects.exists()

    forms = submit_every_form(client)
    throttled = {"watch create", "watch create, invalid", "watch resend"}
    assert {name: forms[name] for name in throttled} == dict.fromkeys(throttled, 503)
    others = {name: status for name, status in forms.items() if name not in throttled}
    assert all(status < 500 for status in others.values()), others


def test_with_the_broker_down_no_page_or_form_is_a_server_error(broker_down):
    """Nothing a visitor does needs the broker but a confirmation e-mail: the
    watch is created and the page says the e-mail could not be queued."""
    client = Client()
    seen = crawl(client)
    assert len(seen) > 30
    assert {path: status for path, status in seen.items() if status >= 500} == {}
    forms = submit_every_form(client)
    assert all(status < 500 for status in forms.values()), forms
    assert forms["watch create"] == 201


def test_accepting_a_shrink_with_the_broker_down_records_it_and_says_so(
    client, synced, broker_down, django_capture_on_commit_callbacks
):
    """The acceptance is stored; the sync that applies it could not be queued,
    and the page says the next scheduled sync applies it once the broker is back."""
    run = SyncRun.objects.filter(kind="catalog").latest("pk")
    refusal = ShrinkRefusal.objects.create(
        kind="catalog", run=run, what="models", active=2, missing=["liquid/lfm-40b"]
    )
    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(editor_group_ensure())
    client.force_login(editor)
    url = reverse("admin:catalog_shrinkrefusal_accept", args=[refusal.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "retired upstream"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accepted" in page and "cannot be reached" in page
    assert "the next scheduled catalogue sync applies it" in page
    refusal.refresh_from_db()
    assert refusal.accepted_by == editor and refusal.reason == "retired upstream"
