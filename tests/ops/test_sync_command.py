"""`manage.py sync`: one data path with the tasks, a summary line per target."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import Endpoint, LanguageModel, Provider
from ops.jobs import JOBS, TARGETS

pytestmark = pytest.mark.django_db
CATALOG_TARGETS = ("providers", "catalog", "endpoints")


SUMMARY = re.compile(
    r"^(?P<target>\w+): (?P<created>\d+) created, (?P<updated>\d+) updated, "
    r"(?P<unchanged>\d+) unchanged, (?P<failed>\d+) failed",
    re.MULTILINE,
)


def sync(*args) -> str:
    out = StringIO()
    call_command("sync", *args, no_progress=True, stdout=out, stderr=StringIO())
    return out.getvalue()


def summaries(output: str) -> dict[str, dict[str, int]]:
    return {
        m["target"]: {k: int(v) for k, v in m.groupdict().items() if k != "target"}
        for m in SUMMARY.finditer(output)
    }


def test_sync_all_starts_with_the_catalogue_targets():
    """Providers first (endpoints join to them), then models, then their endpoints."""
    assert [job.target for job in JOBS if job.target][:3] == list(CATALOG_TARGETS)
    assert list(TARGETS)[:3] == list(CATALOG_TARGETS)


@pytest.fixture
def catalog_only(settings):
    """`all` without the website stats (321 models' worth would take long here)."""
    settings.STATS_WEBSITE_ENABLED = False


@pytest.mark.slow
def test_sync_all_prints_a_summary_per_target(mock_upstream, catalog_only):
    """Every target reports a line saying what it did, in order."""
    output = sync("all")
    for name in CATALOG_TARGETS:
        assert re.search(rf"^{re.escape(name)}: ", output, re.MULTILINE), name
    lines = summaries(output)
    assert list(lines)[:3] == ["providers", "catalog", "endpoints"]
    assert lines["providers"]["created"] == Provider.objects.filter(listed=True).count()
    assert lines["catalog"] == {
        "created": 321,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
    }
    assert lines["endpoints"]["created"] == Endpoint.objects.count() > 321
    assert lines["endpoints"]["failed"] == 0


@pytest.mark.slow
def test_sync_again_reports_everything_unchanged(synced, catalog_only):
    """A second poll of an unchanged upstream says so (the first: the providers,
    catalogue and endpoints `synced` holds, polled from the same upstream)."""
    lines = summaries(sync("all"))
    assert lines["catalog"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 321,
        "failed": 0,
    }
    assert lines["endpoints"]["unchanged"] == Endpoint.objects.count()


def test_failing_target_raises_command_error(mock_upstream):
    """A failed run prints its reason and makes the command exit non-zero."""
    mock_upstream.inject("500", path="/api/v1/models")
    out = StringIO()
    with pytest.raises(CommandError, match="catalog"):
        call_command("sync", "catalog", no_progress=True, stdout=out)
    assert "catalog: failed: HTTP 500" in out.getvalue()
    assert LanguageModel.objects.count() == 0


@pytest.mark.slow
def test_one_failing_target_does_not_stop_the_others(mock_upstream, catalog_only):
    """`sync all` with providers down still syncs the catalogue, then fails."""
    mock_upstream.inject("503", path="/api/v1/providers")
    out = StringIO()
    with pytest.raises(CommandError, match="providers"):
        call_command("sync", "all", no_progress=True, stdout=out, stderr=StringIO())
    assert "providers: failed: HTTP 503" in out.getvalue()
    assert summaries(out.getvalue())["catalog"]["created"] == 321
    assert LanguageModel.objects.count() == 321


@pytest.mark.slow
def test_a_crash_is_reported_in_one_line_not_a_traceback(monkeypatch):
    """An unexpected error fails the target with a readable line."""
    import dataclasses

    def boom(**kwargs):
        raise RuntimeError("https://user:pw@gw.example/api broke")

    [job] = TARGETS["catalog"]
    monkeypatch.setitem(TARGETS, "catalog", (dataclasses.replace(job, runner=boom),))
    out = StringIO()
    with pytest.raises(CommandError, match="failed: catalog"):
        call_command("sync", "catalog", no_progress=True, stdout=out, stderr=StringIO())
    assert out.getvalue().strip().splitlines()[-1] == (
        "catalog: failed: internal error: RuntimeError: https://***@gw.example/api broke"
    )


@pytest.mark.slow
def test_runs_are_stamped_with_their_schedules_cadence(mock_upstream):
    """A run records the cadence of its job's enabled schedule (what pages tell the
    next poll from); with the schedule switched off it records none."""
    from django_celery_beat.models import PeriodicTask

    from catalog.models import SyncKind, SyncRun
    from ops.schedules import schedules_ensure

    schedules_ensure()
    sync("providers")
    run = SyncRun.objects.filter(kind=SyncKind.PROVIDERS).latest("started_at")
    assert run.every_seconds == 6 * 3600
    PeriodicTask.objects.filter(name="sync-providers").update(enabled=False)
    sync("providers")
    run = SyncRun.objects.filter(kind=SyncKind.PROVIDERS).latest("started_at")
    assert run.every_seconds is None


@pytest.mark.slow
def test_sync_says_which_upstream_it_polls(mock_upstream):
    output = sync("providers")
    assert output.splitlines()[0] == (
        f"Polling {mock_upstream.base_url} (website stats: {mock_upstream.url})"
    )


@pytest.mark.slow
def test_sync_refuses_to_mix_another_upstreams_catalogue(mock_upstream, settings):
    """A database the demo upstream filled, and a sync pointed at the live one (the
    default): refused with what to do, before any run is opened."""
    from catalog.models import SyncRun

    sync("catalog")
    settings.OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"
    runs = SyncRun.objects.count()
    with pytest.raises(CommandError) as refused:
        sync("all")
    message = str(refused.value)
    assert f"synced from {mock_upstream.base_url}, not from https://openrouter.ai" in (
        message
    )
    assert (
        f"OPENROUTER_BASE_URL={mock_upstream.base_url} "
        f"OPENROUTER_SITE_URL={mock_upstream.url}" in message
    )
    assert "Going live" in message and "--switch-upstream" in message
    assert SyncRun.objects.count() == runs


@pytest.mark.slow
def test_switch_upstream_polls_the_configured_upstream_anyway(mock_upstream, settings):
    """Asked to, it polls the other upstream (here: the demo under another name)."""
    sync("catalog")
    settings.OPENROUTER_BASE_URL = mock_upstream.base_url + "/"
    with pytest.raises(CommandError):
        sync("catalog")
    output = sync("catalog", "--switch-upstream")
    assert summaries(output)["catalog"]["unchanged"] == 321
