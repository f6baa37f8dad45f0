"""When the next poll of a source comes, from its latest run: each run is stamped
with the cadence of the schedule it ran on (ops stamps it), so a page reads no
schedule table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.utils import timezone

from catalog.runs import LatestRuns


def next_polls(
    runs: Mapping[str, LatestRuns], now: datetime | None = None
) -> dict[str, datetime | None]:
    """The next poll of each kind in `runs`: its latest run's start plus the cadence
    it was stamped with (None when it ran on no schedule, or never ran)."""
    now = now or timezone.now()
    found: dict[str, datetime | None] = dict.fromkeys(runs)
    for kind, latest_runs in runs.items():
        latest = latest_runs.latest
        if latest is not None and latest.every_seconds:
            due = latest.started_at + timedelta(seconds=latest.every_seconds)
            found[kind] = max(due, now)
    return found
