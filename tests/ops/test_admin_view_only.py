"""Staff who may only look change nothing: every action of every admin, run by a
user holding every view permission and no other, writes no row and queues no
task; editors delist models, never delete them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, SolarSchedule

from catalog.editorial.overrides import override_set
from catalog.editorial.permissions import editor_group_ensure
from catalog.models import (
    AdminEdit,
    CatalogEvent,
    DirectAlias,
    EventKind,
    LanguageModel,
    ShrinkRefusal,
    SyncRun,
    Tag,
)
from changes.models import Channel, Delivery, DispatchCursor, Watch
from ops.schedules import schedules_ensure
from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

WRITES = ("INSERT", "UPDATE", "DELETE")
# The session keeps the messages an action leaves: not the admin's data.
UNTOUCHED_BY_ACTIONS = ("django_session",)


@pytest.fixture
def every_table_has_rows(mock_upstream) -> None:
    """The synced catalogue with its direct offers, the schedules, and a row in
    every other admin."""
    snapshots.load("direct")
    schedules_ensure()
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    SolarSchedule.objects.create(event="sunrise", latitude=48.1, longitude=11.6)
    CrontabSchedule.objects.create(minute="0", hour="4")
    root = User.objects.create_superuser("root", password="x")
    model = LanguageModel.objects.order_by("pk").first()
    assert model is not None
    Tag.objects.create(slug="coding", name="Coding")
    DirectAlias.objects.create(key="xai/grok-4.3", model=model, reason="same model")
    override_set(model, "context_length", 1234, reason="measured", user=root)
    AdminEdit.objects.create(
        object_type="catalog.languagemodel",
        object_id=str(model.pk),
        object_repr=str(model),
        user=root,
        changes={"hidden": [False, True]},
    )
    run = SyncRun.objects.order_by("pk").first()
    ShrinkRefusal.objects.create(
        kind=run.kind, run=run, what="models", active=10, missing=["a/b"]
    )
    watch = Watch.objects.create(model=model, email="ops@example.com")
    event = CatalogEvent.objects.create(
        kind=EventKind.ADDED, model=model, observed_at=timezone.now()
    )
    Delivery.objects.create(
        watch=watch,
        event=event,
        channel=Channel.EMAIL,
        scheduled_for=timezone.now() + timedelta(hours=1),
    )
    DispatchCursor.objects.create(name="alerts", last_event_id=0)
    editor_group_ensure()
    seen = {"user_agent": "curl", "ip_address": "192.0.2.1", "username": "root"}
    AccessAttempt.objects.create(
        **seen, get_data="", post_data="", failures_since_start=1
    )
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)


@pytest.fixture
def viewer(client) -> User:
    """Staff with every view permission there is, and nothing else."""
    user = User.objects.create_user("vera", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return user


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and not any(table in q["sql"] for table in UNTOUCHED_BY_ACTIONS)
    ]


@pytest.mark.slow
def test_a_view_only_user_runs_no_action_in_any_admin(
    client, viewer, every_table_has_rows, queued_tasks
):
    """Every registered ModelAdmin's every action (its own, the site's, a
    package's), posted on the first rows of its table: nothing is written, queued
    or mailed, and no action is offered."""
    walked = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pks = [
            str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:3]
        ]
        assert pks, f"no {opts.label} row to act on: add one to the fixture"
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        page = client.get(url)
        assert page.status_code == 200, opts.label
        names = [name for _, name, _ in (model_admin._get_base_actions())]
        for name in names:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(
                    url, {"action": name, "_selected_action": pks, "index": 0}
                )
            assert response.status_code in (200, 302), (opts.label, name)
            assert writes(captured) == [], (opts.label, name)
            assert f'value="{name}"' not in page.content.decode(), (opts.label, name)
            walked.append(f"{opts.label}.{name}")
    assert queued_tasks == [] and mail.outbox == []
    # The actions the view-only user once could run are among those walked.
    for action in (
        "django_celery_beat.PeriodicTask.enable_tasks",
        "django_celery_beat.PeriodicTask.disable_tasks",
        "django_celery_beat.PeriodicTask.toggle_tasks",
        "django_celery_beat.PeriodicTask.run_tasks",
        "changes.Watch.send_confirmation",
        "axes.AccessAttempt.cleanup_expired_attempts",
        "catalog.LanguageModel.hide",
        "catalog.LanguageModel.delete_selected",
    ):
        assert action in walked


@pytest.mark.slow
def test_editors_may_not_delete_what_upstream_lists(client, every_table_has_rows):
    """Models, endpoints, providers and authors are delisted, never deleted: the
    editor group holds no delete permission on them (tags and overrides it may)."""
    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(editor_group_ensure())
    for name in ("languagemodel", "endpoint", "provider", "author"):
        assert not editor.has_perm(f"catalog.delete_{name}"), name
        assert editor.has_perm(f"catalog.change_{name}"), name
    assert editor.has_perm("catalog.delete_tag")
    assert editor.has_perm("catalog.delete_fieldoverride")
    client.force_login(editor)
    model = LanguageModel.objects.order_by("pk").first()
    url = reverse("admin:catalog_languagemodel_changelist")
    client.post(
        url,
        {"action": "delete_selected", "_selected_action": [model.pk], "post": "yes"},
    )
    delete = reverse("admin:catalog_languagemodel_delete", args=[model.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LanguageModel.objects.filter(pk=model.pk).exists()
