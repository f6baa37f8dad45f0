"""The sync runs' admin: its buttons queue the jobs' tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ops import tasks

pytestmark = pytest.mark.django_db


def test_sync_button_queues_the_task(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    """The *Sync catalogue now* button queues catalog.sync_catalog after commit."""
    queued = []
    monkeypatch.setattr(tasks.sync_catalog, "delay", lambda: queued.append(1))
    page = admin_client.get(reverse("admin:catalog_syncrun_changelist"))
    assert b"Sync catalogue now" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_syncrun_sync", args=["catalog"])
        )
    assert response.status_code == 302 and queued == [1]
