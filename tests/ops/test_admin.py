"""The sync runs' admin: its buttons queue the jobs' tasks, and say so plainly when
the broker cannot be reached."""

from __future__ import annotations

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from catalog.models import LanguageModel, SyncRun
from catalog.runs import queueing

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(queued_tasks) -> list[tuple[str, dict]]:
    """Tasks handed to the broker: (task name, kwargs)."""
    return queued_tasks


@pytest.fixture
def broker_down(monkeypatch) -> None:
    """Publishing fails the way kombu fails when the broker refuses connections."""

    def send_task(name, **options):
        raise OperationalError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )

    monkeypatch.setattr(queueing.current_app, "send_task", send_task)


@pytest.mark.slow
def test_sync_button_queues_the_task(admin_client, sent):
    """The *Sync catalogue now* button queues catalog.sync_catalog."""
    page = admin_client.get(reverse("admin:catalog_syncrun_changelist"))
    assert b"Sync catalogue now" in page.content
    response = admin_client.post(
        reverse("admin:catalog_syncrun_sync", args=["catalog"])
    )
    assert response.status_code == 302 and sent == [("catalog.sync_catalog", {})]


@pytest.mark.slow
def test_sync_button_with_the_broker_down_says_why(admin_client, broker_down):
    """No HTML 500: the changelist comes back with a message naming the broker."""
    response = admin_client.post(
        reverse("admin:catalog_syncrun_sync", args=["catalog"]), follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was queued: the job queue (Celery broker) cannot be reached" in text
    assert "Connection refused" in text


@pytest.mark.slow
def test_model_sync_now_action_with_the_broker_down_says_why(
    admin_client, broker_down, mock_upstream
):
    """The catalogue admin's *Sync now* action answers the same way."""
    from catalog.syncs import sync_catalog

    sync_catalog()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    response = admin_client.post(
        reverse("admin:catalog_languagemodel_changelist"),
        {"action": "sync_now", "_selected_action": [model.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "cannot be reached" in response.content.decode()


@pytest.mark.slow
def test_model_sync_now_action_queues_the_endpoints_task(
    admin_client, sent, mock_upstream
):
    """Sync now queues one endpoints sync of the selected models."""
    from catalog.syncs import sync_catalog

    sync_catalog()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    admin_client.post(
        reverse("admin:catalog_languagemodel_changelist"),
        {"action": "sync_now", "_selected_action": [model.pk]},
    )
    assert sent == [("catalog.sync_endpoints", {"slugs": ["liquid/lfm-40b"]})]


@pytest.mark.slow
def test_run_error_and_url_are_shown_redacted(admin_client):
    """Credentials a run recorded before redaction never reach the admin page."""
    from django.utils import timezone

    run = SyncRun.objects.create(
        kind="catalog",
        status="failed",
        started_at=timezone.now(),
        upstream_url="https://user:s3cret@gw.example/api/v1/models",
        error="HTTP 500 (https://gw.example/api/v1/models?api_key=s3cret)",
    )
    for url in (
        reverse("admin:catalog_syncrun_changelist"),
        reverse("admin:catalog_syncrun_change", args=[run.pk]),
    ):
        page = admin_client.get(url).content.decode()
        assert "s3cret" not in page
        assert "HTTP 500" in page
