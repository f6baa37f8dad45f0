"""The model page's stats sections: content, sources, and a constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import SyncRun, SyncStatus
from catalog.versions import data_version
from stats import ingest, selectors
from stats.models import (
    App,
    AppUsage,
    EndpointRollup,
    EndpointSample,
    ListedPriceHistory,
    PerformanceHistory,
    TokenUsageDaily,
    UptimeHistory,
)
from tests.support.factories import make_endpoint, make_model

pytestmark = pytest.mark.django_db


def populate(providers: int, days: int, slug: str = "acme/big"):
    """A model with `providers` endpoints, each with samples, rollups and history."""
    now = timezone.now()
    model = make_model(slug)
    samples, rollups, history, usage, upstream = [], [], [], [], []
    for i in range(providers):
        e = make_endpoint(model, f"host{i}")
        for n in range(3):
            samples.append(EndpointSample(endpoint=e, window_start=now - timedelta(minutes=5 * n),
                                          polled_at=now, latency_p50=300 + i, uptime_1d=99.0))  # fmt: skip
        for h in range(24):
            rollups.append(EndpointRollup(endpoint=e, period="hour", start=now - timedelta(hours=h),
                                          uptime_avg=99.0, latency_p50_avg=300, throughput_p50_avg=50))  # fmt: skip
        for d in range(4, 30):
            rollups.append(EndpointRollup(endpoint=e, period="day", start=now - timedelta(days=d),
                                          uptime_avg=98.0))  # fmt: skip
        history += [UptimeHistory(model=model, endpoint=e, series=e.key, source="t",
                                  hour=now - timedelta(hours=h), uptime=99.0) for h in range(72)]  # fmt: skip
        upstream.append((e, now))
    history += [UptimeHistory(model=model, series="", hour=now - timedelta(hours=h),
                              uptime=99.5, source="t") for h in range(72)]  # fmt: skip
    usage = [TokenUsageDaily(model=model, date=now.date() - timedelta(days=d), source="website",
                             prompt=100, completion=20, reasoning=5, total=120, requests=3)
             for d in range(1, days + 1)]  # fmt: skip
    EndpointSample.objects.bulk_create(samples)
    EndpointRollup.objects.bulk_create(rollups)
    UptimeHistory.objects.bulk_create(history)
    TokenUsageDaily.objects.bulk_create(usage)
    upstream_history(upstream)
    for rank in range(1, 6):
        app, _ = App.objects.get_or_create(upstream_id=str(rank), defaults={
            "title": f"App <{rank}>", "main_url": "https://example.com", "updated_at": now,
        })  # fmt: skip
        AppUsage.objects.create(app=app, model=model, rank=rank, tokens=10**6,
                                period_start=ingest.week_start(now.date()))  # fmt: skip
    for kind in ("stats-activity", "stats-apps", "stats-uptime", "endpoints"):
        SyncRun.objects.create(kind=kind, status=SyncStatus.SUCCEEDED, started_at=now,
                               finished_at=now)  # fmt: skip
    return model


def upstream_history(endpoints) -> None:
    """72 hours of upstream's latency and throughput and a price log per endpoint."""
    PerformanceHistory.objects.bulk_create(
        PerformanceHistory(endpoint=e, hour=(now - timedelta(hours=h)).replace(minute=0),
                           latency_p50=400 + h, throughput_p50=40 + h)
        for e, now in endpoints for h in range(72)
    )  # fmt: skip
    ListedPriceHistory.objects.bulk_create(
        ListedPriceHistory(endpoint=e, at=now - timedelta(days=d), prompt=d, completion=2 * d)
        for e, now in endpoints for d in (90, 30)
    )  # fmt: skip


def page_queries(client, model) -> tuple[int, str]:
    url = reverse("model-detail", args=model.slug.split("/"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.slow
def test_query_count_is_the_same_for_2_and_20_providers(client):
    data_version()  # read once, then cached: not a per-page query
    small, _ = page_queries(client, populate(providers=2, days=10))
    SyncRun.objects.all().delete()
    big, html = page_queries(client, populate(providers=20, days=365, slug="acme/huge"))
    assert small == big
    # Tokens, uptime, latency and throughput, and upstream's price history.
    assert html.count('class="plot plotly-graph-div"') == 5


def test_selector_queries_are_constant(django_assert_num_queries):
    model = populate(providers=20, days=365)
    endpoints = list(model.endpoints.select_related("provider"))
    # What the model page reads of stats: its series, its apps, upstream's prices.
    with django_assert_num_queries(6):
        series = selectors.model_series_get(model, endpoints)
        selectors.model_apps_get(model)
        prices = selectors.listed_price_points(endpoints)
    assert len(series.token_days) == 90
    assert len(series.uptime) == 21  # "All providers" + one line each
    assert series.uptime_overall == 99.5
    # Each provider's own line and upstream's.
    assert len(series.latency) == len(series.throughput) == 40
    assert len({p.series for p in prices}) == 20


def test_sections_say_where_numbers_come_from(client):
    _, html = page_queries(client, populate(providers=2, days=10))
    for heading in (
        "Apps using",
        "Recent activity",
        "Uptime stats",
        "Latency &amp; throughput",
    ):
        assert heading in html
    assert html.count("Source:") == 4
    assert "App &lt;1&gt;" in html  # upstream text is escaped
    assert html.count("vendor/plotly-basic.min.js") == 1


def test_a_model_without_stats_says_no_data_yet(client):
    model = make_model("acme/new")
    _, html = page_queries(client, model)
    html = html[html.index('<section id="apps"') :]
    html = html[: html.index("</section>", html.index('<section id="performance"'))]
    assert html.count("No data yet") == 5
    assert "Not polled yet" in html


def test_latest_sample_per_endpoint():
    model = populate(providers=3, days=1)
    ids = list(model.endpoints.values_list("pk", flat=True))
    latest = selectors.endpoint_latest_samples(ids)
    newest = EndpointSample.objects.order_by("-window_start").first().window_start
    assert set(latest) == set(ids)
    assert {s.window_start for s in latest.values()} == {newest}


def test_the_shipped_plotly_bundle_is_the_recorded_one():
    """static/vendor holds the basic bundle recorded in plotly-basic.json, at the
    plotly.js version the plotly package embeds, its licence beside it."""
    from front.management.commands import vendor_plotly

    assert vendor_plotly.problems() == []
    call_command("vendor_plotly", "--check")


def test_a_tampered_plotly_bundle_is_refused(tmp_path, monkeypatch):
    from front.management.commands import vendor_plotly

    for path in vendor_plotly.VENDOR.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    bundle = tmp_path / "plotly-basic.min.js"
    bundle.write_bytes(bundle.read_bytes() + b"\nalert(1)")
    monkeypatch.setattr(vendor_plotly, "VENDOR", tmp_path)
    assert any("sha256" in p for p in vendor_plotly.problems())
    with pytest.raises(CommandError, match="sha256"):
        call_command("vendor_plotly", "--check")


def test_upstreams_history_draws_the_charts_named_as_upstreams(client):
    """A fresh board with upstream's history only: latency, throughput and price
    charts are drawn at once, each of upstream's lines named so."""
    model = make_model("acme/fresh")
    endpoint = make_endpoint(model, "host0")
    upstream_history([(endpoint, timezone.now())])
    _, html = page_queries(client, model)
    for chart in ("latency", "throughput", "price-history"):
        assert f'data-chart="{chart}"' in html, chart
    assert "(from upstream&#x27;s history)" in html


def test_a_chart_without_history_says_when_it_will_draw(client):
    """No history upstream nor here: the section says when the chart draws, from
    the next poll, in plain words."""
    model = make_model("acme/new")
    make_endpoint(model, "host0")
    now = timezone.now()
    SyncRun.objects.create(kind="endpoints", status=SyncStatus.SUCCEEDED,
                           started_at=now, finished_at=now, every_seconds=1800)  # fmt: skip
    _, html = page_queries(client, model)
    building = html.split('data-building="latency"', 1)[1].split("</div>", 1)[0]
    # The next poll in half an hour, then 3 hours of its samples.
    assert "this chart draws about 3 hours from now" in building, building
