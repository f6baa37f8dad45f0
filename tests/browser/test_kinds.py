"""The other catalogues in headless Chromium: the list page's kind filter lists
embedding models with their unit prices, searches within the kind and leads to
a model's page; those pages have no axe violation at either size, in either theme."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from catalog.syncs import sync_embeddings, sync_images, sync_videos
from demo.server import DemoUpstream
from tests.browser.conftest import goto_settled
from tests.browser.test_accessibility import SIZES, THEMES, violations
from tests.front.conftest import PLAIN_STATIC, upstream_settings
from tests.support import snapshots
from tests.support.typescript import installed

pytestmark = pytest.mark.browser


@snapshots.state("site-kinds")
def _site_kinds(demo: DemoUpstream) -> None:
    """`site`, and the embedding, image and video catalogues synced."""
    snapshots.derive("site")
    for sync in (sync_embeddings, sync_images, sync_videos):
        run = sync()
        assert run.status == "succeeded", (run.kind, run.error)


@pytest.fixture
def kinds_site(live_server, demo: DemoUpstream) -> Iterator[str]:
    """The live server over `site` and the other catalogues (restored from this
    run's snapshot of them)."""
    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with override_settings(**overrides):
        snapshots.load("site-kinds")
        yield live_server.url


def test_the_embeddings_kind_lists_embedding_models_with_unit_prices(
    kinds_site: str, page: Page
):
    page.goto(kinds_site + "/")
    kinds = page.get_by_role("navigation", name="Kind of model")
    expect(kinds.get_by_role("link", name="Chat")).to_have_attribute(
        "aria-current", "page"
    )
    kinds.get_by_role("link", name="Embeddings").click()
    expect(page).to_have_url(kinds_site + "/?kind=embeddings")
    expect(page.locator("h1")).to_have_text("Embeddings models")
    rows = page.locator("table.kind-models tbody tr")
    expect(rows).to_have_count(12)
    first = rows.first
    expect(first).to_contain_text("Text Embedding 3 Small")
    expect(first).to_contain_text("$0.02 per 1M input text tokens")

    search = page.get_by_role("search", name="Search Embeddings models")
    search.get_by_role("searchbox", name="Search").fill("qwen")
    search.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#result-count")).to_have_text("2")
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(kinds_site + "/embeddings/qwen/qwen3-embedding-8b")
    expect(page.locator("h1")).to_have_text("Qwen3 Embedding 8B")
    expect(page.locator("ul.unit-prices")).to_contain_text(
        "$0.01 per 1M input text tokens"
    )


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    # axe's script tag needs the page's policy bypassed (the board allows only
    # its own scripts).
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors


def test_kind_pages_have_no_axe_violations(kinds_site: str, axe_page: Page):
    script = installed() / "node_modules" / "axe-core" / "axe.min.js"
    found = {}
    paths = ("/?kind=images", "/images/black-forest-labs/flux.2-pro")
    for path in paths:
        for (size, viewport), theme in itertools.product(SIZES.items(), THEMES):
            axe_page.set_viewport_size(viewport)
            axe_page.emulate_media(color_scheme=theme)
            response = goto_settled(axe_page, kinds_site + path)
            assert response and response.status == 200, path
            if issues := violations(axe_page, Path(script)):
                found[f"{path} {size} {theme}"] = issues
    assert found == {}, found
