"""axe-core (pinned in tests/clients/typescript/'s lock file) run in headless
Chromium on the board's main pages, at a desktop's and a phone's size, in the light
and the dark theme: no violation of any kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from demo.server import DemoUpstream
from stats import syncs as stats_syncs
from tests.browser.conftest import goto_settled
from tests.support.typescript import installed

pytestmark = pytest.mark.browser

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


@pytest.fixture
def usage_open(site: str, demo: DemoUpstream, settings) -> None:
    """/usage public and filled: the demo key's activity polled."""
    settings.OPENROUTER_API_KEY = "demo"
    settings.STATS_DATASETS_ENABLED = True
    settings.USAGE_PUBLIC = True
    run = stats_syncs.sync_datasets()
    assert run.status == "succeeded", (run.status, run.error, run.item_errors)


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
    site: str, usage_open: None, page: Page, axe_script: Path, name: str
):
    """Each page at both sizes and in both themes, its charts drawn and every
    <details> opened."""
    found = {}
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for theme in THEMES:
            page.emulate_media(color_scheme=theme)
            response = goto_settled(page, f"{site}{PAGES[name]}")
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
