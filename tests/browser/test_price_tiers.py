"""Price tiers in headless Chromium, on the 2026 pricing recording: a tiered
model's page shows its tiers and service tiers; a 300,000-token prompt sorts the
list by the tiered cost; the model page, compare and /api/v1/cost agree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from catalog.models import LanguageModel
from catalog.pricing.costs import Workload, cost_of
from tests.browser.test_costs import dollars, list_costs
from tests.front.conftest import PLAIN_STATIC, upstream_settings
from tests.support import snapshots

pytestmark = pytest.mark.browser

LONG = "input_tokens=300000&output_tokens=1000&requests_per_day=10"
WORKLOAD = Workload(
    input_tokens=300_000, output_tokens=1000, requests_per_day=Decimal(10)
)


@pytest.fixture
def tiered_site(live_server, demo) -> Iterator[str]:
    """The live server over the 2026 pricing recording."""
    overrides = upstream_settings(demo) | {"STORAGES": PLAIN_STATIC}
    with override_settings(**overrides):
        snapshots.load("tiered")
        yield live_server.url


def test_a_tiered_models_page_shows_its_tiers_and_service_tiers(
    tiered_site: str, page: Page
):
    page.goto(f"{tiered_site}/google/gemini-2.5-pro")
    expect(page.locator("#model-tiers")).to_contain_text(
        "prompts over 200,000 tokens: $2.50/M in, $15.00/M out, $0.25/M cache read"
    )
    providers = page.locator("#providers table tbody")
    expect(providers).to_contain_text(
        "prompts over 200,000 tokens: $1.25/M in, $7.50/M out, $0.25/M cache read"
    )
    badges = providers.locator(".badge.service-tier").all_inner_texts()
    assert sorted(badges) == ["flex", "priority"]


def test_a_long_prompt_sorts_the_list_by_the_tiered_cost(tiered_site: str, page: Page):
    # The models that take such prompts: a million tokens of context.
    page.goto(f"{tiered_site}/?sort=cost&min_context=1000000&{LONG}")
    rows = list_costs(page)
    ids = [model_id for model_id, _ in rows]
    listed = LanguageModel.objects.filter(slug__in=ids)
    expected = sorted(
        (m for m in listed if cost_of(m, WORKLOAD).total is not None),
        key=lambda m: (cost_of(m, WORKLOAD).total, m.slug),
    )
    # A workload that costs nothing reads "free".
    priced = [i for i, cost in rows if cost.startswith("$") or cost == "free"]
    assert priced == [m.slug for m in expected]
    # At the base prices Gemini 2.5 Pro ($1.25/M in) is cheaper than GPT-4.1
    # ($2/M); above 200,000 prompt tokens its tier ($2.50/M) is not.
    assert ids.index("openai/gpt-4.1") < ids.index("google/gemini-2.5-pro")
    shown = dict(rows)
    assert dollars(shown["google/gemini-2.5-pro"]) == Decimal("229.50")


def test_the_model_page_compare_and_the_api_show_one_figure(
    tiered_site: str, page: Page
):
    page.goto(f"{tiered_site}/google/gemini-2.5-pro?{LONG}")
    on_page = page.locator("#model-cost strong").inner_text()
    page.goto(
        f"{tiered_site}/compare?models=google/gemini-2.5-pro,openai/gpt-4.1&{LONG}"
    )
    cell = page.locator("tr.cost td").first.inner_text()
    api = httpx.get(
        f"{tiered_site}/api/v1/cost?model=google/gemini-2.5-pro&{LONG}", timeout=10
    ).json()["model"]["usd_per_month"]
    assert dollars(on_page) == dollars(cell) == Decimal(api) == Decimal("229.5")
