from __future__ import annotations

from django.db import models


class ManagedSchedule(models.Model):
    """What `ensure_schedules` last wrote to a job's schedule.

    A schedule whose cadence or description still matches this was not changed
    by hand, so a new default in code may replace it; one a superuser changed in
    the admin is left alone.
    """

    name = models.CharField(max_length=200, unique=True)
    every_seconds = models.PositiveIntegerField()
    description = models.TextField(blank=True)
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} every {self.every_seconds}s"
