"""Upstream's history backfilled on the first sync: each provider's latency and
throughput over the last three days and its listed-price changes, from the
website's model page (the demo upstream serves the same shapes, synthesised), kept
apart from the board's own samples and drawn as upstream's."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.utils import timezone

from catalog.models import Endpoint, LanguageModel, SyncRun, SyncStatus
from catalog.runs import SyncFailed
from catalog.sources.base import HttpClient
from stats import sources, syncs
from stats.models import (
    EndpointRollup,
    EndpointSample,
    ListedPriceHistory,
    PerformanceHistory,
)
from stats.selectors import UPSTREAM, listed_price_points, model_series_get

pytestmark = pytest.mark.state("few-polled")

ROOT = Path(__file__).resolve().parents[2]
RECORDED = (
    ROOT / "demo/data/frontend-stats-endpoint-deepseek-chat-v3-0324-2025-07-01.json"
)


def mocked(body: object) -> HttpClient:
    # NaN is what a hostile body may hold: sent as JSON's NaN, not refused here.
    raw = json.dumps(body).encode()
    return HttpClient(
        timeout=2,
        user_agent="test",
        transport=httpx.MockTransport(
            lambda request: httpx.Response(
                200, content=raw, headers={"content-type": "application/json"}
            )
        ),
    )


def test_the_recorded_website_endpoint_list_names_ids_and_tags():
    """The real stats/endpoint body of 2025-07-01: 17 providers, each with the id
    the history charts key on and the tag the public API names it by."""
    fetched = sources.fetch_website_endpoints(
        mocked(json.loads(RECORDED.read_text())),
        "http://x",
        "deepseek/deepseek-chat-v3-0324",
        "standard",
    )
    assert len(fetched.records) == 17 and not fetched.errors
    first = fetched.records[0]
    assert first.id == "820376cb-f110-4d56-ab52-5bd6ca269420"
    assert first.provider_slug == "deepinfra/fp4"


def test_performance_keeps_each_endpoints_standard_line_and_refuses_bad_points():
    body = {
        "data": [
            {"x": "2025-07-01 10:00:00", "y": {"a::default": 512, "a::flex": 900}},
            {"x": "2025-07-01 11:00:00", "y": {"a::default": "480.5", "b": None}},
            {"x": "2025-07-01 12:00:00", "y": {"a::default": -3}},
            {"x": "not a time", "y": {"a::default": 1}},
            {"x": "2025-07-01 13:00:00", "y": {"a::default": float("nan")}},
        ]
    }
    fetched = sources.fetch_performance(
        mocked(body), "http://x", "p", "standard", "latency"
    )
    assert len(fetched.records) == 2 and len(fetched.errors) == 3
    series = sources.performance_by_endpoint(fetched.records)
    assert [(at.hour, v) for at, v in series["a"]] == [(10, 512.0), (11, 480.5)]
    assert "b" not in series  # no value at all


def test_listed_prices_parse_change_points():
    body = {
        "data": {
            "series": [
                {
                    "endpointId": "a",
                    "providerSlug": "deepinfra/fp8",
                    "input": [{"at": "2025-03-24T13:59:15.252Z", "value": 0.3}],
                    "output": [{"at": 1742824755252, "value": "0.88"}],
                },
                {"endpointId": "b", "input": [{"at": "x", "value": 1}]},
                {"endpointId": "c", "input": [{"at": "2025-03-24", "value": -1}]},
            ]
        }
    }
    fetched = sources.fetch_listed_prices(mocked(body), "http://x", "p", "standard")
    [prices] = fetched.records
    assert [e.item for e in fetched.errors] == ["endpoint b", "endpoint c"]
    assert prices.provider_slug == "deepinfra/fp8"
    assert prices.input[0].value == Decimal("0.3")
    assert prices.output[0].at == prices.input[0].at.replace(microsecond=252000)
    assert prices.output[0].value == Decimal("0.88")


@pytest.mark.slow
def test_history_backfills_every_provider(catalogue):
    """Each listed endpoint gets three days of hourly latency and throughput and
    its price log; re-polled, nothing is added twice."""
    run = syncs.sync_history()
    assert run.status == SyncStatus.SUCCEEDED, (run.error, run.item_errors)
    endpoints = Endpoint.objects.filter(
        delisted_at__isnull=True, model__delisted_at__isnull=True
    )
    assert endpoints.count() >= 5
    for endpoint in endpoints:
        hours = PerformanceHistory.objects.filter(endpoint=endpoint)
        assert 60 <= hours.count() <= 72, endpoint.key
        assert hours.filter(latency_p50__isnull=False).exists()
        assert hours.filter(throughput_p50__isnull=False).exists()
        log = list(ListedPriceHistory.objects.filter(endpoint=endpoint).order_by("at"))
        assert log, endpoint.key
        # The log ends at the price the endpoints API lists now.
        assert (log[-1].prompt, log[-1].completion) == (
            endpoint.price_prompt,
            endpoint.price_completion,
        )
    rows = (PerformanceHistory.objects.count(), ListedPriceHistory.objects.count())
    own = (EndpointSample.objects.count(), EndpointRollup.objects.count())
    syncs.sync_history()
    assert (
        PerformanceHistory.objects.count(),
        ListedPriceHistory.objects.count(),
    ) == rows
    # Kept apart: the board's own samples and rollups are not touched.
    assert (EndpointSample.objects.count(), EndpointRollup.objects.count()) == own


def test_history_finds_endpoints_by_tag_when_the_api_gave_no_id(catalogue):
    """The public endpoints API of 2025 has no endpoint id: the website's list
    names each id's tag."""
    Endpoint.objects.update(upstream_id="")
    assert syncs.sync_history().status == SyncStatus.SUCCEEDED
    with_history = set(PerformanceHistory.objects.values_list("endpoint_id", flat=True))
    assert with_history == set(
        Endpoint.objects.filter(
            delisted_at__isnull=True, model__delisted_at__isnull=True
        ).values_list("pk", flat=True)
    )


def test_a_part_that_fails_is_reported_and_the_rest_stored(catalogue, mock_upstream):
    mock_upstream.inject("500", path="/api/frontend/v1/stats/listed-pricing", times=100)
    run = syncs.sync_history()
    assert run.status == SyncStatus.SUCCEEDED
    assert any(e["item"].endswith(" prices") for e in run.item_errors)
    assert PerformanceHistory.objects.exists()
    assert not ListedPriceHistory.objects.exists()


def test_every_part_failing_fails_the_run_with_its_reason(catalogue, mock_upstream):
    mock_upstream.inject("503", path="/api/frontend/", times=10_000)
    with pytest.raises(SyncFailed):
        syncs.sync_history()
    run = SyncRun.objects.filter(kind="stats-history").first()
    assert run.status == SyncStatus.FAILED
    assert "503" in run.error
    assert not PerformanceHistory.objects.exists()


def test_switched_off_with_the_website_source(catalogue, settings):
    settings.STATS_WEBSITE_ENABLED = False
    assert syncs.sync_history().status == SyncStatus.SKIPPED


def test_the_charts_read_upstreams_history_as_its_own_lines(catalogue):
    """One line per provider and metric named as upstream's, beside the board's
    own; the price log as its own series."""
    syncs.sync_history()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    endpoints = list(model.endpoints.select_related("provider"))
    series = model_series_get(model, endpoints)
    names = {f"Lambda ({UPSTREAM})", f"Liquid ({UPSTREAM})"}
    upstream = [s for s in series.latency if s.name in names]
    assert {s.name for s in upstream} == names
    assert {s.name for s in series.latency} - names <= {"Lambda", "Liquid"}
    assert names <= {s.name for s in series.throughput}
    assert all(len(s.points) >= 60 for s in upstream)
    points = listed_price_points(endpoints, timezone.now())
    assert {p.series for p in points} == names
    assert all(not p.current for p in points)
    assert max(p.at for p in points) - min(p.at for p in points) > timedelta(days=1)
