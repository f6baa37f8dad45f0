"""The other catalogues' jobs: a schedule each, `manage.py sync <kind>` and
`sync all`, and a line each on /status."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from catalog.models import KindModel, SyncKind
from ops.jobs import BY_KIND, TARGETS
from ops.schedules import schedules_ensure

pytestmark = pytest.mark.django_db

KINDS = ("embeddings", "images", "videos")


def test_each_kind_is_a_scheduled_job_of_the_full_sync():
    schedules_ensure()
    for kind in KINDS:
        job = BY_KIND[SyncKind(kind)]
        assert job.full_sync and TARGETS[kind] == (job,)
        assert PeriodicTask.objects.get(name=job.name).task == job.task


def test_sync_command_polls_a_kind(mock_upstream):
    out = StringIO()
    call_command("sync", "images", no_progress=True, stdout=out, stderr=StringIO())
    assert "images" in out.getvalue()
    assert KindModel.objects.filter(kind="images").count() == 10


def test_status_shows_each_kind(mock_upstream, client):
    call_command("sync", "videos", no_progress=True, stdout=StringIO())
    page = client.get("/status").content.decode()
    for kind in KINDS:
        assert f'<tr id="source-{kind}"' in page
    assert '<tr id="source-videos" data-colour="green">' in page
