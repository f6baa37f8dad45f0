"""How a model page words which definition its uptime figures use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stats.definitions import MINUTES_SINCE, UptimeDefinition, uptime_definition_at


@dataclass(frozen=True)
class UptimeWording:
    """The definition of the current figures, when upstream changed it, and
    whether the chart reaches back past the change (and so marks it)."""

    current: str
    minutes: bool
    since: datetime
    spans: bool
    before: str = UptimeDefinition.REQUESTS.label
    after: str = UptimeDefinition.MINUTES.label


def uptime_wording(first_point: datetime | None, now: datetime) -> UptimeWording:
    """The wording for a page drawn at `now` whose uptime chart starts at
    `first_point` (None: no chart)."""
    current = UptimeDefinition(uptime_definition_at(now))
    minutes = current == UptimeDefinition.MINUTES
    return UptimeWording(
        current=current.label,
        minutes=minutes,
        since=MINUTES_SINCE,
        spans=minutes and first_point is not None and first_point < MINUTES_SINCE,
    )
