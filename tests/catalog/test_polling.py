"""The endpoints poll's plan fits its schedule at upstream's rate limit, and a run
that runs out of its window hands over to the next one instead of being abandoned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Author, LanguageModel, SyncKind, SyncRun
from catalog.syncs import polling, sync_catalog, sync_endpoints, sync_providers
from catalog.syncs.polling import endpoints_budget, endpoints_plan, endpoints_polled

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 7, 1, tzinfo=UTC)
SCHEDULE = timedelta(minutes=30)  # the endpoints job's cadence (ops.jobs)


def catalogue(count: int) -> list[str]:
    """`count` listed upstream models (no HTTP: the plan reads rows only)."""
    author = Author.objects.create(slug="acme")
    LanguageModel.objects.bulk_create(
        [
            LanguageModel(
                slug=f"acme/m{i:05}",
                author=author,
                name=f"M{i}",
                first_seen_at=T0,
                updated_at=T0,
                # A few hundred popular ones, as on the real board.
                tokens_week=(10**9 - i) if i % 100 == 0 else None,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    return [f"acme/m{i:05}" for i in range(count)]


@pytest.mark.slow
def test_thirty_thousand_models_at_ten_requests_a_second_fit_the_period(settings):
    """Simulated half-hour runs (a fake clock, no waiting): every run asks for no
    more than fits its window at 10 requests/s, and every model is refreshed within
    SYNC_ENDPOINTS_REFRESH_SECONDS, the popular ones every run."""
    settings.SYNC_REQUESTS_PER_SECOND = 10
    settings.SYNC_WINDOW_SECONDS = 1500
    settings.SYNC_ENDPOINTS_REFRESH_SECONDS = 6 * 3600
    settings.SYNC_ENDPOINTS_POPULAR = 500
    slugs = catalogue(30_000)
    budget = endpoints_budget()
    assert budget / settings.SYNC_REQUESTS_PER_SECOND <= settings.SYNC_WINDOW_SECONDS
    planned_cycle = polling.cycle_seconds(len(slugs), SCHEDULE)
    assert planned_cycle <= settings.SYNC_ENDPOINTS_REFRESH_SECONDS
    last_polled: dict[str, datetime] = {}
    popular = {s for i, s in enumerate(slugs) if i % 100 == 0}
    now = T0
    runs = int(2 * settings.SYNC_ENDPOINTS_REFRESH_SECONDS / SCHEDULE.total_seconds())
    for _ in range(runs):
        with time_machine.travel(now, tick=False):
            plan = endpoints_plan(timezone.now())
            assert len(plan.slugs) <= budget
            assert len(set(plan.slugs)) == len(plan.slugs)
            assert popular <= set(plan.slugs)
            endpoints_polled(plan.slugs, timezone.now())
        for slug in plan.slugs:
            last_polled[slug] = now
        now += SCHEDULE
    assert set(last_polled) == set(slugs)
    oldest = min(last_polled.values())
    assert now - SCHEDULE - oldest < timedelta(
        seconds=settings.SYNC_ENDPOINTS_REFRESH_SECONDS
    )


def test_popular_models_first_then_changed_then_the_longest_unpolled():
    slugs = catalogue(300)
    endpoints_polled(slugs, T0)
    LanguageModel.objects.filter(slug=slugs[7]).update(updated_at=T0 + timedelta(1))
    LanguageModel.objects.filter(slug=slugs[9]).update(endpoints_polled_at=None)
    LanguageModel.objects.filter(slug=slugs[5]).update(
        updated_at=T0 - timedelta(days=4), endpoints_polled_at=T0 - timedelta(days=3)
    )
    plan = endpoints_plan(T0 + timedelta(days=2), budget=6)
    assert plan.slugs[:3] == [slugs[0], slugs[100], slugs[200]]  # popular
    assert set(plan.slugs[3:5]) == {slugs[7], slugs[9]}  # changed, never polled
    assert plan.slugs[5] == slugs[5]  # the longest unpolled
    assert plan.due == 300


@pytest.mark.slow
def test_a_run_out_of_time_hands_over_and_the_next_goes_on(mock_upstream, settings):
    """A fake clock ends the window after the first chunk of 50 models: the run
    succeeds, says how many it left, and the next run asks for those first."""
    sync_providers()
    sync_catalog()
    settings.SYNC_WINDOW_SECONDS = 10
    ticks = iter(range(0, 10_000, 100))  # every look at the clock: 100 s later
    first = sync_endpoints(clock=lambda: next(ticks))
    assert first.status == "succeeded"
    listed = first.counts["planned"]
    assert first.counts["polled"] == 50
    assert first.counts["handed_over"] == listed - 50
    assert first.stopped_after
    unpolled = set(
        LanguageModel.objects.filter(
            delisted_at__isnull=True,
            endpoints_polled_at__isnull=True,
            origin="upstream",
        ).values_list("slug", flat=True)
    )
    assert len(unpolled) == listed - 50
    ticks = iter(range(0, 10_000, 100))
    second = sync_endpoints(clock=lambda: next(ticks))
    assert second.status == "succeeded"
    polled_now = set(
        LanguageModel.objects.filter(
            endpoints_polled_at__gt=first.finished_at
        ).values_list("slug", flat=True)
    )
    assert len(polled_now) == 50 and polled_now <= unpolled
    assert (
        SyncRun.objects.filter(kind=SyncKind.ENDPOINTS, status="abandoned").count() == 0
    )


def test_the_window_ends_before_the_per_model_jobs_time_limits(settings):
    """A per-model poll hands over at its window, well before its task's soft time
    limit would stop it mid-chunk: the default window fits every such job."""
    from ops.jobs import JOBS

    per_model = [job for job in JOBS if job.progress == "model"]
    assert per_model
    for job in per_model:
        assert job.soft_time_limit >= settings.SYNC_WINDOW_SECONDS + 60, job.name
