"""Idempotent stats writes, rollups and retention (no HTTP)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog.sources.openrouter import EndpointRecord
from stats import housekeeping, ingest
from stats.models import (
    AppUsage,
    EndpointRollup,
    EndpointSample,
    TokenUsageDaily,
)
from stats.sources import ActivityDay, AppInfo, TopApp
from tests.support.factories import T0, make_endpoint, make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def record(tag: str, uptime: float = 99.0, latency: float = 400) -> EndpointRecord:
    return EndpointRecord.model_validate({
        "provider_name": tag.title(), "tag": tag, "pricing": {}, "status": 0,
        "uptime_last_5m": uptime, "uptime_last_30m": uptime, "uptime_last_1d": 99.9,
        "latency_last_30m": {"p50": latency, "p75": 500, "p90": 600, "p99": 900},
        "throughput_last_30m": {"p50": 50.5, "p75": 40, "p90": 30, "p99": 10},
    })  # fmt: skip


@pytest.fixture
def lfm():
    model = make_model()
    make_endpoint(model, "liquid")
    make_endpoint(model, "lambda")
    return model


def test_same_window_polled_twice_stores_one_sample(lfm):
    fetched = {lfm.slug: [record("liquid"), record("lambda")]}
    ingest.samples_upsert(fetched, T0)
    ingest.samples_upsert(fetched, T0 + timedelta(minutes=4))
    assert EndpointSample.objects.count() == 2
    ingest.samples_upsert(fetched, T0 + timedelta(minutes=5))
    assert EndpointSample.objects.count() == 4


def test_resampled_window_keeps_the_latest_values(lfm):
    ingest.samples_upsert({lfm.slug: [record("liquid", latency=400)]}, T0)
    ingest.samples_upsert({lfm.slug: [record("liquid", latency=700)]}, T0)
    sample = EndpointSample.objects.get()
    assert sample.latency_p50 == 700 and sample.window_start == T0
    assert sample.throughput_p99 == 10


def test_samples_skip_endpoints_the_catalogue_does_not_know(lfm):
    ids = ingest.samples_upsert(
        {lfm.slug: [record("nobody")], "x/y": [record("z")]}, T0
    )
    assert ids == [] and not EndpointSample.objects.exists()


def test_token_days_reingested_are_not_duplicated(lfm):
    days = [ActivityDay(date=date(2026, 7, d), total_prompt_tokens=10 * d,
                        total_completion_tokens=d, count=1) for d in range(1, 11)]  # fmt: skip
    ingest.token_usage_upsert(lfm, days)
    ingest.token_usage_upsert(lfm, days)
    assert TokenUsageDaily.objects.count() == 10
    assert TokenUsageDaily.objects.get(date=date(2026, 7, 3)).total == 33


def top(rank: int, app_id: str, tokens: int) -> TopApp:
    return TopApp(rank=rank, total_tokens=str(tokens),
                  app=AppInfo(id=app_id, title=f"App {app_id}"))  # fmt: skip


def test_app_ranking_of_a_week_is_replaced_not_appended(lfm):
    ingest.app_usage_replace(lfm, [top(1, "a", 100), top(2, "b", 50)], T0)
    ingest.app_usage_replace(lfm, [top(1, "b", 120), top(2, "c", 60)], T0)
    ranks = dict(AppUsage.objects.values_list("app__upstream_id", "rank"))
    assert ranks == {"b": 1, "c": 2}
    ingest.app_usage_replace(lfm, [top(1, "a", 1)], T0 + timedelta(days=7))
    assert AppUsage.objects.count() == 3  # last week's ranking is history


def test_rollups_average_samples_per_hour_and_day(lfm):
    for minutes, uptime in ((0, 100.0), (5, 90.0), (65, 50.0)):
        ingest.samples_upsert({lfm.slug: [record("liquid", uptime)]},
                              T0 + timedelta(minutes=minutes))  # fmt: skip
    ingest.rollup_build("hour", T0)
    ingest.rollup_build("hour", T0)  # rebuilding writes the same rows
    hours = EndpointRollup.objects.filter(period="hour").order_by("start")
    assert [(h.samples, h.uptime_avg) for h in hours] == [(2, 95.0), (1, 50.0)]
    ingest.rollup_build("day", T0)
    day = EndpointRollup.objects.get(period="day")
    assert day.samples == 3 and day.uptime_min == 50.0
    assert day.start == T0.replace(hour=0)


def test_prune_keeps_rollups_and_recent_samples(lfm, settings):
    settings.STATS_RAW_RETENTION_DAYS = 14
    for days in (30, 20, 1):
        ingest.samples_upsert({lfm.slug: [record("liquid")]}, T0 - timedelta(days=days))
    assert housekeeping.stats_prune(now=T0)["deleted"] == 2
    assert EndpointSample.objects.count() == 1
    # The pruned days were rolled up first.
    days = EndpointRollup.objects.filter(period="day").values_list("start", flat=True)
    assert {d.date() for d in days} >= {(T0 - timedelta(days=30)).date(),
                                        (T0 - timedelta(days=20)).date()}  # fmt: skip


def test_window_start_floors_to_five_minutes():
    assert ingest.window_start(T0 + timedelta(minutes=9, seconds=59)) == T0 + timedelta(
        minutes=5
    )


def test_prune_drops_hourly_rollups_after_90_days(lfm):
    ingest.samples_upsert({lfm.slug: [record("liquid")]}, T0 - timedelta(days=100))
    ingest.rollup_build("hour", T0 - timedelta(days=100))
    ingest.rollup_build("day", T0 - timedelta(days=100))
    assert housekeeping.stats_prune(now=T0) == {
        "deleted": 1,
        "hourly_rollups_deleted": 1,
    }
    assert EndpointRollup.objects.filter(period="day").count() == 1


def test_tasks_run_the_same_services(lfm):
    from ops import tasks

    ingest.samples_upsert({lfm.slug: [record("liquid")]}, T0)
    counts = tasks.rollup.apply(kwargs={}).get()
    assert (counts["hour"], counts["day"]) == (0, 0)  # T0 is old
    assert tasks.prune.apply().get()["deleted"] == 1
