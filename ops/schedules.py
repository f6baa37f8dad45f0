"""The jobs' schedules, kept in django-celery-beat's tables so the admin can edit
them, and kept up to date with the defaults in ops/jobs.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ops.jobs import JOBS, Job
from ops.models import ManagedSchedule


@dataclass
class EnsureResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Changed by hand in the admin since we last wrote them: left alone.
    kept: list[str] = field(default_factory=list)


def _interval(every: timedelta) -> IntervalSchedule:
    seconds = int(every.total_seconds())
    # The coarsest whole unit, so the admin shows "every 6 hours", not 21600 seconds.
    for period, size in (
        (IntervalSchedule.DAYS, 86400),
        (IntervalSchedule.HOURS, 3600),
        (IntervalSchedule.MINUTES, 60),
    ):
        if seconds % size == 0:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=seconds // size, period=period
            )
            return interval
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    return interval


def _seconds(task: PeriodicTask) -> int | None:
    if task.interval is None:
        return None
    return int(task.interval.schedule.run_every.total_seconds())


def schedule_every(job: Job) -> int | None:
    """The cadence in seconds of the job's enabled schedule (None when it has none):
    stamped on each run, so pages tell the next poll without reading schedules."""
    task = (
        PeriodicTask.objects.select_related("interval")
        .filter(task=job.task, enabled=True, interval__isnull=False)
        .order_by("pk")
        .first()
    )
    return _seconds(task) if task is not None else None


@transaction.atomic
def schedules_ensure(jobs: tuple[Job, ...] = JOBS) -> EnsureResult:
    """Create every job's schedule, and bring the ones we own up to date with the
    defaults in code; an editor's `enabled` and hand-changed cadences stay."""
    result = EnsureResult()
    written = {m.name: m for m in ManagedSchedule.objects.all()}
    for job in jobs:
        every = int(job.every.total_seconds())
        task = PeriodicTask.objects.select_related("interval").filter(name=job.name)
        existing = task.first()
        if existing is None:
            PeriodicTask.objects.create(
                name=job.name,
                task=job.task,
                interval=_interval(job.every),
                description=job.description,
            )
            result.created.append(job.name)
        elif _hand_changed(existing, written.get(job.name)):
            result.kept.append(job.name)
            continue
        elif (
            _seconds(existing) != every
            or existing.description != job.description
            or existing.task != job.task
        ):
            existing.interval = _interval(job.every)
            existing.description, existing.task = job.description, job.task
            existing.crontab = existing.solar = existing.clocked = None
            existing.save()
            result.updated.append(job.name)
        ManagedSchedule.objects.update_or_create(
            name=job.name,
            defaults={"every_seconds": every, "description": job.description},
        )
    return result


def _hand_changed(task: PeriodicTask, written: ManagedSchedule | None) -> bool:
    # Schedules made before we kept a record count as ours.
    if written is None:
        return False
    return (
        _seconds(task) != written.every_seconds
        or task.description != written.description
    )
