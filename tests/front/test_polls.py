"""The next poll a page announces: from the latest run and the cadence stamped on
it, as a clock time (pages are cached; "in 25 minutes" would go stale)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from catalog.models import SyncKind, SyncRun, SyncStatus
from catalog.runs import runs_latest
from front.polls import next_polls
from front.templatetags.front import poll_eta

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def run(kind: str, started: datetime, every: int | None) -> SyncRun:
    return SyncRun.objects.create(
        kind=kind,
        status=SyncStatus.SUCCEEDED,
        started_at=started,
        finished_at=started,
        every_seconds=every,
    )


def test_next_poll_is_the_latest_run_plus_its_cadence():
    run(SyncKind.CATALOG, NOW - timedelta(hours=2), 3600)
    run(SyncKind.CATALOG, NOW - timedelta(minutes=20), 3600)
    run(SyncKind.ENDPOINTS, NOW - timedelta(hours=2), 1800)  # overdue
    run(SyncKind.STATS_APPS, NOW - timedelta(hours=2), None)  # by hand, unscheduled
    kinds = (SyncKind.CATALOG, SyncKind.ENDPOINTS, SyncKind.STATS_APPS)
    polls = next_polls(runs_latest(kinds), now=NOW)
    assert polls == {
        SyncKind.CATALOG: NOW + timedelta(minutes=40),
        SyncKind.ENDPOINTS: NOW,
        SyncKind.STATS_APPS: None,
    }


def test_next_poll_reads_only_the_runs(django_assert_num_queries):
    run(SyncKind.CATALOG, NOW, 3600)
    with django_assert_num_queries(1):
        next_polls(runs_latest([SyncKind.CATALOG]), now=NOW)


def test_poll_eta_is_a_clock_time(time_machine):
    time_machine.move_to(NOW, tick=False)
    assert poll_eta(None) == "not scheduled"
    assert poll_eta(NOW + timedelta(seconds=30)) == "any minute now"
    assert poll_eta(NOW - timedelta(hours=1)) == "any minute now"
    assert poll_eta(NOW + timedelta(minutes=40)) == "at 12:40 UTC"
    assert poll_eta(NOW + timedelta(hours=14)) == "on 5 Mar at 02:00 UTC"
