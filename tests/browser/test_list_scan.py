"""The list built for scanning, in headless Chromium: enough whole model rows in the
first screen on a desktop and on a phone, filters in a sidebar or a drawer, the
active ones as chips that each drop one parameter, and the workload folded into a
line; all of it works without JavaScript, the URL carrying the state."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import read_only_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# Its tests only read: the site served once for the module.
_django_db_marker, site = read_only_site()


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def rows_in_first_screen(page: Page) -> int:
    """Model rows wholly inside the viewport, the page scrolled to its top."""
    page.evaluate("window.scrollTo(0, 0)")
    height = page.viewport_size["height"] if page.viewport_size else 0
    boxes = page.locator("table.models tbody tr").evaluate_all(
        "rows => rows.map(r => { const b = r.getBoundingClientRect();"
        " return [b.top, b.bottom, b.height]; })"
    )
    return sum(
        1 for top, bottom, tall in boxes if tall and top >= 0 and bottom <= height
    )


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize(
    ("viewport", "least"), [(DESKTOP, 10), (PHONE, 3)], ids=["desktop", "phone"]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_first_screen_shows_enough_whole_rows(
    site: str, page: Page, viewport: dict[str, int], least: int, scheme: str, settings
):
    """At 1366×900 at least ten whole model rows, at 390×844 at least three, as a
    newcomer's `make run` shows the list (the demo's banner above it), then with a
    workload priced (its column and summary line shown) and two filters active."""
    settings.MODELBOARD_DEMO_UPSTREAM = True
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site}/")
    expect(page.locator("#result-count")).to_have_text("321")
    expect(page.locator(".banner.demo")).to_be_visible()
    assert rows_in_first_screen(page) >= least
    page.goto(f"{site}/?input_modality=text&paid=1&sort=cost")
    expect(page.locator(".chip")).to_have_count(2)
    assert rows_in_first_screen(page) >= least
    # The filters are a sidebar on a desktop and a closed drawer on a phone.
    sort = page.get_by_label("Sort", exact=True)
    if viewport is DESKTOP:
        expect(sort).to_be_visible()
        sidebar = page.locator("#filters").bounding_box()
        table = page.locator("table.models").bounding_box()
        assert sidebar and table and sidebar["x"] + sidebar["width"] <= table["x"]
    else:
        expect(sort).to_be_hidden()
        page.locator("#filters > summary").click()
        expect(sort).to_be_visible()


def test_chips_drop_one_filter_each(site: str, page: Page):
    """Each active filter is a chip; following one drops that parameter alone and
    keeps the sort, the other filters and the workload."""
    page.goto(
        f"{site}/?author=openai&input_modality=image&sort=price_asc&preset=rag&page=1"
    )
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_have_text(re.compile(r"Input: image"))
    author = page.get_by_role("link", name=re.compile(r"Remove filter: Author: OpenAI"))
    author.click()
    page.wait_for_url(lambda url: "author" not in url)
    kept = params(page.url)
    assert kept == {
        "input_modality": ["image"],
        "sort": ["price_asc"],
        "preset": ["rag"],
    }
    expect(page.locator(".chips .chip")).to_have_count(1)
    count = int(page.locator("#result-count").inner_text().replace(",", ""))
    assert 0 < count < 321
    page.locator(".chips .chip").click()
    page.wait_for_url(lambda url: "input_modality" not in url)
    expect(page.locator(".chips")).to_have_count(0)
    expect(page.locator("#result-count")).to_have_text("321")


def test_the_workload_is_a_line_that_opens_on_demand(site: str, page: Page):
    """The workload is one line ("Chat: 1,500 in + 400 out × 1,000/day · edit");
    opened, its fields price the list through the same URL."""
    page.goto(f"{site}/?author=liquid")
    line = page.locator("#workload > summary")
    expect(line).to_have_text("Monthly cost: no workload priced · price yours")
    page.goto(f"{site}/?author=liquid&sort=cost")
    expect(line).to_have_text(
        re.compile(r"Chat: 1,500 in \+ 400 out × 1,000/day · edit")
    )
    field = page.get_by_label("Input tokens / request")
    expect(field).to_be_hidden()
    line.click()
    field.fill("3000")
    page.get_by_role("button", name="Price this workload").click()
    page.wait_for_url(re.compile(r"input_tokens=3000"))
    asked = params(page.url)
    assert asked["author"] == ["liquid"] and asked["sort"] == ["cost"]
    expect(page.locator("#workload > summary")).to_have_text(
        re.compile(r"Custom: 3,000 in \+ 400 out × 1,000/day")
    )
    expect(page.get_by_label("Input tokens / request")).to_be_hidden()


def test_the_phone_drawer_works_without_javascript(site: str, browser: Browser):
    """No script, a phone: the drawer opens, a filter applies, a chip removes it."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/")
    page.get_by_text("Filters and sort").click()
    page.get_by_label("Author").select_option("openai")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"author=openai"))
    expect(page.locator(".chips .chip")).to_have_text(re.compile("Author: OpenAI"))
    assert rows_in_first_screen(page) >= 3
    page.locator(".chips .chip").click()
    page.wait_for_url(lambda url: "author=openai" not in url)
    expect(page.locator("#result-count")).to_have_text("321")
    context.close()
