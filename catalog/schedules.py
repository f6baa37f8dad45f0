"""The periodic jobs, stored in django-celery-beat's tables so the admin can edit them."""

from __future__ import annotations

from django_celery_beat.models import IntervalSchedule, PeriodicTask

# name -> (task, every N minutes, description)
SCHEDULES = {
    "sync-providers": ("catalog.sync_providers", 360, "Poll the provider list."),
    "sync-catalog": ("catalog.sync_catalog", 60, "Poll the model list."),
    "sync-endpoints": (
        "catalog.sync_endpoints",
        30,
        "Poll every model's providers, prices and rolling stats.",
    ),
}


def schedules_ensure(extra: dict[str, tuple[str, int, str]] | None = None) -> int:
    """Create or update our named schedules; an editor's changes to `enabled` stay."""
    created = 0
    for name, (task, minutes, description) in (SCHEDULES | (extra or {})).items():
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=minutes, period=IntervalSchedule.MINUTES
        )
        _, was_created = PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "interval": interval, "description": description},
        )
        created += was_created
    return created
