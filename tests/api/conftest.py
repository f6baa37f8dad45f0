from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import openrouter
import pytest
from jsonschema import Draft202012Validator

from demo.server import DemoUpstream
from tests.support import snapshots

SCHEMAS = Path(__file__).resolve().parents[2] / "api" / "openrouter-schemas.json"


@pytest.fixture
def catalogued(mock_upstream):
    """The 2025-05-22 providers and catalogue (no endpoints), restored from this
    run's snapshot of them."""
    snapshots.load("catalogued")
    return mock_upstream


def spec_validator(name: str, components: dict | None = None) -> Draft202012Validator:
    """A validator for one schema of the copied spec, $refs resolved inside the file."""
    components = components or json.loads(SCHEMAS.read_text())["components"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": components,
    }
    return Draft202012Validator(schema)


@contextlib.contextmanager
def live_api() -> Iterator[str]:
    """A live server on loopback over the committed database; yields /api/v1's URL.

    Module fixtures commit a synced catalogue once and serve it to every test of
    the module (pytest-django's live_server empties the database after each test).
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    try:
        yield server.url + "/api/v1"
    finally:
        server.stop()


def openrouter_sdk(base_url: str) -> openrouter.OpenRouter:
    """OpenRouter's SDK pointed at us: no retries (its default retries a 5xx for up
    to an hour) and a short timeout, so a server error fails the test at once."""
    return openrouter.OpenRouter(
        server_url=base_url, retry_config=None, timeout_ms=10_000
    )


OVERRIDDEN = ("liquid/lfm-40b", 16_384)


@snapshots.state("demo-api")
def _synced_and_edited(demo: DemoUpstream) -> None:
    """Providers, catalogue and endpoints (with stats samples) from the demo upstream,
    and an editor's override of one endpoint's context."""
    from catalog.editorial.overrides import override_set
    from catalog.models import Endpoint

    snapshots.derive("synced")
    slug, context = OVERRIDDEN
    endpoint = Endpoint.objects.filter(model__slug=slug).order_by("key").first()
    assert endpoint is not None
    override_set(endpoint, "context_length", context, reason="Provider docs say so")


@pytest.fixture(scope="module")
def demo_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    """/api/v1 of a live server holding the synced demo catalogue (committed for
    this module, flushed afterwards)."""
    with snapshots.committed("demo-api", django_db_blocker), live_api() as url:
        yield url


def reads_outside_a_test_transaction(django_db_blocker) -> Iterator[None]:
    """Stands in for pytest-django's `_django_db_marker` in modules whose tests talk
    to a live server over data a module fixture committed: the `django_db` mark
    still has the test database set up, but tests read it in autocommit instead of
    inside a test transaction, whose SQLite write lock (IMMEDIATE transactions)
    the server's threads would wait on. Such tests only read."""
    with django_db_blocker.unblock():
        yield
