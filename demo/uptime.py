"""Deterministic availability: one hourly series per endpoint, and the figures the
other demo bodies derive from it, so every number agrees with every other.

An endpoint's hourly series (keyed by its endpoint id) is what the website's
`uptime-hourly` and the per-provider lines of `model-uptime-recent` serve; the
endpoints API's rolling `uptime_last_1d` is the mean of its last 24 hours, and a
model's "all providers" line is the request-weighted mix of its endpoints' lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from demo.seeded import unit

HOURLY_POINTS = 72
DAY_HOURS = 24


def floor_time(now: datetime, minutes: int) -> datetime:
    """Round a timestamp down to a multiple of `minutes`."""
    floored = now.replace(second=0, microsecond=0)
    return floored - timedelta(minutes=floored.minute % minutes)


def availability(key: str, at: datetime) -> float | None:
    """Return a percentage for one period: rare outages, rare gaps, mostly ~100."""
    u = unit("availability", key, at.isoformat())
    if u < 0.02:
        return round(20 + 70 * unit("outage-depth", key, at.isoformat()), 2)
    if u < 0.035:
        return None
    return 100.0 if u < 0.6 else round(99.0 + unit("jitter", key, at.isoformat()), 2)


def series(
    key: str, end: datetime, step: timedelta, points: int
) -> list[tuple[datetime, float | None]]:
    """Return `points` (time, availability) pairs ending at `end`, oldest first."""
    times = [end - step * n for n in range(points - 1, -1, -1)]
    return [(t, availability(key, t)) for t in times]


def hourly(
    key: str, now: datetime, points: int = HOURLY_POINTS
) -> list[tuple[datetime, float | None]]:
    """An endpoint's hourly series: `points` hours up to the current one."""
    return series(key, floor_time(now, 60), timedelta(hours=1), points)


def mean(values: Iterable[float | None]) -> float | None:
    """Average the non-null values (None when there are none)."""
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def uptime_last_1d(key: str, now: datetime) -> float | None:
    """The endpoints API's rolling day: the mean of the last 24 hourly points."""
    return mean(v for _, v in hourly(key, now, DAY_HOURS))


def uptime_now(key: str, now: datetime) -> float | None:
    """The rolling 5- and 30-minute figures: the current hour's point."""
    return availability(key, floor_time(now, 60))


def weighted(values: Sequence[tuple[float, float | None]]) -> float | None:
    """The request-weighted mean of (weight, uptime) pairs; gaps carry no weight."""
    present = [(w, v) for w, v in values if v is not None]
    total = sum(w for w, _ in present)
    if not present or total <= 0:
        return None
    return round(sum(w * v for w, v in present) / total, 2)
