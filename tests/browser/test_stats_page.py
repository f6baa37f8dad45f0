"""The seed page's live half in a real browser: tokens per day, uptime per provider,
latency and throughput per provider, apps — drawn, with no console errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from catalog.models import LanguageModel

pytestmark = pytest.mark.browser


def traces(page: Page, chart: str) -> list[dict]:
    """The plotly traces drawn in a chart: name and number of points."""
    return page.evaluate(
        """(chart) => {
            const plot = document.querySelector(`[data-chart="${chart}"] .js-plotly-plot`);
            return plot ? plot.data.map(t => ({name: t.name, points: t.x.length})) : null;
        }""",
        chart,
    )


def test_lfm_40b_draws_every_stats_chart(site: str, page: Page):
    """Tokens per day (30+ days), a line per provider for uptime, latency and
    throughput, and the apps list."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    providers = sorted(model.endpoints.values_list("provider__name", flat=True))
    assert providers == ["Lambda", "Liquid"]
    page.goto(f"{site}/liquid/lfm-40b")
    expect(page.locator('[data-chart="tokens"] .js-plotly-plot')).to_have_count(1)

    tokens = traces(page, "tokens")
    assert {t["name"] for t in tokens} >= {"Prompt", "Completion"}
    assert min(t["points"] for t in tokens) >= 30

    for chart in ("uptime", "latency", "throughput"):
        drawn = traces(page, chart)
        assert drawn is not None, f"no {chart} chart"
        names = " ".join(t["name"] for t in drawn)
        for provider in providers:
            assert provider in names, (chart, names)
        assert all(t["points"] >= 1 for t in drawn)

    apps = page.locator("#apps tbody tr")
    assert apps.count() >= 1
    assert "tokens" in page.inner_text("#apps").lower()
