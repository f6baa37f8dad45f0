"""Direct list prices in headless Chromium: a model page's Direct rows and the
mark on a routed price off the list price; the list's workload calculator, routed
against direct; /deprecations, from the site's menu, and its successor link."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.front.conftest import PLAIN_STATIC, upstream_settings
from tests.support import snapshots
from tests.support.direct import SUCCESSOR, successor_add

pytestmark = pytest.mark.browser


@pytest.fixture
def direct_site(live_server, demo) -> Iterator[str]:
    """The live server over the demo catalogue and LiteLLM's newest recorded map."""
    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with override_settings(**overrides):
        snapshots.load("direct")
        successor_add()
        yield live_server.url


def test_direct_rows_gaps_and_retirements(direct_site: str, page: Page):
    page.goto(f"{direct_site}/openai/o3")
    direct = page.locator("#providers tr.direct")
    expect(direct.first).to_contain_text("Direct")
    expect(direct.first).to_contain_text("OpenAI")
    expect(direct.first).to_contain_text("$2.00/M")
    gap = page.locator("#providers .price-gap")
    expect(gap).to_have_count(1)
    routed = page.locator("#providers tbody tr:has(.price-gap)")
    expect(routed).to_contain_text("$10.00/M")
    expect(routed).to_contain_text("list $2.00/M")

    page.goto(f"{direct_site}/?q=openai/o3")
    page.locator("#workload summary").click()
    page.locator("#workload input[name=input_tokens]").fill("1000000")
    page.locator("#workload input[name=output_tokens]").fill("0")
    page.locator("#workload input[name=requests_per_day]").fill("1")
    page.get_by_role("button", name="Price this workload").click()
    row = page.locator("table.models tbody tr", has_text="openai/o3").first
    expect(row.locator("td.cost")).to_contain_text("$300.00")
    expect(row.locator(".direct-cost")).to_contain_text("Direct $60.00 (OpenAI)")
    expect(row.locator(".direct-cost")).to_contain_text("$240.00 less than routed")

    page.locator(".site-nav").get_by_role("link", name="Retirements").click()
    expect(page).to_have_url(f"{direct_site}/deprecations")
    link = page.locator("a.successor", has_text=SUCCESSOR).first
    expect(link).to_be_visible()
    link.click()
    # The workload priced above rides along (the page's script keeps it).
    expect(page).to_have_url(re.compile(rf"{direct_site}/{SUCCESSOR}(\?|$)"))
    expect(page.locator("h1")).to_contain_text("GPT-6 Luna")
