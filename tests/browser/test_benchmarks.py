"""Benchmarks in headless Chromium: a model page shows its indices with their
source and date; the list, given a workload, sorts by intelligence per dollar."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.api.conftest import reads_outside_a_test_transaction
from tests.browser.conftest import goto_settled, served

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def scored_site(django_db_setup, django_db_blocker, demo) -> Iterator[str]:
    """The live server over the demo catalogue with its benchmark scores, served
    once for the module (its tests only read)."""
    with served("benchmarked", demo, django_db_blocker) as url:
        yield url


def test_model_page_shows_the_indices(scored_site: str, page: Page):
    page.goto(f"{scored_site}/anthropic/claude-opus-4")
    section = page.locator("#benchmarks")
    expect(section.get_by_role("heading", name="Benchmarks")).to_be_visible()
    rows = section.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Intelligence index")
    expect(rows.nth(0)).to_contain_text("71.4")
    expect(rows.nth(0)).to_contain_text("Artificial Analysis")
    expect(rows.nth(0)).to_contain_text("Jun 3, 2026")
    expect(rows.nth(1)).to_contain_text("63.2")
    expect(rows.nth(2)).to_contain_text("55.8")
    expect(
        section.locator("tbody tr", has_text="Design Arena Elo").first
    ).to_contain_text("1423.0")
    link = section.get_by_role("link", name="Artificial Analysis").first
    expect(link).to_have_attribute("href", "https://artificialanalysis.ai")


def test_list_sorts_by_intelligence_per_dollar_for_a_workload(
    scored_site: str, page: Page
):
    page.goto(f"{scored_site}/?author=anthropic")
    page.locator("#workload > summary").click()
    page.get_by_role("link", name="RAG with long prompts").click()
    page.wait_for_url(re.compile(r"preset=rag"))
    page.get_by_label("Sort", exact=True).select_option("value")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"sort=value"))
    rows = page.locator("table.models tbody tr")
    per_dollar = rows.locator('td[data-label="Intelligence per $"]').all_inner_texts()
    ids = rows.locator("code.id").all_inner_texts()
    known = [int(v.replace(",", "")) for v in per_dollar if v.strip() != "—"]
    assert len(known) >= 4, list(zip(ids, per_dollar, strict=True))
    assert known == sorted(known, reverse=True)
    # Unscored (or unpriced) models come after every scored one.
    first_dash = next(
        (n for n, v in enumerate(per_dollar) if v.strip() == "—"), len(per_dollar)
    )
    assert all(v.strip() == "—" for v in per_dollar[first_dash:])
    # Haiku costs far less per request than Opus for its points.
    assert ids.index("anthropic/claude-3.5-haiku") < ids.index(
        "anthropic/claude-opus-4"
    )


SCORED_PAGES = {
    "model": "/anthropic/claude-opus-4",
    "list": "/?sort=value&preset=rag&author=anthropic",
    "compare": "/compare?models=anthropic/claude-opus-4,liquid/lfm-40b",
}


@pytest.mark.parametrize("name", list(SCORED_PAGES))
def test_scored_pages_have_no_axe_violations(scored_site: str, browser, name: str):
    """The benchmark section, columns and rows under axe-core, at a desktop's and
    a phone's size, light and dark."""
    from tests.browser.test_accessibility import RUN, SIZES
    from tests.support.typescript import installed

    axe = installed() / "node_modules" / "axe-core" / "axe.min.js"
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for theme in ("light", "dark"):
            page.emulate_media(color_scheme=theme)
            url = scored_site + SCORED_PAGES[name]
            response = goto_settled(page, url)
            assert response and response.status == 200
            page.add_script_tag(path=str(axe))
            if issues := page.evaluate(RUN):
                found[f"{size}/{theme}"] = issues
    context.close()
    assert found == {}, found
