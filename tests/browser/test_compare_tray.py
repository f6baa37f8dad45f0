"""The compare tray in headless Chromium: not drawn while empty, folded to a chip
and back (remembered by the browser), and on /compare in the page's flow, never
over the comparison table, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def overlaps(page: Page, one: str, other: str) -> bool:
    """Whether two elements' boxes share any pixel (scroll-independent)."""
    a = page.locator(one).bounding_box()
    b = page.locator(other).bounding_box()
    assert a and b
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_an_empty_tray_is_not_drawn(site: str, page: Page):
    page.goto(f"{site}/")
    tray = page.locator("#compare-tray")
    expect(tray).to_be_hidden()
    assert tray.bounding_box() is None
    assert tray.evaluate("t => getComputedStyle(t).display") == "none"


def test_the_tray_folds_to_a_chip_and_back(site: str, page: Page):
    """Minimised, the tray is one small chip; the browser remembers it across
    pages; the chip opens it again."""
    page.goto(f"{site}/?author=liquid")
    adds = page.locator("table.models [data-compare-add]")
    adds.nth(0).click()
    adds.nth(1).click()
    tray = page.locator("#compare-tray")
    expect(tray).to_contain_text("Compare (2/6)")
    full = tray.bounding_box()
    page.get_by_role("button", name="Minimise the compare tray").click()
    chip = page.get_by_role("button", name="Compare (2): show the tray of 2 models")
    expect(chip).to_be_focused()
    expect(tray.locator("li")).to_have_count(0)
    small = tray.bounding_box()
    assert full and small and small["height"] < full["height"] / 2
    assert small["width"] < full["width"]
    page.goto(f"{site}/providers")
    expect(chip).to_be_visible()
    expect(chip).to_have_text("Compare (2)")
    chip.click()
    expect(tray).to_contain_text("Compare (2/6)")
    expect(page.get_by_role("button", name="Minimise the compare tray")).to_be_focused()
    page.reload()
    expect(tray.get_by_role("link", name="Compare 2 models")).to_be_visible()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_on_compare_the_tray_is_never_over_the_table(
    site: str, page: Page, phone: bool
):
    """On /compare the tray is part of the page, above the table: at the top of
    the page and scrolled to the table's end, nothing of the table is under it;
    a tray folded elsewhere is open here (it is the page's list)."""
    if phone:
        page.set_viewport_size(PHONE)
    page.goto(f"{site}/?author=liquid")
    adds = page.locator("table.models [data-compare-add]")
    for index in range(3):
        adds.nth(index).click()
    page.get_by_role("button", name="Minimise the compare tray").click()
    page.goto(f"{site}/compare?models=liquid/lfm-40b,openai/gpt-4o,liquid/lfm-7b")
    tray = page.locator("#compare-tray")
    expect(tray).to_contain_text("Compare (3/6)")
    assert tray.evaluate("t => getComputedStyle(t).position") != "fixed"
    assert not overlaps(page, "#compare-tray", "table.compare")
    page.locator("table.compare tbody tr").last.scroll_into_view_if_needed()
    assert not overlaps(page, "#compare-tray", "table.compare")
    # The tray still edits the comparison: removing a model reloads without it.
    tray.get_by_role("button", name=re.compile(r"Remove .*LFM 7B")).click()
    page.wait_for_url(re.compile(r"models=liquid(/|%2F)lfm-40b,openai(/|%2F)gpt-4o$"))
    expect(page.locator("table.compare thead th[data-compared]")).to_have_count(2)
