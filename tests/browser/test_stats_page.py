"""The seed page's live half in a real browser: tokens per day, uptime per provider,
latency and throughput per provider, apps — drawn, with no console errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
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
    """Tokens per day (30+ days) and uptime per provider from the first sync;
    latency and throughput show each provider's current value until hours of
    samples exist, then a line per provider; and the apps list."""
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    providers = sorted(model.endpoints.values_list("provider__name", flat=True))
    assert providers == ["Lambda", "Liquid"]
    page.goto(f"{site}/liquid/lfm-40b")
    expect(page.locator('[data-chart="tokens"] .js-plotly-plot')).to_have_count(1)

    tokens = traces(page, "tokens")
    assert {t["name"] for t in tokens} >= {"Prompt", "Completion"}
    assert min(t["points"] for t in tokens) >= 30
    names = " ".join(t["name"] for t in traces(page, "uptime"))
    assert all(provider in names for provider in providers), names

    for chart in ("latency", "throughput"):
        assert traces(page, chart) is None  # one sample is not a history
        waiting = page.locator(f'[data-building="{chart}"]')
        for provider in providers:
            expect(waiting).to_contain_text(provider)
        expect(waiting).to_contain_text("history builds up as the board polls")

    _hours_of_samples(model, hours=6)
    # A public page is fresh in the browser for a minute: a reload revalidates it.
    page.reload()
    for chart in ("latency", "throughput"):
        drawn = traces(page, chart)
        assert drawn is not None, f"no {chart} chart"
        names = " ".join(t["name"] for t in drawn)
        for provider in providers:
            assert provider in names, (chart, names)
        assert all(t["points"] >= 4 for t in drawn)

    apps = page.locator("#apps tbody tr")
    assert apps.count() >= 1
    assert "tokens" in page.inner_text("#apps").lower()


def _hours_of_samples(model: LanguageModel, hours: int) -> None:
    """Earlier polls of the model's endpoints, one an hour, rolled up."""
    from stats import ingest
    from stats.models import EndpointSample, Period

    latest = list(EndpointSample.objects.filter(endpoint__model=model))
    for _ in range(hours):
        for sample in latest:
            sample.pk = None
            sample.window_start -= timedelta(hours=1)
            sample.polled_at -= timedelta(hours=1)
            sample.save()
    since = timezone.now() - timedelta(hours=hours + 1)
    ingest.rollup_build(Period.HOUR, since)
