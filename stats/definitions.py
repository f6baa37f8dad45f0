"""What upstream's uptime figures mean, and since when.

Upstream's `uptime_last_*` (and the website's uptime history) used to be a
request ratio: successful requests / (successful + failed), rate-limited ones
left out. Since autumn 2026 it is the share of minutes in which at least 80 % of
attempts succeeded, counting only minutes with 10 or more attempts. Upstream
sends no marker of which one a figure is, and announced no date: the spec of
2026-08-22 (specs/openrouter-openapi-2026-08-22.yaml, PublicEndpoint) still
documents the request ratio, so the switch came after it. MINUTES_SINCE is the
cut-over the board uses: 1 September 2026 00:00 UTC, the first day of autumn
(meteorological) after that spec. Every stored uptime figure records the
definition of its time by this date (stats/migrations/0004 froze the same
value for the rows stored before).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models

MINUTES_SINCE = datetime(2026, 9, 1, tzinfo=UTC)


class UptimeDefinition(models.TextChoices):
    REQUESTS = "requests", "share of requests that succeeded"
    MINUTES = (
        "minutes",
        "share of minutes with at least 80% of attempts succeeding "
        "(minutes with 10 or more attempts)",
    )


def uptime_definition_at(when: datetime) -> str:
    """The definition upstream measured an uptime of this time under."""
    if when >= MINUTES_SINCE:
        return UptimeDefinition.MINUTES
    return UptimeDefinition.REQUESTS
