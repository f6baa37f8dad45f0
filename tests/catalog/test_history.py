"""Replaying 63 real daily recordings gives the changelog an independent diff finds."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from catalog.models import CatalogEvent, SyncRun
from demo.server import DemoUpstream
from tests.support.diffing import diff

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

KINDS = ("added", "delisted", "relisted", "price")


def expected_changelog() -> Counter:
    """(kind, id, recording index) for every change between consecutive recordings."""
    snapshots = [DemoUpstream.history_snapshot(i) for i in range(63)]
    # The first recording is the first import: one baseline event, no "added".
    found: Counter = Counter()
    seen = {m["id"] for m in snapshots[0]}
    for index in range(1, len(snapshots)):
        changes = diff(snapshots[index - 1], snapshots[index])
        for model_id in changes["added"]:
            found["relisted" if model_id in seen else "added", model_id, index] += 1
        found.update(("delisted", model_id, index) for model_id in changes["removed"])
        found.update(("price", model_id, index) for model_id in changes["price"])
        seen |= changes["added"]
    return found


def prompt_or_completion_changes() -> int:
    """The fixtures README's count: prompt or completion moved, consecutive recordings."""
    count = 0
    for index in range(1, 63):
        before = {m["id"]: m for m in DemoUpstream.history_snapshot(index - 1)}
        after = {m["id"]: m for m in DemoUpstream.history_snapshot(index)}
        for model_id in before.keys() & after.keys():
            old, new = before[model_id]["pricing"], after[model_id]["pricing"]
            count += any(
                Decimal(old.get(key, "0")) != Decimal(new.get(key, "0"))
                for key in ("prompt", "completion")
            )
    return count


@pytest.fixture(scope="module")
def expected() -> Counter:
    return expected_changelog()


def test_history_totals_match_the_fixtures_readme(expected: Counter):
    """83 additions, 56 removals and 128 prompt/completion changes, as documented."""
    later = Counter(kind for kind, _, index in expected.elements() if index > 0)
    assert later["added"] + later["relisted"] == 83
    assert later["delisted"] == 56
    assert prompt_or_completion_changes() == 128
    # Our price events count any numeric pricing key (cache reads, images, ...).
    assert later["price"] == 201


def test_replaying_history_records_the_independent_changelog(replayed, expected):
    """Every recording synced in order: events match the diff, kind, model and day.

    The replay is the run's `replayed` state (tests/support/history.py syncs each
    recording in order, at its recorded time): run id -> recording index."""
    index_of_run = replayed
    in_order = [index_of_run[pk] for pk in sorted(index_of_run)]
    assert in_order == list(range(DemoUpstream.history_length()))
    runs = SyncRun.objects.filter(pk__in=index_of_run)
    assert sorted(runs.values_list("kind", flat=True)) == ["catalog"] * len(
        index_of_run
    )
    for run in runs:
        assert run.status == "succeeded", run.error
        assert run.counts["failed"] == 0
    recorded = Counter(
        (kind, slug, index_of_run[run_id])
        for kind, slug, run_id in CatalogEvent.objects.filter(kind__in=KINDS)
        .values_list("kind", "model__slug", "sync_run_id")
        .iterator()
    )
    assert recorded == expected
    # The first recording came in as one baseline event with its model count.
    baseline = CatalogEvent.objects.get(kind="baseline")
    assert index_of_run[baseline.sync_run_id] == 0
    assert baseline.after["models"] == len(DemoUpstream.history_snapshot(0))
