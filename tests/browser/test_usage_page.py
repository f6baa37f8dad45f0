"""Your account's usage on the demo with a demo key, in a real browser: the
activity polled over HTTP from the demo upstream, /usage drawn, and its charts'
and totals' numbers checked against what the demo upstream serves."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import httpx
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from catalog.models import LanguageModel
from demo.server import DemoUpstream
from stats import syncs as stats_syncs

pytestmark = pytest.mark.browser

DEMO_KEY = "demo"


@pytest.fixture
def served(site: str, demo: DemoUpstream, settings) -> list[dict]:
    """The board started with the demo key: its datasets poll has stored the
    account's activity; returns the rows the demo upstream serves for that key."""
    settings.OPENROUTER_API_KEY = DEMO_KEY
    settings.STATS_DATASETS_ENABLED = True
    settings.USAGE_PUBLIC = False
    run = stats_syncs.sync_datasets()
    assert run.status == "succeeded", (run.status, run.error, run.item_errors)
    answer = httpx.get(
        f"{demo.base_url}/activity",
        headers={"Authorization": f"Bearer {DEMO_KEY}"},
        timeout=10,
    )
    answer.raise_for_status()
    rows = answer.json()["data"]
    assert len({r["model"] for r in rows}) >= 3 and len({r["date"] for r in rows}) == 30
    return rows


def sign_in(page: Page, site: str) -> None:
    """Open /usage as a visitor: the admin login, then the page as staff."""
    User.objects.create_user("sam", password="s3cret-pass", is_staff=True)
    page.goto(f"{site}/usage")
    assert "/admin/login/" in page.url and "next=/usage" in page.url
    page.fill("#id_username", "sam")
    page.fill("#id_password", "s3cret-pass")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/usage"), page.url


def drawn(page: Page, chart: str) -> list[dict]:
    """The traces plotly drew in a chart: name, days and values."""
    locator = page.locator(f'[data-chart="{chart}"] .js-plotly-plot')
    expect(locator).to_have_count(1)
    return locator.evaluate("p => p.data.map(t => ({name: t.name, x: t.x, y: t.y}))")


def total(page: Page, name: str) -> Decimal:
    value = page.locator(f'[data-usage-total="{name}"]').get_attribute("data-value")
    return Decimal(value or "NaN")


def expected(rows: list[dict]) -> dict:
    """Totals of served rows, worked out here from the upstream's own JSON."""
    names = dict(LanguageModel.objects.values_list("slug", "name"))
    tokens: dict[str, int] = defaultdict(int)
    for r in rows:
        tokens[names.get(r["model"], r["model"])] += (
            r["prompt_tokens"] + r["completion_tokens"]
        )
    return {
        # /activity sends USD as JSON numbers; the board keeps 10 decimals.
        "usd": sum(
            (Decimal(str(r["usage"])).quantize(Decimal("1e-10")) for r in rows),
            Decimal(0),
        ),
        "tokens": sum(r["prompt_tokens"] + r["completion_tokens"] for r in rows),
        "requests": sum(r["requests"] for r in rows),
        "models": len({r["model"] for r in rows}),
        "by_model": dict(tokens),
    }


def check_page_against(page: Page, rows: list[dict]) -> None:
    want = expected(rows)
    assert total(page, "usd") == want["usd"]
    assert total(page, "tokens") == want["tokens"]
    assert total(page, "requests") == want["requests"]
    assert total(page, "models") == want["models"]
    tokens = drawn(page, "usage-tokens")
    assert {t["name"]: sum(t["y"]) for t in tokens} == want["by_model"]
    # Spend is drawn to 4 significant digits a bar (what its hover shows).
    spend = drawn(page, "usage-spend")
    bars = sum(sum(t["y"]) for t in spend)
    assert abs(Decimal(str(bars)) - want["usd"]) <= want["usd"] * Decimal("0.0005")
    days = sorted({r["date"] for r in rows})
    assert all(t["x"][0] == days[0] and t["x"][-1] == days[-1] for t in spend)


def test_usage_totals_match_the_served_activity(site: str, served, page: Page):
    """Staff open /usage (30 days by default): every total, each model's tokens
    and the spend bars add up to the demo upstream's /activity; a narrower range
    and the CSV export too."""
    sign_in(page, site)
    expect(page.locator("h1")).to_have_text("Your account's usage")
    expect(page.locator(".site-nav")).to_contain_text("Your usage")
    check_page_against(page, served)

    days = sorted({r["date"] for r in served})
    start, end = days[10], days[16]
    page.fill("#usage-start", start)
    page.fill("#usage-end", end)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert f"start={start}" in page.url
    week = [r for r in served if start <= r["date"] <= end]
    check_page_against(page, week)

    href = page.locator("#usage-csv").get_attribute("href")
    export = page.request.get(f"{site}{href}")
    assert export.ok and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text())))
    assert len(rows) == len(week)
    assert sum(Decimal(r["spend_usd"]) for r in rows) == expected(week)["usd"]
    assert {r["date"] for r in rows} == {r["date"] for r in week}
    assert date.fromisoformat(start) <= date.fromisoformat(rows[0]["date"])
