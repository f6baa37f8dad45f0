"""axe-core (pinned in tests/clients/typescript/'s lock file) run in headless
Chromium on the board's main pages, at a desktop's and a phone's size, in the light
and the dark theme: no violation of any kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from demo.server import DemoUpstream
from stats import syncs as stats_syncs
from tests.api.conftest import reads_outside_a_test_transaction
from tests.browser.conftest import goto_settled
from tests.front.conftest import PLAIN_STATIC, upstream_settings
from tests.support import snapshots
from tests.support.typescript import installed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)

SIZES = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}
THEMES = ("light", "dark")
PAGES = {
    "list": "/?sort=cost&input_modality=text&paid=1",
    "model": "/openai/gpt-4o",
    "compare": "/compare?models=liquid/lfm-40b,openai/gpt-4o",
    "rankings": "/rankings",
    "changes": "/changes",
    "status": "/status",
    "usage": "/usage",
    "providers": "/providers",
    "retirements": "/deprecations",
}
RUN = """async () => {
  const found = await axe.run(document, { resultTypes: ["violations"] });
  return found.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    return installed() / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def usage_site(django_db_setup, django_db_blocker, demo: DemoUpstream) -> Iterator[str]:
    """A live server over `site` (the synced demo catalogue) with /usage public
    and filled: the demo key's activity polled. Committed once for the module's
    pages, which only read it, and emptied afterwards (pytest-django's
    live_server would empty the database after each test)."""
    overrides = upstream_settings(demo) | {
        "STORAGES": PLAIN_STATIC,
        "OPENROUTER_API_KEY": "demo",
        "STATS_DATASETS_ENABLED": True,
        "USAGE_PUBLIC": True,
    }
    with (
        override_settings(**overrides),
        snapshots.committed("site", django_db_blocker),
    ):
        with django_db_blocker.unblock():
            run = stats_syncs.sync_datasets()
        assert run.status == "succeeded", (run.status, run.error, run.item_errors)
        server = LiveServer("127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that may take axe's script tag (the board's policy allows only its
    own scripts); console errors fail the test, as on every browser test."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], errors


def violations(page: Page, axe_script: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    found: list[dict] = page.evaluate(RUN)
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_main_pages_have_no_axe_violations(
    usage_site: str, page: Page, axe_script: Path, name: str
):
    """Each page at both sizes and in both themes, its charts drawn and every
    <details> opened."""
    found = {}
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            response = goto_settled(page, f"{usage_site}{PAGES[name]}")
            assert response and response.status == 200, PAGES[name]
            # What folds away is checked too: the filter drawer, the workload,
            # the charts' tables.
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
            issues = violations(page, axe_script)
            if issues:
                found[f"{size}/{theme}"] = issues
    assert found == {}, found
