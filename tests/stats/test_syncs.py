"""Stats syncs against the demo upstream over real HTTP."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog import syncs as catalog_syncs
from catalog.models import LanguageModel, SyncRun, SyncStatus
from catalog.runs import SyncFailed
from ops.jobs import sync_endpoints as endpoints_job
from stats import syncs
from stats.models import (
    AccountUsageDaily,
    AppRanking,
    AppUsage,
    EndpointSample,
    TokenUsageDaily,
    UptimeHistory,
)

pytestmark = pytest.mark.state("few-polled")


def test_activity_stores_every_listed_model_day_once(catalogue):
    syncs.sync_activity()
    syncs.sync_activity()
    assert TokenUsageDaily.objects.count() == len(catalogue) * syncs.ACTIVITY_DAYS
    run = SyncRun.objects.filter(kind="stats-activity").first()
    assert run.status == SyncStatus.SUCCEEDED
    assert run.source == "openrouter-website"


def test_variants_are_polled_with_their_own_key(catalogue, mock_upstream):
    syncs.sync_activity()
    asked = [path for _, path, _ in mock_upstream.requests if "model-activity" in path]
    assert any("variant=free" in p for p in asked)
    assert any("variant=standard" in p for p in asked)


def test_apps_poll_twice_keeps_one_row_per_app(catalogue):
    syncs.sync_apps()
    first = AppUsage.objects.count()
    syncs.sync_apps()
    assert first > 0
    assert AppUsage.objects.count() == first


def test_uptime_backfills_overall_and_per_provider_series(catalogue):
    run = syncs.sync_uptime()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    lfm = next(m for m in catalogue if m.slug == "liquid/lfm-40b")
    series = set(
        UptimeHistory.objects.filter(model=lfm).values_list("series", flat=True)
    )
    assert series == {"", "liquid", "lambda"}
    assert UptimeHistory.objects.filter(model=lfm, series="").count() == 72


def test_endpoints_poll_snapshots_samples_once_per_window(catalogue, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    slugs = [m.slug for m in catalogue]
    endpoints_job(slugs=slugs)
    before = EndpointSample.objects.count()
    assert before > 0  # the poll was observed
    endpoints_job(slugs=slugs)  # the same window: nothing more
    assert EndpointSample.objects.count() == before


def test_datasets_skip_without_a_key(catalogue, settings):
    settings.OPENROUTER_API_KEY = ""
    settings.STATS_DATASETS_ENABLED = False
    run = syncs.sync_datasets()
    assert run.status == SyncStatus.SKIPPED
    assert "OPENROUTER_API_KEY" in run.error


def test_datasets_with_a_key(catalogue, settings):
    settings.OPENROUTER_API_KEY = "sk-test"
    settings.STATS_DATASETS_ENABLED = True
    run = syncs.sync_datasets()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert AppRanking.objects.count() == 20
    assert AccountUsageDaily.objects.exists()
    assert TokenUsageDaily.objects.filter(source="rankings").exists()


def test_website_switch_off_skips_website_kinds(catalogue, settings):
    settings.STATS_WEBSITE_ENABLED = False
    runs = [syncs.sync_activity(), syncs.sync_apps(), syncs.sync_uptime()]
    assert {r.status for r in runs} == {SyncStatus.SKIPPED}
    assert not TokenUsageDaily.objects.exists()


@pytest.mark.parametrize("kind", ["404", "html", "garbage"])
@pytest.mark.slow
def test_broken_website_fails_only_stats_runs(catalogue, mock_upstream, client, kind):
    mock_upstream.inject(kind, path="/api/frontend")
    for sync in (syncs.sync_activity, syncs.sync_apps, syncs.sync_uptime):
        with pytest.raises(SyncFailed) as failed:
            sync()
        assert failed.value.run.status == SyncStatus.FAILED
        assert failed.value.run.error.startswith("all 4 fetches failed; first:")
        assert not failed.value.transient
    assert catalog_syncs.sync_catalog().status == SyncStatus.SUCCEEDED
    assert endpoints_job().status == SyncStatus.SUCCEEDED
    response = client.get(reverse("model-detail", args=["liquid", "lfm-40b"]))
    assert response.status_code == 200
    assert "The last poll failed" in response.content.decode()


def test_html_failure_reason_is_readable(catalogue, mock_upstream):
    mock_upstream.inject("html", path="/api/frontend")
    with pytest.raises(SyncFailed) as failed:
        syncs.sync_activity()
    assert "expected JSON, got text/html" in failed.value.run.error


@pytest.mark.slow
def test_sync_command_runs_stats_kinds(catalogue, capsys):
    call_command("sync", "stats", "--no-progress")
    out = capsys.readouterr().out
    for kind in ("stats-activity", "stats-apps", "stats-uptime"):
        assert f"{kind}: 0 created" in out
    assert "stats-datasets: skipped" in out


def test_website_5xx_fails_the_run_as_transient(catalogue, mock_upstream):
    mock_upstream.inject("503", path="/api/frontend")
    with pytest.raises(SyncFailed) as failed:
        syncs.sync_apps()
    assert failed.value.transient
    assert "HTTP 503" in failed.value.run.error


def test_one_model_failing_is_an_item_error(catalogue, mock_upstream):
    mock_upstream.inject("500", path="/api/frontend", times=1)  # 5xx: no old-path retry
    run = syncs.sync_activity()
    assert run.status == SyncStatus.SUCCEEDED
    assert run.counts["items"] == len(catalogue) - 1
    assert len(run.item_errors) == 1


def test_broken_sample_store_never_fails_the_endpoints_poll(catalogue, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("stats.ingest.samples_upsert", boom)
    run = endpoints_job(slugs=[m.slug for m in catalogue])
    assert run.status == SyncStatus.SUCCEEDED


def test_stats_schedules_are_registered(db):
    from django_celery_beat.models import PeriodicTask

    from ops.jobs import BY_NAME
    from ops.schedules import schedules_ensure

    schedules_ensure()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"stats-activity", "stats-apps", "stats-uptime", "stats-datasets",
            "stats-rollup", "stats-prune"} <= names <= set(BY_NAME)  # fmt: skip
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"stats.rollup", "stats.prune"} <= tasks


def test_permanent_failure_is_not_retried(catalogue, mock_upstream):
    from ops import tasks

    mock_upstream.inject("html", path="/api/frontend")
    result = tasks.sync_apps.apply().get()
    assert result["status"] == SyncStatus.FAILED
    assert SyncRun.objects.filter(kind="stats-apps").count() == 1


@pytest.mark.slow
def test_a_poll_out_of_time_hands_over_and_the_next_goes_on(
    catalogue, settings, monkeypatch
):
    """Past its window a per-model poll stops after the chunk in hand, records the
    last model it did, and the next run starts after it and wraps round."""
    LanguageModel.objects.update(delisted_at=None)
    listed = LanguageModel.objects.count()
    settings.SYNC_WINDOW_SECONDS = 10
    ticks = iter(range(0, 10_000, 100))  # a fake clock: 100 s per look
    monkeypatch.setattr(syncs, "clock", lambda: next(ticks))
    first = syncs.sync_activity()
    assert first.status == SyncStatus.SUCCEEDED
    assert first.counts["items"] == 50
    assert first.counts["handed_over"] == listed - 50
    done = set(TokenUsageDaily.objects.values_list("model__slug", flat=True))
    assert len(done) == 50 and first.stopped_after == max(done)
    ticks = iter(range(0, 10_000, 100))
    second = syncs.sync_activity()
    now_done = set(TokenUsageDaily.objects.values_list("model__slug", flat=True))
    fresh = now_done - done
    assert len(fresh) == 50 and min(fresh) > first.stopped_after
    assert not SyncRun.objects.filter(status=SyncStatus.ABANDONED).exists()
    assert second.stopped_after > first.stopped_after
