"""Phones: wide tables scroll inside their own keyboard-focusable, named region with
the first column pinned, and a chart's toolbar never covers its legend."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import goto_settled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_wide_tables_scroll_in_a_focusable_region_first_column_pinned(
    site: str, page: Page
):
    """/rankings, a provider's page and /status on a phone: every table sits in a
    region (tabindex 0, role region, a name); one wider than the screen scrolls
    there, by the keyboard too, the page itself never sideways, and its first
    column stays put."""
    page.set_viewport_size(PHONE)
    provider = "/providers/openai"
    scrolled: set[str] = set()
    for path in ("/rankings", provider, "/status"):
        page.goto(f"{site}{path}")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), path
        for wrap in page.locator(".table-wrap").all():
            assert wrap.get_attribute("tabindex") == "0", path
            assert wrap.get_attribute("role") == "region", path
            assert wrap.get_attribute("aria-label"), path
            if not wrap.evaluate("w => w.scrollWidth > w.clientWidth + 1"):
                continue
            scrolled.add(path)
            cells = wrap.locator("tbody tr").first.locator("th:visible, td:visible")
            first, last = cells.first, cells.last
            before, last_before = first.bounding_box(), last.bounding_box()
            # The keyboard scrolls it: focused, the arrow keys move it sideways.
            wrap.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            page.wait_for_function("w => w.scrollLeft > 0", arg=wrap.element_handle())
            wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
            last_after, pinned = last.bounding_box(), first.bounding_box()
            assert before and last_before and last_after and pinned
            assert last_after["x"] < last_before["x"], path
            assert abs(pinned["x"] - before["x"]) < 1, path
    # /rankings fits a phone (its secondary columns step aside); these two scroll.
    assert scrolled == {provider, "/status"}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_chart_toolbars_never_cover_legends(site: str, page: Page, viewport):
    """Every chart of a model page with a legend: the plotly toolbar (shown on
    hover, or a tap on a phone) shares no pixel with the legend."""
    page.set_viewport_size(viewport)
    goto_settled(page, f"{site}/openai/gpt-4o")
    charts = page.locator(".js-plotly-plot")
    checked = 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        legend = chart.locator(".infolayer > g.legend")
        if not legend.count():
            continue
        chart.scroll_into_view_if_needed()
        chart.hover()
        bar = chart.locator(".modebar").bounding_box()
        box = legend.bounding_box()
        assert bar and box
        apart = (
            bar["x"] + bar["width"] <= box["x"]
            or box["x"] + box["width"] <= bar["x"]
            or bar["y"] + bar["height"] <= box["y"]
            or box["y"] + box["height"] <= bar["y"]
        )
        assert apart, (index, bar, box)
        checked += 1
    assert checked >= 2
