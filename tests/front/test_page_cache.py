"""The public page cache (config/pagecache.py): anonymous visitors get stored,
compressed pages and cheap 304s keyed by the data version; editors, forms and
secrets never go through it; and pages still answer when the cache is down."""

from __future__ import annotations

import gzip
import json
import socket

import brotli
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.editorial.overrides import override_set
from catalog.models import LanguageModel
from catalog.versions import data_version

pytestmark = [pytest.mark.django_db, pytest.mark.backend, pytest.mark.state("synced")]

SEED = "/liquid/lfm-40b"


@pytest.fixture
def cached(settings, synced):
    """The synced demo catalogue with the page cache on (tests turn it off)."""
    settings.PAGE_CACHE_SECONDS = 300
    return synced


def queries(client, path: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, headers=headers)
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "path", ["/", SEED, "/rankings", "/changes", "/providers/openai", "/api/v1/models"]
)
def test_a_warm_page_and_a_304_read_no_rows(client, cached, path):
    """The second visit is served from the cache; a revalidation is a 304; both
    without a single SQL statement once the data version is cached."""
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('"mb.')
    count, again = queries(client, path)
    assert count == 0
    assert again.content == first.content and again["ETag"] == first["ETag"]
    count, revalidated = queries(client, path, if_none_match=first["ETag"])
    assert count == 0
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]


def test_if_modified_since_is_answered_from_the_cache(client, cached):
    first = client.get(SEED)
    count, again = queries(client, SEED, if_modified_since=first["Last-Modified"])
    assert (count, again.status_code) == (0, 304)


def test_an_editors_change_is_served_at_once(client, cached):
    """An override advances the data version: new page, new validator."""
    before = client.get(SEED)
    assert b"Liquid: LFM 40B MoE" in before.content
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override_set(model, "name", "Liquid: LFM 40B (edited)", reason="typo")
    after = client.get(SEED, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert b"Liquid: LFM 40B (edited)" in after.content
    assert after["ETag"] != before["ETag"]


@pytest.mark.slow
def test_editors_skip_the_cache_and_their_pages_stay_private(client, cached):
    """A hidden model's page is for staff: cached for nobody, never public."""
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(hidden=True)
    staff = User.objects.create_user("ed", password="pw", is_staff=True)
    client.force_login(staff)
    page = client.get(SEED)
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    assert "ETag" not in page
    client.logout()
    client.cookies.clear()
    assert client.get(SEED).status_code == 404


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_public_answers_are_compressed(client, cached, encoding, decode, time_machine):
    # Each encoding is built on its own: on one clock reading, "synced 3 minutes
    # ago" cannot turn into 4 between them on a slow machine.
    time_machine.move_to(timezone.now(), tick=False)
    plain = client.get("/").content
    for path in ("/", "/api/v1/models?limit=5"):
        response = client.get(path, headers={"accept-encoding": f"{encoding}"})
        assert response["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response["Vary"]
        body = decode(response.content)
        if path == "/":
            assert body == plain and len(response.content) < len(plain) / 3
        else:
            assert len(json.loads(body)["data"]) == 5


def test_streamed_exports_are_compressed(client, cached):
    response = client.get("/", {"format": "csv"}, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert text.startswith("id,name,") and "liquid/lfm-40b" in text


def test_forms_with_a_csrf_token_are_neither_cached_nor_compressed(client, cached):
    """BREACH: a page carrying a secret token is never compressed."""
    for _ in range(2):
        response = client.get("/watch", headers={"accept-encoding": "br, gzip"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response and "ETag" not in response
        assert b"csrfmiddlewaretoken" in response.content


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: nothing listens


@pytest.fixture
def cache_down(settings, cached):
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
    return cached


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?sort=latency",
        SEED,
        "/rankings",
        "/changes",
        "/providers/openai",
        "/liquid",
        "/compare?models=liquid/lfm-40b,openai/gpt-4o",
        "/changes/feed.rss",
        "/api/v1/models",
        "/api/v1/models/liquid/lfm-40b/endpoints",
        "/status",
    ],
)
def test_every_page_answers_when_the_cache_is_down(client, cache_down, path):
    """Redis unreachable: each read is a miss, each page is built, all answer."""
    response = client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, path
    again = client.get(path)
    assert again.status_code == 200


def test_readiness_reports_the_cache_without_failing(client, cache_down):
    ready = client.get("/healthz?ready=1")
    assert ready.status_code == 200
    body = ready.json()
    assert body["cache"].startswith("error: ") and body["database"] == "ok"


def test_the_data_version_comes_from_the_database_when_the_cache_is_down(cache_down):
    first = data_version()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override_set(model, "name", "Renamed", reason="test")
    assert data_version().token != first.token
