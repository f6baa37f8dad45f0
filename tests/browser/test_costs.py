"""The cost calculator and compare-from-anywhere in headless Chromium: a workload
set on the list sorts it by cost, follows to a model page and to /compare, and is
remembered by the browser; the tray and the picker fill a comparison."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def dollars(text: str) -> Decimal:
    return Decimal(text.strip().lstrip("$").replace(",", ""))


def list_costs(page: Page) -> list[tuple[str, str]]:
    rows = page.locator("table.models tbody tr")
    ids = rows.locator("code.id").all_inner_texts()
    costs = rows.locator('td[data-label="Cost / month"]').all_inner_texts()
    return list(zip(ids, costs, strict=True))


def test_workload_sorts_the_list_and_follows_to_model_and_compare(
    site: str, page: Page
):
    page.goto(f"{site}/?author=liquid")
    # The workload is folded into a line above the list: "edit" opens it.
    page.locator("#workload > summary").click()
    page.get_by_role("link", name="Agent with tool calls").click()
    page.wait_for_url(re.compile(r"preset=agent"))
    expect(page.locator("#workload > summary")).to_contain_text("Agent with tool calls")
    page.locator("#workload > summary").click()
    page.get_by_label("Input tokens / request").fill("3000")
    page.get_by_label("Sort", exact=True).select_option("cost")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"sort=cost"))
    assert "input_tokens=3000" in page.url

    rows = list_costs(page)
    assert len(rows) == 3
    values = [dollars(cost) for _, cost in rows]
    assert values == sorted(values) and values[0] > 0
    cheapest_id, cheapest_cost = rows[0]

    # The model page prices each provider for the same workload (carried in the link).
    page.locator("table.models tbody tr").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(re.escape(cheapest_id) + r"\?.*input_tokens=3000"))
    provider_costs = page.locator(
        '#providers td[data-label="Cost / month"]'
    ).all_inner_texts()
    assert provider_costs
    assert min(dollars(c) for c in provider_costs) == dollars(cheapest_cost)
    expect(page.locator("#model-cost")).to_contain_text(cheapest_cost)

    # The browser remembers the workload: a page opened without one gets it back.
    page.goto(f"{site}/?author=liquid&sort=cost")
    page.wait_for_url(re.compile(r"input_tokens=3000"))
    assert list_costs(page) == rows

    # Three models added from the list fill the tray; compare shows their cost row.
    adds = page.locator("table.models [data-compare-add]")
    for index in range(3):
        adds.nth(index).click()
        expect(adds.nth(index)).to_have_attribute("aria-pressed", "true")
    tray = page.locator("#compare-tray")
    expect(tray).to_contain_text("Compare (3/6)")
    tray.get_by_role("link", name="Compare 3 models").click()
    page.wait_for_url(re.compile(r"/compare\?models=.*input_tokens=3000"))
    headers = page.locator("table.compare thead th[data-compared]")
    assert headers.evaluate_all("hs => hs.map(h => h.dataset.compared)") == [
        slug for slug, _ in rows
    ]
    cost_row = page.locator("table.compare tr.cost td").all_inner_texts()
    assert cost_row == [cost for _, cost in rows]
    for label in ("Uptime", "Latency", "Throughput"):
        expect(page.locator("table.compare tbody th", has_text=label)).to_have_count(1)

    # The picker adds a fourth model from a search; the comparison follows the tray.
    search = page.get_by_role("combobox", name="Add a model")
    search.fill("gpt-4o-mini")
    option = page.locator('[role="option"][data-id="openai/gpt-4o-mini"]')
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(re.compile(r"models=[^&]*openai(/|%2F)gpt-4o-mini"))
    expect(page.locator("table.compare tr.cost td")).to_have_count(4)
    expect(page.locator("#compare-tray")).to_contain_text("Compare (4/6)")
