"""`ensure_schedules` keeps the jobs' schedules in step with ops/jobs.py, and
leaves what a superuser changed by hand alone."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ops.jobs import BY_NAME, JOBS
from ops.schedules import schedules_ensure

pytestmark = pytest.mark.django_db


def every(name: str) -> timedelta:
    task = PeriodicTask.objects.select_related("interval").get(name=name)
    return task.interval.schedule.run_every


def with_cadence(name: str, cadence: timedelta, description: str = "") -> tuple:
    job = BY_NAME[name]
    changed = dataclasses.replace(
        job, every=cadence, description=description or job.description
    )
    return tuple(changed if j.name == name else j for j in JOBS)


def test_every_job_gets_its_named_described_schedule():
    result = schedules_ensure()
    assert sorted(result.created) == sorted(job.name for job in JOBS)
    for job in JOBS:
        task = PeriodicTask.objects.get(name=job.name)
        assert (task.task, task.description) == (job.task, job.description)
        assert every(job.name) == job.every
    # Cadences read in the admin as whole units.
    assert PeriodicTask.objects.get(name="sync-providers").interval.period == "hours"


def test_a_new_default_cadence_reaches_an_existing_database():
    schedules_ensure()
    result = schedules_ensure(with_cadence("sync-endpoints", timedelta(minutes=20)))
    assert result.updated == ["sync-endpoints"]
    assert every("sync-endpoints") == timedelta(minutes=20)


def test_a_new_description_reaches_an_existing_database():
    schedules_ensure()
    changed = with_cadence("sync-catalog", timedelta(hours=1), "Poll models.")
    assert schedules_ensure(changed).updated == ["sync-catalog"]
    assert PeriodicTask.objects.get(name="sync-catalog").description == "Poll models."


def test_a_cadence_changed_by_hand_is_kept():
    schedules_ensure()
    weekly, _ = IntervalSchedule.objects.get_or_create(every=7, period="days")
    PeriodicTask.objects.filter(name="sync-catalog").update(interval=weekly)
    result = schedules_ensure(with_cadence("sync-catalog", timedelta(hours=2)))
    assert result.kept == ["sync-catalog"] and result.updated == []
    assert every("sync-catalog") == timedelta(days=7)


def test_disabling_a_schedule_survives_ensure():
    schedules_ensure()
    PeriodicTask.objects.filter(name="stats-prune").update(enabled=False)
    schedules_ensure(with_cadence("stats-prune", timedelta(days=2)))
    task = PeriodicTask.objects.get(name="stats-prune")
    assert task.enabled is False and every("stats-prune") == timedelta(days=2)


def test_second_run_changes_nothing_and_the_command_says_so():
    out = StringIO()
    call_command("ensure_schedules", stdout=out)
    call_command("ensure_schedules", stdout=out)
    first, second = out.getvalue().splitlines()
    assert f"{len(JOBS)} created" in first
    assert "0 created, 0 updated" in second


def test_every_job_task_is_registered_with_celery():
    from config.celery import app

    app.loader.import_default_modules()
    for job in JOBS:
        assert job.task in app.tasks, job.task
    # The admin's "sync now" names the endpoints job's task without importing it.
    from catalog.admin import SYNC_ENDPOINTS_TASK

    assert BY_NAME["sync-endpoints"].task == SYNC_ENDPOINTS_TASK
