"""Headless Chromium (Debian's) driven by Playwright against pytest-django's live
server, with the demo catalogue synced into the live database for each test."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, Request, Response, sync_playwright

from demo.server import DemoUpstream
from tests.api.conftest import reads_outside_a_test_transaction
from tests.front.conftest import PLAIN_STATIC, SNAPSHOT, upstream_settings
from tests.support import snapshots

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Models whose stats the stats syncs poll here (the whole catalogue is synced, but
# tokens and apps for 321 models would cost seconds per test).
WITH_STATS = ["liquid/lfm-40b", "openai/gpt-4o", "mistralai/mistral-7b-instruct"]
# What a page does after its `load` event: it draws every chart that has a figure
# (static/js/charts.js), and Chromium fetches its icon.
CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-plot]")]
  .filter((p) => p.nextElementSibling?.classList.contains("plot-data"))
  .every((p) => p.querySelector(".main-svg"))"""
ICONS = """() => [...document.querySelectorAll("link[rel~=icon]")]
  .map((l) => l.href).filter((h) => h.startsWith("http"))"""


def goto_settled(page: Page, url: str, timeout: float = 30) -> Response | None:
    """`page.goto`, then what the page does after its `load` event, each waited
    for by name: its charts drawn, and its icon fetched (a failed fetch is a
    console error). `networkidle` waited for the same with half a second of
    silence per page."""
    ended: list[str] = []

    def end(request: Request) -> None:
        ended.append(request.url)

    page.on("requestfinished", end)
    page.on("requestfailed", end)
    try:
        response = page.goto(url)
        page.wait_for_function(CHARTS_DRAWN)
        deadline = time.monotonic() + timeout
        for icon in page.evaluate(ICONS):
            while icon not in ended:
                assert time.monotonic() < deadline, f"{icon} never fetched"
                page.wait_for_timeout(10)  # lets Playwright deliver the events
    finally:
        page.remove_listener("requestfinished", end)
        page.remove_listener("requestfailed", end)
    return response


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoUpstream]:
    with DemoUpstream(port=0, snapshot=SNAPSHOT) as server:
        yield server


@snapshots.state("site")
def _site(demo: DemoUpstream) -> None:
    """The demo catalogue synced, with tokens, apps and uptime for WITH_STATS."""
    from django.utils import timezone

    from catalog.models import LanguageModel
    from stats import syncs as stats_syncs

    snapshots.derive("synced")
    others = LanguageModel.objects.filter(delisted_at__isnull=True).exclude(
        slug__in=WITH_STATS
    )
    hidden = list(others.values_list("pk", flat=True))
    others.update(delisted_at=timezone.now())
    for sync in (
        stats_syncs.sync_activity,
        stats_syncs.sync_apps,
        stats_syncs.sync_uptime,
    ):
        assert sync().status == "succeeded", sync
    LanguageModel.objects.filter(pk__in=hidden).update(delisted_at=None)


@pytest.fixture
def site(live_server, demo: DemoUpstream) -> Iterator[str]:
    """The live server's URL, its database holding the synced demo catalogue
    (restored from this run's snapshot of it)."""
    # The live server's static handler serves through the finders, which know no
    # hashed manifest names: plain storage here (gunicorn + whitenoise in bench/).
    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with override_settings(**overrides):
        snapshots.load("site")
        yield live_server.url


@contextlib.contextmanager
def served(state: str, demo: DemoUpstream, django_db_blocker) -> Iterator[str]:
    """A live server of its own over the snapshot `state`, committed (for a
    module whose tests only read) and emptied afterwards: pytest-django's
    live_server empties the database after each test. The module's tests take
    `reads_outside_a_test_transaction` (tests/api/conftest.py) as their
    `_django_db_marker`."""
    from pytest_django.live_server_helper import LiveServer

    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with (
        override_settings(**overrides),
        snapshots.committed(state, django_db_blocker),
    ):
        server = LiveServer("127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()


def read_only_site() -> tuple[Any, Any]:
    """For a module whose tests only read the site: its tests' database marker
    and `site` served once for the module (see `served`), to be bound as
    `_django_db_marker, site = read_only_site()`."""

    def site(django_db_setup, django_db_blocker, demo: DemoUpstream) -> Iterator[str]:
        """The synced demo catalogue, served once for the module."""
        with served("site", demo, django_db_blocker) as url:
            yield url

    return (
        pytest.fixture(autouse=True, name="_django_db_marker")(
            reads_outside_a_test_transaction
        ),
        pytest.fixture(scope="module", name="site")(site),
    )


class ConsoleErrors(list):
    """Console errors and uncaught exceptions of one page."""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that records console errors; the test fails if any appear."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = ConsoleErrors()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert list(errors) == [], errors
