"""The public pages in headless Chromium: they render, charts draw, controls work,
and no page logs a console error (the `page` fixture fails the test if one does)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import read_only_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# Its tests only read: the site served once for the module.
_django_db_marker, site = read_only_site()


def column(page: Page, index: int) -> list[str]:
    return page.locator(f"#providers tbody tr td:nth-child({index})").all_inner_texts()


def test_model_page(site: str, page: Page):
    """Every section, copy id, sample-code tabs + copy, sortable providers, charts."""
    page.goto(f"{site}/openai/gpt-4o")
    expect(page.locator("h1")).to_have_text("OpenAI: GPT-4o")
    for section in (
        "providers",
        "apps",
        "activity",
        "uptime",
        "price-history",
        "sample-code",
    ):
        expect(page.locator(f"#{section}")).to_be_visible()
    # Charts drawn by plotly (loaded once, deferred).
    # A fresh install has seconds of prices: today's prices, and the table, until a
    # day of history makes a chart.
    expect(page.locator('[data-building="price"]')).to_contain_text("$2.50/M in")
    expect(page.locator('[data-chart="tokens"] .js-plotly-plot')).to_have_count(1)
    assert page.locator("script[src*='plotly']").count() == 1

    page.get_by_role("button", name="Copy model id").click()
    assert page.evaluate("navigator.clipboard.readText()") == "openai/gpt-4o"

    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(page.locator("#panel-python")).to_be_visible()
    expect(page.locator("#panel-curl")).to_be_hidden()
    page.get_by_role("tab", name="curl").click()
    expect(page.locator("#panel-curl")).to_be_visible()
    expect(page.locator("#panel-python")).to_be_hidden()
    # Arrow keys move between tabs (WAI-ARIA tabs pattern).
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="TypeScript")).to_be_focused()
    expect(page.locator("#panel-typescript")).to_be_visible()
    page.get_by_role("button", name="Copy TypeScript sample").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert 'model: "openai/gpt-4o"' in copied and "import OpenAI" in copied


def test_providers_table_sorts_by_keyboard(site: str, page: Page):
    """Header buttons sort by price, throughput, latency; aria-sort follows."""
    page.goto(f"{site}/liquid/lfm-40b")
    rows = page.locator("#providers tbody tr")
    assert rows.count() >= 2
    throughput = page.locator(
        "#providers th", has=page.locator("button[data-sort-key=throughput]")
    )
    throughput.locator("button").focus()
    page.keyboard.press("Enter")
    expect(throughput).to_have_attribute("aria-sort", "descending")
    values = [
        float(v)
        for v in rows.evaluate_all("rs => rs.map(r => r.dataset.throughput)")
        if v
    ]
    assert values == sorted(values, reverse=True)
    page.keyboard.press("Space")
    expect(throughput).to_have_attribute("aria-sort", "ascending")
    values = [
        float(v)
        for v in rows.evaluate_all("rs => rs.map(r => r.dataset.throughput)")
        if v
    ]
    assert values == sorted(values)
    price = page.locator(
        "#providers th", has=page.locator("button[data-sort-key=price]")
    )
    expect(price).to_have_attribute("aria-sort", "none")
    expect(page.locator("#providers .badge.cheapest").first).to_be_visible()


def test_catalogue_filters_and_sorts(site: str, page: Page):
    """The GET form filters and sorts; the URL carries the state; export links follow."""
    page.goto(f"{site}/")
    expect(page.locator("#result-count")).to_have_text("321")
    page.get_by_label("Input", exact=True).select_option("image")
    page.get_by_label("Supports").fill("tools")
    page.get_by_label("Max input $/M").fill("1")
    page.get_by_label("Sort", exact=True).select_option("price_asc")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"input_modality=image"))
    assert "sort=price_asc" in page.url and "parameter=tools" in page.url
    count = int(page.locator("#result-count").inner_text())
    assert 0 < count < 321
    prices = [
        float(t.strip("$/M"))
        for t in page.locator(
            "table.models tbody td[data-label=Input]"
        ).all_inner_texts()
    ]
    assert prices == sorted(prices) and max(prices) <= 1
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", re.compile(r"input_modality=image.*format=csv")
    )
    # Free only, then nothing matches: the page says what to widen.
    page.get_by_label("free only").check()
    page.get_by_label("Author").select_option("openai")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".empty")).to_contain_text("remove or loosen a filter")


def test_bad_query_shows_the_message(site: str, browser: Browser):
    """A malformed query is a 400 page that names the field (no console errors but
    the 400 itself, which Chromium logs as a failed resource)."""
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{site}/?min_context=abc")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("min_context")
    context.close()


def test_compare_and_provider_pages(site: str, page: Page):
    """Compare draws both overlays; a provider page lists what it serves."""
    page.goto(f"{site}/compare?models=liquid/lfm-40b,openai/gpt-4o")
    expect(page.locator("table.compare thead th")).to_have_count(3)
    expect(page.locator('[data-chart="compare-tokens"] .js-plotly-plot')).to_have_count(
        1
    )
    expect(page.locator("table.compare")).to_contain_text("Cheapest provider")
    page.locator("table.compare").get_by_role("link", name="OpenAI: GPT-4o").click()
    expect(page.locator("h1")).to_have_text("OpenAI: GPT-4o")
    page.locator("#providers tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/providers/"))
    expect(page.locator("#served tbody tr").first).to_be_visible()
    expect(page.locator("#served")).to_contain_text("openai/gpt-4o")


def test_dark_mode_follows_the_system(site: str, browser: Browser):
    """prefers-color-scheme: dark gives a dark background and light text."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/liquid/lfm-40b")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert max(channels) < 60, background
    color = page.evaluate("getComputedStyle(document.body).color")
    assert min(int(c) for c in re.findall(r"\d+", color)[:3]) > 180, color
    context.close()
    assert errors == []


def test_pages_fit_a_phone(site: str, browser: Browser):
    """At 390 px wide no page scrolls sideways (wide tables scroll inside their box)."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for path in ("/", "/liquid/lfm-40b", "/providers/lambda"):
        page.goto(f"{site}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    context.close()


def _scripts_loaded(page: Page, url: str) -> list[str]:
    loaded: list[str] = []
    page.on(
        "request",
        lambda r: loaded.append(r.url) if r.resource_type == "script" else None,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return loaded


def test_plotly_loads_once_and_only_where_charts_are_drawn(site: str, page: Page):
    """The model page fetches plotly.js exactly once and every chart draws with it;
    the list, which draws none, fetches none."""
    loaded = _scripts_loaded(page, f"{site}/liquid/lfm-40b")
    assert sum("plotly" in url for url in loaded) == 1
    charts = page.locator(".chart .plotly-graph-div")
    assert charts.count() >= 2  # tokens and uptime; the others wait for history
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".main-svg").first).to_be_attached()
    assert not any("plotly" in url for url in _scripts_loaded(page, f"{site}/"))
